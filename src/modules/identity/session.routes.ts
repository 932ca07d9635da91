import type { FastifyInstance } from 'fastify';
import { saveDraft } from '../../kernel/drafts/index.ts';
import type { AppServices } from '../../web/app-services.ts';
import { idleDeadline } from './session.service.ts';

/**
 * Small JSON endpoints behind the pages' progressive enhancements: keep the session alive ("Stay signed
 * in"), and save a form's draft while someone types. Both need a signed-in session and a CSRF token
 * (checked by the app-wide hook for every POST).
 */
export function registerSessionRoutes(app: FastifyInstance, services: AppServices): void {
  app.post('/session/extend', async (request, reply) => {
    if (!request.user || !request.session) return reply.status(401).send({ signedIn: false });
    const now = services.clock.now();
    await services.db
      .updateTable('sessions')
      .set({ lastSeenAt: now })
      .where('id', '=', request.session.id)
      .execute();
    return { signedIn: true, expiresAt: idleDeadline(now, services.config).toISOString() };
  });

  app.get('/session/status', async (request) => {
    if (!request.user || !request.session) return { signedIn: false };
    return {
      signedIn: true,
      expiresAt: idleDeadline(request.session.lastSeenAt, services.config).toISOString(),
    };
  });

  app.post('/drafts', async (request, reply) => {
    if (!request.user) return reply.status(401).send({ saved: false });
    const key =
      typeof (request.query as Record<string, unknown>).key === 'string'
        ? String((request.query as Record<string, string>).key)
        : '';
    if (!key.startsWith('/') || key.length > 500)
      return reply.status(400).send({ saved: false, error: 'key must be a path' });
    const body = { ...((request.body ?? {}) as Record<string, unknown>) };
    delete body._csrf;
    for (const secretField of ['password', 'code']) delete body[secretField];
    await saveDraft(services.db, request.user.id, key, body, services.clock.now());
    return { saved: true };
  });
}
