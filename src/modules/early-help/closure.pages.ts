import { z } from 'zod';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { zodToFieldErrors } from '../../web/forms/errors.ts';
import {
  choice,
  govukDate,
  integer,
  optionalText,
  recordVersion,
  requiredText,
} from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import {
  closeEpisode,
  closureChecks,
  followUpGoals,
  loadFollowUp,
  openGoals,
  recontactsAfter,
  recordFollowUp,
} from './closure.service.ts';
import {
  CLOSURE_OUTCOME_VALUES,
  CLOSURE_OUTCOMES,
  CLOSURE_REASON_VALUES,
  CLOSURE_REASONS,
  DOMAIN_KEYS,
  DOMAINS,
  GOAL_STATUS_VALUES,
  GOAL_STATUSES,
  goalStatusLabel,
  SUSTAINED,
  SUSTAINED_VALUES,
  type DomainKey,
  type GoalStatus,
  type Sustained,
} from './early-help.ts';
import { earlyHelpHistory, stepUp, stepUpChoices } from './step-up.service.ts';
import { EH_PATHS, ehPath } from './paths.ts';
import { episodeParams, episodeSubject, loadEpisodeHeader, withProblems } from './pages-common.ts';

// ---------------------------------------------------------------------------------------------------------
// Step-up to the front door, carrying the early help history.

export const stepUpPage = definePage({
  path: EH_PATHS.stepUp,
  view: 'early-help/views/step-up.njk',
  access: 'early-help:write',
  title: 'Step up to the front door',
  params: episodeParams,
  form: z
    .object({
      rationale: requiredText(
        'Say why early help is stepping up to children’s social care',
        5000,
        'The reason must be 5,000 characters or fewer',
      ),
      worriesNow: requiredText(
        'Say what you are worried about now',
        5000,
        'What you are worried about must be 5,000 characters or fewer',
      ),
      concernCategories: z.preprocess(
        (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
        z.array(z.string().max(40)).min(1, 'Select at least one category of concern'),
      ),
      consent: choice(
        ['given', 'not-given', 'dispensed'] as const,
        'Select whether the family know about and agree to the step-up',
      ),
      consentRationale: optionalText(4000, 'The reason about consent must be 4,000 characters or fewer'),
      urgency: choice(['immediate', 'urgent', 'routine'] as const, 'Select how urgent this is'),
    })
    .superRefine((v, ctx) => {
      if (v.consent && v.consent !== 'given' && !v.consentRationale)
        ctx.addIssue({
          code: 'custom',
          path: ['consentRationale'],
          message: 'Say why the family have not agreed, or why they were not asked',
        });
    }),
  audit: { action: 'early-help-step-up.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const [history, { concerns, already }] = await Promise.all([
      earlyHelpHistory(ctx.db, header.episode.id),
      stepUpChoices(ctx, header.episode.id),
    ]);
    return {
      ...header,
      history: history.split('\n'),
      concerns: concerns.map((c) => ({ value: c.code, text: c.label })),
      already: already ?? null,
    };
  },
  submit: async (ctx, form) =>
    withProblems(async () => {
      const categories = form.concernCategories;
      const contact = await stepUp(ctx, {
        episodeId: ctx.params.ehEpisodeId,
        rationale: form.rationale,
        worriesNow: form.worriesNow,
        concernCategories: categories,
        consent: form.consent,
        consentRationale: form.consentRationale,
        urgency: form.urgency,
      });
      ctx.flash(
        `Stepped up: contact ${contact.reference} is with the front door, with the early help history. Close early help once the front door has decided.`,
      );
      return ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
    }),
});

// ---------------------------------------------------------------------------------------------------------
// Closure: reason, outcome, closing scores, and a reason when goals are still open.

type OpenGoal = { id: string; position: number; whatWillChange: string };

export function closureSchema(goals: OpenGoal[], today: string) {
  const shape: Record<string, z.ZodType<unknown>> = {
    closedOn: govukDate({
      label: 'Date early help closed',
      required: true,
      when: 'past',
      today: () => today,
    }),
    reason: choice(CLOSURE_REASON_VALUES, 'Select why early help is closing'),
    outcome: choice(CLOSURE_OUTCOME_VALUES, 'Select the outcome for the family'),
    summary: requiredText(
      'Summarise what changed for the child and family',
      5000,
      'The summary must be 5,000 characters or fewer',
    ),
    workerScale: integer({
      label: 'Your scaling',
      min: 0,
      max: 10,
      required: 'Give your scaling at closure, from 0 to 10',
    }),
    familyScale: integer({
      label: 'The family’s scaling',
      min: 0,
      max: 10,
      required: 'Record the family’s own scaling at closure, from 0 to 10',
    }),
    openActionsReason: optionalText(3000, 'The reason must be 3,000 characters or fewer'),
    // The episode's version when the form was shown: a change saved meanwhile is not overwritten (409).
    version: recordVersion(),
  };
  for (const d of DOMAINS)
    shape[`domain-${d.value}`] = integer({
      label: `Score for ${d.text.toLowerCase()}`,
      min: 1,
      max: 5,
      required: `Give a closing score from 1 to 5 for ${d.text.toLowerCase()}`,
    });
  for (const g of goals) {
    shape[`goal-${g.id}-status`] = choice(GOAL_STATUS_VALUES, `Select where goal ${g.position} ended up`);
    shape[`goal-${g.id}-score`] = integer({
      label: `Closing score for goal ${g.position}`,
      min: 0,
      max: 10,
      required: `Give a closing score from 0 to 10 for goal ${g.position}`,
    });
  }
  return z.object(shape);
}

