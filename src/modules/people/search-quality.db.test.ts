import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { readContextFor } from '../../../test/builders/context.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { generatePeople } from './people.generator.ts';
import { searchPeople, type PersonSearchResult } from './person-search.service.ts';
import { QUALITY_NEGATIVES, QUALITY_PEOPLE, type VariantKind } from './search-quality.fixtures.ts';

/**
 * Search quality on a labelled test set (search-quality.fixtures.ts): the people to find among a few
 * thousand synthetic distractors, each searched for the way someone at the front door might type them.
 *
 * - recall at 10: the person is among the first 10 results (asserted ≥ 0.95);
 * - precision at "likely match": of the pairs the search calls a likely match, how many are the same
 *   person (the negatives are siblings, parents and namesakes); reported, and asserted ≥ 0.9.
 */

let handle: DatabaseHandle;
let user: CurrentUser;
const now = new Date('2026-11-24T10:30:00Z');
const ids = new Map<string, string>();
const DISTRACTORS = 3000;

beforeAll(async () => {
  handle = await testDb();
  user = (await loadCurrentUser(handle.db, await userIdFor(handle.db, 'social-worker'), null))!;
  await generatePeople(handle.db, { count: DISTRACTORS, seed: 7, now, duplicateRate: 0 });
  for (const p of QUALITY_PEOPLE) {
    const row = await aChild(handle.db, {
      givenName: p.given,
      familyName: p.family,
      dateOfBirth: p.dob,
      sex: p.sex,
      nhsNumber: null,
      aliases: (p.aliases ?? []).map((a) => ({ givenName: a.given, familyName: a.family, kind: a.kind })),
    });
    ids.set(p.key, row.id);
  }
}, 300_000);
afterAll(async () => {
  await handle?.close();
});

const search = (name: string, dob?: string): Promise<PersonSearchResult[]> =>
  searchPeople(readContextFor(handle.db, user, now), { name, dateOfBirth: dob });

describe('search quality on labelled pairs', () => {
  it('has at least 200 labelled pairs covering typos, nicknames, swapped, hyphenated names and transliterations', () => {
    const positives = QUALITY_PEOPLE.flatMap((p) => p.queries);
    expect(positives.length + QUALITY_NEGATIVES.length).toBeGreaterThanOrEqual(200);
    const kinds = new Set(positives.map((q) => q[0]));
    for (const k of ['typo', 'nickname', 'swapped', 'hyphenated', 'transliteration'] as VariantKind[])
      expect(kinds.has(k)).toBe(true);
  });

  it('finds the person in the top 10 for at least 95% of queries, and is precise about likely matches', async () => {
    const byKind = new Map<string, { n: number; top10: number; top1: number }>();
    const misses: string[] = [];
    let positives = 0;
    let top10 = 0;
    let top1 = 0;
    let likelyTrue = 0;
    let possibleTrue = 0;
    const timings: number[] = [];
    for (const p of QUALITY_PEOPLE) {
      const target = ids.get(p.key)!;
      for (const [kind, name, dob] of p.queries) {
        const started = performance.now();
        const results = await search(name, dob);
        timings.push(performance.now() - started);
        const rank = results.findIndex((r) => r.id === target);
        const hit = rank >= 0 && rank < 10;
        positives++;
        if (hit) top10++;
        if (rank === 0) top1++;
        if (rank >= 0 && results[rank]!.confidence === 'likely') likelyTrue++;
        if (rank >= 0 && rank < 10 && results[rank]!.confidence !== 'weak') possibleTrue++;
        if (!hit)
          misses.push(
            `${kind}: "${name}"${dob ? ` ${dob}` : ''} → ${p.given} ${p.family} (rank ${rank < 0 ? 'not found' : rank + 1})`,
          );
        const k = byKind.get(kind) ?? { n: 0, top10: 0, top1: 0 };
        k.n++;
        if (hit) k.top10++;
        if (rank === 0) k.top1++;
        byKind.set(kind, k);
      }
    }
    let likelyFalse = 0;
    let possibleFalse = 0;
    for (const n of QUALITY_NEGATIVES) {
      const results = await search(n.query[0], n.query[1]);
      const found = results.slice(0, 10).find((r) => r.id === ids.get(n.notKey));
      if (found?.confidence === 'likely') likelyFalse++;
      if (found && found.confidence !== 'weak') possibleFalse++;
    }
    const recallAt10 = top10 / positives;
    const precisionLikely = likelyTrue / Math.max(1, likelyTrue + likelyFalse);
    const precisionPossible = possibleTrue / Math.max(1, possibleTrue + possibleFalse);
    const sorted = [...timings].sort((a, b) => a - b);
    const report = [
      `Search quality: ${positives} positive and ${QUALITY_NEGATIVES.length} negative labelled pairs, ${DISTRACTORS} synthetic distractors (${handle.kind})`,
      `  recall at 10: ${(recallAt10 * 100).toFixed(1)}%  (top 1: ${((top1 / positives) * 100).toFixed(1)}%)`,
      `  "likely match": precision ${(precisionLikely * 100).toFixed(1)}% (${likelyTrue} true, ${likelyFalse} false), recall ${((likelyTrue / positives) * 100).toFixed(1)}%`,
      `  "likely" or "possible" in the top 10: precision ${(precisionPossible * 100).toFixed(1)}% (${possibleTrue} true, ${possibleFalse} false)`,
      ...[...byKind].map(
        ([k, v]) => `  ${k.padEnd(16)} ${v.top10}/${v.n} in the top 10, ${v.top1}/${v.n} first`,
      ),
      `  latency: p50 ${sorted[Math.floor(sorted.length * 0.5)]!.toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)} ms`,
      ...(misses.length ? ['  missed:', ...misses.map((m) => `    ${m}`)] : []),
    ].join('\n');
    console.log(report);
    expect(recallAt10, report).toBeGreaterThanOrEqual(0.95);
    expect(precisionLikely, report).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
