import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordChange, requirePermission, type ServiceContext } from '../../kernel/service/index.ts';
import {
  BusinessRuleError,
  ConflictError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { changes } from './changes.ts';
import type { AgencyKind } from './organisation.schemas.ts';

/**
 * Teams (a hierarchy: a team may sit inside another, never inside itself or one of its own teams),
 * locality clusters, partner agencies and local authorities. Every change is audited with what it was
 * before and after; edits carry the version the form was opened at (a stale save is a ConflictError).
 */

const err = (field: string, message: string): FieldError => ({ field, message, href: `#${field}` });

const staleMessage = (thing: string) =>
  `Someone else changed this ${thing} while you were editing. What is saved now is shown below: check it and save again.`;

/**
 * The record a form edits, locked for the transaction: NotFoundError when there is none, ConflictError when it has
 * changed since the form was opened at `version`.
 */
async function lockForEdit<T extends 'teams' | 'clusters' | 'agencies' | 'localAuthorities'>(
  trx: Transaction<DB>,
  table: T,
  id: string,
  version: number,
  thing: string,
): Promise<Selectable<DB[T]>> {
  const row = await trx
    .selectFrom(table as 'teams' | 'clusters' | 'agencies' | 'localAuthorities')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No such ${thing}`);
  if (row.version !== version) throw new ConflictError(staleMessage(thing));
  return row as Selectable<DB[T]>;
}

// ---------------------------------------------------------------------------------------------- teams

export interface TeamInput {
  name: string;
  serviceId?: string | null;
  parentTeamId?: string | null;
  clusterId?: string | null;
  managerUserId?: string | null;
  /** Funded posts (FTE) for the workforce page's vacancies; null: not recorded. */
  fundedPosts?: number | null;
}

/** True when `candidateParentId` is `teamId` or sits somewhere below it: making it the parent would loop. */
export async function wouldCreateCycle(
  trx: Transaction<DB>,
  teamId: string,
  candidateParentId: string,
): Promise<boolean> {
  if (teamId === candidateParentId) return true;
  // Walk up from the candidate parent; UNION (not UNION ALL) stops even if a loop already exists.
  const result = await sql<{ id: string }>`
    with recursive up as (
      select id, parent_team_id from teams where id = ${candidateParentId}
      union
      select t.id, t.parent_team_id from teams t join up on t.id = up.parent_team_id
    )
    select id from up where id = ${teamId} limit 1`.execute(trx);
  return result.rows.length > 0;
}

/** A team's columns as a form gives them (the name checked and trimmed), in the order its audit details list them. */
const teamValues = (input: TeamInput, name: string) => ({
  name,
  serviceId: input.serviceId ?? null,
  parentTeamId: input.parentTeamId ?? null,
  clusterId: input.clusterId ?? null,
  managerUserId: input.managerUserId ?? null,
  fundedPosts: input.fundedPosts ?? null,
});

/** The local authority a new team or cluster is for (a field error when there is no such authority). */
async function requireLocalAuthority(
  trx: Transaction<DB>,
  localAuthorityId: string,
): Promise<{ id: string }> {
  const la = await trx
    .selectFrom('localAuthorities')
    .select('id')
    .where('id', '=', localAuthorityId)
    .executeTakeFirst();
  if (!la) throw new BusinessRuleError('localAuthorityId', 'Select the local authority');
  return la;
}

async function checkTeam(
  trx: Transaction<DB>,
  localAuthorityId: string,
  input: TeamInput,
  teamId: string | null,
  errors: FieldError[],
) {
  const name = input.name.trim();
  let dup = trx
    .selectFrom('teams')
    .select('id')
    .where('localAuthorityId', '=', localAuthorityId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (teamId) dup = dup.where('id', '<>', teamId);
  if (await dup.executeTakeFirst())
    errors.push(err('name', `There is already a team called ${name} in this local authority`));
  if (input.serviceId) {
    const s = await trx
      .selectFrom('services')
      .select('localAuthorityId')
      .where('id', '=', input.serviceId)
      .executeTakeFirst();
    if (!s || s.localAuthorityId !== localAuthorityId)
      errors.push(err('serviceId', 'Select a service of the same local authority'));
  }
  if (input.clusterId) {
    const c = await trx
      .selectFrom('clusters')
      .select('localAuthorityId')
      .where('id', '=', input.clusterId)
      .executeTakeFirst();
    if (!c || c.localAuthorityId !== localAuthorityId)
      errors.push(err('clusterId', 'Select a cluster of the same local authority'));
  }
  if (input.parentTeamId) {
    const p = await trx
      .selectFrom('teams')
      .select('localAuthorityId')
      .where('id', '=', input.parentTeamId)
      .executeTakeFirst();
    if (!p || p.localAuthorityId !== localAuthorityId)
      errors.push(err('parentTeamId', 'Select a team of the same local authority'));
    else if (teamId && (await wouldCreateCycle(trx, teamId, input.parentTeamId)))
      errors.push(err('parentTeamId', 'A team cannot sit inside itself or inside one of the teams below it'));
  }
  if (input.managerUserId) {
    const m = await trx
      .selectFrom('users')
      .select(['users.id', 'users.status'])
      .where('users.id', '=', input.managerUserId)
      .where((eb) =>
        eb.or([
          eb('users.localAuthorityId', '=', localAuthorityId),
          eb.exists(
            eb
              .selectFrom('userLocalAuthorities')
              .select('userLocalAuthorities.userId')
              .whereRef('userLocalAuthorities.userId', '=', 'users.id')
              .where('userLocalAuthorities.localAuthorityId', '=', localAuthorityId),
          ),
        ]),
      )
      .executeTakeFirst();
    if (!m) errors.push(err('managerUserId', 'Select a manager who works for the same local authority'));
    else if (m.status !== 'active')
      errors.push(err('managerUserId', 'Select a manager whose account is active'));
  }
  return name;
}

export async function createTeam(
  ctx: ServiceContext,
  input: TeamInput & { localAuthorityId: string },
): Promise<{ id: string }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const errors: FieldError[] = [];
  const la = await requireLocalAuthority(trx, input.localAuthorityId);
  const name = await checkTeam(trx, la.id, input, null, errors);
  if (errors.length) throw new FieldProblemsError(errors);
  const values = teamValues(input, name);
  const row = await trx
    .insertInto('teams')
    .values({ ...values, localAuthorityId: la.id, createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'team.created',
      subjectType: 'team',
      subjectId: row.id,
      details: { ...values, localAuthorityId: la.id },
    },
  });
  return { id: row.id };
}

export async function updateTeam(
  ctx: ServiceContext,
  input: TeamInput & { teamId: string; version: number },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const { teamId } = input;
  const team = await lockForEdit(trx, 'teams', teamId, input.version, 'team');
  const errors: FieldError[] = [];
  const name = await checkTeam(trx, team.localAuthorityId, input, teamId, errors);
  if (errors.length) throw new FieldProblemsError(errors);
  const before = teamValues(
    { ...team, fundedPosts: team.fundedPosts === null ? null : Number(team.fundedPosts) },
    team.name,
  );
  const after = teamValues(input, name);
  const diff = changes(before, after);
  if (!diff.changed.length) return { changed: [] };
  await trx
    .updateTable('teams')
    .set({ ...after, updatedAt: now, version: team.version + 1 })
    .where('id', '=', teamId)
    .execute();
  if (diff.changed.includes('fundedPosts'))
    await recordFundedPosts(ctx, teamId, before.fundedPosts, after.fundedPosts);
  await recordChange(ctx, {
    audit: { action: 'team.updated', subjectType: 'team', subjectId: teamId, details: diff },
  });
  return { changed: diff.changed };
}

/**
 * Keeps the history of a team's funded posts (team_funded_posts): the new figure is in force from today (a second
 * change the same day replaces the first). A team with no history yet (created since the history began) first gets
 * its previous figure as in force from 1 January 2000, as migration 0124 backfilled, so earlier months keep it.
 */
async function recordFundedPosts(
  ctx: ServiceContext,
  teamId: string,
  previous: number | null,
  next: number | null,
): Promise<void> {
  const any = await ctx.db
    .selectFrom('teamFundedPosts')
    .select('id')
    .where('teamId', '=', teamId)
    .executeTakeFirst();
  if (!any && previous !== null)
    await ctx.db
      .insertInto('teamFundedPosts')
      .values({
        teamId,
        fromDate: '2000-01-01',
        fundedPosts: previous,
        recordedAt: ctx.now,
        recordedBy: null,
      })
      .execute();
  await ctx.db
    .insertInto('teamFundedPosts')
    .values({
      teamId,
      fromDate: isoDateOf(ctx.now),
      fundedPosts: next,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .onConflict((oc) =>
      oc.columns(['teamId', 'fromDate']).doUpdateSet({
        fundedPosts: next,
        recordedAt: ctx.now,
        recordedBy: ctx.user.id,
      }),
    )
    .execute();
}

// ------------------------------------------------------------------------------------------- clusters

export interface ClusterInput {
  name: string;
  description?: string | null;
}

async function clusterNameTaken(
  trx: Transaction<DB>,
  localAuthorityId: string,
  name: string,
  except?: string,
) {
  let q = trx
    .selectFrom('clusters')
    .select('id')
    .where('localAuthorityId', '=', localAuthorityId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (except) q = q.where('id', '<>', except);
  return !!(await q.executeTakeFirst());
}

export async function createCluster(
  ctx: ServiceContext,
  input: ClusterInput & { localAuthorityId: string },
): Promise<{ id: string }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const la = await requireLocalAuthority(trx, input.localAuthorityId);
  const name = input.name.trim();
  if (await clusterNameTaken(trx, la.id, name))
    throw new BusinessRuleError('name', `There is already a cluster called ${name} in this local authority`);
  const row = await trx
    .insertInto('clusters')
    .values({
      localAuthorityId: la.id,
      name,
      description: input.description ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'cluster.created',
      subjectType: 'cluster',
      subjectId: row.id,
      details: {
        localAuthorityId: la.id,
        name,
        description: input.description ?? null,
      },
    },
  });
  return { id: row.id };
}

export async function updateCluster(
  ctx: ServiceContext,
  input: ClusterInput & { clusterId: string; version: number },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const { clusterId } = input;
  const cluster = await lockForEdit(trx, 'clusters', clusterId, input.version, 'cluster');
  const name = input.name.trim();
  if (await clusterNameTaken(trx, cluster.localAuthorityId, name, clusterId))
    throw new BusinessRuleError('name', `There is already a cluster called ${name} in this local authority`);
  const diff = changes(
    { name: cluster.name, description: cluster.description },
    { name, description: input.description ?? null },
  );
  if (!diff.changed.length) return { changed: [] };
  await trx
    .updateTable('clusters')
    .set({ name, description: input.description ?? null, updatedAt: now, version: cluster.version + 1 })
    .where('id', '=', clusterId)
    .execute();
  await recordChange(ctx, {
    audit: { action: 'cluster.updated', subjectType: 'cluster', subjectId: clusterId, details: diff },
  });
  return { changed: diff.changed };
}

// ------------------------------------------------------------------------------------------- agencies

export interface AgencyInput {
  name: string;
  kind: AgencyKind;
  code?: string | null;
  email?: string | null;
  localAuthorityIds: string[];
}

/** An agency's columns as a form gives them (the name checked and trimmed; the email in lower case). */
const agencyValues = (input: AgencyInput, name: string) => ({
  name,
  kind: input.kind,
  code: input.code?.trim() || null,
  email: input.email?.trim().toLowerCase() || null,
});

async function linkAgencyToLocalAuthorities(trx: Transaction<DB>, agencyId: string, ids: string[]) {
  if (ids.length)
    await trx
      .insertInto('agencyLocalAuthorities')
      .values(ids.map((localAuthorityId) => ({ agencyId, localAuthorityId })))
      .execute();
}

async function checkAgency(
  trx: Transaction<DB>,
  input: AgencyInput,
  agencyId: string | null,
  errors: FieldError[],
) {
  const name = input.name.trim();
  let dup = trx
    .selectFrom('agencies')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (agencyId) dup = dup.where('id', '<>', agencyId);
  if (await dup.executeTakeFirst()) errors.push(err('name', `There is already an agency called ${name}`));
  const ids = [...new Set(input.localAuthorityIds)].sort();
  if (ids.length) {
    const found = await trx.selectFrom('localAuthorities').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length)
      errors.push(err('localAuthorityIds', 'Select local authorities from the list'));
  }
  return { name, ids };
}

export async function createAgency(ctx: ServiceContext, input: AgencyInput): Promise<{ id: string }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const errors: FieldError[] = [];
  const { name, ids } = await checkAgency(trx, input, null, errors);
  if (errors.length) throw new FieldProblemsError(errors);
  const values = agencyValues(input, name);
  const row = await trx
    .insertInto('agencies')
    .values({ ...values, createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await linkAgencyToLocalAuthorities(trx, row.id, ids);
  await recordChange(ctx, {
    audit: {
      action: 'agency.created',
      subjectType: 'agency',
      subjectId: row.id,
      details: { ...values, localAuthorityIds: ids },
    },
  });
  return { id: row.id };
}

export async function updateAgency(
  ctx: ServiceContext,
  input: AgencyInput & { agencyId: string; version: number },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const { agencyId } = input;
  const agency = await lockForEdit(trx, 'agencies', agencyId, input.version, 'agency');
  const errors: FieldError[] = [];
  const { name, ids } = await checkAgency(trx, input, agencyId, errors);
  if (errors.length) throw new FieldProblemsError(errors);
  const currentLas = (
    await trx
      .selectFrom('agencyLocalAuthorities')
      .select('localAuthorityId')
      .where('agencyId', '=', agencyId)
      .execute()
  )
    .map((r) => r.localAuthorityId)
    .sort();
  const after = agencyValues(input, name);
  const diff = changes(
    {
      name: agency.name,
      kind: agency.kind,
      code: agency.code,
      email: agency.email,
      localAuthorityIds: currentLas,
    },
    { ...after, localAuthorityIds: ids },
  );
  if (!diff.changed.length) return { changed: [] };
  await trx
    .updateTable('agencies')
    .set({ ...after, updatedAt: now, version: agency.version + 1 })
    .where('id', '=', agencyId)
    .execute();
  if (diff.changed.includes('localAuthorityIds')) {
    await trx.deleteFrom('agencyLocalAuthorities').where('agencyId', '=', agencyId).execute();
    await linkAgencyToLocalAuthorities(trx, agencyId, ids);
  }
  await recordChange(ctx, {
    audit: { action: 'agency.updated', subjectType: 'agency', subjectId: agencyId, details: diff },
  });
  return { changed: diff.changed };
}

// -------------------------------------------------------------------------------- local authorities

export async function createLocalAuthority(
  ctx: ServiceContext,
  input: { laCode: string; name: string; staffReadByDefault: boolean },
): Promise<{ id: string }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (
    await trx
      .selectFrom('localAuthorities')
      .select('id')
      .where('laCode', '=', input.laCode)
      .executeTakeFirst()
  )
    errors.push(err('laCode', `There is already a local authority with code ${input.laCode}`));
  if (
    await trx
      .selectFrom('localAuthorities')
      .select('id')
      .where(sql<boolean>`lower(name) = lower(${name})`)
      .executeTakeFirst()
  )
    errors.push(err('name', `There is already a local authority called ${name}`));
  if (errors.length) throw new FieldProblemsError(errors);
  const row = await trx
    .insertInto('localAuthorities')
    .values({
      laCode: input.laCode,
      name,
      staffReadByDefault: input.staffReadByDefault,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'local-authority.created',
      subjectType: 'local-authority',
      subjectId: row.id,
      details: {
        laCode: input.laCode,
        name,
        staffReadByDefault: input.staffReadByDefault,
      },
    },
  });
  return { id: row.id };
}

export async function updateLocalAuthority(
  ctx: ServiceContext,
  input: { localAuthorityId: string; name: string; staffReadByDefault: boolean; version: number },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'organisation:manage');
  const { db: trx, now } = ctx;
  const { localAuthorityId } = input;
  const la = await lockForEdit(trx, 'localAuthorities', localAuthorityId, input.version, 'local authority');
  const name = input.name.trim();
  if (
    await trx
      .selectFrom('localAuthorities')
      .select('id')
      .where(sql<boolean>`lower(name) = lower(${name})`)
      .where('id', '<>', localAuthorityId)
      .executeTakeFirst()
  )
    throw new BusinessRuleError('name', `There is already a local authority called ${name}`);
  const diff = changes(
    { name: la.name, staffReadByDefault: la.staffReadByDefault },
    { name, staffReadByDefault: input.staffReadByDefault },
  );
  if (!diff.changed.length) return { changed: [] };
  await trx
    .updateTable('localAuthorities')
    .set({ name, staffReadByDefault: input.staffReadByDefault, updatedAt: now, version: la.version + 1 })
    .where('id', '=', localAuthorityId)
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'local-authority.updated',
      subjectType: 'local-authority',
      subjectId: localAuthorityId,
      details: {
        ...diff,
        laCode: la.laCode,
      },
    },
  });
  return { changed: diff.changed };
}
