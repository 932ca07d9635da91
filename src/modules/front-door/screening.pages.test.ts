import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { anAdult } from '../../../test/builders/people.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { demoUser } from '../../../test/builders/front-door.ts';
import { createContact, setRag } from './contact.service.ts';
import { createMeeting } from './meeting.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import {
  localAuthorityIds,
  summaryLinks,
  textOf as text,
} from '../../../test/builders/front-door-helpers.ts';

/** Screening a contact: open involvements for a screener, adults linked to the person index, person warnings. */

let richmond: string;
let contactId: string;
let childRowId: string;
let known: { childId: string; episodeRef: string };
let existingAdultId: string;
let adultRowIds: string[];

const t = appForFile();
beforeAll(async () => {
  ({ richmond } = await localAuthorityIds(t.db));
  // A child open to social care (allocated to the demo social worker), with a warning on their record.
  const { episodeId, child } = await aCinEpisode(t.db, {
    child: {
      givenName: 'Tilly',
      familyName: 'Screenwell',
      dateOfBirth: '2015-06-07',
      warnings: [{ kind: 'risk-to-staff', details: 'Father threatened a visiting nurse' }],
    },
  });
  known = {
    childId: child.id,
    episodeRef: (
      await t.db
        .selectFrom('cinEpisodes')
        .select('reference')
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).reference,
  };
  // An adult already in the person index, with a warning.
  existingAdultId = (
    await anAdult(t.db, {
      givenName: 'Gareth',
      familyName: 'Screenwell',
      dateOfBirth: '1984-02-03',
      warnings: [{ kind: 'lone-working', details: 'Do not visit alone' }],
    })
  ).id;
  const officer = await demoUser(t.db, 'contact-officer');
  const created = await t.db.transaction().execute((trx) =>
    createContact(serviceContext(trx, officer, t.clock.now(), t.app.services.calendar), {
      localAuthorityId: richmond,
      channel: 'phone',
      referralSource: '6',
      referrer: { name: 'PC Screen' },
      concernCategories: ['domestic-abuse'],
      reason: 'Police called to the home; Tilly was present.',
      consent: 'dispensed',
      consentRationale: 'Police notification',
      urgency: 'urgent',
      children: [{ givenName: 'Tilly', familyName: 'Screenwell', dateOfBirth: '2015-06-07' }],
      adults: [
        { givenName: 'Gareth', familyName: 'Screenwell', dateOfBirth: '1984-02-03', role: 'father' },
        {
          givenName: 'Zebedee',
          familyName: 'Unmatchedadult',
          role: 'household-member',
          postcode: 'TW1 3BZ',
        },
      ],
    }),
  );
  contactId = created.id;
  childRowId = (
    await t.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', contactId)
      .executeTakeFirstOrThrow()
  ).id;
  adultRowIds = (
    await t.db
      .selectFrom('contactAdults')
      .select('id')
      .where('contactId', '=', contactId)
      .orderBy('position')
      .execute()
  ).map((a) => a.id);
});

