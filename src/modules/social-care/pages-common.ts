import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { z } from 'zod';
import { codeLabel, CIN_CLOSURE_REASONS } from '../../kernel/code-sets/cin-census.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { fieldError, type FieldError } from '../../web/forms/errors.ts';
import type { PageContext, SubmitResult } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { CensusRuleError, QUERY_FIELD } from './census-queries.ts';
import type { Violation } from './census-rules.ts';
import { agencyOptions, type EpisodeRow } from './episode.repository.ts';
import { childName, requireEpisode } from './episode.service.ts';
import { requirePermission, type ReadContext, type ServiceContext } from '../../kernel/service/index.ts';
import { loadWarningsFor, type ChildVoiceLinks } from '../people/index.ts';
import { SOCIAL_CARE_AGENCY } from './social-care.ts';

/** Shared by the social care pages: URLs, the episode header, repeated rows in forms, and census rule errors. */

export const PATHS = {
  list: '/social-care',
  episode: '/social-care/episodes/:episodeId',
  allocate: '/social-care/episodes/:episodeId/allocate',
  details: '/social-care/episodes/:episodeId/details',
  newAssessment: '/social-care/episodes/:episodeId/assessments/new',
  assessment: '/social-care/assessments/:assessmentId',
  assessmentEdit: '/social-care/assessments/:assessmentId/edit',
  childSeen: '/social-care/assessments/:assessmentId/child-seen',
  completeAssessment: '/social-care/assessments/:assessmentId/complete',
  authoriseAssessment: '/social-care/assessments/:assessmentId/authorise',
  newStrategyDiscussion: '/social-care/episodes/:episodeId/strategy-discussions/new',
  strategyDiscussion: '/social-care/strategy-discussions/:strategyDiscussionId',
  newSection47: '/social-care/episodes/:episodeId/section-47/new',
  section47: '/social-care/section-47/:enquiryId',
  section47Outcome: '/social-care/section-47/:enquiryId/outcome',
  newConference: '/social-care/episodes/:episodeId/conferences/new',
  conference: '/social-care/conferences/:conferenceId',
  newCpPlan: '/social-care/episodes/:episodeId/cp-plans/new',
  cpPlan: '/social-care/cp-plans/:cpPlanId',
  newCoreGroup: '/social-care/cp-plans/:cpPlanId/core-groups/new',
  newReviewConference: '/social-care/cp-plans/:cpPlanId/reviews/new',
  endCpPlan: '/social-care/cp-plans/:cpPlanId/end',
  newCpGoal: '/social-care/cp-plans/:cpPlanId/goals/new',
  cpFamilyPlan: '/social-care/cp-plans/:cpPlanId/family-version',
  newCinPlan: '/social-care/episodes/:episodeId/cin-plans/new',
  cinPlan: '/social-care/cin-plans/:cinPlanId',
  newCinReview: '/social-care/cin-plans/:cinPlanId/reviews/new',
  endCinPlan: '/social-care/cin-plans/:cinPlanId/end',
  familyPlan: '/social-care/cin-plans/:cinPlanId/family-version',
  familyWording: '/social-care/cin-plans/:cinPlanId/family-wording',
  newCinGoal: '/social-care/cin-plans/:cinPlanId/goals/new',
  newGoalAction: '/social-care/plan-goals/:planGoalId/actions/new',
  newLegalPlanningMeeting: '/social-care/episodes/:episodeId/pre-proceedings/new',
  preProceedings: '/social-care/pre-proceedings/:preProceedingsId',
  letterBeforeProceedings: '/social-care/pre-proceedings/:preProceedingsId/letter-before-proceedings',
  newFgdmOffer: '/social-care/pre-proceedings/:preProceedingsId/fgdm-offers/new',
  fgdmResponse: '/social-care/fgdm-offers/:offerId/response',
  fgdmReferral: '/social-care/pre-proceedings/:preProceedingsId/fgdm-referral',
  newFgdmMeeting: '/social-care/pre-proceedings/:preProceedingsId/fgdm-meetings/new',
  fgdmNotInInterests: '/social-care/pre-proceedings/:preProceedingsId/fgdm-not-in-interests',
  newPreProceedingsMeeting: '/social-care/pre-proceedings/:preProceedingsId/meetings/new',
  stepDecision: '/social-care/pre-proceedings/:preProceedingsId/decision',
  correctPreProceedings: '/social-care/pre-proceedings/:preProceedingsId/correct',
  correctPreProceedingsReview: '/social-care/pre-proceedings-reviews/:ppReviewId/edit',
  correctFgdmMeeting: '/social-care/fgdm-meetings/:fgdmMeetingId/edit',
  correctFgdmOffer: '/social-care/fgdm-offers/:offerId/edit',
  visits: '/social-care/episodes/:episodeId/visits',
  newVisit: '/social-care/episodes/:episodeId/visits/new',
  directWork: '/social-care/episodes/:episodeId/direct-work',
  newDirectWork: '/social-care/episodes/:episodeId/direct-work/new',
  stepDown: '/social-care/episodes/:episodeId/step-down',
  close: '/social-care/episodes/:episodeId/close',
  transferOut: '/social-care/episodes/:episodeId/transfer-out',
  transferIn: '/people/:personId/social-care/transfer-in',
  childEpisodes: '/people/:personId/social-care',
  settings: '/social-care/settings',
  directWorkTools: '/social-care/settings/direct-work-tools',
} as const;

