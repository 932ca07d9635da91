import { z } from 'zod';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import { integer, requiredText, yesNo } from '../../web/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { describeHoursLeft } from './contact.ts';
import { answerRequest, requestForMyAgency, requestsForMyAgency } from './information-request.service.ts';
import { FRONT_DOOR_PATHS, partnerRequestPath } from './paths.ts';

/** A partner agency's view: the requests addressed to their agency, and answering one. */

const PAGE_SIZE = 25;

export const partnerRequestsPage = definePage({
  path: FRONT_DOOR_PATHS.partnerRequests,
  view: 'front-door/views/partner-requests.njk',
  access: 'information-request:respond',
  title: 'Information requests',
  query: z.object({
    status: z.enum(['open', 'answered', 'all']).catch('open').default('open'),
    page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  }),
  load: async (ctx) => {
    const { rows, total } = await requestsForMyAgency(ctx.db, ctx.user, {
      status: ctx.query.status,
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const agency = ctx.user.agencyId
      ? await ctx.db
          .selectFrom('agencies')
          .select('name')
          .where('id', '=', ctx.user.agencyId)
          .executeTakeFirst()
      : undefined;
    return {
      agencyName: agency?.name ?? '',
      status: ctx.query.status,
      filters: (['open', 'answered', 'all'] as const).map((s) => ({
        value: s,
        text: { open: 'Waiting for your answer', answered: 'Answered', all: 'All' }[s],
        href: `${FRONT_DOOR_PATHS.partnerRequests}${s === 'open' ? '' : `?status=${s}`}`,
        current: s === ctx.query.status,
      })),
      rows: rows.map((r) => ({
        ...r,
        href: partnerRequestPath(r.id),
        dueText: formatDateTimeGovUk(r.dueAt),
        clock: r.status === 'open' ? describeHoursLeft(ctx.services.calendar, ctx.now, r.dueAt) : null,
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

export const partnerRequestPage = definePage({
  path: FRONT_DOOR_PATHS.partnerRequest,
  view: 'front-door/views/partner-request.njk',
  access: 'information-request:respond',
  title: 'Information request',
  params: z.object({ requestId: z.uuid() }),
  form: z.object({
    knownToAgency: yesNo('Select yes if your agency knows the child or family'),
    response: requiredText(
      'Enter the information you hold, or say that you hold none',
      20_000,
      'The answer must be 20,000 characters or fewer',
    ),
    version: integer({ label: 'Version', min: 1 }),
  }),
  audit: {
    action: 'information-request.viewed',
    subjectType: 'information-request',
    subject: (ctx) => ({ subjectId: ctx.params.requestId }),
  },
  load: async (ctx) => {
    const data = await requestForMyAgency(ctx.db, ctx.user, ctx.params.requestId);
    return {
      ...data,
      dueText: formatDateTimeGovUk(data.request.dueAt),
      clock:
        data.request.status === 'open'
          ? describeHoursLeft(ctx.services.calendar, ctx.now, data.request.dueAt)
          : null,
      listHref: FRONT_DOOR_PATHS.partnerRequests,
    };
  },
  submit: async (ctx, form) => {
    await answerRequest(ctx.db, ctx.user, { requestId: ctx.params.requestId, ...form }, ctx.now);
    ctx.flash('Thank you: your answer has been sent to the MASH.');
    return FRONT_DOOR_PATHS.partnerRequests;
  },
});

export const informationRequestPages = [partnerRequestsPage, partnerRequestPage];
