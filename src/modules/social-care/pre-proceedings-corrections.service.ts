import { sql } from 'kysely';
import { NotFoundError } from '../../kernel/errors.ts';
import { requirePermission, type ReadContext, type ServiceContext } from '../../kernel/service/index.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { enforce, practiceError } from './census-queries.ts';
import { censusYearQuery, initialMeetingAfterStart, rule8831, rule9006 } from './census-rules.ts';
import { assertOpen, checkVersion, type ChronologyEntry } from './episode.service.ts';
import {
  FGDM_OFFER_METHOD_LABELS,
  preProceedingsItems,
  type FgdmOfferMethod,
  type FgdmResponse,
  type LpmDecision,
  type StepDecision,
} from './pre-proceedings.ts';
import {
  bump,
  bumpRow,
  decided,
  explain,
  forChange,
  notePreProceedings,
  preProceedingsDetails,
  type PreProceedingsRow,
  requireFgdmOffer,
  requirePreProceedings,
  stepDecisionRules,
} from './pre-proceedings.service.ts';

/**
 * Corrections after saving (issue 22): each part of a pre-proceedings record (the legal planning meeting, the letter
 * before proceedings, the meetings, the decision and its outcome, the court application and the letter initiating
 * proceedings, the FGDM offers, referral and meetings) is corrected from its own form, with the version it was read
 * at checked in the UPDATE. The census module 5 rules are checked again as at entry; a step once recorded is
 * corrected, never removed. Each correction is audited with what it was before and after, and noted on the chronology.
 */

const CHANGE_LABELS: Record<string, string> = {
  lpmHeldOn: 'date of the legal planning meeting',
  lpmAttendees: 'who attended the legal planning meeting',
  lpmDecision: 'the legal planning meeting’s decision',
  lpmRationale: 'the reasons for the decision',
  lbpSentOn: 'date the letter before proceedings was sent',
  initialMeetingOn: 'date of the initial meeting',
  fgdmReferredOn: 'date of the referral to the FGDM service',
  fgdmService: 'the FGDM service',
  stepDecision: 'the decision to step up or down',
  stepDecisionOn: 'date of the decision',
  outcome: 'the outcome',
  courtApplicationOn: 'date of the court application',
  letterInitiatingOn: 'date of the letter initiating proceedings',
  heldOn: 'date of the meeting',
  notes: 'the summary of the meeting',
  attendees: 'who came',
  familyPlan: 'the family’s plan',
  offeredOn: 'date of the offer',
  method: 'how the offer was made',
  response: 'the answer',
  respondedOn: 'date of the answer',
};

/** The fields that differ, with their values before and after, for the audit trail and the chronology. */
function differences<T extends Record<string, unknown>>(before: T, after: T) {
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  return {
    changed,
    details: {
      changed,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    },
    summary: `Corrected: ${changed.map((k) => CHANGE_LABELS[k] ?? k).join(', ')}`,
  };
}

/**
 * Saves a correction to one part of a record (a review meeting, an FGDM meeting or offer): nothing when no answer
 * changed; otherwise the part's new answers, checked against the version the form was read at (a ConflictError when
 * stale), audited with the part's id and what changed (before and after), and noted on the chronology.
 */
async function savePartCorrection<T extends Record<string, string | null>>(
  ctx: ServiceContext,
  pp: PreProceedingsRow,
  part: {
    table: 'preProceedingsReviews' | 'fgdmMeetings' | 'fgdmOffers';
    id: string;
    version: number;
    before: T;
    after: T;
    action: string;
    details: Record<string, string>;
  } & ChronologyEntry,
): Promise<{ changed: string[] }> {
  const { table, id, version, before, after, action, details, ...entry } = part;
  const diff = differences(before, after);
  if (!diff.changed.length) return { changed: [] };
  await bumpRow(ctx, table, id, version, after);
  await notePreProceedings(ctx, pp, { action, details: { ...details, ...diff.details }, ...entry });
  return { changed: diff.changed };
}

// The record itself --------------------------------------------------------------------------------------------------

