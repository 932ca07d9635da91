import { z } from 'zod';
import { latestChildVoice } from '../people/index.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { dateToParts, recordVersion } from '../../kernel/forms/fields.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { openActionsForPlan } from './actions.service.ts';
import {
  cinPlanDetails,
  endCinPlan,
  goalsFor,
  goalTies,
  recordCinReview,
  requireCinPlan,
  saveFamilyWording,
  startCinPlan,
  unaddressedTies,
} from './cin-plan.service.ts';
import { loadEpisodeSnapshot, openCpPlan } from './episode.repository.ts';
import {
  agencyItems,
  cinPlanParams,
  episodeForForm,
  episodeHeader,
  episodeParams,
  options,
  PATHS,
  planForForm,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import {
  cinPlanForm,
  cinReviewForm,
  endCinPlanForm,
  GOAL_ROWS,
  planGoalForm,
} from './social-care.schemas.ts';
import { planGoalPageData, planGoalQuery, submitPlanGoal } from './plan-goals.pages.ts';
import {
  CIN_END_REASON_LABELS,
  CIN_END_REASONS,
  CIN_REVIEW_DECISION_LABELS,
  CIN_REVIEW_DECISIONS,
  cinReviewDue,
  GOAL_RATING_LABELS,
  GOAL_RATINGS,
  type CinEndReason,
  type CinReviewDecision,
  type GoalRating,
} from './social-care.ts';
import { requirePermission } from '../../kernel/service/index.ts';
import { letterLinks } from '../documents/index.ts';

/** Child in need plans: start (SMART goals tied to the assessment), review, end, and the family's version. */

export const newCinPlanPage = definePage({
  path: PATHS.newCinPlan,
  view: 'social-care/views/cin-plan-new.njk',
  access: 'social-care:write',
  title: 'Start a child in need plan',
  params: episodeParams,
  form: ({ today }) => cinPlanForm(today),
  audit: viewAudit('cin-plan.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    return {
      header,
      ties: goalTies(s).map((t) => ({ value: t, text: t })),
      rows: GOAL_ROWS,
      cpOpen: !!openCpPlan(s),
      defaults: dateToParts('startDate', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['startDate'], async () => {
      const id = await startCinPlan(ctx, {
        episodeId: ctx.params.episodeId,
        startDate: form.startDate!,
        familySummary: form.familySummary,
        goals: form.rows,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Child in need plan started');
      return pathTo(PATHS.cinPlan, { cinPlanId: id });
    }),
});

async function planView(ctx: PageContext<{ cinPlanId: string }, Record<string, never>>) {
  const d = await cinPlanDetails(ctx, ctx.params.cinPlanId);
  const lastReview = d.reviews.at(-1)?.heldOn ?? null;
  // What the latest assessment found that no goal addresses yet (an open plan can take on more goals).
  const unaddressed = d.plan.endDate
    ? []
    : unaddressedTies(goalTies(await loadEpisodeSnapshot(ctx.db, d.episode)), d.goals);
  return {
    unaddressed,
    header: await episodeHeader(ctx.db, d.episode, ctx.now),
    plan: d.plan,
    endReasonLabel: d.plan.endReason ? CIN_END_REASON_LABELS[d.plan.endReason as CinEndReason] : null,
    goals: d.goals.map((g) => {
      const latest = [...d.reviews]
        .reverse()
        .map((r) => d.progress.find((p) => p.reviewId === r.id && p.goalId === g.id))
        .find(Boolean);
      return {
        ...g,
        latestRating: latest ? GOAL_RATING_LABELS[latest.rating as GoalRating] : 'Not reviewed yet',
      };
    }),
    reviews: d.reviews.map((r) => ({
      ...r,
      decisionLabel: CIN_REVIEW_DECISION_LABELS[r.decision as CinReviewDecision],
      progress: d.goals.map((g) => {
        const p = d.progress.find((x) => x.reviewId === r.id && x.goalId === g.id);
        return {
          position: g.position,
          goal: g.goal,
          rating: p ? GOAL_RATING_LABELS[p.rating as GoalRating] : '',
          notes: p?.notes ?? '',
        };
      }),
      checks: d.checks.filter((c) => c.reviewId === r.id),
    })),
    actions: d.actions,
    nextReview: d.plan.endDate
      ? null
      : cinReviewDue(ctx.services.calendar, d.plan.startDate, lastReview, d.plan.reviewIntervalWeeks),
    episode: d.episode,
  };
}

export const cinPlanPage = definePage({
  path: PATHS.cinPlan,
  view: 'social-care/views/cin-plan.njk',
  access: 'social-care:read',
  title: 'Child in need plan',
  params: cinPlanParams,
  audit: viewAudit('cin-plan.viewed', 'cin-plan', 'cinPlanId'),
  load: async (ctx) => {
    const view = await planView(ctx);
    const open = !view.plan.endDate && !view.episode.closureDate;
    return {
      ...view,
      letters: open
        ? letterLinks(ctx.user, 'cin-plan', view.plan.id, [
            { kind: 'cin-plan-family', text: 'Produce the family’s copy of the plan' },
            { kind: 'child-friendly-plan', text: 'Produce the child-friendly version of the plan' },
          ])
        : [],
      reviewLetters: Object.fromEntries(
        view.reviews.map((r) => [
          r.id,
          letterLinks(ctx.user, 'cin-review', r.id, [
            { kind: 'review-outcome', text: 'Produce the letter to the family about this review' },
          ])[0] ?? null,
        ]),
      ),
      can: {
        write:
          !view.plan.endDate && !view.episode.closureDate && ctx.user.permissions.has('social-care:write'),
      },
    };
  },
});

export const newCinGoalPage = definePage({
  path: PATHS.newCinGoal,
  view: 'social-care/views/cin-goal-new.njk',
  access: 'social-care:write',
  title: 'Add a goal to the plan',
  params: cinPlanParams,
  query: planGoalQuery,
  form: ({ today }) => planGoalForm(today),
  audit: viewAudit('cin-plan.goal-new-viewed', 'cin-plan', 'cinPlanId'),
  load: (ctx) => planGoalPageData(ctx, { cinPlanId: ctx.params.cinPlanId }),
  submit: (ctx, form) =>
    submitPlanGoal(ctx, { cinPlanId: ctx.params.cinPlanId }, form, {
      flash: 'Goal added to the plan',
      path: pathTo(PATHS.cinPlan, ctx.params),
    }),
});

export const familyPlanPage = definePage({
  path: PATHS.familyPlan,
  view: 'social-care/views/cin-plan-family.njk',
  access: 'social-care:read',
  title: 'Our plan together',
  params: cinPlanParams,
  // Opening the family's version is printing it: recorded as such.
  audit: viewAudit('cin-plan.printed', 'cin-plan', 'cinPlanId'),
  load: async (ctx) => ({ ...(await planView(ctx)), printedBy: ctx.user.displayName, printedAt: ctx.now }),
});

/** The goals in words for the family: a box per goal, prefilled with the goal as written until reworded. */
const WORDING_MAX = 2000;
export const familyWordingPage = definePage({
  path: PATHS.familyWording,
  view: 'social-care/views/cin-plan-family-wording.njk',
  access: 'social-care:write',
  title: 'The goals in words for the family',
  params: cinPlanParams,
  // One box per goal (`wording__<goalId>`), and the plan's version when the page was shown.
  form: z.object({ version: recordVersion() }).catchall(z.unknown()),
  labels: (d) =>
    Object.fromEntries(
      ((d as { goals?: { id: string; position: number }[] }).goals ?? []).map((g) => [
        `wording__${g.id}`,
        `Goal ${g.position} in words for the family`,
      ]),
    ),
  audit: viewAudit('cin-plan.family-wording-viewed', 'cin-plan', 'cinPlanId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { plan, episode } = await requireCinPlan(ctx, ctx.params.cinPlanId, 'write');
    const goals = await goalsFor(ctx.db, plan.id);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      plan,
      goals,
      maxLength: WORDING_MAX,
      defaults: Object.fromEntries(goals.map((g) => [`wording__${g.id}`, g.familyWording ?? g.goal])),
      // What is saved now, for the conflict page when someone else changed the wording since the page was shown.
      saved: {
        version: String(plan.version),
        ...Object.fromEntries(goals.map((g) => [`wording__${g.id}`, g.familyWording ?? g.goal])),
      },
    };
  },
  submit: async (ctx, form) => {
    const goals = await goalsFor(ctx.db, ctx.params.cinPlanId);
    const text = (g: { id: string }) => {
      const v = form[`wording__${g.id}`];
      return typeof v === 'string' ? v : undefined;
    };
    const tooLong = goals.filter((g) => (text(g)?.trim().length ?? 0) > WORDING_MAX);
    if (tooLong.length)
      return {
        errors: tooLong.map((g) =>
          fieldError(
            `wording__${g.id}`,
            `Goal ${g.position}: the family’s wording must be ${WORDING_MAX.toLocaleString('en-GB')} characters or fewer`,
          ),
        ),
      };
    return withCensusRules(ctx, [], async () => {
      const changed = await saveFamilyWording(ctx, {
        cinPlanId: ctx.params.cinPlanId,
        wording: goals.map((g) => ({ goalId: g.id, text: text(g) })),
        version: form.version,
      });
      ctx.flash(
        changed
          ? 'The family’s wording has been saved: the family’s version shows it'
          : 'Nothing was changed',
      );
      return pathTo(PATHS.cinPlan, ctx.params);
    });
  },
});

export const newCinReviewPage = definePage({
  path: PATHS.newCinReview,
  view: 'social-care/views/cin-review-new.njk',
  access: 'social-care:write',
  title: 'Review the child in need plan',
  params: cinPlanParams,
  form: ({ today }) => cinReviewForm(today),
  audit: viewAudit('cin-plan-review.new-viewed', 'cin-plan', 'cinPlanId'),
  load: async (ctx) => {
    const base = await planForForm(ctx, requireCinPlan, ctx.params.cinPlanId);
    const { plan } = base;
    return {
      ...base,
      goals: await goalsFor(ctx.db, plan.id),
      agencies: await agencyItems(ctx.db),
      ratings: options(GOAL_RATINGS, GOAL_RATING_LABELS),
      decisions: options(CIN_REVIEW_DECISIONS, CIN_REVIEW_DECISION_LABELS),
      actions: await openActionsForPlan(ctx.db, { cinPlanId: plan.id }),
      latestWords: await latestChildVoice(ctx, [base.header.childId]),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      await recordCinReview(ctx, {
        cinPlanId: ctx.params.cinPlanId,
        heldOn: form.heldOn!,
        agencies: form.agencies,
        attendees: form.attendees,
        childsViews: form.childsViews,
        familyViews: form.familyViews,
        summary: form.summary,
        decision: form.decision,
        progress: form.progress,
        actionsDone: form.actionsDone,
        version: form.version,
      });
      ctx.flash('Review recorded');
      const { plan } = await requireCinPlan(ctx, ctx.params.cinPlanId, 'read');
      if (form.decision === 'step-down') return pathTo(PATHS.stepDown, { episodeId: plan.episodeId });
      if (form.decision === 'escalate')
        return pathTo(PATHS.newStrategyDiscussion, { episodeId: plan.episodeId });
      return pathTo(PATHS.cinPlan, ctx.params);
    }),
});

export const endCinPlanPage = definePage({
  path: PATHS.endCinPlan,
  view: 'social-care/views/cin-plan-end.njk',
  access: 'social-care:write',
  title: 'End the child in need plan',
  params: cinPlanParams,
  form: ({ today }) => endCinPlanForm(today),
  audit: viewAudit('cin-plan.end-viewed', 'cin-plan', 'cinPlanId'),
  load: async (ctx) => ({
    ...(await planForForm(ctx, requireCinPlan, ctx.params.cinPlanId)),
    reasons: options(CIN_END_REASONS, CIN_END_REASON_LABELS),
  }),
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['endDate'], async () => {
      await endCinPlan(ctx, {
        cinPlanId: ctx.params.cinPlanId,
        endDate: form.endDate!,
        reason: form.reason,
        notes: form.notes,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash('Child in need plan ended');
      return pathTo(PATHS.cinPlan, ctx.params);
    }),
});

export const cinPlanPages = [
  newCinPlanPage,
  cinPlanPage,
  newCinGoalPage,
  familyPlanPage,
  familyWordingPage,
  newCinReviewPage,
  endCinPlanPage,
];
