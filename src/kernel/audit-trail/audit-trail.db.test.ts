import { createHash, createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditEvent,
  parseAuditAnchors,
  recordAuditEvent,
  sealAuditTrail,
  signAuditAnchor,
  verifyAuditTrail,
  type StoredAuditEvent,
} from './audit-trail.ts';

const key = 'a-test-only-audit-chain-key-of-32-characters-or-more';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

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

const seal = (db = handle.db) => sealAuditTrail(db, { key, wait: true });
const verify = (db = handle.db, anchors = [] as ReturnType<typeof signAuditAnchor>[]) =>
  verifyAuditTrail(db, { key, anchors });

async function stored(db: DatabaseHandle['db'], seq: number) {
  return (await db
    .selectFrom('auditEvents')
    .selectAll()
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow()) as unknown as StoredAuditEvent;
}

/** Runs statements with the append-only trigger switched off, as the table's owner could. */
async function tamper(db: DatabaseHandle['db'], ...statements: ReturnType<typeof sql>[]) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
    await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(trx);
  });
}

describe('audit trail', () => {
  it('appends without a hash, then the sealer chains the rows in order with a keyed hash', async () => {
    const before = await (await seal(), verify());
    const first = await record('thing.created', { n: 1 });
    const second = await record('thing.changed', { n: 2 });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect((await stored(handle.db, first.seq)).hash).toBeNull();
    expect(await seal()).toMatchObject({ sealed: 2 });
    const [a, b] = [await stored(handle.db, first.seq), await stored(handle.db, second.seq)];
    expect(b.chainPos).toBe(a.chainPos! + 1);
    expect(b.prevHash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    // An HMAC under the key, not a plain SHA-256 anyone could recompute.
    const fields = { ...a, occurredAt: new Date(a.occurredAt), chainPos: a.chainPos!, prevHash: a.prevHash! };
    expect(a.hash).toBe(hashAuditEvent(key, fields));
    expect(a.hash).not.toBe(hashAuditEvent('another-key-another-key-another-key', fields));
    const result = await verify();
    expect(result).toMatchObject({ ok: true, checked: before.checked + 2, unsealed: 0, problems: [] });
  });

  it('starts the chain from the genesis hash', async () => {
    await record('thing.first-or-not');
    await seal();
    const row = await handle.db
      .selectFrom('auditEvents')
      .select('prevHash')
      .where('chainPos', '=', 1)
      .executeTakeFirstOrThrow();
    expect(row.prevHash).toBe(GENESIS_HASH);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, and a second seal of a sealed row', async () => {
    const kept = await record('thing.kept');
    await expect(sql`update audit_events set action = 'x'`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(handle.db)).rejects.toThrow(/append-only/);
    // Not yet sealed: a "seal" that changes anything else is refused too.
    await expect(
      sql`update audit_events set action = 'x', chain_pos = 999999, prev_hash = 'a', hash = 'b' where seq = ${kept.seq}`.execute(
        handle.db,
      ),
    ).rejects.toThrow(/append-only/);
    await seal();
    await expect(
      sql`update audit_events set hash = ${'0'.repeat(64)} where seq = ${kept.seq}`.execute(handle.db),
    ).rejects.toThrow(/append-only/);
  });

  it('a rolled-back change leaves no audit row and no gap in the chain', async () => {
    await seal();
    const before = await verify();
    let abandoned = 0;
    await expect(
      handle.db.transaction().execute(async (trx) => {
        abandoned = (
          await recordAuditEvent(trx, {
            actor,
            action: 'thing.abandoned',
            subjectType: 'test',
            occurredAt: at,
          })
        ).seq;
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const next = await record('thing.after-rollback');
    expect(next.seq).toBeGreaterThan(abandoned); // the sequence number was used up …
    await seal();
    const after = await verify();
    expect(after).toMatchObject({ ok: true, checked: before.checked + 1 }); // … but the chain has no gap
    expect((await stored(handle.db, next.seq)).chainPos).toBe(before.head!.chainPos + 1);
  });

  it('keeps the chain whole when many transactions write at once', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => record('thing.concurrent', { i })));
    await seal();
    expect(await verify()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it.skipIf(!onPostgres)(
    'two transactions hold uncommitted audit rows at the same time (no lock), and both are sealed in order',
    async () => {
      await seal();
      const before = await verify();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const inserted: number[] = [];
      let bothWritten!: () => void;
      const both = new Promise<void>((r) => (bothWritten = r));
      const open = (action: string, wait: Promise<void>) =>
        handle.db.transaction().execute(async (trx) => {
          const row = await recordAuditEvent(trx, { actor, action, subjectType: 'test', occurredAt: at });
          inserted.push(row.seq);
          if (inserted.length === 2) bothWritten();
          await wait;
          return row;
        });
      const firstTx = open('thing.slow', gate);
      const secondTx = open('thing.quick', both);
      // Both rows were written while neither transaction had committed: nothing serialised them.
      await both;
      expect(inserted).toHaveLength(2);
      const quick = await secondTx; // commits first
      const pending = await handle.db
        .selectFrom('auditEvents')
        .select('seq')
        .where('action', 'in', ['thing.slow', 'thing.quick'])
        .execute();
      expect(pending.map((r) => r.seq)).toEqual([quick.seq]); // the other is still uncommitted
      expect((await seal()).sealed).toBe(1); // the sealer seals only what has committed
      release();
      const slow = await firstTx;
      expect((await seal()).sealed).toBe(1);
      const [s, q] = [await stored(handle.db, slow.seq), await stored(handle.db, quick.seq)];
      expect(s.chainPos).toBe(q.chainPos! + 1); // sealed in the order they committed
      expect(s.prevHash).toBe(q.hash);
      expect(await verify()).toMatchObject({ ok: true, checked: before.checked + 2 });
    },
  );

  it('canonical JSON sorts keys and drops undefined, so jsonb round trips hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: 'x' }, z: undefined })).toBe(
      '{"a":{"c":"x","d":[1,null]},"b":1}',
    );
  });

  it('names an altered row', async () => {
    const target = await record('thing.to-alter', { value: 'original' });
    await seal();
    const sealed = await stored(handle.db, target.seq);
    await tamper(
      handle.db,
      sql`update audit_events set details = '{"value":"forged"}'::jsonb where seq = ${target.seq}`,
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ chainPos: sealed.chainPos, id: target.id, problem: 'altered' }),
    );
    expect(result.problems.find((p) => p.problem === 'altered')?.message).toContain(`row ${sealed.chainPos}`);
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
  const write = async (action: string) => {
    const row = await local.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, { actor, action, subjectType: 'test', occurredAt: at }));
    await seal(local.db);
    return stored(local.db, row.seq);
  };
  it('names a removed row by the gap it leaves and the broken link after it', async () => {
    const rows = [await write('a'), await write('b'), await write('c')];
    await tamper(local.db, sql`delete from audit_events where seq = ${rows[1]!.seq}`);
    const result = await verify(local.db);
    expect(result.ok).toBe(false);
    const missing = result.problems.find((p) => p.problem === 'missing-rows');
    expect(missing?.chainPos).toBe(rows[2]!.chainPos);
    expect(missing?.message).toContain(`rows ${rows[1]!.chainPos}–${rows[1]!.chainPos} are missing`);
    expect(result.problems.some((p) => p.problem === 'broken-link' && p.chainPos === rows[2]!.chainPos)).toBe(
      true,
    );
  });
});

