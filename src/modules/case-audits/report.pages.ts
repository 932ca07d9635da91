import { z } from 'zod';
import type { ReadContext } from '../../kernel/service/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { barChart, columnChart, stackedChart, toCsv, type Chart } from '../front-door/index.ts';
import { GRADE_LABELS, GRADES, monthName, type Grade } from './case-audit.ts';
import { reportPdf } from './report.pdf.ts';
import {
  auditsBehindFigure,
  recentLearning,
  REPORT_DRILL_PAGE_SIZE,
  reportFigures,
  reportScope,
  type DrillFilter,
  type ReportFigures,
  type ReportScope,
} from './report.service.ts';
import { SERVICE_LABELS, labelOf } from './feedback.ts';
import { FEEDBACK_PATHS } from './feedback.pages.ts';
import { feedbackResults } from './feedback.service.ts';
import {
  feedbackTable,
  plainRows,
  REPORT_TABLES,
  reportTables,
  type DrillLink,
  type FeedbackRow,
  type ReportTable,
} from './report.ts';

/**
 * The QA report (issue 20) for leaders (case-audit:moderate): each figure an SVG chart with its table beside it, each
 * count opening the audits behind it (the list is audited with the audits it showed), and the whole report as CSV
 * or PDF (audited as an export).
 */

export const REPORT_PATHS = {
  report: '/case-audits/report',
  audits: '/case-audits/report/audits',
  download: '/case-audits/report/download',
};

const GRADE_COLOURS: Record<Grade, string> = {
  outstanding: '#00703c',
  good: '#1d70b8',
  'requires-improvement': '#f47738',
  inadequate: '#d4351c',
};
const series = GRADES.map((g) => ({ key: g, label: GRADE_LABELS[g], colour: GRADE_COLOURS[g] }));

const drillLink: DrillLink = (f) =>
  pathTo(
    REPORT_PATHS.audits,
    {},
    {
      area: f.area,
      grade: f.grade,
      month: f.month,
      team: f.team,
      impact: f.impact,
      moderation: f.moderation,
      overdue: f.overdue ? 'yes' : undefined,
      level: f.level,
    },
  );

function charts(f: ReportFigures): Record<string, Chart> {
  const goodOrBetter = (c: Record<Grade, number>) => c.outstanding + c.good;
  const all = f.byArea.reduce((n, a) => n + a.total, 0);
  const good = f.byArea.reduce((n, a) => n + goodOrBetter(a.counts), 0);
  return {
    byMonth: columnChart({
      id: 'by-month',
      title: 'Grades good or better, by month the audit was completed',
      description: `The percentage of graded areas judged good or outstanding each month; ${good} of ${all} in the last 12 months.`,
      columns: f.byMonth.map((m) => ({
        label: monthName(`${m.month}-01`),
        value: m.total ? Math.round((100 * goodOrBetter(m.counts)) / m.total) : 0,
        axisLabel: monthName(`${m.month}-01`).slice(0, 3),
      })),
    }),
    byArea: stackedChart({
      id: 'by-area',
      title: 'Grades by area of practice',
      description: 'The mix of grades given in each area of practice (after moderation).',
      series,
      rows: f.byArea.map((a) => ({ label: a.title, values: a.counts, totalText: String(a.total) })),
    }),
    byTeam: stackedChart({
      id: 'by-team',
      title: 'Grades by the worker’s team',
      description: 'The mix of grades given for the work of each team (after moderation).',
      series,
      rows: f.byTeam.map((t) => ({ label: t.teamName, values: t.counts, totalText: String(t.total) })),
    }),
    themes: barChart({
      id: 'themes',
      title: 'Areas graded requires improvement or inadequate',
      description: `How often each area was graded requires improvement or inadequate; the most often is ${f.themes[0]?.weak ? f.themes[0].title.toLowerCase() : 'none'}.`,
      bars: f.themes.map((t, i) => ({ label: t.title, value: t.weak, highlight: i === 0 && t.weak > 0 })),
    }),
    impact: barChart({
      id: 'impact',
      title: 'Completed audits with the impact for the child recorded',
      description: `${f.impact.recorded} of ${f.impact.completed} completed audits record what has changed for the child.`,
      bars: [
        { label: 'Impact recorded', value: f.impact.recorded },
        { label: 'Not recorded', value: f.impact.missing, highlight: f.impact.missing > 0 },
      ],
    }),
    actions: barChart({
      id: 'actions',
      title: 'Actions from audits overdue',
      description: `${f.actions.reduce((n, a) => n + a.overdue, 0)} open actions are past their due date.`,
      bars: f.actions.map((a) => ({
        label:
          a.level === 'worker' ? 'For the worker' : a.level === 'team' ? 'For the team' : 'For the service',
        value: a.overdue,
        highlight: a.overdue > 0,
      })),
    }),
    moderation: barChart({
      id: 'moderation',
      title: 'Moderation agreement',
      description: `The moderator agreed with ${f.moderation.agreed} of ${f.moderation.areas} grades they checked.`,
      max: 100,
      bars: [
        {
          label: 'Grades agreed',
          value: f.moderation.areas ? Math.round((100 * f.moderation.agreed) / f.moderation.areas) : null,
          display: f.moderation.areas
            ? `${Math.round((100 * f.moderation.agreed) / f.moderation.areas)}%`
            : 'None moderated',
        },
      ],
    }),
  };
}

