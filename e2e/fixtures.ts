import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../src/kernel/access/index.ts';
import { DEMO_ACCOUNTS, demoEmail } from '../src/modules/admin/organisation.seed.ts';
import { systemClock, type Clock } from '../src/kernel/time/index.ts';
import { testDb } from '../test/support/test-db.ts';
import { testConfig } from '../test/support/test-app.ts';
import { TEST_PASSWORD } from '../test/support/template-seed.ts';
import type { DatabaseHandle } from '../src/db/database.ts';

/**
 * Browser journeys: the real app on a loopback port, a real database, Debian's Chromium driven by
 * playwright-core. Every page a journey visits is checked with axe (WCAG 2.2 AA rules): zero violations.
 */

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Journey {
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `clock`: a fixed clock for journeys whose deadlines must be deterministic (e.g. across a bank holiday). */
export async function startJourney(options: { config?: Record<string, string>; port?: number; clock?: Clock } = {}): Promise<Journey> {
  const handle = await testDb();
  const app = await buildApp({ config: testConfig(options.config), db: handle.db, clock: options.clock ?? systemClock, logger: false });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Playwright gives every launch a new, empty profile folder of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const contexts: BrowserContext[] = [];
  return {
    app,
    db: handle.db,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw new Error(`JavaScript error on ${page.url()}: ${error.message}`);
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await app.close();
      await handle.close();
    },
  };
}

/** Runs axe on the page as it is now and fails the test on any violation, listing them. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** Console messages that signal a broken page (e.g. a script blocked by the CSP). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export function demoAccountEmail(role: Role): string {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return demoEmail(account.email);
}

export async function signInWithPassword(page: Page, role: Role): Promise<void> {
  await page.goto('/sign-in');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(demoAccountEmail(role));
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
