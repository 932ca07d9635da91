import { sql } from 'kysely';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { addCalendarDays, formatDateGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { requireEpisodeAccess } from './access.ts';
import {
  CLOSURE_OUTCOMES,
  CLOSURE_REASONS,
  followUpDueOn,
  RuleProblemsError,
  meetingScoreProblems,
  shorten,
  type ClosureOutcome,
  type ClosureReason,
  type DomainKey,
  type FeedbackRespondent,
  type GoalStatus,
  type Sustained,
} from './early-help.ts';
import { goalsOfEpisode } from './episode.repository.ts';
import { endAllocations, requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { recordMeetingOutcome } from './meeting-scores.ts';
import { earlyHelpSettings } from './settings.ts';
import {
  recordChange,
  type Db,
  type ReadContext,
  type ServiceContext,
  requireUpdated,
} from '../../kernel/service/index.ts';

/**
 * Closing an episode (with the reason, the outcome, the closing scores for distance travelled, and a reason when
 * goals are still open), feedback from the child and family (at a review or at closure), and the check months after
 * closure that the family's outcomes were sustained (Supporting Families: 6 months by default).
 */

export interface CloseInput {
  episodeId: string;
  closedOn: string;
  reason: ClosureReason;
  outcome: ClosureOutcome;
  summary: string;
  workerScale: number;
  familyScale: number;
  domainScores: Record<DomainKey, number>;
  goals: { goalId: string; status: GoalStatus; score: number }[];
  openActionsReason?: string | undefined;
  /** The episode's version when the form was shown: a change saved since is not overwritten (409). */
  version: number;
}

export async function closeEpisode(
  ctx: ServiceContext,
  input: CloseInput,
): Promise<{ followUpDueOn: string }> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  const today = isoDateOf(now);
  const problems: { field: string; message: string; href: string }[] = [];
  if (input.closedOn > today)
    problems.push({
      field: 'closedOn',
      message: 'The closure date must be today or in the past',
      href: '#closedOn-day',
    });
  if (input.closedOn < episode.openedOn)
    problems.push({
      field: 'closedOn',
      message: `The closure date cannot be before early help started (${formatDateGovUk(episode.openedOn)})`,
      href: '#closedOn-day',
    });
  const lastMeeting = await trx
    .selectFrom('earlyHelpMeetings')
    .select('heldOn')
    .where('episodeId', '=', episode.id)
    .orderBy('heldOn', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastMeeting && input.closedOn < lastMeeting.heldOn)
    problems.push({
      field: 'closedOn',
      message: `The closure date cannot be before the last review (${formatDateGovUk(lastMeeting.heldOn)})`,
      href: '#closedOn-day',
    });
  const goals = await trx
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position', 'status'])
    .where('episodeId', '=', episode.id)
    .where('status', '=', 'open')
    .orderBy('position')
    .execute();
  const given = new Map(input.goals.map((g) => [g.goalId, g]));
  for (const g of goals)
    if (!given.has(g.id))
      problems.push({
        field: `goal-${g.id}-status`,
        message: `Say where goal ${g.position} ended up`,
        href: `#goal-${g.id}-status`,
      });
  if (input.goals.some((g) => !goals.some((o) => o.id === g.goalId))) throw new NotFoundError();
  const stillOpen = input.goals.filter((g) => g.status === 'open');
  if (stillOpen.length && !input.openActionsReason?.trim()) {
    problems.push({
      field: 'openActionsReason',
      message: `${stillOpen.length === 1 ? 'A goal is' : `${stillOpen.length} goals are`} still open: say why early help is closing with open actions, and who will carry them on`,
      href: '#openActionsReason',
    });
  }
  if (input.reason === 'stepped-up') {
    const stepUp = await trx
      .selectFrom('earlyHelpStepUps')
      .select('id')
      .where('episodeId', '=', episode.id)
      .executeTakeFirst();
    if (!stepUp)
      problems.push({
        field: 'reason',
        message: 'Step up to the front door first (from the episode page), then close early help',
        href: '#reason',
      });
  }
  problems.push(...meetingScoreProblems(input, 'A goal’s closing score'));
  if (problems.length) throw new RuleProblemsError(problems);

  await recordMeetingOutcome(
    trx,
    {
      episodeId: episode.id,
      occasion: 'closure',
      sourceId: episode.id,
      recordedOn: input.closedOn,
      recordedAt: now,
      recordedBy: user.id,
    },
    input,
    'all',
  );
  requireUpdated(
    await trx
      .updateTable('earlyHelpEpisodes')
      .set({
        status: 'closed',
        closedOn: input.closedOn,
        closedBy: user.id,
        closureReason: input.reason,
        closureOutcome: input.outcome,
        closureSummary: input.summary,
        closureOpenActionsReason: stillOpen.length ? input.openActionsReason!.trim() : null,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', episode.id)
      .where('version', '=', input.version)
      .where('status', '<>', 'closed')
      .executeTakeFirst(),
  );
  await endAllocations(trx, episode.id, input.closedOn);
  await trx
    .updateTable('earlyHelpTafMembers')
    .set({ endedOn: input.closedOn })
    .where('episodeId', '=', episode.id)
    .where('endedOn', 'is', null)
    .execute();
  const settings = await earlyHelpSettings(trx, episode.localAuthorityId);
  const dueOn = followUpDueOn(input.closedOn, settings.followUpMonths);
  await trx.insertInto('earlyHelpFollowUps').values({ episodeId: episode.id, dueOn }).execute();
  const reasonText = CLOSURE_REASONS.find((r) => r.value === input.reason)!.text;
  const outcomeText = CLOSURE_OUTCOMES.find((o) => o.value === input.outcome)!.text;
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title: `Early help episode ${episode.reference} closed`,
      summary: `${reasonText}. ${outcomeText}. Scaling at closure: worker ${input.workerScale}/10, family ${input.familyScale}/10. Outcomes to be checked on ${formatDateGovUk(dueOn)}.${stillOpen.length ? ` Closed with open actions: ${shorten(input.openActionsReason!, 160)}` : ''}`,
      category: 'closure',
      significant: true,
      occurredOn: input.closedOn,
    }),
    audit: episodeAudit({
      action: 'early-help-episode.closed',
      episodeId: episode.id,
      childId: access.childIds[0],
      details: {
        reason: input.reason,
        outcome: input.outcome,
        openGoals: stillOpen.length,
        followUpDueOn: dueOn,
      },
    }),
  });
  return { followUpDueOn: dueOn };
}

