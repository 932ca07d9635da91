import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import {
  aCompletedAssessment,
  aGoal,
  anAgreedPlan,
  anEarlyHelpEpisode,
  assessmentBody,
  aReview,
  aTafMember,
} from '../../../test/builders/early-help.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

/** Early help's practice pages: assessment and oversight, the plan, reviews, feedback, step-up, closure, follow-up and impact. */

const t = appForFile();

const links = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
const now = () => t.clock.now();
const scores = (prefix: string, value: string) => ({ [`${prefix}`]: value });

describe('the assessment', () => {
  it('renders the template; completing without the risk analysis is refused with links to each gap, and the draft is kept', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/assessment`;
    const form = await eh.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('#section-riskAnalysis h2').text()).toBe('Risk analysis');
    expect(form.$('[data-testid="risk-status"]').text()).toContain('Not complete');
    expect(form.$('form[data-autosave]').length).toBe(1);
    const body = assessmentBody({ worries: [], workerScale: null, familyScale: null });
    const bad = await eh.post(url, { ...body, action: 'complete' });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(
      expect.arrayContaining([
        '#riskAnalysis__worries__0__what',
        '#riskAnalysis__workerScale',
        '#riskAnalysis__familyScale',
      ]),
    );
    expect(bad.$('#riskAnalysis__workingWell').text()).toBe(body.riskAnalysis__workingWell);
    const draft = await firstRow(t.db, 'earlyHelpAssessments', { episodeId: episode.id }, [
      'status',
      'riskAnalysisComplete',
    ]);
    expect(draft).toEqual({ status: 'draft', riskAnalysisComplete: false });
    const outOfScale = await eh.post(url, {
      ...assessmentBody(),
      riskAnalysis__familyScale: '14',
      action: 'draft',
      version: '1',
    });
    expect(outOfScale.statusCode).toBe(400);
    expect(outOfScale.$('#riskAnalysis__familyScale-error').text()).toContain(
      'The family’s scaling must be 10 or less',
    );
  });

  it('saves a draft (303), then completes (303 to the plan) and shows the answers with the risk analysis first', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/assessment`;
    const saved = await eh.post(url, { ...assessmentBody(), action: 'draft' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(url);
    const reopened = await eh.get(url);
    expect(reopened.$('#riskAnalysis__needsToHappen').text()).toContain('A morning routine that works');
    const version = reopened.$('input[name="version"]').attr('value')!;
    const done = await eh.post(url, { ...assessmentBody(), action: 'complete', version });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/early-help/episodes/${episode.id}/plan`);
    const view = await eh.get(url);
    expect(view.$('form[data-autosave]').length).toBe(0);
    expect(view.$('[data-testid="risk-analysis"]').text()).toContain(
      'Ellie has missed 30% of school this term',
    );
    expect(view.$('[data-testid="risk-status"]').text()).toContain('Complete');
  });

  it('a manager records oversight (an empty form is refused); a practitioner cannot', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    await aCompletedAssessment(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    expect((await eh.get(`/early-help/episodes/${episode.id}/assessment/oversight`)).statusCode).toBe(403);
    const manager = await t.as('team-manager');
    const url = `/early-help/episodes/${episode.id}/assessment/oversight`;
    const page = await manager.get(url);
    expect(page.$('[data-testid="risk-analysis"]').length).toBe(1);
    const bad = await manager.post(url, {});
    expect(links(bad)).toEqual(['#decision', '#rationale']);
    const ok = await manager.post(url, {
      decision: 'agreed',
      rationale: 'A clear worry statement; the family’s scaling is recorded.',
    });
    expect(ok.statusCode).toBe(303);
    const view = await eh.get(`/early-help/episodes/${episode.id}/assessment`);
    expect(view.$('[data-testid="oversight"]').text()).toContain('Tom Mensah');
  });
});

describe('the plan', () => {
  it('a goal without a measure or a date is a field error; a score outside 0 to 10 too; a good goal is added', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { items } = await aCompletedAssessment(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/plan/goals/new`;
    const page = await eh.get(url);
    expect(page.$('input[name="itemIds"]').length).toBe(2);
    const bad = await eh.post(url, {
      itemIds: items[0]!.id,
      whatWillChange: 'Ellie in school',
      actions: 'Breakfast club',
      who: 'Jo',
      outcomeHeading: 'education',
      baselineScore: '11',
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#byWhen-day', '#measure', '#baselineScore']);
    expect(bad.$('#measure-error').text()).toContain('Say how we will know the goal has been met');
    expect(bad.$('#byWhen-error').text()).toContain('Enter the date the goal should be met by');
    expect(bad.$('#baselineScore-error').text()).toContain('Where things are now must be 10 or less');
    const ok = await eh.post(url, {
      itemIds: items.map((i) => i.id),
      whatWillChange: 'Ellie is in school every day',
      actions: 'Breakfast club',
      who: 'Jo and Ms Patel',
      'byWhen-day': '26',
      'byWhen-month': '2',
      'byWhen-year': '2027',
      measure: 'Attendance above 95% for six weeks',
      outcomeHeading: 'education',
      familyWords: 'Getting to school happy',
      baselineScore: '3',
    });
    expect(ok.statusCode).toBe(303);
    const plan = await eh.get(`/early-help/episodes/${episode.id}/plan`);
    expect(plan.$('[data-testid="goal"]').text()).toContain('Attendance above 95% for six weeks');
    expect(plan.$('[data-testid="coverage"]').text()).not.toContain('No goal yet');
    const goalId = await valueOf(t.db, 'earlyHelpGoals', { episodeId: episode.id }, 'id');
    const edit = await eh.get(`/early-help/episodes/${episode.id}/plan/goals/${goalId}`);
    expect(edit.$('#measure').text()).toBe('Attendance above 95% for six weeks');
    expect(edit.$('input[name="baselineScore"]').length).toBe(0);
  });

  it('the Supporting Families outcome chosen for a need carries to its goal (marked where it came from, editable); a goal for a worry alone asks for one', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { items } = await aCompletedAssessment(t.db, episode.id, { now: now() });
    const worry = items.find((i) => i.kind === 'worry')!;
    const need = items.find((i) => i.kind === 'need')!;
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/plan/goals/new`;
    const page = await eh.get(url);
    // The new goal opens on "the outcome of the needs chosen", and each need shows the outcome it was given.
    expect(page.$('input[name="outcomeHeading"][value="from-needs"]').attr('checked')).toBeDefined();
    expect(page.$('.govuk-checkboxes__hint').text()).toContain(
      'Supporting Families outcome: Getting a good education',
    );
    const goal = {
      whatWillChange: 'Ellie is in school every day',
      actions: 'Breakfast club',
      who: 'Jo and Ms Patel',
      'byWhen-day': '26',
      'byWhen-month': '2',
      'byWhen-year': '2027',
      measure: 'Attendance above 95% for six weeks',
      baselineScore: '3',
    };
    const worryOnly = await eh.post(url, { ...goal, itemIds: worry.id, outcomeHeading: 'from-needs' });
    expect(worryOnly.statusCode).toBe(400);
    expect(links(worryOnly)).toEqual(['#outcomeHeading']);
    expect(worryOnly.$('#whatWillChange').text()).toBe('Ellie is in school every day');
    const ok = await eh.post(url, { ...goal, itemIds: [worry.id, need.id], outcomeHeading: 'from-needs' });
    expect(ok.statusCode).toBe(303);
    const saved = await firstRow(t.db, 'earlyHelpGoals', { episodeId: episode.id }, [
      'id',
      'outcomeHeading',
      'outcomeFromNeeds',
      'version',
    ]);
    expect(saved).toMatchObject({ outcomeHeading: 'education', outcomeFromNeeds: true });
    const plan = await eh.get(`/early-help/episodes/${episode.id}/plan`);
    expect(plan.$('[data-testid="goal"]').text()).toContain(
      'Getting a good education (from the needs it meets)',
    );
    // Editable: the change page keeps "from the needs"; choosing another outcome replaces it and the mark.
    const editUrl = `/early-help/episodes/${episode.id}/plan/goals/${saved.id}`;
    const edit = await eh.get(editUrl);
    expect(edit.$('input[name="outcomeHeading"][value="from-needs"]').attr('checked')).toBeDefined();
    const changed = await eh.post(editUrl, {
      ...goal,
      itemIds: [worry.id, need.id],
      outcomeHeading: 'family-relationships',
      version: String(saved.version),
    });
    expect(changed.statusCode).toBe(303);
    expect(
      await firstRow(t.db, 'earlyHelpGoals', { id: saved.id }, ['outcomeHeading', 'outcomeFromNeeds']),
    ).toEqual({ outcomeHeading: 'family-relationships', outcomeFromNeeds: false });
  });

  it('agreeing is refused while a worry has no goal, linking to it; marking it not worked on needs a reason', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { items } = await aCompletedAssessment(t.db, episode.id, { now: now() });
    const [worry, need] = items;
    await aGoal(t.db, episode.id, { now: now(), itemIds: [need!.id] });
    const eh = await t.as('early-help-practitioner');
    const agree = `/early-help/episodes/${episode.id}/plan/agree`;
    const page = await eh.get(agree);
    expect(page.$('[data-testid="uncovered"]').text()).toContain('Ellie has missed 30% of school this term');
    const planVersion = page.$('input[name="version"]').val() as string;
    expect(planVersion).toBe('1');
    const refused = await eh.post(agree, { familyAgreed: 'yes', version: planVersion });
    expect(refused.statusCode).toBe(400);
    expect(links(refused)).toEqual([`#item-${worry!.id}`]);
    expect(refused.$(`#item-${worry!.id}`).length).toBe(1);
    const itemUrl = `/early-help/episodes/${episode.id}/plan/items/${worry!.id}`;
    const itemVersion = String((await eh.get(itemUrl)).$('input[name="version"]').val());
    const noReason = await eh.post(itemUrl, { notWorkedOn: 'yes', version: itemVersion });
    expect(links(noReason)).toEqual(['#reason']);
    // Without the version the page was shown with, nothing is saved.
    expect(links(await eh.post(itemUrl, { notWorkedOn: 'no' }))).toEqual(['#version']);
    expect(
      (
        await eh.post(itemUrl, {
          notWorkedOn: 'yes',
          reason: 'The school is already working on attendance with Jo',
          version: itemVersion,
        })
      ).statusCode,
    ).toBe(303);
    // A second tab still on that version: 409 with what is saved now; the reason stands.
    const staleItem = await eh.post(itemUrl, {
      notWorkedOn: 'yes',
      reason: 'Mum asked for it to wait',
      version: itemVersion,
    });
    expect(staleItem.statusCode).toBe(409);
    expect(staleItem.$('#conflict').text()).toContain('If it is not being worked on: why');
    expect(staleItem.$('#conflict').text()).toContain('The school is already working on attendance with Jo');
    expect(
      (
        await eh.post(agree, {
          familyAgreed: 'yes',
          familySummary: 'Mornings that work for everyone.',
          version: planVersion,
        })
      ).statusCode,
    ).toBe(303);
    const plan = await eh.get(`/early-help/episodes/${episode.id}/plan`);
    expect(plan.$('main').text()).toContain('Agreed');
    expect(plan.$('[data-testid="coverage"]').text()).toContain('Not being worked on');
  });

  it('changing a goal: dropping every need and worry is a field error; on an agreed plan, so is leaving one with no goal', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { items, goalId } = await anAgreedPlan(t.db, episode.id, { now: now() });
    const [worry, need] = items;
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/plan/goals/${goalId}`;
    const version = (await eh.get(url)).$('input[name="version"]').val() as string;
    expect(version).toBe('1');
    const form = {
      version,
      whatWillChange: 'Ellie is in school every day, on time',
      actions: 'Breakfast club',
      who: 'Jo',
      'byWhen-day': '26',
      'byWhen-month': '2',
      'byWhen-year': '2027',
      measure: 'Attendance above 95%',
      outcomeHeading: 'education',
    };
    const none = await eh.post(url, form);
    expect(none.statusCode).toBe(400);
    expect(links(none)).toEqual(['#itemIds']);
    expect(none.$('#itemIds-error').text()).toContain('Select the needs or worries this goal meets');
    expect(none.$('#whatWillChange').text()).toBe('Ellie is in school every day, on time');
    const orphaning = await eh.post(url, { ...form, itemIds: worry!.id });
    expect(orphaning.statusCode).toBe(400);
    expect(links(orphaning)).toEqual(['#itemIds']);
    expect(orphaning.$('#itemIds-error').text()).toContain(
      'The plan is agreed: Need 1 (Child’s developmental needs) (“Ellie needs to be in school every day”) would have no goal',
    );
    expect(orphaning.$(`input[name="itemIds"][value="${worry!.id}"]`).attr('checked')).toBeDefined();
    expect(orphaning.$(`input[name="itemIds"][value="${need!.id}"]`).attr('checked')).toBeUndefined();
    const links2 = await rowsOf(t.db, 'earlyHelpGoalItems', { goalId }, ['itemId']);
    expect(links2.length).toBe(2);
    expect((await eh.post(url, { ...form, itemIds: [worry!.id, need!.id] })).statusCode).toBe(303);
    // Security probe M3: a second tab saving from the same version is refused (409), nothing overwritten; a save
    // without a version is refused too.
    const stale = await eh.post(url, {
      ...form,
      itemIds: [worry!.id, need!.id],
      whatWillChange: 'Overwritten?',
    });
    expect(stale.statusCode).toBe(409);
    // The conflict page says why and keeps what was typed, so nothing the user wrote is lost.
    expect(stale.$('.govuk-error-summary').text()).toContain('Someone else changed this record');
    expect(stale.$('#whatWillChange').text()).toBe('Overwritten?');
    // It shows what the other tab saved, and carries the current version, so a second save, made knowingly, wins.
    expect(stale.$('#conflict').text()).toContain('Saved by someone else since you opened this page');
    expect(stale.$('#conflict .govuk-summary-list__key').text()).toContain('What will change');
    expect(stale.$('#conflict .govuk-summary-list__value').text()).toContain(
      'Ellie is in school every day, on time',
    );
    expect(stale.$('input[name="version"]').val()).toBe('2');
    const { version: _v, ...noVersion } = form;
    expect((await eh.post(url, { ...noVersion, itemIds: [worry!.id, need!.id] })).statusCode).toBe(409);
    const saved = await firstRow(t.db, 'earlyHelpGoals', { id: goalId }, ['whatWillChange', 'version']);
    expect(saved).toEqual({ whatWillChange: 'Ellie is in school every day, on time', version: 2 });
  });

  it('prints a plain-language copy for the family, and the printing is audited', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, { now: now() });
    await anAgreedPlan(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const res = await eh.get(`/early-help/episodes/${episode.id}/plan/print`);
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Our family plan');
    expect(res.$('link[href="/public/early-help-print.css"]').length).toBe(1);
    expect(res.$('.app-family-plan__goal').text()).toContain('How we will know it has worked');
    expect(res.$('main').text()).toContain('We agreed this plan together on 24 November 2026');
    const audit = await rowsOf(
      t.db,
      'auditEvents',
      { action: 'early-help-plan.printed', subjectId: episode.id },
      ['childId'],
    );
    expect(audit).toEqual([{ childId: child.id }]);
  });
});

describe('reviews and feedback', () => {
  it('an empty review form links to every question; a full one records attendance by agency and progress per goal', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { goalId } = await anAgreedPlan(t.db, episode.id, { now: now() });
    const memberId = await aTafMember(t.db, episode.id, {
      now: now(),
      name: 'Ms Patel',
      agencyName: 'Orchard Primary School',
    });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/reviews/new`;
    const page = await eh.get(url);
    expect(page.$('h1').text()).toBe('Record the first team-around-the-family meeting');
    const bad = await eh.post(url, {});
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual([
      '#heldOn-day',
      '#workerScale',
      '#familyScale',
      '#childsViews',
      '#familyViews',
      '#decision',
      '#decisionRationale',
      '#domain-childDevelopment',
      '#domain-parentingCapacity',
      '#domain-familyEnvironment',
      `#attendance-${memberId}`,
      `#goal-${goalId}-score`,
      `#goal-${goalId}-progress`,
      `#goal-${goalId}-status`,
    ]);
    const ok = await eh.post(url, {
      'heldOn-day': '24',
      'heldOn-month': '11',
      'heldOn-year': '2026',
      [`attendance-${memberId}`]: 'attended',
      familyAttendance: 'Jo',
      [`goal-${goalId}-score`]: '5',
      [`goal-${goalId}-progress`]: 'Attendance 90%',
      [`goal-${goalId}-status`]: 'open',
      ...scores('workerScale', '5'),
      ...scores('familyScale', '6'),
      'domain-childDevelopment': '3',
      'domain-parentingCapacity': '3',
      'domain-familyEnvironment': '3',
      childsViews: 'I like breakfast club',
      familyViews: 'Better mornings',
      decision: 'continue',
      decisionRationale: 'Keep going',
    });
    expect(ok.statusCode).toBe(303);
    const review = await eh.get(String(ok.headers.location));
    expect(review.$('[data-testid="attendance"]').text()).toContain('Orchard Primary School');
    expect(review.$('[data-testid="progress"]').text()).toContain('Attendance 90%');
    expect(review.$('main').text()).toContain('5 January 2027');
    const list = await eh.get(`/early-help/episodes/${episode.id}/reviews`);
    expect(list.$('[data-testid="meetings"] tbody tr').length).toBe(1);
  });

  it('a meeting cannot be recorded until the plan is agreed: the page says so, and a post is refused', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { items } = await aCompletedAssessment(t.db, episode.id, { now: now() });
    await aGoal(t.db, episode.id, { now: now(), itemIds: items.map((i) => i.id) });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/reviews/new`;
    const page = await eh.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.$('[data-testid="plan-not-agreed"]').text()).toContain('The plan has not been agreed yet');
    expect(page.$('form[data-autosave]').length).toBe(0);
    const posted = await eh.post(url, {
      'heldOn-day': '24',
      'heldOn-month': '11',
      'heldOn-year': '2026',
      workerScale: '5',
      familyScale: '5',
      'domain-childDevelopment': '3',
      'domain-parentingCapacity': '3',
      'domain-familyEnvironment': '3',
      childsViews: 'x',
      familyViews: 'y',
      decision: 'continue',
      decisionRationale: 'z',
    });
    expect(posted.statusCode).toBe(400);
    expect(posted.$('.govuk-error-summary').text()).toContain('agree the plan with the family first');
    expect(await rowsOf(t.db, 'earlyHelpMeetings', { episodeId: episode.id }, ['id'])).toEqual([]);
  });

  it('feedback uses child-friendly questions; each needs an answer', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/feedback/new?stage=closure`;
    const page = await eh.get(url);
    expect(
      page
        .$('legend')
        .map((_, l) => page.$(l).text().trim())
        .get(),
    ).toEqual(
      expect.arrayContaining([
        'Did the people helping you listen to you?',
        'How are things at home now, compared with when we started?',
      ]),
    );
    const bad = await eh.post(url, { stage: 'closure' });
    expect(links(bad)).toEqual([
      '#respondent',
      '#listened',
      '#helped',
      '#thingsBetter',
      '#knowsNext',
      '#givenOn-day',
    ]);
    const ok = await eh.post(url, {
      stage: 'closure',
      respondent: 'child',
      respondentName: 'Ellie',
      listened: 'yes',
      helped: 'a-bit',
      thingsBetter: 'better',
      knowsNext: 'yes',
      comments: 'Eve was kind',
      'givenOn-day': '24',
      'givenOn-month': '11',
      'givenOn-year': '2026',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/early-help/episodes/${episode.id}/closure`);
    const outcomes = await eh.get(`/early-help/episodes/${episode.id}/outcomes`);
    expect(outcomes.$('main').text()).toContain('“Eve was kind”');
  });
});

describe('step-up, closure and the follow-up', () => {
  it('step-up shows the history, needs its answers, and sends the contact to the front door', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    await aCompletedAssessment(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/step-up`;
    const page = await eh.get(url);
    expect(page.$('[data-testid="history"]').text()).toContain(`Early help episode ${episode.reference}`);
    const bad = await eh.post(url, { consent: 'not-given' });
    expect(links(bad)).toEqual([
      '#rationale',
      '#worriesNow',
      '#concernCategories',
      '#urgency',
      '#consentRationale',
    ]);
    const ok = await eh.post(url, {
      rationale: 'Ellie told us about bruises',
      worriesNow: 'Physical harm',
      concernCategories: ['physical-harm', 'domestic-abuse'],
      consent: 'given',
      urgency: 'urgent',
    });
    expect(ok.statusCode).toBe(303);
    const stepUp = await t.db
      .selectFrom('earlyHelpStepUps as s')
      .innerJoin('contacts as c', 'c.id', 's.contactId')
      .select(['c.reference', 'c.concernCategories'])
      .where('s.episodeId', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(stepUp.concernCategories).toEqual(['physical-harm', 'domestic-abuse']);
    const episodePage = await eh.get(`/early-help/episodes/${episode.id}`);
    expect(episodePage.$('main').text()).toContain(
      `Stepped up to the front door on 24 November 2026 (contact ${stepUp.reference})`,
    );
  });

  it('closure asks for a reason when goals are still open; then closes, and the follow-up is due 6 months later', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { goalId } = await anAgreedPlan(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/closure`;
    const form = {
      version: (await eh.get(url)).$('input[name="version"]').val() as string,
      'closedOn-day': '24',
      'closedOn-month': '11',
      'closedOn-year': '2026',
      reason: 'needs-met',
      outcome: 'improved',
      summary: 'Ellie is settled at school',
      workerScale: '8',
      familyScale: '9',
      'domain-childDevelopment': '4',
      'domain-parentingCapacity': '4',
      'domain-familyEnvironment': '5',
      [`goal-${goalId}-status`]: 'open',
      [`goal-${goalId}-score`]: '8',
    };
    const empty = await eh.post(url, {});
    expect(links(empty)).toEqual(
      expect.arrayContaining([
        '#closedOn-day',
        '#reason',
        '#outcome',
        '#summary',
        '#workerScale',
        `#goal-${goalId}-status`,
      ]),
    );
    const openActions = await eh.post(url, form);
    expect(openActions.statusCode).toBe(400);
    expect(links(openActions)).toEqual(['#openActionsReason']);
    expect(openActions.$('#openActionsReason-error').text()).toContain('A goal is still open');
    const ok = await eh.post(url, {
      ...form,
      openActionsReason: 'The school carries on the attendance plan',
    });
    expect(ok.statusCode).toBe(303);
    const outcomes = await eh.get(String(ok.headers.location));
    expect(outcomes.$('[data-testid="scales"]').text()).toContain('+4');
    const followUp = await eh.get(`/early-help/episodes/${episode.id}/follow-up`);
    expect(followUp.$('[data-testid="not-due"]').text()).toContain('24 May 2027');
    expect(followUp.$('input[name="sustained"]').length).toBe(0);
    const tooEarly = await eh.post(`/early-help/episodes/${episode.id}/follow-up`, {
      sustained: 'yes',
      notes: 'x',
      [`goal-${goalId}-sustained`]: 'yes',
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.$('.govuk-error-summary').text()).toContain('The follow-up is due on 24 May 2027');
  });

  it('records the follow-up once it is due', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: now() });
    const { goalId } = await anAgreedPlan(t.db, episode.id, { now: now() });
    const eh = await t.as('early-help-practitioner');
    const closure = `/early-help/episodes/${episode.id}/closure`;
    await eh.post(closure, {
      version: (await eh.get(closure)).$('input[name="version"]').val() as string,
      'closedOn-day': '24',
      'closedOn-month': '11',
      'closedOn-year': '2026',
      reason: 'needs-met',
      outcome: 'improved',
      summary: 'Done',
      workerScale: '8',
      familyScale: '8',
      'domain-childDevelopment': '4',
      'domain-parentingCapacity': '4',
      'domain-familyEnvironment': '4',
      [`goal-${goalId}-status`]: 'achieved',
      [`goal-${goalId}-score`]: '9',
    });
    // Six months pass.
    await t.db
      .updateTable('earlyHelpFollowUps')
      .set({ dueOn: '2026-11-24' })
      .where('episodeId', '=', episode.id)
      .execute();
    const url = `/early-help/episodes/${episode.id}/follow-up`;
    const page = await eh.get(url);
    expect(page.$('[data-testid="recontacts"]').text()).toContain('None');
    const bad = await eh.post(url, {});
    expect(links(bad)).toEqual(['#sustained', '#notes', `#goal-${goalId}-sustained`]);
    const ok = await eh.post(url, {
      sustained: 'yes',
      notes: 'Spoke to Jo and the school: attendance 97%',
      [`goal-${goalId}-sustained`]: 'yes',
    });
    expect(ok.statusCode).toBe(303);
    const outcomes = await eh.get(`/early-help/episodes/${episode.id}/outcomes`);
    expect(outcomes.$('[data-testid="sustained"]').text()).toContain('Yes, sustained');
    expect(outcomes.$('[data-testid="goal-distances"]').text()).toContain('Yes, sustained');
  });
});

