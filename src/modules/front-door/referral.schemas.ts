import { z } from 'zod';
import { postcodeSchema } from '../../kernel/identifiers/index.ts';
import {
  choice,
  govukDate,
  optionalText,
  requiredText,
  yesNo,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import { CONSENT_VALUES, URGENCY_VALUES } from './contact.ts';

/**
 * The forms of the partner referral's question pages, one question per page, with GOV.UK error messages.
 * Reference codes (concern categories, adults' roles) and the local authority are checked against the database
 * by the pages and again by createContact when the referral is sent.
 */

const first = (v: unknown): string | undefined =>
  Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;

const optionalPostcode = z.preprocess((v) => first(v)?.trim() || undefined, postcodeSchema.optional());

export const localAuthorityForm = z.object({
  localAuthorityId: z.preprocess(
    (v) => first(v) || undefined,
    z.uuid({ message: 'Select the local authority where the child lives' }),
  ),
});

export function childForm(options: { today: string }) {
  const { today } = options;
  return z
    .object({
      givenName: optionalText(100, 'First name must be 100 characters or fewer'),
      familyName: optionalText(100, 'Last name must be 100 characters or fewer'),
      born: choice(['yes', 'no', 'not-known'] as const, 'Select whether the child has been born'),
      dateOfBirth: govukDate({ label: 'Date of birth', when: 'past', today: () => today }),
      expectedDateOfBirth: govukDate({ label: 'Expected date of birth', when: 'future', today: () => today }),
      addressLine1: optionalText(200, 'Address must be 200 characters or fewer'),
      town: optionalText(100, 'Town or city must be 100 characters or fewer'),
      postcode: optionalPostcode,
      school: optionalText(200, 'School or nursery must be 200 characters or fewer'),
    })
    .superRefine((c, ctx) => {
      if (!c.givenName && !c.familyName)
        ctx.addIssue({
          code: 'custom',
          path: ['givenName'],
          message: 'Enter the child’s first name or last name, or “Unknown”',
        });
      if (c.born === 'yes' && !c.dateOfBirth)
        ctx.addIssue({
          code: 'custom',
          path: ['dateOfBirth', 'day'],
          message: 'Enter the child’s date of birth',
        });
      if (c.born === 'no' && !c.expectedDateOfBirth)
        ctx.addIssue({
          code: 'custom',
          path: ['expectedDateOfBirth', 'day'],
          message: 'Enter the expected date of birth',
        });
    }, EVEN_WITH_FIELD_ERRORS);
}
export type ChildForm = z.output<ReturnType<typeof childForm>>;

export function adultForm(options: { today: string }) {
  const { today } = options;
  return z
    .object({
      givenName: optionalText(100, 'First name must be 100 characters or fewer'),
      familyName: optionalText(100, 'Last name must be 100 characters or fewer'),
      role: requiredText('Select how the adult is involved', 40, 'Select how the adult is involved'),
      dateOfBirth: govukDate({ label: 'Date of birth', when: 'past', today: () => today }),
      phone: optionalText(30, 'Phone number must be 30 characters or fewer'),
      addressLine1: optionalText(200, 'Address must be 200 characters or fewer'),
      postcode: optionalPostcode,
    })
    .superRefine((a, ctx) => {
      if (!a.givenName && !a.familyName)
        ctx.addIssue({
          code: 'custom',
          path: ['givenName'],
          message: 'Enter the adult’s first name or last name',
        });
    }, EVEN_WITH_FIELD_ERRORS);
}
export type AdultForm = z.output<ReturnType<typeof adultForm>>;

export const addAnotherChildForm = z.object({
  addAnother: yesNo('Select yes if you need to add another child'),
});
export const addAdultForm = z.object({
  addAnother: yesNo('Select yes if you need to add an adult'),
});
export const removeForm = z.object({
  confirm: yesNo('Select yes if you want to remove them'),
});

export const concernsForm = z.object({
  concernCategories: z
    .preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().max(40, 'Select from the list')),
    )
    .superRefine((arr, ctx) => {
      if (arr.length === 0) ctx.addIssue({ code: 'custom', message: 'Select what the concern is about' });
    }),
});

export const whatHappenedForm = z.object({
  reason: requiredText(
    'Describe what has happened and what you are worried about',
    20_000,
    'The description must be 20,000 characters or fewer',
  ),
});

export const urgencyForm = z.object({
  urgency: choice(URGENCY_VALUES, 'Select how urgent this is'),
});

export const consentForm = z
  .object({
    consent: choice(CONSENT_VALUES, 'Select whether the family have agreed to this referral'),
    notGivenRationale: optionalText(4000, 'The reason must be 4,000 characters or fewer'),
    dispensedRationale: optionalText(4000, 'The reason must be 4,000 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.consent === 'not-given' && !v.notGivenRationale)
      ctx.addIssue({
        code: 'custom',
        path: ['notGivenRationale'],
        message: 'Explain why you are making this referral without the family’s consent',
      });
    if (v.consent === 'dispensed' && !v.dispensedRationale)
      ctx.addIssue({
        code: 'custom',
        path: ['dispensedRationale'],
        message: 'Explain why you did not ask the family for consent',
      });
  }, EVEN_WITH_FIELD_ERRORS);

export const aboutYouForm = z.object({
  name: requiredText('Enter your name', 200, 'Your name must be 200 characters or fewer'),
  role: requiredText('Enter your job title or role', 200, 'Your job title must be 200 characters or fewer'),
  phone: requiredText(
    'Enter a phone number the front door can call you on',
    30,
    'Phone number must be 30 characters or fewer',
  ),
  email: z.preprocess(
    (v) => first(v)?.trim() || undefined,
    z
      .string({ error: 'Enter your email address' })
      .max(320, 'Email address must be 320 characters or fewer')
      .regex(
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
        'Enter an email address in the correct format, like name@example.com',
      ),
  ),
});

export const emptyForm = z.object({});

export const deleteDraftForm = z.object({
  confirm: yesNo('Select yes if you want to delete this draft referral'),
});
