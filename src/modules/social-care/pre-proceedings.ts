import { addCalendarDays } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { lastWorkingDayOnOrBefore } from './social-care.ts';

/**
 * Pre-proceedings under the Public Law Outline and family group decision making (issue 22): the words, the 2026-27
 * CIN census module 5 items derived from what was recorded, and the 16-week timeline. Pure: no database.
 */

export const LPM_DECISIONS = ['start', 'not-yet', 'issue-now'] as const;
export type LpmDecision = (typeof LPM_DECISIONS)[number];
export const LPM_DECISION_LABELS: Record<LpmDecision, string> = {
  start: 'Start pre-proceedings',
  'not-yet': 'Not yet: the threshold for pre-proceedings is not met',
  'issue-now': 'Issue care proceedings now (no pre-proceedings)',
};

export const STEP_DECISIONS = ['step-up', 'step-down', 'continue'] as const;
export type StepDecision = (typeof STEP_DECISIONS)[number];
export const STEP_DECISION_LABELS: Record<StepDecision, string> = {
  'step-up': 'Step up to care proceedings',
  'step-down': 'Step down from pre-proceedings',
  continue: 'Continue pre-proceedings',
};

/**
 * The census outcome codes (CS131). The census names the codes but the meanings here are Threshold's reading of the
 * draft module, still to verify against the 2026-27 specification (docs/domain.md, "Still to verify").
 */
export const PP_OUTCOMES = ['A', 'B', 'C'] as const;
export type PpOutcome = (typeof PP_OUTCOMES)[number];
export const PP_OUTCOME_LABELS: Record<PpOutcome, string> = {
  A: 'A: care or supervision order application made',
  B: 'B: stepped down, the child stays on a plan',
  C: 'C: ended for another reason (for example the child moved away)',
};

export const FGDM_OFFER_METHODS = ['letter-before-proceedings', 'in-person', 'letter'] as const;
export type FgdmOfferMethod = (typeof FGDM_OFFER_METHODS)[number];
export const FGDM_OFFER_METHOD_LABELS: Record<FgdmOfferMethod, string> = {
  'letter-before-proceedings': 'In the letter before proceedings',
  'in-person': 'In person',
  letter: 'By letter',
};

export const FGDM_RESPONSES = ['accepted', 'declined'] as const;
export type FgdmResponse = (typeof FGDM_RESPONSES)[number];

/** Threshold's practice standards for the pre-proceedings timeline (see docs/domain.md). */
export const LBP_WORKING_DAYS = 5;
export const INITIAL_MEETING_WORKING_DAYS = 10;
export const REVIEW_INTERVAL_WEEKS = 6;
export const FGDM_MEETING_WEEKS = 6;
export const PRE_PROCEEDINGS_WEEKS = 16;

/** What the census items and the timeline are worked out from: one pre-proceedings record as it stands. */
export interface PreProceedingsFacts {
  lpmHeldOn: string;
  startedOn: string | null;
  lbpSentOn: string | null;
  initialMeetingOn: string | null;
  stepDecisionOn: string | null;
  stepDecision: string | null;
  outcome: string | null;
  courtApplicationOn: string | null;
  letterInitiatingOn: string | null;
  fgdmNotInInterestsOn: string | null;
  /** The review meetings' dates. */
  reviews: readonly string[];
  offers: readonly {
    offeredOn: string;
    method: string;
    response: string | null;
    respondedOn: string | null;
  }[];
  /** The FGDM meetings' dates. */
  fgdmMeetings: readonly string[];
}

/** The 2026-27 CIN census module 5 items of one record (PreProceedingsandFGDM). */
export interface PreProceedingsItems {
  ppStartDate: string | null;
  lbpSentDate: string | null;
  fgdmMeetingOffer: boolean | null;
  fgdmMeetingFac: boolean | null;
  initialPpMeetingDate: string | null;
  reviewMeetingsCount: number | null;
  stepDecisionDate: string | null;
  ppOutcome: string | null;
  courtAppDate: string | null;
  letterInitCpDate: string | null;
}

/**
 * The census items, as the record stood on `asAt` (the reference date; anything dated after it had not happened):
 * - PPStartDate: the legal planning meeting's date when it decided to start pre-proceedings.
 * - FGDMMeetingOffer: 1 when the letter before proceedings offered a meeting (an offer made in it), 0 when a letter
 *   was sent without one (a manager decided a meeting was not in the child's interests); absent with no letter.
 * - FGDMMeetingFac: 1 once a meeting was held; 0 when offered but every offer was declined, a manager decided a
 *   meeting was not in the child's interests, or pre-proceedings ended with none held; absent while it is still open.
 * - ReviewMeetingsCount: the review meetings held, once a first meeting was held.
 * - StepDecisionDate and PPOutcome: the decision to step up or down (a decision to continue is not one).
 */
