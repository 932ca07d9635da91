import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import {
  recordAuditEvent,
  sealAuditTrail,
  signAuditAnchor,
  verifyAuditTrail,
  type AuditAnchor,
} from './audit-trail.ts';
import { AuditRekeyRefusedError, rekeyAuditTrail } from './rekey.ts';

/** Rotating AUDIT_CHAIN_KEY (ADR 0007): verify under the old key, re-seal under the new one, in one transaction. */

const OLD = 'the-old-audit-chain-key-of-32-characters-or-more';
const NEW = 'the-new-audit-chain-key-of-32-characters-or-more';
const THIRD = 'a-third-audit-chain-key-of-32-characters-or-more';
const at = new Date('2026-11-24T10:00:00.123Z');

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle?.close();
});

async function record(action: string) {
  await handle.db.transaction().execute((trx) =>
    recordAuditEvent(trx, {
      actor: { userId: null, label: 'test' },
      action,
      subjectType: 'test',
      occurredAt: at,
      details: { n: action },
    }),
  );
}

const seals = async () =>
  (
    await handle.db
      .selectFrom('auditEvents')
      .select(['seq', 'chainPos', 'prevHash', 'hash'])
      .orderBy('seq')
      .execute()
  ).map((r) => ({ ...r, seq: Number(r.seq), chainPos: Number(r.chainPos) }));

/** The append-only trigger is on: an UPDATE of a sealed row is refused. */
async function expectTriggerOn() {
  await expect(
    sql`update audit_events set action = 'x.forged' where chain_pos = 1`.execute(handle.db),
  ).rejects.toThrow(/append-only/);
}

describe('threshold audit rekey (rekeyAuditTrail)', () => {
  let anchor: AuditAnchor;

  it('re-seals every row under the new key, records the rekey, and the chain then verifies under the new key only', async () => {
    for (const a of ['one.recorded', 'two.recorded', 'three.recorded']) await record(a);
    const { head } = await sealAuditTrail(handle.db, { key: OLD, wait: true });
    anchor = signAuditAnchor(OLD, head!, at);
    await record('four.recorded'); // committed, not yet sealed: sealed under the old key, verified, then re-sealed
    const before = await seals();

    const result = await rekeyAuditTrail(handle.db, {
      oldKey: OLD,
      newKey: NEW,
      anchors: [anchor],
      actorLabel: 'cli',
      now: at,
      batchSize: 2, // several pages of rewriting and sealing
    });

    expect(result.resealed).toBe(before.length);
    expect(result.oldHead?.chainPos).toBe(before.length);
    expect(result.newHead.chainPos).toBe(before.length + 1);
    expect(result.verified).toBe(before.length + 1);
    const after = await seals();
    // Same rows, same places in the chain, every seal new.
    expect(after.slice(0, before.length).map((r) => [r.seq, r.chainPos])).toEqual(
      before.map((r, i) => [r.seq, i + 1]),
    );
    for (const [i, r] of after.slice(0, before.length).entries()) expect(r.hash).not.toBe(before[i]!.hash);
    const event = await handle.db
      .selectFrom('auditEvents')
      .selectAll()
      .where('action', '=', 'audit-chain.rekeyed')
      .executeTakeFirstOrThrow();
    expect(event.actorLabel).toBe('cli');
    expect(Number(event.chainPos)).toBe(before.length + 1);
    expect(event.details).toMatchObject({ resealed: before.length, oldHeadPosition: before.length });

    const underNew = await verifyAuditTrail(handle.db, {
      key: NEW,
      anchors: [signAuditAnchor(NEW, result.newHead, at)],
    });
    expect(underNew.problems).toEqual([]);
    expect(underNew.checked).toBe(before.length + 1);
    const underOld = await verifyAuditTrail(handle.db, { key: OLD });
    expect(underOld.ok).toBe(false);
    expect(underOld.problems.filter((p) => p.problem === 'altered')).toHaveLength(before.length + 1);
    await expectTriggerOn();
  });

  it('refuses when the chain no longer reaches an anchor (rows removed from the end), and the same key twice', async () => {
    const before = await seals();
    const last = before.at(-1)!;
    // An anchor, signed with the current key, of a row beyond the chain's end: rows have been removed since.
    const removed = signAuditAnchor(NEW, { chainPos: last.chainPos + 3, hash: 'f'.repeat(64) }, at);
    const refused = await rekeyAuditTrail(handle.db, {
      oldKey: NEW,
      newKey: THIRD,
      anchors: [removed],
      actorLabel: 'cli',
      now: at,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuditRekeyRefusedError);
    expect((refused as AuditRekeyRefusedError).problems.map((p) => p.problem)).toEqual(['missing-rows']);
    await expect(
      rekeyAuditTrail(handle.db, { oldKey: NEW, newKey: NEW, actorLabel: 'cli', now: at }),
    ).rejects.toThrow(/the same/);
    expect(await seals()).toEqual(before);
    await expectTriggerOn();
  });

  it('refuses a chain that does not verify under the old key, changing nothing (the trigger stays on)', async () => {
    await record('five.recorded');
    await sealAuditTrail(handle.db, { key: NEW, wait: true });
    // The owner alters a row behind the chain's back.
    await handle.db.transaction().execute(async (trx) => {
      await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
      await sql`update audit_events set action = 'two.forgotten' where action = 'two.recorded'`.execute(trx);
      await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(trx);
    });
    const before = await seals();
    const refused = await rekeyAuditTrail(handle.db, {
      oldKey: NEW,
      newKey: THIRD,
      actorLabel: 'cli',
      now: at,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuditRekeyRefusedError);
    expect((refused as AuditRekeyRefusedError).message).toMatch(/does not verify under the old key/);
    expect((refused as AuditRekeyRefusedError).problems.map((p) => p.problem)).toContain('altered');
    expect(await seals()).toEqual(before);
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select('seq')
        .where('action', '=', 'audit-chain.rekeyed')
        .execute(),
    ).toHaveLength(1);
    await expectTriggerOn();
  });
});
