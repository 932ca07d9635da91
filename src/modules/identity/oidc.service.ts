import * as client from 'openid-client';
import type { Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import type { RequestMeta } from './sign-in.service.ts';

/**
 * Sign-in through the council's identity provider (e.g. Microsoft Entra ID) with OpenID Connect:
 * authorisation code flow with PKCE, state and nonce. Accounts are not created on the fly: an
 * administrator creates the user; the first OIDC sign-in links the provider's subject to the account with
 * the same email, and later sign-ins match on the subject.
 */

type OidcConfig = NonNullable<Config['oidc']>;
const discovered = new Map<string, Promise<client.Configuration>>();

export function oidcConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  const key = `${oidc.issuer}|${oidc.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    found = client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      oidc.clientSecret,
      undefined,
      oidc.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export async function startOidcSignIn(
  oidc: OidcConfig,
  returnTo: string,
): Promise<{ url: string; pending: OidcPending }> {
  const config = await oidcConfiguration(oidc);
  const codeVerifier = client.randomPKCECodeVerifier();
  const pending: OidcPending = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier,
    returnTo,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidc.redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending };
}

export interface OidcOutcome {
  userId: string;
  next: 'active' | 'mfa';
}

/**
 * A sign-in through the identity provider refused, with the reason recorded in the audit trail (e.g.
 * 'no-matching-account', 'disabled', 'provider-response-rejected: …'). The refusal has already been audited when it
 * is thrown: callers catch it inside their transaction, or the audit row rolls back with it.
 */
export class OidcSignInFailedError extends BusinessRuleError {
  constructor(readonly reason: string) {
    super('oidc', 'You could not be signed in');
    this.name = 'OidcSignInFailedError';
  }
}

/**
 * Audited by hand (recordAuditEvent), like the password sign-in (see sign-in.service.ts): the person is not signed in
 * yet, so there is no CurrentUser for recordChange to name; the actor is the matched account or `oidc`.
 */
export async function finishOidcSignIn(
  trx: Transaction<DB>,
  oidc: OidcConfig,
  callbackUrl: URL,
  pending: OidcPending,
  meta: RequestMeta,
  now: Date,
): Promise<OidcOutcome> {
  /** Audits the refusal and returns the error to throw. */
  const fail = async (reason: string, label = 'oidc'): Promise<OidcSignInFailedError> => {
    await recordAuditEvent(trx, {
      actor: { userId: null, label },
      action: 'sign-in.failed',
      subjectType: 'user',
      requestId: meta.requestId,
      ip: meta.ip,
      occurredAt: now,
      details: { method: 'oidc', reason },
    });
    return new OidcSignInFailedError(reason);
  };
  let claims: client.IDToken | undefined;
  let email: string | null = null;
  try {
    const config = await oidcConfiguration(oidc);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    if (claims && typeof claims.email === 'string') email = claims.email.toLowerCase();
    else if (claims && tokens.access_token) {
      // Providers that follow the spec strictly put only `sub` in the ID token: ask the userinfo endpoint.
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      if (typeof info.email === 'string') email = info.email.toLowerCase();
    }
  } catch (error) {
    throw await fail(
      `provider-response-rejected: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown'}`,
    );
  }
  if (!claims) throw await fail('no-id-token');
  const issuer = String(claims.iss);
  const subject = String(claims.sub);

  let user = await trx
    .selectFrom('users')
    .select(['id', 'email', 'status', 'totpEnabledAt', 'oidcSubject'])
    .where('oidcIssuer', '=', issuer)
    .where('oidcSubject', '=', subject)
    .executeTakeFirst();
  if (!user && email) {
    user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'status', 'totpEnabledAt', 'oidcSubject'])
      .where('email', '=', email)
      .where('oidcSubject', 'is', null)
      .executeTakeFirst();
    if (user) {
      await trx
        .updateTable('users')
        .set({ oidcIssuer: issuer, oidcSubject: subject })
        .where('id', '=', user.id)
        .execute();
      await recordAuditEvent(trx, {
        actor: { userId: user.id, label: user.email },
        action: 'user.oidc-linked',
        subjectType: 'user',
        subjectId: user.id,
        requestId: meta.requestId,
        ip: meta.ip,
        occurredAt: now,
        details: { issuer },
      });
    }
  }
  if (!user || user.status !== 'active')
    throw await fail(user ? 'disabled' : 'no-matching-account', email ?? subject);
  // The council's provider does its own multi-factor authentication; a user who also set up a
  // Threshold authenticator is still asked for its code.
  const next = user.totpEnabledAt ? 'mfa' : 'active';
  await recordAuditEvent(trx, {
    actor: { userId: user.id, label: user.email },
    action: next === 'active' ? 'sign-in.succeeded' : 'sign-in.password-accepted',
    subjectType: 'user',
    subjectId: user.id,
    requestId: meta.requestId,
    ip: meta.ip,
    occurredAt: now,
    details: { method: 'oidc', issuer },
  });
  if (next === 'active')
    await trx.updateTable('users').set({ lastSignInAt: now }).where('id', '=', user.id).execute();
  return { userId: user.id, next };
}
