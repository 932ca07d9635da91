import { sql, type RawBuilder } from 'kysely';
import { NotFoundError } from '../../kernel/errors.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import { isoDateOf, type IsoDate } from '../../kernel/time/index.ts';
import { DEFAULT_CASELOAD_WEIGHTS } from './caseload.ts';
import { heldChildSiblings, heldWorkRank } from './caseload.service.ts';
import {
  addCalendarMonths,
  DEFAULT_SUPERVISION_FREQUENCY,
  type SupervisionFrequency,
} from './supervision.ts';
import { CASE_HOLDING_ROLES } from './supervision.service.ts';
import {
  overdueOnOrBefore,
  renewalDueUpTo,
  type AsyeFigure,
  type CaseloadBand,
  type ContractKey,
  type RegistrationStatus,
  type SupervisionStatus,
} from './workforce-figures.ts';

/**
 * The workforce page's figures (workforce module, issue 19), computed in SQL from one set of facts per worker in
 * the teams the viewer oversees (`workerFacts`): stability (contracts, turnover, vacancies) by team and over the
 * last 12 months, caseload distribution, supervision within timescale, ASYE progress, registrations and training.
 * The rules behind each figure are in workforce-figures.ts. The drill-down lists the workers behind a figure from
 * the same facts, so a figure and its list always agree.
 *
 * Who sees it: 'workforce:view' (service managers and the principal social worker). The teams are those the viewer
 * manages (and every team below them); someone who manages no team (the principal social worker) sees every team
 * of the authorities they work for. The figures name no child.
 */

export interface WorkforceScope {
  teams: { id: string; name: string }[];
  /** The one team asked for (`?team=`), or null for all the viewer's teams. */
  team: { id: string; name: string } | null;
  teamIds: string[];
  today: IsoDate;
}

export async function workforceScope(ctx: ReadContext, teamId?: string): Promise<WorkforceScope> {
  requirePermission(ctx.user, 'workforce:view');
  const managed = ctx.user.managedTeamIds;
  let query = ctx.db.selectFrom('teams').select(['id', 'name']).orderBy('name').limit(1000);
  if (managed.length) query = query.where('id', 'in', managed);
  else if (ctx.user.localAuthorityIds.length)
    query = query.where('localAuthorityId', 'in', ctx.user.localAuthorityIds);
  else query = query.where(sql<boolean>`false`);
  const teams = await query.execute();
  const team = teamId ? (teams.find((t) => t.id === teamId) ?? null) : null;
  if (teamId && !team) throw new NotFoundError('No such team');
  return {
    teams,
    team,
    teamIds: team ? [team.id] : teams.map((t) => t.id),
    today: isoDateOf(ctx.now),
  };
}

const INTERVAL_SQL: Record<SupervisionFrequency, string> = {
  fortnightly: '14 days',
  'four-weekly': '28 days',
  monthly: '1 month',
  'six-weekly': '42 days',
  'two-monthly': '2 months',
};

const ids = (teamIds: readonly string[]) =>
  teamIds.length ? sql.join(teamIds.map((id) => sql`${id}::uuid`)) : sql`null::uuid`;

/** A worker in post on `day` (a SQL date), for a row of `staff` (see workforce-figures.ts). */
const inPostOn = (day: RawBuilder<unknown>) => sql<boolean>`(case when s.has_profile
    then (s.started_on is null or s.started_on <= ${day}) and (s.left_on is null or s.left_on > ${day})
      and (s.left_on is not null or s.status = 'active')
    else s.status = 'active' and s.created_on <= ${day} end)`;

/**
 * One row per staff user (no partner) whose team is in scope, with every fact the figures count: `staff` (the
 * people and their profiles) and `facts` (what each figure asks of them, as of today). A WITH list: follow it with
 * a select from `facts`.
 */
