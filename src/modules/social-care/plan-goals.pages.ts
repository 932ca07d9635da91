import { z } from 'zod';
import { requirePermission } from '../../kernel/service/index.ts';
import type { PageContext } from '../../web/page.ts';
import type { PlanRef } from './actions.service.ts';
import { requireCpPlan } from './child-protection.service.ts';
import { cpGoalTies, goalsOfPlan, goalTies, requireCinPlan, unaddressedTies } from './cin-plan.service.ts';
import { loadEpisodeSnapshot } from './episode.repository.ts';
import { episodeHeader, planSaved, withCensusRules } from './pages-common.ts';
import { addPlanGoal } from './plan-goals.service.ts';
import { GOAL_ACTION_ROWS, planGoalForm } from './social-care.schemas.ts';

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
