import { describe, expect, it } from 'vitest';

import { totpCodeAt } from '../../src/modules/identity/totp.ts';
import { at, demoAccountEmail, expectAccessible, journeyForFile, signInWithPassword } from '../fixtures.ts';

/**
 * The system administrator: signs in with a password and an authenticator app, adds a user with two
 * roles, changes a team's manager, then finds both changes in the audit trail. Axe on every page.
 */

const journey = journeyForFile({ page: true });
let userId: string;
// Axe on every journey.page is slow on a busy machine: allow each step a few minutes.
const STEP_TIMEOUT = 240_000;

describe('administration: an administrator adds a user with two roles, changes a team’s manager and finds both in the audit trail', () => {
  it(
    'signs in with a password and sets up an authenticator app, then reaches administration',
    async () => {
      // Administrators must set up an authenticator app first.
      await signInWithPassword(journey.page, 'system-administrator');
      await at(journey.page, '/sign-in/set-up-two-factor');
      const secret = (await journey.page.locator('[data-totp-secret]').textContent())!.replace(/\s+/g, '');
      await journey.page.getByLabel('Security code').fill(await totpCodeAt(secret, new Date()));
      await journey.page.getByRole('button', { name: 'Continue' }).click();
      await at(journey.page, '/');

      // The service navigation leads to administration.
      await journey.page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await at(journey.page, '/admin');
      expect(await journey.page.locator('h1').textContent()).toBe('Administration');
    },
    STEP_TIMEOUT,
  );

  it(
    'adds a user with two roles',
    async () => {
      await journey.page.getByRole('link', { name: 'Users', exact: true }).click();
      await at(journey.page, '/admin/users');
      await journey.page.getByRole('button', { name: 'Add a user' }).click();
      await at(journey.page, '/admin/users/new');
      // Sending it empty shows the error summary first.
      await journey.page.getByRole('button', { name: 'Add user' }).click();
      await journey.page.locator('.govuk-error-summary').waitFor();
      expect(await journey.page.title()).toMatch(/^Error: Add a user/);
      await expectAccessible(journey.page);
      await journey.page.getByLabel('Full name').fill('Rowan Achterberg');
      await journey.page.getByLabel('Email address').fill('rowan.achterberg@demo.threshold.test');
      await journey.page.getByLabel('Job title (optional)').fill('Advanced practitioner');
      await journey.page.getByLabel('A local authority’s children’s services').check();
      await journey.page
        .getByLabel('Local authority', { exact: true })
        .selectOption({ label: 'Richmond upon Thames (318)' });
      await journey.page
        .getByLabel('Team (optional)')
        .selectOption({ label: 'Child Protection Team – Richmond upon Thames' });
      await journey.page.getByLabel('Social worker', { exact: true }).check();
      await journey.page.getByLabel('Team manager', { exact: true }).check();
      await journey.page.getByLabel('With a password I give them').check();
      await journey.page
        .getByLabel('Initial password (if they sign in with a password)')
        .fill('rowan starts on monday');
      await expectAccessible(journey.page);
      await journey.page.getByRole('button', { name: 'Add user' }).click();
      await journey.page.waitForURL((url) => /^\/admin\/users\/[0-9a-f-]{36}$/.test(url.pathname));
      await expectAccessible(journey.page);
      userId = new URL(journey.page.url()).pathname.split('/').pop()!;
      expect(await journey.page.locator('.govuk-notification-banner').textContent()).toContain(
        'Rowan Achterberg has been added',
      );
      const roles = await journey.page.locator('main').textContent();
      expect(roles).toContain('Social worker');
      expect(roles).toContain('Team manager');
    },
    STEP_TIMEOUT,
  );

  it(
    'makes them the Child Protection Team’s manager',
    async () => {
      await journey.page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await at(journey.page, '/admin');
      await journey.page.getByRole('link', { name: 'Teams', exact: true }).click();
      await at(journey.page, '/admin/teams');
      await journey.page.getByRole('link', { name: 'Change Child Protection Team' }).click();
      await journey.page.waitForURL((url) => url.pathname.endsWith('/edit'));
      await expectAccessible(journey.page);
      await journey.page.getByLabel('Manager (optional)').selectOption({
        label: 'Rowan Achterberg, Advanced practitioner (rowan.achterberg@demo.threshold.test)',
      });
      await journey.page.getByRole('button', { name: 'Save changes' }).click();
      await at(journey.page, '/admin/teams');
      expect(await journey.page.locator('.govuk-notification-banner').textContent()).toContain(
        'Child Protection Team has been changed',
      );
      const row = journey.page.locator('tbody tr', { hasText: 'Child Protection Team' });
      expect(await row.locator('td').nth(2).textContent()).toContain('Rowan Achterberg');
    },
    STEP_TIMEOUT,
  );

  it(
    'finds both changes in the audit trail, and downloads them as a CSV file',
    async () => {
      await journey.page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await at(journey.page, '/admin');
      await journey.page.getByRole('link', { name: 'Audit trail', exact: true }).click();
      await at(journey.page, '/admin/audit-trail');
      await journey.page
        .getByLabel('Who (email address contains)')
        .fill(demoAccountEmail('system-administrator'));
      await journey.page.getByLabel('Action').fill('user.');
      await journey.page.getByRole('button', { name: 'Search' }).click();
      await journey.page.waitForURL((url) => url.searchParams.get('action') === 'user.');
      await expectAccessible(journey.page);
      const created = journey.page.locator('tbody tr', { hasText: 'user.created' });
      expect(await created.count()).toBe(1);
      expect(await created.textContent()).toContain(userId);
      expect(await created.textContent()).toContain('rowan.achterberg@demo.threshold.test');

      await journey.page.getByLabel('Action').fill('team.updated');
      await journey.page.getByRole('button', { name: 'Search' }).click();
      await journey.page.waitForURL((url) => url.searchParams.get('action') === 'team.updated');
      await expectAccessible(journey.page);
      const teamChange = journey.page.locator('tbody tr', { hasText: 'team.updated' });
      expect(await teamChange.count()).toBe(1);
      expect(await teamChange.textContent()).toContain('after.managerUserId');
      expect(await teamChange.textContent()).toContain(userId);

      // The export is a real file download of the same search.
      const [download] = await Promise.all([
        journey.page.waitForEvent('download'),
        journey.page.getByRole('link', { name: 'Download these events as a CSV file' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await (await download.createReadStream())?.toArray();
      const text = Buffer.concat((csv ?? []) as Buffer[]).toString('utf8');
      expect(text.split('\r\n')[0]).toContain('seq,occurred_at');
      expect(text).toContain('team.updated');

      // The only console error is the browser noting the deliberate 400 from the empty form.
      expect(journey.consoleErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
      expect(journey.consoleErrors.filter((e) => e.includes('status of 400'))).toHaveLength(1);
    },
    STEP_TIMEOUT,
  );

  it(
    'reaches the front door’s settings and threshold continua, partner systems’ API credentials and the API docs',
    async () => {
      await journey.page.goto('/admin/front-door-settings');
      await expectAccessible(journey.page);
      expect(await journey.page.locator('h1').textContent()).toBe('Front-door settings');
      const continuum = journey.page.locator('main a[href^="/admin/front-door-settings/continua/"]').first();
      await continuum.click();
      await journey.page.waitForURL((url) =>
        /^\/admin\/front-door-settings\/continua\/[0-9a-f-]{36}$/.test(url.pathname),
      );
      await expectAccessible(journey.page);
      await journey.page.goto('/admin/front-door-settings/continua/new');
      await expectAccessible(journey.page);

      await journey.page.goto('/admin/api-clients');
      await expectAccessible(journey.page);
      await journey.page.goto('/admin/api-clients/new');
      await expectAccessible(journey.page);

      await journey.page.goto('/api/docs');
      await expectAccessible(journey.page);
      expect(await journey.page.locator('main').textContent()).toContain('/api/v1/contacts');
    },
    STEP_TIMEOUT,
  );
});
