import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import {
  dateToParts,
  govukDate,
  integer,
  optionalChoice,
  optionalText,
  recordVersion,
  requiredText,
  yesNo,
} from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import {
  FROM_NEEDS,
  itemLabel,
  outcomeLabel,
  OUTCOME_HEADINGS,
  SUPPORTING_FAMILIES_OUTCOMES,
} from './early-help.ts';
import { tafMembers } from './episode.repository.ts';
import { agreePlan, loadPlan, saveGoal, setNotWorkedOn } from './plan.service.ts';
import { EH_PATHS, ehPath, goalPath, itemPath } from './paths.ts';
import { episodeParams, episodeSubject, loadEpisodeHeader, withProblems } from './pages-common.ts';
import { letterLinks } from '../documents/index.ts';

export const planPage = definePage({
  path: EH_PATHS.plan,
  view: 'early-help/views/plan.njk',
  access: 'early-help:read',
  title: 'Early help plan',
  params: episodeParams,
  audit: { action: 'early-help-plan.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const plan = await loadPlan(ctx.db, header.episode.id);
    return {
      ...header,
      ...plan,
      goalHref: (id: string) => goalPath(header.episode.id, id),
      itemHref: (id: string) => itemPath(header.episode.id, id),
      newGoalHref: ehPath(EH_PATHS.newGoal, header.episode.id),
      agreeHref: ehPath(EH_PATHS.agreePlan, header.episode.id),
      printHref: ehPath(EH_PATHS.printPlan, header.episode.id),
      letters:
        plan.plan?.agreedOn && header.episode.status === 'open'
          ? letterLinks(ctx.user, 'eh-plan', plan.plan.id, [
              { kind: 'early-help-plan-family', text: 'Produce the family’s copy of the plan' },
              { kind: 'child-friendly-plan', text: 'Produce the child-friendly version of the plan' },
            ])
          : [],
    };
  },
});

function goalForm(today: string, isNew: boolean) {
  return z.object({
    itemIds: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.uuid({ message: 'Select needs and worries from the list' }))
        .min(1, 'Select the needs or worries this goal meets'),
    ),
    whatWillChange: requiredText(
      'Say what will change',
      2000,
      'What will change must be 2,000 characters or fewer',
    ),
    actions: requiredText(
      'Say what will be done to get there (the actions)',
      5000,
      'The actions must be 5,000 characters or fewer',
    ),
    who: requiredText('Say who will do it', 500, 'Who must be 500 characters or fewer'),
    byWhen: govukDate({
      label: 'The date the goal should be met by',
      required: true,
      ...(isNew ? { when: 'future' as const } : {}),
      today: () => today,
    }),
    measure: requiredText(
      'Say how we will know the goal has been met',
      2000,
      'How we will know must be 2,000 characters or fewer',
    ),
    // "From the needs chosen" (the default) carries each need's outcome from the assessment: saveGoal fills it in.
    outcomeHeading: z.preprocess(
      (v) => (v === FROM_NEEDS ? undefined : v),
      optionalChoice(OUTCOME_HEADINGS, 'Select the Supporting Families outcome the goal works towards'),
    ),
    familyWords: optionalText(2000, 'The family’s version must be 2,000 characters or fewer'),
    baselineScore: integer({
      label: 'Where things are now',
      min: 0,
      max: 10,
      ...(isNew ? { required: 'Give a score from 0 to 10 for where things are now' } : {}),
    }),
    // The goal's version when the form was shown: a change saved meanwhile is not overwritten (409).
    version: integer({ label: 'Version', min: 1 }),
  });
}

/** The goal form's labels as goal.njk shows them: the conflict page (409) names what changed by them. */
const GOAL_LABELS = {
  itemIds: 'Which needs and worries does this goal meet?',
  whatWillChange: 'What will change',
  actions: 'What will be done (the actions)',
  who: 'Who will do it',
  byWhen: 'By when',
  measure: 'How we will know',
  outcomeHeading: 'Supporting Families outcome',
  familyWords: 'The goal in the family’s words (optional)',
  baselineScore: 'Where things are now for this goal',
};

