import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { generatePeople, type GenerateResult } from './people.generator.ts';

let handle: DatabaseHandle;
let result: GenerateResult;
const now = new Date('2026-11-24T10:30:00Z');
const progress: number[] = [];

beforeAll(async () => {
  handle = await testDb();
  result = await generatePeople(handle.db, {
    count: 600,
    seed: 42,
    now,
    batchSize: 250,
    duplicateRate: 0.05,
    onProgress: (done) => progress.push(done),
  });
});
afterAll(async () => {
  await handle?.close();
});

describe('generating synthetic people', () => {
  it('makes the number asked for, in batches, reporting progress', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from people`.execute(handle.db);
    expect(rows[0]!.n).toBe(600);
    expect(result.people).toBe(600);
    expect(progress.at(-1)).toBe(600);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it('makes families: children linked to parents and siblings, living in one household at one address', async () => {
    const { rows } = await sql<{
      kind: string;
      n: number;
    }>`select kind, count(*)::int as n from relationships group by kind`.execute(handle.db);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    expect(byKind.parent).toBeGreaterThan(100);
    expect(byKind.sibling).toBeGreaterThan(20);
    const children = await handle.db
      .selectFrom('people')
      .select(['laChildId', 'kind'])
      .where('kind', '=', 'child')
      .execute();
    expect(children.every((c) => /^RT\d{6}$/.test(c.laChildId ?? ''))).toBe(true);
    const orphans = await sql<{
      n: number;
    }>`select count(*)::int as n from people p where not exists (select 1 from addresses a where a.person_id = p.id)`.execute(
      handle.db,
    );
    expect(orphans.rows[0]!.n).toBe(0);
    const households = await sql<{
      n: number;
    }>`select count(distinct household_id)::int as n from household_members`.execute(handle.db);
    expect(households.rows[0]!.n).toBe(result.families);
  });

  it('plants near-duplicates and keeps identifiers valid and unique', async () => {
    expect(result.duplicates.length).toBeGreaterThan(3);
    const dup = result.duplicates[0]!;
    const pair = await handle.db
      .selectFrom('people')
      .select(['id', 'givenName', 'familyName', 'dateOfBirth'])
      .where('id', 'in', [dup.originalId, dup.duplicateId])
      .execute();
    expect(pair).toHaveLength(2);
    const nhs = await sql<{
      n: number;
      d: number;
    }>`select count(nhs_number)::int as n, count(distinct nhs_number)::int as d from people`.execute(
      handle.db,
    );
    expect(nhs.rows[0]!.n).toBe(nhs.rows[0]!.d);
    const tokens = await sql<{ n: number }>`select count(*)::int as n from name_tokens`.execute(handle.db);
    expect(tokens.rows[0]!.n).toBeGreaterThan(100);
  });

  it('gives the same people for the same seed', async () => {
    const first = await handle.db
      .selectFrom('people')
      .select(['givenName', 'familyName', 'dateOfBirth'])
      .orderBy('createdAt')
      .orderBy('laChildId')
      .limit(1)
      .execute();
    const again = await testDb();
    try {
      await generatePeople(again.db, { count: 50, seed: 42, now, batchSize: 250, duplicateRate: 0.05 });
      const names = await again.db.selectFrom('people').select(['givenName', 'familyName']).execute();
      const original = await handle.db.selectFrom('people').select(['givenName', 'familyName']).execute();
      const key = (r: { givenName: string; familyName: string }) => `${r.givenName} ${r.familyName}`;
      expect(names.map(key).every((n) => original.map(key).includes(n))).toBe(true);
      expect(first).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
