import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import {
  aChild,
  aGrant,
  aHousehold,
  anAdult,
  anAllocation,
  aRelationship,
  userIdFor,
} from '../../../test/builders/people.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { insertCaseNote } from './case-note.repository.ts';
import {
  columnsReferencingPeople,
  mergeHistory,
  uniqueConstraintsOnPeopleColumns,
} from './person-merge.repository.ts';
import { MERGE_EXCLUDED_COLUMNS, mergePeople } from './person-merge.service.ts';
import { setDisabilities } from './person.repository.ts';
import { searchPeople } from './person-search.service.ts';

let handle: DatabaseHandle;
let manager: CurrentUser;
let socialWorker: CurrentUser;
const now = new Date('2026-11-24T10:30:00Z');

beforeAll(async () => {
  handle = await testDb();
  manager = (await loadCurrentUser(handle.db, await userIdFor(handle.db, 'team-manager'), null))!;
  socialWorker = (await loadCurrentUser(handle.db, await userIdFor(handle.db, 'social-worker'), null))!;
});
afterAll(async () => {
  await handle?.close();
});

const merge = (user: CurrentUser, thisId: string, otherId: string, keep: 'this' | 'other' = 'this') =>
  handle.db
    .transaction()
    .execute((trx) => mergePeople(trx, user, { thisId, otherId, keep, reason: 'Same child' }, now));

