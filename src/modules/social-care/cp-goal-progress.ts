import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { goalsOfPlan, markAchieved } from './cin-plan.service.ts';
import type { GoalRating } from './social-care.ts';

type Trx = Transaction<DB>;

/** Progress on a child protection plan's goals, recorded goal by goal at its core groups and review conferences. */

export type CpMeetingKind = 'core-group' | 'review-conference';

export interface GoalProgressInput {
  goalId: string;
  rating: GoalRating;
  notes?: string | undefined;
}

/** Keeps the progress on each goal recorded at a core group or review conference held on `on`. */
export async function saveCpGoalProgress(
  trx: Trx,
  meeting: { kind: CpMeetingKind; id: string; on: string },
  progress: readonly GoalProgressInput[],
): Promise<void> {
  if (!progress.length) return;
  await trx
    .insertInto('cpPlanGoalProgress')
    .values(
      progress.map((p) => ({
        meetingKind: meeting.kind,
        meetingId: meeting.id,
        goalId: p.goalId,
        rating: p.rating,
        notes: p.notes ?? null,
      })),
    )
    .execute();
  await markAchieved(trx, progress, meeting.on);
}

/** The plan's goals and the progress recorded on them at each meeting. */
export async function cpGoalsAndProgress(trx: Trx, cpPlanId: string) {
  const goals = await goalsOfPlan(trx, { cpPlanId });
  const progress = goals.length
    ? await trx
        .selectFrom('cpPlanGoalProgress')
        .selectAll()
        .where(
          'goalId',
          'in',
          goals.map((g) => g.id),
        )
        .execute()
    : [];
  return { goals, progress };
}

/** A core group or review conference of the plan, by the day it was held. */
export interface CpMeeting {
  id: string;
  kind: CpMeetingKind;
  heldOn: string;
}

/** The plan's meetings (core groups and review conferences) in the order they were held. */
export function cpMeetings(
  coreGroups: readonly { id: string; heldOn: string }[],
  reviews: readonly { id: string; heldOn: string }[],
): CpMeeting[] {
  return [
    ...coreGroups.map((g) => ({ id: g.id, kind: 'core-group' as const, heldOn: g.heldOn })),
    ...reviews.map((r) => ({ id: r.id, kind: 'review-conference' as const, heldOn: r.heldOn })),
  ].sort((a, b) => (a.heldOn < b.heldOn ? -1 : a.heldOn > b.heldOn ? 1 : 0));
}

/** A goal's latest rating: from the last meeting that rated it (undefined when none has yet). */
export function latestCpRating<P extends { meetingId: string; goalId: string }>(
  meetings: readonly CpMeeting[],
  progress: readonly P[],
  goalId: string,
): { meeting: CpMeeting; progress: P } | undefined {
  for (const meeting of [...meetings].reverse()) {
    const p = progress.find((x) => x.meetingId === meeting.id && x.goalId === goalId);
    if (p) return { meeting, progress: p };
  }
  return undefined;
}
