import { z } from 'zod';
import { choice, govukDate, integer, optionalChoice } from '../../kernel/forms/fields.ts';
import { CRITERIA, PROGRAMME_KINDS } from './case-audit.ts';

/** The form to start an audit programme, with GOV.UK messages; what it needs depends on the kind. */
export function programmeForm(today: string, months: readonly string[]) {
  return z
    .object({
      kind: choice(PROGRAMME_KINDS, 'Select the kind of audit'),
      teamId: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v) || undefined,
        z.uuid().optional().catch(undefined),
      ),
      month: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v) || undefined,
        z
          .string()
          .optional()
          .refine((v) => v === undefined || months.includes(v), 'Select a month'),
      ),
      sampleSize: integer({ label: 'Number of children', min: 1, max: 50 }),
      moderationPercent: integer({ label: 'Share of audits to moderate', min: 0, max: 100 }),
      criterion: optionalChoice(CRITERIA, 'Select what the audit looks at'),
      periodStart: govukDate({ label: 'Start of the period', when: 'past', today: () => today }),
      periodEnd: govukDate({ label: 'End of the period', when: 'past', today: () => today }),
      dueOn: govukDate({
        label: 'Date the audits are due',
        required: true,
        when: 'future',
        today: () => today,
      }),
    })
    .superRefine((f, ctx) => {
      const need = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
      if (f.kind === 'monthly-sample') {
        if (!f.teamId) need(['teamId'], 'Select a team');
        if (!f.month) need(['month'], 'Select the month to sample');
        if (f.sampleSize === undefined) need(['sampleSize'], 'Enter the number of children to sample');
      }
      if (f.kind === 'thematic') {
        if (!f.criterion) need(['criterion'], 'Select what the audit looks at');
        if (!f.periodStart) need(['periodStart', 'day'], 'Enter the start of the period');
        if (!f.periodEnd) need(['periodEnd', 'day'], 'Enter the end of the period');
      }
    });
}
export type ProgrammeForm = z.infer<ReturnType<typeof programmeForm>>;
