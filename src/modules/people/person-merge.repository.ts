import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

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
 * Unique constraints, primary keys and unique indexes that include a column referencing people:
 * re-pointing such a column can collide (both records have the same disability code), which repoint()
 * avoids by leaving the colliding rows on the merged record.
 */
export async function uniqueConstraintsOnPeopleColumns(
  db: Db,
): Promise<{ table: string; constraint: string; columns: string[] }[]> {
  const { rows } = await sql<{ tableName: string; constraintName: string; columns: string[] }>`
    with fk as (
      select c.conrelid, a.attnum
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'people'::regclass
    )
    select cl.relname as table_name, c.conname as constraint_name,
      array(select a.attname::text from pg_attribute a where a.attrelid = c.conrelid and a.attnum = any(c.conkey) order by a.attname) as columns
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    where c.contype in ('p', 'u') and exists (select 1 from fk where fk.conrelid = c.conrelid and fk.attnum = any(c.conkey))
    union
    select cl.relname, i.relname,
      array(select a.attname::text from pg_attribute a where a.attrelid = ix.indrelid and a.attnum = any(ix.indkey) order by a.attname)
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class cl on cl.oid = ix.indrelid
    where ix.indisunique and not ix.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid)
      and exists (select 1 from fk where fk.conrelid = ix.indrelid and fk.attnum = any(ix.indkey))
    order by 1, 2`.execute(db);
  return rows.map((r) => ({ table: r.tableName, constraint: r.constraintName, columns: r.columns }));
}

/**
 * Moves rows from one person to another in one column. A row that would collide with a unique constraint
 * (the kept person already has the same row, e.g. the same disability code or the same episode) stays on
 * the merged record, where it remains visible; the count of those is returned too.
 */
export async function repoint(
  db: Db,
  fk: ForeignKeyColumn,
  fromId: string,
  toId: string,
  uniqueWith: readonly (readonly string[])[],
): Promise<{ moved: number; kept: number }> {
  const clashes = uniqueWith.map(
    (others) =>
      sql`exists (select 1 from ${sql.table(fk.table)} k where ${sql.ref(`k.${fk.column}`)} = ${toId}${sql.join(
        others.map((c) => sql` and ${sql.ref(`k.${c}`)} is not distinct from ${sql.ref(`t.${c}`)}`),
        sql``,
      )})`,
  );
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
