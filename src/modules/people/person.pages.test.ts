import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAdult, anAllocation, aRelationship } from '../../../test/builders/people.ts';

const t = appForFile();

const summaryLinks = (res: { $: import('cheerio').CheerioAPI }) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
const auditRows = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['action', 'childId', 'details', 'actorUserId'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

describe('find a person', () => {
  it('shows the search form', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get('/people');
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Find a person');
    expect(res.$('input[name="nhsNumber"]').length).toBe(1);
  });

  it('an invalid NHS number, UPN or postcode gets an error naming the problem, linked from the summary', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people', {
      name: 'Olivia',
      nhsNumber: '943 476 5918',
      upn: 'A95000017830',
      postcode: 'TW1',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual(['#nhsNumber', '#upn', '#postcode']);
    expect(res.$('#nhsNumber-error').text()).toContain('the check digit does not match');
    expect(res.$('#upn-error').text()).toMatch(/UPN/);
    expect(res.$('#postcode-error').text()).toContain('Enter a full UK postcode');
    expect(res.$('input[name="name"]').attr('value')).toBe('Olivia');
    expect(res.$('title').text()).toMatch(/^Error: Find a person/);
  });

  it('an empty search asks for something to search by', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people', {});
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual(['#name']);
  });

  it('a good search redirects to the results, which give reasons and warnings, and is audited', async () => {
    const child = await aChild(t.db, {
      givenName: 'Leilani',
      familyName: 'Fairbairn',
      dateOfBirth: '2016-02-03',
      postcode: 'TW1 3BZ',
    });
    await anAdult(t.db, {
      givenName: 'Marcus',
      familyName: 'Fairbairn',
      warnings: [{ kind: 'risk-to-staff', details: 'Visit in pairs' }],
    });
    const sw = await t.as('social-worker');
    const post = await sw.post('/people', {
      name: 'Fairbarn Leilani',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2016',
    });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/people?name=Fairbarn+Leilani&dob=2016-02-03');
    const res = await sw.get(post.headers.location as string);
    expect(res.statusCode).toBe(200);
    const first = res.$('[data-testid="search-results"] > li').first();
    expect(first.find('h3 a').attr('href')).toBe(`/people/${child.id}`);
    expect(first.text()).toContain('Same date of birth');
    expect(first.text()).toContain('First and last names swapped');
    expect(first.text()).toContain('Likely match');
    const marcus = await sw.get('/people?name=Marcus+Fairbairn');
    expect(marcus.$('[data-testid="search-results"]').text()).toContain('Warning: Risk to staff');
    const audits = await auditRows('people.searched');
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('is paginated', async () => {
    for (let i = 0; i < 23; i++)
      await aChild(t.db, {
        givenName: `Kid${String.fromCharCode(97 + i)}`,
        familyName: 'Paginata',
        dateOfBirth: '2015-05-05',
      });
    const sw = await t.as('social-worker');
    const res = await sw.get('/people?dob=2015-05-05');
    expect(res.$('h2#results-heading').text()).toContain('23 people found');
    expect(res.$('[data-testid="search-results"] > li').length).toBe(20);
    expect(res.$('.govuk-pagination__next a').attr('href')).toBe('/people?dob=2015-05-05&page=2');
    const page2 = await sw.get('/people?dob=2015-05-05&page=2');
    expect(page2.$('[data-testid="search-results"] > li').length).toBe(3);
  });

  it('needs person:search', async () => {
    const analyst = await t.as('performance-analyst');
    expect((await analyst.get('/people')).statusCode).toBe(403);
  });
});

