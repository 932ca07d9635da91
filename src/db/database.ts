import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  PostgresDialect,
  PostgresDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { requestTransactionScope } from './request-transaction.ts';

export type Database = Kysely<DB>;

// Dates stay 'YYYY-MM-DD' strings (no time zone games); bigint counts become numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number.parseFloat(v));

export const pgliteExtensions = { citext, pg_trgm, fuzzystrmatch };

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Closes the pool (and PGlite), then releases the data-folder lock. Safe to call twice. */
  close(): Promise<void>;
  /**
   * PGlite only: a copy of the whole data folder as a tar file, gzipped unless `'none'` (tests clone a migrated
   * template from an uncompressed one: loading it skips decompressing ~60 MB for every test file).
   */
  dumpDataDir?: (compression?: 'gzip' | 'none') => Promise<Blob>;
}

export function createKysely(pool: pg.Pool): Database {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

/**
 * PostgreSQL's driver, sending a request transaction's statement timeout with its `BEGIN` (one round trip, where
 * `BEGIN` then `set_config(…)` took two on every page and API call): requestTransaction says which transaction is the
 * request's (requestTransactionScope). Every other transaction begins as Kysely begins it.
 */
class RequestAwarePostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const scope = requestTransactionScope.getStore();
    if (!scope || scope.begun || settings.isolationLevel || settings.accessMode)
      return super.beginTransaction(connection, settings);
    scope.begun = true;
    const ms = Math.max(0, Math.floor(scope.statementTimeoutMs));
    // No parameters, so node-postgres sends it as one simple query holding both statements.
    await connection.executeQuery(CompiledQuery.raw(`begin; set local statement_timeout = ${ms}`));
  }
}

class RequestAwarePostgresDialect extends PostgresDialect {
  constructor(private readonly dialectConfig: PostgresDialectConfig) {
    super(dialectConfig);
  }
  override createDriver(): Driver {
    return new RequestAwarePostgresDriver(this.dialectConfig);
  }
}

/**
 * Threshold's Kysely on a PostgreSQL pool: a request's transaction begins with its statement timeout in the same
 * round trip, and the pool notes the backend's pid for cancelling it (the connection's `processID`), so neither
 * costs a statement.
 */
export function createPostgresKysely(pool: pg.Pool): Database {
  const noted = {
    async connect() {
      const client = await pool.connect();
      const scope = requestTransactionScope.getStore();
      if (scope && !scope.connected) {
        scope.connected = true;
        scope.pid = (client as unknown as { processID?: number | null }).processID ?? null;
      }
      return client;
    },
    end: () => pool.end(),
  };
  return new Kysely<DB>({
    dialect: new RequestAwarePostgresDialect({ pool: noted }),
    plugins: [new CamelCasePlugin()],
  });
}

export interface OpenDatabaseOptions {
  /** postgres://… → PostgreSQL through pg.Pool; otherwise the embedded PGlite. */
  url?: string | undefined;
  poolSize?: number;
  /** PGlite data folder, or 'memory://'. */
  dataDir?: string;
  /** A dumped PGlite data folder to start from (tests clone a migrated template). */
  loadDataDir?: Blob;
  /** Take the data-folder lock (default true for a folder on disk). */
  lock?: boolean;
  /** PGlite only: its memory settings (defaults in EMBEDDED_MEMORY). */
  embeddedMemory?: Partial<EmbeddedMemory>;
}

/**
 * PGlite's memory settings. PostgreSQL in WebAssembly keeps its whole heap in this process's WebAssembly memory,
 * which only grows: shared buffers, catalogue caches and each query's work memory stay resident for the life of the
 * process. PostgreSQL's defaults (128 MB of shared buffers, 64 MB of maintenance work memory) are sized for a
 * server; the embedded database holds demonstration data of a few tens of megabytes, which a much smaller buffer
 * pool caches whole (docs/configuration.md, EMBEDDED_SHARED_BUFFERS_MB).
 */
export interface EmbeddedMemory {
  sharedBuffersMb: number;
  workMemMb: number;
  maintenanceWorkMemMb: number;
}

export const EMBEDDED_MEMORY: EmbeddedMemory = {
  sharedBuffersMb: 32,
  workMemMb: 4,
  maintenanceWorkMemMb: 16,
};

/** PGlite's start parameters: its own defaults and the memory settings (`-c name=value`, as `postgres` takes them). */
export function embeddedStartParams(memory: Partial<EmbeddedMemory> = {}): string[] {
  const m = { ...EMBEDDED_MEMORY, ...memory };
  return [
    ...PGlite.defaultStartParams,
    '-c',
    `shared_buffers=${m.sharedBuffersMb}MB`,
    '-c',
    `work_mem=${m.workMemMb}MB`,
    '-c',
    `maintenance_work_mem=${m.maintenanceWorkMemMb}MB`,
  ];
}

/**
 * Creates a new PGlite cluster in `pgDir` in a child process (src/db/pglite-initdb.mjs), so that initdb's second
 * WebAssembly instance and compilation never weigh on the server's memory (hundreds of MiB otherwise, issue 16).
 */
async function initdbInChildProcess(pgDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url));
  await promisify(execFile)(process.execPath, [script, pgDir], { maxBuffer: 16 * 1024 * 1024 });
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Logged by the caller's health check.
    });
    const db = createPostgresKysely(pool);
    let closed = false;
    return {
      db,
      kind: 'postgres',
      async close() {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
    };
  }

  const dataDir = options.dataDir ?? './data';
  const onDisk = !dataDir.startsWith('memory://');
  let lock: DataDirLock | undefined;
  if (onDisk) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (options.lock !== false) {
      const taken = lockDataDir(dataDir);
      lock = taken;
      // Released even if the process ends without a clean shutdown.
      process.once('exit', () => taken.release());
    }
  }
  let pglite: PGlite;
  try {
    const pgDir = onDisk ? `${dataDir.replace(/\/$/, '')}/pgdata` : dataDir;
    if (onDisk && !options.loadDataDir && !fs.existsSync(`${pgDir}/PG_VERSION`))
      await initdbInChildProcess(pgDir);
    pglite = await PGlite.create(pgDir, {
      extensions: pgliteExtensions,
      startParams: embeddedStartParams(options.embeddedMemory),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = createKysely(pool);
  // Make the embedded engine's session settings match what we use on PostgreSQL.
  await sql`set time zone 'UTC'`.execute(db);
  let closed = false;
  return {
    db,
    kind: 'pglite',
    dumpDataDir: (compression = 'gzip') => pglite.dumpDataDir(compression) as Promise<Blob>,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
