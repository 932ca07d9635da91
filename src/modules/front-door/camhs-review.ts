import { z } from 'zod';
import {
  checkboxes,
  choice,
  optionalText,
  recordVersion,
  requiredText,
  yesNo,
} from '../../kernel/forms/fields.ts';

/**
 * A CAMHS clinician's review of an emotional well-being referral: the 'camhs-review' information request. Only a
 * CAMHS service can be asked for one; the clinician answers with a structured review (is the child known to CAMHS,
 * what are the concerns, which risk indicators are present, what response is recommended, who reviewed it), kept
 * with the answer (information_requests.camhs_review) and shown on the contact and the decision page.
 */

export const CAMHS_REVIEW_TYPE = 'camhs-review';

export const KNOWN_TO_CAMHS = ['yes', 'no', 'not-known'] as const;
export type KnownToCamhs = (typeof KNOWN_TO_CAMHS)[number];
export const KNOWN_TO_CAMHS_LABELS: Record<KnownToCamhs, string> = {
  yes: 'Yes, known to CAMHS',
  no: 'No, not known to CAMHS',
  'not-known': 'Cannot tell from the details given',
};

export const CAMHS_RISK_INDICATORS = [
  'self-harm',
  'suicidal-ideation',
  'eating-difficulties',
  'psychosis',
  'substance-misuse',
  'none',
] as const;
export type CamhsRiskIndicator = (typeof CAMHS_RISK_INDICATORS)[number];
export const CAMHS_RISK_LABELS: Record<CamhsRiskIndicator, string> = {
  'self-harm': 'Self-harm',
  'suicidal-ideation': 'Suicidal thoughts or ideation',
  'eating-difficulties': 'Eating difficulties',
  psychosis: 'Signs of psychosis',
  'substance-misuse': 'Substance misuse',
  none: 'None identified',
};

export const CAMHS_RECOMMENDATIONS = ['camhs-assessment', 'other-service', 'no-camhs-role'] as const;
export type CamhsRecommendation = (typeof CAMHS_RECOMMENDATIONS)[number];
export const CAMHS_RECOMMENDATION_LABELS: Record<CamhsRecommendation, string> = {
  'camhs-assessment': 'CAMHS assessment',
  'other-service': 'Another service would meet the need better',
  'no-camhs-role': 'No role for CAMHS',
};

export interface CamhsReview {
  knownToCamhs: KnownToCamhs;
  /** What CAMHS is doing or did with the child (required when known). */
  currentInvolvement: string | null;
  wellbeingConcerns: string;
  /** Empty when none were identified. */
  riskIndicators: Exclude<CamhsRiskIndicator, 'none'>[];
  /** What the risk is, how recent, how serious (required when any indicator is present). */
  riskDetail: string | null;
  recommendation: CamhsRecommendation;
  /** The service recommended instead (required for 'other-service'). */
  recommendedService: string | null;
  clinicianName: string;
  clinicianRole: string;
}

const LIMIT = 'must be 4,000 characters or fewer';

/** The answer form's fields for a CAMHS review (names as in partner-request.njk), with GOV.UK messages. */
export const camhsReviewForm = z
  .object({
    knownToCamhs: choice(KNOWN_TO_CAMHS, 'Select whether the child is known to CAMHS'),
    currentInvolvement: optionalText(4000, `CAMHS involvement ${LIMIT}`),
    wellbeingConcerns: requiredText(
      'Summarise the concerns about the child’s emotional well-being',
      4000,
      `The summary of concerns ${LIMIT}`,
    ),
    riskIndicators: checkboxes(CAMHS_RISK_INDICATORS, {
      required: 'Select the risk indicators present, or “None identified”',
    }),
    riskDetail: optionalText(4000, `The description of the risk ${LIMIT}`),
    recommendation: choice(CAMHS_RECOMMENDATIONS, 'Select the response you recommend'),
    recommendedService: optionalText(200, 'The service must be 200 characters or fewer'),
    clinicianName: requiredText('Enter your name', 200, 'Your name must be 200 characters or fewer'),
    clinicianRole: requiredText(
      'Enter your role, for example “CAMHS clinical nurse specialist”',
      200,
      'Your role must be 200 characters or fewer',
    ),
    version: recordVersion(),
  })
  .superRefine((v, ctx) => {
    for (const p of camhsReviewProblems(v))
      ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });

