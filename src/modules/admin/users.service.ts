import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { JsonValue } from '../../db/schema.ts';
import type { Role } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import {
  BusinessRuleError,
  ConflictError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import { hashPassword, passwordProblem, revokeAllSessions } from '../identity/index.ts';
import { changes } from './changes.ts';
import { EMAIL_PATTERN } from './form-fields.ts';
import { countRows } from './organisation.repository.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Managing user accounts: create, edit, roles, disable and re-enable, unlock, reset password or
 * two-factor, sign out everywhere. Every change is audited in the same transaction. An administrator
 * cannot remove their own system administrator role or disable their own account (nobody would be
 * left to undo it). Edits carry the version the form was opened at: a stale save is a ConflictError.
 */

/**
 * How many users, teams, clusters, agencies and local authorities there are, and how many named record grants are
 * in force: the administration index shows them. Needs users:manage.
 */
export async function administrationCounts(ctx: ReadContext) {
  requirePermission(ctx.user, 'users:manage');
  const count = (table: Parameters<typeof countRows>[1]) => countRows(ctx.db, table);
  const [users, teams, clusters, agencies, localAuthorities] = await Promise.all([
    count('users'),
    count('teams'),
    count('clusters'),
    count('agencies'),
    count('localAuthorities'),
  ]);
  const grants = Number(
    (
      await ctx.db
        .selectFrom('recordGrants')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('revokedAt', 'is', null)
        .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', ctx.now)]))
        .executeTakeFirst()
    )?.n ?? 0,
  );
  return { users, teams, clusters, agencies, localAuthorities, grants };
}

export const PARTNER_ROLES: readonly Role[] = ['partner-agency-user', 'partner-lead-practitioner'];
const isPartnerRole = (r: Role) => PARTNER_ROLES.includes(r);

export interface UserDetailsInput {
  email: string;
  displayName: string;
  jobTitle?: string | null;
  /** Who they work for; when absent it follows from the roles (partner roles only → an agency). */
  worksFor?: 'local-authority' | 'agency';
  /** Their home local authority (or give laCode). */
  localAuthorityId?: string | null;
  laCode?: string | null;
  /** Other local authorities they also work for (a shared front door serves several). */
  otherLocalAuthorityIds?: string[];
  teamId?: string | null;
  agencyId?: string | null;
  mfaRequired?: boolean;
}

export interface NewUserInput extends UserDetailsInput {
  roles: Role[];
  /** An initial password; none → they sign in with the council's account (OpenID Connect) only. */
  password?: string | null;
}

const err = (field: string, message: string): FieldError => ({ field, message, href: `#${field}` });

const ALREADY_EXISTS = 'A user with this email address already exists';

/** A change to a user account, in the audit trail under that user (through recordChange: actor, time, request). */
const userChanged = (
  ctx: ServiceContext,
  action: string,
  userId: string,
  details: Record<string, JsonValue | undefined>,
) => recordChange(ctx, { audit: { action, subjectType: 'user', subjectId: userId, details } });

interface ResolvedOrganisation {
  localAuthorityId: string | null;
  localAuthorityIds: string[];
  agencyId: string | null;
  teamId: string | null;
}

/** Checks who the user works for against their roles; every problem is a field error. */
async function resolveOrganisation(
  trx: Transaction<DB>,
  input: UserDetailsInput,
  roles: readonly Role[],
  errors: FieldError[],
): Promise<ResolvedOrganisation> {
  const partnerOnly = roles.length > 0 && roles.every(isPartnerRole);
  const worksFor = input.worksFor ?? (partnerOnly ? 'agency' : 'local-authority');
  if (worksFor === 'agency') {
    if (roles.some((r) => !isPartnerRole(r)))
      errors.push(
        err('roles', 'Someone who works for a partner agency can only have the partner agency roles'),
      );
    const agency = input.agencyId
      ? await trx.selectFrom('agencies').select('id').where('id', '=', input.agencyId).executeTakeFirst()
      : undefined;
    if (!agency)
      errors.push(
        err(
          'agencyId',
          input.agencyId ? 'Select an agency from the list' : 'Select the agency they work for',
        ),
      );
    return { localAuthorityId: null, localAuthorityIds: [], agencyId: agency?.id ?? null, teamId: null };
  }

  if (partnerOnly)
    errors.push(
      err(
        'roles',
        "Select a children's services or administration role for someone who works for the local authority",
      ),
    );
  let localAuthorityId = input.localAuthorityId ?? null;
  if (!localAuthorityId && input.laCode) {
    const la = await trx
      .selectFrom('localAuthorities')
      .select('id')
      .where('laCode', '=', input.laCode)
      .executeTakeFirst();
    if (!la) errors.push(err('laCode', `There is no local authority with code ${input.laCode}`));
    localAuthorityId = la?.id ?? null;
  } else if (!localAuthorityId && !input.laCode) {
    const only = await trx.selectFrom('localAuthorities').select('id').limit(2).execute();
    if (only.length === 1) localAuthorityId = only[0]!.id;
    else errors.push(err('localAuthorityId', 'Select the local authority they work for'));
  }
  const wanted = [
    ...new Set(
      [localAuthorityId, ...(input.otherLocalAuthorityIds ?? [])].filter((id): id is string => !!id),
    ),
  ];
  const found = wanted.length
    ? await trx.selectFrom('localAuthorities').select('id').where('id', 'in', wanted).execute()
    : [];
  if (
    localAuthorityId &&
    !found.some((f) => f.id === localAuthorityId) &&
    !errors.some((e) => e.field === 'laCode')
  )
    errors.push(err('localAuthorityId', 'Select a local authority from the list'));
  if (
    found.length < wanted.length &&
    (input.otherLocalAuthorityIds ?? []).some((id) => !found.some((f) => f.id === id))
  )
    errors.push(err('otherLocalAuthorityIds', 'Select local authorities from the list'));
  const localAuthorityIds = wanted.filter((id) => found.some((f) => f.id === id));

  let teamId: string | null = null;
  if (input.teamId) {
    const team = await trx
      .selectFrom('teams')
      .select(['id', 'localAuthorityId'])
      .where('id', '=', input.teamId)
      .executeTakeFirst();
    if (!team) errors.push(err('teamId', 'Select a team from the list'));
    else if (!localAuthorityIds.includes(team.localAuthorityId))
      errors.push(err('teamId', 'Select a team in a local authority they work for'));
    else teamId = team.id;
  }
  // A member of a local authority's staff may also be seconded from an agency (e.g. police in the MASH).
  return { localAuthorityId, localAuthorityIds, agencyId: input.agencyId ?? null, teamId };
}

async function emailTaken(trx: Transaction<DB>, email: string, exceptUserId?: string): Promise<boolean> {
  // users.email is citext: the comparison ignores case.
  let q = trx.selectFrom('users').select('id').where('email', '=', email);
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return !!(await q.executeTakeFirst());
}

/** A concurrent insert of the same email fails on the unique index: answer it like the check above. */
function rethrowUniqueEmail(error: unknown): never {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505' && String(e.constraint ?? e.message).includes('email'))
    throw new BusinessRuleError('email', ALREADY_EXISTS);
  throw error;
}

function checkDetails(input: UserDetailsInput, errors: FieldError[]): string {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email))
    errors.push(err('email', 'Enter an email address in the correct format, like name@example.org'));
  if (!input.displayName.trim()) errors.push(err('displayName', 'Enter their full name'));
  return email;
}

