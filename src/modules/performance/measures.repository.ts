import { sql, type RawBuilder } from 'kysely';
import { visibleTo, type CurrentUser } from '../../kernel/access/index.ts';
import type { Db } from '../../kernel/service/index.ts';
import { addCalendarDays, differenceInCalendarDays } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import type { MeasureId } from './measures.ts';

/**
 * The measures layer's SQL (docs/adr/0008-measures-layer.md). `measureRows` is, for each measure, the one query
 * that returns the records it counts, one row each:
 *
 *   child_id, subject_id (the record counted), ref (its reference), event_on (the date that places it in the
 *   period), grp (its group in the breakdown), counted (in a rate's numerator), days (working or calendar days,
 *   where the measure has them), due_on (when it was due, where it has one)
 *
 * The figure (`measureCounts`) and the children behind it (`measureChildren`) both select from that query, so the
 * two can never disagree. Read-only over the social care, early help and front-door tables; everything is counted
 * in PostgreSQL.
 */

export interface MeasureScope {
  localAuthorityIds: readonly string[];
  /** Only records of this team (the episode's team), or every team. */
  teamId: string | null;
  /**
   * Only records of children allocated to this worker (allocated worker) on the record's date, or every worker.
   * For caseloads, only this worker's children.
   */
  workerId?: string | null;
  /** Only records of this early help cluster, for a measure that has one (MeasureDefinition.hasCluster). */
  clusterId?: string | null;
  from: string;
  to: string;
}

/** How far before the period a working-day count may start (an assessment open longer is counted from here). */
const WORKING_DAY_HISTORY = 1200;

/**
 * Working days in PostgreSQL without a calendar there: `before[k + 1]` is the number of working days from the
 * table's origin up to the day before origin + k. Working days from a to b, both counted, are then
 * before[idx(b) + 2] − before[idx(a) + 1], with the same rules as calendar.workingDaysBetween.
 */
export interface WorkingDayTable {
  origin: string;
  before: number[];
}

export function workingDayTable(
  calendar: WorkingDayCalendar,
  scope: MeasureScope,
  history = WORKING_DAY_HISTORY,
): WorkingDayTable {
  const origin = addCalendarDays(scope.from, -history);
  const n = differenceInCalendarDays(origin, scope.to) + 1;
  const before = [0];
  let day = origin;
  for (let i = 0; i < n; i++) {
    before.push(before[i]! + (calendar.isWorkingDay(day) ? 1 : 0));
    day = addCalendarDays(day, 1);
  }
  return { origin, before };
}

/**
 * The working-day tables of several scopes (a period and the same period a year before, say) from one walk of the
 * calendar over the days they span together: each is exactly the table workingDayTable gives for its scope.
 */
export function workingDayTables(
  calendar: WorkingDayCalendar,
  scopes: readonly MeasureScope[],
  history = WORKING_DAY_HISTORY,
): WorkingDayTable[] {
  if (!scopes.length) return [];
  const origins = scopes.map((s) => addCalendarDays(s.from, -history));
  const first = origins.reduce((a, b) => (b < a ? b : a));
  const last = scopes.map((s) => s.to).reduce((a, b) => (b > a ? b : a));
  const whole = workingDayTable(
    calendar,
    { ...scopes[0]!, from: addCalendarDays(first, history), to: last },
    history,
  );
  return scopes.map((scope, i) => {
    const offset = differenceInCalendarDays(first, origins[i]!);
    const n = differenceInCalendarDays(origins[i]!, scope.to) + 1;
    const base = whole.before[offset]!;
    return { origin: origins[i]!, before: whole.before.slice(offset, offset + n + 1).map((v) => v - base) };
  });
}

export function workingDays(table: WorkingDayTable, a: RawBuilder<unknown>, b: RawBuilder<unknown>) {
  const last = table.before.length - 1;
  const idx = (d: RawBuilder<unknown>) =>
    sql`least(greatest(${d}::date - ${table.origin}::date, 0), ${last - 1})`;
  return sql<number>`((${table.before}::int[])[${idx(b)} + 2] - (${table.before}::int[])[${idx(a)} + 1])`;
}

const ref = (s: string) => sql.ref(s);
export const inPeriod = (column: string, scope: MeasureScope) =>
  sql`${ref(column)} between ${scope.from}::date and ${scope.to}::date`;
export const laIn = (column: string, scope: MeasureScope) =>
  sql`${ref(column)} = any(${[...scope.localAuthorityIds]}::uuid[])`;
