export type { Rng, ValidationResult } from './result.ts';
export {
  NHS_NUMBER_MESSAGES,
  formatNhsNumber,
  generateNhsNumber,
  isValidNhsNumber,
  nhsCheckDigit,
  validateNhsNumber,
} from './nhs-number.ts';
export type { UpnParts } from './upn.ts';
export {
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
} from './upn.ts';
export {
  LA_CHILD_ID_MAX_LENGTH,
  LA_CHILD_ID_MESSAGES,
  generateLaChildId,
  isValidLaChildId,
  validateLaChildId,
} from './la-child-id.ts';
export { POSTCODE_MESSAGES, isValidPostcode, normalisePostcode, validatePostcode } from './postcode.ts';
export { LA_CODE_MESSAGES, isValidLaCode, validateLaCode } from './la-code.ts';
export {
  formerUpnSchema,
  laChildIdSchema,
  laCodeSchema,
  nhsNumberSchema,
  postcodeSchema,
  upnSchema,
} from './schemas.ts';
