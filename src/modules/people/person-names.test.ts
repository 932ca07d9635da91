import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  jaroWinkler,
  nameTokens,
  normaliseName,
  personNameKeys,
  searchName,
} from './person-names.ts';
import { nicknamesOf, spellingsOf, variantKind } from './name-variants.ts';

describe('normalising names', () => {
  it.each([
    ['Zoë O’Brien-Smith', 'zoe obrien smith'],
    ["  D'Arcy   MACDONALD ", 'darcy macdonald'],
    ['Łukasz Wójcik', 'lukasz wojcik'],
    ['Anne-Marie de la Cruz', 'anne marie de la cruz'],
    ['Müller', 'muller'],
    ['123', ''],
  ])('%s → %s', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('splits into words and keeps joined-up forms of double-barrelled names as keys', () => {
    expect(nameTokens('Smith-Jones')).toEqual(['smith', 'jones']);
    expect(
      personNameKeys({
        givenName: 'Ann',
        familyName: 'Smith-Jones',
        knownAs: 'Annie',
        otherNames: [{ givenName: 'Ann', familyName: 'Okafor' }],
      }),
    ).toEqual(['ann', 'annie', 'jones', 'okafor', 'smith', 'smithjones']);
    expect(searchName({ givenName: 'Ann', familyName: 'Smith-Jones' })).toBe('ann smith jones');
  });

  it('never produces anything but lower-case letters and single spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normaliseName(s);
        expect(n).toMatch(/^(?:[a-z]+(?: [a-z]+)*)?$/);
      }),
    );
  });
});

describe('string likeness', () => {
  it('edit distance counts a swap of neighbours once', () => {
    expect(editDistance('smith', 'smiht')).toBe(1);
    expect(editDistance('jon', 'john')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('Jaro–Winkler: 1 for the same, high for near misses, symmetric', () => {
    expect(jaroWinkler('martha', 'martha')).toBe(1);
    expect(jaroWinkler('martha', 'marhta')).toBeGreaterThan(0.95);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const x = jaroWinkler(a, b);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        expect(Math.abs(x - jaroWinkler(b, a))).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('nicknames and other spellings', () => {
  it('knows Bob is Robert, Liz is Elizabeth, Sasha is Alexander, and Muhammad is Mohammed', () => {
    expect(nicknamesOf('bob').has('robert')).toBe(true);
    expect(nicknamesOf('liz').has('elizabeth')).toBe(true);
    expect(nicknamesOf('sasha').has('alexander')).toBe(true);
    expect(spellingsOf('muhammad').has('mohammed')).toBe(true);
    expect(variantKind('mohamed', 'muhammad')).toBe('spelling');
    expect(variantKind('bob', 'robert')).toBe('nickname');
    expect(variantKind('bob', 'mohammed')).toBeNull();
  });
});
