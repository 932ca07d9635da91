import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { verifyPassword } from './passwords.ts';
import { openSecret, sealSecret } from './secrets.ts';
import { checkTotp } from './totp.ts';

/**
 * Sign-in rules. A wrong password, an unknown account, a disabled account and a locked account all get
 * the same answer, so the page never reveals whether an account exists. Every attempt is audited.
 *
 * Why these functions write their audit events by hand (recordAuditEvent) rather than through the service contract's
 * recordChange: they all run before anyone is signed in. A password attempt (signInWithPassword) may name no account
 * at all; a security code (verifySecondFactor) or an authenticator set-up (enrolSecondFactor) belongs to someone who
 * has given a password but has no session yet. There is no CurrentUser for a ServiceContext to carry, so they take
 * the narrower context the sign-in pages have: the transaction, the request (RequestMeta), the clock reading and the
 * configuration, and name the actor from the account row (or the email typed). Everything after sign-in (signing
 * out, the user's own account page, an administrator's changes) goes through a ServiceContext.
 */

export const SIGN_IN_FAILED_MESSAGE = 'Enter a correct email address and password';
export const CODE_FAILED_MESSAGE = 'Enter a correct security code from your authenticator app';

export interface RequestMeta {
  requestId: string;
  ip: string;
}

export interface PasswordOutcome {
  userId: string;
  next: 'active' | 'mfa' | 'mfa-enrol';
}

/**
 * A sign-in refused: the same error (and message, against the email field) whatever the reason, so it never
 * reveals whether an account exists. The failed attempt has already been counted (and the account perhaps locked)
 * and audited when it is thrown: callers catch it inside their transaction, or those writes roll back with it.
 */
export class SignInFailedError extends BusinessRuleError {
  constructor() {
    super('email', SIGN_IN_FAILED_MESSAGE);
    this.name = 'SignInFailedError';
  }
}

async function mfaRequired(
  trx: Transaction<DB>,
  userId: string,
  userFlag: boolean,
  config: Config,
): Promise<boolean> {
  if (userFlag || config.signIn.mfaRequiredForAll) return true;
  const admin = await trx
    .selectFrom('userRoles')
    .select('role')
    .where('userId', '=', userId)
    .where('role', '=', 'system-administrator')
    .executeTakeFirst();
  return !!admin;
}

