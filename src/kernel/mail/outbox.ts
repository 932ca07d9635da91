import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent, type AuditActor } from '../audit-trail/index.ts';
import { rowsAndTotal, type Db } from '../service/index.ts';

/**
 * The email outbox (table `email_outbox`, docs/architecture.md "Email"). A service queues an email in the
 * transaction of the event that causes it; `deliverDueEmails` sends what is due through the authority's SMTP server
 * and records the result. One email per `eventKey`, however often the event's code runs or however many processes
 * deliver: the key is unique, and a row being sent is leased to one process.
 */

export const MAIL_ACTOR: AuditActor = { userId: null, label: 'system:mail' };

/** What a notification or letter is, for the record and the administrators' list. */
export const EMAIL_KINDS = {
  'information-request': 'Information request waiting',
  'information-request-reminder': 'Information request reminder',
  allocation: 'New allocation',
  'early-help-allocation': 'New early help allocation',
  'early-help-team-member': 'Added to a team around the family',
  'overdue-digest': 'Daily digest of overdue work',
  'referrer-feedback': 'Feedback to a referrer',
  'performance-report': 'Monthly performance report',
} as const;
export type EmailKind = keyof typeof EMAIL_KINDS;

export interface QueuedEmail {
  /** One email per event: e.g. `information-request:<id>`. A second queue of the same key does nothing. */
  eventKey: string;
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  /** A path in Threshold (`/information-requests/…`); the sent email gives it as a whole address (PUBLIC_URL). */
  linkPath?: string | null;
  attachment?: { filename: string; contentType: string; content: Uint8Array } | null;
  /** A stored document to attach (a produced letter): the row keeps its id, and delivery reads the file. */
  attachmentDocumentId?: string | null;
  /** The child the email is about, when there is one (a letter to a referrer), for the record's trail. */
  childId?: string | null;
  createdBy: string | null;
  now: Date;
}

/** Queue an email in the caller's transaction. Returns false when this event's email was queued before. */
export async function queueEmail(trx: Transaction<DB>, email: QueuedEmail): Promise<boolean> {
  const row = await trx
    .insertInto('emailOutbox')
    .values({
      eventKey: email.eventKey,
      kind: email.kind,
      toAddress: email.to,
      subject: email.subject,
      bodyText: email.text,
      linkPath: email.linkPath ?? null,
      attachmentName: email.attachment?.filename ?? null,
      attachmentContentType: email.attachment?.contentType ?? null,
      attachment: email.attachment ? Buffer.from(email.attachment.content) : null,
      attachmentDocumentId: email.attachmentDocumentId ?? null,
      nextAttemptAt: email.now,
      childId: email.childId ?? null,
      createdAt: email.now,
      createdBy: email.createdBy,
    })
    .onConflict((oc) => oc.column('eventKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A message as the transport takes it (nodemailer's `sendMail` accepts exactly this). */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

export interface MailTransport {
  sendMail(message: MailMessage): Promise<{ messageId?: string }>;
}

export interface DeliveryOptions {
  /** The From address (MAIL_FROM). */
  from: string;
  /** Where links point (PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  /** The clock; read at each step so a long run's leases and retries are right. */
  clock?: () => Date;
  /** Rows claimed at a time. */
  batch?: number;
  /** Attempts before an email is marked failed. */
  maxAttempts?: number;
  /** How long one process holds a row it is sending before another may try it. */
  leaseSeconds?: number;
  /** A queued email older than this is not sent (mail was off, or the server down for days): it is expired. */
  maxAgeHours?: number;
  /**
   * Reads a stored document for an email that attaches one (the people module's `documentAttachment`, given by the
   * app); an email naming a document is not sent without it.
   */
  loadDocument?: (documentId: string) => Promise<{ filename: string; contentType: string; content: Buffer }>;
}

export interface DeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
  expired: number;
}

/** Minutes to wait before attempt n + 1 after n failed: 1, 2, 4 … doubling, at most 6 hours. */
export function retryDelayMinutes(attemptsMade: number): number {
  return Math.min(2 ** Math.max(0, attemptsMade - 1), 360);
}

/** The address of a Threshold page in an email. */
export function linkFor(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}

/** The Message-ID is the outbox row's: a resend after a crash carries the same one, so mail servers can tell. */
export function messageIdFor(id: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'threshold.invalid';
  return `<${id}@${domain}>`;
}

/**
 * Send every email that is due. Safe with several processes: each claims its rows with FOR UPDATE SKIP LOCKED
 * and leases them; the result is written only if the lease is still this attempt's. No transaction is open while
 * the SMTP server is talked to.
 */
export async function deliverDueEmails(
  db: Kysely<DB>,
  transport: MailTransport,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const clock = options.clock ?? (() => new Date());
  const batch = options.batch ?? 20;
  const maxAttempts = options.maxAttempts ?? 10;
  const leaseMs = (options.leaseSeconds ?? 300) * 1000;
  const maxAgeMs = (options.maxAgeHours ?? 72) * 3600_000;
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0, expired: 0 };

  result.expired = await db.transaction().execute(async (trx) => {
    const now = clock();
    const rows = await trx
      .updateTable('emailOutbox')
      .set({ status: 'expired', leaseUntil: null, lastError: 'Not sent in time: too old to send' })
      .where('status', '=', 'queued')
      .where('createdAt', '<', new Date(now.getTime() - maxAgeMs))
      .returning(['id', 'kind', 'toAddress'])
      .execute();
    for (const row of rows) await auditResult(trx, now, 'email.expired', row);
    return rows.length;
  });

  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      const now = clock();
      return trx
        .updateTable('emailOutbox')
        .set({
          status: 'sending',
          attempts: sql<number>`attempts + 1`,
          leaseUntil: new Date(now.getTime() + leaseMs),
        })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('emailOutbox')
            .select('id')
            .where((w) =>
              w.or([
                w.and([w('status', '=', 'queued'), w('nextAttemptAt', '<=', now)]),
                w.and([w('status', '=', 'sending'), w('leaseUntil', '<', now)]),
              ]),
            )
            .orderBy('nextAttemptAt')
            .limit(batch)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute();
    });
    if (!claimed.length) return result;

    for (const row of claimed) {
      let outcome: { ok: true; messageId: string } | { ok: false; error: string };
      try {
        const text = row.linkPath
          ? `${row.bodyText}\n\n${linkFor(options.publicUrl, row.linkPath)}\n`
          : row.bodyText;
        const messageId = messageIdFor(row.id, options.from);
        if (row.attachmentDocumentId && !options.loadDocument)
          throw new Error('This email attaches a document, and documents cannot be read here');
        const document =
          row.attachmentDocumentId && options.loadDocument
            ? await options.loadDocument(row.attachmentDocumentId)
            : null;
        const info = await transport.sendMail({
          from: options.from,
          to: row.toAddress,
          subject: row.subject,
          text,
          messageId,
          ...(row.attachment && row.attachmentName
            ? {
                attachments: [
                  {
                    filename: row.attachmentName,
                    contentType: row.attachmentContentType ?? 'application/octet-stream',
                    content: Buffer.from(row.attachment),
                  },
                ],
              }
            : document
              ? { attachments: [document] }
              : {}),
        });
        outcome = { ok: true, messageId: info.messageId ?? messageId };
      } catch (error) {
        outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }

      await db.transaction().execute(async (trx) => {
        const now = clock();
        const mine = trx
          .updateTable('emailOutbox')
          .where('id', '=', row.id)
          .where('status', '=', 'sending')
          .where('attempts', '=', row.attempts);
        if (outcome.ok) {
          const done = await mine
            .set({
              status: 'sent',
              sentAt: now,
              messageId: outcome.messageId,
              leaseUntil: null,
              lastError: null,
            })
            .executeTakeFirst();
          if (done.numUpdatedRows > 0n) {
            result.sent += 1;
            await auditResult(trx, now, 'email.sent', row);
          }
          return;
        }
        const error = outcome.error.slice(0, 500);
        if (row.attempts >= maxAttempts) {
          const done = await mine
            .set({ status: 'failed', leaseUntil: null, lastError: error })
            .executeTakeFirst();
          if (done.numUpdatedRows > 0n) {
            result.failed += 1;
            await auditResult(trx, now, 'email.failed', row, { error, attempts: row.attempts });
          }
          return;
        }
        const done = await mine
          .set({
            status: 'queued',
            leaseUntil: null,
            lastError: error,
            nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(row.attempts) * 60_000),
          })
          .executeTakeFirst();
        if (done.numUpdatedRows > 0n) result.retrying += 1;
      });
    }
  }
}

