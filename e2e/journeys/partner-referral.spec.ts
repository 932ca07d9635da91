import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  collectConsoleErrors,
  expectAccessible,
  signInWithPassword,
  startJourney,
  type Journey,
} from '../fixtures.ts';

/**
 * A school's designated safeguarding lead refers two children online: the GOV.UK question pages one by one, check
 * your answers, then the confirmation with a reference number, which the front door sees as a new contact. Axe on
 * every page (partners are the system's most visible outside users).
 */

let journey: Journey;
let page: Page;
let consoleErrors: string[];
const STEP_TIMEOUT = 240_000;
beforeAll(async () => {
  journey = await startJourney();
  page = await journey.newPage();
  consoleErrors = collectConsoleErrors(page);
});
afterAll(async () => {
  await journey?.close();
});

/** Waits for the next question page, checks it with axe. */
async function at(path: RegExp): Promise<void> {
  await page.waitForURL((url) => path.test(url.pathname));
  await expectAccessible(page);
}

async function saveAndContinue(): Promise<void> {
  await page.getByRole('button', { name: /^(Save and continue|Continue)$/ }).click();
}

describe('a partner refers online', () => {
  it(
    'answers the question pages, checks the answers and sends the referral',
    async () => {
      await signInWithPassword(page, 'partner-lead-practitioner');
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto('/referrals');
      await at(/^\/referrals$/);
      await page
        .getByRole('button', { name: 'Make a referral' })
        .or(page.getByRole('link', { name: 'Make a referral' }))
        .first()
        .click();
      await at(/^\/referrals\/new$/);
      await page.getByRole('button', { name: 'Start now' }).click();

      await at(/\/local-authority$/);
      // Sending it empty shows the error summary, also checked.
      await saveAndContinue();
      await page.locator('.govuk-error-summary').waitFor();
      await expectAccessible(page);
      // That page answered 400 on purpose; the browser logs it. Anything after it would be a real fault.
      consoleErrors.length = 0;
      await page.locator('input[name="localAuthorityId"]').first().check();
      await saveAndContinue();

      await at(/\/children(\/new)?$/);
      if (!page.url().endsWith('/children/new')) {
        await page.locator('input[name="addAnother"][value="yes"]').check();
        await saveAndContinue();
        await at(/\/children\/new$/);
      }
      await page.locator('input[name="givenName"]').fill('Ruby');
      await page.locator('input[name="familyName"]').fill('Online');
      await page.locator('input[name="born"][value="yes"]').check();
      await page.locator('input[name="dateOfBirth-day"]').fill('9');
      await page.locator('input[name="dateOfBirth-month"]').fill('4');
      await page.locator('input[name="dateOfBirth-year"]').fill('2016');
      await page.locator('input[name="postcode"]').fill('TW1 3BZ');
      await saveAndContinue();
      await at(/\/children$/);
      await page.locator('input[name="addAnother"][value="no"]').check();
      await saveAndContinue();

      await at(/\/adults$/);
      await page.locator('input[name="addAnother"][value="yes"]').check();
      await saveAndContinue();
      await at(/\/adults\/new$/);
      await page.locator('input[name="givenName"]').fill('Rita');
      await page.locator('input[name="familyName"]').fill('Online');
      await page.locator('select[name="role"]').selectOption('mother');
      await saveAndContinue();
      await at(/\/adults$/);
      await page.locator('input[name="addAnother"][value="no"]').check();
      await saveAndContinue();

      await at(/\/concerns$/);
      await page.locator('input[name="concernCategories"][value="neglect"]').check();
      await saveAndContinue();
      await at(/\/what-happened$/);
      await page
        .locator('textarea[name="reason"]')
        .fill('Ruby has come to school hungry every day this week.');
      await saveAndContinue();
      await at(/\/urgency$/);
      await page.locator('input[name="urgency"][value="urgent"]').check();
      await saveAndContinue();
      await at(/\/consent$/);
      await page.locator('input[name="consent"][value="given"]').check();
      await saveAndContinue();
      await at(/\/about-you$/);
      await page.locator('input[name="name"]').fill('Sam Lowe');
      await page.locator('input[name="role"]').fill('Designated safeguarding lead');
      await page.locator('input[name="phone"]').fill('020 8000 0000');
      await saveAndContinue();

      await at(/\/check$/);
      const answers = await page.locator('main').textContent();
      expect(answers).toContain('Ruby Online');
      expect(answers).toContain('Rita Online');
      await page.getByRole('button', { name: 'Send referral' }).click();

      await page.waitForURL((url) => !url.pathname.endsWith('/check'));
      await expectAccessible(page);
      expect(await page.locator('.govuk-panel__title').textContent()).toContain('Referral sent');
      const reference = ((await page.getByTestId('reference').textContent()) ?? '').trim();
      expect(reference).not.toBe('');

      // The front door has it as a contact from the school, with both names.
      const contact = await journey.db
        .selectFrom('contacts')
        .select(['id', 'reference'])
        .where('reference', '=', reference!)
        .executeTakeFirst();
      expect(contact?.reference).toBe(reference);
      expect(consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
