import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, JsonValue } from '../../db/schema.ts';

/**
 * The security record of who saw and changed what. Append-only (a trigger rejects UPDATE, DELETE and
 * TRUNCATE) and hash-chained: each row carries the hash of the one before, so `threshold audit verify`
 * can name any row that was altered, inserted or removed. Rows are written in the same transaction as
 * the change they record. Sequence numbers are allocated under a transaction-scoped advisory lock (not
 * a SQL sequence, whose rolled-back values would leave gaps that look like removed rows).
 */

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_363_201; // arbitrary, fixed: the audit chain's advisory lock

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
  prevHash: string;
  hash: string;
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

export function hashAuditEvent(e: Omit<StoredAuditEvent, 'hash'>): string {
  const payload = canonicalJson([
    e.seq,
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
  return createHash('sha256').update(payload).digest('hex');
}

function cleanDetails(details: AuditEventInput['details']): JsonValue {
  return JSON.parse(canonicalJson(details ?? {})) as JsonValue;
}

/** Must be called inside the transaction that makes the change. */
export async function recordAuditEvent(
  trx: Transaction<DB>,
  input: AuditEventInput,
): Promise<StoredAuditEvent> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx
    .selectFrom('auditEvents')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Truncate to milliseconds: what JavaScript and PostgreSQL both hold exactly.
  const occurredAt = new Date(Math.floor(input.occurredAt.getTime()));
  const row: Omit<StoredAuditEvent, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
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
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashAuditEvent(row);
  await trx
    .insertInto('auditEvents')
    .values({ ...row, details: JSON.stringify(row.details), hash })
    .execute();
  return { ...row, hash };
}

export interface AuditVerifyProblem {
  seq: number;
  id: string | null;
  problem: 'altered' | 'broken-link' | 'missing-rows' | 'unexpected-seq';
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: AuditVerifyProblem[];
}

/**
 * Walks the whole chain in order. Altered row → its stored hash no longer matches its content.
 * Inserted row → its prev_hash or seq does not fit between its neighbours. Removed row → a gap in seq
 * and a broken link at the next row. Reads in pages so a long trail does not fill memory.
 */
export async function verifyAuditTrail(
  db: Kysely<DB>,
  onProgress?: (checked: number, total: number) => void,
): Promise<AuditVerifyResult> {
  const total = Number(
    (
      await db
        .selectFrom('auditEvents')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
  const problems: AuditVerifyProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let after = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const row = r as unknown as StoredAuditEvent;
      if (row.seq !== expectedSeq) {
        problems.push({
          seq: row.seq,
          id: row.id,
          problem: row.seq > expectedSeq ? 'missing-rows' : 'unexpected-seq',
          message:
            row.seq > expectedSeq
              ? `rows ${expectedSeq}–${row.seq - 1} are missing before row ${row.seq} (${row.id})`
              : `row ${row.seq} (${row.id}) is out of sequence: expected ${expectedSeq}`,
        });
      }
      if (row.prevHash !== prevHash) {
        problems.push({
          seq: row.seq,
          id: row.id,
          problem: 'broken-link',
          message: `row ${row.seq} (${row.id}) does not follow the row before it: a row was inserted, removed or altered before it`,
        });
      }
      const expected = hashAuditEvent({ ...row, occurredAt: new Date(row.occurredAt) });
      if (expected !== row.hash) {
        problems.push({
          seq: row.seq,
          id: row.id,
          problem: 'altered',
          message: `row ${row.seq} (${row.id}, ${row.action}) has been altered: its content no longer matches its hash`,
        });
      }
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
      after = row.seq;
      checked++;
    }
    onProgress?.(checked, total);
  }
  return { ok: problems.length === 0, checked, problems };
}
