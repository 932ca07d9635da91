import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheerioAPI } from 'cheerio';
import { appForFile, type Agent, type TestApp } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { aCinEpisode, withCensusDetails } from '../../../test/builders/social-care.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { createContact } from './contact.service.ts';
import { authoriseDecision } from './authorisation.service.ts';
import { decideContact } from './decision.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import {
  axeCapturedPages,
  pagesWiderThanScreen,
  type CapturedPage,
} from '../../../test/support/axe-pages.ts';
import {
  agencyIdsByKind,
  auditEvents,
  banner,
  localAuthorityIds,
  summaryLinks,
} from '../../../test/builders/front-door-helpers.ts';

let richmond: string;
let agencies: Record<string, string>;
let healthUserId: string;
/** Pages kept for the browser checks at the end (axe, and no sideways scrolling on a phone). */
const forAxe = new Map<string, CapturedPage>();

const contactIdFrom = (location: unknown) =>
  /\/front-door\/contacts\/([0-9a-f-]{36})$/.exec(String(location))?.[1] ?? '';
const audits = (action: string, subjectId: string) => auditEvents(t.db, action, subjectId);

const goodContact = {
  channel: 'phone',
  referralSource: '6',
  referrerName: 'PC Jo Bloggs',
  referrerAgencyId: '',
  concernCategories: ['domestic-abuse', 'emotional-wellbeing'],
  reason: 'Police were called to the home at 2am. The children were present.',
  consent: 'dispensed',
  consentRationale: 'A police notification: telling the father could raise the risk.',
  urgency: 'urgent',
  child1GivenName: 'Poppy',
  child1FamilyName: 'Pagetest',
  'child1DateOfBirth-day': '4',
  'child1DateOfBirth-month': '3',
  'child1DateOfBirth-year': '2017',
  child2GivenName: 'Reuben',
  child2FamilyName: 'Pagetest',
  adult1GivenName: 'Dean',
  adult1FamilyName: 'Pagetest',
  adult1Role: 'alleged-harmer',
};

