import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { barChart, columnChart, stackedChart, toCsv, type Chart } from '../front-door/index.ts';
import {
  DRILL_FIGURES,
  DRILL_PAGE_SIZE,
  workersBehindFigure,
  workforceFiguresByTeam,
  workforceOverTime,
  workforceScope,
  type DrillFilter,
  type MonthFigures,
  type TeamFigures,
  type WorkforceScope,
} from './workforce-figures.service.ts';
import {
  ASYE_FIGURE_LABELS,
  ASYE_FIGURES,
  CASELOAD_BAND_LABELS,
  CASELOAD_BANDS,
  CONTRACT_COLOURS,
  CONTRACT_KEY_LABELS,
  CONTRACT_KEYS,
  percent,
  REGISTRATION_LABELS,
  REGISTRATION_STATUSES,
} from './workforce-figures.ts';
import { ASYE_STATUS_LABELS, type AsyeStatus } from './worker-profile.ts';
import {
  tableForCsv,
  WORKFORCE_TABLES,
  workforceTables,
  type FigureLink,
  type WorkforceTableId,
} from './workforce-tables.ts';

/**
 * The workforce page (permission workforce:view: service managers and the principal social worker): stability,
 * caseload distribution, supervision within timescale, ASYE progress, registrations and training for the teams the
 * viewer oversees (or one of them), each figure as an SVG chart with its table beside it; every count opens the
 * workers behind it (the list is audited with the workers it showed) and every table downloads as CSV (audited as
 * an export). The figures are computed in SQL (workforce-figures.service.ts).
 */

export const WORKFORCE_PATHS = {
  workforce: '/workforce',
  workers: '/workforce/figures/workers',
  download: '/workforce/figures/download',
};

const teamQuery = z.uuid().optional().catch(undefined);

/** Links from a count to the workers behind it, keeping the team asked for. */
const drillLink =
  (scope: WorkforceScope): FigureLink =>
  (filter, teamId) =>
    pathTo(
      WORKFORCE_PATHS.workers,
      {},
      { figure: filter.figure, value: filter.value, team: teamId ?? scope.team?.id },
    );

async function figuresFor(ctx: Parameters<typeof workforceScope>[0], teamId: string | undefined) {
  const scope = await workforceScope(ctx, teamId);
  const [byTeam, months] = [await workforceFiguresByTeam(ctx, scope), await workforceOverTime(ctx, scope)];
  return { scope, byTeam, months, tables: workforceTables(byTeam, months, drillLink(scope)) };
}

