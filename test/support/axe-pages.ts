import { createHash } from 'node:crypto';
import type { CheerioAPI } from 'cheerio';
import type { OutgoingHttpHeaders } from 'node:http';
import axe from 'axe-core';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import {
  axeViolations,
  passedInThisRun,
  recordPassed,
  shapeHash,
  sharedChromium,
} from '../../e2e/fixtures.ts';

/** A page as the server answered it (app.inject), to be checked in a browser. */
export interface CapturedPage {
  /** Who got it (for the report). */
  who: string;
  url: string;
  body: string;
  headers: OutgoingHttpHeaders;
}

/**
 * The pages a test file collects for one axe run at its end:
 *
 *   const { forAxe, capture } = axeCapture();
 *   capture('form', 'team-manager', url, res);
 *   …
 *   expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
 */
export function axeCapture() {
  const forAxe = new Map<string, CapturedPage>();
  const capture = (
    kind: string,
    who: string,
    url: string,
    res: { body: string; headers: OutgoingHttpHeaders },
  ) => forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
  return { forAxe, capture };
}

const ORIGIN = 'http://threshold.axe.invalid';

/** Response headers as the browser should get them (no cookies: every page here is fulfilled, not fetched). */
function plainHeaders(headers: OutgoingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (
      value === undefined ||
      ['set-cookie', 'content-length', 'transfer-encoding', 'connection'].includes(name)
    )
      continue;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * Loads each captured page in Debian's Chromium exactly as the server gave it (its HTML and headers, the CSP
 * included), with its styles, script and images fetched from the app through app.inject (no port is opened), and
 * runs axe with the journeys' rules (e2e/fixtures.ts). Returns one line per violation or script error.
 */
export async function axeCapturedPages(
  app: FastifyInstance,
  pages: Iterable<[string, CapturedPage]>,
  options: { onPage?: (kind: string, ms: number) => void } = {},
): Promise<string[]> {
  return inChromium(app, pages, {}, async (page, kind, captured) => {
    const started = Date.now();
    // A page built the same way as one axe has passed in this run (here or in a journey) gets the same result.
    const shape = await shapeHash(page);
    if (passedInThisRun(shape)) return [];
    const findings = (await axeViolations(page)).map(
      (v) => `${kind} (${captured.who}, ${captured.url}): ${v}`,
    );
    if (!findings.length) recordPassed(shape);
    options.onPage?.(kind, Date.now() - started);
    return findings;
  });
}

/**
 * Loads each captured page in Chromium at a phone's width (390 px by default) and names each page wider than the
 * screen: one that makes the reader scroll sideways (WCAG 1.4.10, reflow).
 */
export async function pagesWiderThanScreen(
  app: FastifyInstance,
  pages: Iterable<[string, CapturedPage]>,
  width = 390,
): Promise<string[]> {
  return inChromium(app, pages, { viewport: { width, height: 844 } }, async (page, kind, captured) => {
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    if (scrollWidth <= width) return [];
    // The innermost elements that stick out, to say what to fix.
    const culprits = await page.evaluate(`[...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > ${width} && ![...e.children].some((c) => c.getBoundingClientRect().right > ${width}))
      .slice(0, 3)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))
      .join(', ')`);
    return [`${kind} (${captured.url}) is ${scrollWidth} px wide at ${width} px: ${String(culprits)}`];
  });
}

/**
 * Each captured page in Chromium (two tabs at once, in a browser context of its own in the worker's shared browser),
 * `visit` returning its findings; plus any script error.
 */
async function inChromium(
  app: FastifyInstance,
  pages: Iterable<[string, CapturedPage]>,
  options: { viewport?: { width: number; height: number } },
  visit: (page: Page, kind: string, captured: CapturedPage) => Promise<string[]>,
): Promise<string[]> {
  const browser = await sharedChromium();
  const findings: string[] = [];
  const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
  try {
    await context.addInitScript({ content: axe.source });
    const assets = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
    const queue = [...pages];
    // Two tabs at once: while one runs in the browser, the other's answer and assets come from the app.
    const tab = async () => {
      const page = await context.newPage();
      let next: CapturedPage | null = null;
      await page.route('**/*', async (route) => {
        const request = route.request();
        if (request.isNavigationRequest() && next) {
          const { body, headers } = next;
          next = null;
          return route.fulfill({ status: 200, headers: plainHeaders(headers), body });
        }
        const url = new URL(request.url());
        if (url.origin !== ORIGIN || request.method() !== 'GET') return route.abort();
        const path = url.pathname + url.search;
        let asset = assets.get(path);
        if (!asset) {
          const res = await app.inject({ method: 'GET', url: path });
          asset = { status: res.statusCode, headers: plainHeaders(res.headers), body: res.rawPayload };
          assets.set(path, asset);
        }
        return route.fulfill(asset);
      });
      page.on('pageerror', (error) => findings.push(`JavaScript error on ${page.url()}: ${error.message}`));
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [kind, captured] = item;
        next = captured;
        await page.goto(ORIGIN + captured.url, { waitUntil: 'load', timeout: 20_000 });
        findings.push(...(await visit(page, kind, captured)));
      }
    };
    await Promise.all([tab(), tab()]);
  } finally {
    await context.close();
  }
  return findings;
}

/**
 * How a page is built, for axe: every element of the body with its tag, classes and other attributes (their
 * values where they shape the page, e.g. type or role; only their presence for ids, links and values) and
 * whether it has text of its own, not what the text says.
 */
export function pageShape($: CheerioAPI): string {
  const presenceOnly = new Set([
    'id',
    'href',
    'action',
    'value',
    'for',
    'aria-describedby',
    'aria-controls',
    'name',
    'content',
    'nonce',
    'datetime',
    'title',
    'placeholder',
    'data-module-id',
    'data-csrf', // the layout's script carries the request's CSRF token, new on every page
  ]);
  const lines: string[] = [];
  $('body *').each((_, el) => {
    if (el.type !== 'tag') return;
    const attrs = Object.entries(el.attribs)
      .map(([name, value]) => (presenceOnly.has(name) ? name : `${name}=${value}`))
      .sort()
      .join(' ');
    const text = el.children.some((c) => c.type === 'text' && c.data.trim() !== '');
    lines.push(`${el.tagName} ${attrs}${text ? ' +text' : ''}`);
  });
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
