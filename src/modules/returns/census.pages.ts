import { z } from 'zod';
import { checkbox, choice, optionalText } from '../../kernel/forms/fields.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { definePage, FileResponse } from '../../web/page.ts';
import { personPaths } from '../people/index.ts';
import { socialCarePaths } from '../social-care/index.ts';
import type { CensusFailure, FixTarget } from './census-validate.ts';
import {
  censusComparison,
  censusValidationReport,
  downloadCensusFile,
  listCensusFiles,
  produceCensusFile,
} from './census.service.ts';
import { CENSUS_YEAR_IDS, CENSUS_YEARS, censusRule, type CensusYearId } from './census-years.ts';

/**
 * The CIN census pages (returns:produce: performance analysts and service managers): choose the year, read the
 * whole-return validation report by rule, team and worker with a link to the page where each failure is fixed,
 * make the file (only with no errors, or with a reason that is kept and audited), download kept files (audited),
 * and compare the year's counts with the year before.
 */

export const CENSUS_PATHS = {
  census: '/reports/returns/census',
  produce: '/reports/returns/census/produce',
  file: (id: string) => `/reports/returns/census/files/${id}`,
} as const;

/** The census year the date falls in, or the latest one Threshold knows. */
function currentYear(today: string): CensusYearId {
  const found = CENSUS_YEAR_IDS.find(
    (id) => today >= CENSUS_YEARS[id].periodStart && today <= CENSUS_YEARS[id].referenceDate,
  );
  return found ?? CENSUS_YEAR_IDS[CENSUS_YEAR_IDS.length - 1]!;
}

/** The last complete year (the one an authority is returning) for a date: the year before the current one. */
function defaultYear(today: string): CensusYearId {
  return CENSUS_YEARS[currentYear(today)].previous ?? currentYear(today);
}

const yearQuery = z.object({
  year: z
    .enum(CENSUS_YEAR_IDS as [CensusYearId, ...CensusYearId[]])
    .optional()
    .catch(undefined),
  rule: z
    .string()
    .regex(/^\d{3,4}Q?$/)
    .optional()
    .catch(undefined),
});

/** The page where a worker corrects what the failure is about. */
export function fixLink(fix: FixTarget): string | null {
  const fill = (pattern: string, name: string, id: string) => pattern.replace(`:${name}`, id);
  switch (fix.kind) {
    case 'child':
      return personPaths.edit(fix.id);
    case 'episode':
      return fill(socialCarePaths.details, 'episodeId', fix.id);
    case 'assessment':
      return fill(socialCarePaths.assessment, 'assessmentId', fix.id);
    case 'section47':
      return fill(socialCarePaths.section47, 'enquiryId', fix.id);
    case 'conference':
      return fill(socialCarePaths.conference, 'conferenceId', fix.id);
    case 'cpPlan':
      return fill(socialCarePaths.cpPlan, 'cpPlanId', fix.id);
    case 'cinPlan':
      return fill(socialCarePaths.cinPlan, 'cinPlanId', fix.id);
    case 'preProceedings':
      return fill(socialCarePaths.preProceedings, 'preProceedingsId', fix.id);
    case 'return':
      return null;
  }
}

function tally<K extends string>(failures: CensusFailure[], key: (f: CensusFailure) => K) {
  const out = new Map<K, { errors: number; queries: number }>();
  for (const f of failures) {
    const k = key(f);
    const row = out.get(k) ?? { errors: 0, queries: 0 };
    if (f.kind === 'error') row.errors += 1;
    else row.queries += 1;
    out.set(k, row);
  }
  return [...out.entries()]
    .map(([name, counts]) => ({ name, ...counts }))
    .sort((a, b) => b.errors - a.errors || b.queries - a.queries || a.name.localeCompare(b.name));
}

const LIST_LIMIT = 200;

