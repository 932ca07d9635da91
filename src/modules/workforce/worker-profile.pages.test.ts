import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHrefs } from '../../../test/builders/pages.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { testApp, type Agent, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * Worker profiles: the team manager keeps the social worker's profile (field errors first, a stale form is a 409,
 * the audit names what changed), starts their ASYE with themselves as assessor, sees the review point on the
 * worktray and records the 3-month review; the worker sees their own profile and records training; another
 * practitioner gets 404. Every kind of page is checked with axe.
 */

let t: TestApp;
let tm: Agent;
let sw: Agent;
let swId: string;
let tmId: string;
const forAxe = new Map<string, CapturedPage>();

const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

beforeAll(async () => {
  t = await testApp();
  tm = await t.as('team-manager');
  sw = await t.as('social-worker');
  swId = await t.userId('social-worker');
  tmId = await t.userId('team-manager');
});
afterAll(async () => {
  await t?.close();
});

describe('worker profile pages', () => {
  it('the manager keeps the profile: field errors, then saved, then a stale form is a 409', async () => {
    const url = `/workforce/workers/${swId}/edit`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    capture('edit', 'team-manager', url, form);
    const fields = {
      contractType: 'permanent',
      fte: '0.8',
      ...date('startedOn', '2026-08-24'),
      sweRegistrationNumber: 'SW123456',
      ...date('sweRenewalOn', '2026-12-15'),
      asyeStatus: 'in-progress',
      asyeAssessorId: tmId,
      ...date('asyeStartedOn', '2026-08-24'),
      version: '0',
    };
    const bad = await tm.post(url, { ...fields, fte: '2', sweRegistrationNumber: '12' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#fte', '#sweRegistrationNumber']);
    capture('edit refused', 'team-manager', url, bad);
    expect((await tm.post(url, fields)).statusCode).toBe(303);
    const stale = await tm.post(url, { ...fields, contractType: 'agency-locum' });
    expect(stale.statusCode).toBe(409);
    const profile = await tm.get(`/workforce/workers/${swId}`);
    expect(profile.$('[data-testid="employment"]').text()).toContain('Permanent');
    expect(profile.$('[data-testid="asye-next"]').text()).toContain('3-month review, due 24 November 2026');
    capture('profile', 'team-manager', `/workforce/workers/${swId}`, profile);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['details'])
      .where('action', '=', 'worker-profile.changed')
      .where('subjectId', '=', swId)
      .execute();
    expect(audit).toHaveLength(1);
    // Need to know: the audit names the fields changed, not their values.
    expect(JSON.stringify(audit[0]!.details)).not.toContain('SW123456');
    expect(audit[0]!.details).toMatchObject({
      changed: expect.arrayContaining(['sweRegistrationNumber', 'fte']),
    });
  });

  it('the ASYE review point and the registration renewal are on the worktray; the assessor records the review', async () => {
    const home = await tm.get('/');
    expect(home.body).toContain('3-month review: Sian Walker');
    expect((await sw.get('/')).body).toContain('Renew your Social Work England registration');
    const url = `/workforce/workers/${swId}/asye-reviews/new`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    capture('asye review', 'team-manager', url, form);
    const bad = await tm.post(url, { point: '3-month', progress: '' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#heldOn-day', '#progress']);
    capture('asye review refused', 'team-manager', url, bad);
    const ok = await tm.post(url, {
      point: '3-month',
      ...date('heldOn', '2026-11-23'),
      progress: 'Sound direct work; analysis in assessments developing',
      recommendation: 'On track',
    });
    expect(ok.statusCode).toBe(303);
    const profile = await sw.get(`/workforce/workers/${swId}`);
    expect(profile.$('[data-testid="asye-reviews"]').text()).toContain('Sound direct work');
    expect(profile.$('[data-testid="asye-next"]').text()).toContain('6-month review');
    expect((await tm.get('/')).body).toContain('6-month review: Sian Walker');
    // The worker sees their profile but does not keep it
    expect((await sw.get(`/workforce/workers/${swId}/edit`)).statusCode).toBe(403);
    expect((await sw.get(url)).statusCode).toBe(403);
  });

  it('the worker records training with what was learned and applied', async () => {
    const url = `/workforce/workers/${swId}/training/new`;
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    capture('training', 'social-worker', url, form);
    const bad = await sw.post(url, { title: 'Signs of Safety' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#completedOn-day', '#learned']);
    const ok = await sw.post(url, {
      title: 'Signs of Safety',
      ...date('completedOn', '2026-11-10'),
      learned: 'Danger statements and safety goals in the family’s words',
      applied: 'Used in the Board family’s safety plan',
    });
    expect(ok.statusCode).toBe(303);
    const profile = await sw.get(`/workforce/workers/${swId}`);
    expect(profile.$('[data-testid="training"]').text()).toContain('Used in the Board family’s safety plan');
    capture('own profile', 'social-worker', `/workforce/workers/${swId}`, profile);
  });

  it('is need to know: another practitioner gets 404, a partner 403', async () => {
    expect((await (await t.as('early-help-practitioner')).get(`/workforce/workers/${swId}`)).statusCode).toBe(
      404,
    );
    expect((await (await t.as('partner-agency-user')).get(`/workforce/workers/${swId}`)).statusCode).toBe(
      403,
    );
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(7);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
