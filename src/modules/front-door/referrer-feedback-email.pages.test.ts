import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts';
import { anAuthorisedContactWithFeedback } from '../../../test/builders/front-door.ts';
import { auditEvents, summaryLinks, textOf as text } from '../../../test/builders/front-door-helpers.ts';
import { deliverDueEmails, smtpTransport } from '../../kernel/mail/index.ts';

/**
 * Feedback emailed from Threshold (issue 23, items 3 and 4): with the authority's mail server configured, the worker
 * confirms the referrer's work address and Threshold sends the letter; the page follows it from waiting to sent;
 * administrators see that it went (never what it said).
 */

let t: TestApp;
let smtp: TestSmtpServer;
let contactId: string;
let reference: string;
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
const FEEDBACK = 'We have offered the family a place on the parenting course at the children’s centre.';

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  t = await testApp({
    config: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'spa@richmond.example',
      PUBLIC_URL: 'https://threshold.richmond.example',
    },
  });
  ({ contactId, reference } = await anAuthorisedContactWithFeedback(t.db, t.clock.now(), {
    child: { givenName: 'Milo', familyName: 'Emailson' },
    feedback: FEEDBACK,
  }));
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const deliver = async () => {
  const transport = smtpTransport(smtp.url);
  try {
    return await deliverDueEmails(t.db, transport, {
      from: 'spa@richmond.example',
      publicUrl: 'https://threshold.richmond.example',
      clock: () => t.clock.now(),
    });
  } finally {
    transport.close();
  }
};

describe('feedback emailed from Threshold', () => {
  it('is offered first when mail is on, and needs the work address confirmed, keeping what was typed', async () => {
    const officer = await t.as('contact-officer');
    const url = `/front-door/contacts/${contactId}/referrer-feedback`;
    const page = await officer.get(url);
    expect(page.$('input[name="method"]:checked').val()).toBe('send-email');
    expect(page.$('input[name="method"]').first().val()).toBe('send-email');
    expect(page.$('#sentTo').val()).toBe('dsl@kew-riverside.example');
    capture('form', 'contact-officer', url, page);

    const letter = page.$('#text').text();
    const edited = letter.replace(FEEDBACK, `${FEEDBACK} The course starts on Monday.`);
    const unconfirmed = await officer.post(url, {
      text: edited,
      method: 'send-email',
      sentTo: 'dsl@kew-riverside.example',
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(summaryLinks(unconfirmed)).toEqual([
      '#confirmWorkAddress Confirm that this is the referrer’s work email address before Threshold sends it',
    ]);
    expect(unconfirmed.$('#text').text()).toBe(edited);
    capture('error', 'contact-officer', url, unconfirmed);
    expect(await t.db.selectFrom('emailOutbox').select('id').execute()).toEqual([]);

    const sent = await officer.post(url, {
      text: edited,
      method: 'send-email',
      sentTo: 'dsl@kew-riverside.example',
      confirmWorkAddress: 'yes',
    });
    expect(sent.statusCode).toBe(303);
    const [queued] = await t.db.selectFrom('emailOutbox').selectAll().execute();
    expect(queued).toMatchObject({
      kind: 'referrer-feedback',
      toAddress: 'dsl@kew-riverside.example',
      status: 'queued',
      linkPath: null,
    });
    expect(queued!.subject).toMatch(
      new RegExp(
        `^Your contact to Richmond upon Thames children’s services on .+ \\(reference ${reference}\\)$`,
      ),
    );
    expect(queued!.bodyText.startsWith('Dear Ms Amara Patel,')).toBe(true);
    expect(queued!.bodyText).toContain('The course starts on Monday.');
    const [audit] = await auditEvents(t.db, 'contact.referrer-feedback-sent', contactId);
    expect(audit!.details).toMatchObject({ method: 'email', emailFromThreshold: true });

    const waiting = await officer.get(url);
    expect(text(waiting, '[data-testid="feedback-sent"]')).toContain('Waiting to be sent');
    expect(text(waiting, '[data-testid="feedback-sent"]')).toContain(
      'Email to dsl@kew-riverside.example (from Threshold)',
    );
  });

  it('reaches the referrer through the mail server, and the page and the administrators’ list say it was sent', async () => {
    expect((await deliver()).sent).toBe(1);
    const [mail] = smtp.received;
    expect(mail!.subject).toContain(`(reference ${reference})`);
    expect(mail!.text).toContain('Dear Ms Amara Patel,');
    expect(mail!.text).toContain('about Milo Emailson.');
    expect(mail!.text).toContain('The course starts on Monday.');
    expect(mail!.from?.text).toBe('spa@richmond.example');

    const officer = await t.as('contact-officer');
    const url = `/front-door/contacts/${contactId}/referrer-feedback`;
    const shown = await officer.get(url);
    expect(text(shown, '[data-testid="feedback-sent"]')).toMatch(/Email Sent on \d+ \w+ \d{4} at /);
    capture('sent', 'contact-officer', url, shown);

    const admin = await t.as('system-administrator');
    const list = await admin.get('/admin/emails');
    expect(list.statusCode).toBe(200);
    const rows = list.$('[data-testid="email-row"]');
    expect(rows.length).toBe(1);
    expect(text(list, '[data-testid="email-row"]')).toContain('Feedback to a referrer');
    expect(text(list, '[data-testid="email-row"]')).toContain('dsl@kew-riverside.example');
    expect(text(list, '[data-testid="email-row"]')).toContain('Sent');
    // The letter names the child; the administrators' list never shows a body.
    expect(list.$('main').text()).not.toContain('Emailson');
    capture('admin', 'system-administrator', '/admin/emails', list);
    const failedOnly = await admin.get('/admin/emails?status=failed');
    expect(failedOnly.$('[data-testid="email-row"]').length).toBe(0);
    expect(failedOnly.$('main').text()).toContain('No emails with this status.');
    expect((await auditEvents(t.db, 'email-outbox.viewed')).length).toBeGreaterThanOrEqual(2);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(4);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