/** Creates a user with their roles and local authorities; audited. Partner users need an agency. */
export async function createUser(ctx: ServiceContext, input: NewUserInput): Promise<{ id: string }> {
  requirePermission(ctx.user, 'users:manage');
  const { id, details } = await insertUser(ctx.db, input, ctx.now);
  await userChanged(ctx, 'user.created', id, details);
  return { id };
}

/**
 * The command line's `create-user`, run by an operator on the server (it makes the first administrator, before
 * there is anyone to sign in as): the same checks as createUser, and the audit event written by hand, since there
 * is no signed-in user for recordChange to name. Its actor is `cli`.
 */
export async function createUserFromCommandLine(
  trx: Transaction<DB>,
  input: NewUserInput,
  now: Date,
): Promise<{ id: string }> {
  const { id, details } = await insertUser(trx, input, now);
  await recordAuditEvent(trx, {
    actor: { userId: null, label: 'cli' },
    action: 'user.created',
    subjectType: 'user',
    subjectId: id,
    occurredAt: now,
    details,
  });
  return { id };
}

async function insertUser(trx: Transaction<DB>, input: NewUserInput, now: Date) {
  const errors: FieldError[] = [];
  const email = checkDetails(input, errors);
  if (input.roles.length === 0) errors.push(err('roles', 'Select at least one role'));
  if (input.password) {
    const problem = passwordProblem(input.password);
    if (problem) errors.push(err('password', problem));
  }
  const org = await resolveOrganisation(trx, input, input.roles, errors);
  if (await emailTaken(trx, email)) errors.push(err('email', ALREADY_EXISTS));
  if (errors.length) throw new FieldProblemsError(errors);

  const row = await trx
    .insertInto('users')
    .values({
      email,
      displayName: input.displayName.trim(),
      jobTitle: input.jobTitle?.trim() || null,
      localAuthorityId: org.localAuthorityId,
      teamId: org.teamId,
      agencyId: org.agencyId,
      passwordHash: input.password ? await hashPassword(input.password) : null,
      mfaRequired: input.mfaRequired ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch(rethrowUniqueEmail);
  await trx
    .insertInto('userRoles')
    .values(input.roles.map((role) => ({ userId: row.id, role, grantedAt: now })))
    .execute();
  if (org.localAuthorityIds.length) {
    await trx
      .insertInto('userLocalAuthorities')
      .values(org.localAuthorityIds.map((localAuthorityId) => ({ userId: row.id, localAuthorityId })))
      .execute();
  }
  const details = {
    email,
    displayName: input.displayName.trim(),
    roles: [...input.roles],
    localAuthorityIds: org.localAuthorityIds,
    teamId: org.teamId,
    agencyId: org.agencyId,
    mfaRequired: input.mfaRequired ?? false,
    signIn: input.password ? 'password' : 'oidc-only',
  };
  return { id: row.id, details };
}

async function lockUser(trx: Transaction<DB>, userId: string) {
  const user = await trx
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new NotFoundError('No such user');
  return user;
}

async function rolesOf(trx: Transaction<DB>, userId: string): Promise<Role[]> {
  const rows = await trx
    .selectFrom('userRoles')
    .select('role')
    .where('userId', '=', userId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role as Role);
}

async function otherLasOf(trx: Transaction<DB>, userId: string, home: string | null): Promise<string[]> {
  const rows = await trx
    .selectFrom('userLocalAuthorities')
    .select('localAuthorityId')
    .where('userId', '=', userId)
    .execute();
  return rows
    .map((r) => r.localAuthorityId)
    .filter((id) => id !== home)
    .sort();
}

export const STALE_USER_MESSAGE =
  'Someone else changed this user while you were editing. Their changes are shown below: check them and save again.';

/** Name, email, job title, who they work for, team, whether two-factor is required. */
export async function updateUser(
  ctx: ServiceContext,
  input: UserDetailsInput & { userId: string; version: number },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const user = await lockUser(trx, userId);
  if (user.version !== input.version) throw new ConflictError(STALE_USER_MESSAGE);
  const errors: FieldError[] = [];
  const email = checkDetails(input, errors);
  const roles = await rolesOf(trx, userId);
  const org = await resolveOrganisation(trx, input, roles, errors);
  if (await emailTaken(trx, email, userId)) errors.push(err('email', ALREADY_EXISTS));
  if (errors.length) throw new FieldProblemsError(errors);

  const before = {
    displayName: user.displayName,
    email: user.email,
    jobTitle: user.jobTitle,
    localAuthorityId: user.localAuthorityId,
    otherLocalAuthorityIds: await otherLasOf(trx, userId, user.localAuthorityId),
    agencyId: user.agencyId,
    teamId: user.teamId,
    mfaRequired: user.mfaRequired,
  };
  const after = {
    displayName: input.displayName.trim(),
    email,
    jobTitle: input.jobTitle?.trim() || null,
    localAuthorityId: org.localAuthorityId,
    otherLocalAuthorityIds: org.localAuthorityIds.filter((id) => id !== org.localAuthorityId).sort(),
    agencyId: org.agencyId,
    teamId: org.teamId,
    mfaRequired: input.mfaRequired ?? false,
  };
  const diff = changes(before, after);
  if (diff.changed.length === 0) return { changed: [] };
  await trx
    .updateTable('users')
    .set({
      displayName: after.displayName,
      email: after.email,
      jobTitle: after.jobTitle,
      localAuthorityId: after.localAuthorityId,
      agencyId: after.agencyId,
      teamId: after.teamId,
      mfaRequired: after.mfaRequired,
      updatedAt: now,
      version: user.version + 1,
    })
    .where('id', '=', userId)
    .execute()
    .catch(rethrowUniqueEmail);
  if (diff.changed.includes('localAuthorityId') || diff.changed.includes('otherLocalAuthorityIds')) {
    await trx.deleteFrom('userLocalAuthorities').where('userId', '=', userId).execute();
    if (org.localAuthorityIds.length)
      await trx
        .insertInto('userLocalAuthorities')
        .values(org.localAuthorityIds.map((localAuthorityId) => ({ userId, localAuthorityId })))
        .execute();
  }
  await userChanged(ctx, 'user.updated', userId, {
    before: diff.before,
    after: diff.after,
    changed: diff.changed,
  });
  return { changed: diff.changed };
}

/** Replaces the user's roles. Nobody may take away their own system administrator role. */
export async function setRoles(
  ctx: ServiceContext,
  input: { userId: string; roles: Role[]; version: number },
): Promise<{ added: Role[]; removed: Role[] }> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const user = await lockUser(trx, userId);
  if (user.version !== input.version) throw new ConflictError(STALE_USER_MESSAGE);
  const wanted = [...new Set(input.roles)].sort();
  if (wanted.length === 0) throw new BusinessRuleError('roles', 'Select at least one role');
  const before = await rolesOf(trx, userId);
  if (
    ctx.user.id === userId &&
    before.includes('system-administrator') &&
    !wanted.includes('system-administrator')
  )
    throw new BusinessRuleError(
      'roles',
      'You cannot remove your own system administrator role. Ask another administrator to do it.',
    );
  const errors: FieldError[] = [];
  const otherLas = await otherLasOf(trx, userId, user.localAuthorityId);
  await resolveOrganisation(
    trx,
    {
      email: user.email,
      displayName: user.displayName,
      worksFor: user.localAuthorityId ? 'local-authority' : 'agency',
      localAuthorityId: user.localAuthorityId,
      otherLocalAuthorityIds: otherLas,
      agencyId: user.agencyId,
      teamId: user.teamId,
    },
    wanted,
    errors,
  );
  const roleProblem = errors.find((e) => e.field === 'roles');
  if (roleProblem) throw new BusinessRuleError('roles', roleProblem.message);

  const added = wanted.filter((r) => !before.includes(r));
  const removed = before.filter((r) => !wanted.includes(r));
  if (added.length === 0 && removed.length === 0) return { added, removed };
  if (removed.length)
    await trx.deleteFrom('userRoles').where('userId', '=', userId).where('role', 'in', removed).execute();
  if (added.length)
    await trx
      .insertInto('userRoles')
      .values(added.map((role) => ({ userId, role, grantedAt: now })))
      .execute();
  await trx
    .updateTable('users')
    .set({ version: user.version + 1, updatedAt: now })
    .where('id', '=', userId)
    .execute();
  await userChanged(ctx, 'user.roles-changed', userId, { before, after: wanted, added, removed });
  return { added, removed };
}

/** Disables the account and ends every session it has. */
export async function disableUser(
  ctx: ServiceContext,
  input: { userId: string; reason?: string | null },
): Promise<void> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  if (ctx.user.id === userId)
    throw new BusinessRuleError(
      'reason',
      'You cannot disable your own account. Ask another administrator to do it.',
    );
  const user = await lockUser(trx, userId);
  if (user.status === 'disabled') throw new BusinessRuleError('reason', 'This account is already disabled');
  await trx
    .updateTable('users')
    .set({ status: 'disabled', updatedAt: now, version: user.version + 1 })
    .where('id', '=', userId)
    .execute();
  const sessions = await revokeAllSessions(trx, userId, now);
  await userChanged(ctx, 'user.disabled', userId, {
    reason: input.reason ?? null,
    sessionsRevoked: sessions,
  });
}

