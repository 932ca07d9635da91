import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile, type Agent } from '../../../test/support/test-app.ts';
import { demoUser, linkTheContactChild } from '../../../test/builders/front-door.ts';
import { aChild } from '../../../test/builders/people.ts';
import { createContact } from './contact.service.ts';
import { authoriseDecision } from './authorisation.service.ts';
import { decideContact } from './decision.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { auditEvents, localAuthorityIds, summaryLinks } from '../../../test/builders/front-door-helpers.ts';

let richmond: string;
let kingston: string;

const draftIdFrom = (location: unknown) =>
  /\/referrals\/drafts\/([0-9a-f-]{36})\//.exec(String(location))?.[1] ?? '';
const audits = (action: string, subjectId: string) => auditEvents(t.db, action, subjectId);

const t = appForFile();
beforeAll(async () => {
  ({ richmond, kingston } = await localAuthorityIds(t.db));
});

async function startDraft(agent: Agent): Promise<string> {
  const res = await agent.post('/referrals/new', {});
  expect(res.statusCode).toBe(303);
  return draftIdFrom(res.headers.location);
}

/** A draft answered all the way to check your answers (two children, one adult). */
async function completeDraft(agent: Agent): Promise<string> {
  const id = await startDraft(agent);
  const base = `/referrals/drafts/${id}`;
  expect((await agent.post(`${base}/local-authority`, { localAuthorityId: richmond })).statusCode).toBe(303);
  expect(
    (
      await agent.post(`${base}/children/new`, {
        givenName: 'Ruby',
        familyName: 'Referral',
        born: 'yes',
        'dateOfBirth-day': '9',
        'dateOfBirth-month': '4',
        'dateOfBirth-year': '2016',
        addressLine1: '1 River Lane',
        town: 'Twickenham',
        postcode: 'tw1 3bz',
        school: 'Orchard Primary School',
      })
    ).statusCode,
  ).toBe(303);
  expect((await agent.post(`${base}/children`, { addAnother: 'yes' })).headers.location).toBe(
    `${base}/children/new`,
  );
  expect(
    (
      await agent.post(`${base}/children/new`, {
        givenName: 'Unknown',
        familyName: 'Referral',
        born: 'no',
        'expectedDateOfBirth-day': '1',
        'expectedDateOfBirth-month': '3',
        'expectedDateOfBirth-year': '2027',
      })
    ).statusCode,
  ).toBe(303);
  expect((await agent.post(`${base}/children`, { addAnother: 'no' })).headers.location).toBe(
    `${base}/adults`,
  );
  expect((await agent.post(`${base}/adults`, { addAnother: 'yes' })).headers.location).toBe(
    `${base}/adults/new`,
  );
  expect(
    (
      await agent.post(`${base}/adults/new`, {
        givenName: 'Rita',
        familyName: 'Referral',
        role: 'mother',
        phone: '07700 900123',
      })
    ).statusCode,
  ).toBe(303);
  expect((await agent.post(`${base}/adults`, { addAnother: 'no' })).headers.location).toBe(
    `${base}/concerns`,
  );
  expect(
    (await agent.post(`${base}/concerns`, { concernCategories: ['neglect', 'school-attendance'] })).headers
      .location,
  ).toBe(`${base}/what-happened`);
  expect(
    (
      await agent.post(`${base}/what-happened`, {
        reason: 'Ruby has come to school hungry every day this week and has bruises on her arm.',
      })
    ).headers.location,
  ).toBe(`${base}/urgency`);
  expect((await agent.post(`${base}/urgency`, { urgency: 'urgent' })).headers.location).toBe(
    `${base}/consent`,
  );
  expect((await agent.post(`${base}/consent`, { consent: 'given' })).headers.location).toBe(
    `${base}/about-you`,
  );
  expect(
    (
      await agent.post(`${base}/about-you`, {
        name: 'Sam Lowe',
        role: 'Designated safeguarding lead',
        phone: '020 8000 0000',
        email: 'sam.lowe@orchard.example',
      })
    ).headers.location,
  ).toBe(`${base}/check`);
  return id;
}

