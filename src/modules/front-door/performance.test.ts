import { describe, expect, it } from 'vitest';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { consistencyLine, outcomeMix, timelinessByWeekIn, workingTimeTable } from './performance.ts';

describe('the working-time table PostgreSQL counts working hours with', () => {
  const calendar = createWorkingDayCalendar({ closureDays: ['2026-12-24'] });
  const table = workingTimeTable(calendar, '2026-12-01', '2027-01-10');
  // W(t) exactly as the SQL computes it (performance.repository.ts requestTurnaroundCounts).
  const w = (t: Date) => {
    const day = t.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const i = Math.round((Date.parse(day) - Date.parse(table.origin)) / 86_400_000);
    return table.before[i]! + Math.min(Math.max(t.getTime() - table.opens[i]!, 0), table.lengths[i]!);
  };
  it('gives the calendar’s working hours between two instants, over weekends, bank holidays and closures', () => {
    const instants = [
      '2026-12-01T08:00:00Z',
      '2026-12-01T10:15:00Z',
      '2026-12-04T16:59:00Z',
      '2026-12-05T12:00:00Z',
      '2026-12-23T13:30:00Z',
      '2026-12-24T10:00:00Z',
      '2026-12-29T09:45:00Z',
      '2027-01-04T18:00:00Z',
      '2027-01-08T11:11:00Z',
    ].map((s) => new Date(s));
    for (const a of instants)
      for (const b of instants.filter((x) => x >= a))
        expect((w(b) - w(a)) / 3_600_000, `${a.toISOString()} to ${b.toISOString()}`).toBeCloseTo(
          calendar.workingHoursBetween(a, b),
          9,
        );
  });
});

describe('figures from the counts PostgreSQL returns', () => {
  it('fills every week of the period, with totals', () => {
    const t = timelinessByWeekIn({ from: '2026-11-02', to: '2026-11-24' }, [
      { week: '2026-11-16', decided: 3, onTime: 2 },
    ]);
    expect(t.byWeek.map((w) => [w.week, w.decided, w.late, w.percent])).toEqual([
      ['2026-11-02', 0, 0, null],
      ['2026-11-09', 0, 0, null],
      ['2026-11-16', 3, 1, 66.7],
      ['2026-11-23', 0, 0, null],
    ]);
    expect([t.decided, t.onTime, t.late, t.percent]).toEqual([3, 2, 1, 66.7]);
  });

  it('orders the outcome mix by the code list first, then any other key', () => {
    const mix = outcomeMix(
      [
        { key: 'x', outcome: 'nfa', n: 1 },
        { key: '6', outcome: 'early-help', n: 2 },
        { key: '6', outcome: 'nfa', n: 2 },
      ],
      ['1A', '6'],
    );
    expect(mix.rows.map((r) => [r.key, r.total, r.percents.nfa])).toEqual([
      ['6', 4, 50],
      ['x', 1, 100],
    ]);
    expect([mix.totals.nfa, mix.total]).toEqual([3, 5]);
  });

  it('flags a worker from Σp and Σp(1−p) only with at least 5 decisions beyond 2 standard deviations', () => {
    const line = consistencyLine({
      id: 'w',
      name: 'W',
      decisions: 10,
      socialCare: 9,
      expected: 4,
      variance: 2.4,
    });
    expect([line.percent, line.expected, line.expectedPercent, line.z, line.flag]).toEqual([
      90,
      4,
      40,
      3.23,
      'higher',
    ]);
    expect(
      consistencyLine({ id: 'w', name: 'W', decisions: 4, socialCare: 4, expected: 1, variance: 0.75 }).flag,
    ).toBe(null);
    expect(
      consistencyLine({ id: 'w', name: 'W', decisions: 6, socialCare: 6, expected: 6, variance: 0 }).z,
    ).toBe(null);
  });
});
