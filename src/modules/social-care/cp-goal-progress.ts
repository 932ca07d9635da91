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
