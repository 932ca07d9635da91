import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { DEMO_ACCOUNTS, demoEmail, type SeededOrganisation } from '../admin/organisation.seed.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { seedDemoPeople } from './people.seed.ts';
import { searchPeople } from './person-search.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { readContextFor } from '../../../test/builders/context.ts';
import { loadRecordSummary } from './record.service.ts';

let handle: DatabaseHandle;
let org: SeededOrganisation;
const now = new Date('2026-11-24T10:30:00Z');

beforeAll(async () => {
  handle = await testDb();
  const db = handle.db;
  const las = await db.selectFrom('localAuthorities').select(['id', 'laCode']).execute();
  const teams = await db.selectFrom('teams').select(['id', 'name']).execute();
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  org = {
    richmondId: las.find((l) => l.laCode === '318')!.id,
    kingstonId: las.find((l) => l.laCode === '314')!.id,
    teams: new Map(teams.map((t) => [t.name, t.id])),
    clusters: new Map(),
    agencies: new Map(),
    users: new Map(
      DEMO_ACCOUNTS.map((a) => [a.email, users.find((u) => u.email === demoEmail(a.email))!.id]),
    ),
  };
  await db.transaction().execute((trx) => seedDemoPeople(trx, org, now));
});
afterAll(async () => {
  await handle?.close();
});

describe('demo families', () => {
  it('creates families with an unborn child, a restricted record, warnings and allocations to the demo workers', async () => {
    const db = handle.db;
    const people = await db
      .selectFrom('people')
      .select(['givenName', 'familyName', 'kind', 'restricted', 'expectedDateOfBirth'])
      .execute();
    expect(people.length).toBeGreaterThanOrEqual(15);
    expect(people.some((p) => p.expectedDateOfBirth && p.kind === 'child')).toBe(true);
    expect(people.filter((p) => p.restricted).map((p) => p.givenName)).toEqual(['Harry']);
    const warnings = await db.selectFrom('personWarnings').select('kind').execute();
    expect(warnings.map((w) => w.kind).sort()).toEqual(['interpreter-needed', 'risk-to-staff']);
    const allocated = await db
      .selectFrom('allocations')
      .select('workerId')
      .where('endedOn', 'is', null)
      .execute();
    expect(allocated.filter((a) => a.workerId === org.users.get('social.worker')).length).toBe(2);
    expect(allocated.filter((a) => a.workerId === org.users.get('early.help')).length).toBe(2);
  });

  it('gives the demo social worker a summary with the child’s own words, and a likely duplicate to merge', async () => {
    const sw = (await loadCurrentUser(handle.db, org.users.get('social.worker')!, null))!;
    const olivia = await handle.db
      .selectFrom('people')
      .select('id')
      .where('givenName', '=', 'Olivia')
      .executeTakeFirstOrThrow();
    const summary = await handle.db
      .transaction()
      .execute((trx) => loadRecordSummary(serviceContext(trx, sw, now), { personId: olivia.id }));
    expect(summary.words[0]!.words).toContain('I like it when Daddy is calm');
    expect(summary.allocations[0]!.workerName).toBe('Sian Walker');
    expect(summary.network.map((n) => n.relation)).toEqual(
      expect.arrayContaining(['Mother', 'Father', 'Brother']),
    );
    // Olivia's family network: four people, a meeting and a support package.
    expect(summary.familyNetworkSize).toBe(4);
    const meetings = await handle.db
      .selectFrom('familyNetworkMeetings')
      .select('id')
      .where('childId', '=', olivia.id)
      .execute();
    expect(meetings).toHaveLength(1);
    const support = await handle.db
      .selectFrom('familyNetworkSupportPackages')
      .select('status')
      .where('childId', '=', olivia.id)
      .execute();
    expect(support).toEqual([{ status: 'agreed' }]);
    const found = await searchPeople(readContextFor(handle.db, sw, now), {
      name: 'Jaden Clark',
      dateOfBirth: '2016-10-09',
    });
    expect(
      found
        .slice(0, 2)
        .map((r) => `${r.givenName} ${r.familyName}`)
        .sort(),
    ).toEqual(['Jaden Clark', 'Jayden Clarke']);
    expect(found.every((r) => r.confidence === 'likely')).toBe(true);
  });
});
