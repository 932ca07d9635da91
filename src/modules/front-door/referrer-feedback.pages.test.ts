import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { anAuthorisedContactWithFeedback } from '../../../test/builders/front-door.ts';
import { auditEvents, summaryLinks, textOf as text } from '../../../test/builders/front-door-helpers.ts';

/** Feedback reaches a referrer who phoned (issue 18, item 9): produced from the decision, sent, recorded once. */

let t: TestApp;
let contactId: string;
let reference: string;
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who: 'contact-officer', url, body: res.body, headers: res.headers });
const FEEDBACK = 'We have given the family information about the parenting course at the children’s centre.';

beforeAll(async () => {
  t = await testApp();
  ({ contactId, reference } = await anAuthorisedContactWithFeedback(t.db, t.clock.now(), {
    child: { givenName: 'Rosie', familyName: 'Feedbackley' },
    feedback: FEEDBACK,
  }));
});
afterAll(async () => {
  await t?.close();
});

describe('feedback to the referrer', () => {
  it('is on the contact officer’s worktray and the contact, produced as a letter prefilled from the decision and the referrer', async () => {
    const officer = await t.as('contact-officer');
    const home = await officer.get('/');
    const item = home.$(`a[href="/front-door/contacts/${contactId}/referrer-feedback"]`);
    expect(item.text()).toContain(reference);
    expect(home.$('main').text()).toContain('Feedback to send to the referrer');
    const contactUrl = `/front-door/contacts/${contactId}`;
    const contact = await officer.get(contactUrl);
    expect(text(contact, '[data-testid="feedback-status"]')).toBe(
      'Not sent yet Send the feedback to the referrer',
    );
    capture('contact', contactUrl, contact);

    const url = `/front-door/contacts/${contactId}/referrer-feedback`;
    const page = await officer.get(url);
    expect(page.statusCode).toBe(200);
    capture('form', url, page);
    const letter = page.$('#text').text();
    expect(letter).toContain(`(reference ${reference})`);
    expect(letter).toContain('Dear Ms Amara Patel,');
    expect(letter).toContain('about Rosie Feedbackley.');
    expect(letter).toContain(FEEDBACK);
    expect(letter).toContain('Richmond upon Thames Single Point of Access');
    expect(page.$('input[name="method"]:checked').val()).toBe('email');
    expect(page.$('#sentTo').val()).toBe('dsl@kew-riverside.example');
    // Viewing it is audited like every page showing the contact.
    expect(
      (await auditEvents(t.db, 'contact.viewed', contactId)).map(
        (a) => (a.details as { page?: string }).page,
      ),
    ).toContain('referrer-feedback');
  });

  it('refuses an email with no address, keeping the edited letter; records it once, audited, and a second record is a 409', async () => {
    const officer = await t.as('contact-officer');
    const url = `/front-door/contacts/${contactId}/referrer-feedback`;
    const edited = `Dear Ms Patel,\n\n${FEEDBACK}\n\nWith thanks, the Single Point of Access`;
    const missing = await officer.post(url, { text: edited, method: 'email', sentTo: '' });
    expect(missing.statusCode).toBe(400);
    expect(summaryLinks(missing)).toEqual(['#sentTo Enter the email address you sent it to']);
    expect(missing.$('#text').text()).toBe(edited);
    capture('error', url, missing);

    const sent = await officer.post(url, {
      text: edited,
      method: 'email',
      sentTo: 'dsl@kew-riverside.example',
    });
    expect(sent.statusCode).toBe(303);
    const row = await t.db
      .selectFrom('contactDecisions')
      .select(['feedbackSentMethod', 'feedbackSentTo', 'feedbackSentText', 'feedbackSentAt'])
      .where('contactId', '=', contactId)
      .where('status', '=', 'authorised')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      feedbackSentMethod: 'email',
      feedbackSentTo: 'dsl@kew-riverside.example',
      feedbackSentText: edited,
    });
    const [audit] = await auditEvents(t.db, 'contact.referrer-feedback-sent', contactId);
    expect(audit!.details).toMatchObject({ reference, method: 'email', sentTo: 'dsl@kew-riverside.example' });

    const again = await officer.post(url, { text: 'Another letter', method: 'letter', sentTo: '' });
    expect(again.statusCode).toBe(409);
    expect(
      (
        await t.db
          .selectFrom('contactDecisions')
          .select('feedbackSentText')
          .where('contactId', '=', contactId)
          .where('status', '=', 'authorised')
          .executeTakeFirstOrThrow()
      ).feedbackSentText,
    ).toBe(edited);

    const shown = await officer.get(url);
    expect(text(shown, '[data-testid="feedback-sent"]')).toContain('Email to dsl@kew-riverside.example');
    expect(shown.$('#text').length).toBe(0);
    capture('sent', url, shown);
    const contact = await officer.get(`/front-door/contacts/${contactId}`);
    expect(text(contact, '[data-testid="feedback-status"]')).toMatch(
      /^Sent .+ to dsl@kew-riverside\.example See what was sent/,
    );
    const home = await officer.get('/');
    expect(home.$(`a[href="/front-door/contacts/${contactId}/referrer-feedback"]`).length).toBe(0);
  });

  it('is not for partners or for social workers', async () => {
    const url = `/front-door/contacts/${contactId}/referrer-feedback`;
    expect((await (await t.as('partner-agency-user')).get(url)).statusCode).toBe(403);
    expect((await (await t.as('social-worker')).get(url)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(4);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
