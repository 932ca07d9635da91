import { invalid, valid } from './result.ts';
import type { ValidationResult } from './result.ts';

/**
 * Unique pupil number (UPN), as the DfE's "A guide to the UPN" sets it out: 13 characters.
 *
 *   character 1      check letter
 *   characters 2–4   DfE local authority code of the allocating authority (e.g. 318)
 *   characters 5–8   DfE establishment number of the allocating school
 *   characters 9–10  last 2 digits of the year of allocation
 *   characters 11–13 serial number; a temporary UPN has a letter as character 13
 *
 * Check letter: multiply characters 2 to 13 by weights 2 to 13 (a letter in position 13 counts as its
 * position in the check alphabet, A = 0 … Z = 22), add them up, divide by 23: the remainder indexes the
 * check alphabet. The alphabet leaves out I, O and S (easily confused with 1, 0 and 5), so a UPN never
 * contains them.
 *
 * Worked by hand: LA 318, establishment 2001, year 19, serial 001 → characters 2–13 are 3182 0011 9001:
 *   3×2 + 1×3 + 8×4 + 2×5 + 0×6 + 0×7 + 1×8 + 1×9 + 9×10 + 0×11 + 0×12 + 1×13
 *   = 6 + 3 + 32 + 10 + 0 + 0 + 8 + 9 + 90 + 0 + 0 + 13 = 171; 171 = 7×23 + 10; alphabet[10] = L.
 *   So the UPN is L318200119001.
 * Temporary, serial 00A (A counts 0): 6 + 3 + 32 + 10 + 8 + 9 + 90 = 158 = 6×23 + 20; alphabet[20] = X,
 *   so the temporary UPN is X31820011900A.
 */
export const UPN_CHECK_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

type UpnNoun = 'UPN' | 'former UPN';

/**
 * The CIN census rule a UPN breaks, named in the message (docs/domain.md, "Code sets", UPN format): 1510 check letter, 1530 LA code,
 * 1540 digits, 1550 character 13. A former UPN is only queried by the census (1560Q), so its messages name none.
 */
function messages(noun: UpnNoun) {
  const capital = noun === 'UPN' ? 'UPN' : 'Former UPN';
  const rule = (n: string) => (noun === 'UPN' ? ` (rule ${n})` : '');
  return {
    empty: `Enter a ${noun}`,
    characters: `${capital} must only include letters and numbers`,
    length: `Enter a ${noun} with 13 characters`,
    firstCharacter: `The first character of a ${noun} must be a letter`,
    digits: `Characters 2 to 12 of a ${noun} must be numbers${rule('1540')}`,
    lettersNotUsed: `A ${noun} cannot include the letters I, O or S${rule('1550')}`,
    checkLetter: `Enter a valid ${noun} – the check letter does not match${rule('1510')}`,
    laCode: `Characters 2 to 4 of a ${noun} must be a local authority code in use since April 1998, like 318${rule('1530')}`,
  } as const;
}

/** The DfE local authority codes a UPN may carry in characters 2–4 (CIN census rule 1530, 2023-24 list). */
const UPN_LA_CODE_RANGES: readonly (readonly [number, number])[] = [
  [1, 5],
  [201, 213],
  [301, 320],
  [330, 336],
  [340, 344],
  [350, 359],
  [370, 373],
  [380, 384],
  [390, 394],
  [420, 420],
  [660, 681],
  [701, 708],
  [800, 803],
  [805, 808],
  [810, 813],
  [815, 816],
  [820, 823],
  [825, 826],
  [830, 831],
  [835, 841],
  [845, 846],
  [850, 852],
  [855, 857],
  [860, 861],
  [865, 896],
  [908, 909],
  [916, 916],
  [919, 919],
  [921, 921],
  [925, 926],
  [928, 929],
  [931, 931],
  [933, 933],
  [935, 938],
  [940, 943],
];

/** True when `code` (3 digits) is a local authority code a UPN may carry (rule 1530). */
export function isUpnLaCode(code: string): boolean {
  const n = Number(code);
  return /^\d{3}$/.test(code) && UPN_LA_CODE_RANGES.some(([from, to]) => n >= from && n <= to);
}

export const UPN_MESSAGES = messages('UPN');
export const FORMER_UPN_MESSAGES = messages('former UPN');

