import { REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { allLocalAuthorities, frontDoorCodeList } from '../../modules/front-door/index.ts';
import { definePage } from '../page.ts';
import { API_RATE_LIMIT } from './contacts.ts';
import { exampleContactBody, fieldRows } from './openapi.ts';

/**
 * /api/docs: the partner API for people — authentication, the endpoints, an example request and the problem
 * format — as a GOV.UK page. Public (it holds no secrets). The field table is written from the same JSON Schema
 * as the OpenAPI document, and the reference codes are read from the database, so neither can go stale.
 */
export const apiDocsPage = definePage({
  path: '/api/docs',
  view: 'api/docs.njk',
  access: 'public',
  title: 'Threshold API for partner systems',
  load: async (ctx) => {
    const concerns = await frontDoorCodeList(ctx.db, 'contact-concern');
    const roles = await frontDoorCodeList(ctx.db, 'contact-adult-role');
    const authorities = await allLocalAuthorities({ db: ctx.db });
    return {
      fields: fieldRows(),
      concerns,
      roles,
      sources: REFERRAL_SOURCES,
      authorities,
      rateLimit: API_RATE_LIMIT.max,
      example: exampleContactBody(authorities[0]?.id ?? '00000000-0000-4000-8000-000000000000'),
    };
  },
});
