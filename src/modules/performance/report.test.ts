import { describe, expect, it } from 'vitest';
import {
  createWorkingDayCalendar,
  englandAndWalesCalendar as calendar,
} from '../../kernel/working-days/index.ts';
import { figureOf, MEASURES } from './measures.ts';
import {
  barLayout,
  comparisonMonths,
  firstWorkingDay,
  headline,
  isMonth,
  monthName,
  monthPeriod,
  reportBars,
  reportMonthChoices,
  scheduledMonthDue,
} from './report.ts';

describe('the months a report covers', () => {
  it('names a month and gives its first and last day, February in a leap year included', () => {
    expect(monthName('2026-11')).toBe('November 2026');
    expect(monthPeriod('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-01')).toBe(true);
  });

  it('compares with the month before and the same month a year before, across a year end', () => {
    expect(comparisonMonths('2027-01')).toEqual({ previousMonth: '2026-12', previousYear: '2026-01' });
  });

  it('offers complete months only, the most recent first', () => {
    expect(reportMonthChoices('2026-12-07', 3)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(reportMonthChoices('2027-01-04')).toHaveLength(24);
  });
});

describe('when the scheduled report is due', () => {
  it('is due from the first working day of the month, skipping a weekend', () => {
    // 1 November 2026 is a Sunday: the first working day is Monday 2 November.
    expect(firstWorkingDay('2026-11', calendar)).toBe('2026-11-02');
    expect(scheduledMonthDue('2026-11-01', calendar)).toBeNull();
    expect(scheduledMonthDue('2026-11-02', calendar)).toBe('2026-10');
    expect(scheduledMonthDue('2026-11-20', calendar)).toBe('2026-10');
  });

  it('skips the New Year bank holiday and the authority’s closure days', () => {
    // 1 January 2027 is a Friday and a bank holiday: the first working day is Monday 4 January.
    expect(firstWorkingDay('2027-01', calendar)).toBe('2027-01-04');
    expect(scheduledMonthDue('2027-01-01', calendar)).toBeNull();
    expect(scheduledMonthDue('2027-01-04', calendar)).toBe('2026-12');
    const closed = createWorkingDayCalendar({ closureDays: ['2027-01-04'] });
    expect(firstWorkingDay('2027-01', closed)).toBe('2027-01-05');
    expect(scheduledMonthDue('2027-01-04', closed)).toBeNull();
  });
});

describe('the chart and the table beside it', () => {
  it('lays the bars out one a row, scaled to the maximum, a zero with no length', () => {
    const rects = barLayout([50, 100, 0], { x: 300, y: 100, width: 200 }, 14, 100);
    expect(rects).toEqual([
      { x: 300, y: 103, width: 100, height: 8 },
      { x: 300, y: 117, width: 200, height: 8 },
      { x: 300, y: 131, width: 0, height: 8 },
    ]);
    // Counts are scaled to the largest value; nothing at all draws nothing.
    expect(barLayout([2, 4], { x: 0, y: 0, width: 80 }, 10).map((r) => r.width)).toEqual([40, 80]);
    expect(barLayout([0, 0], { x: 0, y: 0, width: 80 }, 10).map((r) => r.width)).toEqual([0, 0]);
  });

  it('shows a rate’s groups that have records as percentages, then all', () => {
    const figure = figureOf(MEASURES['assessment-timeliness'], [
      { grp: '01-10', total: 2, counted: 2 },
      { grp: '46-60', total: 1, counted: 0 },
    ]);
    expect(reportBars(figure)).toEqual([
      { label: '1 to 10 working days', value: 100, text: '100% (2 of 2)' },
      { label: '46 to 60 working days', value: 0, text: '0% (0 of 1)' },
      { label: 'All', value: 66.7, text: '66.7% (2 of 3)' },
    ]);
  });

  it('shows a count’s groups as numbers, and nothing for a month with no records', () => {
    const figure = figureOf(MEASURES.closures, [{ grp: 'RC7', total: 3, counted: 3 }]);
    expect(reportBars(figure).map((b) => [b.value, b.text])).toEqual([
      [3, '3'],
      [3, '3'],
    ]);
    expect(reportBars(figureOf(MEASURES.closures, []))).toEqual([]);
  });

  it('gives the headline for the month, the month before and the year before', () => {
    const m = MEASURES.referrals;
    const f = (n: number) => figureOf(m, n ? [{ grp: '2A', total: n, counted: n }] : []);
    expect(
      headline({ measure: m, figure: f(4), previousMonth: f(2), previousYear: f(0) }, '2026-11'),
    ).toEqual([
      { label: 'November 2026', text: '4' },
      { label: 'October 2026', text: '2' },
      { label: 'November 2025', text: '0' },
    ]);
  });
});
