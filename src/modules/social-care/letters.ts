import { NotFoundError } from '../../kernel/errors.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import {
  closureLetterFields,
  familyWording,
  planLetterFields,
  reviewLetterFields,
  type LetterSource,
} from '../documents/index.ts';
import { requireCinPlan } from './cin-plan.service.ts';
import { requireCpPlan, requireEnquiry } from './child-protection.service.ts';
import { requireEpisode } from './episode.service.ts';
import { PATHS } from './pages-common.ts';
import { cinReviewDue, firstCoreGroupDue, icpcTarget, reviewConferenceDue } from './social-care.ts';
import type { EpisodeRow } from './episode.repository.ts';

/**
 * Social care's letters (issue 23): the documents module's kinds filled in from the record where the event happens.
 * Each source checks the user may read the episode; the documents module then checks they may add to the child's
 * record. Listed in src/modules/index.ts (`letterSources`) through the module's index.ts.
 *
 * - 'section-47': the invitation to the initial conference, dated by the enquiry's conference target.
 * - 'cp-plan': the invitation to the next review conference and to a core group, the family's copy of the plan and
 *   the child-friendly version.
 * - 'cin-plan': the family's copy of the plan and the child-friendly version.
 * - 'cin-review' and 'cp-conference' (a review conference): what was decided.
 * - 'cin-episode': the closure letter (the step-down letters are early help's: it holds the step-down and, from
 *   then on, the child's record, so the new lead practitioner produces them from the handover page).
 *
 * Threshold records a conference or core group when it is held, not when it is booked, so an invitation gives the
 * date it is due by and the worker adds the time and place when they edit the letter.
 */

const date = (iso: string) => formatDateGovUk(iso);
const firstNameOf = (e: Pick<EpisodeRow, 'knownAs' | 'givenName'>) => e.knownAs ?? e.givenName;

/** A plan's goals as the family reads them: their own wording where it was written, else the goal. */
async function planGoals(ctx: ReadContext, plan: { cinPlanId: string } | { cpPlanId: string }) {
  const q = ctx.db.selectFrom('cinPlanGoals').select(['goal', 'familyWording']);
  const rows = await (
    'cinPlanId' in plan ? q.where('cinPlanId', '=', plan.cinPlanId) : q.where('cpPlanId', '=', plan.cpPlanId)
  )
    .where('achievedOn', 'is', null)
    .orderBy('position')
    .execute();
  return rows.map((g) => familyWording(g.familyWording, g.goal));
}

