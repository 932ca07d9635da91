import { z } from 'zod';
import { fieldName, type FormTemplate, type RepeatingQuestion, type SimpleQuestion } from './template.ts';
import { checkboxes, govukDate, integer, optionalChoice, optionalText, yesNo } from '../forms/fields.ts';

/**
 * Validates a form body against a template and turns it into structured answers
 * ({ sectionId: { questionId: value } }), with GOV.UK messages linked to the right field. In 'draft' mode
 * nothing is required (save and come back later) but what is typed must still make sense; 'complete' mode
 * applies the template's required questions.
 */

export type AnswerValue = string | number | boolean | string[] | undefined | Record<string, unknown>[];
export type Answers = Record<string, Record<string, AnswerValue>>;

export interface AnswerOptions {
  mode: 'draft' | 'complete';
  /** Today, 'YYYY-MM-DD', for dates that must be in the past or future. */
  today: string;
}

interface Problem {
  path: (string | number)[];
  message: string;
}

const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

function simpleSchema(
  q: SimpleQuestion,
  required: boolean,
  today: string,
  labelSuffix = '',
): z.ZodType<unknown> {
  const label = `${q.label}${labelSuffix}`;
  switch (q.kind) {
    case 'text':
    case 'textarea':
      return optionalText(
        q.maxLength,
        `${label} must be ${q.maxLength.toLocaleString('en-GB')} characters or fewer`,
      ).superRefine((v, ctx) => {
        if (required && v === undefined) ctx.addIssue({ code: 'custom', message: `Enter ${lower(label)}` });
      });
    case 'radios':
    case 'select': {
      const values = q.options.map((o) => o.value) as [string, ...string[]];
      return optionalChoice(values, `Select ${lower(label)}`).superRefine((v, ctx) => {
        if (required && v === undefined) ctx.addIssue({ code: 'custom', message: `Select ${lower(label)}` });
      });
    }
    case 'checkboxes': {
      const values = q.options.map((o) => o.value) as [string, ...string[]];
      return checkboxes(
        values,
        required ? { required: `Select at least one option for ${lower(label)}` } : {},
      ).superRefine((v, ctx) => {
        if (q.exclusive && v.includes(q.exclusive) && v.length > 1) {
          const option = q.options.find((o) => o.value === q.exclusive)!;
          ctx.addIssue({
            code: 'custom',
            message: `“${option.label}” cannot be selected with any other option`,
          });
        }
      });
    }
    case 'date':
      return govukDate({ label, required, ...(q.when ? { when: q.when } : {}), today: () => today });
    case 'scale':
      return integer({
        label,
        min: q.min,
        max: q.max,
        // "Score for this area" is asked as "Enter a score for this area", not "… a score for score for …".
        ...(required
          ? {
              required: /^score\b/i.test(label)
                ? `Enter a ${lower(label)}`
                : `Enter a score for ${lower(label)}`,
            }
          : {}),
      });
    case 'yes-no':
      if (required) return yesNo(`Select yes or no for ${lower(label)}`);
      return optionalChoice(['yes', 'no'] as const, `Select yes or no for ${lower(label)}`).transform((v) =>
        v === undefined ? undefined : v === 'yes',
      );
  }
}

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.every(isBlank);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(isBlank);
  return false;
}

function collect(schema: z.ZodType<unknown>, input: unknown, key: string, problems: Problem[]): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  problems.push({
    path: [key, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  });
  return undefined;
}

