import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { aContactInput, demoUser } from '../../../test/builders/front-door.ts';
import { contextFor, run } from '../../../test/builders/context.ts';
import { localAuthorityIds, summaryLinks, textOf } from '../../../test/builders/front-door-helpers.ts';
import { createContact } from './contact.service.ts';

/**
 * Search sees open work: "Find a person" and the known-to-services check also find children named on open contacts
 * not yet linked to a record, shown as such, with "add this call to that contact"; the second call is recorded on
 * the first contact. Every kind of page is checked with axe in Chromium.
 */

let t: TestApp;
let first: { id: string; reference: string };
let second: { id: string; reference: string };
let secondChildRow: string;
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });

beforeAll(async () => {
  t = await testApp();
  const { richmond } = await localAuthorityIds(t.db);
  const officer = await demoUser(t.db, 'contact-officer');
  const contact = (givenName: string) =>
    run(t.db, (trx) =>
      createContact(
        contextFor(trx, officer, t.clock.now()),
        aContactInput(richmond, {
          receivedAt: new Date(t.clock.now().getTime() - 2 * 3_600_000),
          children: [{ givenName, familyName: 'Thistlewood', dateOfBirth: '2017-03-09' }],
        }),
      ),
    );
  first = await contact('Ottoline');
  second = await contact('Ottoline');
  secondChildRow = (
    await t.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', second.id)
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t.close();
});

describe('search sees open work', () => {
  it('“Find a person” finds a child named only on open contacts, shown as such, and records what it showed', async () => {
    const officer = await t.as('contact-officer');
    const url = '/people?name=Ottoline+Thistlewood';
    const res = await officer.get(url);
    expect(res.statusCode).toBe(200);
    capture('search', 'contact-officer', url, res);
    const items = res.$('[data-testid="open-work"] > li');
    expect(items.length).toBe(2);
    expect(textOf(res, '[data-testid="open-work"]')).toContain(
      `Open contact ${first.reference}, received 24 November`,
    );
    expect(res.$('[data-testid="open-work"] a:contains("Add this call to that contact")').length).toBe(2);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'people.searched')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect((audit.details as { openWork: string[] }).openWork).toContain(`/front-door/contacts/${first.id}`);
  });

  it('a social worker sees them without the option to add a call; a partner cannot search', async () => {
    const worker = await t.as('social-worker');
    const res = await worker.get('/people?name=Ottoline+Thistlewood');
    expect(res.$('[data-testid="open-work"] > li').length).toBe(2);
    expect(res.$('[data-testid="open-work"] a:contains("Add this call")').length).toBe(0);
    const partner = await t.as('partner-agency-user');
    expect((await partner.get('/people?name=Ottoline+Thistlewood')).statusCode).toBe(403);
  });

  it('the known-to-services check of the second contact shows the first one', async () => {
    const officer = await t.as('contact-officer');
    const url = `/front-door/contacts/${second.id}/children/${secondChildRow}/check`;
    const res = await officer.get(url);
    expect(res.statusCode).toBe(200);
    capture('child check', 'contact-officer', url, res);
    const items = res.$('[data-testid="open-work"] > li');
    expect(items.length).toBe(1);
    expect(items.text()).toContain(`Open contact ${first.reference}, received 24 November`);
    expect(items.find('a:contains("Add this call to that contact")').attr('href')).toBe(
      `/front-door/contacts/${first.id}/calls/new`,
    );
  });

  it('adds the call to that contact: today and a phone call by default, errors against their fields', async () => {
    const officer = await t.as('contact-officer');
    const url = `/front-door/contacts/${first.id}/calls/new`;
    const form = await officer.get(url);
    expect(form.statusCode).toBe(200);
    capture('add call', 'contact-officer', url, form);
    expect(form.$('#receivedOn-day').val()).toBe('24');
    expect(form.$('#receivedOn-month').val()).toBe('11');
    expect(form.$('#receivedOn-year').val()).toBe('2026');
    expect(form.$('input[name="channel"][value="phone"]').attr('checked')).toBeDefined();

    const bad = await officer.post(url, {
      channel: 'phone',
      'receivedOn-day': '24',
      'receivedOn-month': '11',
      'receivedOn-year': '2026',
      callerRole: 'School nurse',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#callerName Enter the name of who called',
      '#summary Enter what they told you',
    ]);
    expect(bad.$('#callerRole').val()).toBe('School nurse');
    capture('add call (errors)', 'contact-officer', url, bad);

    const ok = await officer.post(url, {
      channel: 'phone',
      'receivedOn-day': '24',
      'receivedOn-month': '11',
      'receivedOn-year': '2026',
      callerName: 'Ms Hale',
      callerRole: 'School nurse',
      summary: 'Ottoline said she is scared to go home.',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/front-door/contacts/${first.id}`);
    const page = await officer.get(`/front-door/contacts/${first.id}`);
    capture('contact with a further call', 'contact-officer', `/front-door/contacts/${first.id}`, page);
    expect(textOf(page, '[data-testid="further-call"]')).toContain('Ottoline said she is scared to go home.');
    expect(textOf(page, '[data-testid="timeline"]')).toContain(
      'Further phone call from Ms Hale, School nurse',
    );
  });

  it('is refused to staff who do not record contacts', async () => {
    const worker = await t.as('social-worker');
    expect((await worker.get(`/front-door/contacts/${first.id}/calls/new`)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(5);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