export const teamIs = (column: string, scope: MeasureScope) =>
  scope.teamId ? sql`${ref(column)} = ${scope.teamId}::uuid` : sql`true`;
export const londonDate = (column: string) => sql`(${ref(column)} at time zone 'Europe/London')::date`;

const clusterIs = (column: string, scope: MeasureScope) =>
  scope.clusterId ? sql`${ref(column)} = ${scope.clusterId}::uuid` : sql`true`;

/**
 * The records one measure counts (see the file's header for the columns), for the scope's worker when it has one:
 * a record counts for a worker when its child was allocated to them (allocated worker) on the record's date.
 */
export function measureRows(id: MeasureId, scope: MeasureScope, table: WorkingDayTable): RawBuilder<unknown> {
  const rows = baseRows(id, scope, table);
  if (!scope.workerId || id === 'caseloads') return rows;
  return sql`select w.* from (${rows}) w
    where exists (select 1 from allocations a where a.child_id = w.child_id and a.worker_id = ${scope.workerId}::uuid
      and a.role = 'allocated-worker' and a.started_on <= w.event_on
      and (a.ended_on is null or a.ended_on >= w.event_on))`;
}

/**
 * A statutory visit under a plan of `kind` in force on the visit date, at which the child was seen: working days
 * (both counted) from the previous seen visit under that plan, or the plan's start, against the authority's interval.
 */
function visitRows(kind: 'cp' | 'cin', scope: MeasureScope, table: WorkingDayTable) {
  const plans = kind === 'cp' ? sql`cp_plans` : sql`cin_plans`;
  const interval =
    kind === 'cp'
      ? sql`coalesce(s.cp_visit_interval_working_days, 10)`
      : sql`coalesce(s.cin_visit_interval_working_days, 20)`;
  return sql`select x.child_id, x.subject_id, x.ref, x.event_on, x.grp, x.days <= x.interval as counted,
      x.days, null::date as due_on
    from (select v.child_id, v.id as subject_id, e.reference as ref, v.visited_on as event_on,
            case when prev.visited_on is null then 'first' else 'later' end as grp, ${interval} as interval,
            ${workingDays(table, sql`coalesce(prev.visited_on, p.start_date)`, sql`v.visited_on`)} as days
          from statutory_visits v
          join cin_episodes e on e.id = v.episode_id
          join lateral (select q.start_date from ${plans} q where q.episode_id = v.episode_id
                          and q.start_date <= v.visited_on and (q.end_date is null or q.end_date >= v.visited_on)
                        order by q.start_date desc limit 1) p on true
          left join social_care_settings s on s.local_authority_id = e.local_authority_id
          left join lateral (select max(o.visited_on) as visited_on from statutory_visits o
                             where o.episode_id = v.episode_id and o.child_seen and o.plan_kind = ${kind}
                               and o.visited_on < v.visited_on and o.visited_on >= p.start_date) prev on true
          where v.plan_kind = ${kind} and v.child_seen and ${laIn('e.local_authority_id', scope)}
            and ${teamIs('e.team_id', scope)} and ${inPeriod('v.visited_on', scope)}) x`;
}

