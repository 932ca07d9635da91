import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { generateUpn, isValidUpn } from '../../kernel/identifiers/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild, anAdult, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { readContextFor } from '../../../test/builders/context.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { searchPeople } from './person-search.service.ts';

let handle: DatabaseHandle;
let socialWorker: CurrentUser;
const now = new Date('2026-11-24T10:30:00Z');
const ids: Record<string, string> = {};

beforeAll(async () => {
  handle = await testDb();
  const db = handle.db;
  socialWorker = (await loadCurrentUser(db, await userIdFor(db, 'social-worker'), null))!;
  ids.olivia = (
    await aChild(db, {
      givenName: 'Olivia',
      familyName: 'Ashworth',
      dateOfBirth: '2017-03-04',
      nhsNumber: '9434765919',
      postcode: 'TW1 3BZ',
    })
  ).id;
  ids.noah = (
    await aChild(db, {
      givenName: 'Noah',
      familyName: 'Ashworth',
      dateOfBirth: '2020-06-11',
      postcode: 'TW1 3BZ',
    })
  ).id;
  ids.mohammed = (
    await aChild(db, { givenName: 'Mohammed', familyName: 'Rahman', dateOfBirth: '2014-12-01' })
  ).id;
  ids.robert = (
    await aChild(db, { givenName: 'Robert', familyName: 'Smith-Jones', dateOfBirth: '2012-08-20' })
  ).id;
  ids.aliased = (
    await aChild(db, {
      givenName: 'Kayla',
      familyName: 'Brown',
      dateOfBirth: '2015-02-02',
      aliases: [{ givenName: 'Kayla', familyName: 'Okafor', kind: 'previous' }],
    })
  ).id;
  ids.warned = (
    await anAdult(db, {
      givenName: 'Daniel',
      familyName: 'Ashworth',
      sex: 'M',
      warnings: [{ kind: 'risk-to-staff', details: 'Aggressive to staff' }],
    })
  ).id;
  ids.restricted = (
    await aChild(db, {
      givenName: 'Harry',
      familyName: 'Pemberton',
      dateOfBirth: '2013-01-01',
      restricted: true,
    })
  ).id;
  ids.merged = (
    await aChild(db, { givenName: 'Olivia', familyName: 'Ashwort', dateOfBirth: '2017-03-04' })
  ).id;
  await db
    .updateTable('people')
    .set({ mergedIntoId: ids.olivia!, mergedAt: now })
    .where('id', '=', ids.merged!)
    .execute();
});
afterAll(async () => {
  await handle?.close();
});

const search = (criteria: Parameters<typeof searchPeople>[1]) =>
  searchPeople(readContextFor(handle.db, socialWorker, now), criteria);

