import { z } from 'zod';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { recordHistoryFor } from './record-history.service.ts';
import { loadPersonHeader } from './person.service.ts';
import { pageNumber, PAGE_SIZE, pagedPersonListAudit, personParams } from './pages-common.ts';

/** Every contact, referral and episode about the child, open or finished. */
export const recordHistoryPage = definePage({
  path: '/people/:personId/involvements',
  view: 'people/views/record-history.njk',
  access: 'child:read',
  title: 'Contacts, referrals and episodes',
  params: personParams,
  query: z.object({ page: pageNumber }),
  audit: pagedPersonListAudit('record-history.viewed'),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { rows, total } = await recordHistoryFor(ctx, {
      childId: ctx.params.personId,
      page: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
    });
    return {
      person,
      section: 'involvements',
      rows,
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

export const recordHistoryPages = [recordHistoryPage];