export interface FeedbackInput {
  episodeId: string;
  stage: 'review' | 'closure';
  meetingId?: string | undefined;
  respondent: FeedbackRespondent;
  respondentName?: string | undefined;
  listened: 'yes' | 'a-bit' | 'no';
  helped: 'yes' | 'a-bit' | 'no';
  thingsBetter: 'better' | 'same' | 'worse';
  knowsNext: 'yes' | 'not-sure' | 'no';
  comments?: string | undefined;
  givenOn: string;
}

/** Feedback from a child or family member, at a review or at closure (the episode may already be closed). */
export async function recordFeedback(ctx: ServiceContext, input: FeedbackInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await trx
    .selectFrom('earlyHelpEpisodes')
    .select(['id', 'status', 'openedOn', 'closedOn'])
    .where('id', '=', input.episodeId)
    .executeTakeFirstOrThrow();
  if (input.givenOn > isoDateOf(now))
    throw new BusinessRuleError('givenOn', 'The date must be today or in the past');
  if (input.givenOn < episode.openedOn)
    throw new BusinessRuleError('givenOn', 'The date cannot be before early help started');
  if (input.meetingId) {
    const m = await trx
      .selectFrom('earlyHelpMeetings')
      .select('id')
      .where('id', '=', input.meetingId)
      .where('episodeId', '=', input.episodeId)
      .executeTakeFirst();
    if (!m) throw new NotFoundError();
  }
  const row = await trx
    .insertInto('earlyHelpFeedback')
    .values({
      episodeId: input.episodeId,
      meetingId: input.meetingId ?? null,
      stage: input.stage,
      respondent: input.respondent,
      respondentName: input.respondentName ?? null,
      listened: input.listened,
      helped: input.helped,
      thingsBetter: input.thingsBetter,
      knowsNext: input.knowsNext,
      comments: input.comments ?? null,
      givenOn: input.givenOn,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const who = { child: 'the child', 'parent-carer': 'a parent or carer', 'other-family': 'the family' }[
    input.respondent
  ];
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: `Feedback on early help from ${input.respondentName ? `${input.respondentName} (${who})` : who}`,
      summary: `${input.stage === 'closure' ? 'At closure' : 'At a review'}. Things at home: ${input.thingsBetter === 'better' ? 'better' : input.thingsBetter === 'same' ? 'about the same' : 'worse'}.${input.comments ? ` “${shorten(input.comments, 160)}”` : ''}`,
      category: 'early-help',
      occurredOn: input.givenOn,
      sourceType: 'early-help-feedback',
      sourceId: row.id,
    }),
    audit: episodeAudit({
      action: 'early-help-feedback.recorded',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-feedback',
      subjectId: row.id,
      details: { stage: input.stage, respondent: input.respondent },
    }),
  });
  return row.id;
}

/** Contacts to the front door about any of these children received after the day early help closed. */
export async function recontactsAfter(db: Db, childIds: readonly string[], closedOn: string) {
  if (!childIds.length) return [];
  return db
    .selectFrom('contacts as c')
    .innerJoin('contactChildren as cc', 'cc.contactId', 'c.id')
    .select(['c.id', 'c.reference', 'c.receivedAt', 'c.status'])
    .where('cc.personId', 'in', [...childIds])
    .where('c.receivedAt', '>=', instantAt(addCalendarDays(closedOn, 1), '00:00'))
    .groupBy(['c.id', 'c.reference', 'c.receivedAt', 'c.status'])
    .orderBy('c.receivedAt')
    .execute();
}

