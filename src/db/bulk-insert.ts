import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Bulk loading for the synthetic-data generators: rows go in as one INSERT … SELECT FROM unnest(arrays) per chunk
 * (one array parameter a column), which is how PostgreSQL and PGlite take thousands of rows fastest without COPY.
 * Table and column names are the caller's constants, never input. Array columns (`text[]`, `uuid[]`) travel as
 * array literals and jsonb as text, since unnest would flatten a two-dimensional array.
 */
export type BulkColumn<R> = readonly [name: string, type: string, value: (row: R) => unknown];

const CHUNK = 5000;

/**
 * Where a load's time goes (`generate authority --timings`): wall-clock per label — for a statement (named by its
 * table) from sending it to its answer, PostgreSQL's work plus the driver's serialising of the parameters; the
 * generator adds its own planning and waiting. Off unless asked for; a process-wide tally, as the generators run
 * one load at a time.
 */
export interface LoadTime {
  label: string;
  times: number;
  rows: number;
  ms: number;
}
const tally = new Map<string, LoadTime>();
let tallying = false;

/** Starts (or stops) tallying load times, from zero. */
export function tallyLoadTimes(on: boolean): void {
  tallying = on;
  tally.clear();
}

/** The tally so far, the slowest label first. */
export function loadTimes(): LoadTime[] {
  return [...tally.values()].sort((a, b) => b.ms - a.ms);
}

/** Adds time to the tally under `label` (when tallying). */
export function addLoadTime(label: string, rows: number, ms: number): void {
  if (!tallying) return;
  const t = tally.get(label) ?? { label, times: 0, rows: 0, ms: 0 };
  t.times++;
  t.rows += rows;
  t.ms += ms;
  tally.set(label, t);
}

/** Runs a statement of the load, adding its time to the tally under `label` when tallying. */
export async function timedStatement<T>(label: string, rows: number, run: () => Promise<T>): Promise<T> {
  if (!tallying) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    addLoadTime(label, rows, performance.now() - started);
  }
}

const arrayLiteral = (items: readonly unknown[]) =>
  `{${items.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

export async function bulkInsert<R>(
  db: Kysely<DB> | Transaction<DB>,
  table: string,
  columns: readonly BulkColumn<R>[],
  rows: readonly R[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const params = columns.map(([, type, value]) => {
      const isArray = type.endsWith('[]');
      const values = chunk.map((row) => {
        const v = value(row);
        if (v === null || v === undefined) return null;
        if (v instanceof Date) return v.toISOString();
        if (isArray) return arrayLiteral(v as unknown[]);
        if (type === 'jsonb') return JSON.stringify(v);
        return v;
      });
      const paramType = isArray || type === 'jsonb' ? 'text' : type;
      return sql`${values}::${sql.raw(paramType)}[]`;
    });
    const names = columns.map(([name]) => name);
    const selects = columns.map(([, type], i) => sql.raw(`c${i}::${type}`));
    const aliases = columns.map((_, i) => `c${i}`).join(', ');
    const query = sql`insert into ${sql.raw(table)} (${sql.raw(names.join(', '))})
      select ${sql.join(selects)} from unnest(${sql.join(params)}) as u(${sql.raw(aliases)})`;
    await timedStatement(table, chunk.length, () => query.execute(db)).catch((error: unknown) => {
      if (error instanceof Error) error.message = `${error.message} (bulk insert into ${table})`;
      throw error;
    });
  }
}

/**
 * PostgreSQL's advice for populating a database: load without the foreign keys and secondary indexes, then make
 * them again — one sorted index build and one join per foreign key instead of a check and an index entry per row.
 * For the tables given that hold at most `fewRows` rows (a table already holding a big load is cheaper to add to
 * as it is), this drops their foreign keys and their non-unique indexes (primary keys, unique indexes and
 * constraints stay, and so do the indexes named in `keep`, which the load itself reads) and returns `restore`,
 * which makes them again from their own definitions (pg_get_indexdef, pg_get_constraintdef), checking every row
 * against every foreign key. Both must run in the caller's transaction, so that a load that fails leaves the schema
 * as it was: DDL in PostgreSQL is transactional. The tables are locked (and the tables their foreign keys name) until
 * it commits.
 */
export async function suspendIndexesAndForeignKeys(
  trx: Transaction<DB>,
  tables: readonly string[],
  options: { fewRows: number; keep?: readonly string[] },
): Promise<{
  tables: string[];
  indexes: number;
  foreignKeys: number;
  restore: (onStep?: (done: number, total: number) => void) => Promise<void>;
}> {
  const suspended: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from (select 1 from ${sql.table(table)} limit ${options.fewRows + 1}) x`.execute(
      trx,
    );
    if (rows[0]!.n <= options.fewRows) suspended.push(table);
  }
  if (!suspended.length) return { tables: [], indexes: 0, foreignKeys: 0, restore: async () => undefined };
  const foreignKeys = (
    await sql<{ tableName: string; name: string; definition: string }>`
      select c.conrelid::regclass::text as table_name, c.conname as name, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c
      where c.contype = 'f' and c.conrelid = any(${suspended}::regclass[])
      order by c.conrelid::regclass::text, c.conname`.execute(trx)
  ).rows;
  const indexes = (
    await sql<{ name: string; definition: string }>`
      select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      where i.indrelid = any(${suspended}::regclass[]) and not i.indisunique and not i.indisprimary
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        and not (i.indexrelid::regclass::text = any(${options.keep ?? []}::text[]))
      order by 1`.execute(trx)
  ).rows;
  for (const fk of foreignKeys)
    await sql`alter table ${sql.table(fk.tableName)} drop constraint ${sql.id(fk.name)}`.execute(trx);
  for (const index of indexes) await sql`drop index ${sql.table(index.name)}`.execute(trx);
  return {
    tables: suspended,
    indexes: indexes.length,
    foreignKeys: foreignKeys.length,
    restore: async (onStep) => {
      const total = indexes.length + foreignKeys.length;
      let done = 0;
      for (const index of indexes) {
        await timedStatement('indexes made again', 1, () => sql.raw(index.definition).execute(trx));
        onStep?.(++done, total);
      }
      for (const fk of foreignKeys) {
        await timedStatement('foreign keys made again (each checks every row)', 1, () =>
          sql`alter table ${sql.table(fk.tableName)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(
            trx,
          ),
        );
        onStep?.(++done, total);
      }
    },
  };
}
