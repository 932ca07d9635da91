import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export interface RequestTransactionOptions {
  /** PostgreSQL only: PGlite has one connection on the main thread, nothing to cancel from outside. */
  postgres: boolean;
  /** The longest one statement may run (`statement_timeout`, local to this transaction); 0 = no limit. */
  statementTimeoutMs: number;
  /** Called with a function that cancels the statement running now (e.g. when the client goes away). */
  onCancel?: (cancel: () => void) => void;
}

/**
 * A request's transaction on PostgreSQL: its statements are limited to `statementTimeoutMs`, and `onCancel` gets a
 * function that cancels whatever the transaction is running (pg_cancel_backend from another connection of the
 * pool), so the work of a request nobody is waiting for stops. The cancelled statement fails with SQLSTATE 57014
 * and the transaction rolls back. On PGlite this is a plain transaction.
 */
export async function requestTransaction<T>(
  db: Kysely<DB>,
  options: RequestTransactionOptions,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (!options.postgres || (options.statementTimeoutMs <= 0 && !options.onCancel)) {
    return db.transaction().execute(fn);
  }
  let running = true;
  try {
    return await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`
        select set_config('statement_timeout', ${String(options.statementTimeoutMs)}, true), pg_backend_pid() as pid`.execute(
        trx,
      );
      const pid = rows[0]!.pid;
      options.onCancel?.(() => {
        if (!running) return;
        void sql`select pg_cancel_backend(${pid})`.execute(db).catch(() => undefined);
      });
      return fn(trx);
    });
  } finally {
    running = false;
  }
}
