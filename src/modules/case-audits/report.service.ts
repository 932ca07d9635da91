import { sql, type RawBuilder } from 'kysely';
import { visibleTo } from '../../kernel/access/index.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { requirePermission, type Db, type ReadContext } from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { currentTemplate } from '../form-templates/index.ts';
import { GRADES, gradedAreas, recentMonths, TEMPLATE_KEY, type Grade } from './case-audit.ts';

/**
 * The QA report (issue 20) for leaders (case-audit:moderate): the completed audits of the home authority over the
 * last 12 months, each area's grade being the moderator's where they changed it. Every figure is counted in SQL:
 * grades by month, by area and by team (the worker's team), themes (areas most often requires improvement or
 * inadequate), impact evidence recorded, actions overdue and moderation agreement. The drill-down lists the audits
 * behind a figure.
 */

export const REPORT_MONTHS = 12;
export const REPORT_DRILL_PAGE_SIZE = 25;

export interface ReportScope {
  localAuthorityId: string;
  today: string;
  /** The first day of the earliest month counted. */
  from: string;
  months: string[];
  areas: { id: string; title: string }[];
}

export async function reportScope(ctx: ReadContext): Promise<ReportScope> {
  requirePermission(ctx.user, 'case-audit:moderate');
  if (!ctx.user.localAuthorityId) throw new AccessDeniedError('case-audit:moderate');
  const today = isoDateOf(ctx.now);
  const months = recentMonths(today, REPORT_MONTHS).reverse();
  const template = await currentTemplate(ctx.db, TEMPLATE_KEY);
  return {
    localAuthorityId: ctx.user.localAuthorityId,
    today,
    from: `${months[0]}-01`,
    months,
    areas: gradedAreas(template.template),
  };
}

/** The graded areas of the scope's completed audits, one row per audit and area, with the effective grade. */
const gradedRows = (s: ReportScope) => sql`
  select a.id as audit_id, a.child_id,
    to_char(a.completed_at at time zone 'Europe/London', 'YYYY-MM') as month,
    u.team_id, g.area, g.grade as original, coalesce(m.grade, g.grade) as grade, m.agreed
  from case_audits a
  join case_audit_programmes p on p.id = a.programme_id
  join case_audit_grades g on g.audit_id = a.id
  left join case_audit_moderation_grades m on m.audit_id = a.id and m.area = g.area
  left join users u on u.id = a.worker_id
  where p.local_authority_id = ${s.localAuthorityId} and a.status = 'completed'
    and a.completed_at >= ${s.from}::date`;

type Counts = Record<Grade, number>;
const emptyCounts = (): Counts => ({ outstanding: 0, good: 0, 'requires-improvement': 0, inadequate: 0 });

async function gradeCountsBy(db: Db, s: ReportScope, key: 'month' | 'area' | 'team_id') {
  const { rows } = await sql<{ key: string | null; grade: Grade; n: number }>`
    select ${sql.ref(key)} as key, grade, count(*)::int as n from (${gradedRows(s)}) r
    group by 1, 2`.execute(db);
  const map = new Map<string | null, Counts>();
  for (const r of rows) {
    const c = map.get(r.key) ?? emptyCounts();
    c[r.grade] = Number(r.n);
    map.set(r.key, c);
  }
  return map;
}

export interface ReportFigures {
  byMonth: { month: string; counts: Counts; total: number }[];
  byArea: { area: string; title: string; counts: Counts; total: number }[];
  byTeam: { teamId: string | null; teamName: string; counts: Counts; total: number }[];
  themes: { area: string; title: string; weak: number; total: number }[];
  impact: { completed: number; recorded: number; missing: number };
  actions: { level: string; open: number; overdue: number; done: number }[];
  moderation: { completed: number; moderated: number; areas: number; agreed: number; changed: number };
}

const total = (c: Counts) => GRADES.reduce((n, g) => n + c[g], 0);

