import Holidays from 'date-holidays';
import { assertIsoDate, dayOfWeekOfEpochDay, epochDayOf, isIsoDate } from '../time/index.ts';
import type { IsoDate } from '../time/index.ts';

/** A bank holiday in England and Wales: a weekday on which offices are closed. */
export interface BankHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

/** Corrections applied on top of date-holidays so the calendar matches gov.uk/bank-holidays.json. */
export interface BankHolidayOverrides {
  /** Bank holidays date-holidays does not know about yet (e.g. a newly announced one-off). */
  readonly add: readonly BankHoliday[];
  /** Dates date-holidays wrongly gives as England and Wales bank holidays. */
  readonly remove: readonly IsoDate[];
}

/**
 * The override table. date-holidays 3.37.0 agrees with gov.uk for every year pinned in
 * bank-holidays.test.ts (2015–2030), including the one-offs (2020-05-08 VE day moving the early May bank
 * holiday, 2022-06-02/03 Platinum Jubilee, 2022-09-19 the Queen's funeral, 2023-05-08 the coronation) and
 * the Christmas, Boxing Day and New Year substitutes — once weekend dates are dropped (see below), so
 * the table is empty.
 *
 * When the government announces a one-off bank holiday (or moves one) before date-holidays has a
 * release with it, add it here with a comment citing the announcement, e.g.
 *   add: [{ date: '2032-06-04', name: 'Example one-off bank holiday' }], // gov.uk announcement, 1 Jan 2031
 * then remove the entry once a date-holidays upgrade makes it redundant (the pinned test will still pass).
 */
export const BANK_HOLIDAY_OVERRIDES: BankHolidayOverrides = { add: [], remove: [] };

/** Memoised per year: the list for a year is computed once per process. */
const cache = new Map<number, readonly BankHoliday[]>();

// One instance for the process: building the rule set is the expensive part.
let holidays: Holidays | undefined;
function englandHolidays(): Holidays {
  holidays ??= new Holidays('GB', 'ENG', { types: ['public'] });
  return holidays;
}

function isWeekend(date: IsoDate): boolean {
  const dow = dayOfWeekOfEpochDay(
    epochDayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))),
  );
  return dow >= 6;
}

/**
 * England and Wales bank holidays in `year` as gov.uk lists them, sorted by date, from date-holidays
 * with `BANK_HOLIDAY_OVERRIDES` applied (pass another table to test the mechanism).
 *
 * date-holidays (type 'public') also returns the nominal day when Christmas, Boxing Day or New Year's
 * Day falls at a weekend (e.g. Saturday 2021-12-25) as well as the weekday substitute
 * (Monday 2021-12-27). gov.uk lists only the substitute, the actual day off, so weekend dates are
 * dropped. That makes no difference to working days (weekends are not working days anyway) but keeps
 * this list identical to the official one.
 */
export function englandAndWalesBankHolidays(
  year: number,
  overrides: BankHolidayOverrides = BANK_HOLIDAY_OVERRIDES,
): readonly BankHoliday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Year must be a whole number from 1 to 9999, but was ${year}`);
  }
  if (overrides === BANK_HOLIDAY_OVERRIDES) {
    const cached = cache.get(year);
    if (cached) return cached;
  }
  const removed = new Set(overrides.remove);
  const byDate = new Map<IsoDate, string>();
  for (const holiday of englandHolidays().getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const date = holiday.date.slice(0, 10);
    if (!isIsoDate(date) || isWeekend(date) || removed.has(date)) continue;
    // Two rules can land on one day; keep the first name (there is no such case 2015–2030).
    if (!byDate.has(date)) byDate.set(date, holiday.name);
  }
  for (const extra of overrides.add) {
    assertIsoDate(extra.date, 'bank holiday override date');
    if (extra.date.startsWith(`${String(year).padStart(4, '0')}-`)) byDate.set(extra.date, extra.name);
  }
  const list = Object.freeze(
    [...byDate.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, name]) => Object.freeze({ date, name })),
  );
  if (overrides === BANK_HOLIDAY_OVERRIDES) cache.set(year, list);
  return list;
}

/** True when `date` is an England and Wales bank holiday. */
export function isBankHoliday(date: IsoDate): boolean {
  assertIsoDate(date);
  return englandAndWalesBankHolidays(Number(date.slice(0, 4))).some((h) => h.date === date);
}
