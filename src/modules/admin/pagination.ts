/**
 * Links for the GOV.UK pagination component, keeping the current filters in every link. Numbered pages
 * for lists counted with offsets; "Previous"/"Next" only for keyset lists (the audit trail).
 */

export const PAGE_SIZE = 25;

/** `?a=1&b=2` from the filters that have a value (empty strings and undefined are left out). */
export function queryString(params: Record<string, string | number | string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (v !== '') search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The page number from a query value: 1 unless it is a whole number from 1 to 10,000. */
export function pageNumber(value: unknown): number {
  const s = Array.isArray(value) ? value[0] : value;
  if (typeof s !== 'string' || !/^\d{1,5}$/.test(s)) return 1;
  const n = Number(s);
  return n >= 1 && n <= 10_000 ? n : 1;
}

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** One page of an offset-paginated list, with what the view needs to show it. */
export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
  /** "Showing 26 to 50 of 120 results" */
  from: number;
  to: number;
}

export function paged<T>(rows: T[], total: number, page: number, pageSize = PAGE_SIZE): Paged<T> {
  const pages = pageCount(total, pageSize);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return { rows, total, page, pages, from, to: from === 0 ? 0 : from + rows.length - 1 };
}

/** For LIKE/ILIKE patterns: the user's text matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
