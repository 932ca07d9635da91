import { sql } from 'kysely';
import { NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import type { PlanRef } from './actions.service.ts';
import { enforce, practiceError } from './census-queries.ts';
import { requireCpPlan } from './child-protection.service.ts';
import {
  cpGoalTies,
  goalRow,
  goalsOfPlan,
  goalTies,
  newGoalProblems,
  requireCinPlan,
  type GoalInput,
} from './cin-plan.service.ts';
import { loadEpisodeSnapshot } from './episode.repository.ts';
import { assertOpen, auditPart, chronologyPart } from './episode.service.ts';

/**
 * One more goal for an open plan, child in need and child protection alike (issue 18 item 10): the goal tied to a
 * worry or need (for a child protection plan, the worry the conference decided too), with its actions — what will be
 * done, who by and by when. The actions are the plan's actions that belong to this goal: each meeting of the plan
 * (review, core group, review conference) checks them, done or not, under the goal it reviews.
 */

export interface GoalActionInput {
  action: string;
  responsible: string;
  /** 'YYYY-MM-DD'; not in the past. */
  dueOn?: string | undefined;
}

export interface AddPlanGoalInput {
  plan: PlanRef;
  goal: GoalInput;
  actions?: readonly GoalActionInput[] | undefined;
  /**
   * The plan's version when the form was shown: a plan changed since is a ConflictError (409), nothing added. Left
   * out (a service acting on the plan as it reads it now), the current version.
   */
  version?: number | undefined;
}

const WORDS = {
  cin: { type: 'cin-plan', plan: 'child in need plan' },
  cp: { type: 'cp-plan', plan: 'child protection plan' },
} as const;

export async function addPlanGoal(ctx: ServiceContext, input: AddPlanGoalInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const kind = 'cinPlanId' in input.plan ? 'cin' : 'cp';
  const { plan, episode, ties } =
    'cinPlanId' in input.plan
      ? await requireCinPlan(ctx, input.plan.cinPlanId, 'write').then(async (p) => ({
          ...p,
          ties: goalTies(await loadEpisodeSnapshot(trx, p.episode)),
        }))
      : await requireCpPlan(ctx, input.plan.cpPlanId, 'write').then(async (p) => ({
          ...p,
          ties: cpGoalTies(await loadEpisodeSnapshot(trx, p.episode), p.plan.initialCategory),
        }));
  assertOpen(episode, 'goal');
  const today = isoDateOf(now);
  const g = input.goal;
  const actions = input.actions ?? [];
  enforce([
    ...newGoalProblems(ties, g, !!plan.endDate, today),
    ...actions.map((a, i) =>
      a.dueOn && a.dueOn < today
        ? practiceError(`actions__${i}__dueOn`, `Action ${i + 1}: the date cannot be in the past`)
        : null,
    ),
  ]);
  const version = input.version ?? plan.version;
  requireUpdated(
    kind === 'cin'
      ? await trx
          .updateTable('cinPlans')
          .set({ updatedAt: now, version: sql`version + 1` })
          .where('id', '=', plan.id)
          .where('version', '=', version)
          .where('endDate', 'is', null)
          .executeTakeFirst()
      : await trx
          .updateTable('cpPlans')
          .set({ updatedAt: now, version: sql`version + 1` })
          .where('id', '=', plan.id)
          .where('version', '=', version)
          .where('endDate', 'is', null)
          .executeTakeFirst(),
  );
  const ref: PlanRef = kind === 'cin' ? { cinPlanId: plan.id } : { cpPlanId: plan.id };
  const goals = await goalsOfPlan(trx, ref);
  const position = goals.reduce((max, x) => Math.max(max, x.position), 0) + 1;
  const row = await trx
    .insertInto('cinPlanGoals')
    .values(goalRow(ref, position, g, now))
    .returning('id')
    .executeTakeFirstOrThrow();
  if (actions.length)
    await trx
      .insertInto('planActions')
      .values(
        actions.map((a, i) => ({
          position: i + 1,
          episodeId: episode.id,
          childId: episode.childId,
          cinPlanId: kind === 'cin' ? plan.id : null,
          cpPlanId: kind === 'cp' ? plan.id : null,
          goalId: row.id,
          action: a.action,
          responsible: a.responsible,
          dueOn: a.dueOn ?? null,
          createdAt: now,
          createdBy: user.id,
        })),
      )
      .execute();
  const words = WORDS[kind];
  const actionWords = actions.length
    ? `. ${actions.length === 1 ? 'Action' : 'Actions'}: ${actions.map((a) => `${a.action} (${a.responsible})`).join('; ')}`
    : '';
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: episode.childId,
      on: today,
      category: 'plan',
      title: `Goal ${position} added to the ${words.plan}`,
      summary: `${g.goal} (${g.worry})${actionWords}`,
      sourceType: words.type,
      sourceId: plan.id,
    }),
    audit: auditPart(`${words.type}.goal-added`, {
      type: words.type,
      id: plan.id,
      childId: episode.childId,
      details: {
        goalId: row.id,
        position,
        worry: g.worry,
        targetDate: g.targetDate,
        actions: actions.length,
      },
    }),
  });
  return row.id;
}

