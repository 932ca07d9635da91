import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { banner, errorHrefs, textOf } from '../../../test/builders/pages.ts';

/**
 * The worker's choice of the daily email about their overdue work, on their account page (issue 23, item 4): the
 * authority's default until they choose (OVERDUE_DIGEST_DEFAULT, on in tests), a versioned choice, audited.
 */

const t = appForFile();
const { forAxe, capture } = axeCapture();
const row = (res: Parameters<typeof textOf>[0]) =>
  textOf(res, '.govuk-summary-list__row:contains("Daily email about overdue work")');

describe('the daily email about overdue work, on the account page', () => {
  it('shows the default, asks again when no answer is chosen, saves the choice and refuses a stale page', async () => {
    const sw = await t.as('social-worker');
    const account = await sw.get('/account');
    expect(account.statusCode).toBe(200);
    expect(row(account)).toContain('Yes (the authority’s default)');
    expect(account.$('a[href="/account/overdue-digest"]').text()).toContain('Change');
    capture('account', 'social-worker', '/account', account);

    const form = await sw.get('/account/overdue-digest');
    expect(form.statusCode).toBe(200);
    expect(form.$('input[name="overdueDigest"]:checked').val()).toBe('yes');
    expect(form.$('input[name="version"]').val()).toBe('0');
    expect(form.$('main').text()).toContain('never says what the work is or who it is about');
    capture('form', 'social-worker', '/account/overdue-digest', form);

    const empty = await sw.post('/account/overdue-digest', { version: '0' });
    expect(empty.statusCode).toBe(400);
    expect(errorHrefs(empty)).toEqual(['#overdueDigest']);
    capture('error', 'social-worker', '/account/overdue-digest', empty);

    const saved = await sw.post('/account/overdue-digest', { overdueDigest: 'no', version: '0' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account');
    const after = await sw.get('/account');
    expect(banner(after)).toContain('You will not get a daily email about overdue work');
    expect(row(after)).toContain('No');
    expect(row(after)).not.toContain('default');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('action', '=', 'email-preferences.changed')
      .execute();
    expect(audit).toEqual([{ action: 'email-preferences.changed', details: { overdueDigest: false } }]);

    // The same form from a tab opened before the save: a conflict, nothing overwritten, the choice shown again.
    const stale = await sw.post('/account/overdue-digest', { overdueDigest: 'yes', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('input[name="version"]').val()).toBe('1');
    capture('conflict', 'social-worker', '/account/overdue-digest', stale);
    expect(row(await sw.get('/account'))).toContain('No');

    // Another worker still has the default.
    expect(row(await (await t.as('early-help-practitioner')).get('/account'))).toContain(
      'Yes (the authority’s default)',
    );
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(4);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