function baseRows(id: MeasureId, scope: MeasureScope, table: WorkingDayTable): RawBuilder<unknown> {
  switch (id) {
    case 'referrals':
    case 're-referrals':
      return sql`select e.child_id, e.id as subject_id, e.reference as ref, e.referral_date as event_on,
          e.referral_source as grp,
          exists (select 1 from cin_episodes prior where prior.child_id = e.child_id and prior.id <> e.id
                  and prior.referral_date < e.referral_date
                  and prior.referral_date >= (e.referral_date - interval '12 months')::date) as counted,
          null::int as days, null::date as due_on
        from cin_episodes e
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and ${inPeriod('e.referral_date', scope)}`;
    case 'assessment-timeliness': {
      const days = workingDays(table, sql`a.start_date`, sql`a.authorised_on`);
      return sql`select x.*, x.days <= 45 as counted,
          case when x.days <= 10 then '01-10' when x.days <= 20 then '11-20' when x.days <= 30 then '21-30'
               when x.days <= 45 then '31-45' when x.days <= 60 then '46-60' else '61+' end as grp
        from (select a.child_id, a.id as subject_id, e.reference as ref, a.authorised_on as event_on,
                ${days} as days, null::date as due_on
              from cin_assessments a join cin_episodes e on e.id = a.episode_id
              where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
                and a.authorised_on is not null and ${inPeriod('a.authorised_on', scope)}) x`;
    }
    case 'icpc-timeliness': {
      const days = workingDays(table, sql`s.start_date`, sql`c.held_on`);
      return sql`select x.*, x.days <= 15 as counted,
          case when x.days <= 10 then '01-10' when x.days <= 15 then '11-15' when x.days <= 20 then '16-20'
               else '21+' end as grp
        from (select c.child_id, c.id as subject_id, e.reference as ref, c.held_on as event_on,
                ${days} as days, null::date as due_on
              from cp_conferences c
              join section47_enquiries s on s.id = c.section47_id
              join cin_episodes e on e.id = c.episode_id
              where c.kind = 'initial' and ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
                and ${inPeriod('c.held_on', scope)}) x`;
    }
    case 'cp-plans-by-category':
      return sql`select p.child_id, p.id as subject_id, e.reference as ref, p.start_date as event_on,
          p.initial_category as grp, true as counted, null::int as days, null::date as due_on
        from cp_plans p join cin_episodes e on e.id = p.episode_id
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and p.start_date <= ${scope.to}::date and (p.end_date is null or p.end_date > ${scope.to}::date)`;
    case 'cp-plans-two-years':
      return sql`select p.child_id, p.id as subject_id, e.reference as ref, p.end_date as event_on,
          case when p.end_date >= (p.start_date + interval '2 years')::date then '4-2y+'
               when p.end_date >= (p.start_date + interval '1 year')::date then '3-1-2y'
               when p.end_date >= (p.start_date + interval '3 months')::date then '2-3-12m'
               else '1-under-3m' end as grp,
          p.end_date >= (p.start_date + interval '2 years')::date as counted,
          (p.end_date - p.start_date) as days, null::date as due_on
        from cp_plans p join cin_episodes e on e.id = p.episode_id
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and p.end_date is not null and ${inPeriod('p.end_date', scope)}`;
    case 'cp-plans-second':
      return sql`select p.child_id, p.id as subject_id, e.reference as ref, p.start_date as event_on,
          p.initial_category as grp, p.previous_plans > 0 as counted, null::int as days, null::date as due_on
        from cp_plans p join cin_episodes e on e.id = p.episode_id
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and ${inPeriod('p.start_date', scope)}`;
    case 'cp-reviews-on-time':
      return sql`select x.child_id, x.subject_id, x.ref, x.event_on, x.grp, x.event_on <= x.due_on as counted,
          (x.event_on - x.due_on) as days, x.due_on
        from (select c.child_id, c.id as subject_id, e.reference as ref, c.held_on as event_on,
                case when prev.held_on is null then 'first' else 'later' end as grp,
                case when prev.held_on is null then (icpc.held_on + interval '3 months')::date
                     else (prev.held_on + interval '6 months')::date end as due_on
              from cp_conferences c
              join cp_plans p on p.id = c.cp_plan_id
              join cp_conferences icpc on icpc.id = p.initial_conference_id
              join cin_episodes e on e.id = c.episode_id
              left join lateral (select max(r.held_on) as held_on from cp_conferences r
                                 where r.cp_plan_id = c.cp_plan_id and r.kind = 'review'
                                   and r.held_on < c.held_on) prev on true
              where c.kind = 'review' and ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
                and ${inPeriod('c.held_on', scope)}) x`;
    case 'cin-reviews-on-time':
      return sql`select x.child_id, x.subject_id, x.ref, x.event_on, x.grp, x.event_on <= x.due_on as counted,
          (x.event_on - x.due_on) as days, x.due_on
        from (select r.child_id, r.id as subject_id, e.reference as ref, r.held_on as event_on,
                case when prev.held_on is null then 'first' else 'later' end as grp,
                coalesce(prev.held_on, p.start_date) + p.review_interval_weeks * 7 as due_on
              from cin_plan_reviews r
              join cin_plans p on p.id = r.cin_plan_id
              join cin_episodes e on e.id = p.episode_id
              left join lateral (select max(q.held_on) as held_on from cin_plan_reviews q
                                 where q.cin_plan_id = r.cin_plan_id and q.held_on < r.held_on) prev on true
              where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
                and ${inPeriod('r.held_on', scope)}) x`;
    case 'cp-visits-on-time':
      return visitRows('cp', scope, table);
    case 'cin-visits-on-time':
      return visitRows('cin', scope, table);
    case 'seen-alone':
      return sql`select v.child_id, v.id as subject_id, e.reference as ref, v.visited_on as event_on,
          v.plan_kind as grp, coalesce(v.seen_alone, false) as counted, null::int as days, null::date as due_on
        from statutory_visits v join cin_episodes e on e.id = v.episode_id
        where v.child_seen and ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and ${inPeriod('v.visited_on', scope)}`;
    case 'caseloads':
      return sql`select x.child_id, x.subject_id, x.ref, x.event_on,
          case when x.n <= 10 then '01-10' when x.n <= 15 then '11-15' when x.n <= 20 then '16-20'
               when x.n <= 25 then '21-25' else '26+' end as grp,
          true as counted, x.n as days, null::date as due_on
        from (select c.child_id, c.subject_id, c.ref, c.event_on, count(*) over (partition by c.worker_id)::int as n
              from (select distinct on (a.worker_id, a.child_id) a.worker_id, a.child_id, a.id as subject_id,
                      u.display_name as ref, a.started_on as event_on
                    from allocations a
                    join teams t on t.id = a.team_id
                    join users u on u.id = a.worker_id
                    where a.role = 'allocated-worker' and a.started_on <= ${scope.to}::date
                      and (a.ended_on is null or a.ended_on > ${scope.to}::date)
                      and ${laIn('t.local_authority_id', scope)} and ${teamIs('a.team_id', scope)}
                      and ${clusterIs('t.cluster_id', scope)}
                    order by a.worker_id, a.child_id, a.started_on) c) x
        where ${scope.workerId ? sql`x.subject_id in (select id from allocations where worker_id = ${scope.workerId}::uuid)` : sql`true`}`;
    case 'closures':
      return sql`select e.child_id, e.id as subject_id, e.reference as ref, e.closure_date as event_on,
          coalesce(e.closure_reason, 'none') as grp, true as counted, null::int as days, null::date as due_on
        from cin_episodes e
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and e.closure_date is not null and ${inPeriod('e.closure_date', scope)}`;
    case 'step-ups':
      return sql`select ch.child_id, su.id as subject_id, h.reference as ref, ${londonDate('su.stepped_up_at')} as event_on,
          coalesce((select d.outcome from contact_decisions d where d.contact_id = su.contact_id
                    and d.status = 'authorised' order by d.decided_at desc limit 1), 'awaiting') as grp,
          true as counted, null::int as days, null::date as due_on
        from early_help_step_ups su
        join early_help_episodes h on h.id = su.episode_id
        join early_help_episode_children ch on ch.episode_id = h.id
        where ${laIn('h.local_authority_id', scope)} and ${teamIs('h.team_id', scope)}
          and ${clusterIs('h.cluster_id', scope)}
          and ${londonDate('su.stepped_up_at')} between ${scope.from}::date and ${scope.to}::date`;
    case 'step-downs':
      return sql`select e.child_id, sd.id as subject_id, e.reference as ref, ${londonDate('sd.recorded_at')} as event_on,
          coalesce(sd.response, 'awaiting') as grp, true as counted, null::int as days, null::date as due_on
        from early_help_step_downs sd
        join cin_episodes e on e.id = sd.cin_episode_id
        where ${laIn('e.local_authority_id', scope)} and ${teamIs('e.team_id', scope)}
          and ${londonDate('sd.recorded_at')} between ${scope.from}::date and ${scope.to}::date`;
  }
}

