import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  auditChainPages,
  GENESIS_HASH,
  hashAuditEvent,
  recordAuditEvent,
  sealAuditTrail,
  sealBatch,
  SEAL_LOCK_KEY,
  verifyAuditTrail,
  type AuditAnchor,
  type AuditVerifyProblem,
  type ChainHead,
  type StoredAuditEvent,
} from './audit-trail.ts';

/**
 * Re-sealing the audit trail under a new key (`threshold audit rekey`, ADR 0007): the way to rotate
 * AUDIT_CHAIN_KEY. Every row's seal is an HMAC under the key, so a new key makes every old seal fail; the chain is
 * re-computed under the new key, in one transaction, only after it has verified under the old one.
 *
 * The append-only trigger refuses every UPDATE of a sealed row, as it must. The rekey switches it off with
 * `ALTER TABLE audit_events DISABLE TRIGGER` inside its transaction and on again before committing:
 *
 * - only the table's owner (or a superuser) may ALTER a table, so the role the app runs as (ADR 0007 item 6) cannot
 *   do it: the rekey runs as the owner role that runs the migrations, and refuses with a clear message otherwise;
 * - ALTER TABLE is transactional in PostgreSQL: if anything fails (the chain does not verify, the connection drops)
 *   the transaction rolls back and the trigger is on again, with every row as it was. It is never left off;
 * - ALTER TABLE takes an ACCESS EXCLUSIVE lock on the table until the commit: nobody can insert, seal or even read an
 *   audit row while the chain is checked and rewritten, so the chain verified is the chain rewritten.
 *
 * No migration is needed: a session setting the trigger honoured would have to be guarded by a role check in the
 * trigger itself, which the owner's ALTER TABLE makes redundant.
 */

export class AuditRekeyRefusedError extends Error {
  constructor(
    message: string,
    readonly problems: AuditVerifyProblem[] = [],
  ) {
    super(message);
    this.name = 'AuditRekeyRefusedError';
  }
}

export interface RekeyOptions {
  oldKey: string;
  newKey: string;
  /** Signed heads kept outside the database, signed with the OLD key: the chain must pass through each. */
  anchors?: AuditAnchor[];
  /** Who ran it (the audit event of the rekey names them). */
  actorLabel: string;
  now: Date;
  batchSize?: number;
}

export interface RekeyResult {
  /** Rows re-sealed under the new key (the chain before the rekey). */
  resealed: number;
  /** The chain's head under the old key, before the rekey. */
  oldHead: ChainHead | null;
  /** The chain's head under the new key, the rekey's own audit event included. */
  newHead: ChainHead;
  /** How many rows the check under the new key covered. */
  verified: number;
}

const TRIGGER = 'audit_events_no_update_or_delete';

/** 42501: insufficient privilege (ALTER TABLE by a role that does not own the table). */
function isNotOwner(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '42501' || /must be owner/i.test(e.message ?? '');
}

async function rewriteChain(trx: Transaction<DB>, newKey: string, pageSize: number): Promise<number> {
  let prevHash = GENESIS_HASH;
  let count = 0;
  for await (const rows of auditChainPages(trx, pageSize)) {
    const values = rows.map((r) => {
      const row = r as unknown as StoredAuditEvent & { chainPos: number };
      const hash = hashAuditEvent(newKey, { ...row, occurredAt: new Date(row.occurredAt), prevHash });
      const value = sql`(${row.seq}::bigint, ${prevHash}, ${hash})`;
      prevHash = hash;
      return value;
    });
    await sql`
      update audit_events as e set prev_hash = v.prev_hash, hash = v.hash
        from (values ${sql.join(values)}) as v (seq, prev_hash, hash)
       where e.seq = v.seq`.execute(trx);
    count += rows.length;
  }
  return count;
}

/**
 * Verifies the whole chain and the anchors under the old key, then re-seals every row under the new key, records an
 * `audit-chain.rekeyed` event (sealed under the new key) and verifies the chain under the new key: all in one
 * transaction, as the table's owner. Refuses (`AuditRekeyRefusedError`, nothing changed) when the chain does not
 * verify under the old key, when the keys are the same, or when not run as the owner. Write a new anchor, signed
 * with the new key, afterwards (the old anchors are signed with the old key).
 */
export async function rekeyAuditTrail(db: Kysely<DB>, options: RekeyOptions): Promise<RekeyResult> {
  if (options.oldKey === options.newKey)
    throw new AuditRekeyRefusedError('The old and the new key are the same: there is nothing to re-seal.');
  const batchSize = options.batchSize ?? 1000;
  // Seal, under the old key, the rows committed before the rekey, so that they are verified with the rest.
  await sealAuditTrail(db, { key: options.oldKey, wait: true, batchSize });
  return db.transaction().execute(async (trx) => {
    // The sealers' lock first (a sealer takes it before it reads the table), then the table's.
    await sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY})`.execute(trx);
    try {
      await sql.raw(`alter table audit_events disable trigger ${TRIGGER}`).execute(trx);
    } catch (error) {
      if (isNotOwner(error))
        throw new AuditRekeyRefusedError(
          'Only the owner of the audit_events table may re-seal the audit trail: connect as the role that runs the migrations, not the role the app runs as.',
        );
      throw error;
    }
    // Rows committed between the seal above and the lock: sealed under the old key like the others.
    for (;;) if ((await sealBatch(trx, options.oldKey, batchSize)).count < batchSize) break;
    const before = await verifyAuditTrail(trx, { key: options.oldKey, anchors: options.anchors ?? [] });
    if (!before.ok)
      throw new AuditRekeyRefusedError(
        `The audit trail does not verify under the old key (${before.problems.length} problem(s)): it was not re-sealed. Investigate first: re-sealing would hide the problems.`,
        before.problems,
      );
    const resealed = await rewriteChain(trx, options.newKey, batchSize);
    await recordAuditEvent(trx, {
      actor: { userId: null, label: options.actorLabel },
      action: 'audit-chain.rekeyed',
      subjectType: 'audit-trail',
      occurredAt: options.now,
      details: {
        resealed,
        oldHeadPosition: before.head?.chainPos ?? 0,
        oldHeadHash: before.head?.hash ?? null,
      },
    });
    let newHead: ChainHead | null = null;
    for (;;) {
      const batch = await sealBatch(trx, options.newKey, batchSize);
      newHead = batch.head;
      if (batch.count < batchSize) break;
    }
    await sql.raw(`alter table audit_events enable trigger ${TRIGGER}`).execute(trx);
    const after = await verifyAuditTrail(trx, { key: options.newKey });
    if (!after.ok || !newHead)
      throw new AuditRekeyRefusedError(
        'The re-sealed chain did not verify under the new key: nothing was changed.',
        after.problems,
      );
    return { resealed, oldHead: before.head, newHead, verified: after.checked };
  });
}