describe('the partner online referral form', () => {
  it('lists the partner’s referrals and starts a draft that goes to the local authority question (their agency serves two)', async () => {
    const school = await t.as('partner-lead-practitioner');
    const list = await school.get('/referrals');
    expect(list.statusCode).toBe(200);
    expect(list.$('h1').text()).toBe('Your referrals');
    expect(list.$('main').text()).toContain('You have not sent any referrals yet.');
    const start = await school.get('/referrals/new');
    expect(start.$('h1').text()).toBe('Make a referral to children’s services');
    expect(start.$('main').text()).toContain('for Orchard Primary School');
    const res = await school.post('/referrals/new', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/referrals\/drafts\/[0-9a-f-]{36}\/local-authority$/);
    const id = draftIdFrom(res.headers.location);
    expect((await audits('referral-draft.created', id)).length).toBe(1);
    const page = await school.get(String(res.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.$('legend h1').text().trim()).toBe('Which local authority does the child live in?');
    expect(
      page
        .$('input[name="localAuthorityId"]')
        .map((_, i) => page.$(i).attr('value'))
        .get()
        .sort(),
    ).toEqual([kingston, richmond].sort());
    expect((await audits('referral-draft.viewed', id)).map((a) => a.details)).toEqual([
      { page: 'local-authority' },
    ]);
  });

  it('refuses bad answers on each page with the GOV.UK summary (400) and keeps what was typed', async () => {
    const school = await t.as('partner-lead-practitioner');
    const id = await startDraft(school);
    const base = `/referrals/drafts/${id}`;
    const la = await school.post(`${base}/local-authority`, {});
    expect(la.statusCode).toBe(400);
    expect(summaryLinks(la)).toEqual(['#localAuthorityId Select the local authority where the child lives']);

    // With no children yet, the list goes straight to adding one.
    const list = await school.get(`${base}/children`);
    expect(list.statusCode).toBe(303);
    expect(list.headers.location).toBe(`${base}/children/new`);
    const child = await school.post(`${base}/children/new`, {
      school: 'Orchard',
      postcode: 'not a postcode',
    });
    expect(child.statusCode).toBe(400);
    expect(summaryLinks(child)).toEqual([
      '#born Select whether the child has been born',
      '#postcode Enter a real postcode, like AA1 1AA',
      '#givenName Enter the child’s first name or last name, or “Unknown”',
    ]);
    expect(child.$('#school').val()).toBe('Orchard');
    const born = await school.post(`${base}/children/new`, { givenName: 'A', born: 'yes' });
    expect(summaryLinks(born)).toEqual(['#dateOfBirth-day Enter the child’s date of birth']);
    const future = await school.post(`${base}/children/new`, {
      givenName: 'A',
      born: 'yes',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '2030',
    });
    expect(summaryLinks(future)).toEqual(['#dateOfBirth-day Date of birth must be today or in the past']);

    const adult = await school.post(`${base}/adults/new`, { role: 'not-a-role' });
    expect(adult.statusCode).toBe(400);
    expect(summaryLinks(adult)).toEqual(['#givenName Enter the adult’s first name or last name']);
    const role = await school.post(`${base}/adults/new`, { givenName: 'Pat', role: 'not-a-role' });
    expect(summaryLinks(role)).toEqual(['#role Select how the adult is involved']);

    expect(summaryLinks(await school.post(`${base}/concerns`, {}))).toEqual([
      '#concernCategories Select what the concern is about',
    ]);
    expect(summaryLinks(await school.post(`${base}/concerns`, { concernCategories: 'made-up' }))).toEqual([
      '#concernCategories Select what the concern is about from the list',
    ]);
    expect(summaryLinks(await school.post(`${base}/what-happened`, { reason: '  ' }))).toEqual([
      '#reason Describe what has happened and what you are worried about',
    ]);
    expect(summaryLinks(await school.post(`${base}/urgency`, {}))).toEqual([
      '#urgency Select how urgent this is',
    ]);
    expect(summaryLinks(await school.post(`${base}/consent`, { consent: 'not-given' }))).toEqual([
      '#notGivenRationale Explain why you are making this referral without the family’s consent',
    ]);
    expect(summaryLinks(await school.post(`${base}/consent`, { consent: 'dispensed' }))).toEqual([
      '#dispensedRationale Explain why you did not ask the family for consent',
    ]);
    const about = await school.post(`${base}/about-you`, { name: 'Sam Lowe', email: 'nope' });
    expect(about.statusCode).toBe(400);
    expect(summaryLinks(about)).toEqual([
      '#role Enter your job title or role',
      '#phone Enter a phone number the front door can call you on',
      '#email Enter an email address in the correct format, like name@example.com',
    ]);
    expect(about.$('title').text()).toMatch(/^Error: About you/);

    // Nothing answered: the check page lists what is missing and sending is refused with links to the pages.
    const check = await school.get(`${base}/check`);
    expect(
      check
        .$('[data-testid="still-to-answer"] a')
        .map((_, a) => check.$(a).attr('href'))
        .get(),
    ).toEqual([
      `${base}/local-authority?returnTo=check`,
      `${base}/children?returnTo=check`,
      `${base}/concerns?returnTo=check`,
      `${base}/what-happened?returnTo=check`,
      `${base}/urgency?returnTo=check`,
      `${base}/consent?returnTo=check`,
    ]);
    const send = await school.post(`${base}/check`, {});
    expect(send.statusCode).toBe(400);
    expect(summaryLinks(send)).toEqual([
      `${base}/local-authority?returnTo=check Select the local authority where the child lives`,
      `${base}/children?returnTo=check Add at least one child`,
      `${base}/concerns?returnTo=check Select what the concern is about`,
      `${base}/what-happened?returnTo=check Describe what has happened`,
      `${base}/urgency?returnTo=check Select how urgent this is`,
      `${base}/consent?returnTo=check Select whether the family have given consent`,
    ]);
    expect(
      await t.db
        .selectFrom('referralDrafts')
        .select('contactId')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ contactId: null });
  });

  it('saves each answer (303), shows them on check your answers with change links that come back, and sends the referral', async () => {
    const school = await t.as('partner-lead-practitioner');
    const id = await completeDraft(school);
    const base = `/referrals/drafts/${id}`;
    expect(
      (await audits('referral-draft.saved', id)).map((a) => (a.details as { page: string }).page),
    ).toEqual([
      'local-authority',
      'child',
      'child',
      'children',
      'adult',
      'adults',
      'concerns',
      'what-happened',
      'urgency',
      'consent',
      'about-you',
    ]);

    const children = await school.get(`${base}/children`);
    expect(children.$('h1').text()).toBe('You have added 2 children');
    expect(
      children
        .$('[data-testid="children"] .govuk-summary-list__key')
        .map((_, k) => children.$(k).text().trim())
        .get(),
    ).toEqual(['Ruby Referral', 'Unknown Referral']);
    expect(
      children
        .$('[data-testid="children"] .govuk-summary-list__value')
        .map((_, k) => children.$(k).text().trim())
        .get(),
    ).toEqual(['Born 9 April 2016', 'Unborn, due 1 March 2027']);

    const check = await school.get(`${base}/check`);
    expect(check.statusCode).toBe(200);
    expect(check.$('[data-testid="still-to-answer"]').length).toBe(0);
    const text = check.$('main').text().replace(/\s+/g, ' ');
    expect(text).toContain('Child 1: Ruby Referral');
    expect(text).toContain('1 River Lane, Twickenham, TW1 3BZ');
    expect(text).toContain('Not born yet: expected 1 March 2027');
    expect(text).toContain('Rita Referral');
    expect(text).toContain('Neglect');
    expect(text).toContain('School attendance');
    expect(text).toContain('Orchard Primary School');
    const urgencyChange = check.$(`a[href="${base}/urgency?returnTo=check"]`);
    expect(urgencyChange.text().replace(/\s+/g, ' ').trim()).toBe('Change how urgent');

    // A change link comes back to check your answers.
    const change = await school.post(`${base}/urgency?returnTo=check`, { urgency: 'routine' });
    expect(change.headers.location).toBe(`${base}/check`);
    const childChange = await school.post(`${base}/children/1?returnTo=check`, {
      givenName: 'Ruby',
      familyName: 'Referral',
      born: 'yes',
      'dateOfBirth-day': '9',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '2016',
      postcode: 'TW1 3BZ',
      school: 'Orchard Primary School',
    });
    expect(childChange.headers.location).toBe(`${base}/children?returnTo=check`);
    expect(
      (await school.post(`${base}/children?returnTo=check`, { addAnother: 'no' })).headers.location,
    ).toBe(`${base}/check`);

    const sent = await school.post(`${base}/check`, {});
    expect(sent.statusCode).toBe(303);
    const contactId = /^\/referrals\/([0-9a-f-]{36})\/confirmation$/.exec(String(sent.headers.location))?.[1];
    expect(contactId).toBeTruthy();
    const confirmation = await school.get(String(sent.headers.location));
    expect(confirmation.$('.govuk-panel__title').text().trim()).toBe('Referral sent');
    const reference = confirmation.$('[data-testid="reference"]').text();
    expect(reference).toMatch(/^C-2026-\d{5}$/);
    // Received Tuesday 24 November 2026: a decision is due by the end of Wednesday 25th.
    expect(confirmation.$('main').text()).toContain(
      'A decision on what happens next is due by the end of 25 November 2026',
    );

    const contact = await t.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contactId!)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      reference,
      channel: 'online-form',
      referralSource: '2A',
      referrerName: 'Sam Lowe',
      referrerRole: 'Designated safeguarding lead',
      referrerOrganisation: 'Orchard Primary School',
      referrerPhone: '020 8000 0000',
      consent: 'given',
      urgency: 'routine',
      localAuthorityId: richmond,
      concernCategories: ['neglect', 'school-attendance'],
      status: 'awaiting-screening',
    });
    const kids = await t.db
      .selectFrom('contactChildren')
      .select(['givenName', 'dateOfBirth', 'expectedDateOfBirth', 'postcode', 'school'])
      .where('contactId', '=', contactId!)
      .orderBy('position')
      .execute();
    expect(kids).toEqual([
      {
        givenName: 'Ruby',
        dateOfBirth: '2016-04-09',
        expectedDateOfBirth: null,
        postcode: 'TW1 3BZ',
        school: 'Orchard Primary School',
      },
      {
        givenName: 'Unknown',
        dateOfBirth: null,
        expectedDateOfBirth: '2027-03-01',
        postcode: null,
        school: null,
      },
    ]);
    expect((await audits('referral-draft.submitted', id)).length).toBe(1);
    expect((await audits('contact.created', contactId!)).map((a) => a.actorLabel)).toEqual([
      'school.lead@demo.threshold.test',
    ]);

    // The draft is spent: its pages go to the referral; sending again does not make a second contact.
    const again = await school.get(`${base}/concerns`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/referrals/${contactId}`);
    expect(
      (
        await t.db
          .selectFrom('referralDrafts')
          .select('answers')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).answers,
    ).toEqual({});

    // It is listed as sent, with its status in plain words; the MASH sees it on the front door worktray.
    const list = await school.get('/referrals');
    expect(list.$('[data-testid="referrals-sent"] tbody tr').first().text()).toContain(reference);
    expect(list.$('[data-testid="referrals-sent"] tbody tr').first().text()).toContain(
      'Received: waiting to be looked at',
    );
    const status = await school.get(`/referrals/${contactId}`);
    expect(status.$('h1').text()).toBe(`Referral ${reference}`);
    expect(status.$('[data-testid="referral-status"]').text().trim()).toBe(
      'Received: waiting to be looked at',
    );
    expect((await audits('referral.viewed', contactId!)).map((a) => a.details)).toEqual([
      { page: 'confirmation' },
      { page: 'status' },
    ]);
    const mash = await t.as('mash-practitioner');
    expect((await mash.get('/front-door')).$('[data-testid="front-door-worktray"]').text()).toContain(
      reference,
    );

    // Nobody else's: the police partner (who may refer too) cannot see it or the draft.
    const police = await t.as('partner-agency-user');
    expect((await police.get(`/referrals/${contactId}`)).statusCode).toBe(404);
    expect((await police.get(`/referrals/${contactId}/confirmation`)).statusCode).toBe(404);
    expect((await police.get(`${base}/check`)).statusCode).toBe(404);
    expect((await police.get('/referrals')).$('main').text()).not.toContain(reference);
  });

  it('shows the referrer the feedback written for them once a manager has authorised the decision, never before, never the rationale', async () => {
    const school = await t.as('partner-lead-practitioner');
    const [lead, officer, mash, manager] = await Promise.all([
      demoUser(t.db, 'partner-lead-practitioner'),
      demoUser(t.db, 'contact-officer'),
      demoUser(t.db, 'mash-practitioner'),
      demoUser(t.db, 'mash-manager'),
    ]);
    const now = t.clock.now();
    const calendar = t.app.services.calendar;
    const child = await aChild(t.db, { givenName: 'Fern', familyName: 'Feedback' });
    const contact = await t.db.transaction().execute((trx) =>
      createContact(serviceContext(trx, lead, now, calendar), {
        localAuthorityId: richmond,
        channel: 'online-form',
        referralSource: '2A',
        referrer: {},
        concernCategories: ['neglect'],
        reason: 'Fern has been collected late every day this week.',
        consent: 'given',
        urgency: 'routine',
        children: [{ givenName: 'Fern', familyName: 'Feedback' }],
      }),
    );
    const statusUrl = `/referrals/${contact.id}`;
    const feedback =
      'Thank you for telling us.\nWe have given Fern’s family advice & details of local support.';
    const rationale = 'Needs met by universal services: private reasoning for the front door only';
    const feedbackShown = async () => {
      const page = await school.get(statusUrl);
      expect(page.statusCode).toBe(200);
      return {
        status: page.$('[data-testid="referral-status"]').text().trim(),
        feedback: page.$('[data-testid="referrer-feedback"]').length
          ? page.$('[data-testid="referrer-feedback"] p').first().html()
          : null,
        decided: page.$('[data-testid="referrer-feedback"] .govuk-body-s').text().trim(),
        text: page.$('main').text(),
      };
    };

    // Decided but not yet authorised: the partner sees it is being looked at, not the words.
    await t.db.transaction().execute(async (trx) => {
      await linkTheContactChild(serviceContext(trx, officer, now), contact.id, child.id);
      await decideContact(serviceContext(trx, mash, now), {
        contactId: contact.id,
        levelOfNeed: 'level-1',
        outcome: 'information-advice',
        rationale,
        referrerFeedback: feedback,
      });
    });
    const pending = await feedbackShown();
    expect(pending.status).toBe('Being looked at by the front door');
    expect(pending.feedback).toBeNull();
    expect(pending.text).toContain('No decision yet. A decision is due by the end of 25 November 2026.');
    expect(pending.text).not.toContain('Thank you for telling us');

    // Authorised an hour later: the feedback (escaped, line breaks kept) and when it was decided; still no rationale.
    t.clock.set('2026-11-24T11:30:00Z');
    try {
      await t.db.transaction().execute((trx) =>
        authoriseDecision(serviceContext(trx, manager, t.clock.now()), {
          contactId: contact.id,
          action: 'authorise',
          rationale: 'Agreed',
        }),
      );
    } finally {
      t.clock.set(now.toISOString());
    }
    const decided = await feedbackShown();
    expect(decided.status).toBe('Decision made');
    expect(decided.feedback).toBe(
      'Thank you for telling us.<br>\nWe have given Fern’s family advice &amp; details of local support.',
    );
    expect(decided.decided).toBe('Decided 24 November 2026 at 11:30am');
    expect(decided.text).not.toContain('No decision yet');
    expect(decided.text).not.toContain(rationale);
    expect(decided.text).not.toContain('Agreed');
  });

  it('keeps drafts to come back to: listed on Your referrals and the home page, removable, deletable', async () => {
    const school = await t.as('partner-lead-practitioner');
    const id = await startDraft(school);
    const base = `/referrals/drafts/${id}`;
    await school.post(`${base}/local-authority`, { localAuthorityId: kingston });
    await school.post(`${base}/children/new`, { givenName: 'Leo', familyName: 'Later', born: 'not-known' });
    await school.post(`${base}/children/new`, { givenName: 'Mia', familyName: 'Later', born: 'not-known' });

    const list = await school.get('/referrals');
    const row = list
      .$('[data-testid="referral-drafts"] tbody tr')
      .filter((_, r) => list.$(r).text().includes('Leo Later'));
    expect(row.text()).toContain('Referral about Leo Later, Mia Later');
    expect(row.text()).toContain('4 questions to answer');
    expect(row.find('a').first().attr('href')).toBe(`${base}/concerns`);
    const home = await school.get('/');
    expect(home.$('main').text()).toContain('Referral about Leo Later, Mia Later');
    expect(home.$(`a[href="${base}/concerns"]`).length).toBe(1);

    // Remove a child: asked to confirm first.
    const confirm = await school.get(`${base}/children/2/remove`);
    expect(confirm.$('legend h1').text().trim()).toBe('Are you sure you want to remove Mia Later?');
    expect(summaryLinks(await school.post(`${base}/children/2/remove`, {}))).toEqual([
      '#confirm Select yes if you want to remove them',
    ]);
    expect((await school.post(`${base}/children/2/remove`, { confirm: 'yes' })).headers.location).toBe(
      `${base}/children`,
    );
    expect((await school.get(`${base}/children`)).$('h1').text()).toBe('You have added 1 child');
    expect((await school.get(`${base}/children/3`)).statusCode).toBe(404);

    const del = await school.post(`${base}/delete`, { confirm: 'yes' });
    expect(del.headers.location).toBe('/referrals');
    expect((await school.get(`${base}/children`)).statusCode).toBe(404);
    expect((await audits('referral-draft.deleted', id)).length).toBe(1);
  });

  it('is for partner agencies that refer: staff are refused (403)', async () => {
    for (const role of ['social-worker', 'contact-officer', 'system-administrator'] as const) {
      const agent = await t.as(role);
      expect((await agent.get('/referrals')).statusCode).toBe(403);
      expect((await agent.post('/referrals/new', {})).statusCode).toBe(403);
    }
  });
});
