import { describe, expect, it } from 'vitest';
import {
  caseloadFigures,
  childWeight,
  DEFAULT_CASELOAD_WEIGHTS,
  heaviestKind,
  type CaseloadWeights,
} from './caseload.ts';

const weights: CaseloadWeights = { ...DEFAULT_CASELOAD_WEIGHTS, tooHigh: 5 };

describe('caseload weighting', () => {
  it('takes the heaviest work held for a child: CP > CIN > assessment > early help', () => {
    expect(heaviestKind(['early-help', 'child-in-need'])).toBe('child-in-need');
    expect(heaviestKind(['assessment', 'child-protection', 'early-help'])).toBe('child-protection');
    expect(heaviestKind(['early-help'])).toBe('early-help');
    expect(heaviestKind([])).toBe('assessment');
  });

  it('adds the complexity weight for a child in a large sibling group (the child and 3 siblings by default)', () => {
    expect(childWeight({ kind: 'child-in-need', siblings: 2 }, weights)).toBe(1);
    expect(childWeight({ kind: 'child-in-need', siblings: 3 }, weights)).toBe(1.5);
    expect(childWeight({ kind: 'child-protection', siblings: 5 }, weights)).toBe(2);
  });

  it('counts children, weighs them and flags a caseload over the authority’s level (by hand)', () => {
    // CP 1.5 + CP with 3 siblings 2 + CIN 1 + assessment 1 + early help 0.5 = 6 > 5
    const figures = caseloadFigures(
      [
        { kind: 'child-protection', siblings: 0 },
        { kind: 'child-protection', siblings: 3 },
        { kind: 'child-in-need', siblings: 1 },
        { kind: 'assessment', siblings: 0 },
        { kind: 'early-help', siblings: 0 },
      ],
      weights,
    );
    expect(figures).toEqual({
      children: 5,
      byKind: { 'child-protection': 2, 'child-in-need': 1, assessment: 1, 'early-help': 1 },
      largeSiblingGroups: 1,
      weighted: 6,
      tooHigh: true,
    });
    expect(caseloadFigures([{ kind: 'early-help', siblings: 0 }], weights).tooHigh).toBe(false);
  });

  it('a caseload exactly at the level is not too high', () => {
    const five = Array.from({ length: 5 }, () => ({ kind: 'assessment' as const, siblings: 0 }));
    expect(caseloadFigures(five, weights)).toMatchObject({ weighted: 5, tooHigh: false });
  });
});