function charts(byTeam: readonly TeamFigures[], months: readonly MonthFigures[]): Record<string, Chart> {
  const teams = byTeam.filter((t) => t.teamId !== null);
  const all = byTeam.find((t) => t.teamId === null)!;
  const month = (m: MonthFigures) => formatDateGovUk(m.onDate).replace(/^\d+ /, '');
  return {
    stability: stackedChart({
      id: 'stability',
      title: 'Workers in post by contract, by team',
      description: `Of ${all.inPost} workers in post, ${all.contracts.permanent} are permanent and ${all.contracts['agency-locum']} agency or locum.`,
      series: CONTRACT_KEYS.map((k) => ({
        key: k,
        label: CONTRACT_KEY_LABELS[k],
        colour: CONTRACT_COLOURS[k],
      })),
      rows: teams.map((t) => ({ label: t.teamName, values: t.contracts, totalText: String(t.inPost) })),
    }),
    overTime: columnChart({
      id: 'over-time',
      title: 'Agency share of workers in post, at the end of each month',
      description: `The percentage of workers in post on agency or locum contracts, from ${formatDateGovUk(months[0]!.onDate)} to ${formatDateGovUk(months[months.length - 1]!.onDate)}.`,
      columns: months.map((m) => ({
        label: formatDateGovUk(m.onDate),
        value: percent(m.agencyLocum, m.inPost) ?? 0,
        axisLabel: month(m).slice(0, 3),
      })),
    }),
    caseloads: barChart({
      id: 'caseloads',
      title: 'Case holders by weighted caseload',
      description: `How many of the ${all.caseHolders} case holders fall in each band of the authority's "too high" level.`,
      bars: CASELOAD_BANDS.map((b) => ({
        label: CASELOAD_BAND_LABELS[b],
        value: all.bands[b],
        highlight: b === 'above',
      })),
    }),
    supervision: barChart({
      id: 'supervision',
      title: 'Case supervision within timescale, by team',
      description: `${all.supervision['in-time']} of ${all.supervision['in-time'] + all.supervision.overdue} case holders have had case supervision within the authority's timescale.`,
      max: 100,
      bars: teams.map((t) => {
        const p = percent(t.supervision['in-time'], t.supervision['in-time'] + t.supervision.overdue);
        return { label: t.teamName, value: p, display: p === null ? 'No case holders' : `${p}%` };
      }),
    }),
    asye: barChart({
      id: 'asye',
      title: 'ASYE progress',
      description: `${all.asye['in-progress'] + all.asye.extended} workers are in their assessed year; ${all.asye['review-overdue']} have a review overdue.`,
      bars: ASYE_FIGURES.map((f) => ({
        label: ASYE_FIGURE_LABELS[f],
        value: all.asye[f],
        highlight: f === 'review-overdue',
      })),
    }),
    registrations: barChart({
      id: 'registrations',
      title: 'Social Work England registrations',
      description: `${all.registration.lapsed} lapsed or due today and ${all.registration.due} due soon, of ${all.inPost} workers in post.`,
      bars: REGISTRATION_STATUSES.map((s) => ({
        label: REGISTRATION_LABELS[s],
        value: all.registration[s],
        highlight: s === 'lapsed',
      })),
    }),
    training: barChart({
      id: 'training',
      title: 'Workers in post with training recorded in the last 12 months, by team',
      description: `${all.withTraining} of ${all.inPost} workers in post have training or development recorded in the last 12 months.`,
      max: 100,
      bars: teams.map((t) => {
        const p = percent(t.withTraining, t.inPost);
        return { label: t.teamName, value: p, display: p === null ? 'Nobody in post' : `${p}%` };
      }),
    }),
  };
}

export const workforcePage = definePage({
  path: WORKFORCE_PATHS.workforce,
  view: 'workforce/views/workforce.njk',
  access: 'workforce:view',
  title: 'Workforce',
  query: z.object({ team: teamQuery }),
  drafts: false,
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (ctx) => ({ subjectId: 'workforce', details: { team: ctx.query.team ?? null } }),
  },
  load: async (ctx) => {
    const { scope, byTeam, months, tables } = await figuresFor(ctx, ctx.query.team);
    const csv = Object.fromEntries(
      WORKFORCE_TABLES.map((t) => [
        t,
        pathTo(WORKFORCE_PATHS.download, {}, { table: t, team: scope.team?.id }),
      ]),
    ) as Record<WorkforceTableId, string>;
    return {
      scope,
      tables,
      charts: charts(byTeam, months),
      csv,
      teamItems: [
        { value: '', text: 'All your teams' },
        ...scope.teams.map((t) => ({ value: t.id, text: t.name, selected: t.id === scope.team?.id })),
      ],
      all: byTeam.find((t) => t.teamId === null)!,
      todayText: formatDateGovUk(scope.today),
    };
  },
});

const FIGURE_HEADINGS: Record<DrillFilter['figure'], string> = {
  'in-post': 'Workers in post',
  contract: 'Workers in post on a contract',
  leavers: 'Leavers in the last 12 months',
  caseload: 'Case holders',
  supervision: 'Case holders by case supervision',
  asye: 'Workers in the ASYE',
  registration: 'Social Work England registrations',
  training: 'Training in the last 12 months',
};