export async function signInWithPassword(
  trx: Transaction<DB>,
  input: { email: string; password: string },
  meta: RequestMeta,
  now: Date,
  config: Config,
): Promise<PasswordOutcome> {
  const email = input.email.trim().toLowerCase();
  const user = await trx
    .selectFrom('users')
    .select([
      'id',
      'email',
      'passwordHash',
      'status',
      'lockedUntil',
      'failedSignInCount',
      'totpEnabledAt',
      'mfaRequired',
    ])
    .where('email', '=', email)
    .forUpdate()
    .executeTakeFirst();
  const audit = (action: string, userId: string | null, details: Record<string, string | number | boolean>) =>
    recordAuditEvent(trx, {
      actor: { userId, label: email.slice(0, 200) },
      action,
      subjectType: 'user',
      subjectId: userId,
      requestId: meta.requestId,
      ip: meta.ip,
      occurredAt: now,
      details,
    });

  if (!user) {
    await verifyPassword(null, input.password);
    await audit('sign-in.failed', null, { reason: 'unknown-account' });
    throw new SignInFailedError();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await verifyPassword(null, input.password);
    await audit('sign-in.failed', user.id, { reason: 'locked' });
    throw new SignInFailedError();
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (!passwordOk || user.status !== 'active') {
    const failures = user.failedSignInCount + 1;
    const lock = failures >= config.signIn.maxAttempts;
    await trx
      .updateTable('users')
      .set({
        failedSignInCount: lock ? 0 : failures,
        lockedUntil: lock
          ? new Date(now.getTime() + config.signIn.lockoutMinutes * 60_000)
          : user.lockedUntil,
      })
      .where('id', '=', user.id)
      .execute();
    await audit('sign-in.failed', user.id, {
      reason: user.status !== 'active' ? 'disabled' : 'wrong-password',
      failures,
    });
    if (lock) await audit('user.locked-out', user.id, { minutes: config.signIn.lockoutMinutes });
    throw new SignInFailedError();
  }
  await trx
    .updateTable('users')
    .set({ failedSignInCount: 0, lockedUntil: null })
    .where('id', '=', user.id)
    .execute();
  const next = user.totpEnabledAt
    ? 'mfa'
    : (await mfaRequired(trx, user.id, user.mfaRequired, config))
      ? 'mfa-enrol'
      : 'active';
  await audit(next === 'active' ? 'sign-in.succeeded' : 'sign-in.password-accepted', user.id, {
    method: 'password',
  });
  if (next === 'active') {
    await trx.updateTable('users').set({ lastSignInAt: now }).where('id', '=', user.id).execute();
  }
  return { userId: user.id, next };
}

export async function verifySecondFactor(
  trx: Transaction<DB>,
  userId: string,
  code: string,
  meta: RequestMeta,
  now: Date,
  config: Config,
): Promise<boolean> {
  const user = await trx
    .selectFrom('users')
    .select(['id', 'email', 'totpSecret', 'totpLastUsedStep', 'failedCodeCount', 'lockedUntil', 'status'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user || !user.totpSecret || user.status !== 'active') return false;
  const actor = { userId: user.id, label: user.email };
  const locked = !!user.lockedUntil && user.lockedUntil > now;
  const step = locked ? null : await checkTotp(openSecret(user.totpSecret, config.sessionSecret), code, now);
  if (step === null || (user.totpLastUsedStep !== null && step <= user.totpLastUsedStep)) {
    // Wrong codes count on their own: a correct password does not reset them, so the factor cannot be guessed by
    // signing in again between a few wrong codes. Only a correct code resets them. A code tried while locked counts.
    const failures = user.failedCodeCount + 1;
    const lock = !locked && failures >= config.signIn.maxAttempts;
    await trx
      .updateTable('users')
      .set({
        failedCodeCount: lock ? 0 : failures,
        lockedUntil: lock
          ? new Date(now.getTime() + config.signIn.lockoutMinutes * 60_000)
          : user.lockedUntil,
      })
      .where('id', '=', user.id)
      .execute();
    await recordAuditEvent(trx, {
      actor,
      action: 'two-factor.failed',
      subjectType: 'user',
      subjectId: user.id,
      requestId: meta.requestId,
      ip: meta.ip,
      occurredAt: now,
      details: { reason: locked ? 'locked' : step === null ? 'wrong-code' : 'code-reused', failures },
    });
    if (lock)
      await recordAuditEvent(trx, {
        actor,
        action: 'user.locked-out',
        subjectType: 'user',
        subjectId: user.id,
        requestId: meta.requestId,
        ip: meta.ip,
        occurredAt: now,
        details: { minutes: config.signIn.lockoutMinutes, after: 'wrong-codes' },
      });
    return false;
  }
  await trx
    .updateTable('users')
    .set({ totpLastUsedStep: step, failedSignInCount: 0, failedCodeCount: 0, lastSignInAt: now })
    .where('id', '=', user.id)
    .execute();
  await recordAuditEvent(trx, {
    actor,
    action: 'sign-in.succeeded',
    subjectType: 'user',
    subjectId: user.id,
    requestId: meta.requestId,
    ip: meta.ip,
    occurredAt: now,
    details: { method: 'password+totp' },
  });
  return true;
}

export async function enrolSecondFactor(
  trx: Transaction<DB>,
  userId: string,
  secret: string,
  code: string,
  meta: RequestMeta,
  now: Date,
  config: Config,
): Promise<boolean> {
  const user = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return false;
  const step = await checkTotp(secret, code, now);
  const actor = { userId: user.id, label: user.email };
  if (step === null) {
    await recordAuditEvent(trx, {
      actor,
      action: 'two-factor.enrolment-failed',
      subjectType: 'user',
      subjectId: user.id,
      requestId: meta.requestId,
      ip: meta.ip,
      occurredAt: now,
    });
    return false;
  }
  await trx
    .updateTable('users')
    .set({
      totpSecret: sealSecret(secret, config.sessionSecret),
      totpEnabledAt: now,
      totpLastUsedStep: step,
      lastSignInAt: now,
    })
    .where('id', '=', user.id)
    .execute();
  for (const action of ['two-factor.enrolled', 'sign-in.succeeded']) {
    await recordAuditEvent(trx, {
      actor,
      action,
      subjectType: 'user',
      subjectId: user.id,
      requestId: meta.requestId,
      ip: meta.ip,
      occurredAt: now,
      details: action === 'sign-in.succeeded' ? { method: 'password+totp-enrolment' } : {},
    });
  }
  return true;
}

/** The email address of a user setting up two-factor sign-in (the label in their authenticator app). */
export async function enrolmentEmail(db: Kysely<DB>, userId: string): Promise<string> {
  const user = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return user.email;
}
