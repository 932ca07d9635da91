import {
  assertIsoDate,
  dayOfWeekOfEpochDay,
  epochDayOf,
  formatIsoDate,
  instantAt,
  isoDateOf,
  minutesOfClockTime,
  partsOfEpochDay,
} from '../time/index.ts';
import type { IsoDate } from '../time/index.ts';
import { englandAndWalesBankHolidays } from './bank-holidays.ts';

/** Office hours on a working day, Europe/London wall-clock time, 24-hour 'HH:mm'. */
export interface WorkingHours {
  readonly start: string;
  readonly end: string;
}

export interface WorkingDayCalendarOptions {
  /** The local authority's own closure days (e.g. '2019-12-24'), on top of bank holidays and weekends. */
  readonly closureDays?: readonly IsoDate[];
  /** Defaults to 09:00–17:00. */
  readonly workingHours?: WorkingHours;
}

export interface WorkingDayCalendar {
  readonly closureDays: readonly IsoDate[];
  readonly workingHours: WorkingHours;
  /** Monday to Friday, not an England and Wales bank holiday, not a closure day. */
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The date of working day `n`, counting `start` as day 1 (the CIN census convention): exactly pandas
   * `start + CustomBusinessDay(n - 1)`. See README.md for non-working starts and n ≤ 0.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate;
  /** How many working days lie in [start, end], both ends included; 0 when end is before start. */
  workingDaysBetween(start: IsoDate, end: IsoDate): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate;
  /** The last working day strictly before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate;
  /** `date` itself if it is a working day, otherwise the next working day. */
  workingDayOnOrAfter(date: IsoDate): IsoDate;
  /** True when `instant` is within working hours on a working day (start inclusive, end exclusive). */
  isWithinWorkingHours(instant: Date): boolean;
  /**
   * The earliest instant by which `hours` working hours have passed since `instant`. Time outside working
   * hours does not count, so a start in the evening counts from the next opening. `hours` may be
   * fractional (counted to the millisecond); 0 gives `instant` back.
   */
  addWorkingHours(instant: Date, hours: number): Date;
  /** Working hours from `a` to `b` (fractional); negative when `b` is before `a`. */
  workingHoursBetween(a: Date, b: Date): number;
}

const MS_PER_HOUR = 3_600_000;

/** Bank holidays per year as day numbers, shared by every calendar (memoised: computed once per year). */
const bankHolidayDays = new Map<number, ReadonlySet<number>>();
function bankHolidayDaysIn(year: number): ReadonlySet<number> {
  let days = bankHolidayDays.get(year);
  if (!days) {
    days = new Set(
      englandAndWalesBankHolidays(year).map((h) =>
        epochDayOf(Number(h.date.slice(0, 4)), Number(h.date.slice(5, 7)), Number(h.date.slice(8, 10))),
      ),
    );
    bankHolidayDays.set(year, days);
  }
  return days;
}

/** Opening and closing instants per day number, shared by calendars with the same working hours. */
const openingTimes = new Map<string, Map<number, { open: number; close: number }>>();
function openingTimesCache(hours: WorkingHours): Map<number, { open: number; close: number }> {
  const key = `${hours.start}-${hours.end}`;
  let cache = openingTimes.get(key);
  if (!cache) {
    cache = new Map();
    openingTimes.set(key, cache);
  }
  return cache;
}

function dayNumber(date: IsoDate): number {
  assertIsoDate(date);
  return epochDayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function dateOfDayNumber(day: number): IsoDate {
  return formatIsoDate(partsOfEpochDay(day));
}

function assertValidDate(instant: Date, label: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`The ${label} must be a valid Date`);
  }
}

