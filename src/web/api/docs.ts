import type { FastifyInstance } from 'fastify';
import { REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { SESSION_COOKIE } from '../../modules/identity/session.service.ts';
import { allLocalAuthorities, frontDoorCodeList } from '../../modules/front-door/index.ts';
import type { AppServices } from '../app-services.ts';
import { buildNavigation } from '../navigation.ts';
import { API_RATE_LIMIT } from './contacts.ts';
import { exampleContactBody, fieldRows } from './openapi.ts';

/**
 * /api/docs: the partner API for people — authentication, the endpoints, an example request and the problem
 * format — as a GOV.UK page. Public (it holds no secrets). The field table is written from the same JSON Schema
 * as the OpenAPI document, and the reference codes are read from the database, so neither can go stale.
 * (Routes under /api/ skip the page hook, so this sets the layout's context itself.)
 */
export function registerApiDocs(app: FastifyInstance, services: AppServices): void {
  app.get('/api/docs', async (request, reply) => {
    const [concerns, roles, authorities] = [
      await frontDoorCodeList(services.db, 'contact-concern'),
      await frontDoorCodeList(services.db, 'contact-adult-role'),
      await allLocalAuthorities({ db: services.db }),
    ];
    const html = await reply.viewAsync('api/docs.njk', {
      pageTitle: 'Threshold API for partner systems',
      cspNonce: reply.cspNonce.script,
      requestId: request.id,
      currentUser: request.user,
      navigation: buildNavigation(request.user, request.url),
      csrfToken: reply.generateCsrf({ userInfo: request.cookies[SESSION_COOKIE] || 'anonymous' }),
      demoMode: services.config.demoData,
      currentPath: '/api/docs',
      values: {},
      errors: { byField: {}, list: [] },
      fields: fieldRows(),
      concerns,
      roles,
      sources: REFERRAL_SOURCES,
      authorities,
      rateLimit: API_RATE_LIMIT.max,
      example: exampleContactBody(authorities[0]?.id ?? '00000000-0000-4000-8000-000000000000'),
    });
    return reply.status(200).type('text/html; charset=utf-8').send(html);
  });
}
