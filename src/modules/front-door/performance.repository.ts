import { sql, type QueryCreator, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import type { Period, WorkingTimeTable } from './performance.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The front-door performance queries. Each reads only the contacts of the authorities in scope received in the
 * period (information requests: sent in the period), through indexes: contacts (local_authority_id,
 * received_at), the one live decision per contact (contact_decisions_one_live), contact_children (person_id),
 * information_requests (requested_at).
 */

export interface Scope {
  localAuthorityIds: readonly string[];
  period: Period;
}

const LONDON_DAY = sql<string>`to_char((c.received_at at time zone 'Europe/London')::date, 'YYYY-MM-DD')`;

export async function contactsPerDayCounts(db: Db, scope: Scope): Promise<{ day: string; n: number }[]> {
  if (!scope.localAuthorityIds.length) return [];
  const rows = await db
    .selectFrom('contacts as c')
    .select([LONDON_DAY.as('day'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end)
    .groupBy(LONDON_DAY)
    .execute();
  return rows.map((r) => ({ day: r.day, n: Number(r.n) }));
}

/** The contacts of the authorities in scope received in the period, each with its live decision. */
function decidedInScope(db: QueryCreator<DB>, scope: Scope) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('contactDecisions as d', (join) =>
      join.onRef('d.contactId', '=', 'c.id').on('d.status', '<>', 'sent-back'),
    )
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end);
}

const LONDON_WEEK = sql<string>`to_char(date_trunc('week', c.received_at at time zone 'Europe/London'), 'YYYY-MM-DD')`;

/**
 * Live decisions (recorded, authorised or awaiting authorisation) by the week their contact was received (weeks
 * begin on Monday): how many, and how many were recorded by the contact's decision time (decision_due_at, the
 * end of the next working day after receipt, fixed when the contact was recorded: lateness is a comparison).
 */
export async function timelinessByWeek(
  db: Db,
  scope: Scope,
): Promise<{ week: string; decided: number; onTime: number }[]> {
  if (!scope.localAuthorityIds.length) return [];
  const rows = await decidedInScope(db, scope)
    .select([
      LONDON_WEEK.as('week'),
      (eb) => eb.fn.countAll<string>().as('decided'),
      sql<string>`count(*) filter (where d.decided_at <= c.decision_due_at)`.as('onTime'),
    ])
    .groupBy(LONDON_WEEK)
    .execute();
  return rows.map((r) => ({ week: r.week, decided: Number(r.decided), onTime: Number(r.onTime) }));
}

/**
 * One page of the decisions recorded after their contact's decision time, in the order they were recorded. The
 * period's late decisions are gathered first (MATERIALIZED: through the period's contacts, never by walking every
 * decision ever recorded in decided_at order), then sorted for the page.
 */
export async function lateDecisions(db: Db, scope: Scope, page: { limit: number; offset: number } | 'all') {
  if (!scope.localAuthorityIds.length) return [];
  let q = db
    .with(
      (cte) => cte('late').materialized(),
      (qc) =>
        decidedInScope(qc, scope)
          .select([
            'c.id as contactId',
            'c.reference',
            LONDON_DAY.as('receivedOn'),
            'c.decisionDueAt',
            'd.decidedAt',
            'd.decidedBy',
          ])
          .whereRef('d.decidedAt', '>', 'c.decisionDueAt'),
    )
    .selectFrom('late')
    .innerJoin('users as u', 'u.id', 'late.decidedBy')
    .select([
      'late.contactId',
      'late.reference',
      'late.receivedOn',
      'late.decisionDueAt',
      'late.decidedAt',
      'u.displayName as decidedByName',
    ])
    .orderBy('late.decidedAt')
    .orderBy('late.contactId');
  if (page !== 'all') q = q.limit(page.limit).offset(page.offset);
  return q.execute();
}

/**
 * Authorised decisions counted by outcome and referral source, and by outcome and level of need: one pass over
 * the period's decisions (GROUPING SETS), returning only the counts.
 */
export async function outcomeCounts(db: Db, scope: Scope) {
  if (!scope.localAuthorityIds.length) return { bySource: [], byLevel: [] };
  const rows = await decidedInScope(db, scope)
    .select([
      'c.referralSource as source',
      'd.levelOfNeed as level',
      'd.outcome',
      sql<number>`grouping(c.referral_source)`.as('noSource'),
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .where('d.status', '=', 'authorised')
    .groupBy(sql`grouping sets ((c.referral_source, d.outcome), (d.level_of_need, d.outcome))`)
    .execute();
  const bySource: { key: string; outcome: string; n: number }[] = [];
  const byLevel: { key: string; outcome: string; n: number }[] = [];
  for (const r of rows) {
    if (Number(r.noSource) === 0) bySource.push({ key: r.source, outcome: r.outcome, n: Number(r.n) });
    else byLevel.push({ key: r.level, outcome: r.outcome, n: Number(r.n) });
  }
  return { bySource, byLevel };
}

const SOCIAL_CARE_SQL = sql<number>`(d.outcome in ('social-care', 'strategy-discussion'))::int`;

/**
 * Threshold consistency, computed by PostgreSQL from the period's authorised decisions. "Similar" contacts have
 * the same level of need and exactly the same categories of concern (sorted, so order does not matter); the
 * share of each group routed to social care is p. Per worker and per team (one pass, GROUPING SETS): decisions,
 * how many were routed to social care, Σp (the expected number) and Σp(1−p) (its variance). Per group: decisions,
 * workers, routed to social care, and the lowest and highest worker share (in tenths of a percent, rounded).
 */
export async function consistencyCounts(db: Db, scope: Scope) {
  if (!scope.localAuthorityIds.length) return { lines: [], similar: [] };
  const authorised = db
    .with('a', () =>
      decidedInScope(db, scope)
        .innerJoin('users as u', 'u.id', 'd.decidedBy')
        .leftJoin('teams as t', 't.id', 'u.teamId')
        .select([
          'd.decidedBy',
          'u.displayName as decidedByName',
          'u.teamId',
          't.name as teamName',
          'd.levelOfNeed',
          sql<
            string[]
          >`array(select x from unnest(coalesce(c.concern_categories, '{}'::text[])) x order by x collate "C")`.as(
            'concerns',
          ),
          SOCIAL_CARE_SQL.as('sc'),
          sql<number>`(d.departure_reason is not null)::int`.as('dep'),
        ])
        .where('d.status', '=', 'authorised'),
    )
    .with('g', (w) =>
      w
        .selectFrom('a')
        .select(['a.levelOfNeed', 'a.concerns', sql<number>`avg(a.sc::float8)`.as('p')])
        .groupBy(['a.levelOfNeed', 'a.concerns']),
    );
  const lines = await authorised
    .selectFrom('a')
    .innerJoin('g', (join) =>
      join.onRef('g.levelOfNeed', '=', 'a.levelOfNeed').onRef('g.concerns', '=', 'a.concerns'),
    )
    .select([
      sql<number>`grouping(a.decided_by)`.as('byTeam'),
      'a.decidedBy',
      'a.decidedByName',
      'a.teamId',
      'a.teamName',
      (eb) => eb.fn.countAll<string>().as('decisions'),
      sql<string>`sum(a.sc)`.as('socialCare'),
      sql<number>`sum(g.p)`.as('expected'),
      sql<number>`sum(g.p * (1 - g.p))`.as('variance'),
      sql<string>`sum(a.dep)`.as('departures'),
    ])
    .groupBy(sql`grouping sets ((a.decided_by, a.decided_by_name), (a.team_id, a.team_name))`)
    .execute();
  const similar = await authorised
    .with('w', (w) =>
      w
        .selectFrom('a')
        .select([
          'a.levelOfNeed',
          'a.concerns',
          (eb) => eb.fn.countAll<string>().as('n'),
          sql<string>`sum(a.sc)`.as('sc'),
        ])
        .groupBy(['a.levelOfNeed', 'a.concerns', 'a.decidedBy']),
    )
    .selectFrom('w')
    .select([
      'w.levelOfNeed',
      'w.concerns',
      sql<string>`sum(w.n)`.as('decisions'),
      (eb) => eb.fn.countAll<string>().as('workers'),
      sql<string>`sum(w.sc)`.as('socialCare'),
      sql<string>`round(min(w.sc * 1000.0 / w.n))`.as('lowest'),
      sql<string>`round(max(w.sc * 1000.0 / w.n))`.as('highest'),
    ])
    .groupBy(['w.levelOfNeed', 'w.concerns'])
    .execute();
  return {
    lines: lines.map((r) => ({
      kind: Number(r.byTeam) === 1 ? ('team' as const) : ('worker' as const),
      id: Number(r.byTeam) === 1 ? (r.teamId ?? 'none') : r.decidedBy,
      name: Number(r.byTeam) === 1 ? (r.teamName ?? 'No team') : r.decidedByName,
      decisions: Number(r.decisions),
      socialCare: Number(r.socialCare),
      expected: Number(r.expected),
      variance: Number(r.variance),
      departures: Number(r.departures),
    })),
    similar: similar.map((r) => ({
      levelOfNeed: r.levelOfNeed,
      concernCategories: r.concerns,
      decisions: Number(r.decisions),
      workers: Number(r.workers),
      socialCare: Number(r.socialCare),
      lowest: Number(r.lowest) / 10,
      highest: Number(r.highest) / 10,
    })),
  };
}

/** Contacts received in the period with no decision yet, past their decision time. */
export async function overdueUndecided(db: Db, scope: Scope, now: Date): Promise<number> {
  if (!scope.localAuthorityIds.length) return 0;
  const row = await db
    .selectFrom('contacts as c')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end)
    .where('c.decisionDueAt', '<', now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('contactDecisions as d')
            .select('d.id')
            .whereRef('d.contactId', '=', 'c.id')
            .where('d.status', '<>', 'sent-back'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const EARLIER_CONTACT = sql<boolean>`exists (
  select 1 from contact_children cc2 join contacts c2 on c2.id = cc2.contact_id
  where cc2.person_id = cc.person_id and c2.id <> c.id
    and c2.received_at < c.received_at and c2.received_at >= c.received_at - interval '12 months')`;

/**
 * Per referral source: children (linked to a record) on contacts received in the period, and how many of them had
 * another contact in the 12 months before; and the children not linked yet (who cannot be matched).
 */
export async function repeatContactCounts(db: Db, scope: Scope) {
  if (!scope.localAuthorityIds.length) return { bySource: [], unlinked: 0 };
  const base = db
    .selectFrom('contacts as c')
    .innerJoin('contactChildren as cc', 'cc.contactId', 'c.id')
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end);
  const bySource = await base
    .select([
      'c.referralSource as source',
      (eb) => eb.fn.countAll<string>().as('children'),
      sql<string>`count(*) filter (where ${EARLIER_CONTACT})`.as('repeats'),
    ])
    .where('cc.personId', 'is not', null)
    .groupBy('c.referralSource')
    .execute();
  const unlinked = await base
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cc.personId', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    bySource: bySource.map((r) => ({
      source: r.source,
      children: Number(r.children),
      repeats: Number(r.repeats),
    })),
    unlinked: Number(unlinked.n),
  };
}

