import { expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { seededOrganisation } from '../../../test/support/seeded-organisation.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { seedDemoSocialCare } from './social-care.seed.ts';
import { socialCareWorktray } from './social-care.worktray.ts';

const h = databaseForFile();

it('seeds an assessment under way and a child protection plan, with live clocks on the social worker’s worktray', async () => {
  const org = await seededOrganisation(h.db);
  // A Thursday; the dates are worked back in working days from it.
  const now = new Date('2026-11-26T10:30:00Z');
  const calendar = englandAndWalesCalendar;
  const result = await h.db.transaction().execute((trx) => seedDemoSocialCare(trx, org, now, calendar));
  expect(result.episodes).toBe(2);

  const episodes = await h.db
    .selectFrom('cinEpisodes as e')
    .innerJoin('people as p', 'p.id', 'e.childId')
    .select(['p.givenName', 'e.referralDate', 'e.referralNfa', 'e.closureDate'])
    .orderBy('p.givenName')
    .execute();
  expect(episodes).toEqual([
    { givenName: 'Chloe', referralDate: '2026-11-10', referralNfa: false, closureDate: null },
    { givenName: 'Jayden', referralDate: '2026-10-22', referralNfa: false, closureDate: null },
  ]);
  const plan = await h.db
    .selectFrom('cpPlans')
    .select(['startDate', 'initialCategory', 'endDate'])
    .executeTakeFirstOrThrow();
  expect(plan).toEqual({ startDate: '2026-11-12', initialCategory: 'NEG', endDate: null });
  // The demo never contradicts itself: each child on a plan has an assessment on the plan's episode.
  const withoutAssessment = await h.db
    .selectFrom('cpPlans as p')
    .select('p.id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('cinAssessments as a').select('a.id').whereRef('a.episodeId', '=', 'p.episodeId')),
      ),
    )
    .execute();
  expect(withoutAssessment).toEqual([]);

  const sw = (await loadCurrentUser(h.db, org.users.get('social.worker')!, null))!;
  const items = await h.db
    .transaction()
    .execute((trx) => socialCareWorktray({ db: trx, user: sw, now, today: '2026-11-26', calendar }));
  const titles = items.map((i) => i.title).join(' | ');
  // The assessment's 45-working-day clock, and the plan's first core group (10 working days from the conference).
  expect(items.length).toBeGreaterThanOrEqual(2);
  expect(titles).toMatch(/assessment/i);
  expect(titles).toMatch(/core group/i);
  // Each went through the services: audited, in the children's chronologies.
  const childIds = (await h.db.selectFrom('cinEpisodes').select('childId').execute()).map((e) => e.childId);
  const audited = await h.db
    .selectFrom('auditEvents')
    .select('action')
    .where('childId', 'in', childIds)
    .execute();
  expect([...new Set(audited.map((a) => a.action))]).toEqual(
    expect.arrayContaining(['cin-referral.opened', 'strategy-discussion.recorded', 'section-47.started']),
  );
  const chronology = await h.db
    .selectFrom('caseEvents')
    .select('title')
    .where('childId', 'in', childIds)
    .execute();
  expect(chronology.length).toBeGreaterThanOrEqual(6);
});
