import { requireAccess } from '../../kernel/access/index.ts';
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
import { requireEpisodeAccess } from './access.ts';
import { ehPath, EH_PATHS, reviewPath } from './paths.ts';
import { nextReviewDueOn } from './review.service.ts';

/**
 * Early help's letters (issue 23): the documents module's kinds filled in from the episode. A letter is kept on one
 * child's record: the episode's first child (the one it was opened for), or the stepped-down child. Each source
 * checks the user may read the episode (or the child, for a step-down); the documents module then checks they may
 * add to the child's record. Listed in src/modules/index.ts (`letterSources`) through the module's index.ts.
 *
 * - 'eh-plan': the family's copy of the agreed plan and the child-friendly version.
 * - 'eh-review': what a team-around-the-family review decided.
 * - 'eh-episode': the closure letter.
 * - 'eh-step-down' (the early help episode a social care episode stepped down to): the letters to the family and to
 *   the new lead practitioner.
 */

const date = (iso: string) => formatDateGovUk(iso);

/** The child the episode's letters are kept on: the first added (the one it was opened for). */
async function firstChild(ctx: ReadContext, episodeId: string) {
  const row = await ctx.db
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('people as p', 'p.id', 'c.childId')
    .select(['c.childId', 'p.givenName', 'p.knownAs'])
    .where('c.episodeId', '=', episodeId)
    .orderBy('c.addedOn')
    .orderBy('p.dateOfBirth')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return { childId: row.childId, firstName: row.knownAs ?? row.givenName };
}

async function episodeFor(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  return ctx.db
    .selectFrom('earlyHelpEpisodes')
    .selectAll()
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
}

export const earlyHelpPlanLetterSource: LetterSource = {
  sourceType: 'eh-plan',
  kinds: ['early-help-plan-family', 'child-friendly-plan'],
  async load(ctx, planId) {
    const plan = await ctx.db
      .selectFrom('earlyHelpPlans')
      .select(['episodeId', 'agreedOn'])
      .where('id', '=', planId)
      .executeTakeFirst();
    if (!plan) throw new NotFoundError();
    const episode = await episodeFor(ctx, plan.episodeId);
    if (!plan.agreedOn || episode.status !== 'open') throw new NotFoundError();
    const goals = await ctx.db
      .selectFrom('earlyHelpGoals')
      .select(['whatWillChange', 'familyWords'])
      .where('planId', '=', planId)
      .where('status', 'not in', ['achieved', 'no-longer-needed'])
      .orderBy('position')
      .execute();
    const reviewOn = await nextReviewDueOn(ctx.db, episode);
    return {
      childId: (await firstChild(ctx, episode.id)).childId,
      fields: planLetterFields(
        plan.agreedOn,
        reviewOn,
        goals.map((g) => familyWording(g.familyWords, g.whatWillChange)),
      ),
      backPath: ehPath(EH_PATHS.plan, episode.id),
      backText: 'Back to the plan',
    };
  },
};

/** What a review decided, in words for the family. */
export function reviewOutcomeWords(decision: string, nextReviewDue: string | null): string {
  switch (decision) {
    case 'continue':
      return `We agreed to carry on with the plan.${nextReviewDue ? ` We will meet again to review it by ${date(nextReviewDue)}.` : ''}`;
    case 'close':
      return 'We agreed that your family no longer needs early help, so our work with you will come to an end. We will write to you again when it does.';
    case 'step-up':
      return 'We agreed that your family needs more help than early help can give, so we have asked children’s social care to work with you. A social worker will contact you.';
    default:
      return '';
  }
}

export const earlyHelpReviewLetterSource: LetterSource = {
  sourceType: 'eh-review',
  kinds: ['review-outcome'],
  async load(ctx, meetingId) {
    const meeting = await ctx.db
      .selectFrom('earlyHelpMeetings')
      .select(['episodeId', 'heldOn', 'decision', 'nextReviewDueOn'])
      .where('id', '=', meetingId)
      .executeTakeFirst();
    if (!meeting) throw new NotFoundError();
    const episode = await episodeFor(ctx, meeting.episodeId);
    return {
      childId: (await firstChild(ctx, episode.id)).childId,
      fields: reviewLetterFields(
        meeting.heldOn,
        reviewOutcomeWords(meeting.decision, meeting.nextReviewDueOn),
      ),
      backPath: reviewPath(episode.id, meetingId),
      backText: 'Back to the review',
    };
  },
};

/** Why early help ended, in words for the family; null when the family is not sent this letter (stepped up). */
export function closureWords(reason: string | null, summary: string | null): string | null {
  switch (reason) {
    case 'needs-met':
      return 'We agreed that things are better and your family no longer needs early help.';
    case 'consent-withdrawn':
      return 'You told us that you no longer wanted early help. Early help is your choice, and we respect your decision.';
    case 'moved-away':
      return 'Your family has moved out of the area. If you still need help, the council where you live now can offer it.';
    case 'transferred':
      return 'Another service is now better placed to support your family, and they will be in touch with you.';
    case 'other':
      return summary?.trim() || 'Our work with your family has come to an end.';
    default:
      return null;
  }
}

export const earlyHelpClosureLetterSource: LetterSource = {
  sourceType: 'eh-episode',
  kinds: ['closure-letter'],
  async load(ctx, episodeId) {
    const episode = await episodeFor(ctx, episodeId);
    const reason = closureWords(episode.closureReason, episode.closureSummary);
    if (!episode.closedOn || !reason) throw new NotFoundError();
    return {
      childId: (await firstChild(ctx, episode.id)).childId,
      fields: closureLetterFields(episode.closedOn, reason),
      backPath: ehPath(EH_PATHS.episode, episode.id),
      backText: 'Back to the early help episode',
    };
  },
};

export const stepDownLetterSource: LetterSource = {
  sourceType: 'eh-step-down',
  kinds: ['step-down-family', 'step-down-lead-practitioner'],
  async load(ctx, episodeId, kind) {
    const stepDown = await ctx.db
      .selectFrom('earlyHelpStepDowns as s')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 's.episodeId')
      .innerJoin('cinEpisodes as c', 'c.id', 's.cinEpisodeId')
      .leftJoin('users as u', 'u.id', 's.proposedLeadId')
      .leftJoin('agencies as a', 'a.id', 'u.agencyId')
      .select([
        'c.childId',
        'c.closureDate',
        'e.reference',
        'e.openedOn',
        'u.displayName as leadName',
        'a.name as leadAgency',
      ])
      .where('s.episodeId', '=', episodeId)
      .executeTakeFirst();
    if (!stepDown) throw new NotFoundError();
    await requireAccess(ctx.db, ctx.user, 'read', [stepDown.childId], ctx.now);
    const lead = stepDown.leadName
      ? kind === 'step-down-family' && stepDown.leadAgency
        ? `${stepDown.leadName} from ${stepDown.leadAgency}`
        : stepDown.leadName
      : null;
    return {
      childId: stepDown.childId,
      fields: {
        ...(kind === 'step-down-lead-practitioner' ? { reference: stepDown.reference } : {}),
        stepDown: { date: date(stepDown.closureDate ?? stepDown.openedOn), leadPractitioner: lead },
      },
      backPath: ehPath(EH_PATHS.handover, episodeId),
      backText: 'Back to the handover',
    };
  },
};

export const earlyHelpLetterSources: LetterSource[] = [
  earlyHelpPlanLetterSource,
  earlyHelpReviewLetterSource,
  earlyHelpClosureLetterSource,
  stepDownLetterSource,
];
