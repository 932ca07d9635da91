import { z } from 'zod';
import { choice, govukDate, optionalText, requiredText, yesNo } from '../../kernel/forms/fields.ts';
import { OTHER_NAME_KINDS } from './family-changes.service.ts';
import { RELATIONSHIP_KINDS } from './person.ts';

/** Forms that change or end a relationship, a household membership or another name, with GOV.UK messages. */

const version = z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v),
  z.coerce.number({ message: 'Reload the page and try again' }).int(),
);

export function changeRelationshipForm(today: string) {
  return z.object({
    kind: choice(RELATIONSHIP_KINDS, 'Select how they are related'),
    fromDate: govukDate({ label: 'Date the relationship started', when: 'past', today: () => today }),
    parentalResponsibility: yesNo('Select yes if they have parental responsibility'),
    notes: optionalText(2_000, 'Notes must be 2,000 characters or fewer'),
    version,
  });
}

export function endRelationshipForm(today: string) {
  return z.object({
    endDate: govukDate({
      label: 'Date the relationship ended',
      required: true,
      when: 'past',
      today: () => today,
    }),
    reason: requiredText('Enter why the relationship ended', 500, 'Reason must be 500 characters or fewer'),
    version,
  });
}

export function endMembershipForm(today: string) {
  return z.object({
    endDate: govukDate({ label: 'Date they moved out', required: true, when: 'past', today: () => today }),
    reason: optionalText(500, 'Reason must be 500 characters or fewer'),
  });
}

export function changeNameForm(today: string) {
  return z
    .object({
      kind: choice(OTHER_NAME_KINDS, 'Select what kind of name this is'),
      givenName: requiredText('Enter the first name', 100, 'First name must be 100 characters or fewer'),
      familyName: requiredText('Enter the last name', 100, 'Last name must be 100 characters or fewer'),
      fromDate: govukDate({ label: 'Date they started using the name', when: 'past', today: () => today }),
      toDate: govukDate({ label: 'Date they stopped using the name', when: 'past', today: () => today }),
      version,
    })
    .superRefine((v, ctx) => {
      if (v.fromDate && v.toDate && v.toDate < v.fromDate)
        ctx.addIssue({
          code: 'custom',
          path: ['toDate'],
          message:
            'The date they stopped using the name must be the same as or after the date they started using it',
        });
    });
}