export const censusPage = definePage({
  path: CENSUS_PATHS.census,
  view: 'returns/views/census.njk',
  access: 'returns:produce',
  title: 'Children in need census',
  query: yearQuery,
  audit: {
    action: 'report.viewed',
    subjectType: 'report',
    subject: (ctx) => ({ subjectId: 'cin-census', details: { year: ctx.query.year ?? null } }),
  },
  load: async (ctx) => {
    const today = ctx.now.toISOString().slice(0, 10);
    const yearId = ctx.query.year ?? defaultYear(today);
    const year = CENSUS_YEARS[yearId];
    const report = await censusValidationReport(ctx, yearId);
    const comparison = await censusComparison(ctx, yearId);
    const files = await listCensusFiles(ctx);
    const byRule = tally(report.failures, (f) => f.rule).map((r) => ({
      ...r,
      rule: censusRule(r.name),
      href: `${CENSUS_PATHS.census}?year=${yearId}&rule=${encodeURIComponent(r.name)}#failures`,
    }));
    const chosen = ctx.query.rule
      ? report.failures.filter((f) => f.rule === ctx.query.rule)
      : [...report.failures].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'error' ? -1 : 1));
    const measures = ['children', 'referrals', 'assessments', 'section47s', 'cpPlans'] as const;
    const labels: Record<(typeof measures)[number], string> = {
      children: 'Children in the return',
      referrals: 'Referrals in the year',
      assessments: 'Assessments authorised',
      section47s: 'Section 47 enquiries started',
      cpPlans: 'Child protection plans started',
    };
    return {
      year,
      years: CENSUS_YEAR_IDS.map((id) => ({ value: id, text: id, selected: id === yearId })),
      report,
      byRule,
      byTeam: tally(report.failures, (f) => f.teamName ?? 'No team'),
      byWorker: tally(report.failures, (f) => f.workerName ?? 'Not allocated'),
      rule: ctx.query.rule ? censusRule(ctx.query.rule) : null,
      failures: chosen.slice(0, LIST_LIMIT).map((f) => ({ ...f, href: fixLink(f.fix) })),
      moreFailures: Math.max(0, chosen.length - LIST_LIMIT),
      comparison: comparison.previous
        ? {
            previous: comparison.previous,
            rows: measures.map((m) => ({
              label: labels[m],
              now: report.counts[m],
              before: comparison.counts![m],
              change: report.counts[m] - comparison.counts![m],
            })),
          }
        : null,
      files: files.filter((f) => f.year === yearId),
      fileHref: CENSUS_PATHS.file,
      produceHref: `${CENSUS_PATHS.produce}?year=${yearId}`,
    };
  },
});

const produceForm = z.object({
  year: choice(CENSUS_YEAR_IDS as [CensusYearId, ...CensusYearId[]], 'Choose the census year'),
  override: checkbox(),
  overrideReason: optionalText(2_000, 'The reason must be 2,000 characters or fewer'),
});

export const censusProducePage = definePage({
  path: CENSUS_PATHS.produce,
  view: 'returns/views/census-produce.njk',
  access: 'returns:produce',
  title: 'Make the census file',
  query: yearQuery,
  form: produceForm,
  load: async (ctx) => {
    const today = ctx.now.toISOString().slice(0, 10);
    const yearId = ctx.query.year ?? defaultYear(today);
    const report = await censusValidationReport(ctx, yearId);
    return {
      year: CENSUS_YEARS[yearId],
      counts: report.counts,
      errorCount: report.errors,
      queryCount: report.queries,
      reportHref: `${CENSUS_PATHS.census}?year=${yearId}`,
    };
  },
  submit: async (ctx, form) => {
    if (form.override && !form.overrideReason?.trim())
      throw new BusinessRuleError('overrideReason', 'Enter why the file must be made with errors');
    await produceCensusFile(ctx, {
      yearId: form.year,
      overrideReason: form.override ? form.overrideReason : null,
    });
    ctx.flash(`Census file for ${form.year} made`);
    return `${CENSUS_PATHS.census}?year=${form.year}#files`;
  },
});

export const censusFilePage = definePage({
  path: '/reports/returns/census/files/:fileId',
  view: 'returns/views/census.njk',
  access: 'returns:produce',
  title: 'Census file',
  params: z.object({ fileId: z.uuid() }),
  load: async (ctx) => {
    const file = await downloadCensusFile(ctx, ctx.params.fileId);
    return new FileResponse(file.fileName, 'application/xml; charset=utf-8', file.xml);
  },
});

export const censusPages = [censusPage, censusProducePage, censusFilePage];
