import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { aStaffMember } from '../../test/builders/organisation.ts';
import { aChild, anAllocation } from '../../test/builders/people.ts';
import { at, fillDate, journeyForFile, mainText, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Supervision: an individual case supervision that writes oversight onto two children's records and follows up an
 * action at the next session; a group supervision with two workers. axe on every page.
 */

const journey = journeyForFile({ page: true, timeout: 120_000 });

const chooseSupervisee = async (page: Page) =>
  page.selectOption(
    '#superviseeId',
    (await page.locator('#superviseeId option', { hasText: 'Sian Walker' }).getAttribute('value'))!,
  );

describe('supervision', () => {
  it(
    'an individual supervision writes oversight onto two children’s records and follows up an action next time',
    { timeout: 180_000 },
    async () => {
      const page = journey.page;
      const ada = await aChild(journey.db, { givenName: 'Ada', familyName: 'Journey' });
      await anAllocation(journey.db, ada, { role: 'social-worker' });
      const ben = await aChild(journey.db, { givenName: 'Ben', familyName: 'Journey' });
      await anAllocation(journey.db, ben, { role: 'social-worker' });
      await signInWithPassword(page, 'team-manager');
      await page.goto('/supervision/new');
      await at(page, '/supervision/new');
      await chooseSupervisee(page);
      await fillDate(page, 'heldOn', '2026-11-02');
      await submit(page, 'Continue');
      await at(page, /^\/supervision\/[0-9a-f-]{36}$/);
      const firstSession = new URL(page.url()).pathname;

      for (const [child, action] of [
        ['Ada Journey', 'Ask school about attendance'],
        ['Ben Journey', ''],
      ] as const) {
        await page.getByRole('link', { name: new RegExp(child) }).click();
        await at(page, /\/children\//);
        await page.fill('#decision', `Keep ${child} on the plan`);
        await page.fill('#rationale', 'The plan is working');
        if (action) {
          await page.fill('#action1Description', action);
          await page.fill('#action1Owner', 'Sian Walker');
          await fillDate(page, 'action1Due', '2027-01-15');
        }
        await submit(page, 'Save discussion');
        await at(page, firstSession);
      }
      for (const child of [ada, ben]) {
        await page.goto(`/people/${child.id}/chronology?category=management-oversight`);
        await at(page, `/people/${child.id}/chronology`);
        expect(await mainText(page)).toContain('The plan is working');
      }

      // The next session follows the action up.
      await page.goto('/supervision/new');
      await chooseSupervisee(page);
      await fillDate(page, 'heldOn', '2026-11-30');
      await submit(page, 'Continue');
      await at(page, /^\/supervision\/[0-9a-f-]{36}$/);
      expect(await mainText(page)).toContain('Ask school about attendance');
      await page.getByRole('radio', { name: 'Done' }).first().check();
      await submit(page, 'Save follow-up');
      await at(page, /^\/supervision\/[0-9a-f-]{36}$/);
      expect(await page.locator('[data-testid="followed-up"]').textContent()).toContain('done');
    },
  );

  it(
    'a group supervision with two workers writes oversight onto a child’s record',
    { timeout: 180_000 },
    async () => {
      const page = journey.page;
      await aStaffMember(journey.db, {
        team: 'Assessment Team',
        displayName: 'Grace Journey',
        role: 'social-worker',
      });
      await page.goto('/supervision/groups/new');
      await at(page, '/supervision/groups/new');
      await page.getByRole('radio', { name: 'Group supervision' }).check();
      await fillDate(page, 'heldOn', '2026-12-01');
      await page.getByRole('checkbox', { name: /Sian Walker/ }).check();
      await page.getByRole('checkbox', { name: /Grace Journey/ }).check();
      await submit(page, 'Save and continue');
      await at(page, /^\/supervision\/groups\/[0-9a-f-]{36}$/);
      await page.getByRole('link', { name: /Ada Journey/ }).click();
      await at(page, /\/children\//);
      await page.fill('#decision', 'Step down to early help');
      await page.fill('#rationale', 'The group agreed the risks have reduced');
      await submit(page, 'Save discussion');
      await at(page, /^\/supervision\/groups\/[0-9a-f-]{36}$/);
      expect(await mainText(page)).toContain('Step down to early help');
      await page.getByRole('link', { name: 'Ada Journey' }).first().click();
      await at(page, /^\/people\/[0-9a-f-]{36}$/);
      expect(await mainText(page)).toContain('Management oversight in the last 20 working days');
    },
  );
});
