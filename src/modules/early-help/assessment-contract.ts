import { fieldName, type FormTemplate } from '../../kernel/forms-as-data/template.ts';
import type { Answers } from '../../kernel/forms-as-data/answers.ts';
import {
  DOMAIN_KEYS,
  DOMAIN_SCORE,
  OUTCOME_HEADINGS,
  SCALE,
  type DomainKey,
  type OutcomeHeading,
} from './early-help.ts';

/**
 * What the early help module needs from an "early-help-assessment" template (forms as data: an authority may
 * publish its own versions, but they must keep these ids, or the module cannot find the risk analysis, the needs
 * and worries it links goals to, and the scores it measures distance travelled with):
 *
 *   riskAnalysis.worries[]        repeating: what, whoIsWorried, impact
 *   riskAnalysis.workingWell      riskAnalysis.complicatingFactors   riskAnalysis.needsToHappen
 *   riskAnalysis.workerScale      riskAnalysis.familyScale          (scales 0–10, recorded separately)
 *   <domain>.strengths  <domain>.needs[] (need, outcome)  <domain>.score (1–5)
 *      for <domain> in childDevelopment, parentingCapacity, familyEnvironment
 *   voices.childsWords  voices.parentsViews
 *
 * The risk analysis cannot be skipped: `riskAnalysisProblems` is checked by the service whatever the template
 * marks as required, and the database refuses a completed assessment without one.
 */

export const RISK = 'riskAnalysis';
export const VOICES = 'voices';

const required: { section: string; question: string; kind: string; fields?: string[] }[] = [
  { section: RISK, question: 'worries', kind: 'repeating', fields: ['what', 'whoIsWorried', 'impact'] },
  { section: RISK, question: 'workingWell', kind: 'textarea' },
  { section: RISK, question: 'complicatingFactors', kind: 'textarea' },
  { section: RISK, question: 'needsToHappen', kind: 'textarea' },
  { section: RISK, question: 'workerScale', kind: 'scale' },
  { section: RISK, question: 'familyScale', kind: 'scale' },
  { section: VOICES, question: 'childsWords', kind: 'textarea' },
  { section: VOICES, question: 'parentsViews', kind: 'textarea' },
  ...DOMAIN_KEYS.flatMap((d) => [
    { section: d, question: 'strengths', kind: 'textarea' },
    { section: d, question: 'needs', kind: 'repeating', fields: ['need', 'outcome'] },
    { section: d, question: 'score', kind: 'scale' },
  ]),
];