async function goalPageData(ctx: Parameters<typeof loadEpisodeHeader>[0], goalId?: string) {
  const header = await loadEpisodeHeader(ctx, 'write');
  const plan = await loadPlan(ctx.db, header.episode.id);
  const goal = goalId ? plan.goals.find((g) => g.id === goalId) : undefined;
  if (goalId && !goal) throw new NotFoundError();
  const saved = goal
    ? {
        itemIds: goal.items.map((i) => i.id),
        whatWillChange: goal.whatWillChange,
        actions: goal.actions,
        who: goal.who,
        ...dateToParts('byWhen', goal.byWhen),
        measure: goal.measure,
        outcomeHeading: goal.outcomeFromNeeds ? FROM_NEEDS : goal.outcomeHeading,
        familyWords: goal.familyWords ?? '',
        version: String(goal.version),
      }
    : { outcomeHeading: FROM_NEEDS };
  return {
    ...header,
    goal: goal ?? null,
    saved,
    hasAssessment: !!plan.assessment && plan.assessment.status === 'completed',
    items: plan.items.map((i) => ({
      value: i.id,
      text: `${i.label}: ${i.summary}`,
      hint:
        i.kind === 'worry'
          ? `Who is worried: ${i.whoIsWorried ?? ''}`
          : [
              i.outcomeHeading ? `Supporting Families outcome: ${outcomeLabel(i.outcomeHeading)}` : '',
              i.notWorkedOnReason ? `Marked as not being worked on: ${i.notWorkedOnReason}` : '',
            ]
              .filter(Boolean)
              .join('. ') || undefined,
    })),
    outcomes: [
      {
        value: FROM_NEEDS,
        text: 'The outcome of the needs chosen',
        hint: 'Chosen for each need in the assessment (shown beside each need above)',
      },
      ...SUPPORTING_FAMILIES_OUTCOMES.map((o) => ({ value: o.value, text: o.text })),
    ],
    planHref: ehPath(EH_PATHS.plan, header.episode.id),
  };
}

async function submitGoal(
  ctx: Parameters<typeof loadEpisodeHeader>[0],
  form: z.infer<ReturnType<typeof goalForm>>,
  goalId?: string,
) {
  return withProblems(async () => {
    await saveGoal(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      goalId,
      itemIds: form.itemIds,
      whatWillChange: form.whatWillChange,
      actions: form.actions,
      who: form.who,
      byWhen: form.byWhen!,
      measure: form.measure,
      outcomeHeading: form.outcomeHeading,
      familyWords: form.familyWords,
      baselineScore: form.baselineScore,
      version: form.version,
    });
    ctx.flash(goalId ? 'The goal has been changed' : 'The goal has been added to the plan');
    return ehPath(EH_PATHS.plan, ctx.params.ehEpisodeId);
  });
}

