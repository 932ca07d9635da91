import { z } from 'zod';
import {
  ASSESSMENT_FACTORS,
  CIN_CLOSURE_REASONS,
  codeValues,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
} from '../../kernel/code-sets/cin-census.ts';
import { isIsoDate } from '../../kernel/time/index.ts';
import {
  checkbox,
  checkboxes,
  choice,
  govukDate,
  integer,
  optionalChoice,
  optionalText,
  requiredText,
  yesNo,
  recordVersion,
} from '../../kernel/forms/fields.ts';
import { CONFIRM_FIELD, QUERY_FIELD } from './census-queries.ts';
import { rawRows } from './pages-common.ts';
import {
  ASSESSMENT_OUTCOMES,
  CIN_END_REASONS,
  CIN_REVIEW_DECISIONS,
  CP_END_REASONS,
  GOAL_RATINGS,
  ICPC_OUTCOMES,
  multiAgencyProblem,
  type PlanMeeting,
  REVIEW_OUTCOMES,
  S47_OUTCOMES,
  STRATEGY_DECISIONS,
} from './social-care.ts';

/**
 * Form schemas for the social care pages, with GOV.UK error messages. Dates of things that happened must be today
 * or earlier. Repeated rows (who took part, goals, actions) are named `<group>__<i>__<field>`; empty rows are
 * ignored; a row with something typed needs its required fields.
 */

const past = (label: string, today: string, required = true) =>
  govukDate({ label, required, when: 'past', today: () => today });
const explanation = {
  [QUERY_FIELD]: optionalText(5000, 'The explanation must be 5,000 characters or fewer'),
};
/** The tick that confirms census queries about the child's details are right, with an optional note. */
const confirmation = { [CONFIRM_FIELD]: checkbox(), ...explanation };
/** The version of the record the form edits, as the page was shown: missing is a field error, stale a 409. */
const version = { version: recordVersion() };
/** Any list of strings (checkbox values whose options come from the database). */
const stringList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(100)).max(100),
);

