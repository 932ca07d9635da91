import { describe, expect, it } from 'vitest';
import { createWorkingDayCalendar } from './index.ts';

const calendar = createWorkingDayCalendar(); // 09:00–17:00
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();

describe('addWorkingHours (09:00–17:00 Europe/London on working days)', () => {
  it('4 working hours from 15:00 on a Friday is 11:00 on Monday', () => {
    // Friday 12 April 2019 15:00 BST = 14:00Z: 2 hours on Friday, 2 on Monday → 11:00 BST = 10:00Z.
    expect(iso(calendar.addWorkingHours(at('2019-04-12T14:00:00Z'), 4))).toBe('2019-04-15T10:00:00.000Z');
  });

  it('4 working hours from 15:00 on the Friday before a bank-holiday Monday is 11:00 on Tuesday', () => {
    expect(iso(calendar.addWorkingHours(at('2019-05-03T14:00:00Z'), 4))).toBe('2019-05-07T10:00:00.000Z');
  });

  it('across the March clock change: 15:00 GMT Friday + 4 = 11:00 BST Monday', () => {
    // Clocks went forward on Sunday 31 March 2019.
    const start = at('2019-03-29T15:00:00Z');
    const end = calendar.addWorkingHours(start, 4);
    expect(iso(end)).toBe('2019-04-01T10:00:00.000Z');
    expect(calendar.workingHoursBetween(start, end)).toBe(4);
  });

  it('across the October clock change: 15:00 BST Friday + 4 = 11:00 GMT Monday', () => {
    // Clocks went back on Sunday 27 October 2019.
    const start = at('2019-10-25T14:00:00Z');
    const end = calendar.addWorkingHours(start, 4);
    expect(iso(end)).toBe('2019-10-28T11:00:00.000Z');
    expect(calendar.workingHoursBetween(start, end)).toBe(4);
  });

  it('a start before opening counts from 09:00', () => {
    expect(iso(calendar.addWorkingHours(at('2019-04-15T06:30:00Z'), 1))).toBe('2019-04-15T09:00:00.000Z');
  });

  it('a start after closing counts from 09:00 the next working day', () => {
    // Monday 18:00 BST + 1 → Tuesday 10:00 BST.
    expect(iso(calendar.addWorkingHours(at('2019-04-15T17:00:00Z'), 1))).toBe('2019-04-16T09:00:00.000Z');
  });

  it('a start at the weekend counts from Monday 09:00', () => {
    expect(iso(calendar.addWorkingHours(at('2019-04-13T10:00:00Z'), 2))).toBe('2019-04-15T10:00:00.000Z');
  });

  it('ends at 17:00 rather than 09:00 the next day when the hours run out exactly at closing', () => {
    expect(iso(calendar.addWorkingHours(at('2019-04-15T08:00:00Z'), 8))).toBe('2019-04-15T16:00:00.000Z');
  });

  it('counts fractional hours', () => {
    // Monday 16:00 BST + 1.5 → 1 hour Monday, 30 minutes Tuesday → 09:30 BST.
    expect(iso(calendar.addWorkingHours(at('2019-04-15T15:00:00Z'), 1.5))).toBe('2019-04-16T08:30:00.000Z');
  });

  it('24 working hours (a MASH amber timescale) from Thursday 10:00 before Easter is the next Wednesday 10:00', () => {
    // Thu 18 April 2019: 7 hours; Good Friday and Easter Monday closed; Tue 23: 8; Wed 24: 8; Thu 25: 1.
    expect(iso(calendar.addWorkingHours(at('2019-04-18T09:00:00Z'), 24))).toBe('2019-04-25T09:00:00.000Z');
  });

  it('0 hours gives the start back, even outside working hours', () => {
    expect(iso(calendar.addWorkingHours(at('2019-04-13T10:00:00Z'), 0))).toBe('2019-04-13T10:00:00.000Z');
  });

  it('skips the local authority closure days', () => {
    const withClosure = createWorkingDayCalendar({ closureDays: ['2019-12-24'] });
    // Monday 23 December 15:00 GMT: 2 hours; 24 closed; 25, 26 bank holidays; Friday 27: 2 hours.
    expect(iso(withClosure.addWorkingHours(at('2019-12-23T15:00:00Z'), 4))).toBe('2019-12-27T11:00:00.000Z');
  });

  it('uses the configured working hours', () => {
    const early = createWorkingDayCalendar({ workingHours: { start: '08:30', end: '16:30' } });
    // Friday 15:00–16:30 BST is 1.5 hours; the other 2.5 run from Monday 08:30 to 11:00 BST (10:00Z).
    expect(iso(early.addWorkingHours(at('2019-04-12T14:00:00Z'), 4))).toBe('2019-04-15T10:00:00.000Z');
    expect(early.isWithinWorkingHours(at('2019-04-15T07:30:00Z'))).toBe(true); // 08:30 BST
  });

  it('refuses negative or non-finite hours and invalid dates', () => {
    expect(() => calendar.addWorkingHours(at('2019-04-15T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingHours(at('2019-04-15T10:00:00Z'), Number.POSITIVE_INFINITY)).toThrow(
      RangeError,
    );
    expect(() => calendar.addWorkingHours(new Date('nonsense'), 1)).toThrow(RangeError);
  });
});

describe('workingHoursBetween', () => {
  it('measures only working time', () => {
    expect(calendar.workingHoursBetween(at('2019-04-12T14:00:00Z'), at('2019-04-15T10:00:00Z'))).toBe(4);
    expect(calendar.workingHoursBetween(at('2019-04-15T08:00:00Z'), at('2019-04-15T08:30:00Z'))).toBe(0.5);
    expect(calendar.workingHoursBetween(at('2019-04-13T00:00:00Z'), at('2019-04-14T23:00:00Z'))).toBe(0);
  });

  it('is 40 for an ordinary week and 32 for Easter week 2019', () => {
    expect(calendar.workingHoursBetween(at('2019-04-01T00:00:00Z'), at('2019-04-08T00:00:00Z'))).toBe(40);
    // Monday 15 to Thursday 18 April; Good Friday is a bank holiday.
    expect(calendar.workingHoursBetween(at('2019-04-15T00:00:00Z'), at('2019-04-22T00:00:00Z'))).toBe(32);
  });

  it('is negative when the end is before the start, and 0 for the same instant', () => {
    expect(calendar.workingHoursBetween(at('2019-04-15T10:00:00Z'), at('2019-04-12T14:00:00Z'))).toBe(-4);
    expect(calendar.workingHoursBetween(at('2019-04-15T10:00:00Z'), at('2019-04-15T10:00:00Z'))).toBe(0);
    // A reversed range with no working time in it is +0, not -0 (which would print as "-0" in a report).
    expect(calendar.workingHoursBetween(at('2019-04-14T10:00:00Z'), at('2019-04-13T10:00:00Z'))).toBe(0);
  });
});

describe('isWithinWorkingHours', () => {
  it.each([
    ['2019-04-15T08:00:00Z', true], // Monday 09:00 BST: opening counts
    ['2019-04-15T15:59:59Z', true], // 16:59:59 BST
    ['2019-04-15T16:00:00Z', false], // 17:00 BST: closed
    ['2019-04-15T07:59:59Z', false], // 08:59:59 BST
    ['2019-04-13T10:00:00Z', false], // Saturday
    ['2019-04-19T10:00:00Z', false], // Good Friday
    ['2019-01-14T09:00:00Z', true], // Monday 09:00 GMT
  ])('%s → %s', (instant, expected) => {
    expect(calendar.isWithinWorkingHours(at(instant))).toBe(expected);
  });
});
