import type { Kysely, Transaction } from 'kysely';
import type { DB, PeopleRow } from '../../src/db/schema.ts';
import { generateNhsNumber } from '../../src/kernel/identifiers/index.ts';
import { DEMO_ACCOUNTS, demoEmail } from '../../src/modules/admin/organisation.seed.ts';
import type { Role } from '../../src/kernel/access/index.ts';
import {
  addPersonName,
  addWarning,
  insertPerson,
  moveToAddress,
  type PersonInsert,
} from '../../src/modules/people/person.repository.ts';
import {
  addHouseholdMember,
  createHousehold,
  insertRelationship,
} from '../../src/modules/people/relationship.repository.ts';

/**
 * Test data builders for people. Each writes through the people module's repository (so search keys and
 * LA child ids are right) and returns the stored row. Defaults are synthetic and valid; pass overrides.
 *
 *   const child = await aChild(db, { givenName: 'Olivia', dateOfBirth: '2017-03-04', postcode: 'TW1 3BZ' });
 *   const mum = await anAdult(db, { givenName: 'Claire', sex: 'F' });
 *   await aRelationship(db, child, mum, 'parent');
 *   await anAllocation(db, child, { role: 'social-worker' });
 */

type Db = Kysely<DB> | Transaction<DB>;

export interface PersonOverrides extends Partial<PersonInsert> {
  /** Gives the person a current address at this postcode. */
  postcode?: string;
  /** Local authority by DfE code instead of id (default 318, Richmond). */
  laCode?: string;
  aliases?: { givenName: string; familyName: string; kind?: 'alias' | 'previous' }[];
  warnings?: { kind: string; details: string }[];
}

let counter = 0;
let nhsSeed = 1;
const rng = () => {
  // A small deterministic generator so NHS numbers differ between builders in one file.
  nhsSeed = (nhsSeed * 48271) % 2147483647;
  return nhsSeed / 2147483647;
};

export async function localAuthorityId(db: Db, laCode = '318'): Promise<string> {
  const row = await db
    .selectFrom('localAuthorities')
    .select('id')
    .where('laCode', '=', laCode)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function aPerson(
  db: Db,
  kind: 'child' | 'adult' | 'professional',
  defaults: Partial<PersonInsert>,
  overrides: PersonOverrides,
): Promise<PeopleRow> {
  counter++;
  const { postcode, laCode, aliases, warnings, ...fields } = overrides;
  const person = await insertPerson(db, {
    localAuthorityId: fields.localAuthorityId ?? (await localAuthorityId(db, laCode)),
    kind,
    givenName: `Test${counter}`,
    familyName: 'Person',
    ...defaults,
    ...fields,
  });
  if (postcode)
    await moveToAddress(
      db,
      {
        personId: person.id,
        line1: `${counter} Test Street`,
        town: 'Twickenham',
        postcode,
        fromDate: '2020-01-01',
      },
      '2026-01-01',
    );
  for (const a of aliases ?? [])
    await addPersonName(db, {
      personId: person.id,
      kind: a.kind ?? 'alias',
      givenName: a.givenName,
      familyName: a.familyName,
    });
  for (const w of warnings ?? [])
    await addWarning(db, {
      personId: person.id,
      kind: w.kind,
      details: w.details,
      fromDate: '2025-01-01',
      createdBy: null,
    });
  return (await db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', person.id)
    .executeTakeFirstOrThrow()) as PeopleRow;
}

export function aChild(db: Db, overrides: PersonOverrides = {}): Promise<PeopleRow> {
  return aPerson(
    db,
    'child',
    { dateOfBirth: '2016-05-14', sex: 'F', ethnicityCode: 'WBRI', nhsNumber: generateNhsNumber(rng) },
    overrides,
  );
}

export function anUnbornChild(db: Db, overrides: PersonOverrides = {}): Promise<PeopleRow> {
  return aPerson(
    db,
    'child',
    { givenName: 'Baby', dateOfBirth: null, expectedDateOfBirth: '2027-02-01', sex: 'U' },
    overrides,
  );
}

export function anAdult(db: Db, overrides: PersonOverrides = {}): Promise<PeopleRow> {
  return aPerson(db, 'adult', { dateOfBirth: '1988-09-30', sex: 'F' }, overrides);
}

export function aProfessional(db: Db, overrides: PersonOverrides = {}): Promise<PeopleRow> {
  return aPerson(
    db,
    'professional',
    { givenName: 'Helen', familyName: 'Shaw', professionalRole: 'GP' },
    overrides,
  );
}

/** `related` is `person`'s `kind` (aRelationship(db, child, mother, 'parent')). */
export async function aRelationship(
  db: Db,
  person: { id: string },
  related: { id: string },
  kind: string,
  overrides: { livesWith?: boolean; parentalResponsibility?: boolean; fromDate?: string } = {},
): Promise<string> {
  return insertRelationship(db, { personId: person.id, relatedPersonId: related.id, kind, ...overrides });
}

export async function aHousehold(
  db: Db,
  members: { id: string }[],
  name = 'Test household',
): Promise<string> {
  const id = await createHousehold(db, { localAuthorityId: await localAuthorityId(db), name });
  for (const m of members)
    await addHouseholdMember(db, { householdId: id, personId: m.id, fromDate: '2020-01-01' });
  return id;
}

export async function userIdFor(db: Db, role: Role): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', demoEmail(account.email))
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Allocates a child to the demo account of a role (its worker and team), or to a team by name with no
 * worker. Returns the allocation id.
 */
export async function anAllocation(
  db: Db,
  child: { id: string },
  to:
    | { role: Role; allocationRole?: 'allocated-worker' | 'lead-practitioner' | 'co-worker' }
    | { teamName: string },
  startedOn = '2026-10-01',
): Promise<string> {
  let workerId: string | null = null;
  let teamId: string;
  if ('role' in to) {
    workerId = await userIdFor(db, to.role);
    const user = await db
      .selectFrom('users')
      .select('teamId')
      .where('id', '=', workerId)
      .executeTakeFirstOrThrow();
    teamId = user.teamId!;
  } else {
    teamId = (
      await db.selectFrom('teams').select('id').where('name', '=', to.teamName).executeTakeFirstOrThrow()
    ).id;
  }
  const row = await db
    .insertInto('allocations')
    .values({
      childId: child.id,
      workerId,
      teamId,
      role: 'role' in to ? (to.allocationRole ?? 'allocated-worker') : 'allocated-worker',
      startedOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A named grant on a (restricted) record. */
export async function aGrant(
  db: Db,
  child: { id: string },
  role: Role,
  access: 'read' | 'write' = 'write',
): Promise<string> {
  const userId = await userIdFor(db, role);
  const row = await db
    .insertInto('recordGrants')
    .values({
      childId: child.id,
      userId,
      access,
      reason: 'Test grant',
      grantedBy: userId,
      grantedAt: new Date('2026-01-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
