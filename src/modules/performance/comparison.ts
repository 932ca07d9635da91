import type { FieldError } from '../../kernel/errors.ts';
import { MEASURE_IDS, MEASURES, type MeasureDefinition, type MeasureId } from './measures.ts';

/**
 * Comparison figures (issue 21 item 3): each rate measure beside England and the authority's statistical neighbours
 * from the DfE's published statistics for a collection year. The figures come as CSV in one of two shapes.
 *
 * The full shape (the one Threshold ships, src/db/migrations/data/dfe-comparison-2024-25-checked.csv, and the one
 * the template downloads) has a row per measure and area: England, and each statistical neighbour by its LA code and
 * name. The neighbours' average is worked out from the neighbours' own rows, and each neighbour is shown beside it:
 *
 *   measure,year,area,la_code,la_name,figure,source
 *   re-referrals,2024-25,england,E92000001,England,22.6,"Children in need 2025, table C1 (address)"
 *   re-referrals,2024-25,neighbour,314,Kingston upon Thames,19.8,"Children in need 2025, table C1"
 *
 * The short shape (a row per measure, the neighbours' average given as one figure) is still read:
 *
 *   measure,year,england,statistical_neighbours,source
 *
 * Every row is for the same year; a figure is a percentage from 0 to 100 with at most one decimal place, or blank
 * when there is none (say why in the source: a figure the DfE suppressed, or not published). Counts are not
 * compared: an England total says nothing about one authority.
 */

export const COMPARISON_HEADER = ['measure', 'year', 'england', 'statistical_neighbours', 'source'] as const;
/** The full shape: one row per measure and area (England, or a statistical neighbour by LA code and name). */
export const AREA_HEADER = ['measure', 'year', 'area', 'la_code', 'la_name', 'figure', 'source'] as const;

/** The measures a comparison figure can be given for: the rates. */
export const COMPARABLE_MEASURES: readonly MeasureDefinition[] = MEASURE_IDS.map((id) => MEASURES[id]).filter(
  (m) => m.kind === 'rate',
);
export const isComparable = (id: string): id is MeasureId => COMPARABLE_MEASURES.some((m) => m.id === id);

/** One statistical neighbour's published figure for a measure (null: suppressed or not published; say why). */
export interface NeighbourFigure {
  /** The DfE's LA code: the three-digit old code (318) or the nine-character new one (E09000027). */
  code: string;
  name: string;
  value: number | null;
  source: string;
}

export interface ComparisonFigure {
  measure: MeasureId;
  england: number | null;
  /** The statistical neighbours' average: worked out from `neighbourFigures` when the file names them. */
  neighbours: number | null;
  /** Where the figures come from, or why one is blank. */
  source: string;
  /** Each neighbour's own figure, in the file's order (empty when the file gave only an average). */
  neighbourFigures: NeighbourFigure[];
}

export interface ComparisonUpload {
  year: string;
  figures: ComparisonFigure[];
}

const MAX_ROWS = 1000;
const MAX_NAME = 100;
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

/** The neighbours' average: the plain mean of the neighbours' figures that are given, to one decimal place. */
export function neighboursAverage(figures: readonly NeighbourFigure[]): number | null {
  const given = figures.map((f) => f.value).filter((v): v is number => v !== null);
  if (!given.length) return null;
  return Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 10) / 10;
}

/** A DfE LA code: the three-digit old code, or the nine-character new one (E06, E08, E09 or E10 and six digits). */
export const isLaCode = (v: string): boolean => /^(\d{3}|E(06|08|09|10)\d{6})$/.test(v);