function workerFacts(ctx: ReadContext, scope: WorkforceScope) {
  const today = scope.today;
  const since = addCalendarMonths(today, -12);
  const overdueBy = overdueOnOrBefore(today, ctx.calendar);
  const renewalBy = renewalDueUpTo(today, ctx.calendar);
  const w = DEFAULT_CASELOAD_WEIGHTS;
  const intervals = sql.join(
    Object.entries(INTERVAL_SQL).map(([f, i]) => sql`when ${f} then ${i}::interval`),
    sql` `,
  );
  const reviewOverdue = (months: number, point: string) =>
    sql<number>`(case when s.asye_status in ('in-progress', 'extended') and s.asye_started_on is not null
      and (s.asye_started_on + ${`${months} months`}::interval)::date <= ${overdueBy}::date
      and not exists (select 1 from asye_reviews r where r.user_id = s.id and r.review_point = ${point})
      then 1 else 0 end)`;
  return sql`
    staff as (
      select u.id, u.display_name, u.job_title, u.status, u.team_id, t.name as team_name, t.local_authority_id,
        (u.created_at at time zone 'Europe/London')::date as created_on,
        (p.user_id is not null) as has_profile, coalesce(p.contract_type, 'not-recorded') as contract,
        coalesce(p.fte, 1)::float8 as fte, p.started_on, p.left_on, p.asye_status, p.asye_started_on,
        p.asye_outcome_on, p.swe_renewal_on,
        exists (select 1 from user_roles r where r.user_id = u.id
          and r.role in (${sql.join(CASE_HOLDING_ROLES)})) as case_holder
      from users u
      join teams t on t.id = u.team_id
      left join worker_profiles p on p.user_id = u.id
      where u.team_id in (${ids(scope.teamIds)}) and u.agency_id is null
    ),
    held as (
      select a.worker_id, a.child_id, ${heldWorkRank} as rank, ${heldChildSiblings(today)}::int as siblings
      from allocations a
      join people pp on pp.id = a.child_id
      where a.worker_id in (select id from staff where case_holder)
        and a.ended_on is null and a.started_on <= ${today}
        and pp.kind = 'child' and pp.merged_into_id is null
      group by a.worker_id, a.child_id
    ),
    weights as (
      select la.id as local_authority_id,
        coalesce(cs.weight_child_protection, ${w.childProtection})::float8 as cp,
        coalesce(cs.weight_child_in_need, ${w.childInNeed})::float8 as cin,
        coalesce(cs.weight_assessment, ${w.assessment})::float8 as assessment,
        coalesce(cs.weight_early_help, ${w.earlyHelp})::float8 as early_help,
        coalesce(cs.weight_large_sibling_group, ${w.largeSiblingGroup})::float8 as large_group,
        coalesce(cs.large_sibling_group_size, ${w.largeSiblingGroupSize})::int as large_group_size,
        coalesce(cs.too_high, ${w.tooHigh})::float8 as too_high,
        coalesce(ss.case_supervision_frequency, ${DEFAULT_SUPERVISION_FREQUENCY}) as frequency
      from local_authorities la
      left join caseload_settings cs on cs.local_authority_id = la.id
      left join supervision_settings ss on ss.local_authority_id = la.id
      where la.id in (select local_authority_id from staff)
    ),
    loads as (
      select h.worker_id, count(*)::int as children,
        round(sum(case h.rank when 4 then wt.cp when 3 then wt.cin when 2 then wt.assessment else wt.early_help end
          + case when h.siblings + 1 >= wt.large_group_size then wt.large_group else 0 end)::numeric, 1)::float8
          as weighted
      from held h
      join staff s on s.id = h.worker_id
      join weights wt on wt.local_authority_id = s.local_authority_id
      group by h.worker_id
    ),
    facts as (
      select s.id, s.display_name, s.job_title, s.team_id, s.team_name, s.contract, s.fte,
        ${inPostOn(sql`${today}::date`)} as in_post,
        (s.left_on > ${since}::date and s.left_on <= ${today}::date) as left_in_year,
        s.case_holder and ${inPostOn(sql`${today}::date`)} as holds_cases,
        coalesce(l.children, 0) as children, coalesce(l.weighted, 0)::float8 as weighted, wt.too_high,
        case when not (s.case_holder and ${inPostOn(sql`${today}::date`)}) then null
          when coalesce(l.children, 0) = 0 then 'none'
          when l.weighted > wt.too_high then 'above'
          when l.weighted > wt.too_high * 0.75 then 'up-to-level'
          when l.weighted > wt.too_high * 0.5 then 'half-to-three-quarters'
          else 'up-to-half' end as caseload_band,
        sup.last_held_on,
        case when not (s.case_holder and ${inPostOn(sql`${today}::date`)} and s.status = 'active') then null
          when (coalesce(sup.last_held_on, s.created_on)
            + (case wt.frequency ${intervals} end))::date <= ${overdueBy}::date then 'overdue'
          else 'in-time' end as supervision,
        s.asye_status,
        (s.asye_status = 'passed' and s.asye_outcome_on > ${since}::date) as asye_passed,
        (s.asye_status = 'failed' and s.asye_outcome_on > ${since}::date) as asye_failed,
        ${reviewOverdue(3, '3-month')} + ${reviewOverdue(6, '6-month')} + ${reviewOverdue(12, '12-month')}
          as asye_reviews_overdue,
        s.swe_renewal_on,
        case when not ${inPostOn(sql`${today}::date`)} then null
          when s.swe_renewal_on is null then 'not-recorded'
          when s.swe_renewal_on <= ${today}::date then 'lapsed'
          when s.swe_renewal_on <= ${renewalBy}::date then 'due'
          else 'in-date' end as registration,
        coalesce(tr.records, 0) as training_records, coalesce(tr.hours, 0)::float8 as training_hours
      from staff s
      left join loads l on l.worker_id = s.id
      left join weights wt on wt.local_authority_id = s.local_authority_id
      left join lateral (select max(ss.held_on) as last_held_on from supervision_sessions ss
        where ss.supervisee_id = s.id) sup on true
      left join lateral (select count(*)::int as records, sum(x.hours) as hours from training_records x
        where x.user_id = s.id and x.completed_on > ${since}::date and x.completed_on <= ${today}::date) tr on true
    )`;
}

