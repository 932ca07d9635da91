import { beforeAll, describe, expect, it } from 'vitest';
import { aCompletedAuditBody } from '../../../test/builders/case-audits.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { dateFields as date, errorHrefs as summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';

/**
 * Case audit pages: the QA officer starts on their audits from the home page, starts a monthly sample (field errors
 * first), opens an audit, is refused completion field by field with what they typed kept, completes it, and sees
 * it read-only; the principal social worker reads it; a social worker gets 403. Every kind of page is checked with
 * axe in Chromium.
 */

let qa: Agent;
let psw: Agent;
let sw: Agent;
const { forAxe, capture } = axeCapture();

const t = appForFile();
beforeAll(async () => {
  qa = await t.as('qa-officer');
  psw = await t.as('principal-social-worker');
  sw = await t.as('social-worker');
  for (const name of ['Amara', 'Bilal']) {
    const child = await aChild(t.db, { givenName: name, familyName: 'Audited' });
    await anAllocation(t.db, child, { role: 'social-worker' });
  }
});

describe('case audit pages', () => {
  let programmeUrl: string;
  let auditUrl: string;

  it('starts the QA officer on their case audits from the home page', async () => {
    const home = await qa.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.$('a[href="/case-audits"]').first().text()).toContain('Case audits');
    const list = await qa.get('/case-audits');
    expect(list.statusCode).toBe(200);
    expect(list.$('[data-testid="my-audits"]').text()).toContain('You have no audits to complete');
    capture('list (empty)', 'qa-officer', '/case-audits', list);
  });

  it('starts a monthly sample: field errors first, then the programme with its children', async () => {
    const form = await qa.get('/case-audits/programmes/new');
    expect(form.statusCode).toBe(200);
    capture('new programme', 'qa-officer', '/case-audits/programmes/new', form);
    const teamId = form
      .$('#teamId option')
      .filter((_, o) => form.$(o).text() === 'Assessment Team')
      .attr('value')!;

    const bad = await qa.post('/case-audits/programmes/new', {});
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#kind', '#dueOn-day']);
    capture('new programme refused', 'qa-officer', '/case-audits/programmes/new', bad);

    const noTeam = await qa.post('/case-audits/programmes/new', {
      kind: 'monthly-sample',
      sampleSize: '',
      ...date('dueOn', '2026-12-31'),
    });
    expect(noTeam.statusCode).toBe(400);
    expect(summaryLinks(noTeam)).toEqual(['#teamId', '#month', '#sampleSize']);
    expect(noTeam.$('input[name="kind"][value="monthly-sample"]').attr('checked')).toBeDefined();

    const ok = await qa.post('/case-audits/programmes/new', {
      kind: 'monthly-sample',
      teamId,
      month: '2026-11',
      sampleSize: '5',
      ...date('dueOn', '2026-12-31'),
    });
    expect(ok.statusCode).toBe(303);
    programmeUrl = ok.headers.location!;
    const programme = await qa.get(programmeUrl);
    expect(programme.statusCode).toBe(200);
    expect(programme.$('h1').text()).toContain('Assessment Team: November 2026 sample');
    const audits = programme.$('[data-testid="audits"] tbody tr');
    expect(audits.length).toBe(2);
    expect(programme.$('[data-testid="audits"]').text()).toContain('Amara Audited');
    capture('programme', 'qa-officer', programmeUrl, programme);
    auditUrl = programme.$('[data-testid="audits"] a').first().attr('href')!;
    const list = await qa.get('/case-audits');
    expect(list.$('[data-testid="my-audits"] tbody tr').length).toBe(2);
    expect(list.$('[data-testid="programmes"]').text()).toContain('0 of 2');
    capture('list', 'qa-officer', '/case-audits', list);
  });

  it('records the audit: completion refused field by field with the draft kept, then completed and read-only', async () => {
    const form = await qa.get(auditUrl);
    expect(form.statusCode).toBe(200);
    expect(form.$('input[name="frontDoor__grade"]').length).toBe(4);
    expect(form.$('[data-testid="figures"]').text()).toContain('Referrals to children’s social care');
    capture('audit form', 'qa-officer', auditUrl, form);
    const version = form.$('input[name="version"]').val() as string;

    const refused = await qa.post(auditUrl, {
      version,
      action: 'complete',
      frontDoor__grade: 'good',
      frontDoor__evidence: 'Decision made within a day',
    });
    expect(refused.statusCode).toBe(400);
    const links = summaryLinks(refused);
    expect(links).toContain('#assessment__grade');
    expect(links).toContain('#impact__whatChanged');
    expect(links).toContain('#reflection__workerReflection');
    expect(links).not.toContain('#frontDoor__evidence');
    expect(refused.$('#frontDoor__evidence').text()).toBe('Decision made within a day');
    capture('audit refused', 'qa-officer', auditUrl, refused);

    const saved = await qa.get(auditUrl);
    expect(saved.$('[data-testid="audit-status"]').text()).toContain('In progress');
    const done = await qa.post(auditUrl, {
      version: saved.$('input[name="version"]').val() as string,
      action: 'complete',
      ...aCompletedAuditBody({ childsVoice: 'outstanding' }),
    });
    expect(done.statusCode).toBe(303);
    const view = await qa.get(auditUrl);
    expect(view.statusCode).toBe(200);
    expect(view.$('input[name="frontDoor__grade"]').length).toBe(0);
    expect(view.$('[data-testid="grades"]').text()).toContain('Outstanding');
    expect(view.$('[data-testid="audit-status"]').text()).toContain('Completed');
    capture('completed audit', 'qa-officer', auditUrl, view);
  });

  it('lets the principal social worker read it, refuses a social worker, and records each view', async () => {
    const read = await psw.get(auditUrl);
    expect(read.statusCode).toBe(200);
    expect(read.$('[data-testid="grades"]').text()).toContain('Good');
    expect((await sw.get(auditUrl)).statusCode).toBe(403);
    expect((await sw.get('/case-audits')).statusCode).toBe(403);
    const auditId = auditUrl.split('/').pop()!;
    const views = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'childId'])
      .where('subjectId', '=', auditId)
      .execute();
    expect(views.filter((v) => v.action === 'case-audit.viewed').length).toBeGreaterThanOrEqual(3);
    expect(views.map((v) => v.action)).toContain('case-audit.completed');
    expect(views.every((v) => v.childId)).toBe(true);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBeGreaterThanOrEqual(8);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
