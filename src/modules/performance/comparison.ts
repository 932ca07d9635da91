import type { FieldError } from '../../kernel/errors.ts';
import { MEASURE_IDS, MEASURES, type MeasureDefinition, type MeasureId } from './measures.ts';

/**
 * Comparison figures (issue 21 item 3): each rate measure beside England and the authority's statistical neighbours
 * from the DfE's published statistics for a collection year. The figures come as CSV, the same shape as the file
 * shipped with Threshold (src/db/migrations/data/dfe-comparison-2024-25.csv):
 *
 *   measure,year,england,statistical_neighbours,source
 *   re-referrals,2024-25,22.6,21.0,"Children in need 2025, table C1"
 *
 * One row per measure, every row the same year; a figure is a percentage from 0 to 100 with at most one decimal
 * place, or blank when there is none (say why in the source). Counts are not compared: an England total says
 * nothing about one authority.
 */

export const COMPARISON_HEADER = ['measure', 'year', 'england', 'statistical_neighbours', 'source'] as const;

/** The measures a comparison figure can be given for: the rates. */
export const COMPARABLE_MEASURES: readonly MeasureDefinition[] = MEASURE_IDS.map((id) => MEASURES[id]).filter(
  (m) => m.kind === 'rate',
);
export const isComparable = (id: string): id is MeasureId => COMPARABLE_MEASURES.some((m) => m.id === id);

export interface ComparisonFigure {
  measure: MeasureId;
  england: number | null;
  neighbours: number | null;
  /** Where the figures come from, or why one is blank. */
  source: string;
}

export interface ComparisonUpload {
  year: string;
  figures: ComparisonFigure[];
}

const MAX_ROWS = 200;
const MAX_SOURCE = 500;

/** One CSV line into its fields (a quoted field may hold commas; "" is a quote). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/** '2024-25': a collection year, the second part the year after the first. */
export const isCollectionYear = (v: string): boolean => {
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  return !!m && (Number(m[1]) + 1) % 100 === Number(m[2]);
};

/** "2024-25" → "2024 to 2025" (GOV.UK style for a year range). */
export const yearText = (year: string): string =>
  isCollectionYear(year) ? `${year.slice(0, 4)} to ${Number(year.slice(0, 4)) + 1}` : year;

function percentOf(raw: string): number | null | 'bad' {
  if (raw === '') return null;
  if (!/^\d{1,3}(\.\d)?$/.test(raw)) return 'bad';
  const n = Number(raw);
  return n >= 0 && n <= 100 ? n : 'bad';
}

/**
 * Reads an analyst's CSV: the figures, or every problem at once, each naming its row, against `field` (the form
 * shows them in the error summary and beside the box).
 */
export function parseComparisonCsv(
  text: string,
  field = 'csv',
): { ok: true; upload: ComparisonUpload } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  // Every problem links to the box; the first is shown beside it (a form shows one error per field, so the others
  // carry a field name of their own and appear in the summary).
  const problem = (message: string) =>
    errors.push({
      field: errors.length ? `${field}-${errors.length + 1}` : field,
      message,
      href: `#${field}`,
    });
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l, i) => ({ line: l, row: i + 1 }))
    .filter((l) => l.line.trim() !== '');
  if (!lines.length) {
    problem('Paste the CSV file of comparison figures');
    return { ok: false, errors };
  }
  const header = csvFields(lines[0]!.line).map((h) => h.toLowerCase());
  if (header.join(',') !== COMPARISON_HEADER.join(',')) {
    problem(`Row 1: the first row must be the headings ${COMPARISON_HEADER.join(',')}`);
    return { ok: false, errors };
  }
  const rows = lines.slice(1);
  if (!rows.length) problem('Row 2: there are no figures after the headings');
  if (rows.length > MAX_ROWS) problem(`The file has more than ${MAX_ROWS} rows of figures`);
  const figures: ComparisonFigure[] = [];
  const years = new Set<string>();
  const seen = new Set<string>();
  for (const { line, row } of rows.slice(0, MAX_ROWS)) {
    const cells = csvFields(line);
    if (cells.length !== COMPARISON_HEADER.length) {
      problem(`Row ${row}: needs ${COMPARISON_HEADER.length} values, has ${cells.length}`);
      continue;
    }
    const [measure, year, england, neighbours, source] = cells as [string, string, string, string, string];
    const before = errors.length;
    if (!isComparable(measure))
      problem(
        `Row ${row}: “${measure.slice(0, 60)}” is not a measure that can be compared (use a rate measure’s id, such as re-referrals)`,
      );
    else if (seen.has(measure)) problem(`Row ${row}: ${measure} is given more than once`);
    if (!isCollectionYear(year)) problem(`Row ${row}: the year must be a collection year, such as 2024-25`);
    const e = percentOf(england);
    const n = percentOf(neighbours);
    if (e === 'bad')
      problem(
        `Row ${row}: the England figure must be a percentage from 0 to 100 with at most one decimal place, or blank`,
      );
    if (n === 'bad')
      problem(
        `Row ${row}: the statistical neighbours figure must be a percentage from 0 to 100 with at most one decimal place, or blank`,
      );
    if (!source) problem(`Row ${row}: give the source of the figures (the publication and table)`);
    else if (source.length > MAX_SOURCE)
      problem(`Row ${row}: the source must be ${MAX_SOURCE} characters or fewer`);
    if (errors.length > before) continue;
    seen.add(measure);
    years.add(year);
    figures.push({
      measure: measure as MeasureId,
      england: e as number | null,
      neighbours: n as number | null,
      source,
    });
  }
  if (years.size > 1)
    problem(`Every row must be for the same year: the file has ${[...years].sort().join(' and ')}`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, upload: { year: [...years][0]!, figures } };
}

/** Stored figures, read back defensively (only comparable measures, numbers in range). */
export function figuresFrom(json: unknown): Partial<Record<MeasureId, ComparisonFigure>> {
  const out: Partial<Record<MeasureId, ComparisonFigure>> = {};
  if (!Array.isArray(json)) return out;
  const num = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 100 ? v : null);
  for (const item of json as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    if (typeof r.measure !== 'string' || !isComparable(r.measure)) continue;
    out[r.measure] = {
      measure: r.measure,
      england: num(r.england),
      neighbours: num(r.neighbours),
      source: typeof r.source === 'string' ? r.source : '',
    };
  }
  return out;
}

/** A comparison figure in words: "85.7%", or "Not available" when blank. */
export const comparisonText = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'Not available' : `${v}%`;