async function lastReviewConference(ctx: ReadContext, cpPlanId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('cpConferences')
    .select('heldOn')
    .where('cpPlanId', '=', cpPlanId)
    .where('kind', '=', 'review')
    .orderBy('heldOn', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.heldOn ?? null;
}

export const section47LetterSource: LetterSource = {
  sourceType: 'section-47',
  kinds: ['conference-invitation'],
  async load(ctx, enquiryId) {
    const { enquiry, episode } = await requireEnquiry(ctx, enquiryId, 'read');
    if (enquiry.icpcNotRequired || episode.closureDate) throw new NotFoundError();
    const due = enquiry.icpcTarget ?? icpcTarget(ctx.calendar, enquiry.startDate);
    return {
      childId: episode.childId,
      fields: { conference: { kind: 'initial', date: date(due), time: null, venue: null } },
      backPath: PATHS.section47.replace(':enquiryId', enquiryId),
      backText: 'Back to the section 47 enquiry',
    };
  },
};

export const cpPlanLetterSource: LetterSource = {
  sourceType: 'cp-plan',
  kinds: ['conference-invitation', 'core-group-invitation', 'cp-plan-family', 'child-friendly-plan'],
  async load(ctx, cpPlanId, kind) {
    const { plan, episode } = await requireCpPlan(ctx, cpPlanId, 'read');
    if (plan.endDate) throw new NotFoundError();
    const reviewDue = reviewConferenceDue(
      ctx.calendar,
      plan.startDate,
      await lastReviewConference(ctx, plan.id),
    );
    const back = {
      backPath: PATHS.cpPlan.replace(':cpPlanId', cpPlanId),
      backText: 'Back to the child protection plan',
    };
    if (kind === 'conference-invitation')
      return {
        childId: episode.childId,
        fields: { conference: { kind: 'review', date: date(reviewDue), time: null, venue: null } },
        ...back,
      };
    if (kind === 'core-group-invitation') {
      const held = await ctx.db
        .selectFrom('cpCoreGroups')
        .select('id')
        .where('cpPlanId', '=', plan.id)
        .limit(1)
        .executeTakeFirst();
      // Only the first core group has a statutory date (10 working days from the conference); later ones are
      // agreed at the meeting before, so the worker adds the date.
      const due = held ? null : date(firstCoreGroupDue(ctx.calendar, plan.startDate));
      return {
        childId: episode.childId,
        fields: { meeting: { date: due, time: null, venue: null } },
        ...back,
      };
    }
    return {
      childId: episode.childId,
      fields: planLetterFields(plan.startDate, reviewDue, await planGoals(ctx, { cpPlanId: plan.id })),
      ...back,
    };
  },
};

export const cinPlanLetterSource: LetterSource = {
  sourceType: 'cin-plan',
  kinds: ['cin-plan-family', 'child-friendly-plan'],
  async load(ctx, cinPlanId) {
    const { plan, episode } = await requireCinPlan(ctx, cinPlanId, 'read');
    if (plan.endDate) throw new NotFoundError();
    const lastReview = await ctx.db
      .selectFrom('cinPlanReviews')
      .select('heldOn')
      .where('cinPlanId', '=', plan.id)
      .orderBy('heldOn', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      childId: episode.childId,
      fields: planLetterFields(
        plan.startDate,
        cinReviewDue(ctx.calendar, plan.startDate, lastReview?.heldOn ?? null, plan.reviewIntervalWeeks),
        await planGoals(ctx, { cinPlanId: plan.id }),
      ),
      backPath: PATHS.cinPlan.replace(':cinPlanId', cinPlanId),
      backText: 'Back to the child in need plan',
    };
  },
};

/** What a child in need plan review decided, in words for the family. */
export function cinReviewOutcomeWords(
  decision: string,
  firstName: string,
  nextReviewDue: string | null,
): string {
  switch (decision) {
    case 'continue':
      return `We agreed that ${firstName}’s child in need plan carries on.${nextReviewDue ? ` We will review it again by ${date(nextReviewDue)}.` : ''}`;
    case 'step-down':
      return 'We agreed that things have improved enough for your family’s support to move from social care to early help. We will arrange a meeting with you and your new lead practitioner to hand over.';
    case 'close':
      return `We agreed that the plan’s goals have been met, so our work with ${firstName} and your family will come to an end.`;
    case 'escalate':
      return `We are still worried about ${firstName}’s safety, so we will talk with the police and health services about what needs to happen next. Your social worker will explain this to you.`;
    default:
      return '';
  }
}

export const cinReviewLetterSource: LetterSource = {
  sourceType: 'cin-review',
  kinds: ['review-outcome'],
  async load(ctx, reviewId) {
    const review = await ctx.db
      .selectFrom('cinPlanReviews')
      .select(['cinPlanId', 'heldOn', 'decision', 'nextReviewDue'])
      .where('id', '=', reviewId)
      .executeTakeFirst();
    if (!review) throw new NotFoundError();
    const { episode } = await requireCinPlan(ctx, review.cinPlanId, 'read');
    return {
      childId: episode.childId,
      fields: reviewLetterFields(
        review.heldOn,
        cinReviewOutcomeWords(review.decision, firstNameOf(episode), review.nextReviewDue),
      ),
      backPath: PATHS.cinPlan.replace(':cinPlanId', review.cinPlanId),
      backText: 'Back to the child in need plan',
    };
  },
};

export const reviewConferenceLetterSource: LetterSource = {
  sourceType: 'cp-conference',
  kinds: ['review-outcome'],
  async load(ctx, conferenceId) {
    const conference = await ctx.db
      .selectFrom('cpConferences')
      .select(['episodeId', 'kind', 'heldOn', 'outcome', 'decisions'])
      .where('id', '=', conferenceId)
      .executeTakeFirst();
    if (conference?.kind !== 'review') throw new NotFoundError();
    const episode = await requireEpisode(ctx, conference.episodeId, 'read');
    const decided =
      conference.outcome === 'end-plan'
        ? `The conference decided that ${firstNameOf(episode)} no longer needs a child protection plan, so the plan has ended.`
        : `The conference decided that ${firstNameOf(episode)}’s child protection plan carries on. The core group will keep meeting, and there will be another review conference within six months.`;
    return {
      childId: episode.childId,
      fields: reviewLetterFields(conference.heldOn, `${decided}\n\n${conference.decisions}`),
      backPath: PATHS.conference.replace(':conferenceId', conferenceId),
      backText: 'Back to the conference',
    };
  },
};

/** Why a CIN episode closed, in words for the family; null for closures that do not get this letter. */
export function cinClosureWords(reason: string | null, firstName: string): string | null {
  switch (reason) {
    case 'RC3':
    case 'RC4':
      return `The court’s order now says who ${firstName} lives with and who looks after them, so children’s social care no longer needs to be involved.`;
    case 'RC6':
      return `${firstName}’s support now comes from adult social care services, who will stay in touch with you.`;
    case 'RC7':
      return `Things have improved, and ${firstName} no longer needs support from children’s social care.`;
    case 'RC8':
      return `After our assessment, we decided that your family does not need support from children’s social care.`;
    case 'RC9':
      return `After our assessment, we decided that early help is the right support for your family, and an early help worker will contact you.`;
    default:
      // Adoption (RC1), a child's death (RC2) and a transfer to another authority (RC5) are written by hand.
      return null;
  }
}

export const cinEpisodeLetterSource: LetterSource = {
  sourceType: 'cin-episode',
  kinds: ['closure-letter'],
  async load(ctx, episodeId) {
    const episode = await requireEpisode(ctx, episodeId, 'read');
    const reason = cinClosureWords(episode.closureReason, firstNameOf(episode));
    if (!episode.closureDate || !reason || episode.earlyHelpEpisodeId) throw new NotFoundError();
    return {
      childId: episode.childId,
      fields: closureLetterFields(episode.closureDate, reason),
      backPath: PATHS.episode.replace(':episodeId', episodeId),
      backText: 'Back to the episode',
    };
  },
};

export const socialCareLetterSources: LetterSource[] = [
  section47LetterSource,
  cpPlanLetterSource,
  cinPlanLetterSource,
  cinReviewLetterSource,
  reviewConferenceLetterSource,
  cinEpisodeLetterSource,
];
