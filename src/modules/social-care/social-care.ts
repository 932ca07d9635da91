import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { addCalendarDays, daysInMonth, formatIsoDate, parseIsoDate } from '../../kernel/time/index.ts';

/**
 * Children's social care: domain types, labels and the statutory clocks (docs/domain.md, "Statutory clocks"). Every clock counts
 * working days on the England and Wales calendar with the start day as day 1, the CIN census convention
 * (calendar.addWorkingDays(start, n)):
 *   - child and family assessment: 45 working days from the referral;
 *   - initial child protection conference: 15 working days from the (last) strategy discussion;
 *   - first core group: 10 working days from the initial conference;
 *   - statutory visits: every 10 working days under a CP plan, the authority's interval under a CIN plan;
 *   - review conferences: the first within 3 months of the initial conference, then at most every 6 months;
 *   - CIN plan reviews: every 12 weeks by default (the authority's setting).
 * "Within 3 months" ends on the last working day on or before the same date 3 months on.
 */

export const ASSESSMENT_WORKING_DAYS = 45;
export const ICPC_WORKING_DAYS = 15;
export const FIRST_CORE_GROUP_WORKING_DAYS = 10;
export const FIRST_REVIEW_MONTHS = 3;
export const LATER_REVIEW_MONTHS = 6;

export const ASSESSMENT_OUTCOMES = [
  'no-further-action',
  'early-help',
  'cin-plan',
  'strategy-discussion',
] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];
export const ASSESSMENT_OUTCOME_LABELS: Record<AssessmentOutcome, string> = {
  'no-further-action': 'No further action',
  'early-help': 'Early help: step down to family support',
  'cin-plan': 'Child in need plan',
  'strategy-discussion': 'Strategy discussion: reasonable cause to suspect significant harm',
};

export const STRATEGY_DECISIONS = ['section-47', 'cin-assessment', 'no-further-action'] as const;
export type StrategyDecision = (typeof STRATEGY_DECISIONS)[number];
export const STRATEGY_DECISION_LABELS: Record<StrategyDecision, string> = {
  'section-47': 'Start a section 47 enquiry',
  'cin-assessment': 'No section 47 enquiry: continue under section 17 with the assessment',
  'no-further-action': 'No further action',
};

export const S47_OUTCOMES = ['icpc', 'cin-plan', 'no-further-action'] as const;
export type S47Outcome = (typeof S47_OUTCOMES)[number];
export const S47_OUTCOME_LABELS: Record<S47Outcome, string> = {
  icpc: 'Concerns substantiated and the child is likely to suffer significant harm: initial child protection conference',
  'cin-plan': 'Conference not required: continue as a child in need',
  'no-further-action': 'Conference not required: no further action',
};

export const ICPC_OUTCOMES = ['cp-plan', 'cin-plan', 'no-further-action'] as const;
export type IcpcOutcome = (typeof ICPC_OUTCOMES)[number];
export const ICPC_OUTCOME_LABELS: Record<IcpcOutcome, string> = {
  'cp-plan': 'Child protection plan',
  'cin-plan': 'No child protection plan: child in need plan',
  'no-further-action': 'No child protection plan: no further action',
};

export const REVIEW_OUTCOMES = ['continue-plan', 'end-plan'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export const REVIEW_OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  'continue-plan': 'The child protection plan continues',
  'end-plan': 'The child protection plan ends',
};

export const CP_END_REASONS = [
  'conference-decision',
  'moved-to-another-authority',
  'became-looked-after',
  'child-died',
  'other',
] as const;
export type CpEndReason = (typeof CP_END_REASONS)[number];
export const CP_END_REASON_LABELS: Record<CpEndReason, string> = {
  'conference-decision': 'A review conference decided the child no longer needs a plan',
  'moved-to-another-authority': 'The child moved to another authority (transferred)',
  'became-looked-after': 'The child became looked after',
  'child-died': 'The child died',
  other: 'Other',
};

export const CIN_END_REASONS = [
  'child-protection-plan',
  'step-down',
  'closure',
  'transferred-out',
  'other',
] as const;
export type CinEndReason = (typeof CIN_END_REASONS)[number];
export const CIN_END_REASON_LABELS: Record<CinEndReason, string> = {
  'child-protection-plan': 'A child protection plan started',
  'step-down': 'Stepped down to early help',
  closure: 'The goals were met: the case is closing',
  'transferred-out': 'Transferred to another authority',
  other: 'Other',
};

export const CIN_REVIEW_DECISIONS = ['continue', 'step-down', 'close', 'escalate'] as const;
export type CinReviewDecision = (typeof CIN_REVIEW_DECISIONS)[number];
export const CIN_REVIEW_DECISION_LABELS: Record<CinReviewDecision, string> = {
  continue: 'Continue the plan',
  'step-down': 'Step down to early help, with a handover meeting',
  close: 'Close: the goals are met',
  escalate: 'Escalate: a strategy discussion is needed',
};

