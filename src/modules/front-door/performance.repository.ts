import { sql } from 'kysely';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import type { DecisionRow, Period, RequestRow } from './performance.ts';
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

/** The live decision (recorded, authorised or awaiting authorisation) of each contact received in the period. */
export async function decisionRows(db: Db, scope: Scope): Promise<DecisionRow[]> {
  if (!scope.localAuthorityIds.length) return [];
  const rows = await db
    .selectFrom('contacts as c')
    .innerJoin('contactDecisions as d', (join) =>
      join.onRef('d.contactId', '=', 'c.id').on('d.status', '<>', 'sent-back'),
    )
    .innerJoin('users as u', 'u.id', 'd.decidedBy')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .select([
      'c.id as contactId',
      'c.reference',
      LONDON_DAY.as('receivedOn'),
      'c.decisionDueAt',
      'd.decidedAt',
      'd.status as decisionStatus',
      'd.outcome',
      'd.levelOfNeed',
      'c.referralSource',
      'c.concernCategories',
      'd.decidedBy',
      'u.displayName as decidedByName',
      'u.teamId',
      't.name as teamName',
    ])
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .where('c.receivedAt', '>=', scope.period.start)
    .where('c.receivedAt', '<', scope.period.end)
    .orderBy('c.receivedAt')
    .execute();
  return rows.map((r) => ({ ...r, concernCategories: r.concernCategories ?? [] }));
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

/** Information requests sent in the period about contacts of the authorities in scope. */
export async function requestRows(db: Db, scope: Scope): Promise<RequestRow[]> {
  if (!scope.localAuthorityIds.length) return [];
  return db
    .selectFrom('informationRequests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .select([
      'r.id',
      'r.contactId',
      'c.reference',
      'r.agencyId',
      'a.name as agencyName',
      'r.requestedAt',
      'r.respondedAt',
      'r.dueAt',
      'r.status',
    ])
    .where('r.requestedAt', '>=', scope.period.start)
    .where('r.requestedAt', '<', scope.period.end)
    .where('c.localAuthorityId', 'in', [...scope.localAuthorityIds])
    .orderBy('r.requestedAt')
    .execute();
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
