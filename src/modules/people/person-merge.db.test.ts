import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { auditActor } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { readContextFor } from '../../../test/builders/context.ts';
import { anEarlyHelpEpisode, serviceContext } from '../../../test/builders/early-help.ts';
import { aContactInMashEnquiry } from '../../../test/builders/front-door.ts';
import {
  calendar,
  run,
  socialCareRecordsFor,
  userFor,
  contextFor,
} from '../../../test/builders/social-care.ts';
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
import { accessLog } from '../record-access/record-access.service.ts';
import { endCpPlan } from '../social-care/child-protection.service.ts';
import { closeEpisode } from '../social-care/closure.service.ts';
import { recordVisit } from '../social-care/visits.service.ts';
import { insertCaseNote } from './case-note.repository.ts';
import {
  columnsReferencingPeople,
  mergeHistory,
  uniqueConstraintsOnPeopleColumns,
} from './person-merge.repository.ts';
import { MERGE_EXCLUDED_COLUMNS, mergePeople, mergeRefusal } from './person-merge.service.ts';
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

/** How many rows in each column referencing people (found from the catalogue) point at a person. */
async function rowsReferencing(personId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const fk of await columnsReferencingPeople(handle.db)) {
    if (MERGE_EXCLUDED_COLUMNS.includes(`${fk.table}.${fk.column}`)) continue;
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(fk.table)} where ${sql.ref(fk.column)} = ${personId}`.execute(
      handle.db,
    );
    if (rows[0]!.n) counts[`${fk.table}.${fk.column}`] = rows[0]!.n;
  }
  return counts;
}

async function aDocument(personId: string) {
  await handle.db
    .insertInto('documents')
    .values({
      personId,
      title: 'Doc',
      category: 'other',
      originalFilename: 'a.pdf',
      contentType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      storageKey: crypto.randomUUID().replace(/-/g, ''),
      scanResult: 'not-scanned',
      scanner: 'none',
      uploadedAt: now,
    })
    .execute();
}

const merge = (user: CurrentUser, thisId: string, otherId: string, keep: 'this' | 'other' = 'this') =>
  handle.db
    .transaction()
    .execute((trx) =>
      mergePeople(contextFor(trx, user, now), { thisId, otherId, keep, reason: 'Same child' }),
    );

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
    const found = await searchPeople(readContextFor(db, manager, now), { name: 'Jaden Clark' });
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
          predicate: null,
          nullsNotDistinct: false,
        },
        {
          table: 'cp_plans',
          constraint: 'cp_plans_one_open_per_child',
          columns: ['child_id'],
          predicate: 'end_date IS NULL',
          nullsNotDistinct: false,
        },
        {
          table: 'cin_plans',
          constraint: 'cin_plans_one_open_per_child',
          columns: ['child_id'],
          predicate: 'end_date IS NULL',
          nullsNotDistinct: false,
        },
      ]),
    );
  });

  it('moves contacts, early help, CIN episodes with all their plans (closed ones too), visits, documents and allocations, though the kept record has plans of its own', async () => {
    const db = handle.db;
    const sw = await userFor(db, 'social-worker');
    // The duplicate came in through the front door, had early help, then a CIN episode with a CIN plan and a
    // child protection plan, both ended, and visits; the episode is closed.
    const contact = await aContactInMashEnquiry(db, calendar, now);
    const dupId = contact.personId;
    await anEarlyHelpEpisode(db, { now, children: [{ id: dupId }] });
    await anAllocation(db, { id: dupId }, { role: 'social-worker' });
    const dupCare = await socialCareRecordsFor(db, dupId, now);
    await run(db, (trx) =>
      recordVisit(contextFor(trx, sw, now), {
        episodeId: dupCare.episodeId,
        visitedOn: '2026-11-21',
        childSeen: true,
        seenAlone: true,
        notes: 'Seen at home',
      }),
    );
    await run(db, (trx) =>
      endCpPlan(contextFor(trx, sw, now), {
        cpPlanId: dupCare.cpPlanId,
        endDate: '2026-11-23',
        reason: 'other',
        notes: 'Ended',
      }),
    );
    await run(db, (trx) =>
      closeEpisode(contextFor(trx, sw, now), {
        episodeId: dupCare.episodeId,
        closureDate: '2026-11-24',
        reason: 'RC7',
        notes: 'Moved',
      }),
    );
    await aDocument(dupId);
    // The kept record: an open CIN episode with an ended CIN plan and an open child protection plan, a visit,
    // its own contact, a document and an allocation.
    const kept = await aChild(db, { givenName: 'Fixture', familyName: 'Frontdoor', nhsNumber: null });
    await anAllocation(db, kept, { role: 'social-worker' });
    // A referral needs the child's disabilities (census rule 8540): the kept record has its own code, so the
    // duplicate's (“No disability”, from the builder) moves across rather than clashing.
    await db.insertInto('personDisabilities').values({ personId: kept.id, code: 'LD' }).execute();
    const keptCare = await socialCareRecordsFor(db, kept.id, now);
    await run(db, (trx) =>
      recordVisit(contextFor(trx, sw, now), {
        episodeId: keptCare.episodeId,
        visitedOn: '2026-11-22',
        childSeen: true,
        seenAlone: false,
        notes: 'Seen',
      }),
    );
    const keptContact = await aContactInMashEnquiry(db, calendar, now);
    await db
      .updateTable('contactChildren')
      .set({ personId: kept.id })
      .where('id', '=', keptContact.contactChildId)
      .execute();
    await aDocument(kept.id);

    const before = await rowsReferencing(dupId);
    expect(before).toMatchObject({
      'contact_children.person_id': 1,
      'early_help_episode_children.child_id': 1,
      'cin_episodes.child_id': 1,
      'cin_plans.child_id': 1,
      'cp_plans.child_id': 1,
      'statutory_visits.child_id': 1,
      'documents.person_id': 1,
    });
    expect(before['case_events.child_id']).toBeGreaterThan(3);
    expect(before['allocations.child_id']).toBeGreaterThan(0);
    const keptBefore = await rowsReferencing(kept.id);

    const result = await merge(manager, kept.id, dupId);

    // Every row moved: nothing references the duplicate (bar the merge's own record), nothing was left behind.
    expect(await rowsReferencing(dupId)).toEqual({});
    expect(result.leftOnMergedRecord).toEqual({});
    expect(result.moved).toMatchObject(before);
    const keptAfter = await rowsReferencing(kept.id);
    for (const [column, n] of Object.entries(before)) {
      expect({ column, n: keptAfter[column] }).toEqual({
        column,
        n: n + (keptBefore[column] ?? 0) + (column === 'case_events.child_id' ? 1 : 0),
      });
    }
    // Each plan and visit is on the same child as its episode.
    for (const table of ['cin_plans', 'cp_plans', 'statutory_visits']) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} x join cin_episodes e on e.id = x.episode_id
        where x.child_id <> e.child_id and ${kept.id} in (x.child_id, e.child_id)`.execute(db);
      expect({ table, n: rows[0]!.n }).toEqual({ table, n: 0 });
    }
    const plans = await db
      .selectFrom('cpPlans')
      .select(['episodeId', 'endDate'])
      .where('childId', '=', kept.id)
      .orderBy('startDate')
      .execute();
    expect(plans.map((p) => p.episodeId).sort()).toEqual([dupCare.episodeId, keptCare.episodeId].sort());
    expect(plans.filter((p) => p.endDate === null)).toHaveLength(1);
  });

  it('refuses to merge records that both have open work a child can only have one of, naming it, and changes nothing', async () => {
    const db = handle.db;
    const a = await aChild(db, { givenName: 'Open', familyName: 'Twice', nhsNumber: null });
    const b = await aChild(db, { givenName: 'Open', familyName: 'Twice', nhsNumber: null });
    await anEarlyHelpEpisode(db, { now, children: [a] });
    await anEarlyHelpEpisode(db, { now, children: [b] });
    await anAllocation(db, a, { role: 'social-worker' });
    await anAllocation(db, b, { role: 'social-worker' });
    await socialCareRecordsFor(db, a.id, now);
    await socialCareRecordsFor(db, b.id, now);
    const before = { a: await rowsReferencing(a.id), b: await rowsReferencing(b.id) };

    const refused = await merge(manager, a.id, b.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect((refused as BusinessRuleError).field).toBe('otherPersonId');
    const message = (refused as BusinessRuleError).message;
    expect(message).toMatch(/^Both records have /);
    expect(message).toContain('an open children in need episode');
    expect(message).toContain('an open early help episode');
    expect(message).toContain('an open child protection plan');
    expect(message).not.toContain('an open child in need plan'); // both ended when the CP plans started
    expect(message).toContain('close or end one of them first');
    // The comparison page shows the same reason before anyone fills in the form.
    const onPage = await db
      .transaction()
      .execute((trx) => mergeRefusal(contextFor(trx, manager, now), { thisId: a.id, otherId: b.id }));
    expect(onPage?.message).toBe(message);
    // Nothing changed.
    expect({ a: await rowsReferencing(a.id), b: await rowsReferencing(b.id) }).toEqual(before);
    const rows = await db
      .selectFrom('people')
      .select('mergedIntoId')
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows.map((r) => r.mergedIntoId)).toEqual([null, null]);
    expect(await mergeHistory(db, b.id)).toEqual([]);
  });

  it('lists the audit events of every record merged into this one on its access log, labelled with the original record', async () => {
    const db = handle.db;
    const a = await aChild(db, {
      givenName: 'Logan',
      familyName: 'Price',
      nhsNumber: null,
      laChildId: 'LOGA1',
    });
    const b = await aChild(db, {
      givenName: 'Logen',
      familyName: 'Price',
      nhsNumber: null,
      laChildId: 'LOGB1',
    });
    const c = await aChild(db, {
      givenName: 'Logun',
      familyName: 'Pryce',
      nhsNumber: null,
      laChildId: 'LOGC1',
    });
    const viewed = (childId: string) =>
      db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          actor: auditActor(socialWorker),
          action: 'child-record.viewed',
          subjectType: 'person',
          subjectId: childId,
          childId,
          occurredAt: now,
          details: { page: 'record' },
        }),
      );
    await viewed(a.id);
    await viewed(b.id);
    await viewed(c.id);
    await merge(manager, b.id, c.id); // c into b
    await merge(manager, a.id, b.id); // then b into a: c's history reaches a through the chain

    const log = await db
      .transaction()
      .execute((trx) =>
        accessLog(serviceContext(trx, manager, now), { personId: a.id, page: { limit: 100, offset: 0 } }),
      );
    const views = log.rows.filter((r) => r.action === 'child-record.viewed');
    expect(views.map((r) => r.originalRecord).sort()).toEqual([
      'Logen Price (LOGB1), merged into this record',
      'Logun Pryce (LOGC1), merged into this record',
      null,
    ]);
    const fromC = views.find((r) => r.childId === c.id)!;
    expect(fromC.details).toEqual({
      originalRecord: 'Logun Pryce (LOGC1), merged into this record',
      page: 'record',
    });
    expect(views.find((r) => r.childId === a.id)!.details).toEqual({ page: 'record' });
    expect(log.total).toBe(log.rows.length);
    // Each merge is audited on both records: b's and c's entries reach a's log too (2 merges x 2 records).
    expect(log.rows.filter((r) => r.action === 'person.merged')).toHaveLength(4);
    // b's own log (still readable) has b's and c's entries, not a's.
    const bLog = await db
      .transaction()
      .execute((trx) =>
        accessLog(serviceContext(trx, manager, now), { personId: b.id, page: { limit: 100, offset: 0 } }),
      );
    expect(new Set(bLog.rows.map((r) => r.childId))).toEqual(new Set([b.id, c.id]));
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
