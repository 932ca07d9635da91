import { describe, expect, it } from 'vitest';
import { anAgreedPlan, anEarlyHelpEpisode, aReview } from '../../test/builders/early-help.ts';
import {
  at,
  expectAccessible,
  journeyForFile,
  mainText,
  reached,
  signInWithPassword,
  submit,
} from '../fixtures.ts';

/**
 * Family feedback: the lead practitioner gives the family a feedback link at a plan review; the family opens it on a
 * phone (390 px wide, no horizontal scroll) without signing in and answers; the answer appears in the QA officer's
 * results; the link cannot be used twice. axe on every page.
 */

const journey = journeyForFile({ page: true, timeout: 120_000 });

describe('family feedback', () => {
  it(
    'a link given at a plan review is answered on a phone, once, and the answer is in the results',
    { timeout: 240_000 },
    async () => {
      const now = new Date();
      const { episode } = await anEarlyHelpEpisode(journey.db, { now });
      const { goalId } = await anAgreedPlan(journey.db, episode.id, { now });
      const review = await aReview(journey.db, episode.id, {
        now,
        heldOn: now.toISOString().slice(0, 10),
        workerScale: 6,
        familyScale: 7,
        goals: [{ goalId, score: 6 }],
      });

      const worker = journey.page;
      await signInWithPassword(worker, 'early-help-practitioner');
      const reviewPath = `/early-help/episodes/${episode.id}/reviews/${review.id}`;
      await worker.goto(reviewPath);
      await at(worker, reviewPath);
      await worker.getByRole('link', { name: 'Give the family a feedback link' }).click();
      await at(worker, /\/family-feedback\/link$/);
      await worker.getByRole('radio', { name: 'Parent, carer or other adult' }).check();
      await submit(worker, 'Create the link');
      await at(worker, /\/family-feedback\/link$/);
      const link = (await worker.locator('[data-testid="feedback-link"] a').getAttribute('href'))!;
      const answerPath = new URL(link).pathname;

      // The family, on a phone, not signed in.
      const phone = await journey.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(answerPath);
      await at(phone, answerPath);
      const widths = await phone.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      expect(await mainText(phone)).not.toContain('Ellie');
      await phone
        .getByRole('group', { name: 'Did the workers listen to you and your family?' })
        .getByRole('radio', { name: 'Yes' })
        .check();
      await phone
        .getByRole('group', { name: 'Did we help with the things that worried you?' })
        .getByRole('radio', { name: 'Partly' })
        .check();
      await phone
        .getByRole('group', { name: /How are things for your family now/ })
        .getByRole('radio', { name: 'Better' })
        .check();
      await phone
        .getByRole('group', { name: 'Do you know what will happen next?' })
        .getByRole('radio', { name: 'Yes' })
        .check();
      await phone.fill('#feedback__words', 'The meetings at school made a real difference');
      await submit(phone, 'Send my answers');
      await reached(phone, answerPath);
      await expectAccessible(phone);
      expect(await mainText(phone)).toContain('Thank you');

      // The QA officer sees it in the results.
      const qa = await journey.newPage();
      await signInWithPassword(qa, 'qa-officer');
      await qa.goto('/case-audits/feedback?service=early-help');
      await at(qa, '/case-audits/feedback');
      expect(await mainText(qa)).toContain('The meetings at school made a real difference');

      // The link cannot be used twice.
      await phone.goto(answerPath);
      await at(phone, answerPath);
      expect(await mainText(phone)).toContain('This link has already been used');
    },
  );
});
