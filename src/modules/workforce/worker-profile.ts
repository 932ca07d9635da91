import type { IsoDate } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { addCalendarMonths } from './supervision.ts';

/**
 * Worker profiles: contract, ASYE and Social Work England registration. The ASYE (assessed and supported year in
 * employment) has review points 3, 6 and 12 months after it starts, each due on the next working day if the date
 * falls on a closure day. A registration renewal is flagged 30 working days before it lapses.
 */

export const CONTRACT_TYPES = ['permanent', 'agency-locum', 'fixed-term', 'secondment'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
export const CONTRACT_LABELS: Record<ContractType, string> = {
  permanent: 'Permanent',
  'agency-locum': 'Agency or locum',
  'fixed-term': 'Fixed term',
  secondment: 'Secondment',
};

export const ASYE_STATUSES = ['not-applicable', 'in-progress', 'extended', 'passed', 'failed'] as const;
export type AsyeStatus = (typeof ASYE_STATUSES)[number];
export const ASYE_STATUS_LABELS: Record<AsyeStatus, string> = {
  'not-applicable': 'Not in the ASYE',
  'in-progress': 'In progress',
  extended: 'Extended',
  passed: 'Passed',
  failed: 'Not passed',
};

export const ASYE_POINTS = ['3-month', '6-month', '12-month'] as const;
export type AsyePoint = (typeof ASYE_POINTS)[number];
export const ASYE_POINT_LABELS: Record<AsyePoint, string> = {
  '3-month': '3-month review',
  '6-month': '6-month review',
  '12-month': '12-month (final) review',
};
const ASYE_MONTHS: Record<AsyePoint, number> = { '3-month': 3, '6-month': 6, '12-month': 12 };

/** When each ASYE review point falls due: 3, 6 and 12 months after the start, on a working day. */
export function asyeReviewDue(
  startedOn: IsoDate,
  point: AsyePoint,
  calendar: Pick<WorkingDayCalendar, 'workingDayOnOrAfter'>,
): IsoDate {
  return calendar.workingDayOnOrAfter(addCalendarMonths(startedOn, ASYE_MONTHS[point]));
}

/** The review points not yet recorded, with their due dates, for an ASYE still running. */
export function asyeReviewsOutstanding(
  profile: { asyeStatus: string; asyeStartedOn: IsoDate | null },
  recorded: readonly string[],
  calendar: Pick<WorkingDayCalendar, 'workingDayOnOrAfter'>,
): { point: AsyePoint; dueOn: IsoDate }[] {
  if (!profile.asyeStartedOn || !['in-progress', 'extended'].includes(profile.asyeStatus)) return [];
  return ASYE_POINTS.filter((p) => !recorded.includes(p)).map((point) => ({
    point,
    dueOn: asyeReviewDue(profile.asyeStartedOn!, point, calendar),
  }));
}

export const RENEWAL_WARNING_WORKING_DAYS = 30;

/** A renewal is flagged from 30 working days before it lapses (and after, until a new date is recorded). */
export function renewalFlagged(
  renewalOn: IsoDate,
  today: IsoDate,
  calendar: Pick<WorkingDayCalendar, 'workingDaysBetween'>,
): boolean {
  return renewalOn <= today || calendar.workingDaysBetween(today, renewalOn) <= RENEWAL_WARNING_WORKING_DAYS;
}
