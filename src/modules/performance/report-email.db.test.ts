import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { deliverDueEmails, smtpTransport } from '../../kernel/mail/index.ts';
import { ConflictError } from '../../kernel/errors.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts';
import { aChild } from '../../../test/builders/people.ts';
import { localAuthorityIds } from '../../../test/builders/organisation.ts';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { anEpisodeRecord } from '../../../test/builders/performance.ts';
import { generateScheduledReports, ReportStore } from './report.service.ts';
import { reportEmailKey, saveReportMailbox } from './report-mailbox.service.ts';

/**
 * The monthly report emailed to the leadership mailbox (issue 21): the schedule queues it once per authority and
 * month through the email outbox, with the PDF attached; a refused delivery is retried like any other email; the
 * email and its PDF name no child (one child, Quentin Mailchild, is referred in November 2026).
 */

const h = databaseForFile();
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-report-email-'));
const store = new ReportStore(uploadDir);
const now = new Date('2026-12-07T10:00:00Z');
let smtp: TestSmtpServer;
let transport: ReturnType<typeof smtpTransport>;
let richmond: string;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  transport = smtpTransport(smtp.url);
  richmond = (await localAuthorityIds(h.db)).richmond;
  const child = await aChild(h.db, { givenName: 'Quentin', familyName: 'Mailchild' });
  await anEpisodeRecord(h.db, { childId: child.id, localAuthorityId: richmond, referralDate: '2026-11-10' });
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

const pdfText = async (data: Buffer) => {
  const parser = new PDFParse({ data });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
};

describe('emailing the monthly report', () => {
  it('the mailbox is a versioned, audited authority setting: a stale save is refused', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    await run(h.db, (trx) =>
      saveReportMailbox(contextFor(trx, analyst, now), {
        localAuthorityId: richmond,
        version: 0,
        email: 'leadership@richmond.example',
      }),
    );
    await expect(
      run(h.db, (trx) =>
        saveReportMailbox(contextFor(trx, analyst, now), {
          localAuthorityId: richmond,
          version: 0,
          email: 'someone-else@richmond.example',
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['details', 'actorUserId'])
      .where('action', '=', 'performance-report-mailbox.changed')
      .execute();
    expect(audit).toEqual([
      {
        details: { before: null, after: 'leadership@richmond.example' },
        actorUserId: analyst.id,
      },
    ]);
  });

  it('the schedule queues the report once per authority and month, and the outbox sends it, retrying a refusal', async () => {
    const first = await generateScheduledReports(h.db, calendar, store, now);
    // Two authorities in the test organisation: only Richmond has a mailbox.
    expect(first).toMatchObject({ month: '2026-11', generated: 2, emailed: 1 });
    // Run again (cron and the server both): nothing more is made or queued.
    const again = await generateScheduledReports(h.db, calendar, store, now);
    expect(again).toMatchObject({ generated: 0, already: 2, emailed: 0 });
    const rows = await h.db
      .selectFrom('emailOutbox')
      .select(['eventKey', 'toAddress', 'kind', 'childId'])
      .where('kind', '=', 'performance-report')
      .execute();
    expect(rows).toEqual([
      {
        eventKey: reportEmailKey(richmond, '2026-11'),
        toAddress: 'leadership@richmond.example',
        kind: 'performance-report',
        childId: null,
      },
    ]);

    // The mail server refuses it: it waits and is tried again, like any email.
    smtp.refusing = true;
    expect(
      await deliverDueEmails(h.db, transport, {
        from: 'threshold@richmond.example',
        publicUrl: 'https://threshold.example',
        clock: () => now,
      }),
    ).toMatchObject({ sent: 0, retrying: 1 });
    smtp.refusing = false;
    const later = new Date(now.getTime() + 5 * 60_000);
    expect(
      await deliverDueEmails(h.db, transport, {
        from: 'threshold@richmond.example',
        publicUrl: 'https://threshold.example',
        clock: () => later,
      }),
    ).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe('Monthly performance report: November 2026');
    expect(mail.text).toContain('Richmond upon Thames');
    expect(mail.text).toContain('https://threshold.example/performance/reports');
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe('performance-report-318-2026-11.pdf');
    const stored = await h.db
      .selectFrom('performanceReports')
      .select(['sha256'])
      .where('scheduleKey', '=', `${richmond}:2026-11`)
      .executeTakeFirstOrThrow();
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(pdf.content).digest('hex')).toBe(stored.sha256);
    const text = await pdfText(pdf.content);
    expect(text).toContain('November 2026: 1');
    // England's published figure beside the rate, from the shipped comparison set.
    expect(text).toContain('England 2024 to 2025: 22.6%');
    for (const s of [mail.subject ?? '', mail.text ?? '', text]) {
      expect(s).not.toContain('Quentin');
      expect(s).not.toContain('Mailchild');
    }
  });
});