/**
 * Reads an analyst's CSV (either shape): the figures, or every problem at once, each naming its row, against
 * `field` (the form shows them in the error summary and beside the box).
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
  const header = csvFields(lines[0]!.line)
    .map((h) => h.toLowerCase())
    .join(',');
  const full = header === AREA_HEADER.join(',');
  if (!full && header !== COMPARISON_HEADER.join(',')) {
    problem(
      `Row 1: the first row must be the headings ${AREA_HEADER.join(',')} (or ${COMPARISON_HEADER.join(',')})`,
    );
    return { ok: false, errors };
  }
  const rows = lines.slice(1);
  if (!rows.length) problem('Row 2: there are no figures after the headings');
  if (rows.length > MAX_ROWS) problem(`The file has more than ${MAX_ROWS} rows of figures`);
  const years = new Set<string>();
  const width = full ? AREA_HEADER.length : COMPARISON_HEADER.length;
  const byMeasure = new Map<MeasureId, ComparisonFigure>();
  const figureOf = (measure: MeasureId) => {
    let f = byMeasure.get(measure);
    if (!f) {
      f = { measure, england: null, neighbours: null, source: '', neighbourFigures: [] };
      byMeasure.set(measure, f);
    }
    return f;
  };
  const seen = new Set<string>();
  const neighbourNames = new Map<string, string>();
  const checkCommon = (row: number, measure: string, year: string) => {
    if (!isComparable(measure))
      problem(
        `Row ${row}: “${measure.slice(0, 60)}” is not a measure that can be compared (use a rate measure’s id, such as re-referrals)`,
      );
    if (!isCollectionYear(year)) problem(`Row ${row}: the year must be a collection year, such as 2024-25`);
  };
  const checkSource = (row: number, source: string) => {
    if (!source) problem(`Row ${row}: give the source of the figures (the publication and table)`);
    else if (source.length > MAX_SOURCE)
      problem(`Row ${row}: the source must be ${MAX_SOURCE} characters or fewer`);
  };
  const PERCENT = 'a percentage from 0 to 100 with at most one decimal place, or blank';
  for (const { line, row } of rows.slice(0, MAX_ROWS)) {
    const cells = csvFields(line);
    if (cells.length !== width) {
      problem(`Row ${row}: needs ${width} values, has ${cells.length}`);
      continue;
    }
    const before = errors.length;
    if (!full) {
      const [measure, year, england, neighbours, source] = cells as [string, string, string, string, string];
      if (isComparable(measure) && seen.has(measure))
        problem(`Row ${row}: ${measure} is given more than once`);
      checkCommon(row, measure, year);
      const e = percentOf(england);
      const n = percentOf(neighbours);
      if (e === 'bad') problem(`Row ${row}: the England figure must be ${PERCENT}`);
      if (n === 'bad') problem(`Row ${row}: the statistical neighbours figure must be ${PERCENT}`);
      checkSource(row, source);
      if (errors.length > before) continue;
      seen.add(measure);
      years.add(year);
      const f = figureOf(measure as MeasureId);
      f.england = e as number | null;
      f.neighbours = n as number | null;
      f.source = source;
      continue;
    }
    const [measure, year, rawArea, code, name, value, source] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const area = rawArea.toLowerCase();
    checkCommon(row, measure, year);
    const v = percentOf(value);
    if (area !== 'england' && area !== 'neighbour')
      problem(`Row ${row}: the area must be england or neighbour`);
    else if (area === 'england') {
      if (code && code !== 'E92000001')
        problem(`Row ${row}: England’s LA code is E92000001, or leave it blank`);
      if (isComparable(measure) && seen.has(`${measure}:england`))
        problem(`Row ${row}: England’s figure for ${measure} is given more than once`);
    } else {
      if (!isLaCode(code))
        problem(
          `Row ${row}: give the neighbour’s LA code, the DfE’s three-digit code (such as 314) or its nine-character code (such as E09000021)`,
        );
      if (!name) problem(`Row ${row}: give the neighbour’s name`);
      else if (name.length > MAX_NAME)
        problem(`Row ${row}: the name must be ${MAX_NAME} characters or fewer`);
      else if (isLaCode(code) && neighbourNames.has(code) && neighbourNames.get(code) !== name)
        problem(`Row ${row}: ${code} is called ${neighbourNames.get(code)} in an earlier row`);
      if (isComparable(measure) && seen.has(`${measure}:${code}`))
        problem(`Row ${row}: ${code}’s figure for ${measure} is given more than once`);
    }
    if (v === 'bad') problem(`Row ${row}: the figure must be ${PERCENT}`);
    checkSource(row, source);
    if (errors.length > before) continue;
    years.add(year);
    const f = figureOf(measure as MeasureId);
    if (area === 'england') {
      seen.add(`${measure}:england`);
      f.england = v as number | null;
      f.source = source;
    } else {
      seen.add(`${measure}:${code}`);
      neighbourNames.set(code, name);
      f.neighbourFigures.push({ code, name, value: v as number | null, source });
      if (!f.source) f.source = source;
    }
  }
  if (years.size > 1)
    problem(`Every row must be for the same year: the file has ${[...years].sort().join(' and ')}`);
  if (errors.length) return { ok: false, errors };
  const figures = [...byMeasure.values()].map((f) =>
    f.neighbourFigures.length ? { ...f, neighbours: neighboursAverage(f.neighbourFigures) } : f,
  );
  return { ok: true, upload: { year: [...years][0]!, figures } };
}

/** Stored figures, read back defensively (only comparable measures, numbers in range). */
export function figuresFrom(json: unknown): Partial<Record<MeasureId, ComparisonFigure>> {
  const out: Partial<Record<MeasureId, ComparisonFigure>> = {};
  if (!Array.isArray(json)) return out;
  const num = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 100 ? v : null);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  for (const item of json as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    if (typeof r.measure !== 'string' || !isComparable(r.measure)) continue;
    const neighbourFigures = (Array.isArray(r.neighbourFigures) ? (r.neighbourFigures as unknown[]) : [])
      .filter((n): n is Record<string, unknown> => !!n && typeof n === 'object')
      .filter((n) => typeof n.code === 'string' && typeof n.name === 'string')
      .map((n) => ({ code: text(n.code), name: text(n.name), value: num(n.value), source: text(n.source) }));
    out[r.measure] = {
      measure: r.measure,
      england: num(r.england),
      neighbours: num(r.neighbours),
      source: text(r.source),
      neighbourFigures,
    };
  }
  return out;
}

/** Every statistical neighbour named in a set's figures, in the order first named. */
export function neighbourList(
  figures: Partial<Record<MeasureId, ComparisonFigure>>,
): { code: string; name: string }[] {
  const out = new Map<string, string>();
  for (const m of COMPARABLE_MEASURES)
    for (const n of figures[m.id]?.neighbourFigures ?? []) if (!out.has(n.code)) out.set(n.code, n.name);
  return [...out].map(([code, name]) => ({ code, name }));
}

/**
 * A set's figures as the full CSV shape, to edit and load back: England's row for every comparable measure, and a
 * row for each neighbour the set names (blank where it has no figure).
 */
export function comparisonCsvRows(
  year: string,
  figures: Partial<Record<MeasureId, ComparisonFigure>>,
): string[][] {
  const neighbours = neighbourList(figures);
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return COMPARABLE_MEASURES.flatMap((m) => {
    const f = figures[m.id];
    return [
      [m.id, year, 'england', 'E92000001', 'England', n(f?.england), f?.source || MEASURES[m.id].title],
      ...neighbours.map((nb) => {
        const own = f?.neighbourFigures.find((x) => x.code === nb.code);
        return [m.id, year, 'neighbour', nb.code, nb.name, n(own?.value), own?.source || 'Not given'];
      }),
    ];
  });
}

/** A comparison figure in words: "85.7%", or "Not available" when blank. */
export const comparisonText = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'Not available' : `${v}%`;
