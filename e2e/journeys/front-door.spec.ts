import { beforeAll, describe, expect, it } from 'vitest';

import { fixedClock } from '../../src/kernel/time/index.ts';
import { hashPassword } from '../../src/modules/identity/passwords.ts';
import { aChild, anAdult } from '../../test/builders/people.ts';
import { demoUser } from '../../test/builders/front-door.ts';
import { createApiClient } from '../../src/modules/front-door/index.ts';
import { TEST_PASSWORD } from '../../test/support/template-seed.ts';
import {
  at,
  collectConsoleErrors,
  expectAccessible,
  journeyForFile,
  mainText,
  signInWithEmail,
  signInWithPassword,
  submit,
  typingCounter,
} from '../fixtures.ts';
import { serviceContext } from '../../test/builders/early-help.ts';

/**
 * The front door, end to end, on a fixed clock at 3pm on Christmas Eve 2026 (a Thursday): Christmas Day, the
 * weekend and the Boxing Day substitute bank holiday (Monday 28 December) all fall inside the clocks.
 *
 * A police contact is recorded by the SPA → the known-to-services check links the child to her record, and her
 * mother to her adult's record (creating a second record for her is refused until the likely match is confirmed
 * to be someone else) → a MASH enquiry rated red (information due at 11am on Tuesday 29 December, 4 working hours
 * later) → the health trust's user signs in and answers the information request, and the CAMHS clinician answers
 * the CAMHS emotional well-being review (refused until the involvement and the risk are described) → the daily
 * MASH meeting discusses the child → the MASH worker records an early help decision, with the CAMHS review in
 * front of them → the MASH manager authorises it → the early help episode is opened. The decision is due by the
 * end of Tuesday 29 December. Axe runs on every page visited, error states included.
 */

const clock = fixedClock('2026-12-24T15:00:00Z');
const HEALTH_EMAIL = 'nurse.journey@demo.threshold.test';
const CAMHS_EMAIL = 'camhs.journey@demo.threshold.test';
const journey = journeyForFile({ clock });
let childId: string;
let motherId: string;

