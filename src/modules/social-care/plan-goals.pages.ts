import { z } from 'zod';
import { requirePermission } from '../../kernel/service/index.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import type { PlanRef } from './actions.service.ts';
import { requireCpPlan } from './child-protection.service.ts';
import { cpGoalTies, goalsOfPlan, goalTies, requireCinPlan, unaddressedTies } from './cin-plan.service.ts';
import { loadEpisodeSnapshot } from './episode.repository.ts';
import {
  episodeHeader,
  PATHS,
  planGoalParams,
  planSaved,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import { addGoalAction, addPlanGoal, requirePlanGoal } from './plan-goals.service.ts';
import { GOAL_ACTION_ROWS, goalActionForm, planGoalForm } from './social-care.schemas.ts';

/**
 * The one "Add a goal" page of a child in need plan and a child protection plan (views/_plan-goal.njk): what the
 * goal may address, the goals it does not yet, and the plan's version; saved through addPlanGoal.
 */

export const planGoalQuery = z.object({ worry: z.string().max(2000).optional().catch(undefined) });

type GoalPageContext = PageContext<Record<string, string>, z.infer<typeof planGoalQuery>>;

export async function planGoalPageData(ctx: GoalPageContext, ref: PlanRef) {
  requirePermission(ctx.user, 'social-care:write');
  const { plan, episode } =
    'cinPlanId' in ref
      ? await requireCinPlan(ctx, ref.cinPlanId, 'write')
      : await requireCpPlan(ctx, ref.cpPlanId, 'write');
  const snapshot = await loadEpisodeSnapshot(ctx.db, episode);
  const ties =
    'cinPlanId' in ref
      ? goalTies(snapshot)
      : cpGoalTies(snapshot, 'initialCategory' in plan ? plan.initialCategory : null);
  const goals = await goalsOfPlan(ctx.db, ref);
  return {
    header: await episodeHeader(ctx.db, episode, ctx.now),
    plan,
    // The plan's version when the page was shown (and, for the conflict page, what is saved now).
    saved: planSaved(plan),
    ties: ties.map((t) => ({ value: t, text: t })),
    unaddressed: unaddressedTies(ties, goals),
    actionRows: GOAL_ACTION_ROWS,
    // "Add a goal" from a worry on the plan page chooses it here.
    defaults: { worry: ctx.query.worry && ties.includes(ctx.query.worry) ? ctx.query.worry : '' },
  };
}

export function submitPlanGoal(
  ctx: GoalPageContext,
  ref: PlanRef,
  form: z.infer<ReturnType<typeof planGoalForm>>,
  done: { flash: string; path: string },
) {
  return withCensusRules(ctx, ['targetDate'], async () => {
    await addPlanGoal(ctx, {
      plan: ref,
      goal: {
        worry: form.worry,
        goal: form.goal,
        measure: form.measure,
        responsible: form.responsible,
        targetDate: form.targetDate!,
      },
      actions: form.rows,
      version: form.version,
    });
    ctx.flash(done.flash);
    return done.path;
  });
}

/**
 * "Add an action" for a goal already on a plan, child in need or child protection (views/goal-action-new.njk):
 * what will be done, who by and by when, saved through addGoalAction with the plan's version.
 */
export const newGoalActionPage = definePage({
  path: PATHS.newGoalAction,
  view: 'social-care/views/goal-action-new.njk',
  access: 'social-care:write',
  title: 'Add an action to a goal',
  params: planGoalParams,
  form: ({ today }) => goalActionForm(today),
  audit: viewAudit('plan-goal.action-new-viewed', 'plan-goal', 'planGoalId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { goal, kind, plan, episode } = await requirePlanGoal(ctx, ctx.params.planGoalId);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      goal,
      plan,
      planHref:
        kind === 'cin'
          ? pathTo(PATHS.cinPlan, { cinPlanId: plan.id })
          : pathTo(PATHS.cpPlan, { cpPlanId: plan.id }),
      planWords: kind === 'cin' ? 'child in need plan' : 'child protection plan',
      saved: planSaved(plan),
    };
  },
  submit: async (ctx, form) => {
    const { kind, plan } = await requirePlanGoal(ctx, ctx.params.planGoalId);
    return withCensusRules(ctx, ['dueOn'], async () => {
      await addGoalAction(ctx, {
        goalId: ctx.params.planGoalId,
        action: { action: form.action, responsible: form.responsible, dueOn: form.dueOn },
        version: form.version,
      });
      ctx.flash('Action added to the goal');
      return kind === 'cin'
        ? pathTo(PATHS.cinPlan, { cinPlanId: plan.id })
        : pathTo(PATHS.cpPlan, { cpPlanId: plan.id });
    });
  },
});
