import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';

type Trx = Transaction<DB>;

/**
 * Plan actions: follow-ups from direct work with the child (and any added to a plan) that land in the open plan.
 * At the next CIN review, core group or review conference each open action is marked done or not done, and that
 * check is kept with the meeting, so the record shows what was followed up and when.
 */

export type PlanRef = { cinPlanId: string } | { cpPlanId: string };

export async function actionsForPlan(trx: Trx, plan: PlanRef) {
  let q = trx
    .selectFrom('planActions as a')
    .leftJoin('directWorkSessions as d', 'd.id', 'a.directWorkId')
    .select([
      'a.id',
      'a.goalId',
      'a.action',
      'a.responsible',
      'a.dueOn',
      'a.doneOn',
      'a.createdAt',
      'd.heldOn as fromDirectWorkOn',
      'd.tool as fromTool',
    ]);
  q =
    'cinPlanId' in plan
      ? q.where('a.cinPlanId', '=', plan.cinPlanId)
      : q.where('a.cpPlanId', '=', plan.cpPlanId);
  return q.orderBy('a.createdAt').orderBy('a.position').execute();
}

export async function openActionsForPlan(trx: Trx, plan: PlanRef) {
  return (await actionsForPlan(trx, plan)).filter((a) => !a.doneOn);
}

/** Marks every open action of the plan done (those ticked) or not done, at a review held on `on`. */
export async function recordActionChecks(
  trx: Trx,
  input: {
    plan: PlanRef;
    reviewKind: 'cin-review' | 'core-group' | 'review-conference';
    reviewId: string;
    on: string;
    doneIds: string[];
    userId: string;
  },
): Promise<{ done: number; notDone: number }> {
  const open = await openActionsForPlan(trx, input.plan);
  const unknown = input.doneIds.filter((id) => !open.some((a) => a.id === id));
  if (unknown.length)
    throw new BusinessRuleError('actionsDone', 'Select actions from the plan’s open actions');
  if (!open.length) return { done: 0, notDone: 0 };
  await trx
    .insertInto('planActionChecks')
    .values(
      open.map((a) => ({
        actionId: a.id,
        reviewKind: input.reviewKind,
        reviewId: input.reviewId,
        done: input.doneIds.includes(a.id),
        checkedOn: input.on,
      })),
    )
    .execute();
  const done = open.filter((a) => input.doneIds.includes(a.id)).map((a) => a.id);
  if (done.length) {
    // "Still open" is checked in the UPDATE: an action another meeting marked done meanwhile is a ConflictError
    // (409), not marked done twice.
    const marked = await trx
      .updateTable('planActions')
      .set({ doneOn: input.on, doneRecordedBy: input.userId })
      .where('id', 'in', done)
      .where('doneOn', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== done.length) throw new ConflictError();
  }
  return { done: done.length, notDone: open.length - done.length };
}

/** What was checked at a meeting: each action and whether it was done. */
export async function checksAt(trx: Trx, reviewIds: string[]) {
  if (!reviewIds.length) return [];
  return trx
    .selectFrom('planActionChecks as c')
    .innerJoin('planActions as a', 'a.id', 'c.actionId')
    .select(['c.reviewId', 'c.done', 'a.action', 'a.responsible'])
    .where('c.reviewId', 'in', reviewIds)
    .orderBy('a.createdAt')
    .orderBy('a.position')
    .execute();
}

/**
 * When a plan starts, the follow-up actions that were waiting for it move into it: the episode's open actions not
 * yet in any plan (direct work before a plan started), and — when a child protection plan replaces a child in need
 * plan — the CIN plan's actions still open. They are then checked, done or not, at the new plan's next meeting.
 */
export async function carryActionsIntoPlan(
  trx: Trx,
  input: { episodeId: string; into: PlanRef; from?: { cinPlanId: string } | null },
): Promise<{ unattached: string[]; fromPlan: string[] }> {
  const target =
    'cinPlanId' in input.into
      ? { cinPlanId: input.into.cinPlanId, cpPlanId: null }
      : { cinPlanId: null, cpPlanId: input.into.cpPlanId };
  const unattached = await trx
    .updateTable('planActions')
    .set(target)
    .where('episodeId', '=', input.episodeId)
    .where('cinPlanId', 'is', null)
    .where('cpPlanId', 'is', null)
    .where('doneOn', 'is', null)
    .returning('id')
    .execute();
  const fromPlan = input.from
    ? await trx
        .updateTable('planActions')
        .set(target)
        .where('cinPlanId', '=', input.from.cinPlanId)
        .where('doneOn', 'is', null)
        .returning('id')
        .execute()
    : [];
  return { unattached: unattached.map((r) => r.id), fromPlan: fromPlan.map((r) => r.id) };
}

/** "2 follow-up actions from direct work" etc., for the chronology; empty when nothing moved. */
export function carriedSummary(carried: { unattached: string[]; fromPlan: string[] }): string {
  const n = (k: number) => `${k} open follow-up action${k === 1 ? '' : 's'}`;
  const parts = [
    carried.unattached.length ? `${n(carried.unattached.length)} recorded before the plan started` : '',
    carried.fromPlan.length ? `${n(carried.fromPlan.length)} from the child in need plan` : '',
  ].filter(Boolean);
  return parts.length ? ` Carried into the plan: ${parts.join(' and ')}.` : '';
}
