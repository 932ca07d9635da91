import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { generateAuthority } from '../../demo/generate-authority.ts';
import type { Db } from '../../kernel/service/index.ts';
import {
  clockFactsFor,
  deadlinesFor,
  deadlinesFromFacts,
  openEpisodesQuery,
  type EpisodeClockFacts,
  type EpisodeScope,
} from './deadlines.ts';
import { DEFAULT_SETTINGS } from './social-care.ts';

/**
 * The statutory clocks (worktray, record summary, episode) come from one statement (`clockFactsFor`). On a generated
 * authority its facts are those the nine queries it replaced gave, one per table, worked out in Node as before, so
 * every deadline is unchanged.
 */

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');
const today = '2026-11-24';

/** The facts as they were worked out before: a query per table for all the episodes, then filtered per episode. */
async function factsByTable(db: Db, ids: string[]): Promise<Map<string, EpisodeClockFacts>> {
  const laIds = (
    await db.selectFrom('cinEpisodes').select('localAuthorityId').where('id', 'in', ids).execute()
  ).map((r) => r.localAuthorityId);
  const [
    episodes,
    assessments,
    enquiries,
    conferences,
    cpPlans,
    cinPlans,
    coreGroups,
    reviews,
    visits,
    settings,
  ] = await Promise.all([
    db.selectFrom('cinEpisodes').select(['id', 'localAuthorityId']).where('id', 'in', ids).execute(),
    db
      .selectFrom('cinAssessments')
      .select(['id', 'episodeId', 'status', 'dueDate'])
      .where('episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('section47Enquiries')
      .select(['id', 'episodeId', 'icpcTarget', 'icpcNotRequired'])
      .where('episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('cpConferences')
      .select(['id', 'episodeId', 'kind', 'section47Id', 'cpPlanId', 'heldOn'])
      .where('episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('cpPlans')
      .select(['id', 'episodeId', 'startDate'])
      .where('episodeId', 'in', ids)
      .where('endDate', 'is', null)
      .execute(),
    db
      .selectFrom('cinPlans')
      .select(['id', 'episodeId', 'startDate', 'reviewIntervalWeeks'])
      .where('episodeId', 'in', ids)
      .where('endDate', 'is', null)
      .execute(),
    db
      .selectFrom('cpCoreGroups as g')
      .innerJoin('cpPlans as p', 'p.id', 'g.cpPlanId')
      .select(['g.cpPlanId', 'g.heldOn'])
      .where('p.episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('cinPlanReviews as r')
      .innerJoin('cinPlans as p', 'p.id', 'r.cinPlanId')
      .select(['r.cinPlanId', 'r.heldOn'])
      .where('p.episodeId', 'in', ids)
      .execute(),
    db
      .selectFrom('statutoryVisits')
      .select(['episodeId', (eb) => eb.fn.max('visitedOn').as('lastVisit')])
      .where('episodeId', 'in', ids)
      .where('childSeen', '=', true)
      .groupBy('episodeId')
      .execute(),
    db.selectFrom('socialCareSettings').selectAll().where('localAuthorityId', 'in', laIds).execute(),
  ]);
  const last = (xs: string[]) => xs.sort().at(-1) ?? null;
  const out = new Map<string, EpisodeClockFacts>();
  for (const e of episodes) {
    const own = <T extends { episodeId: string }>(rows: T[]) => rows.filter((r) => r.episodeId === e.id);
    const episodeConferences = own(conferences);
    const openCp = own(cpPlans);
    const openCin = own(cinPlans);
    // The old code took the first open plan of each kind in the order rows came: there is never more than one.
    expect(openCp.length).toBeLessThanOrEqual(1);
    expect(openCin.length).toBeLessThanOrEqual(1);
    const cp = openCp[0];
    const cin = openCin[0];
    const s = settings.find((r) => r.localAuthorityId === e.localAuthorityId);
    out.set(e.id, {
      assessments: own(assessments).map((a) => ({ id: a.id, status: a.status, dueDate: a.dueDate })),
      enquiriesAwaitingIcpc: own(enquiries)
        .filter(
          (q) =>
            !q.icpcNotRequired &&
            !episodeConferences.some((c) => c.kind === 'initial' && c.section47Id === q.id),
        )
        .map((q) => ({ id: q.id, icpcTarget: q.icpcTarget })),
      cpPlan: cp
        ? {
            id: cp.id,
            startDate: cp.startDate,
            hasCoreGroup: coreGroups.some((g) => g.cpPlanId === cp.id),
            lastReview: last(
              episodeConferences
                .filter((c) => c.kind === 'review' && c.cpPlanId === cp.id)
                .map((c) => c.heldOn),
            ),
          }
        : null,
      cinPlan: cin
        ? {
            id: cin.id,
            startDate: cin.startDate,
            reviewIntervalWeeks: cin.reviewIntervalWeeks,
            lastReview: last(reviews.filter((r) => r.cinPlanId === cin.id).map((r) => r.heldOn)),
          }
        : null,
      lastVisit: own(visits)[0]?.lastVisit ?? null,
      // No pre-proceedings in this comparison's episodes (pre-proceedings.db.test.ts covers the PLO clock).
      preProceedings: null,
      settings: s
        ? {
            cinReviewIntervalWeeks: s.cinReviewIntervalWeeks,
            cinVisitIntervalWorkingDays: s.cinVisitIntervalWorkingDays,
            cpVisitIntervalWorkingDays: s.cpVisitIntervalWorkingDays,
          }
        : DEFAULT_SETTINGS,
    });
  }
  return out;
}

/** Facts with their lists in id order (the old queries' rows came in no stated order). */
const sorted = (m: Map<string, EpisodeClockFacts>) =>
  Object.fromEntries(
    [...m.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, f]) => [
        id,
        {
          ...f,
          assessments: [...f.assessments].sort((a, b) => a.id.localeCompare(b.id)),
          enquiriesAwaitingIcpc: [...f.enquiriesAwaitingIcpc].sort((a, b) => a.id.localeCompare(b.id)),
        },
      ]),
  );

describe('statutory clocks from one statement, on a generated authority', () => {
  let episodes: EpisodeScope[];
  beforeAll(async () => {
    await generateAuthority(h.db, {
      profile: 'small',
      seed: 16,
      scale: 0.05,
      now,
      calendar: englandAndWalesCalendar,
    });
    episodes = await openEpisodesQuery(h.db).orderBy('e.referralDate').execute();
  }, 600_000);

  it('gives every open episode the facts the query per table gave', async () => {
    expect(episodes.length).toBeGreaterThan(20);
    const ids = episodes.map((e) => e.id);
    const facts = await clockFactsFor(h.db, ids);
    const old = await factsByTable(h.db, ids);
    expect(facts.size).toBe(ids.length);
    expect(sorted(facts)).toEqual(sorted(old));
    // The data reaches each branch: plans of both kinds, reviews, core groups, visits, open assessments.
    const all = [...facts.values()];
    expect(all.some((f) => f.cpPlan?.hasCoreGroup)).toBe(true);
    expect(all.some((f) => f.cpPlan?.lastReview)).toBe(true);
    expect(all.some((f) => f.cinPlan?.lastReview)).toBe(true);
    expect(all.some((f) => f.lastVisit)).toBe(true);
    expect(all.some((f) => f.assessments.some((a) => a.status === 'in-progress'))).toBe(true);
  });

  it('so every deadline is the one the old facts give, in the same order, for all episodes and for each', async () => {
    const ids = episodes.map((e) => e.id);
    const calendar = englandAndWalesCalendar;
    const expected = deadlinesFromFacts(episodes, await factsByTable(h.db, ids), calendar, today);
    expect(await deadlinesFor(h.db, episodes, calendar, today)).toEqual(expected);
    expect(new Set(expected.map((d) => d.kind)).size).toBeGreaterThanOrEqual(5);
    for (const e of episodes.slice(0, 40)) {
      expect(await deadlinesFor(h.db, [e], calendar, today)).toEqual(
        expected.filter((d) => d.episodeId === e.id),
      );
    }
  });

  it('no episodes: no statement and no deadlines', async () => {
    expect(await deadlinesFor(h.db, [], englandAndWalesCalendar, today)).toEqual([]);
    expect((await clockFactsFor(h.db, [])).size).toBe(0);
  });
});
