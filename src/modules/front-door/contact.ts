import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { formatDateTimeGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';

/**
 * The front door's domain words and pure rules: channels, statuses, RAG ratings, outcomes, and the two clocks.
 *
 * ## The decision clock (Working Together 2023: a decision "within 1 working day" of receipt)
 * A contact received on day D must be decided **by the end of the next working day after D** (17:00 London, the
 * calendar's closing time). Received on a Monday → decided by the end of Tuesday; on a Friday → Monday (Tuesday
 * when Monday is a bank holiday); on a Saturday or Sunday → the end of Monday. So every contact has at least
 * one whole working day, whatever time it arrived. In the census convention (docs/domain.md, "Statutory clocks": N working days,
 * the start day counted as day 1) this is `addWorkingDays(receivedOn, 2)` — the day of receipt is day 1 and the
 * decision is due by the end of day 2 — which equals `nextWorkingDay(receivedOn)` for every date, working or
 * not (a unit test checks both across years of dates). The date is stored on the contact (decision_due_on) with
 * its closing instant (decision_due_at), worked out once, on receipt, with the authority's closure days.
 *
 * ## The RAG clock (MASH information from partners)
 * When a MASH enquiry starts, the contact gets a RAG rating; partner information is due `hours` working hours
 * later (addWorkingHours: 09:00–17:00 on working days), hours per rating from front_door_settings (defaults red 4,
 * amber 24, green 72). Re-rating restarts the clock from the time of re-rating.
 */

export const CONTACT_CHANNELS = ['phone', 'email', 'letter', 'visit', 'online-form', 'api'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
/** The channels a contact officer records by hand; online forms and the API record themselves. */
export const STAFF_CHANNELS = [
  'phone',
  'email',
  'letter',
  'visit',
] as const satisfies readonly ContactChannel[];
export const CHANNEL_LABELS: Record<ContactChannel, string> = {
  phone: 'Phone call',
  email: 'Email',
  letter: 'Letter',
  visit: 'Visit in person',
  'online-form': 'Online referral form',
  api: 'Partner system (API)',
};

export const CONTACT_STATUSES = [
  'awaiting-screening',
  'awaiting-decision',
  'mash-enquiry',
  'awaiting-authorisation',
  'completed',
] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const STATUS_LABELS: Record<ContactStatus, string> = {
  'awaiting-screening': 'Awaiting screening',
  'awaiting-decision': 'Awaiting decision',
  'mash-enquiry': 'MASH enquiry',
  'awaiting-authorisation': 'Awaiting authorisation',
  completed: 'Completed',
};

export const CONSENT_VALUES = ['given', 'not-given', 'dispensed'] as const;
export type Consent = (typeof CONSENT_VALUES)[number];
export const CONSENT_LABELS: Record<Consent, string> = {
  given: 'Consent given',
  'not-given': 'Consent not given',
  dispensed: 'Consent dispensed with',
};
export const CONSENT_HINTS: Record<Consent, string> = {
  given: 'The family know about this contact and agree to information being shared',
  'not-given': 'The family were asked and said no: explain why you are still telling us',
  dispensed: 'Not asked, because asking could put the child at greater risk or cause delay: explain why',
};

export const URGENCY_VALUES = ['immediate', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCY_VALUES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  immediate: 'Immediate: the child may be at risk of significant harm now',
  urgent: 'Urgent: needs a response today',
  routine: 'Routine',
};

export const RAG_VALUES = ['red', 'amber', 'green'] as const;
export type Rag = (typeof RAG_VALUES)[number];
export const RAG_LABELS: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green' };
export const RAG_HINTS: Record<Rag, string> = {
  red: 'High risk: partners’ information is needed quickly',
  amber: 'Medium risk',
  green: 'Lower risk, likely early help level',
};

export const OUTCOMES = [
  'nfa',
  'information-advice',
  'early-help',
  'social-care',
  'strategy-discussion',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  nfa: 'No further action',
  'information-advice': 'Information, advice and signposting',
  'early-help': 'Early help / family support',
  'social-care': 'Referral to children’s social care for assessment',
  'strategy-discussion': 'Strategy discussion',
};
/** Outcomes that open a children's social care referral (a CIN episode) for each child. */
export const SOCIAL_CARE_OUTCOMES: readonly Outcome[] = ['social-care', 'strategy-discussion'];

export const STRATEGY_OUTCOMES = ['section-47', 'assessment', 'no-further-action'] as const;
export type StrategyOutcome = (typeof STRATEGY_OUTCOMES)[number];
export const STRATEGY_OUTCOME_LABELS: Record<StrategyOutcome, string> = {
  'section-47': 'Start a section 47 enquiry',
  assessment: 'No section 47: child and family assessment under section 17',
  'no-further-action': 'No further action under section 47 or section 17',
};

export interface RagTimescales {
  red: number;
  amber: number;
  green: number;
}
export const DEFAULT_RAG_HOURS: RagTimescales = { red: 4, amber: 24, green: 72 };

/** The date a decision is due on: the end of the next working day after the day of receipt (see above). */
export function decisionDueOn(calendar: WorkingDayCalendar, receivedAt: Date): string {
  return calendar.addWorkingDays(isoDateOf(receivedAt), 2);
}

/** The instant a decision is due by: closing time on its due date. */
export function decisionDueAt(calendar: WorkingDayCalendar, receivedAt: Date): Date {
  return instantAt(decisionDueOn(calendar, receivedAt), calendar.workingHours.end);
}

/** When partners' information is due for a MASH enquiry rated `rag` at `setAt`. */
export function informationDueAt(
  calendar: WorkingDayCalendar,
  rag: Rag,
  setAt: Date,
  hours: RagTimescales = DEFAULT_RAG_HOURS,
): Date {
  return calendar.addWorkingHours(setAt, hours[rag]);
}

/** Consent that is not given needs a recorded reason (and so does dispensing with it). */
export function consentProblem(consent: Consent, rationale: string | null | undefined): string | null {
  if (consent === 'given') return null;
  if (rationale && rationale.trim()) return null;
  return consent === 'not-given'
    ? 'Explain why you are making this contact without the family’s consent'
    : 'Explain why consent was dispensed with';
}

/** What a contact's status becomes when a decision is sent back: where it was before the decision. */
export function statusAfterSendBack(c: {
  ragSetAt: Date | null;
  mashEnquiryClosedAt: Date | null;
}): ContactStatus {
  return c.ragSetAt && !c.mashEnquiryClosedAt ? 'mash-enquiry' : 'awaiting-decision';
}

export interface ContactDeadline {
  /** The deadline that comes first, for sorting. */
  dueAt: Date;
  decisionDueOn: string;
  decisionDueAt: Date;
  informationDueAt: Date | null;
}

/** The soonest of a contact's clocks: the RAG information deadline (while the enquiry is open) or the decision. */
export function nextDeadline(c: {
  decisionDueOn: string;
  decisionDueAt: Date;
  informationDueAt: Date | null;
  mashEnquiryClosedAt: Date | null;
}): ContactDeadline {
  const info = c.informationDueAt && !c.mashEnquiryClosedAt ? c.informationDueAt : null;
  const dueAt = info && info.getTime() < c.decisionDueAt.getTime() ? info : c.decisionDueAt;
  return { dueAt, decisionDueOn: c.decisionDueOn, decisionDueAt: c.decisionDueAt, informationDueAt: info };
}

/**
 * Which clock governs a contact: the one rule, said in words on the contact page and when a MASH enquiry is rated.
 *
 * The decision clock governs the contact: it is decided by the end of the next working day after it was received,
 * whatever happens in between. A MASH enquiry's RAG rating sets a second clock, in working hours, for the
 * partners' answers; it never moves the decision deadline. So when the partners' deadline falls after the decision
 * deadline (a green rating usually does), the decision is made on what is known by then and later answers are
 * added to the record; worktrays sort by whichever deadline comes first.
 */
export interface ClockRule {
  /** Which deadline comes next (the worktrays' order). */
  next: 'decision' | 'information';
  /** Whether the partners' information is due after the decision deadline. */
  informationAfterDecision: boolean;
  /** The rule, in words, for this contact now. */
  explanation: string;
}

export function clockRule(c: {
  decisionDueAt: Date;
  informationDueAt: Date | null;
  mashEnquiryClosedAt: Date | null;
  rag?: string | null;
}): ClockRule {
  const decisionText = formatDateTimeGovUk(c.decisionDueAt);
  const base = `The decision clock governs the contact: it must be decided by ${decisionText}, the end of the next working day after it was received.`;
  const info = c.informationDueAt && !c.mashEnquiryClosedAt ? c.informationDueAt : null;
  if (!info) return { next: 'decision', informationAfterDecision: false, explanation: base };
  const rating = c.rag && c.rag in RAG_LABELS ? `${RAG_LABELS[c.rag as Rag].toLowerCase()} ` : '';
  const after = info.getTime() > c.decisionDueAt.getTime();
  const infoText = formatDateTimeGovUk(info);
  return {
    next: after ? 'decision' : 'information',
    informationAfterDecision: after,
    explanation: after
      ? `${base} The ${rating}rating gives partners until ${infoText} to answer, which is after that: decide on what is known by the decision deadline, and add later answers to the record.`
      : `${base} The ${rating}rating gives partners until ${infoText} to answer, counted in working hours from the rating; it does not move the decision deadline.`,
  };
}

/**
 * Threshold logic at the point of decision: each level of the authority's continuum of need says which outcomes it
 * usually leads to. An outcome outside them is allowed (the worker knows the child) but needs a reason, which the
 * manager sees when authorising and the consistency report counts. Returns the question to answer, or null when
 * the outcome is one the level expects.
 */
export function continuumDeparture(
  level: { level: number; label: string; expectedOutcomes: readonly string[] },
  outcome: Outcome,
): string | null {
  if (level.expectedOutcomes.includes(outcome)) return null;
  const expected = level.expectedOutcomes
    .filter((o): o is Outcome => (OUTCOMES as readonly string[]).includes(o))
    .map((o) => OUTCOME_LABELS[o].toLowerCase());
  const usual = expected.length
    ? `usually leads to ${expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0]}`
    : 'has no usual outcome set by the authority';
  return `Explain why the outcome is ${OUTCOME_LABELS[outcome].toLowerCase()}: level ${level.level} on the continuum ${usual}`;
}

/** How a working-hours deadline stands now, in words: '3.5 working hours left', 'Overdue by 2 working hours'. */
export function describeHoursLeft(
  calendar: WorkingDayCalendar,
  now: Date,
  dueAt: Date,
): { overdue: boolean; text: string } {
  const hours = calendar.workingHoursBetween(now, dueAt);
  const overdue = dueAt.getTime() < now.getTime();
  const rounded = Math.abs(Math.round(hours * 10) / 10);
  const unit = rounded === 1 ? 'working hour' : 'working hours';
  return { overdue, text: overdue ? `Overdue by ${rounded} ${unit}` : `${rounded} ${unit} left` };
}

/**
 * How a working-day deadline stands today: 'Due today', '1 working day left', 'Overdue by 2 working days'. With
 * `by` (the instant on the due day it falls due, e.g. the decision clock's 5pm), a deadline due today whose time
 * has passed is overdue: 'Overdue: was due by 5pm today'.
 */
export function describeDaysLeft(
  calendar: WorkingDayCalendar,
  today: string,
  dueOn: string,
  by?: { now: Date; dueAt: Date },
): { overdue: boolean; dueToday: boolean; text: string } {
  if (dueOn === today && by && by.dueAt.getTime() < by.now.getTime()) {
    return {
      overdue: true,
      dueToday: false,
      text: `Overdue: was due by ${formatDateTimeGovUk(by.dueAt).split(' at ')[1]} today`,
    };
  }
  if (dueOn === today) return { overdue: false, dueToday: true, text: 'Due today' };
  if (dueOn > today) {
    const left = calendar.workingDaysBetween(today, dueOn) - (calendar.isWorkingDay(today) ? 1 : 0);
    return { overdue: false, dueToday: false, text: `${left} working day${left === 1 ? '' : 's'} left` };
  }
  const late = Math.max(1, calendar.workingDaysBetween(calendar.nextWorkingDay(dueOn), today));
  return { overdue: true, dueToday: false, text: `Overdue by ${late} working day${late === 1 ? '' : 's'}` };
}

/** A child's name as typed on a contact, or as on their record. */
export function childName(c: { givenName: string | null; familyName: string | null }): string {
  return [c.givenName, c.familyName].filter(Boolean).join(' ') || 'Name not known';
}
