import { z } from 'zod';
import { ABUSE_CATEGORIES } from '../../kernel/code-sets/cin-census.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { latestChildVoice } from '../people/index.ts';
import { definePage } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { actionsForPlan, checksAt, openActionsForPlan } from './actions.service.ts';
import { cpGoalTies } from './cin-plan.service.ts';
import { cpGoalsAndProgress, cpMeetings, latestCpRating } from './cp-goal-progress.ts';
import {
  conferenceDetails,
  cpPlanDetails,
  endCpPlan,
  recordCoreGroup,
  recordInitialConference,
  recordReviewConference,
  recordSection47Outcome,
  requireCpPlan,
  requireEnquiry,
  startCpPlan,
  startSection47,
  recordStrategyDiscussion,
  strategyDiscussionDetails,
} from './child-protection.service.ts';
import {
  conferenceFor,
  initialConferences,
  lastStrategyDiscussion,
  loadEpisodeSnapshot,
} from './episode.repository.ts';
import { categoryLabel } from './episode-view.ts';
import {
  agencyItems,
  cpPlanParams,
  episodeForForm,
  episodeHeader,
  episodeParams,
  options,
  PATHS,
  planForForm,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import {
  GOAL_ROWS,
  coreGroupForm,
  cpPlanForm,
  endCpPlanForm,
  initialConferenceForm,
  PARTICIPANT_ROWS,
  reviewConferenceForm,
  section47OutcomeForm,
  startSection47Form,
  strategyDiscussionForm,
} from './social-care.schemas.ts';
import {
  CP_END_REASON_LABELS,
  CP_END_REASONS,
  firstCoreGroupDue,
  ICPC_OUTCOME_LABELS,
  ICPC_OUTCOMES,
  icpcTarget,
  REVIEW_OUTCOME_LABELS,
  REVIEW_OUTCOMES,
  reviewConferenceDue,
  S47_OUTCOME_LABELS,
  S47_OUTCOMES,
  STRATEGY_DECISION_LABELS,
  STRATEGY_DECISIONS,
  type CpEndReason,
  type IcpcOutcome,
  type ReviewOutcome,
  type S47Outcome,
  type StrategyDecision,
  GOAL_RATING_LABELS,
  GOAL_RATINGS,
  type GoalRating,
} from './social-care.ts';
import { requirePermission, type ServiceContext } from '../../kernel/service/index.ts';
import { letterLinks } from '../documents/index.ts';

/** Strategy discussions, section 47 enquiries, conferences, child protection plans and core groups. */

const CATEGORY_ITEMS = ABUSE_CATEGORIES.map((c) => ({ value: c.code, text: `${c.code}: ${c.label}` }));

// Strategy discussions --------------------------------------------------------------------------------------------

export const newStrategyDiscussionPage = definePage({
  path: PATHS.newStrategyDiscussion,
  view: 'social-care/views/strategy-new.njk',
  access: 'social-care:write',
  title: 'Record a strategy discussion',
  params: episodeParams,
  form: ({ today }) => strategyDiscussionForm(today),
  audit: viewAudit('strategy-discussion.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { header } = await episodeForForm(ctx, ctx.params.episodeId);
    return {
      header,
      agencies: await agencyItems(ctx.db),
      rows: PARTICIPANT_ROWS,
      decisions: options(STRATEGY_DECISIONS, STRATEGY_DECISION_LABELS),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      const id = await recordStrategyDiscussion(ctx, {
        episodeId: ctx.params.episodeId,
        heldOn: form.heldOn!,
        informationShared: form.informationShared,
        decision: form.decision,
        rationale: form.rationale,
        participants: form.rows,
      });
      ctx.flash('Strategy discussion recorded');
      return form.decision === 'section-47'
        ? pathTo(PATHS.newSection47, ctx.params)
        : pathTo(PATHS.strategyDiscussion, { strategyDiscussionId: id });
    }),
});

export const strategyDiscussionPage = definePage({
  path: PATHS.strategyDiscussion,
  view: 'social-care/views/strategy.njk',
  access: 'social-care:read',
  title: 'Strategy discussion',
  params: z.object({ strategyDiscussionId: z.uuid() }),
  audit: viewAudit('strategy-discussion.viewed', 'cp-strategy-discussion', 'strategyDiscussionId'),
  load: async (ctx) => {
    const { discussion, episode, participants } = await strategyDiscussionDetails(
      ctx,
      ctx.params.strategyDiscussionId,
    );
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      discussion,
      participants,
      decisionLabel: STRATEGY_DECISION_LABELS[discussion.decision as StrategyDecision],
    };
  },
});