describe('screening a contact', () => {
  it('shows a contact officer (no social care access) the fact of an open involvement, and the child’s warnings', async () => {
    const officer = await t.as('contact-officer');
    const check = await officer.get(`/front-door/contacts/${contactId}/children/${childRowId}/check`);
    expect(check.statusCode).toBe(200);
    const candidate = check.$('[data-testid="candidates"] li').first();
    expect(candidate.find('h3').text()).toBe('Tilly Screenwell');
    expect(candidate.find('[data-testid="person-warnings"]').text()).toContain('Warning: Risk to staff');
    expect(candidate.text()).toContain('Open to Assessment Team');

    const linked = await officer.post(`/front-door/contacts/${contactId}/children/${childRowId}/check`, {
      action: 'link',
      linkedPersonId: '',
      personId: known.childId,
    });
    expect(linked.statusCode).toBe(303);
    const page = await officer.get(`/front-door/contacts/${contactId}`);
    expect(text(page, '[data-testid="open-involvements"]')).toBe(
      `Open involvements: Children’s social care: children in need episode ${known.episodeRef} – Team: Assessment Team; Social worker: Sian Walker (since 2 November 2026)`,
    );
    const stored = await t.db
      .selectFrom('contactChildren')
      .select('knownCheckResult')
      .where('id', '=', childRowId)
      .executeTakeFirstOrThrow();
    expect(stored.knownCheckResult).toMatchObject({
      knownToServices: true,
      openInvolvements: [{ team: 'Assessment Team', leadWorker: 'Sian Walker', startedOn: '2026-11-02' }],
    });
    const card = page.$('.govuk-summary-card').first();
    expect(card.find('[data-testid="person-warnings"]').text().replace(/\s+/g, ' ')).toContain(
      'Warning: Risk to staff Father threatened a visiting nurse',
    );
  });

  it('links an adult to their existing record, or creates one after the duplicate check', async () => {
    const officer = await t.as('contact-officer');
    const page = await officer.get(`/front-door/contacts/${contactId}`);
    expect(
      page
        .$('[data-testid="adults"] a')
        .map((_, a) => page.$(a).attr('href'))
        .get(),
    ).toEqual([
      `/front-door/contacts/${contactId}/adults/${adultRowIds[0]}/check`,
      `/front-door/contacts/${contactId}/adults/${adultRowIds[1]}/check`,
    ]);
    const url = `/front-door/contacts/${contactId}/adults/${adultRowIds[0]}/check`;
    const check = await officer.get(url);
    expect(check.statusCode).toBe(200);
    expect(check.$('h1').text()).toBe('Is Gareth Screenwell known to services?');
    const candidates = check.$('[data-testid="candidates"] li');
    expect(candidates.first().find('h3').text()).toBe('Gareth Screenwell');
    expect(candidates.first().find('input[name="personId"]').val()).toBe(existingAdultId);
    expect(candidates.first().find('[data-testid="person-warnings"]').text()).toContain(
      'Warning: Do not visit alone',
    );
    // Children are not offered as an adult's record.
    expect(check.$('[data-testid="candidates"]').text()).not.toContain('Tilly');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'people.searched')
      .where('subjectId', '=', contactId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      purpose: 'known-to-services check (adult)',
      resultIds: expect.arrayContaining([existingAdultId]),
    });

    // Creating a new record while a likely match exists needs the worker to say it is someone else.
    const blind = await officer.post(url, { action: 'create', linkedPersonId: '' });
    expect(blind.statusCode).toBe(400);
    expect(summaryLinks(blind)).toEqual([
      '#notADuplicate A record looks like the same person: link it, or confirm this is someone else',
    ]);
    const notAdult = await officer.post(url, { action: 'link', linkedPersonId: '', personId: known.childId });
    expect(summaryLinks(notAdult)).toEqual(['#personId Choose an adult’s record']);
    const linked = await officer.post(url, { action: 'link', linkedPersonId: '', personId: existingAdultId });
    expect(linked.statusCode).toBe(303);
    expect(
      await t.db
        .selectFrom('contactAdults')
        .select(['personId', 'linkMethod'])
        .where('id', '=', adultRowIds[0]!)
        .executeTakeFirstOrThrow(),
    ).toEqual({ personId: existingAdultId, linkMethod: 'linked' });
    expect(
      await t.db
        .selectFrom('auditEvents')
        .select('details')
        .where('action', '=', 'contact.adult-linked')
        .where('subjectId', '=', contactId)
        .execute(),
    ).toEqual([
      { details: expect.objectContaining({ contactAdultId: adultRowIds[0], personId: existingAdultId }) },
    ]);

    // No match at all: a new adult's record from what the referrer said.
    const created = await officer.post(`/front-door/contacts/${contactId}/adults/${adultRowIds[1]}/check`, {
      action: 'create',
      linkedPersonId: '',
    });
    expect(created.statusCode).toBe(303);
    const row = await t.db
      .selectFrom('contactAdults as ca')
      .innerJoin('people as p', 'p.id', 'ca.personId')
      .select(['ca.linkMethod', 'p.kind', 'p.givenName', 'p.familyName'])
      .where('ca.id', '=', adultRowIds[1]!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      linkMethod: 'created',
      kind: 'adult',
      givenName: 'Zebedee',
      familyName: 'Unmatchedadult',
    });

    const after = await officer.get(`/front-door/contacts/${contactId}`);
    const adults = after.$('[data-testid="adults"] tbody tr');
    expect(text(after, '[data-testid="adults"] tbody tr:first-child')).toContain(
      'Warning: Do not visit alone',
    );
    expect(adults.first().find('a').text()).toContain('Linked to their record');
    expect(adults.last().find('a').text()).toContain('New record created');
    expect(adults.first().find('a').attr('href')).toBe(`/people/${existingAdultId}`);
  });

  it('shows the warnings on the MASH meeting agenda and the decision page', async () => {
    const mash = await demoUser(t.db, 'mash-practitioner');
    await t.db.transaction().execute((trx) =>
      setRag(serviceContext(trx, mash, t.clock.now(), t.app.services.calendar), {
        contactId,
        rag: 'amber',
        rationale: 'Known family',
      }),
    );
    const meeting = await t.db.transaction().execute((trx) =>
      createMeeting(serviceContext(trx, mash, t.clock.now()), {
        localAuthorityId: richmond,
        meetingDate: '2026-11-24',
      }),
    );
    const agent = await t.as('mash-practitioner');
    const agenda = await agent.get(`/front-door/meetings/${meeting.id}`);
    expect(agenda.statusCode).toBe(200);
    const row = agenda
      .$('[data-testid="agenda"] tbody tr')
      .filter((_, tr) => agenda.$(tr).text().includes('Tilly Screenwell'));
    expect(row.find('[data-testid="person-warnings"]').text()).toContain('Warning: Risk to staff');

    const decision = await agent.get(`/front-door/contacts/${contactId}/decision`);
    expect(decision.statusCode).toBe(200);
    const warnings = decision
      .$('[data-testid="person-warnings"]')
      .map((_, w) => decision.$(w).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(warnings).toEqual([
      'Warning: Risk to staff Father threatened a visiting nurse',
      'Warning: Do not visit alone Do not visit alone',
    ]);
  });
});
