import type { Answers } from '../../kernel/forms-as-data/answers.ts';
import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';

/**
 * Case audits (issue 20): quality reviews of casework. Pure rules: grades, programme kinds and criteria, the graded
 * areas of an audit tool (forms as data), and the programme's title.
 */

export const TEMPLATE_KEY = 'practice-audit';

export const GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  'requires-improvement': 'Requires improvement',
  inadequate: 'Inadequate',
};
export const isGrade = (v: unknown): v is Grade =>
  typeof v === 'string' && (GRADES as readonly string[]).includes(v);

export const PROGRAMME_KINDS = ['monthly-sample', 'thematic'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

export const CRITERIA = ['step-downs', 'long-cp-plans', 'repeat-contacts'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const CRITERION_LABELS: Record<Criterion, string> = {
  'step-downs': 'Every step-down to early help in the period',
  'long-cp-plans': 'Every child protection plan open for more than 18 months at the end of the period',
  'repeat-contacts': 'Every child with a repeat contact within 6 months, received in the period',
};
export const CP_PLAN_MONTHS = 18;
export const REPEAT_CONTACT_MONTHS = 6;
/** A thematic audit of more than this many children is refused: narrow the period. */
export const MAX_THEMATIC = 100;

export const AUDIT_STATUS_LABELS: Record<string, string> = {
  'not-started': 'Not started',
  draft: 'In progress',
  completed: 'Completed',
};

/** The areas of an audit tool that are graded: each section with a radios question `grade` using the four grades. */
export function gradedAreas(template: FormTemplate): { id: string; title: string }[] {
  return template.sections
    .filter((s) =>
      s.questions.some(
        (q) => q.id === 'grade' && q.kind === 'radios' && q.options.every((o) => isGrade(o.value)),
      ),
    )
    .map((s) => ({ id: s.id, title: s.title }));
}

/** Each graded area's grade in a set of answers (areas without a grade are left out). */
export function gradesOf(template: FormTemplate, answers: Answers): { area: string; grade: Grade }[] {
  const out: { area: string; grade: Grade }[] = [];
  for (const a of gradedAreas(template)) {
    const g = answers[a.id]?.grade;
    if (isGrade(g)) out.push({ area: a.id, grade: g });
  }
  return out;
}

const monthName = (iso: string) =>
  new Date(`${iso.slice(0, 7)}-01T12:00:00Z`).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

export function programmeTitle(
  input:
    | { kind: 'monthly-sample'; teamName: string; sampleMonth: string }
    | { kind: 'thematic'; criterion: Criterion; periodStart: string; periodEnd: string },
): string {
  if (input.kind === 'monthly-sample') return `${input.teamName}: ${monthName(input.sampleMonth)} sample`;
  const what: Record<Criterion, string> = {
    'step-downs': 'Step-downs to early help',
    'long-cp-plans': `Child protection plans over ${CP_PLAN_MONTHS} months`,
    'repeat-contacts': `Repeat contacts within ${REPEAT_CONTACT_MONTHS} months`,
  };
  return `${what[input.criterion]}, ${formatDateGovUk(input.periodStart)} to ${formatDateGovUk(input.periodEnd)}`;
}

/** The first and last day of a month given as 'YYYY-MM'. */
export function monthBounds(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(last).padStart(2, '0')}` };
}

/** The `count` months before the month of `today` and that month, newest first, as 'YYYY-MM'. */
export function recentMonths(today: string, count = 6): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}
export { monthName };

export const ACTION_LEVELS = ['worker', 'team', 'service'] as const;
export type ActionLevel = (typeof ACTION_LEVELS)[number];
export const ACTION_LEVEL_LABELS: Record<ActionLevel, string> = {
  worker: 'For the worker',
  team: 'For the team',
  service: 'For the service',
};

export const MODERATION_STATUS_LABELS: Record<string, string> = {
  pending: 'Waiting for moderation',
  completed: 'Moderated',
};