/** Where social care's chronology entries are shown (people's chronology links them). */
export const socialCareChronologyLinks = {
  'cin-episode': (episodeId: string) => pathTo(PATHS.episode, { episodeId }),
  'cin-assessment': (assessmentId: string) => pathTo(PATHS.assessment, { assessmentId }),
  'section-47': (enquiryId: string) => pathTo(PATHS.section47, { enquiryId }),
  'cp-conference': (conferenceId: string) => pathTo(PATHS.conference, { conferenceId }),
  'cp-plan': (cpPlanId: string) => pathTo(PATHS.cpPlan, { cpPlanId }),
  'cin-plan': (cinPlanId: string) => pathTo(PATHS.cinPlan, { cinPlanId }),
  'pre-proceedings': (preProceedingsId: string) => pathTo(PATHS.preProceedings, { preProceedingsId }),
} as const;

/** Where social care's entries in the child's voice stream are shown: the episode's visits and direct work. */
export const socialCareVoiceLinks: ChildVoiceLinks = {
  'statutory-visit': ({ episodeId }) => (episodeId ? pathTo(PATHS.visits, { episodeId }) : null),
  'direct-work': ({ episodeId }) => (episodeId ? pathTo(PATHS.directWork, { episodeId }) : null),
};

export const PAGE_SIZE = 20;
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });

export const episodeParams = z.object({ episodeId: z.uuid() });
export const assessmentParams = z.object({ assessmentId: z.uuid() });
export const cpPlanParams = z.object({ cpPlanId: z.uuid() });
export const cinPlanParams = z.object({ cinPlanId: z.uuid() });
export const planGoalParams = z.object({ planGoalId: z.uuid() });
export const preProceedingsParams = z.object({ preProceedingsId: z.uuid() });

/**
 * What the episode header partial (_episode-header.njk) shows, with the child's current warnings (risk to staff,
 * interpreter needed …): the caller has already checked the user may read the child's record (requireEpisode).
 */
export async function episodeHeader(db: Kysely<DB> | Transaction<DB>, e: EpisodeRow, now: Date) {
  const warnings = await loadWarningsFor(db, [e.childId], now);
  return {
    warnings: warnings.get(e.childId) ?? [],
    id: e.id,
    reference: e.reference,
    childId: e.childId,
    childName: childName(e),
    laChildId: e.laChildId,
    referralDate: e.referralDate,
    teamName: e.teamName,
    open: !e.closureDate,
    closureDate: e.closureDate,
    closureReason: e.closureReason
      ? `${e.closureReason}: ${codeLabel(CIN_CLOSURE_REASONS, e.closureReason)}`
      : null,
    referralNfa: e.referralNfa,
  };
}

/**
 * For a form that adds to an episode: insists the user may write to social care and to the child's record, and
 * gives the episode with its header.
 */
export async function episodeForForm(ctx: ServiceContext, episodeId: string) {
  requirePermission(ctx.user, 'social-care:write');
  const episode = await requireEpisode(ctx, episodeId, 'write');
  return { episode, header: await episodeHeader(ctx.db, episode, ctx.now) };
}

