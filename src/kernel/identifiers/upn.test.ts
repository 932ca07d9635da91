import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMER_UPN_MESSAGES,
  UPN_CHECK_ALPHABET,
  UPN_MESSAGES,
  generateUpn,
  isTemporaryUpn,
  isUpnLaCode,
  isValidUpn,
  upnCheckLetter,
  upnLaCode,
  validateFormerUpn,
  validateUpn,
} from './index.ts';

const upnArb = fc
  .record({
    // Codes a UPN may carry (rule 1530); the check letter itself holds for any three digits.
    laCode: fc.integer({ min: 0, max: 999 }).filter((n) => isUpnLaCode(String(n).padStart(3, '0'))),
    establishment: fc.integer({ min: 0, max: 9999 }),
    year: fc.integer({ min: 1999, max: 2099 }),
    serial: fc.integer({ min: 0, max: 2299 }),
    temporary: fc.boolean(),
  })
  .map((parts) => generateUpn({ ...parts, serial: parts.temporary ? parts.serial : parts.serial % 1000 }));

describe('the check alphabet', () => {
  it('has 23 letters, A = 0 … Z = 22, and no I, O or S', () => {
    expect(UPN_CHECK_ALPHABET).toHaveLength(23);
    expect(UPN_CHECK_ALPHABET[0]).toBe('A');
    expect(UPN_CHECK_ALPHABET[22]).toBe('Z');
    expect(UPN_CHECK_ALPHABET).not.toMatch(/[IOS]/);
  });
});

describe('upnCheckLetter', () => {
  it('L for 318 2001 19 001 (sum 171 = 7×23 + 10, worked in upn.ts)', () => {
    expect(upnCheckLetter('318200119001')).toBe('L');
  });

  it('X for the temporary 318 2001 19 00A (A counts 0; sum 158 = 6×23 + 20)', () => {
    expect(upnCheckLetter('31820011900A')).toBe('X');
  });

  it('U for 000000000023 (2×12 + 3×13 = 63 = 2×23 + 17; U is letter 17), A for all zeros (sum 0)', () => {
    expect(upnCheckLetter('000000000023')).toBe('U');
    expect(upnCheckLetter('000000000000')).toBe('A');
  });

  it('refuses something that is not characters 2 to 13 of a UPN', () => {
    expect(() => upnCheckLetter('31820011900')).toThrow(RangeError);
    expect(() => upnCheckLetter('31820011900I')).toThrow(RangeError);
  });
});