export interface PreProceedingsCorrection {
  preProceedingsId: string;
  version: number;
  heldOn: string;
  attendees: string;
  decision: LpmDecision;
  rationale: string;
  /** The later steps: each is corrected only once it was recorded (null otherwise, and ignored). */
  lbpSentOn: string | null;
  initialMeetingOn: string | null;
  fgdmReferredOn: string | null;
  fgdmService: string | null;
  stepDecision: StepDecision | null;
  stepDecisionOn: string | null;
  outcome: string | null;
  courtApplicationOn: string | null;
  letterInitiatingOn: string | null;
  queryExplanation?: string | undefined;
}

/** Corrects the record's own answers: the legal planning meeting and the dates and decisions recorded since. */
export async function correctPreProceedings(
  ctx: ServiceContext,
  input: PreProceedingsCorrection,
): Promise<{ changed: string[] }> {
  const { pp, episode } = await forChange(ctx, input.preProceedingsId, input.version);
  const today = isoDateOf(ctx.now);
  const details = await preProceedingsDetails(ctx.db, pp);
  const kept = <T>(was: T | null, now: T | null, field: string, what: string) => ({
    value: was === null ? null : now,
    missing: was !== null && (now === null || now === '') ? practiceError(field, `Enter the ${what}`) : null,
  });
  const lbp = kept(pp.lbpSentOn, input.lbpSentOn, 'lbpSentOn', 'date the letter before proceedings was sent');
  const initial = kept(
    pp.initialMeetingOn,
    input.initialMeetingOn,
    'initialMeetingOn',
    'date of the initial meeting',
  );
  const referred = kept(pp.fgdmReferredOn, input.fgdmReferredOn, 'fgdmReferredOn', 'date of the referral');
  const service = kept(pp.fgdmService, input.fgdmService, 'fgdmService', 'FGDM service referred to');
  const step = kept(pp.stepDecision, input.stepDecision, 'stepDecision', 'decision');
  const stepOn = kept(pp.stepDecisionOn, input.stepDecisionOn, 'stepDecisionOn', 'date of the decision');
  const startedOn = input.decision === 'start' ? input.heldOn : null;
  const laterSteps =
    pp.lbpSentOn ||
    pp.initialMeetingOn ||
    pp.stepDecision ||
    details.offers.length ||
    details.meetings.length ||
    details.reviews.length;
  const otherOpen =
    input.decision === 'start' && pp.lpmDecision !== 'start'
      ? await ctx.db
          .selectFrom('preProceedings')
          .select('id')
          .where('episodeId', '=', episode.id)
          .where('id', '!=', pp.id)
          .where('startedOn', 'is not', null)
          .where((eb) => eb.or([eb('stepDecision', 'is', null), eb('stepDecision', '=', 'continue')]))
          .executeTakeFirst()
      : undefined;
  const firstOffer = details.offers.map((o) => o.offeredOn).sort()[0];
  const firstAccepted = details.offers
    .filter((o) => o.response === 'accepted')
    .map((o) => o.respondedOn!)
    .sort()[0];
  const firstFgdmMeeting = details.meetings[0]?.heldOn;
  const firstReview = details.reviews[0]?.heldOn;
  const lbpOffers = details.offers.filter((o) => o.method === 'letter-before-proceedings');
  const stepFacts = { ...details.facts, stepDecision: null, stepDecisionOn: null };
  const stepRules =
    step.value && stepOn.value
      ? stepDecisionRules(
          { ...pp, lpmDecision: input.decision, lpmHeldOn: input.heldOn, startedOn },
          {
            decision: step.value as StepDecision,
            decidedOn: stepOn.value,
            outcome: input.outcome,
            courtApplicationOn: input.courtApplicationOn,
            letterInitiatingOn: input.letterInitiatingOn,
          },
          today,
          preProceedingsItems(stepFacts, today),
        )
      : [];
  const queries = enforce(
    [
      lbp.missing,
      initial.missing,
      referred.missing,
      service.missing,
      step.missing,
      stepOn.missing,
      rule8831(episode.referralNfa, 'legal planning meeting', 'heldOn'),
      input.heldOn < episode.referralDate
        ? practiceError('heldOn', 'The legal planning meeting cannot be before the referral')
        : null,
      input.decision !== pp.lpmDecision && laterSteps
        ? practiceError(
            'decision',
            'Later steps are recorded on these pre-proceedings, so the legal planning meeting’s decision cannot be changed',
          )
        : null,
      otherOpen ? practiceError('decision', 'Pre-proceedings are already under way on this episode') : null,
      startedOn
        ? censusYearQuery('9005', input.heldOn, today, 'date pre-proceedings started', 'heldOn')
        : null,
      firstOffer && input.heldOn > firstOffer
        ? practiceError(
            'heldOn',
            `The legal planning meeting cannot be after the first FGDM offer (${formatDateGovUk(firstOffer)})`,
          )
        : null,
      lbp.value ? rule9006(lbp.value, startedOn, 'lbpSentOn') : null,
      lbp.value && lbp.value !== pp.lbpSentOn
        ? censusYearQuery(
            '9006',
            lbp.value,
            today,
            'date the letter before proceedings was sent',
            'lbpSentOn',
          )
        : null,
      lbp.value && lbpOffers.some((o) => o.respondedOn && o.respondedOn < lbp.value!)
        ? practiceError('lbpSentOn', 'The letter cannot be after an answer to the offer it made')
        : null,
      initial.value ? initialMeetingAfterStart(initial.value, startedOn, 'initialMeetingOn') : null,
      initial.value && initial.value !== pp.initialMeetingOn
        ? censusYearQuery(
            '9008',
            initial.value,
            today,
            'date of the first pre-proceedings meeting',
            'initialMeetingOn',
          )
        : null,
      initial.value && firstReview && initial.value > firstReview
        ? practiceError('initialMeetingOn', 'The initial meeting cannot be after a review meeting')
        : null,
      referred.value && firstAccepted && referred.value < firstAccepted
        ? practiceError('fgdmReferredOn', 'The referral cannot be before the offer was accepted')
        : null,
      referred.value && firstFgdmMeeting && referred.value > firstFgdmMeeting
        ? practiceError('fgdmReferredOn', 'The referral cannot be after a meeting was held')
        : null,
      ...stepRules,
    ],
    input.queryExplanation,
  );
  const final = step.value === 'step-up' || step.value === 'step-down';
  const before = {
    lpmHeldOn: pp.lpmHeldOn,
    lpmAttendees: pp.lpmAttendees,
    lpmDecision: pp.lpmDecision,
    lpmRationale: pp.lpmRationale,
    lbpSentOn: pp.lbpSentOn,
    initialMeetingOn: pp.initialMeetingOn,
    fgdmReferredOn: pp.fgdmReferredOn,
    fgdmService: pp.fgdmService,
    stepDecision: pp.stepDecision,
    stepDecisionOn: pp.stepDecisionOn,
    outcome: pp.outcome,
    courtApplicationOn: pp.courtApplicationOn,
    letterInitiatingOn: pp.letterInitiatingOn,
  };
  const after = {
    lpmHeldOn: input.heldOn,
    lpmAttendees: input.attendees,
    lpmDecision: input.decision,
    lpmRationale: input.rationale,
    lbpSentOn: lbp.value,
    initialMeetingOn: initial.value,
    fgdmReferredOn: referred.value,
    fgdmService: service.value,
    stepDecision: step.value,
    stepDecisionOn: stepOn.value,
    outcome: step.value && final ? input.outcome : null,
    courtApplicationOn: step.value ? input.courtApplicationOn : null,
    letterInitiatingOn: step.value ? input.letterInitiatingOn : null,
  };
  const diff = differences(before, after);
  if (!diff.changed.length) return { changed: [] };
  await bump(ctx, pp.id, input.version, { ...after, startedOn });
  // An offer made in the letter before proceedings has the letter's date.
  if (lbp.value && lbp.value !== pp.lbpSentOn && lbpOffers.length)
    await ctx.db
      .updateTable('fgdmOffers')
      .set({ offeredOn: lbp.value, updatedAt: ctx.now, version: sql`version + 1` })
      .where('preProceedingsId', '=', pp.id)
      .where('method', '=', 'letter-before-proceedings')
      .execute();
  await explain(ctx, episode, pp.id, queries, input.queryExplanation);
  await notePreProceedings(ctx, pp, {
    action: 'pre-proceedings.corrected',
    details: diff.details,
    on: today,
    category: 'social-care',
    title: 'Pre-proceedings record corrected',
    summary: diff.summary,
  });
  return { changed: diff.changed };
}

