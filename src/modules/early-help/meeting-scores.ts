import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DOMAIN_KEYS, type MeetingScores } from './early-help.ts';
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
