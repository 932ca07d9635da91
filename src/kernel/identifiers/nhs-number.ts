import { invalid, randomInt, valid } from './result.ts';
import type { Rng, ValidationResult } from './result.ts';

export const NHS_NUMBER_MESSAGES = {
  empty: 'Enter an NHS number',
  characters: 'NHS number must only include numbers, spaces and hyphens',
  length: 'Enter an NHS number with 10 digits',
  checkDigit: 'Enter a valid NHS number – the check digit does not match',
} as const;

/**
 * The modulus 11 check digit for the first 9 digits of an NHS number, or undefined when there is none
 * (a remainder giving 10 means no NHS number starts with those 9 digits).
 *
 * Weights 10, 9, …, 2 on digits 1–9; check = 11 − (sum mod 11); 11 becomes 0.
 * By hand, 943 476 591: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2;
 * 11 − 2 = 9, so 943 476 5919 is valid.
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('nhsCheckDigit needs exactly 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/**
 * Checks an NHS number and normalises it to 10 digits. Spaces and hyphens are ignored wherever they
 * are (people type '943 476 5919', '943-476-5919', or group the digits differently), as is surrounding
 * white space.
 */
export function validateNhsNumber(input: string): ValidationResult {
  const compact = input.replace(/[\s-]/g, '');
  if (compact === '') return invalid(NHS_NUMBER_MESSAGES.empty);
  if (!/^\d+$/.test(compact)) return invalid(NHS_NUMBER_MESSAGES.characters);
  if (compact.length !== 10) return invalid(NHS_NUMBER_MESSAGES.length);
  if (nhsCheckDigit(compact.slice(0, 9)) !== Number(compact[9]))
    return invalid(NHS_NUMBER_MESSAGES.checkDigit);
  return valid(compact);
}

export function isValidNhsNumber(input: string): boolean {
  return validateNhsNumber(input).ok;
}

/**
 * For display: '9434765919' → '943 476 5919'. Anything that is not 10 digits (ignoring spaces and
 * hyphens) comes back unchanged, so a bad legacy value is still shown as it was recorded.
 */
export function formatNhsNumber(nhsNumber: string): string {
  const compact = nhsNumber.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(compact)) return nhsNumber;
  return `${compact.slice(0, 3)} ${compact.slice(3, 6)} ${compact.slice(6)}`;
}

const TEST_RANGE_START = 999_000_000; // first 9 digits of 999 000 000x
const TEST_RANGE_SIZE = 1_000_000;

/**
 * A valid NHS number in the 999 range (999 000 0000 – 999 999 9999), which is never issued to a real
 * person: for synthetic and demo data only. When the drawn digits have no check digit, the next
 * 9-digit start that has one is used, so this always ends (even with a constant `rng`).
 */
export function generateNhsNumber(rng: Rng): string {
  let offset = randomInt(rng, TEST_RANGE_SIZE);
  for (;;) {
    const firstNine = String(TEST_RANGE_START + offset);
    const check = nhsCheckDigit(firstNine);
    if (check !== undefined) return `${firstNine}${check}`;
    offset = (offset + 1) % TEST_RANGE_SIZE;
  }
}
