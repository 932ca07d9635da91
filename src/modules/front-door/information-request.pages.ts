import { z } from 'zod';
import { agencyName } from './organisation-lookups.service.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import {
  CAMHS_RECOMMENDATION_LABELS,
  CAMHS_RECOMMENDATIONS,
  CAMHS_REVIEW_TYPE,
  CAMHS_RISK_INDICATORS,
  CAMHS_RISK_LABELS,
  camhsReviewForm,
  describeCamhsReview,
  informationAnswerForm,
  KNOWN_TO_CAMHS,
  KNOWN_TO_CAMHS_LABELS,
  parseCamhsReview,
  toCamhsReview,
} from './camhs-review.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { describeHoursLeft } from './contact.ts';
import { answerRequest, requestForMyAgency, requestsForMyAgency } from './information-request.service.ts';
import { FRONT_DOOR_PATHS, partnerRequestPath } from './paths.ts';

/** A partner agency's view: the requests addressed to their agency, and answering one. */

const PAGE_SIZE = 25;

/**
 * The answer form: a CAMHS review asks the clinician's structured review, every other type asks what the agency
 * knows. The form says which it is (answerKind, from the request's type); the service checks it against the request.
 */
type AnswerForm =
  | ({ kind: 'camhs-review' } & z.output<typeof camhsReviewForm>)
  | ({ kind: 'information' } & z.output<typeof informationAnswerForm>);
const answerForm = z.record(z.string(), z.unknown()).transform((raw, ctx): AnswerForm => {
  const camhs = raw.answerKind === CAMHS_REVIEW_TYPE;
  const parsed = camhs ? camhsReviewForm.safeParse(raw) : informationAnswerForm.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return camhs
    ? { kind: 'camhs-review', ...(parsed.data as z.output<typeof camhsReviewForm>) }
    : { kind: 'information', ...(parsed.data as z.output<typeof informationAnswerForm>) };
});

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
    const { rows, total } = await requestsForMyAgency(ctx, {
      status: ctx.query.status,
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const agency = ctx.user.agencyId ? await agencyName(ctx, ctx.user.agencyId) : undefined;
    return {
      agencyName: agency ?? '',
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
  form: answerForm,
  audit: {
    action: 'information-request.viewed',
    subjectType: 'information-request',
    subject: (ctx) => ({ subjectId: ctx.params.requestId }),
  },
  load: async (ctx) => {
    const data = await requestForMyAgency(ctx, ctx.params.requestId);
    const isCamhsReview = data.request.requestType === CAMHS_REVIEW_TYPE;
    const review = parseCamhsReview(data.request.camhsReview);
    return {
      ...data,
      isCamhsReview,
      camhsReviewRows: review ? describeCamhsReview(review) : null,
      camhsOptions: {
        known: KNOWN_TO_CAMHS.map((k) => ({ value: k, text: KNOWN_TO_CAMHS_LABELS[k] })),
        risks: CAMHS_RISK_INDICATORS.map((r) => ({ value: r, text: CAMHS_RISK_LABELS[r] })),
        recommendations: CAMHS_RECOMMENDATIONS.map((r) => ({
          value: r,
          text: CAMHS_RECOMMENDATION_LABELS[r],
        })),
      },
      dueText: formatDateTimeGovUk(data.request.dueAt),
      clock:
        data.request.status === 'open'
          ? describeHoursLeft(ctx.services.calendar, ctx.now, data.request.dueAt)
          : null,
      listHref: FRONT_DOOR_PATHS.partnerRequests,
    };
  },
  submit: async (ctx, form) => {
    await answerRequest(
      ctx,
      form.kind === 'camhs-review'
        ? { requestId: ctx.params.requestId, camhsReview: toCamhsReview(form), version: form.version }
        : {
            requestId: ctx.params.requestId,
            knownToAgency: form.knownToAgency,
            response: form.response,
            version: form.version,
          },
    );
    ctx.flash('Thank you: your answer has been sent to the MASH.');
    return FRONT_DOOR_PATHS.partnerRequests;
  },
});

export const informationRequestPages = [partnerRequestsPage, partnerRequestPage];
