import { beforeAll, describe, expect, it } from 'vitest';
import { aChild, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { dateFields as date, errorHrefs } from '../../../test/builders/pages.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';

/**
 * Family feedback and observations of practice, page by page: a social worker makes a feedback link on the child's
 * record (field errors first); the family opens it without signing in, sees only the authority and the survey,
 * answers (errors kept), and cannot use it again; a paper response is typed in; the QA officer sees both in the
 * results with the family's words, a social worker is refused. A team manager records an observation of the social
 * worker, shares it, the worker adds their reflection (the observer cannot), the manager completes it, and it is
 * listed on the worker's development record. Every kind of page is checked with axe in Chromium.
 */

let sw: Agent;
let tm: Agent;
let qa: Agent;
let childId: string;
const { forAxe, capture } = axeCapture();

const t = appForFile();
beforeAll(async () => {
  sw = await t.as('social-worker');
  tm = await t.as('team-manager');
  qa = await t.as('qa-officer');
  const child = await aChild(t.db, { givenName: 'Quinn', familyName: 'Surveyed' });
  await anAllocation(t.db, child, { role: 'social-worker' });
  childId = child.id;
});

const answers = {
  feedback__listened: 'yes',
  feedback__helped: 'yes',
  feedback__thingsBetter: 'better',
  feedback__knowsNext: 'yes',
};

describe('family feedback pages', () => {
  let answerPath: string;

  it('makes a one-use link on the child’s record', async () => {
    const url = `/people/${childId}/family-feedback/link?service=social-care&point=plan-review`;
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('input[name="point"][value="plan-review"]').attr('checked')).toBeDefined();
    capture('link form', 'social-worker', url, form);
    const bad = await sw.post(url, { service: 'social-care', point: 'plan-review' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#audience']);
    const made = await sw.post(url, { service: 'social-care', point: 'plan-review', audience: 'adult' });
    expect(made.statusCode).toBe(200);
    const link = made.$('[data-testid="feedback-link"] a').attr('href')!;
    answerPath = new URL(link).pathname;
    expect(answerPath).toMatch(/^\/feedback\/[A-Za-z0-9_-]{43}$/);
    capture('link made', 'social-worker', url, made);
    expect((await qa.get(url)).statusCode).toBe(403);
  });

  it('lets the family answer without signing in, showing nothing about the child, once only', async () => {
    const family = t.anonymous();
    const page = await family.get(answerPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Quinn');
    expect(page.body).not.toContain('Surveyed');
    expect(page.$('input[name="feedback__listened"]').length).toBe(3);
    capture('family survey', 'family', answerPath, page);
    const bad = await family.post(answerPath, { feedback__listened: 'yes', named: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual([
      '#feedback__helped',
      '#feedback__thingsBetter',
      '#feedback__knowsNext',
      '#respondentName',
    ]);
    expect(bad.$('input[name="feedback__listened"][value="yes"]').attr('checked')).toBeDefined();
    capture('family survey refused', 'family', answerPath, bad);
    const done = await family.post(answerPath, {
      ...answers,
      feedback__words: 'Our worker really listened',
      named: 'no',
    });
    expect(done.statusCode).toBe(200);
    expect(done.$('h1').text()).toContain('Thank you');
    capture('family thanked', 'family', answerPath, done);
    const again = await t.anonymous().get(answerPath);
    expect(again.$('h1').text()).toContain('already been used');
    const twice = await family.post(answerPath, { ...answers, feedback__words: 'Second go' });
    expect(twice.statusCode).toBe(400);
  });

  it('takes a paper response and shows both in the results, with the family’s words', async () => {
    const paper = await qa.get('/case-audits/feedback/paper?survey=child');
    expect(paper.statusCode).toBe(200);
    capture('paper form', 'qa-officer', '/case-audits/feedback/paper?survey=child', paper);
    const refused = await qa.post('/case-audits/feedback/paper?survey=child', { audience: 'child' });
    expect(refused.statusCode).toBe(400);
    expect(errorHrefs(refused)).toEqual(['#service', '#point', '#givenOn-day']);
    const ok = await qa.post('/case-audits/feedback/paper?survey=child', {
      audience: 'child',
      service: 'social-care',
      point: 'closure',
      teamId: '',
      ...date('givenOn', '2026-11-20'),
      ...answers,
      feedback__words: 'I liked drawing with my worker',
      named: 'yes',
      respondentName: 'Sam',
    });
    expect(ok.statusCode).toBe(303);
    const results = await qa.get('/case-audits/feedback');
    expect(results.statusCode).toBe(200);
    const words = results.$('[data-testid="words"]').text();
    expect(words).toContain('Our worker really listened');
    expect(words).toContain('I liked drawing with my worker');
    expect(words).toContain('Sam (Child or young person)');
    expect(words).toContain('Anonymous (Adult)');
    expect(results.$('[data-testid="by-team"]').text()).toContain('Assessment Team');
    capture('results', 'qa-officer', '/case-audits/feedback', results);
    expect((await sw.get('/case-audits/feedback')).statusCode).toBe(403);
    expect((await tm.get('/case-audits/feedback')).statusCode).toBe(200);
  });
});

describe('observations of practice pages', () => {
  let obsUrl: string;

  it('lets a manager record an observation of a worker, field errors first', async () => {
    const form = await tm.get('/case-audits/observations/new');
    expect(form.statusCode).toBe(200);
    capture('new observation', 'team-manager', '/case-audits/observations/new', form);
    const workerId = await userIdFor(t.db, 'social-worker');
    expect(form.$(`#workerId option[value="${workerId}"]`).length).toBe(1);
    const bad = await tm.post('/case-audits/observations/new', {});
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toContain('#workerId');
    const ok = await tm.post('/case-audits/observations/new', {
      workerId,
      setting: 'home-visit',
      ...date('observedOn', '2026-11-20'),
      strengths: 'Calm and kind with the children',
    });
    expect(ok.statusCode).toBe(303);
    obsUrl = ok.headers.location!;
    expect((await sw.get('/case-audits/observations')).$('[data-testid="of-me"]').text()).not.toContain(
      'Home visit',
    );
  });

  it('is shared, reflected on by the worker only, completed, and listed on the development record', async () => {
    const draft = await tm.get(obsUrl);
    capture('observation draft', 'team-manager', obsUrl, draft);
    const version = draft.$('input[name="version"]').val() as string;
    const refused = await tm.post(obsUrl, {
      version,
      action: 'share',
      setting: 'home-visit',
      ...date('observedOn', '2026-11-20'),
      strengths: 'Calm and kind with the children',
    });
    expect(refused.statusCode).toBe(400);
    expect(errorHrefs(refused)).toEqual(['#toDevelop']);
    const shared = await tm.post(obsUrl, {
      version,
      action: 'share',
      setting: 'home-visit',
      ...date('observedOn', '2026-11-20'),
      strengths: 'Calm and kind with the children',
      toDevelop: 'Seeing the child alone',
    });
    expect(shared.statusCode).toBe(303);
    const observed = await tm.get(obsUrl);
    expect(observed.$('textarea[name="workerReflection"]').length).toBe(0);
    const byObserver = await tm.post(obsUrl, {
      version: observed.$('input[name="version"]').val() as string,
      action: 'reflect',
      workerReflection: 'Written by the manager',
    });
    expect(byObserver.statusCode).toBe(403);
    const mine = await sw.get(obsUrl);
    expect(mine.statusCode).toBe(200);
    capture('observation to reflect on', 'social-worker', obsUrl, mine);
    const reflected = await sw.post(obsUrl, {
      version: mine.$('input[name="version"]').val() as string,
      action: 'reflect',
      workerReflection: 'I will plan time alone with the child',
    });
    expect(reflected.statusCode).toBe(303);
    const toComplete = await tm.get(obsUrl);
    const completed = await tm.post(obsUrl, {
      version: toComplete.$('input[name="version"]').val() as string,
      action: 'complete',
    });
    expect(completed.statusCode).toBe(303);
    const done = await sw.get(obsUrl);
    expect(done.$('[data-testid="observation-status"]').text()).toContain('Completed');
    expect(done.$('[data-testid="observation"]').text()).toContain('I will plan time alone with the child');
    capture('observation completed', 'social-worker', obsUrl, done);
    const list = await sw.get('/case-audits/observations');
    expect(list.$('[data-testid="of-me"]').text()).toContain('Home visit');
    capture('observations list', 'social-worker', '/case-audits/observations', list);
    const swId = await userIdFor(t.db, 'social-worker');
    const profile = await tm.get(`/workforce/workers/${swId}`);
    expect(profile.$('[data-testid="observations"]').text()).toContain('Home visit');
    expect((await qa.get(obsUrl)).statusCode).toBe(404);
    const events = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('subjectId', '=', obsUrl.split('/').pop()!)
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'practice-observation.created',
        'practice-observation.shared',
        'practice-observation.reflected',
        'practice-observation.completed',
        'practice-observation.viewed',
      ]),
    );
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 180_000 }, async () => {
    expect(forAxe.size).toBeGreaterThanOrEqual(11);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
