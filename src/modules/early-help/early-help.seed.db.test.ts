import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDb } from '../../../test/support/test-db.ts';
import { DEMO_ACCOUNTS, demoEmail, type SeededOrganisation } from '../admin/organisation.seed.ts';
import { distanceTravelled } from './early-help.ts';
import { seedDemoEarlyHelp } from './early-help.seed.ts';

let h: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => {
  await h?.close();
});

async function organisation(): Promise<SeededOrganisation> {
  const db = h.db;
  const users = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) users.set(a.email, (await db.selectFrom('users').select('id').where('email', '=', demoEmail(a.email)).executeTakeFirstOrThrow()).id);
  const las = await db.selectFrom('localAuthorities').select(['id', 'laCode']).execute();
  return {
    richmondId: las.find((l) => l.laCode === '318')!.id,
    kingstonId: las.find((l) => l.laCode === '314')!.id,
    users,
    teams: new Map((await db.selectFrom('teams').select(['name', 'id']).execute()).map((r) => [r.name, r.id])),
    clusters: new Map((await db.selectFrom('clusters').select(['name', 'id']).execute()).map((r) => [r.name, r.id])),
    agencies: new Map((await db.selectFrom('agencies').select(['name', 'id']).execute()).map((r) => [r.name, r.id])),
  };
}

it('seeds a family with an assessment, an agreed plan and two reviews with rising scores, and a closed family', async () => {
  const org = await organisation();
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
  const assessment = await h.db.selectFrom('earlyHelpAssessments').select(['status', 'riskAnalysisComplete', 'oversightStatus']).where('episodeId', '=', osei.id).executeTakeFirstOrThrow();
  expect(assessment).toEqual({ status: 'completed', riskAnalysisComplete: true, oversightStatus: 'agreed' });
  expect((await h.db.selectFrom('earlyHelpPlans').select('status').where('episodeId', '=', osei.id).executeTakeFirstOrThrow()).status).toBe('agreed');
  const meetings = await h.db.selectFrom('earlyHelpMeetings').select('heldOn').where('episodeId', '=', osei.id).orderBy('heldOn').execute();
  expect(meetings).toHaveLength(2);
  const scores = await h.db.selectFrom('earlyHelpScores').select(['subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt']).where('episodeId', '=', osei.id).where('subject', '=', 'scale').where('subjectKey', '=', 'worker').orderBy('recordedOn').execute();
  expect(scores.map((s) => s.score)).toEqual([4, 5, 7]);
  const closed = distanceTravelled(await h.db.selectFrom('earlyHelpScores').select(['subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt']).where('episodeId', '=', byrne.id).where('subject', '=', 'scale').execute());
  expect(closed.find((d) => d.subjectKey === 'worker')).toMatchObject({ first: 4, closing: 9, change: 5 });
  expect((await h.db.selectFrom('earlyHelpFollowUps').select('dueOn').where('episodeId', '=', byrne.id).executeTakeFirstOrThrow()).dueOn).toBe('2027-05-03');
});
