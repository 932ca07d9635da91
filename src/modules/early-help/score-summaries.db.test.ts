import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  aCompletedAssessment,
  anAgreedPlan,
  anEarlyHelpEpisode,
  aReview,
  currentUserFor,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { up as migrationUp } from '../../db/migrations/2026-11-26T0099-early-help-score-summaries.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { generateAuthority } from '../../demo/generate-authority.ts';
import { recordAssessmentOversight } from './assessment.service.ts';
import { closeEpisode } from './closure.service.ts';
import { OCCASION_ORDER } from './early-help.ts';
import { episodeVersion } from './episode.repository.ts';
import { computeImpact, summariseScores, type EpisodeDistance, type ImpactInput } from './impact.ts';
import { loadImpactInput } from './impact.service.ts';

/**
 * The stored distance travelled (early_help_score_summaries) on a generated authority and through each service that
 * records scores: it always equals distance travelled worked out from every score, as the impact report did before
 * it read the summary (in Node with summariseScores, and in SQL by window functions), so the report's figures are
 * unchanged; the migration's backfill gives the same rows.
 */

const h = databaseForFile();
const { run } = h;
const now = new Date('2026-11-24T10:30:00Z');
const period = { from: '2024-11-01', to: isoDateOf(now) };

const byKey = (ds: readonly EpisodeDistance[]) =>
  [...ds].sort((a, b) =>
    `${a.episodeId}|${a.subject}|${a.subjectKey}`.localeCompare(
      `${b.episodeId}|${b.subject}|${b.subjectKey}`,
    ),
  );

/** The stored rows, as the report reads them. */
async function stored(episodeIds?: string[]): Promise<EpisodeDistance[]> {
  let q = h.db.selectFrom('earlyHelpScoreSummaries').selectAll();
  if (episodeIds) q = q.where('episodeId', 'in', episodeIds);
  return (await q.execute()).map((d) => ({
    episodeId: d.episodeId,
    subject: d.subject,
    subjectKey: d.subjectKey,
    first: d.firstScore,
    firstOn: d.firstOn,
    latest: d.latestScore,
    latestOn: d.latestOn,
    closing: d.closingScore,
    change: (d.closingScore ?? d.latestScore) - d.firstScore,
    count: d.scoreCount,
  }));
}

/** Distance travelled worked out in Node from every score (the reference the report's SQL was held to). */
async function fromScores(episodeIds?: string[]): Promise<EpisodeDistance[]> {
  let q = h.db
    .selectFrom('earlyHelpScores')
    .select(['episodeId', 'subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt']);
  if (episodeIds) q = q.where('episodeId', 'in', episodeIds);
  return summariseScores(await q.execute());
}

/** The report's computation before the summary: window functions over every score of the episodes. */
async function oldComputation(ids: string[]): Promise<EpisodeDistance[]> {
  const { rows } = await sql<Omit<EpisodeDistance, 'change'>>`
    with s as (
      select episode_id, subject, subject_key, score, occasion, recorded_on,
             row_number() over w as i, count(*) over (partition by episode_id, subject, subject_key) as n
      from early_help_scores
      where episode_id = any(${sql`${ids}::uuid[]`})
      window w as (partition by episode_id, subject, subject_key
                   order by recorded_on, date_trunc('milliseconds', recorded_at),
                            coalesce(array_position(${sql`${OCCASION_ORDER}::text[]`}, occasion), ${OCCASION_ORDER.length + 1}::int))
    ), c as (
      select *, max(case when occasion = 'closure' then i end) over (partition by episode_id, subject, subject_key) as ci
      from s
    )
    select episode_id, subject, subject_key, max(n)::int as count,
           max(score) filter (where i = 1) as first, max(recorded_on::text) filter (where i = 1) as first_on,
           max(score) filter (where i = n) as latest, max(recorded_on::text) filter (where i = n) as latest_on,
           max(score) filter (where i = ci) as closing
    from c
    group by episode_id, subject, subject_key`.execute(h.db);
  return rows.map((d) => ({ ...d, change: (d.closing ?? d.latest) - d.first }));
}

