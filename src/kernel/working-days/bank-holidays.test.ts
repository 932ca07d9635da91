import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, formatIsoDate, isoDayOfWeek } from '../time/index.ts';
import type { IsoDate } from '../time/index.ts';
import { GOV_UK_ENGLAND_AND_WALES } from './bank-holidays.expected.ts';
import { BANK_HOLIDAY_OVERRIDES, englandAndWalesBankHolidays, isBankHoliday } from './index.ts';

const YEARS = Array.from({ length: 16 }, (_, i) => 2015 + i);

function expectedDates(year: number): IsoDate[] {
  return (GOV_UK_ENGLAND_AND_WALES[year] ?? []).map(([date]) => date);
}

describe('England and Wales bank holidays, pinned against gov.uk 2015–2030', () => {
  it.each(YEARS)('%i matches the vendored gov.uk list exactly', (year) => {
    expect(englandAndWalesBankHolidays(year).map((h) => h.date)).toEqual(expectedDates(year));
  });

  it('has a name for every bank holiday', () => {
    for (const year of YEARS) {
      for (const holiday of englandAndWalesBankHolidays(year)) expect(holiday.name.length).toBeGreaterThan(3);
    }
  });

  it('includes the one-offs', () => {
    for (const date of ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) {
      expect(isBankHoliday(date), date).toBe(true);
    }
    // … and not the Mondays they replaced.
    expect(isBankHoliday('2020-05-04')).toBe(false);
    expect(isBankHoliday('2022-05-30')).toBe(false);
  });

  it('gives the substitute weekday, not the weekend date, for Christmas and New Year', () => {
    expect(isBankHoliday('2021-12-25')).toBe(false); // Saturday
    expect(isBankHoliday('2021-12-27')).toBe(true);
    expect(isBankHoliday('2021-12-28')).toBe(true);
    expect(isBankHoliday('2022-12-25')).toBe(false); // Sunday
    expect(isBankHoliday('2022-12-26')).toBe(true);
    expect(isBankHoliday('2022-12-27')).toBe(true);
    expect(isBankHoliday('2022-01-03')).toBe(true);
  });

  it('documents the date-holidays difference we correct: it also lists the weekend nominal day', () => {
    // If this starts failing, date-holidays has changed how it reports substitutes: re-check the filter
    // in bank-holidays.ts (the pinned lists above remain the authority).
    const raw = new Holidays('GB', 'ENG')
      .getHolidays(2021)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10));
    expect(raw).toContain('2021-12-25');
    expect(englandAndWalesBankHolidays(2021).map((h) => h.date)).not.toContain('2021-12-25');
  });

  it('memoises each year', () => {
    expect(englandAndWalesBankHolidays(2019)).toBe(englandAndWalesBankHolidays(2019));
  });

  it('refuses a year that is not a whole number', () => {
    expect(() => englandAndWalesBankHolidays(2019.5)).toThrow(RangeError);
    expect(() => isBankHoliday('2019-13-01')).toThrow(RangeError);
  });
});

describe('the override table', () => {
  it('holds only corrections date-holidays still needs (none with 3.37.0): remove each once upstream has it', () => {
    const upstream = (date: string) =>
      englandAndWalesBankHolidays(Number(date.slice(0, 4)), { add: [], remove: [] }).map((h) => h.date);
    const redundant = [
      ...BANK_HOLIDAY_OVERRIDES.add
        .filter((h) => upstream(h.date).includes(h.date))
        .map((h) => `add ${h.date}`),
      ...BANK_HOLIDAY_OVERRIDES.remove.filter((d) => !upstream(d).includes(d)).map((d) => `remove ${d}`),
    ];
    expect(redundant).toEqual([]);
  });

  it('adds and removes dates when given corrections', () => {
    const corrected = englandAndWalesBankHolidays(2031, {
      add: [
        { date: '2031-06-06', name: 'Made-up one-off' },
        { date: '2032-01-05', name: 'Another year, ignored for 2031' },
      ],
      remove: ['2031-05-05'],
    });
    const dates = corrected.map((h) => h.date);
    expect(dates).toContain('2031-06-06');
    expect(dates).not.toContain('2031-05-05');
    expect(dates).not.toContain('2032-01-05');
    expect(corrected.find((h) => h.date === '2031-06-06')?.name).toBe('Made-up one-off');
    expect([...dates].sort()).toEqual(dates); // still in date order
    // The shared, memoised list is untouched.
    expect(englandAndWalesBankHolidays(2031).map((h) => h.date)).toContain('2031-05-05');
  });
});

// An independent statement of the standing rules, so that a typo in the vendored list cannot hide: the
// list must agree with these rules (apart from the one-offs) as well as with date-holidays.
function easterSunday(year: number): IsoDate {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatIsoDate({ year, month, day });
}

function firstMonday(year: number, month: number): IsoDate {
  let d = formatIsoDate({ year, month, day: 1 });
  while (isoDayOfWeek(d) !== 1) d = addCalendarDays(d, 1);
  return d;
}

function lastMonday(year: number, month: number): IsoDate {
  let d = addCalendarDays(formatIsoDate({ year, month: month + 1, day: 1 }), -1);
  while (isoDayOfWeek(d) !== 1) d = addCalendarDays(d, -1);
  return d;
}

function standingRules(year: number): IsoDate[] {
  const taken = new Set<IsoDate>();
  const onWeekday = (date: IsoDate): IsoDate => {
    let d = date;
    while (isoDayOfWeek(d) >= 6 || taken.has(d)) d = addCalendarDays(d, 1);
    taken.add(d);
    return d;
  };
  const easter = easterSunday(year);
  const newYear = onWeekday(formatIsoDate({ year, month: 1, day: 1 }));
  const christmas = onWeekday(formatIsoDate({ year, month: 12, day: 25 }));
  const boxingDay = onWeekday(formatIsoDate({ year, month: 12, day: 26 }));
  return [
    newYear,
    addCalendarDays(easter, -2),
    addCalendarDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    christmas,
    boxingDay,
  ].sort();
}

describe('the vendored list itself', () => {
  it('holds only weekdays, in date order, with no repeats', () => {
    for (const year of YEARS) {
      const dates = expectedDates(year);
      expect(new Set(dates).size).toBe(dates.length);
      expect([...dates].sort()).toEqual(dates);
      for (const date of dates) expect(isoDayOfWeek(date), date).toBeLessThan(6);
    }
  });

  it('follows the standing rules, apart from the announced one-offs', () => {
    const oneOffs: Record<number, { added: IsoDate[]; removed: IsoDate[] }> = {
      2020: { added: ['2020-05-08'], removed: ['2020-05-04'] },
      2022: { added: ['2022-06-02', '2022-06-03', '2022-09-19'], removed: ['2022-05-30'] },
      2023: { added: ['2023-05-08'], removed: [] },
    };
    for (const year of YEARS) {
      const change = oneOffs[year] ?? { added: [], removed: [] };
      const expected = [
        ...standingRules(year).filter((d) => !change.removed.includes(d)),
        ...change.added,
      ].sort();
      expect(expectedDates(year), String(year)).toEqual(expected);
    }
  });

  it('uses Easter dates from the computus (spot checks)', () => {
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2027)).toBe('2027-03-28');
  });
});
