import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateApiClient,
  claimedClientId,
  contactByExternalReference,
  ContactInputError,
  databaseProblems,
  problemErrors,
  readApiContact,
  receiveApiContact,
  type ApiClientActor,
  type ApiClientContext,
} from '../../modules/front-door/index.ts';
import type { AppServices } from '../app-services.ts';
import { sendProblem } from '../plugins/errors.ts';
import { AuthFailureLimiter } from './auth-failures.ts';
import { requestTransaction } from '../../db/request-transaction.ts';
import { requestTransactionOptions } from '../request-cancel.ts';

/**
 * The partner API's contact routes. Thin: one transaction per call (requestTransaction: its statements are limited to
 * STATEMENT_TIMEOUT_MS, and a caller that goes away before the reply has its running query cancelled) that first
 * authenticates the client and then does the work, all logic in the front door's services. A failed authentication
 * commits the transaction with nothing in it but the failure's audit event (for a real client) and answers 401; an
 * invalid contact rolls it back. Authenticating in the work's own transaction saves a transaction and three round
 * trips a call (ADR 0011).
 */

export const API_RATE_LIMIT = { max: 120, timeWindowMs: 60_000 } as const;

/** Failed authentications one calling address may make in a window before it is refused (429) unchecked. */
export const API_AUTH_FAILURE_LIMIT = { max: 20, timeWindowMs: 60_000 } as const;

const rateLimit = {
  config: {
    rateLimit: {
      max: API_RATE_LIMIT.max,
      timeWindow: API_RATE_LIMIT.timeWindowMs,
      // Per calling address and claimed client, so one partner cannot use up another's allowance.
      keyGenerator: (request: FastifyRequest) =>
        `${request.ip}|${claimedClientId(request.headers.authorization) ?? ''}`,
    },
  },
};

export const contactLocation = (reference: string) => `/api/v1/contacts/${encodeURIComponent(reference)}`;

/** A 429 when the calling address has spent its allowance of failed authentications, or null to go on. */
function tooManyFailures(failures: AuthFailureLimiter, request: FastifyRequest, reply: FastifyReply) {
  const retryAfter = failures.retryAfterSeconds(request.ip);
  if (retryAfter <= 0) return null;
  return sendProblem(request, reply.header('retry-after', String(retryAfter)), {
    status: 429,
    title: 'Too many requests',
    detail: `Too many calls from this address failed to authenticate. Try again in ${retryAfter} seconds.`,
  });
}

/** A refused authentication, counted against the calling address. */
function unauthorised(failures: AuthFailureLimiter, request: FastifyRequest, reply: FastifyReply) {
  failures.recordFailure(request.ip);
  reply.header('www-authenticate', 'Basic realm="Threshold API", Bearer realm="Threshold API"');
  return sendProblem(request, reply, {
    status: 401,
    title: 'Unauthorized',
    detail: 'Send the credentials of an active API client, as HTTP Basic or as a bearer token.',
  });
}

/**
 * Runs `work` for the authenticated client in one request transaction: `{ client, result }`, or null when the
 * credentials were refused (the transaction still commits, with the failure's audit event).
 */
async function asClient<T>(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (ctx: ApiClientContext) => Promise<T>,
  authenticated: { client: ApiClientActor | null },
): Promise<{ result: T } | null> {
  const now = services.clock.now();
  return requestTransaction(services.db, requestTransactionOptions(services, reply), async (trx) => {
    const client = await authenticateApiClient(
      { db: trx, now },
      { authorization: request.headers.authorization, requestId: request.id, ip: request.ip },
    );
    if (!client) return null;
    authenticated.client = client;
    return { result: await work({ db: trx, client, now, calendar: services.calendar }) };
  });
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

export function registerContactRoutes(app: FastifyInstance, services: AppServices): void {
  const failures = new AuthFailureLimiter(API_AUTH_FAILURE_LIMIT.max, API_AUTH_FAILURE_LIMIT.timeWindowMs);

  app.post('/api/v1/contacts', rateLimit, async (request, reply) => {
    const limited = tooManyFailures(failures, request, reply);
    if (limited) return limited;
    const authenticated: { client: ApiClientActor | null } = { client: null };
    try {
      const done = await asClient(
        services,
        request,
        reply,
        (ctx) => receiveApiContact(ctx, request.body),
        authenticated,
      );
      if (!done) return unauthorised(failures, request, reply);
      const { result } = done;
      return reply
        .status(result.created ? 201 : 200)
        .header('location', contactLocation(result.contact.reference))
        .type('application/json; charset=utf-8')
        .send(result.contact);
    } catch (error) {
      const client = authenticated.client;
      if (error instanceof ContactInputError) {
        return sendProblem(request, reply, {
          status: 400,
          title: 'The contact is not valid',
          detail: `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} with the request body: nothing was recorded`,
          errors: problemErrors(error.problems),
        });
      }
      // Two copies of one notification at the same moment: the second loses the race on the unique index.
      const external = (request.body as { externalReference?: unknown } | null)?.externalReference;
      if (client && isUniqueViolation(error) && typeof external === 'string') {
        const now = services.clock.now();
        const first = await requestTransaction(
          services.db,
          requestTransactionOptions(services, reply),
          (trx) =>
            contactByExternalReference(
              { db: trx, client, now, calendar: services.calendar },
              external.trim(),
            ),
        );
        if (first) return reply.status(200).header('location', contactLocation(first.reference)).send(first);
      }
      // Anything else the database refused (the transaction rolled back): the same problem document.
      const refused = databaseProblems(error, request.body);
      if (refused) {
        request.log.warn({ code: (error as { code?: unknown }).code }, 'the database refused an API contact');
        return sendProblem(request, reply, {
          status: 400,
          title: 'The contact is not valid',
          detail: `The database could not store ${refused.length === 1 ? 'a value' : `${refused.length} values`} in the request body: nothing was recorded`,
          errors: problemErrors(refused),
        });
      }
      throw error;
    }
  });

  app.get<{ Params: { reference: string } }>(
    '/api/v1/contacts/:reference',
    rateLimit,
    async (request, reply) => {
      const limited = tooManyFailures(failures, request, reply);
      if (limited) return limited;
      const reference = String(request.params.reference ?? '').slice(0, 40);
      // A reference is printable text: anything else (a NUL the database would refuse) names no contact.
      const printable = /^[\x21-\x7e]+$/.test(reference);
      const done = await asClient(
        services,
        request,
        reply,
        async (ctx) => (printable ? readApiContact(ctx, reference) : null),
        { client: null },
      );
      if (!done) return unauthorised(failures, request, reply);
      const contact = done.result;
      if (!contact) return sendProblem(request, reply, { status: 404, title: 'Not found' });
      return reply.type('application/json; charset=utf-8').send(contact);
    },
  );
}
