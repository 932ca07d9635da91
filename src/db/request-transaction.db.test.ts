import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from './database.ts';
import { testDb } from '../../test/support/test-db.ts';
import { requestTransaction } from './request-transaction.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle?.close();
});

describe('a request’s transaction', () => {
  it('runs the work and commits it', async () => {
    const value = await requestTransaction(
      handle.db,
      { postgres: onPostgres, statementTimeoutMs: 1000 },
      async (trx) => (await sql<{ n: number }>`select 41 + 1 as n`.execute(trx)).rows[0]!.n,
    );
    expect(value).toBe(42);
  });

  it.skipIf(!onPostgres)('stops a statement that runs past the statement timeout', async () => {
    const started = Date.now();
    await expect(
      requestTransaction(handle.db, { postgres: true, statementTimeoutMs: 200 }, (trx) =>
        sql`select pg_sleep(5)`.execute(trx),
      ),
    ).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(3000);
    // The limit was local to that transaction: the next one runs as long as it needs.
    const next = await handle.db
      .transaction()
      .execute(
        async (trx) =>
          (await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(trx)).rows[0]!
            .t,
      );
    expect(next).toBe('0');
  });

  it.skipIf(!onPostgres)(
    'sends the timeout with BEGIN and takes the pid from the pool: no statement of its own (issue 16)',
    async () => {
      const query = vi.spyOn(pg.Client.prototype, 'query');
      try {
        const timeout = await requestTransaction(
          handle.db,
          { postgres: true, statementTimeoutMs: 1500, onCancel: () => undefined },
          async (trx) =>
            (await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(trx)).rows[0]!
              .t,
        );
        expect(timeout).toBe('1500ms');
        const sent = query.mock.calls.map(([q]) =>
          String(typeof q === 'string' ? q : (q as { text: string }).text),
        );
        expect(sent).toEqual([
          'begin; set local statement_timeout = 1500',
          "select current_setting('statement_timeout') as t",
          'commit',
        ]);
      } finally {
        query.mockRestore();
      }
    },
  );

  it.skipIf(!onPostgres)('cancels the running statement when the client goes away', async () => {
    let cancel!: () => void;
    const started = Date.now();
    const work = requestTransaction(
      handle.db,
      { postgres: true, statementTimeoutMs: 0, onCancel: (c) => (cancel = c) },
      (trx) => sql`select pg_sleep(5)`.execute(trx),
    );
    await new Promise((r) => setTimeout(r, 300));
    cancel(); // what the page does on the response's 'close' before a reply was sent
    await expect(work).rejects.toThrow(/canceling statement due to user request/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