describe('impact and settings (managers)', () => {
  it('shows managers the measures with charts, tables and drill-down; practitioners get 403', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: new Date('2026-09-01T10:00:00Z') });
    const { goalId } = await anAgreedPlan(t.db, episode.id, { now: new Date('2026-09-01T10:00:00Z') });
    await aReview(t.db, episode.id, {
      now: new Date('2026-09-15T10:00:00Z'),
      heldOn: '2026-09-15',
      workerScale: 5,
      familyScale: 6,
      goals: [{ goalId, score: 5 }],
    });
    const eh = await t.as('early-help-practitioner');
    const closure = `/early-help/episodes/${episode.id}/closure`;
    await eh.post(closure, {
      version: (await eh.get(closure)).$('input[name="version"]').val() as string,
      'closedOn-day': '24',
      'closedOn-month': '11',
      'closedOn-year': '2026',
      reason: 'needs-met',
      outcome: 'improved',
      summary: 'Done',
      workerScale: '9',
      familyScale: '9',
      'domain-childDevelopment': '4',
      'domain-parentingCapacity': '4',
      'domain-familyEnvironment': '4',
      [`goal-${goalId}-status`]: 'achieved',
      [`goal-${goalId}-score`]: '9',
    });
    expect((await eh.get('/early-help/impact')).statusCode).toBe(403);
    const manager = await t.as('team-manager');
    const res = await manager.get('/early-help/impact');
    expect(res.statusCode).toBe(200);
    const family = res.$(`[data-testid="families"] tr:contains("${episode.reference}")`).text();
    expect(family).toContain('4 → 9');
    expect(family).toContain('+5');
    expect(res.$('svg[role="img"]').length).toBeGreaterThanOrEqual(3);
    expect(res.$('svg title').first().text()).toBe('Average change in domain scores, start to closure');
    expect(res.$('[data-testid="by-domain"]').text()).toContain('Child’s developmental needs');
    expect(res.$('[data-testid="by-need"]').text()).toContain('Getting a good education');
    // Outcomes sustained (this family's follow-up is not due yet) and re-contacts within the 6-month window.
    const sustained = res
      .$('[data-testid="sustained"] tbody tr')
      .map((_, tr) => res.$(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(sustained.map((r) => r.split(/ \d/)[0])).toEqual([
      'Overall (the follow-up’s judgement)',
      'Child’s developmental needs',
      'Parenting capacity',
      'Family and environmental factors',
      'Worries (goals meeting the risk analysis)',
    ]);
    expect(res.$('[data-testid="sustained"] a').first().attr('href')).toContain('metric=sustained');
    expect(
      res
        .$('svg title')
        .map((_, el) => res.$(el).text())
        .get(),
    ).toEqual(
      expect.arrayContaining([
        'Families whose outcomes were sustained at the follow-up',
        'Time from closure to the first re-contact with the front door',
      ]),
    );
    expect(res.$('main').text()).toContain('until 6 months later');
    const recontacts = res
      .$('[data-testid="recontacts"] tbody tr:contains("No re-contact in the window")')
      .text();
    expect(recontacts).toMatch(/No re-contact in the window\s+[1-9]/);
    const unchecked = res.$('a:contains("see them")').attr('href')!;
    const pending = await manager.get(unchecked);
    expect(pending.$('[data-testid="drill-key"]').text()).toBe(
      'Overall (the follow-up’s judgement): follow-up not yet recorded',
    );
    expect(pending.$('[data-testid="drill-down"]').text()).toContain(episode.reference);
    const drill = res.$('[data-testid="by-need"] a').first().attr('href')!;
    const episodes = await manager.get(drill);
    expect(episodes.statusCode).toBe(200);
    expect(episodes.$('[data-testid="drill-down"]').text()).toContain(episode.reference);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('action', 'in', ['early-help-impact.viewed', 'early-help-impact.drilled-down'])
      .execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(['early-help-impact.viewed', 'early-help-impact.drilled-down']),
    );
  });

  it('changes the review interval within 4 to 12 weeks, and the re-contact window within 1 to 24 months', async () => {
    const manager = await t.as('team-manager');
    const page = await manager.get('/early-help/settings');
    expect(page.$('#reviewIntervalWeeks').attr('value')).toBe('6');
    expect(page.$('#recontactWindowMonths').attr('value')).toBe('6');
    const bad = await manager.post('/early-help/settings', {
      reviewIntervalWeeks: '13',
      assessmentWorkingDays: '30',
      followUpMonths: '6',
      recontactWindowMonths: '0',
    });
    expect(links(bad)).toEqual(['#reviewIntervalWeeks', '#recontactWindowMonths']);
    expect(bad.$('#reviewIntervalWeeks-error').text()).toContain('Weeks between reviews must be 12 or less');
    expect(bad.$('#recontactWindowMonths-error').text()).toContain(
      'Months after closure that a contact counts as a re-contact must be 1 or more',
    );
    expect(bad.$('#recontactWindowMonths').attr('value')).toBe('0');
    expect(
      (
        await manager.post('/early-help/settings', {
          reviewIntervalWeeks: '8',
          assessmentWorkingDays: '30',
          followUpMonths: '6',
          recontactWindowMonths: '12',
        })
      ).statusCode,
    ).toBe(303);
    const saved = await manager.get('/early-help/settings');
    expect(saved.$('#reviewIntervalWeeks').attr('value')).toBe('8');
    expect(saved.$('#recontactWindowMonths').attr('value')).toBe('12');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'early-help-settings.changed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ reviewIntervalWeeks: 8, recontactWindowMonths: 12 });
    await manager.post('/early-help/settings', {
      reviewIntervalWeeks: '6',
      assessmentWorkingDays: '30',
      followUpMonths: '6',
      recontactWindowMonths: '6',
      version: '2',
    });
  });
});
