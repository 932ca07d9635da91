import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, startJourney, type Journey } from '../fixtures.ts';
import { freePort, startOidcProvider, type TestOidcProvider } from '../oidc-provider.ts';

/** Council sign-in with OpenID Connect against a real provider on loopback. */

let journey: Journey;
let provider: TestOidcProvider;

beforeAll(async () => {
  const appPort = await freePort();
  const redirectUri = `http://127.0.0.1:${appPort}/sign-in/oidc/callback`;
  provider = await startOidcProvider(redirectUri);
  journey = await startJourney({
    port: appPort,
    config: {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URI: redirectUri,
      OIDC_ALLOW_INSECURE: 'true',
      OIDC_LABEL: 'Sign in with your council account',
    },
  });
});
afterAll(async () => {
  await journey?.close();
  await provider?.close();
});

async function signInAtProvider(page: Page, login: string) {
  await page.goto('/sign-in');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign in with your council account' }).click();
  await page.waitForURL((url) => url.port !== new URL(journey.baseUrl).port);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  // The provider may ask for consent first; either way we end up back at Threshold.
  const appOrigin = journey.baseUrl;
  for (let i = 0; i < 50 && new URL(page.url()).origin !== appOrigin; i++) {
    const consent = page.getByRole('button', { name: 'Continue' });
    if (await consent.isVisible().catch(() => false)) await consent.click();
    else await page.waitForTimeout(200);
  }
}

describe('council sign-in (OpenID Connect)', () => {
  it('a social worker signs in through the council provider and lands on their home page', async () => {
    const page = await journey.newPage();
    await signInAtProvider(page, 'social.worker@demo.threshold.test');
    await page.waitForURL((url) => url.origin === journey.baseUrl && url.pathname === '/');
    expect(await page.locator('h1').textContent()).toBe('Your work');
    await expectAccessible(page);
    const user = await journey.db
      .selectFrom('users')
      .select(['oidcSubject', 'oidcIssuer'])
      .where('email', '=', 'social.worker@demo.threshold.test')
      .executeTakeFirstOrThrow();
    expect(user.oidcSubject).toBe('social.worker@demo.threshold.test');
    expect(user.oidcIssuer).toBe(provider.issuer);
    const audited = await journey.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'sign-in.succeeded')
      .execute();
    expect(audited.some((a) => (a.details as { method?: string }).method === 'oidc')).toBe(true);
  });

  it('someone the council knows but Threshold does not is refused, and the refusal is audited', async () => {
    const page = await journey.newPage();
    await signInAtProvider(page, 'stranger@council.example');
    await page.waitForURL(
      (url) => url.origin === journey.baseUrl && url.pathname === '/sign-in/oidc/callback',
    );
    expect(await page.locator('h1').textContent()).toBe('You could not be signed in');
    expect(await page.locator('main').textContent()).toContain('not set up to use Threshold');
    await expectAccessible(page);
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const failures = await journey.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'sign-in.failed')
      .execute();
    expect(failures.map((f) => (f.details as { reason?: string }).reason)).toContain('no-matching-account');
  });
});
