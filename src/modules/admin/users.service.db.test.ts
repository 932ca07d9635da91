import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { permissionsFor } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { createSession } from '../identity/session.service.ts';
import { testConfig } from '../../../test/support/test-app.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { contextFor, userFor } from '../../../test/builders/context.ts';
import { agencyIdNamed, localAuthorityIds, problemsOf, teamId } from '../../../test/builders/organisation.ts';
import { demoEmail } from './organisation.seed.ts';
import {
  createUser,
  createUserFromCommandLine,
  disableUser,
  enableUser,
  resetPassword,
  resetTwoFactor,
  setRoles,
  signOutUserEverywhere,
  unlockUser,
  updateUser,
  type NewUserInput,
} from './users.service.ts';
import { listUsers } from './users.repository.ts';

let handle: DatabaseHandle;
let admin: CurrentUser;
let richmond: string;
let kingston: string;
let assessmentTeam: string;
let school: string;
const now = new Date('2026-11-24T10:30:00Z');

const idOf = async (local: string) =>
  (
    await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail(local))
      .executeTakeFirstOrThrow()
  ).id;
const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);
/** The administrator's page context, with the request that the audit trail keeps. */
const as = (trx: Transaction<DB>, user: CurrentUser) =>
  contextFor(trx, user, now, { request: { id: 'req-1', ip: '127.0.0.1' } });
const audits = (action: string, subjectId: string) =>
  handle.db
    .selectFrom('auditEvents')
    .select(['details', 'actorLabel', 'requestId', 'ip'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .orderBy('seq')
    .execute();
const roles = async (userId: string) =>
  (
    await handle.db
      .selectFrom('userRoles')
      .select('role')
      .where('userId', '=', userId)
      .orderBy('role')
      .execute()
  ).map((r) => r.role);

const input = (overrides: Partial<NewUserInput> = {}): NewUserInput => ({
  email: 'new.person@demo.threshold.test',
  displayName: 'New Person',
  jobTitle: 'Social worker',
  worksFor: 'local-authority',
  localAuthorityId: richmond,
  otherLocalAuthorityIds: [kingston],
  teamId: assessmentTeam,
  roles: ['social-worker', 'team-manager'],
  password: 'a long initial password',
  ...overrides,
});
/** The administrator creates a user from `input(overrides)`. */
const adminCreates = (overrides: Partial<NewUserInput> = {}) =>
  tx((trx) => createUser(as(trx, admin), input(overrides)));

beforeAll(async () => {
  handle = await testDb();
  admin = await userFor(handle.db, 'system-administrator');
  ({ richmond, kingston } = await localAuthorityIds(handle.db));
  assessmentTeam = await teamId(handle.db, 'Assessment Team');
  school = await agencyIdNamed(handle.db, 'Orchard Primary School');
});
afterAll(async () => {
  await handle?.close();
});

describe('createUser', () => {
  it('creates a user with several roles and authorities, audited in the same transaction', async () => {
    const result = await adminCreates();
    const id = result.id;
    const user = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email: 'new.person@demo.threshold.test',
      localAuthorityId: richmond,
      teamId: assessmentTeam,
      agencyId: null,
      status: 'active',
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await roles(id)).toEqual(['social-worker', 'team-manager']);
    const las = await handle.db
      .selectFrom('userLocalAuthorities')
      .select('localAuthorityId')
      .where('userId', '=', id)
      .execute();
    expect(las.map((l) => l.localAuthorityId).sort()).toEqual([richmond, kingston].sort());
    const [audit] = await audits('user.created', id);
    expect(audit).toMatchObject({ actorLabel: demoEmail('admin'), requestId: 'req-1', ip: '127.0.0.1' });
    expect(audit!.details).toMatchObject({
      email: 'new.person@demo.threshold.test',
      roles: ['social-worker', 'team-manager'],
      signIn: 'password',
    });
  });

  it('refuses an email already in use whatever its capitals, and writes nothing', async () => {
    const before = await handle.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const problems = await problemsOf(adminCreates({ email: 'NEW.Person@Demo.Threshold.Test' }));
    expect(problems).toEqual([
      { field: 'email', message: 'A user with this email address already exists', href: '#email' },
    ]);
    const after = await handle.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('keeps partner agency users to partner roles and out of local authority teams', async () => {
    const wrongRole = await problemsOf(
      adminCreates({ email: 'p1@x.test', worksFor: 'agency', agencyId: school, roles: ['social-worker'] }),
    );
    expect(wrongRole.map((e) => e.field)).toEqual(['roles']);
    const noAgency = await problemsOf(
      adminCreates({
        email: 'p2@x.test',
        worksFor: 'agency',
        agencyId: null,
        roles: ['partner-agency-user'],
      }),
    );
    expect(noAgency.map((e) => e.message)).toEqual(['Select the agency they work for']);
    const staffWithPartnerRole = await problemsOf(
      adminCreates({ email: 'p3@x.test', roles: ['partner-lead-practitioner'] }),
    );
    expect(staffWithPartnerRole).not.toEqual([]);
    const ok = await adminCreates({
      email: 'p4@x.test',
      worksFor: 'agency',
      agencyId: school,
      roles: ['partner-lead-practitioner'],
      password: null,
    });
    expect(ok.id).toEqual(expect.any(String));
    const user = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'p4@x.test')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      agencyId: school,
      localAuthorityId: null,
      teamId: null,
      passwordHash: null,
    });
  });

  it('works for the command line: an LA code instead of an id, who they work for taken from the roles', async () => {
    const result = await tx((trx) =>
      createUserFromCommandLine(
        trx,
        {
          email: 'cli.user@x.test',
          displayName: 'Cli User',
          roles: ['qa-officer'],
          laCode: '314',
          password: 'a long cli password',
        },
        now,
      ),
    );
    expect(result.id).toEqual(expect.any(String));
    expect(await audits('user.created', result.id)).toEqual([
      expect.objectContaining({ actorLabel: 'cli', requestId: null, ip: null }),
    ]);
    expect(
      await handle.db
        .selectFrom('users')
        .select(['localAuthorityId', 'agencyId'])
        .where('email', '=', 'cli.user@x.test')
        .executeTakeFirstOrThrow(),
    ).toEqual({ localAuthorityId: kingston, agencyId: null });
    const unknown = await problemsOf(
      tx((trx) =>
        createUserFromCommandLine(
          trx,
          { email: 'cli.two@x.test', displayName: 'Cli Two', roles: ['qa-officer'], laCode: '999' },
          now,
        ),
      ),
    );
    expect(unknown.map((e) => e.message)).toEqual(['There is no local authority with code 999']);
  });

  it('refuses a team in an authority they do not work for', async () => {
    const kingstonOnly = await problemsOf(
      adminCreates({ email: 'k@x.test', localAuthorityId: kingston, otherLocalAuthorityIds: [] }),
    );
    expect(kingstonOnly).toEqual([
      { field: 'teamId', message: 'Select a team in a local authority they work for', href: '#teamId' },
    ]);
  });
});

