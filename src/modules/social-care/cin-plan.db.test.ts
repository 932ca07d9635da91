import { beforeAll, describe, expect, it } from 'vitest';
import {
  aCinEpisode,
  aCpPlan,
  agencyIdOfKind,
  anAssessment,
  run,
  userFor,
} from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal } from '../../../test/builders/social-care-db.ts';
import { addCinGoal } from './plan-goals.service.ts';
import {
  cinPlanDetails,
  endCinPlan,
  recordCinReview,
  saveFamilyWording,
  startCinPlan,
  unaddressedTies,
} from './cin-plan.service.ts';
import { cpPlanDetails, recordCoreGroup } from './child-protection.service.ts';
import { openActionsForPlan } from './actions.service.ts';
import { recordDirectWork, recordVisit } from './visits.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

let school: string;
let health: string;
const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);
const WORRY = 'Worry: Everyone is worried that Olivia is frightened when her parents argue.';
const NEED = 'Need: Olivia feels safe at home.';
const goal = (worry = WORRY) => ({
  worry,
  goal: 'No shouting in front of Olivia',
  measure: 'Olivia tells us at each visit',
  responsible: 'Mum and Dad',
  targetDate: '2027-02-01',
});

beforeAll(async () => {
  school = await agencyIdOfKind(t.db, 'school');
  health = await agencyIdOfKind(t.db, 'health');
});

async function episodeWithAssessment() {
  const e = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  await anAssessment(t.db, e.episodeId, {
    startDate: '2026-11-02',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-06',
  });
  return e;
}

