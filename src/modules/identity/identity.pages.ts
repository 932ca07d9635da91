import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { JsonValue } from '../../db/schema.ts';
import { ROLE_LABELS } from '../../kernel/access/index.ts';
import { definePage, redirectTo, type PageContext } from '../../web/page.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { checkbox, recordVersion, requiredText, yesNo } from '../../kernel/forms/fields.ts';
import { ownOverdueDigestChoice, saveOverdueDigestChoice } from './email-preferences.service.ts';
import {
  finishOidcSignIn,
  OidcSignInFailedError,
  startOidcSignIn,
  type OidcPending,
} from './oidc.service.ts';
import { openSecret, sealSecret } from './secrets.ts';
import {
  createSession,
  revokeAllSessions,
  ownAccount,
  revokeSession,
  SESSION_COOKIE,
  updateSessionData,
  type SessionStage,
} from './session.service.ts';
import {
  CODE_FAILED_MESSAGE,
  enrolmentEmail,
  enrolSecondFactor,
  SIGN_IN_FAILED_MESSAGE,
  SignInFailedError,
  signInWithPassword,
  verifySecondFactor,
} from './sign-in.service.ts';
import { newTotpSecret, totpQrDataUrl } from './totp.ts';

export const identityPaths = {
  signIn: '/sign-in',
  twoFactor: '/sign-in/two-factor',
  setUpTwoFactor: '/sign-in/set-up-two-factor',
  oidcStart: '/sign-in/oidc',
  oidcCallback: '/sign-in/oidc/callback',
  signOut: '/sign-out',
  account: '/account',
  signOutEverywhere: '/account/sign-out-everywhere',
  overdueDigest: '/account/overdue-digest',
} as const;

