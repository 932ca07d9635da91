import { BusinessRuleError } from '../../kernel/errors.ts';
import {
  addCalendarDays,
  daysInMonth,
  differenceInCalendarDays,
  parseIsoDate,
  formatIsoDate,
} from '../../kernel/time/index.ts';

/**
 * Early help (family help): the words, code lists and pure rules the module's services and pages share.
 * docs/domain.md, "Early help and Families First" (EHA, team around the family, lead practitioner, reviews every
 * 6–8 weeks; the ten Supporting Families headline outcomes, sustained 6 months after closure) and "Practice
 * frameworks in the record" (Signs of Safety / Wellbeing:
 * worries, what is working well, what needs to happen; 0–10 scaling by different people recorded separately).
 */

type Option<V extends string = string> = { value: V; text: string; hint?: string };

export const SUPPORTING_FAMILIES_OUTCOMES = [
  { value: 'education', text: 'Getting a good education' },
  { value: 'early-years', text: 'Good early years development' },
  { value: 'health', text: 'Improved mental and physical health' },
  { value: 'substance-use', text: 'Promoting recovery and reducing harm from substance use' },
  { value: 'family-relationships', text: 'Improved family relationships' },
  { value: 'safe-from-abuse', text: 'Children safe from abuse and exploitation' },
  { value: 'crime', text: 'Crime prevention and tackling crime' },
  { value: 'domestic-abuse', text: 'Safe from domestic abuse' },
  { value: 'housing', text: 'Secure housing' },
  { value: 'financial', text: 'Financial stability' },
] as const satisfies readonly Option[];
export type OutcomeHeading = (typeof SUPPORTING_FAMILIES_OUTCOMES)[number]['value'];
export const OUTCOME_HEADINGS = SUPPORTING_FAMILIES_OUTCOMES.map((o) => o.value) as [
  OutcomeHeading,
  ...OutcomeHeading[],
];
export const outcomeLabel = (v: string | null | undefined) =>
  SUPPORTING_FAMILIES_OUTCOMES.find((o) => o.value === v)?.text ?? v ?? '';

/**
 * The Supporting Families outcome a goal carries from the needs it meets: each need's outcome is chosen once, in the
 * assessment, so the goal takes the outcome of the first of its needs (in the plan's order) that has one. Null when
 * none does (a goal meeting only worries): then the worker chooses.
 */
export function outcomeFromNeeds(
  items: readonly { id: string; kind: string; outcomeHeading: string | null }[],
  itemIds: readonly string[],
): OutcomeHeading | null {
  for (const item of items) {
    if (item.kind !== 'need' || !itemIds.includes(item.id) || !item.outcomeHeading) continue;
    if ((OUTCOME_HEADINGS as readonly string[]).includes(item.outcomeHeading))
      return item.outcomeHeading as OutcomeHeading;
  }
  return null;
}

/** The goal form's choice that takes the outcome from the needs chosen (outcomeFromNeeds), not one of the outcomes. */
export const FROM_NEEDS = 'from-needs';

/** The three sides of the assessment framework triangle, each scored 1 (significant unmet needs) to 5 (met). */
export const DOMAINS = [
  { value: 'childDevelopment', text: 'Child’s developmental needs' },
  { value: 'parentingCapacity', text: 'Parenting capacity' },
  { value: 'familyEnvironment', text: 'Family and environmental factors' },
] as const satisfies readonly Option[];
export type DomainKey = (typeof DOMAINS)[number]['value'];
export const DOMAIN_KEYS = DOMAINS.map((d) => d.value) as [DomainKey, ...DomainKey[]];
export const domainLabel = (v: string | null | undefined) =>
  DOMAINS.find((d) => d.value === v)?.text ?? v ?? '';

export const SCALE = { min: 0, max: 10 } as const;
export const DOMAIN_SCORE = { min: 1, max: 5 } as const;

export const SOURCE_LABELS: Record<string, string> = {
  'front-door': 'Front-door decision',
  partner: 'Started directly with the family’s consent',
  'step-down': 'Step-down from children’s social care',
};

