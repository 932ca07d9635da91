import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import { teamId, userFor, withCensusDetails } from '../../../test/builders/social-care.ts';
import { createContact } from '../front-door/contact.service.ts';
import { decideContact } from '../front-door/decision.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

/**
 * A referral to social care opened by the front door's authorisation page: the census rules on the child's own
 * details apply there too. An error (no disability recorded, rule 8540) refuses the authorisation; a query (both a
 * date of birth and an expected one, 8525Q) shows a warning with a box the manager ticks to confirm.
 */

const t = appForFile();

const summary = (res: TestResponse) => res.$('.govuk-error-summary').text();
const links = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();

async function contactAwaitingAuthorisation(childId: string): Promise<string> {
  const officer = await userFor(t.db, 'contact-officer');
  const mash = await userFor(t.db, 'mash-practitioner');
  const la = await valueOf(t.db, 'people', { id: childId }, 'localAuthorityId');
  const now = t.clock.now();
  return t.db.transaction().execute(async (trx) => {
    const c = await createContact(serviceContext(trx, officer, now, t.app.services.calendar), {
      localAuthorityId: la,
      channel: 'phone',
      referralSource: '3E',
      referrer: {},
      concernCategories: ['neglect'],
      reason: 'School worried about weight loss and missed meals',
      consent: 'given',
      urgency: 'urgent',
      children: [{ personId: childId }],
    });
    await decideContact(serviceContext(trx, mash, now), {
      contactId: c.id,
      levelOfNeed: 'level-3',
      outcome: 'social-care',
      rationale: 'Needs an assessment',
      referrerFeedback: 'Passed to social care',
    });
    return c.id;
  });
}

describe('the front door’s authorisation opens the referral under the census rules', () => {
  it('refuses a child with no disability recorded (8540); asks the manager to confirm a census query (8525Q), then opens it', async () => {
    const child = await aChild(t.db, { givenName: 'Cass', familyName: 'Query', dateOfBirth: '2019-04-01' });
    const contactId = await contactAwaitingAuthorisation(child.id);
    const manager = await t.as('mash-manager');
    const url = `/front-door/contacts/${contactId}/authorisation`;
    const form = {
      action: 'authorise',
      rationale: 'Agree: an assessment is needed',
      teamId: await teamId(t.db, 'Assessment Team'),
      version: (await manager.get(url)).$('input[name="version"]').val() as string,
    };

    const refused = await manager.post(url, form);
    expect(refused.statusCode).toBe(400);
    expect(summary(refused)).toContain(
      'Cass Query: Record the child’s disabilities on their record, or “No disability” (rule 8540)',
    );
    expect(await rowsOf(t.db, 'cinEpisodes', { childId: child.id }, ['id'])).toEqual([]);

    await withCensusDetails(t.db, child.id);
    await t.db
      .updateTable('people')
      .set({ expectedDateOfBirth: '2019-04-10' })
      .where('id', '=', child.id)
      .execute();
    const query = await manager.post(url, form);
    expect(query.statusCode).toBe(400);
    expect(links(query)).toEqual(['#confirmCensusQueries']);
    expect(summary(query)).toContain('(query 8525Q)');
    expect(query.$('input[type="checkbox"][name="confirmCensusQueries"]').length).toBe(1);
    expect(query.$('#rationale').val()).toBe('Agree: an assessment is needed');
    expect(await rowsOf(t.db, 'cinEpisodes', { childId: child.id }, ['id'])).toEqual([]);

    const done = await manager.post(url, { ...form, confirmCensusQueries: 'yes' });
    expect(done.statusCode).toBe(303);
    const episode = await firstRow(t.db, 'cinEpisodes', { childId: child.id }, [
      'id',
      'referralSource',
      'sourceContactId',
    ]);
    expect(episode).toMatchObject({ referralSource: '3E', sourceContactId: contactId });
    expect(
      await rowsOf(t.db, 'censusQueryExplanations', { episodeId: episode.id }, ['rule', 'explanation']),
    ).toEqual([
      { rule: '8525Q', explanation: 'Checked and confirmed as right when the referral was opened' },
    ]);
  });
});