/** Only local paths: never send someone to another site after sign-in. */
/**
 * Where to go after signing in: only a path on this site. Anything with control characters or backslashes (which
 * browsers strip or turn into slashes, making "/\t/evil.example/" a link to another site), anything that leaves the
 * site once resolved, and the sign-in pages themselves go home instead.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  const base = 'http://threshold.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith('/sign-in') || path.startsWith('/sign-out') || path.startsWith('//')) return '/';
  return path;
}

const returnToQuery = z.object({
  returnTo: z.string().optional().transform(safeReturnTo),
  timedOut: z.string().optional(),
  kept: z.string().optional(),
  signedOut: z.string().optional(),
});

function cookieOptions(config: Config) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: config.isProduction, path: '/' };
}

async function startSession(
  ctx: PageContext<unknown, unknown>,
  userId: string | null,
  stage: SessionStage,
  data: Record<string, JsonValue> = {},
): Promise<void> {
  // A new session id at every step up (pending → mfa → active): no session fixation.
  if (ctx.request.session) await revokeSession(ctx.db, ctx.request.session.id, ctx.now);
  const { token, id } = await createSession(
    ctx.db,
    { userId, stage, data, ip: ctx.request.ip, userAgent: ctx.request.headers['user-agent'] ?? '' },
    ctx.now,
    ctx.services.config,
  );
  ctx.reply.setCookie(SESSION_COOKIE, token, cookieOptions(ctx.services.config));
  // The rest of this request (e.g. a message for the next page) belongs to the new session.
  ctx.request.session = { id, userId, stage, data, lastSeenAt: ctx.now, expiresAt: ctx.now };
}

function nextStep(stage: 'active' | 'mfa' | 'mfa-enrol', returnTo: string): string {
  if (stage === 'mfa') return identityPaths.twoFactor;
  if (stage === 'mfa-enrol') return identityPaths.setUpTwoFactor;
  return returnTo;
}

const meta = (ctx: PageContext<unknown, unknown>) => ({ requestId: ctx.request.id, ip: ctx.request.ip });

export const signInPage = definePage({
  path: identityPaths.signIn,
  view: 'identity/views/sign-in.njk',
  access: 'public',
  title: 'Sign in to Threshold',
  query: returnToQuery,
  drafts: false,
  rateLimit: { max: 30, timeWindowMs: 60_000 },
  form: z.object({
    email: requiredText('Enter your email address', 320),
    password: requiredText('Enter your password', 500),
  }),
  load: async (ctx) => {
    if (ctx.user) return redirectTo(ctx.query.returnTo);
    return {
      oidcLabel: ctx.services.config.oidc?.label ?? null,
      returnTo: ctx.query.returnTo,
      timedOut: !!ctx.query.timedOut,
      kept: !!ctx.query.kept,
      idleMinutes: ctx.services.config.session.idleMinutes,
      signedOut: !!ctx.query.signedOut,
      demoAccounts: ctx.services.config.demoData,
    };
  },
  submit: async (ctx, form) => {
    let outcome;
    try {
      outcome = await signInWithPassword(ctx.db, form, meta(ctx), ctx.now, ctx.services.config);
    } catch (error) {
      // Caught here, inside the request's transaction: the failed attempt's count, lock-out and audit must commit.
      if (error instanceof SignInFailedError)
        return { errors: [fieldError('email', SIGN_IN_FAILED_MESSAGE)] };
      throw error;
    }
    await startSession(ctx, outcome.userId, outcome.next, { returnTo: ctx.query.returnTo });
    return nextStep(outcome.next, ctx.query.returnTo);
  },
});

function pendingStage(request: FastifyRequest, stage: SessionStage): string | null {
  const session = request.session;
  return session && session.stage === stage && session.userId ? session.userId : null;
}

export const twoFactorPage = definePage({
  path: identityPaths.twoFactor,
  view: 'identity/views/two-factor.njk',
  access: 'public',
  title: 'Enter the security code from your authenticator app',
  drafts: false,
  rateLimit: { max: 30, timeWindowMs: 60_000 },
  form: z.object({ code: requiredText('Enter the security code', 20) }),
  load: async (ctx) => {
    if (!pendingStage(ctx.request, 'mfa')) return redirectTo(identityPaths.signIn);
    return {};
  },
  submit: async (ctx, form) => {
    const userId = pendingStage(ctx.request, 'mfa');
    if (!userId) return identityPaths.signIn;
    const ok = await verifySecondFactor(ctx.db, userId, form.code, meta(ctx), ctx.now, ctx.services.config);
    if (!ok) return { errors: [fieldError('code', CODE_FAILED_MESSAGE)] };
    const returnTo = safeReturnTo(ctx.request.session?.data.returnTo);
    await startSession(ctx, userId, 'active');
    return returnTo;
  },
});

export const setUpTwoFactorPage = definePage({
  path: identityPaths.setUpTwoFactor,
  view: 'identity/views/set-up-two-factor.njk',
  access: 'public',
  title: 'Set up your authenticator app',
  drafts: false,
  rateLimit: { max: 30, timeWindowMs: 60_000 },
  form: z.object({ code: requiredText('Enter the security code', 20) }),
  load: async (ctx) => {
    const userId = pendingStage(ctx.request, 'mfa-enrol');
    const session = ctx.request.session;
    if (!userId || !session) return redirectTo(identityPaths.signIn);
    const secretFromSession = session.data.pendingTotp;
    let secret: string;
    if (typeof secretFromSession === 'string') {
      secret = openSecret(secretFromSession, ctx.services.config.sessionSecret);
    } else {
      secret = newTotpSecret();
      session.data = { ...session.data, pendingTotp: sealSecret(secret, ctx.services.config.sessionSecret) };
      await updateSessionData(ctx.db, session.id, session.data);
    }
    const email = await enrolmentEmail(ctx.db, userId);
    return {
      qrCode: await totpQrDataUrl(secret, email),
      secretGroups: secret.match(/.{1,4}/g)?.join(' ') ?? secret,
    };
  },
  submit: async (ctx, form) => {
    const userId = pendingStage(ctx.request, 'mfa-enrol');
    const sealed = ctx.request.session?.data.pendingTotp;
    if (!userId || typeof sealed !== 'string') return identityPaths.signIn;
    const secret = openSecret(sealed, ctx.services.config.sessionSecret);
    const ok = await enrolSecondFactor(
      ctx.db,
      userId,
      secret,
      form.code,
      meta(ctx),
      ctx.now,
      ctx.services.config,
    );
    if (!ok) return { errors: [fieldError('code', CODE_FAILED_MESSAGE)] };
    const returnTo = safeReturnTo(ctx.request.session?.data.returnTo);
    await startSession(ctx, userId, 'active');
    ctx.flash('Your authenticator app is set up. You will need a code from it each time you sign in.');
    return returnTo;
  },
});

export const oidcStartPage = definePage({
  path: identityPaths.oidcStart,
  view: 'errors/400.njk',
  access: 'public',
  title: 'Sign in with your council account',
  query: returnToQuery,
  load: async (ctx) => {
    const oidc = ctx.services.config.oidc;
    if (!oidc) return redirectTo(identityPaths.signIn);
    const { url, pending } = await startOidcSignIn(oidc, ctx.query.returnTo);
    await startSession(ctx, null, 'pending', { oidc: { ...pending } });
    return redirectTo(url, 302);
  },
});

export const oidcCallbackPage = definePage({
  path: identityPaths.oidcCallback,
  view: 'identity/views/oidc-failed.njk',
  access: 'public',
  title: 'You could not be signed in',
  load: async (ctx) => {
    const oidc = ctx.services.config.oidc;
    const pending =
      ctx.request.session?.stage === 'pending'
        ? (ctx.request.session.data.oidc as OidcPending | undefined)
        : undefined;
    if (!oidc || !pending) return redirectTo(identityPaths.signIn);
    const callbackUrl = new URL(ctx.request.url, oidc.redirectUri);
    let outcome;
    try {
      outcome = await finishOidcSignIn(ctx.db, oidc, callbackUrl, pending, meta(ctx), ctx.now);
    } catch (error) {
      // Caught here, inside the request's transaction: the refusal's audit row must commit.
      if (!(error instanceof OidcSignInFailedError)) throw error;
      if (ctx.request.session) await revokeSession(ctx.db, ctx.request.session.id, ctx.now);
      return { reason: error.reason.startsWith('no-matching-account') ? 'no-account' : 'failed' };
    }
    await startSession(ctx, outcome.userId, outcome.next, { returnTo: safeReturnTo(pending.returnTo) });
    return redirectTo(nextStep(outcome.next, safeReturnTo(pending.returnTo)));
  },
});

export const signOutPage = definePage({
  path: identityPaths.signOut,
  view: 'identity/views/sign-out.njk',
  access: 'public',
  title: 'Sign out',
  drafts: false,
  form: z.object({}),
  load: async (ctx) => (ctx.user ? {} : redirectTo(identityPaths.signIn)),
  submit: async (ctx) => {
    const session = ctx.request.session;
    if (session) {
      await revokeSession(ctx.db, session.id, ctx.now);
      if (ctx.user)
        await ctx.audit({ action: 'sign-out.completed', subjectType: 'user', subjectId: ctx.user.id });
    }
    ctx.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return `${identityPaths.signIn}?signedOut=1`;
  },
});

export const accountPage = definePage({
  path: identityPaths.account,
  view: 'identity/views/account.njk',
  access: 'signed-in',
  title: 'Your account',
  load: async (ctx) => {
    const { account, sessions } = await ownAccount(ctx);
    return {
      account,
      overdueDigest: await ownOverdueDigestChoice(ctx, ctx.services.config.overdueDigest.defaultOn),
      roles: ctx.user.roles.map((r) => ROLE_LABELS[r]),
      sessions: sessions.map((s) => ({ ...s, current: s.id === ctx.user.sessionId })),
    };
  },
});

export const signOutEverywherePage = definePage({
  path: identityPaths.signOutEverywhere,
  view: 'identity/views/sign-out-everywhere.njk',
  access: 'signed-in',
  title: 'Sign out of every device',
  drafts: false,
  form: z.object({ confirm: checkbox('Confirm that you want to sign out of every device') }),
  submit: async (ctx) => {
    const count = await revokeAllSessions(ctx.db, ctx.user.id, ctx.now);
    await ctx.audit({
      action: 'sessions.revoked-all',
      subjectType: 'user',
      subjectId: ctx.user.id,
      details: { sessions: count },
    });
    ctx.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return `${identityPaths.signIn}?signedOut=1`;
  },
});

/** The worker's choice of the daily email about their overdue work (OVERDUE_DIGEST_DEFAULT until they choose). */
export const overdueDigestPage = definePage({
  path: identityPaths.overdueDigest,
  view: 'identity/views/overdue-digest.njk',
  access: 'signed-in',
  title: 'Daily email about overdue work',
  drafts: false,
  labels: { overdueDigest: 'Do you want a daily email about your overdue work?' },
  form: z.object({
    overdueDigest: yesNo('Select yes if you want a daily email about your overdue work'),
    // The version the page was shown with (0 while on the default): a choice saved meanwhile is a 409.
    version: recordVersion(0),
  }),
  load: async (ctx) => {
    const choice = await ownOverdueDigestChoice(ctx, ctx.services.config.overdueDigest.defaultOn);
    return {
      choice,
      defaultOn: ctx.services.config.overdueDigest.defaultOn,
      saved: {
        overdueDigest: choice.overdueDigest ? 'yes' : 'no',
        version: String(choice.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await saveOverdueDigestChoice(ctx, { overdueDigest: form.overdueDigest, version: form.version });
    ctx.flash(
      form.overdueDigest
        ? 'You will get a daily email when you have overdue work'
        : 'You will not get a daily email about overdue work',
    );
    return identityPaths.account;
  },
});

export const identityPages = [
  signInPage,
  twoFactorPage,
  setUpTwoFactorPage,
  oidcStartPage,
  oidcCallbackPage,
  signOutPage,
  accountPage,
  signOutEverywherePage,
  overdueDigestPage,
];