function parseRepeating(
  sectionId: string,
  q: RepeatingQuestion,
  body: Record<string, unknown>,
  options: AnswerOptions,
  problems: Problem[],
): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < q.maxItems; i++) {
    const raw: Record<string, unknown> = {};
    for (const f of q.fields) raw[f.id] = body[fieldName(sectionId, q.id, i, f.id)];
    if (isBlank(raw)) continue; // an empty row is not an item
    const item: Record<string, unknown> = {};
    const suffix = ` (${q.itemName} ${items.length + 1})`;
    for (const f of q.fields) {
      item[f.id] = collect(
        simpleSchema(f, options.mode === 'complete' && f.required, options.today, suffix),
        raw[f.id],
        fieldName(sectionId, q.id, i, f.id),
        problems,
      );
    }
    items.push(item);
  }
  if (options.mode === 'complete' && items.length < Math.max(q.minItems, q.required ? 1 : 0)) {
    problems.push({
      path: [fieldName(sectionId, q.id, 0, q.fields[0]!.id)],
      message:
        q.minItems > 1 ? `Add at least ${q.minItems} ${q.itemName}s` : `Add at least one ${q.itemName}`,
    });
  }
  return items;
}

export function parseTemplateAnswers(
  template: FormTemplate,
  body: Record<string, unknown>,
  options: AnswerOptions,
): { ok: true; answers: Answers } | { ok: false; problems: Problem[]; answers: Answers } {
  const problems: Problem[] = [];
  const answers: Answers = {};
  // A question asked in several sections ("Strengths") is named with its section in messages, so the error
  // summary says which one ("Enter strengths for health").
  const labelCounts = new Map<string, number>();
  for (const section of template.sections)
    for (const q of section.questions) labelCounts.set(q.label, (labelCounts.get(q.label) ?? 0) + 1);
  for (const section of template.sections) {
    const out: Record<string, AnswerValue> = {};
    for (const q of section.questions) {
      if (q.kind === 'repeating') {
        out[q.id] = parseRepeating(section.id, q, body, options, problems);
      } else {
        const key = fieldName(section.id, q.id);
        const suffix = (labelCounts.get(q.label) ?? 0) > 1 ? ` for ${lower(section.title)}` : '';
        out[q.id] = collect(
          simpleSchema(q, options.mode === 'complete' && q.required, options.today, suffix),
          body[key],
          key,
          problems,
        ) as AnswerValue;
      }
    }
    answers[section.id] = out;
  }
  return problems.length ? { ok: false, problems, answers } : { ok: true, answers };
}

/**
 * A Zod schema for definePage's `form`: the template's answers plus any other fields of the page. Issues point
 * at the template's own field names, so the error summary links to the right input.
 */
export function templateForm<T extends z.ZodRawShape>(
  template: FormTemplate,
  options: AnswerOptions | ((body: Record<string, unknown>) => AnswerOptions),
  extra: T = {} as T,
) {
  const extraSchema = z.object(extra);
  return z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const rest = extraSchema.safeParse(body);
    if (!rest.success)
      for (const issue of rest.error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    const opts = typeof options === 'function' ? options(body) : options;
    const parsed = parseTemplateAnswers(template, body, opts);
    if (!parsed.ok)
      for (const p of parsed.problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    return { ...(rest.success ? rest.data : ({} as z.infer<typeof extraSchema>)), answers: parsed.answers };
  });
}

/** Stored answers → form values (field names → strings), to prefill the form for editing. */
export function answersToValues(
  template: FormTemplate,
  answers: Answers | null | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (!answers) return values;
  const put = (key: string, q: SimpleQuestion, value: unknown) => {
    if (value === undefined || value === null) return;
    if (q.kind === 'date' && typeof value === 'string') {
      const [y, m, d] = value.split('-');
      values[`${key}-day`] = String(Number(d));
      values[`${key}-month`] = String(Number(m));
      values[`${key}-year`] = y;
    } else if (q.kind === 'yes-no' && typeof value === 'boolean') values[key] = value ? 'yes' : 'no';
    else if (q.kind === 'scale' && typeof value === 'number') values[key] = String(value);
    else values[key] = value;
  };
  for (const section of template.sections) {
    const s = answers[section.id] ?? {};
    for (const q of section.questions) {
      if (q.kind === 'repeating') {
        const items = Array.isArray(s[q.id]) ? (s[q.id] as Record<string, unknown>[]) : [];
        items.forEach((item, i) => {
          for (const f of q.fields) put(fieldName(section.id, q.id, i, f.id), f, item[f.id]);
        });
      } else put(fieldName(section.id, q.id), q, s[q.id]);
    }
  }
  return values;
}

