import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { barChart, columnChart, type Chart } from '../front-door/index.ts';
import {
  collectionYearToDate,
  figureText,
  MEASURE_IDS,
  MEASURES,
  figureOf,
  groupLabel,
  type MeasureFigure,
  type MeasureId,
} from './measures.ts';
import { biggestMoves } from './moved.ts';
import { addMonths, monthDates } from './pathway.ts';
import { targetsForUser } from './targets.service.ts';
import {
  measureChildren,
  measureCountsForScopes,
  workingDayTable,
  workingDayTables,
  type ChildFilter,
  type MeasureScope,
} from './measures.repository.ts';

/**
 * Performance reporting across the pathway (permission reports:view, the same as the front-door performance
 * report): every measure of the measures layer for a period and a team, each with its chart, and the children
 * behind each figure. Services return data; the pages add links.
 */

export interface PerformanceFilter {
  from: string;
  to: string;
  teamId?: string | undefined;
  /** An allocated worker: records of the children allocated to them on the record's date. */
  workerId?: string | undefined;
  /** An early help cluster, for the measures that have one. */
  clusterId?: string | undefined;
}

export interface PerformanceScope {
  scope: MeasureScope;
  teams: { id: string; name: string }[];
  team: { id: string; name: string } | null;
  /** Workers with a child allocated to them (allocated worker) at some time in the period. */
  workers: { id: string; name: string }[];
  worker: { id: string; name: string } | null;
  clusters: { id: string; name: string }[];
  cluster: { id: string; name: string } | null;
  label: string;
}

/** The user's authorities, their teams, and the team chosen (ignored when it is not one of them). */
export async function performanceScope(
  ctx: ReadContext,
  filter: PerformanceFilter,
): Promise<PerformanceScope> {
  requirePermission(ctx.user, 'reports:view');
  const las = [...ctx.user.localAuthorityIds];
  const [authorities, teams] = las.length
    ? [
        await ctx.db
          .selectFrom('localAuthorities')
          .select('name')
          .where('id', 'in', las)
          .orderBy('name')
          .execute(),
        await ctx.db
          .selectFrom('teams')
          .select(['id', 'name'])
          .where('localAuthorityId', 'in', las)
          .orderBy('name')
          .execute(),
      ]
    : [[], []];
  const [workers, clusters] = las.length
    ? [
        await ctx.db
          .selectFrom('users as u')
          .select(['u.id', 'u.displayName as name'])
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('allocations as a')
                .innerJoin('teams as t', 't.id', 'a.teamId')
                .select('a.id')
                .whereRef('a.workerId', '=', 'u.id')
                .where('a.role', '=', 'allocated-worker')
                .where('t.localAuthorityId', 'in', las)
                .where('a.startedOn', '<=', filter.to)
                .where((w) => w.or([w('a.endedOn', 'is', null), w('a.endedOn', '>=', filter.from)])),
            ),
          )
          .orderBy('u.displayName')
          .orderBy('u.id')
          .execute(),
        await ctx.db
          .selectFrom('clusters')
          .select(['id', 'name'])
          .where('localAuthorityId', 'in', las)
          .orderBy('name')
          .execute(),
      ]
    : [[], []];
  const team = teams.find((t) => t.id === filter.teamId) ?? null;
  const worker = workers.find((w) => w.id === filter.workerId) ?? null;
  const cluster = clusters.find((c) => c.id === filter.clusterId) ?? null;
  const place = authorities.map((a) => a.name).join(' and ') || 'No authority';
  return {
    scope: {
      localAuthorityIds: las,
      teamId: team?.id ?? null,
      workerId: worker?.id ?? null,
      clusterId: cluster?.id ?? null,
      from: filter.from,
      to: filter.to,
    },
    teams,
    team,
    workers,
    worker,
    clusters,
    cluster,
    label: [worker?.name, team?.name, cluster ? `${cluster.name} cluster` : null, place]
      .filter((x): x is string => !!x)
      .join(', '),
  };
}

/** The same period a year before (29 February becomes 28 February): the authority's own previous year. */
export function yearBefore(date: string): string {
  const d = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
  return d.endsWith('-02-29') ? `${d.slice(0, 8)}28` : d;
}
export const previousYearScope = (scope: MeasureScope): MeasureScope => ({
  ...scope,
  from: yearBefore(scope.from),
  to: yearBefore(scope.to),
});

/** England and statistical neighbours as reference lines on a rate's chart (none given: none drawn). */
export interface ChartComparison {
  england: number | null;
  neighbours: number | null;
  year: string;
}

