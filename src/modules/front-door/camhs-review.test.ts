import { describe, expect, it } from 'vitest';
import {
  camhsReviewForm,
  camhsReviewProblems,
  camhsReviewText,
  knownFromReview,
  toCamhsReview,
} from './camhs-review.ts';

describe('the CAMHS review’s rules', () => {
  it.each([
    [{ knownToCamhs: 'yes' }, ['currentInvolvement']],
    [{ knownToCamhs: 'yes', currentInvolvement: 'Weekly CBT' }, []],
    [{ riskIndicators: ['none'] }, []],
    [{ riskIndicators: ['none', 'psychosis'] }, ['riskIndicators']],
    [{ riskIndicators: ['self-harm'] }, ['riskDetail']],
    [{ riskIndicators: ['self-harm'], riskDetail: 'Cutting' }, []],
    [{ recommendation: 'other-service' }, ['recommendedService']],
    [{ recommendation: 'other-service', recommendedService: 'School counsellor' }, []],
  ])('%j → problems with %j', (input, fields) => {
    expect(camhsReviewProblems(input).map((p) => p.field)).toEqual(fields);
  });

  it('turns the form into the stored review, dropping answers that do not apply, and a text answer', () => {
    const parsed = camhsReviewForm.parse({
      knownToCamhs: 'not-known',
      wellbeingConcerns: 'Anxious about school',
      riskIndicators: 'none',
      riskDetail: 'left over',
      recommendation: 'no-camhs-role',
      recommendedService: 'left over',
      clinicianName: 'Cleo',
      clinicianRole: 'Nurse',
      version: '1',
    });
    const review = toCamhsReview(parsed);
    expect(review).toEqual({
      knownToCamhs: 'not-known',
      currentInvolvement: null,
      wellbeingConcerns: 'Anxious about school',
      riskIndicators: [],
      riskDetail: null,
      recommendation: 'no-camhs-role',
      recommendedService: null,
      clinicianName: 'Cleo',
      clinicianRole: 'Nurse',
    });
    expect(knownFromReview(review)).toBeNull();
    expect(camhsReviewText(review)).toBe(
      'Known to CAMHS: Cannot tell from the details given\nEmotional well-being concerns: Anxious about school\nRisk indicators: None identified\nRecommended response: No role for CAMHS\nReviewed by: Cleo, Nurse',
    );
  });
});
