import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError, NotFoundError, ConflictError } from '../../kernel/errors.ts';
import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';
import type { Answers } from '../../kernel/forms-as-data/answers.ts';
import { parseTemplateAnswers, answersToValues } from '../../kernel/forms-as-data/answers.ts';
import { worriesAndNeedsOf } from './assessment-contract.ts';
import { currentTemplate, templateById } from '../form-templates/index.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import {
  factorCodesValid,
  rule1103,
  rule8608,
  rule8610,
  rule8614,
  rule8650,
  rule8831,
  rule8863Q,
  rule8869,
  rule8896,
  rule8897Q,
  rule8898,
  rule8945Q,
  rule8950Q,
  type Violation,
} from './census-rules.ts';
import { loadEpisodeSnapshot, type AssessmentRow, type EpisodeRow } from './episode.repository.ts';
import {
  assertOpen,
  auditPart,
  checkVersion,
  chronologyPart,
  recordEpisodeChange,
  requireEpisode,
} from './episode.service.ts';
import { ASSESSMENT_OUTCOME_LABELS, assessmentDue, type AssessmentOutcome } from './social-care.ts';
import { censusYearQuery } from './census-rules.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  type ServiceContext,
  type ReadContext,
  requireUpdated,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * The child and family assessment: started on a CIN episode, written against the current version of the
 * "child-and-family-assessment" template (answers keep that version), due 45 working days from the referral. The
 * worker records when the child was seen (and seen alone), then completes it: the outcome, the factors they
 * propose for the census and, when it is late, the reason. A manager authorises it with their recorded oversight
 * and the confirmed census factors (rules 8608, 8614, 8869, 8898, 8897Q, 8945Q, 8950Q), or returns it.
 */

export const ASSESSMENT_TEMPLATE_KEY = 'child-and-family-assessment';

export async function requireAssessment(ctx: ReadContext, assessmentId: string, level: 'read' | 'write') {
  const { db: trx } = ctx;
  const assessment = await trx
    .selectFrom('cinAssessments')
    .selectAll()
    .where('id', '=', assessmentId)
    .executeTakeFirst();
  if (!assessment) throw new NotFoundError();
  const episode = await requireEpisode(ctx, assessment.episodeId, level);
  return { assessment, episode };
}

/** The names of who created, completed and authorised an assessment (the user must be able to read it). */
export async function assessmentPeople(ctx: ReadContext, assessmentId: string) {
  requirePermission(ctx.user, 'social-care:read');
  const { assessment } = await requireAssessment(ctx, assessmentId, 'read');
  return ctx.db
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where(
      'id',
      'in',
      [assessment.completedBy, assessment.authorisedBy, assessment.createdBy]
        .filter((x): x is string => !!x)
        .concat(['00000000-0000-0000-0000-000000000000']),
    )
    .execute();
}

export async function assessmentTemplate(trx: Trx, assessment: AssessmentRow): Promise<FormTemplate> {
  return (await templateById(trx, assessment.templateId)).template;
}

// Start ----------------------------------------------------------------------------------------------------------

export async function startAssessment(
  ctx: ServiceContext,
  input: { episodeId: string; startDate: string; queryExplanation?: string | undefined },
): Promise<string> {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'startDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const others = s.assessments.map((a) => ({ start: a.startDate, end: a.authorisedOn }));
  const queries = enforce(
    [
      rule8831(episode.referralNfa, 'assessment', 'startDate'),
      rule1103(input.startDate, episode.referralDate),
      rule8896(s.assessments.filter((a) => a.status !== 'authorised').length),
      rule8863Q(input.startDate, others),
      censusYearQuery('8736', input.startDate, isoDateOf(now), 'assessment’s start date', 'startDate'),
    ],
    input.queryExplanation,
  );
  const template = await currentTemplate(trx, ASSESSMENT_TEMPLATE_KEY);
  const row = await trx
    .insertInto('cinAssessments')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      templateId: template.id,
      answers: JSON.stringify({}),
      startDate: input.startDate,
      dueDate: assessmentDue(calendar, episode.referralDate),
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-assessment', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'cin-assessment', id: row.id, childId: episode.childId },
    {
      action: 'cin-assessment.started',
      details: { episodeId: episode.id, templateVersion: template.version },
      on: input.startDate,
      category: 'assessment',
      title: 'Child and family assessment started',
      summary: `Due by ${assessmentDue(calendar, episode.referralDate)} (45 working days from the referral).`,
    },
  );
  return row.id;
}