/** The figure's counts per group, from the measure's rows. */
export async function measureCounts(
  db: Db,
  id: MeasureId,
  scope: MeasureScope,
  table: WorkingDayTable,
): Promise<{ grp: string; total: number; counted: number }[]> {
  if (!scope.localAuthorityIds.length) return [];
  const { rows } = await sql<{ grp: string; total: number; counted: number }>`
    select m.grp, count(*)::int as total, count(*) filter (where m.counted)::int as counted
    from (${measureRows(id, scope, table)}) m group by m.grp`.execute(db);
  return rows.map((r) => ({ grp: r.grp, total: Number(r.total), counted: Number(r.counted) }));
}

/**
 * A measure's counts per group for several scopes (this period and the same period a year before) in one statement:
 * the same set-based query once for each scope, joined by `union all`, so a comparison costs one more pass of the
 * SQL and no work per record in Node. `tables[i]` is scope i's working-day table.
 */
export async function measureCountsForScopes(
  db: Db,
  id: MeasureId,
  scopes: readonly MeasureScope[],
  tables: readonly WorkingDayTable[],
): Promise<{ grp: string; total: number; counted: number }[][]> {
  const out = scopes.map(() => [] as { grp: string; total: number; counted: number }[]);
  const wanted = scopes.map((scope, i) => ({ scope, i })).filter((x) => x.scope.localAuthorityIds.length);
  if (!wanted.length) return out;
  const parts = wanted.map(
    ({ scope, i }) => sql`select ${i}::int as s, m.grp, count(*)::int as total,
        count(*) filter (where m.counted)::int as counted
      from (${measureRows(id, scope, tables[i]!)}) m group by m.grp`,
  );
  const { rows } = await sql<{ s: number; grp: string; total: number; counted: number }>`${sql.join(
    parts,
    sql` union all `,
  )}`.execute(db);
  for (const r of rows)
    out[Number(r.s)]!.push({ grp: r.grp, total: Number(r.total), counted: Number(r.counted) });
  return out;
}

