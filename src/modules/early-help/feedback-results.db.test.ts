import { describe, expect, it } from 'vitest';
import { anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { localAuthorityId } from '../../../test/builders/people.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { earlyHelpFeedbackRows, feedbackByClusterAndAgency } from './feedback-results.ts';

/** Early help's feedback at reviews and closure: by cluster and lead agency for the impact page, and as results rows. */
const file = databaseForFile();
const now = new Date('2026-11-24T10:00:00Z');

describe('early help feedback for the impact page and the family feedback results', () => {
  it('counts the answers by cluster and lead agency in the period, and gives rows shaped like a response', async () => {
    const { episode } = await anEarlyHelpEpisode(file.db, { now });
    const feedback = (givenOn: string, listened: string, comments: string | null) => ({
      episodeId: episode.id,
      stage: 'review',
      respondent: 'child',
      listened,
      helped: 'yes',
      thingsBetter: 'same',
      knowsNext: 'yes',
      comments,
      givenOn,
      recordedAt: now,
    });
    await file.db
      .insertInto('earlyHelpFeedback')
      .values([
        feedback('2026-11-10', 'yes', 'Good'),
        feedback('2026-11-12', 'no', null),
        feedback('2026-01-01', 'yes', 'Out of the period'),
      ])
      .execute();
    const la = await localAuthorityId(file.db);
    const result = await feedbackByClusterAndAgency(file.db, {
      localAuthorityIds: [la],
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(result.clusters).toEqual([
      { key: expect.any(String), label: 'Richmond and Kew', responses: 2, listened: 1, helped: 2, better: 0 },
    ]);
    expect(result.agencies.reduce((n, a) => n + a.responses, 0)).toBe(2);
    const rows = await earlyHelpFeedbackRows([la]).execute(file.db);
    const mine = (
      rows.rows as { words: string | null; point: string; audience: string; answers: unknown }[]
    ).filter((r) => r.words === 'Good');
    expect(mine).toEqual([
      expect.objectContaining({
        point: 'plan-review',
        audience: 'child',
        answers: { feedback: { listened: 'yes', helped: 'yes', thingsBetter: 'same', knowsNext: 'yes' } },
      }),
    ]);
  });
});
