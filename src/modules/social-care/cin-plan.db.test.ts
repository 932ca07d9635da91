import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import {
  aCinEpisode,
  aCpPlan,
  agencyIdOfKind,
  anAssessment,
  calendar,
  run,
  userFor,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { CensusRuleError } from './census-queries.ts';
import {
  addCinGoal,
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

let handle: DatabaseHandle;
let sw: CurrentUser;
let school: string;
let health: string;
const now = new Date('2026-11-24T10:00:00Z');
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
  handle = await testDb();
  sw = await userFor(handle.db, 'social-worker');
  school = await agencyIdOfKind(handle.db, 'school');
  health = await agencyIdOfKind(handle.db, 'health');
});
afterAll(async () => {
  await handle?.close();
});

async function refusal(p: Promise<unknown>) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CensusRuleError);
  return error as CensusRuleError;
}

async function episodeWithAssessment() {
  const e = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
  await anAssessment(handle.db, e.episodeId, {
    startDate: '2026-11-02',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-06',
  });
  return e;
}

describe('child in need plans', () => {
  it('start with SMART goals tied to the assessment’s worries and needs; reviewed every 12 weeks by default', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const untied = await refusal(
      run(handle.db, (trx) =>
        startCinPlan(contextFor(trx, sw, now), {
          episodeId,
          startDate: '2026-11-09',
          familySummary: 'Our plan',
          goals: [goal('Something else')],
        }),
      ),
    );
    expect(untied.field).toBe('goals__0__worry');
    const id = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'Our plan',
        goals: [goal(), goal(NEED)],
      }),
    );
    const plan = await handle.db
      .selectFrom('cinPlans')
      .select(['reviewIntervalWeeks', 'startDate'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(plan).toEqual({ reviewIntervalWeeks: 12, startDate: '2026-11-09' });
    expect(
      await handle.db
        .selectFrom('cinPlanGoals')
        .select(['position', 'worry'])
        .where('cinPlanId', '=', id)
        .orderBy('position')
        .execute(),
    ).toEqual([
      { position: 1, worry: WORRY },
      { position: 2, worry: NEED },
    ]);
    expect(
      (
        await handle.db
          .selectFrom('auditEvents')
          .select('action')
          .where('subjectId', '=', id)
          .executeTakeFirstOrThrow()
      ).action,
    ).toBe('cin-plan.started');
    expect(
      (
        await handle.db
          .selectFrom('caseEvents')
          .select('title')
          .where('childId', '=', child.id)
          .where('sourceId', '=', id)
          .executeTakeFirstOrThrow()
      ).title,
    ).toBe('Child in need plan started');
  });

  it('use the authority’s review interval when it has one', async () => {
    const { episodeId } = await episodeWithAssessment();
    const la = (
      await handle.db
        .selectFrom('cinEpisodes')
        .select('localAuthorityId')
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).localAuthorityId;
    await handle.db
      .insertInto('socialCareSettings')
      .values({ localAuthorityId: la, cinReviewIntervalWeeks: 6 })
      .execute();
    const id = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(
      (
        await handle.db
          .selectFrom('cinPlans')
          .select('reviewIntervalWeeks')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).reviewIntervalWeeks,
    ).toBe(6);
    await handle.db.deleteFrom('socialCareSettings').where('localAuthorityId', '=', la).execute();
  });

  it('refuse a start before the referral (4015), a second open plan (4004) and overlapping plans (4014)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const early = await refusal(
      run(handle.db, (trx) =>
        startCinPlan(contextFor(trx, sw, now), {
          episodeId,
          startDate: '2026-11-01',
          familySummary: 'x',
          goals: [goal()],
        }),
      ),
    );
    expect(early.violations.map((v) => v.rule)).toEqual(['4015']);
    const id = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(
      (
        await refusal(
          run(handle.db, (trx) =>
            startCinPlan(contextFor(trx, sw, now), {
              episodeId,
              startDate: '2026-11-20',
              familySummary: 'x',
              goals: [goal()],
            }),
          ),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4004', '4014']);
    await run(handle.db, (trx) =>
      endCinPlan(contextFor(trx, sw, now), {
        cinPlanId: id,
        endDate: '2026-11-16',
        reason: 'other',
        notes: 'Replaced',
      }),
    );
    expect(
      (
        await refusal(
          run(handle.db, (trx) =>
            startCinPlan(contextFor(trx, sw, now), {
              episodeId,
              startDate: '2026-11-16',
              familySummary: 'x',
              goals: [goal()],
            }),
          ),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4014']);
  });

  it('an open plan takes on another goal, tied to the assessment, with a target date not in the past; audited and in the chronology', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    const bad = await refusal(
      run(handle.db, (trx) =>
        addCinGoal(contextFor(trx, sw, now), {
          cinPlanId: planId,
          goal: { ...goal('Something else'), targetDate: '2026-11-23' },
        }),
      ),
    );
    expect(bad.violations.map((v) => v.field)).toEqual(['worry', 'targetDate']);
    const id = await run(handle.db, (trx) =>
      addCinGoal(contextFor(trx, sw, now), {
        cinPlanId: planId,
        goal: { ...goal(NEED), goal: 'Olivia has a safe adult at school', targetDate: '2026-11-24' },
      }),
    );
    const goals = await handle.db
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
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'cin-plan.goal-added')
      .where('subjectId', '=', planId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ goalId: id, position: 2, worry: NEED, targetDate: '2026-11-24' });
    expect(
      await handle.db
        .selectFrom('caseEvents')
        .select('title')
        .where('childId', '=', child.id)
        .where('title', '=', 'Goal 2 added to the child in need plan')
        .execute(),
    ).toHaveLength(1);
    await run(handle.db, (trx) =>
      endCinPlan(contextFor(trx, sw, now), {
        cinPlanId: planId,
        endDate: '2026-11-24',
        reason: 'other',
        notes: 'Replaced',
      }),
    );
    const ended = await refusal(
      run(handle.db, (trx) => addCinGoal(contextFor(trx, sw, now), { cinPlanId: planId, goal: goal() })),
    );
    expect(ended.violations.map((v) => v.field)).toEqual(['goal']);
  });

  it('cannot start after today (4010: on or before the census reference date)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const future = await refusal(
      run(handle.db, (trx) =>
        startCinPlan(contextFor(trx, sw, now), {
          episodeId,
          startDate: '2026-11-25',
          familySummary: 'x',
          goals: [goal()],
        }),
      ),
    );
    expect(future.violations).toMatchObject([{ rule: '4010', field: 'startDate' }]);
    expect(
      await handle.db.selectFrom('cinPlans').select('id').where('episodeId', '=', episodeId).execute(),
    ).toEqual([]);
  });

  it('never overlaps a child protection plan (4016)', async () => {
    const { episodeId } = await episodeWithAssessment();
    await aCpPlan(handle.db, episodeId, { icpcDate: '2026-11-05' });
    const refused = await refusal(
      run(handle.db, (trx) =>
        startCinPlan(contextFor(trx, sw, now), {
          episodeId,
          startDate: '2026-11-10',
          familySummary: 'x',
          goals: [goal()],
        }),
      ),
    );
    expect(refused.violations.map((v) => v.rule)).toEqual(['4016', '4001']);
    expect(refused.message).toContain('(rule 4016)');
    expect(
      await handle.db.selectFrom('cinPlans').select('id').where('episodeId', '=', episodeId).execute(),
    ).toEqual([]);
  });

  it('ending the same day it started is a query (4012Q) explained in a recorded reason; ending before the start is refused (4011)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const id = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    expect(
      (
        await refusal(
          run(handle.db, (trx) =>
            endCinPlan(contextFor(trx, sw, now), {
              cinPlanId: id,
              endDate: '2026-11-08',
              reason: 'other',
              notes: 'x',
            }),
          ),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['4011']);
    expect(
      (
        await refusal(
          run(handle.db, (trx) =>
            endCinPlan(contextFor(trx, sw, now), {
              cinPlanId: id,
              endDate: '2026-11-09',
              reason: 'other',
              notes: 'x',
            }),
          ),
        )
      ).violations[0],
    ).toMatchObject({ rule: '4012Q', field: 'queryExplanation' });
    await run(handle.db, (trx) =>
      endCinPlan(contextFor(trx, sw, now), {
        cinPlanId: id,
        endDate: '2026-11-09',
        reason: 'other',
        notes: 'Started on the wrong child',
        queryExplanation: 'Recorded in error and ended the same day',
      }),
    );
    expect(
      await handle.db
        .selectFrom('censusQueryExplanations')
        .select(['rule', 'subjectType'])
        .where('subjectId', '=', id)
        .execute(),
    ).toEqual([{ rule: '4012Q', subjectType: 'cin-plan' }]);
  });

  it('cannot be started without access to the child', async () => {
    const { episodeId } = await episodeWithAssessment();
    const qa = await userFor(handle.db, 'qa-officer');
    await expect(
      run(handle.db, (trx) =>
        startCinPlan(contextFor(trx, qa, now), {
          episodeId,
          startDate: '2026-11-09',
          familySummary: 'x',
          goals: [goal()],
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('reviews, visits and direct work', () => {
  it('direct work follow-ups land in the plan and show as done or not at the next review, with progress per goal and the views', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal(), goal(NEED)],
      }),
    );
    const session = await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), {
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
      }),
    );
    const actions = await handle.db
      .selectFrom('planActions')
      .select(['id', 'action', 'cinPlanId'])
      .where('directWorkId', '=', session)
      .orderBy('createdAt')
      .execute();
    expect(actions.map((a) => a.cinPlanId)).toEqual([planId, planId]);
    const goals = await handle.db
      .selectFrom('cinPlanGoals')
      .select('id')
      .where('cinPlanId', '=', planId)
      .orderBy('position')
      .execute();
    const missing = await refusal(
      run(handle.db, (trx) =>
        recordCinReview(contextFor(trx, sw, now, calendar), {
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
      ),
    );
    expect(missing.field).toBe(`rating__${goals[1]!.id}`);
    const review = await run(handle.db, (trx) =>
      recordCinReview(contextFor(trx, sw, now, calendar), {
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
      }),
    );
    const checks = await handle.db
      .selectFrom('planActionChecks')
      .select(['actionId', 'done'])
      .where('reviewId', '=', review)
      .execute();
    expect(checks).toEqual(
      expect.arrayContaining([
        { actionId: actions[0]!.id, done: true },
        { actionId: actions[1]!.id, done: false },
      ]),
    );
    expect(
      (
        await handle.db
          .selectFrom('planActions')
          .select('doneOn')
          .where('id', '=', actions[0]!.id)
          .executeTakeFirstOrThrow()
      ).doneOn,
    ).toBe('2026-11-23');
    expect(
      (
        await handle.db
          .selectFrom('cinPlanGoals')
          .select('achievedOn')
          .where('id', '=', goals[1]!.id)
          .executeTakeFirstOrThrow()
      ).achievedOn,
    ).toBe('2026-11-23');
    expect(
      (
        await handle.db
          .selectFrom('cinPlanReviews')
          .select('nextReviewDue')
          .where('id', '=', review)
          .executeTakeFirstOrThrow()
      ).nextReviewDue,
    ).toBe('2027-02-15');
    const details = await run(handle.db, (trx) => cinPlanDetails(contextFor(trx, sw, now), planId));
    expect(details.checks.map((c) => `${c.done ? 'done' : 'not done'}: ${c.action}`)).toEqual([
      'done: Share the drawings with Mum',
      'not done: Ask school for a quiet space',
    ]);
    // The agencies present are kept (once each), with the names as typed.
    expect(
      await handle.db
        .selectFrom('cinPlanReviews')
        .select(['socialCarePresent', 'attendees'])
        .where('id', '=', review)
        .executeTakeFirstOrThrow(),
    ).toEqual({ socialCarePresent: true, attendees: 'Mum, Dad, school, health visitor' });
    expect(
      (
        await handle.db
          .selectFrom('cinPlanReviewAgencies')
          .select('agencyId')
          .where('reviewId', '=', review)
          .execute()
      )
        .map((a) => a.agencyId)
        .sort(),
    ).toEqual([school, health].sort());
    const names = await handle.db
      .selectFrom('agencies')
      .select('name')
      .where('id', 'in', [school, health])
      .orderBy('name')
      .execute();
    expect(details.reviews[0]!.agencies).toEqual(['Children’s social care', ...names.map((n) => n.name)]);
    expect(
      (
        await handle.db
          .selectFrom('caseEvents')
          .select('summary')
          .where('childId', '=', child.id)
          .where('sourceId', '=', session)
          .executeTakeFirstOrThrow()
      ).summary,
    ).toBe('“My house of worries has Daddy shouting in it.”');
  });

  it('follow-ups from direct work before the plan started move into it when it starts, and are checked done or not at its first review', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const session = await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), {
        episodeId,
        heldOn: '2026-11-04',
        tool: 'three-houses',
        childsWords: 'I want Dad to stop shouting.',
        summary: 'During the assessment.',
        actions: [
          { action: 'Tell Dad what Olivia said', responsible: 'Sian Walker' },
          { action: 'Find Olivia a trusted adult at school', responsible: 'School' },
        ],
      }),
    );
    const waiting = await handle.db
      .selectFrom('planActions')
      .select(['id', 'action', 'cinPlanId', 'cpPlanId'])
      .where('directWorkId', '=', session)
      .orderBy('position')
      .execute();
    expect(waiting.map((a) => [a.cinPlanId, a.cpPlanId])).toEqual([
      [null, null],
      [null, null],
    ]);
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    const moved = await handle.db
      .selectFrom('planActions')
      .select(['id', 'cinPlanId', 'cpPlanId', 'doneOn'])
      .where('directWorkId', '=', session)
      .orderBy('position')
      .execute();
    expect(moved).toEqual([
      { id: waiting[0]!.id, cinPlanId: planId, cpPlanId: null, doneOn: null },
      { id: waiting[1]!.id, cinPlanId: planId, cpPlanId: null, doneOn: null },
    ]);
    const started = await handle.db
      .selectFrom('caseEvents')
      .select('summary')
      .where('childId', '=', child.id)
      .where('sourceId', '=', planId)
      .executeTakeFirstOrThrow();
    expect(started.summary).toBe(
      '1 goal; reviewed every 12 weeks. Carried into the plan: 2 open follow-up actions recorded before the plan started.',
    );
    const carried = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('subjectId', '=', planId)
      .where('action', '=', 'plan-actions.carried')
      .executeTakeFirstOrThrow();
    expect(carried.details).toMatchObject({
      into: { cinPlanId: planId },
      fromEpisode: [waiting[0]!.id, waiting[1]!.id],
    });
    // The next review lists them (what the review page offers) and records each as done or not done.
    expect(
      (await run(handle.db, (trx) => openActionsForPlan(trx, { cinPlanId: planId }))).map((a) => a.action),
    ).toEqual(['Tell Dad what Olivia said', 'Find Olivia a trusted adult at school']);
    const goalId = (
      await handle.db
        .selectFrom('cinPlanGoals')
        .select('id')
        .where('cinPlanId', '=', planId)
        .executeTakeFirstOrThrow()
    ).id;
    const review = await run(handle.db, (trx) =>
      recordCinReview(contextFor(trx, sw, now, calendar), {
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
      }),
    );
    const details = await run(handle.db, (trx) => cinPlanDetails(contextFor(trx, sw, now), planId));
    expect(
      details.checks
        .filter((c) => c.reviewId === review)
        .map((c) => `${c.done ? 'done' : 'not done'}: ${c.action}`),
    ).toEqual(['done: Tell Dad what Olivia said', 'not done: Find Olivia a trusted adult at school']);
  });

  it('a session held before the plan but recorded once it has started puts its follow-ups in the open plan', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    const session = await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), {
        episodeId,
        heldOn: '2026-11-05',
        tool: 'three-houses',
        childsWords: 'x',
        summary: 'Written up late',
        actions: [{ action: 'Call Nan', responsible: 'SW' }],
      }),
    );
    expect(
      (
        await handle.db
          .selectFrom('planActions')
          .select('cinPlanId')
          .where('directWorkId', '=', session)
          .executeTakeFirstOrThrow()
      ).cinPlanId,
    ).toBe(planId);
  });

  it('goals can be put in words for the family (blank or unchanged keeps the goal’s own words); only this plan’s goals', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal(), { ...goal(), goal: 'Olivia goes to school every day' }],
      }),
    );
    const [first, second] = await handle.db
      .selectFrom('cinPlanGoals')
      .select(['id', 'goal'])
      .where('cinPlanId', '=', planId)
      .orderBy('position')
      .execute();
    const changed = await run(handle.db, (trx) =>
      saveFamilyWording(contextFor(trx, sw, now), {
        cinPlanId: planId,
        wording: [
          { goalId: first!.id, text: '  Home is calm and Olivia feels safe  ' },
          { goalId: second!.id, text: second!.goal },
        ],
      }),
    );
    expect(changed).toBe(1);
    expect(
      await handle.db
        .selectFrom('cinPlanGoals')
        .select('familyWording')
        .where('cinPlanId', '=', planId)
        .orderBy('position')
        .execute(),
    ).toEqual([{ familyWording: 'Home is calm and Olivia feels safe' }, { familyWording: null }]);
    await run(handle.db, (trx) =>
      saveFamilyWording(contextFor(trx, sw, now), {
        cinPlanId: planId,
        wording: [{ goalId: first!.id, text: '' }],
      }),
    );
    expect(
      (
        await handle.db
          .selectFrom('cinPlanGoals')
          .select('familyWording')
          .where('id', '=', first!.id)
          .executeTakeFirstOrThrow()
      ).familyWording,
    ).toBeNull();
    const audits = await handle.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'cin-plan.family-wording-changed')
      .where('subjectId', '=', planId)
      .execute();
    expect(audits).toHaveLength(2);
    const other = await episodeWithAssessment();
    const otherPlan = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId: other.episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    const wrong = await refusal(
      run(handle.db, (trx) =>
        saveFamilyWording(contextFor(trx, sw, now), {
          cinPlanId: otherPlan,
          wording: [{ goalId: first!.id, text: 'Not this plan' }],
        }),
      ),
    );
    expect(wrong.field).toBe('form');
  });

  it('a session with a disabled child must say how the child communicated', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    await handle.db.deleteFrom('personDisabilities').where('personId', '=', child.id).execute();
    await handle.db
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
    const refused = await refusal(
      run(handle.db, (trx) =>
        recordDirectWork(contextFor(trx, sw, now), { ...session, communication: '  ' }),
      ),
    );
    expect(refused.violations).toMatchObject([{ field: 'communication', kind: 'error' }]);
    expect(refused.message).toBe(
      'Record how the child communicated: their record shows a disability (autism or asperger syndrome, communication)',
    );
    expect(
      await handle.db
        .selectFrom('directWorkSessions')
        .select('id')
        .where('episodeId', '=', episodeId)
        .execute(),
    ).toEqual([]);
    const id = await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), {
        ...session,
        communication: 'Makaton signs and a picture board',
      }),
    );
    expect(
      (
        await handle.db
          .selectFrom('directWorkSessions')
          .select('communication')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).communication,
    ).toBe('Makaton signs and a picture board');
    // “No disability” is not a disability: the field stays optional.
    const other = await episodeWithAssessment();
    await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), { ...session, episodeId: other.episodeId }),
    );
  });

  it('a review and a core group are by the multi-agency network: an agency besides children’s social care must be present', async () => {
    const { episodeId } = await episodeWithAssessment();
    const planId = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [goal()],
      }),
    );
    const goalId = (
      await handle.db
        .selectFrom('cinPlanGoals')
        .select('id')
        .where('cinPlanId', '=', planId)
        .executeTakeFirstOrThrow()
    ).id;
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
    const socialCareOnly = await refusal(
      run(handle.db, (trx) =>
        recordCinReview(contextFor(trx, sw, now, calendar), { ...review, agencies: ['social-care'] }),
      ),
    );
    expect(socialCareOnly.violations.map((v) => [v.field, v.message])).toEqual([
      [
        'agencies',
        'Select at least one agency other than children’s social care that was present: a child in need plan review is a review by the multi-agency network',
      ],
    ]);
    expect(
      (
        await refusal(
          run(handle.db, (trx) =>
            recordCinReview(contextFor(trx, sw, now, calendar), { ...review, agencies: [] }),
          ),
        )
      ).field,
    ).toBe('agencies');
    const unknown = await refusal(
      run(handle.db, (trx) =>
        recordCinReview(contextFor(trx, sw, now, calendar), {
          ...review,
          agencies: ['social-care', 'not-an-agency'],
        }),
      ),
    );
    expect(unknown.violations.map((v) => v.message)).toEqual(['Select the agencies present from the list']);
    const stranger = await refusal(
      run(handle.db, (trx) =>
        recordCinReview(contextFor(trx, sw, now, calendar), {
          ...review,
          agencies: ['social-care', '00000000-0000-4000-8000-000000000000'],
        }),
      ),
    );
    expect(stranger.field).toBe('agencies');
    expect(
      await handle.db.selectFrom('cinPlanReviews').select('id').where('cinPlanId', '=', planId).execute(),
    ).toEqual([]);
    // Another agency without children's social care is accepted (the worker may have sent apologies).
    const id = await run(handle.db, (trx) =>
      recordCinReview(contextFor(trx, sw, now, calendar), { ...review, agencies: [school] }),
    );
    expect(
      await handle.db
        .selectFrom('cinPlanReviews')
        .select('socialCarePresent')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ socialCarePresent: false });
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select('details')
      .where('subjectId', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ socialCarePresent: false, agencies: [school] });
    // A review recorded before agencies were recorded keeps its text and lists no agencies.
    const old = await handle.db
      .insertInto('cinPlanReviews')
      .values({
        cinPlanId: planId,
        childId: (
          await handle.db
            .selectFrom('cinPlans')
            .select('childId')
            .where('id', '=', planId)
            .executeTakeFirstOrThrow()
        ).childId,
        heldOn: '2026-11-16',
        attendees: 'Mum, school, health visitor',
        childsViews: 'x',
        familyViews: 'x',
        summary: 'x',
        decision: 'continue',
        recordedAt: now,
        recordedBy: sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const details = await run(handle.db, (trx) => cinPlanDetails(contextFor(trx, sw, now), planId));
    const schoolName = (
      await handle.db.selectFrom('agencies').select('name').where('id', '=', school).executeTakeFirstOrThrow()
    ).name;
    expect(details.reviews.map((r) => [r.id, r.attendees, r.agencies])).toEqual([
      [old.id, 'Mum, school, health visitor', []],
      [id, 'Mum, Sian Walker', [schoolName]],
    ]);

    const other = await episodeWithAssessment();
    const { planId: cpPlanId } = await aCpPlan(handle.db, other.episodeId, { icpcDate: '2026-11-05' });
    const group = {
      cpPlanId,
      heldOn: '2026-11-12',
      attendees: 'Mum, Sian Walker',
      childSeen: true,
      progress: 'x',
      actionsDone: [],
    };
    const alone = await refusal(
      run(handle.db, (trx) =>
        recordCoreGroup(contextFor(trx, sw, now), { ...group, agencies: ['social-care'] }),
      ),
    );
    expect(alone.violations.map((v) => [v.field, v.message])).toEqual([
      [
        'agencies',
        'Select at least one agency other than children’s social care that was present: a core group meeting is a review by the multi-agency network',
      ],
    ]);
    expect(
      await handle.db.selectFrom('cpCoreGroups').select('id').where('cpPlanId', '=', cpPlanId).execute(),
    ).toEqual([]);
    const groupId = await run(handle.db, (trx) =>
      recordCoreGroup(contextFor(trx, sw, now), { ...group, agencies: ['social-care', health] }),
    );
    expect(
      await handle.db
        .selectFrom('cpCoreGroupAgencies')
        .select('agencyId')
        .where('coreGroupId', '=', groupId)
        .execute(),
    ).toEqual([{ agencyId: health }]);
    const healthName = (
      await handle.db.selectFrom('agencies').select('name').where('id', '=', health).executeTakeFirstOrThrow()
    ).name;
    const cp = await run(handle.db, (trx) => cpPlanDetails(contextFor(trx, sw, now), cpPlanId));
    expect(cp.coreGroups.map((g) => [g.socialCarePresent, g.agencies])).toEqual([
      [true, ['Children’s social care', healthName]],
    ]);
  });

  it('a retired direct-work tool is no longer accepted for new sessions', async () => {
    const { episodeId } = await episodeWithAssessment();
    // The shared defaults apply until the authority has its own list.
    await handle.db
      .insertInto('refCodes')
      .values({
        codeSet: 'direct-work-tool',
        code: 'retired-tool-test',
        label: 'Retired tool (test)',
        validTo: '2026-11-01',
      })
      .execute();
    const refused = await refusal(
      run(handle.db, (trx) =>
        recordDirectWork(contextFor(trx, sw, now), {
          episodeId,
          heldOn: '2026-11-10',
          tool: 'retired-tool-test',
          childsWords: 'x',
          summary: 'x',
          actions: [],
        }),
      ),
    );
    expect(refused.field).toBe('tool');
    await handle.db
      .deleteFrom('refCodes')
      .where('codeSet', '=', 'direct-work-tool')
      .where('code', '=', 'retired-tool-test')
      .execute();
  });

  it('a direct work tool must come from the authority’s list; actions under a CP plan land in it and are checked at the core group', async () => {
    const { episodeId } = await episodeWithAssessment();
    const { planId } = await aCpPlan(handle.db, episodeId, { icpcDate: '2026-11-05' });
    const bad = await refusal(
      run(handle.db, (trx) =>
        recordDirectWork(contextFor(trx, sw, now), {
          episodeId,
          heldOn: '2026-11-10',
          tool: 'crystal-ball',
          childsWords: 'x',
          summary: 'x',
          actions: [],
        }),
      ),
    );
    expect(bad.field).toBe('tool');
    const session = await run(handle.db, (trx) =>
      recordDirectWork(contextFor(trx, sw, now), {
        episodeId,
        heldOn: '2026-11-10',
        tool: 'wishes-and-feelings',
        childsWords: 'I want to stay with Nan',
        summary: 'x',
        actions: [{ action: 'Visit Nan', responsible: 'SW' }],
      }),
    );
    const action = await handle.db
      .selectFrom('planActions')
      .select(['id', 'cpPlanId'])
      .where('directWorkId', '=', session)
      .executeTakeFirstOrThrow();
    expect(action.cpPlanId).toBe(planId);
    const group = await run(handle.db, (trx) =>
      recordCoreGroup(contextFor(trx, sw, now), {
        cpPlanId: planId,
        heldOn: '2026-11-12',
        agencies: ['social-care', health],
        attendees: 'x',
        childSeen: true,
        progress: 'x',
        actionsDone: [],
      }),
    );
    expect(
      await handle.db.selectFrom('planActionChecks').select('done').where('reviewId', '=', group).execute(),
    ).toEqual([{ done: false }]);
  });

  it('statutory visits record seen, seen alone and bedroom seen, and which plan they were under', async () => {
    const { episodeId } = await episodeWithAssessment();
    await aCpPlan(handle.db, episodeId, { icpcDate: '2026-11-05' });
    const refused = await refusal(
      run(handle.db, (trx) =>
        recordVisit(contextFor(trx, sw, now), {
          episodeId,
          visitedOn: '2026-11-10',
          childSeen: false,
          notes: 'Nobody home',
        }),
      ),
    );
    expect(refused.field).toBe('reasonNotSeen');
    const before = await run(handle.db, (trx) =>
      recordVisit(contextFor(trx, sw, now), {
        episodeId,
        visitedOn: '2026-11-04',
        childSeen: true,
        seenAlone: true,
        bedroomSeen: false,
        notes: 'Before the plan',
      }),
    );
    const during = await run(handle.db, (trx) =>
      recordVisit(contextFor(trx, sw, now), {
        episodeId,
        visitedOn: '2026-11-10',
        childSeen: true,
        seenAlone: false,
        bedroomSeen: true,
        notes: 'Seen with Mum',
      }),
    );
    const rows = await handle.db
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
    expect(
      (
        await handle.db
          .selectFrom('auditEvents')
          .select('action')
          .where('subjectId', '=', during)
          .executeTakeFirstOrThrow()
      ).action,
    ).toBe('statutory-visit.recorded');
  });
});
