/**
 * The backup-and-restore drill (docs/deployment.md, "Backup and restore"), scripted so that it is run, not only
 * written down:
 *
 *   npm run backup:drill -- postgres://user@host/threshold [--keep]
 *
 * 1. `pg_dump -Fc` of the source database (a consistent snapshot; Threshold may keep running);
 * 2. a new, empty database beside it, and `pg_restore --no-owner --exit-on-error` into it;
 * 3. the row count of every table, source beside restored (equal when the source was quiet during the drill);
 * 4. `threshold audit verify` on the restored database: the audit chain is intact;
 * 5. `threshold migrate` on the restored database: the schema is the one this version expects;
 * 6. Threshold started on the restored database: `/health/ready` answers ok and the sign-in page is served;
 * 7. the restored database and the dump are removed (unless --keep).
 *
 * Exits 1, saying which step failed, when any step fails. Needs pg_dump and pg_restore (PostgreSQL client tools,
 * the server's major version or later) on the PATH, or in PG_BIN.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DrillStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface DrillResult {
  ok: boolean;
  restoredDatabase: string;
  steps: DrillStep[];
  tables: { table: string; source: number; restored: number }[];
}

function tool(name: string): string {
  return process.env.PG_BIN ? path.join(process.env.PG_BIN, name) : name;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

async function tableCounts(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    const counts = new Map<string, number>();
    for (const { table_name } of rows) {
      const { rows: n } = await client.query<{ n: string }>(`select count(*) as n from "${table_name}"`);
      counts.set(table_name, Number(n[0]!.n));
    }
    return counts;
  } finally {
    await client.end();
  }
}

/**
 * The environment for Threshold on the restored copy: its own (empty) file of signed heads, so that what the copy
 * signs while the drill runs goes nowhere near the live system's anchors, and theirs are not read for another
 * database. (To check a restore against production's signed heads, run `audit verify --anchors <file>` on it.)
 */
function copyEnv(databaseUrl: string, anchorFile: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'development',
    THRESHOLD_DEMO_DATA: 'false',
    AUDIT_ANCHOR_FILE: anchorFile,
  };
}

function cli(args: string[], env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts Threshold on the database, checks two pages, stops it. */
async function pageCheck(env: NodeJS.ProcessEnv): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`Threshold stopped on the restored database: ${output.trim()}`);
      try {
        const ready = await fetch(`${base}/health/ready`);
        if (ready.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`Threshold did not become ready in 2 minutes: ${output.trim()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const signIn = await fetch(`${base}/sign-in`);
    const html = await signIn.text();
    if (signIn.status !== 200 || !html.includes('Sign in'))
      throw new Error(`the sign-in page answered ${signIn.status}`);
    return `ready, and the sign-in page is served (${html.length} bytes)`;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function runBackupDrill(
  sourceUrl: string,
  options: { keep?: boolean; log?: (line: string) => void } = {},
): Promise<DrillResult> {
  const log = options.log ?? (() => {});
  const source = new URL(sourceUrl).pathname.slice(1);
  const restoredDatabase = `${source}_restore_${Date.now().toString(36)}`.toLowerCase();
  const restoredUrl = withDatabase(sourceUrl, restoredDatabase);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-drill-'));
  const dump = path.join(dir, 'threshold.dump');
  const steps: DrillStep[] = [];
  let tables: DrillResult['tables'] = [];
  const record = (step: string, ok: boolean, detail: string) => {
    steps.push({ step, ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${step}: ${detail}`);
    return ok;
  };
  const admin = new pg.Client({ connectionString: withDatabase(sourceUrl, 'postgres') });
  await admin.connect();
  let created = false;
  try {
    const dumped = spawnSync(tool('pg_dump'), ['-Fc', '-f', dump, sourceUrl], { encoding: 'utf8' });
    if (
      !record(
        'dump',
        dumped.status === 0,
        dumped.status === 0
          ? `${fs.statSync(dump).size} bytes`
          : (dumped.stderr || String(dumped.error)).trim(),
      )
    )
      return { ok: false, restoredDatabase, steps, tables };

    await admin.query(`create database "${restoredDatabase}"`);
    created = true;
    const restored = spawnSync(
      tool('pg_restore'),
      ['--no-owner', '--exit-on-error', '-d', restoredUrl, dump],
      { encoding: 'utf8' },
    );
    if (
      !record(
        'restore',
        restored.status === 0,
        restored.status === 0 ? `into ${restoredDatabase}` : restored.stderr.trim(),
      )
    )
      return { ok: false, restoredDatabase, steps, tables };

    const [before, after] = await Promise.all([tableCounts(sourceUrl), tableCounts(restoredUrl)]);
    tables = [...before.keys()].map((table) => ({
      table,
      source: before.get(table) ?? 0,
      restored: after.get(table) ?? -1,
    }));
    const missing = tables.filter((t) => t.restored < 0).map((t) => t.table);
    const rows = tables.reduce((sum, t) => sum + Math.max(t.restored, 0), 0);
    record(
      'tables',
      missing.length === 0,
      missing.length
        ? `missing after restore: ${missing.join(', ')}`
        : `${tables.length} tables, ${rows} rows`,
    );

    const env = copyEnv(restoredUrl, path.join(dir, 'audit-anchors.jsonl'));
    const verified = cli(['audit', 'verify'], env);
    const lines = verified.output.split('\n');
    record(
      'audit verify',
      verified.ok,
      [...lines.filter((l) => l.startsWith('PROBLEM')), lines.at(-1) ?? ''].join('; '),
    );
    const migrated = cli(['migrate'], env);
    record('migrate', migrated.ok, migrated.output.split('\n').at(-1) ?? '');
    try {
      record('pages', true, await pageCheck(env));
    } catch (error) {
      record('pages', false, (error as Error).message);
    }
    return { ok: steps.every((s) => s.ok), restoredDatabase, steps, tables };
  } finally {
    if (created && !options.keep) {
      await admin.query(`drop database if exists "${restoredDatabase}" with (force)`);
    }
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const url = args.find((a) => !a.startsWith('--')) ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('Usage: npm run backup:drill -- postgres://user@host/database [--keep]');
    process.exit(2);
  }
  const result = await runBackupDrill(url, { keep: args.includes('--keep'), log: (l) => console.log(l) });
  const changed = result.tables.filter((t) => t.restored !== t.source);
  if (changed.length)
    console.log(
      `Row counts that differ (the source changed during the drill?): ${changed.map((t) => `${t.table} ${t.source}→${t.restored}`).join(', ')}`,
    );
  console.log(result.ok ? 'The backup restores and works.' : 'The drill FAILED: see the steps above.');
  if (args.includes('--keep')) console.log(`The restored database is kept: ${result.restoredDatabase}`);
  process.exit(result.ok ? 0 : 1);
}
