import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  CHILDRENS_SERVICES_ROLES,
  isRole,
  permissionsFor,
  type CurrentUser,
  type Role,
} from '../../kernel/access/index.ts';

/** Resolves everything access control needs about a user, in three small queries. */
export async function loadCurrentUser(
  db: Kysely<DB>,
  userId: string,
  sessionId: string | null,
): Promise<CurrentUser | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'displayName', 'localAuthorityId', 'teamId', 'agencyId', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active') return null;

  const [roleRows, laRows, managed] = await Promise.all([
    db.selectFrom('userRoles').select('role').where('userId', '=', userId).execute(),
    db
      .selectFrom('userLocalAuthorities as ula')
      .innerJoin('localAuthorities as la', 'la.id', 'ula.localAuthorityId')
      .select(['la.id', 'la.staffReadByDefault'])
      .where('ula.userId', '=', userId)
      .execute(),
    sql<{ id: string }>`
      with recursive managed as (
        select id from teams where manager_user_id = ${userId}
        union
        select t.id from teams t join managed m on t.parent_team_id = m.id
      )
      select id from managed`.execute(db),
  ]);

  const roles = roleRows.map((r) => r.role).filter(isRole) as Role[];
  const laIds = new Set(laRows.map((r) => r.id));
  if (user.localAuthorityId) laIds.add(user.localAuthorityId);
  const isStaff = roles.some((r) => CHILDRENS_SERVICES_ROLES.includes(r));
  const isPartner = !!user.agencyId && !isStaff;
  const readDefault = laRows.filter((r) => r.staffReadByDefault).map((r) => r.id);
  if (user.localAuthorityId && !readDefault.includes(user.localAuthorityId)) {
    const home = await db
      .selectFrom('localAuthorities')
      .select('staffReadByDefault')
      .where('id', '=', user.localAuthorityId)
      .executeTakeFirst();
    if (home?.staffReadByDefault) readDefault.push(user.localAuthorityId);
  }

  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles,
    permissions: permissionsFor(roles),
    localAuthorityId: user.localAuthorityId,
    localAuthorityIds: [...laIds],
    staffReadLocalAuthorityIds: isStaff ? readDefault : [],
    teamId: user.teamId,
    managedTeamIds: managed.rows.map((r) => r.id),
    agencyId: user.agencyId,
    isPartner,
    sessionId,
  };
}
