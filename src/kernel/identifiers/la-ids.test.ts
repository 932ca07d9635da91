import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LA_CHILD_ID_MESSAGES,
  LA_CODE_MESSAGES,
  generateLaChildId,
  isValidLaChildId,
  isValidLaCode,
  validateLaChildId,
  validateLaCode,
} from './index.ts';

describe('validateLaChildId', () => {
  it.each([
    ['RT000042', 'RT000042'],
    ['rt000042', 'RT000042'],
    [' abc123 ', 'ABC123'],
    ['7', '7'],
    ['A'.repeat(20), 'A'.repeat(20)],
  ])('accepts %j as %s', (input, expected) => {
    expect(validateLaChildId(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', LA_CHILD_ID_MESSAGES.empty],
    ['   ', LA_CHILD_ID_MESSAGES.empty],
    ['RT-000042', LA_CHILD_ID_MESSAGES.characters],
    ['RT 000042', LA_CHILD_ID_MESSAGES.characters],
    ['RTé', LA_CHILD_ID_MESSAGES.characters],
    ['A'.repeat(21), LA_CHILD_ID_MESSAGES.length],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateLaChildId(input)).toEqual({ ok: false, reason });
  });
});

describe('generateLaChildId', () => {
  it('pads the number to 6 digits after the prefix', () => {
    expect(generateLaChildId('RT', 42)).toBe('RT000042');
    expect(generateLaChildId('rt', 1_234_567)).toBe('RT1234567');
    expect(generateLaChildId('', 5)).toBe('000005');
  });

  it('refuses a bad prefix, a bad number, or a result over 20 characters', () => {
    expect(() => generateLaChildId('R-T', 1)).toThrow(RangeError);
    expect(() => generateLaChildId('RT', -1)).toThrow(RangeError);
    expect(() => generateLaChildId('RT', 1.5)).toThrow(RangeError);
    expect(() => generateLaChildId('ABCDEFGHIJKLMNO', 1)).toThrow(/longer than 20/);
  });

  it('always makes a valid, already-normalised ID, in order for a fixed prefix', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{0,8}$/),
        fc.nat(999_999),
        fc.nat(999_999),
        (prefix, a, b) => {
          const id = generateLaChildId(prefix, a);
          expect(validateLaChildId(id)).toEqual({ ok: true, value: id });
          expect(Math.sign(id.localeCompare(generateLaChildId(prefix, b), 'en'))).toBe(Math.sign(a - b));
        },
      ),
    );
  });

  it('normalisation is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (input) => {
        const once = validateLaChildId(input);
        expect(isValidLaChildId(input)).toBe(once.ok);
        if (once.ok) expect(validateLaChildId(once.value)).toEqual(once);
      }),
    );
  });
});

describe('validateLaCode', () => {
  it('accepts 3 digits', () => {
    expect(validateLaCode('318')).toEqual({ ok: true, value: '318' }); // Richmond upon Thames
    expect(validateLaCode(' 314 ')).toEqual({ ok: true, value: '314' }); // Kingston upon Thames
    expect(isValidLaCode('201')).toBe(true);
  });

  it.each([
    ['', LA_CODE_MESSAGES.empty],
    ['31', LA_CODE_MESSAGES.format],
    ['3180', LA_CODE_MESSAGES.format],
    ['E09000027', LA_CODE_MESSAGES.format], // an ONS code, not a DfE code
    ['3l8', LA_CODE_MESSAGES.format],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateLaCode(input)).toEqual({ ok: false, reason });
  });
});
