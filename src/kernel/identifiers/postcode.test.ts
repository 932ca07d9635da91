import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POSTCODE_MESSAGES, isValidPostcode, normalisePostcode, validatePostcode } from './index.ts';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const secondLetter = fc.constantFrom(...'ABCDEFGHJKLMNOPQRSTUVWXY'); // never I or Z
const digit = fc.constantFrom(...'0123456789');
const inwardLetter = fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'); // never C, I, K, M, O or V

/** A canonical postcode in each of the six outward shapes. */
const postcodeArb = fc
  .tuple(
    fc.oneof(
      fc.tuple(letter, digit).map((p) => p.join('')), // A9
      fc.tuple(letter, digit, digit).map((p) => p.join('')), // A99
      fc.tuple(letter, secondLetter, digit).map((p) => p.join('')), // AA9
      fc.tuple(letter, secondLetter, digit, digit).map((p) => p.join('')), // AA99
      fc.tuple(letter, digit, letter).map((p) => p.join('')), // A9A
      fc.tuple(letter, secondLetter, digit, letter).map((p) => p.join('')), // AA9A
    ),
    fc.tuple(digit, inwardLetter, inwardLetter).map((p) => p.join('')),
  )
  .map(([outward, inward]) => `${outward} ${inward}`);

describe('validatePostcode', () => {
  it.each([
    ['tw13bz', 'TW1 3BZ'],
    ['TW1 3BZ', 'TW1 3BZ'],
    ['  kt1  1eu ', 'KT1 1EU'],
    ['SW1A 1AA', 'SW1A 1AA'],
    ['ec1a1bb', 'EC1A 1BB'],
    ['W1A 0AX', 'W1A 0AX'],
    ['M1 1AE', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['gir0aa', 'GIR 0AA'],
    ['GIR 0AA', 'GIR 0AA'],
  ])('accepts %j as %s', (input, expected) => {
    expect(validatePostcode(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', POSTCODE_MESSAGES.empty],
    ['  ', POSTCODE_MESSAGES.empty],
    ['TW1', POSTCODE_MESSAGES.partial],
    ['sw1a', POSTCODE_MESSAGES.partial],
    ['TW1 3', POSTCODE_MESSAGES.partial],
    ['SW1A 1', POSTCODE_MESSAGES.partial],
    ['TW1 3CZ', POSTCODE_MESSAGES.notReal], // C is never an inward-code letter
    ['TZ1 3BZ', POSTCODE_MESSAGES.notReal], // Z is never the second letter of an area
    ['123 456', POSTCODE_MESSAGES.notReal],
    ['TW1-3BZ', POSTCODE_MESSAGES.notReal],
    ['TWA1 3BZ', POSTCODE_MESSAGES.notReal],
    ['not a postcode', POSTCODE_MESSAGES.notReal],
  ])('refuses %j: %s', (input, reason) => {
    expect(validatePostcode(input)).toEqual({ ok: false, reason });
  });

  it('uses the GOV.UK messages', () => {
    expect(POSTCODE_MESSAGES.notReal).toBe('Enter a real postcode, like AA1 1AA');
    expect(POSTCODE_MESSAGES.partial).toBe('Enter a full UK postcode, like AA1 1AA');
  });

  it('normalisePostcode gives the postcode or undefined', () => {
    expect(normalisePostcode('tw13bz')).toBe('TW1 3BZ');
    expect(normalisePostcode('TW1')).toBeUndefined();
    expect(isValidPostcode('KT1 1EU')).toBe(true);
  });
});

describe('postcode properties', () => {
  it('round-trips: however it is typed (case, spaces), it normalises to the canonical form', () => {
    fc.assert(
      fc.property(
        postcodeArb,
        fc.boolean(),
        fc.constantFrom('', ' ', '   ', '\t'),
        fc.constantFrom('', ' '),
        (postcode, lower, middle, around) => {
          const [outward, inward] = postcode.split(' ');
          const typed = `${around}${outward}${middle}${inward}${around}`;
          expect(validatePostcode(lower ? typed.toLowerCase() : typed)).toEqual({
            ok: true,
            value: postcode,
          });
        },
      ),
    );
  });

  it('normalisation is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (input) => {
        const once = validatePostcode(input);
        if (once.ok) expect(validatePostcode(once.value)).toEqual(once);
      }),
    );
    fc.assert(
      fc.property(
        postcodeArb,
        (postcode) => normalisePostcode(normalisePostcode(postcode) ?? '') === postcode,
      ),
    );
  });

  it('the outward code alone is always reported as a partial postcode', () => {
    fc.assert(
      fc.property(postcodeArb, (postcode) => {
        const outward = postcode.split(' ')[0] ?? '';
        expect(validatePostcode(outward)).toEqual({ ok: false, reason: POSTCODE_MESSAGES.partial });
      }),
    );
  });
});
