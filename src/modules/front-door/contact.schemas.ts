import { z } from 'zod';
import { nhsNumberSchema, postcodeSchema } from '../../kernel/identifiers/index.ts';
import { codeValues, REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { isIsoDate } from '../../kernel/time/index.ts';
import {
  choice,
  govukDate,
  optionalChoice,
  optionalText,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import {
  CONSENT_VALUES,
  consentProblem,
  CONTACT_CHANNELS,
  STAFF_CHANNELS,
  URGENCY_VALUES,
  type Consent,
  type ContactChannel,
  type Urgency,
} from './contact.ts';

/**
 * What a contact is made of, as createContact() takes it, whatever the channel (the SPA's form, a partner's
 * online form, a partner system's JSON). `contactInputSchema` validates it with GOV.UK messages and reports
 * every problem with its path (['children', 0, 'familyName']), so an API can answer with a problem document
 * listing each field and a form can show each message against its field.
 */

/** One child the contact is about: a record already found (personId), or the details as given. */
export interface ContactChildInput {
  /** An existing person record (children's services staff only; partners and API clients cannot name records). */
  personId?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  /** 'YYYY-MM-DD', not in the future. */
  dateOfBirth?: string | undefined;
  /** 'YYYY-MM-DD', for an unborn child. */
  expectedDateOfBirth?: string | undefined;
  sex?: 'M' | 'F' | 'U' | undefined;
  /** 10 digits (spaces allowed; normalised). */
  nhsNumber?: string | undefined;
  addressLine1?: string | undefined;
  addressLine2?: string | undefined;
  town?: string | undefined;
  /** A UK postcode (normalised to 'TW1 3BZ'). */
  postcode?: string | undefined;
  school?: string | undefined;
  /** Anything else about this child (e.g. "baby due in March", "attends nursery"). */
  notes?: string | undefined;
}

/** An adult named on the contact: a parent, carer, household member, or the person alleged to have caused harm. */
export interface ContactAdultInput {
  personId?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  dateOfBirth?: string | undefined;
  /** A code of the 'contact-adult-role' set (mother, father, carer, alleged-harmer, other …). */
  role: string;
  phone?: string | undefined;
  addressLine1?: string | undefined;
  postcode?: string | undefined;
  notes?: string | undefined;
}

/** Who told us. For a partner user or API client the agency is filled in from their account when not given. */
export interface ReferrerInput {
  name?: string | undefined;
  /** Job title or relationship to the child ("Designated safeguarding lead", "Grandmother"). */
  role?: string | undefined;
  organisation?: string | undefined;
  /** A partner agency from the agencies table. */
  agencyId?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

export interface ContactInput {
  /** The authority whose front door receives the contact (the SPA may serve several). */
  localAuthorityId: string;
  /** When the contact reached us; default now. Never in the future. The decision clock starts from it. */
  receivedAt?: Date | undefined;
  /** phone | email | letter | visit (SPA staff), online-form (partner users), api (API clients). */
  channel: ContactChannel;
  /**
   * CIN census referral source code (REFERRAL_SOURCES, e.g. '6' police, '2A' schools); used for census returns.
   * Left out, it is filled from the kind of the referrer's agency (a school: '2A'); without either it is refused.
   */
  referralSource?: string | undefined;
  referrer: ReferrerInput;
  /** Codes of the 'contact-concern' set; at least one. */
  concernCategories: string[];
  /** What has happened and what worries the referrer, in their words. */
  reason: string;
  consent: Consent;
  /** Required unless consent is 'given'. */
  consentRationale?: string | undefined;
  urgency: Urgency;
  /** At least one. Siblings are several children on one contact. */
  children: ContactChildInput[];
  adults?: ContactAdultInput[] | undefined;
  /** The partner system's own reference (e.g. a police notification number); one contact per client and reference. */
  externalReference?: string | undefined;
}

const trimmed = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
    z
      .string({ error: `${label} must be text` })
      .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
      .optional(),
  );
/** A 'YYYY-MM-DD' date; whether it may be in the future is checked by createContact against its clock. */
const isoDate = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string({ error: `${label} must be a date like 2019-04-09` })
      .refine(isIsoDate, `${label} must be a real date like 2019-04-09`)
      .optional(),
  );
const optionalIdentifier = (schema: z.ZodType<string, string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const childSchema = z
  .object({
    personId: z.uuid({ message: 'Choose a record from the search results' }).optional(),
    givenName: trimmed(100, 'First name'),
    familyName: trimmed(100, 'Last name'),
    dateOfBirth: isoDate('Date of birth'),
    expectedDateOfBirth: isoDate('Expected date of birth'),
    sex: z.enum(['M', 'F', 'U'], { message: 'Sex must be M, F or U' }).optional(),
    nhsNumber: optionalIdentifier(nhsNumberSchema),
    addressLine1: trimmed(200, 'Address line 1'),
    addressLine2: trimmed(200, 'Address line 2'),
    town: trimmed(100, 'Town or city'),
    postcode: optionalIdentifier(postcodeSchema),
    school: trimmed(200, 'School or nursery'),
    notes: trimmed(2000, 'Notes about the child'),
  })
  .superRefine((c, ctx) => {
    if (!c.personId && !c.givenName && !c.familyName) {
      ctx.addIssue({
        code: 'custom',
        path: ['givenName'],
        message: 'Enter the child’s first name or last name (or “Unknown”)',
      });
    }
  });

const adultSchema = z
  .object({
    personId: z.uuid({ message: 'Choose a record from the search results' }).optional(),
    givenName: trimmed(100, 'First name'),
    familyName: trimmed(100, 'Last name'),
    dateOfBirth: isoDate('Date of birth'),
    role: z
      .string({ error: 'Select how the adult is involved' })
      .min(1, 'Select how the adult is involved')
      .max(40),
    phone: trimmed(30, 'Phone number'),
    addressLine1: trimmed(200, 'Address line 1'),
    postcode: optionalIdentifier(postcodeSchema),
    notes: trimmed(2000, 'Notes about the adult'),
  })
  .superRefine((a, ctx) => {
    if (!a.personId && !a.givenName && !a.familyName)
      ctx.addIssue({
        code: 'custom',
        path: ['givenName'],
        message: 'Enter the adult’s first name or last name',
      });
  });

export const contactInputSchema = z
  .object({
    localAuthorityId: z.uuid({ message: 'Select the local authority' }),
    receivedAt: z.coerce
      .date({ message: 'Received at must be a date and time like 2026-11-24T10:30:00Z' })
      .optional(),
    channel: z.enum(CONTACT_CHANNELS, { message: 'Select how the contact was made' }),
    referralSource: z.enum(codeValues(REFERRAL_SOURCES), {
      message: 'Select the source of the contact from the census list',
    }),
    referrer: z
      .object({
        name: trimmed(200, 'Referrer’s name'),
        role: trimmed(200, 'Referrer’s role'),
        organisation: trimmed(200, 'Referrer’s organisation'),
        agencyId: z.uuid({ message: 'Select an agency from the list' }).optional(),
        phone: trimmed(30, 'Referrer’s phone number'),
        email: z.preprocess(
          (v) =>
            typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v,
          z
            .string()
            .max(320)
            .regex(
              /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
              'Enter the referrer’s email address in the correct format, like name@example.com',
            )
            .optional(),
        ),
      })
      .default({}),
    concernCategories: z
      .array(z.string().min(1).max(40))
      .min(1, 'Select at least one category of concern')
      .max(20),
    reason: z
      .string({ error: 'Describe what has happened and what you are worried about' })
      .trim()
      .min(1, 'Describe what has happened and what you are worried about')
      .max(20_000, 'The description must be 20,000 characters or fewer'),
    consent: z.enum(CONSENT_VALUES, { message: 'Select whether the family have given consent' }),
    consentRationale: trimmed(4000, 'The reason about consent'),
    urgency: z.enum(URGENCY_VALUES, { message: 'Select how urgent this is' }),
    children: z
      .array(childSchema, { error: 'Add at least one child' })
      .min(1, 'Add at least one child')
      .max(20, 'A contact can name up to 20 children'),
    adults: z.array(adultSchema).max(20, 'A contact can name up to 20 adults').optional(),
    externalReference: trimmed(100, 'External reference'),
  })
  .superRefine((v, ctx) => {
    // Runs even when other fields are wrong, so that every problem is reported at once.
    const consent = (CONSENT_VALUES as readonly unknown[]).includes(v.consent) ? v.consent : null;
    const rationale = typeof v.consentRationale === 'string' ? v.consentRationale : undefined;
    const problem = consent ? consentProblem(consent, rationale) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['consentRationale'], message: problem });
  }, EVEN_WITH_FIELD_ERRORS);

