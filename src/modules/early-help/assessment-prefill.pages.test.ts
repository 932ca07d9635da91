import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { autosaveFormOf } from '../../../test/builders/pages.ts';
import { anEarlyHelpEpisodeFromContact } from '../../../test/builders/early-help.ts';
import { firstRow, rowsOf } from '../../../test/builders/records.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';

/**
 * Issue 18 item 1 (c): a new early help assessment opens with what the front-door contact already says, each
 * prefilled answer marked with where it came from; nothing is saved until the worker saves, and edits are kept.
 */

const t = appForFile();
const { forAxe, capture } = axeCapture();

describe('a new early help assessment from a contact', () => {
  it('opens with the contact’s reason, household and professionals marked with their source; saving keeps edits', async () => {
    const receivedAt = new Date(t.clock.now().getTime() - 3 * 86_400_000);
    const { contact, episodeId } = await anEarlyHelpEpisodeFromContact(t.db, { receivedAt });
    const source = `From contact ${contact.reference} (${formatDateGovUk(isoDateOf(receivedAt))})`;
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episodeId}/assessment`;
    const page = await eh.get(url);
    expect(page.statusCode).toBe(200);
    capture('prefilled', 'early-help-practitioner', url, page);
    expect(page.$('#household__reason').text()).toContain('Rory has missed 12 days this term');
    expect(page.$('#household__reason-hint').text().trim()).toBe(source);
    expect(page.$('#household__professionals').text()).toContain(
      'Referrer: Anna Field, Designated safeguarding lead, Kew Riverside Primary',
    );
    expect(page.$('#household__professionals').text()).toContain(
      'School: Kew Riverside Primary (Rory Pemberton)',
    );
    expect(page.$('#household__professionals-hint').text().trim()).toBe(source);
    expect(page.$('#household__members__0__name').attr('value')).toBe('Jade Pemberton');
    expect(page.$('#household__members__0__relationship').attr('value')).toBe('Mother');
    expect(page.$('#household__members__2__name').attr('value')).toBe('Rory Pemberton');
    expect(page.$('#household__members').text()).toContain(source);
    expect(page.$('#household__network-hint').text()).not.toContain('From contact');
    // Nothing is saved by opening it.
    expect(await rowsOf(t.db, 'earlyHelpAssessments', { episodeId }, ['id'])).toEqual([]);

    const body = autosaveFormOf(page);
    expect(body.household__members__1__name).toBe('Liam Doyle');
    const saved = await eh.post(url, {
      ...body,
      household__reason: 'Rory has missed 12 days; mum asked for help with mornings.',
      household__members__1__relationship: 'Mum’s partner, lives here at weekends',
      action: 'draft',
    });
    expect(saved.statusCode).toBe(303);
    const stored = await firstRow(t.db, 'earlyHelpAssessments', { episodeId }, ['id', 'answers', 'version']);
    const answers = stored.answers as { household: Record<string, unknown> };
    expect(answers.household.reason).toBe('Rory has missed 12 days; mum asked for help with mornings.');
    expect(answers.household.members).toEqual([
      { name: 'Jade Pemberton', relationship: 'Mother' },
      { name: 'Liam Doyle', relationship: 'Mum’s partner, lives here at weekends' },
      { name: 'Rory Pemberton', relationship: 'Child' },
    ]);
    expect(String(answers.household.professionals)).toContain('Asked for information:');
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'early-help-assessment.saved', subjectId: stored.id }, [
        'action',
      ]),
    ).toHaveLength(1);

    // Reopened, the saved answers are shown (not the contact's again), without the markers.
    const reopened = await eh.get(url);
    expect(reopened.$('#household__reason').text()).toBe(
      'Rory has missed 12 days; mum asked for help with mornings.',
    );
    expect(reopened.$('main').text()).not.toContain('From contact');
  });

  it('is not shown to a partner agency user', async () => {
    const receivedAt = new Date(t.clock.now().getTime() - 2 * 86_400_000);
    const { episodeId } = await anEarlyHelpEpisodeFromContact(t.db, { receivedAt });
    const partner = await t.as('partner-agency-user');
    const res = await partner.get(`/early-help/episodes/${episodeId}/assessment`);
    expect([403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('Rory has missed 12 days');
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(1);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
