import type { TestApp } from './support/test-app.ts';

/**
 * Records for the authorisation matrix: one value for every :param a page path uses. Extend this when a
 * page with a new kind of param is added.
 */
export interface MatrixFixtures {
  params: Record<string, string>;
}

export async function createMatrixFixtures(t: TestApp): Promise<MatrixFixtures> {
  const db = t.db;
  const richmond = (await db.selectFrom('localAuthorities').select('id').where('laCode', '=', '318').executeTakeFirstOrThrow()).id;
  const assessmentTeam = (await db.selectFrom('teams').select('id').where('name', '=', 'Assessment Team').executeTakeFirstOrThrow()).id;
  const socialWorker = await t.userId('social-worker');
  const teamManager = await t.userId('team-manager');
  const qaOfficer = await t.userId('qa-officer');
  const mash = await t.userId('mash-practitioner');

  const child = await db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'child',
      givenName: 'Matrix',
      familyName: 'Child',
      searchName: 'matrix child',
      dateOfBirth: '2017-01-01',
      laChildId: 'RTMATRIX1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('allocations')
    .values({ childId: child.id, workerId: socialWorker, teamId: assessmentTeam, role: 'allocated-worker', startedOn: '2026-11-01' })
    .execute();
  const now = t.clock.now();
  const grant = await db
    .insertInto('recordGrants')
    .values({ childId: child.id, userId: qaOfficer, access: 'read', reason: 'Matrix', grantedBy: teamManager, grantedAt: now, expiresAt: new Date(now.getTime() - 1) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const breakGlass = await db
    .insertInto('breakGlassAccesses')
    .values({ childId: child.id, userId: mash, reason: 'Matrix', openedAt: new Date(now.getTime() - 10 * 3600_000), expiresAt: new Date(now.getTime() - 2 * 3600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();

  return {
    params: {
      personId: child.id,
      grantId: grant.id,
      breakGlassId: breakGlass.id,
    },
  };
}
