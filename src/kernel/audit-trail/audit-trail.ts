import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, JsonValue } from '../../db/schema.ts';

/**
 * The security record of who saw and changed what (ADR 0007). Append-only: a trigger rejects DELETE and
 * TRUNCATE, and every UPDATE except the seal below. Rows are written in the same transaction as the change
 * they record, with a sequence number from a SQL sequence and no hash, so no lock is held to commit.
 *
 * A sealer (`sealAuditTrail`, run by the server every few seconds and by `threshold audit verify` first)
 * takes the committed rows not yet sealed, in `seq` order, numbers them on from the end of the chain
 * (`chain_pos` 1, 2, 3 … with no gaps: a rolled-back transaction's unused `seq` is not in the chain) and
 * links each to the one before with an HMAC-SHA-256 under a key the database does not hold
 * (`AUDIT_CHAIN_KEY`). Verification names any row altered, inserted or removed; a signed head kept outside
 * the database (`writeAuditAnchor`) also catches rows removed from the end, or a chain rewritten from some
 * point on by someone who does not hold the key.
 */

export const GENESIS_HASH = '0'.repeat(64);
/** Taken only by the sealer, for the few milliseconds a seal takes: never by a request. */
export const SEAL_LOCK_KEY = 7_363_202;

export interface AuditActor {
  userId: string | null;
  /** Email, API client name or 'system'; kept even if the user is later renamed. */
  label: string;
}

export interface AuditEventInput {
  actor: AuditActor;
  /** '<resource>.<past-verb>', e.g. 'child-record.viewed'. */
  action: string;
  subjectType: string;
  subjectId?: string | null;
  childId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, JsonValue | undefined>;
  occurredAt: Date;
}

export interface StoredAuditEvent {
  seq: number;
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  childId: string | null;
  requestId: string | null;
  ip: string | null;
  details: JsonValue;
  /** Null until the row is sealed (shortly after its transaction commits). */
  chainPos: number | null;
  prevHash: string | null;
  hash: string | null;
}

/** JSON with sorted keys and no undefined values, so that jsonb round trips hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields a row's seal covers: everything in it, its place in the chain and the hash before it. */
export type SealedFields = Omit<StoredAuditEvent, 'chainPos' | 'prevHash' | 'hash'> & {
  chainPos: number;
  prevHash: string;
};

export function hashAuditEvent(key: string, e: SealedFields): string {
  const payload = canonicalJson([
    e.seq,
    e.chainPos,
    e.id,
    e.occurredAt.toISOString(),
    e.actorUserId,
    e.actorLabel,
    e.action,
    e.subjectType,
    e.subjectId,
    e.childId,
    e.requestId,
    e.ip,
    e.details,
    e.prevHash,
  ]);
  return createHmac('sha256', key).update(payload).digest('hex');
}

function cleanDetails(details: AuditEventInput['details']): JsonValue {
  return JSON.parse(canonicalJson(details ?? {})) as JsonValue;
}

/** What `recordAuditEvent` wrote: the row before it is sealed. */
export type RecordedAuditEvent = Omit<StoredAuditEvent, 'chainPos' | 'prevHash' | 'hash'>;

/**
 * Must be called inside the transaction that makes the change. Takes no lock: the row gets the next `seq`
 * and is sealed into the chain after the transaction commits.
 */
export async function recordAuditEvent(
  trx: Transaction<DB>,
  input: AuditEventInput,
): Promise<RecordedAuditEvent> {
  // Truncate to milliseconds: what JavaScript and PostgreSQL both hold exactly.
  const occurredAt = new Date(Math.floor(input.occurredAt.getTime()));
  const row = {
    id: crypto.randomUUID(),
    occurredAt,
    actorUserId: input.actor.userId,
    actorLabel: input.actor.label,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    childId: input.childId ?? null,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    details: cleanDetails(input.details),
  };
  const { seq } = await trx
    .insertInto('auditEvents')
    .values({ ...row, details: JSON.stringify(row.details) })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return { seq, ...row };
}

export interface ChainHead {
  chainPos: number;
  hash: string;
}