export const GOAL_STATUSES = [
  { value: 'open', text: 'Still being worked on' },
  { value: 'achieved', text: 'Achieved' },
  { value: 'partly-achieved', text: 'Partly achieved' },
  { value: 'not-achieved', text: 'Not achieved' },
  { value: 'no-longer-needed', text: 'No longer needed' },
] as const satisfies readonly Option[];
export type GoalStatus = (typeof GOAL_STATUSES)[number]['value'];
export const GOAL_STATUS_VALUES = GOAL_STATUSES.map((s) => s.value) as [GoalStatus, ...GoalStatus[]];
export const goalStatusLabel = (v: string) => GOAL_STATUSES.find((s) => s.value === v)?.text ?? v;

export const REVIEW_DECISIONS = [
  { value: 'continue', text: 'Continue with the plan', hint: 'The next review is booked' },
  { value: 'close', text: 'Close early help', hint: 'You will record the closure next' },
  {
    value: 'step-up',
    text: 'Step up to the front door',
    hint: 'The worries need children’s social care: you will send the contact next',
  },
] as const satisfies readonly Option[];
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number]['value'];
export const REVIEW_DECISION_VALUES = REVIEW_DECISIONS.map((d) => d.value) as [
  ReviewDecision,
  ...ReviewDecision[],
];

export const ATTENDANCE = [
  { value: 'attended', text: 'Attended' },
  { value: 'apologies', text: 'Sent apologies' },
  { value: 'did-not-attend', text: 'Did not attend' },
] as const satisfies readonly Option[];
export type Attendance = (typeof ATTENDANCE)[number]['value'];
export const ATTENDANCE_VALUES = ATTENDANCE.map((a) => a.value) as [Attendance, ...Attendance[]];

export const CLOSURE_REASONS = [
  {
    value: 'needs-met',
    text: 'The family’s needs are met',
    hint: 'Universal services can carry on from here',
  },
  { value: 'stepped-up', text: 'Stepped up to children’s social care' },
  { value: 'consent-withdrawn', text: 'The family withdrew their consent' },
  { value: 'moved-away', text: 'The family moved out of the area' },
  { value: 'transferred', text: 'Another service is now better placed to help' },
  { value: 'other', text: 'Another reason' },
] as const satisfies readonly Option[];
export type ClosureReason = (typeof CLOSURE_REASONS)[number]['value'];
export const CLOSURE_REASON_VALUES = CLOSURE_REASONS.map((r) => r.value) as [
  ClosureReason,
  ...ClosureReason[],
];

export const CLOSURE_OUTCOMES = [
  { value: 'improved', text: 'Outcomes achieved: things are better for the child' },
  { value: 'partly-improved', text: 'Some outcomes achieved' },
  { value: 'not-improved', text: 'Outcomes not achieved' },
] as const satisfies readonly Option[];
export type ClosureOutcome = (typeof CLOSURE_OUTCOMES)[number]['value'];
export const CLOSURE_OUTCOME_VALUES = CLOSURE_OUTCOMES.map((o) => o.value) as [
  ClosureOutcome,
  ...ClosureOutcome[],
];

export const SUSTAINED = [
  { value: 'yes', text: 'Yes, sustained' },
  { value: 'partly', text: 'Partly sustained' },
  { value: 'no', text: 'No, not sustained' },
] as const satisfies readonly Option[];
export type Sustained = (typeof SUSTAINED)[number]['value'];
export const SUSTAINED_VALUES = SUSTAINED.map((s) => s.value) as [Sustained, ...Sustained[]];

/**
 * The short feedback questionnaire at reviews and closure. Child-friendly words: a child can answer it on their
 * own, and a parent can too. Answers are three-point so they can be read aloud.
 */
