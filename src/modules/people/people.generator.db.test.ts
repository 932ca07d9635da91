import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { generatePeople, type GenerateResult } from './people.generator.ts';
import { personNameKeys } from './person-names.ts';

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
    }>`select count(*)::int as n from people p where p.kind <> 'professional' and not exists (select 1 from addresses a where a.person_id = p.id)`.execute(
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

  it('makes unborn children, other names, professionals involved and disabilities, in realistic proportions', async () => {
    const { rows } = await sql<{
      unborn: number;
      children: number;
      professionals: number;
      disabled: number;
      names: number;
      previous: number;
      involved: number;
    }>`select
        (select count(*)::int from people where kind = 'child' and date_of_birth is null and expected_date_of_birth > ${'2026-11-24'}::date) as unborn,
        (select count(*)::int from people where kind = 'child') as children,
        (select count(*)::int from people where kind = 'professional' and professional_role is not null) as professionals,
        (select count(distinct person_id)::int from person_disabilities) as disabled,
        (select count(*)::int from person_names) as names,
        (select count(*)::int from person_names where kind = 'previous') as previous,
        (select count(*)::int from relationships r join people p on p.id = r.related_person_id
          where r.kind = 'professional-involved' and p.kind = 'professional') as involved`.execute(handle.db);
    const c = rows[0]!;
    expect(c.unborn).toBeGreaterThanOrEqual(1);
    expect(c.unborn).toBeLessThan(c.children * 0.05);
    expect(c.professionals).toBeGreaterThanOrEqual(1);
    expect(c.professionals).toBeLessThan(30);
    expect(c.involved).toBeGreaterThanOrEqual(c.professionals);
    expect(c.disabled).toBeGreaterThanOrEqual(3);
    expect(c.disabled).toBeLessThan(c.children * 0.2);
    expect(c.previous).toBeGreaterThanOrEqual(3);
    expect(c.names).toBeLessThan(600 * 0.15);
    // Unborn children belong to their mother; disabilities are census codes, on children only.
    const unbornMothers = await sql<{ n: number }>`
      select count(*)::int as n from people u
      where u.expected_date_of_birth is not null and u.date_of_birth is null
        and not exists (select 1 from relationships r join people m on m.id = r.related_person_id
                        where r.person_id = u.id and r.kind = 'parent' and m.sex = 'F')`.execute(handle.db);
    expect(unbornMothers.rows[0]!.n).toBe(0);
    const codes = await sql<{ code: string; kind: string }>`
      select distinct d.code, p.kind from person_disabilities d join people p on p.id = d.person_id`.execute(
      handle.db,
    );
    expect(
      codes.rows.every((r) => r.kind === 'child' && r.code !== 'NONE' && /^[A-Z]{2,4}$/.test(r.code)),
    ).toBe(true);
    // Previous names and aliases are searchable: their words are in the person's search keys.
    const other = await handle.db
      .selectFrom('personNames as n')
      .innerJoin('people as p', 'p.id', 'n.personId')
      .select(['n.givenName', 'n.familyName', 'p.nameKeys'])
      .execute();
    for (const n of other) {
      const keys = personNameKeys({ givenName: n.givenName, familyName: n.familyName });
      expect(keys.every((k) => n.nameKeys.includes(k))).toBe(true);
    }
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
