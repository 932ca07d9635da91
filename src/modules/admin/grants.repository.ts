import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { escapeLike, paged, PAGE_SIZE, type Paged } from './pagination.ts';

/**
 * Named grants to restricted records, for administrators. Administrators have no access to children's
 * records, so a child is shown ONLY by their LA child ID: these queries never select a name, a date of
 * birth or anything else from `people`.
 */

export const GRANT_STATUSES = ['in-force', 'revoked', 'expired'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export interface GrantFilters {
  userId?: string | undefined;
  user?: string | undefined;
  status?: GrantStatus | undefined;
}

export interface GrantRow {
  id: string;
  laChildId: string | null;
  access: string;
  reason: string;
  grantedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  userId: string;
  userName: string;
  userEmail: string;
  grantedByName: string;
  revokedByName: string | null;
  status: GrantStatus;
}

function grantsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('recordGrants as g')
    .innerJoin('people as p', 'p.id', 'g.childId')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .innerJoin('users as by', 'by.id', 'g.grantedBy')
    .leftJoin('users as rev', 'rev.id', 'g.revokedBy');
}

function statusOf(g: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): GrantStatus {
  if (g.revokedAt) return 'revoked';
  if (g.expiresAt && g.expiresAt <= now) return 'expired';
  return 'in-force';
}

const columns = [
  'g.id',
  // The child's LA child ID and nothing else about them.
  'p.laChildId',
  'g.access',
  'g.reason',
  'g.grantedAt',
  'g.expiresAt',
  'g.revokedAt',
  'u.id as userId',
  'u.displayName as userName',
  'u.email as userEmail',
  'by.displayName as grantedByName',
  'rev.displayName as revokedByName',
] as const;

export async function listGrants(
  db: Kysely<DB>,
  filters: GrantFilters,
  page: number,
  now: Date,
): Promise<Paged<GrantRow>> {
  let q = grantsQuery(db);
  if (filters.userId) q = q.where('g.userId', '=', filters.userId);
  if (filters.user) {
    const pattern = `%${escapeLike(filters.user)}%`;
    q = q.where((eb) => eb.or([eb('u.displayName', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
  }
  if (filters.status === 'revoked') q = q.where('g.revokedAt', 'is not', null);
  if (filters.status === 'expired') q = q.where('g.revokedAt', 'is', null).where('g.expiresAt', '<=', now);
  if (filters.status === 'in-force')
    q = q
      .where('g.revokedAt', 'is', null)
      .where((eb) => eb.or([eb('g.expiresAt', 'is', null), eb('g.expiresAt', '>', now)]));
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .select([...columns])
    .orderBy('g.grantedAt', 'desc')
    .orderBy('g.id')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return paged(
    rows.map((r) => ({ ...r, status: statusOf(r, now) })),
    total,
    page,
  );
}

export async function getGrant(db: Kysely<DB>, grantId: string, now: Date): Promise<GrantRow | null> {
  const row = await grantsQuery(db)
    .select([...columns])
    .where('g.id', '=', grantId)
    .executeTakeFirst();
  return row ? { ...row, status: statusOf(row, now) } : null;
}

export async function userLabel(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'displayName', 'email'])
    .where('id', '=', userId)
    .executeTakeFirst();
}