/** The agencies present at a plan meeting (checkboxes from the agencies table): at least one besides children's social care. */
const agenciesPresent = (meeting: PlanMeeting) =>
  stringList.superRefine((list, ctx) => {
    const problem = multiAgencyProblem(meeting, list);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const SOURCES = codeValues(REFERRAL_SOURCES);
const NEEDS = codeValues(PRIMARY_NEED_CODES);
const FACTORS = codeValues(ASSESSMENT_FACTORS);
const CLOSURE_REASONS = codeValues(CIN_CLOSURE_REASONS);

// Episode ----------------------------------------------------------------------------------------------------------

export const allocateForm = (today: string) =>
  z.object({
    teamId: requiredText('Choose the team'),
    workerId: requiredText('Choose the social worker'),
    startedOn: past('Date of allocation', today),
    reason: optionalText(2000),
    // The episode's version when the page was shown: a stale page is a 409, a missing version a field error.
    version: recordVersion(),
  });

export const detailsForm = z.object({
  referralSource: choice(SOURCES, 'Select the source of the referral'),
  primaryNeedCode: optionalChoice(NEEDS, 'Select a primary need code from the list'),
  referralNfa: yesNo('Select yes if the referral led to no further action'),
  ...explanation,
  ...version,
});

export const transferInForm = (today: string) =>
  z.object({
    referralDate: past('Date the case transferred in', today),
    fromAuthority: requiredText('Enter the authority the child moved from', 200),
    fromLaCode: requiredText('Enter the authority’s three-digit DfE code', 3).refine(
      (v) => /^\d{3}$/.test(v),
      'The authority code is three digits, for example 886',
    ),
    referralSource: choice(SOURCES, 'Select the source of the referral'),
    primaryNeedCode: optionalChoice(NEEDS, 'Select a primary need code from the list'),
    teamId: requiredText('Choose the team'),
    notes: optionalText(5000),
    ...confirmation,
  });

// Assessment -------------------------------------------------------------------------------------------------------

export const startAssessmentForm = (today: string) =>
  z.object({ startDate: past('Start date', today), ...explanation });

/** The assessment's own questions are checked against its template version in submit(). */
export const assessmentAnswersForm = z.record(z.string(), z.unknown());

export const childSeenForm = (today: string) =>
  z.object({
    seenOn: past('Date the child was seen', today),
    seenAlone: yesNo('Select yes if the child was seen alone'),
    notes: optionalText(2000),
  });

export const completeAssessmentForm = (today: string) =>
  z.object({
    completedOn: past('Date completed', today),
    outcome: choice(ASSESSMENT_OUTCOMES, 'Select the outcome of the assessment'),
    outcomeReason: requiredText('Explain the outcome', 5000),
    primaryNeedCode: optionalChoice(NEEDS, 'Select a primary need code from the list'),
    proposedFactors: checkboxes(FACTORS, { invalid: 'Select factors from the census list' }),
    lateReason: optionalText(5000),
    ...explanation,
    ...version,
  });

export const authoriseAssessmentForm = (today: string) =>
  z
    .object({
      decision: choice(['authorise', 'return'] as const, 'Select whether you authorise the assessment'),
      authorisedOn: past('Date authorised', today, false),
      oversight: requiredText(
        'Record your management oversight: what you considered and why you agree (or not)',
        10_000,
      ),
      factors: checkboxes(FACTORS, { invalid: 'Select factors from the census list' }),
      lateReason: optionalText(5000),
      ...explanation,
      ...version,
    })
    .superRefine((v, ctx) => {
      if (v.decision === 'authorise' && !v.authorisedOn)
        ctx.addIssue({
          code: 'custom',
          path: ['authorisedOn', 'day'],
          message: 'Enter the date you authorised the assessment',
        });
    });

// Rows -------------------------------------------------------------------------------------------------------------

export const PARTICIPANT_ROWS = 8;

interface RowIssue {
  path: string[];
  message: string;
}

function participants(
  body: Record<string, unknown>,
  prefix: string,
  withAttendance: boolean,
): {
  rows: { name: string; agencyId: string | null; role?: string; attended: boolean }[];
  issues: RowIssue[];
} {
  const issues: RowIssue[] = [];
  const rows = rawRows(
    body,
    prefix,
    PARTICIPANT_ROWS,
    withAttendance
      ? (['name', 'agencyId', 'role', 'absent'] as const)
      : (['name', 'agencyId', 'role', 'absent'] as const).slice(0, 3),
  ).map(({ index, values }) => {
    if (!values.name)
      issues.push({ path: [`${prefix}__${index}__name`], message: `Enter the name of person ${index + 1}` });
    if (values.name.length > 200)
      issues.push({ path: [`${prefix}__${index}__name`], message: 'Names must be 200 characters or fewer' });
    return {
      name: values.name,
      agencyId: values.agencyId && values.agencyId !== 'social-care' ? values.agencyId : null,
      ...(values.role ? { role: values.role.slice(0, 200) } : {}),
      attended: (values as Record<string, string>).absent !== 'yes',
    };
  });
  if (!rows.length)
    issues.push({
      path: [`${prefix}__0__name`],
      message: prefix === 'participants' ? 'Add who took part' : 'Add who attended',
    });
  return { rows, issues };
}

const withRows = <S extends z.ZodRawShape, R>(
  shape: S,
  rows: (body: Record<string, unknown>) => { value: R; issues: RowIssue[] },
) =>
  z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const base = z.object(shape).safeParse(body);
    if (!base.success)
      for (const i of base.error.issues)
        ctx.addIssue({ code: 'custom', path: i.path.map(String), message: i.message });
    const r = rows(body);
    for (const i of r.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    return { ...(base.success ? base.data : ({} as z.infer<z.ZodObject<S>>)), rows: r.value };
  });

/** A date from a row (a `{ day, month, year }` gathered from `<name>-day` …), with an issue when not real. */
function rowDateValue(
  value: unknown,
  field: string,
  label: string,
  issues: RowIssue[],
  required: boolean,
): string | undefined {
  const parts = value && typeof value === 'object' ? (value as Record<string, string>) : {};
  const d = (parts.day ?? '').trim();
  const m = (parts.month ?? '').trim();
  const y = (parts.year ?? '').trim();
  if (!d && !m && !y) {
    if (required) issues.push({ path: [field, 'day'], message: `Enter ${label.toLowerCase()}` });
    return undefined;
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (!/^\d{4}$/.test(y) || !isIsoDate(iso)) {
    issues.push({ path: [field, 'day'], message: `${label} must be a real date` });
    return undefined;
  }
  return iso;
}

// Child protection -------------------------------------------------------------------------------------------------

export const strategyDiscussionForm = (today: string) =>
  withRows(
    {
      heldOn: past('Date of the strategy discussion', today),
      informationShared: requiredText('Enter the information shared', 20_000),
      decision: choice(STRATEGY_DECISIONS, 'Select what was decided'),
      rationale: requiredText('Explain the decision', 10_000),
    },
    (body) => {
      const p = participants(body, 'participants', false);
      return { value: p.rows, issues: p.issues };
    },
  );

export const startSection47Form = (today: string) =>
  z.object({ startDate: past('Start date of the enquiry', today), ...explanation });

export const section47OutcomeForm = (today: string) =>
  z.object({
    outcomeOn: past('Date of the outcome', today),
    outcome: choice(S47_OUTCOMES, 'Select the outcome of the enquiry'),
    notes: requiredText('Summarise the findings of the enquiry', 20_000),
    ...version,
  });

export const initialConferenceForm = (today: string) =>
  withRows(
    {
      section47Id: optionalText(40),
      heldOn: past('Date of the conference', today),
      chair: requiredText('Enter the name of the chair', 200),
      quorumNote: optionalText(5000),
      outcome: choice(ICPC_OUTCOMES, 'Select the conference’s decision'),
      category: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(10).optional()),
      decisions: requiredText('Record the decisions and recommendations', 20_000),
      ...explanation,
    },
    (body) => {
      const p = participants(body, 'attendees', true);
      return { value: p.rows, issues: p.issues };
    },
  );

export const cpPlanForm = (today: string) =>
  withRows(
    {
      startDate: past('Start date of the plan', today),
      initialCategory: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(10)),
      planSummary: requiredText('Summarise the plan: what must change to keep the child safe', 20_000),
      ...explanation,
    },
    goalRows,
  );

