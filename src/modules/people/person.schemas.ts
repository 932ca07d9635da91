import { z } from 'zod';
import {
  formerUpnSchema,
  nhsNumberSchema,
  postcodeSchema,
  upnSchema,
} from '../../kernel/identifiers/index.ts';
import {
  checkbox,
  checkboxes,
  choice,
  govukDate,
  optionalChoice,
  optionalText,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import {
  checkDisabilities,
  checkPersonDates,
  DISABILITY_VALUES,
  NEW_PERSON_KINDS,
  SEX_VALUES,
  UPN_UNKNOWN_VALUES,
} from './person.ts';

/**
 * Form schemas for people, with GOV.UK error messages. Identifiers use the kernel's schemas, so a bad
 * NHS number, UPN or postcode gets a message naming the problem ("the check digit does not match").
 */

const first = (v: unknown): string | undefined =>
  Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;
const blankToUndefined = (v: unknown) => {
  const s = first(v)?.trim();
  return s ? s : undefined;
};

/** An optional identifier: empty is fine, anything typed must be valid (and comes back normalised). */
function optionalIdentifier(schema: z.ZodType<string, string>) {
  return z.preprocess(blankToUndefined, schema.optional());
}

const optionalEmail = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(320, 'Email address must be 320 characters or fewer')
    .regex(
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      'Enter an email address in the correct format, like name@example.com',
    )
    .optional(),
);

const optionalPhone = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(30, 'Phone number must be 30 characters or fewer')
    .regex(/^[0-9+()\s-]+$/, 'Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192')
    .optional(),
);

const name = (label: string) =>
  requiredText(
    `Enter their ${label}`,
    100,
    `${label[0]!.toUpperCase()}${label.slice(1)} must be 100 characters or fewer`,
  );

/** The details shared by the create and edit forms. */
function detailsShape(today: string) {
  return {
    givenName: name('first name'),
    familyName: name('last name'),
    knownAs: optionalText(100, 'Known as must be 100 characters or fewer'),
    otherNameKind: optionalChoice(
      ['alias', 'previous'] as const,
      'Select whether the other name is an alias or a previous name',
    ),
    otherGivenName: optionalText(100, 'First name must be 100 characters or fewer'),
    otherFamilyName: optionalText(100, 'Last name must be 100 characters or fewer'),
    dateOfBirth: govukDate({ label: 'Date of birth', when: 'past', today: () => today }),
    expectedDateOfBirth: govukDate({ label: 'Expected date of birth', today: () => today }),
    sex: optionalChoice(SEX_VALUES, 'Select their sex'),
    genderIdentity: optionalText(100, 'Gender identity must be 100 characters or fewer'),
    ethnicityCode: optionalText(10),
    firstLanguage: optionalText(10),
    interpreterNeeded: checkbox(),
    religion: optionalText(10),
    disabilities: checkboxes(DISABILITY_VALUES, { invalid: 'Select disabilities from the list' }),
    immigrationStatus: optionalText(20),
    unaccompaniedAsylumSeeking: checkbox(),
    nhsNumber: optionalIdentifier(nhsNumberSchema),
    upn: optionalIdentifier(upnSchema),
    formerUpn: optionalIdentifier(formerUpnSchema),
    upnUnknownReason: optionalChoice(UPN_UNKNOWN_VALUES, 'Select why the UPN is not known'),
    addressLine1: optionalText(200, 'Address line 1 must be 200 characters or fewer'),
    addressLine2: optionalText(200, 'Address line 2 must be 200 characters or fewer'),
    town: optionalText(100, 'Town or city must be 100 characters or fewer'),
    postcode: optionalIdentifier(postcodeSchema),
    phone: optionalPhone,
    email: optionalEmail,
    gpPractice: optionalText(200, 'GP practice must be 200 characters or fewer'),
    school: optionalText(200, 'School or nursery must be 200 characters or fewer'),
    professionalRole: optionalText(200, 'Job title must be 200 characters or fewer'),
    agencyId: z.preprocess(
      blankToUndefined,
      z.uuid({ message: 'Select an organisation from the list' }).optional(),
    ),
  };
}