describe('updateUser', () => {
  it('changes details with before and after in the audit trail, and bumps the version', async () => {
    const id = await idOf('qa.officer');
    const user = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const result = await tx((trx) =>
      updateUser(as(trx, admin), {
        userId: id,
        email: 'Quinn.Abbott@demo.threshold.test',
        displayName: 'Quinn Abbott',
        jobTitle: user.jobTitle,
        localAuthorityId: richmond,
        otherLocalAuthorityIds: [kingston],
        teamId: user.teamId,
        mfaRequired: true,
        version: user.version,
      }),
    );
    expect(result).toEqual({ changed: ['email', 'otherLocalAuthorityIds', 'mfaRequired'] });
    const after = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      email: 'quinn.abbott@demo.threshold.test',
      mfaRequired: true,
      version: user.version + 1,
    });
    const [audit] = await audits('user.updated', id);
    expect(audit!.details).toEqual({
      before: { email: demoEmail('qa.officer'), otherLocalAuthorityIds: [], mfaRequired: false },
      after: {
        email: 'quinn.abbott@demo.threshold.test',
        otherLocalAuthorityIds: [kingston],
        mfaRequired: true,
      },
      changed: ['email', 'otherLocalAuthorityIds', 'mfaRequired'],
    });
  });

  it('a stale version is a ConflictError and nothing is overwritten', async () => {
    const id = await idOf('performance.analyst');
    const user = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const attempt = tx((trx) =>
      updateUser(as(trx, admin), {
        userId: id,
        email: user.email,
        displayName: 'Someone Else',
        localAuthorityId: richmond,
        teamId: user.teamId,
        version: user.version - 1,
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    const after = await handle.db
      .selectFrom('users')
      .select(['displayName', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ displayName: user.displayName, version: user.version });
    expect(await audits('user.updated', id)).toHaveLength(0);
  });

  it('refuses another user’s email address', async () => {
    const id = await idOf('performance.analyst');
    const user = await handle.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const result = await problemsOf(
      tx((trx) =>
        updateUser(as(trx, admin), {
          userId: id,
          email: demoEmail('SOCIAL.worker'),
          displayName: user.displayName,
          localAuthorityId: richmond,
          teamId: user.teamId,
          version: user.version,
        }),
      ),
    );
    expect(result.map((e) => e.message)).toEqual(['A user with this email address already exists']);
  });

  it('an unknown user is NotFoundError', async () => {
    await expect(
      tx((trx) =>
        updateUser(as(trx, admin), {
          userId: '00000000-0000-4000-8000-000000000000',
          email: 'a@b.c',
          displayName: 'x',
          version: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('setRoles', () => {
  it('replaces the roles, audited with before and after', async () => {
    const id = await idOf('mash.practitioner');
    const { version } = await handle.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const result = await tx((trx) =>
      setRoles(as(trx, admin), { userId: id, roles: ['mash-manager', 'early-help-practitioner'], version }),
    );
    expect(result).toEqual({
      added: ['early-help-practitioner', 'mash-manager'],
      removed: ['mash-practitioner'],
    });
    expect(await roles(id)).toEqual(['early-help-practitioner', 'mash-manager']);
    const [audit] = await audits('user.roles-changed', id);
    expect(audit!.details).toEqual({
      before: ['mash-practitioner'],
      after: ['early-help-practitioner', 'mash-manager'],
      added: ['early-help-practitioner', 'mash-manager'],
      removed: ['mash-practitioner'],
    });
    await expect(
      tx((trx) => setRoles(as(trx, admin), { userId: id, roles: ['social-worker'], version })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('an administrator cannot remove their own system administrator role', async () => {
    const { version } = await handle.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', admin.id)
      .executeTakeFirstOrThrow();
    const attempt = tx((trx) =>
      setRoles(as(trx, admin), { userId: admin.id, roles: ['qa-officer'], version }),
    );
    await expect(attempt).rejects.toThrow(
      new BusinessRuleError(
        'roles',
        'You cannot remove your own system administrator role. Ask another administrator to do it.',
      ),
    );
    expect(await roles(admin.id)).toEqual(['system-administrator']);
    // Adding a role to themselves is fine.
    await tx((trx) =>
      setRoles(as(trx, admin), {
        userId: admin.id,
        roles: ['system-administrator', 'performance-analyst'],
        version,
      }),
    );
    expect(await roles(admin.id)).toEqual(['performance-analyst', 'system-administrator']);
  });

  it('another administrator may remove it', async () => {
    const other = await tx(async (trx) => {
      const r = await createUser(
        as(trx, admin),
        input({ email: 'second.admin@demo.threshold.test', roles: ['system-administrator'], teamId: null }),
      );
      return r.id;
    });
    const { version } = await handle.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    await tx((trx) => setRoles(as(trx, admin), { userId: other, roles: ['performance-analyst'], version }));
    expect(await roles(other)).toEqual(['performance-analyst']);
  });

  it('refuses staff roles for a partner agency user', async () => {
    const id = await idOf('police.officer');
    const { version } = await handle.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await expect(
      tx((trx) => setRoles(as(trx, admin), { userId: id, roles: ['social-worker'], version })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
  });
});

describe('disable, enable, unlock, reset password and two-factor, sign out everywhere', () => {
  it('disabling ends every session; an administrator cannot disable themselves', async () => {
    const id = await idOf('early.help');
    await createSession(handle.db, { userId: id, stage: 'active' }, now, testConfig());
    await createSession(handle.db, { userId: id, stage: 'active' }, now, testConfig());
    await tx((trx) => disableUser(as(trx, admin), { userId: id, reason: 'Left' }));
    const user = await handle.db
      .selectFrom('users')
      .select(['status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user.status).toBe('disabled');
    const open = await handle.db
      .selectFrom('sessions')
      .select('id')
      .where('userId', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
    expect(open).toHaveLength(0);
    expect((await audits('user.disabled', id))[0]!.details).toEqual({ reason: 'Left', sessionsRevoked: 2 });
    await expect(tx((trx) => disableUser(as(trx, admin), { userId: id }))).rejects.toThrow(
      'This account is already disabled',
    );

    await expect(tx((trx) => disableUser(as(trx, admin), { userId: admin.id }))).rejects.toThrow(
      'You cannot disable your own account',
    );
    expect(
      (
        await handle.db
          .selectFrom('users')
          .select('status')
          .where('id', '=', admin.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('active');

    await tx((trx) => enableUser(as(trx, admin), { userId: id }));
    expect(
      (await handle.db.selectFrom('users').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('active');
    expect(await audits('user.enabled', id)).toHaveLength(1);
  });

  it('unlock clears the lockout; reset password replaces the hash and ends sessions', async () => {
    const id = await idOf('contact.officer');
    await handle.db
      .updateTable('users')
      .set({ lockedUntil: new Date(now.getTime() + 600_000), failedSignInCount: 3 })
      .where('id', '=', id)
      .execute();
    await tx((trx) => unlockUser(as(trx, admin), { userId: id }));
    expect(
      await handle.db
        .selectFrom('users')
        .select(['lockedUntil', 'failedSignInCount'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ lockedUntil: null, failedSignInCount: 0 });
    expect((await audits('user.unlocked', id))[0]!.details).toMatchObject({ failedAttempts: 3 });

    const { passwordHash } = await handle.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await createSession(handle.db, { userId: id, stage: 'active' }, now, testConfig());
    await expect(
      tx((trx) => resetPassword(as(trx, admin), { userId: id, password: 'short' })),
    ).rejects.toThrow('Password must be 12 characters or more');
    await tx((trx) => resetPassword(as(trx, admin), { userId: id, password: 'a perfectly good passphrase' }));
    const after = await handle.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.passwordHash).not.toBe(passwordHash);
    expect((await audits('user.password-reset', id))[0]!.details).toEqual({ sessionsRevoked: 1 });
  });

  it('reset two-factor clears the authenticator app; sign out everywhere revokes sessions', async () => {
    const id = await idOf('team.manager');
    await handle.db
      .updateTable('users')
      .set({ totpSecret: 'sealed', totpEnabledAt: now, totpLastUsedStep: 5 })
      .where('id', '=', id)
      .execute();
    await tx((trx) => resetTwoFactor(as(trx, admin), { userId: id }));
    expect(
      await handle.db
        .selectFrom('users')
        .select(['totpSecret', 'totpEnabledAt', 'totpLastUsedStep'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      totpSecret: null,
      totpEnabledAt: null,
      totpLastUsedStep: null,
    });
    expect((await audits('user.two-factor-reset', id))[0]!.details).toEqual({
      wasEnrolled: true,
      sessionsRevoked: 0,
    });
    await createSession(handle.db, { userId: id, stage: 'active' }, now, testConfig());
    expect(await tx((trx) => signOutUserEverywhere(as(trx, admin), { userId: id }))).toBe(1);
    expect(await audits('user.sessions-revoked', id)).toHaveLength(1);
  });
});

describe('without the permission', () => {
  it('cannot create, change, disable or reset anyone: AccessDeniedError, nothing written', async () => {
    const manager: CurrentUser = {
      ...(await userFor(handle.db, 'team-manager')),
      roles: ['team-manager', 'service-manager'],
      permissions: permissionsFor(['team-manager', 'service-manager']),
    };
    const target = await idOf('social.worker');
    const { version } = await handle.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', target)
      .executeTakeFirstOrThrow();
    const attempts = [
      () => tx((trx) => createUser(as(trx, manager), input({ email: 'sneaky@x.test' }))),
      () =>
        tx((trx) =>
          updateUser(as(trx, manager), { userId: target, email: 'x@y.z', displayName: 'X', version }),
        ),
      () =>
        tx((trx) => setRoles(as(trx, manager), { userId: target, roles: ['system-administrator'], version })),
      () => tx((trx) => disableUser(as(trx, manager), { userId: target })),
      () => tx((trx) => enableUser(as(trx, manager), { userId: target })),
      () => tx((trx) => unlockUser(as(trx, manager), { userId: target })),
      () =>
        tx((trx) => resetPassword(as(trx, manager), { userId: target, password: 'a long enough password' })),
      () => tx((trx) => resetTwoFactor(as(trx, manager), { userId: target })),
      () => tx((trx) => signOutUserEverywhere(as(trx, manager), { userId: target })),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await roles(target)).toEqual(['social-worker']);
    expect(
      await handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'sneaky@x.test')
        .executeTakeFirst(),
    ).toBeUndefined();
    const written = await handle.db
      .selectFrom('auditEvents')
      .select('action')
      .where('actorLabel', '=', demoEmail('team.manager'))
      .execute();
    expect(written).toEqual([]);
  });

  it('an administrator’s permissions are enough', async () => {
    const withPermissions: CurrentUser = { ...admin, permissions: permissionsFor(['system-administrator']) };
    const result = await tx((trx) =>
      createUser(as(trx, withPermissions), input({ email: 'allowed@x.test' })),
    );
    expect(result.id).toEqual(expect.any(String));
  });
});

describe('listUsers', () => {
  it('searches, filters and counts without one query per row', async () => {
    const page = await listUsers(handle.db, { role: 'social-worker' }, 1, now);
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.rows.every((r) => r.roles.includes('Social worker'))).toBe(true);
    const locked = await listUsers(handle.db, { status: 'locked' }, 1, now);
    expect(locked.total).toBe(0);
  });
});
