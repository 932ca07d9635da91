import { describe, expect, it } from 'vitest';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import {
  aCompletedAssessment,
  aGoal,
  aReview,
  anAgreedPlan,
  anEarlyHelpEpisode,
  aTafMember,
  currentUserFor,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { createContact } from '../front-door/contact.service.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { describeDeadline } from '../home/worktray.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { aChild } from '../../../test/builders/people.ts';
import { closeEpisode, recordFeedback, recordFollowUp, type CloseInput } from './closure.service.ts';
import { RuleProblemsError } from './early-help.ts';
import { earlyHelpWorktray } from './early-help.worktray.ts';
import { computeImpact, drillDown, summariseScores, type EpisodeDistance } from './impact.ts';
import { refreshScoreSummaries } from './score-summaries.ts';
import { loadImpactInput } from './impact.service.ts';
import { agreePlan } from './plan.service.ts';
import { PLAN_NOT_AGREED, recordReview } from './review.service.ts';
import { saveEarlyHelpSettings } from './settings.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { episodeVersion, planVersion } from './episode.repository.ts';

const h = databaseForFile();
const opened = new Date('2026-09-01T10:00:00Z');
const { run } = h;

/** A team manager of the Early Help Service (and so of its cluster teams), made for these tests. */
async function anEarlyHelpManager(): Promise<CurrentUser> {
  const existing = await h.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'eh.manager@example.test')
    .executeTakeFirst();
  if (existing) return (await loadCurrentUser(h.db, existing.id, null))!;
  const la = (await currentUserFor(h.db, 'early-help-practitioner')).localAuthorityId!;
  const service = await valueOf(h.db, 'teams', { name: 'Early Help Service' }, 'id');
  const user = await h.db
    .insertInto('users')
    .values({
      email: 'eh.manager@example.test',
      displayName: 'Erin Moss',
      localAuthorityId: la,
      teamId: service,
      jobTitle: 'Early help team manager',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.db.insertInto('userRoles').values({ userId: user.id, role: 'team-manager' }).execute();
  await h.db.insertInto('userLocalAuthorities').values({ userId: user.id, localAuthorityId: la }).execute();
  await h.db.updateTable('teams').set({ managerUserId: user.id }).where('id', '=', service).execute();
  return (await loadCurrentUser(h.db, user.id, null))!;
}

const closing = (
  episodeId: string,
  goals: CloseInput['goals'],
  overrides: Partial<CloseInput> = {},
): Omit<CloseInput, 'version'> => ({
  episodeId,
  closedOn: '2026-11-24',
  reason: 'needs-met',
  outcome: 'improved',
  summary: 'Ellie is in school every day and Jo has support.',
  workerScale: 8,
  familyScale: 9,
  domainScores: { childDevelopment: 4, parentingCapacity: 4, familyEnvironment: 4 },
  goals,
  ...overrides,
});

describe('team-around-the-family meetings and reviews', () => {
  it('records attendance by agency, progress per goal, both scalings and the next review date', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now: opened });
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    const memberId = await aTafMember(h.db, episode.id, {
      now: opened,
      name: 'Ms Patel',
      agencyName: 'Orchard Primary School',
    });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const input = {
      episodeId: episode.id,
      heldOn: '2026-09-15',
      attendance: { [memberId]: 'attended' as const },
      familyAttendance: 'Jo and Ellie',
      goals: [{ goalId, score: 5, progress: 'Attendance up to 88%', status: 'open' as const }],
      workerScale: 5,
      familyScale: 6,
      domainScores: { childDevelopment: 3, parentingCapacity: 3, familyEnvironment: 2 },
      childsViews: 'Breakfast club is fun.',
      familyViews: 'Mornings are calmer.',
      decision: 'continue' as const,
      decisionRationale: 'Progress; keep going.',
    };
    const result = await run((trx) =>
      recordReview(serviceContext(trx, eh, new Date('2026-09-16T10:00:00Z')), input),
    );
    expect(result.nextReviewDueOn).toBe('2026-10-27');
    const meeting = await h.db
      .selectFrom('earlyHelpMeetings')
      .selectAll()
      .where('id', '=', result.id)
      .executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({
      kind: 'initial',
      decision: 'continue',
      childsViews: 'Breakfast club is fun.',
    });
    const attendance = await rowsOf(h.db, 'earlyHelpMeetingAttendance', { meetingId: result.id }, [
      'memberId',
      'attendance',
    ]);
    expect(attendance).toEqual([{ memberId, attendance: 'attended' }]);
    const scores = await h.db
      .selectFrom('earlyHelpScores')
      .select(['subject', 'subjectKey', 'score'])
      .where('sourceId', '=', result.id)
      .where('subject', '<>', 'domain')
      .orderBy('subjectKey')
      .execute();
    expect(scores).toEqual(
      [
        { subject: 'scale', subjectKey: 'family', score: 6 },
        { subject: 'goal', subjectKey: goalId, score: 5 },
        { subject: 'scale', subjectKey: 'worker', score: 5 },
      ].sort((a, b) => (a.subjectKey < b.subjectKey ? -1 : 1)),
    );
    const event = await firstRow(h.db, 'caseEvents', { sourceId: result.id, childId: child.id }, [
      'title',
      'summary',
      'occurredAt',
    ]);
    expect(event.title).toBe('Initial team-around-the-family meeting');
    expect(event.summary).toContain('Scaling: worker 5/10, family 6/10.');
    expect(event.occurredAt.toISOString().slice(0, 10)).toBe('2026-09-15');

    // The authority reviews every 8 weeks: the next review follows it.
    const manager = await currentUserFor(h.db, 'team-manager');
    await run((trx) =>
      saveEarlyHelpSettings(serviceContext(trx, manager, opened), {
        localAuthorityId: manager.localAuthorityId!,
        reviewIntervalWeeks: 8,
        assessmentWorkingDays: 30,
        followUpMonths: 6,
      }),
    );
    const second = await run((trx) =>
      recordReview(serviceContext(trx, eh, new Date('2026-10-20T15:00:00Z')), {
        ...input,
        heldOn: '2026-10-20',
      }),
    );
    expect(second.nextReviewDueOn).toBe('2026-12-15');
    expect(await valueOf(h.db, 'earlyHelpMeetings', { id: second.id }, 'kind')).toBe('review');
    await run((trx) =>
      saveEarlyHelpSettings(serviceContext(trx, manager, opened), {
        localAuthorityId: manager.localAuthorityId!,
        reviewIntervalWeeks: 6,
        assessmentWorkingDays: 30,
        followUpMonths: 6,
      }),
    );
  });

  it('refuses a score outside its scale, a meeting before early help started, and an open goal left unscored', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now: opened });
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const base = {
      episodeId: episode.id,
      attendance: {},
      childsViews: 'x',
      familyViews: 'y',
      decision: 'continue' as const,
      decisionRationale: 'z',
      domainScores: { childDevelopment: 3, parentingCapacity: 6, familyEnvironment: 3 },
    };
    const error = (await run((trx) =>
      recordReview(serviceContext(trx, eh, opened), {
        ...base,
        heldOn: '2026-08-01',
        goals: [],
        workerScale: 11,
        familyScale: 5,
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(error).toBeInstanceOf(RuleProblemsError);
    expect(error.problems.map((p) => p.message)).toEqual([
      'The meeting cannot be before early help started (2026-09-01)',
      'Give a score and progress for goal 1',
      'Your scaling must be a whole number from 0 to 10',
      'The score for parenting capacity must be a whole number from 1 to 5',
    ]);
    expect(error.problems[1]!.field).toBe(`goal-${goalId}-score`);
  });

  it('cannot be recorded before the plan is agreed: a clear refusal, and nothing saved', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now: opened });
    const { items } = await aCompletedAssessment(h.db, episode.id, { now: opened });
    const goalId = await aGoal(h.db, episode.id, { now: opened, itemIds: items.map((i) => i.id) });
    const attempt = () =>
      aReview(h.db, episode.id, {
        now: opened,
        heldOn: '2026-09-01',
        workerScale: 5,
        familyScale: 5,
        goals: [{ goalId, score: 5 }],
      }).catch((e: unknown) => e);
    const refused = (await attempt()) as BusinessRuleError;
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect(refused.field).toBe('form');
    expect(refused.message).toBe(PLAN_NOT_AGREED);
    expect(await rowsOf(h.db, 'earlyHelpMeetings', { episodeId: episode.id }, ['id'])).toEqual([]);
    expect(
      await rowsOf(h.db, 'earlyHelpScores', { episodeId: episode.id, occasion: 'review' }, ['id']),
    ).toEqual([]);
    // Without any plan at all, the same.
    const other = await anEarlyHelpEpisode(h.db, { now: opened });
    const noPlan = (await aReview(h.db, other.episode.id, {
      now: opened,
      heldOn: '2026-09-01',
      workerScale: 5,
      familyScale: 5,
    }).catch((e: unknown) => e)) as BusinessRuleError;
    expect(noPlan.message).toBe(PLAN_NOT_AGREED);
    // Once agreed, the meeting is recorded.
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await run(async (trx) =>
      agreePlan(serviceContext(trx, eh, opened), {
        episodeId: episode.id,
        version: await planVersion(trx, episode.id),
        familyAgreed: true,
      }),
    );
    const meeting = (await attempt()) as { id: string };
    expect(await valueOf(h.db, 'earlyHelpMeetings', { id: meeting.id }, 'kind')).toBe('initial');
  });

  it('puts the next review on the worktray, overdue once its date has passed', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now: opened });
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    await aReview(h.db, episode.id, {
      now: opened,
      heldOn: '2026-09-01',
      workerScale: 4,
      familyScale: 4,
      goals: [{ goalId, score: 4 }],
    });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const items = (
      await run((trx) =>
        earlyHelpWorktray({
          db: trx,
          user: eh,
          now: new Date('2026-10-20T10:00:00Z'),
          today: '2026-10-20',
          calendar: englandAndWalesCalendar,
        }),
      )
    ).filter((i) => i.href.includes(episode.id));
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'early-help-review',
        kindLabel: 'Team-around-the-family review',
        dueOn: '2026-10-13',
      }),
    ]);
    // A manager of another team (the Assessment Team) does not see it.
    const manager = await currentUserFor(h.db, 'team-manager');
    const forManager = await run((trx) =>
      earlyHelpWorktray({
        db: trx,
        user: manager,
        now: new Date('2026-10-20T10:00:00Z'),
        today: '2026-10-20',
        calendar: englandAndWalesCalendar,
      }),
    );
    expect(forManager.filter((i) => i.href.includes(episode.id))).toEqual([]);
  });
});

