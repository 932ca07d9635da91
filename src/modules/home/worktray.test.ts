import { describe, expect, it } from 'vitest';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { describeDeadline } from './worktray.ts';

const calendar = createWorkingDayCalendar({ closureDays: ['2026-12-24'] });
const item = { kind: 'x', kindLabel: 'X', title: 'T', href: '/t' };

describe('worktray deadlines in working days', () => {
  // Tuesday 22 December 2026; Christmas Day and Boxing Day (substitute Monday 28th) are bank holidays,
  // and the authority closes on Christmas Eve.
  const ctx = { now: new Date('2026-12-22T10:00:00Z'), today: '2026-12-22', calendar };

  it('counts working days left, skipping weekends, bank holidays and local closure days', () => {
    // Wed 23 (1), [24 closed, 25 bank holiday, 26–27 weekend, 28 substitute], Tue 29 (2)
    expect(describeDeadline({ ...item, dueOn: '2026-12-29' }, ctx)).toMatchObject({
      status: 'due-soon',
      workingDaysLeft: 2,
      dueLabel: '2 working days left',
    });
    // … 30, 31, [1 Jan bank holiday], Mon 4, Tue 5 = 6 working days.
    expect(describeDeadline({ ...item, dueOn: '2027-01-05' }, ctx)).toMatchObject({
      status: 'on-track',
      workingDaysLeft: 6,
    });
    expect(describeDeadline({ ...item, dueOn: '2026-12-23' }, ctx)).toMatchObject({
      status: 'due-soon',
      workingDaysLeft: 1,
      dueLabel: '1 working day left',
    });
  });

  it('marks today and overdue deadlines', () => {
    expect(describeDeadline({ ...item, dueOn: '2026-12-22' }, ctx)).toMatchObject({
      status: 'due-today',
      dueLabel: 'Due today',
    });
    // Due Friday 18th: Mon 21 and Tue 22 have passed since.
    expect(describeDeadline({ ...item, dueOn: '2026-12-18' }, ctx)).toMatchObject({
      status: 'overdue',
      workingDaysLeft: -2,
      dueLabel: 'Overdue by 2 working days',
    });
  });

  it('a date deadline with a time on the day is overdue once that time has passed today', () => {
    // Due by 5pm (London; UTC in December) on Tuesday 22nd.
    const dueOnBy = new Date('2026-12-22T17:00:00Z');
    expect(describeDeadline({ ...item, dueOn: '2026-12-22', dueOnBy }, ctx)).toMatchObject({
      status: 'due-today',
      dueLabel: 'Due today',
      sortKey: dueOnBy.getTime(),
    });
    const late = describeDeadline(
      { ...item, dueOn: '2026-12-22', dueOnBy },
      { ...ctx, now: new Date('2026-12-22T17:30:00Z') },
    );
    expect(late).toMatchObject({ status: 'overdue', dueLabel: 'Overdue: was due by 5pm today' });
    // Not yet the day: still counted in working days.
    expect(
      describeDeadline({ ...item, dueOn: '2026-12-23', dueOnBy: new Date('2026-12-23T17:00:00Z') }, ctx),
    ).toMatchObject({ status: 'due-soon', dueLabel: '1 working day left' });
  });

  it('counts working hours for instant deadlines (MASH RAG timescales)', () => {
    const due = calendar.addWorkingHours(new Date('2026-12-22T10:00:00Z'), 4);
    expect(describeDeadline({ ...item, dueAt: due }, ctx)).toMatchObject({
      status: 'due-soon',
      dueLabel: '4 working hours left',
    });
    const late = describeDeadline({ ...item, dueAt: new Date('2026-12-21T16:00:00Z') }, ctx);
    expect(late.status).toBe('overdue');
    expect(late.dueLabel).toBe('Overdue by 2 working hours');
  });

  it('puts items without a deadline last', () => {
    expect(describeDeadline(item, ctx)).toMatchObject({
      status: 'no-deadline',
      sortKey: Number.MAX_SAFE_INTEGER,
    });
  });
});
