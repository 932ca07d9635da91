import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { teamId as teamNamed } from '../../../test/builders/organisation.ts';
import { DEMO_ACCOUNTS, demoEmail } from '../../modules/admin/organisation.seed.ts';
import { loadCurrentUser } from '../../modules/identity/current-user.repository.ts';
import type { Role } from './permissions.ts';
import type { CurrentUser } from './current-user.ts';
import { decideRecordAccess, requireAccess, visibleTo } from './record-access.ts';
import { NotFoundError } from '../errors.ts';

/**
 * The record-level rules, role by role, on real rows: allocation and management line, default staff read,
 * restricted records, named grants, break-glass, partner agencies, and lists filtered with visibleTo.
 */

let handle: DatabaseHandle;
const now = new Date('2026-11-24T10:00:00Z');
const users = new Map<Role, CurrentUser>();
let richmond: string;
let kingston: string;
let assessmentTeam: string;

async function aChild(overrides: { restricted?: boolean; la?: string; name?: string } = {}): Promise<string> {
  const row = await handle.db
    .insertInto('people')
    .values({
      localAuthorityId: overrides.la ?? richmond,
      kind: 'child',
      givenName: overrides.name ?? 'Test',
      familyName: 'Child',
      searchName: `${overrides.name ?? 'test'} child`,
      restricted: overrides.restricted ?? false,
      dateOfBirth: '2015-05-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function allocate(childId: string, role: Role, teamId = assessmentTeam) {
  await handle.db
    .insertInto('allocations')
    .values({
      childId,
      workerId: users.get(role)!.id,
      teamId,
      role: 'allocated-worker',
      startedOn: '2026-11-01',
    })
    .execute();
}

beforeAll(async () => {
  handle = await testDb();
  const las = await handle.db.selectFrom('localAuthorities').select(['id', 'laCode']).execute();
  richmond = las.find((l) => l.laCode === '318')!.id;
  kingston = las.find((l) => l.laCode === '314')!.id;
  assessmentTeam = await teamNamed(handle.db, 'Assessment Team');
  for (const account of DEMO_ACCOUNTS) {
    const u = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail(account.email))
      .executeTakeFirstOrThrow();
    // The first demo account of each role (the early help manager is a second team manager).
    if (!users.has(account.role)) users.set(account.role, (await loadCurrentUser(handle.db, u.id, null))!);
  }
});
afterAll(async () => {
  await handle?.close();
});

const decide = async (role: Role, childId: string) =>
  (await decideRecordAccess(handle.db, users.get(role)!, [childId], now)).get(childId)!;

describe('record-level access', () => {
  it('works out the management line from the team hierarchy', () => {
    expect(users.get('team-manager')!.managedTeamIds).toContain(assessmentTeam);
    expect(users.get('service-manager')!.managedTeamIds).toContain(assessmentTeam);
    expect(users.get('social-worker')!.managedTeamIds).toEqual([]);
    expect(users.get('police.officer' as Role)).toBeUndefined();
    expect(users.get('partner-agency-user')!.isPartner).toBe(true);
  });

  it('lets children’s services staff read an unrestricted record, and the allocation and its managers write it', async () => {
    const child = await aChild();
    await allocate(child, 'social-worker');
    expect(await decide('social-worker', child)).toMatchObject({ read: true, write: true });
    expect(await decide('team-manager', child)).toMatchObject({ read: true, write: true });
    expect(await decide('service-manager', child)).toMatchObject({ read: true, write: true });
    // Other staff read by default but do not record on someone else's allocated child.
    expect(await decide('early-help-practitioner', child)).toMatchObject({ read: true, write: false });
    expect(await decide('qa-officer', child)).toMatchObject({ read: true, write: false });
  });

  it('lets the front door record on children nobody is allocated yet', async () => {
    const child = await aChild();
    expect(await decide('mash-practitioner', child)).toMatchObject({ read: true, write: true });
  });

  it('never opens person records to partner agencies or administrators', async () => {
    const child = await aChild();
    for (const role of [
      'partner-agency-user',
      'partner-lead-practitioner',
      'system-administrator',
      'performance-analyst',
    ] as Role[]) {
      expect(await decide(role, child), role).toMatchObject({ exists: true, read: false, write: false });
    }
    await expect(
      requireAccess(handle.db, users.get('partner-agency-user')!, 'read', [child], now),
    ).rejects.toThrow(NotFoundError);
  });

  it('follows the authority setting: with default read switched off, only the allocation and its line read', async () => {
    const child = await aChild({ la: kingston });
    // The social worker works for Richmond only; Kingston records are not theirs to read.
    expect(await decide('social-worker', child)).toMatchObject({ read: false });
    // The shared MASH works for both.
    expect(await decide('mash-practitioner', child)).toMatchObject({ read: true });
    await handle.db
      .updateTable('localAuthorities')
      .set({ staffReadByDefault: false })
      .where('id', '=', kingston)
      .execute();
    try {
      const mash = (await loadCurrentUser(handle.db, users.get('mash-practitioner')!.id, null))!;
      expect((await decideRecordAccess(handle.db, mash, [child], now)).get(child)).toMatchObject({
        read: false,
      });
    } finally {
      await handle.db
        .updateTable('localAuthorities')
        .set({ staffReadByDefault: true })
        .where('id', '=', kingston)
        .execute();
    }
  });

  it('closes a restricted record to everyone but the allocation, its managers, named grants and break-glass', async () => {
    const child = await aChild({ restricted: true });
    await allocate(child, 'social-worker');
    expect(await decide('social-worker', child)).toMatchObject({ read: true, write: true, restricted: true });
    expect(await decide('team-manager', child)).toMatchObject({ read: true });
    expect(await decide('mash-practitioner', child)).toMatchObject({ read: false, write: false });
    expect(await decide('qa-officer', child)).toMatchObject({ read: false });

    await handle.db
      .insertInto('recordGrants')
      .values({
        childId: child,
        userId: users.get('qa-officer')!.id,
        access: 'read',
        reason: 'Case audit',
        grantedBy: users.get('team-manager')!.id,
        grantedAt: now,
      })
      .execute();
    expect(await decide('qa-officer', child)).toMatchObject({ read: true, write: false });

    await handle.db
      .insertInto('breakGlassAccesses')
      .values({
        childId: child,
        userId: users.get('mash-practitioner')!.id,
        reason: 'Police at the door',
        openedAt: now,
        expiresAt: new Date(now.getTime() + 3600_000),
      })
      .execute();
    expect(await decide('mash-practitioner', child)).toMatchObject({
      read: true,
      write: true,
      viaBreakGlass: true,
    });
    const later = new Date(now.getTime() + 2 * 3600_000);
    expect(
      (await decideRecordAccess(handle.db, users.get('mash-practitioner')!, [child], later)).get(child),
    ).toMatchObject({ read: false });
  });

  it('ignores revoked and expired grants', async () => {
    const child = await aChild({ restricted: true });
    await handle.db
      .insertInto('recordGrants')
      .values([
        {
          childId: child,
          userId: users.get('early-help-practitioner')!.id,
          access: 'write',
          reason: 'x',
          grantedBy: users.get('team-manager')!.id,
          grantedAt: now,
          revokedAt: now,
        },
        {
          childId: child,
          userId: users.get('social-worker')!.id,
          access: 'write',
          reason: 'x',
          grantedBy: users.get('team-manager')!.id,
          grantedAt: now,
          expiresAt: new Date(now.getTime() - 1000),
        },
      ])
      .execute();
    expect(await decide('early-help-practitioner', child)).toMatchObject({ read: false });
    expect(await decide('social-worker', child)).toMatchObject({ read: false });
  });

  it('requireAccess answers NotFoundError for a record that does not exist, the same as one denied', async () => {
    await expect(
      requireAccess(
        handle.db,
        users.get('social-worker')!,
        'read',
        ['00000000-0000-4000-8000-000000000000'],
        now,
      ),
    ).rejects.toThrow(NotFoundError);
  });

  it('visibleTo filters lists exactly as the record rules decide', async () => {
    const open = await aChild({ name: 'Visible' });
    const hidden = await aChild({ name: 'Hidden', restricted: true });
    const mine = await aChild({ name: 'Mine', restricted: true });
    await allocate(
      mine,
      'early-help-practitioner',
      await teamNamed(handle.db, 'Early Help – Richmond and Kew cluster'),
    );
    for (const role of [
      'early-help-practitioner',
      'social-worker',
      'partner-agency-user',
      'system-administrator',
    ] as Role[]) {
      const user = users.get(role)!;
      const listed = await handle.db
        .selectFrom('people')
        .select('id')
        .where('id', 'in', [open, hidden, mine])
        .where(visibleTo(user, now))
        .execute();
      const decisions = await decideRecordAccess(handle.db, user, [open, hidden, mine], now);
      const expected = [open, hidden, mine].filter((id) => decisions.get(id)!.read);
      expect(listed.map((r) => r.id).sort(), role).toEqual(expected.sort());
    }
  });
});
