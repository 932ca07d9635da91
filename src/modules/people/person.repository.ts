import { sql } from 'kysely';
import type { NewPeopleRow, PeopleRow } from '../../db/schema.ts';
import { generateLaChildId } from '../../kernel/identifiers/index.ts';
import { LA_CHILD_ID_PREFIX } from './person.ts';
import { personNameKeys, searchName } from './person-names.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * Queries on people, their names, addresses, warnings and disabilities. The only place that touches
 * these tables. The first argument is the request's transaction (or a database for read-only scripts).
 */

export type PersonInsert = Omit<NewPeopleRow, 'id' | 'searchName' | 'nameKeys' | 'laChildId'> & {
  laChildId?: string | null;
};

/** Adds tokens to the dictionary the fuzzy name search expands typed names against. */
export async function addNameTokens(db: Db, tokens: readonly string[]): Promise<void> {
  const unique = [...new Set(tokens)].filter((t) => t.length > 0);
  if (!unique.length) return;
  await sql`
    insert into name_tokens (token, metaphone, metaphone_alt)
    select t, dmetaphone(t), dmetaphone_alt(t) from unnest(${unique}::text[]) as t
    on conflict (token) do nothing`.execute(db);
}

export async function nextLaChildId(db: Db): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('la_child_id_seq') as n`.execute(db);
  return generateLaChildId(LA_CHILD_ID_PREFIX, Number(rows[0]!.n));
}

export async function insertPerson(db: Db, input: PersonInsert): Promise<PeopleRow> {
  const keys = personNameKeys({
    givenName: input.givenName,
    familyName: input.familyName,
    knownAs: input.knownAs ?? null,
  });
  const laChildId = input.kind === 'child' ? (input.laChildId ?? (await nextLaChildId(db))) : null;
  const row = await db
    .insertInto('people')
    .values({ ...input, laChildId, searchName: searchName(input), nameKeys: keys })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addNameTokens(db, keys);
  return row;
}

export async function findPerson(db: Db, id: string): Promise<PeopleRow | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPersonNames(db: Db, personId: string) {
  return db
    .selectFrom('personNames')
    .select(['id', 'kind', 'givenName', 'familyName', 'fromDate', 'toDate'])
    .where('personId', '=', personId)
    .orderBy('createdAt')
    .execute();
}

/** Recomputes a person's search keys from their names (after any name changes). */
export async function refreshNameKeys(db: Db, personId: string): Promise<void> {
  const person = await db
    .selectFrom('people')
    .select(['givenName', 'familyName', 'knownAs'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const others = await listPersonNames(db, personId);
  const keys = personNameKeys({ ...person, otherNames: others });
  await db
    .updateTable('people')
    .set({ nameKeys: keys, searchName: searchName(person) })
    .where('id', '=', personId)
    .execute();
  await addNameTokens(db, keys);
}

export async function addPersonName(
  db: Db,
  input: {
    personId: string;
    kind: 'alias' | 'previous' | 'known-as';
    givenName: string;
    familyName: string;
    fromDate?: string | null;
    toDate?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('personNames')
    .values({
      ...input,
      searchName: searchName(input),
      fromDate: input.fromDate ?? null,
      toDate: input.toDate ?? null,
    })
    .execute();
  await refreshNameKeys(db, input.personId);
}

export async function listAddresses(db: Db, personId: string) {
  return db
    .selectFrom('addresses')
    .select(['id', 'line1', 'line2', 'town', 'postcode', 'fromDate', 'toDate'])
    .where('personId', '=', personId)
    .orderBy(sql`to_date is null`, 'desc')
    .orderBy('fromDate', 'desc')
    .execute();
}

/** Records a new address; the current one (if any) ends the day before the move (or on the move date if unknown). */
export async function moveToAddress(
  db: Db,
  input: {
    personId: string;
    line1: string;
    line2?: string | null;
    town?: string | null;
    postcode?: string | null;
    fromDate?: string | null;
  },
  today: string,
): Promise<string> {
  await db
    .updateTable('addresses')
    .set({ toDate: input.fromDate ?? today })
    .where('personId', '=', input.personId)
    .where('toDate', 'is', null)
    .execute();
  const row = await db
    .insertInto('addresses')
    .values({
      personId: input.personId,
      line1: input.line1,
      line2: input.line2 ?? null,
      town: input.town ?? null,
      postcode: input.postcode ?? null,
      fromDate: input.fromDate ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listWarnings(db: Db, personIds: readonly string[]) {
  if (!personIds.length) return [];
  return db
    .selectFrom('personWarnings as w')
    .leftJoin('refCodes as r', (j) => j.on('r.codeSet', '=', 'warning-kind').onRef('r.code', '=', 'w.kind'))
    .select(['w.id', 'w.personId', 'w.kind', 'w.details', 'w.fromDate', 'w.toDate', 'r.label as kindLabel'])
    .where('w.personId', 'in', [...personIds])
    .orderBy('w.fromDate', 'desc')
    .execute();
}

export async function addWarning(
  db: Db,
  input: { personId: string; kind: string; details: string; fromDate: string; createdBy: string | null },
): Promise<string> {
  const row = await db
    .insertInto('personWarnings')
    .values({ ...input, toDate: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function endWarnings(
  db: Db,
  personId: string,
  warningIds: readonly string[],
  on: string,
): Promise<number> {
  if (!warningIds.length) return 0;
  const result = await db
    .updateTable('personWarnings')
    .set({ toDate: on })
    .where('personId', '=', personId)
    .where('id', 'in', [...warningIds])
    .where('toDate', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listDisabilities(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('personDisabilities')
    .select('code')
    .where('personId', '=', personId)
    .execute();
  return rows.map((r) => r.code);
}

export async function setDisabilities(db: Db, personId: string, codes: readonly string[]): Promise<void> {
  await db.deleteFrom('personDisabilities').where('personId', '=', personId).execute();
  if (codes.length)
    await db
      .insertInto('personDisabilities')
      .values(codes.map((code) => ({ personId, code })))
      .execute();
}

export interface RefCode {
  value: string;
  text: string;
  hint?: string;
}

/** A reference code set for a form's list, in its order, only codes valid today. */
export async function refCodeSet(db: Db, codeSet: string, today: string): Promise<RefCode[]> {
  const rows = await db
    .selectFrom('refCodes')
    .select(['code', 'label', 'description'])
    .where('codeSet', '=', codeSet)
    .where((eb) => eb.or([eb('validFrom', 'is', null), eb('validFrom', '<=', today)]))
    .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>=', today)]))
    .orderBy('sortOrder')
    .orderBy('label')
    .execute();
  return rows.map((r) => ({
    value: r.code,
    text: r.label,
    ...(r.description && !r.description.startsWith('inverse:') ? { hint: r.description } : {}),
  }));
}

/** Labels for codes of several sets at once: `labels.get('ethnicity:WBRI')`. */
export async function refCodeLabels(db: Db, codeSets: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('refCodes')
    .select(['codeSet', 'code', 'label'])
    .where('codeSet', 'in', [...codeSets])
    .execute();
  return new Map(rows.map((r) => [`${r.codeSet}:${r.code}`, r.label]));
}

export async function isRefCode(db: Db, codeSet: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('refCodes')
    .select('code')
    .where('codeSet', '=', codeSet)
    .where('code', '=', code)
    .executeTakeFirst();
  return !!row;
}

/** Local authorities a user may create records in, with names. */
export async function localAuthoritiesByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .where('id', 'in', [...ids])
    .orderBy('name')
    .execute();
}