async function auditResult(
  trx: Transaction<DB>,
  now: Date,
  action: string,
  row: { id: string; kind: string; toAddress: string },
  details: Record<string, string | number> = {},
): Promise<void> {
  await recordAuditEvent(trx, {
    occurredAt: now,
    actor: MAIL_ACTOR,
    action,
    subjectType: 'email',
    subjectId: row.id,
    details: { kind: row.kind, to: row.toAddress, ...details },
  });
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'expired';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['queued', 'sending', 'sent', 'failed', 'expired'];

export interface OutboxPage {
  rows: {
    id: string;
    kind: string;
    toAddress: string;
    subject: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: Date;
    sentAt: Date | null;
  }[];
  total: number;
}

/** The outbox for administrators, newest first, paged; optionally one status. */
export async function listOutbox(
  db: Db,
  query: { status?: OutboxStatus | undefined; offset: number; limit: number },
): Promise<OutboxPage> {
  let base = db.selectFrom('emailOutbox');
  if (query.status) base = base.where('status', '=', query.status);
  return rowsAndTotal(
    base,
    (q) =>
      q
        .select([
          'id',
          'kind',
          'toAddress',
          'subject',
          'status',
          'attempts',
          'lastError',
          'createdAt',
          'sentAt',
        ])
        .orderBy('createdAt', 'desc')
        .orderBy('id'),
    query,
  );
}

export interface EmailDelivery {
  status: OutboxStatus;
  to: string;
  attempts: number;
  sentAt: Date | null;
  lastError: string | null;
}

/** Where an event's email has got to (null when none was queued for it). */
export async function emailDelivery(db: Db, eventKey: string): Promise<EmailDelivery | null> {
  const row = await db
    .selectFrom('emailOutbox')
    .select(['status', 'toAddress', 'attempts', 'sentAt', 'lastError'])
    .where('eventKey', '=', eventKey)
    .executeTakeFirst();
  return row
    ? {
        status: row.status as OutboxStatus,
        to: row.toAddress,
        attempts: row.attempts,
        sentAt: row.sentAt,
        lastError: row.lastError,
      }
    : null;
}

/** Words for a delivery state, for the pages that show one. */
export const DELIVERY_STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: 'Waiting to be sent',
  sending: 'Being sent',
  sent: 'Sent',
  failed: 'Not sent: the mail server refused it',
  expired: 'Not sent: email is switched off or the mail server was unreachable for too long',
};