export async function chainHead(db: Kysely<DB> | Transaction<DB>): Promise<ChainHead | null> {
  const row = await db
    .selectFrom('auditEvents')
    .select(['chainPos', 'hash'])
    .where('chainPos', 'is not', null)
    .orderBy('chainPos', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.chainPos && row.hash ? { chainPos: row.chainPos, hash: row.hash } : null;
}

/**
 * Seals up to `batchSize` of the rows not yet sealed, in `seq` order, onto the end of the chain, in the caller's
 * transaction (which must hold the sealers' lock, or keep every other sealer out some other way).
 */
export async function sealBatch(
  trx: Transaction<DB>,
  key: string,
  batchSize: number,
): Promise<{ count: number; head: ChainHead | null }> {
  let last = await chainHead(trx);
  const rows = await trx
    .selectFrom('auditEvents')
    .selectAll()
    .where('hash', 'is', null)
    .orderBy('seq')
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return { count: 0, head: last };
  const values = rows.map((r) => {
    const fields: SealedFields = {
      ...(r as unknown as StoredAuditEvent),
      occurredAt: new Date(r.occurredAt),
      chainPos: (last?.chainPos ?? 0) + 1,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = hashAuditEvent(key, fields);
    last = { chainPos: fields.chainPos, hash };
    return sql`(${r.seq}::bigint, ${fields.chainPos}::bigint, ${fields.prevHash}, ${hash})`;
  });
  await sql`
    update audit_events as e
       set chain_pos = v.chain_pos, prev_hash = v.prev_hash, hash = v.hash
      from (values ${sql.join(values)}) as v (seq, chain_pos, prev_hash, hash)
     where e.seq = v.seq and e.hash is null`.execute(trx);
  return { count: rows.length, head: last };
}

export interface SealOptions {
  key: string;
  /** Wait for another sealer to finish (the CLI before verifying) rather than leave the work to it. */
  wait?: boolean;
  batchSize?: number;
}

/**
 * Seals every committed row not yet sealed, in `seq` order, onto the end of the chain. Only committed rows
 * are visible to it, so a row of a transaction still in flight is sealed by a later run, after rows with a
 * higher `seq` that committed first: the chain's order is the order rows were sealed. Safe to run in
 * several processes at once (a transaction-scoped advisory lock that only sealers take). Returns how many
 * rows it sealed and the head of the chain.
 */
export async function sealAuditTrail(
  db: Kysely<DB>,
  options: SealOptions,
): Promise<{ sealed: number; head: ChainHead | null; skipped: boolean }> {
  const batchSize = options.batchSize ?? 1000;
  let sealed = 0;
  let head: ChainHead | null = null;
  for (;;) {
    const result = await db.transaction().execute(async (trx) => {
      if (options.wait) {
        await sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY})`.execute(trx);
      } else {
        const got = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(${SEAL_LOCK_KEY}) as locked`.execute(trx);
        if (!got.rows[0]?.locked) return null;
      }
      return sealBatch(trx, options.key, batchSize);
    });
    if (result === null) return { sealed, head, skipped: sealed === 0 };
    sealed += result.count;
    head = result.head;
    if (result.count < batchSize) return { sealed, head, skipped: false };
  }
}

/** A head of the chain, signed with the chain's key, kept outside the database (a file, the logs). */
export interface AuditAnchor {
  chainPos: number;
  hash: string;
  at: string;
  signature: string;
}

function anchorSignature(key: string, a: Omit<AuditAnchor, 'signature'>): string {
  return createHmac('sha256', key)
    .update(canonicalJson(['audit-anchor', a.chainPos, a.hash, a.at]))
    .digest('hex');
}

export function signAuditAnchor(key: string, head: ChainHead, at: Date): AuditAnchor {
  const a = { chainPos: head.chainPos, hash: head.hash, at: at.toISOString() };
  return { ...a, signature: anchorSignature(key, a) };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Parses anchor lines (JSON, one a line), ignoring blank lines; a line that is not an anchor is refused. */
export function parseAuditAnchors(text: string): AuditAnchor[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const v = JSON.parse(line) as Partial<AuditAnchor>;
      if (
        typeof v.chainPos !== 'number' ||
        typeof v.hash !== 'string' ||
        typeof v.at !== 'string' ||
        typeof v.signature !== 'string'
      )
        throw new Error(`line ${i + 1} is not an audit anchor`);
      return { chainPos: v.chainPos, hash: v.hash, at: v.at, signature: v.signature };
    });
}

export interface AuditVerifyProblem {
  /** The row's place in the chain (for a row not in the chain, its `seq`). */
  chainPos: number;
  seq: number | null;
  id: string | null;
  problem:
    'altered' | 'broken-link' | 'missing-rows' | 'unexpected-position' | 'anchor-mismatch' | 'anchor-invalid';
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** Committed rows the sealer has not reached yet: not covered by this check. */
  unsealed: number;
  head: ChainHead | null;
  problems: AuditVerifyProblem[];
}

