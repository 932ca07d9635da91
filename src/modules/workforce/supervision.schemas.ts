import { z } from 'zod';
import {
  choice,
  EVEN_WITH_FIELD_ERRORS,
  govukDate,
  optionalText,
  requiredText,
} from '../../kernel/forms/fields.ts';
import { ACTION_FOLLOW_UPS, SUPERVISION_FREQUENCIES, type ActionFollowUp } from './supervision.ts';

/** The forms of case supervision and management oversight, with GOV.UK messages. */

export const ACTION_ROWS = [1, 2, 3] as const;

export function startSessionForm(today: string) {
  return z.object({
    superviseeId: z.preprocess(
      (v) => (Array.isArray(v) ? v[0] : v) || undefined,
      z.uuid({ message: 'Select who you supervised' }),
    ),
    heldOn: govukDate({ label: 'Date of the supervision', required: true, when: 'past', today: () => today }),
  });
}

const long = (label: string) => optionalText(5_000, `${label} must be 5,000 characters or fewer`);

function actionFields(today: string) {
  const shape: Record<string, z.ZodType> = {};
  for (const n of ACTION_ROWS) {
    shape[`action${n}Description`] = optionalText(500, 'The action must be 500 characters or fewer');
    shape[`action${n}Owner`] = optionalText(100, 'The owner must be 100 characters or fewer');
    shape[`action${n}Due`] = govukDate({ label: 'Due date', when: 'future', today: () => today });
  }
  return shape;
}

export interface ActionRow {
  description: string;
  owner: string;
  dueOn: string;
}

/**
 * Decision, rationale, actions (up to three, each with an owner and a due date) and an optional review date; with
 * `reflection`, the four reflective questions of a supervision discussion too.
 */
export function oversightForm(today: string, options: { reflection: boolean }) {
  return z
    .object({
      ...(options.reflection
        ? {
            worries: long('What we are worried about'),
            workingWell: long('What is working well'),
            childVoice: long('What the child would say'),
            hypotheses: long('Hypotheses'),
          }
        : {}),
      decision: requiredText('Enter the decision', 5_000, 'The decision must be 5,000 characters or fewer'),
      rationale: requiredText(
        'Enter the rationale for the decision',
        5_000,
        'The rationale must be 5,000 characters or fewer',
      ),
      reviewOn: govukDate({ label: 'Review date', when: 'future', today: () => today }),
      ...actionFields(today),
    })
    .superRefine((form, ctx) => {
      const f = form as Record<string, unknown>;
      for (const n of ACTION_ROWS) {
        const description = f[`action${n}Description`];
        const owner = f[`action${n}Owner`];
        const due = f[`action${n}Due`];
        if (!description && !owner && !due) continue;
        if (!description)
          ctx.addIssue({ code: 'custom', message: `Enter action ${n}`, path: [`action${n}Description`] });
        if (!owner)
          ctx.addIssue({ code: 'custom', message: `Enter who owns action ${n}`, path: [`action${n}Owner`] });
        if (!due)
          ctx.addIssue({
            code: 'custom',
            message: `Enter when action ${n} is due`,
            path: [`action${n}Due`, 'day'],
          });
      }
    }, EVEN_WITH_FIELD_ERRORS)
    .transform((form) => {
      const f = form as Record<string, string | undefined>;
      const actions: ActionRow[] = [];
      for (const n of ACTION_ROWS) {
        const description = f[`action${n}Description`];
        const owner = f[`action${n}Owner`];
        const dueOn = f[`action${n}Due`];
        if (description && owner && dueOn) actions.push({ description, owner, dueOn });
      }
      return {
        worries: f.worries,
        workingWell: f.workingWell,
        childVoice: f.childVoice,
        hypotheses: f.hypotheses,
        decision: f.decision as string,
        rationale: f.rationale as string,
        reviewOn: f.reviewOn,
        actions,
      };
    });
}
export type OversightForm = z.infer<ReturnType<typeof oversightForm>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Following up earlier actions: for each listed action the form carries `version-<id>`, the radios `outcome-<id>`
 * (done, carry forward or dropped) and `note-<id>` (required when the action is dropped). Every listed action needs
 * an answer.
 */
