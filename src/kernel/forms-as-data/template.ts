import { z } from 'zod';

/**
 * Forms as data (docs/architecture.md, "Forms as data"): assessment, plan, review and case-audit templates are versioned data, checked by
 * this schema, rendered by one generic renderer into GOV.UK components (src/web/views/partials/form-template.njk)
 * and validated by a Zod schema built from the template (src/kernel/forms-as-data/answers.ts). Answers keep the template version they
 * were written against, so an authority changes its questions without a release and old answers still read.
 */

const id = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'ids are camelCase letters and digits, starting with a letter');
const text = z.string().min(1).max(500);

export const optionSchema = z.object({
  value: z.string().min(1).max(60),
  label: text,
  hint: text.optional(),
});

const common = {
  id,
  label: text,
  hint: z.string().max(1000).optional(),
  required: z.boolean().default(false),
};

export const simpleQuestionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), ...common, maxLength: z.number().int().min(1).max(2000).default(500) }),
  z.object({
    kind: z.literal('textarea'),
    ...common,
    maxLength: z.number().int().min(1).max(50_000).default(20_000),
    rows: z.number().int().min(2).max(20).default(5),
  }),
  z.object({ kind: z.literal('radios'), ...common, options: z.array(optionSchema).min(2).max(40) }),
  z.object({ kind: z.literal('select'), ...common, options: z.array(optionSchema).min(2).max(400) }),
  z.object({
    kind: z.literal('checkboxes'),
    ...common,
    options: z.array(optionSchema).min(1).max(60),
    /** An option that cannot be combined with any other (e.g. "No factors identified"). */
    exclusive: z.string().optional(),
  }),
  z.object({ kind: z.literal('date'), ...common, when: z.enum(['past', 'future']).optional() }),
  z.object({
    kind: z.literal('scale'),
    ...common,
    min: z.number().int().min(-10).max(10).default(0),
    max: z.number().int().min(1).max(100).default(10),
    minLabel: text.optional(),
    maxLabel: text.optional(),
  }),
  z.object({ kind: z.literal('yes-no'), ...common }),
]);

export const questionSchema = z.union([
  simpleQuestionSchema,
  z.object({
    kind: z.literal('repeating'),
    ...common,
    /** What one item is called ("worry", "goal"), for labels like "Worry 2". */
    itemName: z.string().min(1).max(60),
    minItems: z.number().int().min(0).max(50).default(0),
    maxItems: z.number().int().min(1).max(50).default(10),
    fields: z.array(simpleQuestionSchema).min(1).max(12),
  }),
]);

export const sectionSchema = z.object({
  id,
  title: text,
  hint: z.string().max(2000).optional(),
  questions: z.array(questionSchema).min(1).max(60),
});

export const formTemplateSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/),
    version: z.number().int().min(1),
    title: text,
    description: z.string().max(4000).optional(),
    sections: z.array(sectionSchema).min(1).max(40),
  })
  .superRefine((t, ctx) => {
    const sections = new Set<string>();
    for (const [si, s] of t.sections.entries()) {
      if (sections.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['sections', si, 'id'],
          message: `duplicate section id ${s.id}`,
        });
      sections.add(s.id);
      const questions = new Set<string>();
      for (const [qi, q] of s.questions.entries()) {
        if (questions.has(q.id))
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'questions', qi, 'id'],
            message: `duplicate question id ${q.id}`,
          });
        questions.add(q.id);
        if (
          'options' in q &&
          q.kind === 'checkboxes' &&
          q.exclusive &&
          !q.options.some((o) => o.value === q.exclusive)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'questions', qi, 'exclusive'],
            message: 'exclusive must be one of the options',
          });
        }
        if (q.kind === 'scale' && q.min >= q.max) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'questions', qi],
            message: 'min must be below max',
          });
        }
        if (q.kind === 'repeating') {
          const fields = new Set<string>();
          for (const f of q.fields) {
            if (fields.has(f.id))
              ctx.addIssue({
                code: 'custom',
                path: ['sections', si, 'questions', qi],
                message: `duplicate field id ${f.id}`,
              });
            fields.add(f.id);
          }
          if (q.minItems > q.maxItems)
            ctx.addIssue({
              code: 'custom',
              path: ['sections', si, 'questions', qi],
              message: 'minItems above maxItems',
            });
        }
      }
    }
  });

export type FormTemplate = z.infer<typeof formTemplateSchema>;
export type TemplateSection = z.infer<typeof sectionSchema>;
export type TemplateQuestion = z.infer<typeof questionSchema>;
export type SimpleQuestion = z.infer<typeof simpleQuestionSchema>;
export type RepeatingQuestion = Extract<TemplateQuestion, { kind: 'repeating' }>;

/** Parses and checks a template (e.g. one an authority uploads); throws a ZodError naming what is wrong. */
export function parseFormTemplate(input: unknown): FormTemplate {
  return formTemplateSchema.parse(input);
}

/** The form field name of a question (and of a repeating item's field). */
export function fieldName(sectionId: string, questionId: string, index?: number, fieldId?: string): string {
  return index === undefined
    ? `${sectionId}__${questionId}`
    : `${sectionId}__${questionId}__${index}__${fieldId}`;
}
