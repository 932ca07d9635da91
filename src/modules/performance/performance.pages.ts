import { z } from 'zod';
import { dateToParts, govukDate, EVEN_WITH_FIELD_ERRORS } from '../../kernel/forms/fields.ts';
import { differenceInCalendarDays, formatDateGovUk, isIsoDate, isoDateOf } from '../../kernel/time/index.ts';
import { definePage, FileResponse, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { toCsv } from '../front-door/index.ts';
import { personPaths } from '../people/index.ts';
import {
  collectionYearToDate,
  MEASURE_IDS,
  MEASURE_SECTIONS,
  MEASURES,
  type MeasureFigure,
  type MeasureId,
} from './measures.ts';
import { comparisonText, yearText } from './comparison.ts';
import { comparisonForUser, type ComparisonSet } from './comparison.service.ts';
import {
  chartOf,
  comparisonChartOf,
  previousYearScope,
  childrenBehind,
  figuresForScopes,
  figureTable,
  measureFigure,
  measureFigures,
  performanceScope,
  type PerformanceFilter,
} from './performance.service.ts';
import { ragOf, type Targets } from './targets.ts';
import { TARGETS_PATH } from './targets.pages.ts';
import { COMPARISON_PAGE_PATHS } from './comparison-paths.ts';
import { targetsForUser } from './targets.service.ts';

/**
 * Performance across the pathway (reports:view): the dashboard of every measure for a period and a team, each
 * measure's page (figure, chart, table and the children behind it, audited), CSV downloads, and the definitions.
 */

export const PERFORMANCE_PAGE_PATHS = {
  dashboard: '/performance',
  measure: '/performance/measures/:measureId',
  exportCsv: '/performance/measures/:measureId/export',
  exportXlsx: '/performance/measures/:measureId/export/xlsx',
  definitions: '/performance/definitions',
} as const;

const MAX_DAYS = 731;
const PAGE_SIZE = 25;
/** A query value that is not valid becomes INVALID: ignored, and the page says so (never a 500). */
const INVALID = 'invalid';
const isoDateQuery = z
  .string()
  .refine((v) => isIsoDate(v))
  .optional()
  .catch(INVALID);
const idQuery = z.uuid().optional().catch(INVALID);
const filterQuery = z.object({
  from: isoDateQuery,
  to: isoDateQuery,
  team: idQuery,
  worker: idQuery,
  cluster: idQuery,
});
type FilterQuery = z.output<typeof filterQuery>;
const valid = (v: string | undefined) => (v === INVALID ? undefined : v);
const measureParams = z.object({ measureId: z.enum(MEASURE_IDS) });

/** The collection year to date (1 April to today) unless the URL asks for another period of 2 years or less. */
export function periodOf(query: FilterQuery, today: string): PerformanceFilter {
  const fallback = collectionYearToDate(today);
  const qFrom = valid(query.from);
  const qTo = valid(query.to);
  const from = qFrom ?? fallback.from;
  const to = qTo ?? (qFrom ? today : fallback.to);
  const span = differenceInCalendarDays(from, to);
  const ok = span >= 0 && span < MAX_DAYS;
  return {
    ...(ok ? { from, to } : fallback),
    teamId: valid(query.team),
    workerId: valid(query.worker),
    clusterId: valid(query.cluster),
  };
}

/** What the address asked for that could not be used, in words (the page shows these, then the figures without). */
function ignoredFilters(
  query: FilterQuery,
  period: PerformanceFilter,
  s: { team: unknown; worker: unknown; cluster: unknown },
): string[] {
  const notes: string[] = [];
  const asked = (v: string | undefined) => v !== undefined;
  if (query.from === INVALID || query.to === INVALID)
    notes.push(
      'The start or end date in the address is not a real date: showing the collection year to date',
    );
  else if ((asked(query.from) && period.from !== query.from) || (asked(query.to) && period.to !== query.to))
    notes.push(
      'The period in the address is not a period of 2 years or less: showing the collection year to date',
    );
  if (asked(query.team) && !s.team)
    notes.push('The team in the address is not one of your teams: showing every team');
  if (asked(query.worker) && !s.worker)
    notes.push('The worker in the address has no allocated children in the period: showing every worker');
  if (asked(query.cluster) && !s.cluster)
    notes.push('The cluster in the address is not one of your clusters: showing every cluster');
  return notes;
}

const filterLinkQuery = (f: PerformanceFilter) => ({
  from: f.from,
  to: f.to,
  team: f.teamId,
  worker: f.workerId,
  cluster: f.clusterId,
});
const measureLink = (id: MeasureId, f: PerformanceFilter, extra: Record<string, string | undefined> = {}) =>
  pathTo(PERFORMANCE_PAGE_PATHS.measure, { measureId: id }, { ...filterLinkQuery(f), ...extra });

export async function scopeFor(ctx: PageContext<unknown, FilterQuery>) {
  const filter = periodOf(ctx.query, isoDateOf(ctx.now));
  const s = await performanceScope(ctx, filter);
  const applied = { ...filter, teamId: s.team?.id, workerId: s.worker?.id, clusterId: s.cluster?.id };
  return {
    ...s,
    filter: applied,
    ignored: ignoredFilters(ctx.query, filter, s),
    periodText: `${formatDateGovUk(applied.from)} to ${formatDateGovUk(applied.to)}`,
  };
}

/** What a figure is compared with: the same period a year before, England and statistical neighbours. */
function comparisonView(
  figure: MeasureFigure,
  previous: MeasureFigure | undefined,
  set: ComparisonSet | null,
) {
  const m = figure.measure;
  const cmp = set?.figures[m.id];
  const year = set ? yearText(set.year) : null;
  const rate = m.kind === 'rate';
  const named = rate ? (cmp?.neighbourFigures ?? []) : [];
  const given = named.filter((n) => n.value !== null).length;
  return {
    previousText: !previous ? '–' : rate ? comparisonText(previous.percent) : String(previous.total),
    englandText: rate ? comparisonText(cmp?.england) : 'Not compared',
    neighboursText: rate ? comparisonText(cmp?.neighbours) : 'Not compared',
    /** When the file named the neighbours: how many of them have a figure in the average, and each one. */
    neighboursOf: named.length
      ? `average of ${given} of ${named.length} neighbour${named.length === 1 ? '' : 's'} with a figure`
      : null,
    neighbours: named.map((n) => ({ name: `${n.name} (${n.code})`, text: comparisonText(n.value) })),
    year,
    source: rate ? (cmp?.source ?? (set ? 'No figure in the comparison set' : null)) : null,
    chart: cmp && year ? { england: cmp.england, neighbours: cmp.neighbours, year } : null,
  };
}

/** A figure ready for a view: its chart, its table rows with links to the children behind each number. */
function figureView(
  figure: MeasureFigure,
  f: PerformanceFilter,
  targets: Targets = {},
  extra: { previous?: MeasureFigure; comparison?: ComparisonSet | null } = {},
) {
  const m = figure.measure;
  const link = (extra: Record<string, string | undefined>) => measureLink(m.id, f, extra);
  const compare = comparisonView(figure, extra.previous, extra.comparison ?? null);
  return {
    compare,
    id: m.id,
    title: m.title,
    summary: m.summary,
    kind: m.kind,
    /** The cluster filter is set, and this measure has no cluster: its figure is not narrowed by it. */
    notByCluster: !!f.clusterId && !m.hasCluster,
    groupHeading: m.groupHeading,
    countedLabel: m.countedLabel ?? '',
    total: figure.total,
    counted: figure.counted,
    percent: figure.percent,
    /** Red, amber or green against the authority's target, in words too (null: no target or no figure). */
    rag: ragOf(m, figure.percent, targets[m.id]),
    ragNote: targets[m.id] ? 'No figure in this period to compare' : 'No target',
    href: pathTo(PERFORMANCE_PAGE_PATHS.measure, { measureId: m.id }, filterLinkQuery(f)),
    totalHref: link({}),
    countedHref: link({ counted: 'yes' }),
    csvHref: pathTo(PERFORMANCE_PAGE_PATHS.exportCsv, { measureId: m.id }, filterLinkQuery(f)),
    xlsxHref: pathTo(PERFORMANCE_PAGE_PATHS.exportXlsx, { measureId: m.id }, filterLinkQuery(f)),
    chart: chartOf(figure, compare.chart),
    groups: figure.groups.map((g) => ({
      ...g,
      href: link({ group: g.key }),
      countedHref: link({ group: g.key, counted: 'yes' }),
    })),
  };
}

const AUDIT_REPORT = { action: 'report.viewed', subjectType: 'report' } as const;
const listChoice = (message: string) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, z.uuid({ message }).optional());
const choiceList = (all: string, items: { id: string; name: string }[]) => [
  { value: '', text: all },
  ...items.map((t) => ({ value: t.id, text: t.name })),
];

