import { beforeAll, describe, expect, it } from 'vitest';
import { aCensusCohort, type CohortChild } from '../../../test/builders/census.ts';
import { appForFile } from '../../../test/support/test-app.ts';

/**
 * The census pages on a fixed clock (1 May 2026, so the default year is 2025-26), over a small census cohort and
 * one deliberately broken record: a child whose sex was removed after their referral (rule 4180).
 */

let cohort: CohortChild[];
let broken: CohortChild;

const t = appForFile({ now: '2026-05-01T09:00:00Z' });
beforeAll(async () => {
  cohort = await aCensusCohort(t.db, 10);
  broken = cohort.find((c) => c.family === 'cin-plan')!;
  await t.db.updateTable('people').set({ sex: null }).where('id', '=', broken.childId).execute();
}, 300_000);

describe('the CIN census pages', () => {
  it('shows the validation report with the broken record, the rule’s wording and a working fix link', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.get('/reports/returns/census?year=2025-26');
    expect(res.statusCode).toBe(200);
    expect(res.$('[data-testid="summary"]').text()).toMatch(/10 children\.\s+1 error/);
    const byRule = res.$('[data-testid="by-rule"] tbody').text();
    expect(byRule).toContain('4180');
    expect(byRule).toContain('Sex must be provided and equal M, F, or U');
    const fix = res.$('[data-testid="failures"] a:contains("Fix")').first().attr('href');
    expect(fix).toBe(`/people/${broken.childId}/edit`);
    // The worker who holds the child opens the fix page.
    const worker = await t.as('social-worker');
    expect((await worker.get(fix!)).statusCode).toBe(200);
    expect(res.$('[data-testid="comparison"] tbody').text()).toContain('Children in the return');
  }, 60_000);

  it('refuses to make the file while the return has errors unless a reason is given, then keeps and audits it', async () => {
    const analyst = await t.as('performance-analyst');
    const refused = await analyst.post('/reports/returns/census/produce?year=2025-26', { year: '2025-26' });
    expect(refused.statusCode).toBe(400);
    expect(refused.$('.govuk-error-summary a[href="#overrideReason"]').length).toBe(1);
    const made = await analyst.post('/reports/returns/census/produce?year=2025-26', {
      year: '2025-26',
      override: 'yes',
      overrideReason: 'A draft for the DfE’s pre-submission check',
    });
    expect(made.statusCode).toBe(303);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('action', '=', 'census-return.produced-with-errors')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      errors: 1,
      overrideReason: 'A draft for the DfE’s pre-submission check',
    });
  }, 60_000);

  it('makes the file with no errors once the record is fixed, lists it, and downloads it (audited)', async () => {
    await t.db.updateTable('people').set({ sex: 'F' }).where('id', '=', broken.childId).execute();
    const analyst = await t.as('performance-analyst');
    const made = await analyst.post('/reports/returns/census/produce?year=2025-26', { year: '2025-26' });
    expect(made.statusCode).toBe(303);
    const page = await analyst.get('/reports/returns/census?year=2025-26');
    const rows = page.$('[data-testid="files"] tbody tr');
    expect(rows.length).toBe(2);
    const link = rows.first().find('a');
    expect(link.text()).toBe('CIN_318_2025-26_002.xml');
    const file = await analyst.get(link.attr('href')!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('CIN_318_2025-26_002.xml');
    expect(file.body).toContain('<SerialNo>002</SerialNo>');
    expect(file.body.match(/<Child>/g)).toHaveLength(10);
    const downloads = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('action', '=', 'census-return.downloaded')
      .execute();
    expect(downloads).toHaveLength(1);
  }, 60_000);

  it('is only for returns:produce', async () => {
    for (const role of ['social-worker', 'team-manager'] as const) {
      const agent = await t.as(role);
      expect((await agent.get('/reports/returns/census')).statusCode).toBe(403);
    }
    expect((await (await t.as('service-manager')).get('/reports/returns')).statusCode).toBe(200);
  });

  it('is reached from the navigation, and the landing page leads to both returns', async () => {
    const analyst = await t.as('performance-analyst');
    const home = await analyst.get('/');
    expect(home.$('a[href="/reports/returns"]').text()).toContain('Statutory returns');
    const landing = await analyst.get('/reports/returns');
    expect(
      landing
        .$('main h2 a')
        .map((_, a) => landing.$(a).attr('href'))
        .get(),
    ).toEqual(['/reports/returns/census', '/reports/returns/annex-a']);
    const worker = await (await t.as('social-worker')).get('/');
    expect(worker.$('a[href="/reports/returns"]').length).toBe(0);
  });
});