export const newGoalPage = definePage({
  path: EH_PATHS.newGoal,
  view: 'early-help/views/goal.njk',
  access: 'early-help:write',
  title: 'Add a goal',
  params: episodeParams,
  form: ({ today }) => goalForm(today, true),
  labels: GOAL_LABELS,
  audit: { action: 'early-help-plan.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => goalPageData(ctx),
  submit: async (ctx, form) => submitGoal(ctx, form),
});

export const goalPage = definePage({
  path: EH_PATHS.goal,
  view: 'early-help/views/goal.njk',
  access: 'early-help:write',
  title: 'Change a goal',
  params: z.object({ ehEpisodeId: z.uuid(), ehGoalId: z.uuid() }),
  form: ({ today }) => goalForm(today, false),
  labels: GOAL_LABELS,
  audit: { action: 'early-help-plan.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => goalPageData(ctx, ctx.params.ehGoalId),
  submit: async (ctx, form) => submitGoal(ctx, form, ctx.params.ehGoalId),
});

export const itemPage = definePage({
  path: EH_PATHS.item,
  view: 'early-help/views/item.njk',
  access: 'early-help:write',
  title: 'Is this being worked on?',
  params: z.object({ ehEpisodeId: z.uuid(), ehItemId: z.uuid() }),
  labels: {
    notWorkedOn: 'Is this need or worry being left out of the plan?',
    reason: 'If it is not being worked on: why',
  },
  form: z
    .object({
      notWorkedOn: yesNo('Select whether this need or worry is being worked on'),
      reason: optionalText(2000, 'The reason must be 2,000 characters or fewer'),
      // The item's version when the page was shown: a stale page is a 409, a missing version a field error.
      version: recordVersion(),
    })
    .superRefine((v, ctx) => {
      if (v.notWorkedOn && !v.reason)
        ctx.addIssue({
          code: 'custom',
          path: ['reason'],
          message:
            'Say why it is not being worked on (for example, the family chose not to, or another service is helping)',
        });
    }),
  audit: { action: 'early-help-plan.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const plan = await loadPlan(ctx.db, header.episode.id);
    const item = plan.items.find((i) => i.id === ctx.params.ehItemId);
    if (!item) throw new NotFoundError();
    return {
      ...header,
      item,
      planHref: ehPath(EH_PATHS.plan, header.episode.id),
      // What is saved now, for the conflict page.
      saved: {
        notWorkedOn: item.notWorkedOnReason ? 'yes' : 'no',
        reason: item.notWorkedOnReason ?? '',
        version: String(item.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await setNotWorkedOn(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      itemId: ctx.params.ehItemId,
      reason: form.notWorkedOn ? form.reason! : null,
      version: form.version,
    });
    ctx.flash(
      form.notWorkedOn
        ? 'Recorded as not being worked on, with the reason'
        : 'Recorded as being worked on: add a goal that meets it',
    );
    return ehPath(EH_PATHS.plan, ctx.params.ehEpisodeId);
  },
});

export const agreePlanPage = definePage({
  path: EH_PATHS.agreePlan,
  view: 'early-help/views/plan-agree.njk',
  access: 'early-help:write',
  title: 'Agree the plan',
  params: episodeParams,
  form: z.object({
    familyAgreed: yesNo('Select whether the family agreed the plan'),
    familySummary: optionalText(3000, 'The summary for the family must be 3,000 characters or fewer'),
    // The plan's version when the form was shown (0: no plan yet): a change saved meanwhile is not overwritten (409).
    version: recordVersion(0),
  }),
  audit: { action: 'early-help-plan.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const plan = await loadPlan(ctx.db, header.episode.id);
    return {
      ...header,
      ...plan,
      saved: plan.plan
        ? {
            familyAgreed: plan.plan.familyAgreed === null ? '' : plan.plan.familyAgreed ? 'yes' : 'no',
            familySummary: plan.plan.familySummary ?? '',
            version: String(plan.plan.version),
          }
        : {},
      uncoveredView: plan.uncovered.map((i) => ({
        ...i,
        label: itemLabel(i),
        href: itemPath(header.episode.id, i.id),
      })),
      planHref: ehPath(EH_PATHS.plan, header.episode.id),
      newGoalHref: ehPath(EH_PATHS.newGoal, header.episode.id),
    };
  },
  submit: async (ctx, form) =>
    withProblems(async () => {
      await agreePlan(ctx, {
        episodeId: ctx.params.ehEpisodeId,
        familyAgreed: form.familyAgreed,
        familySummary: form.familySummary,
        version: form.version,
      });
      ctx.flash('The plan has been agreed. Print the family’s copy from the plan page.');
      return ehPath(EH_PATHS.plan, ctx.params.ehEpisodeId);
    }),
});

export const printPlanPage = definePage({
  path: EH_PATHS.printPlan,
  view: 'early-help/views/plan-print.njk',
  access: 'early-help:read',
  title: 'Our family plan',
  params: episodeParams,
  audit: { action: 'early-help-plan.printed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const plan = await loadPlan(ctx.db, header.episode.id);
    const members = await tafMembers(ctx.db, header.episode.id);
    return {
      ...header,
      ...plan,
      members,
      worries: plan.items.filter((i) => i.kind === 'worry'),
      planHref: ehPath(EH_PATHS.plan, header.episode.id),
    };
  },
});

export const planPages = [planPage, newGoalPage, goalPage, itemPage, agreePlanPage, printPlanPage];