export function preProceedingsItems(f: PreProceedingsFacts, asAt: string): PreProceedingsItems {
  const by = (date: string | null) => (date && date <= asAt ? date : null);
  const lbpSentDate = by(f.lbpSentOn);
  const offers = f.offers.filter((o) => o.offeredOn <= asAt);
  const offeredInLetter = offers.some((o) => o.method === 'letter-before-proceedings');
  const fgdmMeetingOffer = offeredInLetter ? true : lbpSentDate ? false : null;
  const stepDecisionDate =
    f.stepDecision === 'step-up' || f.stepDecision === 'step-down' ? by(f.stepDecisionOn) : null;
  const held = f.fgdmMeetings.some((d) => d <= asAt);
  const answered = offers.filter((o) => o.respondedOn && o.respondedOn <= asAt);
  const allDeclined =
    offers.length > 0 &&
    answered.length === offers.length &&
    answered.every((o) => o.response === 'declined');
  let fgdmMeetingFac: boolean | null = null;
  if (held) fgdmMeetingFac = true;
  else if (fgdmMeetingOffer === true && (allDeclined || by(f.fgdmNotInInterestsOn) || stepDecisionDate))
    fgdmMeetingFac = false;
  const initialPpMeetingDate = by(f.initialMeetingOn);
  return {
    ppStartDate: by(f.startedOn),
    lbpSentDate,
    fgdmMeetingOffer,
    fgdmMeetingFac,
    initialPpMeetingDate,
    reviewMeetingsCount: initialPpMeetingDate ? f.reviews.filter((d) => d <= asAt).length : null,
    stepDecisionDate,
    ppOutcome: stepDecisionDate ? f.outcome : null,
    courtAppDate: by(f.courtApplicationOn),
    letterInitCpDate: by(f.letterInitiatingOn),
  };
}

export interface Milestone {
  key: 'lbp' | 'fgdm' | 'initial' | 'review' | 'decision';
  label: string;
  /** When it is due (null: not applicable yet). */
  dueOn: string | null;
  doneOn: string | null;
  /** How the due date is worked out, in words. */
  basis: string;
}

export interface Timeline {
  startedOn: string;
  weekSixteen: string;
  /** The week of pre-proceedings today falls in (1 on the start date), or null once the decision is made. */
  week: number | null;
  milestones: Milestone[];
  /** The next milestone due, or null when nothing is left. */
  next: Milestone | null;
}

const weeksAfter = (calendar: WorkingDayCalendar, date: string, weeks: number) =>
  lastWorkingDayOnOrBefore(calendar, addCalendarDays(date, weeks * 7));
const workingDaysAfter = (calendar: WorkingDayCalendar, date: string, days: number) =>
  calendar.addWorkingDays(calendar.nextWorkingDay(date), days);

/**
 * The 16-week timeline from the date pre-proceedings started (null when they were not started). Working-day
 * standards count working days after the date (ctx.calendar); weeks are calendar weeks, a due date falling on a
 * non-working day brought back to the working day before.
 */
export function preProceedingsTimeline(
  calendar: WorkingDayCalendar,
  f: PreProceedingsFacts,
  today: string,
): Timeline | null {
  if (!f.startedOn) return null;
  const start = f.startedOn;
  const decided = f.stepDecision === 'step-up' || f.stepDecision === 'step-down';
  const weekSixteen = weeksAfter(calendar, start, PRE_PROCEEDINGS_WEEKS);
  const lbpDue = workingDaysAfter(calendar, start, LBP_WORKING_DAYS);
  const milestones: Milestone[] = [
    {
      key: 'lbp',
      label: 'Letter before proceedings sent, offering a family group decision making meeting',
      dueOn: lbpDue,
      doneOn: f.lbpSentOn,
      basis: `${LBP_WORKING_DAYS} working days after the legal planning meeting`,
    },
  ];
  const accepted = f.offers.some((o) => o.response === 'accepted');
  if (accepted && !f.fgdmNotInInterestsOn)
    milestones.push({
      key: 'fgdm',
      label: 'Family group decision making meeting held',
      dueOn: weeksAfter(calendar, start, FGDM_MEETING_WEEKS),
      doneOn: f.fgdmMeetings[0] ?? null,
      basis: `${FGDM_MEETING_WEEKS} weeks after pre-proceedings started`,
    });
  milestones.push({
    key: 'initial',
    label: 'Initial pre-proceedings meeting',
    dueOn: workingDaysAfter(calendar, f.lbpSentOn ?? lbpDue, INITIAL_MEETING_WORKING_DAYS),
    doneOn: f.initialMeetingOn,
    basis: `${INITIAL_MEETING_WORKING_DAYS} working days after the letter before proceedings`,
  });
  if (f.initialMeetingOn) {
    let last = f.initialMeetingOn;
    for (const [i, held] of f.reviews.entries()) {
      milestones.push({
        key: 'review',
        label: `Review meeting ${i + 1}`,
        dueOn: weeksAfter(calendar, last, REVIEW_INTERVAL_WEEKS),
        doneOn: held,
        basis: `${REVIEW_INTERVAL_WEEKS} weeks after the last meeting`,
      });
      last = held;
    }
    if (!decided)
      milestones.push({
        key: 'review',
        label: `Review meeting ${f.reviews.length + 1}`,
        dueOn: weeksAfter(calendar, last, REVIEW_INTERVAL_WEEKS),
        doneOn: null,
        basis: `${REVIEW_INTERVAL_WEEKS} weeks after the last meeting`,
      });
  }
  milestones.push({
    key: 'decision',
    label: 'Decision to step up to proceedings or step down',
    dueOn: weekSixteen,
    doneOn: decided ? f.stepDecisionOn : null,
    basis: `week ${PRE_PROCEEDINGS_WEEKS}: ${PRE_PROCEEDINGS_WEEKS} weeks after pre-proceedings started`,
  });
  const open = decided ? [] : milestones.filter((m) => !m.doneOn && m.dueOn);
  const next = open.reduce<Milestone | null>((a, m) => (!a || m.dueOn! < a.dueOn! ? m : a), null);
  const days = Math.floor((Date.parse(today) - Date.parse(start)) / 86_400_000);
  return {
    startedOn: start,
    weekSixteen,
    week: decided || days < 0 ? null : Math.floor(days / 7) + 1,
    milestones,
    next,
  };
}
