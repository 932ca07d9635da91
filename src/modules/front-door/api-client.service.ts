import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import type { ApiClientsUpdate } from '../../db/schema.ts';
import type { ApiClientActor } from './contact.service.ts';
import { recordChange, type Db, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * API clients: partner systems (a police force's notification system, a health trust's referral system) that send
 * contacts through POST /api/v1/contacts, one client per partner organisation system, each with its own
 * credentials. System administrators (users:manage) create them (the secret is shown once), rotate the secret and
 * disable them; every change is in the audit trail.
 *
 * ## How the secret is kept: SHA-256, not argon2id
 * Threshold makes the secret itself: 32 random bytes (256 bits) from the operating system's CSPRNG, written in
 * base64url. Only its SHA-256 hash is stored. A slow password hash such as argon2id exists to make guessing a
 * *low-entropy, human-chosen* password expensive after a database leak; a 256-bit random secret cannot be guessed
 * whatever the hash, so the slow hash would add no protection — but it would cost ~20 MiB of memory and tens of
 * milliseconds of CPU on *every* API call (a partner system authenticates each request, not once per session),
 * which would make the API an easy way to exhaust the server. SHA-256 of a high-entropy token is the usual
 * choice for API keys for this reason (as GitHub tokens). Hashes are compared in constant time. The reasoning, and
 * why the check is not cached between requests, is in ADR 0011.
 *
 * Credentials are sent as HTTP Basic (client id as the user name, secret as the password) or as a bearer token
 * `<client id>.<secret>`.
 */

export const CLIENT_ID_PREFIX = 'thr_';

export function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(12).toString('hex')}`;
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(storedHex: string, secret: string): boolean {
  const a = Buffer.from(storedHex, 'hex');
  const b = Buffer.from(hashClientSecret(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads `Authorization: Basic …` or `Authorization: Bearer <client id>.<secret>`; null when it is neither. */
export function parseClientCredentials(
  header: string | undefined,
): { clientId: string; secret: string } | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'basic') {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      return null;
    }
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (scheme.toLowerCase() === 'bearer') {
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    return { clientId: value.slice(0, dot), secret: value.slice(dot + 1) };
  }
  return null;
}

/** The client id a request claims, for rate limiting before it is checked (never trusted for anything else). */
export function claimedClientId(header: string | undefined): string | null {
  const credentials = parseClientCredentials(header);
  return credentials && credentials.clientId.length <= 64 ? credentials.clientId : null;
}

export type { ApiClientActor } from './contact.service.ts';

/**
 * Checks an API request's credentials, in the request's own transaction (ADR 0011): one indexed statement reads the
 * client with the authorities it may send to, and the secret's SHA-256 is compared in constant time. Nothing is cached
 * between requests, so a rotated secret or a disabled client is refused by every app process from its next request.
 * Success gives the client as a contact actor and records when it was last used (at most once a minute). Failure
 * says nothing about which part was wrong; a wrong secret for a real client, or a disabled client's, is recorded in
 * the audit trail (someone may be trying its credentials): the caller commits the transaction with that event and
 * answers 401.
 */
export async function authenticateApiClient(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  request: { authorization: string | undefined; requestId?: string; ip?: string },
): Promise<ApiClientActor | null> {
  const { db: trx, now } = ctx;
  const credentials = parseClientCredentials(request.authorization);
  if (!credentials || credentials.clientId.length > 64 || credentials.secret.length > 200) return null;
  const client = await trx
    .selectFrom('apiClients as c')
    .select([
      'c.id',
      'c.name',
      'c.agencyId',
      'c.secretHash',
      'c.status',
      'c.lastUsedAt',
      sql<string[]>`array(
        select x.local_authority_id::text from api_client_local_authorities x
         where x.api_client_id = c.id order by x.local_authority_id)`.as('localAuthorityIds'),
    ])
    .where('c.clientId', '=', credentials.clientId)
    .executeTakeFirst();
  if (!client) {
    hashClientSecret(credentials.secret); // the same work as a real check
    return null;
  }
  if (!sameHash(client.secretHash, credentials.secret) || client.status !== 'active') {
    // By hand: nobody is signed in (recordChange's actor is ctx.user), and the request id and address matter here.
    await recordAuditEvent(trx, {
      actor: { userId: null, label: 'anonymous' },
      action: 'api-client.authentication-failed',
      subjectType: 'api-client',
      subjectId: client.id,
      occurredAt: now,
      requestId: request.requestId ?? null,
      ip: request.ip ?? null,
      details: { reason: client.status === 'active' ? 'wrong secret' : 'client disabled' },
    });
    return null;
  }
  // Recorded at most once a minute, so a busy client does not write on every call.
  if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > 60_000) {
    await trx.updateTable('apiClients').set({ lastUsedAt: now }).where('id', '=', client.id).execute();
  }
  return {
    kind: 'api-client',
    apiClientId: client.id,
    name: client.name,
    agencyId: client.agencyId,
    localAuthorityIds: client.localAuthorityIds,
  };
}

// ------------------------------------------------------------------------------------------------------
// Administration (users:manage)

function requireAdmin(user: CurrentUser): void {
  if (!user.permissions.has('users:manage')) throw new AccessDeniedError('users:manage');
}

export interface NewApiClientInput {
  name: string;
  agencyId: string;
  localAuthorityIds: string[];
}

/** Creates a client and returns its credentials: the secret exists only in this return value. */
export async function createApiClient(
  ctx: ServiceContext,
  input: NewApiClientInput,
): Promise<{ id: string; clientId: string; secret: string }> {
  const { db: trx, user, now } = ctx;
  requireAdmin(user);
  const name = input.name.trim();
  const taken = await trx
    .selectFrom('apiClients')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (taken) throw new BusinessRuleError('name', 'There is already a client with this name');
  const agency = await trx
    .selectFrom('agencies')
    .select(['id', 'name'])
    .where('id', '=', input.agencyId)
    .executeTakeFirst();
  if (!agency) throw new BusinessRuleError('agencyId', 'Select the partner agency from the list');
  const served = new Set(
    (
      await trx
        .selectFrom('agencyLocalAuthorities')
        .select('localAuthorityId')
        .where('agencyId', '=', agency.id)
        .execute()
    ).map((r) => r.localAuthorityId),
  );
  const las = [...new Set(input.localAuthorityIds)];
  if (!las.length) throw new BusinessRuleError('localAuthorityIds', 'Select at least one local authority');
  if (las.some((id) => !served.has(id)))
    throw new BusinessRuleError(
      'localAuthorityIds',
      `Select only local authorities that ${agency.name} works with`,
    );
  const clientId = newClientId();
  const secret = newClientSecret();
  const row = await trx
    .insertInto('apiClients')
    .values({
      name,
      agencyId: agency.id,
      clientId,
      secretHash: hashClientSecret(secret),
      createdAt: now,
      createdBy: user.id,
      secretRotatedAt: now,
      secretRotatedBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('apiClientLocalAuthorities')
    .values(las.map((localAuthorityId) => ({ apiClientId: row.id, localAuthorityId })))
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'api-client.created',
      subjectType: 'api-client',
      subjectId: row.id,
      details: { name, clientId, agency: agency.name, localAuthorityIds: las },
    },
  });
  return { id: row.id, clientId, secret };
}

/** A new secret for a client (the old one stops working at once); returned once, never stored. */
export async function rotateApiClientSecret(
  ctx: ServiceContext,
  input: { apiClientId: string; version?: number | undefined },
): Promise<{ clientId: string; secret: string }> {
  const { db: trx, user, now } = ctx;
  requireAdmin(user);
  const client = await getApiClient(trx, input.apiClientId);
  if (client.status !== 'active')
    throw new BusinessRuleError('confirm', 'This client is disabled: its secret cannot be changed');
  const secret = newClientSecret();
  await changeClient(
    ctx,
    client,
    input.version,
    { secretHash: hashClientSecret(secret), secretRotatedAt: now, secretRotatedBy: user.id },
    'api-client.secret-rotated',
    {},
  );
  return { clientId: client.clientId, secret };
}

export async function disableApiClient(
  ctx: ServiceContext,
  input: { apiClientId: string; reason: string; version?: number | undefined },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requireAdmin(user);
  const client = await getApiClient(trx, input.apiClientId);
  if (client.status === 'disabled') throw new BusinessRuleError('reason', 'This client is already disabled');
  await changeClient(
    ctx,
    client,
    input.version,
    { status: 'disabled', disabledAt: now, disabledBy: user.id, disabledReason: input.reason },
    'api-client.disabled',
    { reason: input.reason },
  );
}

/**
 * Writes a change to a client, at the version the page showed when it sends one (someone else's change since is a
 * ConflictError), and audits it with the client's name and id.
 */
async function changeClient(
  ctx: ServiceContext,
  client: { id: string; name: string; clientId: string },
  version: number | undefined,
  set: Omit<ApiClientsUpdate, 'updatedAt' | 'version'>,
  action: 'api-client.secret-rotated' | 'api-client.disabled',
  details: Record<string, string>,
): Promise<void> {
  let q = ctx.db
    .updateTable('apiClients')
    .set({ ...set, updatedAt: ctx.now, version: sql<number>`version + 1` })
    .where('id', '=', client.id);
  if (version !== undefined) q = q.where('version', '=', version);
  const updated = await q.returning('id').executeTakeFirst();
  if (!updated)
    throw new ConflictError(
      'Someone else changed this client while you were looking at it. Check it and try again.',
    );
  await recordChange(ctx, {
    audit: {
      action,
      subjectType: 'api-client',
      subjectId: client.id,
      details: { name: client.name, clientId: client.clientId, ...details },
    },
  });
}

export async function getApiClient(db: Db, id: string) {
  const client = await db
    .selectFrom('apiClients as c')
    .innerJoin('agencies as a', 'a.id', 'c.agencyId')
    .leftJoin('users as cu', 'cu.id', 'c.createdBy')
    .leftJoin('users as du', 'du.id', 'c.disabledBy')
    .select([
      'c.id',
      'c.name',
      'c.clientId',
      'c.status',
      'c.agencyId',
      'a.name as agencyName',
      'c.createdAt',
      'cu.displayName as createdByName',
      'c.secretRotatedAt',
      'c.lastUsedAt',
      'c.disabledAt',
      'c.disabledReason',
      'du.displayName as disabledByName',
      'c.version',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!client) throw new NotFoundError();
  const las = await db
    .selectFrom('apiClientLocalAuthorities as x')
    .innerJoin('localAuthorities as la', 'la.id', 'x.localAuthorityId')
    .select(['la.id', 'la.name', 'la.laCode'])
    .where('x.apiClientId', '=', id)
    .orderBy('la.name')
    .execute();
  const contacts = Number(
    (
      await db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('submittedByApiClientId', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { ...client, localAuthorities: las, contacts };
}

export async function listApiClients(db: Db, page: { limit: number; offset: number }) {
  const total = Number(
    (
      await db
        .selectFrom('apiClients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await db
    .selectFrom('apiClients as c')
    .innerJoin('agencies as a', 'a.id', 'c.agencyId')
    .select([
      'c.id',
      'c.name',
      'c.clientId',
      'c.status',
      'a.name as agencyName',
      'c.lastUsedAt',
      'c.createdAt',
    ])
    .orderBy('c.status')
    .orderBy('c.name')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total, rows };
}
