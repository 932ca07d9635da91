import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedTestTemplate } from './support/template-seed.ts';

/**
 * Builds, once per test run, a migrated database holding the synthetic demo organisation:
 * - PGlite: dumped to an uncompressed tarball that each test file loads (instead of a fresh initdb + migrate; a
 *   gzipped one cost twice the processor time to load, ~1.5 s a file, for the decompression);
 * - PostgreSQL (TEST_DATABASE_URL set): a template database that each test file copies with CREATE DATABASE … TEMPLATE.
 * Everything is created fresh for the run and removed afterwards: no test depends on leftover state.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    runId: string;
    /** A folder shared by every test file of the run: one empty file per page shape axe has passed. */
    axePassedDir: string;
  }
}

export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

interface Template {
  runId: string;
  pgliteTemplate: string;
  pgTemplate: string;
  teardown(): Promise<void>;
}

async function buildTemplate(): Promise<Template> {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const testUrl = process.env.TEST_DATABASE_URL;
  if (testUrl) {
    const template = `threshold_tpl_${runId}`.toLowerCase();
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
    return {
      runId,
      pgTemplate: template,
      pgliteTemplate: '',
      async teardown() {
        const { rows } = await admin.query<{ datname: string }>(
          `select datname from pg_database where datname like $1 or datname = $2`,
          [`threshold_t_${runId}_%`.toLowerCase(), template],
        );
        for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-test-'));
  const file = path.join(dir, 'template.tar');
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(handle.db);
    await seedTestTemplate(handle.db);
    const dump = await handle.dumpDataDir!('none');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }
  return {
    runId,
    pgTemplate: '',
    pgliteTemplate: file,
    async teardown() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Vitest runs this global set-up once per project (db, pages, e2e) in the same process: the template is built
// once and shared, and removed when the last project using it tears down.
const shared = globalThis as typeof globalThis & {
  thresholdTemplate?: Promise<Template>;
  thresholdTemplateUsers?: number;
  thresholdAxeDir?: string;
};

export default async function setup(project: TestProject) {
  shared.thresholdTemplate ??= buildTemplate();
  shared.thresholdTemplateUsers = (shared.thresholdTemplateUsers ?? 0) + 1;
  const template = await shared.thresholdTemplate;
  shared.thresholdAxeDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-axe-'));
  project.provide('axePassedDir', shared.thresholdAxeDir);
  project.provide('runId', template.runId);
  project.provide('pgTemplate', template.pgTemplate);
  project.provide('pgliteTemplate', template.pgliteTemplate);
  return async () => {
    shared.thresholdTemplateUsers = (shared.thresholdTemplateUsers ?? 1) - 1;
    if (shared.thresholdTemplateUsers === 0) {
      shared.thresholdTemplate = undefined;
      if (shared.thresholdAxeDir) fs.rmSync(shared.thresholdAxeDir, { recursive: true, force: true });
      shared.thresholdAxeDir = undefined;
      await template.teardown();
    }
  };
}
