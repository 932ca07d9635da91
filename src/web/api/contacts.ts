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
} from '../../modules/front-door/index.ts';
import type { AppServices } from '../app-services.ts';
import { sendProblem } from '../plugins/errors.ts';
import { AuthFailureLimiter } from './auth-failures.ts';
import { requestTransaction } from '../../db/request-transaction.ts';
import { requestTransactionOptions } from '../request-cancel.ts';

/**
 * The partner API's contact routes. Thin: authenticate the client (its own transaction, so a failed attempt on a
 * real client is recorded), then one transaction for the work, all logic in the front door's services. Like a
 * page's, each transaction is a request's (requestTransaction): its statements are limited to
 * STATEMENT_TIMEOUT_MS, and a caller that goes away before the reply has its running query cancelled.
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

async function authenticate(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ApiClientActor | null> {
  const now = services.clock.now();
  return requestTransaction(services.db, requestTransactionOptions(services, reply), (trx) =>
    authenticateApiClient(
      { db: trx, now },
      { authorization: request.headers.authorization, requestId: request.id, ip: request.ip },
    ),
  );
}

type Authenticated = { client: ApiClientActor } | { refused: (reply: FastifyReply) => FastifyReply };

/** Authenticates within the address's failure allowance: a 429 once it is spent, a 401 for a failure. */
async function authenticateWithinLimit(
  services: AppServices,
  failures: AuthFailureLimiter,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Authenticated> {
  const retryAfter = failures.retryAfterSeconds(request.ip);
  if (retryAfter > 0) {
    return {
      refused: (reply) =>
        sendProblem(request, reply.header('retry-after', String(retryAfter)), {
          status: 429,
          title: 'Too many requests',
          detail: `Too many calls from this address failed to authenticate. Try again in ${retryAfter} seconds.`,
        }),
    };
  }
  const client = await authenticate(services, request, reply);
  if (client) return { client };
  failures.recordFailure(request.ip);
  return { refused: (reply) => unauthorised(request, reply) };
}

function unauthorised(request: FastifyRequest, reply: FastifyReply) {
  reply.header('www-authenticate', 'Basic realm="Threshold API", Bearer realm="Threshold API"');
  return sendProblem(request, reply, {
    status: 401,
    title: 'Unauthorized',
    detail: 'Send the credentials of an active API client, as HTTP Basic or as a bearer token.',
  });
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

export function registerContactRoutes(app: FastifyInstance, services: AppServices): void {
  const failures = new AuthFailureLimiter(API_AUTH_FAILURE_LIMIT.max, API_AUTH_FAILURE_LIMIT.timeWindowMs);

  app.post('/api/v1/contacts', rateLimit, async (request, reply) => {
    const authenticated = await authenticateWithinLimit(services, failures, request, reply);
    if ('refused' in authenticated) return authenticated.refused(reply);
    const { client } = authenticated;
    const now = services.clock.now();
    try {
      const result = await requestTransaction(
        services.db,
        requestTransactionOptions(services, reply),
        (trx) => receiveApiContact({ db: trx, client, now, calendar: services.calendar }, request.body),
      );
      return reply
        .status(result.created ? 201 : 200)
        .header('location', contactLocation(result.contact.reference))
        .type('application/json; charset=utf-8')
        .send(result.contact);
    } catch (error) {
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
      if (isUniqueViolation(error) && typeof external === 'string') {
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
      const authenticated = await authenticateWithinLimit(services, failures, request, reply);
      if ('refused' in authenticated) return authenticated.refused(reply);
      const { client } = authenticated;
      const now = services.clock.now();
      const reference = String(request.params.reference ?? '').slice(0, 40);
      // A reference is printable text: anything else (a NUL the database would refuse) names no contact.
      if (!/^[\x21-\x7e]+$/.test(reference))
        return sendProblem(request, reply, { status: 404, title: 'Not found' });
      const contact = await requestTransaction(
        services.db,
        requestTransactionOptions(services, reply),
        (trx) => readApiContact({ db: trx, client, now, calendar: services.calendar }, reference),
      );
      return reply.type('application/json; charset=utf-8').send(contact);
    },
  );
}
