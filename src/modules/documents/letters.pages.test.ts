import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../../test/support/smtp.ts';
import { anAuthorisedContactWithFeedback } from '../../../test/builders/front-door.ts';
import { deliverDueEmails, smtpTransport } from '../../kernel/mail/index.ts';
import { documentAttachment, DocumentStore } from '../people/index.ts';

/**
 * Letters (issue 23): the referrer's letter produced from the feedback page, edited for the family, kept as a PDF in
 * the child's documents; the administrator's edit of the template is used by the next letter while the first keeps
 * its version; the feedback email carries the PDF, attached by document id.
 */

let t: TestApp;
let smtp: TestSmtpServer;
const { forAxe, capture } = axeCapture();
const FEEDBACK = 'We have offered the family a place on the parenting course at the children’s centre.';

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  t = await testApp({
    config: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'spa@richmond.example',
      PUBLIC_URL: 'https://threshold.example',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const pdfText = async (documentId: string) => {
  const file = await documentAttachment(t.db, new DocumentStore(t.app.services.config.uploadDir), documentId);
  return { file, text: (await new PDFParse({ data: file.content }).getText()).text };
};

describe('letters', () => {
  it('produces the referrer’s letter from the feedback page, edited for the family, into the child’s documents', async () => {
    const { contactId, childId } = await anAuthorisedContactWithFeedback(t.db, t.clock.now(), {
      child: { givenName: 'Lettie', familyName: 'Pdfson' },
      feedback: FEEDBACK,
    });
    const officer = await t.as('mash-practitioner');
    const feedbackUrl = `/front-door/contacts/${contactId}/referrer-feedback`;
    const feedback = await officer.get(feedbackUrl);
    const href = feedback.$('[data-testid="letter-pdf"] a').attr('href')!;
    expect(href).toBe(`/letters/referrer-feedback/contact/${contactId}`);
    // A contact officer may send the feedback but not add to the child's documents: no link to a page they cannot use.
    const contactOfficer = await t.as('contact-officer');
    const theirs = await contactOfficer.get(feedbackUrl);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.$('[data-testid="letter-pdf"]').length).toBe(0);

    const page = await officer.get(href);
    expect(page.statusCode).toBe(200);
    expect(page.$('[data-testid="letter-preview"]').text()).toContain(FEEDBACK);
    capture('letter', 'mash-practitioner', href, page);
    const body = `${page.$('#body').text()}\n\nThe course starts on Monday 14 December.`;

    const empty = await officer.post(href, {
      version: '0',
      subject: String(page.$('#subject').val()),
      body: '',
      action: 'produce',
    });
    expect(empty.statusCode).toBe(400);
    capture('error', 'mash-practitioner', href, empty);

    const draft = await officer.post(href, {
      version: '0',
      subject: String(page.$('#subject').val()),
      body,
      action: 'draft',
    });
    expect(draft.statusCode).toBe(303);
    const again = await officer.get(href);
    expect(again.$('#body').text()).toBe(body);
    const produced = await officer.post(href, {
      version: String(again.$('input[name="version"]').val()),
      subject: String(again.$('#subject').val()),
      body,
      action: 'produce',
    });
    expect(produced.statusCode).toBe(303);

    const letter = await t.db
      .selectFrom('letters')
      .selectAll()
      .where('sourceId', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(letter).toMatchObject({ status: 'produced', personId: childId, kind: 'referrer-feedback' });
    const { text, file } = await pdfText(letter.documentId!);
    expect(file.contentType).toBe('application/pdf');
    expect(text).toContain('The course starts on Monday 14 December.');
    expect(text).toContain('Richmond upon Thames');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('action', 'in', ['letter.produced', 'document.generated'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['document.generated', 'letter.produced']);
    const chronology = await t.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', childId)
      .execute();
    expect(chronology.map((c) => c.title)).toContain('Letter produced: Feedback to a referrer');
    const documents = await officer.get(`/people/${childId}/documents`);
    expect(documents.body).toContain('Feedback to a referrer');

    // Emailed from Threshold: the PDF goes as an attachment, named by its document id in the outbox.
    const sent = await officer.post(feedbackUrl, {
      text: 'Dear colleague, please find our letter attached.',
      method: 'send-email',
      sentTo: 'dsl@kew-riverside.example',
      confirmWorkAddress: 'yes',
    });
    expect(sent.statusCode).toBe(303);
    const [queued] = await t.db.selectFrom('emailOutbox').selectAll().execute();
    expect(queued).toMatchObject({ attachmentDocumentId: letter.documentId, attachment: null });
    expect(queued!.subject).not.toContain('Lettie');
    const transport = smtpTransport(smtp.url);
    try {
      const result = await deliverDueEmails(t.db, transport, {
        from: 'spa@richmond.example',
        publicUrl: 'https://threshold.example',
        clock: () => t.clock.now(),
        loadDocument: (id) =>
          documentAttachment(t.db, new DocumentStore(t.app.services.config.uploadDir), id),
      });
      expect(result.sent).toBe(1);
    } finally {
      transport.close();
    }
    const [mail] = smtp.received;
    expect(mail!.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    const attached = (await new PDFParse({ data: mail!.attachments[0]!.content }).getText()).text;
    expect(attached).toContain('The course starts on Monday 14 December.');
  });

  it('an administrator’s edit makes a new version, which the next letter uses; the first keeps its version', async () => {
    const admin = await t.as('system-administrator');
    const url = '/admin/letter-templates/referrer-feedback';
    const form = await admin.get(url);
    expect(form.statusCode).toBe(200);
    capture('template', 'system-administrator', url, form);
    const base = {
      basedOnVersion: '1',
      title: String(form.$('#title').val()),
      subject: String(form.$('#subject').val()),
    };
    const unknown = await admin.post(url, { ...base, body: 'Dear {{ referrer.nickname }}', action: 'save' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.$('#body-error').text()).toContain('‘nickname’ is not part of this field');
    capture('template-error', 'system-administrator', url, unknown);
    const saved = await admin.post(url, {
      ...base,
      body: 'Dear {{ referrer.name }},\n\nNew wording for {{ childNames }}.\n\n{{ outcome }}',
      action: 'save',
    });
    expect(saved.statusCode).toBe(303);

    const { contactId } = await anAuthorisedContactWithFeedback(t.db, t.clock.now(), {
      child: { givenName: 'Second', familyName: 'Letterson' },
      feedback: FEEDBACK,
    });
    const officer = await t.as('mash-practitioner');
    const next = await officer.get(`/letters/referrer-feedback/contact/${contactId}`);
    expect(next.$('#body').text()).toContain('New wording for Second Letterson.');
    expect(next.body).toContain('version 2 of the template');
    const versions = await t.db
      .selectFrom('letters as l')
      .innerJoin('letterTemplates as v', 'v.id', 'l.templateId')
      .select('v.version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1]);
    capture(
      'settings',
      'system-administrator',
      '/admin/letter-settings',
      await admin.get('/admin/letter-settings'),
    );
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
