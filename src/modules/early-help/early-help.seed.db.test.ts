import { expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { seededOrganisation } from '../../../test/support/seeded-organisation.ts';
import { distanceTravelled } from './early-help.ts';
import { seedDemoEarlyHelp } from './early-help.seed.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

const h = databaseForFile();

it('seeds a family with an assessment, an agreed plan and two reviews with rising scores, and a closed family', async () => {
  const org = await seededOrganisation(h.db);
  const now = new Date('2026-11-24T10:30:00Z');
  const result = await h.db.transaction().execute((trx) => seedDemoEarlyHelp(trx, org, now));
  expect(result.episodes).toBe(2);
  const episodes = await h.db
    .selectFrom('earlyHelpEpisodes as e')
    .innerJoin('earlyHelpEpisodeChildren as c', 'c.episodeId', 'e.id')
    .innerJoin('people as p', 'p.id', 'c.childId')
    .select(['e.id', 'e.status', 'p.familyName'])
    .execute();
  const osei = episodes.find((e) => e.familyName === 'Osei')!;
  const byrne = episodes.find((e) => e.familyName === 'Byrne')!;
  expect(osei.status).toBe('open');
  expect(byrne.status).toBe('closed');
  const assessment = await firstRow(h.db, 'earlyHelpAssessments', { episodeId: osei.id }, [
    'status',
    'riskAnalysisComplete',
    'oversightStatus',
  ]);
  expect(assessment).toEqual({ status: 'completed', riskAnalysisComplete: true, oversightStatus: 'agreed' });
  expect(await valueOf(h.db, 'earlyHelpPlans', { episodeId: osei.id }, 'status')).toBe('agreed');
  const meetings = await h.db
    .selectFrom('earlyHelpMeetings')
    .select('heldOn')
    .where('episodeId', '=', osei.id)
    .orderBy('heldOn')
    .execute();
  expect(meetings).toHaveLength(2);
  const scores = await h.db
    .selectFrom('earlyHelpScores')
    .select(['subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt'])
    .where('episodeId', '=', osei.id)
    .where('subject', '=', 'scale')
    .where('subjectKey', '=', 'worker')
    .orderBy('recordedOn')
    .execute();
  expect(scores.map((s) => s.score)).toEqual([4, 5, 7]);
  const closed = distanceTravelled(
    await rowsOf(h.db, 'earlyHelpScores', { episodeId: byrne.id, subject: 'scale' }, [
      'subject',
      'subjectKey',
      'score',
      'occasion',
      'recordedOn',
      'recordedAt',
    ]),
  );
  expect(closed.find((d) => d.subjectKey === 'worker')).toMatchObject({ first: 4, closing: 9, change: 5 });
  expect(await valueOf(h.db, 'earlyHelpFollowUps', { episodeId: byrne.id }, 'dueOn')).toBe('2027-05-03');
});