describe('create a record', () => {
  const base = {
    kind: 'child',
    givenName: 'Rosalind',
    familyName: 'Quennell',
    sex: 'F',
    'dateOfBirth-day': '9',
    'dateOfBirth-month': '1',
    'dateOfBirth-year': '2019',
  };

  it('shows the form, prefilled from a search', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get('/people/new?givenName=Rosalind&familyName=Quennell&dob=2019-01-09');
    expect(res.statusCode).toBe(200);
    expect(res.$('#givenName').attr('value')).toBe('Rosalind');
    expect(res.$('#dateOfBirth-year').attr('value')).toBe('2019');
  });

  it('refuses a future date of birth for a born child, and bad identifiers', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people/new', {
      ...base,
      'dateOfBirth-year': '2027',
      nhsNumber: '1234567890',
      postcode: 'XX',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual(
      expect.arrayContaining(['#dateOfBirth-day', '#nhsNumber', '#postcode']),
    );
    expect(res.$('#dateOfBirth-error').text()).toContain('Date of birth must be today or in the past');
    expect(res.$('#nhsNumber-error').text()).toContain('NHS number');
  });

  it('creates a child with an LA child id and a chronology entry, audited', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people/new', {
      ...base,
      postcode: 'tw1 3bz',
      addressLine1: '1 Test Road',
      town: 'Twickenham',
    });
    expect(res.statusCode).toBe(303);
    const id = (res.headers.location as string).split('/').pop()!;
    const person = await t.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(person.laChildId).toMatch(/^RT\d{6}$/);
    const address = await t.db
      .selectFrom('addresses')
      .select('postcode')
      .where('personId', '=', id)
      .executeTakeFirstOrThrow();
    expect(address.postcode).toBe('TW1 3BZ');
    expect((await auditRows('person.created')).map((a) => a.childId)).toContain(id);
    const events = await t.db.selectFrom('caseEvents').select('title').where('childId', '=', id).execute();
    expect(events.map((e) => e.title)).toEqual(['Record created']);
    const page = await sw.get(res.headers.location as string);
    expect(page.$('.govuk-notification-banner').text()).toContain(`Record created: ${person.laChildId}`);
  });

  it('shows likely duplicates first and asks to confirm', async () => {
    const sw = await t.as('social-worker');
    const first = await sw.post('/people/new', { ...base, givenName: 'Rosie' });
    expect(first.statusCode).toBe(200);
    expect(first.$('[data-testid="likely-duplicates"]').text()).toContain('Rosalind Quennell');
    expect(first.$('[data-testid="likely-duplicates"]').text()).toContain('Same date of birth');
    expect(first.$('input[name="duplicatesShown"]').attr('value')).toBe('yes');
    expect(first.$('#givenName').attr('value')).toBe('Rosie');
    const unconfirmed = await sw.post('/people/new', { ...base, givenName: 'Rosie', duplicatesShown: 'yes' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(summaryLinks(unconfirmed)).toEqual(['#notADuplicate']);
    expect(unconfirmed.$('[data-testid="likely-duplicates"]').length).toBe(1);
    const confirmed = await sw.post('/people/new', {
      ...base,
      givenName: 'Rosie',
      duplicatesShown: 'yes',
      notADuplicate: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
  });

  it('creates an unborn child with an expected date of birth', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.post('/people/new', {
      kind: 'unborn',
      givenName: 'Baby',
      familyName: 'Ulverston',
      'expectedDateOfBirth-day': '1',
      'expectedDateOfBirth-month': '3',
      'expectedDateOfBirth-year': '2027',
    });
    expect(res.statusCode).toBe(303);
    const page = await sw.get(res.headers.location as string);
    expect(page.$('.govuk-caption-l').first().text()).toContain('Unborn child');
    expect(page.$('[data-testid="record-facts"]').text()).toContain('Expected 1 March 2027');
  });
});

describe("the child's record", () => {
  it('shows the summary with warnings, allocation and family, and audits the view', async () => {
    const child = await aChild(t.db, {
      givenName: 'Imogen',
      familyName: 'Tarrant',
      dateOfBirth: '2014-04-04',
      ethnicityCode: 'WBRI',
      postcode: 'TW2 5AA',
    });
    const dad = await anAdult(t.db, { givenName: 'Gareth', familyName: 'Tarrant', sex: 'M' });
    await aRelationship(t.db, child, dad, 'parent', { livesWith: true });
    await t.db
      .insertInto('personWarnings')
      .values({
        personId: child.id,
        kind: 'interpreter-needed',
        details: 'BSL interpreter',
        fromDate: '2026-01-01',
      })
      .execute();
    await anAllocation(t.db, child, { role: 'social-worker' });
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${child.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Imogen Tarrant');
    expect(res.$('[data-testid="record-warnings"]').text()).toContain('Interpreter needed: BSL interpreter');
    expect(res.body).toContain('Sian Walker');
    expect(res.body).toContain('Father');
    expect(res.body).toContain('White – British');
    expect(res.$('a[href$="/access-log"]').length).toBe(0);
    const audits = await auditRows('child-record.viewed');
    expect(audits.some((a) => a.childId === child.id)).toBe(true);
    const manager = await t.as('team-manager');
    const managerView = await manager.get(`/people/${child.id}`);
    expect(managerView.$('a[href$="/access-log"]').text()).toBe('Who has accessed this record');
    expect(managerView.$('a[href$="/restriction"]').text()).toBe('Restriction and access');
  });

  it('a record the user may not see is 404, like one that does not exist', async () => {
    const child = await aChild(t.db, { givenName: 'Hidden', familyName: 'Child', restricted: true });
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${child.id}`)).statusCode).toBe(404);
    expect((await sw.get('/people/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('changes details, with errors shown and typed values kept', async () => {
    const child = await aChild(t.db, {
      givenName: 'Edmund',
      familyName: 'Varley',
      dateOfBirth: '2013-06-06',
    });
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.$('#givenName').attr('value')).toBe('Edmund');
    const version = form.$('input[name="version"]').attr('value')!;
    const bad = await sw.post(`/people/${child.id}/edit`, {
      personKind: 'child',
      version,
      givenName: 'Edmund',
      familyName: 'Varley',
      'dateOfBirth-day': '6',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '2013',
      upn: 'Z123',
      warningKind: 'risk-to-staff',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#upn', '#warningDetails']);
    const good = await sw.post(`/people/${child.id}/edit`, {
      personKind: 'child',
      version,
      givenName: 'Edmund',
      familyName: 'Varley-Hughes',
      'dateOfBirth-day': '6',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '2013',
      sex: 'M',
      addressLine1: '9 New Street',
      postcode: 'TW1 1AA',
      warningKind: 'dangerous-animal',
      warningDetails: 'Large dog',
    });
    expect(good.statusCode).toBe(303);
    const saved = await t.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(saved.familyName).toBe('Varley-Hughes');
    expect(saved.nameKeys).toEqual(expect.arrayContaining(['varley', 'hughes', 'varleyhughes']));
    const stale = await sw.post(`/people/${child.id}/edit`, {
      personKind: 'child',
      version,
      givenName: 'Edmund',
      familyName: 'Varley',
      'dateOfBirth-day': '6',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '2013',
    });
    expect(stale.statusCode).toBe(409);
    const page = await sw.get(`/people/${child.id}`);
    expect(page.$('[data-testid="record-warnings"]').text()).toContain('Large dog');
  });

  it('needs child:write to change details', async () => {
    const child = await aChild(t.db);
    const contact = await t.as('contact-officer');
    expect((await contact.get(`/people/${child.id}/edit`)).statusCode).toBe(403);
  });
});
