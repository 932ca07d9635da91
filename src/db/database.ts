import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';

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
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Logged by the caller's health check.
    });
    const db = createKysely(pool);
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
    pglite = await PGlite.create(pgDir, {
      extensions: pgliteExtensions,
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