describe('audit trail tampering that only a key or an anchor can catch', () => {
  let local: DatabaseHandle;
  beforeEach(async () => {
    local = await testDb();
  });
  afterEach(async () => {
    await local?.close();
  });
  const write = (action: string) =>
    local.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, { actor, action, subjectType: 'test', occurredAt: at }));

  it('rows deleted from the end pass without an anchor, and are named against the signed head', async () => {
    for (const a of ['a', 'b', 'c', 'd']) await write(a);
    const { head } = await seal(local.db);
    const anchor = signAuditAnchor(key, head!, new Date('2026-11-24T10:05:00Z'));
    // The anchor survives being written out and read back.
    expect(parseAuditAnchors(`${JSON.stringify(anchor)}\n`)).toEqual([anchor]);
    await tamper(local.db, sql`delete from audit_events where chain_pos > ${head!.chainPos - 2}`);
    expect((await verify(local.db)).ok).toBe(true); // the chain that is left is whole …
    const result = await verify(local.db, [anchor]); // … but no longer reaches the anchored head
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ problem: 'missing-rows', chainPos: head!.chainPos }),
    );
    expect(result.problems[0]!.message).toContain(`rows ${head!.chainPos - 1}–${head!.chainPos} are missing`);
  });

  it('a row altered and the rest of the chain recomputed: without the key every seal fails; with it, the anchor does', async () => {
    for (const a of ['a', 'b', 'c']) await write(a);
    const { head } = await seal(local.db);
    const anchor = signAuditAnchor(key, head!, new Date('2026-11-24T10:05:00Z'));
    const rows = await local.db.selectFrom('auditEvents').selectAll().orderBy('chainPos').execute();
    const rechain = async (withKey: string) => {
      let prev = GENESIS_HASH;
      const statements = rows.map((r, i) => {
        const row = r as unknown as StoredAuditEvent;
        const details = i === 1 ? { forged: true } : row.details;
        const fields = {
          ...row,
          details,
          occurredAt: new Date(row.occurredAt),
          chainPos: row.chainPos!,
          prevHash: prev,
        };
        const hash = hashAuditEvent(withKey, fields);
        prev = hash;
        return sql`update audit_events set details = ${JSON.stringify(details)}::jsonb, prev_hash = ${fields.prevHash}, hash = ${hash} where seq = ${row.seq}`;
      });
      await tamper(local.db, ...statements);
    };
    await rechain('an-attacker-guess-at-the-key-an-attacker-guess');
    const withoutKey = await verify(local.db);
    expect(withoutKey.ok).toBe(false);
    expect(withoutKey.problems.filter((p) => p.problem === 'altered')).toHaveLength(rows.length);
    // Someone who also holds the key can make a consistent chain, but not the one anchored outside.
    await rechain(key);
    expect((await verify(local.db)).ok).toBe(true);
    const anchored = await verify(local.db, [anchor]);
    expect(anchored.problems).toEqual([
      expect.objectContaining({ problem: 'anchor-mismatch', chainPos: head!.chainPos }),
    ]);
  });

  it('names a forged row appended without the key, even with a correct link and position', async () => {
    await write('a');
    const { head } = await seal(local.db);
    const forged = {
      seq: 9_000_000,
      id: crypto.randomUUID(),
      occurredAt: new Date(),
      actorUserId: null,
      actorLabel: 'intruder',
      action: 'forged.event',
      subjectType: 'test',
      subjectId: null,
      childId: null,
      requestId: null,
      ip: null,
      details: {},
      chainPos: head!.chainPos + 1,
      prevHash: head!.hash,
    };
    // The best an intruder without the key can do: a plain SHA-256 (or an HMAC under a guessed key).
    const hash = createHash('sha256').update(canonicalJson(forged)).digest('hex');
    await sql`insert into audit_events (seq, id, occurred_at, actor_label, action, subject_type, details, chain_pos, prev_hash, hash)
              values (${forged.seq}, ${forged.id}, ${forged.occurredAt}, 'intruder', 'forged.event', 'test', '{}'::jsonb,
                      ${forged.chainPos}, ${forged.prevHash}, ${hash})`.execute(local.db);
    const result = await verify(local.db);
    expect(result.problems).toEqual([
      expect.objectContaining({ chainPos: forged.chainPos, problem: 'altered' }),
    ]);
  });

  it('refuses an anchor not signed with the key', async () => {
    await write('a');
    const { head } = await seal(local.db);
    const genuine = signAuditAnchor(key, head!, new Date('2026-11-24T10:05:00Z'));
    const forged = {
      ...genuine,
      chainPos: 1,
      signature: createHmac('sha256', 'not-the-key').update('x').digest('hex'),
    };
    const result = await verify(local.db, [genuine, forged]);
    expect(result.problems).toEqual([expect.objectContaining({ problem: 'anchor-invalid' })]);
  });
});