/**
 * Each form field's name → the label the form shows for it (a repeating question's field: "Label (item 2)"), so a
 * page can name an answer as the user saw it (the conflict page lists what someone else changed by these).
 */
export function templateLabels(template: FormTemplate): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const section of template.sections) {
    for (const q of section.questions) {
      if (q.kind !== 'repeating') {
        labels[fieldName(section.id, q.id)] = q.label;
        continue;
      }
      for (let i = 0; i < q.maxItems; i++)
        for (const f of q.fields)
          labels[fieldName(section.id, q.id, i, f.id)] = `${f.label} (${q.itemName} ${i + 1})`;
    }
  }
  return labels;
}

export interface SummaryRow {
  key: string;
  value: string;
}

/** Answers as readable rows (labels, not codes), for summaries, check-your-answers pages and print. */
export function answersSummary(
  template: FormTemplate,
  answers: Answers | null | undefined,
): { title: string; rows: SummaryRow[] }[] {
  const show = (q: SimpleQuestion, v: unknown): string => {
    if (v === undefined || v === null || v === '') return 'Not answered';
    if ((q.kind === 'radios' || q.kind === 'select') && typeof v === 'string')
      return q.options.find((o) => o.value === v)?.label ?? v;
    if (q.kind === 'checkboxes' && Array.isArray(v))
      return v.length
        ? v.map((x) => q.options.find((o) => o.value === x)?.label ?? String(x)).join('; ')
        : 'None selected';
    if (q.kind === 'yes-no') return v === true ? 'Yes' : v === false ? 'No' : 'Not answered';
    if (q.kind === 'scale') return `${String(v)} out of ${q.max}`;
    if (q.kind === 'date' && typeof v === 'string') {
      const [y, m, d] = v.split('-').map(Number);
      return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
    }
    return String(v);
  };
  return template.sections.map((section) => {
    const s = answers?.[section.id] ?? {};
    const rows: SummaryRow[] = [];
    for (const q of section.questions) {
      if (q.kind === 'repeating') {
        const items = Array.isArray(s[q.id]) ? (s[q.id] as Record<string, unknown>[]) : [];
        if (!items.length) rows.push({ key: q.label, value: 'None recorded' });
        items.forEach((item, i) => {
          rows.push({
            key: `${q.itemName.charAt(0).toUpperCase()}${q.itemName.slice(1)} ${i + 1}`,
            value: q.fields.map((f) => `${f.label}: ${show(f, item[f.id])}`).join('\n'),
          });
        });
      } else rows.push({ key: q.label, value: show(q, s[q.id]) });
    }
    return { title: section.title, rows };
  });
}

/** Rows to render for a repeating question: every saved item plus blank ones to add more (no JavaScript needed). */
export function repeatingRows(
  q: RepeatingQuestion,
  values: Record<string, unknown>,
  sectionId: string,
  spare = 2,
): number[] {
  let used = 0;
  for (let i = 0; i < q.maxItems; i++) {
    if (
      q.fields.some(
        (f) =>
          !isBlank(values[fieldName(sectionId, q.id, i, f.id)]) ||
          !isBlank(values[`${fieldName(sectionId, q.id, i, f.id)}-day`]),
      )
    )
      used = i + 1;
  }
  const count = Math.min(q.maxItems, Math.max(q.minItems, used + spare, 1));
  return Array.from({ length: count }, (_, i) => i);
}

// ---------------------------------------------------------------------------------------------------------
// View model for the generic renderer (src/web/views/partials/form-template.njk): everything each GOV.UK
// macro needs, worked out here so the template stays a plain switch on `kind`.