/** What is missing from a template for the module to use it (empty when it fits). */
export function templateContractProblems(template: FormTemplate): string[] {
  const problems: string[] = [];
  for (const r of required) {
    const section = template.sections.find((s) => s.id === r.section);
    const q = section?.questions.find((x) => x.id === r.question);
    if (!q) {
      problems.push(`${r.section}.${r.question} is missing`);
      continue;
    }
    if (q.kind !== r.kind) problems.push(`${r.section}.${r.question} must be a ${r.kind} question`);
    if (q.kind === 'repeating' && r.fields) {
      for (const f of r.fields)
        if (!q.fields.some((x) => x.id === f)) problems.push(`${r.section}.${r.question} needs a field ${f}`);
    }
    if (q.kind === 'scale') {
      const want = r.section === RISK ? SCALE : DOMAIN_SCORE;
      if (q.min !== want.min || q.max !== want.max)
        problems.push(`${r.section}.${r.question} must run from ${want.min} to ${want.max}`);
    }
  }
  return problems;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const items = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

export interface Worry {
  position: number;
  what: string | null;
  whoIsWorried: string | null;
  impact: string | null;
}
export interface Need {
  domain: DomainKey;
  position: number;
  need: string | null;
  outcome: OutcomeHeading | null;
}

export function worriesOf(answers: Answers | null | undefined): Worry[] {
  return items(answers?.[RISK]?.worries).map((w, i) => ({
    position: i + 1,
    what: text(w.what),
    whoIsWorried: text(w.whoIsWorried),
    impact: text(w.impact),
  }));
}

export function needsOf(answers: Answers | null | undefined): Need[] {
  return DOMAIN_KEYS.flatMap((domain) =>
    items(answers?.[domain]?.needs).map((n, i) => {
      const outcome = text(n.outcome);
      return {
        domain,
        position: i + 1,
        need: text(n.need),
        outcome:
          outcome && (OUTCOME_HEADINGS as string[]).includes(outcome) ? (outcome as OutcomeHeading) : null,
      };
    }),
  );
}

export function scalesOf(answers: Answers | null | undefined): {
  worker: number | null;
  family: number | null;
} {
  const worker = num(answers?.[RISK]?.workerScale);
  const family = num(answers?.[RISK]?.familyScale);
  const inScale = (n: number | null) => (n !== null && n >= SCALE.min && n <= SCALE.max ? n : null);
  return { worker: inScale(worker), family: inScale(family) };
}

export function domainScoresOf(answers: Answers | null | undefined): Partial<Record<DomainKey, number>> {
  const out: Partial<Record<DomainKey, number>> = {};
  for (const d of DOMAIN_KEYS) {
    const n = num(answers?.[d]?.score);
    if (n !== null && n >= DOMAIN_SCORE.min && n <= DOMAIN_SCORE.max) out[d] = n;
  }
  return out;
}

export interface Problem {
  field: string;
  message: string;
  href: string;
}

/**
 * Everything missing from the risk analysis, each pointing at its field. A risk analysis is complete when there is
 * at least one worry saying what, who is worried and the impact on the child if nothing changes; what is working
 * well; the complicating factors; what needs to happen; and both the worker's and the family's scaling.
 */
export function riskAnalysisProblems(answers: Answers | null | undefined): Problem[] {
  const problems: Problem[] = [];
  const at = (question: string, message: string, index?: number, fieldId?: string, suffix = '') => {
    const field = index === undefined ? fieldName(RISK, question) : fieldName(RISK, question, index, fieldId);
    problems.push({ field, message, href: `#${field}${suffix}` });
  };
  const worries = worriesOf(answers);
  if (!worries.length)
    at(
      'worries',
      'Risk analysis: add at least one worry (what we are worried about, who is worried, and the impact on the child if nothing changes)',
      0,
      'what',
    );
  worries.forEach((w, i) => {
    if (!w.what) at('worries', `Risk analysis: say what we are worried about (worry ${i + 1})`, i, 'what');
    if (!w.whoIsWorried)
      at('worries', `Risk analysis: say who is worried (worry ${i + 1})`, i, 'whoIsWorried');
    if (!w.impact)
      at(
        'worries',
        `Risk analysis: say what could happen to the child if nothing changes (worry ${i + 1})`,
        i,
        'impact',
      );
  });
  const r = answers?.[RISK] ?? {};
  if (!text(r.workingWell)) at('workingWell', 'Risk analysis: say what is working well');
  if (!text(r.complicatingFactors))
    at('complicatingFactors', 'Risk analysis: record the complicating factors, or write “None identified”');
  const scales = scalesOf(answers);
  if (scales.worker === null) at('workerScale', 'Risk analysis: give your scaling from 0 to 10');
  if (scales.family === null)
    at('familyScale', 'Risk analysis: record the family’s own scaling from 0 to 10');
  if (!text(r.needsToHappen)) at('needsToHappen', 'Risk analysis: say what needs to happen');
  return problems;
}

/** Needs written without saying what they are (a need with only an outcome chosen) cannot be linked to a goal. */
export function needProblems(answers: Answers | null | undefined): Problem[] {
  return needsOf(answers)
    .filter((n) => !n.need)
    .map((n) => {
      const field = fieldName(n.domain, 'needs', n.position - 1, 'need');
      return { field, message: `Say what need ${n.position} is, or clear it`, href: `#${field}` };
    });
}
