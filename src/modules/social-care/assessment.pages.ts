import { ConflictError } from '../../kernel/errors.ts';
import { ASSESSMENT_FACTORS, codeLabel, PRIMARY_NEED_CODES } from '../../kernel/code-sets/cin-census.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import {
  answersSummary,
  answersToValues,
  parseTemplateAnswers,
  type Answers,
} from '../../kernel/forms-as-data/answers.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import {
  assessmentPeople,
  assessmentTemplate,
  authoriseAssessment,
  childSeenFor,
  completeAssessment,
  recordChildSeen,
  requireAssessment,
  saveAssessmentAnswers,
  startAssessment,
} from './assessment.service.ts';
import { withSourceHints } from '../../kernel/forms-as-data/prefill.ts';
import { socialCareAssessmentPrefill } from './assessment-prefill.ts';
import { assessmentStatusLabel } from './episode-view.ts';
import { PRIMARY_NEED_ITEMS } from './episode.pages.ts';
import {
  assessmentParams,
  episodeForForm,
  episodeHeader,
  episodeParams,
  options,
  PATHS,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import {
  assessmentAnswersForm,
  authoriseAssessmentForm,
  childSeenForm,
  completeAssessmentForm,
  startAssessmentForm,
} from './social-care.schemas.ts';
import {
  ASSESSMENT_OUTCOME_LABELS,
  ASSESSMENT_OUTCOMES,
  clockLabel,
  type AssessmentOutcome,
} from './social-care.ts';
import { requirePermission } from '../../kernel/service/index.ts';

/** The child and family assessment: start, answer (forms as data), child seen, complete, authorise. */

const FACTOR_ITEMS = ASSESSMENT_FACTORS.map((f) => ({
  value: f.code,
  text: `${f.code}: ${f.label}`,
  ...('discouraged' in f ? { hint: f.discouraged } : {}),
}));
const factorText = (codes: readonly string[]) =>
  codes.length ? codes.map((c) => `${c}: ${codeLabel(ASSESSMENT_FACTORS, c)}`) : [];

export const newAssessmentPage = definePage({
  path: PATHS.newAssessment,
  view: 'social-care/views/assessment-new.njk',
  access: 'social-care:write',
  title: 'Start the child and family assessment',
  params: episodeParams,
  form: ({ today }) => startAssessmentForm(today),
  audit: viewAudit('cin-assessment.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    return {
      header,
      dueDate: ctx.services.calendar.addWorkingDays(episode.referralDate, 45),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['startDate'], async () => {
      const id = await startAssessment(ctx, {
        episodeId: ctx.params.episodeId,
        startDate: form.startDate!,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Assessment started');
      return pathTo(PATHS.assessmentEdit, { assessmentId: id });
    }),
});

async function loadAssessment(
  ctx: PageContext<{ assessmentId: string }, Record<string, never>>,
  level: 'read' | 'write',
) {
  const { assessment, episode } = await requireAssessment(ctx, ctx.params.assessmentId, level);
  const template = await assessmentTemplate(ctx.db, assessment);
  return { assessment, episode, template, header: await episodeHeader(ctx.db, episode, ctx.now) };
}

export const assessmentPage = definePage({
  path: PATHS.assessment,
  view: 'social-care/views/assessment.njk',
  access: 'social-care:read',
  title: 'Child and family assessment',
  params: assessmentParams,
  audit: viewAudit('cin-assessment.viewed', 'cin-assessment', 'assessmentId'),
  load: async (ctx) => {
    const { assessment, episode, template, header } = await loadAssessment(ctx, 'read');
    const seen = await childSeenFor(ctx.db, assessment.id);
    const names = await assessmentPeople(ctx, assessment.id);
    const name = (id: string | null) => names.find((n) => n.id === id)?.displayName ?? null;
    const today = todayIn(ctx.services.clock);
    const open = !episode.closureDate;
    return {
      header,
      assessment,
      statusLabel: assessmentStatusLabel(assessment.status),
      clock:
        assessment.status === 'in-progress'
          ? clockLabel(ctx.services.calendar, episode.referralDate, today, 45)
          : null,
      overdue: assessment.status === 'in-progress' && today > assessment.dueDate,
      templateTitle: `${template.title} (version ${template.version})`,
      summary: answersSummary(template, assessment.answers as Answers),
      seen,
      outcomeLabel: assessment.outcome
        ? ASSESSMENT_OUTCOME_LABELS[assessment.outcome as AssessmentOutcome]
        : null,
      proposedFactors: factorText(assessment.proposedFactors),
      factors: factorText(assessment.factors),
      completedByName: name(assessment.completedBy),
      authorisedByName: name(assessment.authorisedBy),
      primaryNeed: episode.primaryNeedCode
        ? `${episode.primaryNeedCode}: ${codeLabel(PRIMARY_NEED_CODES, episode.primaryNeedCode)}`
        : null,
      can: {
        edit: open && assessment.status === 'in-progress' && ctx.user.permissions.has('social-care:write'),
        authorise:
          open &&
          assessment.status === 'awaiting-authorisation' &&
          ctx.user.permissions.has('social-care:authorise'),
      },
    };
  },
});

export const assessmentEditPage = definePage({
  path: PATHS.assessmentEdit,
  view: 'social-care/views/assessment-edit.njk',
  access: 'social-care:write',
  title: 'Child and family assessment',
  params: assessmentParams,
  form: assessmentAnswersForm,
  audit: viewAudit('cin-assessment.edit-viewed', 'cin-assessment', 'assessmentId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { assessment, episode, template, header } = await loadAssessment(ctx, 'write');
    const answers = (assessment.answers ?? {}) as Answers;
    // Never saved yet: it opens with what the contact, the decision and the record already say (nothing is saved
    // until the worker saves; each prefilled answer says where it came from).
    const prefill =
      assessment.status === 'in-progress' && !Object.keys(answers).length
        ? await socialCareAssessmentPrefill(ctx, episode, template)
        : null;
    return {
      header,
      assessment,
      template: prefill ? withSourceHints(template, prefill.sources) : template,
      saved: {
        ...(prefill ? prefill.values : answersToValues(template, answers)),
        version: String(assessment.version),
      },
      editable: assessment.status === 'in-progress',
    };
  },
  submit: async (ctx, body) => {
    const { assessment, template } = await loadAssessment(ctx, 'write');
    const parsed = parseTemplateAnswers(template, body, {
      mode: 'draft',
      today: todayIn(ctx.services.clock),
    });
    if (!parsed.ok)
      return {
        errors: parsed.problems.map((p) =>
          fieldError(String(p.path[0]), p.message, `#${p.path.map(String).join('-')}`),
        ),
      };
    // A save must say which version it was read at: without one it could overwrite someone else's (409).
    const version = Number(body.version);
    if (!Number.isInteger(version) || version < 1) throw new ConflictError();
    await saveAssessmentAnswers(ctx, { assessmentId: assessment.id, answers: parsed.answers, version });
    ctx.flash('Assessment saved');
    return pathTo(PATHS.assessment, ctx.params);
  },
});

export const childSeenPage = definePage({
  path: PATHS.childSeen,
  view: 'social-care/views/assessment-child-seen.njk',
  access: 'social-care:write',
  title: 'Record when the child was seen',
  params: assessmentParams,
  form: ({ today }) => childSeenForm(today),
  audit: viewAudit('cin-assessment.child-seen-viewed', 'cin-assessment', 'assessmentId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { assessment, header } = await loadAssessment(ctx, 'write');
    return { header, assessment, seen: await childSeenFor(ctx.db, assessment.id) };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['seenOn'], async () => {
      await recordChildSeen(ctx, {
        assessmentId: ctx.params.assessmentId,
        seenOn: form.seenOn!,
        seenAlone: form.seenAlone,
        notes: form.notes,
      });
      ctx.flash('Recorded when the child was seen');
      return pathTo(PATHS.assessment, ctx.params);
    }),
});

export const completeAssessmentPage = definePage({
  path: PATHS.completeAssessment,
  view: 'social-care/views/assessment-complete.njk',
  access: 'social-care:write',
  title: 'Complete the assessment',
  params: assessmentParams,
  form: ({ today }) => completeAssessmentForm(today),
  audit: viewAudit('cin-assessment.complete-viewed', 'cin-assessment', 'assessmentId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { assessment, episode, header } = await loadAssessment(ctx, 'write');
    const today = todayIn(ctx.services.clock);
    return {
      header,
      assessment,
      late: today > assessment.dueDate,
      outcomes: options(ASSESSMENT_OUTCOMES, ASSESSMENT_OUTCOME_LABELS),
      factors: FACTOR_ITEMS,
      needs: PRIMARY_NEED_ITEMS,
      defaults: { primaryNeedCode: episode.primaryNeedCode ?? '' },
      saved: { version: String(assessment.version) },
      completable: assessment.status === 'in-progress',
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['completedOn'], async () => {
      await completeAssessment(ctx, {
        assessmentId: ctx.params.assessmentId,
        completedOn: form.completedOn!,
        outcome: form.outcome,
        outcomeReason: form.outcomeReason,
        primaryNeedCode: form.primaryNeedCode ?? null,
        proposedFactors: form.proposedFactors,
        lateReason: form.lateReason,
        queryExplanation: form.queryExplanation,
        today: todayIn(ctx.services.clock),
        version: form.version,
      });
      ctx.flash('Assessment completed and sent to your manager to authorise');
      return pathTo(PATHS.assessment, ctx.params);
    }),
});

export const authoriseAssessmentPage = definePage({
  path: PATHS.authoriseAssessment,
  view: 'social-care/views/assessment-authorise.njk',
  access: 'social-care:authorise',
  title: 'Authorise the assessment',
  params: assessmentParams,
  form: ({ today }) => authoriseAssessmentForm(today),
  audit: viewAudit('cin-assessment.authorise-viewed', 'cin-assessment', 'assessmentId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:authorise');
    const { assessment, template, header } = await loadAssessment(ctx, 'write');
    return {
      header,
      assessment,
      summary: answersSummary(template, assessment.answers as Answers),
      outcomeLabel: assessment.outcome
        ? ASSESSMENT_OUTCOME_LABELS[assessment.outcome as AssessmentOutcome]
        : null,
      factors: FACTOR_ITEMS,
      defaults: { factors: assessment.proposedFactors, decision: 'authorise' },
      saved: { version: String(assessment.version) },
      needsLateReason: !assessment.lateReason,
      awaiting: assessment.status === 'awaiting-authorisation',
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['authorisedOn'], async () => {
      await authoriseAssessment(ctx, {
        assessmentId: ctx.params.assessmentId,
        decision: form.decision,
        authorisedOn: form.authorisedOn,
        oversight: form.oversight,
        factors: form.factors,
        lateReason: form.lateReason,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash(
        form.decision === 'authorise' ? 'Assessment authorised' : 'Assessment returned to the worker',
      );
      return pathTo(PATHS.assessment, ctx.params);
    }),
});

export const assessmentPages = [
  newAssessmentPage,
  assessmentPage,
  assessmentEditPage,
  childSeenPage,
  completeAssessmentPage,
  authoriseAssessmentPage,
];
