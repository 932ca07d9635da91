import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database.ts';
import { runThreshold } from '../test/support/cli-runner.ts';
import { migrateToLatest } from './db/migrate.ts';
import { recordAuditEvent } from './kernel/audit-trail/index.ts';

/**
 * `threshold audit rekey` (ADR 0007, rotating AUDIT_CHAIN_KEY), run in process against a database of its own: a
 * fresh PostgreSQL database when TEST_DATABASE_URL is set, otherwise a fresh embedded folder.
 */

const testUrl = process.env.TEST_DATABASE_URL;
const name = `threshold_rekey_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const databaseUrl = testUrl ? Object.assign(new URL(testUrl), { pathname: `/${name}` }).href : null;
const OLD = 'the-old-audit-chain-key-of-32-characters-or-more';
const NEW = 'the-new-audit-chain-key-of-32-characters-or-more';
let dir: string;
const saved = { ...process.env };

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: testUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = databaseUrl
    ? await openDatabase({ url: databaseUrl, poolSize: 1 })
    : await openDatabase({ dataDir: path.join(dir, 'data') });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

async function threshold(args: string[], env: Record<string, string> = {}) {
  return runThreshold(
    args,
    {
      DATABASE_URL: databaseUrl ?? '',
      THRESHOLD_DATA_DIR: path.join(dir, 'data'),
      AUDIT_ANCHOR_FILE: path.join(dir, 'anchors.jsonl'),
      ...env,
    },
    saved,
  );
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-rekey-'));
  if (testUrl) await admin(`create database ${name}`);
  await withDb(async (db) => {
    await migrateToLatest(db);
    for (const action of ['one.recorded', 'two.recorded', 'three.recorded'])
      await db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          actor: { userId: null, label: 'test' },
          action,
          subjectType: 'test',
          occurredAt: new Date(),
        }),
      );
  });
}, 300_000);
afterAll(async () => {
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
  if (testUrl) await admin(`drop database if exists ${name} with (force)`);
});

describe('threshold audit rekey', () => {
  it('re-seals under AUDIT_CHAIN_KEY: audit verify then passes under the new key and fails under the old', async () => {
    // Sealed and anchored under the old key, as a running server would have.
    expect((await threshold(['audit', 'anchor'], { AUDIT_CHAIN_KEY: OLD })).code).toBe(0);
    expect((await threshold(['audit', 'verify'], { AUDIT_CHAIN_KEY: OLD })).code).toBe(0);

    const missing = await threshold(['audit', 'rekey', '--old-key-env', 'THRESHOLD_OLD_KEY'], {
      AUDIT_CHAIN_KEY: NEW,
    });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('Set THRESHOLD_OLD_KEY to the old key');

    const rekey = await threshold(['audit', 'rekey', '--old-key-env', 'THRESHOLD_OLD_KEY'], {
      AUDIT_CHAIN_KEY: NEW,
      THRESHOLD_OLD_KEY: OLD,
    });
    expect(rekey.output).toContain('Re-sealed 3 rows under the new key');
    expect(rekey.code).toBe(0);
    // The old anchors are kept aside; the anchor file starts again with the new head.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('anchors.jsonl.before-rekey-'))).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'anchors.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);

    const underNew = await threshold(['audit', 'verify'], { AUDIT_CHAIN_KEY: NEW });
    expect(underNew.output).toContain('The audit trail is intact: 4 rows checked, through 1 signed head(s).');
    expect(underNew.code).toBe(0);
    const underOldDefault = await threshold(['audit', 'verify'], { AUDIT_CHAIN_KEY: OLD });
    expect(underOldDefault.code).toBe(1);
    expect(underOldDefault.output).toContain('has been altered or forged');
  }, 240_000);

  it('refuses a tampered chain, changing nothing', async () => {
    await withDb(async (db) => {
      await db.transaction().execute(async (trx) => {
        await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
        await sql`update audit_events set action = 'two.forgotten' where action = 'two.recorded'`.execute(
          trx,
        );
        await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(trx);
      });
    });
    const before = await withDb((db) =>
      db.selectFrom('auditEvents').select(['seq', 'hash']).orderBy('seq').execute(),
    );
    const refused = await threshold(['audit', 'rekey', '--old-key-env', 'THRESHOLD_OLD_KEY'], {
      AUDIT_CHAIN_KEY: OLD,
      THRESHOLD_OLD_KEY: NEW,
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('does not verify under the old key');
    expect(refused.output).toMatch(/PROBLEM row 2 .* has been altered or forged/);
    const after = await withDb((db) =>
      db.selectFrom('auditEvents').select(['seq', 'hash']).orderBy('seq').execute(),
    );
    expect(after).toEqual(before);
  }, 240_000);
});