// Review meetings ----------------------------------------------------------------------------------------------------

export async function requirePreProceedingsReview(
  ctx: ReadContext,
  reviewId: string,
  level: 'read' | 'write',
) {
  const review = await ctx.db
    .selectFrom('preProceedingsReviews')
    .select(['id', 'preProceedingsId', 'heldOn', 'notes', 'version'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
  if (!review) throw new NotFoundError();
  return { review, ...(await requirePreProceedings(ctx, review.preProceedingsId, level)) };
}

/** Corrects a pre-proceedings review meeting: its date (census ReviewMeetingsCount) and summary. */
export async function correctPreProceedingsReview(
  ctx: ServiceContext,
  input: { reviewId: string; version: number; heldOn: string; notes: string },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'social-care:write');
  const { review, pp, episode } = await requirePreProceedingsReview(ctx, input.reviewId, 'write');
  assertOpen(episode, 'form');
  checkVersion(review.version, input.version);
  enforce([
    pp.initialMeetingOn && input.heldOn < pp.initialMeetingOn
      ? practiceError('heldOn', 'A review meeting cannot be before the initial meeting')
      : null,
    decided(pp) && pp.stepDecisionOn && input.heldOn > pp.stepDecisionOn
      ? practiceError('heldOn', 'A review meeting cannot be after the decision to step up or down')
      : null,
  ]);
  return savePartCorrection(ctx, pp, {
    table: 'preProceedingsReviews',
    id: review.id,
    version: input.version,
    before: { heldOn: review.heldOn, notes: review.notes },
    after: { heldOn: input.heldOn, notes: input.notes },
    action: 'pre-proceedings.review-corrected',
    details: { reviewId: review.id },
    on: input.heldOn,
    category: 'meeting',
    title: 'Pre-proceedings review meeting corrected',
    summary: input.notes,
  });
}

// FGDM meetings and offers -----------------------------------------------------------------------------------------

export async function requireFgdmMeeting(ctx: ReadContext, meetingId: string, level: 'read' | 'write') {
  const meeting = await ctx.db
    .selectFrom('fgdmMeetings')
    .select(['id', 'preProceedingsId', 'heldOn', 'attendees', 'familyPlan', 'version'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) throw new NotFoundError();
  return { meeting, ...(await requirePreProceedings(ctx, meeting.preProceedingsId, level)) };
}

/** Corrects a family group decision making meeting: its date (census FGDMMeetingFac), who came and the plan. */
export async function correctFgdmMeeting(
  ctx: ServiceContext,
  input: { fgdmMeetingId: string; version: number; heldOn: string; attendees: string; familyPlan: string },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'social-care:write');
  const { meeting, pp, episode } = await requireFgdmMeeting(ctx, input.fgdmMeetingId, 'write');
  assertOpen(episode, 'form');
  checkVersion(meeting.version, input.version);
  const accepted = await ctx.db
    .selectFrom('fgdmOffers')
    .select('respondedOn')
    .where('preProceedingsId', '=', pp.id)
    .where('response', '=', 'accepted')
    .orderBy('respondedOn')
    .executeTakeFirst();
  enforce([
    pp.fgdmReferredOn && input.heldOn < pp.fgdmReferredOn
      ? practiceError('heldOn', 'The meeting cannot be before the referral to the FGDM service')
      : null,
    accepted?.respondedOn && input.heldOn < accepted.respondedOn
      ? practiceError('heldOn', 'The meeting cannot be before the offer was accepted')
      : null,
  ]);
  return savePartCorrection(ctx, pp, {
    table: 'fgdmMeetings',
    id: meeting.id,
    version: input.version,
    before: { heldOn: meeting.heldOn, attendees: meeting.attendees, familyPlan: meeting.familyPlan },
    after: { heldOn: input.heldOn, attendees: input.attendees, familyPlan: input.familyPlan },
    action: 'fgdm.meeting-corrected',
    details: { meetingId: meeting.id },
    on: input.heldOn,
    category: 'meeting',
    title: 'Family group decision making meeting corrected',
    summary: input.familyPlan,
  });
}

export interface FgdmOfferCorrection {
  offerId: string;
  version: number;
  offeredOn: string;
  method: FgdmOfferMethod;
  response: FgdmResponse | null;
  respondedOn: string | null;
}

/**
 * Corrects an FGDM offer: when and how it was made (census FGDMMeetingOffer counts an offer made in the letter before
 * proceedings), and the person's answer (FGDMMeetingFac).
 */
export async function correctFgdmOffer(
  ctx: ServiceContext,
  input: FgdmOfferCorrection,
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'social-care:write');
  const { offer, pp, episode } = await requireFgdmOffer(ctx, input.offerId, 'write');
  assertOpen(episode, 'form');
  checkVersion(offer.version, input.version);
  const otherAccepted = await ctx.db
    .selectFrom('fgdmOffers')
    .select('id')
    .where('preProceedingsId', '=', pp.id)
    .where('id', '!=', offer.id)
    .where('response', '=', 'accepted')
    .executeTakeFirst();
  const meetingHeld = await ctx.db
    .selectFrom('fgdmMeetings')
    .select('id')
    .where('preProceedingsId', '=', pp.id)
    .executeTakeFirst();
  const inLetter = input.method === 'letter-before-proceedings';
  enforce([
    input.offeredOn < pp.lpmHeldOn
      ? practiceError('offeredOn', 'The offer cannot be before the legal planning meeting')
      : null,
    inLetter && !pp.lbpSentOn
      ? practiceError('method', 'The letter before proceedings is not recorded as sent yet')
      : null,
    inLetter && pp.lbpSentOn && input.offeredOn !== pp.lbpSentOn
      ? practiceError(
          'offeredOn',
          `An offer made in the letter before proceedings has the letter’s date (${formatDateGovUk(pp.lbpSentOn)})`,
        )
      : null,
    input.response && !input.respondedOn
      ? practiceError('respondedOn', 'Enter the date of their answer')
      : null,
    !input.response && input.respondedOn
      ? practiceError('response', 'Select whether they accepted or declined the offer')
      : null,
    input.respondedOn && input.respondedOn < input.offeredOn
      ? practiceError('respondedOn', 'The answer cannot be before the offer was made')
      : null,
    offer.response === 'accepted' &&
    input.response !== 'accepted' &&
    !otherAccepted &&
    (meetingHeld || pp.fgdmReferredOn)
      ? practiceError(
          'response',
          'A referral or meeting is recorded after this acceptance, and nobody else accepted: correct those first',
        )
      : null,
  ]);
  return savePartCorrection(ctx, pp, {
    table: 'fgdmOffers',
    id: offer.id,
    version: input.version,
    before: {
      offeredOn: offer.offeredOn,
      method: offer.method,
      response: offer.response,
      respondedOn: offer.respondedOn,
    },
    after: {
      offeredOn: input.offeredOn,
      method: input.method,
      response: input.response,
      respondedOn: input.respondedOn,
    },
    action: 'fgdm.offer-corrected',
    details: { offerId: offer.id },
    on: input.offeredOn,
    category: 'social-care',
    title: `Family group decision making offer to ${offer.name} corrected`,
    summary: `${FGDM_OFFER_METHOD_LABELS[input.method]}, ${formatDateGovUk(input.offeredOn)}${input.response ? `: ${input.response} ${formatDateGovUk(input.respondedOn!)}` : ''}`,
  });
}