export interface FollowUpInput {
  episodeId: string;
  sustained: Sustained;
  goals: { goalId: string; sustained: Sustained }[];
  notes: string;
}

/** The check, months after closure, that the family's outcomes were sustained (from the due date). */
export async function recordFollowUp(ctx: ServiceContext, input: FollowUpInput): Promise<void> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await trx
    .selectFrom('earlyHelpEpisodes')
    .select(['id', 'status', 'closedOn', 'reference'])
    .where('id', '=', input.episodeId)
    .executeTakeFirstOrThrow();
  const followUp = await trx
    .selectFrom('earlyHelpFollowUps')
    .selectAll()
    .where('episodeId', '=', input.episodeId)
    .executeTakeFirst();
  if (episode.status !== 'closed' || !followUp)
    throw new BusinessRuleError('sustained', 'Outcomes are checked after early help has closed');
  if (followUp.completedOn)
    throw new BusinessRuleError(
      'sustained',
      `The follow-up was recorded on ${formatDateGovUk(followUp.completedOn)}`,
    );
  const today = isoDateOf(now);
  if (today < followUp.dueOn)
    throw new BusinessRuleError(
      'sustained',
      `The follow-up is due on ${formatDateGovUk(followUp.dueOn)}: outcomes are checked then, to see whether they lasted`,
    );
  const goals = await trx
    .selectFrom('earlyHelpGoals')
    .select(['id'])
    .where('episodeId', '=', input.episodeId)
    .execute();
  if (input.goals.some((g) => !goals.some((x) => x.id === g.goalId))) throw new NotFoundError();
  const recontacts = await recontactsAfter(trx, access.childIds, episode.closedOn!);
  requireUpdated(
    await trx
      .updateTable('earlyHelpFollowUps')
      .set({
        completedOn: today,
        completedBy: user.id,
        sustained: input.sustained,
        notes: input.notes,
        recontacts: recontacts.length,
      })
      .where('id', '=', followUp.id)

      .where('completedOn', 'is', null)
      .executeTakeFirst(),
  );
  if (input.goals.length)
    await trx
      .insertInto('earlyHelpFollowUpGoals')
      .values(input.goals.map((g) => ({ followUpId: followUp.id, goalId: g.goalId, sustained: g.sustained })))
      .execute();
  const words = { yes: 'sustained', partly: 'partly sustained', no: 'not sustained' }[input.sustained];
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: input.episodeId,
      childIds: access.childIds,
      title: `Early help outcomes checked: ${words}`,
      summary: `${recontacts.length} contact${recontacts.length === 1 ? '' : 's'} to the front door since early help closed. ${shorten(input.notes, 200)}`,
      category: 'early-help',
      significant: input.sustained === 'no',
    }),
    audit: episodeAudit({
      action: 'early-help-follow-up.recorded',
      episodeId: input.episodeId,
      childId: access.childIds[0],
      subjectType: 'early-help-follow-up',
      subjectId: followUp.id,
      details: { sustained: input.sustained, recontacts: recontacts.length },
    }),
  });
}

/** The episode's goals still open, in order: each needs a closing status and score (the user must write). */
export async function openGoals(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'write');
  return ctx.db
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position', 'whatWillChange', 'measure'])
    .where('episodeId', '=', episodeId)
    .where('status', '=', 'open')
    .orderBy('position')
    .execute();
}

/** What the closure page tells the user first: the feedback given so far, and whether the family stepped up. */
export async function closureChecks(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'write');
  const [feedback, stepUpRow] = await Promise.all([
    ctx.db
      .selectFrom('earlyHelpFeedback')
      .select(['respondent', 'stage'])
      .where('episodeId', '=', episodeId)
      .execute(),
    ctx.db.selectFrom('earlyHelpStepUps').select('id').where('episodeId', '=', episodeId).executeTakeFirst(),
  ]);
  return { feedback, steppedUp: !!stepUpRow };
}

/** The follow-up after closure (who completed it), the episode's goals and whether each was sustained. */
export async function loadFollowUp(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  const [followUp, goals] = await Promise.all([
    ctx.db
      .selectFrom('earlyHelpFollowUps as f')
      .leftJoin('users as u', 'u.id', 'f.completedBy')
      .selectAll('f')
      .select(['u.displayName as completedByName'])
      .where('f.episodeId', '=', episodeId)
      .executeTakeFirst(),
    goalsOfEpisode(ctx.db, episodeId),
  ]);
  const sustainedGoals = followUp
    ? await ctx.db
        .selectFrom('earlyHelpFollowUpGoals')
        .select(['goalId', 'sustained'])
        .where('followUpId', '=', followUp.id)
        .execute()
    : [];
  return { followUp, goals, sustainedGoals };
}

/** Every goal of the episode, in order: the follow-up asks whether each was sustained (the user must write). */
export async function followUpGoals(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'write');
  return ctx.db
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position'])
    .where('episodeId', '=', episodeId)
    .orderBy('position')
    .execute();
}