export const coreGroupForm = (today: string) =>
  withRows(
    {
      heldOn: past('Date of the core group', today),
      agencies: agenciesPresent('core-group'),
      attendees: requiredText('Enter the names of who attended', 5000),
      childSeen: yesNo('Select yes if the child was seen'),
      progress: requiredText('Record the progress against the plan', 20_000),
      scaling: integer({ label: 'The scaling score', min: 0, max: 10 }),
      actionsDone: stringList,
    },
    goalProgress,
  );

export const reviewConferenceForm = (today: string) =>
  withRows(
    {
      heldOn: past('Date of the review conference', today),
      chair: requiredText('Enter the name of the chair', 200),
      quorumNote: optionalText(5000),
      outcome: choice(REVIEW_OUTCOMES, 'Select the conference’s decision'),
      latestCategory: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(10)),
      decisions: requiredText('Record the decisions and recommendations', 20_000),
      actionsDone: stringList,
      ...explanation,
      ...version,
    },
    (body) => {
      const p = participants(body, 'attendees', true);
      const g = goalProgress(body);
      return { value: { attendees: p.rows, goalProgress: g.value }, issues: [...p.issues, ...g.issues] };
    },
  );

export const endCpPlanForm = (today: string) =>
  z.object({
    endDate: past('End date of the plan', today),
    reason: choice(CP_END_REASONS, 'Select why the plan ended'),
    notes: requiredText('Explain the decision', 10_000),
    ...explanation,
    ...version,
  });

// Child in need plans ---------------------------------------------------------------------------------------------

export const GOAL_ROWS = 6;

/** A plan's goals from the form's rows (`goals__<i>__<field>`): child in need and child protection plans alike. */
function goalRows(body: Record<string, unknown>) {
  const issues: RowIssue[] = [];
  const goals = rawRows(body, 'goals', GOAL_ROWS, ['worry', 'goal', 'measure', 'responsible']).map(
    ({ index, values }) => {
      const f = (name: string) => `goals__${index}__${name}`;
      if (!values.worry)
        issues.push({
          path: [f('worry')],
          message: `Goal ${index + 1}: choose the worry or need it addresses`,
        });
      if (!values.goal)
        issues.push({ path: [f('goal')], message: `Goal ${index + 1}: say what will change` });
      if (!values.measure)
        issues.push({
          path: [f('measure')],
          message: `Goal ${index + 1}: say how everyone will know it has happened`,
        });
      if (!values.responsible)
        issues.push({ path: [f('responsible')], message: `Goal ${index + 1}: say who is responsible` });
      const targetDate = rowDateValue(
        body[f('targetDate')],
        f('targetDate'),
        `Goal ${index + 1} target date`,
        issues,
        true,
      );
      return {
        worry: values.worry,
        goal: values.goal,
        measure: values.measure,
        responsible: values.responsible,
        targetDate: targetDate ?? '',
      };
    },
  );
  if (!goals.length) issues.push({ path: ['goals__0__worry'], message: 'Add at least one goal' });
  return { value: goals, issues };
}

