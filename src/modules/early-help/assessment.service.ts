import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { parseTemplateAnswers, type Answers } from '../../kernel/forms-as-data/answers.ts';
import { currentTemplate, templateById, type StoredTemplate } from '../form-templates/index.ts';
import { requireEpisodeAccess } from './access.ts';
import {
  domainScoresOf,
  needProblems,
  needsOf,
  riskAnalysisProblems,
  scalesOf,
  templateContractProblems,
  worriesOf,
  type Problem,
} from './assessment-contract.ts';
import { RuleProblemsError, shorten } from './early-help.ts';
import { requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { refreshScoreSummaries } from './score-summaries.ts';
import {
  recordChange,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

export const ASSESSMENT_TEMPLATE_KEY = 'early-help-assessment';

/**
 * The early help assessment: a versioned form template (forms as data), saved as a draft as often as needed and
 * completed once its risk analysis is done. Completion extracts the needs and worries (so the plan's goals can be
 * linked to each one) and the first scores (worker's and family's scaling, the three domains), and asks a manager
 * for oversight. A manager ('early-help:oversee', not the person who completed it) agrees it or sends it back.
 */

export async function latestAssessment(db: Db, episodeId: string) {
  return db
    .selectFrom('earlyHelpAssessments')
    .selectAll()
    .where('episodeId', '=', episodeId)
    .orderBy('startedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The names of who started, completed and gave oversight on an episode's assessment. */
export async function assessmentPeople(
  ctx: ReadContext,
  assessment: {
    episodeId: string;
    startedBy: string | null;
    completedBy: string | null;
    oversightBy: string | null;
  },
) {
  await requireEpisodeAccess(ctx, assessment.episodeId, 'read');
  return ctx.db
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where(
      'id',
      'in',
      [assessment.startedBy, assessment.completedBy, assessment.oversightBy]
        .filter((x): x is string => !!x)
        .concat(['00000000-0000-0000-0000-000000000000']),
    )
    .execute();
}

/** The template an episode's assessment is (or will be) written against. */
export async function assessmentTemplate(
  db: Db,
  assessment: { templateId: string } | undefined,
): Promise<StoredTemplate> {
  const stored = assessment
    ? await templateById(db, assessment.templateId)
    : await currentTemplate(db, ASSESSMENT_TEMPLATE_KEY);
  const problems = templateContractProblems(stored.template);
  if (problems.length) {
    throw new BusinessRuleError(
      'form',
      `The early help assessment template (version ${stored.version}) cannot be used: ${problems.slice(0, 3).join('; ')}. Ask an administrator to correct it.`,
    );
  }
  return stored;
}

/** Where a field comes on the page, for listing problems in the order the questions are asked. */
function pageOrder(template: StoredTemplate['template'], field: string): number {
  const [sectionId, questionId, index] = field.split('__');
  const si = template.sections.findIndex((s) => s.id === sectionId);
  const section = template.sections[si];
  const qi = section ? section.questions.findIndex((q) => q.id === questionId) : -1;
  return (si < 0 ? 999 : si) * 100_000 + (qi < 0 ? 999 : qi) * 100 + (index ? Number(index) : 0);
}

export interface SaveAssessmentResult {
  status: 'draft' | 'completed';
  assessmentId: string;
}

function problemsFrom(list: { path: (string | number)[]; message: string }[]): Problem[] {
  return list.map((p) => ({
    field: String(p.path[0]),
    message: p.message,
    href: `#${p.path.map(String).join('-')}`,
  }));
}

/**
 * Saves the assessment as a draft, or completes it. Answers that cannot be saved even as a draft are a
 * RuleProblemsError, and nothing is written. Completion refused (the risk analysis or a need missing …) is also a
 * RuleProblemsError, but only after the answers have been saved as a draft and audited: a caller that wants the
 * draft kept catches it inside its transaction (a page's withProblems does), so the work commits.
 */
export async function saveAssessment(
  ctx: ServiceContext,
  input: {
    episodeId: string;
    body: Record<string, unknown>;
    action: 'draft' | 'complete';
    version?: number | undefined;
  },
): Promise<SaveAssessmentResult> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  const today = isoDateOf(now);
  const latest = await latestAssessment(trx, episode.id);
  if (latest?.status === 'completed') {
    throw new BusinessRuleError(
      'form',
      'The assessment has been completed. A manager can send it back if it needs to change; later changes are recorded at reviews.',
    );
  }
  // A save of an assessment that exists must say which version it was read at (security probe M3).
  if (latest && input.version !== latest.version)
    throw new ConflictError(
      'Someone else saved this assessment while you were editing it. Your changes were not saved: check the assessment and make them again.',
    );
  const stored = await assessmentTemplate(trx, latest);
  const draft = parseTemplateAnswers(stored.template, input.body, { mode: 'draft', today });
  if (!draft.ok) throw new RuleProblemsError(problemsFrom(draft.problems));
  let answers: Answers = draft.answers;
  let problems: Problem[] = [];
  if (input.action === 'complete') {
    const complete = parseTemplateAnswers(stored.template, input.body, { mode: 'complete', today });
    if (complete.ok) answers = complete.answers;
    // The risk analysis's own words win (they say it is the risk analysis that is missing); then in page order.
    problems = [...riskAnalysisProblems(answers), ...needProblems(answers)];
    const have = new Set(problems.map((p) => p.field));
    if (!complete.ok)
      for (const p of problemsFrom(complete.problems)) if (!have.has(p.field)) problems.push(p);
    problems.sort((a, b) => pageOrder(stored.template, a.field) - pageOrder(stored.template, b.field));
  }
  const riskComplete = riskAnalysisProblems(answers).length === 0;
  const completing = input.action === 'complete' && problems.length === 0;
  const scales = scalesOf(answers);
  const values = {
    answers: JSON.stringify(answers),
    riskAnalysisComplete: riskComplete,
    workerScale: scales.worker,
    familyScale: scales.family,
    updatedAt: now,
    ...(completing
      ? { status: 'completed', completedAt: now, completedBy: user.id, oversightStatus: 'awaiting' }
      : {}),
  };
  let assessmentId: string;
  if (latest) {
    requireUpdated(
      await trx
        .updateTable('earlyHelpAssessments')
        .set({ ...values, version: latest.version + 1 })
        .where('id', '=', latest.id)
        .where('version', '=', latest.version)
        .executeTakeFirst(),
      'Someone else saved this assessment while you were editing it. Your changes were not saved: check the assessment and make them again.',
    );
    assessmentId = latest.id;
  } else {
    const row = await trx
      .insertInto('earlyHelpAssessments')
      .values({ episodeId: episode.id, templateId: stored.id, startedAt: now, startedBy: user.id, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    assessmentId = row.id;
    await recordChange(ctx, {
      chronology: episodeChronology({
        episodeId: episode.id,
        childIds: access.childIds,
        title: 'Early help assessment started',
        category: 'assessment',
      }),
    });
  }
  if (!completing) {
    await recordChange(ctx, {
      audit: episodeAudit({
        action: 'early-help-assessment.saved',
        episodeId: episode.id,
        childId: access.childIds[0],
        subjectType: 'early-help-assessment',
        subjectId: assessmentId,
        details: { riskAnalysisComplete: riskComplete, completionRefused: problems.length > 0 },
      }),
    });
    if (problems.length) throw new RuleProblemsError(problems);
    return { status: 'draft', assessmentId };
  }

  // Completed: the needs and worries become rows the plan links to, and the first scores are recorded.
  const worries = worriesOf(answers);
  const needs = needsOf(answers);
  const items = [
    ...worries.map((w) => ({
      assessmentId,
      episodeId: episode.id,
      kind: 'worry',
      domain: null,
      position: w.position,
      summary: w.what!,
      whoIsWorried: w.whoIsWorried,
      impact: w.impact,
      outcomeHeading: null,
    })),
    ...needs.map((n) => ({
      assessmentId,
      episodeId: episode.id,
      kind: 'need',
      domain: n.domain,
      position: n.position,
      summary: n.need!,
      whoIsWorried: null,
      impact: null,
      outcomeHeading: n.outcome,
    })),
  ];
  if (items.length) await trx.insertInto('earlyHelpAssessmentItems').values(items).execute();
  const scoreRows = [
    { subject: 'scale', subjectKey: 'worker', score: scales.worker! },
    { subject: 'scale', subjectKey: 'family', score: scales.family! },
    ...Object.entries(domainScoresOf(answers)).map(([subjectKey, score]) => ({
      subject: 'domain',
      subjectKey,
      score,
    })),
  ];
  await trx
    .insertInto('earlyHelpScores')
    .values(
      scoreRows.map((s) => ({
        ...s,
        episodeId: episode.id,
        occasion: 'assessment',
        sourceId: assessmentId,
        recordedOn: today,
        recordedAt: now,
        recordedBy: user.id,
      })),
    )
    .execute();
  await refreshScoreSummaries(trx, [episode.id]);
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title: 'Early help assessment completed',
      summary: `${worries.length} worr${worries.length === 1 ? 'y' : 'ies'} and ${needs.length} need${needs.length === 1 ? '' : 's'} identified. Scaling: worker ${scales.worker} out of 10, family ${scales.family} out of 10. ${shorten(worries.map((w) => w.what).join('; '), 200)}`,
      category: 'assessment',
      significant: true,
      sourceType: 'early-help-assessment',
      sourceId: assessmentId,
    }),
    audit: episodeAudit({
      action: 'early-help-assessment.completed',
      episodeId: episode.id,
      childId: access.childIds[0],
      subjectType: 'early-help-assessment',
      subjectId: assessmentId,
      details: {
        worries: worries.length,
        needs: needs.length,
        workerScale: scales.worker,
        familyScale: scales.family,
      },
    }),
  });
  return { status: 'completed', assessmentId };
}

/**
 * A manager's recorded oversight of a completed assessment: agreed, or sent back for changes (it becomes a draft
 * again, unless the plan already uses its needs and worries).
 */
export async function recordAssessmentOversight(
  ctx: ServiceContext,
  input: { episodeId: string; decision: 'agreed' | 'changes-requested'; rationale: string },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  if (!user.permissions.has('early-help:oversee')) throw new AccessDeniedError('early-help:oversee');
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'read');
  const assessment = await latestAssessment(trx, input.episodeId);
  if (!assessment) throw new NotFoundError();
  if (assessment.status !== 'completed')
    throw new BusinessRuleError(
      'decision',
      'The assessment has not been completed yet: oversight is recorded on a completed assessment',
    );
  if (assessment.completedBy === user.id)
    throw new BusinessRuleError(
      'decision',
      'A different manager must review an assessment you completed yourself',
    );
  if (input.decision === 'changes-requested') {
    const linked = await trx
      .selectFrom('earlyHelpGoalItems as gi')
      .innerJoin('earlyHelpAssessmentItems as i', 'i.id', 'gi.itemId')
      .select('gi.goalId')
      .where('i.assessmentId', '=', assessment.id)
      .executeTakeFirst();
    if (linked)
      throw new BusinessRuleError(
        'decision',
        'The plan already has goals for this assessment’s needs and worries: record what needs to change at the next review instead',
      );
    await trx.deleteFrom('earlyHelpAssessmentItems').where('assessmentId', '=', assessment.id).execute();
    await trx.deleteFrom('earlyHelpScores').where('sourceId', '=', assessment.id).execute();
    await refreshScoreSummaries(trx, [input.episodeId]);
  }
  const overseen = await trx
    .updateTable('earlyHelpAssessments')
    .set({
      oversightStatus: input.decision,
      oversightAt: now,
      oversightBy: user.id,
      oversightRationale: input.rationale,
      ...(input.decision === 'changes-requested'
        ? { status: 'draft', completedAt: null, completedBy: null }
        : {}),
      updatedAt: now,
      version: assessment.version + 1,
    })
    .where('id', '=', assessment.id)
    .where('version', '=', assessment.version)
    .where('status', '=', 'completed')
    .executeTakeFirst();
  requireUpdated(overseen);
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title:
        input.decision === 'agreed'
          ? `Management oversight: early help assessment agreed by ${user.displayName}`
          : `Management oversight: early help assessment sent back by ${user.displayName}`,
      summary: shorten(input.rationale, 300),
      category: 'decision',
      significant: true,
      sourceType: 'early-help-assessment',
      sourceId: assessment.id,
    }),
    audit: episodeAudit({
      action: 'early-help-assessment.overseen',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-assessment',
      subjectId: assessment.id,
      details: { decision: input.decision },
    }),
  });
}
