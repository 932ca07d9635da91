import { beforeAll, describe, expect, it } from 'vitest';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds } from '../../../test/builders/organisation.ts';
import { anAssessmentRecord, anEpisodeRecord } from '../../../test/builders/performance.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile } from '../../../test/support/test-app.ts';

/**
 * The targets page (service managers and administrators): targets saved and audited, refused with field errors
 * keeping what was typed, a stale page refused (409); the dashboard then shows red, amber or green in words. On a
 * fixed clock (24 November 2026) with one referral in September and its assessments: in September one within 45
 * working days and one late (started 1 July, authorised 15 September), in October four within. The collection year
 * to date is 5 of 6 (83.3%): on the 80% target. The home pages show the measures that moved between September and
 * October (the last full month): referrals, down from 1 to 0; assessments, up from 50% to 100%, on target.
 */

const t = appForFile({ now: '2026-11-24T10:30:00Z' });
const { forAxe, capture } = axeCapture();

beforeAll(async () => {
  // One assessment, within 45 working days: 100% (1 of 1) for the collection year to date.
  const { richmond } = await localAuthorityIds(t.db);
  const child = await aChild(t.db, { givenName: 'Tia', familyName: 'Targets' });
  const episodeId = await anEpisodeRecord(t.db, {
    childId: child.id,
    localAuthorityId: richmond,
    referralDate: '2026-09-01',
  });
  const userId = await userIdFor(t.db, 'social-worker');
  await anAssessmentRecord(t.db, episodeId, { startDate: '2026-09-01', authorisedOn: '2026-09-10', userId });
  await anAssessmentRecord(t.db, episodeId, { startDate: '2026-07-01', authorisedOn: '2026-09-15', userId });
  for (const day of ['05', '12', '19', '26'])
    await anAssessmentRecord(t.db, episodeId, {
      startDate: '2026-09-21',
      authorisedOn: `2026-10-${day}`,
      userId,
    });
});

const form = (version: string, more: Record<string, string>) => ({ version, ...more });

describe('performance targets', () => {
  it('a service manager sets targets; bad values are field errors keeping what was typed; a stale page is refused', async () => {
    const sm = await t.as('service-manager');
    const page = await sm.get('/performance/targets');
    expect(page.statusCode).toBe(200);
    capture('targets', 'service-manager', '/performance/targets', page);
    const la = page.$('input[name="localAuthorityId"]').val() as string;
    expect(page.$('input[name="version"]').val()).toBe('0');

    const bad = await sm.post('/performance/targets', {
      localAuthorityId: la,
      ...form('0', { 'target-assessment-timeliness': '120', 'tolerance-re-referrals': '3' }),
    });
    expect(bad.statusCode).toBe(400);
    capture('targets-errors', 'service-manager', '/performance/targets', bad);
    expect(summaryLinks(bad)).toHaveLength(1);
    expect(summaryLinks(bad)[0]).toMatch(/^#target-assessment-timeliness /);
    expect(bad.$('#target-assessment-timeliness').val()).toBe('120');
    expect(bad.$('#tolerance-re-referrals').val()).toBe('3');
    const noTarget = await sm.post('/performance/targets', {
      localAuthorityId: la,
      ...form('0', { 'tolerance-re-referrals': '3' }),
    });
    expect(summaryLinks(noTarget)).toEqual([
      '#target-re-referrals Enter a target for Re-referrals within 12 months, or clear its amber tolerance',
    ]);

    const good = await sm.post('/performance/targets', {
      localAuthorityId: la,
      ...form('0', { 'target-assessment-timeliness': '80', 'tolerance-assessment-timeliness': '5' }),
    });
    expect(good.statusCode).toBe(303);
    const saved = await sm.get('/performance/targets');
    expect(saved.$('#target-assessment-timeliness').val()).toBe('80');
    expect(saved.$('input[name="version"]').val()).toBe('1');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'performance-targets.changed')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ after: { 'assessment-timeliness': { target: 80, tolerance: 5 } } });

    const stale = await sm.post('/performance/targets', {
      localAuthorityId: la,
      ...form('0', { 'target-assessment-timeliness': '70' }),
    });
    expect(stale.statusCode).toBe(409);

    const dashboard = await sm.get('/performance');
    expect(dashboard.$('a[href="/performance/targets"]').length).toBe(1);
    const row = dashboard
      .$('[data-testid="summary"] tbody tr')
      .filter((_, tr) => dashboard.$(tr).text().includes('Assessments completed within 45 working days'));
    expect(row.find('td').last().text().replace(/\s+/g, ' ').trim()).toBe(
      'On target Target 80% or more, amber within 5 points',
    );
    expect(dashboard.$('[data-testid="rag-assessment-timeliness"] .govuk-tag').text()).toBe('On target');
    const other = dashboard
      .$('[data-testid="summary"] tbody tr')
      .filter((_, tr) => dashboard.$(tr).text().includes('Re-referrals within 12 months'));
    expect(other.find('td').last().text().trim()).toBe('No target');
    capture('dashboard-rag', 'service-manager', '/performance', dashboard);
  });

  it('the home pages of the analyst and the service manager show the measures that moved', async () => {
    for (const role of ['performance-analyst', 'service-manager'] as const) {
      const home = await (await t.as(role)).get('/');
      expect(home.statusCode).toBe(200);
      expect(home.$('h2').text()).toContain('Measures that moved');
      const rows = home
        .$('[data-testid="home-moved"] tbody tr')
        .map((_, tr) => home.$(tr).text().replace(/\s+/g, ' ').trim())
        .get();
      expect(rows).toContain('Referrals Down 1, from 1 to 0 No target');
      // Red, amber or green against the target the service manager set, in words as well as colour.
      const assessments = rows.find((r) => r.startsWith('Assessments completed within 45 working days'));
      expect(assessments).toMatch(/50%.*100%.*On target Target 80% or more, amber within 5 points$/);
      expect(home.$('[data-testid="home-moved"] .govuk-tag--green').text()).toBe('On target');
      expect(home.$('[data-testid="home-moved"] a').first().attr('href')).toBe(
        '/performance/measures/referrals?from=2026-10-01&to=2026-10-31',
      );
      capture(`home-${role}`, role, '/', home);
    }
    const sw = await (await t.as('social-worker')).get('/');
    expect(sw.$('h2').text()).not.toContain('Measures that moved');
  });

  it('has no accessibility violations', async () => {
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  }, 180_000);
});
