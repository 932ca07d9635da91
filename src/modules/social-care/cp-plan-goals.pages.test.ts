import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import {
  aCinEpisode,
  aCpPlan,
  anAssessment,
  COMPLETE_ANSWERS,
  agencyIdOfKind,
  contextFor,
  run,
  userFor,
} from '../../../test/builders/social-care.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { errorHrefs, textOf } from '../../../test/builders/pages.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { recordCoreGroup } from './child-protection.service.ts';
import { startCinPlan } from './cin-plan.service.ts';
import { addCpGoal } from './plan-goals.service.ts';

/**
 * Issue 18 item 10: a goal added to an open child protection plan (tied to the worry the conference decided or the
 * assessment's worries; the plan's version checked, stale → 409), and the plan's family version in plain words with
 * how each goal is going from the latest core group or review conference.
 */

const t = appForFile();
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });

const NEED = 'Need: Abuse or neglect (the primary need at referral)';
async function anOpenCpPlan() {
  const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19', now: t.clock.now() });
  return { episodeId, planId, planUrl: `/social-care/cp-plans/${planId}` };
}

describe('adding a goal to a child protection plan', () => {
  it('offers the conference’s worry and the assessment’s, keeps typed values on errors, adds the goal with the plan’s version (audited, in the chronology), and a stale version is a 409', async () => {
    const { planId, planUrl } = await anOpenCpPlan();
    const sw = await t.as('social-worker');
    const plan = await sw.get(planUrl);
    expect(plan.$(`a[href="${planUrl}/goals/new"]`).length).toBe(1);
    const url = `${planUrl}/goals/new`;
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    capture('new goal', 'social-worker', url, form);
    const worries = form
      .$('#worry option')
      .map((_, o) => form.$(o).attr('value'))
      .get()
      .filter(Boolean);
    const conferenceWorry = worries.find((w) => w.endsWith('(the category of abuse the conference decided)'));
    expect(conferenceWorry).toMatch(/^Worry: /);
    expect(worries).toContain(NEED);
    const version = String(form.$('input[name="version"]').val());
    expect(version).toBe(String(await valueOf(t.db, 'cpPlans', { id: planId }, 'version')));
    // "Add a goal" for a named worry chooses it.
    expect((await sw.get(`${url}?worry=${encodeURIComponent(NEED)}`)).$('#worry option:checked').val()).toBe(
      NEED,
    );

    const bad = await sw.post(url, {
      version,
      worry: conferenceWorry!,
      goal: 'Lily has a safe adult to tell',
      ...dateToParts('targetDate', '2026-11-20'),
    });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#measure', '#responsible', '#targetDate-day']);
    expect(bad.$('#goal').val()).toBe('Lily has a safe adult to tell');
    expect(bad.$('#worry option:checked').val()).toBe(conferenceWorry);
    capture('new goal with errors', 'social-worker', url, bad);
    // A worry nobody identified is refused against the field.
    const untied = await sw.post(url, {
      version,
      worry: 'Something nobody said',
      goal: 'x',
      measure: 'y',
      responsible: 'z',
      ...dateToParts('targetDate', '2027-02-01'),
    });
    expect(untied.statusCode).toBe(400);
    expect(errorHrefs(untied)).toEqual(['#worry']);

    const goal = {
      version,
      worry: conferenceWorry!,
      goal: 'Lily has a safe adult to tell',
      measure: 'Lily names them at the core group',
      responsible: 'Mum: parenting group; school: a named mentor',
      ...dateToParts('targetDate', '2027-02-01'),
    };
    const added = await sw.post(url, goal);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(planUrl);
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cpPlanId: planId }, 'id');
    const withGoal = await sw.get(planUrl);
    capture('plan with its goal', 'social-worker', planUrl, withGoal);
    expect(withGoal.$('[data-testid="cp-goals"]').text()).toContain('Lily has a safe adult to tell');
    const audit = await firstRow(t.db, 'auditEvents', { action: 'cp-plan.goal-added', subjectId: planId }, [
      'details',
    ]);
    expect(audit.details).toMatchObject({ goalId, position: 1, worry: conferenceWorry });
    expect((await rowsOf(t.db, 'caseEvents', { sourceId: planId }, ['title'])).map((r) => r.title)).toContain(
      'Goal 1 added to the child protection plan',
    );
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'cp-plan.goal-new-viewed', subjectId: planId }, ['id']),
    ).not.toHaveLength(0);

    // A second tab still on the old version: 409, nothing added.
    const stale = await sw.post(url, { ...goal, goal: 'Something else' });
    expect(stale.statusCode).toBe(409);
    expect(await rowsOf(t.db, 'cinPlanGoals', { cpPlanId: planId }, ['id'])).toHaveLength(1);
  });

  it('is only for those who may write the child’s record: a reader sees the plan without “Add a goal” and cannot open the form', async () => {
    const { planUrl } = await anOpenCpPlan();
    const qa = await t.as('qa-officer');
    const readOnly = await qa.get(planUrl);
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.$('a[href$="/goals/new"]').length).toBe(0);
    expect((await qa.get(`${planUrl}/goals/new`)).statusCode).toBe(403);
    const partner = await t.as('partner-agency-user');
    expect((await partner.get(`${planUrl}/goals/new`)).statusCode).toBe(403);
  });
});