/** Every problem with a contact input, each with its path joined by dots ('children.0.familyName'). */
export function contactInputProblems(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

// -------------------------------------------------------------------------------------------------------
// The SPA's "Record a contact" form: flat field names (GOV.UK error links need an id per field), with rows of
// children (child1GivenName …) and adults (adult1Role …). Blank rows are ignored; there are always spare rows,
// and "Add more rows" shows more without JavaScript.

export const MAX_CHILD_ROWS = 10;
export const MAX_ADULT_ROWS = 10;
export const CHILD_ROW_FIELDS = [
  'GivenName',
  'FamilyName',
  'DateOfBirth',
  'Sex',
  'AddressLine1',
  'Postcode',
  'School',
] as const;
export const ADULT_ROW_FIELDS = ['GivenName', 'FamilyName', 'Role', 'DateOfBirth', 'Phone'] as const;

const rowHasValue = (body: Record<string, unknown>, prefix: string, fields: readonly string[]) =>
  fields.some((f) => {
    const keys =
      f === 'DateOfBirth'
        ? [`${prefix}${f}-day`, `${prefix}${f}-month`, `${prefix}${f}-year`]
        : [`${prefix}${f}`];
    return keys.some((k) => {
      const v = body[k];
      return typeof v === 'string'
        ? v.trim() !== ''
        : v !== undefined && v !== null && typeof v === 'object'
          ? Object.values(v).some((x) => typeof x === 'string' && x.trim() !== '')
          : false;
    });
  });

/** How many rows of children and adults to show: every row used plus two spare (one child row at least). */
export function rowsToShow(
  body: Record<string, unknown> | null | undefined,
  spare = 2,
): { children: number[]; adults: number[] } {
  const used = (prefix: string, fields: readonly string[], max: number) => {
    let last = 0;
    for (let i = 1; i <= max; i++) if (body && rowHasValue(body, `${prefix}${i}`, fields)) last = i;
    return last;
  };
  const children = Math.min(
    MAX_CHILD_ROWS,
    Math.max(2, used('child', CHILD_ROW_FIELDS, MAX_CHILD_ROWS) + spare),
  );
  const adults = Math.min(
    MAX_ADULT_ROWS,
    Math.max(2, used('adult', ADULT_ROW_FIELDS, MAX_ADULT_ROWS) + spare),
  );
  return {
    children: Array.from({ length: children }, (_, i) => i + 1),
    adults: Array.from({ length: adults }, (_, i) => i + 1),
  };
}

/** '9:30', '09:30', '14:30', '9.30am', '2pm' → 'HH:mm' (24-hour), or null. */
export function parseClockTime(input: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(input.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const half = m[3]?.toLowerCase();
  if (!m[2] && !half) return null;
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    if (half === 'am' && hour === 12) hour = 0;
    if (half === 'pm' && hour !== 12) hour += 12;
  } else if (hour > 23) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export interface RecordContactForm {
  action: 'save';
  localAuthorityId?: string | undefined;
  receivedOn?: string | undefined;
  receivedTime?: string | undefined;
  channel: (typeof STAFF_CHANNELS)[number];
  /** Left blank when a school or agency is chosen: createContact fills it from the agency's kind. */
  referralSource?: string | undefined;
  referrerName?: string | undefined;
  referrerRole?: string | undefined;
  referrerOrganisation?: string | undefined;
  referrerAgencyId?: string | undefined;
  referrerPhone?: string | undefined;
  referrerEmail?: string | undefined;
  concernCategories: string[];
  reason: string;
  consent: Consent;
  consentRationale?: string | undefined;
  urgency: Urgency;
  children: ContactChildInput[];
  adults: ContactAdultInput[];
}

export type RecordContactSubmission = RecordContactForm | { action: 'more-rows' };

const first = (v: unknown): string | undefined =>
  Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;

/** A list of codes from checkboxes (an unticked group sends nothing); createContact checks them against the reference set. */
const codeList = (required: string) =>
  z
    .preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().max(40, 'Select from the list')),
    )
    .superRefine((arr, ctx) => {
      if (arr.length === 0) ctx.addIssue({ code: 'custom', message: required });
    });
