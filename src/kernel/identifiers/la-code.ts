import { invalid, valid } from './result.ts';
import type { ValidationResult } from './result.ts';

/**
 * DfE local authority code ("LA number"): 3 digits, e.g. 318 Richmond upon Thames, 314 Kingston upon
 * Thames. Used in the CIN census header and as characters 2–4 of a UPN.
 */
export const LA_CODE_MESSAGES = {
  empty: 'Enter a local authority code',
  format: 'Local authority code must be 3 digits, like 318',
} as const;

export function validateLaCode(input: string): ValidationResult {
  const code = input.trim();
  if (code === '') return invalid(LA_CODE_MESSAGES.empty);
  if (!/^\d{3}$/.test(code)) return invalid(LA_CODE_MESSAGES.format);
  return valid(code);
}

export function isValidLaCode(input: string): boolean {
  return validateLaCode(input).ok;
}
