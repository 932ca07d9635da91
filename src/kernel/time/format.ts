import { parseInstant } from './clock.ts';
import { londonWallClockOf, parseIsoDate } from './iso-date.ts';
import type { IsoDate } from './iso-date.ts';

// GOV.UK style (https://www.gov.uk/guidance/style-guide/a-to-z#dates, #times): "9 April 2019" — no
// leading zero, no day name, no ordinal; times on the 12-hour clock as "2:05pm", "5pm" (no ":00"),
// "midday" rather than "12pm" and "midnight" rather than "12am". Month names are fixed English, not
// locale-dependent, so output never changes with the server's ICU data.
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** '2026-10' (a calendar month) → 'October 2026'. */
export function formatMonthGovUk(month: string): string {
  return `${MONTHS[Number(month.slice(5)) - 1] ?? ''} ${month.slice(0, 4)}`;
}

function dateText(year: number, month: number, day: number): string {
  return `${day} ${MONTHS[month - 1] ?? ''} ${year}`;
}

/** '2019-04-09' → '9 April 2019'. Throws a RangeError if it is not an IsoDate. */
export function formatDateGovUk(isoDate: IsoDate): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return dateText(year, month, day);
}

/** 14:05 → '2:05pm', 17:00 → '5pm', 12:00 → 'midday', 00:00 → 'midnight'. */
export function formatTimeGovUk(hour: number, minute: number): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const suffix = hour < 12 ? 'am' : 'pm';
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/**
 * An instant as Europe/London wall-clock time: '9 April 2019 at 2:05pm'. Seconds are dropped (not
 * rounded). A string is read as by `parseInstant` (an offset or Z is an instant; none is London time).
 */
export function formatDateTimeGovUk(instant: Date | string): string {
  const date = typeof instant === 'string' ? parseInstant(instant) : instant;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('Expected a valid Date');
  const local = londonWallClockOf(date);
  return `${dateText(local.year, local.month, local.day)} at ${formatTimeGovUk(local.hour, local.minute)}`;
}
