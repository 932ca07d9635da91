import { z } from 'zod';
import { integer, recordVersion, requiredText } from '../../kernel/forms/fields.ts';

/** The forms of the allocation board and the caseload weighting settings, with GOV.UK messages. */

/** A number with at most one decimal place, between `min` and `max` (a weight, a level). */
export function oneDecimal(options: { label: string; min: number; max: number }) {
  return z
    .preprocess((v) => {
      const s = (Array.isArray(v) ? v[0] : v) as unknown;
      return typeof s === 'string' ? s.trim() : '';
    }, z.string())
    .superRefine((v, ctx) => {
      if (v === '')
        return void ctx.addIssue({ code: 'custom', message: `Enter ${options.label.toLowerCase()}` });
      if (!/^\d{1,3}(\.\d)?$/.test(v))
        return void ctx.addIssue({
          code: 'custom',
          message: `${options.label} must be a number with no more than 1 decimal place, like 1.5`,
        });
      const n = Number(v);
      if (n < options.min || n > options.max)
        ctx.addIssue({
          code: 'custom',
          message: `${options.label} must be between ${options.min} and ${options.max}`,
        });
    })
    .transform((v) => Number(v));
}

export const caseloadSettingsForm = z.object({
  childProtection: oneDecimal({ label: 'Weight for child protection', min: 0, max: 10 }),
  childInNeed: oneDecimal({ label: 'Weight for child in need', min: 0, max: 10 }),
  assessment: oneDecimal({ label: 'Weight for assessment', min: 0, max: 10 }),
  earlyHelp: oneDecimal({ label: 'Weight for early help', min: 0, max: 10 }),
  largeSiblingGroup: oneDecimal({ label: 'Extra weight for a large sibling group', min: 0, max: 10 }),
  largeSiblingGroupSize: integer({
    label: 'Size of a large sibling group',
    required: 'Enter the size of a large sibling group',
    min: 2,
    max: 20,
  }).transform((v) => v!),
  tooHigh: oneDecimal({ label: 'The level that is too high', min: 1, max: 999 }),
  version: recordVersion(0),
});
export type CaseloadSettingsForm = z.infer<typeof caseloadSettingsForm>;

export const boardAllocationForm = z.object({
  workerId: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v) || undefined,
    z.uuid({ message: 'Select the worker' }),
  ),
  reason: requiredText(
    'Enter the reason for the allocation',
    2_000,
    'The reason must be 2,000 characters or fewer',
  ),
  version: recordVersion(),
});
