import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      .execute(async (trx) => (await sql<{ t: string }>`show statement_timeout`.execute(trx)).rows[0]!.t);
    expect(next).not.toBe('200ms');
  });

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