export const closurePage = definePage({
  path: EH_PATHS.closure,
  view: 'early-help/views/closure.njk',
  access: 'early-help:write',
  title: 'Close early help',
  params: episodeParams,
  form: z.record(z.string(), z.unknown()),
  audit: { action: 'early-help-closure.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const [goals, { feedback, steppedUp }] = await Promise.all([
      openGoals(ctx, header.episode.id),
      closureChecks(ctx, header.episode.id),
    ]);
    return {
      ...header,
      // The conflict page (409) puts the episode's current version back in the form.
      saved: { version: String(header.episode.version) },
      goals,
      reasons: CLOSURE_REASONS.map((r) => ({
        value: r.value,
        text: r.text,
        ...('hint' in r ? { hint: r.hint } : {}),
      })),
      outcomes: CLOSURE_OUTCOMES.map((o) => ({ value: o.value, text: o.text })),
      statuses: GOAL_STATUSES.map((s) => ({ value: s.value, text: s.text })),
      domains: DOMAINS,
      closureFeedback: feedback.filter((f) => f.stage === 'closure').length,
      steppedUp,
      feedbackHref: ehPath(EH_PATHS.feedback, header.episode.id, { stage: 'closure' }),
    };
  },
  submit: async (ctx, body) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const goals = await openGoals(ctx, header.episode.id);
    const parsed = closureSchema(goals, isoDateOf(ctx.now)).safeParse(body);
    if (!parsed.success) return { errors: zodToFieldErrors(parsed.error) };
    const v = parsed.data as Record<string, unknown>;
    return withProblems(async () => {
      const result = await closeEpisode(ctx, {
        episodeId: header.episode.id,
        closedOn: v.closedOn as string,
        reason: v.reason as (typeof CLOSURE_REASON_VALUES)[number],
        outcome: v.outcome as (typeof CLOSURE_OUTCOME_VALUES)[number],
        summary: v.summary as string,
        workerScale: v.workerScale as number,
        familyScale: v.familyScale as number,
        domainScores: Object.fromEntries(DOMAIN_KEYS.map((d) => [d, v[`domain-${d}`] as number])) as Record<
          DomainKey,
          number
        >,
        goals: goals.map((g) => ({
          goalId: g.id,
          status: v[`goal-${g.id}-status`] as GoalStatus,
          score: v[`goal-${g.id}-score`] as number,
        })),
        openActionsReason: v.openActionsReason as string | undefined,
        version: v.version as number,
      });
      ctx.flash(
        `Early help ${header.episode.reference} is closed. The check that outcomes lasted is due on ${formatDateGovUk(result.followUpDueOn)} and is on your worktray.`,
      );
      return ehPath(EH_PATHS.outcomes, header.episode.id);
    });
  },
});

// ---------------------------------------------------------------------------------------------------------
// The follow-up months after closure: were the outcomes sustained?

export const followUpPage = definePage({
  path: EH_PATHS.followUp,
  view: 'early-help/views/follow-up.njk',
  access: 'early-help:read',
  title: 'Were the outcomes sustained?',
  params: episodeParams,
  form: z.record(z.string(), z.unknown()),
  audit: {
    action: 'early-help-follow-up.viewed',
    subjectType: 'early-help-episode',
    subject: episodeSubject,
  },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const { followUp, goals, sustainedGoals } = await loadFollowUp(ctx, header.episode.id);
    const recontacts = header.episode.closedOn
      ? await recontactsAfter(ctx.db, header.access.childIds, header.episode.closedOn)
      : [];
    const today = isoDateOf(ctx.now);
    return {
      ...header,
      followUp: followUp ?? null,
      due: !!followUp && !followUp.completedOn && followUp.dueOn <= today,
      canRecord: !!followUp && !followUp.completedOn && followUp.dueOn <= today && header.canWrite,
      goals: goals.map((g) => ({
        ...g,
        statusLabel: goalStatusLabel(g.status),
        sustainedLabel:
          SUSTAINED.find((s) => s.value === sustainedGoals.find((x) => x.goalId === g.id)?.sustained)?.text ??
          null,
      })),
      recontacts,
      sustainedOptions: SUSTAINED.map((s) => ({ value: s.value, text: s.text })),
      sustainedLabel: followUp?.sustained
        ? SUSTAINED.find((s) => s.value === followUp.sustained)!.text
        : null,
      outcomesHref: ehPath(EH_PATHS.outcomes, header.episode.id),
    };
  },
  submit: async (ctx, body) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const goals = await followUpGoals(ctx, header.episode.id);
    const shape: Record<string, z.ZodType<unknown>> = {
      sustained: choice(SUSTAINED_VALUES, 'Select whether the family’s outcomes were sustained'),
      notes: requiredText(
        'Say how you checked, and what you found',
        5000,
        'The notes must be 5,000 characters or fewer',
      ),
    };
    for (const g of goals)
      shape[`goal-${g.id}-sustained`] = choice(
        SUSTAINED_VALUES,
        `Select whether goal ${g.position} was sustained`,
      );
    const parsed = z.object(shape).safeParse(body);
    if (!parsed.success) return { errors: zodToFieldErrors(parsed.error) };
    const v = parsed.data as Record<string, unknown>;
    await recordFollowUp(ctx, {
      episodeId: header.episode.id,
      sustained: v.sustained as Sustained,
      notes: v.notes as string,
      goals: goals.map((g) => ({ goalId: g.id, sustained: v[`goal-${g.id}-sustained`] as Sustained })),
    });
    ctx.flash('The follow-up has been recorded');
    return ehPath(EH_PATHS.outcomes, header.episode.id);
  },
});

export const closurePages = [stepUpPage, closurePage, followUpPage];
