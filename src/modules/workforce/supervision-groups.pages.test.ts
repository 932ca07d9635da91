import { beforeAll, describe, expect, it } from 'vitest';
import { aStaffMember } from '../../../test/builders/organisation.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { dateFields as date, errorHrefs as summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';

/**
 * Group and reflective sessions, personal supervision, dropping an action with a note, the oversight window setting
 * and a team's oversight page: field errors first (400, typed values kept), then the record; axe on every kind of page.
 */

let tm: Agent;
let sw: Agent;
let sm: Agent;
let swId: string;
let secondId: string;
let childId: string;
const { forAxe, capture } = axeCapture();

const t = appForFile();
beforeAll(async () => {
  tm = await t.as('team-manager');
  sw = await t.as('social-worker');
  sm = await t.as('service-manager');
  swId = await t.userId('social-worker');
  secondId = (
    await aStaffMember(t.db, { team: 'Assessment Team', displayName: 'Grace Second', role: 'social-worker' })
  ).id;
  const child = await aChild(t.db, { givenName: 'Noor', familyName: 'Grouped' });
  await anAllocation(t.db, child, { role: 'social-worker' });
  childId = child.id;
});

describe('group sessions', () => {
  it('records a group session and a child’s part, shown on the child’s chronology', async () => {
    const form = await tm.get('/supervision/groups/new');
    expect(form.statusCode).toBe(200);
    capture('group new', 'team-manager', '/supervision/groups/new', form);
    const bad = await tm.post('/supervision/groups/new', { focus: 'Typed focus', attendeeIds: swId });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#kind', '#heldOn-day', '#attendeeIds']);
    expect(bad.$('#focus').text()).toBe('Typed focus');
    expect(bad.$(`input[name="attendeeIds"][value="${swId}"]`).attr('checked')).toBeDefined();
    capture('group new refused', 'team-manager', '/supervision/groups/new', bad);

    const ok = await tm.post('/supervision/groups/new', {
      kind: 'group',
      ...date('heldOn', '2026-10-20'),
      attendeeIds: [swId, secondId],
    });
    expect(ok.statusCode).toBe(303);
    const url = ok.headers.location!;
    const page = await tm.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.$('[data-testid="attendees"]').text()).toContain('Grace Second');
    expect(page.$('[data-testid="to-discuss"] a').text()).toContain('Noor Grouped');
    capture('group', 'team-manager', url, page);

    const partUrl = `${url}/children/${childId}`;
    const partForm = await tm.get(partUrl);
    expect(partForm.statusCode).toBe(200);
    capture('group discussion', 'team-manager', partUrl, partForm);
    expect((await tm.post(partUrl, { decision: 'Step down' })).statusCode).toBe(400);
    const saved = await tm.post(partUrl, { decision: 'Step down', rationale: 'Goals met together' });
    expect(saved.statusCode).toBe(303);
    expect((await sw.get(url)).$('[data-testid="discussion"]').text()).toContain('Step down');
    expect((await sw.post(partUrl, { decision: 'x', rationale: 'y' })).statusCode).toBe(403);
    const chronology = await sw.get(`/people/${childId}/chronology?category=management-oversight`);
    expect(chronology.body).toContain('Goals met together');
    const list = await sw.get('/supervision/groups');
    expect(list.$('[data-testid="group-sessions"] tbody tr').length).toBe(1);
    capture('groups list', 'social-worker', '/supervision/groups', list);
  });

  it('follows up the actions of the group’s earlier session at its next one (drop needs a note; the facilitator only)', async () => {
    const startGroup = async (iso: string) =>
      (
        await tm.post('/supervision/groups/new', {
          kind: 'group',
          ...date('heldOn', iso),
          attendeeIds: [swId, secondId],
        })
      ).headers.location!;
    const first = await startGroup('2026-10-27');
    await tm.post(`${first}/children/${childId}`, {
      decision: 'Continue',
      rationale: 'Working',
      action1Description: 'Book the family group conference',
      action1Owner: 'Sian Walker',
      ...date('action1Due', '2026-12-01'),
    });
    const next = await startGroup('2026-11-03');
    const page = await tm.get(next);
    expect(page.body).toContain('Book the family group conference');
    const version = page.$('input[name^="version-"]');
    const actionId = version.attr('name')!.slice('version-'.length);
    capture('group with actions to follow up', 'team-manager', next, page);
    const bad = await tm.post(next, {
      [`version-${actionId}`]: version.attr('value')!,
      [`outcome-${actionId}`]: 'dropped',
      [`note-${actionId}`]: '  ',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([`#note-${actionId}`]);
    capture('group follow-up refused (drop)', 'team-manager', next, bad);
    const drop = {
      [`version-${actionId}`]: version.attr('value')!,
      [`outcome-${actionId}`]: 'dropped',
      [`note-${actionId}`]: 'Family declined a conference',
    };
    // An attendee sees the actions but may not follow them up.
    expect((await sw.get(next)).$('[data-testid="follow-ups"]').text()).toContain(
      'Book the family group conference',
    );
    expect((await sw.post(next, drop)).statusCode).toBe(403);
    expect((await tm.post(next, drop)).statusCode).toBe(303);
    expect((await tm.post(next, drop)).statusCode).toBe(400);
    const after = await sw.get(next);
    expect(after.$('[data-testid="followed-up"]').text()).toContain('Family declined a conference');
    capture('group with follow-ups', 'social-worker', next, after);
    const chronology = await sw.get(`/people/${childId}/chronology?category=management-oversight`);
    expect(chronology.body).toContain('Family declined a conference');
  });
});

describe('personal supervision', () => {
  it('records it for the worker, who reads it; the supervisor changes it (stale → 409); nobody else sees it', async () => {
    const form = await tm.get('/supervision/personal/new');
    expect(form.statusCode).toBe(200);
    capture('personal new', 'team-manager', '/supervision/personal/new', form);
    const bad = await tm.post('/supervision/personal/new', {
      superviseeId: swId,
      ...date('heldOn', '2026-11-20'),
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#wellbeing']);
    capture('personal new refused', 'team-manager', '/supervision/personal/new', bad);
    const ok = await tm.post('/supervision/personal/new', {
      superviseeId: swId,
      ...date('heldOn', '2026-11-20'),
      wellbeing: 'Sleeping badly',
    });
    expect(ok.statusCode).toBe(303);
    const url = ok.headers.location!;
    const own = await sw.get(url);
    expect(own.$('[data-testid="personal-record"]').text()).toContain('Sleeping badly');
    expect(own.$('textarea#wellbeing').length).toBe(0);
    capture('personal (worker)', 'social-worker', url, own);
    expect((await sm.get(url)).statusCode).toBe(404);
    const edit = await tm.get(url);
    capture('personal (supervisor)', 'team-manager', url, edit);
    const change = { ...date('heldOn', '2026-11-20'), wellbeing: 'Sleeping better', version: '1' };
    expect((await sw.post(url, change)).statusCode).toBe(403);
    expect((await tm.post(url, change)).statusCode).toBe(303);
    const stale = await tm.post(url, change);
    expect(stale.statusCode).toBe(409);
    expect(
      (await sw.get('/supervision/personal')).$('[data-testid="personal-records"] tbody tr').length,
    ).toBe(1);
    capture('personal list', 'social-worker', '/supervision/personal', await sw.get('/supervision/personal'));
    // Never on the child's chronology.
    expect((await sw.get(`/people/${childId}/chronology`)).body).not.toContain('Sleeping');
  });
});

describe('following up, the oversight window and the team’s oversight', () => {
  it('drops an action only with a note; the team page and the record show oversight in the window', async () => {
    const first = await tm.post('/supervision/new', { superviseeId: swId, ...date('heldOn', '2026-10-21') });
    const firstUrl = first.headers.location!;
    await tm.post(`${firstUrl}/children/${childId}`, {
      decision: 'Continue',
      rationale: 'Working',
      action1Description: 'Ring the school',
      action1Owner: 'Sian Walker',
      ...date('action1Due', '2026-12-01'),
    });
    const next = await tm.post('/supervision/new', { superviseeId: swId, ...date('heldOn', '2026-11-20') });
    const nextUrl = next.headers.location!;
    const page = await tm.get(nextUrl);
    const version = page.$('input[name^="version-"]');
    const actionId = version.attr('name')!.slice('version-'.length);
    const bad = await tm.post(nextUrl, {
      [`version-${actionId}`]: version.attr('value')!,
      [`outcome-${actionId}`]: 'dropped',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([`#note-${actionId}`]);
    capture('follow-up refused (drop)', 'team-manager', nextUrl, bad);
    const ok = await tm.post(nextUrl, {
      [`version-${actionId}`]: version.attr('value')!,
      [`outcome-${actionId}`]: 'dropped',
      [`note-${actionId}`]: 'School already told us',
    });
    expect(ok.statusCode).toBe(303);
    const after = await sw.get(nextUrl);
    expect(after.$('[data-testid="followed-up"]').text()).toContain('School already told us');
    capture('session with follow-ups', 'social-worker', nextUrl, after);

    const settings = await tm.get('/supervision/settings');
    const badSettings = await tm.post('/supervision/settings', {
      frequency: 'monthly',
      oversightWindow: '99',
      version: '0',
    });
    expect(badSettings.statusCode).toBe(400);
    expect(summaryLinks(badSettings)).toEqual(['#oversightWindow']);
    capture('settings refused', 'team-manager', '/supervision/settings', badSettings);
    expect(settings.statusCode).toBe(200);
    expect(
      (await tm.post('/supervision/settings', { frequency: 'monthly', oversightWindow: '30', version: '0' }))
        .statusCode,
    ).toBe(303);

    const list = await tm.get('/supervision');
    const teamHref = list.$('[data-testid="supervision-links"] a[href$="/oversight"]').attr('href')!;
    const team = await tm.get(teamHref);
    expect(team.statusCode).toBe(200);
    expect(team.$('h1').text()).toContain('last 30 working days');
    expect(team.$('[data-testid="team-oversight"]').text()).toContain('Noor Grouped');
    capture('team oversight', 'team-manager', teamHref, team);
    expect((await sw.get(teamHref)).statusCode).toBe(403);
    expect((await sw.get(`/people/${childId}`)).$('[data-testid="deadlines"]').text()).toContain(
      'Management oversight in the last 30 working days',
    );
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 180_000 }, async () => {
    expect(forAxe.size).toBeGreaterThanOrEqual(17);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
