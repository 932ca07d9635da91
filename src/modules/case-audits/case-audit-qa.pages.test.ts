import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { aCompletedAuditBody } from '../../../test/builders/case-audits.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { dateFields as date, errorHrefs as summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';

/**
 * Case audits for the QA lead (issue 20): the QA officer starts a programme with every audit moderated, gives the
 * audit to the principal social worker, who completes it; the QA officer moderates it (a changed grade refused
 * without its reason), sets an action for the social worker, who sees it on their worktray and marks it done; the
 * learning summary; the QA report shows the moderated grade, drills down to the audit, and downloads as CSV and
 * PDF. Every kind of page is checked with axe in Chromium.
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
  const child = await aChild(t.db, { givenName: 'Imani', familyName: 'Reviewed' });
  await anAllocation(t.db, child, { role: 'social-worker' });
});

describe('assigning, moderating, actions and the QA report', () => {
  let programmeUrl: string;
  let auditUrl: string;
  let actionUrl: string;

  it('assigns the audit to another auditor, who completes it', async () => {
    const form = await qa.get('/case-audits/programmes/new');
    const teamId = form
      .$('#teamId option')
      .filter((_, o) => form.$(o).text() === 'Assessment Team')
      .attr('value')!;
    const ok = await qa.post('/case-audits/programmes/new', {
      kind: 'monthly-sample',
      teamId,
      month: '2026-11',
      sampleSize: '1',
      moderationPercent: '100',
      ...date('dueOn', '2026-12-31'),
    });
    expect(ok.statusCode).toBe(303);
    programmeUrl = ok.headers.location!;
    const programme = await qa.get(programmeUrl);
    auditUrl = programme.$('[data-testid="audits"] a').first().attr('href')!;
    const assignUrl = `${auditUrl}/assign`;
    const assign = await qa.get(assignUrl);
    expect(assign.statusCode).toBe(200);
    capture('assign', 'qa-officer', assignUrl, assign);
    const version = assign.$('input[name="version"]').first().val() as string;
    const none = await qa.post(assignUrl, { which: 'auditor', userId: '', version });
    expect(none.statusCode).toBe(400);
    expect(summaryLinks(none)).toEqual(['#userId']);
    capture('assign refused', 'qa-officer', assignUrl, none);
    const pswOption = await t.userId('principal-social-worker');
    expect(assign.$(`#userId option[value="${pswOption}"]`).length).toBe(1);
    const given = await qa.post(assignUrl, { which: 'auditor', userId: pswOption, version });
    expect(given.statusCode).toBe(303);
    const home = await psw.get('/');
    expect(home.body).toContain('Audit the case of Imani Reviewed');
    const auditForm = await psw.get(auditUrl);
    const done = await psw.post(auditUrl, {
      version: auditForm.$('input[name="version"]').val() as string,
      action: 'complete',
      ...aCompletedAuditBody(),
    });
    expect(done.statusCode).toBe(303);
  });

  it('moderates: a changed grade needs its reason, then the audit shows both grades and the programme its rates', async () => {
    const moderateUrl = `${auditUrl}/moderate`;
    const form = await qa.get(moderateUrl);
    expect(form.statusCode).toBe(200);
    expect(form.$('input[name="assessment__grade"]').length).toBe(4);
    capture('moderate', 'qa-officer', moderateUrl, form);
    const version = form.$('input[name="version"]').val() as string;
    const refused = await qa.post(moderateUrl, {
      version,
      assessment__grade: 'inadequate',
      frontDoor__grade: 'good',
      planning__grade: 'good',
      childsVoice__grade: 'good',
      oversight__grade: 'good',
      multiAgency__grade: 'good',
      recording__grade: 'good',
    });
    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused)).toEqual(['#assessment__reason']);
    expect(refused.$('input[name="assessment__grade"][value="inadequate"]').attr('checked')).toBeDefined();
    capture('moderate refused', 'qa-officer', moderateUrl, refused);
    const ok = await qa.post(moderateUrl, {
      version,
      frontDoor__grade: 'good',
      assessment__grade: 'inadequate',
      assessment__reason: 'The risks are listed, not analysed',
      planning__grade: 'good',
      childsVoice__grade: 'good',
      oversight__grade: 'good',
      multiAgency__grade: 'good',
      recording__grade: 'good',
    });
    expect(ok.statusCode).toBe(303);
    const view = await qa.get(auditUrl);
    const grades = view.$('[data-testid="grades"]').text();
    expect(grades).toContain('Inadequate');
    expect(grades).toContain('The risks are listed, not analysed');
    capture('moderated audit', 'qa-officer', auditUrl, view);
    const programme = await qa.get(programmeUrl);
    expect(programme.$('[data-testid="programme"]').text()).toContain(
      '1 of 1 completed audits moderated (100%)',
    );
    expect(programme.$('[data-testid="programme"]').text()).toContain('agreed with 6 of 7 grades (86%)');
  });

  it('sets an action for the social worker: on their worktray until they mark it done', async () => {
    const url = `${auditUrl}/actions/new`;
    const form = await qa.get(url);
    expect(form.statusCode).toBe(200);
    capture('new action', 'qa-officer', url, form);
    const bad = await qa.post(url, {});
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#level', '#description', '#ownerId', '#dueOn-day']);
    capture('new action refused', 'qa-officer', url, bad);
    const ok = await qa.post(url, {
      level: 'worker',
      description: 'Rewrite the analysis with the family',
      ownerId: await t.userId('social-worker'),
      ...date('dueOn', '2026-12-20'),
    });
    expect(ok.statusCode).toBe(303);
    const home = await sw.get('/');
    const link = home
      .$('a')
      .filter((_, a) => home.$(a).text().includes('Rewrite the analysis with the family'));
    actionUrl = link.attr('href')!;
    expect(actionUrl).toMatch(/^\/case-audits\/actions\//);
    const action = await sw.get(actionUrl);
    expect(action.statusCode).toBe(200);
    capture('action', 'social-worker', actionUrl, action);
    const empty = await sw.post(actionUrl, {
      version: action.$('input[name="version"]').val() as string,
      note: '',
    });
    expect(summaryLinks(empty)).toEqual(['#note']);
    const done = await sw.post(actionUrl, {
      version: action.$('input[name="version"]').val() as string,
      note: 'Analysis rewritten',
    });
    expect(done.statusCode).toBe(303);
    expect((await sw.get(actionUrl)).$('[data-testid="action-status"]').text()).toContain('Done');
  });

  it('saves the learning summary, shown on the programme page', async () => {
    const url = `${programmeUrl}/learning`;
    const form = await qa.get(url);
    capture('learning', 'qa-officer', url, form);
    const ok = await qa.post(url, {
      version: form.$('input[name="version"]').val() as string,
      summary: 'Analysis in assessments is the theme',
    });
    expect(ok.statusCode).toBe(303);
    expect((await qa.get(programmeUrl)).$('[data-testid="learning"]').text()).toContain(
      'Analysis in assessments',
    );
  });

  it('the QA report shows the moderated grade, drills down to the audit, and downloads as CSV and PDF', async () => {
    const report = await qa.get('/case-audits/report');
    expect(report.statusCode).toBe(200);
    expect(report.$('svg[data-testid="chart-by-area"]').length).toBe(1);
    const row = report
      .$('[data-testid="table-by-area"] tbody tr')
      .filter((_, r) => report.$(r).text().includes('Assessment'));
    const inadequate = row.find('td').eq(3);
    expect(inadequate.text()).toContain('1');
    capture('report', 'qa-officer', '/case-audits/report', report);
    const drillUrl = inadequate.find('a').attr('href')!;
    const drill = await qa.get(drillUrl);
    expect(drill.statusCode).toBe(200);
    expect(drill.$('[data-testid="audits"]').text()).toContain('Imani Reviewed');
    capture('report drill-down', 'qa-officer', drillUrl, drill);
    // What children and families told us: a paper response in the period is in the report, linked to the words.
    const paper = await qa.post('/case-audits/feedback/paper?survey=adult', {
      audience: 'adult',
      service: 'social-care',
      point: 'closure',
      teamId: '',
      ...date('givenOn', '2026-11-20'),
      feedback__listened: 'yes',
      feedback__helped: 'a-bit',
      feedback__thingsBetter: 'better',
      feedback__knowsNext: 'yes',
      feedback__words: 'We were listened to',
    });
    expect(paper.statusCode).toBe(303);
    const withFeedback = await qa.get('/case-audits/report');
    expect(withFeedback.$('svg[data-testid="chart-feedback"]').length).toBe(1);
    const feedbackRow = withFeedback
      .$('table')
      .filter((_, tb) => withFeedback.$(tb).text().includes('Felt listened to'));
    expect(feedbackRow.text()).toContain('No team recorded, children’s social care');
    expect(feedbackRow.find('a').first().attr('href')).toContain('/case-audits/feedback?');
    capture('report with feedback', 'qa-officer', '/case-audits/report', withFeedback);
    const csv = await qa.get('/case-audits/report/download?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Grades by area of practice,Assessment,Inadequate,1');
    expect(csv.body).toContain(
      '"Feedback from children and families, by team and service","No team recorded, children’s social care",Responses,1',
    );
    const pdf = await qa.get('/case-audits/report/download?format=pdf');
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = (await new PDFParse({ data: new Uint8Array(pdf.rawPayload) }).getText()).text;
    expect(text).toContain('Quality assurance report');
    expect(text).toContain('Grades by area of practice');
    expect(text).toContain('Analysis in assessments is the theme');
    expect((await sw.get('/case-audits/report')).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 180_000 }, async () => {
    expect(forAxe.size).toBeGreaterThanOrEqual(10);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
