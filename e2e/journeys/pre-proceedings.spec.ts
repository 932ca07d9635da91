import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { aCinEpisode, aCpPlan } from '../../test/builders/social-care.ts';
import { anAdult, aRelationship } from '../../test/builders/people.ts';
import { at, fillDate, journeyForFile, mainText, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Pre-proceedings (issue 22): a child on a child protection plan, a legal planning meeting, the letter before
 * proceedings (refused until it offers a family group decision making meeting to both parents) and the letter itself
 * produced as a PDF kept on the child's record, the offer accepted
 * and a meeting held, the initial and a review pre-proceedings meeting, and a step down; the 16-week timeline shows
 * the next date due. axe on every page.
 */

const journey = journeyForFile({ page: true, timeout: 120_000 });
const PP = /^\/social-care\/pre-proceedings\/[0-9a-f-]{36}$/;

async function meeting(page: Page, ppPath: string, kind: 'initial' | 'review', iso: string) {
  await page.goto(`${ppPath}/meetings/new`);
  await at(page, `${ppPath}/meetings/new`);
  await page.check(`input[name="kind"][value="${kind}"]`);
  await fillDate(page, 'heldOn', iso);
  await page.fill(
    '#notes',
    kind === 'initial' ? 'Written agreement signed.' : 'Good progress with the family plan.',
  );
  await submit(page, 'Save the meeting');
  await at(page, ppPath);
}

describe('pre-proceedings', () => {
  it('takes a child on a plan through pre-proceedings to a step down', { timeout: 240_000 }, async () => {
    const page = journey.page;
    const { episodeId, child } = await aCinEpisode(journey.db, {
      referralDate: '2026-11-02',
      child: { givenName: 'Lily', familyName: 'Journey' },
    });
    await aCpPlan(journey.db, episodeId, { icpcDate: '2026-11-19' });
    for (const givenName of ['Jade', 'Connor']) {
      const parent = await anAdult(journey.db, { givenName, familyName: 'Journey' });
      await aRelationship(journey.db, child, parent, 'parent', { parentalResponsibility: true });
    }
    await signInWithPassword(page, 'social-worker');
    await page.goto(`/social-care/episodes/${episodeId}`);
    await at(page, `/social-care/episodes/${episodeId}`);
    await page.getByRole('link', { name: 'Record a legal planning meeting' }).click();
    await at(page, `/social-care/episodes/${episodeId}/pre-proceedings/new`);
    await fillDate(page, 'heldOn', '2026-11-23');
    await page.fill('#attendees', 'Team manager, social worker, local authority solicitor');
    await page.check('input[name="decision"][value="start"]');
    await page.fill('#rationale', 'Neglect continues despite the child protection plan.');
    await submit(page, 'Save the meeting');
    await at(page, PP);
    const ppPath = new URL(page.url()).pathname;

    // The letter must offer a meeting to both parents.
    await page.getByRole('link', { name: 'Record the letter before proceedings' }).click();
    await at(page, `${ppPath}/letter-before-proceedings`);
    await fillDate(page, 'sentOn', '2026-11-25');
    await page.getByRole('checkbox', { name: 'Connor Journey' }).uncheck();
    await submit(page, 'Save the letter');
    await at(page, `${ppPath}/letter-before-proceedings`);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'not yet offered to Connor Journey',
    );
    await page.getByRole('checkbox', { name: 'Connor Journey' }).check();
    await submit(page, 'Save the letter');
    await at(page, ppPath);

    // The letter itself, filled in from the record with the FGDM offer, produced and kept in the child's documents.
    const letterPath = `/letters/letter-before-proceedings/pre-proceedings/${ppPath.split('/').pop()}`;
    await page.getByRole('link', { name: 'Produce the letter before proceedings' }).click();
    await at(page, letterPath);
    expect(await page.locator('[data-testid="letter-preview"]').textContent()).toContain(
      'family group decision making meeting',
    );
    await submit(page, 'Produce the letter');
    // The same address after the redirect: wait for the confirmation, then check the page.
    await page.getByText('The letter is produced and kept in the child’s documents.').waitFor();
    await at(page, letterPath);
    await page.goto(ppPath);
    await at(page, ppPath);

    await page.getByRole('link', { name: /Record their answer for Jade Journey/ }).click();
    await at(page, /^\/social-care\/fgdm-offers\/[0-9a-f-]{36}\/response$/);
    await page.getByRole('radio', { name: 'Accepted' }).check();
    await fillDate(page, 'respondedOn', '2026-11-26');
    await submit(page, 'Save the answer');
    await at(page, ppPath);
    await page.getByRole('link', { name: 'Record a family group decision making meeting' }).click();
    await at(page, `${ppPath}/fgdm-meetings/new`);
    await fillDate(page, 'heldOn', '2026-11-30');
    await page.fill('#attendees', 'Jade, grandmother, aunt');
    await page.fill('#familyPlan', 'Grandmother stays three nights a week; the aunt does the school run.');
    await submit(page, 'Save the meeting');
    await at(page, ppPath);

    await meeting(page, ppPath, 'initial', '2026-12-01');
    await meeting(page, ppPath, 'review', '2026-12-03');
    expect(await page.locator('[data-testid="next-due"]').textContent()).toContain('Review meeting 2');

    await page.getByRole('link', { name: 'Record the decision to step up or down' }).click();
    await at(page, `${ppPath}/decision`);
    await fillDate(page, 'decidedOn', '2026-12-04');
    await page.check('input[name="decision"][value="step-down"]');
    await page.check('input[name="outcome"][value="B"]');
    await submit(page, 'Save the decision');
    await at(page, ppPath);
    const text = await mainText(page);
    expect(text).toContain('Step down from pre-proceedings, 4 December 2026');
    expect(await page.locator('[data-testid="census-items"]').textContent()).toMatch(/PPOutcome\s*B/);
  });
});
