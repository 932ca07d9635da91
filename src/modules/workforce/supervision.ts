import {
  addCalendarDays,
  daysInMonth,
  formatIsoDate,
  parseIsoDate,
  type IsoDate,
} from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';

/**
 * Case supervision: how often each worker's cases are supervised (the authority's setting, monthly unless it
 * changes it) and when the next session falls due. Supervision has no statutory frequency (docs/domain.md); the
 * interval is a calendar one, in weeks or months, and a due date that falls on a day the authority is closed moves
 * to the next working day, so nobody is "overdue" on a bank holiday.
 */

export const SUPERVISION_FREQUENCIES = [
  'fortnightly',
  'four-weekly',
  'monthly',
  'six-weekly',
  'two-monthly',
] as const;
export type SupervisionFrequency = (typeof SUPERVISION_FREQUENCIES)[number];

export const DEFAULT_SUPERVISION_FREQUENCY: SupervisionFrequency = 'monthly';

export const SUPERVISION_FREQUENCY_LABELS: Record<SupervisionFrequency, string> = {
  fortnightly: 'Every 2 weeks',
  'four-weekly': 'Every 4 weeks',
  monthly: 'Every month',
  'six-weekly': 'Every 6 weeks',
  'two-monthly': 'Every 2 months',
};

const INTERVALS: Record<SupervisionFrequency, { weeks: number } | { months: number }> = {
  fortnightly: { weeks: 2 },
  'four-weekly': { weeks: 4 },
  monthly: { months: 1 },
  'six-weekly': { weeks: 6 },
  'two-monthly': { months: 2 },
};

/** The same day n months on, or the month's last day when it has no such day (31 January + 1 month = 28/29 February). */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatIsoDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** The date the interval after `from` ends, on a calendar basis. */
export function afterInterval(from: IsoDate, frequency: SupervisionFrequency): IsoDate {
  const interval = INTERVALS[frequency];
  return 'weeks' in interval
    ? addCalendarDays(from, interval.weeks * 7)
    : addCalendarMonths(from, interval.months);
}

/**
 * When the supervisee's next case supervision is due: one interval after their last session, or, if they have had
 * none, one interval after they started (their account was made), moved on to a working day.
 */
export function nextSupervisionDue(
  input: { lastHeldOn: IsoDate | null; startedOn: IsoDate; frequency: SupervisionFrequency },
  calendar: Pick<WorkingDayCalendar, 'workingDayOnOrAfter'>,
): IsoDate {
  return calendar.workingDayOnOrAfter(afterInterval(input.lastHeldOn ?? input.startedOn, input.frequency));
}

/** What becomes of an open action at a later session: done, carried forward, or dropped (with a note saying why). */
export const ACTION_FOLLOW_UPS = ['done', 'carry-forward', 'dropped'] as const;
export type ActionFollowUp = (typeof ACTION_FOLLOW_UPS)[number];

export const ACTION_FOLLOW_UP_LABELS: Record<ActionFollowUp, string> = {
  done: 'Done',
  'carry-forward': 'Carried forward',
  dropped: 'Dropped',
};

/** The follow-up's outcome as stored (supervision_action_follow_ups.outcome) and the action's status after it. */
export function followUpEffect(outcome: ActionFollowUp): {
  stored: 'done' | 'carried-forward' | 'dropped';
  status: 'done' | 'open' | 'dropped';
} {
  if (outcome === 'done') return { stored: 'done', status: 'done' };
  if (outcome === 'dropped') return { stored: 'dropped', status: 'dropped' };
  return { stored: 'carried-forward', status: 'open' };
}

/** Default window for "oversight in the last N working days" (the authority may set 1 to 65). */
export const DEFAULT_OVERSIGHT_WINDOW = 20;

/**
 * The first day of the last `n` working days up to and including `today` (today counts when it is a working day):
 * oversight on or after it is "in the last n working days".
 */
export function oversightWindowStart(
  today: IsoDate,
  n: number,
  calendar: Pick<WorkingDayCalendar, 'isWorkingDay' | 'previousWorkingDay'>,
): IsoDate {
  let day = calendar.isWorkingDay(today) ? today : calendar.previousWorkingDay(today);
  for (let i = 1; i < n; i++) day = calendar.previousWorkingDay(day);
  return day;
}
