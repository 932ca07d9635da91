import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { fixedClock } from '../kernel/time/index.ts';
import { testApp, testConfig, TEST_NOW, type TestApp } from '../../test/support/test-app.ts';
import { testDb } from '../../test/support/test-db.ts';
import { anApiClient, bearerAuthorization, localAuthorityId } from '../../test/builders/organisation.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('request logging', () => {
  it('writes one line per request, without the deprecated option’s warning', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? w.message);
    process.on('warning', onWarning);
    const handle = await testDb();
    try {
      const app = await buildApp({
        config: testConfig(),
        db: handle.db,
        clock: fixedClock(TEST_NOW),
        logger: { level: 'info', stream },
      });
      await app.ready();
      const signIn = await app.inject({ method: 'GET', url: '/sign-in?next=%2Fpeople' });
      const missing = await app.inject({ method: 'GET', url: '/no-such-page?name=Poppy' });
      await app.close();
      expect(signIn.statusCode).toBe(200);
      expect(missing.statusCode).toBe(404);
      // Every line about a request (with its reqId) is the one line of that request.
      const perRequest = lines.filter((l) => l.reqId !== undefined);
      expect(perRequest.map((l) => [l.msg, l.method, l.url, l.status])).toEqual([
        ['request', 'GET', '/sign-in?next', 200],
        ['request', 'GET', '/no-such-page?name', 404],
      ]);
      expect(new Set(perRequest.map((l) => l.reqId)).size).toBe(2);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('FSTDEP023');
    } finally {
      process.off('warning', onWarning);
      await handle.close();
    }
  });
});

describe.skipIf(!onPostgres)('an abandoned API request', () => {
  let t: TestApp;
  let base: string;
  let authorization: string;
  let richmond: string;

  beforeAll(async () => {
    t = await testApp({ config: { DATABASE_URL: process.env.TEST_DATABASE_URL ?? '' } });
    richmond = await localAuthorityId(t.db);
    const client = await anApiClient(t.db, t.clock.now(), { name: 'Cancelled calls', agencyKind: 'police' });
    authorization = bearerAuthorization(client);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The app's statements waiting for a lock on contacts. */
  const waiting = async () =>
    Number(
      (
        await sql<{ n: string }>`
          select count(*) as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query ilike '%insert into "contacts"%'`.execute(
          t.db,
        )
      ).rows[0]!.n,
    );

  it('has its query cancelled when the caller goes away', async () => {
    // Another session holds contacts locked, so the API's insert waits (as a slow query would run).
    await t.db.connection().execute(async (locker) => {
      await sql`begin`.execute(locker);
      try {
        await sql`lock table contacts in exclusive mode`.execute(locker);
        const payload = JSON.stringify({
          localAuthorityId: richmond,
          referralSource: '6',
          referrer: { name: 'PC Cancel' },
          concernCategories: ['domestic-abuse'],
          reason: 'Police attended a domestic incident.',
          consent: 'dispensed',
          consentRationale: 'Police notification',
          urgency: 'urgent',
          children: [{ givenName: 'Ada', familyName: 'Canceltest', dateOfBirth: '2018-05-01' }],
        });
        const request = http.request(`${base}/api/v1/contacts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
        });
        request.on('error', () => undefined);
        request.end(payload);
        await expect.poll(waiting, { timeout: 10_000, interval: 100 }).toBe(1);
        request.destroy(); // the caller gives up
        // The statement stops waiting while the lock is still held: it was cancelled, not left to run.
        await expect.poll(waiting, { timeout: 5_000, interval: 100 }).toBe(0);
      } finally {
        await sql`rollback`.execute(locker);
      }
    });
    // Nothing was recorded.
    const recorded = await t.db
      .selectFrom('contacts')
      .select('id')
      .where('referrerName', '=', 'PC Cancel')
      .execute();
    expect(recorded).toEqual([]);
  });
});