describe('validateUpn', () => {
  it.each([
    ['L318200119001', 'L318200119001'],
    ['l318200119001', 'L318200119001'],
    [' L318 2001 19 001 ', 'L318200119001'],
    ['X31820011900A', 'X31820011900A'],
    ['x31820011900a', 'X31820011900A'],
  ])('accepts %j as %s', (input, expected) => {
    expect(validateUpn(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', UPN_MESSAGES.empty],
    ['L318-2001-19001', UPN_MESSAGES.characters],
    ['L31820011900', UPN_MESSAGES.length],
    ['L3182001190012', UPN_MESSAGES.length],
    ['3318200119001', UPN_MESSAGES.firstCharacter],
    ['L3182001A9001', UPN_MESSAGES.digits],
    ['I318200119001', UPN_MESSAGES.lettersNotUsed],
    ['X31820011900O', UPN_MESSAGES.lettersNotUsed],
    ['M318200119001', UPN_MESSAGES.checkLetter],
    ['L318200119002', UPN_MESSAGES.checkLetter],
    ['Y31820011900A', UPN_MESSAGES.checkLetter],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateUpn(input)).toEqual({ ok: false, reason });
  });

  it('names the field in its messages', () => {
    expect(UPN_MESSAGES.checkLetter).toBe('Enter a valid UPN – the check letter does not match (rule 1510)');
    expect(validateFormerUpn('M318200119001')).toEqual({
      ok: false,
      reason: FORMER_UPN_MESSAGES.checkLetter,
    });
    expect(FORMER_UPN_MESSAGES.checkLetter).toBe(
      'Enter a valid former UPN – the check letter does not match',
    );
    expect(validateFormerUpn('l318200119001')).toEqual({ ok: true, value: 'L318200119001' });
  });
});

describe('census rule 1530: characters 2 to 4 are a local authority code in use since April 1998', () => {
  it('refuses a UPN whose LA code is not on the list, naming the rule; accepts the ends of ranges', () => {
    const withLa = (laCode: string) => generateUpn({ laCode, establishment: 2001, year: 19, serial: 1 });
    for (const code of ['000', '006', '200', '321', '950', '999']) {
      expect(validateUpn(withLa(code))).toEqual({ ok: false, reason: UPN_MESSAGES.laCode });
    }
    expect(UPN_MESSAGES.laCode).toContain('(rule 1530)');
    for (const code of ['001', '005', '201', '318', '420', '896', '943']) {
      expect(validateUpn(withLa(code)).ok).toBe(true);
    }
    // A former UPN is only queried by the census (1560Q): its old LA code is accepted.
    expect(validateFormerUpn(withLa('950')).ok).toBe(true);
    expect(isUpnLaCode('318')).toBe(true);
    expect(isUpnLaCode('31')).toBe(false);
  });
});

describe('upnLaCode and isTemporaryUpn', () => {
  it('read the allocating LA and whether the UPN is temporary', () => {
    expect(upnLaCode('L318200119001')).toBe('318');
    expect(upnLaCode('x31820011900a')).toBe('318');
    expect(isTemporaryUpn('X31820011900A')).toBe(true);
    expect(isTemporaryUpn('L318200119001')).toBe(false);
    expect(isTemporaryUpn('Y31820011900A')).toBe(false); // wrong check letter: not a UPN at all
  });

  it('upnLaCode refuses an invalid UPN', () => {
    expect(() => upnLaCode('M318200119001')).toThrow(/check letter/);
  });
});

describe('generateUpn', () => {
  it('builds the worked examples', () => {
    expect(generateUpn({ laCode: 318, establishment: 2001, year: 2019, serial: 1 })).toBe('L318200119001');
    expect(generateUpn({ laCode: '318', establishment: '2001', year: '19', serial: 1 })).toBe(
      'L318200119001',
    );
    expect(generateUpn({ laCode: 318, establishment: 2001, year: 19, serial: 0, temporary: true })).toBe(
      'X31820011900A',
    );
  });

  it('writes a temporary serial as 2 digits and a letter', () => {
    expect(
      generateUpn({ laCode: 314, establishment: 1, year: 2024, serial: 24, temporary: true }).slice(10),
    ).toBe('01B');
    expect(
      generateUpn({ laCode: 314, establishment: 1, year: 2024, serial: 2299, temporary: true }).slice(10),
    ).toBe('99Z');
  });

  it('refuses parts that do not fit', () => {
    expect(() => generateUpn({ laCode: 3180, establishment: 1, year: 19, serial: 1 })).toThrow(RangeError);
    expect(() => generateUpn({ laCode: 318, establishment: 10000, year: 19, serial: 1 })).toThrow(RangeError);
    expect(() => generateUpn({ laCode: 318, establishment: 1, year: 19, serial: 1000 })).toThrow(RangeError);
    expect(() =>
      generateUpn({ laCode: 318, establishment: 1, year: 19, serial: 2300, temporary: true }),
    ).toThrow(RangeError);
  });
});

describe('UPN properties', () => {
  it('every generated UPN validates, keeps its LA code, and is temporary exactly when it ends in a letter', () => {
    fc.assert(
      fc.property(upnArb, (upn) => {
        expect(validateUpn(upn)).toEqual({ ok: true, value: upn });
        expect(upn).toMatch(/^[A-Z]\d{11}[0-9A-Z]$/);
        expect(upn).not.toMatch(/[IOS]/);
        expect(upnLaCode(upn)).toBe(upn.slice(1, 4));
        expect(isTemporaryUpn(upn)).toBe(/[A-Z]$/.test(upn));
      }),
    );
  });

  it('changing any single character makes it invalid, except a last digit d ⇄ the letter worth d', () => {
    // Weights 2–13 are non-zero mod 23 and 23 is prime, so any change of value at one position moves the
    // sum by a non-multiple of 23. But a letter in position 13 counts as its alphabet index, so digits
    // 0–9 and letters A–K (values 0–9) are worth the same there: N000000099258 and N00000009925J share a
    // check letter. That is the DfE algorithm (permanent/temporary twins), not a defect here.
    const characters = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const valueAt13 = (c: string): number => (/\d/.test(c) ? Number(c) : UPN_CHECK_ALPHABET.indexOf(c));
    fc.assert(
      fc.property(upnArb, fc.nat(12), fc.nat(characters.length - 1), (upn, position, pick) => {
        const replacement = characters[pick] ?? '0';
        fc.pre(replacement !== upn[position]);
        const twin = position === 12 && valueAt13(replacement) === valueAt13(upn[12] ?? '');
        expect(isValidUpn(`${upn.slice(0, position)}${replacement}${upn.slice(position + 1)}`)).toBe(twin);
      }),
    );
  });

  it('the twin of a permanent UPN ending in d is the temporary one ending in the letter worth d', () => {
    // The check letters only (LA code 000 is not one a UPN may carry, rule 1530).
    expect(upnCheckLetter('000000099258')).toBe('N');
    expect(upnCheckLetter('00000009925J')).toBe('N');
    expect(isValidUpn('N000000099258')).toBe(false);
    expect(isTemporaryUpn('X31820011900A')).toBe(true);
  });

  it('normalisation is idempotent', () => {
    fc.assert(
      fc.property(upnArb, fc.boolean(), (upn, lower) => {
        const typed = lower ? ` ${upn.toLowerCase()} ` : upn;
        const once = validateUpn(typed);
        expect(once.ok).toBe(true);
        if (once.ok) expect(validateUpn(once.value)).toEqual(once);
      }),
    );
  });
});