/** The period's feedback from children and families, by team and service, as the report's table and chart. */
async function feedbackFigure(ctx: ReadContext, scope: ReportScope) {
  const results = await feedbackResults(ctx, { from: scope.from, to: scope.today });
  const rows: FeedbackRow[] = results.byTeam.map((r) => ({
    ...r,
    serviceLabel: labelOf(SERVICE_LABELS, r.service),
  }));
  const table: ReportTable = feedbackTable(rows, (r) =>
    pathTo(
      FEEDBACK_PATHS.results,
      {},
      { team: r.teamId ?? undefined, service: r.service, from: scope.from, to: scope.today },
    ),
  );
  const responses = rows.reduce((n, r) => n + r.responses, 0);
  const listened = rows.reduce((n, r) => n + r.listened, 0);
  const chart = barChart({
    id: 'feedback',
    title: 'Children and families who felt listened to',
    description: `${listened} of ${responses} who gave feedback in the period felt listened to.`,
    max: 100,
    bars: rows.map((r) => ({
      label: `${r.teamName ?? 'No team recorded'}, ${r.serviceLabel.toLowerCase()}`,
      value: r.responses ? Math.round((100 * r.listened) / r.responses) : null,
      display: r.responses ? `${Math.round((100 * r.listened) / r.responses)}%` : 'None',
    })),
  });
  return { table, chart };
}

const periodText = (s: ReportScope) =>
  `Audits completed from ${formatDateGovUk(s.from)} to ${formatDateGovUk(s.today)}`;

export const reportPage = definePage({
  path: REPORT_PATHS.report,
  view: 'case-audits/views/report.njk',
  access: 'case-audit:moderate',
  title: 'Quality assurance report',
  drafts: false,
  audit: { action: 'report.viewed', subjectType: 'report', subject: () => ({ subjectId: 'case-audits' }) },
  load: async (ctx) => {
    const scope = await reportScope(ctx);
    const figures = await reportFigures(ctx, scope);
    const feedback = await feedbackFigure(ctx, scope);
    return {
      period: periodText(scope),
      tables: { ...reportTables(figures, drillLink), feedback: feedback.table },
      charts: { ...charts(figures), feedback: feedback.chart },
      learning: await recentLearning(ctx, scope),
      csvHref: pathTo(REPORT_PATHS.download, {}, { format: 'csv' }),
      pdfHref: pathTo(REPORT_PATHS.download, {}, { format: 'pdf' }),
    };
  },
});