export const GOAL_RATINGS = ['achieved', 'progressing', 'not-progressing', 'not-started'] as const;
export type GoalRating = (typeof GOAL_RATINGS)[number];
export const GOAL_RATING_LABELS: Record<GoalRating, string> = {
  achieved: 'Achieved',
  progressing: 'Progressing',
  'not-progressing': 'Not progressing',
  'not-started': 'Not started',
};

export const PLAN_KIND_LABELS = {
  cp: 'Child protection plan visit',
  cin: 'Child in need plan visit',
  assessment: 'Assessment visit',
} as const;

export interface SocialCareSettings {
  cinReviewIntervalWeeks: number;
  cinVisitIntervalWorkingDays: number;
  cpVisitIntervalWorkingDays: number;
}
export const DEFAULT_SETTINGS: SocialCareSettings = {
  cinReviewIntervalWeeks: 12,
  cinVisitIntervalWorkingDays: 20,
  cpVisitIntervalWorkingDays: 10,
};

/** The same day `months` calendar months on (the last day of the month when that day does not exist). */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatIsoDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** `date` if it is a working day, otherwise the working day before it. */
export function lastWorkingDayOnOrBefore(calendar: WorkingDayCalendar, date: string): string {
  return calendar.isWorkingDay(date) ? date : calendar.previousWorkingDay(date);
}

export const assessmentDue = (calendar: WorkingDayCalendar, referralDate: string) =>
  calendar.addWorkingDays(referralDate, ASSESSMENT_WORKING_DAYS);
export const icpcTarget = (calendar: WorkingDayCalendar, lastStrategyDiscussion: string) =>
  calendar.addWorkingDays(lastStrategyDiscussion, ICPC_WORKING_DAYS);
export const firstCoreGroupDue = (calendar: WorkingDayCalendar, icpcDate: string) =>
  calendar.addWorkingDays(icpcDate, FIRST_CORE_GROUP_WORKING_DAYS);

/** The next review conference: within 3 months of the initial conference, then within 6 months of the last review. */
export function reviewConferenceDue(
  calendar: WorkingDayCalendar,
  icpcDate: string,
  lastReview: string | null,
): string {
  return lastWorkingDayOnOrBefore(
    calendar,
    lastReview ? addMonths(lastReview, LATER_REVIEW_MONTHS) : addMonths(icpcDate, FIRST_REVIEW_MONTHS),
  );
}

/** The next CIN plan review: `weeks` after the plan started or was last reviewed. */
export function cinReviewDue(
  calendar: WorkingDayCalendar,
  planStart: string,
  lastReview: string | null,
  weeks: number,
): string {
  return lastWorkingDayOnOrBefore(calendar, addCalendarDays(lastReview ?? planStart, weeks * 7));
}

/** The next statutory visit: within the interval (working days, the last visit counted as day 1). */
export function nextVisitDue(
  calendar: WorkingDayCalendar,
  lastVisitOrStart: string,
  intervalWorkingDays: number,
): string {
  return calendar.addWorkingDays(lastVisitOrStart, intervalWorkingDays);
}

/** "Day 12 of 45 working days" for a clock started on `start`, as of `today`. */
export function clockLabel(calendar: WorkingDayCalendar, start: string, today: string, of: number): string {
  const day = today < start ? 0 : calendar.workingDaysBetween(start, today);
  return `Day ${day} of ${of} working days`;
}

/** Working Together 2023: a strategy discussion includes at least children's social care, the police and health. */
export function missingStrategyAgencies(participants: { agencyKind: string | null }[]): string[] {
  const kinds = new Set(participants.map((p) => p.agencyKind ?? 'social-care'));
  return [
    kinds.has('social-care') ? null : 'children’s social care',
    kinds.has('police') ? null : 'the police',
    kinds.has('health') || kinds.has('camhs') ? null : 'health',
  ].filter((m): m is string => !!m);
}

/**
 * A conference is quorate (local procedures, after Working Together) when children's social care and at least two
 * other agencies that work with the child attend.
 */
export function isQuorate(
  attendees: { agencyKind: string | null; agencyId: string | null; attended: boolean }[],
): boolean {
  const present = attendees.filter((a) => a.attended);
  const socialCare = present.some((a) => !a.agencyId);
  const others = new Set(present.filter((a) => a.agencyId).map((a) => a.agencyId));
  return socialCare && others.size >= 2;
}

/** The value that stands for children's social care (this authority) in an "agencies present" list; the rest are agencies.id. */
export const SOCIAL_CARE_AGENCY = 'social-care';

export type PlanMeeting = 'cin-review' | 'core-group';

/**
 * A child in need plan review and a core group meeting are reviews by the multi-agency network (Working Together
 * 2023): at least one agency other than children's social care is present. The message when none is, or null.
 */
export function multiAgencyProblem(meeting: PlanMeeting, agencies: readonly string[]): string | null {
  if (agencies.some((a) => a !== SOCIAL_CARE_AGENCY)) return null;
  const what = meeting === 'cin-review' ? 'a child in need plan review' : 'a core group meeting';
  return `Select at least one agency other than children’s social care that was present: ${what} is a review by the multi-agency network`;
}