/** The rules across fields (the form and the service both apply them). */
export function camhsReviewProblems(v: {
  knownToCamhs?: string | undefined;
  currentInvolvement?: string | null | undefined;
  riskIndicators?: readonly string[] | undefined;
  riskDetail?: string | null | undefined;
  recommendation?: string | undefined;
  recommendedService?: string | null | undefined;
}): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (v.knownToCamhs === 'yes' && !v.currentInvolvement?.trim())
    problems.push({
      field: 'currentInvolvement',
      message: 'Describe CAMHS’s current or most recent involvement with the child',
    });
  const risks = v.riskIndicators ?? [];
  if (risks.includes('none') && risks.length > 1)
    problems.push({
      field: 'riskIndicators',
      message: 'Select “None identified” only when no other risk indicator is present',
    });
  else if (risks.some((r) => r !== 'none') && !v.riskDetail?.trim())
    problems.push({
      field: 'riskDetail',
      message: 'Describe the risk: what it is, how recent and how serious',
    });
  if (v.recommendation === 'other-service' && !v.recommendedService?.trim())
    problems.push({ field: 'recommendedService', message: 'Name the service you recommend' });
  return problems;
}

/** The stored review from the form's values. */
export function toCamhsReview(v: z.output<typeof camhsReviewForm>): CamhsReview {
  return {
    knownToCamhs: v.knownToCamhs,
    currentInvolvement: v.currentInvolvement ?? null,
    wellbeingConcerns: v.wellbeingConcerns,
    riskIndicators: v.riskIndicators.filter((r): r is Exclude<CamhsRiskIndicator, 'none'> => r !== 'none'),
    riskDetail: v.riskIndicators.some((r) => r !== 'none') ? (v.riskDetail ?? null) : null,
    recommendation: v.recommendation,
    recommendedService: v.recommendation === 'other-service' ? (v.recommendedService ?? null) : null,
    clinicianName: v.clinicianName,
    clinicianRole: v.clinicianRole,
  };
}

/** A stored review (jsonb), or null for anything that is not one. */
export function parseCamhsReview(value: unknown): CamhsReview | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Partial<CamhsReview>;
  if (!v.knownToCamhs || !v.recommendation || !v.clinicianName) return null;
  return v as CamhsReview;
}

/** The review as label/value rows for a summary list. */
export function describeCamhsReview(review: CamhsReview): { label: string; value: string }[] {
  const rows = [
    { label: 'Known to CAMHS', value: KNOWN_TO_CAMHS_LABELS[review.knownToCamhs] },
    ...(review.currentInvolvement ? [{ label: 'CAMHS involvement', value: review.currentInvolvement }] : []),
    { label: 'Emotional well-being concerns', value: review.wellbeingConcerns },
    {
      label: 'Risk indicators',
      value: review.riskIndicators.length
        ? review.riskIndicators.map((r) => CAMHS_RISK_LABELS[r]).join(', ')
        : CAMHS_RISK_LABELS.none,
    },
    ...(review.riskDetail ? [{ label: 'About the risk', value: review.riskDetail }] : []),
    {
      label: 'Recommended response',
      value:
        CAMHS_RECOMMENDATION_LABELS[review.recommendation] +
        (review.recommendedService ? `: ${review.recommendedService}` : ''),
    },
    { label: 'Reviewed by', value: `${review.clinicianName}, ${review.clinicianRole}` },
  ];
  return rows;
}

/** The plain-text answer kept in information_requests.response (what lists and exports show). */
export function camhsReviewText(review: CamhsReview): string {
  return describeCamhsReview(review)
    .map((r) => `${r.label}: ${r.value}`)
    .join('\n');
}

/** known_to_agency for a review: null when the clinician cannot tell. */
export function knownFromReview(review: CamhsReview): boolean | null {
  return review.knownToCamhs === 'not-known' ? null : review.knownToCamhs === 'yes';
}

/** The ordinary answer form (every other request type). */
export const informationAnswerForm = z.object({
  knownToAgency: yesNo('Select yes if your agency knows the child or family'),
  response: requiredText(
    'Enter the information you hold, or say that you hold none',
    20_000,
    'The answer must be 20,000 characters or fewer',
  ),
  version: recordVersion(),
});
