import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { canonicalJson, GENESIS_HASH, recordAuditEvent, verifyAuditTrail } from './audit-trail.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle?.close();
});

const actor = { userId: null, label: 'test' };
const at = new Date('2026-11-24T10:00:00.123Z');

async function record(action: string, details: Record<string, string | number> = {}) {
  return handle.db
    .transaction()
    .execute((trx) => recordAuditEvent(trx, { actor, action, subjectType: 'test', occurredAt: at, details }));
}

/** Runs a statement with the append-only trigger switched off, as an attacker with database access would. */
async function tamper(statement: ReturnType<typeof sql>) {
  await handle.db.transaction().execute(async (trx) => {
    await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(trx);
  });
}

describe('audit trail', () => {
  it('chains each row to the one before by hash, in one sequence', async () => {
    const before = await verifyAuditTrail(handle.db);
    const first = await record('thing.created', { n: 1 });
    const second = await record('thing.changed', { n: 2 });
    expect(second.seq).toBe(first.seq + 1);
    expect(second.prevHash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const result = await verifyAuditTrail(handle.db);
    expect(result).toMatchObject({ ok: true, checked: before.checked + 2, problems: [] });
  });

  it('starts the chain from the genesis hash', async () => {
    const row = await handle.db
      .selectFrom('auditEvents')
      .select('prevHash')
      .where('seq', '=', 1)
      .executeTakeFirst();
    expect(row?.prevHash ?? GENESIS_HASH).toBe(GENESIS_HASH);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await record('thing.kept');
    await expect(sql`update audit_events set action = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('a rolled-back change leaves no audit row and no gap', async () => {
    const before = await verifyAuditTrail(handle.db);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, {
          actor,
          action: 'thing.abandoned',
          subjectType: 'test',
          occurredAt: at,
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await record('thing.after-rollback');
    const after = await verifyAuditTrail(handle.db);
    expect(after.ok).toBe(true);
    expect(after.checked).toBe(before.checked + 1);
  });

  it('keeps the chain whole when many transactions write at once', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => record('thing.concurrent', { i })));
    expect((await verifyAuditTrail(handle.db)).ok).toBe(true);
  });

  it('canonical JSON sorts keys and drops undefined, so jsonb round trips hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: 'x' }, z: undefined })).toBe(
      '{"a":{"c":"x","d":[1,null]},"b":1}',
    );
  });

  it('names an altered row', async () => {
    const target = await record('thing.to-alter', { value: 'original' });
    await tamper(
      sql`update audit_events set details = '{"value":"forged"}'::jsonb where seq = ${target.seq}`,
    );
    const result = await verifyAuditTrail(handle.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ seq: target.seq, id: target.id, problem: 'altered' }),
    );
    expect(result.problems.find((p) => p.problem === 'altered')?.message).toContain(`row ${target.seq}`);
  });
});

describe('audit trail tampering on a fresh chain', () => {
  let local: DatabaseHandle;
  beforeAll(async () => {
    local = await testDb();
  });
  afterAll(async () => {
    await local?.close();
  });
  const write = (action: string) =>
    local.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, { actor, action, subjectType: 'test', occurredAt: at }));

  it('names a removed row by the gap it leaves and the broken link after it', async () => {
    const rows = [await write('a'), await write('b'), await write('c')];
    await local.db.transaction().execute(async (trx) => {
      await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
      await sql`delete from audit_events where seq = ${rows[1]!.seq}`.execute(trx);
      await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(trx);
    });
    const result = await verifyAuditTrail(local.db);
    expect(result.ok).toBe(false);
    const missing = result.problems.find((p) => p.problem === 'missing-rows');
    expect(missing?.seq).toBe(rows[2]!.seq);
    expect(missing?.message).toContain(`rows ${rows[1]!.seq}–${rows[1]!.seq} are missing`);
    expect(result.problems.some((p) => p.problem === 'broken-link' && p.seq === rows[2]!.seq)).toBe(true);
  });

  it('names an inserted row', async () => {
    const last = await local.db
      .selectFrom('auditEvents')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`insert into audit_events (seq, occurred_at, actor_label, action, subject_type, details, prev_hash, hash)
              values (${last.seq + 1}, now(), 'intruder', 'forged.event', 'test', '{}'::jsonb, ${'f'.repeat(64)}, ${'e'.repeat(64)})`.execute(
      local.db,
    );
    const result = await verifyAuditTrail(local.db);
    const forged = result.problems.filter((p) => p.seq === last.seq + 1).map((p) => p.problem);
    expect(forged).toEqual(expect.arrayContaining(['broken-link', 'altered']));
  });
});
