import { sql, type SelectQueryBuilder } from 'kysely';

/** A window of a list: how many rows, from where (a page's `(page - 1) * size`). */
export interface ListWindow {
  limit: number;
  offset: number;
}

/**
 * One page of a list and the list's full length, from one filtered query: `select` adds the columns and the order
 * to `base` for the page's rows, and the same `base` is counted. Both run side by side (on one transaction they are
 * sent one after the other). Every paged list in the services reads through this, so the rows and the count can never
 * be filtered differently.
 */
export async function rowsAndTotal<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, object>,
  select: (q: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  window: ListWindow,
): Promise<{ rows: O[]; total: number }> {
  const [rows, count] = await Promise.all([
    select(base).limit(window.limit).offset(window.offset).execute(),
    // Kysely cannot resolve a selection on a generic table set; the one column is `n`, a bigint sent as text.
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow() as Promise<{ n: string }>,
  ]);
  return { rows, total: Number(count.n) };
}

/** The window of page `page` (from 1) at `size` rows a page. */
export const pageWindow = (page: number, size: number): ListWindow => ({
  limit: size,
  offset: (Math.max(1, page) - 1) * size,
});
