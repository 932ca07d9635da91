import { z } from 'zod';
import { requirePermission } from '../../kernel/service/index.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage, type PageContext, type PageDefinition } from '../../web/page.ts';
import { letterPath, mayProduceLetters } from '../documents/index.ts';
import { pathTo } from '../../web/paths.ts';
import {
  episodeForForm,
  episodeHeader,
  episodeParams,
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
  preProceedingsItems,
  preProceedingsTimeline,
  STEP_DECISION_LABELS,
  STEP_DECISIONS,
} from './pre-proceedings.ts';
import {
  fgdmMeetingForm,
  fgdmNotInInterestsForm,
  fgdmOfferForm,
  fgdmReferralForm,
  fgdmResponseForm,
  legalPlanningMeetingForm,
  letterBeforeProceedingsForm,
  preProceedingsMeetingForm,
  stepDecisionForm,
} from './pre-proceedings.schemas.ts';
import {
  preProceedingsDetails,
  recordFgdmMeeting,
  recordFgdmNotInInterests,
  recordFgdmOffer,
  recordFgdmReferral,
  recordFgdmResponse,
  recordLegalPlanningMeeting,
  recordLetterBeforeProceedings,
  recordPreProceedingsMeeting,
  recordStepDecision,
  requireFgdmOffer,
  requirePreProceedings,
} from './pre-proceedings.service.ts';

/**
 * Pre-proceedings (the Public Law Outline) and family group decision making (issue 22): the record with its 16-week
 * timeline, and a form for each step, each checking the census module 5 rules as it saves.
 */

const ppAudit = (action: string) => viewAudit(action, 'pre-proceedings', 'preProceedingsId');
const toPp = (ctx: { params: { preProceedingsId: string } }) =>
  pathTo(PATHS.preProceedings, { preProceedingsId: ctx.params.preProceedingsId });

/** For a form that changes a pre-proceedings record: write access, the record, its header and version. */
async function ppForForm(ctx: PageContext<{ preProceedingsId: string }, unknown>) {
  requirePermission(ctx.user, 'social-care:write');
  const { pp, episode } = await requirePreProceedings(ctx, ctx.params.preProceedingsId, 'write');
  return {
    pp,
    episode,
    header: await episodeHeader(ctx.db, episode, ctx.now),
    saved: { version: String(pp.version) },
  };
}

