import { DateTime } from 'luxon';

/** Every date and time in Threshold is read in this zone: English local authorities work in UK time. */
export const TIME_ZONE = 'Europe/London';

/**
 * A calendar date (no time, no zone) as 'YYYY-MM-DD', e.g. '2019-04-09'.
 *
 * A plain string alias rather than a branded type, so literals read naturally in rules and tests.
 * Every function here that accepts an IsoDate checks it and throws a RangeError for anything else;
 * use `isIsoDate` at the edges (forms, API bodies, imports) before calling them.
 */
export type IsoDate = string;

/** The parts of a calendar date; month is 1–12. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** True for a real calendar date written exactly as 'YYYY-MM-DD' (years 0001–9999). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  return validParts(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Throws a RangeError unless `value` is an IsoDate; returns it typed. */
export function assertIsoDate(value: unknown, label = 'date'): IsoDate {
  if (!isIsoDate(value)) {
    throw new RangeError(`The ${label} must be a real date in the form YYYY-MM-DD, but was ${String(value)}`);
  }
  return value;
}

/** Splits '2019-04-09' into { year: 2019, month: 4, day: 9 }. Throws a RangeError if it is not an IsoDate. */
export function parseIsoDate(value: string): DateParts {
  assertIsoDate(value);
  return {
    year: Number(value.slice(0, 4)),
    month: Number(value.slice(5, 7)),
    day: Number(value.slice(8, 10)),
  };
}

/** Writes { year: 2019, month: 4, day: 9 } as '2019-04-09'. Throws a RangeError for an impossible date. */
export function formatIsoDate(parts: DateParts): IsoDate {
  const { year, month, day } = parts;
  if (!validParts(year, month, day)) {
    throw new RangeError(`There is no date with year ${year}, month ${month} and day ${day}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil / civil_from_days). Pure integer arithmetic: no Date, no time zone, no DST.

/** Days since 1970-01-01 for a date's parts (no validation: internal). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date parts for a day number (no validation: internal). */
export function partsOfEpochDay(epochDay: number): DateParts {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number (days since 1970-01-01) of an IsoDate. */
export function toEpochDay(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return epochDayOf(year, month, day);
}

/** The IsoDate for a day number (days since 1970-01-01). */
export function fromEpochDay(epochDay: number): IsoDate {
  if (!Number.isSafeInteger(epochDay)) throw new RangeError(`Day number must be a whole number: ${epochDay}`);
  return formatIsoDate(partsOfEpochDay(epochDay));
}

/** `date` moved by `days` calendar days (negative moves back). Throws if `days` is not a whole number. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Number of days must be a whole number: ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function differenceInCalendarDays(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** -1, 0 or 1, for sorting: `dates.sort(compareIsoDates)` puts the earliest first. */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  assertIsoDate(a);
  assertIsoDate(b);
  // Fixed-width, zero-padded, most significant first: string order is date order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: IsoDate): number {
  return dayOfWeekOfEpochDay(toEpochDay(date));
}

/** ISO day of the week for a day number (1970-01-01 was a Thursday). */
export function dayOfWeekOfEpochDay(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Expected a valid Date');
  }
}

/** The calendar date in Europe/London at an instant (so 23:30 UTC on a summer evening is the next day). */
export function isoDateOf(instant: Date): IsoDate {
  assertValidInstant(instant);
  const ms = instant.getTime();
  const local = new Date(ms + offsetInHourOf(ms) * 60_000);
  return formatIsoDate({
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
  });
}

/**
 * The Europe/London wall-clock date and time of an instant, to the minute (seconds dropped), with the offset looked
 * up once an hour as for isoDateOf: pages format many instants each (every date and time on a chronology), and a
 * Luxon DateTime in the London zone costs an Intl lookup each.
 */
export function londonWallClockOf(instant: Date): DateParts & { hour: number; minute: number } {
  assertValidInstant(instant);
  const ms = instant.getTime();
  const local = new Date(ms + offsetInHourOf(ms) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/*
 * Luxon works a time zone's offset out through Intl, which is slow: the generator and the pages call isoDateOf and
 * instantAt hundreds of thousands of times. London's clocks change only on the hour (UTC), so the offset is looked
 * up once for each hour and, for instantAt, once for each day on which the clocks do not change (the two days a
 * year on which they do still go through Luxon). The caches are bounded.
 */
const CACHE_LIMIT = 100_000;
const hourOffsets = new Map<number, number>();
const dayOffsets = new Map<string, number | null>();

/** London's offset from UTC in minutes during the UTC hour holding `ms`. */
function offsetInHourOf(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * 3_600_000, { zone: TIME_ZONE }).offset;
    if (hourOffsets.size >= CACHE_LIMIT) hourOffsets.clear();
    hourOffsets.set(hour, offset);
  }
  return offset;
}

/** London's offset from UTC in minutes for the whole of a day, or null if the clocks change that day. */
function offsetOfWholeDay(date: string, year: number, month: number, day: number): number | null {
  let offset = dayOffsets.get(date);
  if (offset === undefined) {
    const first = DateTime.fromObject({ year, month, day, hour: 0 }, { zone: TIME_ZONE }).offset;
    const last = DateTime.fromObject({ year, month, day, hour: 23, minute: 59 }, { zone: TIME_ZONE }).offset;
    offset = first === last ? first : null;
    if (dayOffsets.size >= CACHE_LIMIT) dayOffsets.clear();
    dayOffsets.set(date, offset);
  }
  return offset;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a 24-hour clock time 'HH:mm' from '00:00' to '23:59'. */
export function isClockTime(value: unknown): value is string {
  return typeof value === 'string' && HH_MM.test(value);
}

/** Minutes after midnight for 'HH:mm'. Throws a RangeError for anything else. */
export function minutesOfClockTime(value: string): number {
  const match = HH_MM.exec(value);
  if (!match) throw new RangeError(`A time must be in the form HH:mm (24-hour clock), but was ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The instant when Europe/London wall clocks show `time` ('HH:mm') on `date`. On the spring-forward day a
 * time in the missing hour (01:00–01:59) moves forward to BST; on the autumn day the first (BST) 01:xx is used.
 */
export function instantAt(date: IsoDate, time: string): Date {
  const { year, month, day } = parseIsoDate(date);
  const minutes = minutesOfClockTime(time);
  const offset = year >= 100 ? offsetOfWholeDay(date, year, month, day) : null;
  if (offset !== null) return new Date(Date.UTC(year, month - 1, day, 0, minutes - offset));
  const local = DateTime.fromObject(
    { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: TIME_ZONE },
  );
  return new Date(local.toMillis());
}

/**
 * When something that happened on `day` goes on the chronology: now if it was today, otherwise noon that day (so a
 * referral dated last week sits last week, not on the day it was recorded).
 */
export function occurredOn(day: IsoDate, now: Date): Date {
  return day === isoDateOf(now) ? now : instantAt(day, '12:00');
}
