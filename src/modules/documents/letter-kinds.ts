import { z } from 'zod';

/**
 * The kinds of letter Threshold produces and, for each, the fields its template may use (issue 23). A template is
 * checked against its kind's fields when an administrator saves it, and is rendered with only those fields, parsed
 * through the same schema, so a letter never shows something its kind does not declare.
 *
 * Every kind has the common fields (the child, the family's names, the worker, the authority, today's date); each
 * adds its own. The fields are words ready to print (dates already written as "7 December 2026").
 */

const text = z.string();
const optionalText = z.string().nullable().optional();

export const commonFields = {
  child: z.object({ firstName: text, fullName: text, dateOfBirth: optionalText }),
  /** The parents and carers the letter is addressed to, as one phrase ("Sam Smith and Alex Jones"), or empty. */
  parentNames: text,
  worker: z.object({ name: text }),
  authority: z.object({ name: text }),
  today: text,
};

const planFields = {
  plan: z.object({ startedOn: text, reviewOn: optionalText, goals: z.array(text) }),
};
/**
 * A meeting the family is invited to. Threshold records conferences and core groups when they are held, so a source
 * fills in the date it is due by (when there is one: a later core group's date is agreed at the one before) and
 * leaves the time and place for the worker to add when they edit the letter.
 */
const meeting = z.object({ date: optionalText, time: optionalText, venue: optionalText });

export const LETTER_KINDS = {
  'referrer-feedback': {
    label: 'Feedback to a referrer',
    fields: {
      referrer: z.object({ name: optionalText }),
      reference: text,
      receivedOn: text,
      childNames: text,
      outcome: text,
    },
  },
  'conference-invitation': {
    label: 'Invitation to a child protection conference',
    fields: { conference: z.object({ kind: text, date: text, time: optionalText, venue: optionalText }) },
  },
  'core-group-invitation': { label: 'Invitation to a core group meeting', fields: { meeting } },
  'cin-plan-family': { label: 'Family’s copy of a child in need plan', fields: planFields },
  'cp-plan-family': { label: 'Family’s copy of a child protection plan', fields: planFields },
  'early-help-plan-family': { label: 'Family’s copy of an early help plan', fields: planFields },
  'child-friendly-plan': { label: 'Child-friendly version of a plan', fields: planFields },
  'review-outcome': {
    label: 'Outcome of a review',
    fields: { review: z.object({ date: text, outcome: text }) },
  },
  'closure-letter': {
    label: 'Closure letter',
    fields: { closure: z.object({ date: text, reason: text }) },
  },
  'step-down-family': {
    label: 'Step-down letter to the family',
    fields: { stepDown: z.object({ date: text, leadPractitioner: optionalText }) },
  },
  'step-down-lead-practitioner': {
    label: 'Step-down letter to the new lead practitioner',
    fields: { reference: text, stepDown: z.object({ date: text, leadPractitioner: optionalText }) },
  },
  /** From the pre-proceedings record (social care's `preProceedingsLetterSource`). */
  'letter-before-proceedings': {
    label: 'Letter before proceedings',
    fields: {
      concerns: z.array(text),
      /** The offer of a family group decision making meeting, in words, naming each person it is made to. */
      fgdmOffer: text,
      legalPlanningMeeting: z.object({ date: text }),
      /** The date the initial pre-proceedings meeting is due by (the 16-week timeline). */
      initialMeetingBy: optionalText,
      /** Week 16 of pre-proceedings: when the decision to go to court or not is due. */
      decisionBy: optionalText,
    },
  },
  /** One per person with parental responsibility offered a meeting (social care's `fgdmOfferLetterSource`). */
  'fgdm-offer': {
    label: 'Offer of a family group decision making meeting',
    fields: {
      offer: z.object({ to: text, date: text }),
      /** The FGDM service the family is referred to, once recorded. */
      service: optionalText,
    },
  },
} as const;

export type LetterKind = keyof typeof LETTER_KINDS;
export const LETTER_KIND_KEYS = Object.keys(LETTER_KINDS) as LetterKind[];

export function isLetterKind(value: string): value is LetterKind {
  return Object.hasOwn(LETTER_KINDS, value);
}

/** The schema of everything a kind's template may use: the common fields and the kind's own. */
export function fieldsSchema(kind: LetterKind) {
  return z.object({ ...commonFields, ...LETTER_KINDS[kind].fields });
}

export type LetterFields = Record<string, unknown>;

const commonSample = {
  child: { firstName: 'Jamie', fullName: 'Jamie Sample', dateOfBirth: '4 March 2016' },
  parentNames: 'Sam Sample and Alex Sample',
  worker: { name: 'Robin Worker' },
  authority: { name: 'Sample Borough Council' },
  today: '7 December 2026',
};
const samplePlan = {
  plan: {
    startedOn: '2 November 2026',
    reviewOn: '1 February 2027',
    goals: ['Jamie goes to school every day', 'Jamie has a settled bedtime routine'],
  },
};
const sampleMeeting = { date: '14 December 2026', time: '10am', venue: 'Civic Centre, Room 2' };

/** Made-up data for each kind, for the administrator's preview. */
export const SAMPLE_FIELDS: Record<LetterKind, LetterFields> = {
  'referrer-feedback': {
    referrer: { name: 'Pat Teacher' },
    reference: 'C-000123',
    receivedOn: '1 December 2026',
    childNames: 'Jamie Sample',
    outcome: 'A social worker will carry out an assessment with the family.',
  },
  'conference-invitation': { conference: { kind: 'initial', ...sampleMeeting } },
  'core-group-invitation': { meeting: sampleMeeting },
  'cin-plan-family': samplePlan,
  'cp-plan-family': samplePlan,
  'early-help-plan-family': samplePlan,
  'child-friendly-plan': samplePlan,
  'review-outcome': { review: { date: '5 December 2026', outcome: 'The plan continues for three months.' } },
  'closure-letter': { closure: { date: '5 December 2026', reason: 'The plan’s goals have been met.' } },
  'step-down-family': { stepDown: { date: '8 December 2026', leadPractitioner: 'Lee Practitioner' } },
  'step-down-lead-practitioner': {
    reference: 'C-000123',
    stepDown: { date: '8 December 2026', leadPractitioner: 'Lee Practitioner' },
  },
  'letter-before-proceedings': {
    concerns: ['Jamie has missed 40 days of school this term'],
    fgdmOffer:
      'We are offering a family group decision making meeting to Sam Sample and Alex Sample. At the meeting your family and friends make a plan together to keep Jamie safe.',
    legalPlanningMeeting: { date: '30 November 2026' },
    initialMeetingBy: '21 December 2026',
    decisionBy: '22 March 2027',
  },
  'fgdm-offer': {
    offer: { to: 'Sam Sample', date: '7 December 2026' },
    service: 'Sample Family Group Conference Service',
  },
};

export function sampleFieldsFor(kind: LetterKind): LetterFields {
  return { ...commonSample, ...SAMPLE_FIELDS[kind] };
}
