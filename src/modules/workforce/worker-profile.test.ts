import { describe, expect, it } from 'vitest';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { asyeReviewDue, asyeReviewsOutstanding, renewalFlagged } from './worker-profile.ts';

const calendar = englandAndWalesCalendar;

describe('ASYE review points', () => {
  it('fall 3, 6 and 12 months after the start, moved on to a working day', () => {
    // 1 September 2026 + 3 months = 1 December 2026 (Tuesday); + 6 = 1 March 2027 (Monday);
    // + 12 = 1 September 2027 (Wednesday).
    expect(asyeReviewDue('2026-09-01', '3-month', calendar)).toBe('2026-12-01');
    expect(asyeReviewDue('2026-09-01', '6-month', calendar)).toBe('2027-03-01');
    expect(asyeReviewDue('2026-09-01', '12-month', calendar)).toBe('2027-09-01');
    // 25 September + 3 months = Christmas Day 2026 (Friday): Boxing Day is a Saturday, so Tuesday 29 December
    expect(asyeReviewDue('2026-09-25', '3-month', calendar)).toBe('2026-12-29');
  });

  it('lists the points not yet recorded while the ASYE runs, and none once it ends', () => {
    const running = { asyeStatus: 'in-progress', asyeStartedOn: '2026-09-01' };
    expect(asyeReviewsOutstanding(running, ['3-month'], calendar).map((r) => r.point)).toEqual([
      '6-month',
      '12-month',
    ]);
    expect(asyeReviewsOutstanding({ ...running, asyeStatus: 'passed' }, [], calendar)).toEqual([]);
  });
});

describe('registration renewal', () => {
  it('is flagged from 30 working days before it lapses', () => {
    // From Tuesday 24 November 2026, 30 working days (both ends counted) reach Thursday 7 January 2027
    // (Christmas Day, Boxing Day substitute 28 December and New Year's Day are not working days).
    expect(calendar.workingDaysBetween('2026-11-24', '2027-01-07')).toBe(30);
    expect(renewalFlagged('2027-01-07', '2026-11-24', calendar)).toBe(true);
    expect(renewalFlagged('2027-01-08', '2026-11-24', calendar)).toBe(false);
    expect(renewalFlagged('2026-11-01', '2026-11-24', calendar)).toBe(true);
  });
});
