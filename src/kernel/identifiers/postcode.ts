import { invalid, valid } from './result.ts';
import type { ValidationResult } from './result.ts';

export const POSTCODE_MESSAGES = {
  empty: 'Enter a postcode',
  partial: 'Enter a full UK postcode, like AA1 1AA',
  notReal: 'Enter a real postcode, like AA1 1AA',
} as const;

/**
 * The outward code (before the space): A9, A99, AA9, AA99, A9A or AA9A. As in the UK government data
 * standard for postcodes, the second letter of a two-letter area is never I or Z. We do not restrict
 * the other letters further: non-geographic postcodes break the finer rules, and refusing a child's
 * real address is worse than accepting an unlikely one.
 */
const OUTWARD = /^(?:[A-Z]\d{1,2}|[A-Z][A-HJ-Y]\d{1,2}|[A-Z]\d[A-Z]|[A-Z][A-HJ-Y]\d[A-Z])$/;
/** The inward code: a digit and two letters; Royal Mail never uses C, I, K, M, O or V here. */
const INWARD = /^\d[ABD-HJLNP-UW-Z]{2}$/;
const GIRO = 'GIR 0AA'; // the one postcode outside the pattern (formerly Girobank, Bootle)

/**
 * Checks a UK postcode and normalises it to upper case with a single space before the inward code:
 * 'tw13bz' → 'TW1 3BZ', ' sw1a  1aa ' → 'SW1A 1AA'. Accepts GIR 0AA.
 */
export function validatePostcode(input: string): ValidationResult {
  const compact = input.replace(/\s/g, '').toUpperCase();
  if (compact === '') return invalid(POSTCODE_MESSAGES.empty);
  if (!/^[A-Z0-9]+$/.test(compact)) return invalid(POSTCODE_MESSAGES.notReal);
  if (compact.length >= 5) {
    const outward = compact.slice(0, -3);
    const inward = compact.slice(-3);
    const postcode = `${outward} ${inward}`;
    if (postcode === GIRO || (OUTWARD.test(outward) && INWARD.test(inward))) return valid(postcode);
  }
  // Only the first half ('TW1', 'SW1A') or the area and district with the sector ('TW1 3'):
  // a real start, but not a whole postcode.
  if (OUTWARD.test(compact) || (OUTWARD.test(compact.slice(0, -1)) && /\d$/.test(compact))) {
    return invalid(POSTCODE_MESSAGES.partial);
  }
  return invalid(POSTCODE_MESSAGES.notReal);
}

export function isValidPostcode(input: string): boolean {
  return validatePostcode(input).ok;
}

/** The normalised postcode, or undefined when it is not a valid UK postcode. */
export function normalisePostcode(input: string): string | undefined {
  const result = validatePostcode(input);
  return result.ok ? result.value : undefined;
}