type Issue = { path: string; message: string };

/**
 * Form-wide rules run even when some fields have errors (so every problem shows at once); fields that
 * failed arrive as typed, so only values of the expected type are used.
 */
const ALWAYS = EVEN_WITH_FIELD_ERRORS;
const str = (x: unknown): string | undefined => (typeof x === 'string' && x ? x : undefined);
function typed(v: Record<string, unknown>) {
  return {
    otherNameKind: str(v.otherNameKind),
    otherGivenName: str(v.otherGivenName),
    otherFamilyName: str(v.otherFamilyName),
    addressLine1: str(v.addressLine1),
    addressLine2: str(v.addressLine2),
    town: str(v.town),
    postcode: str(v.postcode),
    disabilities: Array.isArray(v.disabilities)
      ? v.disabilities.filter((d): d is string => typeof d === 'string')
      : [],
    upn: str(v.upn),
    upnUnknownReason: str(v.upnUnknownReason),
    dateOfBirth: str(v.dateOfBirth),
    expectedDateOfBirth: str(v.expectedDateOfBirth),
    dateOfDeath: str(v.dateOfDeath),
    sex: str(v.sex),
    warningKind: str(v.warningKind),
    warningDetails: str(v.warningDetails),
  };
}

function detailsIssues(v: {
  otherNameKind?: string | undefined;
  otherGivenName?: string | undefined;
  otherFamilyName?: string | undefined;
  addressLine1?: string | undefined;
  addressLine2?: string | undefined;
  town?: string | undefined;
  postcode?: string | undefined;
  disabilities: readonly string[];
  upn?: string | undefined;
  upnUnknownReason?: string | undefined;
}): Issue[] {
  const issues: Issue[] = [];
  if (
    (v.otherGivenName || v.otherFamilyName || v.otherNameKind) &&
    !(v.otherGivenName && v.otherFamilyName)
  ) {
    issues.push({
      path: v.otherGivenName ? 'otherFamilyName' : 'otherGivenName',
      message: 'Enter the first and last name of the other name',
    });
  } else if (v.otherGivenName && !v.otherNameKind) {
    issues.push({
      path: 'otherNameKind',
      message: 'Select whether the other name is an alias or a previous name',
    });
  }
  if ((v.addressLine2 || v.town || v.postcode) && !v.addressLine1) {
    issues.push({ path: 'addressLine1', message: 'Enter address line 1, typically the building and street' });
  }
  const disabilityProblem = checkDisabilities(v.disabilities);
  if (disabilityProblem) issues.push({ path: 'disabilities', message: disabilityProblem });
  if (v.upn && v.upnUnknownReason)
    issues.push({
      path: 'upnUnknownReason',
      message: 'Leave “Why the UPN is not known” empty when you enter a UPN',
    });
  return issues;
}

