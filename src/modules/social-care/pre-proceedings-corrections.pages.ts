import { z } from 'zod';
import { requirePermission } from '../../kernel/service/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import {
  episodeHeader,
  options,
  PATHS,
  preProceedingsParams,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import {
  FGDM_OFFER_METHOD_LABELS,
  FGDM_OFFER_METHODS,
  LPM_DECISION_LABELS,
  LPM_DECISIONS,
  PP_OUTCOME_LABELS,
  PP_OUTCOMES,
  STEP_DECISION_LABELS,
  STEP_DECISIONS,
} from './pre-proceedings.ts';
import {
  correctFgdmOfferForm,
  correctPreProceedingsForm,
  correctReviewMeetingForm,
  fgdmMeetingForm,
} from './pre-proceedings.schemas.ts';
import { requireFgdmOffer, requirePreProceedings } from './pre-proceedings.service.ts';
import {
  correctFgdmMeeting,
  correctFgdmOffer,
  correctPreProceedings,
  correctPreProceedingsReview,
  requireFgdmMeeting,
  requirePreProceedingsReview,
} from './pre-proceedings-corrections.service.ts';

/**
 * Corrections after saving (issue 22): the pre-proceedings record, a review meeting, an FGDM meeting and an FGDM offer,
 * each on its own form showing what is saved, with its version (a stale form is a 409 showing what changed).
 */

const toPp = (preProceedingsId: string) => pathTo(PATHS.preProceedings, { preProceedingsId });
const flash = (ctx: { flash: (m: string) => void }, changed: string[], what: string) =>
  ctx.flash(changed.length ? `${what} corrected` : 'Nothing was changed');
const auditByRecord = (action: string) => ({
  action,
  subjectType: 'pre-proceedings',
  subject: (_ctx: unknown, data: { pp: { id: string }; header: { childId: string } }) => ({
    subjectId: data.pp.id,
    childId: data.header.childId,
  }),
});
const dates = (values: Record<string, string | null>) =>
  Object.assign({}, ...Object.entries(values).map(([k, v]) => (v ? dateToParts(k, v) : {}))) as Record<
    string,
    string
  >;

async function header(ctx: PageContext<unknown, unknown>, episode: Parameters<typeof episodeHeader>[1]) {
  return episodeHeader(ctx.db, episode, ctx.now);
}

export const correctPreProceedingsPage = definePage({
  path: PATHS.correctPreProceedings,
  view: 'social-care/views/pre-proceedings-correct.njk',
  access: 'social-care:write',
  title: 'Correct the pre-proceedings record',
  params: preProceedingsParams,
  form: ({ today }) => correctPreProceedingsForm(today),
  audit: viewAudit('pre-proceedings.correct-viewed', 'pre-proceedings', 'preProceedingsId'),
  labels: {
    heldOn: 'Date of the legal planning meeting',
    attendees: 'Who attended',
    decision: 'What the meeting decided',
    rationale: 'The reasons for the decision',
    lbpSentOn: 'Date the letter before proceedings was sent',
    initialMeetingOn: 'Date of the initial meeting',
    fgdmReferredOn: 'Date of the referral to the FGDM service',
    fgdmService: 'The FGDM service',
    stepDecision: 'The decision',
    stepDecisionOn: 'Date of the decision',
    outcome: 'The outcome',
    courtApplicationOn: 'Date of the court application',
    letterInitiatingOn: 'Date of the letter initiating care proceedings',
  },
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { pp, episode } = await requirePreProceedings(ctx, ctx.params.preProceedingsId, 'write');
    return {
      pp,
      header: await header(ctx, episode),
      decisions: options(LPM_DECISIONS, LPM_DECISION_LABELS),
      stepDecisions: options(STEP_DECISIONS, STEP_DECISION_LABELS),
      outcomes: options(PP_OUTCOMES, PP_OUTCOME_LABELS),
      saved: {
        ...dates({
          heldOn: pp.lpmHeldOn,
          lbpSentOn: pp.lbpSentOn,
          initialMeetingOn: pp.initialMeetingOn,
          fgdmReferredOn: pp.fgdmReferredOn,
          stepDecisionOn: pp.stepDecisionOn,
          courtApplicationOn: pp.courtApplicationOn,
          letterInitiatingOn: pp.letterInitiatingOn,
        }),
        attendees: pp.lpmAttendees,
        decision: pp.lpmDecision,
        rationale: pp.lpmRationale,
        fgdmService: pp.fgdmService ?? '',
        stepDecision: pp.stepDecision ?? '',
        outcome: pp.outcome ?? '',
        version: String(pp.version),
      },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(
      ctx,
      [
        'heldOn',
        'lbpSentOn',
        'initialMeetingOn',
        'fgdmReferredOn',
        'stepDecisionOn',
        'decidedOn',
        'courtApplicationOn',
        'letterInitiatingOn',
      ],
      async () => {
        const { changed } = await correctPreProceedings(ctx, {
          preProceedingsId: ctx.params.preProceedingsId,
          version: form.version,
          heldOn: form.heldOn!,
          attendees: form.attendees,
          decision: form.decision,
          rationale: form.rationale,
          lbpSentOn: form.lbpSentOn ?? null,
          initialMeetingOn: form.initialMeetingOn ?? null,
          fgdmReferredOn: form.fgdmReferredOn ?? null,
          fgdmService: form.fgdmService ?? null,
          stepDecision: form.stepDecision ?? null,
          stepDecisionOn: form.stepDecisionOn ?? null,
          outcome: form.outcome ?? null,
          courtApplicationOn: form.courtApplicationOn ?? null,
          letterInitiatingOn: form.letterInitiatingOn ?? null,
          queryExplanation: form.queryExplanation,
        });
        flash(ctx, changed, 'Pre-proceedings record');
        return toPp(ctx.params.preProceedingsId);
      },
    ),
});

export const correctPreProceedingsReviewPage = definePage({
  path: PATHS.correctPreProceedingsReview,
  view: 'social-care/views/pre-proceedings-review-edit.njk',
  access: 'social-care:write',
  title: 'Correct a pre-proceedings review meeting',
  params: z.object({ ppReviewId: z.uuid() }),
  form: ({ today }) => correctReviewMeetingForm(today),
  audit: auditByRecord('pre-proceedings.review-correct-viewed'),
  labels: { heldOn: 'Date of the meeting', notes: 'What was agreed' },
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { review, pp, episode } = await requirePreProceedingsReview(ctx, ctx.params.ppReviewId, 'write');
    return {
      pp,
      review,
      header: await header(ctx, episode),
      saved: { ...dates({ heldOn: review.heldOn }), notes: review.notes, version: String(review.version) },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      const { changed } = await correctPreProceedingsReview(ctx, {
        reviewId: ctx.params.ppReviewId,
        version: form.version,
        heldOn: form.heldOn!,
        notes: form.notes,
      });
      const { pp } = await requirePreProceedingsReview(ctx, ctx.params.ppReviewId, 'read');
      flash(ctx, changed, 'Review meeting');
      return toPp(pp.id);
    }),
});