const codeField = (message: string) =>
  z.preprocess((v) => first(v)?.trim() || undefined, z.string().max(40, message).optional());

/** The form schema. Reference codes (categories, adults' roles) are checked against the database by createContact. */
export function recordContactForm(options: { today: string }) {
  const { today } = options;
  const shape: Record<string, z.ZodType<unknown>> = {
    localAuthorityId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select the local authority' }).optional(),
    ),
    receivedOn: govukDate({ label: 'Date received', when: 'past', today: () => today }),
    receivedTime: optionalText(20),
    channel: choice(STAFF_CHANNELS, 'Select how the contact was made'),
    referralSource: optionalChoice(codeValues(REFERRAL_SOURCES), 'Select the source from the list'),
    referrerName: optionalText(200, 'Name must be 200 characters or fewer'),
    referrerRole: optionalText(200, 'Role must be 200 characters or fewer'),
    referrerOrganisation: optionalText(200, 'Organisation must be 200 characters or fewer'),
    referrerAgencyId: z.preprocess(
      (v) => first(v) || undefined,
      z.uuid({ message: 'Select an agency from the list' }).optional(),
    ),
    referrerPhone: optionalText(30, 'Phone number must be 30 characters or fewer'),
    referrerEmail: z.preprocess(
      (v) => first(v)?.trim() || undefined,
      z
        .string()
        .max(320)
        .regex(
          /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
          'Enter an email address in the correct format, like name@example.com',
        )
        .optional(),
    ),
    concernCategories: codeList('Select at least one category of concern'),
    reason: requiredText(
      'Describe what has happened and what the referrer is worried about',
      20_000,
      'The description must be 20,000 characters or fewer',
    ),
    consent: choice(CONSENT_VALUES, 'Select whether the family have given consent'),
    consentRationale: optionalText(4000, 'The reason must be 4,000 characters or fewer'),
    urgency: choice(URGENCY_VALUES, 'Select how urgent this is'),
  };
  for (let i = 1; i <= MAX_CHILD_ROWS; i++) {
    shape[`child${i}GivenName`] = optionalText(
      100,
      `First name of child ${i} must be 100 characters or fewer`,
    );
    shape[`child${i}FamilyName`] = optionalText(
      100,
      `Last name of child ${i} must be 100 characters or fewer`,
    );
    shape[`child${i}DateOfBirth`] = govukDate({
      label: `Date of birth of child ${i}`,
      when: 'past',
      today: () => today,
    });
    shape[`child${i}Sex`] = optionalChoice(['M', 'F', 'U'] as const, `Select the sex of child ${i}`);
    shape[`child${i}AddressLine1`] = optionalText(
      200,
      `Address of child ${i} must be 200 characters or fewer`,
    );
    shape[`child${i}Postcode`] = z.preprocess(
      (v) => first(v)?.trim() || undefined,
      postcodeSchema.optional(),
    );
    shape[`child${i}School`] = optionalText(200, `School of child ${i} must be 200 characters or fewer`);
  }
  for (let i = 1; i <= MAX_ADULT_ROWS; i++) {
    shape[`adult${i}GivenName`] = optionalText(
      100,
      `First name of adult ${i} must be 100 characters or fewer`,
    );
    shape[`adult${i}FamilyName`] = optionalText(
      100,
      `Last name of adult ${i} must be 100 characters or fewer`,
    );
    shape[`adult${i}Role`] = codeField(`Select how adult ${i} is involved`);
    shape[`adult${i}DateOfBirth`] = govukDate({
      label: `Date of birth of adult ${i}`,
      when: 'past',
      today: () => today,
    });
    shape[`adult${i}Phone`] = optionalText(30, `Phone number of adult ${i} must be 30 characters or fewer`);
  }

  const full = z
    .object(shape)
    .superRefine((raw, ctx) => {
      const v = Object.fromEntries(
        Object.entries(raw ?? {}).map(([k, x]) => [
          k,
          typeof x === 'string' ? x : x === undefined ? undefined : String(x),
        ]),
      ) as Record<string, string | undefined>;
      if (v.receivedTime && !parseClockTime(v.receivedTime))
        ctx.addIssue({
          code: 'custom',
          path: ['receivedTime'],
          message: 'Enter the time received like 9:30am or 14:30',
        });
      if (!v.referralSource && !v.referrerAgencyId)
        ctx.addIssue({
          code: 'custom',
          path: ['referralSource'],
          message: 'Select the school or agency that made the contact, or who made it',
        });
      if (v.receivedTime && !v.receivedOn)
        ctx.addIssue({ code: 'custom', path: ['receivedOn'], message: 'Enter the date received' });
      const consent = v.consent as Consent | undefined;
      const problem = consent ? consentProblem(consent, v.consentRationale) : null;
      if (problem) ctx.addIssue({ code: 'custom', path: ['consentRationale'], message: problem });
      let children = 0;
      for (let i = 1; i <= MAX_CHILD_ROWS; i++) {
        const used = CHILD_ROW_FIELDS.some((f) => v[`child${i}${f}`] !== undefined);
        if (!used) continue;
        children++;
        if (!v[`child${i}GivenName`] && !v[`child${i}FamilyName`]) {
          ctx.addIssue({
            code: 'custom',
            path: [`child${i}GivenName`],
            message: `Enter the first name or last name of child ${i} (or “Unknown”)`,
          });
        }
      }
      if (children === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['child1GivenName'],
          message: 'Enter the name of at least one child',
        });
      for (let i = 1; i <= MAX_ADULT_ROWS; i++) {
        const used = ADULT_ROW_FIELDS.some((f) => v[`adult${i}${f}`] !== undefined);
        if (!used) continue;
        if (!v[`adult${i}GivenName`] && !v[`adult${i}FamilyName`]) {
          ctx.addIssue({
            code: 'custom',
            path: [`adult${i}GivenName`],
            message: `Enter the first name or last name of adult ${i}`,
          });
        }
        if (!v[`adult${i}Role`])
          ctx.addIssue({
            code: 'custom',
            path: [`adult${i}Role`],
            message: `Select how adult ${i} is involved`,
          });
      }
    }, EVEN_WITH_FIELD_ERRORS)
    .transform((raw): RecordContactForm => {
      const v = raw as Record<string, unknown>;
      const s = (k: string) => v[k] as string | undefined;
      const children: ContactChildInput[] = [];
      for (let i = 1; i <= MAX_CHILD_ROWS; i++) {
        if (!CHILD_ROW_FIELDS.some((f) => v[`child${i}${f}`] !== undefined)) continue;
        children.push({
          givenName: s(`child${i}GivenName`),
          familyName: s(`child${i}FamilyName`),
          dateOfBirth: s(`child${i}DateOfBirth`),
          sex: s(`child${i}Sex`) as ContactChildInput['sex'],
          addressLine1: s(`child${i}AddressLine1`),
          postcode: s(`child${i}Postcode`),
          school: s(`child${i}School`),
        });
      }
      const adults: ContactAdultInput[] = [];
      for (let i = 1; i <= MAX_ADULT_ROWS; i++) {
        if (!ADULT_ROW_FIELDS.some((f) => v[`adult${i}${f}`] !== undefined)) continue;
        adults.push({
          givenName: s(`adult${i}GivenName`),
          familyName: s(`adult${i}FamilyName`),
          role: s(`adult${i}Role`) ?? 'other',
          dateOfBirth: s(`adult${i}DateOfBirth`),
          phone: s(`adult${i}Phone`),
        });
      }
      return {
        action: 'save',
        localAuthorityId: s('localAuthorityId'),
        receivedOn: s('receivedOn'),
        receivedTime: s('receivedTime') ? (parseClockTime(s('receivedTime')!) ?? undefined) : undefined,
        channel: v.channel as RecordContactForm['channel'],
        referralSource: s('referralSource'),
        referrerName: s('referrerName'),
        referrerRole: s('referrerRole'),
        referrerOrganisation: s('referrerOrganisation'),
        referrerAgencyId: s('referrerAgencyId'),
        referrerPhone: s('referrerPhone'),
        referrerEmail: s('referrerEmail'),
        concernCategories: v.concernCategories as string[],
        reason: s('reason')!,
        consent: v.consent as Consent,
        consentRationale: s('consentRationale'),
        urgency: v.urgency as Urgency,
        children,
        adults,
      };
    });

  // "Add more rows" re-shows the form with more spare rows, checking nothing yet.
  return z.unknown().transform((body, ctx): RecordContactSubmission => {
    const b = (body ?? {}) as Record<string, unknown>;
    if (first(b.more)) return { action: 'more-rows' };
    const result = full.safeParse(b);
    if (!result.success) {
      for (const issue of result.error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return result.data;
  });
}
