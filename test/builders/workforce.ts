import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { Role } from '../../src/kernel/access/index.ts';
import { localAuthorityId } from './people.ts';

/**
 * The workforce as tests build it: a team of its own under a demo team (so its figures are the test's alone), staff
 * with worker profiles, a child held by a worker, a case supervision session, a training record.
 *
 *   const team = await aTeam(db, 'Hand Count Team', { parent: 'Children in Need and Protection Service', funded: 6 });
 *   const alice = await aStaffMember(db, team, 'Alice Able', { profile: { contractType: 'permanent' } });
 */

type Db = Kysely<DB> | Transaction<DB>;

export async function aTeam(
  db: Db,
  name: string,
  options: { parent?: string; funded?: number | null } = {},
): Promise<string> {
  const parent = options.parent
    ? await db
        .selectFrom('teams')
        .select(['id', 'serviceId'])
        .where('name', '=', options.parent)
        .executeTakeFirstOrThrow()
    : null;
  const row = await db
    .insertInto('teams')
    .values({
      localAuthorityId: await localAuthorityId(db),
      name,
      parentTeamId: parent?.id ?? null,
      serviceId: parent?.serviceId ?? null,
      fundedPosts: options.funded ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ProfileValues {
  contractType?: 'permanent' | 'agency-locum' | 'fixed-term' | 'secondment';
  fte?: number;
  startedOn?: string | null;
  leftOn?: string | null;
  sweRenewalOn?: string | null;
  asyeStatus?: 'not-applicable' | 'in-progress' | 'extended' | 'passed' | 'failed';
  asyeStartedOn?: string | null;
  asyeOutcomeOn?: string | null;
}

/** A staff user in the team (a social worker unless told), with a worker profile unless `profile` is null. */
export async function aStaffMember(
  db: Db,
  teamId: string,
  displayName: string,
  options: {
    role?: Role;
    createdAt?: Date;
    profile?: ProfileValues | null;
    status?: 'active' | 'disabled';
  } = {},
): Promise<string> {
  const { id } = await db
    .insertInto('users')
    .values({
      email: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}.${randomUUID().slice(0, 8)}@demo.threshold.test`,
      displayName,
      jobTitle: 'Social worker',
      localAuthorityId: await localAuthorityId(db),
      teamId,
      createdAt: options.createdAt ?? new Date('2025-01-01T09:00:00Z'),
      ...(options.status ? { status: options.status } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('userRoles')
    .values({ userId: id, role: options.role ?? 'social-worker' })
    .execute();
  if (options.profile !== null) {
    const p = options.profile ?? {};
    await db
      .insertInto('workerProfiles')
      .values({
        userId: id,
        contractType: p.contractType ?? 'permanent',
        fte: p.fte ?? 1,
        startedOn: p.startedOn ?? null,
        leftOn: p.leftOn ?? null,
        leavingReason: p.leftOn ? 'Moved to another authority' : null,
        sweRenewalOn: p.sweRenewalOn ?? null,
        asyeStatus: p.asyeStatus ?? 'not-applicable',
        asyeStartedOn: p.asyeStartedOn ?? null,
        asyeOutcomeOn: p.asyeOutcomeOn ?? null,
        updatedAt: new Date('2026-11-01T09:00:00Z'),
      })
      .execute();
  }
  return id;
}

/** The worker holds the child from `startedOn` (an open allocation in the worker's team). */
export async function aHolding(
  db: Db,
  workerId: string,
  childId: string,
  options: { teamId: string; startedOn?: string; involvementType?: string },
): Promise<void> {
  await db
    .insertInto('allocations')
    .values({
      childId,
      workerId,
      teamId: options.teamId,
      role: 'allocated-worker',
      startedOn: options.startedOn ?? '2026-10-01',
      involvementType: options.involvementType ?? 'cin-episode',
    })
    .execute();
}

/** A case supervision session held on the day (no children discussed). */
export async function aSupervisionSession(
  db: Db,
  supervisorId: string,
  superviseeId: string,
  heldOn: string,
): Promise<void> {
  await db
    .insertInto('supervisionSessions')
    .values({
      localAuthorityId: await localAuthorityId(db),
      supervisorId,
      superviseeId,
      heldOn,
      recordedAt: new Date(`${heldOn}T15:00:00Z`),
      recordedBy: supervisorId,
    })
    .execute();
}

/** A training record completed on the day. */
export async function aTrainingRecord(
  db: Db,
  userId: string,
  completedOn: string,
  hours: number | null = null,
): Promise<void> {
  await db
    .insertInto('trainingRecords')
    .values({
      userId,
      title: 'Working with neglect',
      completedOn,
      hours,
      learned: 'Using the graded care profile',
      recordedAt: new Date(`${completedOn}T15:00:00Z`),
      recordedBy: userId,
    })
    .execute();
}