export const correctFgdmMeetingPage = definePage({
  path: PATHS.correctFgdmMeeting,
  view: 'social-care/views/fgdm-meeting-new.njk',
  access: 'social-care:write',
  title: 'Correct a family group decision making meeting',
  params: z.object({ fgdmMeetingId: z.uuid() }),
  form: ({ today }) => fgdmMeetingForm(today),
  audit: auditByRecord('fgdm.meeting-correct-viewed'),
  labels: { heldOn: 'Date of the meeting', attendees: 'Who came', familyPlan: 'The family’s plan' },
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { meeting, pp, episode } = await requireFgdmMeeting(ctx, ctx.params.fgdmMeetingId, 'write');
    return {
      pp,
      correcting: true,
      header: await header(ctx, episode),
      saved: {
        ...dates({ heldOn: meeting.heldOn }),
        attendees: meeting.attendees,
        familyPlan: meeting.familyPlan,
        version: String(meeting.version),
      },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      const { changed } = await correctFgdmMeeting(ctx, {
        fgdmMeetingId: ctx.params.fgdmMeetingId,
        version: form.version,
        heldOn: form.heldOn!,
        attendees: form.attendees,
        familyPlan: form.familyPlan,
      });
      const { pp } = await requireFgdmMeeting(ctx, ctx.params.fgdmMeetingId, 'read');
      flash(ctx, changed, 'Family group decision making meeting');
      return toPp(pp.id);
    }),
});

export const correctFgdmOfferPage = definePage({
  path: PATHS.correctFgdmOffer,
  view: 'social-care/views/fgdm-offer-edit.njk',
  access: 'social-care:write',
  title: 'Correct an offer of a family group decision making meeting',
  params: z.object({ offerId: z.uuid() }),
  form: ({ today }) => correctFgdmOfferForm(today),
  audit: auditByRecord('fgdm.offer-correct-viewed'),
  labels: {
    offeredOn: 'Date of the offer',
    method: 'How the offer was made',
    response: 'Their answer',
    respondedOn: 'Date of their answer',
  },
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { offer, pp, episode } = await requireFgdmOffer(ctx, ctx.params.offerId, 'write');
    return {
      pp,
      offer,
      header: await header(ctx, episode),
      methods: options(FGDM_OFFER_METHODS, FGDM_OFFER_METHOD_LABELS),
      saved: {
        ...dates({ offeredOn: offer.offeredOn, respondedOn: offer.respondedOn }),
        method: offer.method,
        response: offer.response ?? '',
        version: String(offer.version),
      },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['offeredOn', 'respondedOn'], async () => {
      const { changed } = await correctFgdmOffer(ctx, {
        offerId: ctx.params.offerId,
        version: form.version,
        offeredOn: form.offeredOn!,
        method: form.method,
        response: form.response ?? null,
        respondedOn: form.respondedOn ?? null,
      });
      const { pp } = await requireFgdmOffer(ctx, ctx.params.offerId, 'read');
      flash(ctx, changed, 'Offer');
      return toPp(pp.id);
    }),
});

export const preProceedingsCorrectionPages = [
  correctPreProceedingsPage,
  correctPreProceedingsReviewPage,
  correctFgdmMeetingPage,
  correctFgdmOfferPage,
];
