import { z } from 'zod';
import { formatDateGovUk, formatMonthGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { definePage, FileResponse, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { barChart, toCsv } from '../front-door/index.ts';
import { personPaths } from '../people/index.ts';
import {
  addMonths,
  DECISION_OUTCOMES,
  monthDates,
  monthsBetween,
  PATHWAY_STAGE_IDS,
  PATHWAY_STAGES,
  PLAN_TYPES,
  type PathwayStageId,
  type StageFigures,
} from './pathway.ts';
import { pathwayChildren, pathwayFigures } from './pathway.service.ts';
import { performanceScope } from './performance.service.ts';

/**
 * The pathway as one picture (reports:view): every stage month by month for a period of whole months (the last 12
 * by default) and a team, with the conversion between stages and the median working days each takes; each figure
 * links to the records behind it (the same query), audited; the table as CSV.
 */

export const PATHWAY_PAGE_PATHS = {
  pathway: '/performance/pathway',
  exportCsv: '/performance/pathway/export',
  exportXlsx: '/performance/pathway/export/xlsx',
  stage: '/performance/pathway/stages/:stageId',
} as const;

const MAX_MONTHS = 24;
const PAGE_SIZE = 25;
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .optional()
  .catch(undefined);
export const pathwayQuery = z.object({ from: month, to: month, team: z.uuid().optional().catch(undefined) });
type PathwayQuery = z.output<typeof pathwayQuery>;

const monthName = formatMonthGovUk;

/** The months asked for (whole months, up to this one, at most 24), or the last 12 months. */
export function pathwayMonths(q: PathwayQuery, today: string): { from: string; to: string } {
  const current = today.slice(0, 7);
  const to = q.to && q.to <= current ? q.to : current;
  const from = q.from && q.from <= to && q.from > addMonths(to, -MAX_MONTHS) ? q.from : addMonths(to, -11);
  return { from, to };
}

export async function pathwayScope(ctx: PageContext<unknown, PathwayQuery>) {
  const today = isoDateOf(ctx.now);
  const months = pathwayMonths(ctx.query, today);
  const lastDay = monthDates(months.to, { from: `${months.from}-01`, to: today }).to;
  const s = await performanceScope(ctx, { from: `${months.from}-01`, to: lastDay, teamId: ctx.query.team });
  return { ...s, months, today, query: { from: months.from, to: months.to, team: s.team?.id } };
}

const stageLink = (
  id: PathwayStageId,
  dates: { from: string; to: string },
  team: string | undefined,
  extra: Record<string, string | undefined> = {},
) => pathTo(PATHWAY_PAGE_PATHS.stage, { stageId: id }, { from: dates.from, to: dates.to, team, ...extra });

type Cell = { text: string; href: string | null; hidden: string };

export function pathwayView(
  stages: StageFigures[],
  period: { from: string; to: string },
  team: string | undefined,
) {
  const by = Object.fromEntries(stages.map((s) => [s.stage.id, s])) as Record<PathwayStageId, StageFigures>;
  const months = by.contacts.months.map((m) => m.month);
  const cell = (
    id: PathwayStageId,
    m: string | null,
    n: number,
    extra: Record<string, string | undefined> = {},
    hidden = '',
  ): Cell => ({
    text: String(n),
    href: n ? stageLink(id, m ? monthDates(m, period) : period, team, extra) : null,
    hidden: `${PATHWAY_STAGES[id].title}${hidden}, ${m ? monthName(m) : 'all months'}`,
  });
  const row = (m: string | null) => {
    const fig = (id: PathwayStageId) => (m ? by[id].months.find((x) => x.month === m)! : by[id].all);
    const conversion = (id: PathwayStageId) => {
      const f = fig(id);
      return {
        percent: f.percent,
        counted: cell(
          id,
          m,
          f.counted,
          { counted: 'yes' },
          `: ${PATHWAY_STAGES[id].conversion?.countedLabel}`,
        ),
        total: f.total,
      };
    };
    return {
      label: m ? monthName(m) : 'All months',
      stages: PATHWAY_STAGE_IDS.map((id) => cell(id, m, fig(id).total)),
      conversions: (['contacts', 'referrals', 'assessments'] as const).map(conversion),
      decisions: DECISION_OUTCOMES.map((o) =>
        cell('decisions', m, fig('decisions').groups[o.key] ?? 0, { group: o.key }, `: ${o.label}`),
      ),
      plans: PLAN_TYPES.map((p) =>
        cell('plans', m, fig('plans').groups[p.key] ?? 0, { group: p.key }, `: ${p.label}`),
      ),
      medians: TIMED.map((id) => fig(id).median),
    };
  };
  return { rows: [...months.map(row), row(null)], months };
}

export const TIMED: PathwayStageId[] = [
  'decisions',
  'early-help',
  'referrals',
  'assessments',
  'plans',
  'closures',
];
export const CONVERSION_TITLES = (['contacts', 'referrals', 'assessments'] as const).map(
  (id) => PATHWAY_STAGES[id].conversion!.title,
);

const AUDIT_REPORT = { action: 'report.viewed', subjectType: 'report' } as const;

export const pathwayPage = definePage({
  path: PATHWAY_PAGE_PATHS.pathway,
  view: 'performance/views/pathway.njk',
  access: 'reports:view',
  title: 'The pathway month by month',
  query: pathwayQuery,
  audit: {
    ...AUDIT_REPORT,
    subject: (_ctx, data: { query: { from: string; to: string; team?: string | undefined } }) => ({
      subjectId: 'performance-pathway',
      details: { from: data.query.from, to: data.query.to, teamId: data.query.team ?? null },
    }),
  },
  load: async (ctx) => {
    const s = await pathwayScope(ctx);
    const stages = await pathwayFigures(ctx, s.scope);
    const view = pathwayView(stages, s.scope, s.query.team);
    const choices = monthsBetween(addMonths(s.today.slice(0, 7), -35), s.today.slice(0, 7))
      .reverse()
      .map((m) => ({ value: m, text: monthName(m) }));
    const totals = stages.map((st) => ({ label: st.stage.title, value: st.all.total }));
    return {
      query: s.query,
      scopeLabel: s.label,
      periodText: `${formatDateGovUk(s.scope.from)} to ${formatDateGovUk(s.scope.to)}`,
      stageTitles: PATHWAY_STAGE_IDS.map((id) => PATHWAY_STAGES[id].title),
      conversionTitles: CONVERSION_TITLES,
      decisionTitles: DECISION_OUTCOMES.map((o) => o.label),
      planTitles: PLAN_TYPES.map((p) => p.label),
      timeTitles: TIMED.map((id) => PATHWAY_STAGES[id].time!.title),
      stages: PATHWAY_STAGE_IDS.map((id) => PATHWAY_STAGES[id]),
      pathwayRows: view.rows,
      chart: barChart({
        id: 'chart-pathway',
        title: 'The pathway: how many at each stage',
        description: `${s.scope.from} to ${s.scope.to}. ${totals.map((x) => `${x.label}: ${x.value}`).join('; ')}.`,
        bars: totals,
      }),
      fromChoices: choices,
      toChoices: choices,
      teams: [{ value: '', text: 'All teams' }, ...s.teams.map((t) => ({ value: t.id, text: t.name }))],
      csvHref: pathTo(PATHWAY_PAGE_PATHS.exportCsv, {}, s.query),
      xlsxHref: pathTo(PATHWAY_PAGE_PATHS.exportXlsx, {}, s.query),
      backHref: pathTo('/performance', {}, {}),
    };
  },
});

export const pathwayExportPage = definePage({
  path: PATHWAY_PAGE_PATHS.exportCsv,
  view: 'performance/views/pathway.njk',
  access: 'reports:view',
  title: 'The pathway month by month',
  query: pathwayQuery,
  load: async (ctx) => {
    const s = await pathwayScope(ctx);
    const view = pathwayView(await pathwayFigures(ctx, s.scope), s.scope, s.query.team);
    const head = [
      'Month',
      ...PATHWAY_STAGE_IDS.map((id) => PATHWAY_STAGES[id].title),
      ...CONVERSION_TITLES.flatMap((t) => [`${t}: number`, `${t}: percentage`]),
      ...DECISION_OUTCOMES.map((o) => `Decisions: ${o.label}`),
      ...PLAN_TYPES.map((p) => `Plans started: ${p.label}`),
      ...TIMED.map((id) => `${PATHWAY_STAGES[id].time!.title}: median working days`),
    ];
    const rows = view.rows.map((r) => [
      r.label,
      ...r.stages.map((c) => Number(c.text)),
      ...r.conversions.flatMap((c) => [Number(c.counted.text), c.percent]),
      ...r.decisions.map((c) => Number(c.text)),
      ...r.plans.map((c) => Number(c.text)),
      ...r.medians,
    ]);
    await ctx.audit({
      action: 'report.exported',
      subjectType: 'report',
      subjectId: 'performance-pathway',
      details: {
        from: s.query.from,
        to: s.query.to,
        teamId: s.query.team ?? null,
        rows: rows.length,
        format: 'csv',
      },
    });
    return new FileResponse(
      `performance-pathway-${s.query.from}-to-${s.query.to}.csv`,
      'text/csv; charset=utf-8',
      toCsv(head, rows),
    );
  },
});

const stageQuery = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  team: z.uuid().optional().catch(undefined),
  group: z.string().max(40).optional().catch(undefined),
  counted: z.enum(['yes', 'no']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export const pathwayStagePage = definePage({
  path: PATHWAY_PAGE_PATHS.stage,
  view: 'performance/views/pathway-stage.njk',
  access: 'reports:view',
  title: (d: { stage: { title: string } }) => `Pathway: ${d.stage.title}`,
  params: z.object({ stageId: z.enum(PATHWAY_STAGE_IDS) }),
  query: stageQuery,
  audit: {
    ...AUDIT_REPORT,
    subject: (
      ctx,
      data: { period: { from: string; to: string }; total: number; named: number; stage: { title: string } },
    ) => ({
      subjectId: `performance-pathway-${ctx.params.stageId}`,
      details: {
        from: data.period.from,
        to: data.period.to,
        teamId: ctx.query.team ?? null,
        group: ctx.query.group ?? null,
        counted: ctx.query.counted ?? null,
        page: ctx.query.page,
        children: data.total,
        named: data.named,
      },
    }),
  },
  load: async (ctx) => {
    const id = ctx.params.stageId;
    const stage = PATHWAY_STAGES[id];
    const today = isoDateOf(ctx.now);
    const fallback = pathwayMonths({}, today);
    const from = ctx.query.from ?? `${fallback.from}-01`;
    const to = ctx.query.to && ctx.query.to >= from ? ctx.query.to : today;
    const s = await performanceScope(ctx, { from, to, teamId: ctx.query.team });
    const filter = { group: ctx.query.group, counted: stage.conversion ? ctx.query.counted : undefined };
    const children = await pathwayChildren(ctx, id, s.scope, filter, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const canOpen = ctx.user.permissions.has('child:read');
    const conditions = [
      filter.group !== undefined
        ? `${stage.groupHeading}: ${stage.groups.find((g) => g.key === filter.group)?.label ?? filter.group}`
        : null,
      filter.counted === 'yes'
        ? stage.conversion?.countedLabel
        : filter.counted === 'no'
          ? stage.conversion?.notCountedLabel
          : null,
    ].filter((c): c is string => !!c);
    return {
      stage,
      period: { from: s.scope.from, to: s.scope.to },
      periodText: `${formatDateGovUk(s.scope.from)} to ${formatDateGovUk(s.scope.to)}`,
      scopeLabel: s.label,
      conditions,
      total: children.total,
      named: children.rows.filter((r) => r.name).length,
      withheld: children.rows.filter((r) => !r.name).length,
      children: children.rows.map((r) => ({
        ...r,
        href: canOpen && r.name && r.childId ? personPaths.record(r.childId) : null,
      })),
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, children.total),
      backHref: PATHWAY_PAGE_PATHS.pathway,
    };
  },
});

export const pathwayPages = [pathwayPage, pathwayExportPage, pathwayStagePage];
