import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../kernel/errors.ts';
import {
  aCinEpisode,
  aConference,
  aCpPlan,
  agencyIdOfKind,
  anAssessment,
  participants,
  run,
  userFor,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal, rulesOf } from '../../../test/builders/social-care-db.ts';
import { recordCinReview, startCinPlan } from './cin-plan.service.ts';
import { recordDirectWork } from './visits.service.ts';
import {
  endCpPlan,
  recordCoreGroup,
  recordInitialConference,
  recordReviewConference,
  recordSection47Outcome,
  recordStrategyDiscussion,
  startCpPlan,
  startSection47,
} from './child-protection.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

let people: Awaited<ReturnType<typeof participants>>;
const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);

beforeAll(async () => {
  people = await participants(t.db);
});

describe('strategy discussions', () => {
  it('need children’s social care, the police and health, and are recorded with who took part', async () => {
    const { episodeId, child } = await aCinEpisode(t.db);
    const school = await agencyIdOfKind(t.db, 'school');
    const base = {
      episodeId,
      heldOn: '2026-11-03',
      informationShared: 'Bruise seen at school',
      decision: 'section-47' as const,
      rationale: 'Significant harm',
    };
    const missing = await censusRefusal(
      t.act(t.sw, recordStrategyDiscussion, {
        ...base,
        participants: [
          { name: 'A', agencyId: null },
          { name: 'B', agencyId: school },
        ],
      }),
    );
    expect(missing.field).toBe('participants');
    expect(missing.message).toContain('add who took part for the police and health');
    const id = await t.act(t.sw, recordStrategyDiscussion, { ...base, participants: people });
    expect(await rowsOf(t.db, 'cpStrategyParticipants', { strategyDiscussionId: id }, ['name'])).toHaveLength(
      3,
    );
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, sourceId: id }, 'title')).toBe(
      'Strategy discussion: Start a section 47 enquiry',
    );
    expect(await valueOf(t.db, 'auditEvents', { subjectId: id }, 'action')).toBe(
      'strategy-discussion.recorded',
    );
  });

  it('cannot be recorded without access to the child', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const eh = await userFor(t.db, 'early-help-practitioner');
    await expect(
      t.act(eh, recordStrategyDiscussion, {
        episodeId,
        heldOn: '2026-11-03',
        informationShared: 'x',
        decision: 'section-47',
        rationale: 'x',
        participants: people,
      }),
    ).rejects.toThrow();
  });
});

describe('section 47 enquiries', () => {
  it('follow a strategy discussion; the conference target is 15 working days from the last one; an enquiry without an assessment is a query (2991Q)', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const noStrategy = await censusRefusal(
      t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-03' }),
    );
    expect(noStrategy.message).toContain('record the strategy discussion first');
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-02',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    const query = await censusRefusal(t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-03' }));
    expect(query.violations).toMatchObject([{ rule: '2991Q', field: 'queryExplanation' }]);
    const id = await t.act(t.sw, startSection47, {
      episodeId,
      startDate: '2026-11-03',
      queryExplanation: 'The assessment starts tomorrow',
    });
    expect(await valueOf(t.db, 'section47Enquiries', { id }, 'icpcTarget')).toBe('2026-11-20');
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, startSection47, {
            episodeId,
            startDate: '2026-11-04',
            queryExplanation: 'x',
          }),
        ),
      ),
    ).toEqual(expect.arrayContaining(['8839', '8890']));
    // A later strategy discussion moves the target: 15 working days from the last one.
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-06',
      informationShared: 'More',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    expect(await valueOf(t.db, 'section47Enquiries', { id }, 'icpcTarget')).toBe('2026-11-26');
  });

  it('refuses a start before the referral (2889)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-05' });
    await anAssessment(t.db, episodeId, { startDate: '2026-11-05' });
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-05',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    expect(
      rulesOf(await censusRefusal(t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-04' }))),
    ).toContain('2889');
  });

  it('an outcome of “conference not required” completes the enquiry', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-03',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    const id = await t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-03' });
    await t.act(t.sw, recordSection47Outcome, {
      section47Id: id,
      outcomeOn: '2026-11-10',
      outcome: 'cin-plan',
      notes: 'Not substantiated',
    });
    expect(await firstRow(t.db, 'section47Enquiries', { id }, ['outcome', 'icpcNotRequired'])).toEqual({
      outcome: 'cin-plan',
      icpcNotRequired: true,
    });
  });
});