export const FEEDBACK_RESPONDENTS = [
  { value: 'child', text: 'A child or young person' },
  { value: 'parent-carer', text: 'A parent or carer' },
  { value: 'other-family', text: 'Someone else in the family' },
] as const satisfies readonly Option[];
export type FeedbackRespondent = (typeof FEEDBACK_RESPONDENTS)[number]['value'];
export const FEEDBACK_QUESTIONS = {
  listened: {
    label: 'Did the people helping you listen to you?',
    options: [
      { value: 'yes', text: 'Yes, they listened' },
      { value: 'a-bit', text: 'A bit' },
      { value: 'no', text: 'No, they did not listen' },
    ],
  },
  helped: {
    label: 'Did we help with the things you were worried about?',
    options: [
      { value: 'yes', text: 'Yes, you helped' },
      { value: 'a-bit', text: 'A bit' },
      { value: 'no', text: 'No, you did not help' },
    ],
  },
  thingsBetter: {
    label: 'How are things at home now, compared with when we started?',
    options: [
      { value: 'better', text: 'Better' },
      { value: 'same', text: 'About the same' },
      { value: 'worse', text: 'Worse' },
    ],
  },
  knowsNext: {
    label: 'Do you know what will happen next?',
    options: [
      { value: 'yes', text: 'Yes, I know' },
      { value: 'not-sure', text: 'I am not sure' },
      { value: 'no', text: 'No, I do not know' },
    ],
  },
} as const;
export const feedbackAnswerLabel = (question: keyof typeof FEEDBACK_QUESTIONS, value: string) =>
  (FEEDBACK_QUESTIONS[question].options as readonly { value: string; text: string }[]).find(
    (o) => o.value === value,
  )?.text ?? value;

export const CONSENT_OPTIONS = [
  { value: 'given', text: 'Yes, the family agreed to early help and to information being shared' },
  { value: 'withdrawn', text: 'The family have withdrawn their consent' },
] as const satisfies readonly Option[];

/** An authority's early help settings (early_help_settings), with these defaults when it has none. */
export interface EarlyHelpSettings {
  reviewIntervalWeeks: number;
  assessmentWorkingDays: number;
  followUpMonths: number;
  /** The impact page counts contacts to the front door within this many months of closure as re-contacts. */
  recontactWindowMonths: number;
}
export const DEFAULT_SETTINGS: EarlyHelpSettings = {
  reviewIntervalWeeks: 6,
  assessmentWorkingDays: 30,
  followUpMonths: 6,
  recontactWindowMonths: 6,
};

/** A review is due `weeks` after the last meeting (or, before any, after the episode opened). */
export function reviewDueOn(lastMeetingOrOpened: string, weeks: number): string {
  return addCalendarDays(lastMeetingOrOpened, weeks * 7);
}

/** The same day `months` later (the last day of the month when it has fewer days: 31 Aug + 6 months → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatIsoDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

export function followUpDueOn(closedOn: string, months: number): string {
  return addMonths(closedOn, months);
}

/** Days from the decision that opened early help to the first team-around-the-family meeting. */
export function daysToFirstMeeting(openedOn: string, firstMeetingOn: string | null): number | null {
  return firstMeetingOn ? differenceInCalendarDays(openedOn, firstMeetingOn) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Distance travelled: for each thing scored (the two scalings, each domain, each goal), the first score, the
// latest, and the one given at closure, and the change from first to latest (or closing).

export interface ScoreRow {
  subject: 'scale' | 'domain' | 'goal' | string;
  subjectKey: string;
  score: number;
  occasion: string;
  recordedOn: string;
  recordedAt: Date;
}

export interface Distance {
  subject: string;
  subjectKey: string;
  first: number;
  firstOn: string;
  latest: number;
  latestOn: string;
  closing: number | null;
  /** Closing (or latest) minus first: positive is better on every scale used here. */
  change: number;
  count: number;
}

/** Scores given on the same day at the same instant (one recording, or a fixed clock) fall in the order of the work. */
export const OCCASION_ORDER = ['assessment', 'plan', 'review', 'closure'];
const occasionRank = (occasion: string) => {
  const i = OCCASION_ORDER.indexOf(occasion);
  return i < 0 ? OCCASION_ORDER.length : i;
};

export function distanceTravelled(scores: readonly ScoreRow[]): Distance[] {
  const groups = new Map<string, ScoreRow[]>();
  for (const s of scores) {
    const key = `${s.subject}:${s.subjectKey}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: Distance[] = [];
  for (const rows of groups.values()) {
    const sorted = [...rows].sort(
      (a, b) =>
        a.recordedOn.localeCompare(b.recordedOn) ||
        a.recordedAt.getTime() - b.recordedAt.getTime() ||
        occasionRank(a.occasion) - occasionRank(b.occasion),
    );
    const first = sorted[0]!;
    const latest = sorted[sorted.length - 1]!;
    const closing = [...sorted].reverse().find((r) => r.occasion === 'closure') ?? null;
    out.push({
      subject: first.subject,
      subjectKey: first.subjectKey,
      first: first.score,
      firstOn: first.recordedOn,
      latest: latest.score,
      latestOn: latest.recordedOn,
      closing: closing?.score ?? null,
      change: (closing ?? latest).score - first.score,
      count: sorted.length,
    });
  }
  return out;
}

/** Problems with scores outside their scale (0–10 for the scalings and goals, 1–5 for the domains). */
export function scoreProblems(
  scores: { field: string; label: string; score: number; kind: 'scale' | 'domain' }[],
): { field: string; message: string; href: string }[] {
  return scores
    .filter((s) => {
      const range = s.kind === 'domain' ? DOMAIN_SCORE : SCALE;
      return !Number.isInteger(s.score) || s.score < range.min || s.score > range.max;
    })
    .map((s) => {
      const range = s.kind === 'domain' ? DOMAIN_SCORE : SCALE;
      return {
        field: s.field,
        message: `${s.label} must be a whole number from ${range.min} to ${range.max}`,
        href: `#${s.field}`,
      };
    });
}