// Section 47 ------------------------------------------------------------------------------------------------------

export const newSection47Page = definePage({
  path: PATHS.newSection47,
  view: 'social-care/views/section-47-new.njk',
  access: 'social-care:write',
  title: 'Start a section 47 enquiry',
  params: episodeParams,
  form: ({ today }) => startSection47Form(today),
  audit: viewAudit('section-47.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const last = lastStrategyDiscussion(s);
    return {
      header,
      lastStrategy: last,
      target: last ? icpcTarget(ctx.services.calendar, last.heldOn) : null,
      defaults: dateToParts('startDate', last?.heldOn ?? todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['startDate'], async () => {
      const id = await startSection47(ctx, {
        episodeId: ctx.params.episodeId,
        startDate: form.startDate!,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Section 47 enquiry started');
      return pathTo(PATHS.section47, { enquiryId: id });
    }),
});

const s47Params = z.object({ enquiryId: z.uuid() });

export const section47Page = definePage({
  path: PATHS.section47,
  view: 'social-care/views/section-47.njk',
  access: 'social-care:read',
  title: 'Section 47 enquiry',
  params: s47Params,
  audit: viewAudit('section-47.viewed', 'section-47', 'enquiryId'),
  load: async (ctx) => {
    const { enquiry, episode } = await requireEnquiry(ctx, ctx.params.enquiryId, 'read');
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const conference = conferenceFor(s, enquiry.id);
    const open = !episode.closureDate && ctx.user.permissions.has('social-care:write');
    const today = todayIn(ctx.services.clock);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      enquiry,
      outcomeLabel: enquiry.outcome ? S47_OUTCOME_LABELS[enquiry.outcome as S47Outcome] : null,
      conference,
      targetOverdue:
        !conference && !enquiry.icpcNotRequired && !!enquiry.icpcTarget && enquiry.icpcTarget < today,
      can: { outcome: open && !enquiry.outcome, conference: open && !conference && !enquiry.icpcNotRequired },
      letters:
        !episode.closureDate && !conference && !enquiry.icpcNotRequired
          ? letterLinks(ctx.user, 'section-47', enquiry.id, [
              {
                kind: 'conference-invitation',
                text: 'Produce the family’s invitation to the initial conference',
              },
            ])
          : [],
    };
  },
});

export const section47OutcomePage = definePage({
  path: PATHS.section47Outcome,
  view: 'social-care/views/section-47-outcome.njk',
  access: 'social-care:write',
  title: 'Outcome of the section 47 enquiry',
  params: s47Params,
  form: ({ today }) => section47OutcomeForm(today),
  audit: viewAudit('section-47.outcome-viewed', 'section-47', 'enquiryId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const { enquiry, episode } = await requireEnquiry(ctx, ctx.params.enquiryId, 'write');
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      enquiry,
      outcomes: options(S47_OUTCOMES, S47_OUTCOME_LABELS),
      // What is saved now, for the conflict page when someone recorded the outcome since the page was shown.
      saved: {
        version: String(enquiry.version),
        ...(enquiry.outcome
          ? {
              ...dateToParts('outcomeOn', enquiry.outcomeOn),
              outcome: enquiry.outcome,
              notes: enquiry.outcomeNotes ?? '',
            }
          : {}),
      },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['outcomeOn'], async () => {
      await recordSection47Outcome(ctx, {
        section47Id: ctx.params.enquiryId,
        outcomeOn: form.outcomeOn!,
        outcome: form.outcome,
        notes: form.notes,
        version: form.version,
      });
      ctx.flash('Outcome recorded');
      const { enquiry } = await requireEnquiry(ctx, ctx.params.enquiryId, 'read');
      return form.outcome === 'icpc'
        ? pathTo(PATHS.newConference, { episodeId: enquiry.episodeId })
        : pathTo(PATHS.section47, ctx.params);
    }),
});

// Conferences -----------------------------------------------------------------------------------------------------

export const newConferencePage = definePage({
  path: PATHS.newConference,
  view: 'social-care/views/conference-new.njk',
  access: 'social-care:write',
  title: 'Record an initial child protection conference',
  params: episodeParams,
  form: ({ today }) => initialConferenceForm(today),
  audit: viewAudit('cp-conference.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const waiting = s.enquiries.filter((e) => !conferenceFor(s, e.id) && !e.icpcNotRequired);
    return {
      header,
      enquiries: waiting.map((e) => ({
        value: e.id,
        text: `Section 47 enquiry started ${e.startDate}${e.icpcTarget ? `, conference target ${e.icpcTarget}` : ''}`,
      })),
      transferIn: !s.enquiries.length && !initialConferences(s).length,
      agencies: await agencyItems(ctx.db),
      rows: PARTICIPANT_ROWS,
      outcomes: options(ICPC_OUTCOMES, ICPC_OUTCOME_LABELS),
      categories: CATEGORY_ITEMS,
      defaults: { section47Id: waiting[0]?.id ?? '' },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      await recordInitialConference(ctx, {
        episodeId: ctx.params.episodeId,
        section47Id: form.section47Id || null,
        heldOn: form.heldOn!,
        chair: form.chair,
        attendees: form.rows,
        quorumNote: form.quorumNote,
        outcome: form.outcome,
        category: form.category,
        decisions: form.decisions,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Conference recorded');
      return form.outcome === 'cp-plan'
        ? pathTo(PATHS.newCpPlan, ctx.params)
        : pathTo(PATHS.episode, ctx.params);
    }),
});

export const conferencePage = definePage({
  path: PATHS.conference,
  view: 'social-care/views/conference.njk',
  access: 'social-care:read',
  title: 'Child protection conference',
  params: z.object({ conferenceId: z.uuid() }),
  audit: viewAudit('cp-conference.viewed', 'cp-conference', 'conferenceId'),
  load: async (ctx) => {
    const { conference, episode, plan, attendees } = await conferenceDetails(ctx, ctx.params.conferenceId);
    const checks = await checksAt(ctx.db, [conference.id]);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      conference,
      plan,
      attendees,
      checks,
      outcomeLabel:
        conference.kind === 'initial'
          ? ICPC_OUTCOME_LABELS[conference.outcome as IcpcOutcome]
          : REVIEW_OUTCOME_LABELS[conference.outcome as ReviewOutcome],
      categoryLabel: categoryLabel(conference.category),
      letters:
        conference.kind === 'review'
          ? letterLinks(ctx.user, 'cp-conference', conference.id, [
              { kind: 'review-outcome', text: 'Produce the letter to the family about what was decided' },
            ])
          : [],
    };
  },
});

// Child protection plans ------------------------------------------------------------------------------------------

export const newCpPlanPage = definePage({
  path: PATHS.newCpPlan,
  view: 'social-care/views/cp-plan-new.njk',
  access: 'social-care:write',
  title: 'Start the child protection plan',
  params: episodeParams,
  form: ({ today }) => cpPlanForm(today),
  audit: viewAudit('cp-plan.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const conference =
      [...initialConferences(s)]
        .reverse()
        .find(
          (c) => c.outcome === 'cp-plan' && !s.childCpPlans.some((p) => p.initialConferenceId === c.id),
        ) ?? null;
    const openCin = s.childCinPlans.find((p) => !p.endDate) ?? null;
    return {
      header,
      conference,
      openCin,
      ties: cpGoalTies(s, conference?.category).map((t) => ({ value: t, text: t })),
      goalRows: GOAL_ROWS,
      previousPlans: s.childCpPlans.length,
      categories: CATEGORY_ITEMS,
      defaults: conference
        ? { ...dateToParts('startDate', conference.heldOn), initialCategory: conference.category ?? '' }
        : {},
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['startDate'], async () => {
      const id = await startCpPlan(ctx, {
        episodeId: ctx.params.episodeId,
        startDate: form.startDate!,
        initialCategory: form.initialCategory,
        planSummary: form.planSummary,
        goals: form.rows,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Child protection plan started');
      return pathTo(PATHS.cpPlan, { cpPlanId: id });
    }),
});

export const cpPlanPage = definePage({
  path: PATHS.cpPlan,
  view: 'social-care/views/cp-plan.njk',
  access: 'social-care:read',
  title: 'Child protection plan',
  params: cpPlanParams,
  audit: viewAudit('cp-plan.viewed', 'cp-plan', 'cpPlanId'),
  load: async (ctx) => {
    const { plan, episode, coreGroups, reviews, conference, goals, progress } = await cpPlanDetails(
      ctx,
      ctx.params.cpPlanId,
    );
    /** A goal's rating at a meeting, in words ('' when it was not rated there). */
    const ratingAt = (meetingId: string, goalId: string) => {
      const p = progress.find((x) => x.meetingId === meetingId && x.goalId === goalId);
      return p ? { rating: GOAL_RATING_LABELS[p.rating as GoalRating], notes: p.notes ?? '' } : null;
    };
    const meetings = cpMeetings(coreGroups, reviews);
    const progressAt = (meetingId: string) =>
      goals
        .map((g) => ({ position: g.position, goal: g.goal, ...ratingAt(meetingId, g.id) }))
        .filter((x) => 'rating' in x);
    const actions = await actionsForPlan(ctx.db, { cpPlanId: plan.id });
    const checks = await checksAt(ctx.db, [...coreGroups.map((g) => g.id), ...reviews.map((r) => r.id)]);
    const calendar = ctx.services.calendar;
    const lastReview = reviews.at(-1)?.heldOn ?? null;
    const writable = !plan.endDate && !episode.closureDate && ctx.user.permissions.has('social-care:write');
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      plan,
      conference,
      initialCategoryLabel: categoryLabel(plan.initialCategory),
      latestCategoryLabel: categoryLabel(plan.latestCategory),
      endReasonLabel: plan.endReason ? CP_END_REASON_LABELS[plan.endReason as CpEndReason] : null,
      goals: goals.map((g) => {
        const latest = latestCpRating(meetings, progress, g.id);
        return {
          ...g,
          latestRating: latest
            ? GOAL_RATING_LABELS[latest.progress.rating as GoalRating]
            : 'Not reviewed yet',
        };
      }),
      coreGroups: coreGroups.map((g) => ({
        ...g,
        checks: checks.filter((c) => c.reviewId === g.id),
        goalProgress: progressAt(g.id),
      })),
      reviews: reviews.map((r) => ({
        ...r,
        goalProgress: progressAt(r.id),
        outcomeLabel: REVIEW_OUTCOME_LABELS[r.outcome as ReviewOutcome],
        categoryLabel: categoryLabel(r.category),
        checks: checks.filter((c) => c.reviewId === r.id),
      })),
      actions,
      due: plan.endDate
        ? null
        : {
            firstCoreGroup: coreGroups.length ? null : firstCoreGroupDue(calendar, plan.startDate),
            review: reviewConferenceDue(calendar, plan.startDate, lastReview),
          },
      can: { write: writable },
      letters: plan.endDate
        ? []
        : letterLinks(ctx.user, 'cp-plan', plan.id, [
            { kind: 'cp-plan-family', text: 'Produce the family’s copy of the plan' },
            { kind: 'child-friendly-plan', text: 'Produce the child-friendly version of the plan' },
            { kind: 'core-group-invitation', text: 'Produce the family’s invitation to the next core group' },
            {
              kind: 'conference-invitation',
              text: 'Produce the family’s invitation to the review conference',
            },
          ]),
    };
  },
});

/** The plan's goals for a meeting to rate, one by one (none for a plan from before goals). */
async function goalsToRate(ctx: ServiceContext, cpPlanId: string) {
  return {
    goals: (await cpGoalsAndProgress(ctx.db, cpPlanId)).goals,
    ratings: options(GOAL_RATINGS, GOAL_RATING_LABELS),
  };
}

const loadPlanForForm = (ctx: ServiceContext & { params: { cpPlanId: string } }) =>
  planForForm(ctx, requireCpPlan, ctx.params.cpPlanId);

export const newCoreGroupPage = definePage({
  path: PATHS.newCoreGroup,
  view: 'social-care/views/core-group-new.njk',
  access: 'social-care:write',
  title: 'Record a core group meeting',
  params: cpPlanParams,
  form: ({ today }) => coreGroupForm(today),
  audit: viewAudit('cp-core-group.new-viewed', 'cp-plan', 'cpPlanId'),
  load: async (ctx) => {
    const base = await loadPlanForForm(ctx);
    return {
      ...base,
      agencies: await agencyItems(ctx.db),
      actions: await openActionsForPlan(ctx.db, { cpPlanId: base.plan.id }),
      firstDue: firstCoreGroupDue(ctx.services.calendar, base.plan.startDate),
      ...(await goalsToRate(ctx, base.plan.id)),
      latestWords: await latestChildVoice(ctx, [base.header.childId]),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      await recordCoreGroup(ctx, {
        cpPlanId: ctx.params.cpPlanId,
        heldOn: form.heldOn!,
        agencies: form.agencies,
        attendees: form.attendees,
        childSeen: form.childSeen,
        progress: form.progress,
        scaling: form.scaling,
        actionsDone: form.actionsDone,
        goalProgress: form.rows,
      });
      ctx.flash('Core group recorded');
      return pathTo(PATHS.cpPlan, ctx.params);
    }),
});

export const newReviewConferencePage = definePage({
  path: PATHS.newReviewConference,
  view: 'social-care/views/review-conference-new.njk',
  access: 'social-care:write',
  title: 'Record a review child protection conference',
  params: cpPlanParams,
  form: ({ today }) => reviewConferenceForm(today),
  audit: viewAudit('cp-conference.review-new-viewed', 'cp-plan', 'cpPlanId'),
  load: async (ctx) => {
    const base = await loadPlanForForm(ctx);
    return {
      ...base,
      actions: await openActionsForPlan(ctx.db, { cpPlanId: base.plan.id }),
      agencies: await agencyItems(ctx.db),
      rows: PARTICIPANT_ROWS,
      outcomes: options(REVIEW_OUTCOMES, REVIEW_OUTCOME_LABELS),
      categories: CATEGORY_ITEMS,
      defaults: { latestCategory: base.plan.latestCategory },
      saved: { ...base.saved, latestCategory: base.plan.latestCategory },
      ...(await goalsToRate(ctx, base.plan.id)),
      latestWords: await latestChildVoice(ctx, [base.header.childId]),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      await recordReviewConference(ctx, {
        cpPlanId: ctx.params.cpPlanId,
        heldOn: form.heldOn!,
        chair: form.chair,
        attendees: form.rows.attendees,
        goalProgress: form.rows.goalProgress,
        quorumNote: form.quorumNote,
        outcome: form.outcome,
        latestCategory: form.latestCategory,
        decisions: form.decisions,
        actionsDone: form.actionsDone,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash(
        form.outcome === 'end-plan'
          ? 'Review conference recorded: the plan has ended'
          : 'Review conference recorded',
      );
      return pathTo(PATHS.cpPlan, ctx.params);
    }),
});

export const endCpPlanPage = definePage({
  path: PATHS.endCpPlan,
  view: 'social-care/views/cp-plan-end.njk',
  access: 'social-care:write',
  title: 'End the child protection plan',
  params: cpPlanParams,
  form: ({ today }) => endCpPlanForm(today),
  audit: viewAudit('cp-plan.end-viewed', 'cp-plan', 'cpPlanId'),
  load: async (ctx) => ({
    ...(await loadPlanForForm(ctx)),
    reasons: options(CP_END_REASONS, CP_END_REASON_LABELS),
  }),
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['endDate'], async () => {
      await endCpPlan(ctx, {
        cpPlanId: ctx.params.cpPlanId,
        endDate: form.endDate!,
        reason: form.reason,
        notes: form.notes,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash('Child protection plan ended');
      return pathTo(PATHS.cpPlan, ctx.params);
    }),
});

export const childProtectionPages = [
  newStrategyDiscussionPage,
  strategyDiscussionPage,
  newSection47Page,
  section47Page,
  section47OutcomePage,
  newConferencePage,
  conferencePage,
  newCpPlanPage,
  cpPlanPage,
  newCoreGroupPage,
  newReviewConferencePage,
  endCpPlanPage,
];
