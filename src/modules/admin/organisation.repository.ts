import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../kernel/service/index.ts';
import { paged, PAGE_SIZE, type Paged } from './pagination.ts';
import { AGENCY_KIND_LABELS, type AgencyKind } from './organisation.schemas.ts';

/** Reads for the organisation pages: teams (as a tree), clusters, agencies, local authorities. */

export interface TeamTreeRow {
  id: string;
  name: string;
  depth: number;
  localAuthorityName: string;
  serviceName: string | null;
  clusterName: string | null;
  managerName: string | null;
  managerId: string | null;
  members: number;
}

/** How many rows an organisation table (or users) holds: the lists' totals and the administration index's counts. */
export async function countRows(
  db: Db,
  table: 'users' | 'teams' | 'clusters' | 'agencies' | 'localAuthorities',
): Promise<number> {
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
}

/**
 * Every team in hierarchy order (each team followed by the teams inside it), one page at a time. A team
 * whose parent chain loops (which the service refuses, but data could be loaded by hand) is never lost:
 * roots are the teams without a parent, and the cycle guard stops the walk.
 */
export async function teamTree(db: Kysely<DB>, page: number): Promise<Paged<TeamTreeRow>> {
  const total = await countRows(db, 'teams');
  const rows = await sql<TeamTreeRow>`
    with recursive tree as (
      select t.id, 0 as depth, array[la.name, t.name]::text[] as path, array[t.id] as seen
      from teams t join local_authorities la on la.id = t.local_authority_id
      where t.parent_team_id is null
      union all
      select c.id, tree.depth + 1, tree.path || c.name, tree.seen || c.id
      from teams c join tree on c.parent_team_id = tree.id
      where not c.id = any(tree.seen)
    )
    select t.id, t.name, tree.depth, la.name as local_authority_name, s.name as service_name,
           cl.name as cluster_name, m.display_name as manager_name, m.id as manager_id,
           (select count(*)::int from users u where u.team_id = t.id and u.status = 'active') as members
    from tree
    join teams t on t.id = tree.id
    join local_authorities la on la.id = t.local_authority_id
    left join services s on s.id = t.service_id
    left join clusters cl on cl.id = t.cluster_id
    left join users m on m.id = t.manager_user_id
    order by tree.path
    limit ${PAGE_SIZE * 2} offset ${(page - 1) * PAGE_SIZE * 2}`.execute(db);
  return paged(rows.rows, total, page, PAGE_SIZE * 2);
}
export const TEAM_PAGE_SIZE = PAGE_SIZE * 2;

export async function getTeam(db: Kysely<DB>, teamId: string) {
  return db
    .selectFrom('teams')
    .innerJoin('localAuthorities', 'localAuthorities.id', 'teams.localAuthorityId')
    .select([
      'teams.id',
      'teams.name',
      'teams.localAuthorityId',
      'teams.serviceId',
      'teams.parentTeamId',
      'teams.clusterId',
      'teams.managerUserId',
      'teams.fundedPosts',
      'teams.version',
      'localAuthorities.name as localAuthorityName',
    ])
    .where('teams.id', '=', teamId)
    .executeTakeFirst();
}