export const newLegalPlanningMeetingPage = definePage({
  path: PATHS.newLegalPlanningMeeting,
  view: 'social-care/views/pre-proceedings-new.njk',
  access: 'social-care:write',
  title: 'Record a legal planning meeting',
  params: episodeParams,
  form: ({ today }) => legalPlanningMeetingForm(today),
  audit: viewAudit('pre-proceedings.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { header } = await episodeForForm(ctx, ctx.params.episodeId);
    return {
      header,
      decisions: options(LPM_DECISIONS, LPM_DECISION_LABELS),
      defaults: dateToParts('heldOn', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      const id = await recordLegalPlanningMeeting(ctx, {
        episodeId: ctx.params.episodeId,
        heldOn: form.heldOn!,
        attendees: form.attendees,
        decision: form.decision,
        rationale: form.rationale,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Legal planning meeting recorded');
      return pathTo(PATHS.preProceedings, { preProceedingsId: id });
    }),
});

export const preProceedingsPage = definePage({
  path: PATHS.preProceedings,
  view: 'social-care/views/pre-proceedings.njk',
  access: 'social-care:read',
  title: 'Pre-proceedings',
  params: preProceedingsParams,
  audit: ppAudit('pre-proceedings.viewed'),
  load: async (ctx) => {
    const { pp, episode } = await requirePreProceedings(ctx, ctx.params.preProceedingsId, 'read');
    const details = await preProceedingsDetails(ctx.db, pp);
    const today = todayIn(ctx.services.clock);
    const decided = pp.stepDecision === 'step-up' || pp.stepDecision === 'step-down';
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      pp,
      ...details,
      decided,
      lpmDecision: LPM_DECISION_LABELS[pp.lpmDecision as keyof typeof LPM_DECISION_LABELS],
      stepDecision: pp.stepDecision
        ? STEP_DECISION_LABELS[pp.stepDecision as keyof typeof STEP_DECISION_LABELS]
        : null,
      outcome: pp.outcome ? PP_OUTCOME_LABELS[pp.outcome as keyof typeof PP_OUTCOME_LABELS] : null,
      methods: FGDM_OFFER_METHOD_LABELS,
      timeline: preProceedingsTimeline(ctx.services.calendar, details.facts, today),
      census: preProceedingsItems(details.facts, today),
      canWrite: ctx.user.permissions.has('social-care:write') && !episode.closureDate,
      canDecideFgdm: ctx.user.permissions.has('social-care:authorise') && !episode.closureDate,
      // The letters, for those who work the case and may add them to the child's documents (the letter page).
      letters:
        pp.startedOn && mayProduceLetters(ctx.user) && ctx.user.permissions.has('social-care:write')
          ? {
              lbp: letterPath('letter-before-proceedings', 'pre-proceedings', pp.id),
              offers: details.offers.map((o) => ({
                name: o.name,
                href: letterPath('fgdm-offer', 'fgdm-offer', o.id),
              })),
            }
          : null,
    };
  },
});

type PpFormData = Awaited<ReturnType<typeof ppForForm>>;

/**
 * A form recording one step on a pre-proceedings record: write access to the record (its header and version above
 * the form), the view audited as `viewed`, the step's date opening at today (with any other `defaults` the page's own
 * data brings), and the record's page once saved. `save` records the step and returns what the flash says; with
 * `censusDates` a census rule it breaks comes back as field errors on those dates (or asks for an explanation).
 */
function ppStepPage<F, D extends { [key: string]: unknown; defaults?: Record<string, unknown> }>(spec: {
  path: string;
  view: string;
  title: string;
  viewed: string;
  form: (today: string) => z.ZodType<F>;
  dateField: string;
  data?: (
    ctx: PageContext<{ preProceedingsId: string }, Record<string, never>>,
    base: PpFormData,
  ) => Promise<D>;
  censusDates?: readonly string[];
  save: (ctx: PageContext<{ preProceedingsId: string }, Record<string, never>>, form: F) => Promise<string>;
}): PageDefinition {
  return definePage({
    path: spec.path,
    view: spec.view,
    access: 'social-care:write',
    title: spec.title,
    params: preProceedingsParams,
    form: ({ today }) => spec.form(today),
    audit: ppAudit(spec.viewed),
    load: async (ctx) => {
      const base = await ppForForm(ctx);
      const own = spec.data ? await spec.data(ctx, base) : undefined;
      return {
        ...base,
        ...own,
        defaults: { ...dateToParts(spec.dateField, todayIn(ctx.services.clock)), ...own?.defaults },
      };
    },
    submit: async (ctx, form) => {
      const saved = async () => {
        ctx.flash(await spec.save(ctx, form));
        return toPp(ctx);
      };
      return spec.censusDates ? withCensusRules(ctx, spec.censusDates, saved) : saved();
    },
  });
}

export const letterBeforeProceedingsPage = ppStepPage({
  path: PATHS.letterBeforeProceedings,
  view: 'social-care/views/pre-proceedings-letter.njk',
  title: 'Record the letter before proceedings',
  viewed: 'pre-proceedings.letter-viewed',
  form: letterBeforeProceedingsForm,
  dateField: 'sentOn',
  data: async (ctx, base) => {
    const details = await preProceedingsDetails(ctx.db, base.pp);
    return {
      holders: details.notYetOffered.map((h) => ({
        value: h.personId,
        text: h.name,
        hint: { text: h.kind },
      })),
      offers: details.offers,
      methods: FGDM_OFFER_METHOD_LABELS,
      defaults: { offerTo: details.notYetOffered.map((h) => h.personId) },
    };
  },
  censusDates: ['sentOn'],
  save: async (ctx, form) => {
    await recordLetterBeforeProceedings(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      sentOn: form.sentOn!,
      offerTo: form.offerTo,
      version: form.version,
      queryExplanation: form.queryExplanation,
    });
    return 'Letter before proceedings recorded';
  },
});

export const newFgdmOfferPage = ppStepPage({
  path: PATHS.newFgdmOffer,
  view: 'social-care/views/fgdm-offer-new.njk',
  title: 'Record an offer of a family group decision making meeting',
  viewed: 'fgdm.offer-new-viewed',
  form: fgdmOfferForm,
  dateField: 'offeredOn',
  data: async (ctx, base) => {
    const details = await preProceedingsDetails(ctx.db, base.pp);
    return {
      people: details.notYetOffered.map((h) => ({ value: h.personId, text: `${h.name} (${h.kind})` })),
      methods: options(FGDM_OFFER_METHODS, FGDM_OFFER_METHOD_LABELS),
    };
  },
  save: async (ctx, form) => {
    await recordFgdmOffer(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      personId: form.personId,
      offeredOn: form.offeredOn!,
      method: form.method,
      version: form.version,
    });
    return 'Offer recorded';
  },
});

export const fgdmResponsePage = definePage({
  path: PATHS.fgdmResponse,
  view: 'social-care/views/fgdm-response.njk',
  access: 'social-care:write',
  title: 'Record the answer to the offer',
  params: z.object({ offerId: z.uuid() }),
  form: ({ today }) => fgdmResponseForm(today),
  audit: {
    action: 'fgdm.response-viewed',
    subjectType: 'pre-proceedings',
    subject: (_ctx: unknown, data: { pp: { id: string }; header: { childId: string } }) => ({
      subjectId: data.pp.id,
      childId: data.header.childId,
    }),
  },
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { offer, pp, episode } = await requireFgdmOffer(ctx, ctx.params.offerId, 'write');
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      pp,
      offer,
      saved: { version: String(offer.version) },
      defaults: dateToParts('respondedOn', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) => {
    await recordFgdmResponse(ctx, {
      offerId: ctx.params.offerId,
      response: form.response,
      respondedOn: form.respondedOn!,
      version: form.version,
    });
    const { pp } = await requireFgdmOffer(ctx, ctx.params.offerId, 'read');
    ctx.flash('Answer recorded');
    return pathTo(PATHS.preProceedings, { preProceedingsId: pp.id });
  },
});

