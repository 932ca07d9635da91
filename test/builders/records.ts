import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * Reading back what a service wrote, for a test's expectations: one query shape instead of a hand-written
 * selectFrom … where … chain in every test.
 *
 *   expect(await valueOf(t.db, 'auditEvents', { subjectId: id }, 'action')).toBe('cin-plan.started');
 *   expect(await firstRow(t.db, 'cinPlans', { id }, ['reviewIntervalWeeks', 'startDate'])).toEqual({ … });
 *   expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId }, ['rule'])).toEqual([{ rule: '8620' }]);
 */

type Table = keyof DB & string;
type Column<T extends Table> = keyof Selectable<DB[T]> & string;
/** Equality conditions on a table's columns, all of which must hold. */
export type Where<T extends Table> = Partial<Record<keyof DB[T] & string, string | number | boolean | null>>;

/** The same database seen without its table types, so that one function can serve every table. */
type Untyped = Kysely<Record<string, Record<string, unknown>>>;

function query<T extends Table>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  where: Where<T>,
  columns: string[],
) {
  let q = (db as unknown as Untyped).selectFrom(table as string).select(columns);
  for (const [column, value] of Object.entries(where)) q = q.where(column, '=', value);
  return q;
}

/** The first row that matches (there must be one), with the columns named. */
export async function firstRow<T extends Table, C extends Column<T>>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  where: Where<T>,
  columns: readonly C[],
): Promise<Pick<Selectable<DB[T]>, C>> {
  return (await query(db, table, where, [...columns]).executeTakeFirstOrThrow()) as Pick<
    Selectable<DB[T]>,
    C
  >;
}

/** One column of the first row that matches (there must be one). */
export async function valueOf<T extends Table, C extends Column<T>>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  where: Where<T>,
  column: C,
): Promise<Selectable<DB[T]>[C]> {
  return (await firstRow(db, table, where, [column]))[column];
}

/** Every row that matches, with the columns named, in the order the database returns them. */
export async function rowsOf<T extends Table, C extends Column<T>>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  where: Where<T>,
  columns: readonly C[],
): Promise<Pick<Selectable<DB[T]>, C>[]> {
  return (await query(db, table, where, [...columns]).execute()) as Pick<Selectable<DB[T]>, C>[];
}