// Answers (draft) ------------------------------------------------------------------------------------------------

export async function saveAssessmentAnswers(
  ctx: ServiceContext,
  /** The version the form was read at: required, and checked in the UPDATE (security probe M3). */
  input: { assessmentId: string; answers: Answers; version: number },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { assessment, episode } = await requireAssessment(ctx, input.assessmentId, 'write');
  checkVersion(assessment.version, input.version);
  if (assessment.status !== 'in-progress')
    throw new BusinessRuleError('form', 'This assessment has been completed: it can no longer be changed');
  assertOpen(episode);
  // Of two saves from one version, one wins and the other is refused: the version is checked in the UPDATE itself.
  const saved = await trx
    .updateTable('cinAssessments')
    .set({ answers: JSON.stringify(input.answers), updatedAt: now, version: sql`version + 1` })
    .where('id', '=', assessment.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(saved.numUpdatedRows) !== 1) throw new ConflictError();
  await recordChange(ctx, {
    audit: auditPart('cin-assessment.saved', {
      type: 'cin-assessment',
      id: assessment.id,
      childId: episode.childId,
    }),
  });
}

// Child seen -----------------------------------------------------------------------------------------------------

export async function recordChildSeen(
  ctx: ServiceContext,
  input: { assessmentId: string; seenOn: string; seenAlone: boolean; notes?: string | undefined },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { assessment, episode } = await requireAssessment(ctx, input.assessmentId, 'write');
  if (assessment.status === 'authorised')
    throw new BusinessRuleError('seenOn', 'This assessment has been authorised');
  if (input.seenOn < episode.referralDate)
    throw new BusinessRuleError('seenOn', 'The date the child was seen cannot be before the referral');
  const row = await trx
    .insertInto('cinAssessmentChildSeen')
    .values({
      assessmentId: assessment.id,
      seenOn: input.seenOn,
      seenAlone: input.seenAlone,
      notes: input.notes ?? null,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEpisodeChange(
    ctx,
    { type: 'cin-assessment', id: assessment.id, childId: episode.childId },
    {
      action: 'cin-assessment.child-seen-recorded',
      details: { seenOn: input.seenOn, seenAlone: input.seenAlone, rowId: row.id },
      on: input.seenOn,
      category: 'visit',
      title: `Seen for the assessment${input.seenAlone ? ', seen alone' : ''}`,
      summary: input.notes ?? null,
    },
  );
}

export async function childSeenFor(trx: Trx, assessmentId: string) {
  return trx
    .selectFrom('cinAssessmentChildSeen')
    .select(['id', 'seenOn', 'seenAlone', 'notes'])
    .where('assessmentId', '=', assessmentId)
    .orderBy('seenOn')
    .execute();
}

// Complete -------------------------------------------------------------------------------------------------------

export function factorViolations(factors: readonly string[]): (Violation | null)[] {
  return [
    factorCodesValid(factors),
    rule8869(factors),
    rule8898(factors),
    rule8897Q(factors),
    rule8945Q(factors),
    rule8950Q(factors),
  ];
}

/** The template's required questions, checked in 'complete' mode, as a practice rule on the completion form. */
function unfinishedSections(template: FormTemplate, answers: Answers, today: string): string[] {
  const result = parseTemplateAnswers(template, answersToValues(template, answers), {
    mode: 'complete',
    today,
  });
  if (result.ok) return [];
  const sections = new Set(result.problems.map((p) => String(p.path[0]).split('__')[0]));
  return template.sections.filter((s) => sections.has(s.id)).map((s) => s.title);
}

export interface CompleteAssessmentInput {
  assessmentId: string;
  completedOn: string;
  outcome: AssessmentOutcome;
  outcomeReason: string;
  primaryNeedCode: string | null;
  proposedFactors: string[];
  lateReason?: string | undefined;
  queryExplanation?: string | undefined;
  today: string;
  /** The assessment's version the form was shown with (pages require it; internal callers may leave it out). */
  version?: number | undefined;
}

export async function completeAssessment(ctx: ServiceContext, input: CompleteAssessmentInput): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { assessment, episode } = await requireAssessment(ctx, input.assessmentId, 'write');
  checkVersion(assessment.version, input.version);
  if (assessment.status !== 'in-progress')
    throw new BusinessRuleError('completedOn', 'This assessment has already been completed');
  assertOpen(episode, 'completedOn');
  const template = await assessmentTemplate(trx, assessment);
  const unfinished = unfinishedSections(template, (assessment.answers ?? {}) as Answers, input.today);
  const seen = await childSeenFor(trx, assessment.id);
  const late = input.completedOn > assessment.dueDate;
  const queries = enforce(
    [
      unfinished.length
        ? practiceError(
            'completedOn',
            `Finish the assessment first: ${unfinished.join(', ')} still need answers`,
          )
        : null,
      seen.length
        ? null
        : practiceError('completedOn', 'Record when the child was seen before completing the assessment'),
      input.completedOn < assessment.startDate
        ? practiceError('completedOn', 'The assessment cannot be completed before it started')
        : null,
      late && !input.lateReason
        ? practiceError(
            'lateReason',
            `The assessment is late (it was due by ${assessment.dueDate}, 45 working days from the referral): give the reason`,
          )
        : null,
      rule8650(input.primaryNeedCode),
      rule8610(input.outcome === 'no-further-action', input.primaryNeedCode),
      ...factorViolations(input.proposedFactors),
    ],
    input.queryExplanation,
  );
  requireUpdated(
    await trx
      .updateTable('cinAssessments')
      .set({
        status: 'awaiting-authorisation',
        completedOn: input.completedOn,
        completedBy: user.id,
        outcome: input.outcome,
        outcomeReason: input.outcomeReason,
        proposedFactors: input.proposedFactors,
        lateReason: late ? (input.lateReason ?? null) : null,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', assessment.id)
      .where('version', '=', input.version ?? assessment.version)
      .where('status', '=', 'in-progress')
      .executeTakeFirst(),
  );
  if (input.primaryNeedCode !== episode.primaryNeedCode) {
    await trx
      .updateTable('cinEpisodes')
      .set({ primaryNeedCode: input.primaryNeedCode, updatedAt: now, version: sql`version + 1` })
      .where('id', '=', episode.id)
      .execute();
  }
  await recordQueryExplanations(
    ctx,
    {
      childId: episode.childId,
      episodeId: episode.id,
      subjectType: 'cin-assessment',
      subjectId: assessment.id,
    },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'cin-assessment', id: assessment.id, childId: episode.childId },
    {
      action: 'cin-assessment.completed',
      details: { outcome: input.outcome, late, factors: input.proposedFactors.join(' ') },
      on: input.completedOn,
      category: 'assessment',
      title: `Child and family assessment completed: ${ASSESSMENT_OUTCOME_LABELS[input.outcome]}`,
      summary: late ? `Completed late. Reason: ${input.lateReason}` : input.outcomeReason,
      significant: true,
    },
  );
}

// Authorise ------------------------------------------------------------------------------------------------------

export interface AuthoriseAssessmentInput {
  assessmentId: string;
  decision: 'authorise' | 'return';
  authorisedOn?: string | undefined;
  oversight: string;
  factors: string[];
  lateReason?: string | undefined;
  queryExplanation?: string | undefined;
  /** The assessment's version the form was shown with (pages require it; internal callers may leave it out). */
  version?: number | undefined;
}

export async function authoriseAssessment(
  ctx: ServiceContext,
  input: AuthoriseAssessmentInput,
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:authorise');
  const { assessment, episode } = await requireAssessment(ctx, input.assessmentId, 'write');
  checkVersion(assessment.version, input.version);
  if (assessment.status !== 'awaiting-authorisation')
    throw new BusinessRuleError('decision', 'This assessment is not awaiting authorisation');
  if (input.decision === 'return') {
    requireUpdated(
      await trx
        .updateTable('cinAssessments')
        .set({ status: 'in-progress', updatedAt: now, version: sql`version + 1` })
        .where('id', '=', assessment.id)
        .where('version', '=', input.version ?? assessment.version)
        .where('status', '=', 'awaiting-authorisation')
        .executeTakeFirst(),
    );
    await recordChange(ctx, {
      chronology: chronologyPart({
        childId: episode.childId,
        on: now.toISOString().slice(0, 10),
        category: 'assessment',
        title: 'Assessment returned to the worker by the manager',
        summary: input.oversight,
        sourceType: 'cin-assessment',
        sourceId: assessment.id,
      }),
      audit: auditPart('cin-assessment.returned', {
        type: 'cin-assessment',
        id: assessment.id,
        childId: episode.childId,
      }),
    });
    return;
  }
  const authorisedOn = input.authorisedOn;
  if (!authorisedOn)
    throw new BusinessRuleError('authorisedOn', 'Enter the date you authorised the assessment');
  const late = authorisedOn > assessment.dueDate && !assessment.lateReason;
  const queries = enforce(
    [
      rule8608(assessment.startDate, authorisedOn),
      censusYearQuery('8696', authorisedOn, isoDateOf(now), 'authorisation date', 'authorisedOn'),
      assessment.completedOn && authorisedOn < assessment.completedOn
        ? practiceError('authorisedOn', 'The assessment cannot be authorised before it was completed')
        : null,
      rule8614(input.factors, authorisedOn),
      ...factorViolations(input.factors),
      late && !input.lateReason
        ? practiceError(
            'lateReason',
            `The assessment is authorised after its due date (${assessment.dueDate}): give the reason`,
          )
        : null,
    ],
    input.queryExplanation,
  );
  requireUpdated(
    await trx
      .updateTable('cinAssessments')
      .set({
        status: 'authorised',
        authorisedOn,
        authorisedAt: now,
        authorisedBy: user.id,
        oversight: input.oversight,
        factors: input.factors,
        ...(late ? { lateReason: input.lateReason ?? null } : {}),
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', assessment.id)
      .where('version', '=', input.version ?? assessment.version)
      .where('status', '=', 'awaiting-authorisation')
      .executeTakeFirst(),
  );
  await recordQueryExplanations(
    ctx,
    {
      childId: episode.childId,
      episodeId: episode.id,
      subjectType: 'cin-assessment',
      subjectId: assessment.id,
    },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'cin-assessment', id: assessment.id, childId: episode.childId },
    {
      action: 'cin-assessment.authorised',
      details: { authorisedOn, factors: input.factors.join(' ') },
      on: authorisedOn,
      category: 'assessment',
      title: `Assessment authorised by ${user.displayName}: ${ASSESSMENT_OUTCOME_LABELS[assessment.outcome as AssessmentOutcome] ?? assessment.outcome}`,
      summary: `Management oversight: ${input.oversight}`,
      significant: true,
    },
  );
}

/** The worries and needs in the episode's latest assessment, for tying plan goals to them. */
export function worriesAndNeeds(assessment: AssessmentRow | null): string[] {
  return assessment ? worriesAndNeedsOf(assessment.answers) : [];
}

export async function latestAssessment(trx: Trx, episode: EpisodeRow): Promise<AssessmentRow | null> {
  return (
    (await trx
      .selectFrom('cinAssessments')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .orderBy('startDate', 'desc')
      .orderBy('createdAt', 'desc')
      .executeTakeFirst()) ?? null
  );
}
