import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { permissionsFor } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  FieldProblemsError,
  NotFoundError,
} from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { AdminActor } from './admin-actor.ts';
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
let admin: AdminActor;
let richmond: string;
let kingston: string;
const now = new Date('2026-11-24T10:30:00Z');
const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);
/** The field problems a refused change throws (every one, for a FieldProblemsError). */
async function problemsOf(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof FieldProblemsError) return [...error.problems];
  if (error instanceof BusinessRuleError)
    return [{ field: error.field, message: error.message, href: `#${error.field}` }];
  throw new Error(`Expected field problems, got ${String(error)}`);
}
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
  const adminId = (
    await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail('admin'))
      .executeTakeFirstOrThrow()
  ).id;
  admin = { userId: adminId, label: demoEmail('admin') };
  const la = async (code: string) =>
    (
      await handle.db
        .selectFrom('localAuthorities')
        .select('id')
        .where('laCode', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  richmond = await la('318');
  kingston = await la('314');
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
      const r = await createTeam(
        trx,
        { localAuthorityId: richmond, name: 'Assessment Pod A', parentTeamId: assessment.id },
        admin,
        now,
      );
      return r.id;
    });
    const problems = await problemsOf(
      tx((trx) =>
        updateTeam(
          trx,
          service.id,
          {
            name: service.name,
            parentTeamId: deep,
            managerUserId: service.managerUserId,
            version: service.version,
          },
          admin,
          now,
        ),
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
      updateTeam(
        trx,
        cin.id,
        {
          name: cin.name,
          serviceId: cin.serviceId,
          parentTeamId: frontDoor.id,
          managerUserId: newManager,
          version: cin.version,
        },
        admin,
        now,
      ),
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
      tx((trx) => updateTeam(trx, qa.id, { name: 'QA', version: qa.version + 5 }, admin, now)),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await team('Quality Assurance')).version).toBe(qa.version);
    await expect(
      tx((trx) =>
        updateTeam(trx, '00000000-0000-4000-8000-000000000000', { name: 'x', version: 1 }, admin, now),
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
        createTeam(
          trx,
          {
            localAuthorityId: kingston,
            name: 'Kingston Duty',
            serviceId: richmondTeam.serviceId,
            parentTeamId: richmondTeam.id,
            clusterId: cluster.id,
            managerUserId: police.id,
          },
          admin,
          now,
        ),
      ),
    );
    expect(problems.map((e) => e.field)).toEqual(['serviceId', 'clusterId', 'parentTeamId', 'managerUserId']);
    const ok = await tx((trx) =>
      createTeam(trx, { localAuthorityId: kingston, name: 'Kingston Duty' }, admin, now),
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
      createCluster(trx, { localAuthorityId: richmond, name: 'Barnes' }, admin, now),
    );
    const id = created.id;
    expect(
      await problemsOf(
        tx((trx) => createCluster(trx, { localAuthorityId: richmond, name: 'barnes' }, admin, now)),
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
      (await tx((trx) => createCluster(trx, { localAuthorityId: kingston, name: 'Barnes' }, admin, now))).id,
    ).toEqual(expect.any(String));
    await tx((trx) =>
      updateCluster(
        trx,
        id,
        { name: 'Barnes and Mortlake', description: 'North-west', version: 1 },
        admin,
        now,
      ),
    );
    expect((await audits('cluster.updated', id))[0]!.details).toEqual({
      before: { name: 'Barnes', description: null },
      after: { name: 'Barnes and Mortlake', description: 'North-west' },
      changed: ['name', 'description'],
    });
    await expect(
      tx((trx) => updateCluster(trx, id, { name: 'Stale', version: 1 }, admin, now)),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('creates and changes an agency with the authorities it works with', async () => {
    const created = await tx((trx) =>
      createAgency(
        trx,
        { name: 'Kingston Hospital', kind: 'health', localAuthorityIds: [kingston] },
        admin,
        now,
      ),
    );
    const id = created.id;
    expect((await audits('agency.created', id))[0]!.details).toMatchObject({
      name: 'Kingston Hospital',
      kind: 'health',
      localAuthorityIds: [kingston],
    });
    const dup = await problemsOf(
      tx((trx) =>
        createAgency(trx, { name: 'KINGSTON HOSPITAL', kind: 'health', localAuthorityIds: [] }, admin, now),
      ),
    );
    expect(dup.map((e) => e.field)).toEqual(['name']);
    const updated = await tx((trx) =>
      updateAgency(
        trx,
        id,
        {
          name: 'Kingston Hospital',
          kind: 'health',
          email: 'safeguarding@khft.example',
          localAuthorityIds: [kingston, richmond],
          version: 1,
        },
        admin,
        now,
      ),
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
        updateAgency(trx, id, { name: 'x', kind: 'other', localAuthorityIds: [], version: 1 }, admin, now),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('creates a local authority with a unique code and changes its read-by-default setting, which access control then uses', async () => {
    expect(
      (
        await problemsOf(
          tx((trx) =>
            createLocalAuthority(
              trx,
              { laCode: '314', name: 'Another', staffReadByDefault: true },
              admin,
              now,
            ),
          ),
        )
      ).map((e) => e.field),
    ).toEqual(['laCode']);
    const created = await tx((trx) =>
      createLocalAuthority(trx, { laCode: '319', name: 'Sutton', staffReadByDefault: true }, admin, now),
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
      updateLocalAuthority(
        trx,
        richmond,
        { name: 'Richmond upon Thames', staffReadByDefault: false, version: la.version },
        admin,
        now,
      ),
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
    const userAdminOnly: AdminActor = {
      userId: admin.userId,
      label: 'users-only@x.test',
      permissions: new Set(['users:manage']),
    };
    const manager: AdminActor = {
      userId: admin.userId,
      label: 'manager@x.test',
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
        () => tx((trx) => createTeam(trx, { localAuthorityId: richmond, name: 'Sneaky' }, actor, now)),
        () => tx((trx) => updateTeam(trx, qa.id, { name: 'Sneaky', version: qa.version }, actor, now)),
        () => tx((trx) => createCluster(trx, { localAuthorityId: richmond, name: 'Sneaky' }, actor, now)),
        () =>
          tx((trx) =>
            updateCluster(trx, cluster.id, { name: 'Sneaky', version: cluster.version }, actor, now),
          ),
        () =>
          tx((trx) =>
            createAgency(trx, { name: 'Sneaky', kind: 'other', localAuthorityIds: [] }, actor, now),
          ),
        () =>
          tx((trx) =>
            updateAgency(
              trx,
              agency.id,
              { name: 'Sneaky', kind: 'other', localAuthorityIds: [], version: agency.version },
              actor,
              now,
            ),
          ),
        () =>
          tx((trx) =>
            createLocalAuthority(
              trx,
              { laCode: '999', name: 'Sneaky', staffReadByDefault: true },
              actor,
              now,
            ),
          ),
        () =>
          tx((trx) =>
            updateLocalAuthority(
              trx,
              richmond,
              { name: 'Sneaky', staffReadByDefault: true, version: 1 },
              actor,
              now,
            ),
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
