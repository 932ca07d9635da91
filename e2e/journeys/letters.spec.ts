import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { anAuthorisedContactWithFeedback } from '../../test/builders/front-door.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/support/smtp.ts';
import { deliverDueEmails, smtpTransport } from '../../src/kernel/mail/index.ts';
import { documentAttachment, DocumentStore } from '../../src/modules/people/index.ts';
import { at, journeyForFile, mainText, reached, signInWithPassword, submit } from '../fixtures.ts';

/**
 * Letters (issue 23, "done when"): a decision's referrer letter is produced from the front door's feedback page, its
 * text edited for the family, kept as a PDF in the child's documents, and emailed from Threshold to the school's
 * confirmed work address. The test SMTP server receives it with the PDF attached, and the PDF read back (pdf-parse)
 * holds the edited words. axe on every page.
 */

const FEEDBACK = 'We have offered the family a place on the parenting course at the children’s centre.';
const EDITED = 'The course starts on Monday 14 December at the Kew children’s centre.';
const FROM = 'spa@richmond.example';
const PUBLIC_URL = 'https://threshold.richmond.example';

let smtp: TestSmtpServer;
// The journey reads its configuration when it starts (beforeAll, below): the mail server's address is set first.
const options = { page: true, timeout: 120_000, config: {} as Record<string, string> };
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  Object.assign(options.config, { SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL });
});
const journey = journeyForFile(options);
afterAll(async () => {
  await smtp?.close();
});

describe('letters', () => {
  it(
    'the referrer’s letter is produced from the decision, edited, kept on the record and emailed with its PDF',
    { timeout: 120_000 },
    async () => {
      const { contactId, childId } = await anAuthorisedContactWithFeedback(journey.db, new Date(), {
        child: { givenName: 'Juno', familyName: 'Letterby' },
        feedback: FEEDBACK,
      });
      const page = journey.page;
      await signInWithPassword(page, 'mash-practitioner');
      const feedbackPath = `/front-door/contacts/${contactId}/referrer-feedback`;
      await page.goto(feedbackPath);
      await at(page, feedbackPath);

      // Produce the letter: preview, edit the text for this family, produce the PDF.
      await page.getByRole('link', { name: 'Produce the letter as a PDF' }).click();
      const letterPath = `/letters/referrer-feedback/contact/${contactId}`;
      await at(page, letterPath);
      expect(await page.getByTestId('letter-preview').textContent()).toContain(FEEDBACK);
      const body = page.locator('#body');
      await body.fill(`${await body.inputValue()}\n\n${EDITED}`);
      await submit(page, 'Produce the letter');
      await reached(page, letterPath);
      await page.getByTestId('letter-produced').waitFor();
      await at(page, letterPath);

      // Kept on the child's record.
      await page.getByRole('link', { name: 'See the child’s documents' }).click();
      await at(page, `/people/${childId}/documents`);
      expect(await mainText(page)).toContain('Feedback to a referrer');

      // Emailed from Threshold to the school's confirmed work address, the PDF attached.
      await page.goto(feedbackPath);
      await at(page, feedbackPath);
      await page.getByRole('radio', { name: /Email it from Threshold now/ }).check();
      await page.fill('#sentTo', 'dsl@kew-riverside.example');
      await page
        .getByRole('checkbox', {
          name: 'I have checked that the address above is the referrer’s work email address',
        })
        .check();
      await submit(page, 'Send or record as sent');
      await reached(page, `/front-door/contacts/${contactId}`);
      await page.goto(feedbackPath);
      await at(page, feedbackPath);
      expect(await page.getByTestId('feedback-sent').textContent()).toContain(
        'Email to dsl@kew-riverside.example (from Threshold)',
      );

      const transport = smtpTransport(smtp.url);
      const store = new DocumentStore(journey.app.services.config.uploadDir);
      try {
        const result = await deliverDueEmails(journey.db, transport, {
          from: FROM,
          publicUrl: PUBLIC_URL,
          loadDocument: (id) => documentAttachment(journey.db, store, id),
        });
        expect(result).toMatchObject({ sent: 1, failed: 0 });
      } finally {
        transport.close();
      }
      const mail = smtp.received.find(
        (m) => m.to && JSON.stringify(m.to).includes('dsl@kew-riverside.example'),
      );
      expect(mail).toBeDefined();
      expect(mail!.from?.text).toBe(FROM);
      expect(mail!.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
      const pdf = (await new PDFParse({ data: mail!.attachments[0]!.content }).getText()).text.replace(
        /\s+/g,
        ' ',
      );
      expect(pdf).toContain(EDITED);
      expect(pdf).toContain('Juno Letterby');
    },
  );
});