const comparisonMarkers = (c: ChartComparison | null | undefined) =>
  c
    ? [
        ...(c.england === null ? [] : [{ value: c.england, label: `England ${c.year}: ${c.england}%` }]),
        ...(c.neighbours === null
          ? []
          : [{ value: c.neighbours, label: `Statistical neighbours ${c.year}: ${c.neighbours}%` }]),
      ]
    : [];

/** The measure's chart: how the records spread over its groups (counts), or each group's rate. */
export function chartOf(figure: MeasureFigure, comparison?: ChartComparison | null): Chart {
  const m = figure.measure;
  const byDays =
    m.id === 'assessment-timeliness' || m.id === 'icpc-timeliness' || m.id === 'cp-plans-two-years';
  const groups = figure.groups.filter((g) => g.total > 0 || m.groups.some((x) => x.key === g.key));
  if (m.kind === 'rate' && byDays)
    return columnChart({
      id: `chart-${m.id}`,
      title: `${m.title}: ${m.groupHeading.toLowerCase()}`,
      description: `${figure.counted} of ${figure.total} (${figure.percent ?? 0}%) ${m.countedLabel?.toLowerCase()}. ${groups.map((g) => `${g.label}: ${g.total}`).join('; ')}.`,
      columns: groups.map((g) => ({
        label: g.label,
        value: g.total,
        axisLabel: g.label.replace(/ working days?| or more/g, ''),
      })),
    });
  if (m.kind === 'rate') {
    const markers = comparisonMarkers(comparison);
    return barChart({
      id: `chart-${m.id}`,
      title: `${m.title} by ${m.groupHeading.toLowerCase()}`,
      description: `${figure.counted} of ${figure.total} (${figure.percent ?? 0}%) overall. ${groups
        .filter((g) => g.total)
        .map((g) => `${g.label}: ${g.counted} of ${g.total}`)
        .join(
          '; ',
        )}.${markers.length ? ` The solid orange ${markers.length === 1 ? 'line marks' : 'lines mark'} ${markers.map((k) => k.label).join(' and ')}.` : ''}`,
      max: 100,
      marker: figure.percent === null ? null : { value: figure.percent, label: `All: ${figure.percent}%` },
      markers,
      bars: groups
        .filter((g) => g.total)
        .map((g) => ({
          label: g.label,
          value: g.percent,
          display: `${g.percent ?? 0}% (${g.counted} of ${g.total})`,
        })),
    });
  }
  const shown = groups.filter((g) => g.total);
  return barChart({
    id: `chart-${m.id}`,
    title: `${m.title} by ${m.groupHeading.toLowerCase()}`,
    description: `${figure.total} in all. ${shown.map((g) => `${g.label}: ${g.total}`).join('; ')}.`,
    bars: shown.map((g) => ({ label: g.label, value: g.total })),
  });
}

/** One measure's figure for a scope. */
export async function measureFigure(
  ctx: ReadContext,
  id: MeasureId,
  scope: MeasureScope,
): Promise<MeasureFigure> {
  return (await measureFigures(ctx, id, [scope]))[0]!;
}

/** One measure's figure for each of several scopes (a period and the year before), in one statement. */
export async function measureFigures(
  ctx: ReadContext,
  id: MeasureId,
  scopes: readonly MeasureScope[],
): Promise<MeasureFigure[]> {
  requirePermission(ctx.user, 'reports:view');
  const counts = await measureCountsForScopes(ctx.db, id, scopes, workingDayTables(ctx.calendar, scopes));
  return counts.map((c) => figureOf(MEASURES[id], c));
}

/** Every measure's figure, in the dashboard's order. */
export async function dashboardFigures(ctx: ReadContext, scope: MeasureScope): Promise<MeasureFigure[]> {
  return (await figuresForScopes(ctx, [scope]))[0]!;
}

/**
 * Every measure's figure for each of several scopes (a period and the same period a year before; a month and the
 * month before): one statement per measure covering every scope, and one walk of the calendar for their
 * working-day tables. `result[i]` is scope i's figures in the dashboard's order.
 */
export async function figuresForScopes(
  ctx: ReadContext,
  scopes: readonly MeasureScope[],
): Promise<MeasureFigure[][]> {
  requirePermission(ctx.user, 'reports:view');
  const tables = workingDayTables(ctx.calendar, scopes);
  const out = scopes.map(() => [] as MeasureFigure[]);
  for (const id of MEASURE_IDS) {
    const counts = await measureCountsForScopes(ctx.db, id, scopes, tables);
    counts.forEach((c, i) => out[i]!.push(figureOf(MEASURES[id], c)));
  }
  return out;
}

/**
 * Every measure for the user's authorities over the collection year to date, in words, for a home page (the
 * performance analyst's and the service manager's).
 */
