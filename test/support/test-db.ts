import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';

let counter = 0;

/**
 * The PGlite template (an uncompressed tar of the migrated data folder), read once per worker: the db and pages files
 * share their worker's modules (`isolate: false`), so each file after the first loads it from memory.
 */
const templates = new Map<string, Blob>();
export function pgliteTemplate(): Blob {
  const file = inject('pgliteTemplate');
  let blob = templates.get(file);
  if (!blob) templates.set(file, (blob = new Blob([fs.readFileSync(file)])));
  return blob;
}

function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

/**
 * A database for one test file, copied from the migrated template built by test/global-setup.ts:
 * a fresh PostgreSQL database when TEST_DATABASE_URL is set, otherwise an in-memory PGlite.
 */
export async function testDb(): Promise<DatabaseHandle & { name: string }> {
  const testUrl = process.env.TEST_DATABASE_URL;
  const pgTemplate = inject('pgTemplate');
  if (testUrl && pgTemplate) {
    const name =
      `threshold_t_${inject('runId')}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
    const admin = new pg.Client({ connectionString: testUrl });
    await admin.connect();
    try {
      // CREATE DATABASE … TEMPLATE fails while another session is connected to the template: retry briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`create database ${name} template ${pgTemplate}`);
          break;
        } catch (error) {
          if (attempt > 50 || !String((error as Error).message).includes('being accessed')) throw error;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
    } finally {
      await admin.end();
    }
    const handle = await openDatabase({ url: adminUrl(testUrl, name), poolSize: 5 });
    return {
      ...handle,
      name,
      async close() {
        await handle.close();
        const dropper = new pg.Client({ connectionString: testUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const handle = await openDatabase({ dataDir: 'memory://', loadDataDir: pgliteTemplate() });
  return { ...handle, name: 'pglite' };
}
