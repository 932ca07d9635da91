import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { permissionsFor } from '../../kernel/access/index.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { contextFor, userFor } from '../../../test/builders/context.ts';
import { localAuthorityIds, problemsOf } from '../../../test/builders/organisation.ts';
import { demoEmail } from './organisation.seed.ts';
import { teamTree } from './organisation.repository.ts';
import {
  createAgency,
  createCluster,
  createLocalAuthority,
  createTeam,
  updateAgency,
  updateCluster,
  updateLocalAuthority,
  updateTeam,
  wouldCreateCycle,
} from './organisation.service.ts';

let handle: DatabaseHandle;
let admin: CurrentUser;
let richmond: string;
let kingston: string;
const now = new Date('2026-11-24T10:30:00Z');
const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);
const as = (trx: Transaction<DB>, user: CurrentUser) => contextFor(trx, user, now);
const team = (name: string) =>
  handle.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
const audits = (action: string, subjectId: string) =>
  handle.db
    .selectFrom('auditEvents')
    .select(['details', 'subjectType'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .orderBy('seq')
    .execute();

beforeAll(async () => {
  handle = await testDb();
  admin = await userFor(handle.db, 'system-administrator');
  ({ richmond, kingston } = await localAuthorityIds(handle.db));
});
afterAll(async () => {
  await handle?.close();
});

describe('teams', () => {
  it('refuses a cycle: a team cannot sit inside itself or one of the teams below it', async () => {
    const service = await team('Children in Need and Protection Service');
    const assessment = await team('Assessment Team');
    expect(await tx((trx) => wouldCreateCycle(trx, service.id, assessment.id))).toBe(true);
    expect(await tx((trx) => wouldCreateCycle(trx, service.id, service.id))).toBe(true);
    const mash = await team('MASH');
    expect(await tx((trx) => wouldCreateCycle(trx, assessment.id, mash.id))).toBe(false);
    const deep = await tx(async (trx) => {
      const r = await createTeam(as(trx, admin), {
        localAuthorityId: richmond,
        name: 'Assessment Pod A',
        parentTeamId: assessment.id,
      });
      return r.id;
    });
    const problems = await problemsOf(
      tx((trx) =>
        updateTeam(as(trx, admin), {
          teamId: service.id,
          name: service.name,
          parentTeamId: deep,
          managerUserId: service.managerUserId,
          version: service.version,
        }),
      ),
    );
    expect(problems).toEqual([
      {
        field: 'parentTeamId',
        message: 'A team cannot sit inside itself or inside one of the teams below it',
        href: '#parentTeamId',
      },
    ]);
    expect((await team('Children in Need and Protection Service')).parentTeamId).toBeNull();
  });

  it('moves a team and changes its manager, with before and after audited; the new manager can then see its records', async () => {
    const cin = await team('Children in Need Team');
    const frontDoor = await team('Front Door Service');
    const newManager = (
      await handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', demoEmail('social.worker'))
        .executeTakeFirstOrThrow()
    ).id;
    const result = await tx((trx) =>
      updateTeam(as(trx, admin), {
        teamId: cin.id,
        name: cin.name,
        serviceId: cin.serviceId,
        parentTeamId: frontDoor.id,
        managerUserId: newManager,
        version: cin.version,
      }),
    );
    expect(result).toEqual({ changed: ['parentTeamId', 'managerUserId'] });
    const [audit] = await audits('team.updated', cin.id);
    expect(audit!.details).toEqual({
      before: { parentTeamId: cin.parentTeamId, managerUserId: null },
      after: { parentTeamId: frontDoor.id, managerUserId: newManager },
      changed: ['parentTeamId', 'managerUserId'],
    });
    const user = await loadCurrentUser(handle.db, newManager, null);
    expect(user?.managedTeamIds).toContain(cin.id);
    // Front Door's manager now manages it too, through the hierarchy.
    const meera = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('mash.manager'))
      .executeTakeFirstOrThrow();
    expect((await loadCurrentUser(handle.db, meera.id, null))?.managedTeamIds).toContain(cin.id);
  });

  it('a stale version is a ConflictError; nothing changes', async () => {
    const qa = await team('Quality Assurance');
    await expect(
      tx((trx) => updateTeam(as(trx, admin), { teamId: qa.id, name: 'QA', version: qa.version + 5 })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await team('Quality Assurance')).version).toBe(qa.version);
    await expect(
      tx((trx) =>
        updateTeam(as(trx, admin), { teamId: '00000000-0000-4000-8000-000000000000', name: 'x', version: 1 }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps a team’s service, parent, cluster and manager within its own authority', async () => {
    const richmondTeam = await team('MASH');
    const cluster = await handle.db.selectFrom('clusters').select('id').executeTakeFirstOrThrow();
    const police = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('police.officer'))
      .executeTakeFirstOrThrow();
    const problems = await problemsOf(
      tx((trx) =>
        createTeam(as(trx, admin), {
          localAuthorityId: kingston,
          name: 'Kingston Duty',
          serviceId: richmondTeam.serviceId,
          parentTeamId: richmondTeam.id,
          clusterId: cluster.id,
          managerUserId: police.id,
        }),
      ),
    );
    expect(problems.map((e) => e.field)).toEqual(['serviceId', 'clusterId', 'parentTeamId', 'managerUserId']);
    const ok = await tx((trx) =>
      createTeam(as(trx, admin), { localAuthorityId: kingston, name: 'Kingston Duty' }),
    );
    expect(await audits('team.created', ok.id)).toHaveLength(1);
  });

  it('lists the tree in hierarchy order with depth', async () => {
    const page = await teamTree(handle.db, 1);
    const names = page.rows.map((r) => `${r.depth}:${r.name}`);
    const i = names.indexOf('1:Assessment Team');
    expect(names[i + 1]).toBe('2:Assessment Pod A');
    expect(page.total).toBe(page.rows.length);
  });
});

describe('clusters, agencies and local authorities', () => {
  it('creates and renames a cluster, refusing a duplicate name, audited', async () => {
    const created = await tx((trx) =>
      createCluster(as(trx, admin), { localAuthorityId: richmond, name: 'Barnes' }),
    );
    const id = created.id;
    expect(
      await problemsOf(
        tx((trx) => createCluster(as(trx, admin), { localAuthorityId: richmond, name: 'barnes' })),
      ),
    ).toEqual([
      {
        field: 'name',
        message: 'There is already a cluster called barnes in this local authority',
        href: '#name',
      },
    ]);
    // The same name in another authority is fine.
    expect(
      (await tx((trx) => createCluster(as(trx, admin), { localAuthorityId: kingston, name: 'Barnes' }))).id,
    ).toEqual(expect.any(String));
    await tx((trx) =>
      updateCluster(as(trx, admin), {
        clusterId: id,
        name: 'Barnes and Mortlake',
        description: 'North-west',
        version: 1,
      }),
    );
    expect((await audits('cluster.updated', id))[0]!.details).toEqual({
      before: { name: 'Barnes', description: null },
      after: { name: 'Barnes and Mortlake', description: 'North-west' },
      changed: ['name', 'description'],
    });
    await expect(
      tx((trx) => updateCluster(as(trx, admin), { clusterId: id, name: 'Stale', version: 1 })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('creates and changes an agency with the authorities it works with', async () => {
    const created = await tx((trx) =>
      createAgency(as(trx, admin), {
        name: 'Kingston Hospital',
        kind: 'health',
        localAuthorityIds: [kingston],
      }),
    );
    const id = created.id;
    expect((await audits('agency.created', id))[0]!.details).toMatchObject({
      name: 'Kingston Hospital',
      kind: 'health',
      localAuthorityIds: [kingston],
    });
    const dup = await problemsOf(
      tx((trx) =>
        createAgency(as(trx, admin), { name: 'KINGSTON HOSPITAL', kind: 'health', localAuthorityIds: [] }),
      ),
    );
    expect(dup.map((e) => e.field)).toEqual(['name']);
    const updated = await tx((trx) =>
      updateAgency(as(trx, admin), {
        agencyId: id,
        name: 'Kingston Hospital',
        kind: 'health',
        email: 'safeguarding@khft.example',
        localAuthorityIds: [kingston, richmond],
        version: 1,
      }),
    );
    expect(updated).toEqual({ changed: ['email', 'localAuthorityIds'] });
    const las = await handle.db
      .selectFrom('agencyLocalAuthorities')
      .select('localAuthorityId')
      .where('agencyId', '=', id)
      .execute();
    expect(las).toHaveLength(2);
    await expect(
      tx((trx) =>
        updateAgency(as(trx, admin), {
          agencyId: id,
          name: 'x',
          kind: 'other',
          localAuthorityIds: [],
          version: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('creates a local authority with a unique code and changes its read-by-default setting, which access control then uses', async () => {
    expect(
      (
        await problemsOf(
          tx((trx) =>
            createLocalAuthority(as(trx, admin), {
              laCode: '314',
              name: 'Another',
              staffReadByDefault: true,
            }),
          ),
        )
      ).map((e) => e.field),
    ).toEqual(['laCode']);
    const created = await tx((trx) =>
      createLocalAuthority(as(trx, admin), { laCode: '319', name: 'Sutton', staffReadByDefault: true }),
    );
    expect(created.id).toEqual(expect.any(String));
    const sw = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('social.worker'))
      .executeTakeFirstOrThrow();
    expect((await loadCurrentUser(handle.db, sw.id, null))?.staffReadLocalAuthorityIds).toContain(richmond);
    const la = await handle.db
      .selectFrom('localAuthorities')
      .select('version')
      .where('id', '=', richmond)
      .executeTakeFirstOrThrow();
    await tx((trx) =>
      updateLocalAuthority(as(trx, admin), {
        localAuthorityId: richmond,
        name: 'Richmond upon Thames',
        staffReadByDefault: false,
        version: la.version,
      }),
    );
    expect((await loadCurrentUser(handle.db, sw.id, null))?.staffReadLocalAuthorityIds).not.toContain(
      richmond,
    );
    expect((await audits('local-authority.updated', richmond))[0]!.details).toEqual({
      before: { staffReadByDefault: true },
      after: { staffReadByDefault: false },
      changed: ['staffReadByDefault'],
      laCode: '318',
    });
  });
});

describe('without the permission', () => {
  it('cannot change teams, clusters, agencies or local authorities: AccessDeniedError, nothing written', async () => {
    const userAdminOnly: CurrentUser = {
      ...admin,
      email: 'users-only@x.test',
      permissions: new Set(['users:manage']),
    };
    const manager: CurrentUser = {
      ...admin,
      email: 'manager@x.test',
      roles: ['service-manager'],
      permissions: permissionsFor(['service-manager']),
    };
    const qa = await team('Quality Assurance');
    const cluster = await handle.db
      .selectFrom('clusters')
      .select(['id', 'version'])
      .executeTakeFirstOrThrow();
    const agency = await handle.db.selectFrom('agencies').select(['id', 'version']).executeTakeFirstOrThrow();
    for (const actor of [userAdminOnly, manager]) {
      const attempts = [
        () => tx((trx) => createTeam(as(trx, actor), { localAuthorityId: richmond, name: 'Sneaky' })),
        () => tx((trx) => updateTeam(as(trx, actor), { teamId: qa.id, name: 'Sneaky', version: qa.version })),
        () => tx((trx) => createCluster(as(trx, actor), { localAuthorityId: richmond, name: 'Sneaky' })),
        () =>
          tx((trx) =>
            updateCluster(as(trx, actor), {
              clusterId: cluster.id,
              name: 'Sneaky',
              version: cluster.version,
            }),
          ),
        () =>
          tx((trx) => createAgency(as(trx, actor), { name: 'Sneaky', kind: 'other', localAuthorityIds: [] })),
        () =>
          tx((trx) =>
            updateAgency(as(trx, actor), {
              agencyId: agency.id,
              name: 'Sneaky',
              kind: 'other',
              localAuthorityIds: [],
              version: agency.version,
            }),
          ),
        () =>
          tx((trx) =>
            createLocalAuthority(as(trx, actor), { laCode: '999', name: 'Sneaky', staffReadByDefault: true }),
          ),
        () =>
          tx((trx) =>
            updateLocalAuthority(as(trx, actor), {
              localAuthorityId: richmond,
              name: 'Sneaky',
              staffReadByDefault: true,
              version: 1,
            }),
          ),
      ];
      for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(AccessDeniedError);
    }
    expect((await team('Quality Assurance')).name).toBe('Quality Assurance');
    const written = await handle.db
      .selectFrom('auditEvents')
      .select('action')
      .where('actorLabel', 'in', ['users-only@x.test', 'manager@x.test'])
      .execute();
    expect(written).toEqual([]);
  });
});

describe('the demo organisation', () => {
  it('has an early help team manager over the family support worker, so a family routed to early help reaches a manager', async () => {
    const user = (local: string) =>
      handle.db
        .selectFrom('users')
        .leftJoin('userRoles', 'userRoles.userId', 'users.id')
        .select(['users.id', 'users.teamId', 'users.jobTitle', 'userRoles.role'])
        .where('users.email', '=', demoEmail(local))
        .executeTakeFirstOrThrow();
    const manager = await user('early.help.manager');
    const worker = await user('early.help');
    expect(manager).toMatchObject({ role: 'team-manager', jobTitle: 'Early help team manager' });
    const workersTeam = await handle.db
      .selectFrom('teams')
      .select(['name', 'managerUserId'])
      .where('id', '=', worker.teamId!)
      .executeTakeFirstOrThrow();
    expect(workersTeam).toEqual({ name: 'Early Help – Richmond and Kew cluster', managerUserId: manager.id });
  });
});
