import { beforeAll, describe, expect, it } from 'vitest';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { dateFields as date, errorHrefs as summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';

/**
 * Case supervision pages: a manager records a session, each child's part (field errors first), follows up the last
 * session's actions, records management oversight from the record and sets the frequency; a social worker sees
 * their own; a partner gets 403. Every kind of page is checked with axe in Chromium.
 */

let tm: Agent;
let sw: Agent;
let swId: string;
let childId: string;
const { forAxe, capture } = axeCapture();

const t = appForFile();
beforeAll(async () => {
  tm = await t.as('team-manager');
  sw = await t.as('social-worker');
  swId = await t.userId('social-worker');
  const child = await aChild(t.db, { givenName: 'Noor', familyName: 'Supervised' });
  await anAllocation(t.db, child, { role: 'social-worker' });
  childId = child.id;
});

describe('case supervision pages', () => {
  let sessionId: string;

  it('record a session: field errors first, then the session page offers the supervisee’s children', async () => {
    const list = await tm.get('/supervision');
    expect(list.statusCode).toBe(200);
    expect(list.$('[data-testid="supervisees"]').text()).toContain('Sian Walker');
    capture('list', 'team-manager', '/supervision', list);

    const bad = await tm.post('/supervision/new', { superviseeId: '', ...date('heldOn', '2026-12-30') });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#superviseeId', '#heldOn-day']);
    capture('new session refused', 'team-manager', '/supervision/new', bad);

    const ok = await tm.post('/supervision/new', { superviseeId: swId, ...date('heldOn', '2026-10-20') });
    expect(ok.statusCode).toBe(303);
    sessionId = ok.headers.location!.split('/').pop()!;
    const page = await tm.get(`/supervision/${sessionId}`);
    expect(page.statusCode).toBe(200);
    expect(page.$('[data-testid="to-discuss"] a').text()).toContain('Noor Supervised');
    capture('session', 'team-manager', `/supervision/${sessionId}`, page);
  });

  it('records a child’s part with field errors, then on the session and the child’s chronology', async () => {
    const url = `/supervision/${sessionId}/children/${childId}`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    capture('discussion', 'team-manager', url, form);

    const bad = await tm.post(url, { worries: 'Typed worry', action1Description: 'Visit Nan' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#decision', '#rationale', '#action1Owner', '#action1Due-day']);
    expect(bad.$('#worries').text()).toBe('Typed worry');
    capture('discussion refused', 'team-manager', url, bad);

    const ok = await tm.post(url, {
      worries: 'Typed worry',
      decision: 'Keep the plan',
      rationale: 'Progress on every goal',
      action1Description: 'Visit Nan',
      action1Owner: 'Sian Walker',
      ...date('action1Due', '2026-12-01'),
    });
    expect(ok.statusCode).toBe(303);
    const session = await sw.get(`/supervision/${sessionId}`);
    expect(session.$('[data-testid="discussion"]').text()).toContain('Keep the plan');
    const chronology = await sw.get(`/people/${childId}/chronology?category=management-oversight`);
    expect(chronology.body).toContain('Progress on every goal');
  });

  it('follows up the last session’s actions at the next, refusing a missing answer', async () => {
    const next = await tm.post('/supervision/new', { superviseeId: swId, ...date('heldOn', '2026-11-20') });
    const nextId = next.headers.location!.split('/').pop()!;
    const page = await tm.get(`/supervision/${nextId}`);
    const version = page.$('input[name^="version-"]');
    expect(version.length).toBe(1);
    const name = version.attr('name')!;
    const actionId = name.slice('version-'.length);
    const bad = await tm.post(`/supervision/${nextId}`, { [name]: version.attr('value')! });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([`#outcome-${actionId}`]);
    capture('follow-up refused', 'team-manager', `/supervision/${nextId}`, bad);
    // The supervisee may look, not follow up.
    expect(
      (
        await sw.post(`/supervision/${nextId}`, {
          [name]: version.attr('value')!,
          [`outcome-${actionId}`]: 'done',
        })
      ).statusCode,
    ).toBe(403);
    const ok = await tm.post(`/supervision/${nextId}`, {
      [name]: version.attr('value')!,
      [`outcome-${actionId}`]: 'done',
    });
    expect(ok.statusCode).toBe(303);
    expect((await tm.get(`/supervision/${nextId}`)).$('input[name^="version-"]').length).toBe(0);
  });

  it('records management oversight from the child’s record', async () => {
    const record = await tm.get(`/people/${childId}`);
    expect(record.$(`a[href="/people/${childId}/management-oversight/new"]`).length).toBe(1);
    expect((await sw.get(`/people/${childId}`)).$(`a[href$="/management-oversight/new"]`).length).toBe(0);
    const url = `/people/${childId}/management-oversight/new`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    capture('oversight', 'team-manager', url, form);
    const bad = await tm.post(url, { decision: 'Close' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#rationale']);
    const ok = await tm.post(url, {
      decision: 'Close',
      rationale: 'Goals met',
      ...date('reviewOn', '2026-12-10'),
    });
    expect(ok.statusCode).toBe(303);
    expect((await sw.get(`/people/${childId}`)).$('[data-testid="deadlines"]').text()).toContain(
      'Management oversight review',
    );
    expect((await sw.post(url, { decision: 'Close', rationale: 'x' })).statusCode).toBe(403);
  });

  it('sets the frequency, refusing a stale save; workers see their own supervision; partners get 403', async () => {
    const settings = await tm.get('/supervision/settings');
    expect(settings.statusCode).toBe(200);
    capture('settings', 'team-manager', '/supervision/settings', settings);
    expect((await tm.post('/supervision/settings', { frequency: 'yearly', version: '0' })).statusCode).toBe(
      400,
    );
    expect(
      (await tm.post('/supervision/settings', { frequency: 'six-weekly', version: '0' })).statusCode,
    ).toBe(303);
    expect((await tm.post('/supervision/settings', { frequency: 'monthly', version: '0' })).statusCode).toBe(
      409,
    );

    const own = await sw.get('/supervision');
    expect(own.statusCode).toBe(200);
    expect(own.$('[data-testid="own-due"]').text()).toContain('Your next case supervision is due');
    expect(own.$('[data-testid="sessions"] tbody tr').length).toBe(2);
    capture('list (social worker)', 'social-worker', '/supervision', own);
    expect(
      (await sw.post('/supervision/new', { superviseeId: swId, ...date('heldOn', '2026-11-20') })).statusCode,
    ).toBe(403);
    const partner = await t.as('partner-agency-user');
    expect((await partner.get('/supervision')).statusCode).toBe(403);
    expect((await partner.get(`/supervision/${sessionId}`)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBeGreaterThanOrEqual(9);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