describe('finding a person', () => {
  it('finds a child by exact name, with the reason', async () => {
    const results = await search({ name: 'Olivia Ashworth' });
    expect(results[0]!.id).toBe(ids.olivia);
    expect(results[0]!.reasons).toContain('Same name');
  });

  it('copes with a typo and a swapped first and last name', async () => {
    const results = await search({ name: 'Ashwroth Olivia' });
    expect(results[0]!.id).toBe(ids.olivia);
    expect(results[0]!.reasons).toEqual(
      expect.arrayContaining(['First and last names swapped', 'Name sounds the same']),
    );
  });

  it('finds a transliteration and a nickname', async () => {
    expect((await search({ name: 'Muhammad Rahman' }))[0]!.id).toBe(ids.mohammed);
    const bob = await search({ name: 'Bob Smith-Jones' });
    expect(bob[0]!.id).toBe(ids.robert);
    expect(bob[0]!.reasons.join(' ')).toContain('Bob for Robert');
  });

  it('finds part of a double-barrelled name', async () => {
    const results = await search({ name: 'Robert Jones' });
    expect(results[0]!.id).toBe(ids.robert);
    expect(results[0]!.reasons).toContain('Part of a double-barrelled name matches');
  });

  it('finds a previous name', async () => {
    const results = await search({ name: 'Kayla Okafor' });
    expect(results[0]!.id).toBe(ids.aliased);
    expect(results[0]!.reasons).toContain('Previous name matches: Kayla Okafor');
  });

  it('ranks by date of birth, near dates included, and explains it', async () => {
    const exact = await search({ name: 'Olivia Ashworth', dateOfBirth: '2017-03-04' });
    expect(exact[0]!.confidence).toBe('likely');
    expect(exact[0]!.reasons).toContain('Same date of birth');
    const swapped = await search({ dateOfBirth: '2017-04-03' });
    expect(swapped.map((r) => r.id)).toContain(ids.olivia);
    expect(swapped.find((r) => r.id === ids.olivia)!.reasons).toContain(
      'Date of birth with the day and month swapped',
    );
  });

  it('finds by NHS number and by postcode', async () => {
    const byNhs = await search({ nhsNumber: '9434765919' });
    expect(byNhs.map((r) => r.id)).toEqual([ids.olivia]);
    expect(byNhs[0]!.reasons).toContain('Same NHS number');
    const byPostcode = await search({ postcode: 'TW1 3BZ' });
    expect(byPostcode.map((r) => r.id).sort()).toEqual([ids.olivia, ids.noah].sort());
  });

  it('finds a child by UPN and by former UPN, and no one else by either', async () => {
    const upn = generateUpn({ laCode: 318, establishment: 2001, year: 2019, serial: 1 });
    const formerUpn = generateUpn({
      laCode: 314,
      establishment: 3456,
      year: 2017,
      serial: 0,
      temporary: true,
    });
    const otherUpn = generateUpn({ laCode: 318, establishment: 2001, year: 2019, serial: 2 });
    expect([upn, formerUpn, otherUpn]).toEqual(['L318200119001', 'W31434561700A', 'A318200119002']);
    expect([upn, formerUpn, otherUpn].every(isValidUpn)).toBe(true);
    const pupil = (
      await aChild(handle.db, {
        givenName: 'Uma',
        familyName: 'Pupilnumber',
        dateOfBirth: '2015-09-09',
        upn,
        formerUpn,
      })
    ).id;
    const classmate = (
      await aChild(handle.db, {
        givenName: 'Una',
        familyName: 'Pupilnumber',
        dateOfBirth: '2015-09-09',
        upn: otherUpn,
      })
    ).id;

    const byUpn = await search({ upn });
    expect(byUpn.map((r) => r.id)).toEqual([pupil]);
    expect(byUpn[0]!.reasons).toContain('Same UPN');
    expect(byUpn[0]!.confidence).toBe('likely');

    const byFormer = await search({ upn: formerUpn });
    expect(byFormer.map((r) => r.id)).toEqual([pupil]);
    expect(byFormer[0]!.reasons).toContain('Former UPN matches');
    expect(byFormer[0]!.confidence).toBe('likely');

    expect((await search({ upn: otherUpn })).map((r) => r.id)).toEqual([classmate]);
    // A valid UPN nobody has finds no one.
    expect(
      await search({ upn: generateUpn({ laCode: 318, establishment: 2001, year: 2019, serial: 3 }) }),
    ).toEqual([]);
  });

  it('shows warnings with the result', async () => {
    const results = await search({ name: 'Daniel Ashworth' });
    expect(results[0]!.warnings.map((w) => w.kindLabel)).toEqual(['Risk to staff']);
  });

  it('hides merged records and records the user may not see', async () => {
    const results = await search({ name: 'Olivia Ashwort' });
    expect(results.map((r) => r.id)).not.toContain(ids.merged);
    expect((await search({ name: 'Harry Pemberton' })).map((r) => r.id)).not.toContain(ids.restricted);
    await anAllocation(handle.db, { id: ids.restricted! }, { role: 'social-worker' });
    expect((await search({ name: 'Harry Pemberton' })).map((r) => r.id)).toContain(ids.restricted);
  });

  it('finds the one record a user may see among hundreds of same-name records they may not (visibility before the cut)', async () => {
    const db = handle.db;
    // 300 restricted people called Jordan Blackwood, more than one lookup keeps; then the one allocated to the worker.
    const template = await anAdult(db, { givenName: 'Jordan', familyName: 'Blackwood', restricted: true });
    await db
      .insertInto('people')
      .columns([
        'localAuthorityId',
        'kind',
        'givenName',
        'familyName',
        'searchName',
        'nameKeys',
        'restricted',
        'dateOfBirth',
      ])
      .expression((eb) =>
        eb
          .selectFrom(sql<{ n: number }>`generate_series(1, 300)`.as('g'))
          .select([
            sql.lit(template.localAuthorityId).as('la'),
            sql.lit('adult').as('kind'),
            sql.lit('Jordan').as('given'),
            sql.lit('Blackwood').as('family'),
            sql.lit(template.searchName).as('sname'),
            sql`${template.nameKeys}::text[]`.as('keys'),
            sql.lit(true).as('restricted'),
            sql`date '1980-01-01' + g`.as('dob'),
          ]),
      )
      .execute();
    const mine = await aChild(db, {
      givenName: 'Jordan',
      familyName: 'Blackwood',
      dateOfBirth: '2011-05-05',
      restricted: true,
    });
    await anAllocation(db, mine, { role: 'social-worker' });
    const results = await search({ name: 'Jordan Blackwood' });
    expect(results.map((r) => r.id)).toEqual([mine.id]);
    const one = await search({ name: 'Blackwood' });
    expect(one.map((r) => r.id)).toEqual([mine.id]);
  });

  it('cannot search without the permission', async () => {
    const analyst = (await loadCurrentUser(
      handle.db,
      await userIdFor(handle.db, 'performance-analyst'),
      null,
    ))!;
    await expect(
      searchPeople(readContextFor(handle.db, analyst, now), { name: 'Olivia' }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
