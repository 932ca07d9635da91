import { z } from 'zod';
import { choice, govukDate, optionalText, recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { oneDecimal } from './caseload.schemas.ts';
import { ASYE_POINTS, ASYE_STATUSES, CONTRACT_TYPES } from './worker-profile.ts';

/** The forms of worker profiles, ASYE reviews and training records, with GOV.UK messages. */

const uuidOrNothing = (message: string) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, z.uuid({ message }).optional());

export function workerProfileForm(today: string) {
  return z.object({
    contractType: choice(CONTRACT_TYPES, 'Select the contract'),
    fte: oneDecimal({ label: 'FTE', min: 0.1, max: 1 }),
    startedOn: govukDate({ label: 'Start date', when: 'past', today: () => today }),
    leftOn: govukDate({ label: 'Leaving date' }),
    leavingReason: optionalText(500, 'The reason for leaving must be 500 characters or fewer'),
    sweRegistrationNumber: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v) || undefined,
      z
        .string()
        .regex(/^SW\d{1,7}$/, { message: 'Enter a Social Work England registration number, like SW123456' })
        .optional(),
    ),
    sweRenewalOn: govukDate({ label: 'Registration renewal date' }),
    asyeStatus: choice(ASYE_STATUSES, 'Select the ASYE status'),
    asyeAssessorId: uuidOrNothing('Choose the assessor from the list'),
    asyeStartedOn: govukDate({ label: 'ASYE start date' }),
    asyeOutcomeOn: govukDate({ label: 'ASYE outcome date', when: 'past', today: () => today }),
    version: recordVersion(0),
  });
}

export function asyeReviewForm(today: string) {
  return z.object({
    point: choice(ASYE_POINTS, 'Select the review point'),
    heldOn: govukDate({ label: 'Date of the review', required: true, when: 'past', today: () => today }),
    progress: requiredText('Enter the progress made', 5_000, 'Progress must be 5,000 characters or fewer'),
    recommendation: optionalText(2_000, 'The recommendation must be 2,000 characters or fewer'),
  });
}

export function trainingForm(today: string) {
  return z.object({
    title: requiredText(
      'Enter the training or development',
      200,
      'The title must be 200 characters or fewer',
    ),
    provider: optionalText(200, 'The provider must be 200 characters or fewer'),
    completedOn: govukDate({ label: 'Date completed', required: true, when: 'past', today: () => today }),
    learned: requiredText(
      'Enter what was learned',
      5_000,
      'What was learned must be 5,000 characters or fewer',
    ),
    applied: optionalText(5_000, 'How it was applied must be 5,000 characters or fewer'),
  });
}
