import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * What the database layer learns about a request's transaction while opening it (database.ts, PostgreSQL): the
 * driver sends the statement timeout with `BEGIN` in one round trip, and the pool notes the backend's pid, so the
 * transaction needs no statement of its own for either. Only the request's first connection and first `BEGIN` count:
 * anything else run during the request is untouched.
 */
export interface RequestTransactionScope {
  statementTimeoutMs: number;
  /** Set when the request's connection is taken from the pool. */
  pid: number | null;
  connected: boolean;
  /** Set when the driver has sent `begin; set local statement_timeout = …`. */
  begun: boolean;
}

export const requestTransactionScope = new AsyncLocalStorage<RequestTransactionScope>();

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
  const scope: RequestTransactionScope = {
    statementTimeoutMs: options.statementTimeoutMs,
    pid: null,
    connected: false,
    begun: false,
  };
  try {
    return await requestTransactionScope.run(scope, () =>
      db.transaction().execute(async (trx) => {
        // The driver sent the timeout with BEGIN and the pool noted the pid (database.ts). A Kysely not opened by
        // openDatabase (a script's own) does neither: one statement does both, as before.
        let pid = scope.pid;
        if (!scope.begun || pid === null) {
          const { rows } = await sql<{ pid: number }>`
            select set_config('statement_timeout', ${String(options.statementTimeoutMs)}, true), pg_backend_pid() as pid`.execute(
            trx,
          );
          pid = rows[0]!.pid;
        }
        const backend = pid;
        options.onCancel?.(() => {
          if (!running) return;
          void sql`select pg_cancel_backend(${backend})`.execute(db).catch(() => undefined);
        });
        return fn(trx);
      }),
    );
  } finally {
    running = false;
  }
}