describe('initial child protection conferences', () => {
  it('refuse a weekend (8875), a date before the referral (1104) or the enquiry (8615), and a plan decision without a census category (8905)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId);
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-04',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    const s47 = await t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-04' });
    const base = {
      episodeId,
      section47Id: s47,
      chair: 'Chair',
      attendees: people,
      outcome: 'cp-plan' as const,
      category: 'NEG',
      decisions: 'Plan',
    };
    expect(
      rulesOf(await censusRefusal(t.act(t.sw, recordInitialConference, { ...base, heldOn: '2026-11-21' }))),
    ).toEqual(['8875']);
    expect(
      rulesOf(await censusRefusal(t.act(t.sw, recordInitialConference, { ...base, heldOn: '2026-11-03' }))),
    ).toEqual(['8615']);
    expect(
      rulesOf(await censusRefusal(t.act(t.sw, recordInitialConference, { ...base, heldOn: '2026-10-30' }))),
    ).toEqual(expect.arrayContaining(['1104', '8615']));
    const badCategory = await censusRefusal(
      t.act(t.sw, recordInitialConference, {
        ...base,
        heldOn: '2026-11-20',
        category: 'XYZ',
      }),
    );
    expect(badCategory.violations).toMatchObject([{ rule: '8905', field: 'category' }]);
    expect(await rowsOf(t.db, 'cpConferences', { episodeId }, ['id'])).toEqual([]);
  });

  it('are quorate with social care and two other agencies; otherwise the chair’s reason is required', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-03',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    const s47 = await t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-03' });
    const [socialCare, police, health] = await participants(t.db);
    const base = {
      episodeId,
      section47Id: s47,
      heldOn: '2026-11-20',
      chair: 'Chair',
      outcome: 'cp-plan' as const,
      category: 'EMO',
      decisions: 'Plan',
    };
    const inquorate = await censusRefusal(
      t.act(t.sw, recordInitialConference, {
        ...base,
        attendees: [socialCare!, police!, { ...health!, attended: false }],
      }),
    );
    expect(inquorate.field).toBe('quorumNote');
    const id = await t.act(t.sw, recordInitialConference, {
      ...base,
      attendees: [socialCare!, police!, { ...health!, attended: false }],
      quorumNote: 'Health sent a written report; delay would leave the child at risk',
    });
    const row = await firstRow(t.db, 'cpConferences', { id }, ['quorate', 'targetDate', 'category']);
    expect(row).toEqual({ quorate: false, targetDate: '2026-11-23', category: 'EMO' });
    expect(await valueOf(t.db, 'section47Enquiries', { id: s47 }, 'outcome')).toBe('icpc');
    // One conference per enquiry, recorded in one place (2884).
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, recordInitialConference, {
            ...base,
            heldOn: '2026-11-23',
            attendees: [socialCare!, police!, health!],
          }),
        ),
      ),
    ).toContain('2884');
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, recordInitialConference, {
            ...base,
            section47Id: null,
            heldOn: '2026-11-23',
            attendees: [socialCare!, police!, health!],
          }),
        ),
      ),
    ).toContain('2884');
  });
});

