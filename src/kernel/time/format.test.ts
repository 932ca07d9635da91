import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatDateGovUk, formatDateTimeGovUk, formatMonthGovUk, formatTimeGovUk } from './index.ts';

describe('formatDateGovUk', () => {
  it.each([
    ['2019-04-09', '9 April 2019'],
    ['2019-12-25', '25 December 2019'],
    ['2020-02-29', '29 February 2020'],
    ['2001-01-01', '1 January 2001'],
  ])('%s → %s', (iso, expected) => {
    expect(formatDateGovUk(iso)).toBe(expected);
  });

  it('refuses something that is not a date', () => {
    expect(() => formatDateGovUk('2019-02-30')).toThrow(RangeError);
  });

  it('never has a leading zero, day name or ordinal', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => /^[1-9]\d? [A-Z][a-z]+ \d{4}$/.test(formatDateGovUk(d.toISOString().slice(0, 10))),
      ),
    );
  });
});

describe('formatTimeGovUk', () => {
  it.each([
    [14, 5, '2:05pm'],
    [17, 0, '5pm'],
    [9, 30, '9:30am'],
    [12, 0, 'midday'],
    [12, 30, '12:30pm'],
    [0, 0, 'midnight'],
    [0, 1, '12:01am'],
    [23, 59, '11:59pm'],
  ])('%i:%i → %s', (hour, minute, expected) => {
    expect(formatTimeGovUk(hour, minute)).toBe(expected);
  });
});

describe('formatDateTimeGovUk', () => {
  it('shows London time: BST in April', () => {
    expect(formatDateTimeGovUk(new Date('2019-04-09T13:05:00Z'))).toBe('9 April 2019 at 2:05pm');
  });

  it('shows London time: GMT in January', () => {
    expect(formatDateTimeGovUk(new Date('2019-01-09T14:05:00Z'))).toBe('9 January 2019 at 2:05pm');
  });

  it('moves to the London date when UTC is still on the day before', () => {
    expect(formatDateTimeGovUk('2019-07-01T23:30:00Z')).toBe('2 July 2019 at 12:30am');
  });

  it('drops seconds rather than rounding them up', () => {
    expect(formatDateTimeGovUk('2019-04-09T13:05:59.999Z')).toBe('9 April 2019 at 2:05pm');
  });

  it('accepts a London local time string', () => {
    expect(formatDateTimeGovUk('2019-04-09T17:00')).toBe('9 April 2019 at 5pm');
  });

  it('refuses an invalid Date', () => {
    expect(() => formatDateTimeGovUk(new Date('nonsense'))).toThrow(RangeError);
  });

  it('says what Luxon says in the London zone, around each clock change 1996–2037 and at any minute 1970–2040', () => {
    const luxon = (ms: number) => {
      const l = DateTime.fromMillis(ms, { zone: 'Europe/London' });
      return `${l.day} ${l.toFormat('LLLL')} ${l.year} at ${formatTimeGovUk(l.hour, l.minute)}`;
    };
    // Since 1996 the clocks change at 01:00 UTC on the last Sunday of March and of October.
    const changes: number[] = [];
    for (let year = 1996; year <= 2037; year++)
      for (const month of [3, 10]) {
        const last = new Date(Date.UTC(year, month, 0, 1, 0));
        changes.push(last.getTime() - last.getUTCDay() * 86_400_000);
      }
    for (const change of changes)
      for (const delta of [-61, -60, -59, -1, 0, 1, 59, 60, 61].map((m) => m * 60_000))
        expect(formatDateTimeGovUk(new Date(change + delta))).toBe(luxon(change + delta));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), (ms) => {
        expect(formatDateTimeGovUk(new Date(ms))).toBe(luxon(ms));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatMonthGovUk', () => {
  it('names a calendar month as GOV.UK writes it', () => {
    expect(formatMonthGovUk('2026-10')).toBe('October 2026');
    expect(formatMonthGovUk('2027-01')).toBe('January 2027');
  });
});