/**
 * For a form that changes a child protection or child in need plan (`requirePlan` is `requireCpPlan` or
 * `requireCinPlan`): insists the user may write, and gives the plan, whether it has ended, and the episode's header.
 */
export async function planForForm<
  P extends { endDate: string | null; endReason: string | null; endNotes: string | null; version: number },
>(
  ctx: ServiceContext,
  requirePlan: (ctx: ReadContext, id: string, level: 'write') => Promise<{ plan: P; episode: EpisodeRow }>,
  planId: string,
) {
  requirePermission(ctx.user, 'social-care:write');
  const { plan, episode } = await requirePlan(ctx, planId, 'write');
  return {
    header: await episodeHeader(ctx.db, episode, ctx.now),
    plan,
    ended: !!plan.endDate,
    saved: planSaved(plan),
  };
}

/**
 * What is saved now of a plan, for the conflict page (409) of a form that changes it: its version, and how it
 * ended if someone ended it since the page was shown.
 */
export function planSaved(plan: {
  endDate: string | null;
  endReason: string | null;
  endNotes: string | null;
  version: number;
}): Record<string, string> {
  return {
    version: String(plan.version),
    ...(plan.endDate
      ? { ...dateToParts('endDate', plan.endDate), reason: plan.endReason ?? '', notes: plan.endNotes ?? '' }
      : {}),
  };
}

/** Rows of a repeated group in a form body (`<prefix>__<i>__<field>`), skipping empty rows; values trimmed. */
export function rawRows<F extends string>(
  body: Record<string, unknown>,
  prefix: string,
  max: number,
  fields: readonly F[],
): { index: number; values: Record<F, string> }[] {
  const out: { index: number; values: Record<F, string> }[] = [];
  for (let i = 0; i < max; i++) {
    const values = {} as Record<F, string>;
    for (const f of fields) {
      const v = body[`${prefix}__${i}__${f}`];
      values[f] = (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
    }
    if (Object.values<string>(values).some((v) => v !== '')) out.push({ index: i, values });
  }
  return out;
}

/** The fields of a date input, for where an error summary link should go. */
const href = (field: string, dateFields: readonly string[]) =>
  dateFields.includes(field) ? `#${field}-day` : field === QUERY_FIELD ? `#${QUERY_FIELD}` : `#${field}`;

function toFieldErrors(violations: Violation[], dateFields: readonly string[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const v of violations) byField.set(v.field, [...(byField.get(v.field) ?? []), v.message]);
  return [...byField].map(([field, messages]) =>
    fieldError(field, messages.join('. '), href(field, dateFields)),
  );
}

/**
 * Runs a service call inside a savepoint: a CensusRuleError rolls it back (nothing half-saved) and shows every
 * rule broken against its field, and a query waiting for an explanation on the explanation box.
 */
export async function withCensusRules<P, Q>(
  ctx: PageContext<P, Q>,
  dateFields: readonly string[],
  fn: () => Promise<string>,
): Promise<SubmitResult> {
  await sql`savepoint social_care_rules`.execute(ctx.db);
  try {
    const next = await fn();
    await sql`release savepoint social_care_rules`.execute(ctx.db);
    return next;
  } catch (error) {
    if (error instanceof CensusRuleError) {
      await sql`rollback to savepoint social_care_rules`.execute(ctx.db);
      return { errors: toFieldErrors(error.violations, dateFields) };
    }
    throw error;
  }
}

/** Yes / no radios for views. */
export const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

/** Agencies for "who took part" lists and "agencies present" checkboxes: children's social care first. */
export async function agencyItems(db: Parameters<typeof agencyOptions>[0]) {
  const agencies = await agencyOptions(db);
  return [
    { value: SOCIAL_CARE_AGENCY, text: 'Children’s social care (this authority)' },
    ...agencies.map((a) => ({ value: a.id, text: a.name })),
  ];
}

export const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((v) => ({ value: v, text: labels[v] }));

/** The audit of a page view: the record in the URL, and the child it belongs to (from the page's data). */
export function viewAudit(action: string, subjectType: string, param: string) {
  return {
    action,
    subjectType,
    subject: (ctx: { params: Record<string, string> }, data: { header: { childId: string } }) => ({
      subjectId: ctx.params[param] ?? null,
      childId: data.header.childId,
    }),
  };
}
