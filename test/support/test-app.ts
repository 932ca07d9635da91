import * as cheerio from 'cheerio';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Role } from '../../src/kernel/access/index.ts';
import { fixedClock, type FixedClock } from '../../src/kernel/time/index.ts';
import { DEMO_ACCOUNTS, demoEmail } from '../../src/modules/admin/organisation.seed.ts';
import { createSession, SESSION_COOKIE } from '../../src/modules/identity/session.service.ts';
import { testDb } from './test-db.ts';

/** A test clock: a Tuesday in term time, mid-morning in London. */
export const TEST_NOW = '2026-11-24T10:30:00Z';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    THRESHOLD_DEMO_DATA: 'false',
    ...overrides,
  });
}

export interface TestResponse extends LightMyRequestResponse {
  $: cheerio.CheerioAPI;
}

/** The value of the page's first `_csrf` input (every form renders one), without parsing the whole page. */
export function csrfTokenIn(html: string): string | undefined {
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g))
    if (/\sname="_csrf"/.test(tag)) return /\svalue="([^"]*)"/.exec(tag)?.[1] || undefined;
  return undefined;
}

/** Keeps cookies between requests and supplies the CSRF token, like a browser would. */
export class Agent {
  private cookies = new Map<string, string>();
  private csrf: string | null = null;
  /** Extra headers sent with every request (e.g. X-Forwarded-For, as a proxy would add). */
  headers: Record<string, string> = {};

  constructor(private readonly app: FastifyInstance) {}

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
    this.csrf = null;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private absorb(response: LightMyRequestResponse): TestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
      if (c.name === SESSION_COOKIE) this.csrf = null;
    }
    const isHtml = String(response.headers['content-type'] ?? '').includes('text/html');
    const token = isHtml ? csrfTokenIn(response.body) : undefined;
    if (token) this.csrf = token;
    // Parsed on first use: most answers (e.g. the authorisation matrix's thousands) are only checked for a status.
    let parsed: cheerio.CheerioAPI | undefined;
    return Object.defineProperty(response, '$', {
      get: () => (parsed ??= cheerio.load(isHtml ? response.body : '')),
      enumerable: true,
      configurable: true,
    }) as TestResponse;
  }

  async get(url: string): Promise<TestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { ...this.headers, cookie: this.cookieHeader() },
    });
    return this.absorb(response);
  }

  /** Posts a form as a browser would (urlencoded), fetching a CSRF token first if needed. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
    options: { csrf?: string | false } = {},
  ): Promise<TestResponse> {
    if (options.csrf === undefined && !this.csrf) await this.get(url);
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form))
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token) body.set('_csrf', token);
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        ...this.headers,
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body.toString(),
    });
    return this.absorb(response);
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  clock: FixedClock;
  config: Config;
  /** A signed-in browser for the demo account holding this role. */
  as(role: Role): Promise<Agent>;
  /** A signed-in browser for a given user id. */
  asUser(userId: string): Promise<Agent>;
  anonymous(): Agent;
  userId(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function testApp(
  options: { config?: Record<string, string>; now?: string } = {},
): Promise<TestApp> {
  const handle = await testDb();
  const config = testConfig(options.config);
  const clock = fixedClock(options.now ?? TEST_NOW);
  // TEST_LOG=error (or another pino level) shows the app's logs, e.g. the stack of an unexpected 500.
  const app = await buildApp({
    config,
    db: handle.db,
    clock,
    logger: process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false,
  });
  await app.ready();
  const userId = async (role: Role) => {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role);
    if (!account) throw new Error(`No demo account for ${role}`);
    const row = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', demoEmail(account.email))
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const asUser = async (id: string) => {
    const { token } = await createSession(handle.db, { userId: id, stage: 'active' }, clock.now(), config);
    const agent = new Agent(app);
    agent.setCookie(SESSION_COOKIE, token);
    return agent;
  };
  return {
    app,
    db: handle.db,
    clock,
    config,
    userId,
    asUser,
    as: async (role) => asUser(await userId(role)),
    anonymous: () => new Agent(app),
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

/**
 * The app of the test file's own (testApp), built before its tests and closed after them: the set-up every pages
 * test shares. Call it at the top of the file, before any beforeAll that uses it.
 *
 *   const t = appForFile();
 *   it('…', async () => {
 *     const res = await (await t.as('social-worker')).get('/');
 *   });
 */
export function appForFile(options: Parameters<typeof testApp>[0] = {}): TestApp {
  let opened: TestApp | undefined;
  beforeAll(async () => {
    opened = await testApp(options);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const open = (): TestApp => {
    if (!opened) throw new Error('appForFile: the app is built in beforeAll, so use it inside a test');
    return opened;
  };
  return {
    get app() {
      return open().app;
    },
    get db() {
      return open().db;
    },
    get clock() {
      return open().clock;
    },
    get config() {
      return open().config;
    },
    as: (role) => open().as(role),
    asUser: (userId) => open().asUser(userId),
    anonymous: () => open().anonymous(),
    userId: (role) => open().userId(role),
    close: () => open().close(),
  };
}