export interface ChildFilter {
  group?: string | undefined;
  /** Only the numerator ('yes') or the rest ('no'). */
  counted?: 'yes' | 'no' | undefined;
}

export interface MeasureChildRow {
  /** Null when no child is identified yet (a contact's children not yet matched to records). */
  childId: string | null;
  subjectId: string;
  ref: string;
  eventOn: string;
  grp: string;
  counted: boolean;
  days: number | null;
  dueOn: string | null;
  /** Null when the viewer may not see the child's record: counted, but not named. */
  name: string | null;
  laChildId: string | null;
}

/**
 * The children behind a figure (or one group of it), a page at a time, most recent first. Each row names the child
 * only when the viewer may read their record (visibleTo: the same rules as the record page); every row is listed
 * and counted either way.
 */
export async function measureChildren(
  db: Db,
  id: MeasureId,
  scope: MeasureScope,
  table: WorkingDayTable,
  filter: ChildFilter,
  viewer: { user: CurrentUser; now: Date },
  page: { limit: number; offset: number } | 'all',
): Promise<{ total: number; rows: MeasureChildRow[] }> {
  if (!scope.localAuthorityIds.length) return { total: 0, rows: [] };
  return childrenOfRows(db, measureRows(id, scope, table), filter, viewer, page);
}

/**
 * The children behind any query with the measures' columns (a measure's or a pathway stage's rows). A row whose
 * child is not yet identified (a contact with no linked child) is listed, and not named.
 */
export async function childrenOfRows(
  db: Db,
  rowsSql: RawBuilder<unknown>,
  filter: ChildFilter,
  viewer: { user: CurrentUser; now: Date },
  page: { limit: number; offset: number } | 'all',
): Promise<{ total: number; rows: MeasureChildRow[] }> {
  const where = sql`${filter.group === undefined ? sql`true` : sql`m.grp = ${filter.group}`}
    and ${filter.counted === undefined ? sql`true` : sql`m.counted = ${filter.counted === 'yes'}`}`;
  const { rows: countRows } = await sql<{ n: number }>`
    select count(*)::int as n from (${rowsSql}) m where ${where}`.execute(db);
  const visible = visibleTo(viewer.user, viewer.now, 'p.id')(null);
  const limit = page === 'all' ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
  const { rows } = await sql<{
    childId: string | null;
    subjectId: string;
    ref: string;
    eventOn: string;
    grp: string;
    counted: boolean;
    days: number | null;
    dueOn: string | null;
    visible: boolean | null;
    givenName: string;
    familyName: string;
    laChildId: string | null;
  }>`
    select m.child_id, m.subject_id, m.ref, m.event_on, m.grp, m.counted, m.days, m.due_on,
      p.given_name, p.family_name, p.la_child_id, (${visible}) as visible
    from (${rowsSql}) m left join people p on p.id = m.child_id
    where ${where}
    order by m.event_on desc, m.ref, m.subject_id, m.child_id ${limit}`.execute(db);
  return {
    total: Number(countRows[0]?.n ?? 0),
    rows: rows.map((r) => ({
      childId: r.childId,
      subjectId: r.subjectId,
      ref: r.ref,
      eventOn: r.eventOn,
      grp: r.grp,
      counted: r.counted,
      days: r.days === null ? null : Number(r.days),
      dueOn: r.dueOn,
      name: r.visible ? `${r.givenName} ${r.familyName}` : null,
      laChildId: r.visible ? r.laChildId : null,
    })),
  };
}
