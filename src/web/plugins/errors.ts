import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditActor } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  RecordReadOnlyError,
} from '../../kernel/errors.ts';
import type { AppServices } from '../app-services.ts';

/**
 * Every error ends as a GOV.UK error page (or, under /api/, an RFC 9457 problem document). Nothing
 * leaks a stack trace; the 500 page shows the request id so support can find the log line.
 */

interface ProblemOptions {
  status: number;
  title: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemOptions) {
  return reply
    .status(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `https://threshold.invalid/problems/${problem.status}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

async function renderError(
  reply: FastifyReply,
  status: number,
  view: string,
  context: Record<string, unknown>,
) {
  try {
    const html = await reply.viewAsync(view, { cspNonce: reply.cspNonce?.script ?? '', ...context });
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  } catch {
    // The template itself failed: fall back to plain text rather than loop.
    return reply
      .status(status)
      .type('text/plain; charset=utf-8')
      .send(`Error ${status}. Request id: ${reply.request.id}`);
  }
}

export function registerErrorHandlers(app: FastifyInstance, services: AppServices): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request)) return sendProblem(request, reply, { status: 404, title: 'Not found' });
    return renderError(reply, 404, 'errors/404.njk', { pageTitle: 'Page not found' });
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const api = isApi(request);
    if (error instanceof NotFoundError) {
      if (error.deniedPersonIds.length && request.user) {
        // A record-level refusal: recorded under each child it named (the request's own transaction was rolled back).
        const user = request.user;
        await services.db.transaction().execute(async (trx) => {
          for (const childId of error.deniedPersonIds) {
            await recordAuditEvent(trx, {
              actor: auditActor(user),
              action: 'access.denied',
              subjectType: 'person',
              subjectId: childId,
              childId,
              requestId: request.id,
              ip: request.ip,
              occurredAt: services.clock.now(),
              details: { method: request.method, url: request.url.split('?')[0], reason: 'record-access' },
            });
          }
        });
      }
      if (api) return sendProblem(request, reply, { status: 404, title: 'Not found' });
      return renderError(reply, 404, 'errors/404.njk', { pageTitle: 'Page not found' });
    }
    if (error instanceof AccessDeniedError) {
      if (api) return sendProblem(request, reply, { status: 403, title: 'Forbidden', detail: error.message });
      if (error instanceof RecordReadOnlyError)
        return renderError(reply, 403, 'errors/403.njk', {
          pageTitle: 'You cannot change this record',
          message: error.message,
        });
      return renderError(reply, 403, 'errors/403.njk', {
        pageTitle: 'You do not have permission to view this page',
      });
    }
    if (error instanceof BusinessRuleError) {
      if (api)
        return sendProblem(request, reply, {
          status: 422,
          title: 'The request breaks a rule',
          errors: [{ field: error.field, message: error.message }],
        });
      return renderError(reply, 400, 'errors/400.njk', {
        pageTitle: 'There is a problem',
        message: error.message,
      });
    }
    if (error instanceof ConflictError) {
      if (api) return sendProblem(request, reply, { status: 409, title: 'Conflict', detail: error.message });
      return renderError(reply, 409, 'errors/400.njk', {
        pageTitle: 'Someone else changed this record',
        message: error.message,
      });
    }
    const code = error.code ?? '';
    if (code.startsWith('FST_CSRF')) {
      if (api) return sendProblem(request, reply, { status: 403, title: 'Forbidden' });
      return renderError(reply, 403, 'errors/csrf.njk', { pageTitle: 'Your form could not be sent' });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      const message = 'What you sent is too large. Try again with less text or a smaller file.';
      if (api)
        return sendProblem(request, reply, { status: 413, title: 'Payload too large', detail: message });
      return renderError(reply, 413, 'errors/400.njk', { pageTitle: 'What you sent is too large', message });
    }
    if (status === 429) {
      const message = 'There have been too many attempts. Wait a few minutes and try again.';
      if (api)
        return sendProblem(request, reply, { status: 429, title: 'Too many requests', detail: message });
      return renderError(reply, 429, 'errors/400.njk', { pageTitle: 'Too many attempts', message });
    }
    if (status >= 400 && status < 500) {
      const message =
        status === 415
          ? 'The request was sent in a format Threshold does not accept.'
          : 'The request could not be understood. Check what you sent and try again.';
      if (api) return sendProblem(request, reply, { status, title: 'Bad request', detail: message });
      return renderError(reply, status, 'errors/400.njk', {
        pageTitle: 'There is a problem with the request',
        message,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    if (api)
      return sendProblem(request, reply, {
        status: 500,
        title: 'Internal server error',
        detail: `Quote request id ${request.id}`,
      });
    return renderError(reply, 500, 'errors/500.njk', {
      pageTitle: 'Sorry, there is a problem with the service',
      requestId: request.id,
    });
  });
  void services;
}
