import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { requireEpisodeAccess } from './access.ts';
import {
  DOMAIN_KEYS,
  goalStatusLabel,
  reviewDueOn,
  RuleProblemsError,
  meetingScoreProblems,
  shorten,
  type Attendance,
  type DomainKey,
  type GoalStatus,
  type ReviewDecision,
} from './early-help.ts';
import { requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { recordMeetingOutcome } from './meeting-scores.ts';
import { earlyHelpSettings } from './settings.ts';
import { recordChange, type Db, type ReadContext, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * Team-around-the-family meetings and reviews, every 6–8 weeks (the authority's setting, default 6): who attended
 * for which agency, progress on each open goal with a score, the worker's and the family's scaling (recorded
 * separately), the domain scores, the child's and the family's views, and the decision: continue (the next review
 * is then due), close, or step up. The first meeting is the initial team-around-the-family meeting.
 */

export interface ReviewInput {
  episodeId: string;
  heldOn: string;
  attendance: Record<string, Attendance>;
  familyAttendance?: string | undefined;
  otherAttendees?: string | undefined;
  goals: { goalId: string; score: number; progress: string; status: GoalStatus }[];
  workerScale: number;
  familyScale: number;
  domainScores: Record<DomainKey, number>;
  childsViews: string;
  familyViews: string;
  decision: ReviewDecision;
  decisionRationale: string;
}

export async function lastMeeting(db: Db, episodeId: string) {
  return db
    .selectFrom('earlyHelpMeetings')
    .selectAll()
    .where('episodeId', '=', episodeId)
    .orderBy('heldOn', 'desc')
    .orderBy('recordedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** When the next review is due: as set at the last meeting, or one interval after the episode opened. */
export async function nextReviewDueOn(
  db: Db,
  episode: { id: string; openedOn: string; localAuthorityId: string; status: string },
): Promise<string | null> {
  if (episode.status !== 'open') return null;
  const last = await lastMeeting(db, episode.id);
  if (last) return last.nextReviewDueOn;
  const settings = await earlyHelpSettings(db, episode.localAuthorityId);
  return reviewDueOn(episode.openedOn, settings.reviewIntervalWeeks);
}

export const PLAN_NOT_AGREED =
  'The plan has not been agreed yet. Team-around-the-family meetings review progress against the agreed plan: agree the plan with the family first.';

/** Whether the episode's plan has been agreed with the family (reviews measure progress against it). */
export async function planAgreed(db: Db, episodeId: string): Promise<boolean> {
  const plan = await db
    .selectFrom('earlyHelpPlans')
    .select('status')
    .where('episodeId', '=', episodeId)
    .executeTakeFirst();
  return plan?.status === 'agreed';
}

/** Refuses (a BusinessRuleError on the form) while the plan is not agreed. */
export async function requireAgreedPlan(db: Db, episodeId: string): Promise<void> {
  if (!(await planAgreed(db, episodeId))) throw new BusinessRuleError('form', PLAN_NOT_AGREED);
}

export async function recordReview(
  ctx: ServiceContext,
  input: ReviewInput,
): Promise<{ id: string; nextReviewDueOn: string | null }> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  await requireAgreedPlan(trx, episode.id);
  const today = isoDateOf(now);
  const problems: { field: string; message: string; href: string }[] = [];
  if (input.heldOn > today)
    problems.push({
      field: 'heldOn',
      message: 'The date of the meeting must be today or in the past',
      href: '#heldOn-day',
    });
  if (input.heldOn < episode.openedOn)
    problems.push({
      field: 'heldOn',
      message: `The meeting cannot be before early help started (${episode.openedOn})`,
      href: '#heldOn-day',
    });
  const openGoals = await trx
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position', 'whatWillChange'])
    .where('episodeId', '=', episode.id)
    .where('status', '=', 'open')
    .orderBy('position')
    .execute();
  const given = new Map(input.goals.map((g) => [g.goalId, g]));
  for (const g of openGoals) {
    if (!given.has(g.id))
      problems.push({
        field: `goal-${g.id}-score`,
        message: `Give a score and progress for goal ${g.position}`,
        href: `#goal-${g.id}-score`,
      });
  }
  if (input.goals.some((g) => !openGoals.some((o) => o.id === g.goalId))) throw new NotFoundError();
  const members = await trx
    .selectFrom('earlyHelpTafMembers')
    .select(['id'])
    .where('episodeId', '=', episode.id)
    .execute();
  if (Object.keys(input.attendance).some((id) => !members.some((m) => m.id === id)))
    throw new NotFoundError();
  problems.push(...meetingScoreProblems(input, 'A goal’s score'));
  if (problems.length) throw new RuleProblemsError(problems);

  const previous = await lastMeeting(trx, episode.id);
  const settings = await earlyHelpSettings(trx, episode.localAuthorityId);
  const next = input.decision === 'continue' ? reviewDueOn(input.heldOn, settings.reviewIntervalWeeks) : null;
  const kind = previous ? 'review' : 'initial';
  const meeting = await trx
    .insertInto('earlyHelpMeetings')
    .values({
      episodeId: episode.id,
      heldOn: input.heldOn,
      kind,
      familyAttendance: input.familyAttendance ?? null,
      otherAttendees: input.otherAttendees ?? null,
      childsViews: input.childsViews,
      familyViews: input.familyViews,
      decision: input.decision,
      decisionRationale: input.decisionRationale,
      nextReviewDueOn: next,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attendance = Object.entries(input.attendance);
  if (attendance.length)
    await trx
      .insertInto('earlyHelpMeetingAttendance')
      .values(attendance.map(([memberId, a]) => ({ meetingId: meeting.id, memberId, attendance: a })))
      .execute();
  if (input.goals.length) {
    await trx
      .insertInto('earlyHelpGoalProgress')
      .values(
        input.goals.map((g) => ({
          meetingId: meeting.id,
          goalId: g.goalId,
          progress: g.progress,
          status: g.status,
        })),
      )
      .execute();
  }
  await recordMeetingOutcome(
    trx,
    {
      episodeId: episode.id,
      occasion: 'review',
      sourceId: meeting.id,
      recordedOn: input.heldOn,
      recordedAt: now,
      recordedBy: user.id,
    },
    input,
    'decided',
  );
  const achieved = input.goals
    .filter((g) => g.status !== 'open')
    .map(
      (g) =>
        `goal ${openGoals.find((o) => o.id === g.goalId)!.position} ${goalStatusLabel(g.status).toLowerCase()}`,
    );
  const decisionText = {
    continue: `Continue; next review due ${next ? formatDateGovUk(next) : ''}`,
    close: 'Close early help',
    'step-up': 'Step up to the front door',
  }[input.decision];
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title: kind === 'initial' ? 'Initial team-around-the-family meeting' : 'Team-around-the-family review',
      summary: `Scaling: worker ${input.workerScale}/10, family ${input.familyScale}/10. ${achieved.length ? `${achieved.join(', ')}. ` : ''}Decision: ${decisionText}. Child’s views: “${shorten(input.childsViews, 140)}”`,
      category: 'review',
      significant: input.decision !== 'continue',
      occurredOn: input.heldOn,
      sourceType: 'early-help-meeting',
      sourceId: meeting.id,
    }),
    audit: episodeAudit({
      action: 'early-help-review.recorded',
      episodeId: episode.id,
      childId: access.childIds[0],
      subjectType: 'early-help-meeting',
      subjectId: meeting.id,
      details: {
        kind,
        decision: input.decision,
        workerScale: input.workerScale,
        familyScale: input.familyScale,
      },
    }),
  });
  return { id: meeting.id, nextReviewDueOn: next };
}

export async function listMeetings(db: Db, episodeId: string, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('earlyHelpMeetings as m')
      .leftJoin('users as u', 'u.id', 'm.recordedBy')
      .selectAll('m')
      .select(['u.displayName as recordedByName'])
      .where('m.episodeId', '=', episodeId)
      .orderBy('m.heldOn', 'desc')
      .orderBy('m.recordedAt', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('earlyHelpMeetings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('episodeId', '=', episodeId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One meeting with its attendance (by agency), progress per goal and scores. */
export async function loadMeeting(db: Db, episodeId: string, meetingId: string) {
  const meeting = await db
    .selectFrom('earlyHelpMeetings as m')
    .leftJoin('users as u', 'u.id', 'm.recordedBy')
    .selectAll('m')
    .select(['u.displayName as recordedByName'])
    .where('m.id', '=', meetingId)
    .where('m.episodeId', '=', episodeId)
    .executeTakeFirst();
  if (!meeting) throw new NotFoundError();
  const [attendance, progress, scores] = await Promise.all([
    db
      .selectFrom('earlyHelpMeetingAttendance as a')
      .innerJoin('earlyHelpTafMembers as t', 't.id', 'a.memberId')
      .leftJoin('agencies as ag', 'ag.id', 't.agencyId')
      .select(['a.attendance', 't.name', 't.role', 't.organisation', 'ag.name as agencyName'])
      .where('a.meetingId', '=', meetingId)
      .orderBy('ag.name')
      .orderBy('t.name')
      .execute(),
    db
      .selectFrom('earlyHelpGoalProgress as p')
      .innerJoin('earlyHelpGoals as g', 'g.id', 'p.goalId')
      .select(['p.goalId', 'p.progress', 'p.status', 'g.position', 'g.whatWillChange'])
      .where('p.meetingId', '=', meetingId)
      .orderBy('g.position')
      .execute(),
    db
      .selectFrom('earlyHelpScores')
      .select(['subject', 'subjectKey', 'score'])
      .where('sourceId', '=', meetingId)
      .execute(),
  ]);
  const score = (subject: string, key: string) =>
    scores.find((s) => s.subject === subject && s.subjectKey === key)?.score ?? null;
  return {
    meeting,
    attendance: attendance.map((a) => ({
      ...a,
      agency: a.agencyName ?? a.organisation ?? 'Local authority',
    })),
    progress: progress.map((p) => ({
      ...p,
      score: score('goal', p.goalId),
      statusLabel: goalStatusLabel(p.status),
    })),
    workerScale: score('scale', 'worker'),
    familyScale: score('scale', 'family'),
    domainScores: DOMAIN_KEYS.map((d) => ({ domain: d, score: score('domain', d) })),
  };
}

/** The goals a review scores: those still open, in order (the user must write). */
export async function goalsToReview(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'write');
  return ctx.db
    .selectFrom('earlyHelpGoals')
    .select(['id', 'position', 'whatWillChange', 'measure', 'byWhen'])
    .where('episodeId', '=', episodeId)
    .where('status', '=', 'open')
    .orderBy('position')
    .execute();
}

/** Whether a team-around-the-family meeting has been recorded for the episode yet. */
export async function hasMeetings(ctx: ReadContext, episodeId: string): Promise<boolean> {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  return !!(await ctx.db
    .selectFrom('earlyHelpMeetings')
    .select('id')
    .where('episodeId', '=', episodeId)
    .executeTakeFirst());
}

/** The feedback the child and family gave at one of the episode's meetings. */
export async function meetingFeedback(ctx: ReadContext, episodeId: string, meetingId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  return ctx.db
    .selectFrom('earlyHelpFeedback')
    .select(['id', 'respondent', 'respondentName', 'thingsBetter', 'comments'])
    .where('episodeId', '=', episodeId)
    .where('meetingId', '=', meetingId)
    .execute();
}