export const fgdmReferralPage = ppStepPage({
  path: PATHS.fgdmReferral,
  view: 'social-care/views/fgdm-referral.njk',
  title: 'Record the referral to the FGDM service',
  viewed: 'fgdm.referral-viewed',
  form: fgdmReferralForm,
  dateField: 'referredOn',
  save: async (ctx, form) => {
    await recordFgdmReferral(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      referredOn: form.referredOn!,
      service: form.service,
      version: form.version,
    });
    return 'Referral recorded';
  },
});

export const newFgdmMeetingPage = ppStepPage({
  path: PATHS.newFgdmMeeting,
  view: 'social-care/views/fgdm-meeting-new.njk',
  title: 'Record a family group decision making meeting',
  viewed: 'fgdm.meeting-new-viewed',
  form: fgdmMeetingForm,
  dateField: 'heldOn',
  save: async (ctx, form) => {
    await recordFgdmMeeting(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      heldOn: form.heldOn!,
      attendees: form.attendees,
      familyPlan: form.familyPlan,
      version: form.version,
    });
    return 'Family group decision making meeting recorded';
  },
});

export const fgdmNotInInterestsPage = definePage({
  path: PATHS.fgdmNotInInterests,
  view: 'social-care/views/fgdm-not-in-interests.njk',
  access: 'social-care:authorise',
  title: 'Decide a family group decision making meeting is not in the child’s interests',
  params: preProceedingsParams,
  form: ({ today }) => fgdmNotInInterestsForm(today),
  audit: ppAudit('fgdm.not-in-interests-viewed'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:authorise');
    const { pp, episode } = await requirePreProceedings(ctx, ctx.params.preProceedingsId, 'write');
    return {
      pp,
      header: await episodeHeader(ctx.db, episode, ctx.now),
      saved: { version: String(pp.version) },
      defaults: dateToParts('decidedOn', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) => {
    await recordFgdmNotInInterests(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      decidedOn: form.decidedOn!,
      rationale: form.rationale,
      version: form.version,
    });
    ctx.flash('Decision recorded');
    return toPp(ctx);
  },
});

export const newPreProceedingsMeetingPage = ppStepPage({
  path: PATHS.newPreProceedingsMeeting,
  view: 'social-care/views/pre-proceedings-meeting-new.njk',
  title: 'Record a pre-proceedings meeting',
  viewed: 'pre-proceedings.meeting-new-viewed',
  form: preProceedingsMeetingForm,
  dateField: 'heldOn',
  data: async (_ctx, base) => ({ defaults: { kind: base.pp.initialMeetingOn ? 'review' : 'initial' } }),
  censusDates: ['heldOn'],
  save: async (ctx, form) => {
    await recordPreProceedingsMeeting(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      kind: form.kind,
      heldOn: form.heldOn!,
      notes: form.notes,
      version: form.version,
      queryExplanation: form.queryExplanation,
    });
    return form.kind === 'initial' ? 'Initial meeting recorded' : 'Review meeting recorded';
  },
});

export const stepDecisionPage = ppStepPage({
  path: PATHS.stepDecision,
  view: 'social-care/views/pre-proceedings-decision.njk',
  title: 'Record the decision to step up or down',
  viewed: 'pre-proceedings.decision-viewed',
  form: stepDecisionForm,
  dateField: 'decidedOn',
  data: async () => ({
    decisions: options(STEP_DECISIONS, STEP_DECISION_LABELS),
    outcomes: options(PP_OUTCOMES, PP_OUTCOME_LABELS),
  }),
  censusDates: ['decidedOn', 'courtApplicationOn', 'letterInitiatingOn'],
  save: async (ctx, form) => {
    await recordStepDecision(ctx, {
      preProceedingsId: ctx.params.preProceedingsId,
      decidedOn: form.decidedOn!,
      decision: form.decision,
      outcome: form.outcome ?? null,
      courtApplicationOn: form.courtApplicationOn ?? null,
      letterInitiatingOn: form.letterInitiatingOn ?? null,
      version: form.version,
      queryExplanation: form.queryExplanation,
    });
    return 'Decision recorded';
  },
});

export const preProceedingsPages = [
  newLegalPlanningMeetingPage,
  preProceedingsPage,
  letterBeforeProceedingsPage,
  newFgdmOfferPage,
  fgdmResponsePage,
  fgdmReferralPage,
  newFgdmMeetingPage,
  fgdmNotInInterestsPage,
  newPreProceedingsMeetingPage,
  stepDecisionPage,
];
