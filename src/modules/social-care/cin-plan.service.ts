import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ABUSE_CATEGORIES, codeLabel, PRIMARY_NEED_CODES } from '../../kernel/code-sets/cin-census.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import {
  actionsForPlan,
  carriedSummary,
  carryActionsIntoPlan,
  checksAt,
  recordActionChecks,
  type PlanRef,
} from './actions.service.ts';
import { worriesAndNeeds } from './assessment.service.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import { endPlan, type PlanEnding, type PlanToEnd } from './plan-ending.ts';
import {
  rule4000,
  rule4001,
  rule4004,
  rule4008,
  rule4009Q,
  rule4010,
  rule4011,
  rule4012Q,
  rule4014,
  rule4015,
  rule4016,
} from './census-rules.ts';
import { agenciesPresentAt, checkAgenciesPresent, saveAgenciesPresent } from './meeting-agencies.ts';
import {
  loadEpisodeSnapshot,
  openCpPlan,
  socialCareSettings,
  type EpisodeRow,
  type EpisodeSnapshot,
} from './episode.repository.ts';
import {
  assertOpen,
  auditPart,
  checkVersion,
  recordEpisodeChange,
  requireEpisode,
} from './episode.service.ts';
import {
  CIN_END_REASON_LABELS,
  CIN_REVIEW_DECISION_LABELS,
  cinReviewDue,
  type CinEndReason,
  type CinReviewDecision,
  type GoalRating,
} from './social-care.ts';
import { censusYearQuery } from './census-rules.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  type ServiceContext,
  type ReadContext,
  requireUpdated,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Children in need plans: SMART goals, each tied to a worry or need from the assessment (what will change, how we
 * will know, who is responsible, by when), reviewed by the multi-agency network every 12 weeks by default (the
 * authority's setting), with progress on each goal and the child's and family's views; a plain-language version
 * for the family. A CIN plan never overlaps a child protection plan (rules 4001, 4016).
 */

export interface GoalInput {
  worry: string;
  goal: string;
  measure: string;
  responsible: string;
  targetDate: string;
}

/** What a goal can be tied to: the worries and needs of the episode's latest assessment, or the primary need. */
export function goalTies(s: EpisodeSnapshot): string[] {
  const latest = [...s.assessments].sort((a, b) => (a.startDate < b.startDate ? 1 : -1))[0] ?? null;
  const ties = worriesAndNeeds(latest);
  if (ties.length) return ties;
  return s.episode.primaryNeedCode
    ? [`Need: ${codeLabel(PRIMARY_NEED_CODES, s.episode.primaryNeedCode)} (the primary need at referral)`]
    : [];
}

/**
 * What a child protection plan's goals may address: the worry the conference decided on (its category of abuse), then
 * the assessment's worries and needs (goalTies). An initial conference often comes before the assessment is complete,
 * so the conference's own worry must always be there to tie a goal to.
 */
export function cpGoalTies(s: EpisodeSnapshot, category: string | null | undefined): string[] {
  const ties = goalTies(s);
  if (!category) return ties;
  const worry = `Worry: ${codeLabel(ABUSE_CATEGORIES, category)} (the category of abuse the conference decided)`;
  return ties.includes(worry) ? ties : [worry, ...ties];
}

/** A goal's row, at its place in its plan (a child in need plan's or a child protection plan's). */
export const goalRow = (plan: PlanRef, position: number, g: GoalInput, now: Date) => ({
  cinPlanId: 'cinPlanId' in plan ? plan.cinPlanId : null,
  cpPlanId: 'cpPlanId' in plan ? plan.cpPlanId : null,
  position,
  worry: g.worry,
  goal: g.goal,
  measure: g.measure,
  responsible: g.responsible,
  targetDate: g.targetDate,
  createdAt: now,
});

export interface StartCinPlanInput {
  episodeId: string;
  startDate: string;
  familySummary: string;
  goals: GoalInput[];
  queryExplanation?: string | undefined;
}

export async function startCinPlan(ctx: ServiceContext, input: StartCinPlanInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'startDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const ties = goalTies(s);
  const settings = await socialCareSettings(trx, episode.localAuthorityId);
  const queries = enforce(
    [
      rule4000(episode.referralNfa),
      rule4015(input.startDate, episode.referralDate),
      rule4010(input.startDate, isoDateOf(now)),
      rule4004(s.childCinPlans.filter((p) => !p.endDate).length),
      rule4014(
        input.startDate,
        s.childCinPlans.map((p) => ({ start: p.startDate, end: p.endDate })),
      ),
      rule4016(
        input.startDate,
        s.childCpPlans.map((p) => ({ start: p.startDate, end: p.endDate })),
      ),
      rule4001(true, !!openCpPlan(s)),
      rule4008(input.startDate, episode.dateOfDeath),
      ...goalProblems(ties, input.goals, input.startDate),
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('cinPlans')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      assessmentId: [...s.assessments].reverse()[0]?.id ?? null,
      startDate: input.startDate,
      reviewIntervalWeeks: settings.cinReviewIntervalWeeks,
      familySummary: input.familySummary,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('cinPlanGoals')
    .values(input.goals.map((g, i) => goalRow({ cinPlanId: row.id }, i + 1, g, now)))
    .execute();
  // Follow-up actions from direct work before the plan started wait on the episode: they come into the plan now.
  const carried = await carryActionsIntoPlan(trx, { episodeId: episode.id, into: { cinPlanId: row.id } });
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-plan', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'cin-plan', id: row.id, childId: episode.childId },
    {
      action: 'cin-plan.started',
      details: {
        startDate: input.startDate,
        goals: input.goals.length,
        reviewIntervalWeeks: settings.cinReviewIntervalWeeks,
        actionsCarried: carried.unattached.length,
      },
      on: input.startDate,
      category: 'plan',
      title: 'Child in need plan started',
      summary: `${input.goals.length} goal${input.goals.length === 1 ? '' : 's'}; reviewed every ${settings.cinReviewIntervalWeeks} weeks.${carriedSummary(carried)}`,
      significant: true,
    },
  );
  if (carried.unattached.length)
    await recordChange(ctx, {
      audit: auditPart('plan-actions.carried', {
        type: 'cin-plan',
        id: row.id,
        childId: episode.childId,
        details: { into: { cinPlanId: row.id }, fromEpisode: carried.unattached },
      }),
    });
  return row.id;
}

/**
 * What is wrong with a new plan's goals (the form's rows, `goals__<i>__<field>`): none at all, one not tied to a worry
 * or need from the assessment, or one due before the plan starts. Child in need and child protection plans alike.
 */
export function goalProblems(ties: readonly string[], goals: readonly GoalInput[], startDate: string) {
  return [
    goals.length ? null : practiceError('goals__0__goal', 'Add at least one goal'),
    ...goals.map((g, i) =>
      ties.includes(g.worry)
        ? null
        : practiceError(
            `goals__${i}__worry`,
            `Goal ${i + 1}: choose the worry or need from the assessment it addresses`,
          ),
    ),
    ...goals.map((g, i) =>
      g.targetDate < startDate
        ? practiceError(
            `goals__${i}__targetDate`,
            `Goal ${i + 1}: the target date cannot be before the plan starts`,
          )
        : null,
    ),
  ];
}

/** What is wrong with one more goal for an open plan: the plan has ended, no tie, or a target date in the past. */
export function newGoalProblems(ties: readonly string[], g: GoalInput, ended: boolean, today: string) {
  return [
    ended ? practiceError('goal', 'This plan has ended: start a new plan instead') : null,
    ties.includes(g.worry)
      ? null
      : practiceError('worry', 'Choose the worry or need from the assessment this goal addresses'),
    g.targetDate < today ? practiceError('targetDate', 'The target date cannot be in the past') : null,
  ];
}

/** Progress at a meeting must rate every goal of the plan, and only its goals (`rating__<goalId>`). */
export function progressProblems(
  goals: readonly { id: string; position: number }[],
  progress: readonly { goalId: string }[],
  field: string,
) {
  return [
    ...goals.map((g) =>
      progress.some((p) => p.goalId === g.id)
        ? null
        : practiceError(`rating__${g.id}`, `Goal ${g.position}: record the progress made`),
    ),
    progress.some((p) => !goals.some((g) => g.id === p.goalId))
      ? practiceError(field, 'Rate the goals of this plan')
      : null,
  ];
}

/** Goals rated achieved at a meeting held on `on` are marked achieved that day (the first time only). */
export async function markAchieved(
  trx: Trx,
  progress: readonly { goalId: string; rating: string }[],
  on: string,
) {
  const achieved = progress.filter((p) => p.rating === 'achieved').map((p) => p.goalId);
  if (achieved.length)
    await trx
      .updateTable('cinPlanGoals')
      .set({ achievedOn: on })
      .where('id', 'in', achieved)
      .where('achievedOn', 'is', null)
      .execute();
}

/** The worries and needs (from `ties`) that no goal addresses yet, in the assessment's order. */
export function unaddressedTies(ties: readonly string[], goals: readonly { worry: string }[]): string[] {
  const addressed = new Set(goals.map((g) => g.worry));
  return ties.filter((t) => !addressed.has(t));
}

/**
 * A change to what the plan holds (a goal added, the family's wording, a review): the plan's version goes up,
 * checked in the UPDATE against the version the change was made from, so of two changes from one version one lands
 * and the other is a ConflictError (409). Ending the plan changes its version too, so a change from before is refused.
 */
async function changePlan(trx: Trx, planId: string, expectedVersion: number, now: Date): Promise<void> {
  requireUpdated(
    await trx
      .updateTable('cinPlans')
      .set({ updatedAt: now, version: sql`version + 1` })
      .where('id', '=', planId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst(),
  );
}

export async function requireCinPlan(ctx: ReadContext, id: string, level: 'read' | 'write') {
  const { db: trx } = ctx;
  const plan = await trx.selectFrom('cinPlans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!plan) throw new NotFoundError();
  const episode = await requireEpisode(ctx, plan.episodeId, level);
  return { plan, episode };
}

export async function goalsFor(trx: Trx, planId: string) {
  return goalsOfPlan(trx, { cinPlanId: planId });
}

/** A plan's goals (a child in need plan's or a child protection plan's), in order. */
export async function goalsOfPlan(trx: Trx, plan: PlanRef) {
  const q = trx.selectFrom('cinPlanGoals').selectAll();
  return (
    'cinPlanId' in plan ? q.where('cinPlanId', '=', plan.cinPlanId) : q.where('cpPlanId', '=', plan.cpPlanId)
  )
    .orderBy('position')
    .execute();
}

/**
 * Each goal in words for the family, shown in the family's (printed) version of the plan instead of the goal and
 * its measure as professionals wrote them. A goal left blank (or worded exactly as written) keeps the goal's own
 * words. Only the goals of this plan; audited with before and after.
 */
export async function saveFamilyWording(
  ctx: ServiceContext,
  input: {
    cinPlanId: string;
    wording: { goalId: string; text: string | undefined }[];
    /** The plan's version the form was shown with (the page requires it): the wording is the plan's, as a whole. */
    version?: number | undefined;
  },
): Promise<number> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCinPlan(ctx, input.cinPlanId, 'write');
  checkVersion(plan.version, input.version);
  assertOpen(episode, 'form');
  const goals = await goalsFor(trx, plan.id);
  enforce(
    input.wording.map((w) =>
      goals.some((g) => g.id === w.goalId) ? null : practiceError('form', 'Word the goals of this plan'),
    ),
  );
  const changes: { position: number; before: string | null; after: string | null }[] = [];
  for (const g of goals) {
    const entry = input.wording.find((w) => w.goalId === g.id);
    if (!entry) continue;
    const typed = entry.text?.trim();
    const next = typed && typed !== g.goal.trim() ? typed : null;
    if (next === g.familyWording) continue;
    await trx.updateTable('cinPlanGoals').set({ familyWording: next }).where('id', '=', g.id).execute();
    changes.push({ position: g.position, before: g.familyWording, after: next });
  }
  if (changes.length) {
    // The goals' wording is written with the plan: its version, checked in the UPDATE, makes a page opened before
    // someone else's change a 409 instead of overwriting their words.
    await changePlan(trx, plan.id, input.version ?? plan.version, now);
    await recordChange(ctx, {
      audit: auditPart('cin-plan.family-wording-changed', {
        type: 'cin-plan',
        id: plan.id,
        childId: episode.childId,
        details: { goals: changes },
      }),
    });
  }
  return changes.length;
}

// Reviews --------------------------------------------------------------------------------------------------------

export interface CinReviewInput {
  cinPlanId: string;
  heldOn: string;
  /** The agencies present: `SOCIAL_CARE_AGENCY` and agencies.id; at least one other than children's social care. */
  agencies: string[];
  /** Who attended, by name (the family and professionals). */
  attendees: string;
  childsViews: string;
  familyViews: string;
  summary: string;
  decision: CinReviewDecision;
  progress: { goalId: string; rating: GoalRating; notes?: string | undefined }[];
  actionsDone: string[];
  /** The plan's version the form was shown with (the page requires it; internal callers may leave it out). */
  version?: number | undefined;
}

export async function recordCinReview(ctx: ServiceContext, input: CinReviewInput): Promise<string> {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCinPlan(ctx, input.cinPlanId, 'write');
  checkVersion(plan.version, input.version);
  assertOpen(episode, 'heldOn');
  const goals = await goalsFor(trx, plan.id);
  const agencies = await checkAgenciesPresent(trx, 'cin-review', input.agencies);
  enforce([
    plan.endDate ? practiceError('heldOn', 'This plan has ended') : null,
    input.heldOn < plan.startDate
      ? practiceError('heldOn', `A review is held after the plan started (${plan.startDate})`)
      : null,
    ...agencies.violations,
    ...progressProblems(goals, input.progress, 'heldOn'),
  ]);
  const continuing = input.decision === 'continue';
  const row = await trx
    .insertInto('cinPlanReviews')
    .values({
      cinPlanId: plan.id,
      childId: plan.childId,
      heldOn: input.heldOn,
      socialCarePresent: agencies.present.socialCare,
      attendees: input.attendees,
      childsViews: input.childsViews,
      familyViews: input.familyViews,
      summary: input.summary,
      decision: input.decision,
      nextReviewDue: continuing
        ? cinReviewDue(calendar, plan.startDate, input.heldOn, plan.reviewIntervalWeeks)
        : null,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('cinPlanReviewProgress')
    .values(
      input.progress.map((p) => ({
        reviewId: row.id,
        goalId: p.goalId,
        rating: p.rating,
        notes: p.notes ?? null,
      })),
    )
    .execute();
  await saveAgenciesPresent(trx, 'cin-review', row.id, agencies.present);
  // A review changes the plan (goals achieved, the next review): its version goes up, checked in the UPDATE, so two
  // saves of one review page cannot both land.
  await changePlan(trx, plan.id, input.version ?? plan.version, now);
  await markAchieved(trx, input.progress, input.heldOn);
  const checks = await recordActionChecks(trx, {
    plan: { cinPlanId: plan.id },
    reviewKind: 'cin-review',
    reviewId: row.id,
    on: input.heldOn,
    doneIds: input.actionsDone,
    userId: user.id,
  });
  await recordEpisodeChange(
    ctx,
    { type: 'cin-plan-review', id: row.id, childId: plan.childId },
    {
      action: 'cin-plan-review.recorded',
      details: {
        cinPlanId: plan.id,
        decision: input.decision,
        socialCarePresent: agencies.present.socialCare,
        agencies: agencies.present.agencyIds,
        actionsDone: checks.done,
        actionsNotDone: checks.notDone,
      },
      on: input.heldOn,
      category: 'review',
      title: `Child in need plan review: ${CIN_REVIEW_DECISION_LABELS[input.decision]}`,
      summary: input.summary,
      significant: !continuing,
    },
  );
  return row.id;
}

// End ------------------------------------------------------------------------------------------------------------

export async function endCinPlan(
  ctx: ServiceContext,
  input: PlanEnding<CinEndReason> & { cinPlanId: string },
): Promise<void> {
  const { user } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCinPlan(ctx, input.cinPlanId, 'write');
  checkVersion(plan.version, input.version);
  await endCinPlanRow(ctx, { plan, episode }, input);
}

/** Ends a plan (also used on step-down and transfer out). */
export async function endCinPlanRow(
  ctx: ServiceContext,
  target: { plan: PlanToEnd; episode: EpisodeRow },
  input: PlanEnding<CinEndReason>,
): Promise<void> {
  const { plan, episode } = target;
  await endPlan(ctx, 'cin-plan', target, input, {
    rules: [
      rule4011(plan.startDate, input.endDate),
      rule4012Q(plan.startDate, input.endDate),
      censusYearQuery('4013', input.endDate, isoDateOf(ctx.now), 'plan’s end date', 'endDate'),
      rule4009Q(input.endDate, episode.dateOfDeath),
    ],
    reasonLabel: CIN_END_REASON_LABELS[input.reason],
  });
}

// Reading --------------------------------------------------------------------------------------------------------

export async function cinPlanDetails(ctx: ServiceContext, id: string) {
  const { db: trx } = ctx;
  const { plan, episode } = await requireCinPlan(ctx, id, 'read');
  const [goals, reviews, actions] = await Promise.all([
    goalsFor(trx, plan.id),
    trx
      .selectFrom('cinPlanReviews as r')
      .innerJoin('users as u', 'u.id', 'r.recordedBy')
      .selectAll('r')
      .select('u.displayName as recordedByName')
      .where('r.cinPlanId', '=', plan.id)
      .orderBy('r.heldOn')
      .execute(),
    actionsForPlan(trx, { cinPlanId: plan.id }),
  ]);
  const reviewIds = reviews.map((r) => r.id);
  const [progress, checks, agencies] = await Promise.all([
    reviewIds.length
      ? trx.selectFrom('cinPlanReviewProgress').selectAll().where('reviewId', 'in', reviewIds).execute()
      : Promise.resolve([]),
    checksAt(trx, reviewIds),
    agenciesPresentAt(trx, 'cin-review', reviews),
  ]);
  return {
    plan,
    episode,
    goals,
    reviews: reviews.map((r) => ({ ...r, agencies: agencies.get(r.id) ?? [] })),
    progress,
    checks,
    actions,
  };
}