export const cinPlanForm = (today: string) =>
  withRows(
    {
      startDate: past('Start date of the plan', today),
      familySummary: requiredText('Write the plan for the family in plain language', 20_000),
      ...explanation,
    },
    goalRows,
  );

export const GOAL_ACTION_ROWS = 3;

/**
 * One more goal for an open plan, child in need and child protection alike (one form, social-care/views/_plan-goal.njk):
 * the goal, its actions (`actions__<i>__action|responsible|dueOn`, blank rows ignored) and the plan's version when
 * the page was shown.
 */
export const planGoalForm = (today: string) =>
  withRows(
    {
      worry: requiredText('Choose the worry or need from the assessment this goal addresses', 2000),
      goal: requiredText('Say what will change', 5000),
      measure: requiredText('Say how everyone will know it has happened', 5000),
      responsible: requiredText('Say who is responsible', 500),
      targetDate: govukDate({ label: 'Target date', required: true, when: 'future', today: () => today }),
      ...version,
    },
    (body) => actionRows(body, GOAL_ACTION_ROWS),
  );

/** One more action for a goal already on a plan (social-care/views/goal-action-new.njk), with the plan's version. */
export const goalActionForm = (today: string) =>
  z.object({
    action: requiredText('Say what will be done', 2000),
    responsible: requiredText('Say who will do it', 500),
    dueOn: govukDate({ label: 'The date it is due', required: false, when: 'future', today: () => today }),
    ...version,
  });

export const cinReviewForm = (today: string) =>
  z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const base = z
      .object({
        heldOn: past('Date of the review', today),
        agencies: agenciesPresent('cin-review'),
        attendees: requiredText('Enter the names of who attended', 5000),
        childsViews: requiredText('Record the child’s views', 10_000),
        familyViews: requiredText('Record the family’s views', 10_000),
        summary: requiredText('Summarise the review', 20_000),
        decision: choice(CIN_REVIEW_DECISIONS, 'Select what the review decided'),
        actionsDone: stringList,
        ...version,
      })
      .safeParse(body);
    if (!base.success)
      for (const i of base.error.issues)
        ctx.addIssue({ code: 'custom', path: i.path.map(String), message: i.message });
    const progress = goalProgress(body);
    for (const i of progress.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    return { ...(base.success ? base.data : ({} as never)), progress: progress.value };
  });

/** Progress on each goal at a meeting (`rating__<goalId>`, `notes__<goalId>`): CIN reviews, core groups, conferences. */
function goalProgress(body: Record<string, unknown>) {
  const issues: RowIssue[] = [];
  const progress = Object.keys(body)
    .filter((k) => k.startsWith('rating__'))
    .map((k) => {
      const goalId = k.slice('rating__'.length);
      const rating = String(body[k] ?? '');
      const notes =
        typeof body[`notes__${goalId}`] === 'string' ? String(body[`notes__${goalId}`]).trim() : '';
      return { goalId, rating, notes };
    })
    .filter((p) => p.rating !== '');
  for (const p of progress)
    if (!(GOAL_RATINGS as readonly string[]).includes(p.rating))
      issues.push({ path: [`rating__${p.goalId}`], message: 'Select the progress from the list' });
  return {
    value: progress.map((p) => ({
      goalId: p.goalId,
      rating: p.rating as (typeof GOAL_RATINGS)[number],
      ...(p.notes ? { notes: p.notes.slice(0, 5000) } : {}),
    })),
    issues,
  };
}

export const endCinPlanForm = (today: string) =>
  z.object({
    endDate: past('End date of the plan', today),
    reason: choice(CIN_END_REASONS, 'Select why the plan ended'),
    notes: requiredText('Explain why the plan ended', 10_000),
    ...explanation,
    ...version,
  });

// Visits and direct work ------------------------------------------------------------------------------------------

