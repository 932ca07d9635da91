import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/** Relationships between people, and households (who lives together). */

export interface RelationshipInsert {
  personId: string;
  relatedPersonId: string;
  /** What the related person is to the person (parent: the related person is the person's parent). */
  kind: string;
  fromDate?: string | null;
  toDate?: string | null;
  parentalResponsibility?: boolean;
  livesWith?: boolean;
  notes?: string | null;
  createdBy?: string | null;
}

export async function insertRelationship(db: Db, input: RelationshipInsert): Promise<string> {
  const row = await db
    .insertInto('relationships')
    .values({
      personId: input.personId,
      relatedPersonId: input.relatedPersonId,
      kind: input.kind,
      fromDate: input.fromDate ?? null,
      toDate: input.toDate ?? null,
      parentalResponsibility: input.parentalResponsibility ?? false,
      livesWith: input.livesWith ?? false,
      notes: input.notes ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function relationshipExists(db: Db, a: string, b: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('relationships')
    .select('id')
    .where('kind', '=', kind)
    .where('toDate', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('personId', '=', a), eb('relatedPersonId', '=', b)]),
        eb.and([eb('personId', '=', b), eb('relatedPersonId', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return !!row;
}

export interface RelationshipRow {
  id: string;
  personId: string;
  relatedPersonId: string;
  kind: string;
  fromDate: string | null;
  toDate: string | null;
  parentalResponsibility: boolean;
  livesWith: boolean;
  notes: string | null;
  endReason: string | null;
}

/** Every relationship with one of these people at either end. */
export async function relationshipsTouching(
  db: Db,
  personIds: readonly string[],
): Promise<RelationshipRow[]> {
  if (!personIds.length) return [];
  const ids = [...personIds];
  return db
    .selectFrom('relationships')
    .select([
      'id',
      'personId',
      'relatedPersonId',
      'kind',
      'fromDate',
      'toDate',
      'parentalResponsibility',
      'livesWith',
      'notes',
      'endReason',
    ])
    .where((eb) => eb.or([eb('personId', 'in', ids), eb('relatedPersonId', 'in', ids)]))
    .orderBy('createdAt')
    .execute();
}

export async function createHousehold(
  db: Db,
  input: {
    localAuthorityId: string;
    name: string;
    addressLine1?: string | null;
    postcode?: string | null;
    createdBy?: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('households')
    .values({
      localAuthorityId: input.localAuthorityId,
      name: input.name,
      addressLine1: input.addressLine1 ?? null,
      postcode: input.postcode ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addHouseholdMember(
  db: Db,
  input: { householdId: string; personId: string; fromDate?: string | null; createdBy?: string | null },
): Promise<void> {
  const existing = await db
    .selectFrom('householdMembers')
    .select('id')
    .where('householdId', '=', input.householdId)
    .where('personId', '=', input.personId)
    .where('toDate', 'is', null)
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('householdMembers')
    .values({
      householdId: input.householdId,
      personId: input.personId,
      fromDate: input.fromDate ?? null,
      createdBy: input.createdBy ?? null,
    })
    .execute();
}

export async function currentHouseholdOf(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('householdMembers')
    .select('householdId')
    .where('personId', '=', personId)
    .where('toDate', 'is', null)
    .orderBy('createdAt', 'desc')
    .executeTakeFirst();
  return row?.householdId ?? null;
}

/** Households any of these people belong to (now or before), with every member. */
export async function householdsOf(db: Db, personIds: readonly string[]) {
  if (!personIds.length) return [];
  const { rows } = await sql<{
    householdId: string;
    name: string;
    addressLine1: string | null;
    postcode: string | null;
    membershipId: string;
    personId: string;
    fromDate: string | null;
    toDate: string | null;
    endReason: string | null;
  }>`
    select h.id as household_id, h.name, h.address_line1, h.postcode, m.id as membership_id, m.person_id, m.from_date, m.to_date, m.end_reason
    from households h
    join household_members m on m.household_id = h.id
    where h.id in (select household_id from household_members where person_id = any(${[...personIds]}::uuid[]))
    order by h.created_at, m.created_at`.execute(db);
  return rows;
}

/**
 * The adults around children now, from the children's records: each current relationship (not ended) to an adult
 * whose record is live, as what the adult is to the child (kind) and the adult's recorded sex.
 */
export async function currentAdultsAround(
  db: Db,
  childIds: readonly string[],
): Promise<{ childId: string; adultId: string; kind: string; sex: string | null }[]> {
  if (!childIds.length) return [];
  return db
    .selectFrom('relationships as r')
    .innerJoin('people as p', 'p.id', 'r.relatedPersonId')
    .select(['r.personId as childId', 'r.relatedPersonId as adultId', 'r.kind', 'p.sex'])
    .where('r.personId', 'in', [...childIds])
    .where('r.toDate', 'is', null)
    .where('p.kind', '=', 'adult')
    .where('p.mergedIntoId', 'is', null)
    .orderBy('r.createdAt')
    .execute();
}

/**
 * The people who hold parental responsibility for a child now (current relationships recorded on the child with
 * parental responsibility), oldest relationship first: for the family group decision making offer (social care).
 */
export async function parentalResponsibilityHolders(
  db: Db,
  childId: string,
): Promise<{ personId: string; name: string; kind: string }[]> {
  const rows = await db
    .selectFrom('relationships as r')
    .innerJoin('people as p', 'p.id', 'r.relatedPersonId')
    .select(['r.relatedPersonId as personId', 'p.givenName', 'p.familyName', 'r.kind'])
    .where('r.personId', '=', childId)
    .where('r.parentalResponsibility', '=', true)
    .where('r.toDate', 'is', null)
    .where('p.mergedIntoId', 'is', null)
    .orderBy('r.createdAt')
    .orderBy('r.id')
    .limit(50)
    .execute();
  return rows.map((r) => ({ personId: r.personId, name: `${r.givenName} ${r.familyName}`, kind: r.kind }));
}

/** The names of the adults with current parent or carer relationships to a child, for addressing a letter. */
export async function parentAndCarerNames(db: Db, childId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('relationships as r')
    .innerJoin('people as p', 'p.id', 'r.relatedPersonId')
    .select(['p.givenName', 'p.familyName'])
    .where('r.personId', '=', childId)
    .where('r.toDate', 'is', null)
    .where('r.kind', 'in', ['parent', 'step-parent', 'carer'])
    .where('p.kind', '=', 'adult')
    .where('p.mergedIntoId', 'is', null)
    .orderBy('p.familyName')
    .orderBy('p.givenName')
    .limit(4)
    .execute();
  return rows.map((r) => `${r.givenName} ${r.familyName}`);
}
