import { addCalendarDays, type IsoDate } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { RENEWAL_WARNING_WORKING_DAYS } from './worker-profile.ts';

/**
 * The workforce page's figures (workforce module, issue 19): the words and the pure rules behind them. The counts
 * themselves are computed in SQL (workforce-figures.service.ts); this file names the categories a worker falls in
 * and works out the dates the SQL compares with, so that the SQL and the worktray agree on "due" and "overdue".
 *
 * - **In post** on a day: a worker profile whose start is on or before it and who had not left by it (an active
 *   account without a profile counts from the day the account was made, with the contract "not recorded").
 * - **Turnover**: the FTE of leavers in the 12 months to today, as a percentage of the FTE in post today (the
 *   DfE's children's social work workforce measure).
 * - **Vacancies**: a team's funded posts (kept with the team) less the FTE in post, never below 0; teams with no
 *   funded posts recorded are left out. Over time, against today's funded posts (no history of them is kept).
 * - **Caseload bands**: each case holder's weighted caseload (the allocation board's weights) against the
 *   authority's "too high" level.
 * - **Supervision within timescale**: a case holder whose next case supervision (one interval after the last, or
 *   after their account was made) is not yet overdue, as on the worktray.
 * - **ASYE reviews overdue**: a 3-, 6- or 12-month review point past its due date with no review recorded.
 * - **Registration**: lapsed (renewal date today or earlier), due (within 30 working days), in date, or no renewal
 *   date recorded; for workers in post.
 * - **Training**: workers in post with training or development recorded in the 12 months to today.
 */

export const CONTRACT_KEYS = [
  'permanent',
  'agency-locum',
  'fixed-term',
  'secondment',
  'not-recorded',
] as const;
export type ContractKey = (typeof CONTRACT_KEYS)[number];
export const CONTRACT_KEY_LABELS: Record<ContractKey, string> = {
  permanent: 'Permanent',
  'agency-locum': 'Agency or locum',
  'fixed-term': 'Fixed term',
  secondment: 'Secondment',
  'not-recorded': 'Not recorded',
};
export const CONTRACT_COLOURS: Record<ContractKey, string> = {
  permanent: '#1d70b8',
  'agency-locum': '#d4351c',
  'fixed-term': '#00703c',
  secondment: '#4c2c92',
  'not-recorded': '#505a5f',
};

export const CASELOAD_BANDS = [
  'none',
  'up-to-half',
  'half-to-three-quarters',
  'up-to-level',
  'above',
] as const;
export type CaseloadBand = (typeof CASELOAD_BANDS)[number];
export const CASELOAD_BAND_LABELS: Record<CaseloadBand, string> = {
  none: 'No children',
  'up-to-half': 'Up to half the "too high" level',
  'half-to-three-quarters': 'Half to three-quarters of it',
  'up-to-level': 'Three-quarters up to the level',
  above: 'Above the "too high" level',
};

/** The band of a weighted caseload, as the SQL bands it (kept here for the unit test and the words). */
export function caseloadBand(children: number, weighted: number, tooHigh: number): CaseloadBand {
  if (children === 0) return 'none';
  if (weighted > tooHigh) return 'above';
  if (weighted > tooHigh * 0.75) return 'up-to-level';
  if (weighted > tooHigh * 0.5) return 'half-to-three-quarters';
  return 'up-to-half';
}

export const SUPERVISION_STATUSES = ['in-time', 'overdue'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

export const ASYE_FIGURES = ['in-progress', 'extended', 'review-overdue', 'passed', 'failed'] as const;
export type AsyeFigure = (typeof ASYE_FIGURES)[number];
export const ASYE_FIGURE_LABELS: Record<AsyeFigure, string> = {
  'in-progress': 'In their ASYE',
  extended: 'ASYE extended',
  'review-overdue': 'With a review overdue',
  passed: 'Passed in the last 12 months',
  failed: 'Not passed in the last 12 months',
};

export const REGISTRATION_STATUSES = ['lapsed', 'due', 'in-date', 'not-recorded'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const REGISTRATION_LABELS: Record<RegistrationStatus, string> = {
  lapsed: 'Lapsed or due today',
  due: `Due within ${RENEWAL_WARNING_WORKING_DAYS} working days`,
  'in-date': 'In date',
  'not-recorded': 'No renewal date recorded',
};

/**
 * The day before which a review or supervision due date has been missed: a due date is moved on to a working day
 * (`workingDayOnOrAfter`), so a raw due date D is overdue today exactly when D is on or before the last working day
 * before today.
 */
export function overdueOnOrBefore(today: IsoDate, calendar: Pick<WorkingDayCalendar, 'previousWorkingDay'>) {
  return calendar.previousWorkingDay(today);
}

/**
 * The latest renewal date flagged today (`renewalFlagged`): 30 working days from today, counting both ends, and
 * every calendar day up to the next working day after it.
 */
export function renewalDueUpTo(
  today: IsoDate,
  calendar: Pick<WorkingDayCalendar, 'workingDaysBetween'>,
): IsoDate {
  let day = today;
  while (calendar.workingDaysBetween(today, addCalendarDays(day, 1)) <= RENEWAL_WARNING_WORKING_DAYS)
    day = addCalendarDays(day, 1);
  return day;
}

/** A percentage to one decimal place, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : null;
}
