import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { sealAuditTrail, verifyAuditTrail } from '../../kernel/audit-trail/index.ts';
import { DEVELOPMENT_AUDIT_CHAIN_KEY as key } from '../../config.ts';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { DEMO_EMAIL_DOMAIN, type SeededOrganisation } from '../admin/organisation.seed.ts';
import { seedDemoPeople } from '../people/index.ts';
import { frontDoorWorktray } from './front-door.worktray.ts';
import { DEMO_HEALTH_EMAIL, seedDemoFrontDoor } from './front-door.seed.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';

let handle: DatabaseHandle;
const calendar = createWorkingDayCalendar();
const NOW = new Date('2026-11-25T10:15:00Z'); // a Wednesday

/** The template's demo organisation, in the shape the seeds take. */
async function organisation(): Promise<SeededOrganisation> {
  const db = handle.db;
  const la = async (code: string) =>
    (
      await db
        .selectFrom('localAuthorities')
        .select('id')
        .where('laCode', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  const byName = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.name, r.id]));
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  return {
    richmondId: await la('318'),
    kingstonId: await la('314'),
    teams: byName(await db.selectFrom('teams').select(['id', 'name']).execute()),
    clusters: byName(await db.selectFrom('clusters').select(['id', 'name']).execute()),
    agencies: byName(await db.selectFrom('agencies').select(['id', 'name']).execute()),
    users: new Map(
      users
        .filter((u) => u.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`))
        .map((u) => [u.email.split('@')[0]!, u.id]),
    ),
  };
}

beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle?.close();
});

describe('front-door demo data', () => {
  it('makes a contact to screen, a red MASH enquiry with an overdue police request, and a decision to authorise', async () => {
    const org = await organisation();
    await handle.db.transaction().execute(async (trx) => {
      await seedDemoPeople(trx, org, NOW);
      expect(await seedDemoFrontDoor(trx, org, NOW, calendar)).toEqual({ contacts: 3 });
    });
    const contacts = await handle.db
      .selectFrom('contacts')
      .select(['id', 'status', 'rag', 'referralSource'])
      .orderBy('receivedAt')
      .execute();
    expect(contacts.map((c) => c.status).sort()).toEqual([
      'awaiting-authorisation',
      'awaiting-screening',
      'mash-enquiry',
    ]);
    const red = contacts.find((c) => c.status === 'mash-enquiry')!;
    expect(red.rag).toBe('red');
    const requests = await handle.db
      .selectFrom('informationRequests as r')
      .innerJoin('agencies as a', 'a.id', 'r.agencyId')
      .select(['a.kind', 'r.status', 'r.dueAt'])
      .where('r.contactId', '=', red.id)
      .orderBy('a.kind')
      .execute();
    expect(requests).toEqual([
      { kind: 'health', status: 'answered', dueAt: new Date('2026-11-24T14:00:00Z') },
      { kind: 'police', status: 'open', dueAt: new Date('2026-11-24T14:00:00Z') },
    ]);
    // The red enquiry's children are the known Ashworth children.
    const linked = await handle.db
      .selectFrom('contactChildren as cc')
      .innerJoin('people as p', 'p.id', 'cc.personId')
      .select(['p.familyName', 'cc.knownToServices'])
      .where('cc.contactId', '=', red.id)
      .execute();
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((l) => l.familyName === 'Ashworth' && l.knownToServices)).toBe(true);

    const mash = (await loadCurrentUser(handle.db, org.users.get('mash.practitioner')!, null))!;
    const tray = await handle.db
      .transaction()
      .execute((trx) => frontDoorWorktray({ db: trx, user: mash, now: NOW, today: '2026-11-25', calendar }));
    expect(tray.map((i) => i.kind).sort()).toEqual([
      'contact-decision',
      'information-request-overdue',
      'mash-enquiry',
    ]);
    const manager = (await loadCurrentUser(handle.db, org.users.get('mash.manager')!, null))!;
    const managerTray = await handle.db
      .transaction()
      .execute((trx) =>
        frontDoorWorktray({ db: trx, user: manager, now: NOW, today: '2026-11-25', calendar }),
      );
    expect(managerTray.map((i) => i.kind)).toContain('contact-authorisation');
    expect(
      await handle.db
        .selectFrom('users')
        .select('agencyId')
        .where('email', '=', DEMO_HEALTH_EMAIL)
        .executeTakeFirstOrThrow(),
    ).toEqual({ agencyId: org.agencies.get('Kingston and Richmond NHS Foundation Trust') });
    await sealAuditTrail(handle.db, { key, wait: true });
    expect(await verifyAuditTrail(handle.db, { key })).toMatchObject({ ok: true, unsealed: 0 });
  });
});
