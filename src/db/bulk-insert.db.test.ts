import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../test/support/test-db.ts';
import { bulkInsert, loadTimes, suspendIndexesAndForeignKeys, tallyLoadTimes } from './bulk-insert.ts';
import type { DatabaseHandle } from './database.ts';
import type { DB } from './schema.ts';

/**
 * Loading in bulk without the foreign keys and secondary indexes (PostgreSQL's advice for populating a database):
 * they come back exactly as they were, a row that breaks a foreign key fails the whole load, and a table already
 * holding more than a few rows keeps its own.
 */

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDb();
  for (const statement of [
    `create table bulk_parent (id int primary key, code text unique)`,
    `create table bulk_child ( id int primary key, parent_id int not null references bulk_parent (id) on delete cascade, kind text not null, at date not null)`,
    `create index bulk_child_parent_idx on bulk_child (parent_id, at desc)`,
    `create index bulk_child_kind_idx on bulk_child (kind) where kind <> 'x'`,
    `create unique index bulk_child_kind_id_key on bulk_child (kind, id)`,
    `create table bulk_full (id int primary key, parent_id int references bulk_parent (id))`,
    `create index bulk_full_parent_idx on bulk_full (parent_id)`,
    `insert into bulk_parent select g, 'P' || g from generate_series(1, 10) g`,
    `insert into bulk_full select g, 1 + g % 10 from generate_series(1, 20) g`,
  ])
    await sql.raw(statement).execute(h.db);
});
afterAll(async () => {
  await h?.close();
});

const structure = async (db: Kysely<DB>) =>
  (
    await sql<{ s: string }>`
      select pg_get_indexdef(indexrelid) as s from pg_index where indrelid::regclass::text like 'bulk\\_%'
      union all
      select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
      from pg_constraint where conrelid::regclass::text like 'bulk\\_%'
      order by 1`.execute(db)
  ).rows.map((r) => r.s);

const rowsOf = (from: number, count: number, parent = (i: number) => 1 + (i % 10)) =>
  Array.from({ length: count }, (_, k) => ({
    id: from + k,
    parentId: parent(k),
    kind: `k${(from + k) % 7}`,
    at: `2026-01-${String(1 + ((from + k) % 28)).padStart(2, '0')}`,
  }));
type Row = ReturnType<typeof rowsOf>[number];
const childColumns = [
  ['id', 'int', (r: Row) => r.id],
  ['parent_id', 'int', (r: Row) => r.parentId],
  ['kind', 'text', (r: Row) => r.kind],
  ['at', 'date', (r: Row) => r.at],
] as const;

describe('suspending indexes and foreign keys for a bulk load', () => {
  it('drops the foreign keys and non-unique indexes of nearly empty tables, and makes them again as they were', async () => {
    const before = await structure(h.db);
    tallyLoadTimes(true);
    await h.db.transaction().execute(async (trx) => {
      const suspended = await suspendIndexesAndForeignKeys(trx, ['bulk_child', 'bulk_full'], {
        fewRows: 5,
        keep: [],
      });
      // bulk_full holds 20 rows, more than a few: left as it is.
      expect(suspended.tables).toEqual(['bulk_child']);
      expect({ indexes: suspended.indexes, foreignKeys: suspended.foreignKeys }).toEqual({
        indexes: 2,
        foreignKeys: 1,
      });
      const during = await structure(trx);
      expect(during.some((s) => s.includes('bulk_child_parent_idx'))).toBe(false);
      expect(during.some((s) => s.includes('bulk_child_kind_idx'))).toBe(false);
      expect(during.some((s) => s.includes('bulk_child_parent_id_fkey'))).toBe(false);
      // The primary key and the unique index stay; so does everything on bulk_full.
      expect(during.some((s) => s.includes('bulk_child_pkey'))).toBe(true);
      expect(during.some((s) => s.includes('bulk_child_kind_id_key'))).toBe(true);
      expect(during.some((s) => s.includes('bulk_full_parent_idx'))).toBe(true);
      await bulkInsert(trx, 'bulk_child', childColumns, rowsOf(1, 200));
      const steps: number[] = [];
      await suspended.restore((done) => steps.push(done));
      expect(steps).toEqual([1, 2, 3]);
    });
    expect(await structure(h.db)).toEqual(before);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from bulk_child`.execute(h.db);
    expect(rows[0]!.n).toBe(200);
    // The restored index is used and right: the rows of one parent, newest first.
    const ofOne = await sql<{
      id: number;
    }>`select id from bulk_child where parent_id = 3 order by at desc, id limit 3`.execute(h.db);
    expect(ofOne.rows.length).toBe(3);
    expect(loadTimes().map((t) => t.label)).toEqual(
      expect.arrayContaining([
        'indexes made again',
        'foreign keys made again (each checks every row)',
        'bulk_child',
      ]),
    );
    tallyLoadTimes(false);
  });

  it('fails the whole load when a row breaks a foreign key, leaving the schema and the rows as they were', async () => {
    const before = await structure(h.db);
    await sql`delete from bulk_child`.execute(h.db);
    await expect(
      h.db.transaction().execute(async (trx) => {
        const suspended = await suspendIndexesAndForeignKeys(trx, ['bulk_child'], { fewRows: 5 });
        // Parent 99 does not exist: nothing checks it while the foreign key is away…
        await bulkInsert(
          trx,
          'bulk_child',
          childColumns,
          rowsOf(1000, 50, (k) => (k === 17 ? 99 : 1)),
        );
        // …until it is made again.
        await suspended.restore();
      }),
    ).rejects.toThrow(/bulk_child_parent_id_fkey/);
    expect(await structure(h.db)).toEqual(before);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from bulk_child`.execute(h.db);
    expect(rows[0]!.n).toBe(0);
  });
});
