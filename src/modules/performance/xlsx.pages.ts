import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { MEASURE_IDS, MEASURES } from './measures.ts';
import { PATHWAY_STAGE_IDS, PATHWAY_STAGES, DECISION_OUTCOMES, PLAN_TYPES } from './pathway.ts';
import { pathwayFigures } from './pathway.service.ts';
import {
  CONVERSION_TITLES,
  PATHWAY_PAGE_PATHS,
  pathwayQuery,
  pathwayScope,
  pathwayView,
  TIMED,
} from './pathway.pages.ts';
import { childQuery, PERFORMANCE_PAGE_PATHS, scopeFor } from './performance.pages.ts';
import { childrenBehind, figureTable, measureFigure } from './performance.service.ts';
import { measureDefinitionRows, workbookOf, XLSX_TYPE, type XlsxCell, type XlsxColumn } from './xlsx.ts';

/**
 * The XLSX downloads beside the CSV ones (reports:view): a measure's table, the children behind it (audited like
 * the drill-down page, with record access applied: a child the user may not see is counted but not named), and
 * the pathway month by month. The same services as the pages, so every figure is the page's.
 */

const NOT_SHOWN = 'Not shown: you cannot see this record';

export const measureXlsxPage = definePage({
  path: PERFORMANCE_PAGE_PATHS.exportXlsx,
  view: 'performance/views/measure.njk',
  access: 'reports:view',
  title: 'Performance',
  params: z.object({ measureId: z.enum(MEASURE_IDS) }),
  query: childQuery.extend({ list: z.enum(['figure', 'children']).catch('figure').default('figure') }),
  load: async (ctx) => {
    const id = ctx.params.measureId;
    const m = MEASURES[id];
    const s = await scopeFor(ctx);
    let columns: XlsxColumn[];
    let rows: XlsxCell[][];
    let named: number | null = null;
    const conditions: [string, string][] = [];
    if (ctx.query.list === 'children') {
      const filter = { group: ctx.query.group, counted: m.kind === 'rate' ? ctx.query.counted : undefined };
      const children = await childrenBehind(ctx, id, s.scope, filter, 'all');
      named = children.rows.filter((r) => r.name).length;
      columns = [
        { header: 'Reference', type: 'text' },
        { header: 'Child', type: 'text' },
        { header: 'LA child id', type: 'text' },
        { header: 'Date', type: 'date' },
        { header: m.groupHeading, type: 'text' },
        ...(m.kind === 'rate' ? [{ header: 'Counted as', type: 'text' } as const] : []),
        { header: 'Days', type: 'number' },
        { header: 'Due', type: 'date' },
      ];
      rows = children.rows.map((r) => [
        r.ref,
        r.name ?? NOT_SHOWN,
        r.laChildId,
        r.eventOn,
        r.groupText,
        ...(m.kind === 'rate' ? [r.countedText ?? ''] : []),
        r.days,
        r.dueOn,
      ]);
      if (filter.group !== undefined) conditions.push([m.groupHeading, filter.group]);
      if (filter.counted)
        conditions.push(['Only', (filter.counted === 'yes' ? m.countedLabel : m.notCountedLabel) ?? '']);
    } else {
      const table = figureTable(await measureFigure(ctx, id, s.scope));
      columns = table.head.map((header, i) => ({
        header,
        type: i === 0 ? 'text' : m.kind === 'rate' && i === 3 ? 'percent' : 'number',
      }));
      rows = table.rows;
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
        group: ctx.query.list === 'children' ? (ctx.query.group ?? null) : null,
        counted: ctx.query.list === 'children' ? (ctx.query.counted ?? null) : null,
        rows: rows.length,
        ...(named === null ? {} : { named }),
        format: 'xlsx',
      },
    });
    const data = await workbookOf({
      sheetName: ctx.query.list === 'children' ? 'Children' : 'Figures',
      title: ctx.query.list === 'children' ? `${m.title}: the children counted` : m.title,
      periodText: s.periodText,
      scopeLabel: s.label,
      madeAt: ctx.now,
      columns,
      rows,
      definitions: [...measureDefinitionRows(m), ...conditions],
    });
    return new FileResponse(
      `performance-${id}-${ctx.query.list}-${s.filter.from}-to-${s.filter.to}.xlsx`,
      XLSX_TYPE,
      data,
    );
  },
});

export const pathwayXlsxPage = definePage({
  path: PATHWAY_PAGE_PATHS.exportXlsx,
  view: 'performance/views/pathway.njk',
  access: 'reports:view',
  title: 'The pathway month by month',
  query: pathwayQuery,
  load: async (ctx) => {
    const s = await pathwayScope(ctx);
    const view = pathwayView(await pathwayFigures(ctx, s.scope), s.scope, s.query.team);
    const columns: XlsxColumn[] = [
      { header: 'Month', type: 'text' },
      ...PATHWAY_STAGE_IDS.map((id) => ({ header: PATHWAY_STAGES[id].title, type: 'number' as const })),
      ...CONVERSION_TITLES.flatMap((t) => [
        { header: `${t}: number`, type: 'number' as const },
        { header: `${t}: percentage`, type: 'percent' as const },
      ]),
      ...DECISION_OUTCOMES.map((o) => ({ header: `Decisions: ${o.label}`, type: 'number' as const })),
      ...PLAN_TYPES.map((p) => ({ header: `Plans started: ${p.label}`, type: 'number' as const })),
      ...TIMED.map((id) => ({
        header: `${PATHWAY_STAGES[id].time!.title}: median working days`,
        type: 'number' as const,
      })),
    ];
    const rows: XlsxCell[][] = view.rows.map((r) => [
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
        format: 'xlsx',
      },
    });
    const data = await workbookOf({
      sheetName: 'Pathway',
      title: 'The pathway month by month',
      periodText: `${formatDateGovUk(s.scope.from)} to ${formatDateGovUk(s.scope.to)}`,
      scopeLabel: s.label,
      madeAt: ctx.now,
      columns,
      rows,
      definitions: PATHWAY_STAGE_IDS.flatMap((id): [string, string][] => {
        const st = PATHWAY_STAGES[id];
        return [
          [st.title, `${st.summary} ${st.counted} ${st.exclusions}`],
          ...(st.conversion ? [[st.conversion.title, st.conversion.definition] as [string, string]] : []),
          ...(st.time ? [[st.time.title, st.time.definition] as [string, string]] : []),
        ];
      }),
    });
    return new FileResponse(`performance-pathway-${s.query.from}-to-${s.query.to}.xlsx`, XLSX_TYPE, data);
  },
});

export const xlsxPages = [measureXlsxPage, pathwayXlsxPage];
