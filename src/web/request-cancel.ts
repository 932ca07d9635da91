import type { FastifyReply } from 'fastify';
import type { RequestTransactionOptions } from '../db/request-transaction.ts';
import type { AppServices } from './app-services.ts';

/**
 * The options of a request's transaction (requestTransaction), for page routes and the JSON API alike: each
 * statement is limited to STATEMENT_TIMEOUT_MS, and a client that goes away before the reply has its request's
 * running query cancelled, rather than left to run for nobody.
 */
export function requestTransactionOptions(
  services: AppServices,
  reply: FastifyReply,
): RequestTransactionOptions {
  return {
    postgres: services.config.database.kind === 'postgres',
    statementTimeoutMs: services.config.statementTimeoutMs,
    onCancel: (cancel: () => void) => {
      reply.raw.once('close', () => {
        if (!reply.raw.writableEnded) cancel();
      });
    },
  };
}
