import { describe, expect, it } from 'vitest';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { addCalendarMonths, afterInterval, nextSupervisionDue } from './supervision.ts';

describe('case supervision due dates', () => {
  it('add calendar months, keeping to the end of a shorter month', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(addCalendarMonths('2026-12-10', 1)).toBe('2027-01-10');
  });

  it.each([
    ['fortnightly', '2026-11-04', '2026-11-18'],
    ['four-weekly', '2026-11-04', '2026-12-02'],
    ['monthly', '2026-11-04', '2026-12-04'],
    ['six-weekly', '2026-11-04', '2026-12-16'],
    ['two-monthly', '2026-11-04', '2027-01-04'],
  ] as const)('%s: a session on %s makes the next due on %s', (frequency, held, due) => {
    expect(afterInterval(held, frequency)).toBe(due);
    expect(
      nextSupervisionDue({ lastHeldOn: held, startedOn: '2020-01-01', frequency }, englandAndWalesCalendar),
    ).toBe(due);
  });

  it('moves a due date on a weekend or bank holiday to the next working day', () => {
    // 25 November 2026 + 1 month = Friday 25 December (Christmas), then Boxing Day (a Saturday, substitute Monday 28th).
    expect(
      nextSupervisionDue(
        { lastHeldOn: '2026-11-25', startedOn: '2020-01-01', frequency: 'monthly' },
        englandAndWalesCalendar,
      ),
    ).toBe('2026-12-29');
    // 7 November 2026 + 4 weeks = Saturday 5 December → Monday 7 December.
    expect(
      nextSupervisionDue(
        { lastHeldOn: '2026-11-07', startedOn: '2020-01-01', frequency: 'four-weekly' },
        englandAndWalesCalendar,
      ),
    ).toBe('2026-12-07');
  });

  it('counts from the start date when there has been no session', () => {
    expect(
      nextSupervisionDue(
        { lastHeldOn: null, startedOn: '2026-10-01', frequency: 'monthly' },
        englandAndWalesCalendar,
      ),
    ).toBe('2026-11-02');
  });
});