describe('merging records', () => {
  it('re-points every row in every table that references the duplicate, and keeps both histories', async () => {
    const db = handle.db;
    const kept = await aChild(db, {
      givenName: 'Jayden',
      familyName: 'Clarke',
      dateOfBirth: '2016-10-09',
      nhsNumber: null,
      postcode: 'TW2 7AB',
    });
    const dup = await aChild(db, {
      givenName: 'Jaden',
      familyName: 'Clark',
      dateOfBirth: '2016-10-09',
      nhsNumber: '9990001232'.slice(0, 9) + '0',
      postcode: 'TW2 7AB',
      aliases: [{ givenName: 'JJ', familyName: 'Clark' }],
      warnings: [{ kind: 'medical', details: 'Asthma' }],
    });
    const mum = await anAdult(db, { givenName: 'Kerry', familyName: 'Clarke' });
    await aRelationship(db, kept, mum, 'parent');
    await aRelationship(db, dup, mum, 'parent'); // the same relationship on both: one is kept
    await aRelationship(db, kept, dup, 'sibling'); // recorded in error between the two: removed
    await setDisabilities(db, kept.id, ['AUT']);
    await setDisabilities(db, dup.id, ['AUT', 'LD']);
    await aHousehold(db, [kept, dup, mum]);
    await anAllocation(db, dup, { role: 'social-worker' });
    await aGrant(db, dup, 'team-manager');
    await db
      .insertInto('breakGlassAccesses')
      .values({ childId: dup.id, userId: socialWorker.id, reason: 'Urgent', openedAt: now, expiresAt: now })
      .execute();
    await db.transaction().execute(async (trx) => {
      await appendCaseEvent(trx, {
        childId: dup.id,
        occurredAt: now,
        recordedAt: now,
        recordedBy: null,
        category: 'contact',
        title: 'Contact about Jaden',
      });
      await appendCaseEvent(trx, {
        childId: kept.id,
        occurredAt: now,
        recordedAt: now,
        recordedBy: null,
        category: 'contact',
        title: 'Contact about Jayden',
      });
      await insertCaseNote(trx, {
        childId: dup.id,
        noteType: 'phone-call',
        occurredOn: '2026-11-01',
        title: 'Call',
        body: 'Body',
        recordedAt: now,
        recordedBy: null,
      });
    });
    await db
      .insertInto('documents')
      .values({
        personId: dup.id,
        title: 'Doc',
        category: 'other',
        originalFilename: 'a.pdf',
        contentType: 'application/pdf',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
        storageKey: 'b'.repeat(32),
        scanResult: 'not-scanned',
        scanner: 'none',
        uploadedAt: now,
      })
      .execute();
    const mergedEarlier = await aChild(db, { givenName: 'Jaiden', familyName: 'Clark' });
    await db
      .updateTable('people')
      .set({ mergedIntoId: dup.id, mergedAt: now })
      .where('id', '=', mergedEarlier.id)
      .execute();

    const result = await merge(manager, kept.id, dup.id);

    // Nothing anywhere still points at the duplicate, apart from the merge's own record of it and the one
    // disability code the kept record already had (a unique key: left on the merged record, not deleted).
    for (const fk of await columnsReferencingPeople(db)) {
      if (MERGE_EXCLUDED_COLUMNS.includes(`${fk.table}.${fk.column}`)) continue;
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(fk.table)} where ${sql.ref(fk.column)} = ${dup.id}`.execute(
        db,
      );
      const expected = fk.table === 'person_disabilities' ? 1 : 0;
      expect({ column: `${fk.table}.${fk.column}`, n: rows[0]!.n }).toEqual({
        column: `${fk.table}.${fk.column}`,
        n: expected,
      });
    }
    expect(result.leftOnMergedRecord).toEqual({ 'person_disabilities.person_id': 1 });
    expect(result.moved).toMatchObject({
      'case_events.child_id': 1,
      'case_notes.child_id': 1,
      'documents.person_id': 1,
      'allocations.child_id': 1,
      'record_grants.child_id': 1,
    });
    const events = await db.selectFrom('caseEvents').select('title').where('childId', '=', kept.id).execute();
    expect(events.map((e) => e.title)).toEqual(
      expect.arrayContaining(['Contact about Jaden', 'Contact about Jayden']),
    );
    const rels = await db
      .selectFrom('relationships')
      .selectAll()
      .where((eb) => eb.or([eb('personId', '=', kept.id), eb('relatedPersonId', '=', kept.id)]))
      .execute();
    expect(rels.map((r) => r.kind)).toEqual(['parent']);
    expect(
      (
        await db
          .selectFrom('personDisabilities')
          .select('code')
          .where('personId', '=', kept.id)
          .orderBy('code')
          .execute()
      ).map((d) => d.code),
    ).toEqual(['AUT', 'LD']);
    const keptRow = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', kept.id)
      .executeTakeFirstOrThrow();
    expect(keptRow.nhsNumber).toBe(dup.nhsNumber);
    const dupRow = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', dup.id)
      .executeTakeFirstOrThrow();
    expect(dupRow.mergedIntoId).toBe(kept.id);
    expect(dupRow.nhsNumber).toBeNull();
    const earlier = await db
      .selectFrom('people')
      .select('mergedIntoId')
      .where('id', '=', mergedEarlier.id)
      .executeTakeFirstOrThrow();
    expect(earlier.mergedIntoId).toBe(kept.id);
    // Explained afterwards on both records, and audited on both.
    const historyKept = await mergeHistory(db, kept.id);
    const historyDup = await mergeHistory(db, dup.id);
    expect(historyKept).toHaveLength(1);
    expect(historyDup[0]!.id).toBe(historyKept[0]!.id);
    expect(historyKept[0]!.reason).toBe('Same child');
    const audits = await db
      .selectFrom('auditEvents')
      .select(['childId'])
      .where('action', '=', 'person.merged')
      .execute();
    expect(audits.map((a) => a.childId).sort()).toEqual([kept.id, dup.id].sort());
    // The duplicate's name and alias now find the kept record; the duplicate itself is hidden.
    const found = await db
      .transaction()
      .execute((trx) => searchPeople(trx, manager, { name: 'Jaden Clark' }, now));
    expect(found[0]!.id).toBe(kept.id);
    expect(found.map((f) => f.id)).not.toContain(dup.id);
    expect(found[0]!.reasons.join(' ')).toContain('Alias matches');
  });

  it('finds the unique keys that include a column referencing people (so re-pointing never breaks one)', async () => {
    const found = await uniqueConstraintsOnPeopleColumns(handle.db);
    expect(found).toEqual(
      expect.arrayContaining([
        {
          table: 'person_disabilities',
          constraint: 'person_disabilities_pkey',
          columns: ['code', 'person_id'],
        },
      ]),
    );
  });

  it('knows the tables that reference people today (a new one is merged automatically; check it needs nothing special)', async () => {
    const columns = (await columnsReferencingPeople(handle.db)).map((c) => `${c.table}.${c.column}`);
    expect(columns).toEqual(
      expect.arrayContaining([
        'case_events.child_id',
        'relationships.person_id',
        'relationships.related_person_id',
        'people.merged_into_id',
        'documents.person_id',
        'case_notes.child_id',
        'household_members.person_id',
      ]),
    );
  });

  it('refuses to merge a record into itself', async () => {
    const child = await aChild(handle.db);
    await expect(merge(manager, child.id, child.id)).rejects.toThrow(/You cannot merge a record into itself/);
  });

  it('refuses a restricted record without a named grant, and allows it with one', async () => {
    const open = await aChild(handle.db, { nhsNumber: null });
    const restricted = await aChild(handle.db, { restricted: true, nhsNumber: null });
    await anAllocation(handle.db, restricted, { teamName: 'Assessment Team' });
    const refused = merge(manager, open.id, restricted.id);
    await expect(refused).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(merge(manager, open.id, restricted.id)).rejects.toThrow(
      /restricted record: you need a named grant/,
    );
    await aGrant(handle.db, restricted, 'team-manager');
    await merge(manager, open.id, restricted.id, 'other');
    const openRow = await handle.db
      .selectFrom('people')
      .select('mergedIntoId')
      .where('id', '=', open.id)
      .executeTakeFirstOrThrow();
    expect(openRow.mergedIntoId).toBe(restricted.id);
  });

  it('refuses records with different NHS numbers, of different kinds, or one the user cannot see', async () => {
    const a = await aChild(handle.db);
    const b = await aChild(handle.db);
    await expect(merge(manager, a.id, b.id)).rejects.toThrow(/different NHS numbers/);
    const adult = await anAdult(handle.db, { nhsNumber: null });
    const child = await aChild(handle.db, { nhsNumber: null });
    await expect(merge(manager, child.id, adult.id)).rejects.toThrow(/same kind/);
    const hidden = await aChild(handle.db, { restricted: true, nhsNumber: null });
    await expect(merge(manager, child.id, hidden.id)).rejects.toThrow(/No record found/);
  });

  it('cannot merge without the permission', async () => {
    const a = await aChild(handle.db, { nhsNumber: null });
    const b = await aChild(handle.db, { nhsNumber: null });
    await expect(merge(socialWorker, a.id, b.id)).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
