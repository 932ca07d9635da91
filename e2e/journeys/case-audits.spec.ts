import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { anEarlyHelpEpisode } from '../../test/builders/early-help.ts';
import { userFor } from '../../test/builders/context.ts';
import { aChild } from '../../test/builders/people.ts';
import { aCinEpisode } from '../../test/builders/social-care.ts';
import { at, fillDate, journeyForFile, mainText, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Case audits end to end (issue 20), on a fixed clock (Tuesday 24 November 2026): a child stepped down to early help
 * on 10 November. The QA officer starts a thematic audit of step-downs, grades the audit and gives its moderation to
 * the principal social worker, who changes a grade with the reason and sets an action for the QA officer; the action
 * is on the QA officer's worktray, and the QA report shows the changed grade. axe runs on every page.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const STEP_TIMEOUT = 300_000;
const journey = journeyForFile({ clock, page: true, timeout: STEP_TIMEOUT });
const AREAS = ['frontDoor', 'assessment', 'planning', 'childsVoice', 'oversight', 'multiAgency', 'recording'];

beforeAll(async () => {
  // The step-down's social care episode (any child's will do for the criterion) and Noor's early help episode.
  const cin = await aCinEpisode(journey.db, { now: clock.now() });
  const noor = await aChild(journey.db, { givenName: 'Noor', familyName: 'Stepdown' });
  const { episode } = await anEarlyHelpEpisode(journey.db, {
    now: clock.now(),
    children: [noor],
    source: 'step-down',
  });
  const lead = await userFor(journey.db, 'early-help-practitioner');
  await journey.db
    .insertInto('earlyHelpStepDowns')
    .values({
      episodeId: episode.id,
      cinEpisodeId: cin.episodeId,
      handoverHeldOn: '2026-11-10',
      planSummary: 'Step down to early help with the family’s agreement',
      proposedLeadId: lead.id,
      recordedAt: clock.now(),
    })
    .execute();
}, STEP_TIMEOUT);

describe('case audits: a thematic audit of step-downs, moderated, with an action, in the QA report', () => {
  it(
    'runs from the programme to the QA report',
    async () => {
      const page = journey.page;
      await signInWithPassword(page, 'qa-officer');
      await page.goto('/case-audits/programmes/new');
      await at(page, '/case-audits/programmes/new');
      await page.check('input[name="kind"][value="thematic"]');
      await page.check('input[name="criterion"][value="step-downs"]');
      await fillDate(page, 'periodStart', '2026-10-01');
      await fillDate(page, 'periodEnd', '2026-11-23');
      await page.fill('#moderationPercent', '100');
      await fillDate(page, 'dueOn', '2026-12-31');
      await submit(page, 'Choose the children');
      await at(page, /^\/case-audits\/programmes\/[0-9a-f-]{36}$/);
      await page.getByRole('link', { name: 'Noor Stepdown' }).click();
      await at(page, /^\/case-audits\/audits\/[0-9a-f-]{36}$/);
      const auditPath = new URL(page.url()).pathname;
      for (const area of AREAS) {
        await page.check(`input[name="${area}__grade"][value="good"]`);
        await page.fill(`#${area}__evidence`, `The record shows it for ${area}`);
      }
      await page.fill('#impact__whatChanged', 'Noor is at school every day');
      await page.fill('#impact__evidence', 'Attendance from 70% to 96%');
      await page.fill('#reflection__workerReflection', 'The handover could have been sooner');
      await submit(page, 'Complete the audit');
      await at(page, auditPath);
      expect(await mainText(page)).toContain('no moderator assigned yet');
      await page.getByRole('link', { name: 'Assign the auditor or moderator' }).click();
      await at(page, `${auditPath}/assign`);
      await page.selectOption('#moderatorUserId', { label: 'Priya Sandhu' });
      await submit(page, 'Assign the moderator');
      await at(page, auditPath);

      const psw = await journey.newPage();
      await signInWithPassword(psw, 'principal-social-worker');
      await psw.goto(`${auditPath}/moderate`);
      await at(psw, `${auditPath}/moderate`);
      await psw.check('input[name="assessment__grade"][value="inadequate"]');
      await psw.fill('#assessment__reason', 'The risks are listed, not analysed');
      await submit(psw, 'Record the moderation');
      await at(psw, auditPath);
      expect(await psw.locator('[data-testid="grades"]').textContent()).toContain('The risks are listed');
      await psw.getByRole('link', { name: 'Set an action from this audit' }).click();
      await at(psw, `${auditPath}/actions/new`);
      await psw.check('input[name="level"][value="team"]');
      await psw.fill('#description', 'Team workshop on analysis in assessments');
      await psw.selectOption('#ownerId', { label: 'Quinn Abbott' });
      await fillDate(psw, 'dueOn', '2026-12-18');
      await submit(psw, 'Set the action');
      await at(psw, auditPath);

      await page.goto('/');
      await at(page, '/');
      expect(await mainText(page)).toContain('Team workshop on analysis in assessments');
      await page.goto('/case-audits/report');
      await at(page, '/case-audits/report');
      const assessmentRow = page.locator('[data-testid="table-by-area"] tbody tr', { hasText: 'Assessment' });
      expect(await assessmentRow.locator('td').nth(3).textContent()).toContain('1');
    },
    STEP_TIMEOUT,
  );
});
