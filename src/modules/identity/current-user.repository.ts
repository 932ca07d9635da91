import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  CHILDRENS_SERVICES_ROLES,
  isRole,
  permissionsFor,
  type CurrentUser,
  type Role,
} from '../../kernel/access/index.ts';

/**
 * Everything access control needs about a user, as one row: the user, their roles, the authorities they work for
 * (with each one's staff-read setting), their home authority's setting and the teams they manage (every team
 * below a team they manage too). Read in one query, on its own (loadCurrentUser) or joined to the session that
 * names the user (resolveSession), so a request resolves its session and user in a single round trip.
 */
export interface UserFactsRow {
  userId: string | null;
  email: string | null;
  displayName: string | null;
  localAuthorityId: string | null;
  teamId: string | null;
  agencyId: string | null;
  status: string | null;
  roles: string[] | null;
  authorities: { id: string; read: boolean }[] | null;
  homeReadByDefault: boolean | null;
  managedTeamIds: string[] | null;
}

/**
 * The user's columns and facts, for a query whose FROM has the user as `u` (left-joined: every column may be
 * null) and a recursive CTE `managed(id)` of the teams they manage.
 */
export const userFactsColumns: RawBuilder<unknown> = sql`
  u.id as user_id, u.email, u.display_name, u.local_authority_id, u.team_id, u.agency_id, u.status,
  (select coalesce(json_agg(r.role), '[]'::json) from user_roles r where r.user_id = u.id) as roles,
  (select coalesce(json_agg(json_build_object('id', la.id, 'read', la.staff_read_by_default)), '[]'::json)
     from user_local_authorities ula join local_authorities la on la.id = ula.local_authority_id
    where ula.user_id = u.id) as authorities,
  (select la.staff_read_by_default from local_authorities la where la.id = u.local_authority_id)
    as home_read_by_default,
  (select coalesce(json_agg(m.id), '[]'::json) from managed m) as managed_team_ids`;

/** The teams managed by the user `managers` selects (one column, the user's id), and every team below them. */
export const managedTeamsCte = (managers: RawBuilder<unknown>): RawBuilder<unknown> => sql`
  managed(id) as (
    select t.id from teams t where t.manager_user_id in (${managers})
    union
    select t.id from teams t join managed m on t.parent_team_id = m.id
  )`;

/** The CurrentUser a facts row describes, or null when there is no such user or they are not active. */
export function currentUserFrom(row: UserFactsRow, sessionId: string | null): CurrentUser | null {
  if (!row.userId || row.status !== 'active') return null;
  const roles = (row.roles ?? []).filter(isRole) as Role[];
  const authorities = row.authorities ?? [];
  const laIds = new Set(authorities.map((a) => a.id));
  if (row.localAuthorityId) laIds.add(row.localAuthorityId);
  const isStaff = roles.some((r) => CHILDRENS_SERVICES_ROLES.includes(r));
  const isPartner = !!row.agencyId && !isStaff;
  const readDefault = authorities.filter((a) => a.read).map((a) => a.id);
  if (row.localAuthorityId && !readDefault.includes(row.localAuthorityId) && row.homeReadByDefault)
    readDefault.push(row.localAuthorityId);
  return {
    id: row.userId,
    email: row.email!,
    displayName: row.displayName!,
    roles,
    permissions: permissionsFor(roles),
    localAuthorityId: row.localAuthorityId,
    localAuthorityIds: [...laIds],
    staffReadLocalAuthorityIds: isStaff ? readDefault : [],
    teamId: row.teamId,
    managedTeamIds: row.managedTeamIds ?? [],
    agencyId: row.agencyId,
    isPartner,
    sessionId,
  };
}

/** Resolves everything access control needs about a user, in one query (null when missing or not active). */
export async function loadCurrentUser(
  db: Kysely<DB>,
  userId: string,
  sessionId: string | null,
): Promise<CurrentUser | null> {
  const result = await sql<UserFactsRow>`
    with recursive ${managedTeamsCte(sql`select ${userId}::uuid`)}
    select ${userFactsColumns} from users u where u.id = ${userId}`.execute(db);
  const row = result.rows[0];
  return row ? currentUserFrom(row, sessionId) : null;
}