describe('closure, feedback and the follow-up', () => {
  it('closing with open actions asks for a reason; closing ends allocations, sets the follow-up 6 months on, and is in the chronology', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now: opened });
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    await aTafMember(h.db, episode.id, { now: opened, userRole: 'partner-lead-practitioner' });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const now = new Date('2026-11-24T10:30:00Z');
    const refused = (await run(async (trx) =>
      closeEpisode(serviceContext(trx, eh, now), {
        version: await episodeVersion(trx, episode.id),
        ...closing(episode.id, [{ goalId, status: 'open', score: 6 }]),
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(refused.problems).toEqual([
      {
        field: 'openActionsReason',
        href: '#openActionsReason',
        message:
          'A goal is still open: say why early help is closing with open actions, and who will carry them on',
      },
    ]);
    const steppedUp = (await run(async (trx) =>
      closeEpisode(serviceContext(trx, eh, now), {
        version: await episodeVersion(trx, episode.id),
        ...closing(episode.id, [{ goalId, status: 'achieved', score: 9 }], { reason: 'stepped-up' }),
      }),
    ).catch((e: unknown) => e)) as RuleProblemsError;
    expect(steppedUp.problems[0]!.field).toBe('reason');

    await run((trx) =>
      recordFeedback(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        stage: 'closure',
        respondent: 'child',
        respondentName: 'Ellie',
        listened: 'yes',
        helped: 'yes',
        thingsBetter: 'better',
        knowsNext: 'yes',
        comments: 'I like breakfast club',
        givenOn: '2026-11-24',
      }),
    );
    const result = await run(async (trx) =>
      closeEpisode(serviceContext(trx, eh, now), {
        version: await episodeVersion(trx, episode.id),
        ...closing(episode.id, [{ goalId, status: 'open', score: 7 }], {
          openActionsReason: 'The school will carry on the attendance plan.',
        }),
      }),
    );
    expect(result.followUpDueOn).toBe('2027-05-24');
    const row = await h.db
      .selectFrom('earlyHelpEpisodes')
      .selectAll()
      .where('id', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'closed',
      closedOn: '2026-11-24',
      closureReason: 'needs-met',
      closureOutcome: 'improved',
      closureOpenActionsReason: 'The school will carry on the attendance plan.',
      closedBy: eh.id,
    });
    const open = await h.db
      .selectFrom('allocations')
      .select('id')
      .where('involvementId', '=', episode.id)
      .where('endedOn', 'is', null)
      .execute();
    expect(open).toEqual([]);
    const members = await rowsOf(h.db, 'earlyHelpTafMembers', { episodeId: episode.id }, ['endedOn']);
    expect(members.every((m) => m.endedOn === '2026-11-24')).toBe(true);
    const event = await firstRow(h.db, 'caseEvents', { childId: child.id, category: 'closure' }, [
      'summary',
      'category',
    ]);
    expect(event.summary).toContain('Outcomes to be checked on 24 May 2027. Closed with open actions');
    const feedback = await rowsOf(h.db, 'earlyHelpFeedback', { episodeId: episode.id }, [
      'respondent',
      'thingsBetter',
      'stage',
    ]);
    expect(feedback).toEqual([{ respondent: 'child', thingsBetter: 'better', stage: 'closure' }]);

    // The follow-up: not before it is due; then with the contacts since closure counted.
    const early = (await run((trx) =>
      recordFollowUp(serviceContext(trx, eh, new Date('2027-03-01T10:00:00Z')), {
        episodeId: episode.id,
        sustained: 'yes',
        goals: [],
        notes: 'x',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(early.message).toBe(
      'The follow-up is due on 24 May 2027: outcomes are checked then, to see whether they lasted',
    );
    const officer = await currentUserFor(h.db, 'contact-officer');
    await run((trx) =>
      createContact(serviceContext(trx, officer, new Date('2027-02-02T09:05:00Z'), englandAndWalesCalendar), {
        localAuthorityId: officer.localAuthorityId!,
        channel: 'phone',
        referralSource: '2A',
        referrer: { name: 'School office' },
        concernCategories: ['school-attendance'],
        reason: 'Ellie absent again',
        consent: 'given',
        urgency: 'routine',
        children: [{ personId: child.id }],
        receivedAt: new Date('2027-02-02T09:00:00Z'),
      }),
    );
    await run((trx) =>
      recordFollowUp(serviceContext(trx, eh, new Date('2027-05-24T10:00:00Z')), {
        episodeId: episode.id,
        sustained: 'partly',
        goals: [{ goalId, sustained: 'partly' }],
        notes: 'Attendance dipped in February.',
      }),
    );
    const followUp = await h.db
      .selectFrom('earlyHelpFollowUps')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({
      dueOn: '2027-05-24',
      completedOn: '2027-05-24',
      sustained: 'partly',
      recontacts: 1,
    });
    const audit = await h.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', child.id)
      .where('action', 'in', [
        'early-help-episode.closed',
        'early-help-feedback.recorded',
        'early-help-follow-up.recorded',
      ])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'early-help-episode.closed',
      'early-help-feedback.recorded',
      'early-help-follow-up.recorded',
    ]);

    // The impact page's measures include this family: distance travelled, re-contact, no step-up.
    const manager = await currentUserFor(h.db, 'team-manager');
    const input = await loadImpactInput(
      { db: h.db, user: manager },
      {
        from: '2026-01-01',
        to: '2026-12-31',
      },
    );
    const impact = computeImpact(input);
    const family = impact.families.find((f) => f.id === episode.id)!;
    expect(family.worker).toMatchObject({ first: 4, closing: 8, change: 4 });
    expect(family.family).toMatchObject({ first: 5, closing: 9, change: 4 });
    expect(family.recontacts).toBe(1);
    expect(drillDown(input, 'recontact', undefined)).toContain(episode.id);
    expect(drillDown(input, 'need', 'education')).toContain(episode.id);
    expect(impact.riskAnalysis.complete).toBeGreaterThan(0);

    // The stored summary (refreshed by whatever writes scores) works out distance travelled as distanceTravelled does
    // from the rows, ties included: scores at one instant follow the order of the work, whatever order they were
    // stored in, and the last closure score counts.
    const at = new Date('2026-11-24T10:00:00.000Z');
    await h.db
      .insertInto('earlyHelpScores')
      .values(
        (
          [
            ['closure', 7],
            ['review', 5],
            ['assessment', 3],
            ['closure', 6],
          ] as const
        ).map(([occasion, score], i) => ({
          episodeId: episode.id,
          occasion,
          subject: 'goal',
          subjectKey: 'tie-check',
          score,
          recordedOn: '2026-11-24',
          recordedAt: i === 3 ? new Date(at.getTime() + 1) : at,
        })),
      )
      .execute();
    await refreshScoreSummaries(h.db, [episode.id]);
    const again = await loadImpactInput(
      { db: h.db, user: manager },
      { from: '2026-01-01', to: '2026-12-31' },
    );
    const rows = await h.db
      .selectFrom('earlyHelpScores')
      .select(['episodeId', 'subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt'])
      .where(
        'episodeId',
        'in',
        again.closed.map((e) => e.id),
      )
      .execute();
    const byKey = (ds: EpisodeDistance[]) =>
      [...ds].sort((a, b) =>
        `${a.episodeId}|${a.subject}|${a.subjectKey}`.localeCompare(
          `${b.episodeId}|${b.subject}|${b.subjectKey}`,
        ),
      );
    expect(byKey(again.distances)).toEqual(byKey(summariseScores(rows)));
    expect(
      again.distances.find((d) => d.episodeId === episode.id && d.subjectKey === 'tie-check'),
    ).toMatchObject({
      first: 3,
      latest: 6,
      closing: 6,
      change: 3,
      count: 4,
    });
  });

  it('an overdue outcomes check is on the worktray of the managers of the episode’s team and cluster, marked overdue', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, {
      now: opened,
      children: [await aChild(h.db, { givenName: 'Finn', familyName: 'Oakes' })],
    });
    const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await run(async (trx) =>
      closeEpisode(serviceContext(trx, eh, new Date('2026-11-24T10:30:00Z')), {
        ...closing(episode.id, [{ goalId, status: 'achieved', score: 9 }], { closedOn: '2026-11-24' }),
        version: await episodeVersion(trx, episode.id),
      }),
    );
    const ehManager = await anEarlyHelpManager();
    const tom = await currentUserFor(h.db, 'team-manager');
    const at = (user: CurrentUser, today: string) =>
      run((trx) =>
        earlyHelpWorktray({
          db: trx,
          user,
          now: new Date(`${today}T10:00:00Z`),
          today,
          calendar: englandAndWalesCalendar,
        }),
      ).then((items) => items.filter((i) => i.href.includes(episode.id)));
    // Not before it is due (the lead practitioner has it in hand), nor on the day.
    expect(await at(ehManager, '2027-05-24')).toEqual([]);
    expect((await at(eh, '2027-05-24')).map((i) => i.kind)).toEqual(['early-help-follow-up']);
    // Overdue: the early help manager sees it, marked overdue; the manager of an unrelated team does not.
    const overdue = await at(ehManager, '2027-06-01');
    expect(overdue).toEqual([
      expect.objectContaining({
        kind: 'early-help-follow-up-overdue',
        kindLabel: 'Outcomes check overdue',
        title: `${episode.reference}: Finn Oakes`,
        dueOn: '2027-05-24',
        clockLabel: 'Early help closed 24 November 2026; outcomes not yet checked by Eve Halpern',
      }),
    ]);
    expect([
      `/early-help/episodes/${episode.id}/follow-up`,
      `/early-help/episodes/${episode.id}/outcomes`,
    ]).toContain(overdue[0]!.href);
    const shown = describeDeadline(overdue[0]!, {
      now: new Date('2027-06-01T10:00:00Z'),
      today: '2027-06-01',
      calendar: englandAndWalesCalendar,
    });
    expect(shown).toMatchObject({ status: 'overdue', dueLabel: 'Overdue by 5 working days' });
    expect(await at(tom, '2027-06-01')).toEqual([]);
    // Once recorded, it goes.
    await run((trx) =>
      recordFollowUp(serviceContext(trx, eh, new Date('2027-06-01T10:00:00Z')), {
        episodeId: episode.id,
        sustained: 'yes',
        goals: [{ goalId, sustained: 'yes' }],
        notes: 'All good',
      }),
    );
    expect(await at(ehManager, '2027-06-01')).toEqual([]);
  });

  it('the impact measures are for managers only', async () => {
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await expect(
      loadImpactInput({ db: h.db, user: eh }, { from: '2026-01-01', to: '2026-12-31' }),
    ).rejects.toThrow('You do not have permission');
  });
});
