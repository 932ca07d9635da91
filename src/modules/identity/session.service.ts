import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB, JsonValue } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import {
  currentUserFrom,
  managedTeamsCte,
  userFactsColumns,
  type UserFactsRow,
} from './current-user.repository.ts';

/**
 * Sessions live in the database (several app processes share them). The cookie holds a random token;
 * the table holds only its SHA-256, so a copy of the database cannot be replayed as a cookie.
 * Stages: 'pending' (sign-in in progress, e.g. OpenID Connect state), 'mfa' (password checked, code
 * wanted), 'mfa-enrol' (password checked, two-factor must be set up), 'active'.
 */

export type SessionStage = 'pending' | 'mfa' | 'mfa-enrol' | 'active';
export const SESSION_COOKIE = 'threshold_session';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ResolvedSession {
  status: 'none' | 'active' | 'expired';
  session: {
    id: string;
    userId: string | null;
    stage: SessionStage;
    data: Record<string, unknown>;
    lastSeenAt: Date;
    expiresAt: Date;
  } | null;
  user: CurrentUser | null;
  expiredUserId: string | null;
}

export async function createSession(
  db: Kysely<DB>,
  input: {
    userId: string | null;
    stage: SessionStage;
    data?: Record<string, JsonValue>;
    ip?: string;
    userAgent?: string;
  },
  now: Date,
  config: Config,
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  const absolute = input.stage === 'active' ? config.session.absoluteHours * 3600_000 : 30 * 60_000;
  await db
    .insertInto('sessions')
    .values({
      id,
      userId: input.userId,
      stage: input.stage,
      data: JSON.stringify(input.data ?? {}),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + absolute),
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, id };
}

export function idleDeadline(lastSeenAt: Date, config: Config): Date {
  return new Date(lastSeenAt.getTime() + config.session.idleMinutes * 60_000);
}

interface SessionUserRow extends UserFactsRow {
  id: string;
  sessionUserId: string | null;
  stage: string;
  data: unknown;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * The session a cookie names and, for an active session, its user with everything access control needs: one
 * query (the session joined to its user, their roles, authorities and managed teams), run on every request.
 */
export async function resolveSession(
  db: Kysely<DB>,
  token: string | undefined,
  now: Date,
  config: Config,
): Promise<ResolvedSession> {
  const none: ResolvedSession = { status: 'none', session: null, user: null, expiredUserId: null };
  if (!token || token.length > 100) return none;
  const id = hashToken(token);
  const result = await sql<SessionUserRow>`
    with recursive ${managedTeamsCte(sql`select s.user_id from sessions s where s.id = ${id} and s.stage = 'active'`)}
    select s.id, s.user_id as session_user_id, s.stage, s.data, s.last_seen_at, s.expires_at, s.revoked_at,
      ${userFactsColumns}
    from sessions s left join users u on u.id = s.user_id and s.stage = 'active'
    where s.id = ${id}`.execute(db);
  const row = result.rows[0];
  if (!row || row.revokedAt) return none;
  const idleLimit = row.stage === 'active' ? idleDeadline(row.lastSeenAt, config) : row.expiresAt;
  if (row.expiresAt <= now || idleLimit <= now) {
    return {
      status: 'expired',
      session: null,
      user: null,
      expiredUserId: row.stage === 'active' ? row.sessionUserId : null,
    };
  }
  const session = {
    id: row.id,
    userId: row.sessionUserId,
    stage: row.stage as SessionStage,
    data: (row.data && typeof row.data === 'object' && !Array.isArray(row.data) ? row.data : {}) as Record<
      string,
      unknown
    >,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
  };
  if (row.stage !== 'active' || !row.sessionUserId)
    return { status: 'active', session, user: null, expiredUserId: null };
  const user = currentUserFrom(row, row.id);
  if (!user) return none; // disabled since sign-in
  return { status: 'active', session, user, expiredUserId: null };
}

/** Keeps an active session alive; written at most every 30 seconds to spare the database. */
export async function touchSession(db: Kysely<DB>, id: string, lastSeenAt: Date, now: Date): Promise<Date> {
  if (now.getTime() - lastSeenAt.getTime() < 30_000) return lastSeenAt;
  await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', id).execute();
  return now;
}

export async function updateSessionData(
  db: Kysely<DB>,
  id: string,
  data: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ data: JSON.stringify(data) })
    .where('id', '=', id)
    .execute();
}

export async function revokeSession(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: now })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .execute();
}

export async function revokeAllSessions(db: Kysely<DB>, userId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revokedAt: now })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes sessions that ended more than a day ago (run at start-up and from the CLI). */
export async function purgeOldSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3600_000);
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expiresAt', '<', cutoff), eb('revokedAt', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The signed-in user's own account: who they are, their team or agency, and their active sessions (latest 50). */
export async function ownAccount(ctx: ReadContext) {
  const account = await ctx.db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.teamId')
    .leftJoin('agencies', 'agencies.id', 'users.agencyId')
    .select([
      'users.email',
      'users.displayName',
      'users.jobTitle',
      'users.totpEnabledAt',
      'users.lastSignInAt',
      'teams.name as teamName',
      'agencies.name as agencyName',
    ])
    .where('users.id', '=', ctx.user.id)
    .executeTakeFirstOrThrow();
  const sessions = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'])
    .where('userId', '=', ctx.user.id)
    .where('stage', '=', 'active')
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', ctx.now)
    .orderBy('lastSeenAt', 'desc')
    .limit(50)
    .execute();
  return { account, sessions };
}
