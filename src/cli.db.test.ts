import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database.ts';
import { runThreshold } from '../test/support/cli-runner.ts';

/**
 * The `threshold` command, run in process (`runCli`, what bin/threshold.js calls) against a database of its own: a
 * fresh PostgreSQL database when TEST_DATABASE_URL is set, otherwise a fresh embedded folder. Covers `migrate`,
 * `seed-demo` and `generate people`: its refusals (a bad count, no local authority yet, production) and the people
 * it adds.
 */

const testUrl = process.env.TEST_DATABASE_URL;
const name = `threshold_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const databaseUrl = testUrl ? Object.assign(new URL(testUrl), { pathname: `/${name}` }).href : null;
let dir: string;
const saved = { ...process.env };

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs the command with `env` on top of this test's database settings; returns the exit code and what it printed. */
async function threshold(args: string[], env: Record<string, string> = {}) {
  return runThreshold(
    args,
    {
      DATABASE_URL: databaseUrl ?? '',
      THRESHOLD_DATA_DIR: path.join(dir, 'data'),
      ...env,
    },
    saved,
  );
}

/**
 * What PostgreSQL's statistics say of `people`: when it was last analysed by hand (not by autovacuum), and the
 * row count the planner believes (set by ANALYZE). PGlite keeps no activity statistics between processes, so
 * there only the planner's count shows it.
 */
async function peopleStatistics(): Promise<{ analysedAt: Date | null; plannerRows: number }> {
  const handle = databaseUrl
    ? await openDatabase({ url: databaseUrl, poolSize: 1 })
    : await openDatabase({ dataDir: path.join(dir, 'data') });
  try {
    const { rows } = await sql<{ at: Date | null; n: number }>`
      select (select last_analyze from pg_stat_user_tables where relname = 'people') as at,
             (select reltuples::int from pg_class where relname = 'people' and relkind = 'r') as n`.execute(
      handle.db,
    );
    return { analysedAt: rows[0]?.at ?? null, plannerRows: Number(rows[0]?.n ?? -1) };
  } finally {
    await handle.close();
  }
}

async function peopleCount(): Promise<number> {
  const handle = databaseUrl
    ? await openDatabase({ url: databaseUrl, poolSize: 1 })
    : await openDatabase({ dataDir: path.join(dir, 'data') });
  try {
    const row = await handle.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-cli-'));
  if (testUrl) await admin((c) => c.query(`create database ${name}`));
});
afterAll(async () => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
  if (testUrl) await admin((c) => c.query(`drop database if exists ${name} with (force)`));
});

describe('threshold generate people', () => {
  it('refuses a count that is not a whole number of 1 or more, before touching the database', async () => {
    for (const count of ['0', '-5', 'many']) {
      const result = await threshold(['generate', 'people', '--count', count]);
      expect(result).toEqual({ code: 1, output: '--count must be a whole number, 1 or more' });
    }
  });

  it('on a migrated database with no local authority yet, says so instead of failing', async () => {
    expect((await threshold(['migrate'])).code).toBe(0);
    const result = await threshold(['generate', 'people', '--count', '10']);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^There is no local authority/);
    expect(await peopleCount()).toBe(0);
  }, 120_000);

  it('adds the people asked for, in families, to the demonstration data', async () => {
    const seeded = await threshold(['seed-demo'], { THRESHOLD_DEMO_DATA: 'true' });
    expect(seeded.output).toContain('Created synthetic demonstration data.');
    const before = await peopleCount();
    expect(before).toBeGreaterThan(0);
    const statsBefore = await peopleStatistics();
    const result = await threshold(['generate', 'people', '--count', '40', '--seed', '7', '--batch', '15']);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(
      /^Created 40 people in \d+ families \(\d+ planted near-duplicates\) in \d+\.\d s\.$/,
    );
    expect(await peopleCount()).toBe(before + 40);
    // The loaded tables were analysed at the end, so the planner knows their new size.
    const stats = await peopleStatistics();
    expect(stats.plannerRows).toBe(before + 40);
    if (databaseUrl) {
      expect(stats.analysedAt).not.toBeNull();
      expect(stats.analysedAt!.getTime()).toBeGreaterThan(statsBefore.analysedAt?.getTime() ?? 0);
    }
  }, 180_000);

  it('refuses production', async () => {
    const result = await threshold(['generate', 'people', '--count', '10'], {
      NODE_ENV: 'production',
      SESSION_SECRET: 'a'.repeat(64),
      AUDIT_CHAIN_KEY: 'k'.repeat(64),
    });
    expect(result.code).toBe(1);
    // With PostgreSQL the command itself refuses; the embedded database is refused in production by the configuration.
    expect(result.output).toContain(
      databaseUrl ? 'Synthetic people are never generated in production' : 'DATABASE_URL',
    );
  }, 60_000);
});

describe('threshold census', () => {
  it('refuses a year it does not know', async () => {
    const result = await threshold(['census', '--year', '2019-20', '--out', path.join(dir, 'x.xml')]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^--year must be one of 2024-25, 2025-26, 2026-27/);
  });

  it('writes the demonstration authority’s return and its validation report', async () => {
    const out = path.join(dir, 'census.xml');
    const report = path.join(dir, 'census.csv');
    const result = await threshold([
      'census',
      '--year',
      '2026-27',
      '--la-code',
      '318',
      '--out',
      out,
      '--report',
      report,
    ]);
    expect(result.output).toMatch(/^Richmond upon Thames \(318\), 2026-27: \d+ children, 0 errors/);
    expect(result.code).toBe(0);
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<ReferenceDate>2027-03-31</ReferenceDate>');
    expect(xml).toContain('<LEA>318</LEA>');
    const csv = fs.readFileSync(report, 'utf8').split('\n');
    expect(csv[0]).toBe('rule,kind,la_child_id,child,episode,item,detail,team,worker,explanation');
    // The demo's child in pre-proceedings carries module 5, so no 8995Q ("no module 5 data for any child").
    expect(xml).toContain('<PreProceedingsandFGDM>');
    expect(csv.some((line) => line.startsWith('"8995Q","query"'))).toBe(false);
  }, 120_000);
});

describe('threshold performance-report', () => {
  it('refuses a month that is not a month, or has not ended', async () => {
    expect((await threshold(['performance-report', '--month', '2026-13'])).output).toBe(
      '--month must be a month as YYYY-MM',
    );
    expect((await threshold(['performance-report', '--month', '2999-01'])).code).toBe(1);
  });

  it('makes the demonstration authority’s report for a month, keeps it with its checksum, and writes the PDF', async () => {
    const out = path.join(dir, 'report.pdf');
    const result = await threshold([
      'performance-report',
      '--month',
      '2026-10',
      '--la-code',
      '318',
      '--out',
      out,
    ]);
    expect(result.output).toBe(
      `Made the performance report for Richmond upon Thames, 2026-10, written to ${out}.`,
    );
    expect(result.code).toBe(0);
    const pdf = fs.readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const handle = databaseUrl
      ? await openDatabase({ url: databaseUrl, poolSize: 1 })
      : await openDatabase({ dataDir: path.join(dir, 'data') });
    try {
      const rows = await handle.db
        .selectFrom('performanceReports')
        .select(['id', 'month', 'trigger', 'sha256', 'sizeBytes', 'filename', 'storageKey'])
        .where('month', '=', '2026-10')
        .execute();
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({
        trigger: 'on-demand',
        filename: 'performance-report-318-2026-10.pdf',
        sizeBytes: pdf.length,
      });
      const { createHash } = await import('node:crypto');
      expect(row.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
      // The kept file is the one written out, under the upload folder.
      const kept = fs.readFileSync(
        path.join(dir, 'data', 'uploads', 'reports', row.storageKey.slice(0, 2), row.storageKey),
      );
      expect(kept.equals(pdf)).toBe(true);
      const audit = await handle.db
        .selectFrom('auditEvents')
        .select(['actorLabel', 'action'])
        .where('subjectId', '=', row.id)
        .execute();
      expect(audit).toEqual([{ actorLabel: 'system:command-line', action: 'performance-report.generated' }]);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
