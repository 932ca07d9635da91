import { createHash } from 'node:crypto';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
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

let launched: Promise<Browser> | undefined;

/**
 * Debian's Chromium, launched once per test worker and shared by every journey and captured-page check the worker
 * runs (the db, pages and e2e projects keep one worker's modules between files: `isolate: false`). Each user gets a
 * browser context of its own (its own cookies, storage and cache), closed when done, so nothing carries over from
 * one file to the next; only the browser process, whose launch cost about a second of processor time a file, is
 * kept. Playwright closes it when the worker exits; it is launched again if it has gone.
 */
export function sharedChromium(): Promise<Browser> {
  launched ??= chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    })
    .then((browser) => {
      browser.on('disconnected', () => (launched = undefined));
      return browser;
    });
  launched.catch(() => (launched = undefined));
  return launched;
}

export interface Journey {
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `clock`: a fixed clock for journeys whose deadlines must be deterministic (e.g. across a bank holiday). */
export async function startJourney(
  options: { config?: Record<string, string>; port?: number; clock?: Clock } = {},
): Promise<Journey> {
  const handle = await testDb();
  const app = await buildApp({
    config: testConfig(options.config),
    db: handle.db,
    clock: options.clock ?? systemClock,
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await sharedChromium();
  const contexts: BrowserContext[] = [];
  return {
    app,
    db: handle.db,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage() {
      const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
      // axe-core on every page from the start, so expectAccessible need not send it over for each check.
      await context.addInitScript({ content: axe.source });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw new Error(`JavaScript error on ${page.url()}: ${error.message}`);
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await app.close();
      await handle.close();
    },
  };
}

/**
 * The page's structure as axe sees it: every element with its attributes and whether it has text of its own,
 * ignoring what differs between two visits to the same page in the same state (text, ids of records in links and
 * names, typed values, nonces and CSRF tokens). Two pages with the same shape get the same axe result, so a shape
 * already checked in this journey is not checked again: the journeys still check every distinct page and state
 * (a new row, message, error or field changes the shape), in a fraction of the time.
 */
export function pageShape(page: Page): Promise<string> {
  // A string, run in the browser (this project's TypeScript has no DOM types).
  return page.evaluate<string>(`(() => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    // data-csrf: the layout's script carries the request's CSRF token, new on every page.
    const ignored = ['nonce', 'value', 'content', 'datetime', 'data-csrf'];
    const presenceOnly = ['href', 'action', 'src', 'title', 'placeholder'];
    const lines = [];
    const walk = (el, depth) => {
      const attrs = [...el.attributes]
        .filter((a) => !ignored.includes(a.name))
        .map((a) => (presenceOnly.includes(a.name) ? a.name : a.name + '=' + a.value.replace(uuid, '#')))
        .sort()
        .join(' ');
      const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent || '').trim() !== '');
      lines.push(depth + '<' + el.tagName + ' ' + attrs + (text ? ' +text' : '') + '>');
      for (const child of el.children) walk(child, depth + 1);
    };
    walk(document.documentElement, 0);
    lines.push('viewport ' + window.innerWidth + 'x' + window.innerHeight);
    return lines.join('\\n');
  })()`);
}

const checkedShapes = new Set<string>();

/**
 * Shapes that passed axe anywhere in this test run (journeys and the page tests that check captured pages in
 * Chromium): the global set-up gives every test file one folder, and a passed shape is an empty file named by its
 * hash. The sign-in page and each role's home page, for instance, are checked once a run instead of once a file. Only
 * passes are shared: a shape with violations is checked, and fails, wherever it appears.
 */
function passedDir(): string | undefined {
  try {
    return inject('axePassedDir') || undefined;
  } catch {
    return undefined; // outside a test run with the global set-up
  }
}

export async function shapeHash(page: Page): Promise<string> {
  return createHash('sha256')
    .update(await pageShape(page))
    .digest('hex');
}

export function passedInThisRun(shape: string): boolean {
  const dir = passedDir();
  return dir !== undefined && fs.existsSync(path.join(dir, shape));
}

export function recordPassed(shape: string): void {
  const dir = passedDir();
  if (dir) fs.writeFileSync(path.join(dir, shape), '');
}

/**
 * The one axe finding left in place on purpose: GOV.UK Frontend's script sets `aria-expanded` on a radio or
 * checkbox that reveals a conditional question. ARIA 1.2 does not list that attribute for radios, so axe reports
 * aria-allowed-attr; the GOV.UK Design System keeps it because screen readers announce it and research with their
 * users found it helps (alphagov/govuk-frontend#979, listed as a known issue). Only that exact case is excused: the
 * input is a GOV.UK radio or checkbox controlling a conditional reveal and aria-expanded is the only attribute axe
 * objects to. Run in the page, as a string.
 */
const KNOWN_GOVUK_ISSUE = `(v, n) => {
  if (v.id !== 'aria-allowed-attr') return false;
  const el = document.querySelector(n.target.join(' '));
  if (!el || !el.matches('.govuk-radios__input[aria-controls], .govuk-checkboxes__input[aria-controls]')) return false;
  const objections = [...n.any, ...n.all, ...n.none].flatMap((c) => (Array.isArray(c.data) ? c.data : []));
  return objections.length > 0 && objections.every((d) => String(d).startsWith('aria-expanded'));
}`;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe's violations on the page as it is now (WCAG 2.2 AA and best practice), one line each; [] when there are none. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  const violations = await page.evaluate<Violation[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })
    .then((r) => r.violations
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !(${KNOWN_GOVUK_ISSUE})(v, n)) }))
      .filter((v) => v.nodes.length)
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join(', ')}`);
}

/**
 * Runs axe on the page as it is now and fails the test on any violation, listing them. axe-core is injected into
 * the page and run directly: @axe-core/playwright's builder does the same plus frame handling and a second blank
 * page per run, which took two-thirds of every journey's time and bought nothing here (Threshold has no frames).
 */
export async function expectAccessible(page: Page): Promise<void> {
  const started = Date.now();
  // After a form posted to the same URL, the URL already matches while the next page loads: wait for its content.
  await page.waitForLoadState('load');
  await page.locator('main').first().waitFor({ state: 'attached' });
  const shape = await shapeHash(page);
  const seen = checkedShapes.has(shape) || passedInThisRun(shape);
  if (process.env.E2E_PROFILE)
    console.log(`shape ${Date.now() - started} ms ${seen ? 'seen' : 'new'} ${page.url()}`);
  if (seen) return;
  const summary = await axeViolations(page);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  checkedShapes.add(shape);
  recordPassed(shape);
  if (process.env.E2E_PROFILE) console.log(`axe ${Date.now() - started} ms ${page.url()}`);
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

/** Signs in on the sign-in page (checked with axe) as the account with this email and the test password. */
export async function signInWithEmail(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInWithPassword(page: Page, role: Role): Promise<void> {
  await signInWithEmail(page, demoAccountEmail(role));
}

/**
 * The journey of the test file's own (startJourney), started before its tests and closed after them, the set-up
 * every journey shares; with `page`, one browser page opened for the whole file, its console errors collected.
 * Call it at the top of the file, before any beforeAll that uses it.
 *
 *   const journey = journeyForFile({ clock, page: true });
 *   it('…', async () => {
 *     await signInWithPassword(journey.page, 'social-worker');
 *   });
 */
export function journeyForFile(
  options: Parameters<typeof startJourney>[0] & { page?: boolean; timeout?: number } = {},
): Journey & { readonly page: Page; readonly consoleErrors: string[] } {
  let started: { journey: Journey; page?: Page; consoleErrors: string[] } | undefined;
  beforeAll(async () => {
    const journey = await startJourney(options);
    const page = options.page ? await journey.newPage() : undefined;
    started = { journey, page, consoleErrors: page ? collectConsoleErrors(page) : [] };
  }, options.timeout);
  afterAll(async () => {
    await started?.journey.close();
  });
  const open = () => {
    if (!started) throw new Error('journeyForFile: the journey starts in beforeAll, so use it inside a test');
    return started;
  };
  return {
    get app() {
      return open().journey.app;
    },
    get db() {
      return open().journey.db;
    },
    get baseUrl() {
      return open().journey.baseUrl;
    },
    get browser() {
      return open().journey.browser;
    },
    get page() {
      const { page } = open();
      if (!page) throw new Error('journeyForFile: pass { page: true } for a page of the whole file');
      return page;
    },
    get consoleErrors() {
      return open().consoleErrors;
    },
    newPage: () => open().journey.newPage(),
    close: () => open().journey.close(),
  };
}

/** Waits for the browser to reach the path (or a path matching the pattern), without running axe. */
export async function reached(page: Page, path: string | RegExp): Promise<void> {
  await page.waitForURL((url) =>
    typeof path === 'string' ? url.pathname === path : path.test(url.pathname),
  );
}

/** Waits for the browser to reach the path (or a path matching the pattern) and checks the page with axe. */
export async function at(page: Page, path: string | RegExp): Promise<void> {
  await reached(page, path);
  await expectAccessible(page);
}

/** The text of the page's main element, white space collapsed. */
export const mainText = async (page: Page): Promise<string> =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

/** Presses the button with exactly this name. */
export const submit = async (page: Page, name: string): Promise<void> =>
  page.getByRole('button', { name, exact: true }).click();

/** Types an ISO date into a GOV.UK date input's three fields. */
export async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${name}-day`, String(Number(d)));
  await page.fill(`#${name}-month`, String(Number(m)));
  await page.fill(`#${name}-year`, y!);
}

/**
 * Counts the fields a user types (issue 18: each fact is typed once). Wraps fill(): each text field typed is one,
 * and a date is one fact however many boxes it has. Choices (radios, checkboxes, selects) are not typing and are not
 * counted. A journey asserts `typed` against the facts that were not already on the record.
 */
export function typingCounter() {
  const typed: string[] = [];
  return {
    /** What was typed, by field, in order. */
    typed,
    async fill(page: Page, target: string | Locator, value: string): Promise<void> {
      const locator = typeof target === 'string' ? page.locator(target) : target;
      await locator.fill(value);
      typed.push(
        typeof target === 'string'
          ? target.replace(/^#/, '')
          : ((await locator.getAttribute('name')) ?? String(target)),
      );
    },
    async fillDate(page: Page, name: string, iso: string): Promise<void> {
      await fillDate(page, name, iso);
      typed.push(name);
    },
  };
}
