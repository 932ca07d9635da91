import { invalid, valid } from './result.ts';
import type { ValidationResult } from './result.ts';

/** The local authority's own child identifier (the CIN census LAchildID): 1–20 letters and digits. */
export const LA_CHILD_ID_MAX_LENGTH = 20;

export const LA_CHILD_ID_MESSAGES = {
  empty: 'Enter a local authority child ID',
  characters: 'Local authority child ID must only include letters and numbers',
  length: `Local authority child ID must be ${LA_CHILD_ID_MAX_LENGTH} characters or fewer`,
} as const;

/** Checks an LA child ID and normalises it: surrounding spaces removed, letters in upper case. */
export function validateLaChildId(input: string): ValidationResult {
  const id = input.trim().toUpperCase();
  if (id === '') return invalid(LA_CHILD_ID_MESSAGES.empty);
  if (!/^[A-Z0-9]+$/.test(id)) return invalid(LA_CHILD_ID_MESSAGES.characters);
  if (id.length > LA_CHILD_ID_MAX_LENGTH) return invalid(LA_CHILD_ID_MESSAGES.length);
  return valid(id);
}

export function isValidLaChildId(input: string): boolean {
  return validateLaChildId(input).ok;
}

/**
 * The `n`th LA child ID with a prefix: generateLaChildId('RT', 42) → 'RT000042'. The number is padded
 * to at least 6 digits so IDs sort in order. Throws if the result would not be a valid LA child ID.
 */
export function generateLaChildId(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`n must be a whole number, 0 or more, but was ${n}`);
  const normalisedPrefix = prefix.trim().toUpperCase();
  if (!/^[A-Z0-9]*$/.test(normalisedPrefix)) {
    throw new RangeError(`An LA child ID prefix must only include letters and numbers, but was ${prefix}`);
  }
  const id = `${normalisedPrefix}${String(n).padStart(6, '0')}`;
  if (id.length > LA_CHILD_ID_MAX_LENGTH) {
    throw new RangeError(`${id} is longer than ${LA_CHILD_ID_MAX_LENGTH} characters`);
  }
  return id;
}