export interface VerifyOptions {
  key: string;
  /** Heads recorded earlier outside the database: the chain must still pass through each of them. */
  anchors?: AuditAnchor[];
  onProgress?: (checked: number, total: number) => void;
}

/**
 * The sealed chain in order, a page at a time (keyset on `chain_pos`, so a long trail does not fill memory): what
 * verifying the trail and re-sealing it under a new key both walk. The next page is read once the caller is done
 * with the last.
 */
export async function* auditChainPages(db: Kysely<DB> | Transaction<DB>, pageSize: number) {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('chainPos', '>', after)
      .orderBy('chainPos')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.chainPos!;
  }
}

/**
 * Walks the whole chain in order. Altered row → its HMAC no longer matches its content. Inserted or forged
 * row → its HMAC cannot be made without the key, and its prev_hash or position does not fit. Removed row → a
 * gap in the positions and a broken link at the next row. Rows removed from the end, or the chain rewritten
 * from some row on → the chain no longer passes through an anchor. Reads in pages so a long trail does not
 * fill memory.
 */
export async function verifyAuditTrail(db: Kysely<DB>, options: VerifyOptions): Promise<AuditVerifyResult> {
  const counts = await db
    .selectFrom('auditEvents')
    .select((eb) => [
      eb.fn.countAll().as('total'),
      eb.fn.count('seq').filterWhere('hash', 'is', null).as('unsealed'),
    ])
    .executeTakeFirstOrThrow();
  const unsealed = Number(counts.unsealed);
  const total = Number(counts.total) - unsealed;
  const problems: AuditVerifyProblem[] = [];
  const anchors = new Map<number, AuditAnchor[]>();
  for (const a of options.anchors ?? []) {
    if (!sameHex(a.signature, anchorSignature(options.key, a))) {
      problems.push({
        chainPos: a.chainPos,
        seq: null,
        id: null,
        problem: 'anchor-invalid',
        message: `the anchor for row ${a.chainPos} recorded at ${a.at} is not signed with this chain's key`,
      });
      continue;
    }
    anchors.set(a.chainPos, [...(anchors.get(a.chainPos) ?? []), a]);
  }
  let prevHash = GENESIS_HASH;
  let expectedPos = 1;
  let checked = 0;
  let head: ChainHead | null = null;
  for await (const rows of auditChainPages(db, 5000)) {
    for (const r of rows) {
      const row = r as unknown as StoredAuditEvent & { chainPos: number; prevHash: string; hash: string };
      const pos = row.chainPos;
      if (pos !== expectedPos) {
        problems.push({
          chainPos: pos,
          seq: row.seq,
          id: row.id,
          problem: pos > expectedPos ? 'missing-rows' : 'unexpected-position',
          message:
            pos > expectedPos
              ? `rows ${expectedPos}–${pos - 1} are missing before row ${pos} (${row.id})`
              : `row ${pos} (${row.id}) is out of sequence: expected ${expectedPos}`,
        });
      }
      if (row.prevHash !== prevHash) {
        problems.push({
          chainPos: pos,
          seq: row.seq,
          id: row.id,
          problem: 'broken-link',
          message: `row ${pos} (${row.id}) does not follow the row before it: a row was inserted, removed or altered before it`,
        });
      }
      const expected = hashAuditEvent(options.key, { ...row, occurredAt: new Date(row.occurredAt) });
      if (!sameHex(expected, row.hash)) {
        problems.push({
          chainPos: pos,
          seq: row.seq,
          id: row.id,
          problem: 'altered',
          message: `row ${pos} (${row.id}, ${row.action}) has been altered or forged: its content no longer matches its seal`,
        });
      }
      for (const a of anchors.get(pos) ?? []) {
        if (a.hash !== row.hash)
          problems.push({
            chainPos: pos,
            seq: row.seq,
            id: row.id,
            problem: 'anchor-mismatch',
            message: `row ${pos} (${row.id}) is not the row anchored at ${a.at}: the chain has been rewritten from this row or before`,
          });
      }
      anchors.delete(pos);
      prevHash = row.hash;
      expectedPos = pos + 1;
      head = { chainPos: pos, hash: row.hash };
      checked++;
    }
    options.onProgress?.(checked, total);
  }
  for (const [pos, list] of anchors) {
    for (const a of list)
      problems.push({
        chainPos: pos,
        seq: null,
        id: null,
        problem: 'missing-rows',
        message: `rows ${head ? head.chainPos + 1 : 1}–${pos} are missing: the chain ends at row ${head?.chainPos ?? 0}, but row ${pos} was anchored at ${a.at}`,
      });
  }
  return { ok: problems.length === 0, checked, unsealed, head, problems };
}
