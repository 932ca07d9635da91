import { sql } from 'kysely';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { enforce } from './census-queries.ts';
import { cpGoalTies, goalRow, goalsOfPlan, newGoalProblems, type GoalInput } from './cin-plan.service.ts';
import { requireCpPlan } from './child-protection.service.ts';
import { loadEpisodeSnapshot } from './episode.repository.ts';
import { assertOpen, auditPart, chronologyPart } from './episode.service.ts';

/**
 * A child protection plan's goals: the child in need plan's goal machinery (cin-plan.service.ts: the same rows, the
 * same ties to the assessment's worries and needs, the same rules), reviewed goal by goal at the plan's core groups
 * and review conferences. A plan started before goals existed keeps its free-text plan and has none.
 */

/**
 * Adds a goal to an open child protection plan (a worry the conference or a later assessment identified). The form
 * carries the plan's version: a plan changed since the page was opened is a ConflictError, nothing added.
 */
export async function addCpGoal(
  ctx: ServiceContext,
  input: { cpPlanId: string; goal: GoalInput; version: number },
): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCpPlan(ctx, input.cpPlanId, 'write');
  assertOpen(episode, 'goal');
  const ties = cpGoalTies(await loadEpisodeSnapshot(trx, episode), plan.initialCategory);
  const today = isoDateOf(now);
  const g = input.goal;
  enforce(newGoalProblems(ties, g, !!plan.endDate, today));
  requireUpdated(
    await trx
      .updateTable('cpPlans')
      .set({ updatedAt: now, version: sql`version + 1` })
      .where('id', '=', plan.id)
      .where('version', '=', input.version)
      .where('endDate', 'is', null)
      .executeTakeFirst(),
  );
  const goals = await goalsOfPlan(trx, { cpPlanId: plan.id });
  const position = goals.reduce((max, x) => Math.max(max, x.position), 0) + 1;
  const row = await trx
    .insertInto('cinPlanGoals')
    .values(goalRow({ cpPlanId: plan.id }, position, g, now))
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: episode.childId,
      on: today,
      category: 'plan',
      title: `Goal ${position} added to the child protection plan`,
      summary: `${g.goal} (${g.worry})`,
      sourceType: 'cp-plan',
      sourceId: plan.id,
    }),
    audit: auditPart('cp-plan.goal-added', {
      type: 'cp-plan',
      id: plan.id,
      childId: episode.childId,
      details: { goalId: row.id, position, worry: g.worry, targetDate: g.targetDate },
    }),
  });
  return row.id;
}
