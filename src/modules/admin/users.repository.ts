import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ROLE_LABELS, isRole, type Role } from '../../kernel/access/index.ts';
import { escapeLike, paged, PAGE_SIZE, type Paged } from './pagination.ts';

/** Reads for the user administration pages. Lists are paginated and take one query per concern (no N+1). */

export const USER_STATUSES = ['active', 'disabled', 'locked'] as const;
export type UserStatusFilter = (typeof USER_STATUSES)[number];

export interface UserFilters {
  q?: string | undefined;
  role?: Role | undefined;
  teamId?: string | undefined;
  agencyId?: string | undefined;
  status?: UserStatusFilter | undefined;
}

export interface UserListRow {
  id: string;
  displayName: string;
  email: string;
  jobTitle: string | null;
  status: string;
  locked: boolean;
  teamName: string | null;
  agencyName: string | null;
  localAuthorityName: string | null;
  lastSignInAt: Date | null;
  roles: string[];
}

export async function listUsers(
  db: Kysely<DB>,
  filters: UserFilters,
  page: number,
  now: Date,
): Promise<Paged<UserListRow>> {
  let base = db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.teamId')
    .leftJoin('agencies', 'agencies.id', 'users.agencyId')
    .leftJoin('localAuthorities', 'localAuthorities.id', 'users.localAuthorityId');
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    base = base.where((eb) =>
      eb.or([eb('users.displayName', 'ilike', pattern), eb('users.email', 'ilike', pattern)]),
    );
  }
  if (filters.role) {
    const role = filters.role;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('userRoles')
          .select('userRoles.userId')
          .whereRef('userRoles.userId', '=', 'users.id')
          .where('userRoles.role', '=', role),
      ),
    );
  }
  if (filters.teamId) base = base.where('users.teamId', '=', filters.teamId);
  if (filters.agencyId) base = base.where('users.agencyId', '=', filters.agencyId);
  if (filters.status === 'active') base = base.where('users.status', '=', 'active');
  if (filters.status === 'disabled') base = base.where('users.status', '=', 'disabled');
  if (filters.status === 'locked') base = base.where('users.lockedUntil', '>', now);

  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .select([
      'users.id',
      'users.displayName',
      'users.email',
      'users.jobTitle',
      'users.status',
      'users.lockedUntil',
      'users.lastSignInAt',
      'teams.name as teamName',
      'agencies.name as agencyName',
      'localAuthorities.name as localAuthorityName',
    ])
    .orderBy('users.displayName')
    .orderBy('users.id')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const roles = await rolesByUser(
    db,
    rows.map((r) => r.id),
  );
  return paged(
    rows.map(({ lockedUntil, ...r }) => ({
      ...r,
      locked: !!lockedUntil && lockedUntil > now,
      roles: (roles.get(r.id) ?? []).map((role) => ROLE_LABELS[role]),
    })),
    total,
    page,
  );
}

export async function rolesByUser(db: Kysely<DB>, userIds: string[]): Promise<Map<string, Role[]>> {
  const map = new Map<string, Role[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom('userRoles')
    .select(['userId', 'role'])
    .where('userId', 'in', userIds)
    .orderBy('role')
    .execute();
  for (const r of rows) if (isRole(r.role)) map.set(r.userId, [...(map.get(r.userId) ?? []), r.role]);
  return map;
}

export async function getUserDetail(db: Kysely<DB>, userId: string, now: Date) {
  const user = await db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.teamId')
    .leftJoin('agencies', 'agencies.id', 'users.agencyId')
    .leftJoin('localAuthorities', 'localAuthorities.id', 'users.localAuthorityId')
    .select([
      'users.id',
      'users.email',
      'users.displayName',
      'users.jobTitle',
      'users.status',
      'users.localAuthorityId',
      'users.teamId',
      'users.agencyId',
      'users.mfaRequired',
      'users.totpEnabledAt',
      'users.failedSignInCount',
      'users.lockedUntil',
      'users.lastSignInAt',
      'users.createdAt',
      'users.updatedAt',
      'users.version',
      'users.oidcSubject',
      sql<boolean>`users.password_hash is not null`.as('hasPassword'),
      'teams.name as teamName',
      'agencies.name as agencyName',
      'localAuthorities.name as localAuthorityName',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const [roles, las, sessions, grants] = await Promise.all([
    rolesByUser(db, [userId]),
    db
      .selectFrom('userLocalAuthorities as ula')
      .innerJoin('localAuthorities as la', 'la.id', 'ula.localAuthorityId')
      .select(['la.id', 'la.name'])
      .where('ula.userId', '=', userId)
      .orderBy('la.name')
      .execute(),
    db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('userId', '=', userId)
      .where('stage', '=', 'active')
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirst(),
    db
      .selectFrom('recordGrants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
      .executeTakeFirst(),
  ]);
  const { lockedUntil, ...rest } = user;
  return {
    ...rest,
    locked: !!lockedUntil && lockedUntil > now,
    lockedUntil,
    roles: roles.get(userId) ?? [],
    localAuthorities: las,
    otherLocalAuthorityIds: las.map((l) => l.id).filter((id) => id !== user.localAuthorityId),
    activeSessions: Number(sessions?.n ?? 0),
    activeGrants: Number(grants?.n ?? 0),
  };
}
export type UserDetail = NonNullable<Awaited<ReturnType<typeof getUserDetail>>>;

export interface Option {
  value: string;
  text: string;
}

/** Choices for the user forms and filters. Labels carry the authority when there is more than one. */
export async function organisationOptions(db: Kysely<DB>) {
  const [las, teams, agencies] = await Promise.all([
    db.selectFrom('localAuthorities').select(['id', 'name', 'laCode']).orderBy('name').execute(),
    db
      .selectFrom('teams')
      .innerJoin('localAuthorities', 'localAuthorities.id', 'teams.localAuthorityId')
      .select(['teams.id', 'teams.name', 'localAuthorities.name as laName'])
      .orderBy('teams.name')
      .execute(),
    db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute(),
  ]);
  const several = las.length > 1;
  return {
    localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
    teams: teams.map((t) => ({ value: t.id, text: several ? `${t.name} – ${t.laName}` : t.name })),
    agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
  };
}
