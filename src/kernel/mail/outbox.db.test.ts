import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails, emailDelivery, listOutbox, queueEmail, type QueuedEmail } from './outbox.ts';
import { smtpTransport } from './transport.ts';

/** The outbox against a real SMTP server: delivered once, retried with backoff, failed, expired, never doubled. */

let handle: DatabaseHandle;
let smtp: TestSmtpServer;
let transport: ReturnType<typeof smtpTransport>;
const START = new Date('2026-11-24T10:30:00Z');
let now = START;
const clock = () => now;
const options = () => ({
  from: 'threshold@richmond.example',
  publicUrl: 'https://threshold.richmond.example/',
  clock,
});

beforeAll(async () => {
  handle = await testDb();
  smtp = await startTestSmtpServer();
  transport = smtpTransport(smtp.url);
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await handle?.close();
});
afterEach(async () => {
  smtp.received.length = 0;
  smtp.refusing = false;
  now = START;
  await handle.db.deleteFrom('emailOutbox').execute();
});

const anEmail = (key: string, overrides: Partial<QueuedEmail> = {}): QueuedEmail => ({
  eventKey: key,
  kind: 'information-request',
  to: 'mash-requests@police.example',
  subject: 'Threshold: an information request is waiting for Metropolitan Police',
  text: 'Hello,\n\nSign in to Threshold to read and answer it:',
  linkPath: '/information-requests/00000000-0000-4000-8000-000000000001',
  createdBy: null,
  now,
  ...overrides,
});
const queue = (email: QueuedEmail) => handle.db.transaction().execute((trx) => queueEmail(trx, email));
const row = (key: string) =>
  handle.db.selectFrom('emailOutbox').selectAll().where('eventKey', '=', key).executeTakeFirstOrThrow();
const audits = (action: string) =>
  handle.db
    .selectFrom('auditEvents')
    .select(['actorLabel', 'subjectId', 'details'])
    .where('action', '=', action)
    .where('subjectType', '=', 'email')
    .execute();