describe('child protection plans', () => {
  it('start on the day of the initial conference (2885): any other date is refused and nothing is saved', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19' });
    const refused = await censusRefusal(
      t.act(t.sw, startCpPlan, {
        episodeId,
        startDate: '2026-11-20',
        initialCategory: 'NEG',
        planSummary: 'x',
      }),
    );
    expect(refused.violations).toMatchObject([{ rule: '2885', field: 'startDate' }]);
    expect(refused.message).toContain('(rule 2885)');
    expect(await rowsOf(t.db, 'cpPlans', { episodeId }, ['id'])).toEqual([]);
    const category = await censusRefusal(
      t.act(t.sw, startCpPlan, {
        episodeId,
        startDate: '2026-11-19',
        initialCategory: 'BAD',
        planSummary: 'x',
      }),
    );
    expect(rulesOf(category)).toEqual(['8905', '8910']);
    expect(category.violations[0]!.field).toBe('initialCategory');
  });

  it('take their initial category of abuse from the initial conference: a different one is refused, naming the rule', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19', category: 'EMO' });
    const refused = await censusRefusal(
      t.act(t.sw, startCpPlan, {
        episodeId,
        startDate: '2026-11-19',
        initialCategory: 'PHY',
        planSummary: 'x',
      }),
    );
    expect(refused.violations).toMatchObject([{ field: 'initialCategory', kind: 'error' }]);
    expect(refused.message).toMatch(
      /initial conference on 19 November 2026: emotional abuse \(EMO\), not physical abuse \(PHY\) \(rule: the plan’s initial category is the conference’s\)/,
    );
    expect(await rowsOf(t.db, 'cpPlans', { episodeId }, ['id'])).toEqual([]);
    // Outside the code set is 8905 (not also the conference rule); the conference's category is accepted.
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, startCpPlan, {
            episodeId,
            startDate: '2026-11-19',
            initialCategory: 'XYZ',
            planSummary: 'x',
          }),
        ),
      ),
    ).toEqual(['8905', '8910']);
    const id = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-19',
      initialCategory: 'EMO',
      planSummary: 'x',
    });
    expect(await firstRow(t.db, 'cpPlans', { id }, ['initialCategory', 'latestCategory'])).toEqual({
      initialCategory: 'EMO',
      latestCategory: 'EMO',
    });
  });

  it('count the child’s previous plans from their history (8730), one open at a time (8935)', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId);
    const first = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    expect(await valueOf(t.db, 'cpPlans', { id: first.planId }, 'previousPlans')).toBe(0);
    // While that plan is open, no other can start (8935).
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, startCpPlan, {
            episodeId,
            startDate: '2026-11-05',
            initialCategory: 'NEG',
            planSummary: 'x',
          }),
        ),
      ),
    ).toEqual(expect.arrayContaining(['8935', '8940']));
    await t.act(t.sw, endCpPlan, {
      cpPlanId: first.planId,
      endDate: '2026-11-16',
      reason: 'other',
      notes: 'Recorded in error',
    });
    // A later conference (here on the same episode) starts the child's second plan.
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId,
      heldOn: '2026-11-17',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    const s47 = await t.act(t.sw, startSection47, { episodeId, startDate: '2026-11-17' });
    await t.act(t.sw, recordInitialConference, {
      episodeId,
      section47Id: s47,
      heldOn: '2026-11-23',
      chair: 'C',
      attendees: people,
      outcome: 'cp-plan',
      category: 'PHY',
      decisions: 'x',
    });
    const second = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-23',
      initialCategory: 'PHY',
      planSummary: 'x',
    });
    expect(await firstRow(t.db, 'cpPlans', { id: second }, ['previousPlans', 'latestCategory'])).toEqual({
      previousPlans: 1,
      latestCategory: 'PHY',
    });
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, sourceId: second }, 'summary')).toBe(
      'The child has had 1 previous child protection plan.',
    );
  });

  it('end an open child in need plan the day before, with the reason recorded (4001/4017)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const cin = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-06',
      familySummary: 'x',
      goals: [
        {
          worry: 'Worry: Everyone is worried that Olivia is frightened when her parents argue.',
          goal: 'g',
          measure: 'm',
          responsible: 'r',
          targetDate: '2027-01-01',
        },
      ],
    });
    await aConference(t.db, episodeId, { strategyOn: '2026-11-09', icpcDate: '2026-11-20' });
    const plan = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-20',
      initialCategory: 'NEG',
      planSummary: 'x',
    });
    expect(await firstRow(t.db, 'cinPlans', { id: cin }, ['endDate', 'endReason'])).toEqual({
      endDate: '2026-11-19',
      endReason: 'child-protection-plan',
    });
    expect(
      await rowsOf(t.db, 'auditEvents', { subjectId: cin, action: 'cin-plan.ended' }, ['action']),
    ).toHaveLength(1);
    // A child in need plan cannot then start while the CP plan is open (4016 / 4001).
    const overlap = await censusRefusal(
      t.act(t.sw, startCinPlan, {
        episodeId,
        startDate: '2026-11-23',
        familySummary: 'x',
        goals: [
          {
            worry: 'Worry: Everyone is worried that Olivia is frightened when her parents argue.',
            goal: 'g',
            measure: 'm',
            responsible: 'r',
            targetDate: '2027-01-01',
          },
        ],
      }),
    );
    expect(rulesOf(overlap)).toEqual(expect.arrayContaining(['4016', '4001']));
    expect(plan).toBeTruthy();
  });

  it('carries open follow-up actions into the plan: those waiting on the episode and the ended CIN plan’s open ones, checked at the first core group', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const worry = 'Worry: Everyone is worried that Olivia is frightened when her parents argue.';
    const cin = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-06',
      familySummary: 'x',
      goals: [{ worry, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
    });
    // Two follow-ups on the CIN plan: one is done at its review, the other is still open when the CP plan starts.
    const underCin = await t.act(t.sw, recordDirectWork, {
      episodeId,
      heldOn: '2026-11-09',
      tool: 'three-houses',
      childsWords: 'x',
      summary: 'x',
      actions: [
        { action: 'Done at the CIN review', responsible: 'SW' },
        { action: 'Open when the CP plan starts', responsible: 'School' },
      ],
    });
    const cinActions = await t.db
      .selectFrom('planActions')
      .select(['id', 'action'])
      .where('directWorkId', '=', underCin)
      .orderBy('position')
      .execute();
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cinPlanId: cin }, 'id');
    await t.act(t.sw, recordCinReview, {
      cinPlanId: cin,
      heldOn: '2026-11-12',
      agencies: ['social-care', people[1]!.agencyId!],
      attendees: 'x',
      childsViews: 'x',
      familyViews: 'x',
      summary: 'x',
      decision: 'continue',
      progress: [{ goalId, rating: 'progressing' }],
      actionsDone: [cinActions[0]!.id],
    });
    // One waiting on the episode in no plan, as a session before any plan leaves its follow-ups.
    const waiting = await t.db
      .insertInto('planActions')
      .values({
        episodeId,
        childId: child.id,
        action: 'Waiting on the episode',
        responsible: 'SW',
        createdAt: now,
        createdBy: t.sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await aConference(t.db, episodeId, { strategyOn: '2026-11-13', icpcDate: '2026-11-20' });
    const plan = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-20',
      initialCategory: 'NEG',
      planSummary: 'x',
    });
    const rows = await t.db
      .selectFrom('planActions')
      .select(['id', 'cinPlanId', 'cpPlanId', 'doneOn'])
      .where('id', 'in', [cinActions[0]!.id, cinActions[1]!.id, waiting.id])
      .execute();
    const byId = (id: string) => rows.find((r) => r.id === id);
    expect(byId(cinActions[0]!.id)).toMatchObject({ cinPlanId: cin, cpPlanId: null, doneOn: '2026-11-12' });
    expect(byId(cinActions[1]!.id)).toMatchObject({ cinPlanId: null, cpPlanId: plan, doneOn: null });
    expect(byId(waiting.id)).toMatchObject({ cinPlanId: null, cpPlanId: plan, doneOn: null });
    const started = await firstRow(t.db, 'caseEvents', { childId: child.id, sourceId: plan }, ['summary']);
    expect(started.summary).toBe(
      'The child’s first child protection plan. Carried into the plan: 1 open follow-up action recorded before the plan started and 1 open follow-up action from the child in need plan.',
    );
    const carried = await firstRow(t.db, 'auditEvents', { subjectId: plan, action: 'plan-actions.carried' }, [
      'details',
    ]);
    expect(carried.details).toMatchObject({
      into: { cpPlanId: plan },
      fromEpisode: [waiting.id],
      fromCinPlan: { cinPlanId: cin, actions: [cinActions[1]!.id] },
    });
    // The first core group checks both.
    const group = await t.act(t.sw, recordCoreGroup, {
      cpPlanId: plan,
      heldOn: '2026-11-27',
      agencies: ['social-care', people[2]!.agencyId!],
      attendees: 'x',
      childSeen: true,
      progress: 'x',
      actionsDone: [waiting.id],
    });
    const checks = await rowsOf(t.db, 'planActionChecks', { reviewId: group }, ['actionId', 'done']);
    expect(checks).toEqual(
      expect.arrayContaining([
        { actionId: waiting.id, done: true },
        { actionId: cinActions[1]!.id, done: false },
      ]),
    );
    expect(checks).toHaveLength(2);
  });

  it('core groups, review conferences (after the start, 8841) and the end of the plan by conference decision', async () => {
    const { episodeId, child } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    await t.act(t.sw, recordCoreGroup, {
      cpPlanId: planId,
      heldOn: '2026-11-12',
      agencies: ['social-care', people[2]!.agencyId!],
      attendees: 'SW, school, health visitor',
      childSeen: true,
      progress: 'Mum attending appointments',
      scaling: 4,
      actionsDone: [],
    });
    const review = {
      cpPlanId: planId,
      chair: 'Chair',
      attendees: people,
      outcome: 'continue-plan' as const,
      latestCategory: 'NEG',
      decisions: 'Continue',
      actionsDone: [],
    };
    expect(
      rulesOf(await censusRefusal(t.act(t.sw, recordReviewConference, { ...review, heldOn: '2026-11-05' }))),
    ).toEqual(['8841']);
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, recordReviewConference, {
            ...review,
            heldOn: '2026-11-16',
            latestCategory: 'XX',
          }),
        ),
      ),
    ).toEqual(['8910']);
    await t.act(t.sw, recordReviewConference, {
      ...review,
      heldOn: '2026-11-16',
      latestCategory: 'EMO',
    });
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'latestCategory')).toBe('EMO');
    await t.act(t.sw, recordReviewConference, {
      ...review,
      heldOn: '2026-11-23',
      outcome: 'end-plan',
      latestCategory: 'EMO',
      decisions: 'Safe enough: step down to a CIN plan',
    });
    expect(await firstRow(t.db, 'cpPlans', { id: planId }, ['endDate', 'endReason'])).toEqual({
      endDate: '2026-11-23',
      endReason: 'conference-decision',
    });
    const titles = (await rowsOf(t.db, 'caseEvents', { childId: child.id }, ['title'])).map((e) => e.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Core group meeting',
        'Review child protection conference: The child protection plan ends',
        'Child protection plan ended',
      ]),
    );
  });

  it('end with a reason; never the day it started (8840)', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, endCpPlan, {
            cpPlanId: planId,
            endDate: '2026-11-05',
            reason: 'other',
            notes: 'x',
          }),
        ),
      ),
    ).toEqual(['8840']);
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, endCpPlan, {
            cpPlanId: planId,
            endDate: '2026-11-04',
            reason: 'other',
            notes: 'x',
          }),
        ),
      ),
    ).toEqual(['8925']);
    await t.act(t.sw, endCpPlan, {
      cpPlanId: planId,
      endDate: '2026-11-06',
      reason: 'became-looked-after',
      notes: 'Section 20',
    });
    await expect(
      t.act(t.sw, endCpPlan, {
        cpPlanId: '00000000-0000-4000-8000-000000000000',
        endDate: '2026-11-06',
        reason: 'other',
        notes: 'x',
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it('cannot start after today (8720: on or before the census reference date)', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19' });
    // Recorded on 18 November, the day before the conference date entered.
    const early = await censusRefusal(
      run(t.db, (trx) =>
        startCpPlan(contextFor(trx, t.sw, new Date('2026-11-18T10:00:00Z')), {
          episodeId,
          startDate: '2026-11-19',
          initialCategory: 'NEG',
          planSummary: 'x',
        }),
      ),
    );
    expect(early.violations).toMatchObject([{ rule: '8720', field: 'startDate' }]);
    expect(await rowsOf(t.db, 'cpPlans', { episodeId }, ['id'])).toEqual([]);
  });

  it('ending before this census year is a query (8930): nothing is saved until the worker explains, and the reason is kept', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    await anAssessment(t.db, episodeId);
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    // Recorded in April 2027, for an end in March 2027: last year's return.
    const april = new Date('2027-04-08T10:00:00Z');
    const query = await censusRefusal(
      run(t.db, (trx) =>
        endCpPlan(contextFor(trx, t.sw, april), {
          cpPlanId: planId,
          endDate: '2027-03-30',
          reason: 'other',
          notes: 'Plan no longer needed',
        }),
      ),
    );
    expect(query.violations).toMatchObject([{ rule: '8930', kind: 'query', field: 'queryExplanation' }]);
    expect(query.message).toContain('(query 8930)');
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'endDate')).toBeNull();
    await run(t.db, (trx) =>
      endCpPlan(contextFor(trx, t.sw, april), {
        cpPlanId: planId,
        endDate: '2027-03-30',
        reason: 'other',
        notes: 'Plan no longer needed',
        queryExplanation: 'Ended at the March conference; minutes arrived in April',
      }),
    );
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'endDate')).toBe('2027-03-30');
    expect(
      await rowsOf(t.db, 'censusQueryExplanations', { subjectId: planId }, [
        'rule',
        'subjectType',
        'explanation',
      ]),
    ).toEqual([
      {
        rule: '8930',
        subjectType: 'cp-plan',
        explanation: 'Ended at the March conference; minutes arrived in April',
      },
    ]);
  });
});
