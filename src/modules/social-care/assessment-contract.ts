import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';

/**
 * What the social care module needs from a "child-and-family-assessment" template (forms as data: an authority may
 * publish its own versions, built on its practice model, but they must keep these ids, or the module cannot find
 * the worries and needs that plan goals are tied to, and the assessment loses the parts the issue requires):
 *
 *   worries.worries[]            repeating: statement (what everyone is worried about), type (danger, complicating)
 *   workingWell.strengths        what is working well
 *   needsToHappen.goals[]        repeating: goal (what needs to happen)
 *   scaling.worker               the worker's scaling judgement, 0–10
 *   child.childsViews            the child's views in their own words
 *   analysis.analysis            the worker's analysis
 *
 * The census factors identified at assessment (N00181) are not template questions: they are codes chosen when the
 * assessment is completed and confirmed at authorisation (assessment.service.ts), so every version records them.
 */

export const WORRIES = { section: 'worries', question: 'worries', field: 'statement' } as const;
export const NEEDS = { section: 'needsToHappen', question: 'goals', field: 'goal' } as const;
export const SCALING = { min: 0, max: 10 } as const;

const required: {
  section: string;
  question: string;
  kind: string;
  fields?: string[];
  scale?: { min: number; max: number };
}[] = [
  {
    section: WORRIES.section,
    question: WORRIES.question,
    kind: 'repeating',
    fields: [WORRIES.field, 'type'],
  },
  { section: 'workingWell', question: 'strengths', kind: 'textarea' },
  { section: NEEDS.section, question: NEEDS.question, kind: 'repeating', fields: [NEEDS.field] },
  { section: 'scaling', question: 'worker', kind: 'scale', scale: SCALING },
  { section: 'child', question: 'childsViews', kind: 'textarea' },
  { section: 'analysis', question: 'analysis', kind: 'textarea' },
];

/** What is missing from a template for the module to use it (empty when it fits). */
export function templateContractProblems(template: FormTemplate): string[] {
  const problems: string[] = [];
  for (const r of required) {
    const q = template.sections.find((s) => s.id === r.section)?.questions.find((x) => x.id === r.question);
    if (!q) {
      problems.push(`${r.section}.${r.question} is missing`);
      continue;
    }
    if (q.kind !== r.kind) problems.push(`${r.section}.${r.question} must be a ${r.kind} question`);
    if (q.kind === 'repeating' && r.fields) {
      for (const f of r.fields)
        if (!q.fields.some((x) => x.id === f)) problems.push(`${r.section}.${r.question} needs a field ${f}`);
    }
    if (q.kind === 'scale' && r.scale && (q.min !== r.scale.min || q.max !== r.scale.max))
      problems.push(`${r.section}.${r.question} must run from ${r.scale.min} to ${r.scale.max}`);
  }
  return problems;
}

/** The worries and needs in a set of answers, labelled for tying plan goals to them ("Worry: …", "Need: …"). */
export function worriesAndNeedsOf(answers: unknown): string[] {
  const a = (answers ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const items = (ref: { section: string; question: string; field: string }) =>
    (Array.isArray(a[ref.section]?.[ref.question])
      ? (a[ref.section]![ref.question] as Record<string, unknown>[])
      : []
    )
      .map((i) => (typeof i[ref.field] === 'string' ? (i[ref.field] as string).trim() : ''))
      .filter(Boolean);
  return [...items(WORRIES).map((w) => `Worry: ${w}`), ...items(NEEDS).map((g) => `Need: ${g}`)];
}