/** Teams at or below `teamId`: not offered as its parent. */
export async function teamAndDescendants(db: Kysely<DB>, teamId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive down as (
      select id from teams where id = ${teamId}
      union
      select t.id from teams t join down on t.parent_team_id = down.id
    )
    select id from down`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Choices for the team form; labels carry the authority when there is more than one. */
export async function teamFormOptions(db: Kysely<DB>) {
  const [las, services, teams, clusters, managers] = await Promise.all([
    db.selectFrom('localAuthorities').select(['id', 'name', 'laCode']).orderBy('name').execute(),
    db
      .selectFrom('services')
      .innerJoin('localAuthorities as la', 'la.id', 'services.localAuthorityId')
      .select(['services.id', 'services.name', 'services.localAuthorityId', 'la.name as laName'])
      .orderBy('la.name')
      .orderBy('services.name')
      .execute(),
    db
      .selectFrom('teams')
      .innerJoin('localAuthorities as la', 'la.id', 'teams.localAuthorityId')
      .select(['teams.id', 'teams.name', 'teams.localAuthorityId', 'la.name as laName'])
      .orderBy('la.name')
      .orderBy('teams.name')
      .execute(),
    db
      .selectFrom('clusters')
      .innerJoin('localAuthorities as la', 'la.id', 'clusters.localAuthorityId')
      .select(['clusters.id', 'clusters.name', 'clusters.localAuthorityId', 'la.name as laName'])
      .orderBy('la.name')
      .orderBy('clusters.name')
      .execute(),
    // Possible managers: active staff of a local authority (not partner-agency users).
    db
      .selectFrom('users')
      .leftJoin('teams', 'teams.id', 'users.teamId')
      .select(['users.id', 'users.displayName', 'users.email', 'users.jobTitle', 'users.localAuthorityId'])
      .where('users.status', '=', 'active')
      .where('users.localAuthorityId', 'is not', null)
      .orderBy('users.displayName')
      .execute(),
  ]);
  const several = las.length > 1;
  const withLa = (name: string, laName: string) => (several ? `${name} – ${laName}` : name);
  return {
    localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
    services: services.map((s) => ({
      value: s.id,
      text: withLa(s.name, s.laName),
      localAuthorityId: s.localAuthorityId,
    })),
    teams: teams.map((t) => ({
      value: t.id,
      text: withLa(t.name, t.laName),
      localAuthorityId: t.localAuthorityId,
    })),
    clusters: clusters.map((c) => ({
      value: c.id,
      text: withLa(c.name, c.laName),
      localAuthorityId: c.localAuthorityId,
    })),
    managers: managers.map((m) => ({
      value: m.id,
      text: `${m.displayName}${m.jobTitle ? `, ${m.jobTitle}` : ''} (${m.email})`,
    })),
  };
}

export async function listClusters(db: Kysely<DB>, page: number) {
  const total = await countRows(db, 'clusters');
  const rows = await db
    .selectFrom('clusters')
    .innerJoin('localAuthorities as la', 'la.id', 'clusters.localAuthorityId')
    .select((eb) => [
      'clusters.id',
      'clusters.name',
      'clusters.description',
      'la.name as localAuthorityName',
      eb
        .selectFrom('teams')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('teams.clusterId', '=', 'clusters.id')
        .as('teams'),
    ])
    .orderBy('la.name')
    .orderBy('clusters.name')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return paged(
    rows.map((r) => ({ ...r, teams: Number(r.teams ?? 0) })),
    total,
    page,
  );
}

export async function getCluster(db: Kysely<DB>, clusterId: string) {
  return db
    .selectFrom('clusters')
    .innerJoin('localAuthorities as la', 'la.id', 'clusters.localAuthorityId')
    .select([
      'clusters.id',
      'clusters.name',
      'clusters.description',
      'clusters.version',
      'la.name as localAuthorityName',
    ])
    .where('clusters.id', '=', clusterId)
    .executeTakeFirst();
}

export async function listAgencies(db: Kysely<DB>, page: number) {
  const total = await countRows(db, 'agencies');
  const rows = await db
    .selectFrom('agencies')
    .select((eb) => [
      'agencies.id',
      'agencies.name',
      'agencies.kind',
      'agencies.code',
      'agencies.email',
      eb
        .selectFrom('users')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('users.agencyId', '=', 'agencies.id')
        .where('users.status', '=', 'active')
        .as('users'),
    ])
    .orderBy('agencies.name')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const las = await laNamesByAgency(
    db,
    rows.map((r) => r.id),
  );
  return paged(
    rows.map((r) => ({
      ...r,
      kindLabel: AGENCY_KIND_LABELS[r.kind as AgencyKind] ?? r.kind,
      users: Number(r.users ?? 0),
      localAuthorities: las.get(r.id) ?? [],
    })),
    total,
    page,
  );
}

async function laNamesByAgency(db: Kysely<DB>, agencyIds: string[]) {
  const map = new Map<string, string[]>();
  if (!agencyIds.length) return map;
  const rows = await db
    .selectFrom('agencyLocalAuthorities as ala')
    .innerJoin('localAuthorities as la', 'la.id', 'ala.localAuthorityId')
    .select(['ala.agencyId', 'la.name'])
    .where('ala.agencyId', 'in', agencyIds)
    .orderBy('la.name')
    .execute();
  for (const r of rows) map.set(r.agencyId, [...(map.get(r.agencyId) ?? []), r.name]);
  return map;
}

export const AGENCY_USERS_SHOWN = 50;

export async function getAgency(db: Kysely<DB>, agencyId: string) {
  const agency = await db.selectFrom('agencies').selectAll().where('id', '=', agencyId).executeTakeFirst();
  if (!agency) return null;
  const [las, users, userCount] = await Promise.all([
    db
      .selectFrom('agencyLocalAuthorities as ala')
      .innerJoin('localAuthorities as la', 'la.id', 'ala.localAuthorityId')
      .select(['la.id', 'la.name'])
      .where('ala.agencyId', '=', agencyId)
      .orderBy('la.name')
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'displayName', 'email', 'jobTitle', 'status'])
      .where('agencyId', '=', agencyId)
      .orderBy('displayName')
      .limit(AGENCY_USERS_SHOWN)
      .execute(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('agencyId', '=', agencyId)
      .executeTakeFirst(),
  ]);
  return {
    ...agency,
    kindLabel: AGENCY_KIND_LABELS[agency.kind as AgencyKind] ?? agency.kind,
    localAuthorities: las,
    localAuthorityIds: las.map((l) => l.id),
    users,
    userCount: Number(userCount?.n ?? 0),
  };
}

export async function localAuthorityOptions(db: Kysely<DB>) {
  const las = await db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .orderBy('name')
    .execute();
  return las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` }));
}

export async function listLocalAuthorities(db: Kysely<DB>, page: number) {
  const total = await countRows(db, 'localAuthorities');
  const rows = await db
    .selectFrom('localAuthorities')
    .select((eb) => [
      'localAuthorities.id',
      'localAuthorities.laCode',
      'localAuthorities.name',
      'localAuthorities.staffReadByDefault',
      eb
        .selectFrom('teams')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('teams.localAuthorityId', '=', 'localAuthorities.id')
        .as('teams'),
    ])
    .orderBy('localAuthorities.name')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return paged(
    rows.map((r) => ({ ...r, teams: Number(r.teams ?? 0) })),
    total,
    page,
  );
}

export async function getLocalAuthority(db: Kysely<DB>, id: string) {
  return db.selectFrom('localAuthorities').selectAll().where('id', '=', id).executeTakeFirst();
}
