import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, describe, expect, it } from 'vitest';
import { beforeAll } from 'vitest';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { aCinEpisode } from '../../test/builders/social-care.ts';
import { at, expectAccessible, journeyForFile, mainText, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Performance across the pathway, end to end, on a fixed clock (Tuesday 24 November 2026): a child was referred on
 * 2 November. The performance analyst starts on this year's measures at home, opens the dashboard, a measure's page
 * with the children behind it and downloads its table as CSV; the service manager opens the dashboard and filters it
 * to a team. The service manager makes October's monthly report and downloads the PDF, and the analyst finds the
 * same report on the reports page and downloads it too. Every page is checked with axe.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const STEP_TIMEOUT = 240_000;
// The monthly report's PDF is kept under the upload folder: a temporary one here.
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-journey-reports-'));
afterAll(() => fs.rmSync(uploadDir, { recursive: true, force: true }));
const journey = journeyForFile({
  clock,
  page: true,
  timeout: STEP_TIMEOUT,
  config: { THRESHOLD_UPLOAD_DIR: uploadDir },
});

beforeAll(async () => {
  await aCinEpisode(journey.db, { now: clock.now() });
}, STEP_TIMEOUT);

describe('performance: the analyst and the service manager open the measures', () => {
  it(
    'the analyst starts on the measures, opens the dashboard and a measure, and downloads it',
    async () => {
      const page = journey.page;
      await signInWithPassword(page, 'performance-analyst');
      await at(page, '/');
      expect(await page.locator('[data-testid="home-measures"]').textContent()).toContain('Referrals');
      await page.locator('.app-start-actions a', { hasText: 'Performance' }).first().click();
      await at(page, '/performance');
      expect(await mainText(page)).toContain('1 April 2026 to 24 November 2026');
      await page.locator('#referrals').getByRole('link', { name: 'Referrals' }).click();
      await at(page, '/performance/measures/referrals');
      expect(await page.locator('[data-testid="figure"]').textContent()).toContain('1');
      expect(await page.locator('[data-testid="drill-down"] tbody tr').count()).toBe(1);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download this table as CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('performance-referrals-figure-2026-04-01-to-2026-11-24.csv');
      await page.getByRole('link', { name: 'How this is counted' }).click();
      await at(page, '/performance/definitions');
    },
    STEP_TIMEOUT,
  );

  it(
    'the service manager filters the dashboard to a team',
    async () => {
      const page = await journey.newPage();
      await signInWithPassword(page, 'service-manager');
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto('/performance');
      await expectAccessible(page);
      await page.getByLabel('Team').selectOption({ label: 'MASH' });
      await submit(page, 'Show figures');
      await at(page, '/performance');
      expect(page.url()).toContain('team=');
      expect(await page.locator('[data-testid="summary"]').textContent()).toContain('Referrals');
    },
    STEP_TIMEOUT,
  );
});

describe('performance: the monthly report', () => {
  it(
    'the service manager makes last month’s report and downloads the PDF',
    async () => {
      const page = await journey.newPage();
      await signInWithPassword(page, 'service-manager');
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto('/performance/reports');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Make a report for a month' }).click();
      await at(page, '/performance/reports/new');
      await page.getByLabel('Month').selectOption({ label: 'October 2026' });
      await submit(page, 'Make the report');
      await at(page, '/performance/reports');
      const link = page.locator('[data-testid="reports"] a', { hasText: 'Download' }).first();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^performance-report-\d+-2026-10\.pdf$/);
      const data = fs.readFileSync(await download.path());
      expect(data.subarray(0, 5).toString()).toBe('%PDF-');
      const response = await page.request.get((await link.getAttribute('href'))!);
      expect(response.headers()['content-type']).toBe('application/pdf');
      const parser = new PDFParse({ data });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('Monthly performance report');
      expect(text).toContain('October 2026');
    },
    STEP_TIMEOUT,
  );

  it(
    'the analyst downloads the same monthly report',
    async () => {
      const page = await journey.newPage();
      await signInWithPassword(page, 'performance-analyst');
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto('/performance');
      await page.locator('[data-testid="reports-link"]').click();
      await at(page, '/performance/reports');
      await expectAccessible(page);
      const link = page.locator('[data-testid="reports"] a', { hasText: 'Download' }).first();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^performance-report-\d+-2026-10\.pdf$/);
      const parser = new PDFParse({ data: fs.readFileSync(await download.path()) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('October 2026');
    },
    STEP_TIMEOUT,
  );
});
