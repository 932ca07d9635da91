import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { choice, requiredText } from '../../kernel/forms/fields.ts';
import { answersSummary, answersToValues, type Answers } from '../../kernel/forms-as-data/answers.ts';
import { definePage } from '../../web/page.ts';
import { RISK, riskAnalysisProblems } from './assessment-contract.ts';
import {
  assessmentPeople,
  assessmentTemplate,
  latestAssessment,
  recordAssessmentOversight,
  saveAssessment,
} from './assessment.service.ts';
import { assessmentPrefill, withSourceHints } from './assessment-prefill.ts';
import { earlyHelpSettings } from './settings.ts';
import { EH_PATHS, ehPath } from './paths.ts';
import { episodeParams, episodeSubject, loadEpisodeHeader, withProblems } from './pages-common.ts';

async function loadAssessment(ctx: Parameters<typeof loadEpisodeHeader>[0]) {
  const header = await loadEpisodeHeader(ctx);
  const assessment = await latestAssessment(ctx.db, header.episode.id);
  const stored = await assessmentTemplate(ctx.db, assessment);
  const answers = (assessment?.answers ?? null) as Answers | null;
  const people = assessment ? await assessmentPeople(ctx, assessment) : [];
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? null;
  const summary = answersSummary(stored.template, answers);
  const riskIndex = stored.template.sections.findIndex((s) => s.id === RISK);
  const settings = await earlyHelpSettings(ctx.db, header.episode.localAuthorityId);
  // A new assessment opens with what the contact the episode came from already says (nothing saved until saved).
  const prefill = assessment ? null : await assessmentPrefill(ctx, header.episode.id, stored.template);
  return {
    ...header,
    assessment: assessment
      ? {
          ...assessment,
          startedByName: nameOf(assessment.startedBy),
          completedByName: nameOf(assessment.completedBy),
          oversightByName: nameOf(assessment.oversightBy),
        }
      : null,
    template: prefill ? withSourceHints(stored.template, prefill.sources) : stored.template,
    templateVersion: stored.version,
    savedValues: prefill ? prefill.values : answersToValues(stored.template, answers),
    summary,
    riskSummary: riskIndex >= 0 ? summary[riskIndex] : null,
    riskProblems: riskAnalysisProblems(answers),
    dueOn: ctx.services.calendar.addWorkingDays(header.episode.openedOn, settings.assessmentWorkingDays),
  };
}

export const assessmentPage = definePage({
  path: EH_PATHS.assessment,
  view: 'early-help/views/assessment.njk',
  access: 'early-help:read',
  title: 'Early help assessment',
  params: episodeParams,
  // The questions are data (a versioned template): the service validates the answers against the template.
  form: z.record(z.string(), z.unknown()),
  audit: {
    action: 'early-help-assessment.viewed',
    subjectType: 'early-help-episode',
    subject: episodeSubject,
  },
  load: async (ctx) => {
    const data = await loadAssessment(ctx);
    const editable = data.canEdit && (!data.assessment || data.assessment.status === 'draft');
    return {
      ...data,
      editable,
      oversightHref: ehPath(EH_PATHS.oversight, data.episode.id),
      canOversee: ctx.user.permissions.has('early-help:oversee'),
    };
  },
  submit: async (ctx, body) => {
    const action = body.action === 'complete' ? 'complete' : 'draft';
    const version =
      typeof body.version === 'string' && /^\d+$/.test(body.version) ? Number(body.version) : undefined;
    // Problems come back as the page's field errors inside the transaction, so a draft saved before completion
    // was refused is kept.
    return withProblems(async () => {
      const result = await saveAssessment(ctx, { episodeId: ctx.params.ehEpisodeId, body, action, version });
      if (result.status === 'completed') {
        ctx.flash(
          'The assessment is complete. Your manager will review it; next, agree the plan with the family.',
        );
        return ehPath(EH_PATHS.plan, ctx.params.ehEpisodeId);
      }
      ctx.flash('The assessment has been saved as a draft');
      return ehPath(EH_PATHS.assessment, ctx.params.ehEpisodeId);
    });
  },
});

export const oversightPage = definePage({
  path: EH_PATHS.oversight,
  view: 'early-help/views/oversight.njk',
  access: 'early-help:oversee',
  title: 'Management oversight of the assessment',
  params: episodeParams,
  form: z.object({
    decision: choice(['agreed', 'changes-requested'] as const, 'Select your decision'),
    rationale: requiredText(
      'Record your rationale: what you agree with, and anything that must change',
      5000,
      'The rationale must be 5,000 characters or fewer',
    ),
  }),
  audit: {
    action: 'early-help-assessment.viewed',
    subjectType: 'early-help-episode',
    subject: episodeSubject,
  },
  load: async (ctx) => {
    const data = await loadAssessment(ctx);
    const a = data.assessment;
    return {
      ...data,
      canDecide: !!a && a.status === 'completed' && a.completedBy !== ctx.user.id,
      ownAssessment: !!a && a.completedBy === ctx.user.id,
      completedOn: a?.completedAt ? formatDateGovUk(a.completedAt.toISOString().slice(0, 10)) : null,
    };
  },
  submit: async (ctx, form) => {
    await recordAssessmentOversight(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      decision: form.decision,
      rationale: form.rationale,
    });
    ctx.flash(
      form.decision === 'agreed'
        ? 'Your oversight has been recorded'
        : 'The assessment has been sent back to the lead practitioner',
    );
    return ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
  },
});

export const assessmentPages = [assessmentPage, oversightPage];