export const dashboardPage = definePage({
  path: PERFORMANCE_PAGE_PATHS.dashboard,
  view: 'performance/views/dashboard.njk',
  access: 'reports:view',
  title: 'Performance',
  query: filterQuery,
  drafts: false,
  audit: {
    ...AUDIT_REPORT,
    subject: (_ctx, data: { filter: PerformanceFilter }) => ({
      subjectId: 'performance',
      details: {
        from: data.filter.from,
        to: data.filter.to,
        teamId: data.filter.teamId ?? null,
        workerId: data.filter.workerId ?? null,
        clusterId: data.filter.clusterId ?? null,
      },
    }),
  },
  form: ({ today }) =>
    z
      .object({
        from: govukDate({ label: 'Start date', required: true, when: 'past', today: () => today }),
        to: govukDate({ label: 'End date', required: true, when: 'past', today: () => today }),
        team: listChoice('Select a team from the list'),
        worker: listChoice('Select a worker from the list'),
        cluster: listChoice('Select an early help cluster from the list'),
      })
      .superRefine((v, issue) => {
        if (!isIsoDate(v.from) || !isIsoDate(v.to)) return;
        const span = differenceInCalendarDays(v.from, v.to);
        if (span < 0 || span >= MAX_DAYS)
          issue.addIssue({
            code: 'custom',
            path: ['to', 'day'],
            message:
              span < 0
                ? 'The end date must be the same as or after the start date'
                : 'Choose a period of 2 years or less',
          });
      }, EVEN_WITH_FIELD_ERRORS),
  load: async (ctx) => {
    const s = await scopeFor(ctx);
    const targets = await targetsForUser(ctx);
    const comparison = await comparisonForUser(ctx);
    const [current, previous] = (await figuresForScopes(ctx, [s.scope, previousYearScope(s.scope)])) as [
      MeasureFigure[],
      MeasureFigure[],
    ];
    const figures = current.map((fig, i) =>
      figureView(fig, s.filter, targets, { previous: previous[i], comparison }),
    );
    return {
      comparisonYear: comparison ? yearText(comparison.year) : null,
      comparisonHref: COMPARISON_PAGE_PATHS.list,
      filter: s.filter,
      periodText: s.periodText,
      scopeLabel: s.label,
      sections: MEASURE_SECTIONS.map((name) => ({
        name,
        figures: figures.filter((fig) => MEASURES[fig.id].section === name),
      })).filter((x) => x.figures.length),
      ignored: s.ignored,
      teams: choiceList('All teams', s.teams),
      workers: choiceList('All workers', s.workers),
      clusters: choiceList('All clusters', s.clusters),
      clusterName: s.cluster?.name ?? null,
      definitionsHref: PERFORMANCE_PAGE_PATHS.definitions,
      targetsHref: ctx.user.permissions.has('targets:set') ? TARGETS_PATH : null,
      saved: {
        ...dateToParts('from', s.filter.from),
        ...dateToParts('to', s.filter.to),
        team: s.filter.teamId ?? '',
        worker: s.filter.workerId ?? '',
        cluster: s.filter.clusterId ?? '',
      },
    };
  },
  submit: async (_ctx, form) =>
    pathTo(
      PERFORMANCE_PAGE_PATHS.dashboard,
      {},
      { from: form.from, to: form.to, team: form.team, worker: form.worker, cluster: form.cluster },
    ),
});

