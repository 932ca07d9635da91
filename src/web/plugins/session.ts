import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app-services.ts';
import { resolveSession, SESSION_COOKIE, touchSession } from '../../modules/identity/index.ts';

/** Resolves the session cookie to a user on every request (except static assets and health checks). */
export function registerSessionHook(app: FastifyInstance, services: AppServices): void {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('expiredSessionUserId', null);
  app.decorateRequest('flashOut', null);

  app.addHook('onRequest', async (request) => {
    const url = request.url;
    if (url.startsWith('/assets/') || url.startsWith('/public/') || url.startsWith('/health/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const now = services.clock.now();
    const resolved = await resolveSession(services.db, token, now, services.config);
    if (resolved.status === 'expired') {
      request.expiredSessionUserId = resolved.expiredUserId;
      return;
    }
    if (!resolved.session) return;
    request.session = resolved.session;
    request.user = resolved.user;
    // Background polling of the session status must not keep the session alive.
    if (resolved.session.stage === 'active' && !url.startsWith('/session/status')) {
      request.session.lastSeenAt = await touchSession(
        services.db,
        resolved.session.id,
        resolved.session.lastSeenAt,
        now,
      );
    }
  });
}
