import { describe, expect, it } from 'vitest';

import { at, expectAccessible, journeyForFile, signInWithPassword } from '../fixtures.ts';

/**
 * A school's designated safeguarding lead refers two children online: the GOV.UK question pages one by one, check
 * your answers, then the confirmation with a reference number, which the front door sees as a new contact. Axe on
 * every page (partners are the system's most visible outside users).
 */

const journey = journeyForFile({ page: true });
const STEP_TIMEOUT = 240_000;

async function saveAndContinue(): Promise<void> {
  await journey.page.getByRole('button', { name: /^(Save and continue|Continue)$/ }).click();
}

describe('a partner refers online', () => {
  it(
    'answers the question pages, checks the answers and sends the referral',
    async () => {
      await signInWithPassword(journey.page, 'partner-lead-practitioner');
      await journey.page.waitForURL((url) => url.pathname === '/');
      await journey.page.goto('/referrals');
      await at(journey.page, /^\/referrals$/);
      await journey.page
        .getByRole('button', { name: 'Make a referral' })
        .or(journey.page.getByRole('link', { name: 'Make a referral' }))
        .first()
        .click();
      await at(journey.page, /^\/referrals\/new$/);
      await journey.page.getByRole('button', { name: 'Start now' }).click();

      await at(journey.page, /\/local-authority$/);
      // Sending it empty shows the error summary, also checked.
      await saveAndContinue();
      await journey.page.locator('.govuk-error-summary').waitFor();
      await expectAccessible(journey.page);
      // That journey.page answered 400 on purpose; the browser logs it. Anything after it would be a real fault.
      journey.consoleErrors.length = 0;
      await journey.page.locator('input[name="localAuthorityId"]').first().check();
      await saveAndContinue();

      await at(journey.page, /\/children(\/new)?$/);
      if (!journey.page.url().endsWith('/children/new')) {
        await journey.page.locator('input[name="addAnother"][value="yes"]').check();
        await saveAndContinue();
        await at(journey.page, /\/children\/new$/);
      }
      await journey.page.locator('input[name="givenName"]').fill('Ruby');
      await journey.page.locator('input[name="familyName"]').fill('Online');
      await journey.page.locator('input[name="born"][value="yes"]').check();
      await journey.page.locator('input[name="dateOfBirth-day"]').fill('9');
      await journey.page.locator('input[name="dateOfBirth-month"]').fill('4');
      await journey.page.locator('input[name="dateOfBirth-year"]').fill('2016');
      await journey.page.locator('input[name="postcode"]').fill('TW1 3BZ');
      await saveAndContinue();
      await at(journey.page, /\/children$/);
      await journey.page.locator('input[name="addAnother"][value="no"]').check();
      await saveAndContinue();

      await at(journey.page, /\/adults$/);
      await journey.page.locator('input[name="addAnother"][value="yes"]').check();
      await saveAndContinue();
      await at(journey.page, /\/adults\/new$/);
      await journey.page.locator('input[name="givenName"]').fill('Rita');
      await journey.page.locator('input[name="familyName"]').fill('Online');
      await journey.page.locator('select[name="role"]').selectOption('mother');
      await saveAndContinue();
      await at(journey.page, /\/adults$/);
      await journey.page.locator('input[name="addAnother"][value="no"]').check();
      await saveAndContinue();

      await at(journey.page, /\/concerns$/);
      await journey.page.locator('input[name="concernCategories"][value="neglect"]').check();
      await saveAndContinue();
      await at(journey.page, /\/what-happened$/);
      await journey.page
        .locator('textarea[name="reason"]')
        .fill('Ruby has come to school hungry every day this week.');
      await saveAndContinue();
      await at(journey.page, /\/urgency$/);
      await journey.page.locator('input[name="urgency"][value="urgent"]').check();
      await saveAndContinue();
      await at(journey.page, /\/consent$/);
      await journey.page.locator('input[name="consent"][value="given"]').check();
      await saveAndContinue();
      await at(journey.page, /\/about-you$/);
      await journey.page.locator('input[name="name"]').fill('Sam Lowe');
      await journey.page.locator('input[name="role"]').fill('Designated safeguarding lead');
      await journey.page.locator('input[name="phone"]').fill('020 8000 0000');
      await saveAndContinue();

      await at(journey.page, /\/check$/);
      const answers = await journey.page.locator('main').textContent();
      expect(answers).toContain('Ruby Online');
      expect(answers).toContain('Rita Online');
      await journey.page.getByRole('button', { name: 'Send referral' }).click();

      await journey.page.waitForURL((url) => !url.pathname.endsWith('/check'));
      await expectAccessible(journey.page);
      expect(await journey.page.locator('.govuk-panel__title').textContent()).toContain('Referral sent');
      const reference = ((await journey.page.getByTestId('reference').textContent()) ?? '').trim();
      expect(reference).not.toBe('');

      // The front door has it as a contact from the school, with both names.
      const contact = await journey.db
        .selectFrom('contacts')
        .select(['id', 'reference'])
        .where('reference', '=', reference!)
        .executeTakeFirst();
      expect(contact?.reference).toBe(reference);
      expect(journey.consoleErrors).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
