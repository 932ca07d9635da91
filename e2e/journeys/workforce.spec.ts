import { describe, expect, it } from 'vitest';
import { aCinEpisode } from '../../test/builders/social-care.ts';
import { userIdFor } from '../../test/builders/people.ts';
import { addCalendarDays, isoDateOf } from '../../src/kernel/time/index.ts';
import { addCalendarMonths } from '../../src/modules/workforce/supervision.ts';
import {
  at,
  expectAccessible,
  fillDate,
  journeyForFile,
  mainText,
  signInWithPassword,
  submit,
} from '../fixtures.ts';

/**
 * Workforce (issue 19): the team manager starts from their home page on the Assessment Team's allocation board,
 * allocates a child nobody holds to the social worker with a reason, and the social worker finds the child among
 * their own; then the team manager, who assesses the social worker's ASYE, records her 3-month review from her
 * profile. Axe on every page.
 */

const journey = journeyForFile({ page: true });
const STEP_TIMEOUT = 240_000;

describe('workforce: allocation from the board, and an ASYE review from the worker’s profile', () => {
  it(
    'the team manager allocates an unallocated child from the board with a reason; the worker sees the child',
    async () => {
      const { episodeId } = await aCinEpisode(journey.db, {
        child: { givenName: 'Rosa', familyName: 'Board' },
      });
      // As the front door leaves it: the Assessment Team's, with no worker yet.
      await journey.db
        .updateTable('allocations')
        .set({ endedOn: '2026-11-02' })
        .where('involvementId', '=', episodeId)
        .execute();
      const page = journey.page;
      await signInWithPassword(page, 'team-manager');
      await at(page, '/');
      await page.getByRole('link', { name: 'Assessment Team allocation board' }).click();
      await at(page, /^\/workforce\/teams\/[^/]+\/allocation$/);
      expect(await page.locator('[data-testid="unallocated-social-care"]').textContent()).toContain(
        'Rosa Board',
      );
      await page
        .locator('[data-testid="unallocated-social-care"] a', { hasText: 'Allocate' })
        .first()
        .click();
      await at(page, /\/allocation\/cin-episodes\//);
      // Sent without a worker or a reason: the error summary first.
      await submit(page, 'Allocate');
      await page.locator('.govuk-error-summary').waitFor();
      await expectAccessible(page);
      await page.getByLabel('Sian Walker').check();
      await page.getByLabel('Reason').fill('Sian has capacity and knows the school.');
      await submit(page, 'Allocate');
      await at(page, /^\/workforce\/teams\/[^/]+\/allocation$/);
      expect(await mainText(page)).toContain('allocated to Sian Walker');
      expect(await page.locator('[data-testid="unallocated-social-care"]').textContent()).not.toContain(
        'Rosa Board',
      );

      const worker = await journey.newPage();
      await signInWithPassword(worker, 'social-worker');
      await worker.goto('/social-care');
      await at(worker, '/social-care');
      expect(await mainText(worker)).toContain('Rosa Board');
    },
    STEP_TIMEOUT,
  );

  it(
    'the team manager records the social worker’s 3-month ASYE review from her profile',
    async () => {
      const today = isoDateOf(new Date());
      const started = addCalendarMonths(today, -4);
      const sw = await userIdFor(journey.db, 'social-worker');
      await journey.db
        .insertInto('workerProfiles')
        .values({
          userId: sw,
          contractType: 'permanent',
          fte: 1,
          startedOn: started,
          asyeStatus: 'in-progress',
          asyeStartedOn: started,
          asyeAssessorId: await userIdFor(journey.db, 'team-manager'),
          updatedAt: new Date(),
        })
        .execute();
      const page = journey.page;
      await page.goto(`/workforce/workers/${sw}`);
      await at(page, `/workforce/workers/${sw}`);
      expect(await page.locator('[data-testid="asye-next"]').textContent()).toContain('3-month review');
      await page.getByRole('link', { name: 'Record an ASYE review' }).click();
      await at(page, `/workforce/workers/${sw}/asye-reviews/new`);
      await page.getByLabel('3-month review').check();
      await fillDate(page, 'heldOn', addCalendarDays(today, -1));
      await page
        .getByLabel('Progress against the professional capabilities')
        .fill('Assessments are timely and the child’s voice is clear in them.');
      await submit(page, 'Save');
      await at(page, `/workforce/workers/${sw}`);
      expect(await mainText(page)).toContain('ASYE review recorded');
      expect(await page.locator('[data-testid="asye-reviews"]').textContent()).toContain(
        'the child’s voice is clear',
      );
      expect(await page.locator('[data-testid="asye-next"]').textContent()).toContain('6-month review');
    },
    STEP_TIMEOUT,
  );
});
