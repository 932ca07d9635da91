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
    await query.execute(db).catch((error: unknown) => {
      if (error instanceof Error) error.message = `${error.message} (bulk insert into ${table})`;
      throw error;
    });
  }
}