export async function headlineFigures(
  ctx: ReadContext,
): Promise<{ id: MeasureId; title: string; text: string }[]> {
  const period = collectionYearToDate(isoDateOf(ctx.now));
  const { scope } = await performanceScope(ctx, period);
  return (await dashboardFigures(ctx, scope)).map((f) => ({
    id: f.measure.id,
    title: f.measure.title,
    text: figureText(f),
  }));
}

/**
 * The measures that moved most in the latest full month against the month before, for the user's authorities (the
 * performance analyst's and the service manager's home pages), each with red, amber or green against the target.
 */
export async function measuresThatMoved(ctx: ReadContext, limit = 5) {
  requirePermission(ctx.user, 'reports:view');
  const thisMonth = isoDateOf(ctx.now).slice(0, 7);
  const latest = addMonths(thisMonth, -1);
  const before = addMonths(thisMonth, -2);
  const period = (month: string) => monthDates(month, { from: `${month}-01`, to: `${month}-31` });
  const [{ scope: latestScope }, { scope: beforeScope }] = [
    await performanceScope(ctx, period(latest)),
    await performanceScope(ctx, period(before)),
  ];
  const [now, then] = (await figuresForScopes(ctx, [latestScope, beforeScope])) as [
    MeasureFigure[],
    MeasureFigure[],
  ];
  const moves = biggestMoves(
    now.map((figure, i) => ({ figure, previous: then[i]! })),
    await targetsForUser(ctx),
    limit,
  );
  return { latest: period(latest), before: period(before), moves };
}

/** The children behind a measure's figure (or one group, or its numerator), a page at a time. */
export async function childrenBehind(
  ctx: ReadContext,
  id: MeasureId,
  scope: MeasureScope,
  filter: ChildFilter,
  page: { limit: number; offset: number } | 'all',
) {
  requirePermission(ctx.user, 'reports:view');
  const result = await measureChildren(
    ctx.db,
    id,
    scope,
    workingDayTable(ctx.calendar, scope),
    filter,
    { user: ctx.user, now: ctx.now },
    page,
  );
  const m = MEASURES[id];
  return {
    total: result.total,
    rows: result.rows.map((r) => ({
      ...r,
      groupText: groupLabel(m, r.grp),
      eventText: formatDateGovUk(r.eventOn),
      dueText: r.dueOn ? formatDateGovUk(r.dueOn) : null,
      countedText: m.kind === 'rate' ? (r.counted ? m.countedLabel : m.notCountedLabel) : null,
    })),
  };
}

/**
 * A rate beside what it is compared with, as a chart: this period, the same period a year before, England and the
 * statistical neighbours (those with a figure), England also as a reference line.
 */
export function comparisonChartOf(
  figure: MeasureFigure,
  previous: MeasureFigure,
  comparison: ChartComparison | null,
): Chart | null {
  const m = figure.measure;
  if (m.kind !== 'rate') return null;
  const bars = [
    { label: 'This period', value: figure.percent },
    { label: 'Same period a year before', value: previous.percent },
    ...(comparison?.england !== null && comparison?.england !== undefined
      ? [{ label: `England ${comparison.year}`, value: comparison.england }]
      : []),
    ...(comparison?.neighbours !== null && comparison?.neighbours !== undefined
      ? [{ label: `Statistical neighbours ${comparison.year}`, value: comparison.neighbours }]
      : []),
  ];
  const shown = (v: number | null) => (v === null ? 'No figure' : `${v}%`);
  return barChart({
    id: `compare-${m.id}`,
    title: `${m.title}: compared`,
    description: `${bars.map((b) => `${b.label}: ${shown(b.value)}`).join('; ')}.`,
    max: 100,
    bars: bars.map((b) => ({ label: b.label, value: b.value, display: shown(b.value), highlight: false })),
    markers: comparisonMarkers(comparison ? { ...comparison, neighbours: null } : null),
  });
}

/** A figure as a table (the page's table and the CSV download hold the same numbers). */
export function figureTable(figure: MeasureFigure): { head: string[]; rows: (string | number | null)[][] } {
  const m = figure.measure;
  if (m.kind === 'count')
    return {
      head: [m.groupHeading, 'Number'],
      rows: [...figure.groups.map((g) => [g.label, g.total]), ['All', figure.total]],
    };
  return {
    head: [m.groupHeading, 'Total', m.countedLabel ?? 'Counted', 'Percentage'],
    rows: [
      ...figure.groups.map((g) => [g.label, g.total, g.counted, g.percent]),
      ['All', figure.total, figure.counted, figure.percent],
    ],
  };
}