export async function enableUser(ctx: ServiceContext, input: { userId: string }): Promise<void> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const user = await lockUser(trx, userId);
  if (user.status === 'active') throw new BusinessRuleError('confirm', 'This account is already active');
  await trx
    .updateTable('users')
    .set({
      status: 'active',
      failedSignInCount: 0,
      failedCodeCount: 0,
      lockedUntil: null,
      updatedAt: now,
      version: user.version + 1,
    })
    .where('id', '=', userId)
    .execute();
  await userChanged(ctx, 'user.enabled', userId, {});
}

/** Clears a lockout after too many wrong passwords or codes. */
export async function unlockUser(ctx: ServiceContext, input: { userId: string }): Promise<void> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const user = await lockUser(trx, userId);
  await trx
    .updateTable('users')
    .set({ failedSignInCount: 0, failedCodeCount: 0, lockedUntil: null })
    .where('id', '=', userId)
    .execute();
  await userChanged(ctx, 'user.unlocked', userId, {
    wasLockedUntil: user.lockedUntil && user.lockedUntil > now ? user.lockedUntil.toISOString() : null,
    failedAttempts: user.failedSignInCount,
  });
}

/** Sets a new password (the administrator tells the user it), clears any lockout and ends every session. */
export async function resetPassword(
  ctx: ServiceContext,
  input: { userId: string; password: string },
): Promise<void> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const problem = passwordProblem(input.password);
  if (problem) throw new BusinessRuleError('password', problem);
  await lockUser(trx, userId);
  await trx
    .updateTable('users')
    .set({
      passwordHash: await hashPassword(input.password),
      failedSignInCount: 0,
      failedCodeCount: 0,
      lockedUntil: null,
      updatedAt: now,
    })
    .where('id', '=', userId)
    .execute();
  const sessions = await revokeAllSessions(trx, userId, now);
  await userChanged(ctx, 'user.password-reset', userId, { sessionsRevoked: sessions });
}

/** Forgets their authenticator app: they set one up again at their next sign-in. Ends every session. */
export async function resetTwoFactor(ctx: ServiceContext, input: { userId: string }): Promise<void> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  const user = await lockUser(trx, userId);
  await trx
    .updateTable('users')
    .set({ totpSecret: null, totpEnabledAt: null, totpLastUsedStep: null, updatedAt: now })
    .where('id', '=', userId)
    .execute();
  const sessions = await revokeAllSessions(trx, userId, now);
  await userChanged(ctx, 'user.two-factor-reset', userId, {
    wasEnrolled: !!user.totpEnabledAt,
    sessionsRevoked: sessions,
  });
}

export async function signOutUserEverywhere(ctx: ServiceContext, input: { userId: string }): Promise<number> {
  requirePermission(ctx.user, 'users:manage');
  const { db: trx, now } = ctx;
  const { userId } = input;
  await lockUser(trx, userId);
  const sessions = await revokeAllSessions(trx, userId, now);
  await userChanged(ctx, 'user.sessions-revoked', userId, { sessionsRevoked: sessions });
  return sessions;
}