export interface TeamFigures {
  teamId: string | null;
  teamName: string;
  fundedPosts: number | null;
  inPost: number;
  fteInPost: number;
  contracts: Record<ContractKey, number>;
  leavers: number;
  leaversFte: number;
  vacancies: number | null;
  caseHolders: number;
  bands: Record<CaseloadBand, number>;
  childrenHeld: number;
  supervision: Record<SupervisionStatus, number>;
  asye: Record<AsyeFigure, number>;
  registration: Record<RegistrationStatus, number>;
  withTraining: number;
  trainingRecords: number;
  trainingHours: number;
}

interface TeamRow {
  teamId: string | null;
  teamName: string;
  fundedPosts: string | number | null;
  inPost: number;
  fteInPost: number;
  permanent: number;
  agencyLocum: number;
  fixedTerm: number;
  secondment: number;
  notRecorded: number;
  leavers: number;
  leaversFte: number;
  vacancies: number | null;
  caseHolders: number;
  bandNone: number;
  bandUpToHalf: number;
  bandHalfToThreeQuarters: number;
  bandUpToLevel: number;
  bandAbove: number;
  childrenHeld: number;
  supervisionInTime: number;
  supervisionOverdue: number;
  asyeInProgress: number;
  asyeExtended: number;
  asyeReviewOverdue: number;
  asyePassed: number;
  asyeFailed: number;
  regLapsed: number;
  regDue: number;
  regInDate: number;
  regNotRecorded: number;
  withTraining: number;
  trainingRecords: number;
  trainingHours: number;
}

