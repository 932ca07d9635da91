import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  compareIsoDates,
  differenceInCalendarDays,
  formatIsoDate,
  fromEpochDay,
  instantAt,
  isIsoDate,
  isoDateOf,
  isoDayOfWeek,
  minutesOfClockTime,
  parseIsoDate,
  toEpochDay,
} from './index.ts';

/** Any real date 1900–2100, built from Date.UTC (an independent oracle for our integer arithmetic). */
const isoDateArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('isIsoDate', () => {
  it.each([
    ['2019-04-09', true],
    ['2020-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400: leap
    ['1900-02-29', false], // divisible by 100 only: not leap
    ['2019-02-29', false],
    ['2019-04-31', false],
    ['2019-13-01', false],
    ['2019-00-10', false],
    ['0000-01-01', false],
    ['2019-4-9', false],
    ['09/04/2019', false],
    ['2019-04-09T00:00:00Z', false],
    [' 2019-04-09', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('rejects values that are not strings', () => {
    expect(isIsoDate(20190409)).toBe(false);
    expect(isIsoDate(new Date('2019-04-09'))).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });
});

describe('parseIsoDate and formatIsoDate', () => {
  it('split and join the parts', () => {
    expect(parseIsoDate('2019-04-09')).toEqual({ year: 2019, month: 4, day: 9 });
    expect(formatIsoDate({ year: 2019, month: 4, day: 9 })).toBe('2019-04-09');
    expect(formatIsoDate({ year: 987, month: 12, day: 31 })).toBe('0987-12-31');
  });

  it('refuse impossible dates with a RangeError', () => {
    expect(() => parseIsoDate('2019-02-30')).toThrow(RangeError);
    expect(() => formatIsoDate({ year: 2019, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => formatIsoDate({ year: 2019, month: 1.5, day: 1 })).toThrow(RangeError);
  });

  it('round-trip any date', () => {
    fc.assert(fc.property(isoDateArb, (d) => formatIsoDate(parseIsoDate(d)) === d));
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2019-04-09', 1, '2019-04-10'],
    ['2019-04-30', 1, '2019-05-01'],
    ['2019-12-31', 1, '2020-01-01'],
    ['2020-02-28', 1, '2020-02-29'],
    ['2019-02-28', 1, '2019-03-01'],
    ['2019-03-01', -1, '2019-02-28'],
    ['2019-04-09', 0, '2019-04-09'],
    ['2019-04-09', 366, '2020-04-09'], // across 29 February 2020
    ['2019-03-30', 2, '2019-04-01'], // across the clock change: calendar days are not 24-hour periods
  ])('addCalendarDays(%s, %i) = %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });

  it('refuses a fractional number of days', () => {
    expect(() => addCalendarDays('2019-04-09', 1.5)).toThrow(RangeError);
  });

  it('knows the day of the week (1 = Monday)', () => {
    expect(isoDayOfWeek('2019-04-09')).toBe(2); // a Tuesday
    expect(isoDayOfWeek('2019-04-14')).toBe(7); // a Sunday
    expect(isoDayOfWeek('1970-01-01')).toBe(4); // a Thursday
    expect(isoDayOfWeek('1969-12-29')).toBe(1); // a Monday, before day 0
  });

  it('day numbers count from 1970-01-01', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('2019-04-09')).toBe(17995);
    expect(fromEpochDay(-1)).toBe('1969-12-31');
  });

  it('day numbers agree with Date.UTC for any date', () => {
    fc.assert(
      fc.property(isoDateArb, (d) => {
        expect(toEpochDay(d)).toBe(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
        expect(fromEpochDay(toEpochDay(d))).toBe(d);
        expect(isoDayOfWeek(d)).toBe(((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it('adding then subtracting days returns to the start, and the difference is the days added', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        const moved = addCalendarDays(d, n);
        expect(addCalendarDays(moved, -n)).toBe(d);
        expect(differenceInCalendarDays(d, moved)).toBe(n);
      }),
    );
  });

  it('compareIsoDates orders by date and sorts earliest first', () => {
    expect(compareIsoDates('2019-04-09', '2019-04-10')).toBe(-1);
    expect(compareIsoDates('2019-04-10', '2019-04-09')).toBe(1);
    expect(compareIsoDates('2019-04-09', '2019-04-09')).toBe(0);
    expect(['2020-01-01', '2019-12-31', '2019-02-01'].sort(compareIsoDates)).toEqual([
      '2019-02-01',
      '2019-12-31',
      '2020-01-01',
    ]);
    expect(() => compareIsoDates('2019-04-09', 'tomorrow')).toThrow(RangeError);
    fc.assert(
      fc.property(isoDateArb, isoDateArb, (a, b) => {
        expect(compareIsoDates(a, b)).toBe(Math.sign(differenceInCalendarDays(b, a)));
      }),
    );
  });
});

describe('isoDateOf (the date in Europe/London)', () => {
  it('is the next day late on a summer evening in UTC (BST is UTC+1)', () => {
    expect(isoDateOf(new Date('2019-07-01T23:30:00Z'))).toBe('2019-07-02');
  });

  it('is the same day late on a winter evening (GMT is UTC)', () => {
    expect(isoDateOf(new Date('2019-01-01T23:30:00Z'))).toBe('2019-01-01');
  });

  it('refuses an invalid Date', () => {
    expect(() => isoDateOf(new Date('nonsense'))).toThrow(RangeError);
  });

  it('agrees with Luxon at the start and end of every hour of the weeks the clocks change, 1961–2036 (cached by the hour)', () => {
    const wrong: string[] = [];
    for (let year = 1961; year <= 2040; year += 5)
      for (const month of [3, 10])
        for (let hour = 0; hour < 8 * 24; hour++)
          for (const ms of [0, 3_599_999].map((m) => Date.UTC(year, month - 1, 24) + hour * 3_600_000 + m)) {
            const luxon = DateTime.fromMillis(ms, { zone: 'Europe/London' }).toISODate();
            if (isoDateOf(new Date(ms)) !== luxon) wrong.push(new Date(ms).toISOString());
          }
    expect(wrong).toEqual([]);
  }, 30_000);
});

describe('instantAt (London wall-clock time on a date)', () => {
  it('is GMT in winter and BST in summer', () => {
    expect(instantAt('2019-03-29', '09:00').toISOString()).toBe('2019-03-29T09:00:00.000Z');
    expect(instantAt('2019-04-01', '09:00').toISOString()).toBe('2019-04-01T08:00:00.000Z');
    expect(instantAt('2019-10-28', '17:30').toISOString()).toBe('2019-10-28T17:30:00.000Z');
  });

  it('moves a time in the missing spring-forward hour forwards into BST', () => {
    // 31 March 2019: clocks went from 01:00 GMT to 02:00 BST, so 01:30 never happened.
    expect(instantAt('2019-03-31', '01:30').toISOString()).toBe('2019-03-31T01:30:00.000Z');
  });

  it('agrees with Luxon at every time that matters on the days around the clock changes, 1961–2036 (cached by the day)', () => {
    const times = ['00:00', '00:59', '01:00', '01:30', '02:00', '02:30', '12:00', '23:59'];
    const wrong: string[] = [];
    for (let year = 1961; year <= 2040; year += 5)
      for (const [month, days] of [
        [3, [20, 31]],
        [4, [1, 10]],
        [10, [20, 31]],
      ] as const)
        for (let day = days[0]; day <= days[1]; day++)
          for (const time of times) {
            const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
            const luxon = DateTime.fromISO(`${date}T${time}`, { zone: 'Europe/London' }).toMillis();
            if (instantAt(date, time).getTime() !== luxon) wrong.push(`${date} ${time}`);
          }
    expect(wrong).toEqual([]);
  }, 30_000);

  it('refuses a time that is not HH:mm', () => {
    expect(() => instantAt('2019-04-09', '9:00')).toThrow(RangeError);
    expect(() => instantAt('2019-04-09', '24:00')).toThrow(RangeError);
    expect(minutesOfClockTime('17:45')).toBe(17 * 60 + 45);
  });
});
