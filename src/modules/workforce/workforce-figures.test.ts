import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../kernel/time/index.ts';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { afterInterval, nextSupervisionDue } from './supervision.ts';
import { renewalFlagged } from './worker-profile.ts';
import { caseloadBand, overdueOnOrBefore, percent, renewalDueUpTo } from './workforce-figures.ts';

const day = fc.integer({ min: 0, max: 3000 }).map((n) => addCalendarDays('2022-01-01', n));

describe('workforce figures: the dates the SQL compares with agree with the worktray', () => {
  it('a renewal is "due" up to renewalDueUpTo exactly when renewalFlagged says so', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 90 }), (today, ahead) => {
        const renewal = addCalendarDays(today, ahead);
        expect(renewal <= renewalDueUpTo(today, calendar)).toBe(renewalFlagged(renewal, today, calendar));
      }),
    );
  });

  it('a supervision is overdue by the SQL rule exactly when its worktray due date has passed', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 80 }), (today, ago) => {
        const last = addCalendarDays(today, -ago);
        const due = nextSupervisionDue({ lastHeldOn: last, startedOn: last, frequency: 'monthly' }, calendar);
        expect(afterInterval(last, 'monthly') <= overdueOnOrBefore(today, calendar)).toBe(due < today);
      }),
    );
  });

  it('bands a weighted caseload against the "too high" level', () => {
    expect(caseloadBand(0, 0, 22)).toBe('none');
    expect(caseloadBand(3, 11, 22)).toBe('up-to-half');
    expect(caseloadBand(8, 11.5, 22)).toBe('half-to-three-quarters');
    expect(caseloadBand(15, 22, 22)).toBe('up-to-level');
    expect(caseloadBand(16, 22.5, 22)).toBe('above');
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(1, 0)).toBeNull();
  });
});