describe('adding an action to a goal already on a plan', () => {
  it('links “Add an action” beside each goal for writers; keeps typed values on errors; adds the action under the goal; a stale form is a 409; a reader gets 403', async () => {
    const { planId, planUrl } = await anOpenCpPlan();
    const worker = await userFor(t.db, 'social-worker');
    const goalId = await run(t.db, (trx) =>
      addCpGoal(contextFor(trx, worker, t.clock.now()), {
        cpPlanId: planId,
        goal: {
          worry: NEED,
          goal: 'Meals every day',
          measure: 'No hunger',
          responsible: 'Mum',
          targetDate: '2027-02-20',
        },
        version: 1,
      }),
    );
    const sw = await t.as('social-worker');
    const url = `/social-care/plan-goals/${goalId}/actions/new`;
    expect((await sw.get(planUrl)).$(`a[href="${url}"]`).length).toBe(1);
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(textOf(form, '[data-testid="goal-summary"]')).toContain('Meals every day');
    capture('new goal action', 'social-worker', url, form);
    const version = String(form.$('input[name="version"]').val());
    const bad = await sw.post(url, { version, responsible: 'Mum', ...dateToParts('dueOn', '2026-11-01') });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#action', '#dueOn-day']);
    expect(bad.$('#responsible').val()).toBe('Mum');
    capture('new goal action with errors', 'social-worker', url, bad);
    const action = {
      version,
      action: 'Breakfast club',
      responsible: 'Mum',
      ...dateToParts('dueOn', '2026-12-04'),
    };
    const added = await sw.post(url, action);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(planUrl);
    expect(textOf(await sw.get(planUrl), '[data-testid="goal-action-list"]')).toContain(
      'Breakfast club (Mum, by 4 December 2026)',
    );
    const stale = await sw.post(url, { ...action, action: 'Something else' });
    expect(stale.statusCode).toBe(409);
    expect(await rowsOf(t.db, 'planActions', { goalId }, ['id'])).toHaveLength(1);
    const qa = await t.as('qa-officer');
    expect((await qa.get(planUrl)).$('a[href$="/actions/new"]').length).toBe(0);
    expect((await qa.get(url)).statusCode).toBe(403);
  });

  it('gives a child in need plan’s goal, entered when the plan started, its actions, shown under the goal in the family’s version', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const worker = await userFor(t.db, 'social-worker');
    const cinPlanId = await run(t.db, (trx) =>
      startCinPlan(contextFor(trx, worker, t.clock.now()), {
        episodeId,
        startDate: '2026-11-06',
        familySummary: 'Our plan',
        goals: [
          {
            worry: `Worry: ${COMPLETE_ANSWERS.worries.worries[0]!.statement}`,
            goal: 'Calm evenings',
            measure: 'Olivia says so',
            responsible: 'Mum and Dad',
            targetDate: '2027-01-31',
          },
        ],
      }),
    );
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cinPlanId }, 'id');
    const sw = await t.as('social-worker');
    const planUrl = `/social-care/cin-plans/${cinPlanId}`;
    const url = `/social-care/plan-goals/${goalId}/actions/new`;
    expect((await sw.get(planUrl)).$(`a[href="${url}"]`).length).toBe(1);
    for (const [action, responsible] of [
      ['Parenting course', 'Mum and Dad'],
      ['Weekly visits', 'Social worker'],
    ] as const) {
      // Each action from a freshly shown form: the plan's version moves on with each.
      const version = String((await sw.get(url)).$('input[name="version"]').val());
      expect((await sw.post(url, { version, action, responsible })).headers.location).toBe(planUrl);
    }
    const [first] = await rowsOf(t.db, 'planActions', { goalId, position: 1 }, ['id']);
    await t.db.updateTable('planActions').set({ doneOn: '2026-11-20' }).where('id', '=', first!.id).execute();
    const family = await sw.get(`${planUrl}/family-version`);
    capture('cin family version with goal actions', 'social-worker', `${planUrl}/family-version`, family);
    expect(
      family
        .$('[data-testid="family-goal"] [data-testid="family-goal-actions"] li')
        .map((_, li) => family.$(li).text().trim())
        .get(),
    ).toEqual(['Parenting course: Mum and Dad (done).', 'Weekly visits: Social worker.']);
  });
});

