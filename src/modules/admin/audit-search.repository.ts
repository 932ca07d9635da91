import type { Kysely } from 'kysely';
import type { DB, JsonValue } from '../../db/schema.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import { isUuid } from './form-fields.ts';
import { AUDIT_CSV_HEADER, csvRow, isActionPrefix, type AuditFilters } from './audit-search.ts';
import { escapeLike } from './pagination.ts';

/**
 * Searching the audit trail, newest first, a page at a time by keyset on seq (no OFFSET: the trail is
 * the biggest table there is). Each filter uses an index: actor label aside, which is read while
 * walking seq backwards and so stops as soon as a page is full.
 */

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_LIMIT = 100_000;
const EXPORT_BATCH = 5_000;

export interface AuditRow {
  seq: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  childId: string | null;
  laChildId: string | null;
  requestId: string | null;
  ip: string | null;
  details: JsonValue;
}

function filtered(db: Kysely<DB>, f: AuditFilters) {
  let q = db.selectFrom('auditEvents').leftJoin('people', 'people.id', 'auditEvents.childId');
  if (f.actor) q = q.where('auditEvents.actorLabel', 'ilike', `%${escapeLike(f.actor)}%`);
  if (f.action) {
    q = isActionPrefix(f.action)
      ? q.where('auditEvents.action', 'like', `${escapeLike(f.action.replace(/\*$/, ''))}%`)
      : q.where('auditEvents.action', '=', f.action);
  }
  if (f.subjectId) q = q.where('auditEvents.subjectId', '=', f.subjectId);
  if (f.childId) {
    const childId = f.childId;
    q = isUuid(childId)
      ? q.where('auditEvents.childId', '=', childId.toLowerCase())
      : q.where('auditEvents.childId', 'in', (eb) =>
          eb.selectFrom('people as p').select('p.id').where('p.laChildId', '=', childId),
        );
  }
  if (f.from) q = q.where('auditEvents.occurredAt', '>=', instantAt(f.from, '00:00'));
  if (f.to) q = q.where('auditEvents.occurredAt', '<', instantAt(addCalendarDays(f.to, 1), '00:00'));
  if (f.requestId) q = q.where('auditEvents.requestId', '=', f.requestId);
  return q;
}

const COLUMNS = [
  'auditEvents.seq',
  'auditEvents.occurredAt',
  'auditEvents.actorUserId',
  'auditEvents.actorLabel',
  'auditEvents.action',
  'auditEvents.subjectType',
  'auditEvents.subjectId',
  'auditEvents.childId',
  // The LA child ID only: administrators never see anything else from a child's record.
  'people.laChildId',
  'auditEvents.requestId',
  'auditEvents.ip',
  'auditEvents.details',
] as const;

export interface AuditCursor {
  /** Show events older than this seq (the "Next" link). */
  before?: number | undefined;
  /** Show events newer than this seq (the "Previous" link). */
  after?: number | undefined;
}

export interface AuditPage {
  rows: AuditRow[];
  /** seq to pass as `after` for the newer page, or null when this is the newest. */
  newer: number | null;
  /** seq to pass as `before` for the older page, or null when this is the oldest. */
  older: number | null;
}

export async function searchAuditTrail(
  db: Kysely<DB>,
  filters: AuditFilters,
  cursor: AuditCursor,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  let q = filtered(db, filters).select([...COLUMNS]);
  if (cursor.after !== undefined) {
    // Going back towards the newest: read upwards, then show newest first.
    const rows = (await q
      .where('auditEvents.seq', '>', cursor.after)
      .orderBy('auditEvents.seq', 'asc')
      .limit(pageSize + 1)
      .execute()) as AuditRow[];
    const hasNewer = rows.length > pageSize;
    const page = rows.slice(0, pageSize).reverse();
    return {
      rows: page,
      newer: hasNewer && page.length ? page[0]!.seq : null,
      older: page.length ? page[page.length - 1]!.seq : null,
    };
  }
  if (cursor.before !== undefined) q = q.where('auditEvents.seq', '<', cursor.before);
  const rows = (await q
    .orderBy('auditEvents.seq', 'desc')
    .limit(pageSize + 1)
    .execute()) as AuditRow[];
  const hasOlder = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  return {
    rows: page,
    newer: cursor.before !== undefined && page.length ? page[0]!.seq : null,
    older: hasOlder && page.length ? page[page.length - 1]!.seq : null,
  };
}

/** How many events match, counting no further than `cap + 1` (so a huge trail costs a bounded read). */
export async function countAuditMatches(
  db: Kysely<DB>,
  filters: AuditFilters,
  cap = AUDIT_EXPORT_LIMIT,
): Promise<number> {
  const inner = filtered(db, filters)
    .select('auditEvents.seq')
    .limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('m'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The matching events as CSV, newest first, at most `limit` rows, read in keyset batches. Returns the
 * text in chunks (one per batch) for the response to stream, and how many rows it holds.
 */
export async function exportAuditTrail(
  db: Kysely<DB>,
  filters: AuditFilters,
  limit = AUDIT_EXPORT_LIMIT,
): Promise<{ chunks: string[]; rows: number; truncated: boolean }> {
  const chunks = [csvRow(AUDIT_CSV_HEADER)];
  let rows = 0;
  let before: number | undefined;
  let truncated = false;
  for (;;) {
    const want = Math.min(EXPORT_BATCH, limit - rows);
    if (want <= 0) {
      truncated = (await searchAuditTrail(db, filters, { before }, 1)).rows.length > 0;
      break;
    }
    const page = await searchAuditTrail(db, filters, before === undefined ? {} : { before }, want);
    if (page.rows.length === 0) break;
    chunks.push(
      page.rows
        .map((r) =>
          csvRow([
            r.seq,
            r.occurredAt,
            r.actorUserId,
            r.actorLabel,
            r.action,
            r.subjectType,
            r.subjectId,
            r.childId,
            r.laChildId,
            r.requestId,
            r.ip,
            r.details,
          ]),
        )
        .join(''),
    );
    rows += page.rows.length;
    before = page.rows[page.rows.length - 1]!.seq;
    if (page.older === null) break;
  }
  return { chunks, rows, truncated };
}