/**
 * Information requests sent in the period about contacts of the authorities in scope, per agency and for all
 * (GROUPING SETS): sent, answered, the median working hours to answer, judged (answered, or open after the due
 * time), answered in time, open and overdue, withdrawn. Working hours come from `table` (workingTimeTable: the
 * working time before each day and that day's opening hours), so PostgreSQL counts them without a calendar.
 */
export async function requestTurnaroundCounts(db: Db, scope: Scope, now: Date, table: WorkingTimeTable) {
  if (!scope.localAuthorityIds.length) return [];
  const days = table.opens.length;
  // Working milliseconds from the table's origin to an instant: the working time before its London day, and
  // the part of that day's opening hours before it.
  const workingMs = (column: RawBuilder<Date>) => {
    const i = sql`least(greatest((${column} at time zone 'Europe/London')::date - ${table.origin}::date + 1, 1), ${days})`;
    return sql<number>`(${table.before}::float8[])[${i}] + least(greatest(extract(epoch from ${column}) * 1000 - (${table.opens}::float8[])[${i}], 0), (${table.lengths}::float8[])[${i}])`;
  };
  const answered = sql<boolean>`r.status = 'answered' and r.responded_at is not null`;
  const rows = await db
    .selectFrom('informationRequests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .select([
      sql<number>`grouping(r.agency_id)`.as('all'),
      'r.agencyId',
      'a.name as agencyName',
      (eb) => eb.fn.countAll<string>().as('sent'),
      sql<string>`count(*) filter (where ${answered})`.as('answered'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by (${workingMs(sql`r.responded_at`)} - ${workingMs(sql`r.requested_at`)}) / 3600000.0) filter (where ${answered})`.as(
        'medianHours',
      ),
      sql<string>`count(*) filter (where r.status = 'answered' or (r.status = 'open' and r.due_at < ${now}))`.as(
        'judged',
      ),
      sql<string>`count(*) filter (where ${answered} and r.responded_at <= r.due_at)`.as('inTime'),
      sql<string>`count(*) filter (where r.status = 'open' and r.due_at < ${now})`.as('openOverdue'),
      sql<string>`count(*) filter (where r.status = 'withdrawn')`.as('withdrawn'),
    ])
    .where('r.requestedAt', '>=', scope.period.start)
    .where('r.requestedAt', '<', scope.period.end)
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .groupBy(sql`grouping sets ((r.agency_id, a.name), ())`)
    .execute();
  return rows.map((r) => ({
    id: Number(r.all) === 1 ? 'all' : r.agencyId,
    name: Number(r.all) === 1 ? 'All agencies' : r.agencyName,
    sent: Number(r.sent),
    answered: Number(r.answered),
    medianHours: r.medianHours === null ? null : Math.round(Number(r.medianHours) * 10) / 10,
    judged: Number(r.judged),
    inTime: Number(r.inTime),
    openOverdue: Number(r.openOverdue),
    withdrawn: Number(r.withdrawn),
  }));
}

// ------------------------------------------------------------------------------------------------------
// Drill-down: the contacts behind a number.

export const DRILL_MEASURES = [
  'received',
  'decided',
  'overdue',
  'outcome',
  'repeat',
  'consistency',
  'requests',
] as const;
export type DrillMeasure = (typeof DRILL_MEASURES)[number];

export interface DrillFilter {
  measure: DrillMeasure;
  day?: string | undefined;
  week?: string | undefined;
  /** decided: on time or late. requests: answered by the due time, or not. */
  timely?: 'yes' | 'no' | undefined;
  source?: string | undefined;
  level?: string | undefined;
  outcome?: string | undefined;
  worker?: string | undefined;
  team?: string | undefined;
  /** consistency: exactly these categories of concern (comma-separated codes, in any order), or 'none'. */
  concerns?: string | undefined;
  /** consistency: routed to social care or not. */
  socialCare?: 'yes' | 'no' | undefined;
  /** consistency: only decisions whose outcome departs from the continuum (with the worker's reason). */
  departed?: 'yes' | undefined;
  agency?: string | undefined;
  /** requests: only those open after their due time. */
  openOverdue?: 'yes' | undefined;
}

const SOCIAL_CARE = ['social-care', 'strategy-discussion'];

/** The contacts behind a figure, newest first, with their live decision, and how many there are. */
export async function drillDownContacts(
  db: Db,
  scope: Scope,
  filter: DrillFilter,
  now: Date,
  page: { limit: number; offset: number },
) {
  if (!scope.localAuthorityIds.length || filter.measure === 'requests') return { total: 0, rows: [] };
  let q = db
    .selectFrom('contacts as c')
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .leftJoin('contactDecisions as d', (join) =>
      join.onRef('d.contactId', '=', 'c.id').on('d.status', '<>', 'sent-back'),
    )
    .leftJoin('users as u', 'u.id', 'd.decidedBy')
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end);
  const { measure } = filter;
  if (filter.day)
    q = q
      .where('c.receivedAt', '>=', instantAt(filter.day, '00:00'))
      .where('c.receivedAt', '<', instantAt(addCalendarDays(filter.day, 1), '00:00'));
  if (filter.week)
    q = q
      .where('c.receivedAt', '>=', instantAt(filter.week, '00:00'))
      .where('c.receivedAt', '<', instantAt(addCalendarDays(filter.week, 7), '00:00'));
  if (measure === 'decided') {
    q = q.where('d.id', 'is not', null);
    if (filter.timely === 'yes') q = q.whereRef('d.decidedAt', '<=', 'c.decisionDueAt');
    if (filter.timely === 'no') q = q.whereRef('d.decidedAt', '>', 'c.decisionDueAt');
  }
  if (measure === 'overdue') q = q.where('d.id', 'is', null).where('c.decisionDueAt', '<', now);
  if (measure === 'outcome' || measure === 'consistency') {
    q = q.where('d.status', '=', 'authorised');
    if (filter.outcome) q = q.where('d.outcome', '=', filter.outcome);
    if (filter.level) q = q.where('d.levelOfNeed', '=', filter.level);
    if (filter.worker) q = q.where('d.decidedBy', '=', filter.worker);
    if (filter.team)
      q = filter.team === 'none' ? q.where('u.teamId', 'is', null) : q.where('u.teamId', '=', filter.team);
    if (filter.concerns) {
      // The same set of categories: each array contains the other.
      const codes = filter.concerns === 'none' ? [] : filter.concerns.split(',').filter(Boolean);
      const list = codes.length
        ? sql<string[]>`array[${sql.join(codes)}]::text[]`
        : sql<string[]>`'{}'::text[]`;
      q = q.where(sql<boolean>`c.concern_categories @> ${list} and c.concern_categories <@ ${list}`);
    }
    if (filter.socialCare === 'yes') q = q.where('d.outcome', 'in', SOCIAL_CARE);
    if (filter.socialCare === 'no') q = q.where('d.outcome', 'not in', SOCIAL_CARE);
    if (filter.departed === 'yes') q = q.where('d.departureReason', 'is not', null);
  }
  if (filter.source) q = q.where('c.referralSource', '=', filter.source);
  if (measure === 'repeat') {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contactChildren as cc')
          .select('cc.id')
          .whereRef('cc.contactId', '=', 'c.id')
          .where('cc.personId', 'is not', null)
          .where(EARLIER_CONTACT),
      ),
    );
  }
  const total = Number(
    (await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await q
    .select([
      'c.id',
      'c.reference',
      'c.receivedAt',
      'c.referralSource',
      'c.decisionDueAt',
      'c.status',
      'la.name as localAuthorityName',
      'd.decidedAt',
      'd.outcome',
      'd.levelOfNeed',
      'd.status as decisionStatus',
      'u.displayName as decidedByName',
      (eb) =>
        eb
          .selectFrom('contactChildren as cc')
          .select(sql<string>`count(*) filter (where ${EARLIER_CONTACT})`.as('n'))
          .whereRef('cc.contactId', '=', 'c.id')
          .where('cc.personId', 'is not', null)
          .as('repeatChildren'),
      (eb) =>
        eb
          .selectFrom('contactChildren as cc')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('cc.contactId', '=', 'c.id')
          .as('children'),
    ])
    .orderBy('c.receivedAt', 'desc')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      repeatChildren: Number(r.repeatChildren ?? 0),
      children: Number(r.children ?? 0),
    })),
  };
}

/** The information requests behind a figure of the turnaround table. */
export async function drillDownRequests(
  db: Db,
  scope: Scope,
  filter: DrillFilter,
  now: Date,
  page: { limit: number; offset: number },
) {
  if (!scope.localAuthorityIds.length) return { total: 0, rows: [] };
  let q = db
    .selectFrom('informationRequests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .where('r.requestedAt', '>=', scope.period.start)
    .where('r.requestedAt', '<', scope.period.end)
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds]);
  if (filter.agency) q = q.where('r.agencyId', '=', filter.agency);
  if (filter.timely === 'yes')
    q = q.where('r.status', '=', 'answered').whereRef('r.respondedAt', '<=', 'r.dueAt');
  if (filter.timely === 'no')
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('r.status', '=', 'answered'), eb('r.respondedAt', '>', eb.ref('r.dueAt'))]),
        eb.and([eb('r.status', '=', 'open'), eb('r.dueAt', '<', now)]),
      ]),
    );
  if (filter.openOverdue === 'yes') q = q.where('r.status', '=', 'open').where('r.dueAt', '<', now);
  const total = Number(
    (await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await q
    .select([
      'r.id',
      'r.contactId',
      'c.reference',
      'a.name as agencyName',
      'r.requestedAt',
      'r.respondedAt',
      'r.dueAt',
      'r.status',
    ])
    .orderBy('r.requestedAt', 'desc')
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total, rows };
}
