import { z } from 'zod';
import { LA_CHILD_ID_MESSAGES, validateLaChildId } from './la-child-id.ts';
import { LA_CODE_MESSAGES, validateLaCode } from './la-code.ts';
import { NHS_NUMBER_MESSAGES, validateNhsNumber } from './nhs-number.ts';
import { POSTCODE_MESSAGES, validatePostcode } from './postcode.ts';
import type { ValidationResult } from './result.ts';
import { FORMER_UPN_MESSAGES, UPN_MESSAGES, validateFormerUpn, validateUpn } from './upn.ts';

/**
 * A string schema that runs a validator and outputs its normalised value, with its message as the
 * issue. A missing or non-string value gets the "Enter …" message, like an empty one. Optional fields
 * are the caller's business: e.g. `nhsNumberSchema.optional()` after turning '' into undefined.
 */
function identifierSchema(validate: (input: string) => ValidationResult, emptyMessage: string) {
  return z.string({ error: emptyMessage }).transform((input, ctx) => {
    const result = validate(input);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.reason, input });
      return z.NEVER;
    }
    return result.value;
  });
}

/** NHS number → 10 digits ('943 476 5919' → '9434765919'). */
export const nhsNumberSchema = identifierSchema(validateNhsNumber, NHS_NUMBER_MESSAGES.empty);
/** UPN → upper case, no spaces. */
export const upnSchema = identifierSchema(validateUpn, UPN_MESSAGES.empty);
/** Former UPN: the same format as a UPN, with its own messages. */
export const formerUpnSchema = identifierSchema(validateFormerUpn, FORMER_UPN_MESSAGES.empty);
/** LA child ID → upper case. */
export const laChildIdSchema = identifierSchema(validateLaChildId, LA_CHILD_ID_MESSAGES.empty);
/** UK postcode → 'TW1 3BZ'. */
export const postcodeSchema = identifierSchema(validatePostcode, POSTCODE_MESSAGES.empty);
/** DfE LA code → 3 digits. */
export const laCodeSchema = identifierSchema(validateLaCode, LA_CODE_MESSAGES.empty);
