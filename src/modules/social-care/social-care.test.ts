import { describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { unaddressedTies } from './cin-plan.service.ts';
import {
  addMonths,
  assessmentDue,
  cinReviewDue,
  clockLabel,
  firstCoreGroupDue,
  icpcTarget,
  isQuorate,
  missingStrategyAgencies,
  nextVisitDue,
  reviewConferenceDue,
} from './social-care.ts';

describe('statutory clocks (working days, the start day counted as day 1)', () => {
  it('the initial conference is due 15 working days from the strategy discussion', () => {
    expect(icpcTarget(calendar, '2026-11-02')).toBe('2026-11-20');
  });
  it('the assessment is due 45 working days from the referral, skipping Christmas bank holidays', () => {
    // 24 November 2026 is day 1; 25, 28 December and 1 January are bank holidays.
    expect(assessmentDue(calendar, '2026-11-24')).toBe('2027-01-28');
    expect(calendar.workingDaysBetween('2026-11-24', assessmentDue(calendar, '2026-11-24'))).toBe(45);
  });
  it('the first core group is due 10 working days from the initial conference', () => {
    expect(firstCoreGroupDue(calendar, '2026-11-20')).toBe('2026-12-03');
  });
  it('the first review conference is within 3 months (not at a weekend), later ones within 6 months of the last', () => {
    expect(reviewConferenceDue(calendar, '2026-11-20', null)).toBe('2027-02-19');
    expect(reviewConferenceDue(calendar, '2026-11-20', '2027-02-18')).toBe('2027-08-18');
  });
  it('a child in need plan is reviewed every N weeks', () => {
    expect(cinReviewDue(calendar, '2026-11-02', null, 12)).toBe('2027-01-25');
    expect(cinReviewDue(calendar, '2026-11-02', '2027-01-20', 6)).toBe('2027-03-03');
  });
  it('visits are due within the interval of working days', () => {
    expect(nextVisitDue(calendar, '2026-11-02', 10)).toBe('2026-11-13');
  });
  it('adds calendar months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
  });
  it('labels the day of a clock', () => {
    expect(clockLabel(calendar, '2026-11-02', '2026-11-06', 45)).toBe('Day 5 of 45 working days');
    expect(clockLabel(calendar, '2026-11-09', '2026-11-06', 45)).toBe('Day 0 of 45 working days');
  });
});

describe('who must take part', () => {
  it('a strategy discussion needs children’s social care, the police and health', () => {
    expect(missingStrategyAgencies([{ agencyKind: null }, { agencyKind: 'police' }])).toEqual(['health']);
    expect(missingStrategyAgencies([{ agencyKind: 'school' }])).toEqual([
      'children’s social care',
      'the police',
      'health',
    ]);
    expect(
      missingStrategyAgencies([{ agencyKind: null }, { agencyKind: 'police' }, { agencyKind: 'camhs' }]),
    ).toEqual([]);
  });
  it('a conference is quorate with children’s social care and two other agencies present', () => {
    const sc = { agencyKind: null, agencyId: null, attended: true };
    expect(
      isQuorate([
        sc,
        { agencyKind: 'police', agencyId: 'p', attended: true },
        { agencyKind: 'health', agencyId: 'h', attended: true },
      ]),
    ).toBe(true);
    expect(
      isQuorate([
        sc,
        { agencyKind: 'police', agencyId: 'p', attended: true },
        { agencyKind: 'health', agencyId: 'h', attended: false },
      ]),
    ).toBe(false);
    expect(
      isQuorate([
        { ...sc, attended: false },
        { agencyKind: 'police', agencyId: 'p', attended: true },
        { agencyKind: 'health', agencyId: 'h', attended: true },
      ]),
    ).toBe(false);
  });
});

describe('worries and needs a child in need plan does not address yet', () => {
  it('are the assessment’s, in its order, less those a goal is tied to', () => {
    const ties = ['Worry: shouting', 'Worry: school', 'Need: a calm home'];
    expect(unaddressedTies(ties, [{ worry: 'Worry: school' }])).toEqual([
      'Worry: shouting',
      'Need: a calm home',
    ]);
    expect(
      unaddressedTies(
        ties,
        ties.map((worry) => ({ worry })),
      ),
    ).toEqual([]);
    expect(unaddressedTies([], [{ worry: 'Worry: school' }])).toEqual([]);
  });
});
