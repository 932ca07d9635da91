import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../app.ts';
import { testDb } from '../../test/support/test-db.ts';
import { testConfig } from '../../test/support/test-app.ts';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/database.ts';
import * as cheerio from 'cheerio';

let handle: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  handle = await testDb();
  app = await buildApp({ config: testConfig({ BODY_LIMIT_BYTES: '2048' }), db: handle.db, logger: false });
  app.get('/test-only/boom', async () => {
    throw new Error('something broke with a child called Jane Doe');
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

describe('the web shell', () => {
  it('answers unknown routes with the GOV.UK 404 page', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere/at/all' });
    expect(res.statusCode).toBe(404);
    const $ = cheerio.load(res.body);
    expect($('h1').text()).toBe('Page not found');
    expect($('title').text()).toBe('Page not found – Threshold');
  });

  it('shows the 500 page with the request id and no internals', async () => {
    const res = await app.inject({ method: 'GET', url: '/test-only/boom' });
    expect(res.statusCode).toBe(500);
    const $ = cheerio.load(res.body);
    expect($('h1').text()).toBe('Sorry, there is a problem with the service');
    expect($('.app-request-id').text()).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toContain('Jane Doe');
    expect(res.body).not.toMatch(/at .+\.ts:\d+/);
  });

  it('answers an oversized body with 413 and a clear message', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${'a'.repeat(5000)}`,
    });
    expect(res.statusCode).toBe(413);
    expect(cheerio.load(res.body)('h1').text()).toBe('What you sent is too large');
  });

  it('answers a malformed or unsupported body with a 4xx page, never a 500', async () => {
    const json = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(json.statusCode).toBe(400);
    const xml = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(cheerio.load(xml.body)('h1').text()).toBe('There is a problem with the request');
  });

  it('sends security headers and a nonce-based content security policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/sign-in' });
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const $ = cheerio.load(res.body);
    $('script').each((_, s) => expect($(s).attr('nonce')).toBe(nonce));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('has the GOV.UK layout: skip link, header, service navigation, phase banner, footer', async () => {
    const $ = cheerio.load((await app.inject({ method: 'GET', url: '/sign-in' })).body);
    expect($('a.govuk-skip-link').attr('href')).toBe('#main-content');
    expect($('.govuk-generic-header').text()).toContain('Threshold');
    expect($('.govuk-service-navigation').length).toBe(1);
    expect($('.govuk-phase-banner').text()).toContain('Beta');
    expect($('footer.govuk-footer').length).toBe(1);
    expect($('main#main-content').length).toBe(1);
  });

  it('serves GOV.UK Frontend assets at /assets/ and /public/', async () => {
    expect((await app.inject({ method: 'GET', url: '/public/govuk-frontend.min.css' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/public/govuk-frontend.min.js' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/assets/images/favicon.ico' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/public/template.njk' })).statusCode).toBe(404);
  });

  it('lets only static assets be cached: pages and API answers are no-store (security probe M5)', async () => {
    const asset = await app.inject({ method: 'GET', url: '/public/govuk-frontend.min.css' });
    expect(asset.headers['cache-control']).not.toBe('no-store');
    for (const url of [
      '/sign-in',
      '/api/v1/contacts/00000000-0000-0000-0000-000000000000',
      '/no-such-page',
    ]) {
      expect((await app.inject({ method: 'GET', url })).headers['cache-control'], url).toBe('no-store');
    }
  });

  it('reports liveness and readiness (which checks the database)', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({
      status: 'ok',
      database: 'ok',
    });
  });
});

describe('logs and rate limits', () => {
  it('logs carry request ids but never cookies, form bodies or passwords', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const config = testConfig({ LOG_LEVEL: 'info' });
    const logged = await buildApp({
      config,
      db: handle.db,
      logger: { ...(loggerOptions(config) as object), stream },
    });
    await logged.ready();
    try {
      await logged.inject({
        method: 'POST',
        url: '/sign-in?returnTo=%2F',
        headers: {
          cookie: 'threshold_session=secret-cookie-value',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'email=someone%40example.org&password=hunter2-secret',
      });
      const text = lines.join('\n');
      expect(text).toMatch(/"reqId":"[0-9a-f-]{36}"/);
      expect(text).not.toContain('secret-cookie-value');
      expect(text).not.toContain('hunter2-secret');
      expect(text).not.toContain('someone@example.org');
    } finally {
      await logged.close();
    }
  });

  it('slows down repeated sign-in attempts from one address with a 429 page', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=a&password=b',
      });
      last = res.statusCode;
      if (last === 429) {
        expect(cheerio.load(res.body)('h1').text()).toBe('Too many attempts');
        break;
      }
    }
    expect(last).toBe(429);
  });
});
