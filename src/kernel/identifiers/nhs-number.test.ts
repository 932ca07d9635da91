import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NHS_NUMBER_MESSAGES,
  formatNhsNumber,
  generateNhsNumber,
  isValidNhsNumber,
  nhsCheckDigit,
  validateNhsNumber,
} from './index.ts';

/** A seeded Rng for fast-check: fc.double in [0, 1) drawn per call would not shrink, so use a seed. */
const rngArb = fc.integer().map((seed) => {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
});

const validNhsArb = rngArb.map((rng) => generateNhsNumber(rng));

describe('nhsCheckDigit (modulus 11, weights 10 to 2)', () => {
  it('943 476 591 → 9 (worked in nhs-number.ts)', () => {
    expect(nhsCheckDigit('943476591')).toBe(9);
  });

  it('401 023 213 → 7: 4×10 + 1×8 + 2×6 + 3×5 + 2×4 + 1×3 + 3×2 = 92; 92 mod 11 = 4; 11 − 4 = 7', () => {
    expect(nhsCheckDigit('401023213')).toBe(7);
  });

  it('a remainder of 0 gives 11, written as 0: 200 000 001 → 2×10 + 1×2 = 22', () => {
    expect(nhsCheckDigit('200000001')).toBe(0);
  });

  it('a remainder of 1 gives 10, so no NHS number starts 123 456 789 (sum 210 = 19×11 + 1)', () => {
    expect(nhsCheckDigit('123456789')).toBeUndefined();
  });
});

describe('validateNhsNumber', () => {
  it.each([
    ['9434765919', '9434765919'],
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    ['  943 476 5919 ', '9434765919'],
    ['4010232137', '4010232137'],
    ['2000000010', '2000000010'],
  ])('accepts %j as %s', (input, expected) => {
    expect(validateNhsNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', NHS_NUMBER_MESSAGES.empty],
    ['   ', NHS_NUMBER_MESSAGES.empty],
    ['943 476 591A', NHS_NUMBER_MESSAGES.characters],
    ['943.476.5919', NHS_NUMBER_MESSAGES.characters],
    ['943 476 591', NHS_NUMBER_MESSAGES.length],
    ['94347659190', NHS_NUMBER_MESSAGES.length],
    ['9434765918', NHS_NUMBER_MESSAGES.checkDigit],
    ['1234567890', NHS_NUMBER_MESSAGES.checkDigit], // check digit would be 10: never valid
  ])('refuses %j: %s', (input, reason) => {
    expect(validateNhsNumber(input)).toEqual({ ok: false, reason });
  });

  it('uses the GOV.UK messages the design asks for', () => {
    expect(NHS_NUMBER_MESSAGES.length).toBe('Enter an NHS number with 10 digits');
    expect(NHS_NUMBER_MESSAGES.checkDigit).toBe('Enter a valid NHS number – the check digit does not match');
  });
});

describe('formatNhsNumber', () => {
  it('groups 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber('943-476-5919')).toBe('943 476 5919');
  });

  it('leaves a value that is not 10 digits as it was', () => {
    expect(formatNhsNumber('94347659')).toBe('94347659');
    expect(formatNhsNumber('unknown')).toBe('unknown');
  });
});

describe('generateNhsNumber', () => {
  it('makes a valid number in the 999 test range, even from a constant generator', () => {
    // 999 000 000 has sum 243 = 22×11 + 1 → no check digit, so it moves on to 999 000 001 → 8.
    expect(generateNhsNumber(() => 0)).toBe('9990000018');
    expect(isValidNhsNumber(generateNhsNumber(() => 0.999_999_999))).toBe(true);
  });

  it('refuses a generator that breaks its contract', () => {
    expect(() => generateNhsNumber(() => 1)).toThrow(RangeError);
    expect(() => generateNhsNumber(() => Number.NaN)).toThrow(RangeError);
  });
});

describe('NHS number properties', () => {
  it('every generated number validates and is in 999 000 0000 – 999 999 9999', () => {
    fc.assert(
      fc.property(validNhsArb, (nhs) => {
        expect(validateNhsNumber(nhs)).toEqual({ ok: true, value: nhs });
        expect(nhs).toMatch(/^999\d{7}$/);
      }),
    );
  });

  it('changing any single digit makes it invalid (every weight is non-zero mod 11, and 11 is prime)', () => {
    fc.assert(
      fc.property(validNhsArb, fc.nat(9), fc.integer({ min: 1, max: 9 }), (nhs, position, delta) => {
        const changed = (Number(nhs[position]) + delta) % 10;
        const mutated = `${nhs.slice(0, position)}${changed}${nhs.slice(position + 1)}`;
        expect(isValidNhsNumber(mutated)).toBe(false);
      }),
    );
  });

  it('swapping two different adjacent digits makes it invalid (adjacent weights differ by 1)', () => {
    fc.assert(
      fc.property(validNhsArb, fc.nat(8), (nhs, position) => {
        fc.pre(nhs[position] !== nhs[position + 1]);
        const swapped = `${nhs.slice(0, position)}${nhs[position + 1]}${nhs[position]}${nhs.slice(position + 2)}`;
        expect(isValidNhsNumber(swapped)).toBe(false);
      }),
    );
  });

  it('agrees with a brute-force definition: valid exactly when the weighted sum of all 10 digits is 0 mod 11 and no check digit is 10', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (digits) => {
        const weighted = [...digits].reduce((sum, d, i) => sum + Number(d) * (i < 9 ? 10 - i : 1), 0);
        const checkWouldBeTen = nhsCheckDigit(digits.slice(0, 9)) === undefined;
        expect(isValidNhsNumber(digits)).toBe(weighted % 11 === 0 && !checkWouldBeTen);
      }),
    );
  });

  it('normalisation is idempotent and formatting round-trips', () => {
    fc.assert(
      fc.property(validNhsArb, fc.constantFrom(' ', '-', ''), (nhs, separator) => {
        const typed = `${nhs.slice(0, 3)}${separator}${nhs.slice(3, 6)}${separator}${nhs.slice(6)}`;
        const once = validateNhsNumber(typed);
        expect(once).toEqual({ ok: true, value: nhs });
        expect(validateNhsNumber(nhs)).toEqual(once);
        expect(validateNhsNumber(formatNhsNumber(nhs))).toEqual(once);
      }),
    );
  });
});
