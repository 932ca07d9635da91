import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts';
import { aContactInMashEnquiry, demoUser } from '../../../test/builders/front-door.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { deliverDueEmails, smtpTransport } from '../../kernel/mail/index.ts';
import { sendReminder } from './information-request.service.ts';
import { sendAutomaticReminders } from './reminders.job.ts';
import { informationRequestEmail } from './notification-emails.ts';

/**
 * A partner agency hears of an information request by email (issue 23, item 4): when it is made, when a worker
 * reminds them and when the sweep reminds them of an overdue one. The emails say what is waiting, for whom and by
 * when, and link to it; they never carry a child's or adult's name, the contact's reference or the question.
 */

let handle: DatabaseHandle;
let smtp: TestSmtpServer;
const calendar = createWorkingDayCalendar();
const NOW = new Date('2026-11-24T10:30:00Z'); // a red rating makes information due at 14:30

beforeAll(async () => {
  handle = await testDb();
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

const outbox = (requestId: string) =>
  handle.db
    .selectFrom('emailOutbox')
    .select(['eventKey', 'kind', 'toAddress', 'subject', 'bodyText', 'linkPath', 'createdBy'])
    .where('eventKey', 'like', `%${requestId}%`)
    .orderBy('createdAt')
    .orderBy('kind')
    .orderBy('eventKey')
    .execute();

describe('information request emails', () => {
  it('queue one email to the agency’s mailbox when a request is made, with nothing about the family in it', async () => {
    const fixture = await aContactInMashEnquiry(handle.db, calendar, NOW);
    const police = await handle.db
      .selectFrom('informationRequests as r')
      .innerJoin('agencies as a', 'a.id', 'r.agencyId')
      .select(['a.name', 'a.email'])
      .where('r.id', '=', fixture.requestId)
      .executeTakeFirstOrThrow();
    expect(police.email).toBeTruthy();
    const mash = await demoUser(handle.db, 'mash-practitioner');
    const [made] = await outbox(fixture.requestId);
    expect(made).toEqual({
      eventKey: `information-request:${fixture.requestId}`,
      kind: 'information-request',
      toAddress: police.email,
      subject: `Threshold: an information request is waiting for ${police.name}`,
      bodyText: informationRequestEmail({
        requestId: fixture.requestId,
        agencyName: police.name,
        dueAt: new Date('2026-11-24T14:30:00Z'),
      }).text,
      linkPath: `/information-requests/${fixture.requestId}`,
      createdBy: mash.id,
    });
    expect(made!.bodyText).toContain('by 24 November 2026 at 2:30pm');
    for (const secret of ['Fixture', 'Frontdoor', 'Parent', fixture.reference, 'What do you know?'])
      expect(`${made!.subject}\n${made!.bodyText}`).not.toContain(secret);

    // A manual reminder, then the sweep's automatic one once it is overdue: one email each.
    await handle.db.transaction().execute((trx) =>
      sendReminder(serviceContext(trx, mash, NOW), {
        contactId: fixture.contactId,
        requestId: fixture.requestId,
      }),
    );
    const later = new Date('2026-11-25T10:00:00Z');
    expect((await sendAutomaticReminders(handle.db, later, calendar)).sent).toBeGreaterThanOrEqual(1);
    const emails = await outbox(fixture.requestId);
    expect(emails.map((e) => [e.eventKey, e.kind, e.createdBy])).toEqual([
      [`information-request:${fixture.requestId}`, 'information-request', mash.id],
      [`information-request-reminder:${fixture.requestId}:1`, 'information-request-reminder', mash.id],
      [`information-request-reminder:${fixture.requestId}:2`, 'information-request-reminder', null],
    ]);
    expect(emails[1]!.subject).toBe(
      `Threshold: reminder – an information request is waiting for ${police.name}`,
    );
    expect(emails[2]!.subject).toBe(
      `Threshold: reminder – an information request for ${police.name} is overdue`,
    );
    expect(emails[2]!.bodyText).toContain(
      'was due by 24 November 2026 at 2:30pm and has not been answered yet',
    );

    // Through a real mail server: the agency receives the three, each linking to the request.
    const transport = smtpTransport(smtp.url);
    try {
      const sent = await deliverDueEmails(handle.db, transport, {
        from: 'threshold@richmond.example',
        publicUrl: 'https://threshold.richmond.example',
        clock: () => later,
      });
      expect(sent.sent).toBeGreaterThanOrEqual(3);
    } finally {
      transport.close();
    }
    const mine = smtp.received.filter((m) => m.text?.includes(fixture.requestId));
    expect(mine).toHaveLength(3);
    for (const mail of mine) {
      expect(mail.text).toContain(
        `https://threshold.richmond.example/information-requests/${fixture.requestId}`,
      );
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(police.email);
      for (const secret of ['Fixture', 'Frontdoor', fixture.reference])
        expect(`${mail.subject}\n${mail.text}`).not.toContain(secret);
    }
  });
});
