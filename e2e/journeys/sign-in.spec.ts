import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/modules/identity/totp.ts';
import {
  collectConsoleErrors,
  demoAccountEmail,
  expectAccessible,
  journeyForFile,
  signInWithPassword,
} from '../fixtures.ts';
import { TEST_PASSWORD } from '../../test/support/template-seed.ts';

const journey = journeyForFile();

describe('signing in', () => {
  it('a social worker signs in with a password, sees their home page and signs out', async () => {
    const page = await journey.newPage();
    const consoleErrors = collectConsoleErrors(page);
    await page.goto('/');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await signInWithPassword(page, 'social-worker');
    await page.waitForURL((url) => url.pathname === '/');
    await expect(page.getByRole('heading', { level: 1 })).toBeDefined();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your work');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Sian Walker' }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    expect(await page.locator('h1').textContent()).toBe('Your account');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(await page.locator('.govuk-inset-text').textContent()).toContain('You have signed out');
    expect(consoleErrors).toEqual([]);
  });

  it('a wrong password shows the GOV.UK error summary linked to the field, and keeps the email typed', async () => {
    const page = await journey.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('nobody@demo.threshold.test');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Enter a correct email address and password');
    expect(await page.getByLabel('Email address').inputValue()).toBe('nobody@demo.threshold.test');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page);
  });

  it('an administrator must set up an authenticator app, then signs in with password and code', async () => {
    const page = await journey.newPage();
    await signInWithPassword(page, 'system-administrator');
    await page.waitForURL((url) => url.pathname === '/sign-in/set-up-two-factor');
    await expectAccessible(page);
    const secret = (await page.locator('[data-totp-secret]').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('Security code').fill(await totpCodeAt(secret, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your authenticator app is set up',
    );
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');

    // Next time: password, then a code. A code already used is refused (replay), so use the next time step's code,
    // which the one-step drift allowance accepts: what an authenticator app shows a moment later.
    await page.getByLabel('Email address').fill(demoAccountEmail('system-administrator'));
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in/two-factor');
    await expectAccessible(page);
    await page
      .getByLabel('Enter the security code from your authenticator app')
      .fill(await totpCodeAt(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.locator('h1').textContent()).toBe('Your work');
  });

  it('unknown pages show the GOV.UK 404 page', async () => {
    const page = await journey.newPage();
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await expectAccessible(page);
  });
});

describe('idle time-out', () => {
  it('warns before signing out, and "Stay signed in" keeps the session', async () => {
    const page = await journey.newPage();
    await page.clock.install();
    await signInWithPassword(page, 'qa-officer');
    await page.waitForURL((url) => url.pathname === '/');
    const dialog = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    expect(await dialog.isVisible()).toBe(false);
    await page.clock.fastForward('25:30');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('.app-session-timeout__remaining').textContent()).toBe('5 minutes');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Doing nothing after the warning signs the user out and sends them to sign in.
    await page.clock.fastForward('30:30');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('timedOut')).toBe('1');
    await page.getByText('Your session ended').waitFor();
  });

  it('typing keeps the session alive, and a warning never takes the focus from a field', async () => {
    const page = await journey.newPage();
    await page.clock.install();
    await signInWithPassword(page, 'social-worker');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/people');
    const field = page.locator('main input.govuk-input').first();
    const dialog = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    // Twenty minutes in, the user types: that is activity, and the session is kept alive on the server.
    await page.clock.fastForward('20:00');
    // The page restarts its own idle clock when the server answers, so wait for the answer (not only the request).
    const keepAlive = page.waitForResponse(
      (r) => r.url().endsWith('/session/extend') && r.request().method() === 'POST' && r.ok(),
    );
    await field.click();
    await page.keyboard.type('Al');
    await keepAlive;
    await page.evaluate('0'); // a later task: the answer's handler has run
    // Another twenty minutes (forty since the page opened): no warning, because typing reset the clock.
    await page.clock.fastForward('20:00');
    expect(await dialog.isVisible()).toBe(false);
    // Idle until the warning: it appears, but the focus stays in the field the user was typing in.
    await page.clock.fastForward('05:30');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe(
      await field.getAttribute('id'),
    );
    expect(await page.locator('#session-timeout-announce').textContent()).toContain(
      'Typing keeps you signed in',
    );
    await expectAccessible(page);
    // Typing again answers the warning.
    await page.keyboard.type('ex');
    await dialog.waitFor({ state: 'hidden' });
    expect(await field.inputValue()).toBe('Alex');
  });
});