describe('child in need plans', () => {
  it('start with SMART goals tied to the assessment’s worries and needs; reviewed every 12 weeks by default', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const untied = await censusRefusal(
      t.act(t.sw, startCinPlan, {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'Our plan',
        goals: [goal('Something else')],
      }),
    );
    expect(untied.field).toBe('goals__0__worry');
    const id = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'Our plan',
      goals: [goal(), goal(NEED)],
    });
    const plan = await firstRow(t.db, 'cinPlans', { id }, ['reviewIntervalWeeks', 'startDate']);
    expect(plan).toEqual({ reviewIntervalWeeks: 12, startDate: '2026-11-09' });
    expect(
      await t.db
        .selectFrom('cinPlanGoals')
        .select(['position', 'worry'])
        .where('cinPlanId', '=', id)
        .orderBy('position')
        .execute(),
    ).toEqual([
      { position: 1, worry: WORRY },
      { position: 2, worry: NEED },
    ]);
    expect(await valueOf(t.db, 'auditEvents', { subjectId: id }, 'action')).toBe('cin-plan.started');
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, sourceId: id }, 'title')).toBe(
      'Child in need plan started',
    );
  });

  it('use the authority’s review interval when it has one', async () => {
    const { episodeId } = await episodeWithAssessment();
    const la = await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'localAuthorityId');
    await t.db
      .insertInto('socialCareSettings')
      .values({ localAuthorityId: la, cinReviewIntervalWeeks: 6 })
      .execute();
    const id = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    expect(await valueOf(t.db, 'cinPlans', { id }, 'reviewIntervalWeeks')).toBe(6);
    await t.db.deleteFrom('socialCareSettings').where('localAuthorityId', '=', la).execute();
  });

  it('refuse a start before the referral (4015), a second open plan (4004) and overlapping plans (4014)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const early = await censusRefusal(
      t.act(t.sw, startCinPlan, {
        episodeId,
        startDate: '2026-11-01',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(early.violations.map((v) => v.rule)).toEqual(['4015']);
    const id = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    expect(
      (
        await censusRefusal(
          t.act(t.sw, startCinPlan, {
            episodeId,
            startDate: '2026-11-20',
            familySummary: 'x',
            goals: [goal()],
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4004', '4014']);
    await t.act(t.sw, endCinPlan, {
      cinPlanId: id,
      endDate: '2026-11-16',
      reason: 'other',
      notes: 'Replaced',
    });
    expect(
      (
        await censusRefusal(
          t.act(t.sw, startCinPlan, {
            episodeId,
            startDate: '2026-11-16',
            familySummary: 'x',
            goals: [goal()],
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4014']);
  });

  it('an open plan takes on another goal, tied to the assessment, with a target date not in the past; audited and in the chronology', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    const bad = await censusRefusal(
      t.act(t.sw, addCinGoal, {
        cinPlanId: planId,
        goal: { ...goal('Something else'), targetDate: '2026-11-23' },
      }),
    );
    expect(bad.violations.map((v) => v.field)).toEqual(['worry', 'targetDate']);
    const id = await t.act(t.sw, addCinGoal, {
      cinPlanId: planId,
      goal: { ...goal(NEED), goal: 'Olivia has a safe adult at school', targetDate: '2026-11-24' },
    });
    const goals = await t.db
      .selectFrom('cinPlanGoals')
      .select(['id', 'position', 'worry'])
      .where('cinPlanId', '=', planId)
      .orderBy('position')
      .execute();
    expect(goals).toEqual([
      expect.objectContaining({ position: 1, worry: WORRY }),
      { id, position: 2, worry: NEED },
    ]);
    expect(unaddressedTies([WORRY, NEED], goals)).toEqual([]);
    const audit = await firstRow(t.db, 'auditEvents', { action: 'cin-plan.goal-added', subjectId: planId }, [
      'details',
    ]);
    expect(audit.details).toMatchObject({ goalId: id, position: 2, worry: NEED, targetDate: '2026-11-24' });
    expect(
      await rowsOf(
        t.db,
        'caseEvents',
        { childId: child.id, title: 'Goal 2 added to the child in need plan' },
        ['title'],
      ),
    ).toHaveLength(1);
    await t.act(t.sw, endCinPlan, {
      cinPlanId: planId,
      endDate: '2026-11-24',
      reason: 'other',
      notes: 'Replaced',
    });
    const ended = await censusRefusal(t.act(t.sw, addCinGoal, { cinPlanId: planId, goal: goal() }));
    expect(ended.violations.map((v) => v.field)).toEqual(['goal']);
  });

  it('cannot start after today (4010: on or before the census reference date)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const future = await censusRefusal(
      t.act(t.sw, startCinPlan, {
        episodeId,
        startDate: '2026-11-25',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(future.violations).toMatchObject([{ rule: '4010', field: 'startDate' }]);
    expect(await rowsOf(t.db, 'cinPlans', { episodeId }, ['id'])).toEqual([]);
  });

  it('never overlaps a child protection plan (4016)', async () => {
    const { episodeId } = await episodeWithAssessment();
    await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    const refused = await censusRefusal(
      t.act(t.sw, startCinPlan, {
        episodeId,
        startDate: '2026-11-10',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(refused.violations.map((v) => v.rule)).toEqual(['4016', '4001']);
    expect(refused.message).toContain('(rule 4016)');
    expect(await rowsOf(t.db, 'cinPlans', { episodeId }, ['id'])).toEqual([]);
  });

  it('ending the same day it started is a query (4012Q) explained in a recorded reason; ending before the start is refused (4011)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const id = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    expect(
      (
        await censusRefusal(
          t.act(t.sw, endCinPlan, {
            cinPlanId: id,
            endDate: '2026-11-08',
            reason: 'other',
            notes: 'x',
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4011']);
    expect(
      (
        await censusRefusal(
          t.act(t.sw, endCinPlan, {
            cinPlanId: id,
            endDate: '2026-11-09',
            reason: 'other',
            notes: 'x',
          }),
        )
      ).violations[0],
    ).toMatchObject({ rule: '4012Q', field: 'queryExplanation' });
    await t.act(t.sw, endCinPlan, {
      cinPlanId: id,
      endDate: '2026-11-09',
      reason: 'other',
      notes: 'Started on the wrong child',
      queryExplanation: 'Recorded in error and ended the same day',
    });
    expect(await rowsOf(t.db, 'censusQueryExplanations', { subjectId: id }, ['rule', 'subjectType'])).toEqual(
      [{ rule: '4012Q', subjectType: 'cin-plan' }],
    );
  });

  it('cannot be started without access to the child', async () => {
    const { episodeId } = await episodeWithAssessment();
    const qa = await userFor(t.db, 'qa-officer');
    await expect(
      t.act(qa, startCinPlan, {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    ).rejects.toThrow();
  });
});

describe('reviews, visits and direct work', () => {
  it('direct work follow-ups land in the plan and show as done or not at the next review, with progress per goal and the views', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal(), goal(NEED)],
    });
    const session = await t.act(t.sw, recordDirectWork, {
      episodeId,
      heldOn: '2026-11-12',
      tool: 'three-houses',
      childsWords: 'My house of worries has Daddy shouting in it.',
      communication: 'Drew pictures and pointed',
      summary: 'Olivia drew her three houses.',
      actions: [
        { action: 'Share the drawings with Mum', responsible: 'Sian Walker', dueOn: '2026-11-19' },
        { action: 'Ask school for a quiet space', responsible: 'School' },
      ],
    });
    const actions = await t.db
      .selectFrom('planActions')
      .select(['id', 'action', 'cinPlanId'])
      .where('directWorkId', '=', session)
      .orderBy('createdAt')
      .execute();
    expect(actions.map((a) => a.cinPlanId)).toEqual([planId, planId]);
    const goals = await t.db
      .selectFrom('cinPlanGoals')
      .select('id')
      .where('cinPlanId', '=', planId)
      .orderBy('position')
      .execute();
    const missing = await censusRefusal(
      t.act(t.sw, recordCinReview, {
        cinPlanId: planId,
        heldOn: '2026-11-23',
        agencies: ['social-care', school],
        attendees: 'x',
        childsViews: 'x',
        familyViews: 'x',
        summary: 'x',
        decision: 'continue',
        progress: [{ goalId: goals[0]!.id, rating: 'progressing' }],
        actionsDone: [],
      }),
    );
    expect(missing.field).toBe(`rating__${goals[1]!.id}`);
    const review = await t.act(t.sw, recordCinReview, {
      cinPlanId: planId,
      heldOn: '2026-11-23',
      agencies: ['social-care', school, health, school],
      attendees: 'Mum, Dad, school, health visitor',
      childsViews: 'It is quieter at home',
      familyViews: 'We are trying hard',
      summary: 'Good progress',
      decision: 'continue',
      progress: [
        { goalId: goals[0]!.id, rating: 'progressing', notes: 'Fewer arguments' },
        { goalId: goals[1]!.id, rating: 'achieved' },
      ],
      actionsDone: [actions[0]!.id],
    });
    const checks = await rowsOf(t.db, 'planActionChecks', { reviewId: review }, ['actionId', 'done']);
    expect(checks).toEqual(
      expect.arrayContaining([
        { actionId: actions[0]!.id, done: true },
        { actionId: actions[1]!.id, done: false },
      ]),
    );
    expect(await valueOf(t.db, 'planActions', { id: actions[0]!.id }, 'doneOn')).toBe('2026-11-23');
    expect(await valueOf(t.db, 'cinPlanGoals', { id: goals[1]!.id }, 'achievedOn')).toBe('2026-11-23');
    expect(await valueOf(t.db, 'cinPlanReviews', { id: review }, 'nextReviewDue')).toBe('2027-02-15');
    const details = await t.act(t.sw, cinPlanDetails, planId);
    expect(details.checks.map((c) => `${c.done ? 'done' : 'not done'}: ${c.action}`)).toEqual([
      'done: Share the drawings with Mum',
      'not done: Ask school for a quiet space',
    ]);
    // The agencies present are kept (once each), with the names as typed.
    expect(
      await firstRow(t.db, 'cinPlanReviews', { id: review }, ['socialCarePresent', 'attendees']),
    ).toEqual({ socialCarePresent: true, attendees: 'Mum, Dad, school, health visitor' });
    expect(
      (await rowsOf(t.db, 'cinPlanReviewAgencies', { reviewId: review }, ['agencyId']))
        .map((a) => a.agencyId)
        .sort(),
    ).toEqual([school, health].sort());
    const names = await t.db
      .selectFrom('agencies')
      .select('name')
      .where('id', 'in', [school, health])
      .orderBy('name')
      .execute();
    expect(details.reviews[0]!.agencies).toEqual(['Children’s social care', ...names.map((n) => n.name)]);
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, sourceId: session }, 'summary')).toBe(
      '“My house of worries has Daddy shouting in it.”',
    );
  });

  it('follow-ups from direct work before the plan started move into it when it starts, and are checked done or not at its first review', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const session = await t.act(t.sw, recordDirectWork, {
      episodeId,
      heldOn: '2026-11-04',
      tool: 'three-houses',
      childsWords: 'I want Dad to stop shouting.',
      summary: 'During the assessment.',
      actions: [
        { action: 'Tell Dad what Olivia said', responsible: 'Sian Walker' },
        { action: 'Find Olivia a trusted adult at school', responsible: 'School' },
      ],
    });
    const waiting = await t.db
      .selectFrom('planActions')
      .select(['id', 'action', 'cinPlanId', 'cpPlanId'])
      .where('directWorkId', '=', session)
      .orderBy('position')
      .execute();
    expect(waiting.map((a) => [a.cinPlanId, a.cpPlanId])).toEqual([
      [null, null],
      [null, null],
    ]);
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    const moved = await t.db
      .selectFrom('planActions')
      .select(['id', 'cinPlanId', 'cpPlanId', 'doneOn'])
      .where('directWorkId', '=', session)
      .orderBy('position')
      .execute();
    expect(moved).toEqual([
      { id: waiting[0]!.id, cinPlanId: planId, cpPlanId: null, doneOn: null },
      { id: waiting[1]!.id, cinPlanId: planId, cpPlanId: null, doneOn: null },
    ]);
    const started = await firstRow(t.db, 'caseEvents', { childId: child.id, sourceId: planId }, ['summary']);
    expect(started.summary).toBe(
      '1 goal; reviewed every 12 weeks. Carried into the plan: 2 open follow-up actions recorded before the plan started.',
    );
    const carried = await firstRow(
      t.db,
      'auditEvents',
      { subjectId: planId, action: 'plan-actions.carried' },
      ['action', 'details'],
    );
    expect(carried.details).toMatchObject({
      into: { cinPlanId: planId },
      fromEpisode: [waiting[0]!.id, waiting[1]!.id],
    });
    // The next review lists them (what the review page offers) and records each as done or not done.
    expect(
      (await run(t.db, (trx) => openActionsForPlan(trx, { cinPlanId: planId }))).map((a) => a.action),
    ).toEqual(['Tell Dad what Olivia said', 'Find Olivia a trusted adult at school']);
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cinPlanId: planId }, 'id');
    const review = await t.act(t.sw, recordCinReview, {
      cinPlanId: planId,
      heldOn: '2026-11-23',
      agencies: ['social-care', school],
      attendees: 'x',
      childsViews: 'x',
      familyViews: 'x',
      summary: 'x',
      decision: 'continue',
      progress: [{ goalId, rating: 'progressing' }],
      actionsDone: [waiting[0]!.id],
    });
    const details = await t.act(t.sw, cinPlanDetails, planId);
    expect(
      details.checks
        .filter((c) => c.reviewId === review)
        .map((c) => `${c.done ? 'done' : 'not done'}: ${c.action}`),
    ).toEqual(['done: Tell Dad what Olivia said', 'not done: Find Olivia a trusted adult at school']);
  });

  it('a session held before the plan but recorded once it has started puts its follow-ups in the open plan', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    const session = await t.act(t.sw, recordDirectWork, {
      episodeId,
      heldOn: '2026-11-05',
      tool: 'three-houses',
      childsWords: 'x',
      summary: 'Written up late',
      actions: [{ action: 'Call Nan', responsible: 'SW' }],
    });
    expect(await valueOf(t.db, 'planActions', { directWorkId: session }, 'cinPlanId')).toBe(planId);
  });

  it('goals can be put in words for the family (blank or unchanged keeps the goal’s own words); only this plan’s goals', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal(), { ...goal(), goal: 'Olivia goes to school every day' }],
    });
    const [first, second] = await t.db
      .selectFrom('cinPlanGoals')
      .select(['id', 'goal'])
      .where('cinPlanId', '=', planId)
      .orderBy('position')
      .execute();
    const changed = await t.act(t.sw, saveFamilyWording, {
      cinPlanId: planId,
      wording: [
        { goalId: first!.id, text: '  Home is calm and Olivia feels safe  ' },
        { goalId: second!.id, text: second!.goal },
      ],
    });
    expect(changed).toBe(1);
    expect(
      await t.db
        .selectFrom('cinPlanGoals')
        .select('familyWording')
        .where('cinPlanId', '=', planId)
        .orderBy('position')
        .execute(),
    ).toEqual([{ familyWording: 'Home is calm and Olivia feels safe' }, { familyWording: null }]);
    await t.act(t.sw, saveFamilyWording, {
      cinPlanId: planId,
      wording: [{ goalId: first!.id, text: '' }],
    });
    expect(await valueOf(t.db, 'cinPlanGoals', { id: first!.id }, 'familyWording')).toBeNull();
    const audits = await rowsOf(
      t.db,
      'auditEvents',
      { action: 'cin-plan.family-wording-changed', subjectId: planId },
      ['details'],
    );
    expect(audits).toHaveLength(2);
    const other = await episodeWithAssessment();
    const otherPlan = await t.act(t.sw, startCinPlan, {
      episodeId: other.episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    const wrong = await censusRefusal(
      t.act(t.sw, saveFamilyWording, {
        cinPlanId: otherPlan,
        wording: [{ goalId: first!.id, text: 'Not this plan' }],
      }),
    );
    expect(wrong.field).toBe('form');
  });

  it('a session with a disabled child must say how the child communicated', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    await t.db.deleteFrom('personDisabilities').where('personId', '=', child.id).execute();
    await t.db
      .insertInto('personDisabilities')
      .values([
        { personId: child.id, code: 'COMM' },
        { personId: child.id, code: 'AUT' },
      ])
      .execute();
    const session = {
      episodeId,
      heldOn: '2026-11-10',
      tool: 'three-houses',
      childsWords: 'Pointed to the sad face',
      summary: 'x',
      actions: [],
    };
    const refused = await censusRefusal(t.act(t.sw, recordDirectWork, { ...session, communication: '  ' }));
    expect(refused.violations).toMatchObject([{ field: 'communication', kind: 'error' }]);
    expect(refused.message).toBe(
      'Record how the child communicated: their record shows a disability (autism or asperger syndrome, communication)',
    );
    expect(await rowsOf(t.db, 'directWorkSessions', { episodeId }, ['id'])).toEqual([]);
    const id = await t.act(t.sw, recordDirectWork, {
      ...session,
      communication: 'Makaton signs and a picture board',
    });
    expect(await valueOf(t.db, 'directWorkSessions', { id }, 'communication')).toBe(
      'Makaton signs and a picture board',
    );
    // “No disability” is not a disability: the field stays optional.
    const other = await episodeWithAssessment();
    await t.act(t.sw, recordDirectWork, { ...session, episodeId: other.episodeId });
  });

  it('a review and a core group are by the multi-agency network: an agency besides children’s social care must be present', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-09',
      familySummary: 'x',
      goals: [goal()],
    });
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cinPlanId: planId }, 'id');
    const review = {
      cinPlanId: planId,
      heldOn: '2026-11-23',
      attendees: 'Mum, Sian Walker',
      childsViews: 'x',
      familyViews: 'x',
      summary: 'x',
      decision: 'continue' as const,
      progress: [{ goalId, rating: 'progressing' as const }],
      actionsDone: [],
    };
    const socialCareOnly = await censusRefusal(
      t.act(t.sw, recordCinReview, { ...review, agencies: ['social-care'] }),
    );
    expect(socialCareOnly.violations.map((v) => [v.field, v.message])).toEqual([
      [
        'agencies',
        'Select at least one agency other than children’s social care that was present: a child in need plan review is a review by the multi-agency network',
      ],
    ]);
    expect((await censusRefusal(t.act(t.sw, recordCinReview, { ...review, agencies: [] }))).field).toBe(
      'agencies',
    );
    const unknown = await censusRefusal(
      t.act(t.sw, recordCinReview, {
        ...review,
        agencies: ['social-care', 'not-an-agency'],
      }),
    );
    expect(unknown.violations.map((v) => v.message)).toEqual(['Select the agencies present from the list']);
    const stranger = await censusRefusal(
      t.act(t.sw, recordCinReview, {
        ...review,
        agencies: ['social-care', '00000000-0000-4000-8000-000000000000'],
      }),
    );
    expect(stranger.field).toBe('agencies');
    expect(await rowsOf(t.db, 'cinPlanReviews', { cinPlanId: planId }, ['id'])).toEqual([]);
    // Another agency without children's social care is accepted (the worker may have sent apologies).
    const id = await t.act(t.sw, recordCinReview, { ...review, agencies: [school] });
    expect(await firstRow(t.db, 'cinPlanReviews', { id }, ['socialCarePresent'])).toEqual({
      socialCarePresent: false,
    });
    const audit = await firstRow(t.db, 'auditEvents', { subjectId: id }, ['details']);
    expect(audit.details).toMatchObject({ socialCarePresent: false, agencies: [school] });
    // A review recorded before agencies were recorded keeps its text and lists no agencies.
    const old = await t.db
      .insertInto('cinPlanReviews')
      .values({
        cinPlanId: planId,
        childId: await valueOf(t.db, 'cinPlans', { id: planId }, 'childId'),
        heldOn: '2026-11-16',
        attendees: 'Mum, school, health visitor',
        childsViews: 'x',
        familyViews: 'x',
        summary: 'x',
        decision: 'continue',
        recordedAt: now,
        recordedBy: t.sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const details = await t.act(t.sw, cinPlanDetails, planId);
    const schoolName = await valueOf(t.db, 'agencies', { id: school }, 'name');
    expect(details.reviews.map((r) => [r.id, r.attendees, r.agencies])).toEqual([
      [old.id, 'Mum, school, health visitor', []],
      [id, 'Mum, Sian Walker', [schoolName]],
    ]);

    const other = await episodeWithAssessment();
    const { planId: cpPlanId } = await aCpPlan(t.db, other.episodeId, { icpcDate: '2026-11-05' });
    const group = {
      cpPlanId,
      heldOn: '2026-11-12',
      attendees: 'Mum, Sian Walker',
      childSeen: true,
      progress: 'x',
      actionsDone: [],
    };
    const alone = await censusRefusal(t.act(t.sw, recordCoreGroup, { ...group, agencies: ['social-care'] }));
    expect(alone.violations.map((v) => [v.field, v.message])).toEqual([
      [
        'agencies',
        'Select at least one agency other than children’s social care that was present: a core group meeting is a review by the multi-agency network',
      ],
    ]);
    expect(await rowsOf(t.db, 'cpCoreGroups', { cpPlanId }, ['id'])).toEqual([]);
    const groupId = await t.act(t.sw, recordCoreGroup, { ...group, agencies: ['social-care', health] });
    expect(await rowsOf(t.db, 'cpCoreGroupAgencies', { coreGroupId: groupId }, ['agencyId'])).toEqual([
      { agencyId: health },
    ]);
    const healthName = await valueOf(t.db, 'agencies', { id: health }, 'name');
    const cp = await t.act(t.sw, cpPlanDetails, cpPlanId);
    expect(cp.coreGroups.map((g) => [g.socialCarePresent, g.agencies])).toEqual([
      [true, ['Children’s social care', healthName]],
    ]);
  });

  it('a retired direct-work tool is no longer accepted for new sessions', async () => {
    const { episodeId } = await episodeWithAssessment();
    // The shared defaults apply until the authority has its own list.
    await t.db
      .insertInto('refCodes')
      .values({
        codeSet: 'direct-work-tool',
        code: 'retired-tool-test',
        label: 'Retired tool (test)',
        validTo: '2026-11-01',
      })
      .execute();
    const refused = await censusRefusal(
      t.act(t.sw, recordDirectWork, {
        episodeId,
        heldOn: '2026-11-10',
        tool: 'retired-tool-test',
        childsWords: 'x',
        summary: 'x',
        actions: [],
      }),
    );
    expect(refused.field).toBe('tool');
    await t.db
      .deleteFrom('refCodes')
      .where('codeSet', '=', 'direct-work-tool')
      .where('code', '=', 'retired-tool-test')
      .execute();
  });

  it('a direct work tool must come from the authority’s list; actions under a CP plan land in it and are checked at the core group', async () => {
    const { episodeId } = await episodeWithAssessment();
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    const bad = await censusRefusal(
      t.act(t.sw, recordDirectWork, {
        episodeId,
        heldOn: '2026-11-10',
        tool: 'crystal-ball',
        childsWords: 'x',
        summary: 'x',
        actions: [],
      }),
    );
    expect(bad.field).toBe('tool');
    const session = await t.act(t.sw, recordDirectWork, {
      episodeId,
      heldOn: '2026-11-10',
      tool: 'wishes-and-feelings',
      childsWords: 'I want to stay with Nan',
      summary: 'x',
      actions: [{ action: 'Visit Nan', responsible: 'SW' }],
    });
    const action = await firstRow(t.db, 'planActions', { directWorkId: session }, ['id', 'cpPlanId']);
    expect(action.cpPlanId).toBe(planId);
    const group = await t.act(t.sw, recordCoreGroup, {
      cpPlanId: planId,
      heldOn: '2026-11-12',
      agencies: ['social-care', health],
      attendees: 'x',
      childSeen: true,
      progress: 'x',
      actionsDone: [],
    });
    expect(await rowsOf(t.db, 'planActionChecks', { reviewId: group }, ['done'])).toEqual([{ done: false }]);
  });

  it('statutory visits record seen, seen alone and bedroom seen, and which plan they were under', async () => {
    const { episodeId } = await episodeWithAssessment();
    await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    const refused = await censusRefusal(
      t.act(t.sw, recordVisit, {
        episodeId,
        visitedOn: '2026-11-10',
        childSeen: false,
        notes: 'Nobody home',
      }),
    );
    expect(refused.field).toBe('reasonNotSeen');
    const before = await t.act(t.sw, recordVisit, {
      episodeId,
      visitedOn: '2026-11-04',
      childSeen: true,
      seenAlone: true,
      bedroomSeen: false,
      notes: 'Before the plan',
    });
    const during = await t.act(t.sw, recordVisit, {
      episodeId,
      visitedOn: '2026-11-10',
      childSeen: true,
      seenAlone: false,
      bedroomSeen: true,
      notes: 'Seen with Mum',
    });
    const rows = await t.db
      .selectFrom('statutoryVisits')
      .select(['id', 'planKind', 'seenAlone', 'bedroomSeen'])
      .where('id', 'in', [before, during])
      .execute();
    expect(rows.find((r) => r.id === before)).toMatchObject({
      planKind: 'assessment',
      seenAlone: true,
      bedroomSeen: false,
    });
    expect(rows.find((r) => r.id === during)).toMatchObject({
      planKind: 'cp',
      seenAlone: false,
      bedroomSeen: true,
    });
    expect(await valueOf(t.db, 'auditEvents', { subjectId: during }, 'action')).toBe(
      'statutory-visit.recorded',
    );
  });
});
