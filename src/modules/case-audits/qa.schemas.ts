import { z } from 'zod';
import { choice, govukDate, recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { ACTION_LEVELS } from './case-audit.ts';

/** Assigning an audit's auditor or moderator. */
export const assignForm = z.object({
  which: choice(['auditor', 'moderator'] as const, 'Select what you are assigning'),
  userId: z.preprocess((v) => (Array.isArray(v) ? v[0] : v) || undefined, z.uuid({ message: 'Select who' })),
  version: recordVersion(),
});

/** An action from an audit. */
export const actionForm = (today: string) =>
  z.object({
    level: choice(ACTION_LEVELS, 'Select who the action is for'),
    description: requiredText('Enter the action', 2000, 'The action must be 2,000 characters or fewer'),
    ownerId: z.preprocess(
      (v) => (Array.isArray(v) ? v[0] : v) || undefined,
      z.uuid({ message: 'Select who owns the action' }),
    ),
    dueOn: govukDate({ label: 'Due date', required: true, when: 'future', today: () => today }),
  });

export const actionDoneForm = z.object({
  note: requiredText('Enter what was done', 5000, 'The note must be 5,000 characters or fewer'),
  version: recordVersion(),
});

export const learningForm = z.object({
  summary: requiredText(
    'Enter the learning summary',
    20_000,
    'The summary must be 20,000 characters or fewer',
  ),
  version: recordVersion(),
});
