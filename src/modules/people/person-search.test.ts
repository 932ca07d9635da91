import { describe, expect, it } from 'vitest';
import {
  buildQuery,
  chooseExpansions,
  matchToken,
  nearDates,
  scoreCandidate,
  type SearchCandidate,
} from './person-search.ts';

const candidate = (over: Partial<SearchCandidate>): SearchCandidate => ({
  id: 'c1',
  givenName: 'Olivia',
  familyName: 'Ashworth',
  knownAs: null,
  dateOfBirth: '2017-03-04',
  expectedDateOfBirth: null,
  nhsNumber: null,
  upn: null,
  formerUpn: null,
  otherNames: [],
  postcodeMatch: null,
  ...over,
});

const score = (criteria: Parameters<typeof buildQuery>[0], c: SearchCandidate) => {
  const q = buildQuery(criteria);
  return scoreCandidate(q, chooseExpansions(q, []), c);
};

describe('near dates of birth', () => {
  it('includes the date, day and month swapped, a year either side and a day either side', () => {
    expect(nearDates('2017-03-04')).toEqual([
      { date: '2017-03-04', kind: 'exact' },
      { date: '2017-04-03', kind: 'swapped' },
      { date: '2016-03-04', kind: 'year-apart' },
      { date: '2018-03-04', kind: 'year-apart' },
      { date: '2017-03-03', kind: 'day-apart' },
      { date: '2017-03-05', kind: 'day-apart' },
    ]);
  });

  it('copes with 29 February and days that cannot be months', () => {
    expect(nearDates('2016-02-29').map((d) => d.date)).toEqual([
      '2016-02-29',
      '2015-02-28',
      '2017-02-28',
      '2016-02-28',
      '2016-03-01',
    ]);
    expect(nearDates('2017-03-25').some((d) => d.kind === 'swapped')).toBe(false);
  });
});

describe('matching one word of a name', () => {
  it.each([
    ['olivia', 'olivia', 'exact'],
    ['muhammad', 'mohammed', 'spelling'],
    ['bob', 'robert', 'nickname'],
    ['smiht', 'smith', 'typo'],
    ['jhon', 'john', 'typo'],
    ['jon', 'john', 'nickname'],
    ['chris', 'christabel', 'partial'],
  ])('%s ~ %s: %s', (q, c, kind) => {
    expect(matchToken(q, c)?.kind).toBe(kind);
  });

  it('does not match unrelated names', () => {
    expect(matchToken('olivia', 'harry')).toBeNull();
  });

  it('trusts the database’s sound-alike verdict only for near spellings', () => {
    expect(matchToken('thompson', 'tomson', true)?.kind).toBe('sounds');
    expect(matchToken('jon', 'jane', true)?.kind).toBe('sounds');
  });
});

describe('scoring a candidate', () => {
  it('same name and date of birth is a likely match, with the reasons', () => {
    const s = score({ name: 'Olivia Ashworth', dateOfBirth: '2017-03-04' }, candidate({}))!;
    expect(s.confidence).toBe('likely');
    expect(s.reasons).toEqual(['Same name', 'Same date of birth']);
  });

  it('a name alone is at most a possible match', () => {
    expect(score({ name: 'Olivia Ashworth' }, candidate({}))!.confidence).toBe('possible');
  });

  it('explains swapped names, nicknames, aliases and double-barrelled names', () => {
    expect(score({ name: 'Ashworth Olivia' }, candidate({}))!.reasons).toContain(
      'First and last names swapped',
    );
    expect(score({ name: 'Liv Ashworth' }, candidate({}))!.reasons).toContain(
      'Short form or nickname: Liv for Olivia',
    );
    expect(
      score(
        { name: 'Olivia Brown' },
        candidate({ otherNames: [{ kind: 'alias', givenName: 'Olivia', familyName: 'Brown' }] }),
      )!.reasons[0],
    ).toBe('Alias matches: Olivia Brown');
    expect(score({ name: 'Olivia Jones' }, candidate({ familyName: 'Ashworth-Jones' }))!.reasons).toContain(
      'Part of a double-barrelled name matches',
    );
  });

  it('the same NHS number is always likely; a different one counts against', () => {
    expect(score({ nhsNumber: '9434765919' }, candidate({ nhsNumber: '9434765919' }))!.confidence).toBe(
      'likely',
    );
    const different = score(
      { name: 'Olivia Ashworth', dateOfBirth: '2017-03-04', nhsNumber: '9434765919' },
      candidate({ nhsNumber: '9990000018' }),
    )!;
    expect(different.confidence).not.toBe('likely');
  });

  it('leaves out people whose name does not match and who share nothing else', () => {
    expect(score({ name: 'Harry Pemberton' }, candidate({}))).toBeNull();
    expect(score({ name: 'Harry Pemberton', dateOfBirth: '2017-03-04' }, candidate({}))).toBeNull();
  });

  it('uses the postcode, current or previous', () => {
    const s = score(
      { name: 'Olivia Ashworth', postcode: 'TW1 3BZ' },
      candidate({ postcodeMatch: 'previous' }),
    )!;
    expect(s.reasons).toContain('Used to live at TW1 3BZ');
  });
});
