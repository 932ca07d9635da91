import { afterAll, beforeAll } from 'vitest';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { testDb } from './test-db.ts';

/**
 * A database of the test file's own (testDb), opened before its tests and closed after them: the set-up every
 * database test shares. Call it at the top of the file, before any beforeAll that uses it.
 *
 *   const h = databaseForFile();
 *   const { run } = h;
 *   it('…', async () => {
 *     const id = await run((trx) => someService(contextFor(trx, user, now), input));
 *     expect(await h.db.selectFrom('…')…).toEqual(…);
 *   });
 */
export function databaseForFile() {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await testDb();
  });
  afterAll(async () => {
    await handle?.close();
  });
  const open = (): Kysely<DB> => {
    if (!handle)
      throw new Error('databaseForFile: the database is opened in beforeAll, so use it inside a test');
    return handle.db;
  };
  return {
    get db(): Kysely<DB> {
      return open();
    },
    /** Runs `fn` in a transaction of its own. */
    run<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
      return open().transaction().execute(fn);
    },
  };
}