/** A goal for an open child in need plan (addPlanGoal). */
export const addCinGoal = (
  ctx: ServiceContext,
  input: Omit<AddPlanGoalInput, 'plan'> & { cinPlanId: string },
): Promise<string> => addPlanGoal(ctx, { ...input, plan: { cinPlanId: input.cinPlanId } });

/** A goal for an open child protection plan (addPlanGoal); the form's plan version is required. */
export const addCpGoal = (
  ctx: ServiceContext,
  input: Omit<AddPlanGoalInput, 'plan' | 'version'> & { cpPlanId: string; version: number },
): Promise<string> => addPlanGoal(ctx, { ...input, plan: { cpPlanId: input.cpPlanId } });

/** A goal of a child in need plan or a child protection plan, with its plan and episode, for writing. */
export async function requirePlanGoal(ctx: ServiceContext, goalId: string) {
  const goal = await ctx.db
    .selectFrom('cinPlanGoals')
    .select(['id', 'cinPlanId', 'cpPlanId', 'position', 'goal', 'worry', 'responsible', 'targetDate'])
    .where('id', '=', goalId)
    .executeTakeFirst();
  if (!goal) throw new NotFoundError();
  if (goal.cinPlanId) {
    const { plan, episode } = await requireCinPlan(ctx, goal.cinPlanId, 'write');
    return { goal, kind: 'cin' as const, plan, episode };
  }
  if (!goal.cpPlanId) throw new NotFoundError();
  const { plan, episode } = await requireCpPlan(ctx, goal.cpPlanId, 'write');
  return { goal, kind: 'cp' as const, plan, episode };
}

export interface AddGoalActionInput {
  /** The goal (a child in need plan's or a child protection plan's) the action works towards. */
  goalId: string;
  action: GoalActionInput;
  /** The plan's version when the form was shown: a plan changed since is a ConflictError (409), nothing added. */
  version: number;
}

/**
 * One more action for a goal already on an open plan (issue 18 follow-up): goals entered when the plan started, or
 * added later, get actions this way. The plan's version is checked and moved on, as for a new goal.
 */
export async function addGoalAction(ctx: ServiceContext, input: AddGoalActionInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { goal, kind, plan, episode } = await requirePlanGoal(ctx, input.goalId);
  assertOpen(episode, 'action');
  const today = isoDateOf(now);
  const a = input.action;
  enforce([
    plan.endDate ? practiceError('action', 'This plan has ended: actions cannot be added to it') : null,
    a.dueOn && a.dueOn < today ? practiceError('dueOn', 'The date cannot be in the past') : null,
  ]);
  requireUpdated(
    kind === 'cin'
      ? await trx
          .updateTable('cinPlans')
          .set({ updatedAt: now, version: sql`version + 1` })
          .where('id', '=', plan.id)
          .where('version', '=', input.version)
          .where('endDate', 'is', null)
          .executeTakeFirst()
      : await trx
          .updateTable('cpPlans')
          .set({ updatedAt: now, version: sql`version + 1` })
          .where('id', '=', plan.id)
          .where('version', '=', input.version)
          .where('endDate', 'is', null)
          .executeTakeFirst(),
  );
  const last = await trx
    .selectFrom('planActions')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('goalId', '=', goal.id)
    .executeTakeFirst();
  const row = await trx
    .insertInto('planActions')
    .values({
      position: Number(last?.position ?? 0) + 1,
      episodeId: episode.id,
      childId: episode.childId,
      cinPlanId: kind === 'cin' ? plan.id : null,
      cpPlanId: kind === 'cp' ? plan.id : null,
      goalId: goal.id,
      action: a.action,
      responsible: a.responsible,
      dueOn: a.dueOn ?? null,
      createdAt: now,
      createdBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const words = WORDS[kind];
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: episode.childId,
      on: today,
      category: 'plan',
      title: `Action added to goal ${goal.position} of the ${words.plan}`,
      summary: `${a.action} (${a.responsible}${a.dueOn ? `, by ${formatDateGovUk(a.dueOn)}` : ''}) towards: ${goal.goal}`,
      sourceType: words.type,
      sourceId: plan.id,
    }),
    audit: auditPart(`${words.type}.goal-action-added`, {
      type: words.type,
      id: plan.id,
      childId: episode.childId,
      details: { goalId: goal.id, actionId: row.id, position: goal.position, dueOn: a.dueOn ?? null },
    }),
  });
  return row.id;
}
