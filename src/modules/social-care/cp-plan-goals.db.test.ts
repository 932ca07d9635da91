import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ConflictError } from '../../kernel/errors.ts';
import { aCinEpisode, aConference, aCpPlan, userFor } from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal } from '../../../test/builders/social-care-db.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { recordCoreGroup, startCpPlan } from './child-protection.service.ts';
import { addCpGoal, addGoalAction } from './plan-goals.service.ts';
import { goalsOfPlan } from './cin-plan.service.ts';

/**
 * Child protection plans with goals (issue 18, item 10): the child in need plan's goal machinery, each goal tied to a
 * worry the assessment identified, reviewed goal by goal at core groups; a goal added later carries the plan's
 * version; a plan recorded as free text keeps it.
 */

const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);
const TIE = 'Need: Abuse or neglect (the primary need at referral)';
const goal = (worry = TIE) => ({
  worry,
  goal: 'Meals every day',
  measure: 'School reports no hunger',
  responsible: 'Mum',
  targetDate: '2027-02-20',
});

describe('child protection plan goals', () => {
  it('starts a plan with goals tied to the assessment’s worries, refusing a goal tied to nothing', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19', now });
    const base = { episodeId, startDate: '2026-11-19', initialCategory: 'NEG', planSummary: 'Keep safe' };
    const refused = await censusRefusal(
      t.act(t.sw, startCpPlan, { ...base, goals: [goal('Something nobody said')] }),
    );
    expect(refused.violations.map((v) => v.field)).toContain('goals__0__worry');
    const planId = await t.act(t.sw, startCpPlan, {
      ...base,
      goals: [goal(), { ...goal(), goal: 'School daily' }],
    });
    const goals = await t.db.transaction().execute((trx) => goalsOfPlan(trx, { cpPlanId: planId }));
    expect(goals.map((g) => [g.position, g.goal, g.cinPlanId])).toEqual([
      [1, 'Meals every day', null],
      [2, 'School daily', null],
    ]);
    const audit = await firstRow(t.db, 'auditEvents', { subjectId: planId, action: 'cp-plan.started' }, [
      'details',
    ]);
    expect((audit.details as { goals: number }).goals).toBe(2);
    expect(await valueOf(t.db, 'caseEvents', { sourceId: planId }, 'summary')).toMatch(/^2 goals\./);
  });

  it('a core group rates every goal: one left unrated is refused against it; rated, it is kept and “achieved” dates the goal', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19', now });
    const planId = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-19',
      initialCategory: 'NEG',
      planSummary: 'Keep safe',
      goals: [goal()],
    });
    const [g] = await t.db.transaction().execute((trx) => goalsOfPlan(trx, { cpPlanId: planId }));
    const school = await valueOf(t.db, 'agencies', { kind: 'school' }, 'id');
    const meeting = {
      cpPlanId: planId,
      heldOn: '2026-11-23',
      agencies: ['social-care', school],
      attendees: 'SW, school',
      childSeen: true,
      progress: 'Going well',
      actionsDone: [],
    };
    const unrated = await censusRefusal(t.act(t.sw, recordCoreGroup, meeting));
    expect(unrated.violations.map((v) => v.field)).toEqual([`rating__${g!.id}`]);
    const id = await t.act(t.sw, recordCoreGroup, {
      ...meeting,
      goalProgress: [{ goalId: g!.id, rating: 'achieved', notes: 'Fed every day' }],
    });
    expect(
      await rowsOf(t.db, 'cpPlanGoalProgress', { meetingId: id }, ['meetingKind', 'rating', 'notes']),
    ).toEqual([{ meetingKind: 'core-group', rating: 'achieved', notes: 'Fed every day' }]);
    expect(await valueOf(t.db, 'cinPlanGoals', { id: g!.id }, 'achievedOn')).toBe('2026-11-23');
    const audit = await firstRow(t.db, 'auditEvents', { subjectId: id, action: 'cp-core-group.recorded' }, [
      'details',
    ]);
    expect((audit.details as { goalsRated: number }).goalsRated).toBe(1);
  });

  it('adds a goal to an open plan with the plan’s version: audited and in the chronology; a stale version is a conflict and adds nothing', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19', now });
    // A plan recorded as free text, before goals: still readable, no goals.
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'planSummary')).toBe('Keep the child safe.');
    const version = await valueOf(t.db, 'cpPlans', { id: planId }, 'version');
    const goalId = await t.act(t.sw, addCpGoal, { cpPlanId: planId, goal: goal(), version });
    expect(await valueOf(t.db, 'cinPlanGoals', { id: goalId }, 'cpPlanId')).toBe(planId);
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'version')).toBe(version + 1);
    const audit = await firstRow(t.db, 'auditEvents', { subjectId: planId, action: 'cp-plan.goal-added' }, [
      'details',
    ]);
    expect(audit.details).toMatchObject({ goalId, position: 1, worry: TIE });
    expect((await rowsOf(t.db, 'caseEvents', { sourceId: planId }, ['title'])).map((r) => r.title)).toContain(
      'Goal 1 added to the child protection plan',
    );
    await expect(t.act(t.sw, addCpGoal, { cpPlanId: planId, goal: goal(), version })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await rowsOf(t.db, 'cinPlanGoals', { cpPlanId: planId }, ['id'])).toHaveLength(1);
  });

  it('a goal carries its own actions (what, who, by when), one helper for both kinds of plan; a core group checks them under the goal', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19', now });
    const version = await valueOf(t.db, 'cpPlans', { id: planId }, 'version');
    const actions = [
      { action: 'Parenting group every Tuesday', responsible: 'Mum', dueOn: '2027-01-12' },
      { action: 'Weekly home visits', responsible: 'Health visitor' },
    ];
    const pastDue = await censusRefusal(
      t.act(t.sw, addCpGoal, {
        cpPlanId: planId,
        goal: goal(),
        actions: [{ ...actions[0]!, dueOn: '2026-11-01' }],
        version,
      }),
    );
    expect(pastDue.violations.map((v) => v.field)).toEqual(['actions__0__dueOn']);
    const goalId = await t.act(t.sw, addCpGoal, { cpPlanId: planId, goal: goal(), actions, version });
    const rows = await rowsOf(t.db, 'planActions', { goalId }, [
      'position',
      'cpPlanId',
      'cinPlanId',
      'action',
      'responsible',
      'dueOn',
    ]);
    expect(rows.sort((a, b) => a.position - b.position).map(({ position: _, ...r }) => r)).toEqual([
      {
        cpPlanId: planId,
        cinPlanId: null,
        action: actions[0]!.action,
        responsible: 'Mum',
        dueOn: '2027-01-12',
      },
      {
        cpPlanId: planId,
        cinPlanId: null,
        action: actions[1]!.action,
        responsible: 'Health visitor',
        dueOn: null,
      },
    ]);
    expect(
      await valueOf(
        t.db,
        'caseEvents',
        { sourceId: planId, title: 'Goal 1 added to the child protection plan' },
        'summary',
      ),
    ).toBe(
      `Meals every day (${TIE}). Actions: Parenting group every Tuesday (Mum); Weekly home visits (Health visitor)`,
    );
    const [first] = await rowsOf(t.db, 'planActions', { goalId, position: 1 }, ['id']);
    const school = await valueOf(t.db, 'agencies', { kind: 'school' }, 'id');
    const coreGroup = await t.act(t.sw, recordCoreGroup, {
      cpPlanId: planId,
      heldOn: '2026-11-23',
      agencies: ['social-care', school],
      attendees: 'SW, school',
      childSeen: true,
      progress: 'Going well',
      goalProgress: [{ goalId, rating: 'progressing' }],
      actionsDone: [first!.id],
    });
    expect(await rowsOf(t.db, 'planActionChecks', { reviewId: coreGroup }, ['done', 'checkedOn'])).toEqual(
      expect.arrayContaining([
        { done: true, checkedOn: '2026-11-23' },
        { done: false, checkedOn: '2026-11-23' },
      ]),
    );
    expect(await valueOf(t.db, 'planActions', { id: first!.id }, 'doneOn')).toBe('2026-11-23');
  });

  it('adds an action to a goal entered when the plan started: version-checked (stale is a 409), audited, in the chronology; a past date is refused against its field', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await aConference(t.db, episodeId, { icpcDate: '2026-11-19', now });
    const planId = await t.act(t.sw, startCpPlan, {
      episodeId,
      startDate: '2026-11-19',
      initialCategory: 'NEG',
      planSummary: 'Keep safe',
      goals: [goal()],
    });
    const [g] = await t.db.transaction().execute((trx) => goalsOfPlan(trx, { cpPlanId: planId }));
    const version = await valueOf(t.db, 'cpPlans', { id: planId }, 'version');
    const action = { action: 'Breakfast club', responsible: 'Mum', dueOn: '2026-12-04' };
    const past = await censusRefusal(
      t.act(t.sw, addGoalAction, { goalId: g!.id, action: { ...action, dueOn: '2026-11-01' }, version }),
    );
    expect(past.violations.map((v) => v.field)).toEqual(['dueOn']);
    const actionId = await t.act(t.sw, addGoalAction, { goalId: g!.id, action, version });
    expect(
      await firstRow(t.db, 'planActions', { id: actionId }, [
        'goalId',
        'cpPlanId',
        'cinPlanId',
        'position',
        'dueOn',
      ]),
    ).toEqual({ goalId: g!.id, cpPlanId: planId, cinPlanId: null, position: 1, dueOn: '2026-12-04' });
    expect(await valueOf(t.db, 'cpPlans', { id: planId }, 'version')).toBe(version + 1);
    const audit = await firstRow(
      t.db,
      'auditEvents',
      { subjectId: planId, action: 'cp-plan.goal-action-added' },
      ['details'],
    );
    expect(audit.details).toMatchObject({ goalId: g!.id, actionId, position: 1 });
    expect(
      await valueOf(
        t.db,
        'caseEvents',
        { sourceId: planId, title: 'Action added to goal 1 of the child protection plan' },
        'summary',
      ),
    ).toBe('Breakfast club (Mum, by 4 December 2026) towards: Meals every day');
    await expect(t.act(t.sw, addGoalAction, { goalId: g!.id, action, version })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await rowsOf(t.db, 'planActions', { goalId: g!.id }, ['id'])).toHaveLength(1);
    const partner = await userFor(t.db, 'partner-agency-user');
    await expect(
      t.act(partner, addGoalAction, { goalId: g!.id, action, version: version + 1 }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('cannot add a goal without the permission to write social care records', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19', now });
    const partner = await userFor(t.db, 'partner-agency-user');
    await expect(
      t.act(partner, addCpGoal, { cpPlanId: planId, goal: goal(), version: 1 }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await rowsOf(t.db, 'cinPlanGoals', { cpPlanId: planId }, ['id'])).toHaveLength(0);
  });
});
