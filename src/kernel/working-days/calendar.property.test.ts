import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, compareIsoDates } from '../time/index.ts';
import type { IsoDate } from '../time/index.ts';
import { createWorkingDayCalendar } from './index.ts';
import type { WorkingDayCalendar } from './index.ts';

const dateArb = (min = '2014-01-01', max = '2031-12-31'): fc.Arbitrary<IsoDate> =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

/** A calendar with bank holidays only, or with a handful of random closure days near the dates tested. */
const calendarArb: fc.Arbitrary<WorkingDayCalendar> = fc
  .oneof(fc.constant([]), fc.uniqueArray(dateArb('2018-01-01', '2020-12-31'), { maxLength: 20 }))
  .map((closureDays) =>
    // Named by its closure days in counterexamples, rather than printed function by function.
    Object.assign(createWorkingDayCalendar({ closureDays }), {
      [fc.toStringMethod]: () => `createWorkingDayCalendar({ closureDays: ${JSON.stringify(closureDays)} })`,
    }),
  );

const startArb = dateArb('2018-01-01', '2020-06-30');

/**
 * numpy's busday_offset as pandas' CustomBusinessDay uses it: roll the start to a working day (backwards
 * when the offset is positive, forwards otherwise), then move |k| working days. A different algorithm
 * from the calendar's, so agreement is evidence.
 */
function pandasOffset(calendar: WorkingDayCalendar, start: IsoDate, k: number): IsoDate {
  let d = start;
  const rollStep = k > 0 ? -1 : 1;
  while (!calendar.isWorkingDay(d)) d = addCalendarDays(d, rollStep);
  const step = k > 0 ? 1 : -1;
  for (let moved = 0; moved < Math.abs(k);) {
    d = addCalendarDays(d, step);
    if (calendar.isWorkingDay(d)) moved++;
  }
  return d;
}

describe('addWorkingDays properties', () => {
  it('always lands on a working day', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: -60, max: 300 }), (calendar, start, n) => {
        expect(calendar.isWorkingDay(calendar.addWorkingDays(start, n))).toBe(true);
      }),
    );
  });

  it('is exactly pandas start + CustomBusinessDay(n - 1), for any start (working or not) and any n', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: -60, max: 120 }), (calendar, start, n) => {
        expect(calendar.addWorkingDays(start, n)).toBe(pandasOffset(calendar, start, n - 1));
      }),
    );
  });

  it('is monotonic in n (strictly, from a working day)', () => {
    fc.assert(
      fc.property(
        calendarArb,
        startArb,
        fc.integer({ min: -30, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (calendar, start, n, extra) => {
          const earlier = calendar.addWorkingDays(start, n);
          const later = calendar.addWorkingDays(start, n + extra);
          expect(compareIsoDates(earlier, later)).toBeLessThanOrEqual(0);
          if (calendar.isWorkingDay(start)) expect(compareIsoDates(earlier, later)).toBe(-1);
        },
      ),
    );
  });

  it('starts on the start day when it is a working day (n = 1)', () => {
    fc.assert(
      fc.property(calendarArb, startArb, (calendar, start) => {
        fc.pre(calendar.isWorkingDay(start));
        expect(calendar.addWorkingDays(start, 1)).toBe(start);
      }),
    );
  });
});

describe('workingDaysBetween properties', () => {
  it('inverts addWorkingDays from a working day: workingDaysBetween(s, addWorkingDays(s, n)) = n', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: 1, max: 300 }), (calendar, start, n) => {
        fc.pre(calendar.isWorkingDay(start));
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).toBe(n);
      }),
    );
  });

  it('from a non-working day, days 1 and 2 coincide, so the count is n - 1 for n ≥ 2 (the pandas quirk)', () => {
    fc.assert(
      fc.property(calendarArb, startArb, fc.integer({ min: 2, max: 300 }), (calendar, start, n) => {
        fc.pre(!calendar.isWorkingDay(start));
        expect(calendar.addWorkingDays(start, 1)).toBe(calendar.addWorkingDays(start, 2));
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).toBe(n - 1);
      }),
    );
  });

  it('adds up over adjacent ranges and is 0 for a reversed range', () => {
    fc.assert(
      fc.property(
        calendarArb,
        startArb,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        (calendar, a, split, length) => {
          const b = addCalendarDays(a, split);
          const c = addCalendarDays(b, length);
          expect(calendar.workingDaysBetween(a, c)).toBe(
            calendar.workingDaysBetween(a, b) + calendar.workingDaysBetween(addCalendarDays(b, 1), c),
          );
          expect(calendar.workingDaysBetween(c, a)).toBe(0);
        },
      ),
    );
  });

  it('is the day-by-day count of working days, over spans of up to 12 years (counted by year, not by day)', () => {
    fc.assert(
      fc.property(
        calendarArb,
        dateArb('2014-01-01', '2031-12-31'),
        fc.integer({ min: -3, max: 4400 }),
        (calendar, a, span) => {
          const b = addCalendarDays(a, span);
          let expected = 0;
          for (let d = a; compareIsoDates(d, b) <= 0; d = addCalendarDays(d, 1))
            if (calendar.isWorkingDay(d)) expected++;
          expect(calendar.workingDaysBetween(a, b)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('nextWorkingDay is the first working day after, with none in between', () => {
    fc.assert(
      fc.property(calendarArb, startArb, (calendar, d) => {
        const next = calendar.nextWorkingDay(d);
        expect(compareIsoDates(d, next)).toBe(-1);
        expect(calendar.isWorkingDay(next)).toBe(true);
        expect(calendar.workingDaysBetween(addCalendarDays(d, 1), next)).toBe(1);
        expect(calendar.previousWorkingDay(next)).toBe(
          calendar.isWorkingDay(d) ? d : calendar.previousWorkingDay(d),
        );
      }),
    );
  });
});

describe('working hours properties', () => {
  const instantArb = fc.date({
    min: new Date('2018-01-01T00:00:00Z'),
    max: new Date('2020-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  /** Whole minutes up to about six working weeks, as hours. */
  const hoursArb = fc.integer({ min: 0, max: 60 * 8 * 30 }).map((minutes) => minutes / 60);

  it('adding hours then measuring gives the same number of hours back', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (calendar, start, hours) => {
        expect(calendar.workingHoursBetween(start, calendar.addWorkingHours(start, hours))).toBe(hours);
      }),
      { numRuns: 60 },
    );
  });

  it('ends inside working hours (or exactly at closing)', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (calendar, start, hours) => {
        fc.pre(hours > 0);
        const end = calendar.addWorkingHours(start, hours);
        expect(calendar.isWithinWorkingHours(new Date(end.getTime() - 1))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('adding in two steps is the same as adding in one', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, hoursArb, (calendar, start, h1, h2) => {
        const twoSteps = calendar.addWorkingHours(calendar.addWorkingHours(start, h1), h2);
        const oneStep = calendar.addWorkingHours(start, (Math.round(h1 * 60) + Math.round(h2 * 60)) / 60);
        expect(twoSteps.getTime()).toBe(oneStep.getTime());
      }),
      { numRuns: 60 },
    );
  });

  it('measuring is antisymmetric', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 }),
        (calendar, a, gap) => {
          const b = new Date(a.getTime() + gap);
          const there = calendar.workingHoursBetween(a, b);
          const back = calendar.workingHoursBetween(b, a);
          expect(there + back).toBe(0);
          if (there !== 0) expect(Math.sign(there)).toBe(Math.sign(b.getTime() - a.getTime()));
        },
      ),
      { numRuns: 60 },
    );
  });
});
