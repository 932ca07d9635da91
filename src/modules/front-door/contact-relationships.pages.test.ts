import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { aContactInput, demoUser } from '../../../test/builders/front-door.ts';
import { contextFor, run } from '../../../test/builders/context.ts';
import { localAuthorityIds, summaryLinks, textOf } from '../../../test/builders/front-door-helpers.ts';
import { createContact } from './contact.service.ts';

/**
 * Facts carry forward: the mother named on a contact, once checked, becomes the child's family network with the
 * relationship from the contact's words, confirmed by the worker; words that say nothing of a relationship are
 * not guessed. Every kind of page is checked with axe in Chromium.
 */

let t: TestApp;
let contactId: string;
let childRow: string;
let motherRow: string;
let otherRow: string;
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who: 'mash-practitioner', url, body: res.body, headers: res.headers });

beforeAll(async () => {
  t = await testApp();
  const { richmond } = await localAuthorityIds(t.db);
  const officer = await demoUser(t.db, 'contact-officer');
  const created = await run(t.db, (trx) =>
    createContact(
      contextFor(trx, officer, t.clock.now()),
      aContactInput(richmond, {
        children: [{ givenName: 'Clementine', familyName: 'Ravensworth', dateOfBirth: '2019-08-14' }],
        adults: [
          { givenName: 'Philippa', familyName: 'Ravensworth', role: 'mother' },
          { givenName: 'Dorian', familyName: 'Vexley', role: 'other' },
        ],
      }),
    ),
  );
  contactId = created.id;
  childRow = (
    await t.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', contactId)
      .executeTakeFirstOrThrow()
  ).id;
  [motherRow, otherRow] = (
    await t.db
      .selectFrom('contactAdults')
      .select('id')
      .where('contactId', '=', contactId)
      .orderBy('position')
      .execute()
  ).map((a) => a.id) as [string, string];
});
afterAll(async () => {
  await t.close();
});

describe('relationships from the contact', () => {
  it('offers the mother as the child’s parent, with parental responsibility, for the worker to confirm', async () => {
    const mash = await t.as('mash-practitioner');
    const childCheck = `/front-door/contacts/${contactId}/children/${childRow}/check`;
    expect((await mash.post(childCheck, { action: 'create', linkedPersonId: '' })).statusCode).toBe(303);
    const adultCheck = `/front-door/contacts/${contactId}/adults/${motherRow}/check`;
    const created = await mash.post(adultCheck, { action: 'create', linkedPersonId: '' });
    expect(created.statusCode).toBe(303);
    const url = `/front-door/contacts/${contactId}/adults/${motherRow}/relationships`;
    expect(created.headers.location).toBe(url);

    const form = await mash.get(url);
    expect(form.statusCode).toBe(200);
    capture('relationships', url, form);
    expect(form.$(`#kind-${childRow} option:selected`).text()).toBe('Parent');
    expect(form.$(`input[name="pr-${childRow}"]`).attr('checked')).toBeDefined();
    expect(form.$(`input[name="lives-${childRow}"]`).attr('checked')).toBeUndefined();
    expect(textOf(form, 'main')).toContain('From the contact: mother');

    const saved = await mash.post(url, { [`kind-${childRow}`]: 'parent', [`pr-${childRow}`]: 'yes' });
    expect(saved.statusCode).toBe(303);
    const child = await t.db
      .selectFrom('contactChildren')
      .select('personId')
      .where('id', '=', childRow)
      .executeTakeFirstOrThrow();
    const rel = await t.db
      .selectFrom('relationships as r')
      .innerJoin('people as p', 'p.id', 'r.relatedPersonId')
      .select(['r.kind', 'r.parentalResponsibility', 'r.notes', 'p.givenName'])
      .where('r.personId', '=', child.personId!)
      .execute();
    expect(rel).toEqual([
      expect.objectContaining({ kind: 'parent', parentalResponsibility: true, givenName: 'Philippa' }),
    ]);
    expect(rel[0]!.notes).toMatch(/^From contact C-\d{4}-\d{5}: the referrer said “mother”$/);
    const record = await mash.get(`/people/${child.personId}`);
    expect(record.body).not.toContain('No relationships recorded');
    expect(textOf(record, 'main')).toContain('Philippa Ravensworth');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('action', 'in', ['relationship.added', 'contact.relationships-confirmed'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'contact.relationships-confirmed',
      'relationship.added',
    ]);

    // Asked again, the relationship is already recorded and is not added twice.
    const again = await mash.get(url);
    expect(textOf(again, 'main')).toContain('Already recorded');
  });

  it('does not guess from words that say nothing of the relationship: the worker must choose', async () => {
    const mash = await t.as('mash-practitioner');
    const adultCheck = `/front-door/contacts/${contactId}/adults/${otherRow}/check`;
    await mash.post(adultCheck, { action: 'create', linkedPersonId: '', notADuplicate: 'yes' });
    const url = `/front-door/contacts/${contactId}/adults/${otherRow}/relationships`;
    const form = await mash.get(url);
    expect(form.$(`#kind-${childRow} option:selected`).val()).toBe('');
    const bad = await mash.post(url, {});
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([`#kind-${childRow} Select what they are to Clementine Ravensworth`]);
    capture('relationships (errors)', url, bad);
    const none = await mash.post(url, { [`kind-${childRow}`]: 'none' });
    expect(none.statusCode).toBe(303);
    const count = await t.db
      .selectFrom('relationships as r')
      .innerJoin('contactAdults as a', 'a.personId', 'r.relatedPersonId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.id', '=', otherRow)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('is refused to a contact officer (no child:write) and to a social worker', async () => {
    const url = `/front-door/contacts/${contactId}/adults/${motherRow}/relationships`;
    expect((await (await t.as('contact-officer')).get(url)).statusCode).toBe(403);
    expect((await (await t.as('social-worker')).get(url)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(2);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
