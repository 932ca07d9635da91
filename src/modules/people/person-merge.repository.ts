import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

export interface ForeignKeyColumn {
  table: string;
  column: string;
}

/**
 * Every column in the database that references people(id), found from the catalogue at run time, so
 * that a table another module adds later is re-pointed by a merge without anyone remembering to.
 */
export async function columnsReferencingPeople(db: Db): Promise<ForeignKeyColumn[]> {
  const { rows } = await sql<{ tableName: string; columnName: string }>`
    select cl.relname as table_name, a.attname as column_name
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'f' and c.confrelid = 'people'::regclass and ns.nspname = current_schema()
    order by 1, 2`.execute(db);
  return rows.map((r) => ({ table: r.tableName, column: r.columnName }));
}

/**
 * A unique key (primary key, unique constraint or unique index, partial ones included) on a table with a
 * column referencing people. `columns` are the key's columns (or expressions) in name order; `predicate` is a
 * partial index's WHERE clause (null for a full key), as the catalogue gives it: columns unqualified.
 */
export interface UniqueKey {
  table: string;
  constraint: string;
  columns: string[];
  predicate: string | null;
  nullsNotDistinct: boolean;
}

/**
 * Unique keys that include a column referencing people. Re-pointing such a column can collide: a full key
 * (both records have the same disability code) leaves the duplicate's row on the merged record; a partial
 * key ("one open plan per child") only collides between rows that both match its predicate, and such a
 * collision is a conflict the merge refuses (see conflictsBetween()).
 */
export async function uniqueConstraintsOnPeopleColumns(db: Db): Promise<UniqueKey[]> {
  const { rows } = await sql<{
    tableName: string;
    constraintName: string;
    columns: string[];
    predicate: string | null;
    nullsNotDistinct: boolean;
  }>`
    with fk as (
      select c.conrelid, a.attnum
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'people'::regclass
    )
    select cl.relname as table_name, i.relname as constraint_name,
      array(select pg_get_indexdef(ix.indexrelid, k, true) from generate_series(1, ix.indnkeyatts::int) k order by 1) as columns,
      pg_get_expr(ix.indpred, ix.indrelid, true) as predicate,
      coalesce((to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class cl on cl.oid = ix.indrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    where ix.indisunique and ns.nspname = current_schema()
      and exists (select 1 from fk where fk.conrelid = ix.indrelid and fk.attnum = any(ix.indkey))
    order by 1, 2`.execute(db);
  return rows.map((r) => ({
    table: r.tableName,
    constraint: r.constraintName,
    columns: r.columns,
    predicate: r.predicate,
    nullsNotDistinct: r.nullsNotDistinct,
  }));
}

/** The unique keys a column is part of. */
export function keysOn(uniques: readonly UniqueKey[], fk: ForeignKeyColumn): UniqueKey[] {
  return uniques.filter((u) => u.table === fk.table && u.columns.includes(quoteIdent(fk.column)));
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * SQL true when row `t` of fk.table, re-pointed to `toId`, would collide with a row the kept person already
 * has under `key`: both rows match the key's predicate (if partial) and agree on its other columns (NULLs
 * never collide unless the index says NULLS NOT DISTINCT). Written inside a statement over `fk.table as t`.
 */
function collision(fk: ForeignKeyColumn, toId: string, key: UniqueKey) {
  const self = quoteIdent(fk.column);
  const others = key.columns.filter((c) => c !== self);
  const eq = key.nullsNotDistinct ? sql`is not distinct from` : sql`=`;
  // Each key column or expression is evaluated on k directly (unqualified names resolve to the nearest table,
  // k) and on t through a one-row subquery, so expressions and predicates work as the catalogue prints them.
  const onT = (expr: string) => sql`(select ${sql.raw(expr)} from (select t.*) as s)`;
  const predicate = key.predicate ? sql.raw(`(${key.predicate})`) : null;
  return sql`(${predicate ? sql`coalesce(${onT(key.predicate!)}, false) and ` : sql``}exists (select 1 from ${sql.table(
    fk.table,
  )} as k where ${sql.ref(`k.${fk.column}`)} = ${toId}${predicate ? sql` and coalesce(${predicate}, false)` : sql``}${sql.join(
    others.map((c) => sql` and (${sql.raw(c)}) ${eq} ${onT(c)}`),
    sql``,
  )}))`;
}

/**
 * Rows of `fromId` in one column that would collide with a partial unique key ("one open plan per child")
 * if re-pointed to `toId`, by key: a merge refuses these rather than leaving part of an episode behind.
 */
export async function partialKeyConflicts(
  db: Db,
  fk: ForeignKeyColumn,
  fromId: string,
  toId: string,
  keys: readonly UniqueKey[],
): Promise<{ key: UniqueKey; rows: number }[]> {
  const found: { key: UniqueKey; rows: number }[] = [];
  for (const key of keys) {
    if (!key.predicate) continue;
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(fk.table)} as t
      where ${sql.ref(`t.${fk.column}`)} = ${fromId} and ${collision(fk, toId, key)}`.execute(db);
    if (rows[0]!.n) found.push({ key, rows: rows[0]!.n });
  }
  return found;
}

/**
 * Moves rows from one person to another in one column. A row that would collide with a unique key (the kept
 * person already has the same row, e.g. the same disability code or membership of the same episode) stays on
 * the merged record, where it remains visible; the count of those is returned too. Partial keys only count
 * rows that match their predicate: a closed plan moves even when the kept record has an open one.
 */
export async function repoint(
  db: Db,
  fk: ForeignKeyColumn,
  fromId: string,
  toId: string,
  keys: readonly UniqueKey[],
): Promise<{ moved: number; kept: number }> {
  const clashes = keys.map((key) => collision(fk, toId, key));
  const clash = clashes.length ? sql` and not (${sql.join(clashes, sql` or `)})` : sql``;
  const result =
    await sql`update ${sql.table(fk.table)} as t set ${sql.ref(fk.column)} = ${toId} where ${sql.ref(`t.${fk.column}`)} = ${fromId}${clash}`.execute(
      db,
    );
  const left = clashes.length
    ? (
        await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(fk.table)} where ${sql.ref(fk.column)} = ${fromId}`.execute(
          db,
        )
      ).rows[0]!.n
    : 0;
  return { moved: Number(result.numAffectedRows ?? 0), kept: Number(left) };
}

export async function mergeHistory(db: Db, personId: string) {
  return db
    .selectFrom('personMerges as m')
    .innerJoin('people as kept', 'kept.id', 'm.keptPersonId')
    .innerJoin('people as merged', 'merged.id', 'm.mergedPersonId')
    .leftJoin('users as u', 'u.id', 'm.mergedBy')
    .select([
      'm.id',
      'm.keptPersonId',
      'm.mergedPersonId',
      'm.reason',
      'm.details',
      'm.mergedAt',
      'u.displayName as mergedByName',
      'kept.givenName as keptGivenName',
      'kept.familyName as keptFamilyName',
      'kept.laChildId as keptLaChildId',
      'merged.givenName as mergedGivenName',
      'merged.familyName as mergedFamilyName',
      'merged.laChildId as mergedLaChildId',
    ])
    .where((eb) => eb.or([eb('m.keptPersonId', '=', personId), eb('m.mergedPersonId', '=', personId)]))
    .orderBy('m.mergedAt', 'desc')
    .execute();
}