describe('the child protection plan’s family version', () => {
  it('lists each goal in plain words with who, by when and how it is going at the latest core group; audited as printed', async () => {
    const { planId, planUrl } = await anOpenCpPlan();
    const sw = await t.as('social-worker');
    const url = `${planUrl}/goals/new`;
    const version = String((await sw.get(url)).$('input[name="version"]').val());
    expect(
      (
        await sw.post(url, {
          version,
          worry: NEED,
          goal: 'Meals every day',
          measure: 'School says Lily is not hungry',
          responsible: 'Mum, with the family support worker',
          ...dateToParts('targetDate', '2027-02-20'),
          // The goal's own actions (the same form as a child in need plan's), a blank row ignored.
          actions__0__action: 'Breakfast club every school day',
          actions__0__responsible: 'Mum and the school',
          ...dateToParts('actions__0__dueOn', '2026-12-04'),
          actions__1__action: 'Weekly food shop together',
          actions__1__responsible: 'Family support worker',
        })
      ).statusCode,
    ).toBe(303);
    const planPage = await sw.get(planUrl);
    expect(textOf(planPage, '[data-testid="goal-action-list"]')).toContain(
      'Breakfast club every school day (Mum and the school, by 4 December 2026)',
    );
    // The core group reviews the goal with its actions: which are done is asked under the goal itself.
    const coreGroupForm = await sw.get(`${planUrl}/core-groups/new`);
    capture('core group with goal actions', 'social-worker', `${planUrl}/core-groups/new`, coreGroupForm);
    const goalFieldset = coreGroupForm.$('fieldset:has(input[name^="rating__"])').first();
    expect(goalFieldset.find('input[name="actionsDone"]').length).toBe(2);
    expect(coreGroupForm.$('#actionsDone').length).toBe(0);
    const [breakfast] = await rowsOf(t.db, 'planActions', { cpPlanId: planId, position: 1 }, ['id']);

    // Before any meeting: not talked about yet.
    const before = await sw.get(`${planUrl}/family-version`);
    expect(before.statusCode).toBe(200);
    expect(before.$('[data-testid="family-goal-progress"]').text()).toContain(
      'we have not met to talk about this yet',
    );

    const goalId = await valueOf(t.db, 'cinPlanGoals', { cpPlanId: planId }, 'id');
    const worker = await userFor(t.db, 'social-worker');
    const school = await agencyIdOfKind(t.db, 'school');
    await run(t.db, (trx) =>
      recordCoreGroup(contextFor(trx, worker, t.clock.now()), {
        cpPlanId: planId,
        heldOn: '2026-11-23',
        agencies: ['social-care', school],
        attendees: 'SW, school, Mum',
        childSeen: true,
        progress: 'Going well',
        actionsDone: [breakfast!.id],
        goalProgress: [{ goalId, rating: 'progressing', notes: 'Breakfast club most days' }],
      }),
    );

    const family = await sw.get(`${planUrl}/family-version`);
    capture('family version', 'social-worker', `${planUrl}/family-version`, family);
    expect(family.$('h1').text().trim()).toBe('Keeping everyone safe: our plan');
    const text = textOf(family, '[data-testid="family-goal"]');
    expect(text).toContain('Meals every day');
    expect(text).toContain('We will know it has happened when: School says Lily is not hungry');
    expect(text).toContain('Who will do what: Mum, with the family support worker. By: 20 February 2027.');
    expect(text).toContain(
      'How it is going (at the core group meeting on 23 November 2026): Things are getting better. Breakfast club most days',
    );
    // The goal's actions in the family's version, under the goal, with what is done.
    const goalActions = family
      .$('[data-testid="family-goal-actions"] li')
      .map((_, li) => family.$(li).text().trim())
      .get();
    expect(goalActions).toEqual([
      'Breakfast club every school day: Mum and the school, by 4 December 2026 (done).',
      'Weekly food shop together: Family support worker.',
    ]);
    expect(family.$('[data-testid="family-actions"]').length).toBe(0);
    expect(family.$('[data-testid="family-next"]').text()).toContain('review conference by');
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'cp-plan.printed', subjectId: planId }, ['id']),
    ).toHaveLength(2);
    // The plan page links to it, for readers too.
    const qa = await t.as('qa-officer');
    const readerFamily = await qa.get(`${planUrl}/family-version`);
    expect(readerFamily.statusCode).toBe(200);
    expect((await qa.get(planUrl)).$(`a[href="${planUrl}/family-version"]`).length).toBe(1);
    expect((await (await t.as('partner-agency-user')).get(`${planUrl}/family-version`)).statusCode).toBe(403);
  });

  it('shows a plan recorded as free text, before goals, as it was written', async () => {
    const { planUrl } = await anOpenCpPlan();
    const sw = await t.as('social-worker');
    const family = await sw.get(`${planUrl}/family-version`);
    expect(family.$('[data-testid="family-goal-free-text"]').text()).toBe('Keep the child safe.');
    capture('family version, free text', 'social-worker', `${planUrl}/family-version`, family);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(9);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