function conditionText(filter: DrillFilter): string | null {
  const v = filter.value;
  if (!v) return null;
  switch (filter.figure) {
    case 'contract':
      return CONTRACT_KEY_LABELS[v as keyof typeof CONTRACT_KEY_LABELS] ?? null;
    case 'caseload':
      return CASELOAD_BAND_LABELS[v as keyof typeof CASELOAD_BAND_LABELS] ?? null;
    case 'supervision':
      return v === 'overdue' ? 'Case supervision overdue' : 'Case supervision within timescale';
    case 'asye':
      return ASYE_FIGURE_LABELS[v as keyof typeof ASYE_FIGURE_LABELS] ?? null;
    case 'registration':
      return REGISTRATION_LABELS[v as keyof typeof REGISTRATION_LABELS] ?? null;
    case 'training':
      return v === 'none' ? 'No training recorded' : 'Training recorded';
    default:
      return null;
  }
}

const drillQuery = z.object({
  figure: z.enum(DRILL_FIGURES).catch('in-post'),
  value: z
    .string()
    .max(40)
    .regex(/^[a-z-]+$/)
    .optional()
    .catch(undefined),
  team: teamQuery,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export const workforceWorkersPage = definePage({
  path: WORKFORCE_PATHS.workers,
  view: 'workforce/views/workforce-workers.njk',
  access: 'workforce:view',
  title: (d: { heading: string; workers: { id: string }[] }) => d.heading,
  query: drillQuery,
  // The workers a figure lists are recorded with the view: who looked at whom.
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (ctx, data: { heading: string; workers: { id: string }[] }) => ({
      subjectId: 'workforce-workers',
      details: {
        figure: ctx.query.figure,
        value: ctx.query.value ?? null,
        team: ctx.query.team ?? null,
        workers: data.workers.map((w) => w.id),
      },
    }),
  },
  load: async (ctx) => {
    const q = ctx.query;
    const scope = await workforceScope(ctx, q.team);
    const filter: DrillFilter = { figure: q.figure, value: q.value };
    const { total, rows } = await workersBehindFigure(ctx, scope, filter, {
      limit: DRILL_PAGE_SIZE,
      offset: (q.page - 1) * DRILL_PAGE_SIZE,
    });
    const linksProfiles =
      ctx.user.permissions.has('supervision:record') && ctx.user.managedTeamIds.length > 0;
    return {
      heading: FIGURE_HEADINGS[q.figure],
      condition: conditionText(filter),
      figure: q.figure,
      teamName: scope.team?.name ?? null,
      total,
      backHref: pathTo(WORKFORCE_PATHS.workforce, {}, { team: scope.team?.id }),
      pagination: pagination(ctx.request.url, q.page, DRILL_PAGE_SIZE, total),
      workers: rows.map((w) => ({
        ...w,
        href: linksProfiles ? `/workforce/workers/${w.id}` : null,
        contractText: CONTRACT_KEY_LABELS[w.contract] ?? w.contract,
        lastHeldText: w.lastHeldOn ? formatDateGovUk(w.lastHeldOn) : 'None recorded',
        renewalText: w.sweRenewalOn ? formatDateGovUk(w.sweRenewalOn) : 'Not recorded',
        asyeText: w.asyeStatus ? ASYE_STATUS_LABELS[w.asyeStatus as AsyeStatus] : 'Not recorded',
      })),
    };
  },
});

export const workforceDownloadPage = definePage({
  path: WORKFORCE_PATHS.download,
  view: 'workforce/views/workforce.njk',
  access: 'workforce:view',
  title: 'Workforce',
  query: z.object({ table: z.enum(WORKFORCE_TABLES).catch('stability'), team: teamQuery }),
  load: async (ctx) => {
    const { scope, tables } = await figuresFor(ctx, ctx.query.team);
    const table = tableForCsv(tables[ctx.query.table]);
    await ctx.audit({
      action: 'report.exported',
      subjectType: 'report',
      subjectId: 'workforce',
      details: {
        table: ctx.query.table,
        team: scope.team?.id ?? null,
        rows: table.rows.length,
        format: 'csv',
      },
    });
    return new FileResponse(
      `workforce-${ctx.query.table}-${scope.today}.csv`,
      'text/csv; charset=utf-8',
      toCsv(table.head, table.rows),
    );
  },
});

export const workforceFigurePages = [workforcePage, workforceWorkersPage, workforceDownloadPage];