export const childQuery = filterQuery.extend({
  group: z.string().max(40).optional().catch(undefined),
  counted: z.enum(['yes', 'no']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export const measurePage = definePage({
  path: PERFORMANCE_PAGE_PATHS.measure,
  view: 'performance/views/measure.njk',
  access: 'reports:view',
  title: (d: { measure: { title: string } }) => d.measure.title,
  params: measureParams,
  query: childQuery,
  audit: {
    ...AUDIT_REPORT,
    subject: (
      ctx,
      data: { filter: PerformanceFilter; total: number; named: number; measure: { title: string } },
    ) => ({
      subjectId: `performance-${ctx.params.measureId}`,
      details: {
        from: data.filter.from,
        to: data.filter.to,
        teamId: data.filter.teamId ?? null,
        workerId: data.filter.workerId ?? null,
        clusterId: data.filter.clusterId ?? null,
        group: ctx.query.group ?? null,
        counted: ctx.query.counted ?? null,
        page: ctx.query.page,
        children: data.total,
        named: data.named,
      },
    }),
  },
  load: async (ctx) => {
    const id = ctx.params.measureId;
    const m = MEASURES[id];
    const s = await scopeFor(ctx);
    const [figure, previous] = (await measureFigures(ctx, id, [s.scope, previousYearScope(s.scope)])) as [
      MeasureFigure,
      MeasureFigure,
    ];
    const comparison = await comparisonForUser(ctx);
    const filter = { group: ctx.query.group, counted: m.kind === 'rate' ? ctx.query.counted : undefined };
    const children = await childrenBehind(ctx, id, s.scope, filter, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const canOpen = ctx.user.permissions.has('child:read');
    const conditions = [
      filter.group !== undefined
        ? `${m.groupHeading}: ${figure.groups.find((g) => g.key === filter.group)?.label ?? filter.group}`
        : null,
      filter.counted === 'yes' ? m.countedLabel : filter.counted === 'no' ? m.notCountedLabel : null,
    ].filter((c): c is string => !!c);
    return {
      measure: m,
      figure: figureView(figure, s.filter, await targetsForUser(ctx), { previous, comparison }),
      compareChart: comparisonChartOf(
        figure,
        previous,
        comparison?.figures[id]
          ? {
              england: comparison.figures[id].england,
              neighbours: comparison.figures[id].neighbours,
              year: yearText(comparison.year),
            }
          : null,
      ),
      previousPeriodText: `${formatDateGovUk(previousYearScope(s.scope).from)} to ${formatDateGovUk(previousYearScope(s.scope).to)}`,
      comparisonHref: COMPARISON_PAGE_PATHS.list,
      filter: s.filter,
      periodText: s.periodText,
      scopeLabel: s.label,
      ignored: s.ignored,
      conditions,
      total: children.total,
      named: children.rows.filter((r) => r.name).length,
      withheld: children.rows.filter((r) => !r.name).length,
      children: children.rows.map((r) => ({
        ...r,
        href: canOpen && r.name && r.childId ? personPaths.record(r.childId) : null,
      })),
      allHref: measureLink(id, s.filter),
      childrenCsvHref: pathTo(
        PERFORMANCE_PAGE_PATHS.exportCsv,
        { measureId: id },
        { ...filterLinkQuery(s.filter), list: 'children', group: filter.group, counted: filter.counted },
      ),
      childrenXlsxHref: pathTo(
        PERFORMANCE_PAGE_PATHS.exportXlsx,
        { measureId: id },
        { ...filterLinkQuery(s.filter), list: 'children', group: filter.group, counted: filter.counted },
      ),
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, children.total),
      backHref: pathTo(PERFORMANCE_PAGE_PATHS.dashboard, {}, filterLinkQuery(s.filter)),
      definitionsHref: `${PERFORMANCE_PAGE_PATHS.definitions}#${id}`,
    };
  },
});

export const measureExportPage = definePage({
  path: PERFORMANCE_PAGE_PATHS.exportCsv,
  view: 'performance/views/measure.njk',
  access: 'reports:view',
  title: 'Performance',
  params: measureParams,
  query: childQuery.extend({ list: z.enum(['figure', 'children']).catch('figure').default('figure') }),
  load: async (ctx) => {
    const id = ctx.params.measureId;
    const m = MEASURES[id];
    const s = await scopeFor(ctx);
    let head: string[];
    let rows: (string | number | null)[][];
    if (ctx.query.list === 'children') {
      const filter = { group: ctx.query.group, counted: m.kind === 'rate' ? ctx.query.counted : undefined };
      const children = await childrenBehind(ctx, id, s.scope, filter, 'all');
      head = [
        'Reference',
        'Child',
        'LA child id',
        'Date',
        m.groupHeading,
        ...(m.kind === 'rate' ? ['Counted as'] : []),
        'Days',
        'Due',
      ];
      rows = children.rows.map((r) => [
        r.ref,
        r.name ?? 'Not shown: you cannot see this record',
        r.laChildId,
        r.eventOn,
        r.groupText,
        ...(m.kind === 'rate' ? [r.countedText ?? ''] : []),
        r.days,
        r.dueOn,
      ]);
    } else {
      ({ head, rows } = figureTable(await measureFigure(ctx, id, s.scope)));
    }
    await ctx.audit({
      action: 'report.exported',
      subjectType: 'report',
      subjectId: `performance-${id}`,
      details: {
        list: ctx.query.list,
        from: s.filter.from,
        to: s.filter.to,
        teamId: s.filter.teamId ?? null,
        workerId: s.filter.workerId ?? null,
        clusterId: s.filter.clusterId ?? null,
        rows: rows.length,
        format: 'csv',
      },
    });
    return new FileResponse(
      `performance-${id}-${ctx.query.list}-${s.filter.from}-to-${s.filter.to}.csv`,
      'text/csv; charset=utf-8',
      toCsv(head, rows),
    );
  },
});

export const definitionsPage = definePage({
  path: PERFORMANCE_PAGE_PATHS.definitions,
  view: 'performance/views/definitions.njk',
  access: 'reports:view',
  title: 'Performance measures: definitions',
  load: async () => ({
    sections: MEASURE_SECTIONS.map((name) => ({
      name,
      measures: MEASURE_IDS.map((id) => MEASURES[id]).filter((m) => m.section === name),
    })),
    backHref: PERFORMANCE_PAGE_PATHS.dashboard,
  }),
});

export const performanceModulePages = [dashboardPage, measurePage, measureExportPage, definitionsPage];