export interface FieldView {
  kind: SimpleQuestion['kind'];
  name: string;
  label: string;
  hint?: string | undefined;
  required: boolean;
  value?: unknown;
  /** For radios, select and checkboxes: items with checked/selected set. */
  items?: {
    value: string;
    text: string;
    hint?: { text: string };
    checked?: boolean;
    selected?: boolean;
    behaviour?: string;
  }[];
  /** For dates: the three parts. */
  dateItems?: { name: string; classes: string; value: unknown }[];
  rows?: number;
  maxLength?: number;
  errorMessage: { text: string } | false;
  min?: number;
  max?: number;
  minLabel?: string | undefined;
  maxLabel?: string | undefined;
}

export interface QuestionView {
  kind: 'simple' | 'repeating';
  field?: FieldView;
  id?: string;
  label?: string;
  hint?: string | undefined;
  itemName?: string;
  items?: { index: number; legend: string; fields: FieldView[] }[];
}

function fieldView(
  q: SimpleQuestion,
  name: string,
  values: Record<string, unknown>,
  errors: Record<string, string>,
  label = q.label,
): FieldView {
  const chosen = values[name];
  const set = new Set(
    Array.isArray(chosen)
      ? chosen.map(String)
      : chosen === undefined || chosen === ''
        ? []
        : [String(chosen)],
  );
  const error = errors[name];
  const base: FieldView = {
    kind: q.kind,
    name,
    label,
    hint: q.hint,
    required: q.required,
    errorMessage: error ? { text: error } : false,
  };
  switch (q.kind) {
    case 'radios':
    case 'select':
    case 'checkboxes':
      return {
        ...base,
        items: q.options.map((o) => ({
          value: o.value,
          text: o.label,
          ...(o.hint ? { hint: { text: o.hint } } : {}),
          checked: set.has(o.value),
          selected: set.has(o.value),
          ...(q.kind === 'checkboxes' && q.exclusive === o.value ? { behaviour: 'exclusive' } : {}),
        })),
      };
    case 'yes-no':
      return {
        ...base,
        items: [
          { value: 'yes', text: 'Yes', checked: set.has('yes') },
          { value: 'no', text: 'No', checked: set.has('no') },
        ],
      };
    case 'date': {
      const cls = error ? ' govuk-input--error' : '';
      return {
        ...base,
        dateItems: [
          { name: 'day', classes: `govuk-input--width-2${cls}`, value: values[`${name}-day`] },
          { name: 'month', classes: `govuk-input--width-2${cls}`, value: values[`${name}-month`] },
          { name: 'year', classes: `govuk-input--width-4${cls}`, value: values[`${name}-year`] },
        ],
      };
    }
    case 'scale':
      return {
        ...base,
        value: chosen,
        min: q.min,
        max: q.max,
        minLabel: q.minLabel,
        maxLabel: q.maxLabel,
        items: Array.from({ length: q.max - q.min + 1 }, (_, i) => {
          const v = String(q.min + i);
          return { value: v, text: v, checked: set.has(v) };
        }),
      };
    case 'textarea':
      return { ...base, value: chosen, rows: q.rows, maxLength: q.maxLength };
    case 'text':
      return { ...base, value: chosen, maxLength: q.maxLength };
  }
}

export function templateView(
  template: FormTemplate,
  values: Record<string, unknown>,
  errors: { byField?: Record<string, string> } | undefined,
): { id: string; title: string; hint?: string | undefined; questions: QuestionView[] }[] {
  const byField = errors?.byField ?? {};
  return template.sections.map((section) => ({
    id: section.id,
    title: section.title,
    hint: section.hint,
    questions: section.questions.map((q): QuestionView => {
      if (q.kind !== 'repeating')
        return { kind: 'simple', field: fieldView(q, fieldName(section.id, q.id), values, byField) };
      const noun = `${q.itemName.charAt(0).toUpperCase()}${q.itemName.slice(1)}`;
      return {
        kind: 'repeating',
        id: fieldName(section.id, q.id),
        label: q.label,
        hint: q.hint,
        itemName: q.itemName,
        items: repeatingRows(q, values, section.id).map((i) => ({
          index: i,
          legend: `${noun} ${i + 1}`,
          fields: q.fields.map((f) => fieldView(f, fieldName(section.id, q.id, i, f.id), values, byField)),
        })),
      };
    }),
  }));
}
