import { beforeAll, describe, expect, it } from 'vitest';
import type { Download } from 'playwright-core';
import ExcelJS from 'exceljs';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { aCinEpisode } from '../../test/builders/social-care.ts';
import { expectAccessible, journeyForFile, signInWithPassword } from '../fixtures.ts';

/**
 * Statutory returns, end to end, on a fixed clock (Tuesday 24 November 2026): a child was referred on 2 November.
 * The performance analyst signs in, opens Ofsted Annex A, first leaves out the list for a CSV (a GOV.UK error,
 * checked with axe), then downloads the Annex A workbook for the default six months and the inspection pack. Both
 * are real files: the workbook's list 3 holds the referral; the pack starts with its summary. Then the children in
 * need census: the analyst opens the validation report, makes the file (with a reason when the return has errors)
 * and downloads the kept XML, which holds the child.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const STEP_TIMEOUT = 240_000;
const journey = journeyForFile({ clock, page: true, timeout: STEP_TIMEOUT });
let laChildId: string;

beforeAll(async () => {
  const { child } = await aCinEpisode(journey.db, { now: clock.now() });
  laChildId = child.laChildId!;
}, STEP_TIMEOUT);

async function workbookOf(download: Download) {
  const chunks = (await (await download.createReadStream())?.toArray()) ?? [];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks as Buffer[]) as unknown as ArrayBuffer);
  return wb;
}

describe('statutory returns: the analyst downloads Ofsted Annex A and the inspection pack', () => {
  it(
    'downloads the Annex A workbook and the inspection pack for the last six months',
    async () => {
      await signInWithPassword(journey.page, 'performance-analyst');
      await journey.page.waitForURL((url) => url.pathname === '/');
      await journey.page.goto('/reports/returns/annex-a');
      await expectAccessible(journey.page);
      expect(await journey.page.getByLabel('Day').first().inputValue()).toBe('25');

      // One list as CSV needs the list.
      await journey.page.getByLabel('One list as CSV').check();
      await journey.page.getByRole('button', { name: 'Download' }).click();
      await journey.page.waitForSelector('.govuk-error-summary');
      await expectAccessible(journey.page);
      expect(await journey.page.locator('.govuk-error-summary').textContent()).toContain(
        'Select the list to download as CSV',
      );

      // The workbook.
      await journey.page.getByLabel('Annex A workbook (Excel)').check();
      const [workbook] = await Promise.all([
        journey.page.waitForEvent('download'),
        journey.page.getByRole('button', { name: 'Download' }).click(),
      ]);
      expect(workbook.suggestedFilename()).toBe('annex-a-318-2026-05-25-to-2026-11-24.xlsx');
      const wb = await workbookOf(workbook);
      expect(wb.worksheets).toHaveLength(11);
      const referrals = wb.getWorksheet('List 3 Referrals')!;
      expect(referrals.getCell('A2').value).toBe(laChildId);
      expect(referrals.getCell('G2').value).toBe('b) Schools');

      // The inspection pack, from the form afresh (Chromium holds back a second download from a journey.page that has not
      // moved since the first, asking the user whether to allow several).
      await journey.page.goto('/reports/returns/annex-a');
      await journey.page.getByLabel('Inspection pack (Excel)').check();
      const [pack] = await Promise.all([
        journey.page.waitForEvent('download'),
        journey.page.getByRole('button', { name: 'Download' }).click(),
      ]);
      expect(pack.suggestedFilename()).toBe('inspection-pack-annex-a-318-2026-05-25-to-2026-11-24.xlsx');
      const packBook = await workbookOf(pack);
      expect(packBook.worksheets[0]!.name).toBe('Summary');
      expect(packBook.worksheets).toHaveLength(12);

      const downloads = await journey.db
        .selectFrom('auditEvents')
        .select('details')
        .where('action', '=', 'annex-a.downloaded')
        .execute();
      expect(downloads.map((d) => (d.details as { format: string }).format).sort()).toEqual(['pack', 'xlsx']);
      expect(journey.consoleErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    'makes the children in need census file from the validation report and downloads it',
    async () => {
      await journey.page.goto('/reports/returns/census');
      await expectAccessible(journey.page);
      await expect(journey.page.locator('h1').textContent()).resolves.toContain('Children in need census');
      // The year shown first is the last one ended (2025-26); the child was referred this year.
      await journey.page.getByLabel('Census year').selectOption('2026-27');
      await journey.page.getByRole('button', { name: 'Show this year' }).click();
      await journey.page.waitForURL((url) => url.searchParams.get('year') === '2026-27');

      await journey.page.getByRole('button', { name: 'Make the census file' }).click();
      await journey.page.waitForURL((url) => url.pathname === '/reports/returns/census/produce');
      await expectAccessible(journey.page);
      const summary = (await journey.page.getByTestId('summary').textContent()) ?? '';
      expect(summary).toMatch(/^\d+ children?, \d+ errors?/);
      if (!summary.includes(' 0 errors')) {
        // The return has errors: a reason is asked for, and an empty one is refused in GOV.UK style.
        await journey.page.getByLabel('Make the file even though the return has errors').check();
        await journey.page.getByRole('button', { name: 'Make the file' }).click();
        await journey.page.waitForSelector('.govuk-error-summary');
        await expectAccessible(journey.page);
        await journey.page.getByLabel('Make the file even though the return has errors').check();
        await journey.page
          .getByLabel('Why the file must be made with errors')
          .fill('Journey test: the DfE asked for an early copy');
      }
      await journey.page.getByRole('button', { name: 'Make the file' }).click();
      await journey.page.waitForURL((url) => url.pathname === '/reports/returns/census');
      await expectAccessible(journey.page);

      const fileLink = journey.page.locator('[data-testid="files"] a.govuk-link').first();
      const [xml] = await Promise.all([journey.page.waitForEvent('download'), fileLink.click()]);
      expect(xml.suggestedFilename()).toMatch(/\.xml$/);
      const chunks = (await (await xml.createReadStream())?.toArray()) ?? [];
      const text = Buffer.concat(chunks as Buffer[]).toString('utf8');
      expect(text).toContain('<Message');
      expect(text).toContain(`<LAchildID>${laChildId}</LAchildID>`);

      const made = await journey.db
        .selectFrom('auditEvents')
        .select('action')
        .where('action', 'like', 'census%')
        .execute();
      expect(made.length).toBeGreaterThanOrEqual(2);
    },
    STEP_TIMEOUT,
  );
});