/** Every figure by team, and for all the teams together (the last row, `teamId` null). */
export async function workforceFiguresByTeam(
  ctx: ReadContext,
  scope: WorkforceScope,
): Promise<TeamFigures[]> {
  const n = (cond: string) => sql.raw(`count(*) filter (where ${cond})::int`);
  const result = await sql<TeamRow>`
    with ${workerFacts(ctx, scope)},
    per_team as (
      select t.id as team_id, t.name as team_name, t.funded_posts::float8 as funded_posts,
        ${n('f.in_post')} as in_post,
        coalesce(sum(f.fte) filter (where f.in_post), 0)::float8 as fte_in_post,
        ${n(`f.in_post and f.contract = 'permanent'`)} as permanent,
        ${n(`f.in_post and f.contract = 'agency-locum'`)} as agency_locum,
        ${n(`f.in_post and f.contract = 'fixed-term'`)} as fixed_term,
        ${n(`f.in_post and f.contract = 'secondment'`)} as secondment,
        ${n(`f.in_post and f.contract = 'not-recorded'`)} as not_recorded,
        ${n('f.left_in_year')} as leavers,
        coalesce(sum(f.fte) filter (where f.left_in_year), 0)::float8 as leavers_fte,
        ${n('f.holds_cases')} as case_holders,
        ${n(`f.caseload_band = 'none'`)} as band_none,
        ${n(`f.caseload_band = 'up-to-half'`)} as band_up_to_half,
        ${n(`f.caseload_band = 'half-to-three-quarters'`)} as band_half_to_three_quarters,
        ${n(`f.caseload_band = 'up-to-level'`)} as band_up_to_level,
        ${n(`f.caseload_band = 'above'`)} as band_above,
        coalesce(sum(f.children) filter (where f.holds_cases), 0)::int as children_held,
        ${n(`f.supervision = 'in-time'`)} as supervision_in_time,
        ${n(`f.supervision = 'overdue'`)} as supervision_overdue,
        ${n(`f.in_post and f.asye_status = 'in-progress'`)} as asye_in_progress,
        ${n(`f.in_post and f.asye_status = 'extended'`)} as asye_extended,
        ${n(`f.in_post and f.asye_reviews_overdue > 0`)} as asye_review_overdue,
        ${n('f.asye_passed')} as asye_passed,
        ${n('f.asye_failed')} as asye_failed,
        ${n(`f.registration = 'lapsed'`)} as reg_lapsed,
        ${n(`f.registration = 'due'`)} as reg_due,
        ${n(`f.registration = 'in-date'`)} as reg_in_date,
        ${n(`f.registration = 'not-recorded'`)} as reg_not_recorded,
        ${n('f.in_post and f.training_records > 0')} as with_training,
        coalesce(sum(f.training_records) filter (where f.in_post), 0)::int as training_records,
        coalesce(sum(f.training_hours) filter (where f.in_post), 0)::float8 as training_hours
      from teams t
      left join facts f on f.team_id = t.id
      where t.id in (${ids(scope.teamIds)})
      group by t.id, t.name, t.funded_posts
    ),
    with_vacancies as (
      select p.*, case when p.funded_posts is null then null
        else greatest(p.funded_posts - p.fte_in_post, 0) end::float8 as vacancies
      from per_team p
    )
    select * from (select 0 as ord, v.* from with_vacancies v) x
    union all
    select 1, null, 'All teams', sum(funded_posts), sum(in_post)::int, sum(fte_in_post), sum(permanent)::int,
      sum(agency_locum)::int, sum(fixed_term)::int, sum(secondment)::int, sum(not_recorded)::int,
      sum(leavers)::int, sum(leavers_fte), sum(case_holders)::int, sum(band_none)::int, sum(band_up_to_half)::int,
      sum(band_half_to_three_quarters)::int, sum(band_up_to_level)::int, sum(band_above)::int,
      sum(children_held)::int, sum(supervision_in_time)::int, sum(supervision_overdue)::int,
      sum(asye_in_progress)::int, sum(asye_extended)::int, sum(asye_review_overdue)::int, sum(asye_passed)::int,
      sum(asye_failed)::int, sum(reg_lapsed)::int, sum(reg_due)::int, sum(reg_in_date)::int,
      sum(reg_not_recorded)::int, sum(with_training)::int, sum(training_records)::int, sum(training_hours),
      sum(vacancies)
    from with_vacancies
    order by 1, 3`.execute(ctx.db);
  return result.rows.map((r) => ({
    teamId: r.teamId,
    teamName: r.teamName,
    fundedPosts: r.fundedPosts === null ? null : Number(r.fundedPosts),
    inPost: r.inPost,
    fteInPost: round1(r.fteInPost),
    contracts: {
      permanent: r.permanent,
      'agency-locum': r.agencyLocum,
      'fixed-term': r.fixedTerm,
      secondment: r.secondment,
      'not-recorded': r.notRecorded,
    },
    leavers: r.leavers,
    leaversFte: round1(r.leaversFte),
    vacancies: r.vacancies === null ? null : round1(r.vacancies),
    caseHolders: r.caseHolders,
    bands: {
      none: r.bandNone,
      'up-to-half': r.bandUpToHalf,
      'half-to-three-quarters': r.bandHalfToThreeQuarters,
      'up-to-level': r.bandUpToLevel,
      above: r.bandAbove,
    },
    childrenHeld: r.childrenHeld,
    supervision: { 'in-time': r.supervisionInTime, overdue: r.supervisionOverdue },
    asye: {
      'in-progress': r.asyeInProgress,
      extended: r.asyeExtended,
      'review-overdue': r.asyeReviewOverdue,
      passed: r.asyePassed,
      failed: r.asyeFailed,
    },
    registration: {
      lapsed: r.regLapsed,
      due: r.regDue,
      'in-date': r.regInDate,
      'not-recorded': r.regNotRecorded,
    },
    withTraining: r.withTraining,
    trainingRecords: r.trainingRecords,
    trainingHours: round1(r.trainingHours),
  }));
}