export async function reportFigures(ctx: ReadContext, s: ReportScope): Promise<ReportFigures> {
  const [byMonth, byArea, byTeam] = [
    await gradeCountsBy(ctx.db, s, 'month'),
    await gradeCountsBy(ctx.db, s, 'area'),
    await gradeCountsBy(ctx.db, s, 'team_id'),
  ];
  const teamIds = [...byTeam.keys()].filter((k): k is string => k !== null);
  const teams = teamIds.length
    ? await ctx.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute()
    : [];
  const { rows: themeRows } = await sql<{ area: string; weak: number; total: number }>`
    select area, count(*) filter (where grade in ('requires-improvement', 'inadequate'))::int as weak,
      count(*)::int as total
    from (${gradedRows(s)}) r group by area`.execute(ctx.db);
  const { rows: impactRows } = await sql<{ completed: number; recorded: number }>`
    select count(*)::int as completed,
      count(*) filter (where ${impactRecorded(sql`a`)})::int as recorded
    from case_audits a join case_audit_programmes p on p.id = a.programme_id
    where p.local_authority_id = ${s.localAuthorityId} and a.status = 'completed'
      and a.completed_at >= ${s.from}::date`.execute(ctx.db);
  const { rows: actionRows } = await sql<{ level: string; open: number; overdue: number; done: number }>`
    select x.level, count(*) filter (where x.status = 'open')::int as open,
      count(*) filter (where x.status = 'open' and x.due_on < ${s.today}::date)::int as overdue,
      count(*) filter (where x.status = 'done')::int as done
    from case_audit_actions x join case_audits a on a.id = x.audit_id
    join case_audit_programmes p on p.id = a.programme_id
    where p.local_authority_id = ${s.localAuthorityId}
    group by x.level`.execute(ctx.db);
  const { rows: modRows } = await sql<{
    completed: number;
    moderated: number;
    areas: number;
    agreed: number;
  }>`
    select count(distinct audit_id)::int as completed,
      count(distinct audit_id) filter (where agreed is not null)::int as moderated,
      count(*) filter (where agreed is not null)::int as areas,
      count(*) filter (where agreed)::int as agreed
    from (${gradedRows(s)}) r`.execute(ctx.db);
  const title = (area: string) => s.areas.find((a) => a.id === area)?.title ?? area;
  const mod = modRows[0]!;
  const imp = impactRows[0]!;
  return {
    byMonth: s.months.map((month) => {
      const counts = byMonth.get(month) ?? emptyCounts();
      return { month, counts, total: total(counts) };
    }),
    byArea: s.areas.map((a) => {
      const counts = byArea.get(a.id) ?? emptyCounts();
      return { area: a.id, title: a.title, counts, total: total(counts) };
    }),
    byTeam: [...byTeam.entries()]
      .map(([teamId, counts]) => ({
        teamId,
        teamName: teams.find((t) => t.id === teamId)?.name ?? 'No team recorded',
        counts,
        total: total(counts),
      }))
      .sort((a, b) => a.teamName.localeCompare(b.teamName)),
    themes: themeRows
      .map((r) => ({ area: r.area, title: title(r.area), weak: Number(r.weak), total: Number(r.total) }))
      .sort((a, b) => b.weak - a.weak || a.title.localeCompare(b.title)),
    impact: {
      completed: Number(imp.completed),
      recorded: Number(imp.recorded),
      missing: Number(imp.completed) - Number(imp.recorded),
    },
    actions: ['worker', 'team', 'service'].map((level) => {
      const r = actionRows.find((x) => x.level === level);
      return {
        level,
        open: Number(r?.open ?? 0),
        overdue: Number(r?.overdue ?? 0),
        done: Number(r?.done ?? 0),
      };
    }),
    moderation: {
      completed: Number(mod.completed),
      moderated: Number(mod.moderated),
      areas: Number(mod.areas),
      agreed: Number(mod.agreed),
      changed: Number(mod.areas) - Number(mod.agreed),
    },
  };
}

/** The impact section's "what has changed for the child" is filled in. */
const impactRecorded = (a: RawBuilder<unknown>) =>
  sql`coalesce(btrim(${a}.answers -> 'impact' ->> 'whatChanged'), '') <> ''`;

export interface DrillFilter {
  area?: string | undefined;
  grade?: Grade | 'weak' | undefined;
  month?: string | undefined;
  team?: string | undefined;
  impact?: 'recorded' | 'missing' | undefined;
  moderation?: 'moderated' | 'changed' | undefined;
  overdue?: boolean | undefined;
  level?: string | undefined;
}

