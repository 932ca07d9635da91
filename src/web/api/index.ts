import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../app-services.ts';
import { registerContactRoutes } from './contacts.ts';
import type { PageDefinition } from '../page.ts';
import { apiDocsPage } from './docs.ts';
import { openApiDocument } from './openapi.ts';

/**
 * The JSON API for partner systems, under /api/ (no sessions or CSRF: each call authenticates as an API client).
 *   POST /api/v1/contacts              send a contact (201, or 200 for a repeated external reference)
 *   GET  /api/v1/contacts/{reference}  the status of a contact this client sent
 *   GET  /api/v1/openapi.json          the OpenAPI 3.1 document, written from the Zod schemas
 *   GET  /api/docs                     the same for people, as a GOV.UK page (a public page: apiPages)
 * Errors are RFC 9457 problem documents (src/web/plugins/errors.ts).
 */
export function registerApiRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/api/v1/openapi.json', async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(openApiDocument()),
  );
  registerContactRoutes(app, services);
}

/** The API's pages for people (registered with every module's pages by buildApp). */
export const apiPages: PageDefinition[] = [apiDocsPage];