describe('the stored distance travelled on a generated authority', () => {
  let input: ImpactInput;
  beforeAll(async () => {
    await generateAuthority(h.db, {
      profile: 'small',
      seed: 11,
      scale: 0.05,
      now,
      calendar: englandAndWalesCalendar,
    });
    const head = await currentUserFor(h.db, 'service-manager');
    input = await loadImpactInput({ db: h.db, user: head }, period);
  }, 600_000);

  it('the generator keeps it: one row per episode and thing scored, equal to working it out from every score', async () => {
    const all = await stored();
    expect(all.length).toBeGreaterThan(100);
    expect(byKey(all)).toEqual(byKey(await fromScores()));
  });

  it('the impact report reads it and its figures are those of the old computation from every score', async () => {
    const ids = input.closed.map((e) => e.id);
    expect(ids.length).toBeGreaterThan(10);
    expect(input.distances.length).toBeGreaterThan(ids.length * 5);
    const old = await oldComputation(ids);
    expect(byKey(input.distances)).toEqual(byKey(old));
    expect(computeImpact(input)).toEqual(computeImpact({ ...input, distances: old }));
    expect(computeImpact(input)).toEqual(computeImpact({ ...input, distances: await fromScores(ids) }));
  });

  it('the migration fills it from the scores already recorded', async () => {
    const before = await stored();
    await sql`drop table early_help_score_summaries`.execute(h.db);
    await migrationUp(h.db as unknown as Kysely<unknown>);
    expect(byKey(await stored())).toEqual(byKey(before));
  });
});

describe('every service that records scores keeps the episode’s summary in step', () => {
  const opened = new Date('2026-09-01T10:00:00Z');
  const anEpisode = async (givenName: string) => {
    const child = await aChild(h.db, { givenName, familyName: 'Stored', dateOfBirth: '2016-04-04' });
    const { episode } = await anEarlyHelpEpisode(h.db, { now: opened, children: [child] });
    const inStep = async () => {
      const rows = await stored([episode.id]);
      expect(byKey(rows)).toEqual(byKey(await fromScores([episode.id])));
      return rows;
    };
    return { episode, inStep };
  };

  it('an assessment completed gives its scalings and domains; sent back by a manager, it loses them', async () => {
    const { episode, inStep } = await anEpisode('Summer');
    await aCompletedAssessment(h.db, episode.id, { now: opened });
    expect((await inStep()).map((d) => d.subjectKey).sort()).toEqual(
      ['childDevelopment', 'familyEnvironment', 'parentingCapacity', 'family', 'worker'].sort(),
    );
    const head = await currentUserFor(h.db, 'service-manager');
    await run((trx) =>
      recordAssessmentOversight(serviceContext(trx, head, opened), {
        episodeId: episode.id,
        decision: 'changes-requested',
        rationale: 'Say what could happen.',
      }),
    );
    expect(await inStep()).toEqual([]);
  });

  it('a goal’s baseline, a review and the closing summary', async () => {
    const { episode, inStep } = await anEpisode('Autumn');
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    expect((await inStep()).find((d) => d.subjectKey === goalId)).toMatchObject({ first: 3, count: 1 });
    await aReview(h.db, episode.id, {
      now: new Date('2026-10-13T10:00:00Z'),
      heldOn: '2026-10-13',
      workerScale: 6,
      familyScale: 5,
      goals: [{ goalId, score: 6 }],
    });
    expect((await inStep()).find((d) => d.subjectKey === 'worker')).toMatchObject({
      first: 4,
      latest: 6,
      latestOn: '2026-10-13',
      closing: null,
      count: 2,
    });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await run(async (trx) =>
      closeEpisode(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await episodeVersion(trx, episode.id),
        closedOn: '2026-11-24',
        reason: 'needs-met',
        outcome: 'improved',
        summary: 'Better.',
        workerScale: 8,
        familyScale: 9,
        domainScores: { childDevelopment: 4, parentingCapacity: 4, familyEnvironment: 4 },
        goals: [{ goalId, status: 'achieved', score: 9 }],
      }),
    );
    const closed = await inStep();
    expect(closed.find((d) => d.subjectKey === goalId)).toMatchObject({
      first: 3,
      closing: 9,
      change: 6,
      count: 3,
    });
    expect(closed.find((d) => d.subjectKey === 'family')).toMatchObject({ closing: 9, count: 3 });
  });
});
