import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { DB, JsonValue } from '../../db/schema.ts';
import { auditActor, type CurrentUser, type Permission } from '../access/index.ts';
import { recordAuditEvent } from '../audit-trail/index.ts';
import { appendCaseEvent, type CaseEventCategory } from '../case-events/index.ts';
import { AccessDeniedError, ConflictError } from '../errors.ts';
import type { WorkingDayCalendar } from '../working-days/index.ts';

/**
 * The service contract (docs/architecture.md, "Services"): every service function takes one ServiceContext first,
 * built once per request by definePage (a page's context is one) and once per command by the CLI.
 *
 *   export async function closeEpisode(ctx: ServiceContext, input: CloseEpisodeInput): Promise<void> {
 *     requirePermission(ctx.user, 'early-help:write');
 *     … rules, write …
 *     await recordChange(ctx, { audit: { action: 'early-help-episode.closed', … }, chronology: { … } });
 *   }
 */

/** The database or the request's transaction: what repositories and read-only services take. */
export type Db = Kysely<DB> | Transaction<DB>;

export interface ServiceContext {
  /** The request's transaction (pages) or the command's (CLI): everything a service writes commits together. */
  db: Transaction<DB>;
  user: CurrentUser;
  /** The request's clock reading: every date a service records, and every "today", comes from it. */
  now: Date;
  /** Working days of the user's authority (bank holidays and closure days): every statutory clock uses it. */
  calendar: WorkingDayCalendar;
  /**
   * The request the change came from, when there is one (a page fills it; the CLI and background jobs do not):
   * recordChange writes its id and the client's address into the audit event.
   */
  request?: RequestInfo;
}

/** What the audit trail keeps of the request behind a change: its id (as in the logs) and the client's address. */
export interface RequestInfo {
  id: string;
  ip: string;
}

/** A ServiceContext for work that only reads (a page's load, a report): any Db will do. */
export interface ReadContext extends Omit<ServiceContext, 'db'> {
  db: Db;
}

/** The user's roles must include the permission: otherwise AccessDeniedError (403). */
export function requirePermission(user: CurrentUser, permission: Permission): void {
  if (!user.permissions.has(permission)) throw new AccessDeniedError(permission);
}

export interface AuditPart {
  /** '<resource>.<past-verb>', e.g. 'early-help-episode.closed'. */
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** The child the change is about (listed under them in "who saw or changed this record"). */
  childId?: string | null;
  details?: Record<string, JsonValue | undefined>;
}

export interface ChronologyPart {
  /** One entry for each child (a family's episode writes to every child's chronology). */
  childIds: readonly string[];
  category: CaseEventCategory;
  title: string;
  summary?: string | null;
  significant?: boolean;
  /** When it happened, when not now (a meeting held last week); never later than now. */
  occurredAt?: Date;
  sourceType?: string | null;
  sourceId?: string | null;
}

/**
 * The one way a service records a change: the audit trail's event (who did what, for the security record) and,
 * where the change is part of the child's story, the chronology entries (what happened, for practitioners), in the
 * caller's transaction. The actor, the time and the recorder all come from the context.
 */
export async function recordChange(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now' | 'request'>,
  change: { audit?: AuditPart; chronology?: ChronologyPart },
): Promise<void> {
  if (change.chronology) {
    const c = change.chronology;
    const occurredAt = c.occurredAt && c.occurredAt.getTime() < ctx.now.getTime() ? c.occurredAt : ctx.now;
    for (const childId of c.childIds) {
      await appendCaseEvent(ctx.db, {
        childId,
        occurredAt,
        recordedAt: ctx.now,
        recordedBy: ctx.user.id,
        category: c.category,
        title: c.title,
        summary: c.summary ?? null,
        significant: c.significant ?? false,
        sourceType: c.sourceType ?? null,
        sourceId: c.sourceId ?? null,
      });
    }
  }
  if (change.audit) {
    const a = change.audit;
    await recordAuditEvent(ctx.db, {
      actor: auditActor(ctx.user),
      action: a.action,
      subjectType: a.subjectType,
      subjectId: a.subjectId ?? null,
      childId: a.childId ?? null,
      requestId: ctx.request?.id ?? null,
      ip: ctx.request?.ip ?? null,
      occurredAt: ctx.now,
      details: a.details ?? {},
    });
  }
}

/**
 * The version check's second half (docs/architecture.md, "No lost updates"): an UPDATE carries
 * `.where('version', '=', expected)` (or the expected current state) and this refuses the save when no row
 * matched, so of two saves from one version exactly one wins and the other is a 409 with nothing overwritten.
 */
export function requireUpdated(result: { numUpdatedRows: bigint } | undefined, message?: string): void {
  if (!result || Number(result.numUpdatedRows) < 1) throw new ConflictError(message);
}

/** The tables a whole record is saved to from one form, keyed by one column and carrying a `version`. */
type VersionedTable = { [T in keyof DB]: DB[T] extends { version: unknown } ? T : never }[keyof DB];

/** Kysely over any table, for the one generic statement pair below (its callers are typed by the signature). */
type AnyTables = Record<string, Record<string, unknown>>;

/**
 * Saves a record kept one to a key (an authority's settings, a worker's profile) with the version check: the form
 * was loaded at `version`, 0 where there was no row yet (the defaults were shown). Version 0 inserts, and only if
 * nobody did meanwhile; any other updates, only if the row is still at that version, and moves it on by one. Either
 * way a save that lost the race is a ConflictError (409, with `conflict` as its message) with nothing overwritten.
 *
 *   await saveVersioned(ctx.db, { table: 'supervisionSettings', key: 'localAuthorityId', id: laId, version }, values);
 */
export async function saveVersioned<T extends VersionedTable, K extends keyof DB[T] & string>(
  db: Transaction<DB>,
  target: { table: T; key: K; id: string; version: number; conflict?: string },
  values: Omit<Insertable<DB[T]>, K | 'version'> & Updateable<DB[T]>,
): Promise<void> {
  const { id, version, conflict } = target;
  const table: string = target.table;
  const key: string = target.key;
  const anyDb = db as unknown as Kysely<AnyTables>;
  if (version === 0) {
    const inserted = await anyDb
      .insertInto(table)
      .values({ [key]: id, ...values })
      .onConflict((oc) => oc.column(key).doNothing())
      .executeTakeFirst();
    requireUpdated({ numUpdatedRows: inserted.numInsertedOrUpdatedRows ?? 0n }, conflict);
  } else {
    requireUpdated(
      await anyDb
        .updateTable(table)
        .set({ ...values, version: sql`version + 1` })
        .where(key, '=', id)
        .where('version', '=', version)
        .executeTakeFirst(),
      conflict,
    );
  }
}
export { rowsAndTotal, pageWindow, type ListWindow } from './paging.ts';
export { scheduleRepeating } from './schedule.ts';
