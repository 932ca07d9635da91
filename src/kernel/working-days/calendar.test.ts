import { describe, expect, it } from 'vitest';
import { createWorkingDayCalendar, englandAndWalesCalendar } from './index.ts';

const calendar = createWorkingDayCalendar();

describe('isWorkingDay', () => {
  it.each([
    ['2019-04-09', true], // Tuesday
    ['2019-04-13', false], // Saturday
    ['2019-04-14', false], // Sunday
    ['2019-04-19', false], // Good Friday
    ['2019-04-22', false], // Easter Monday
    ['2019-12-24', true], // Christmas Eve is not a bank holiday
    ['2020-05-04', true], // the early May bank holiday moved to Friday 8 May that year
    ['2020-05-08', false],
    ['2021-12-28', false], // Boxing Day substitute
  ])('%s → %s', (date, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
  });

  it('refuses something that is not a date', () => {
    expect(() => calendar.isWorkingDay('9 April 2019')).toThrow(RangeError);
  });
});

describe('addWorkingDays (the start day is day 1)', () => {
  it('45 working days from Tuesday 9 April 2019 is Friday 14 June 2019', () => {
    // Counted by hand, start day = 1, skipping Good Friday 19/4, Easter Monday 22/4, 6/5 and 27/5:
    // April 9-12 (1-4), 15-18 (5-8), 23-26 (9-12), 29-30 (13-14); May 1-3 (15-17), 7-10 (18-21),
    // 13-17 (22-26), 20-24 (27-31), 28-31 (32-35); June 3-7 (36-40), 10-14 (41-45).
    expect(calendar.addWorkingDays('2019-04-09', 45)).toBe('2019-06-14');
  });

  it('15 working days from Friday 24 May 2019 (before the 27 May bank holiday) is Friday 14 June 2019', () => {
    // Fri 24 (1); Mon 27 is a bank holiday; 28-31 (2-5); June 3-7 (6-10); 10-14 (11-15).
    expect(calendar.addWorkingDays('2019-05-24', 15)).toBe('2019-06-14');
  });

  it('15 working days from Friday 23 August 2019 (before the 26 August bank holiday) is Friday 13 September', () => {
    // Fri 23 (1); Mon 26 is a bank holiday; 27-30 (2-5); Sept 2-6 (6-10); 9-13 (11-15).
    expect(calendar.addWorkingDays('2019-08-23', 15)).toBe('2019-09-13');
  });

  it('1 working day from a Friday is that Friday', () => {
    expect(calendar.addWorkingDays('2019-04-12', 1)).toBe('2019-04-12');
  });

  it('2 working days from a Friday is the Monday', () => {
    expect(calendar.addWorkingDays('2019-04-12', 2)).toBe('2019-04-15');
  });

  it('2 working days from a Friday before a bank-holiday Monday is the Tuesday', () => {
    expect(calendar.addWorkingDays('2019-05-03', 2)).toBe('2019-05-07');
  });

  it('2 working days from the Thursday before Easter is the Tuesday after', () => {
    expect(calendar.addWorkingDays('2019-04-18', 2)).toBe('2019-04-23');
  });

  it('crosses Christmas and New Year with their substitute days', () => {
    // 2020: Fri 25 Christmas, Mon 28 Boxing Day substitute; Fri 1 January 2021.
    expect(calendar.addWorkingDays('2020-12-24', 2)).toBe('2020-12-29');
    expect(calendar.addWorkingDays('2020-12-31', 2)).toBe('2021-01-04');
    // 2022: Mon 26 Boxing Day, Tue 27 Christmas Day substitute; Mon 2 January 2023 New Year substitute.
    expect(calendar.addWorkingDays('2022-12-23', 2)).toBe('2022-12-28');
    expect(calendar.addWorkingDays('2022-12-30', 2)).toBe('2023-01-03');
  });

  it('from a Saturday behaves like pandas: day 1 and day 2 are both the Monday', () => {
    // pandas: Timestamp('2019-04-13') + CustomBusinessDay(0) → 2019-04-15 (rolls forward), and
    // + CustomBusinessDay(1) → 2019-04-15 (rolls back to Friday, then one step forward).
    expect(calendar.addWorkingDays('2019-04-13', 1)).toBe('2019-04-15');
    expect(calendar.addWorkingDays('2019-04-13', 2)).toBe('2019-04-15');
    expect(calendar.addWorkingDays('2019-04-13', 3)).toBe('2019-04-16');
    // From a bank holiday: Good Friday 2019.
    expect(calendar.addWorkingDays('2019-04-19', 1)).toBe('2019-04-23');
    expect(calendar.addWorkingDays('2019-04-19', 2)).toBe('2019-04-23');
  });

  it('for n ≤ 0 follows pandas too: roll forward, then step back', () => {
    expect(calendar.addWorkingDays('2019-04-15', 0)).toBe('2019-04-12'); // Monday → Friday
    expect(calendar.addWorkingDays('2019-04-13', 0)).toBe('2019-04-12'); // Saturday → Monday → Friday
    expect(calendar.addWorkingDays('2019-04-23', -1)).toBe('2019-04-17'); // over Easter
  });

  it('skips closure days', () => {
    const withClosure = createWorkingDayCalendar({ closureDays: ['2019-12-24'] });
    expect(calendar.addWorkingDays('2019-12-23', 2)).toBe('2019-12-24');
    expect(withClosure.addWorkingDays('2019-12-23', 2)).toBe('2019-12-27');
    expect(withClosure.isWorkingDay('2019-12-24')).toBe(false);
    expect(withClosure.closureDays).toEqual(['2019-12-24']);
  });

  it('refuses a fractional number of days or a bad date', () => {
    expect(() => calendar.addWorkingDays('2019-04-09', 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2019-02-30', 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween (inclusive count)', () => {
  it('counts both ends', () => {
    expect(calendar.workingDaysBetween('2019-04-09', '2019-06-14')).toBe(45);
    expect(calendar.workingDaysBetween('2019-04-09', '2019-04-09')).toBe(1);
    expect(calendar.workingDaysBetween('2019-04-12', '2019-04-15')).toBe(2); // Friday to Monday
  });

  it('is 0 for a range with no working days', () => {
    expect(calendar.workingDaysBetween('2019-04-13', '2019-04-14')).toBe(0); // weekend
    expect(calendar.workingDaysBetween('2019-04-19', '2019-04-22')).toBe(0); // Easter
    expect(calendar.workingDaysBetween('2019-04-19', '2019-04-19')).toBe(0);
  });

  it('is 0, never negative, when the end is before the start', () => {
    expect(calendar.workingDaysBetween('2019-06-14', '2019-04-09')).toBe(0);
    expect(calendar.workingDaysBetween('2019-04-10', '2019-04-09')).toBe(0);
  });

  it('leaves out closure days', () => {
    const withClosure = createWorkingDayCalendar({ closureDays: ['2019-12-24', '2019-12-31'] });
    expect(calendar.workingDaysBetween('2019-12-23', '2019-12-31')).toBe(5); // 23, 24, 27, 30, 31
    expect(withClosure.workingDaysBetween('2019-12-23', '2019-12-31')).toBe(3); // 23, 27, 30
  });

  it('counts a whole year: 2019 had 253 working days in England and Wales', () => {
    // 2019 (365 days) began on a Tuesday, so it had 52 Saturdays and 52 Sundays, and 8 bank holidays
    // all on weekdays: 365 − 104 − 8 = 253.
    expect(calendar.workingDaysBetween('2019-01-01', '2019-12-31')).toBe(253);
  });
});

describe('nextWorkingDay, previousWorkingDay, workingDayOnOrAfter', () => {
  it('step over weekends and bank holidays', () => {
    expect(calendar.nextWorkingDay('2019-04-18')).toBe('2019-04-23');
    expect(calendar.nextWorkingDay('2019-04-09')).toBe('2019-04-10');
    expect(calendar.nextWorkingDay('2019-04-13')).toBe('2019-04-15');
    expect(calendar.previousWorkingDay('2019-04-23')).toBe('2019-04-18');
    expect(calendar.previousWorkingDay('2019-04-15')).toBe('2019-04-12');
  });

  it('workingDayOnOrAfter keeps a working day and rolls a non-working day forward', () => {
    expect(calendar.workingDayOnOrAfter('2019-04-18')).toBe('2019-04-18');
    expect(calendar.workingDayOnOrAfter('2019-04-19')).toBe('2019-04-23');
  });
});

describe('createWorkingDayCalendar options', () => {
  it('defaults to 09:00–17:00 and no closure days', () => {
    expect(calendar.workingHours).toEqual({ start: '09:00', end: '17:00' });
    expect(calendar.closureDays).toEqual([]);
    expect(englandAndWalesCalendar.addWorkingDays('2019-04-09', 45)).toBe('2019-06-14');
  });

  it('refuses bad closure days and bad working hours', () => {
    expect(() => createWorkingDayCalendar({ closureDays: ['24/12/2019'] })).toThrow(RangeError);
    expect(() => createWorkingDayCalendar({ workingHours: { start: '9:00', end: '17:00' } })).toThrow(
      RangeError,
    );
    expect(() => createWorkingDayCalendar({ workingHours: { start: '17:00', end: '09:00' } })).toThrow(
      /must end after they start/,
    );
  });

  it('keeps its own copy of the closure days', () => {
    const days = ['2019-12-24'];
    const withClosure = createWorkingDayCalendar({ closureDays: days });
    days.push('2019-12-23');
    expect(withClosure.isWorkingDay('2019-12-23')).toBe(true);
  });
});