const round1 = (v: number | string) => Math.round(Number(v) * 10) / 10;

export interface MonthFigures {
  /** The last day of the month, or today for this month. */
  onDate: IsoDate;
  inPost: number;
  fteInPost: number;
  permanent: number;
  agencyLocum: number;
  leavers: number;
  starters: number;
  vacancies: number | null;
}

/** Stability over the 12 months to today, month by month: who was in post at each month's end, and the moves. */
export async function workforceOverTime(ctx: ReadContext, scope: WorkforceScope): Promise<MonthFigures[]> {
  const today = scope.today;
  const result = await sql<MonthFigures & { fundedTeams: number }>`
    with ${workerFacts(ctx, scope)},
    points as (
      select least((date_trunc('month', ${today}::date::timestamp) - make_interval(months => 11 - n)
          + interval '1 month - 1 day')::date, ${today}::date) as on_date,
        (date_trunc('month', ${today}::date::timestamp) - make_interval(months => 11 - n))::date as month_start
      from generate_series(0, 11) n
    ),
    -- The funded posts in force at each month's end (team_funded_posts, the history an administrator's changes
    -- write); a team with no history yet keeps its current figure.
    team_points as (
      select pt.on_date, pt.month_start, t.id,
        (case when exists (select 1 from team_funded_posts h where h.team_id = t.id)
          then (select h.funded_posts from team_funded_posts h where h.team_id = t.id and h.from_date <= pt.on_date
            order by h.from_date desc limit 1)
          else t.funded_posts end)::float8 as funded_posts
      from points pt
      cross join teams t
      where t.id in (${ids(scope.teamIds)})
    ),
    per_team as (
      select p.on_date, p.id, p.funded_posts,
        count(s.id) filter (where ${inPostOn(sql`p.on_date`)})::int as in_post,
        coalesce(sum(s.fte) filter (where ${inPostOn(sql`p.on_date`)}), 0)::float8 as fte_in_post,
        count(s.id) filter (where ${inPostOn(sql`p.on_date`)} and s.contract = 'permanent')::int as permanent,
        count(s.id) filter (where ${inPostOn(sql`p.on_date`)} and s.contract = 'agency-locum')::int
          as agency_locum,
        count(s.id) filter (where s.left_on >= p.month_start and s.left_on <= p.on_date)::int as leavers,
        count(s.id) filter (where s.started_on >= p.month_start and s.started_on <= p.on_date)::int as starters
      from team_points p
      left join staff s on s.team_id = p.id
      group by p.on_date, p.id, p.funded_posts
    )
    select on_date, sum(in_post)::int as in_post, sum(fte_in_post)::float8 as fte_in_post,
      sum(permanent)::int as permanent, sum(agency_locum)::int as agency_locum, sum(leavers)::int as leavers,
      sum(starters)::int as starters,
      sum(greatest(funded_posts - fte_in_post, 0)) filter (where funded_posts is not null)::float8 as vacancies
    from per_team
    group by on_date
    order by on_date`.execute(ctx.db);
  return result.rows.map((r) => ({
    onDate: r.onDate,
    inPost: r.inPost,
    fteInPost: round1(r.fteInPost),
    permanent: r.permanent,
    agencyLocum: r.agencyLocum,
    leavers: r.leavers,
    starters: r.starters,
    vacancies: r.vacancies === null ? null : round1(r.vacancies),
  }));
}

