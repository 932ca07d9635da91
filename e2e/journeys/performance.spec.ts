import { describe, expect, it } from 'vitest';
import { beforeAll } from 'vitest';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { aCinEpisode } from '../../test/builders/social-care.ts';
import { at, expectAccessible, journeyForFile, mainText, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Performance across the pathway, end to end, on a fixed clock (Tuesday 24 November 2026): a child was referred on
 * 2 November. The performance analyst starts on this year's measures at home, opens the dashboard, a measure's page
 * with the children behind it and downloads its table as CSV; the service manager opens the dashboard and filters it
 * to a team. Every page is checked with axe.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const STEP_TIMEOUT = 240_000;
const journey = journeyForFile({ clock, page: true, timeout: STEP_TIMEOUT });

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
