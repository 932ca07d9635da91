import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedTestTemplate } from './support/template-seed.ts';

/**
 * Builds, once per test project, a migrated database holding the synthetic demo organisation:
 * - PGlite: dumped to a tarball that each test file loads (~0.5 s instead of a fresh initdb + migrate);
 * - PostgreSQL (TEST_DATABASE_URL set): a template database that each test file copies with CREATE DATABASE … TEMPLATE.
 * Everything is created fresh for the run and removed afterwards: no test depends on leftover state.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    runId: string;
  }
}

export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('runId', runId);
  const testUrl = process.env.TEST_DATABASE_URL;
  if (testUrl) {
    const template = `threshold_tpl_${project.name}_${runId}`.toLowerCase();
    const admin = new pg.Client({ connectionString: testUrl });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const handle = await openDatabase({ url: adminUrl(testUrl, template), poolSize: 2 });
    try {
      await migrateToLatest(handle.db);
      await seedTestTemplate(handle.db);
    } finally {
      await handle.close();
    }
    project.provide('pgTemplate', template);
    project.provide('pgliteTemplate', '');
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1 or datname = $2`,
        [`threshold_t_${runId}_%`.toLowerCase(), template],
      );
      for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
      await admin.end();
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-test-'));
  const file = path.join(dir, 'template.tar.gz');
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(handle.db);
    await seedTestTemplate(handle.db);
    const dump = await handle.dumpDataDir!();
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