/** A partner agency's user (role partner-agency-user) who signs in with the test password. */
async function aPartnerUser(kind: string, email: string, displayName: string, jobTitle: string) {
  const agency = (
    await journey.db.selectFrom('agencies').select('id').where('kind', '=', kind).executeTakeFirstOrThrow()
  ).id;
  const user = await journey.db
    .insertInto('users')
    .values({
      email,
      displayName,
      jobTitle,
      agencyId: agency,
      passwordHash: await hashPassword(TEST_PASSWORD),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await journey.db.insertInto('userRoles').values({ userId: user.id, role: 'partner-agency-user' }).execute();
}

beforeAll(async () => {
  await aPartnerUser('health', HEALTH_EMAIL, 'Nurse Nia Journey', 'Named nurse');
  await aPartnerUser('camhs', CAMHS_EMAIL, 'Cleo Journey', 'CAMHS clinical nurse specialist');
  childId = (
    await aChild(journey.db, {
      givenName: 'Olivia',
      familyName: 'Journeyman',
      dateOfBirth: '2017-03-04',
      postcode: 'TW1 3DX',
    })
  ).id;
  // Olivia's mother already has an adult's record (an earlier contact about her).
  motherId = (
    await anAdult(journey.db, {
      givenName: 'Claire',
      familyName: 'Journeyman',
      dateOfBirth: '1988-09-30',
      postcode: 'TW1 3DX',
    })
  ).id;
});

const signInAs = signInWithEmail;

describe('the front door', () => {
  it('police contact → known-to-services checks (child, adult) → red MASH enquiry → health and CAMHS answer → MASH meeting → decision → authorisation → early help', async () => {
    // 1. The SPA contact officer records the police contact.
    const spa = await journey.newPage();
    const spaErrors = collectConsoleErrors(spa);
    await signInWithPassword(spa, 'contact-officer');
    await at(spa, '/');
    await spa.getByRole('link', { name: 'Front door', exact: true }).first().click();
    await at(spa, '/front-door');
    await spa.getByRole('button', { name: 'Record a contact' }).click();
    await at(spa, '/front-door/contacts/new');
    // Sent empty: the error summary first.
    await spa.getByRole('button', { name: 'Record contact' }).click();
    await spa.locator('.govuk-error-summary').waitFor();
    expect(await spa.title()).toMatch(/^Error: Record a contact/);
    await expectAccessible(spa);
    // Every fact here is new to the record, and each is typed once (issue 18): the police are chosen once, which is
    // also the census source (6); nothing is asked twice.
    const typing = typingCounter();
    await spa.getByLabel('Phone call').check();
    await spa
      .getByLabel('School or partner agency')
      .selectOption({ label: 'Metropolitan Police – South West BCU' });
    await typing.fill(spa, spa.getByLabel('Their name (optional)'), 'PC Sam Okoro');
    await typing.fill(spa, '#child1GivenName', 'Olivia');
    await typing.fill(spa, '#child1FamilyName', 'Journeyman');
    await typing.fillDate(spa, 'child1DateOfBirth', '2017-03-04');
    await typing.fill(spa, '#child1Postcode', 'TW1 3DX');
    await typing.fill(spa, '#adult1GivenName', 'Claire');
    await typing.fill(spa, '#adult1FamilyName', 'Journeyman');
    await spa.selectOption('#adult1Role', 'mother');
    await typing.fillDate(spa, 'adult1DateOfBirth', '1988-09-30');
    await spa.getByLabel('Domestic abuse').check();
    await spa.getByLabel('Emotional well-being or mental health').check();
    await typing.fill(
      spa,
      spa.getByLabel('What has happened and what is the worry?'),
      'Police called to the home at 1am after a neighbour heard screaming. Mother had an injury to her face. Olivia was awake and very upset.',
    );
    await spa.getByLabel('Consent dispensed with').check();
    await typing.fill(
      spa,
      spa.getByLabel('Why consent was not given or was dispensed with'),
      'Police notification: asking the father could increase the risk.',
    );
    await spa.getByLabel('Urgent: needs a response today').check();
    // Ten facts: who called, Olivia's names, birthday and postcode, her mother's names and birthday, what happened,
    // and why consent was dispensed with.
    expect(typing.typed).toHaveLength(10);
    await expectAccessible(spa);
    await spa.getByRole('button', { name: 'Record contact' }).click();
    await at(spa, /^\/front-door\/contacts\/[0-9a-f-]{36}$/);
    const contactUrl = new URL(spa.url()).pathname;
    // Received at 3pm on Thursday 24 December: Friday 25th and Monday 28th are bank holidays, so the decision is
    // due by the end of Tuesday 29 December.
    expect(await spa.locator('.govuk-notification-banner').textContent()).toContain(
      'A decision is due by the end of 29 December 2026',
    );
    expect(await spa.locator('[data-testid="decision-due"]').textContent()).toContain(
      'by the end of 29 December 2026',
    );
    expect(await mainText(spa)).toContain('1 working day left');

    const contactId = contactUrl.split('/').pop()!;
    expect(
      await journey.db
        .selectFrom('contacts')
        .select('referralSource')
        .where('id', '=', contactId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ referralSource: '6' });

    // A second call about Olivia, before anyone has checked the first: "is this child known?" finds the open
    // contact, and the call is added to it, typing only what the caller says (issue 18). No second contact.
    await spa.goto('/people?name=Olivia+Journeyman');
    await at(spa, '/people');
    expect(await spa.locator('[data-testid="open-work"]').textContent()).toContain('Open contact C-2026-');
    await spa
      .locator('[data-testid="open-work"]')
      .getByRole('link', { name: /^Add this call to that contact/ })
      .first()
      .click();
    await at(spa, `${contactUrl}/calls/new`);
    // Today, by phone: the usual answers, already there.
    expect(await spa.locator('#receivedOn-day').inputValue()).toBe('24');
    expect(await spa.locator('input[name="channel"][value="phone"]').isChecked()).toBe(true);
    const secondCall = typingCounter();
    await secondCall.fill(spa, '#callerName', 'Ms Hale');
    await secondCall.fill(spa, '#summary', 'Olivia told her teacher she did not sleep.');
    expect(secondCall.typed).toEqual(['callerName', 'summary']);
    await expectAccessible(spa);
    await submit(spa, 'Add the call');
    await at(spa, contactUrl);
    expect(await spa.locator('[data-testid="further-call"]').textContent()).toContain(
      'Olivia told her teacher she did not sleep.',
    );
    expect(
      await journey.db
        .selectFrom('contactChildren')
        .select('contactId')
        .where('givenName', '=', 'Olivia')
        .where('familyName', '=', 'Journeyman')
        .execute(),
    ).toHaveLength(1);

    // 2. The known-to-services check finds Olivia's record and links it.
    await spa.getByRole('link', { name: 'Check if known (Olivia Journeyman)' }).click();
    await at(spa, /\/check$/);
    expect(await spa.locator('h1').textContent()).toBe('Is Olivia Journeyman known to services?');
    await spa
      .getByRole('button', { name: 'Link Olivia Journeyman to the record of Olivia Journeyman' })
      .click();
    await at(spa, contactUrl);
    expect(await mainText(spa)).toContain('Linked to an existing record');
    expect(await spa.locator(`a[href="/people/${childId}"]`).count()).toBe(1);

    // The same check for her mother: her record is found; a new one is refused until the match is ruled out.
    await spa.getByRole('link', { name: 'Check if known (Claire Journeyman)' }).click();
    await at(spa, /^\/front-door\/contacts\/[0-9a-f-]{36}\/adults\/[0-9a-f-]{36}\/check$/);
    const adultCheckUrl = new URL(spa.url()).pathname;
    expect(await spa.locator('h1').textContent()).toBe('Is Claire Journeyman known to services?');
    expect(await spa.locator('#results-heading').textContent()).toBe('1 possible record');
    expect(await spa.locator('[data-testid="candidates"]').textContent()).toContain('Born 30 September 1988');
    await spa.getByRole('button', { name: 'Create a new record for Claire Journeyman' }).click();
    await spa.locator('.govuk-error-summary').waitFor();
    expect(new URL(spa.url()).pathname).toBe(adultCheckUrl);
    expect(await spa.locator('.govuk-error-summary').textContent()).toContain(
      'A record looks like the same person: link it, or confirm this is someone else',
    );
    await expectAccessible(spa);
    await spa
      .getByRole('button', { name: 'Link Claire Journeyman to the record of Claire Journeyman' })
      .click();
    await at(spa, contactUrl);
    expect(await spa.locator('.govuk-notification-banner').textContent()).toContain(
      'The adult is linked to their record.',
    );
    expect(await spa.locator('[data-testid="adults"]').textContent()).toContain(
      'Linked to their record (Claire Journeyman)',
    );
    expect(await spa.locator(`[data-testid="adults"] a[href="/people/${motherId}"]`).count()).toBe(1);
    // Nobody new in the person index: still the one Claire Journeyman.
    expect(
      await journey.db
        .selectFrom('people')
        .select('id')
        .where('givenName', '=', 'Claire')
        .where('familyName', '=', 'Journeyman')
        .execute(),
    ).toEqual([{ id: motherId }]);
    // The 400s are the empty form and the refused new record, sent on purpose above.
    expect(spaErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);

    // 3. The MASH worker starts a red MASH enquiry and asks health for information.
    const mash = await journey.newPage();
    await signInWithPassword(mash, 'mash-practitioner');
    await at(mash, '/');
    await mash.goto(contactUrl);
    await at(mash, contactUrl);
    await mash.getByRole('button', { name: 'Start a MASH enquiry' }).click();
    await at(mash, /\/mash-enquiry$/);
    await mash.check('#rag'); // Red: 4 working hours (the first choice)
    expect(await mash.locator('label[for="rag"]').textContent()).toContain('Red: 4 working hours');
    await mash
      .getByLabel('Why this rating?')
      .fill('Injury to mother; child present and distressed; repeat incident.');
    await expectAccessible(mash);
    await mash.getByRole('button', { name: 'Save rating' }).click();
    await at(mash, contactUrl);
    // 4 working hours from 3pm on Christmas Eve: 2 hours that day, 2 on Tuesday 29 December.
    expect(await mash.locator('.govuk-notification-banner').textContent()).toContain(
      'partners’ information is due by 29 December 2026 at 11am',
    );
    expect(await mash.locator('[data-testid="information-due"]').textContent()).toContain(
      '29 December 2026 at 11am',
    );
    await mash.getByRole('button', { name: 'Request information' }).click();
    await at(mash, /\/information-requests\/new$/);
    await mash.getByLabel('Agency').selectOption({ label: 'Kingston and Richmond NHS Foundation Trust' });
    await mash.getByLabel('Information check').check();
    await mash
      .getByLabel('What do you need to know?')
      .fill('Health visiting and GP information for Olivia and her mother.');
    await mash.getByRole('button', { name: 'Send request' }).click();
    await at(mash, contactUrl);
    expect(await mash.locator('[data-testid="information-requests"]').textContent()).toContain(
      '4 working hours left',
    );
    // Olivia's emotional well-being is a concern: a CAMHS clinician reviews it.
    await mash.getByRole('button', { name: 'Request information' }).click();
    await at(mash, /\/information-requests\/new$/);
    await mash.getByLabel('Agency').selectOption({ label: 'South West London CAMHS' });
    await mash.getByLabel('CAMHS emotional well-being review').check();
    await mash
      .getByLabel('What do you need to know?')
      .fill('Is Olivia known to CAMHS? She was very upset after the incident and is not sleeping.');
    await mash.getByRole('button', { name: 'Send request' }).click();
    await at(mash, contactUrl);
    expect(await mash.locator('[data-testid="information-requests"]').textContent()).toContain(
      'South West London CAMHS',
    );

    // 4. The health trust's user signs in, sees only their request, and answers it.
    const nurse = await journey.newPage();
    await signInAs(nurse, HEALTH_EMAIL);
    await at(nurse, '/');
    expect(await mainText(nurse)).toContain('Information check');
    await nurse.getByRole('link', { name: 'Information requests', exact: true }).first().click();
    await at(nurse, '/information-requests');
    await nurse.locator('[data-testid="partner-requests"] a').first().click();
    await at(nurse, /^\/information-requests\/[0-9a-f-]{36}$/);
    expect(await nurse.locator('[data-testid="request-due"]').textContent()).toBe('29 December 2026 at 11am');
    expect(await mainText(nurse)).not.toContain('neighbour heard screaming');
    await nurse.getByLabel('Yes').check();
    await nurse
      .getByLabel('The information you hold')
      .fill(
        'Olivia is registered with Twickenham Park Surgery; mother attended A&E in October with a facial injury.',
      );
    await nurse.getByRole('button', { name: 'Send answer' }).click();
    await at(nurse, '/information-requests');
    expect(await nurse.locator('.govuk-notification-banner').textContent()).toContain(
      'your answer has been sent',
    );
    // The police user sees nothing of it.
    const requestPath = (
      await journey.db
        .selectFrom('informationRequests as r')
        .innerJoin('agencies as a', 'a.id', 'r.agencyId')
        .select('r.id')
        .where('a.kind', '=', 'health')
        .executeTakeFirstOrThrow()
    ).id;
    const police = await journey.newPage();
    await signInWithPassword(police, 'partner-agency-user');
    await at(police, '/');
    const denied = await police.goto(`/information-requests/${requestPath}`);
    expect(denied?.status()).toBe(404);

    // The CAMHS clinician answers the review: a clinician's structured answer, not free text.
    const camhs = await journey.newPage();
    const camhsErrors = collectConsoleErrors(camhs);
    await signInAs(camhs, CAMHS_EMAIL);
    await at(camhs, '/');
    await camhs.goto('/information-requests');
    await at(camhs, '/information-requests');
    const camhsRequests = camhs.locator('[data-testid="partner-requests"] a');
    expect(await camhsRequests.count()).toBe(1);
    await camhsRequests.first().click();
    await at(camhs, /^\/information-requests\/[0-9a-f-]{36}$/);
    expect(await camhs.locator('h1').textContent()).toBe('CAMHS emotional well-being review');
    expect(await camhs.locator('[data-testid="request-due"]').textContent()).toBe('29 December 2026 at 11am');
    // Known to CAMHS with a risk indicator, but neither described: refused, with the answers kept.
    await camhs.getByLabel('Yes, known to CAMHS').check();
    await camhs
      .getByLabel('Summary of the concerns about the child’s emotional well-being')
      .fill('Low mood since the summer; not sleeping since the incident.');
    await camhs.getByLabel('Self-harm').check();
    await camhs.getByLabel('CAMHS assessment').check();
    await camhs.getByLabel('Your name').fill('Cleo Journey');
    await camhs.getByLabel('Your role').fill('CAMHS clinical nurse specialist');
    await camhs.getByRole('button', { name: 'Send review' }).click();
    await camhs.locator('.govuk-error-summary').waitFor();
    const camhsProblems = (await camhs.locator('.govuk-error-summary').textContent()) ?? '';
    expect(camhsProblems).toContain('Describe CAMHS’s current or most recent involvement with the child');
    expect(camhsProblems).toContain('Describe the risk: what it is, how recent and how serious');
    expect(await camhs.getByLabel('Self-harm').isChecked()).toBe(true);
    await expectAccessible(camhs);
    await camhs
      .getByLabel('CAMHS’s current or most recent involvement')
      .fill('Seen by the Richmond CAMHS team in 2025 for anxiety; discharged in March 2026.');
    await camhs
      .getByLabel('About the risk')
      .fill('Scratching her arms last month, superficial; no suicidal thoughts.');
    await camhs.getByRole('button', { name: 'Send review' }).click();
    await at(camhs, '/information-requests');
    expect(await camhs.locator('.govuk-notification-banner').textContent()).toContain(
      'your answer has been sent',
    );
    expect(camhsErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);

    // 5. The daily MASH meeting discusses Olivia.
    await mash.goto('/front-door/meetings');
    await at(mash, '/front-door/meetings');
    await mash.getByRole('button', { name: 'Start a meeting' }).click();
    await at(mash, '/front-door/meetings/new');
    await mash.getByRole('button', { name: 'Start meeting' }).click();
    await at(mash, /^\/front-door\/meetings\/[0-9a-f-]{36}$/);
    const meetingUrl = new URL(mash.url()).pathname;
    expect(await mash.locator('h1').textContent()).toBe('MASH meeting, 24 December 2026');
    await mash.getByRole('button', { name: 'Add someone who attended' }).click();
    await at(mash, /\/attendees\/new$/);
    await mash.getByLabel('Name').fill('PC Dan Price');
    await mash.getByLabel('Attending for').selectOption({ label: 'Metropolitan Police – South West BCU' });
    await mash.getByRole('button', { name: 'Add attendee' }).click();
    await at(mash, meetingUrl);
    await mash.getByRole('link', { name: 'Record discussion for Olivia Journeyman' }).click();
    await at(mash, /\/items\/[0-9a-f-]{36}$/);
    await mash
      .getByLabel('Discussion')
      .fill(
        'Health confirmed the A&E attendance in October. Police have one previous call-out. Mother wants support.',
      );
    await mash.fill('#action1Description', 'Offer mother a referral to the domestic abuse service');
    await mash.fill('#action1Owner', 'Mo Hassan');
    await mash.fill('#action1DueOn-day', '29');
    await mash.fill('#action1DueOn-month', '12');
    await mash.fill('#action1DueOn-year', '2026');
    await mash.getByRole('button', { name: 'Save discussion' }).click();
    await at(mash, meetingUrl);
    await mash.getByRole('link', { name: 'Minutes (printable)' }).click();
    await at(mash, /\/minutes$/);
    expect(await mainText(mash)).toContain('Offer mother a referral to the domestic abuse service');

    // 6. The MASH worker records the decision.
    await mash.goto(contactUrl);
    await at(mash, contactUrl);
    await mash.getByRole('button', { name: 'Record the decision' }).click();
    await at(mash, /\/decision$/);
    expect(await mainText(mash)).toContain('London Continuum of Need');
    const review = ((await mash.locator('[data-testid="camhs-review"]').textContent()) ?? '').replace(
      /\s+/g,
      ' ',
    );
    expect(review).toContain('CAMHS clinician’s review from South West London CAMHS');
    expect(review).toContain('Scratching her arms last month, superficial');
    await mash.getByLabel(/Level 2 – early help/).check();
    await mash.getByLabel('Early help / family support').check();
    await mash
      .getByLabel('Rationale')
      .fill(
        'Additional needs after a single incident; mother engaging and wants help; health and police information supports early help.',
      );
    await mash
      .getByLabel('Feedback to the referrer')
      .fill('Thank you. The family will be offered early help and support.');
    await mash.getByRole('button', { name: 'Record decision' }).click();
    await at(mash, contactUrl);
    expect(await mainText(mash)).toContain('Awaiting a manager’s authorisation');

    // 7. The MASH manager authorises it: the early help episode opens.
    const manager = await journey.newPage();
    await signInWithPassword(manager, 'mash-manager');
    await at(manager, '/');
    expect(await mainText(manager)).toContain('Decision to authorise');
    await manager.goto(contactUrl);
    await at(manager, contactUrl);
    await manager.getByRole('button', { name: 'Authorise the decision' }).click();
    await at(manager, /\/authorisation$/);
    await manager.getByLabel('Yes, authorise it').check();
    await manager
      .getByLabel('Early help team (optional)')
      .selectOption({ label: 'Early Help – Richmond and Kew cluster' });
    await manager
      .getByLabel('Your rationale', { exact: true })
      .fill('Agree: proportionate early help with the mother’s consent; domestic abuse support offered.');
    await manager.getByRole('button', { name: 'Save' }).click();
    await at(manager, contactUrl);
    expect(await manager.locator('.govuk-notification-banner').textContent()).toMatch(
      /Early help episode EH-2026-\d{5} opened/,
    );
    expect(await mainText(manager)).toContain('Completed');

    const episode = await journey.db
      .selectFrom('earlyHelpEpisodes')
      .select(['source', 'sourceContactId', 'openedOn', 'levelOfNeed'])
      .executeTakeFirstOrThrow();
    expect(episode).toMatchObject({
      source: 'front-door',
      openedOn: '2026-12-24',
      levelOfNeed: 'level-2',
      sourceContactId: contactUrl.split('/').pop(),
    });
    const contact = await journey.db
      .selectFrom('contacts')
      .select(['decisionDueOn', 'informationDueAt', 'status'])
      .executeTakeFirstOrThrow();
    expect(contact).toEqual({
      decisionDueOn: '2026-12-29',
      informationDueAt: new Date('2026-12-29T11:00:00Z'),
      status: 'completed',
    });

    // The child's record shows the front door's work in the chronology.
    await manager.goto(`/people/${childId}/chronology`);
    await at(manager, `/people/${childId}/chronology`);
    const chronology = await mainText(manager);
    expect(chronology).toContain('Contact received');
    expect(chronology).toContain('Front-door decision: Early help / family support');

    // 8. The MASH manager looks at the front door's performance: Olivia's contact, decided on time, and the
    // numbers lead to it.
    await manager.goto('/front-door/performance');
    await at(manager, '/front-door/performance');
    expect(await manager.locator('h1').textContent()).toBe('Front-door performance');
    const summary = await manager.locator('[data-testid="summary"]').textContent();
    expect(summary?.replace(/\s+/g, ' ')).toContain('100% (1 decisions made within 1 working day of 1)');
    // A period that ends before it starts: the error summary, and still accessible.
    await manager.fill('#from-day', '20');
    await manager.fill('#from-month', '12');
    await manager.fill('#from-year', '2026');
    await manager.fill('#to-day', '1');
    await manager.fill('#to-month', '12');
    await manager.fill('#to-year', '2026');
    await manager.getByRole('button', { name: 'Show figures' }).click();
    await manager.locator('.govuk-error-summary').waitFor();
    expect(await manager.locator('.govuk-error-summary').textContent()).toContain(
      'The end date must be the same as or after the start date',
    );
    await expectAccessible(manager);
    await manager.fill('#to-day', '24');
    await manager.getByRole('button', { name: 'Show figures' }).click();
    await manager.waitForURL((url) => url.search === '?from=2026-12-20&to=2026-12-24');
    await expectAccessible(manager);
    await manager.getByRole('link', { name: '1 contacts received', exact: true }).click();
    await at(manager, '/front-door/performance/contacts');
    expect(await manager.locator('h1').textContent()).toBe('Contacts received');
    const drilled = await manager.locator('[data-testid="drill-down"] tbody tr').allTextContents();
    expect(drilled).toHaveLength(1);
    await manager.locator('[data-testid="drill-down"] tbody a').click();
    await at(manager, contactUrl);
  }, 420_000);

  it('a contact posted to the API appears on the worktray', async () => {
    const [admin, police, richmond] = await Promise.all([
      demoUser(journey.db, 'system-administrator'),
      journey.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow(),
      journey.db
        .selectFrom('localAuthorities')
        .select('id')
        .where('laCode', '=', '318')
        .executeTakeFirstOrThrow(),
    ]);
    const client = await journey.db.transaction().execute((trx) =>
      createApiClient(serviceContext(trx, admin, clock.now()), {
        name: 'Journey police system',
        agencyId: police.id,
        localAuthorityIds: [richmond.id],
      }),
    );
    const res = await fetch(`${journey.baseUrl}/api/v1/contacts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`,
      },
      body: JSON.stringify({
        referralSource: '6',
        referrer: { name: 'PC Api Journey' },
        concernCategories: ['domestic-abuse'],
        reason: 'Police notification sent system to system.',
        consent: 'dispensed',
        consentRationale: 'Police notification',
        urgency: 'routine',
        externalReference: 'MPS-JOURNEY-1',
        children: [{ givenName: 'Apinotified', familyName: 'Journeychild' }],
      }),
    });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const spa = await journey.newPage();
    await signInWithPassword(spa, 'contact-officer');
    await spa.waitForURL((url) => url.pathname === '/');
    await spa.goto('/front-door');
    const row = spa.locator('[data-testid="front-door-worktray"] tr', { hasText: reference });
    expect(await row.textContent()).toContain('Apinotified Journeychild');
  }, 120_000);
});