export function createWorkingDayCalendar(options: WorkingDayCalendarOptions = {}): WorkingDayCalendar {
  const closureDays = Object.freeze([...(options.closureDays ?? [])].sort());
  const closed = new Set(closureDays.map((d) => dayNumber(d)));

  const workingHours = Object.freeze({ ...(options.workingHours ?? { start: '09:00', end: '17:00' }) });
  const openMinutes = minutesOfClockTime(workingHours.start);
  const closeMinutes = minutesOfClockTime(workingHours.end);
  if (closeMinutes <= openMinutes) {
    throw new RangeError(
      `Working hours must end after they start, but were ${workingHours.start} to ${workingHours.end}`,
    );
  }

  function isWorkingDayNumber(day: number): boolean {
    if (dayOfWeekOfEpochDay(day) >= 6) return false;
    if (closed.has(day)) return false;
    return !bankHolidayDaysIn(partsOfEpochDay(day).year).has(day);
  }

  // Every year has working days, so these loops end within a few days (a closure run is finite).
  function nextAfter(day: number): number {
    let d = day + 1;
    while (!isWorkingDayNumber(d)) d += 1;
    return d;
  }
  function previousBefore(day: number): number {
    let d = day - 1;
    while (!isWorkingDayNumber(d)) d -= 1;
    return d;
  }
  function onOrAfter(day: number): number {
    return isWorkingDayNumber(day) ? day : nextAfter(day);
  }

  // Working days counted per year, once (lazily): `before[i]` is the number of working days on the year's days
  // before its i-th (0-based), so counting over a span costs one lookup per year it covers rather than one test per
  // day (a statutory clock that started years ago is counted as quickly as one that started last week).
  const yearTables = new Map<number, { start: number; before: Int32Array }>();
  function yearTable(year: number): { start: number; before: Int32Array } {
    let table = yearTables.get(year);
    if (!table) {
      const start = epochDayOf(year, 1, 1);
      const length = epochDayOf(year + 1, 1, 1) - start;
      const before = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) before[i + 1] = before[i]! + (isWorkingDayNumber(start + i) ? 1 : 0);
      table = { start, before };
      if (yearTables.size >= 400) yearTables.clear(); // bound memory (a year's table is about 1.5 KB)
      yearTables.set(year, table);
    }
    return table;
  }
  /** Working days from 1 January of the day's year up to the day, the day itself included when `through`. */
  function workingInYearUpTo(day: number, through: boolean): number {
    const table = yearTable(partsOfEpochDay(day).year);
    return table.before[day - table.start + (through ? 1 : 0)]!;
  }

  const hoursCache = openingTimesCache(workingHours);
  /**
   * The opening and closing instants (ms) of working hours on a day, in Europe/London: worked out per
   * day, so a clock change is always right. Memoised (the time-zone lookup is the slow part).
   */
  function hoursOn(day: number): { open: number; close: number } {
    let hours = hoursCache.get(day);
    if (!hours) {
      const date = dateOfDayNumber(day);
      hours = {
        open: instantAt(date, workingHours.start).getTime(),
        close: instantAt(date, workingHours.end).getTime(),
      };
      if (hoursCache.size >= 50_000) hoursCache.clear(); // bound memory in a long-running process
      hoursCache.set(day, hours);
    }
    return hours;
  }

  function workingMsBetween(from: number, to: number): number {
    // from <= to
    let total = 0;
    const last = dayNumber(isoDateOf(new Date(to)));
    for (let day = dayNumber(isoDateOf(new Date(from))); day <= last; day++) {
      if (!isWorkingDayNumber(day)) continue;
      const { open, close } = hoursOn(day);
      const overlap = Math.min(close, to) - Math.max(open, from);
      if (overlap > 0) total += overlap;
    }
    return total;
  }

  return {
    closureDays,
    workingHours,

    isWorkingDay(date) {
      return isWorkingDayNumber(dayNumber(date));
    },

    addWorkingDays(start, n) {
      if (!Number.isSafeInteger(n))
        throw new RangeError(`Number of working days must be a whole number: ${n}`);
      const k = n - 1; // pandas offset: the start day is day 1
      let day = dayNumber(start);
      if (k === 0) return dateOfDayNumber(onOrAfter(day));
      if (k > 0) {
        // Each step moves to the next working day, so a Saturday start's first step lands on Monday,
        // as pandas does (it rolls a non-working start back to Friday before stepping forward).
        for (let i = 0; i < k; i++) day = nextAfter(day);
        return dateOfDayNumber(day);
      }
      // k < 0: pandas rolls a non-working start forward, then steps back.
      day = onOrAfter(day);
      for (let i = 0; i < -k; i++) day = previousBefore(day);
      return dateOfDayNumber(day);
    },

    workingDaysBetween(start, end) {
      const first = dayNumber(start);
      const last = dayNumber(end);
      if (last < first) return 0;
      // The whole years from the first day's year up to the last day's, then the two ends within their years.
      const lastYear = partsOfEpochDay(last).year;
      let count = 0;
      for (let year = partsOfEpochDay(first).year; year < lastYear; year++) {
        const { before } = yearTable(year);
        count += before[before.length - 1]!;
      }
      return count + workingInYearUpTo(last, true) - workingInYearUpTo(first, false);
    },

    nextWorkingDay(date) {
      return dateOfDayNumber(nextAfter(dayNumber(date)));
    },

    previousWorkingDay(date) {
      return dateOfDayNumber(previousBefore(dayNumber(date)));
    },

    workingDayOnOrAfter(date) {
      return dateOfDayNumber(onOrAfter(dayNumber(date)));
    },

    isWithinWorkingHours(instant) {
      assertValidDate(instant, 'instant');
      const day = dayNumber(isoDateOf(instant));
      if (!isWorkingDayNumber(day)) return false;
      const { open, close } = hoursOn(day);
      const t = instant.getTime();
      return t >= open && t < close;
    },

    addWorkingHours(instant, hours) {
      assertValidDate(instant, 'start');
      if (!Number.isFinite(hours) || hours < 0) {
        throw new RangeError(`Number of working hours must be zero or more: ${hours}`);
      }
      let remaining = Math.round(hours * MS_PER_HOUR);
      const cursor = instant.getTime();
      if (remaining === 0) return new Date(cursor);
      for (let day = dayNumber(isoDateOf(instant)); ; day++) {
        if (!isWorkingDayNumber(day)) continue;
        const { open, close } = hoursOn(day);
        const from = Math.max(open, cursor);
        if (from >= close) continue;
        const available = close - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    },

    workingHoursBetween(a, b) {
      assertValidDate(a, 'start');
      assertValidDate(b, 'end');
      const from = a.getTime();
      const to = b.getTime();
      const ms = from <= to ? workingMsBetween(from, to) : 0 - workingMsBetween(to, from); // never -0
      return ms / MS_PER_HOUR;
    },
  };
}

/**
 * A calendar with England and Wales bank holidays, no local closure days and 09:00–17:00 working hours.
 * Services should use the application's calendar (built from config with the authority's closure days);
 * this one is for code that genuinely has no authority context.
 */
export const englandAndWalesCalendar: WorkingDayCalendar = createWorkingDayCalendar();