export const visitForm = (today: string) =>
  z
    .object({
      visitedOn: past('Date of the visit', today),
      childSeen: yesNo('Select yes if the child was seen'),
      seenAlone: optionalChoice(['yes', 'no'] as const, 'Select yes or no'),
      bedroomSeen: optionalChoice(['yes', 'no'] as const, 'Select yes or no'),
      reasonNotSeen: optionalText(2000),
      childsWords: optionalText(10_000, 'What the child said must be 10,000 characters or fewer'),
      notes: requiredText('Record what happened on the visit', 20_000),
    })
    .superRefine((v, ctx) => {
      if (v.childSeen && !v.seenAlone)
        ctx.addIssue({
          code: 'custom',
          path: ['seenAlone'],
          message: 'Select yes if the child was seen alone',
        });
      if (v.childSeen && !v.bedroomSeen)
        ctx.addIssue({
          code: 'custom',
          path: ['bedroomSeen'],
          message: 'Select yes if the child’s bedroom was seen',
        });
      if (!v.childSeen && !v.reasonNotSeen)
        ctx.addIssue({ code: 'custom', path: ['reasonNotSeen'], message: 'Say why the child was not seen' });
    });

export const ACTION_ROWS = 4;

export const directWorkForm = (today: string) =>
  withRows(
    {
      heldOn: past('Date of the session', today),
      tool: requiredText('Select the tool used'),
      childsWords: requiredText('Record what the child said, in their own words', 10_000),
      communication: optionalText(5000),
      summary: requiredText('Summarise the session and what you learned', 20_000),
    },
    (body) => actionRows(body, ACTION_ROWS),
  );

/** Action rows (`actions__<i>__action|responsible|dueOn`): what will be done, who by, and by when (optional). */
function actionRows(body: Record<string, unknown>, max: number) {
  const issues: RowIssue[] = [];
  const actions = rawRows(body, 'actions', max, ['action', 'responsible']).map(({ index, values }) => {
    const f = (name: string) => `actions__${index}__${name}`;
    if (!values.action)
      issues.push({ path: [f('action')], message: `Action ${index + 1}: say what will be done` });
    if (!values.responsible)
      issues.push({ path: [f('responsible')], message: `Action ${index + 1}: say who will do it` });
    const dueOn = rowDateValue(body[f('dueOn')], f('dueOn'), `Action ${index + 1} due date`, issues, false);
    return { action: values.action, responsible: values.responsible, ...(dueOn ? { dueOn } : {}) };
  });
  return { value: actions, issues };
}

// Moving on -------------------------------------------------------------------------------------------------------

export const closeForm = (today: string) =>
  z.object({
    closureDate: past('Closure date', today),
    reason: choice(CLOSURE_REASONS, 'Select the reason for closure (rule 8805)'),
    notes: requiredText('Record why the case is closing', 10_000),
    ...explanation,
    ...version,
  });

export const transferOutForm = (today: string) =>
  z.object({
    transferDate: past('Date of transfer', today),
    toAuthority: requiredText('Enter the authority the child has moved to', 200),
    toLaCode: requiredText('Enter the authority’s three-digit DfE code', 3).refine(
      (v) => /^\d{3}$/.test(v),
      'The authority code is three digits, for example 886',
    ),
    notes: requiredText('Record what was handed over', 10_000),
    ...explanation,
    ...version,
  });

export const stepDownForm = (today: string) =>
  withRows(
    {
      handoverHeldOn: past('Date of the handover meeting', today),
      closureDate: past('Closure date', today),
      proposedLeadPractitionerId: requiredText('Choose who will lead the early help'),
      planSummary: requiredText('Summarise the plan handed over to early help', 20_000),
      handoverNotes: optionalText(10_000),
      familyPreference: optionalText(2000),
      consentGiven: yesNo('Select yes if the family agreed to early help'),
      siblingIds: stringList,
      ...explanation,
      ...version,
    },
    (body) => {
      const issues: RowIssue[] = [];
      const rows = rawRows(body, 'attendees', PARTICIPANT_ROWS, ['name', 'role']).map(({ index, values }) => {
        if (!values.name)
          issues.push({
            path: [`attendees__${index}__name`],
            message: `Enter the name of person ${index + 1}`,
          });
        return { name: values.name, ...(values.role ? { role: values.role } : {}) };
      });
      if (!rows.length)
        issues.push({ path: ['attendees__0__name'], message: 'Record who attended the handover meeting' });
      return { value: rows, issues };
    },
  );
