import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireUpdated } from '../../kernel/service/index.ts';
import { DOMAIN_KEYS, type GoalStatus, type MeetingScores } from './early-help.ts';
import { refreshScoreSummaries } from './score-summaries.ts';

/**
 * Writes a review's or a closing summary's scores (checked first by `meetingScoreProblems`): the worker's and the
 * family's scaling, a score for each domain and one for each goal, all recorded on `recordedOn` against the meeting
 * (`occasion`, `sourceId`), and refreshes the episode's stored distance travelled.
 */
export async function recordMeetingScores(
  trx: Transaction<DB>,
  at: {
    episodeId: string;
    occasion: 'review' | 'closure';
    sourceId: string;
    recordedOn: string;
    recordedAt: Date;
    recordedBy: string;
  },
  scores: MeetingScores,
): Promise<void> {
  await trx
    .insertInto('earlyHelpScores')
    .values([
      { ...at, subject: 'scale', subjectKey: 'worker', score: scores.workerScale },
      { ...at, subject: 'scale', subjectKey: 'family', score: scores.familyScale },
      ...DOMAIN_KEYS.map((d) => ({
        ...at,
        subject: 'domain',
        subjectKey: d,
        score: scores.domainScores[d],
      })),
      ...scores.goals.map((g) => ({ ...at, subject: 'goal', subjectKey: g.goalId, score: g.score })),
    ])
    .execute();
  await refreshScoreSummaries(trx, [at.episodeId]);
}

/**
 * A review's or a closing summary's goals and scores, as the meeting decided them on `at.recordedOn`: each goal's
 * status (`goals: 'all'` at closure, where an open goal stays open but its version still moves on; `'decided'` at a
 * review, only those achieved or not achieved), then the scores (`recordMeetingScores`). Only an open goal changes,
 * once: a second meeting from the same page, or a goal form opened before it, is then a 409.
 */
export async function recordMeetingOutcome(
  trx: Transaction<DB>,
  at: Parameters<typeof recordMeetingScores>[1],
  scores: MeetingScores & { goals: { goalId: string; status: GoalStatus; score: number }[] },
  goals: 'all' | 'decided',
): Promise<void> {
  for (const g of scores.goals) {
    if (goals === 'decided' && g.status === 'open') continue;
    requireUpdated(
      await trx
        .updateTable('earlyHelpGoals')
        .set({
          status: g.status,
          statusChangedOn: g.status === 'open' ? null : at.recordedOn,
          updatedAt: at.recordedAt,
          version: sql`version + 1`,
        })
        .where('id', '=', g.goalId)
        .where('status', '=', 'open')
        .executeTakeFirst(),
    );
  }
  await recordMeetingScores(trx, at, scores);
}