/** The completed audits behind a figure, paged, newest first; a child the user may not see is not named. */
export async function auditsBehindFigure(
  ctx: ReadContext,
  s: ReportScope,
  f: DrillFilter,
  page: { limit: number; offset: number },
) {
  const conditions: RawBuilder<unknown>[] = [];
  if (f.area || f.grade || f.team || f.moderation) {
    const inner: RawBuilder<unknown>[] = [sql`r.audit_id = a.id`];
    if (f.area) inner.push(sql`r.area = ${f.area}`);
    if (f.grade === 'weak') inner.push(sql`r.grade in ('requires-improvement', 'inadequate')`);
    else if (f.grade) inner.push(sql`r.grade = ${f.grade}`);
    if (f.team === 'none') inner.push(sql`r.team_id is null`);
    else if (f.team) inner.push(sql`r.team_id = ${f.team}::uuid`);
    if (f.moderation === 'moderated') inner.push(sql`r.agreed is not null`);
    if (f.moderation === 'changed') inner.push(sql`r.agreed = false`);
    conditions.push(sql`exists (select 1 from (${gradedRows(s)}) r where ${sql.join(inner, sql` and `)})`);
  }
  if (f.month)
    conditions.push(sql`to_char(a.completed_at at time zone 'Europe/London', 'YYYY-MM') = ${f.month}`);
  if (f.impact === 'recorded') conditions.push(impactRecorded(sql`a`));
  if (f.impact === 'missing') conditions.push(sql`not (${impactRecorded(sql`a`)})`);
  const overdue = f.overdue === true;
  if (overdue || f.level) {
    const inner: RawBuilder<unknown>[] = [sql`x.audit_id = a.id`];
    if (overdue) inner.push(sql`x.status = 'open' and x.due_on < ${s.today}::date`);
    if (f.level) inner.push(sql`x.level = ${f.level}`);
    conditions.push(sql`exists (select 1 from case_audit_actions x where ${sql.join(inner, sql` and `)})`);
  }
  const where = sql`pr.local_authority_id = ${s.localAuthorityId} and a.status = 'completed'
    ${overdue ? sql`` : sql`and a.completed_at >= ${s.from}::date`}
    ${conditions.length ? sql`and ${sql.join(conditions, sql` and `)}` : sql``}`;
  const { rows: totals } = await sql<{ n: number }>`
    select count(*)::int as n from case_audits a join case_audit_programmes pr on pr.id = a.programme_id
    where ${where}`.execute(ctx.db);
  const { rows } = await sql<{
    id: string;
    childId: string;
    childName: string;
    programmeTitle: string;
    completedAt: Date;
    workerName: string | null;
    visible: boolean;
  }>`
    select a.id, a.child_id, p.given_name || ' ' || p.family_name as child_name, pr.title as programme_title,
      a.completed_at, w.display_name as worker_name, ${visibleTo(ctx.user, ctx.now, 'p.id')(null)} as visible
    from case_audits a join case_audit_programmes pr on pr.id = a.programme_id
    join people p on p.id = a.child_id
    left join users w on w.id = a.worker_id
    where ${where}
    order by a.completed_at desc, a.id
    limit ${page.limit} offset ${page.offset}`.execute(ctx.db);
  return {
    total: Number(totals[0]?.n ?? 0),
    rows: rows.map(({ visible, childName, ...r }) => ({
      ...r,
      childName: visible ? childName : 'A restricted record',
    })),
  };
}

/** The latest learning summaries of the authority's programmes (at most 10), for the report. */
export function recentLearning(ctx: ReadContext, s: ReportScope) {
  return ctx.db
    .selectFrom('caseAuditProgrammes')
    .select(['id', 'title', 'learningSummary', 'learningUpdatedAt'])
    .where('localAuthorityId', '=', s.localAuthorityId)
    .where('learningSummary', 'is not', null)
    .orderBy('learningUpdatedAt', 'desc')
    .orderBy('id')
    .limit(10)
    .execute();
}