export function newPersonForm(today: string) {
  return z
    .object({
      kind: choice(NEW_PERSON_KINDS, 'Select who you are adding'),
      localAuthorityId: z.preprocess(
        blankToUndefined,
        z.uuid({ message: 'Select the local authority' }).optional(),
      ),
      ...detailsShape(today),
      /** Set once the likely duplicates have been shown. */
      duplicatesShown: z.preprocess(blankToUndefined, z.string().optional()),
      notADuplicate: checkbox(),
    })
    .superRefine((raw, ctx) => {
      const kind = (NEW_PERSON_KINDS as readonly unknown[]).includes(raw.kind) ? raw.kind : null;
      const v = typed(raw as unknown as Record<string, unknown>);
      if (kind)
        for (const p of checkPersonDates(kind, v, today))
          ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
      if ((kind === 'child' || kind === 'adult') && !v.sex)
        ctx.addIssue({ code: 'custom', path: ['sex'], message: 'Select their sex' });
      if (kind === 'unborn' && v.dateOfBirth)
        ctx.addIssue({
          code: 'custom',
          path: ['dateOfBirth'],
          message: 'An unborn child has no date of birth yet: enter the expected date of birth',
        });
      for (const i of detailsIssues(v)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
    }, ALWAYS);
}
export type NewPersonForm = z.infer<ReturnType<typeof newPersonForm>>;

export function editPersonForm(today: string) {
  return z
    .object({
      /** The kind of record being edited (a hidden field: only chooses which date rules apply; the service uses the stored kind). */
      personKind: choice(
        ['child', 'unborn', 'adult', 'professional'] as const,
        'Reload the page and try again',
      ),
      ...detailsShape(today),
      dateOfDeath: govukDate({ label: 'Date of death', today: () => today }),
      movedOn: govukDate({ label: 'Date they moved', when: 'past', today: () => today }),
      warningKind: optionalText(40),
      warningDetails: optionalText(1000, 'Warning details must be 1,000 characters or fewer'),
      endWarnings: z.preprocess(
        (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
        z.array(z.uuid({ message: 'Select warnings from the list' })),
      ),
      version: z.preprocess(first, z.coerce.number({ message: 'Reload the page and try again' }).int()),
    })
    .superRefine((raw, ctx) => {
      const v = typed(raw as unknown as Record<string, unknown>);
      const kind = (['child', 'unborn', 'adult', 'professional'] as const).find((k) => k === raw.personKind);
      if (kind) {
        const effectiveKind = kind === 'unborn' && v.dateOfBirth ? 'child' : kind;
        for (const p of checkPersonDates(effectiveKind, v, today))
          ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
      }
      for (const i of detailsIssues(v)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
      if (v.warningKind && !v.warningDetails)
        ctx.addIssue({
          code: 'custom',
          path: ['warningDetails'],
          message: 'Enter what people need to know about the warning',
        });
      if (v.warningDetails && !v.warningKind)
        ctx.addIssue({ code: 'custom', path: ['warningKind'], message: 'Select the kind of warning' });
    }, ALWAYS);
}
export type EditPersonForm = z.infer<ReturnType<typeof editPersonForm>>;

/** The search form: at least one thing to search by; identifiers and postcode must be valid. */
export function searchForm(today: string) {
  return z
    .object({
      name: optionalText(200, 'Name must be 200 characters or fewer'),
      dateOfBirth: govukDate({ label: 'Date of birth', when: 'past', today: () => today }),
      nhsNumber: optionalIdentifier(nhsNumberSchema),
      upn: optionalIdentifier(upnSchema),
      postcode: optionalIdentifier(postcodeSchema),
    })
    .superRefine((v, ctx) => {
      if (!v.name && !v.dateOfBirth && !v.nhsNumber && !v.upn && !v.postcode) {
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'Enter a name, date of birth, NHS number, UPN or postcode to search for',
        });
      }
    });
}
export type SearchForm = z.infer<ReturnType<typeof searchForm>>;

/**
 * The census details of a child's record, on their own (the front door completes them when a decision needs them):
 * sex, ethnicity, disabilities, and the UPN or why it is not known.
 */
export const censusDetailsForm = z
  .object({
    sex: optionalChoice(SEX_VALUES, 'Select their sex'),
    ethnicityCode: optionalText(10),
    disabilities: checkboxes(DISABILITY_VALUES, { invalid: 'Select disabilities from the list' }),
    upn: optionalIdentifier(upnSchema),
    upnUnknownReason: optionalChoice(UPN_UNKNOWN_VALUES, 'Select why the UPN is not known'),
    version: z.preprocess(first, z.coerce.number({ message: 'Reload the page and try again' }).int()),
  })
  .superRefine((v, ctx) => {
    const problem = checkDisabilities(v.disabilities ?? []);
    if (problem) ctx.addIssue({ code: 'custom', path: ['disabilities'], message: problem });
    if (v.upn && v.upnUnknownReason)
      ctx.addIssue({
        code: 'custom',
        path: ['upnUnknownReason'],
        message: 'Leave “Why the UPN is not known” empty when you enter a UPN',
      });
  });
export type CensusDetailsForm = z.infer<typeof censusDetailsForm>;
