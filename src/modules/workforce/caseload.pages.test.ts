import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { errorHrefs } from '../../../test/builders/pages.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { testApp, type Agent, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * The allocation board pages: a team manager sees the team's caseloads and unallocated work, allocates from the
 * board (field errors first, a stale form is a 409), the worker's caseload shows it, and the authority's weighting
 * is saved with its version. A social worker gets 403 on the board. Every kind of page is checked with axe.
 */

let t: TestApp;
let tm: Agent;
let sw: Agent;
let swId: string;
let team: string;
const forAxe = new Map<string, CapturedPage>();

const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });

beforeAll(async () => {
  t = await testApp();
  tm = await t.as('team-manager');
  sw = await t.as('social-worker');
  swId = await t.userId('social-worker');
  team = await teamId(t.db, 'Assessment Team');
});
afterAll(async () => {
  await t?.close();
});

describe('allocation board pages', () => {
  it('allocates from the board: field errors first, then a stale form is refused (409), then it lands', async () => {
    const { episodeId } = await aCinEpisode(t.db, { child: { givenName: 'Rory', familyName: 'Board' } });
    // The episode as the front door leaves it: no worker yet (the builder's allocation ended).
    await t.db
      .updateTable('allocations')
      .set({ endedOn: '2026-11-02' })
      .where('involvementId', '=', episodeId)
      .execute();

    const boardUrl = `/workforce/teams/${team}/allocation`;
    const board = await tm.get(boardUrl);
    expect(board.statusCode).toBe(200);
    expect(board.$('[data-testid="unallocated-social-care"]').text()).toContain('Rory Board');
    expect(board.$('[data-testid="caseloads"]').text()).toContain('Sian Walker');
    capture('board', 'team-manager', boardUrl, board);

    const url = `/workforce/teams/${team}/allocation/cin-episodes/${episodeId}`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    const version = form.$('input[name="version"]').attr('value')!;
    capture('allocate', 'team-manager', url, form);

    const bad = await tm.post(url, { workerId: '', reason: '', version });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#workerId', '#reason']);
    capture('allocate refused', 'team-manager', url, bad);

    const stale = await tm.post(url, {
      workerId: swId,
      reason: 'Typed reason',
      version: String(Number(version) - 1),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('#reason').text()).toBe('Typed reason');

    const ok = await tm.post(url, { workerId: swId, reason: 'Sian has capacity', version });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(boardUrl);
    const after = await tm.get(boardUrl);
    expect(after.$('[data-testid="unallocated-social-care"]').text()).not.toContain('Rory Board');

    const caseloadUrl = `/workforce/workers/${swId}/caseload`;
    const caseload = await tm.get(caseloadUrl);
    expect(caseload.statusCode).toBe(200);
    expect(caseload.$('[data-testid="children"]').text()).toContain('Rory Board');
    expect(
      caseload.$('[data-testid="children"] a[href*="/allocation/cin-episodes/"]').length,
    ).toBeGreaterThan(0);
    capture('caseload', 'team-manager', caseloadUrl, caseload);
    const own = await sw.get(caseloadUrl);
    expect(own.statusCode).toBe(200);
    expect(own.$('[data-testid="children"] a[href*="/allocation/"]').length).toBe(0);
  });

  it('saves the authority’s caseload weighting with its version', async () => {
    const url = '/workforce/caseload-settings';
    const page = await tm.get(url);
    expect(page.statusCode).toBe(200);
    capture('settings', 'team-manager', url, page);
    const fields = {
      childProtection: '2',
      childInNeed: '1',
      assessment: '1',
      earlyHelp: '0.5',
      largeSiblingGroup: '0.5',
      largeSiblingGroupSize: '4',
      tooHigh: '20',
    };
    const bad = await tm.post(url, { ...fields, childProtection: 'lots', tooHigh: '', version: '0' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#childProtection', '#tooHigh']);
    capture('settings refused', 'team-manager', url, bad);
    expect((await tm.post(url, { ...fields, version: '0' })).statusCode).toBe(303);
    expect((await tm.post(url, { ...fields, tooHigh: '25', version: '0' })).statusCode).toBe(409);
    expect((await tm.get(url)).$('#tooHigh').val()).toBe('20');
  });

  it('refuses the board to a social worker (403)', async () => {
    expect((await sw.get(`/workforce/teams/${team}/allocation`)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(6);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
