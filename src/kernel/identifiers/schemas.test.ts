import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  FORMER_UPN_MESSAGES,
  LA_CHILD_ID_MESSAGES,
  LA_CODE_MESSAGES,
  NHS_NUMBER_MESSAGES,
  POSTCODE_MESSAGES,
  UPN_MESSAGES,
  formerUpnSchema,
  generateNhsNumber,
  laChildIdSchema,
  laCodeSchema,
  nhsNumberSchema,
  postcodeSchema,
  upnSchema,
  validateNhsNumber,
  validatePostcode,
} from './index.ts';

function messagesOf(result: { success: boolean; error?: z.ZodError }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe.each([
  {
    name: 'nhsNumberSchema',
    schema: nhsNumberSchema,
    good: '943 476 5919',
    normalised: '9434765919',
    bad: '9434765918',
    badMessage: NHS_NUMBER_MESSAGES.checkDigit,
    empty: NHS_NUMBER_MESSAGES.empty,
  },
  {
    name: 'upnSchema',
    schema: upnSchema,
    good: 'l318200119001',
    normalised: 'L318200119001',
    bad: 'M318200119001',
    badMessage: UPN_MESSAGES.checkLetter,
    empty: UPN_MESSAGES.empty,
  },
  {
    name: 'formerUpnSchema',
    schema: formerUpnSchema,
    good: 'x31820011900a',
    normalised: 'X31820011900A',
    bad: 'X3182001190',
    badMessage: FORMER_UPN_MESSAGES.length,
    empty: FORMER_UPN_MESSAGES.empty,
  },
  {
    name: 'laChildIdSchema',
    schema: laChildIdSchema,
    good: ' rt000042 ',
    normalised: 'RT000042',
    bad: 'RT-42',
    badMessage: LA_CHILD_ID_MESSAGES.characters,
    empty: LA_CHILD_ID_MESSAGES.empty,
  },
  {
    name: 'postcodeSchema',
    schema: postcodeSchema,
    good: 'tw13bz',
    normalised: 'TW1 3BZ',
    bad: 'TW1',
    badMessage: POSTCODE_MESSAGES.partial,
    empty: POSTCODE_MESSAGES.empty,
  },
  {
    name: 'laCodeSchema',
    schema: laCodeSchema,
    good: ' 318',
    normalised: '318',
    bad: '31',
    badMessage: LA_CODE_MESSAGES.format,
    empty: LA_CODE_MESSAGES.empty,
  },
])('$name', ({ schema, good, normalised, bad, badMessage, empty }) => {
  it('outputs the normalised value', () => {
    expect(schema.parse(good)).toBe(normalised);
  });

  it('rejects a bad value with the message naming the problem', () => {
    expect(messagesOf(schema.safeParse(bad))).toEqual([badMessage]);
  });

  it('rejects an empty, missing or non-string value with the "Enter …" message', () => {
    expect(empty).toMatch(/^Enter /);
    expect(messagesOf(schema.safeParse(''))).toEqual([empty]);
    expect(messagesOf(schema.safeParse(undefined))).toEqual([empty]);
    expect(messagesOf(schema.safeParse(42))).toEqual([empty]);
  });
});

describe('using the schemas in a form schema', () => {
  const childForm = z.object({ nhsNumber: nhsNumberSchema.optional(), postcode: postcodeSchema });

  it('puts each message on its own field path', () => {
    const result = childForm.safeParse({ nhsNumber: '123', postcode: 'nowhere' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['nhsNumber', NHS_NUMBER_MESSAGES.length],
      ['postcode', POSTCODE_MESSAGES.notReal],
    ]);
  });

  it('lets a caller make a field optional', () => {
    expect(childForm.parse({ postcode: 'kt1 1eu' })).toEqual({ postcode: 'KT1 1EU' });
  });
});

describe('schema properties', () => {
  it('the NHS number schema agrees with validateNhsNumber on any input', () => {
    const inputs = fc.oneof(
      fc.integer().map((seed) => generateNhsNumber(() => ((seed >>> 0) % 1_000_000) / 1_000_000)),
      fc.stringMatching(/^[\d -]{0,14}$/),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        const direct = validateNhsNumber(input);
        const parsed = nhsNumberSchema.safeParse(input);
        if (direct.ok) expect(parsed).toEqual({ success: true, data: direct.value });
        else expect(messagesOf(parsed)).toEqual([direct.reason]);
      }),
    );
  });

  it('the postcode schema is idempotent: parsing its output gives the same output', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ]{0,9}$/), (input) => {
        const parsed = postcodeSchema.safeParse(input);
        expect(parsed.success).toBe(validatePostcode(input).ok);
        if (parsed.success) expect(postcodeSchema.parse(parsed.data)).toBe(parsed.data);
      }),
    );
  });
});
