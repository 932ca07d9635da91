import { z } from 'zod';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { childVoiceFor } from './child-voice.service.ts';
import { loadPersonHeader } from './person.service.ts';
import { pageNumber, PAGE_SIZE, pagedPersonListAudit, personParams } from './pages-common.ts';

/** The child's voice: everything the child said, in their own words, from visits, direct work and case notes. */
export const childVoicePage = definePage({
  path: '/people/:personId/voice',
  view: 'people/views/child-voice.njk',
  access: 'child:read',
  title: "The child's voice",
  params: personParams,
  query: z.object({ page: pageNumber }),
  audit: pagedPersonListAudit('child-voice.viewed'),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { rows, total } = await childVoiceFor(ctx, {
      childId: ctx.params.personId,
      page: { limit: PAGE_SIZE, offset: (ctx.query.page - 1) * PAGE_SIZE },
    });
    return {
      person,
      section: 'voice',
      words: rows,
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

export const childVoicePages = [childVoicePage];