/** The check letter for characters 2 to 13 of a UPN (12 characters: 11 digits then a digit or letter). */
export function upnCheckLetter(body: string): string {
  if (!/^\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/.test(body)) {
    throw new RangeError(
      'upnCheckLetter needs characters 2 to 13 of a UPN: 11 digits, then a digit or letter',
    );
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const char = body[i] ?? '';
    const value = i === 11 && /[A-Z]/.test(char) ? UPN_CHECK_ALPHABET.indexOf(char) : Number(char);
    sum += value * (i + 2);
  }
  return UPN_CHECK_ALPHABET[sum % 23] ?? '';
}

function validateAs(input: string, noun: UpnNoun): ValidationResult {
  const m = noun === 'UPN' ? UPN_MESSAGES : FORMER_UPN_MESSAGES;
  const upn = input.replace(/\s/g, '').toUpperCase();
  if (upn === '') return invalid(m.empty);
  if (!/^[A-Z0-9]+$/.test(upn)) return invalid(m.characters);
  if (upn.length !== 13) return invalid(m.length);
  if (!/^[A-Z]/.test(upn)) return invalid(m.firstCharacter);
  if (!/^.\d{11}/.test(upn)) return invalid(m.digits);
  if (/[IOS]/.test(upn)) return invalid(m.lettersNotUsed);
  if (upnCheckLetter(upn.slice(1)) !== upn[0]) return invalid(m.checkLetter);
  if (noun === 'UPN' && !isUpnLaCode(upn.slice(1, 4))) return invalid(m.laCode);
  return valid(upn);
}

/** Checks a UPN and normalises it (upper case, no spaces). */
export function validateUpn(input: string): ValidationResult {
  return validateAs(input, 'UPN');
}

/** A former UPN has the same format as a UPN; only the messages differ. */
export function validateFormerUpn(input: string): ValidationResult {
  return validateAs(input, 'former UPN');
}

export function isValidUpn(input: string): boolean {
  return validateUpn(input).ok;
}

function requireValid(upn: string): string {
  const result = validateUpn(upn);
  if (!result.ok) throw new RangeError(`Not a valid UPN: ${result.reason}`);
  return result.value;
}

/** The DfE code of the local authority that allocated the UPN (characters 2–4). Throws if not a valid UPN. */
export function upnLaCode(upn: string): string {
  return requireValid(upn).slice(1, 4);
}

/** True for a valid temporary UPN (a letter as character 13); false for a permanent or invalid one. */
export function isTemporaryUpn(upn: string): boolean {
  const result = validateUpn(upn);
  return result.ok && /[A-Z]$/.test(result.value);
}

export interface UpnParts {
  /** DfE LA code, 3 digits: '318' or 318. */
  readonly laCode: string | number;
  /** DfE establishment number, 0–9999 (4 digits). */
  readonly establishment: string | number;
  /** Year of allocation: 2019 or 19 (only the last 2 digits are kept). */
  readonly year: string | number;
  /**
   * Serial number. Permanent: 0–999, written as 3 digits. Temporary: 0–2299, written as 2 digits and a
   * letter (serial ÷ 23, then the remainder as a check-alphabet letter), so 0 → '00A', 23 → '01A'.
   */
  readonly serial: number;
  readonly temporary?: boolean;
}

function digits(value: string | number, width: number, label: string): string {
  const text = typeof value === 'number' ? String(value).padStart(width, '0') : value;
  if (!new RegExp(`^\\d{${width}}$`).test(text)) {
    throw new RangeError(`${label} must be ${width} digits, but was ${String(value)}`);
  }
  return text;
}

/** Builds a valid UPN from its parts (for synthetic data and tests). */
export function generateUpn(parts: UpnParts): string {
  const la = digits(parts.laCode, 3, 'LA code');
  const establishment = digits(parts.establishment, 4, 'Establishment number');
  const year =
    typeof parts.year === 'number'
      ? digits(((parts.year % 100) + 100) % 100, 2, 'Year')
      : digits(parts.year, 2, 'Year');
  const { serial } = parts;
  let serialText: string;
  if (parts.temporary) {
    if (!Number.isInteger(serial) || serial < 0 || serial >= 100 * 23) {
      throw new RangeError(`A temporary UPN serial must be a whole number from 0 to 2299, but was ${serial}`);
    }
    serialText = `${String(Math.floor(serial / 23)).padStart(2, '0')}${UPN_CHECK_ALPHABET[serial % 23] ?? ''}`;
  } else {
    if (!Number.isInteger(serial) || serial < 0 || serial > 999) {
      throw new RangeError(`A UPN serial must be a whole number from 0 to 999, but was ${serial}`);
    }
    serialText = String(serial).padStart(3, '0');
  }
  const body = `${la}${establishment}${year}${serialText}`;
  return `${upnCheckLetter(body)}${body}`;
}
