import { z } from 'zod';
import { recordVersion } from '../../kernel/forms/fields.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { toCsv } from '../front-door/index.ts';
import { isUploadedFile } from '../people/index.ts';
import {
  AREA_HEADER,
  COMPARABLE_MEASURES,
  COMPARISON_HEADER,
  comparisonCsvRows,
  comparisonText,
  neighbourList,
  yearText,
} from './comparison.ts';
import { COMPARISON_PAGE_PATHS } from './comparison-paths.ts';
import { comparisonFileText, comparisonSets, loadComparison } from './comparison.service.ts';

/**
 * /performance/comparison: the England and statistical neighbour figures each rate measure is compared with, where
 * they come from, and every set loaded (reports:view); /performance/comparison/new: an analyst loads a newer year
 * from CSV (returns:produce), every problem named by its row; /performance/comparison/template: the figures in use as
 * CSV, to edit and load back.
 */

export { COMPARISON_PAGE_PATHS };
const TEMPLATE_PATH = '/performance/comparison/template';

export const comparisonPage = definePage({
  path: COMPARISON_PAGE_PATHS.list,
  view: 'performance/views/comparison.njk',
  access: 'reports:view',
  title: 'Comparison figures',
  load: async (ctx) => {
    const { sets, current } = await comparisonSets(ctx);
    return {
      current: current
        ? {
            yearText: yearText(current.year),
            source: current.source,
            shipped: current.localAuthorityId === null,
            rows: COMPARABLE_MEASURES.map((m) => {
              const f = current.figures[m.id];
              const named = f?.neighbourFigures ?? [];
              return {
                title: m.title,
                england: comparisonText(f?.england),
                neighbours: comparisonText(f?.neighbours),
                neighboursOf: named.length
                  ? `${named.filter((n) => n.value !== null).length} of ${named.length}`
                  : '',
                source: f?.source || 'Not in this set',
              };
            }),
            /** The statistical neighbours the set names, each with its figure for every measure. */
            neighbours: neighbourList(current.figures).map((n) => ({
              name: `${n.name} (${n.code})`,
              figures: COMPARABLE_MEASURES.map((m) =>
                comparisonText(current.figures[m.id]?.neighbourFigures.find((x) => x.code === n.code)?.value),
              ),
            })),
            measureTitles: COMPARABLE_MEASURES.map((m) => m.title),
          }
        : null,
      sets: sets.map((s) => ({
        yearText: yearText(s.year),
        version: s.localAuthorityId ? String(s.version) : 'Shipped with Threshold',
        loadedText: formatDateTimeGovUk(s.loadedAt),
        by: s.loadedByName ?? 'Threshold',
        figures: Object.keys(s.figures).length,
        inUse: s.id === current?.id,
      })),
      canLoad: ctx.user.permissions.has('returns:produce'),
      loadHref: COMPARISON_PAGE_PATHS.load,
      templateHref: TEMPLATE_PATH,
      backHref: '/performance',
    };
  },
});

export const comparisonTemplatePage = definePage({
  path: TEMPLATE_PATH,
  view: 'performance/views/comparison.njk',
  access: 'reports:view',
  title: 'Comparison figures',
  load: async (ctx) => {
    const { current } = await comparisonSets(ctx);
    const year = current?.year ?? '';
    return new FileResponse(
      `comparison-figures-${year || 'blank'}.csv`,
      'text/csv; charset=utf-8',
      toCsv([...AREA_HEADER], comparisonCsvRows(year, current?.figures ?? {})),
    );
  },
});

export const loadComparisonPage = definePage({
  path: COMPARISON_PAGE_PATHS.load,
  view: 'performance/views/comparison-new.njk',
  access: 'returns:produce',
  title: 'Load comparison figures',
  drafts: false,
  form: z
    .object({
      version: recordVersion(0),
      csv: z.string().max(100_000, 'The pasted figures must be 100,000 characters or fewer').default(''),
      file: z.unknown().optional(),
    })
    .transform((v) => ({ ...v, file: isUploadedFile(v.file) && v.file.filename ? v.file : undefined }))
    .superRefine((v, ctx) => {
      if (!v.file && !v.csv.trim())
        ctx.addIssue({
          code: 'custom',
          path: ['file'],
          message: 'Choose a CSV file of comparison figures, or paste one',
        });
    }),
  load: async (ctx) => {
    const { version, localAuthorityId } = await comparisonSets(ctx);
    return {
      saved: { version: String(version), csv: '' },
      hasAuthority: !!localAuthorityId,
      header: AREA_HEADER.join(','),
      shortHeader: COMPARISON_HEADER.join(','),
      measures: COMPARABLE_MEASURES.map((m) => ({ id: m.id, title: m.title })),
      templateHref: TEMPLATE_PATH,
      backHref: COMPARISON_PAGE_PATHS.list,
    };
  },
  submit: async (ctx, form) => {
    const la = ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0];
    const loaded = await loadComparison(ctx, {
      localAuthorityId: la ?? '',
      version: form.version,
      ...(form.file
        ? { csv: await comparisonFileText(form.file), field: 'file' }
        : { csv: form.csv, field: 'csv' }),
    });
    ctx.flash(
      `Comparison figures for ${yearText(loaded.year)} have been loaded (${loaded.figures} measure${loaded.figures === 1 ? '' : 's'})`,
    );
    return COMPARISON_PAGE_PATHS.list;
  },
});

export const comparisonPages = [comparisonPage, comparisonTemplatePage, loadComparisonPage];
