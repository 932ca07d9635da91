import { z } from 'zod';
import {
  choice,
  govukDate,
  optionalChoice,
  optionalText,
  recordVersion,
  requiredText,
} from '../../kernel/forms/fields.ts';
import { QUERY_FIELD } from './census-queries.ts';
import {
  FGDM_OFFER_METHODS,
  FGDM_RESPONSES,
  LPM_DECISIONS,
  PP_OUTCOMES,
  STEP_DECISIONS,
} from './pre-proceedings.ts';

/** Form schemas for the pre-proceedings and FGDM pages: dates of things that happened are today or earlier. */

const past = (label: string, today: string, required = true) =>
  govukDate({ label, required, when: 'past', today: () => today });
const explanation = {
  [QUERY_FIELD]: optionalText(5000, 'The explanation must be 5,000 characters or fewer'),
};
const version = { version: recordVersion() };
const idList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)).max(50),
);

export const legalPlanningMeetingForm = (today: string) =>
  z.object({
    heldOn: past('Date of the legal planning meeting', today),
    attendees: requiredText('Enter who attended the legal planning meeting', 5000),
    decision: choice(LPM_DECISIONS, 'Select what the legal planning meeting decided'),
    rationale: requiredText('Enter the reasons for the decision', 20_000),
    ...explanation,
  });

export const letterBeforeProceedingsForm = (today: string) =>
  z.object({
    sentOn: past('Date the letter before proceedings was sent', today),
    offerTo: idList,
    ...version,
    ...explanation,
  });

export const fgdmOfferForm = (today: string) =>
  z.object({
    personId: requiredText('Choose who the offer was made to', 100),
    offeredOn: past('Date of the offer', today),
    method: choice(FGDM_OFFER_METHODS, 'Select how the offer was made'),
    ...version,
  });

export const fgdmResponseForm = (today: string) =>
  z.object({
    response: choice(FGDM_RESPONSES, 'Select whether they accepted or declined the offer'),
    respondedOn: past('Date of their answer', today),
    ...version,
  });

export const fgdmReferralForm = (today: string) =>
  z.object({
    referredOn: past('Date of the referral', today),
    service: requiredText('Enter the FGDM service referred to', 200),
    ...version,
  });

export const fgdmMeetingForm = (today: string) =>
  z.object({
    heldOn: past('Date of the meeting', today),
    attendees: requiredText('Enter who came to the meeting', 5000),
    familyPlan: requiredText('Record the family’s plan', 20_000),
    ...version,
  });

export const fgdmNotInInterestsForm = (today: string) =>
  z.object({
    decidedOn: past('Date of the decision', today),
    rationale: requiredText('Give the reasons a meeting is not in the child’s interests', 20_000),
    ...version,
  });

export const preProceedingsMeetingForm = (today: string) =>
  z.object({
    kind: choice(['initial', 'review'] as const, 'Select which meeting this was'),
    heldOn: past('Date of the meeting', today),
    notes: requiredText('Summarise the meeting', 20_000),
    ...version,
    ...explanation,
  });

export const stepDecisionForm = (today: string) =>
  z.object({
    decidedOn: past('Date of the decision', today),
    decision: choice(STEP_DECISIONS, 'Select the decision'),
    outcome: optionalChoice(PP_OUTCOMES, 'Select the outcome of pre-proceedings'),
    courtApplicationOn: past('Date of the court application', today, false),
    letterInitiatingOn: past('Date of the letter initiating care proceedings', today, false),
    ...version,
    ...explanation,
  });

/** Correcting the record after saving: the legal planning meeting, and each later step once it was recorded. */
export const correctPreProceedingsForm = (today: string) =>
  z.object({
    heldOn: past('Date of the legal planning meeting', today),
    attendees: requiredText('Enter who attended the legal planning meeting', 5000),
    decision: choice(LPM_DECISIONS, 'Select what the legal planning meeting decided'),
    rationale: requiredText('Enter the reasons for the decision', 20_000),
    lbpSentOn: past('Date the letter before proceedings was sent', today, false),
    initialMeetingOn: past('Date of the initial pre-proceedings meeting', today, false),
    fgdmReferredOn: past('Date of the referral to the FGDM service', today, false),
    fgdmService: optionalText(200, 'The FGDM service must be 200 characters or fewer'),
    stepDecision: optionalChoice(STEP_DECISIONS, 'Select the decision'),
    stepDecisionOn: past('Date of the decision', today, false),
    outcome: optionalChoice(PP_OUTCOMES, 'Select the outcome of pre-proceedings'),
    courtApplicationOn: past('Date of the court application', today, false),
    letterInitiatingOn: past('Date of the letter initiating care proceedings', today, false),
    ...version,
    ...explanation,
  });

export const correctReviewMeetingForm = (today: string) =>
  z.object({
    heldOn: past('Date of the meeting', today),
    notes: requiredText('Summarise the meeting', 20_000),
    ...version,
  });

export const correctFgdmOfferForm = (today: string) =>
  z.object({
    offeredOn: past('Date of the offer', today),
    method: choice(FGDM_OFFER_METHODS, 'Select how the offer was made'),
    response: optionalChoice(FGDM_RESPONSES, 'Select whether they accepted or declined the offer'),
    respondedOn: past('Date of their answer', today, false),
    ...version,
  });