describe('the email outbox', () => {
  it('delivers a queued email once, with the link made whole and a Message-ID of its own, and records it', async () => {
    expect(await queue(anEmail('information-request:a'))).toBe(true);
    // The same event queued again (a retried request, a second process) adds nothing.
    expect(await queue(anEmail('information-request:a', { subject: 'A second copy' }))).toBe(false);

    const result = await deliverDueEmails(handle.db, transport, options());
    expect(result).toEqual({ sent: 1, retrying: 0, failed: 0, expired: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe('Threshold: an information request is waiting for Metropolitan Police');
    expect(mail.from?.text).toBe('threshold@richmond.example');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('mash-requests@police.example');
    expect(mail.text).toContain(
      'https://threshold.richmond.example/information-requests/00000000-0000-4000-8000-000000000001',
    );
    const saved = await row('information-request:a');
    expect(mail.messageId).toBe(`<${saved.id}@richmond.example>`);
    expect(saved).toMatchObject({ status: 'sent', attempts: 1, leaseUntil: null, lastError: null });
    expect(saved.sentAt?.toISOString()).toBe(START.toISOString());
    expect(await audits('email.sent')).toEqual([
      {
        actorLabel: 'system:mail',
        subjectId: saved.id,
        details: { kind: 'information-request', to: 'mash-requests@police.example' },
      },
    ]);

    // Nothing is left to send: a second run sends nothing.
    expect(await deliverDueEmails(handle.db, transport, options())).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
      expired: 0,
    });
    expect(smtp.received).toHaveLength(1);
    expect(await emailDelivery(handle.db, 'information-request:a')).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
    expect(await emailDelivery(handle.db, 'information-request:none')).toBeNull();
  });

  it('retries a refused email after 1, then 2 minutes, and sends it when the server takes it again', async () => {
    await queue(anEmail('information-request:b'));
    smtp.refusing = true;
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ sent: 0, retrying: 1 });
    let saved = await row('information-request:b');
    expect(saved.status).toBe('queued');
    expect(saved.attempts).toBe(1);
    expect(saved.lastError).toContain('451');
    expect(saved.nextAttemptAt.getTime() - START.getTime()).toBe(60_000);

    // Not due yet: nothing is tried.
    now = new Date(START.getTime() + 30_000);
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ sent: 0, retrying: 0 });
    expect((await row('information-request:b')).attempts).toBe(1);

    now = new Date(START.getTime() + 61_000);
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ retrying: 1 });
    saved = await row('information-request:b');
    expect(saved.attempts).toBe(2);
    expect(saved.nextAttemptAt.getTime() - now.getTime()).toBe(120_000);

    smtp.refusing = false;
    now = new Date(now.getTime() + 121_000);
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(await row('information-request:b')).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: null,
    });
  });

  it('marks an email failed after the last attempt, with the server’s reason, and audits it', async () => {
    await queue(anEmail('information-request:c'));
    smtp.refusing = true;
    await deliverDueEmails(handle.db, transport, { ...options(), maxAttempts: 2 });
    now = new Date(START.getTime() + 61_000);
    expect(await deliverDueEmails(handle.db, transport, { ...options(), maxAttempts: 2 })).toMatchObject({
      failed: 1,
    });
    const saved = await row('information-request:c');
    expect(saved.status).toBe('failed');
    expect(saved.lastError).toContain('Mailbox temporarily unavailable');
    const [failed] = await audits('email.failed');
    expect(failed).toMatchObject({ actorLabel: 'system:mail', subjectId: saved.id });
    expect(failed!.details).toMatchObject({ attempts: 2 });
    const listed = await listOutbox(handle.db, { status: 'failed', offset: 0, limit: 25 });
    expect(listed.total).toBe(1);
    expect(listed.rows[0]).toMatchObject({ id: saved.id, status: 'failed' });
  });

  it('expires an email that waited longer than its age limit (mail was off) instead of sending it late', async () => {
    await queue(anEmail('information-request:old', { now: new Date(START.getTime() - 73 * 3600_000) }));
    await queue(anEmail('information-request:new'));
    expect(await deliverDueEmails(handle.db, transport, options())).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
      expired: 1,
    });
    expect((await row('information-request:old')).status).toBe('expired');
    expect(smtp.received.map((m) => m.messageId)).toEqual([
      `<${(await row('information-request:new')).id}@richmond.example>`,
    ]);
    expect(await audits('email.expired')).toHaveLength(1);
  });

  it('takes back an email whose sender died mid-send once its lease has run out, and sends it once', async () => {
    await queue(anEmail('information-request:d'));
    // Another process claimed it and died: its lease runs to 10:35.
    await handle.db
      .updateTable('emailOutbox')
      .set({ status: 'sending', attempts: 1, leaseUntil: new Date(START.getTime() + 300_000) })
      .where('eventKey', '=', 'information-request:d')
      .execute();
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ sent: 0 });
    now = new Date(START.getTime() + 301_000);
    expect(await deliverDueEmails(handle.db, transport, options())).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(await row('information-request:d')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends each of many emails exactly once when two deliveries run at the same time', async () => {
    for (let i = 0; i < 30; i++) await queue(anEmail(`information-request:many-${i}`));
    const [a, b] = await Promise.all([
      deliverDueEmails(handle.db, transport, { ...options(), batch: 4 }),
      deliverDueEmails(handle.db, transport, { ...options(), batch: 4 }),
    ]);
    expect(a.sent + b.sent).toBe(30);
    expect(smtp.received).toHaveLength(30);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(30);
    const statuses = await handle.db.selectFrom('emailOutbox').select('status').distinct().execute();
    expect(statuses).toEqual([{ status: 'sent' }]);
  });

  it('sends an attachment as it was queued', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a letter\n');
    await queue(
      anEmail('referrer-feedback:e', {
        kind: 'referrer-feedback',
        linkPath: null,
        attachment: { filename: 'letter.pdf', contentType: 'application/pdf', content: pdf },
      }),
    );
    await deliverDueEmails(handle.db, transport, options());
    const [mail] = smtp.received;
    expect(mail!.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['letter.pdf', 'application/pdf', pdf.toString()],
    ]);
    expect(mail!.text).not.toContain('https://');
  });
});
