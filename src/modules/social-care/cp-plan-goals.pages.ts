import { definePage } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { actionsForPlan } from './actions.service.ts';
import { cpPlanDetails } from './child-protection.service.ts';
import { cpMeetings, latestCpRating } from './cp-goal-progress.ts';
import { cpPlanParams, episodeHeader, PATHS, viewAudit } from './pages-common.ts';
import { newGoalActionPage, planGoalPageData, planGoalQuery, submitPlanGoal } from './plan-goals.pages.ts';
import { planGoalForm } from './social-care.schemas.ts';
import { firstCoreGroupDue, reviewConferenceDue, type GoalRating } from './social-care.ts';

/**
 * A child protection plan's goals (issue 18 item 10): a goal added to an open plan, tied to the worry the conference
 * decided or the assessment's worries, and the plan in plain words for the family, with how each goal is going.
 */

export const newCpGoalPage = definePage({
  path: PATHS.newCpGoal,
  view: 'social-care/views/cp-goal-new.njk',
  access: 'social-care:write',
  title: 'Add a goal to the child protection plan',
  params: cpPlanParams,
  query: planGoalQuery,
  form: ({ today }) => planGoalForm(today),
  audit: viewAudit('cp-plan.goal-new-viewed', 'cp-plan', 'cpPlanId'),
  load: (ctx) => planGoalPageData(ctx, { cpPlanId: ctx.params.cpPlanId }),
  submit: (ctx, form) =>
    submitPlanGoal(ctx, { cpPlanId: ctx.params.cpPlanId }, form, {
      flash: 'Goal added to the child protection plan',
      path: pathTo(PATHS.cpPlan, ctx.params),
    }),
});

/** How a goal is going, in the family's words. */
const FAMILY_RATING: Record<GoalRating, string> = {
  achieved: 'This has happened',
  progressing: 'Things are getting better',
  'not-progressing': 'Things are not getting better yet',
  'not-started': 'This has not started yet',
};

export const cpFamilyPlanPage = definePage({
  path: PATHS.cpFamilyPlan,
  view: 'social-care/views/cp-plan-family.njk',
  access: 'social-care:read',
  title: 'Keeping everyone safe: our plan',
  params: cpPlanParams,
  // Opening the family's version is printing it: recorded as such.
  audit: viewAudit('cp-plan.printed', 'cp-plan', 'cpPlanId'),
  load: async (ctx) => {
    const { plan, episode, coreGroups, reviews, goals, progress } = await cpPlanDetails(
      ctx,
      ctx.params.cpPlanId,
    );
    const meetings = cpMeetings(coreGroups, reviews);
    const calendar = ctx.services.calendar;
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      plan,
      goals: goals.map((g) => {
        const latest = latestCpRating(meetings, progress, g.id);
        return {
          ...g,
          latest: latest
            ? {
                words: FAMILY_RATING[latest.progress.rating as GoalRating],
                notes: latest.progress.notes,
                meeting: latest.meeting.kind === 'core-group' ? 'core group meeting' : 'review conference',
                heldOn: latest.meeting.heldOn,
              }
            : null,
        };
      }),
      // A goal's actions, done or not, under the goal; the plan's other actions still open after the goals.
      actions: await actionsForPlan(ctx.db, { cpPlanId: plan.id }),
      next: plan.endDate
        ? null
        : {
            coreGroup: coreGroups.length ? null : firstCoreGroupDue(calendar, plan.startDate),
            review: reviewConferenceDue(calendar, plan.startDate, reviews.at(-1)?.heldOn ?? null),
          },
      printedBy: ctx.user.displayName,
      printedAt: ctx.now,
    };
  },
});

// The goal action page serves both kinds of plan; it is listed here with the other plan goal pages.
export const cpPlanGoalPages = [newCpGoalPage, cpFamilyPlanPage, newGoalActionPage];