const t = appForFile();
beforeAll(async () => {
  ({ richmond } = await localAuthorityIds(t.db));
  agencies = await agencyIdsByKind(t.db);
  goodContact.referrerAgencyId = agencies.police!;
  const health = await t.db
    .insertInto('users')
    .values({
      email: 'health.pages@demo.threshold.test',
      displayName: 'Hattie Health',
      agencyId: agencies.health!,
      jobTitle: 'Named nurse',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('userRoles').values({ userId: health.id, role: 'partner-agency-user' }).execute();
  healthUserId = health.id;
});

async function staffUser(role: Parameters<TestApp['userId']>[0]) {
  return (await loadCurrentUser(t.db, await t.userId(role), null))!;
}

describe('recording a contact', () => {
  it('shows the form with blank rows; "Add more rows" gives more without checking; bad input → 400 with the summary; good → 303', async () => {
    const officer = await t.as('contact-officer');
    const form = await officer.get('/front-door/contacts/new');
    expect(form.statusCode).toBe(200);
    expect(form.$('h1').text()).toBe('Record a contact');
    expect(form.$('legend').filter((_, l) => /^Child \d$/.test(form.$(l).text().trim())).length).toBe(2);

    const more = await officer.post('/front-door/contacts/new', {
      child1GivenName: 'A',
      child2GivenName: 'B',
      more: 'yes',
    });
    expect(more.statusCode).toBe(200);
    expect(more.$('input[name="child4GivenName"]').length).toBe(1);
    expect(more.$('input[name="child2GivenName"]').val()).toBe('B');
    expect(more.$('.govuk-error-summary').length).toBe(0);

    const bad = await officer.post('/front-door/contacts/new', {
      consent: 'not-given',
      adult1Phone: '0208 123',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#channel Select how the contact was made',
      '#concernCategories Select at least one category of concern',
      '#reason Describe what has happened and what the referrer is worried about',
      '#urgency Select how urgent this is',
      '#referralSource Select the school or agency that made the contact, or who made it',
      '#consentRationale Explain why you are making this contact without the family’s consent',
      '#child1GivenName Enter the name of at least one child',
      '#adult1GivenName Enter the first name or last name of adult 1',
      '#adult1Role Select how adult 1 is involved',
    ]);
    expect(bad.$('title').text()).toMatch(/^Error: Record a contact/);
    expect(bad.$('#adult1Phone').val()).toBe('0208 123');

    const future = await officer.post('/front-door/contacts/new', {
      ...goodContact,
      'child1DateOfBirth-year': '2030',
    });
    expect(summaryLinks(future)).toEqual([
      '#child1DateOfBirth-day Date of birth of child 1 must be today or in the past',
    ]);

    const good = await officer.post('/front-door/contacts/new', goodContact);
    expect(good.statusCode).toBe(303);
    const id = contactIdFrom(good.headers.location);
    const page = await officer.get(`/front-door/contacts/${id}`);
    expect(page.statusCode).toBe(200);
    expect(banner(page)).toMatch(
      /^Success Contact C-2026-\d{5} recorded\. A decision is due by the end of 25 November 2026\.$/,
    );
    expect(page.$('h1').text()).toBe('Contact about Poppy Pagetest, Reuben Pagetest');
    expect(page.$('[data-testid="decision-due"]').text()).toContain('by the end of 25 November 2026');
    // People are shown by name, never by their sign-in email.
    const recordedBy = page
      .$('.govuk-summary-list__row')
      .filter((_, r) => page.$(r).text().includes('Recorded by'));
    expect(recordedBy.find('.govuk-summary-list__value').text().trim()).toBe('Cara Oduya');
    expect(page.$('main').text()).not.toContain('contact.officer@demo.threshold.test');
    // The referrer's account at reading size and full height: body text as typed, never smaller, never a scrolling box.
    const account = page
      .$('.govuk-summary-list__row')
      .filter((_, r) => page.$(r).find('dt').text().trim() === 'What happened')
      .find('.govuk-summary-list__value p');
    expect(account.attr('class')).toBe('govuk-body app-pre');
    expect(account.text()).toBe(goodContact.reason);
    const css = readFileSync(new URL('../../web/public/threshold.css', import.meta.url), 'utf8');
    const rule = /\.app-pre \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toContain('white-space: pre-wrap');
    expect(rule).not.toMatch(/max-height|overflow-y|overflow:|font-size/);
    expect((await audits('contact.viewed', id)).map((a) => a.actorLabel)).toEqual([
      'contact.officer@demo.threshold.test',
    ]);
  });

  it('one choice of school fills the census source (2A) and each child’s school, without JavaScript; a school typed for a child is kept', async () => {
    const officer = await t.as('contact-officer');
    const form = await officer.get('/front-door/contacts/new');
    // The school or agency is asked first, once; the source is the fallback for a referrer not in the list.
    const order = form
      .$('#referrerAgencyId, #referralSource')
      .map((_, e) => form.$(e).attr('id'))
      .get();
    expect(order).toEqual(['referrerAgencyId', 'referralSource']);
    const school = await t.db
      .selectFrom('agencies')
      .select(['id', 'name'])
      .where('id', '=', agencies.school!)
      .executeTakeFirstOrThrow();
    const id = await newContact(officer, {
      referralSource: '',
      referrerAgencyId: school.id,
      child2School: 'Riverside Nursery',
    });
    const contact = await t.db
      .selectFrom('contacts')
      .select(['referralSource', 'referrerAgencyId'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(contact).toEqual({ referralSource: '2A', referrerAgencyId: school.id });
    const schools = await t.db
      .selectFrom('contactChildren')
      .select('school')
      .where('contactId', '=', id)
      .orderBy('position')
      .execute();
    expect(schools.map((c) => c.school)).toEqual([school.name, 'Riverside Nursery']);
    // Neither a school nor a source: one question to answer, with what was typed kept.
    const neither = await officer.post('/front-door/contacts/new', {
      ...goodContact,
      referralSource: '',
      referrerAgencyId: '',
    });
    expect(neither.statusCode).toBe(400);
    expect(summaryLinks(neither)).toEqual([
      '#referralSource Select the school or agency that made the contact, or who made it',
    ]);
    expect(neither.$('#reason').val()).toBe(goodContact.reason);
  });

  it('is for front-door staff: a social worker may read the front door but not record; a partner may do neither', async () => {
    const sw = await t.as('social-worker');
    expect((await sw.get('/front-door')).statusCode).toBe(200);
    expect((await sw.get('/front-door/contacts/new')).statusCode).toBe(403);
    const police = await t.as('partner-agency-user');
    expect((await police.get('/front-door')).statusCode).toBe(403);
  });
});

async function newContact(officer: Agent, overrides: Record<string, string | string[]> = {}) {
  const res = await officer.post('/front-door/contacts/new', { ...goodContact, ...overrides });
  expect(res.statusCode).toBe(303);
  return contactIdFrom(res.headers.location);
}

describe('screening, MASH enquiry and partners', () => {
  let contactId: string;
  let requestId: string;

  it('the known-to-services check finds the child, refuses a link without a record, links with 303, and creates a record for the other', async () => {
    const child = await aChild(t.db, {
      givenName: 'Poppy',
      familyName: 'Pagetest',
      dateOfBirth: '2017-03-04',
    });
    const officer = await t.as('contact-officer');
    contactId = await newContact(officer);
    const children = await t.db
      .selectFrom('contactChildren')
      .select(['id', 'givenName'])
      .where('contactId', '=', contactId)
      .orderBy('position')
      .execute();
    const checkUrl = `/front-door/contacts/${contactId}/children/${children[0]!.id}/check`;
    const check = await officer.get(checkUrl);
    expect(check.statusCode).toBe(200);
    expect(check.$('h1').text()).toBe('Is Poppy Pagetest known to services?');
    expect(check.$('[data-testid="candidates"] h3').first().text()).toContain('Poppy Pagetest');
    expect((await audits('people.searched', contactId)).length).toBe(1);
    const bad = await officer.post(checkUrl, { action: 'link', linkedPersonId: '' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#personId Choose a record from the list']);
    // The page carries the link it was shown with: a post without it is refused, nothing linked.
    const unversioned = await officer.post(checkUrl, { action: 'link', personId: child.id });
    expect(unversioned.statusCode).toBe(400);
    expect(summaryLinks(unversioned)).toEqual(['#linkedPersonId The page was out of date: open it again']);
    const linked = await officer.post(checkUrl, { action: 'link', linkedPersonId: '', personId: child.id });
    expect(linked.statusCode).toBe(303);
    // A second worker's tab, opened before that link, cannot replace it or create a second record (security M3).
    const stale = await officer.post(checkUrl, { action: 'create', linkedPersonId: '' });
    expect(stale.statusCode).toBe(409);
    expect(
      (
        await t.db
          .selectFrom('contactChildren')
          .select('personId')
          .where('id', '=', children[0]!.id)
          .executeTakeFirstOrThrow()
      ).personId,
    ).toBe(child.id);
    const created = await officer.post(
      `/front-door/contacts/${contactId}/children/${children[1]!.id}/check`,
      { action: 'create', linkedPersonId: '' },
    );
    expect(created.statusCode).toBe(303);
    const page = await officer.get(`/front-door/contacts/${contactId}`);
    expect(page.$('.govuk-summary-card__title').first().text()).toContain('Poppy Pagetest');
    expect(page.$('main').text()).toContain('New record created');
    expect(
      (
        await t.db
          .selectFrom('contacts')
          .select('status')
          .where('id', '=', contactId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('awaiting-decision');
  });

  it('the RAG rating: 400 without a rating, 303 with one, information due in working hours', async () => {
    const mash = await t.as('mash-practitioner');
    const url = `/front-door/contacts/${contactId}/mash-enquiry`;
    const form = await mash.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('#rag-hint, .govuk-radios__hint').first().text()).toContain('24 November 2026 at 2:30pm');
    // The rating never moves the decision deadline; a rating whose partners' deadline falls after it says so.
    const decisionDue = form.$('[data-testid="clock-rule"]').text();
    expect(decisionDue).toMatch(
      /^The rating does not move the decision deadline: the contact must still be decided by /,
    );
    const hints = form
      .$('.govuk-radios__hint')
      .map((_i, el) => form.$(el).text().trim())
      .get();
    expect(hints[0]).not.toContain('after the decision deadline');
    expect(hints[2]).toMatch(/, after the decision deadline: the decision is still due by .+\.$/);
    const version = String(form.$('input[name="version"]').val());
    const bad = await mash.post(url, { version });
    expect(summaryLinks(bad)).toEqual(['#rag Select a RAG rating', '#rationale Explain the rating']);
    const good = await mash.post(url, {
      rag: 'red',
      rationale: 'Children present at a violent incident',
      version,
    });
    expect(good.statusCode).toBe(303);
    const page = await mash.get(`/front-door/contacts/${contactId}`);
    expect(banner(page)).toContain('partners’ information is due by 24 November 2026 at 2:30pm');
    expect(page.$('[data-testid="clock-rule"]').text()).toContain(
      'The red rating gives partners until 24 November 2026 at 2:30pm to answer',
    );
    const stale = await mash.post(url, { rag: 'amber', rationale: 'x', version });
    expect(stale.statusCode).toBe(409);
  });

  it('requests information: 400 without an agency, 303 with one; shows on the contact', async () => {
    const mash = await t.as('mash-practitioner');
    const url = `/front-door/contacts/${contactId}/information-requests/new`;
    expect((await mash.get(url)).statusCode).toBe(200);
    const bad = await mash.post(url, { requestType: 'information-check', question: '' });
    expect(summaryLinks(bad)).toEqual([
      '#agencyId Select the agency',
      '#question Enter what you need to know',
    ]);
    const good = await mash.post(url, {
      agencyId: agencies.health!,
      requestType: 'information-check',
      question: 'Is Poppy known to health services?',
    });
    expect(good.statusCode).toBe(303);
    requestId = (
      await t.db
        .selectFrom('informationRequests')
        .select('id')
        .where('contactId', '=', contactId)
        .executeTakeFirstOrThrow()
    ).id;
    const page = await mash.get(`/front-door/contacts/${contactId}`);
    expect(page.$('[data-testid="information-requests"]').text()).toContain(
      'Kingston and Richmond NHS Foundation Trust',
    );
    expect((await t.as('contact-officer').then((o) => o.get(url))).statusCode).toBe(403);
  });

  it('the health user sees only their agency’s request and answers it; the police user gets 404', async () => {
    const health = await t.asUser(healthUserId);
    const list = await health.get('/information-requests');
    expect(list.statusCode).toBe(200);
    expect(
      list
        .$('[data-testid="partner-requests"] a')
        .map((_, a) => list.$(a).attr('href'))
        .get(),
    ).toEqual([`/information-requests/${requestId}`]);
    const police = await t.as('partner-agency-user');
    expect((await police.get(`/information-requests/${requestId}`)).statusCode).toBe(404);
    expect(
      (
        await police.post(`/information-requests/${requestId}`, {
          knownToAgency: 'yes',
          response: 'x',
          version: '1',
        })
      ).statusCode,
    ).toBe(404);
    const view = await health.get(`/information-requests/${requestId}`);
    expect(view.statusCode).toBe(200);
    expect(view.$('h1').text()).toBe('Information check');
    expect(view.$('main').text()).not.toContain('Police were called to the home');
    expect((await audits('information-request.viewed', requestId)).length).toBe(1);
    const bad = await health.post(`/information-requests/${requestId}`, { version: '1' });
    expect(summaryLinks(bad)).toEqual([
      '#knownToAgency Select yes if your agency knows the child or family',
      '#response Enter the information you hold, or say that you hold none',
    ]);
    const good = await health.post(`/information-requests/${requestId}`, {
      knownToAgency: 'yes',
      response: 'Seen by CAMHS in October for anxiety.',
      version: '1',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/information-requests');
  });

  it('a reminder is a confirmed, audited action', async () => {
    const mash = await t.as('mash-practitioner');
    const mashUser = await staffUser('mash-practitioner');
    const other = await t.db.transaction().execute(async (trx) => {
      const { createInformationRequest } = await import('./information-request.service.ts');
      return createInformationRequest(serviceContext(trx, mashUser, t.clock.now()), {
        contactId,
        agencyId: agencies.police!,
        requestType: 'information-check',
        question: 'Call-outs?',
      });
    });
    const url = `/front-door/contacts/${contactId}/information-requests/${other.id}/reminder`;
    const form = await mash.get(url);
    expect(form.$('h1').text()).toBe('Send a reminder to Metropolitan Police – South West BCU');
    const sent = await mash.post(url, { confirm: 'yes' });
    expect(sent.statusCode).toBe(303);
    expect((await audits('information-request.reminder-sent', other.id)).length).toBe(1);
    const bad = await mash.post(url, {});
    expect(bad.statusCode).toBe(400);
  });
});

describe('decision and authorisation', () => {
  it('a decision without a rationale → 400; with one → 303; a second decision is refused with the reason; the manager authorises and early help opens', async () => {
    const officer = await t.as('contact-officer');
    const id = await newContact(officer, { child2GivenName: '', child2FamilyName: '' });
    const cc = await t.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', id)
      .executeTakeFirstOrThrow();
    expect(
      (
        await officer.post(`/front-door/contacts/${id}/children/${cc.id}/check`, {
          action: 'create',
          linkedPersonId: '',
        })
      ).statusCode,
    ).toBe(303);
    const mash = await t.as('mash-practitioner');
    const url = `/front-door/contacts/${id}/decision`;
    const form = await mash.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('.govuk-radios__hint').first().text()).toContain('universal services');
    // Every page that shows the contact records the view, naming the page.
    expect((await audits('contact.viewed', id)).map((a) => (a.details as { page?: string }).page)).toContain(
      'decision',
    );
    const version = String(form.$('input[name="version"]').val());
    const bad = await mash.post(url, { levelOfNeed: 'level-2', outcome: 'early-help', version });
    expect(summaryLinks(bad)).toEqual([
      '#rationale Enter the rationale for the decision',
      '#referrerFeedback Enter the feedback for the referrer',
    ]);
    // A decision sent without the version its page was shown with is refused, never saved over the contact.
    const unversioned = await mash.post(url, {
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'Additional needs; the family want help',
      referrerFeedback: 'Family support will contact the family',
    });
    expect(unversioned.statusCode).toBe(400);
    expect(summaryLinks(unversioned)).toEqual(['#version The page was out of date: open it again']);
    expect(unversioned.$('#rationale').text()).toBe('Additional needs; the family want help');
    expect(
      (await t.db.selectFrom('contacts').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).not.toBe('awaiting-authorisation');
    // The contact page says which clock governs it.
    const before = await mash.get(`/front-door/contacts/${id}`);
    expect(before.$('[data-testid="clock-rule"]').text()).toMatch(
      /^The decision clock governs the contact: it must be decided by .+, the end of the next working day after it was received\.$/,
    );
    // Each level says what it usually leads to; a level 1 contact sent to early help departs from that, so the
    // worker is asked why (and nothing typed is lost).
    expect(form.$('.govuk-radios__hint').first().text()).toContain(
      'Usually leads to: no further action; information, advice and signposting.',
    );
    const decided = {
      levelOfNeed: 'level-1',
      outcome: 'early-help',
      rationale: 'Additional needs; the family want help',
      referrerFeedback: 'Family support will contact the family',
      version,
    };
    const departing = await mash.post(url, decided);
    expect(departing.statusCode).toBe(400);
    expect(summaryLinks(departing)).toEqual([
      '#departureReason Explain why the outcome is early help / family support: level 1 on the continuum usually leads to no further action or information, advice and signposting',
    ]);
    expect(departing.$('#rationale').text()).toBe('Additional needs; the family want help');
    const reason = 'Universal services alone have not helped and the family asked for parenting support';
    const good = await mash.post(url, { ...decided, departureReason: reason });
    expect(good.statusCode).toBe(303);
    expect((await audits('contact.decided', id))[0]!.details).toMatchObject({ departsFromContinuum: true });
    const manager = await t.as('mash-manager');
    const again = await manager.post(url, {
      levelOfNeed: 'level-3',
      outcome: 'social-care',
      rationale: 'x',
      referrerFeedback: 'y',
      version: String(Number(version) + 1),
    });
    expect(again.statusCode).toBe(400);
    expect(summaryLinks(again)[0]).toMatch(
      /^#outcome This contact has already been decided \(Early help \/ family support, awaiting authorisation\) by Mo Hassan/,
    );

    const authUrl = `/front-door/contacts/${id}/authorisation`;
    const authForm = await manager.get(authUrl);
    expect(authForm.statusCode).toBe(200);
    forAxe.set('authorisation', {
      who: 'mash-manager',
      url: authUrl,
      body: authForm.body,
      headers: authForm.headers,
    });
    // The threshold document by its name and the day of the decision, not its stored version code.
    const documentRow = authForm.$('.govuk-summary-list__row:contains("Threshold document")').text();
    expect(documentRow).toContain('London Continuum of Need (four levels), as it stood on 24 November 2026');
    expect(authForm.$('main').text()).not.toContain('default-2026-1');
    // The early help team picker offers the authority's early help teams only.
    const teamOptions = authForm
      .$('#teamId option')
      .map((_, o) => authForm.$(o).text().trim())
      .get()
      .slice(1);
    expect(teamOptions.length).toBeGreaterThan(0);
    expect(teamOptions.every((name) => name.startsWith('Early Help'))).toBe(true);
    expect(teamOptions).not.toContain('Systems Support');
    expect(authForm.$('[data-testid="departure-reason"]').text()).toBe(reason);
    const v2 = String(authForm.$('input[name="version"]').val());
    const badAuth = await manager.post(authUrl, { action: 'authorise', version: v2 });
    expect(summaryLinks(badAuth)).toEqual(['#rationale Enter your rationale for authorising the decision']);
    const systemsSupport = await teamId(t.db, 'Systems Support');
    const notEarlyHelp = await manager.post(authUrl, {
      action: 'authorise',
      rationale: 'Agreed: early help with the family’s consent',
      teamId: systemsSupport,
      version: v2,
    });
    expect(notEarlyHelp.statusCode).toBe(400);
    expect(summaryLinks(notEarlyHelp)).toEqual(['#teamId Choose an early help team']);
    const ok = await manager.post(authUrl, {
      action: 'authorise',
      rationale: 'Agreed: early help with the family’s consent',
      version: v2,
    });
    expect(ok.statusCode).toBe(303);
    const page = await manager.get(`/front-door/contacts/${id}`);
    expect(banner(page)).toMatch(/Decision authorised\. Early help episode EH-2026-\d{5} opened\./);
    expect(page.$('[data-testid="decision-authorised"]').text()).toContain(
      'London Continuum of Need (four levels), as it stood on 24 November 2026',
    );
    expect(page.$('[data-testid="decision-authorised"]').length).toBe(1);
    forAxe.set('contact', {
      who: 'mash-manager',
      url: `/front-door/contacts/${id}`,
      body: page.body,
      headers: page.headers,
    });
    expect(page.$('[data-testid="departure-reason"]').text()).toBe(reason);
    const episode = await t.db
      .selectFrom('earlyHelpEpisodes')
      .select(['id', 'source', 'reference'])
      .where('sourceContactId', '=', id)
      .executeTakeFirstOrThrow();
    expect(episode.source).toBe('front-door');
    // The message links to the episode it announces.
    const link = page.$('.govuk-notification-banner a.govuk-notification-banner__link');
    expect(link.attr('href')).toBe(`/early-help/episodes/${episode.id}`);
    expect(link.text()).toBe(`Early help episode ${episode.reference}`);
  });

  it('the strategy discussion page: 400 on a bad form, 303 with who took part', async () => {
    const officerUser = await staffUser('contact-officer');
    const mashUser = await staffUser('mash-practitioner');
    const managerUser = await staffUser('mash-manager');
    const team = await teamId(t.db, 'Assessment Team');
    const child = await aChild(t.db, { givenName: 'Strat', familyName: 'Egy' });
    await withCensusDetails(t.db, child.id);
    const now = t.clock.now();
    const { id } = await t.db.transaction().execute(async (trx) => {
      const c = await createContact(serviceContext(trx, officerUser, now, t.app.services.calendar), {
        localAuthorityId: richmond,
        channel: 'phone',
        referralSource: '3E',
        referrer: {},
        concernCategories: ['physical-harm'],
        reason: 'Injury seen at A&E',
        consent: 'dispensed',
        consentRationale: 'Risk',
        urgency: 'immediate',
        children: [{ personId: child.id }],
      });
      await decideContact(serviceContext(trx, mashUser, now), {
        contactId: c.id,
        levelOfNeed: 'level-4',
        outcome: 'strategy-discussion',
        rationale: 'Significant harm',
        referrerFeedback: 'Urgent action',
      });
      await authoriseDecision(serviceContext(trx, managerUser, now), {
        contactId: c.id,
        action: 'authorise',
        rationale: 'Agree',
        teamId: team,
      });
      return c;
    });
    const mash = await t.as('mash-practitioner');
    const url = `/front-door/contacts/${id}/strategy-discussion`;
    expect((await mash.get(url)).statusCode).toBe(200);
    const bad = await mash.post(url, { heldTime: 'soon', participant1Name: 'Mo' });
    expect(summaryLinks(bad)).toEqual([
      '#heldOn-day Enter date held',
      '#heldTime Enter the time it started, like 10:30am or 14:30',
      '#outcome Select what was decided',
      '#decided Enter what was decided and why',
      '#participant1Agency Select the agency of participant 1',
    ]);
    const form = {
      'heldOn-day': '24',
      'heldOn-month': '11',
      'heldOn-year': '2026',
      heldTime: '10:30am',
      outcome: 'section-47',
      decided: 'Section 47 enquiry; joint visit today',
      participant1Name: 'Mo Hassan',
      participant1Agency: 'childrens-social-care',
      participant2Name: 'PC Dan Price',
      participant2Agency: agencies.police!,
    };
    const early = await mash.post(url, { ...form, heldTime: '8am' });
    expect(summaryLinks(early)).toEqual([
      '#heldOn-day The strategy discussion cannot be before the contact was received',
    ]);
    const missingHealth = await mash.post(url, form);
    expect(summaryLinks(missingHealth)).toEqual([
      '#participant1Name A strategy discussion needs at least children’s social care, the police and health: add who took part for health',
    ]);
    const good = await mash.post(url, {
      ...form,
      participant3Name: 'Nurse Hattie',
      participant3Agency: agencies.health!,
    });
    expect(good.statusCode).toBe(303);
    const page = await mash.get(`/front-door/contacts/${id}`);
    expect(page.$('main').text()).toContain('Start a section 47 enquiry');
    expect(page.$('[data-testid="referrals"]').text()).toContain('allocated to Assessment Team');
  });

  it('warns on the decision and authorisation pages when a child is already open to social care, and the contact joins that episode', async () => {
    const officerUser = await staffUser('contact-officer');
    const { episodeId, child } = await aCinEpisode(t.db, {
      child: { givenName: 'Wanda', familyName: 'Alreadyopen' },
    });
    const episode = await t.db
      .selectFrom('cinEpisodes')
      .select('reference')
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow();
    const team = await teamId(t.db, 'Assessment Team');
    const { id } = await t.db.transaction().execute((trx) =>
      createContact(serviceContext(trx, officerUser, t.clock.now(), t.app.services.calendar), {
        localAuthorityId: richmond,
        channel: 'phone',
        referralSource: '3E',
        referrer: {},
        concernCategories: ['physical-harm'],
        reason: 'New injury seen at school',
        consent: 'dispensed',
        consentRationale: 'Risk',
        urgency: 'urgent',
        children: [{ personId: child.id }],
      }),
    );
    const warnings = (res: { $: CheerioAPI }) =>
      res
        .$('.govuk-warning-text')
        .map((_, w) => res.$(w).text().replace(/\s+/g, ' ').trim())
        .get();
    const mash = await t.as('mash-practitioner');
    const decisionPage = await mash.get(`/front-door/contacts/${id}/decision`);
    expect(decisionPage.statusCode).toBe(200);
    expect(warnings(decisionPage)).toEqual([
      expect.stringContaining(
        `Wanda Alreadyopen already has an open children in need episode (${episode.reference}, referred 2 November 2026). A social care or strategy discussion outcome will add this contact to that episode rather than open a new referral.`,
      ),
    ]);
    const decided = await mash.post(`/front-door/contacts/${id}/decision`, {
      levelOfNeed: 'level-4',
      outcome: 'social-care',
      rationale: 'New injury on an open case',
      referrerFeedback: 'The social worker will follow this up',
      version: String(decisionPage.$('input[name="version"]').val()),
    });
    expect(decided.statusCode).toBe(303);
    const manager = await t.as('mash-manager');
    const authUrl = `/front-door/contacts/${id}/authorisation`;
    const authForm = await manager.get(authUrl);
    expect(warnings(authForm)).toEqual([
      expect.stringContaining(
        `Wanda Alreadyopen already has an open children in need episode (${episode.reference}, referred 2 November 2026). This contact will be added to that episode: no new referral will be opened for Wanda Alreadyopen.`,
      ),
    ]);
    const ok = await manager.post(authUrl, {
      action: 'authorise',
      rationale: 'Agree: for the allocated social worker',
      teamId: team,
      version: String(authForm.$('input[name="version"]').val()),
    });
    expect(ok.statusCode).toBe(303);
    const page = await manager.get(`/front-door/contacts/${id}`);
    expect(banner(page)).toContain(
      `Decision authorised. Contact added to the open episode ${episode.reference}.`,
    );
    expect(
      await t.db.selectFrom('cinEpisodes').select('id').where('childId', '=', child.id).execute(),
    ).toEqual([{ id: episodeId }]);
  });

  it('authorising a referral asks the manager to confirm census queries on the child’s record (8770Q: a school-age child with no UPN), and keeps the confirmation', async () => {
    const officerUser = await staffUser('contact-officer');
    const mashUser = await staffUser('mash-practitioner');
    const child = await aChild(t.db, { givenName: 'Uma', familyName: 'Noupn', dateOfBirth: '2015-06-01' });
    await withCensusDetails(t.db, child.id);
    // Nobody has recorded the UPN, or why it is not known.
    await t.db
      .updateTable('people')
      .set({ upn: null, upnUnknownReason: null })
      .where('id', '=', child.id)
      .execute();
    const team = await teamId(t.db, 'Assessment Team');
    const { id } = await t.db.transaction().execute(async (trx) => {
      const c = await createContact(
        serviceContext(trx, officerUser, t.clock.now(), t.app.services.calendar),
        {
          localAuthorityId: richmond,
          channel: 'phone',
          referralSource: '3A',
          referrer: {},
          concernCategories: ['neglect'],
          reason: 'Uma comes to school hungry',
          consent: 'given',
          urgency: 'routine',
          children: [{ personId: child.id }],
        },
      );
      await decideContact(serviceContext(trx, mashUser, t.clock.now()), {
        contactId: c.id,
        levelOfNeed: 'level-3',
        outcome: 'social-care',
        rationale: 'Neglect over time: an assessment is needed',
        referrerFeedback: 'Social care will assess',
      });
      return c;
    });
    const manager = await t.as('mash-manager');
    const authUrl = `/front-door/contacts/${id}/authorisation`;
    const authForm = await manager.get(authUrl);
    expect(authForm.$('input[name="confirmCensusQueries"]').length).toBe(0);
    const form = {
      action: 'authorise',
      rationale: 'Agree',
      teamId: team,
      version: String(authForm.$('input[name="version"]').val()),
    };
    const query = await manager.post(authUrl, form);
    expect(query.statusCode).toBe(400);
    expect(summaryLinks(query)).toEqual([
      expect.stringMatching(
        /^#confirmCensusQueries Check before saving\. Uma Noupn: The child is of school age but their record has no UPN .*\(query 8770Q\)/,
      ),
    ]);
    expect(query.$('input[name="confirmCensusQueries"]').length).toBe(1);
    expect(query.$('#rationale').val()).toBe('Agree');
    expect(
      await t.db.selectFrom('cinEpisodes').select('id').where('childId', '=', child.id).execute(),
    ).toEqual([]);
    const ok = await manager.post(authUrl, { ...form, confirmCensusQueries: 'yes' });
    expect(ok.statusCode).toBe(303);
    const episode = await t.db
      .selectFrom('cinEpisodes')
      .select('id')
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(
      await t.db
        .selectFrom('censusQueryExplanations')
        .select(['rule', 'subjectType'])
        .where('episodeId', '=', episode.id)
        .execute(),
    ).toEqual([{ rule: '8770Q', subjectType: 'cin-episode' }]);
  });
});

describe('the front-door worktray and the home page', () => {
  it('lists open contacts soonest due first, with overdue highlighted, paginated', async () => {
    const mash = await t.as('mash-practitioner');
    const officerUser = await staffUser('contact-officer');
    const worktray = '[data-testid="front-door-worktray"]';
    const captionTotal = (res: { $: CheerioAPI }) =>
      Number(/^(\d+) contacts?, soonest due first$/.exec(res.$(`${worktray} caption`).text().trim())?.[1]);
    const first = await mash.get('/front-door');
    const before = first.$(worktray).length ? captionTotal(first) : 0;
    if (!before) expect(first.$('main').text()).toContain('There are no contacts here.');
    const record = (givenName: string, receivedAt?: Date) =>
      t.db.transaction().execute((trx) =>
        createContact(serviceContext(trx, officerUser, t.clock.now(), t.app.services.calendar), {
          localAuthorityId: richmond,
          channel: 'phone',
          referralSource: '6',
          referrer: { name: 'PC Order' },
          concernCategories: ['neglect'],
          reason: 'Worktray order test',
          consent: 'dispensed',
          consentRationale: 'Police notification',
          urgency: 'urgent',
          children: [{ givenName, familyName: 'Worktray' }],
          ...(receivedAt ? { receivedAt } : {}),
        }),
      );
    // Recorded in an order unlike their deadlines (the clock: Tuesday 24 November 2026, 10:30).
    const dueTomorrow = await record('Cara', new Date('2026-11-24T08:00:00Z')); // due end of Wed 25 November
    const overdue = await record('Ava', new Date('2026-11-20T10:00:00Z')); // Friday: due end of Mon 23 November
    const dueToday = await record('Ben', new Date('2026-11-23T09:00:00Z')); // due end of Tue 24 November
    expect([overdue.decisionDueOn, dueToday.decisionDueOn, dueTomorrow.decisionDueOn]).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
    ]);
    // Enough more to need a second page of 25.
    const fillers = Math.max(2, 27 - (before + 3));
    for (let i = 0; i < fillers; i++) await record(`Filler${i}`);
    const total = before + 3 + fillers;
    expect(total).toBeGreaterThan(25);
    expect(total).toBeLessThanOrEqual(50);

    const rowsOf = (res: { $: CheerioAPI }) =>
      res
        .$(`${worktray} tbody tr`)
        .map((_, tr) => {
          const cells = res.$(tr).find('td');
          return {
            reference: cells.eq(0).find('a').text().trim(),
            overdueMark: cells.eq(0).find('strong.app-overdue').text().trim(),
            decisionTag: cells.eq(3).find('.govuk-tag').text().trim(),
            decisionTagClass: cells.eq(3).find('.govuk-tag').attr('class') ?? '',
          };
        })
        .get();
    const page1 = await mash.get('/front-door');
    expect(page1.statusCode).toBe(200);
    expect(captionTotal(page1)).toBe(total);
    forAxe.set('worktray', {
      who: 'mash-practitioner',
      url: '/front-door',
      body: page1.body,
      headers: page1.headers,
    });
    const rows1 = rowsOf(page1);
    expect(rows1).toHaveLength(25);
    // The only contact past its deadline is first, marked overdue with a red tag.
    expect(rows1[0]).toEqual({
      reference: overdue.reference,
      overdueMark: 'Overdue',
      decisionTag: 'Overdue by 1 working day',
      decisionTagClass: expect.stringContaining('govuk-tag--red'),
    });
    const today = rows1.find((r) => r.reference === dueToday.reference)!;
    expect(today).toEqual({
      reference: dueToday.reference,
      overdueMark: '',
      decisionTag: 'Due today',
      decisionTagClass: expect.stringContaining('govuk-tag--orange'),
    });
    const tomorrow = rows1.find((r) => r.reference === dueTomorrow.reference)!;
    expect(tomorrow).toEqual({
      reference: dueTomorrow.reference,
      overdueMark: '',
      decisionTag: '1 working day left',
      decisionTagClass: expect.stringContaining('govuk-tag--green'),
    });
    expect(rows1.filter((r) => r.overdueMark)).toHaveLength(1);
    // GOV.UK pagination: page 1 is current, page 2 and "Next" link to the rest.
    expect(page1.$('.govuk-pagination__item--current').text().trim()).toBe('1');
    expect(
      page1
        .$('.govuk-pagination__item a')
        .map((_, a) => page1.$(a).attr('href'))
        .get(),
    ).toEqual(['/front-door', '/front-door?page=2']);
    expect(page1.$('.govuk-pagination__next a').attr('href')).toBe('/front-door?page=2');
    expect(page1.$('.govuk-pagination__prev').length).toBe(0);

    const page2 = await mash.get('/front-door?page=2');
    expect(page2.statusCode).toBe(200);
    const rows2 = rowsOf(page2);
    expect(rows2).toHaveLength(total - 25);
    expect(page2.$('.govuk-pagination__item--current').text().trim()).toBe('2');
    expect(page2.$('.govuk-pagination__prev a').attr('href')).toBe('/front-door');
    expect(page2.$('.govuk-pagination__next').length).toBe(0);
    // Every open contact once, across the two pages, in deadline order: the overdue, due today, due tomorrow.
    const all = [...rows1, ...rows2].map((r) => r.reference);
    expect(new Set(all).size).toBe(total);
    const at = (ref: string) => all.indexOf(ref);
    expect(at(overdue.reference)).toBe(0);
    expect(at(dueToday.reference)).toBeLessThan(at(dueTomorrow.reference));
    // Same deadline: the earlier received first (Cara at 08:00 before the fillers received at 10:30), so
    // everything spilling onto page 2 comes after her.
    for (const r of rows2) expect(at(dueTomorrow.reference)).toBeLessThan(at(r.reference));

    const filtered = await mash.get('/front-door?status=mash-enquiry');
    expect(filtered.$('[data-testid="status-filters"] strong').text()).toBe('MASH enquiry');
    const home = await mash.get('/');
    expect(home.$('main').text()).toMatch(/MASH enquiry \(Red\)|Contact to screen|Contact decision/);
  });

  it('the home worktray is paged (50 a page, soonest due first), loading no more contacts than the page needs', async () => {
    const mash = await t.as('mash-practitioner');
    const officerUser = await staffUser('contact-officer');
    const itemsOf = (res: { $: CheerioAPI }) =>
      res
        .$('main table tbody tr')
        .map((_, tr) => res.$(tr).find('td').eq(0).find('a').text().trim())
        .get();
    const shown = itemsOf(await mash.get('/')).length;
    for (let i = 0; i < 52 - shown; i++)
      await t.db.transaction().execute((trx) =>
        createContact(serviceContext(trx, officerUser, t.clock.now(), t.app.services.calendar), {
          localAuthorityId: richmond,
          channel: 'phone',
          referralSource: '6',
          referrer: { name: 'PC Order' },
          concernCategories: ['neglect'],
          reason: 'Home worktray paging test',
          consent: 'dispensed',
          consentRationale: 'Police notification',
          urgency: 'urgent',
          children: [{ givenName: `Pager${i}`, familyName: 'Worktray' }],
        }),
      );
    const page1 = await mash.get('/');
    expect(page1.statusCode).toBe(200);
    const items1 = itemsOf(page1);
    expect(items1).toHaveLength(50);
    expect(page1.$('main').text()).toContain('Items 1 to 50');
    expect(page1.$('.govuk-pagination__next a').attr('href')).toBe('/?page=2');
    expect(page1.$('.govuk-pagination__prev').length).toBe(0);
    const page2 = await mash.get('/?page=2');
    const items2 = itemsOf(page2);
    expect(items2.length).toBeGreaterThanOrEqual(1);
    expect(page2.$('main').text()).toContain(`Items 51 to ${50 + items2.length}`);
    expect(page2.$('.govuk-pagination__prev a').attr('href')).toBe('/');
    // Nothing shown twice across the pages, and the overdue contact from the test before is on page 1.
    expect(new Set([...items1, ...items2]).size).toBe(items1.length + items2.length);
    expect(page1.$('main .govuk-tag--red').length).toBeGreaterThan(0);
  });
});

describe('MASH meetings', () => {
  it('start (400 without a date, 303 with), add an attendee, record a child’s discussion with actions, print the minutes (audited)', async () => {
    const mash = await t.as('mash-practitioner');
    expect((await mash.get('/front-door/meetings')).statusCode).toBe(200);
    const bad = await mash.post('/front-door/meetings/new', {
      'meetingDate-day': '',
      'meetingDate-month': '',
      'meetingDate-year': '',
    });
    expect(summaryLinks(bad)).toEqual(['#meetingDate-day Enter date of the meeting']);
    const good = await mash.post('/front-door/meetings/new', {
      'meetingDate-day': '24',
      'meetingDate-month': '11',
      'meetingDate-year': '2026',
    });
    expect(good.statusCode).toBe(303);
    const meetingUrl = String(good.headers.location);
    const meeting = await mash.get(meetingUrl);
    expect(meeting.statusCode).toBe(200);
    expect(meeting.$('h1').text()).toBe('MASH meeting, 24 November 2026');
    const firstItem = meeting
      .$('[data-testid="agenda"] tbody tr a')
      .filter((_, a) => /Record discussion/.test(meeting.$(a).text()))
      .first()
      .attr('href')!;
    expect(firstItem).toMatch(/\/items\//);

    const attendeeUrl = `${meetingUrl}/attendees/new`;
    expect(summaryLinks(await mash.post(attendeeUrl, {}))).toEqual([
      '#name Enter their name',
      '#agency Select the agency they attended for',
    ]);
    expect(
      (
        await mash.post(attendeeUrl, {
          name: 'PC Dan Price',
          agency: agencies.police!,
          role: 'MASH police officer',
        })
      ).statusCode,
    ).toBe(303);

    const item = await mash.get(firstItem);
    expect(item.statusCode).toBe(200);
    const version = String(item.$('input[name="version"]').val());
    const badItem = await mash.post(firstItem, {
      discussion: 'Shared',
      version,
      action1Description: 'Home visit',
    });
    expect(summaryLinks(badItem)).toEqual([
      '#action1Owner Enter who owns action 1',
      '#action1DueOn-day Enter when action 1 is due',
    ]);
    const okItem = await mash.post(firstItem, {
      discussion: 'Police shared two previous call-outs.',
      version,
      action1Description: 'Home visit',
      action1Owner: 'Mo Hassan',
      action1OwnerAgencyId: 'childrens-services',
      'action1DueOn-day': '25',
      'action1DueOn-month': '11',
      'action1DueOn-year': '2026',
    });
    expect(okItem.statusCode).toBe(303);
    const minutes = await mash.get(`${meetingUrl}/minutes`);
    expect(minutes.statusCode).toBe(200);
    expect(minutes.$('main').text()).toContain('Police shared two previous call-outs.');
    expect(minutes.$('main').text()).toContain('PC Dan Price, MASH police officer');
    const meetingId = meetingUrl.split('/').pop()!;
    expect((await audits('mash-meeting.minutes-printed', meetingId)).length).toBe(1);
    expect((await (await t.as('social-worker')).get(meetingUrl)).statusCode).toBe(403);
  });
});

describe('in a browser', () => {
  it(
    'the worktray, contact and authorisation pages pass axe and never scroll sideways on a 390 px phone',
    { timeout: 120_000 },
    async () => {
      expect([...forAxe.keys()].sort()).toEqual(['authorisation', 'contact', 'worktray']);
      expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
      expect(await pagesWiderThanScreen(t.app, forAxe, 390)).toEqual([]);
    },
  );
});