/** The scores a review or a closing summary records. */
export interface MeetingScores {
  workerScale: number;
  familyScale: number;
  domainScores: Record<DomainKey, number>;
  goals: { goalId: string; score: number }[];
}

/**
 * The scores a review or a closing summary records, each checked against its range: the worker's and the family's
 * scaling, a score for each domain, and a score for each goal (`goalLabel` names it in the message).
 */
export function meetingScoreProblems(
  input: MeetingScores,
  goalLabel: string,
): { field: string; message: string; href: string }[] {
  return scoreProblems([
    { field: 'workerScale', label: 'Your scaling', score: input.workerScale, kind: 'scale' },
    { field: 'familyScale', label: 'The family’s scaling', score: input.familyScale, kind: 'scale' },
    ...DOMAIN_KEYS.map((d) => ({
      field: `domain-${d}`,
      label: `The score for ${domainLabel(d).toLowerCase()}`,
      score: input.domainScores[d],
      kind: 'domain' as const,
    })),
    ...input.goals.map((g) => ({
      field: `goal-${g.goalId}-score`,
      label: goalLabel,
      score: g.score,
      kind: 'scale' as const,
    })),
  ]);
}

/** '+3', '0', '−2' (with a real minus sign, read out properly by screen readers). */
export function signed(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return '0';
}

// ---------------------------------------------------------------------------------------------------------
// The plan answers the assessment: every need and worry is met by at least one goal, or marked "not being worked
// on" with a reason.

export interface CoverageItem {
  id: string;
  kind: 'worry' | 'need' | string;
  summary: string;
  notWorkedOnReason: string | null;
}

export function uncoveredItems<T extends CoverageItem>(
  items: readonly T[],
  links: readonly { itemId: string }[],
): T[] {
  const linked = new Set(links.map((l) => l.itemId));
  return items.filter((i) => !linked.has(i.id) && !i.notWorkedOnReason);
}

/** "Worry 2: …" / "Need (Parenting capacity) 1: …" for messages and lists. */
export function itemLabel(item: { kind: string; domain?: string | null; position: number }): string {
  return item.kind === 'worry'
    ? `Worry ${item.position}`
    : `Need ${item.position} (${domainLabel(item.domain)})`;
}

export function shorten(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Several problems at once (each against its field), where one BusinessRuleError would hide the rest. */
export class RuleProblemsError extends BusinessRuleError {
  constructor(readonly problems: { field: string; message: string; href: string }[]) {
    super(problems[0]?.field ?? 'form', problems[0]?.message ?? 'There is a problem');
    this.name = 'RuleProblemsError';
  }
}