export const followUpForm = z
  .record(z.string(), z.unknown())
  .superRefine((body, ctx) => {
    for (const [key, value] of Object.entries(body)) {
      const m = /^version-(.+)$/.exec(key);
      if (!m) continue;
      const id = m[1]!;
      if (!UUID.test(id) || !/^\d{1,9}$/.test(String(value)))
        ctx.addIssue({ code: 'custom', message: 'Reload the page and try again', path: ['actions'] });
      else if (!(ACTION_FOLLOW_UPS as readonly unknown[]).includes(body[`outcome-${id}`]))
        ctx.addIssue({
          code: 'custom',
          message: 'Select whether the action is done, carried forward or dropped',
          path: [`outcome-${id}`],
        });
      const note = body[`note-${id}`];
      if (note !== undefined && typeof note !== 'string')
        ctx.addIssue({ code: 'custom', message: 'Reload the page and try again', path: [`note-${id}`] });
      else if ((note ?? '').length > 1_000)
        ctx.addIssue({
          code: 'custom',
          message: 'The note must be 1,000 characters or fewer',
          path: [`note-${id}`],
        });
      else if (body[`outcome-${id}`] === 'dropped' && !(note ?? '').trim())
        ctx.addIssue({ code: 'custom', message: 'Enter why the action is dropped', path: [`note-${id}`] });
    }
  })
  .transform((body) =>
    Object.keys(body)
      .map((k) => /^version-(.+)$/.exec(k)?.[1])
      .filter((id): id is string => !!id)
      .map((actionId) => ({
        actionId,
        version: Number(body[`version-${actionId}`]),
        outcome: body[`outcome-${actionId}`] as ActionFollowUp,
        note:
          (typeof body[`note-${actionId}`] === 'string' ? (body[`note-${actionId}`] as string).trim() : '') ||
          undefined,
      })),
  );

export const settingsForm = z.object({
  frequency: choice(SUPERVISION_FREQUENCIES, 'Select how often case supervision takes place'),
  /** Absent (an older form): the window stays as it is. */
  oversightWindow: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v),
    z
      .string()
      .trim()
      .regex(/^\d{1,2}$/, 'Enter a number of working days from 1 to 65')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 65, 'Enter a number of working days from 1 to 65')
      .optional(),
  ),
  version: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v),
    z.coerce.number({ message: 'Reload the page and try again' }).int().min(0),
  ),
});

const textList = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);

export function groupSessionForm(today: string) {
  return z
    .object({
      kind: choice(['group', 'reflective'] as const, 'Select the kind of session'),
      heldOn: govukDate({ label: 'Date of the session', required: true, when: 'past', today: () => today }),
      focus: optionalText(500, 'The focus must be 500 characters or fewer'),
      attendeeIds: z.preprocess(
        textList,
        z.array(z.uuid({ message: 'Select the workers who attended' })).max(200),
      ),
    })
    .superRefine((form, ctx) => {
      if (form.attendeeIds.length < 2)
        ctx.addIssue({
          code: 'custom',
          message: 'Select at least 2 workers who attended',
          path: ['attendeeIds'],
        });
    }, EVEN_WITH_FIELD_ERRORS);
}

const personalFields = {
  wellbeing: long('Wellbeing'),
  workload: long('Workload'),
  development: long('Development'),
  agreed: long('What was agreed'),
};

function somethingWritten(form: Record<string, unknown>, ctx: z.RefinementCtx) {
  if (!['wellbeing', 'workload', 'development', 'agreed'].some((k) => form[k]))
    ctx.addIssue({
      code: 'custom',
      message: 'Enter something about wellbeing, workload, development or what was agreed',
      path: ['wellbeing'],
    });
}

export function personalSupervisionForm(today: string) {
  return z
    .object({
      superviseeId: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v) || undefined,
        z.uuid({ message: 'Select who you supervised' }),
      ),
      heldOn: govukDate({
        label: 'Date of the supervision',
        required: true,
        when: 'past',
        today: () => today,
      }),
      ...personalFields,
    })
    .superRefine(somethingWritten, EVEN_WITH_FIELD_ERRORS);
}

export function personalSupervisionChangeForm(today: string) {
  return z
    .object({
      heldOn: govukDate({
        label: 'Date of the supervision',
        required: true,
        when: 'past',
        today: () => today,
      }),
      ...personalFields,
      version: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v),
        z.coerce.number({ message: 'Reload the page and try again' }).int().min(1),
      ),
    })
    .superRefine(somethingWritten, EVEN_WITH_FIELD_ERRORS);
}