// Drill-down -------------------------------------------------------------------------------------------------------

export const DRILL_FIGURES = [
  'in-post',
  'contract',
  'leavers',
  'caseload',
  'supervision',
  'asye',
  'registration',
  'training',
] as const;
export type DrillFigure = (typeof DRILL_FIGURES)[number];

export interface DrillFilter {
  figure: DrillFigure;
  /** The figure's category: a contract, a caseload band, a supervision, ASYE or registration status, or for
   * training 'some' or 'none'. */
  value?: string | undefined;
}

function drillCondition(filter: DrillFilter) {
  const v = filter.value ?? '';
  switch (filter.figure) {
    case 'in-post':
      return sql<boolean>`f.in_post`;
    case 'contract':
      return sql<boolean>`f.in_post and f.contract = ${v}`;
    case 'leavers':
      return sql<boolean>`f.left_in_year`;
    case 'caseload':
      return v ? sql<boolean>`f.caseload_band = ${v}` : sql<boolean>`f.holds_cases`;
    case 'supervision':
      return v ? sql<boolean>`f.supervision = ${v}` : sql<boolean>`f.supervision is not null`;
    case 'asye':
      if (v === 'review-overdue') return sql<boolean>`f.in_post and f.asye_reviews_overdue > 0`;
      if (v === 'passed') return sql<boolean>`f.asye_passed`;
      if (v === 'failed') return sql<boolean>`f.asye_failed`;
      return sql<boolean>`f.in_post and f.asye_status = ${v}`;
    case 'registration':
      return v ? sql<boolean>`f.registration = ${v}` : sql<boolean>`f.registration is not null`;
    case 'training':
      return v === 'none'
        ? sql<boolean>`f.in_post and f.training_records = 0`
        : sql<boolean>`f.in_post and f.training_records > 0`;
  }
}

export interface DrillWorker {
  id: string;
  displayName: string;
  jobTitle: string | null;
  teamName: string;
  contract: ContractKey;
  fte: number;
  children: number;
  weighted: number;
  lastHeldOn: IsoDate | null;
  asyeStatus: string | null;
  asyeReviewsOverdue: number;
  sweRenewalOn: IsoDate | null;
  trainingRecords: number;
  trainingHours: number;
}

export const DRILL_PAGE_SIZE = 25;

/** The workers behind a figure, by name, paged; with the count. */
export async function workersBehindFigure(
  ctx: ReadContext,
  scope: WorkforceScope,
  filter: DrillFilter,
  page: { limit: number; offset: number } | 'all',
): Promise<{ total: number; rows: DrillWorker[] }> {
  const limit = page === 'all' ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
  const result = await sql<DrillWorker & { total: number }>`
    with ${workerFacts(ctx, scope)}
    select f.id, f.display_name, f.job_title, f.team_name, f.contract, f.fte, f.children, f.weighted,
      f.last_held_on, f.asye_status, f.asye_reviews_overdue::int as asye_reviews_overdue, f.swe_renewal_on,
      f.training_records, f.training_hours, count(*) over ()::int as total
    from facts f
    where ${drillCondition(filter)}
    order by f.display_name, f.id
    ${limit}`.execute(ctx.db);
  const total = result.rows[0]?.total ?? 0;
  return {
    total,
    rows: result.rows.map(({ total: _t, ...r }) => ({
      ...r,
      fte: round1(r.fte),
      weighted: round1(r.weighted),
      trainingHours: round1(r.trainingHours),
    })),
  };
}

/** Read by the home page: the figures of all the viewer's teams together (the "All teams" row). */
export async function workforceHeadline(ctx: ReadContext): Promise<TeamFigures> {
  const scope = await workforceScope(ctx);
  const rows = await workforceFiguresByTeam(ctx, scope);
  return rows.find((r) => r.teamId === null)!;
}