const drillQuery = z.object({
  area: z
    .string()
    .max(40)
    .regex(/^[A-Za-z]+$/)
    .optional()
    .catch(undefined),
  grade: z
    .enum([...GRADES, 'weak'])
    .optional()
    .catch(undefined),
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional()
    .catch(undefined),
  team: z
    .union([z.uuid(), z.literal('none')])
    .optional()
    .catch(undefined),
  impact: z.enum(['recorded', 'missing']).optional().catch(undefined),
  moderation: z.enum(['moderated', 'changed']).optional().catch(undefined),
  overdue: z.literal('yes').optional().catch(undefined),
  level: z.enum(['worker', 'team', 'service']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

function describe(f: DrillFilter, areaTitle: (id: string) => string): string[] {
  const out: string[] = [];
  if (f.area) out.push(`Area: ${areaTitle(f.area)}`);
  if (f.grade)
    out.push(`Grade: ${f.grade === 'weak' ? 'requires improvement or inadequate' : GRADE_LABELS[f.grade]}`);
  if (f.month) out.push(`Completed in ${monthName(`${f.month}-01`)}`);
  if (f.team) out.push(f.team === 'none' ? 'Worker with no team recorded' : 'One team');
  if (f.impact) out.push(f.impact === 'recorded' ? 'Impact for the child recorded' : 'Impact not recorded');
  if (f.moderation) out.push(f.moderation === 'changed' ? 'A grade changed in moderation' : 'Moderated');
  if (f.overdue) out.push(`With an overdue action${f.level ? ` (for the ${f.level})` : ''}`);
  return out;
}

export const reportAuditsPage = definePage({
  path: REPORT_PATHS.audits,
  view: 'case-audits/views/report-audits.njk',
  access: 'case-audit:moderate',
  title: 'Audits behind a figure',
  query: drillQuery,
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (ctx, data: { audits: { id: string }[] }) => ({
      subjectId: 'case-audits-audits',
      details: {
        filter: Object.fromEntries(
          Object.entries(ctx.query).filter(
            (e): e is [string, string] => e[0] !== 'page' && typeof e[1] === 'string',
          ),
        ),
        audits: data.audits.map((a) => a.id),
      },
    }),
  },
  load: async (ctx) => {
    const scope = await reportScope(ctx);
    const q = ctx.query;
    const filter: DrillFilter = {
      area: q.area,
      grade: q.grade,
      month: q.month,
      team: q.team,
      impact: q.impact,
      moderation: q.moderation,
      overdue: q.overdue === 'yes',
      level: q.level,
    };
    const { total, rows } = await auditsBehindFigure(ctx, scope, filter, {
      limit: REPORT_DRILL_PAGE_SIZE,
      offset: (q.page - 1) * REPORT_DRILL_PAGE_SIZE,
    });
    return {
      total,
      conditions: describe(filter, (id) => scope.areas.find((a) => a.id === id)?.title ?? id),
      audits: rows.map((r) => ({ ...r, href: `/case-audits/audits/${r.id}` })),
      pagination: pagination(ctx.request.url, q.page, REPORT_DRILL_PAGE_SIZE, total),
    };
  },
});

export const reportDownloadPage = definePage({
  path: REPORT_PATHS.download,
  view: 'case-audits/views/report.njk',
  access: 'case-audit:moderate',
  title: 'Quality assurance report',
  query: z.object({ format: z.enum(['csv', 'pdf']).catch('csv') }),
  load: async (ctx) => {
    const scope = await reportScope(ctx);
    const figures = await reportFigures(ctx, scope);
    const tables = [
      ...REPORT_TABLES.map((id) => reportTables(figures, drillLink)[id]),
      (await feedbackFigure(ctx, scope)).table,
    ];
    await ctx.audit({
      action: 'report.exported',
      subjectType: 'report',
      subjectId: 'case-audits',
      details: { format: ctx.query.format },
    });
    if (ctx.query.format === 'pdf') {
      const learning = await recentLearning(ctx, scope);
      return new FileResponse(
        `qa-report-${scope.today}.pdf`,
        'application/pdf',
        await reportPdf({
          title: 'Quality assurance report',
          period: periodText(scope),
          tables,
          learning: learning.map((l) => ({ title: l.title, summary: l.learningSummary ?? '' })),
        }),
      );
    }
    // One row per number: which figure, which row and column of its table, and the value.
    const rows: string[][] = [];
    for (const t of tables)
      for (const r of plainRows(t))
        for (let i = 1; i < r.length; i++) rows.push([t.caption, r[0]!, t.head[i]!.text, r[i]!]);
    return new FileResponse(
      `qa-report-${scope.today}.csv`,
      'text/csv; charset=utf-8',
      toCsv(['Figure', 'Row', 'Column', 'Value'], rows),
    );
  },
});

export const reportPages = [reportPage, reportAuditsPage, reportDownloadPage];
