import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { aChild } from '../../test/builders/people.ts';
import { aRelationship } from '../../test/builders/people.ts';
import { calendar, userFor, withCensusDetails } from '../../test/builders/social-care.ts';
import { createContact } from '../../src/modules/front-door/contact.service.ts';
import {
  collectConsoleErrors,
  expectAccessible,
  signInWithPassword,
  at as arrive,
  reached as reachedPath,
  mainText,
  submit,
  fillDate,
  journeyForFile,
} from '../fixtures.ts';
import { serviceContext } from '../../test/builders/early-help.ts';

/**
 * Children's social care, end to end, on a fixed clock (Tuesday 24 November 2026). Axe runs on every page visited,
 * except the front door's decision and authorisation pages in journey 1 (journey 2 and front-door.spec.ts check them).
 * 1. A contact received on 1 September → the MASH worker's decision (referral to social care) and the MASH manager's
 *    authorisation, on the front door's pages, open the referral → the team manager allocates it from the worktray → the
 *    social worker's child and family assessment, answered on the template, completed late with the reason →
 *    authorised by the manager with recorded oversight → a child in need plan with a SMART goal tied to the
 *    assessment's worry, and a second goal added for the need the plan page shows has none → direct work whose
 *    follow-up lands in the plan → the review (progress on both goals, views, the action done) decides to step down → the handover meeting to early help closes the episode.
 * 2. A school's contact received on 2 November → the MASH worker's decision (strategy discussion) and the MASH
 *    manager's authorisation open the referral for the Assessment Team → the strategy discussion recorded on the
 *    front door's page on 3 November (refused without the police and health, then social care, police and health;
 *    section 47), which lands on the child's episode too → the team manager allocates → the social worker sees it on
 *    the episode and starts the section 47 from there (the census query for an enquiry without an assessment
 *    explained) → initial conference within 15 working days of the strategy discussion, quorate, deciding a plan
 *    under physical abuse → the plan starts on the conference date (a different date is refused, rule 2885) → core
 *    group → review conference decides the plan ends. Every front-door page of this journey is checked with axe.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const journey = journeyForFile({ clock });

async function at(page: Page, path: string | RegExp) {
  page.setDefaultTimeout(20_000);
  await arrive(page, path);
}
const date = fillDate;
async function errorSummary(page: Page): Promise<string> {
  await page.locator('.govuk-error-summary').waitFor();
  await expectAccessible(page);
  return (await page.locator('.govuk-error-summary').textContent()) ?? '';
}

/** A page reached without running axe again (pages another journey already checks). */
async function reached(page: Page, path: string | RegExp) {
  page.setDefaultTimeout(20_000);
  await reachedPath(page, path);
}

/** What the contact says and what the front door decides about it. */
interface FrontDoorDecision {
  concern: string;
  reason: string;
  level: RegExp;
  outcome: string;
  rationale: string;
  feedback: string;
  authorisation: string;
}

/**
 * The referral opened on the front door's own pages: a contact received at 9am on `receivedOn` (recorded through
 * the service: front-door.spec.ts records contacts in the browser), then the MASH worker's decision and the MASH
 * manager's authorisation in the browser, routed to the Assessment Team. `visit` waits for each page: `at` runs
 * axe on it, `reached` does not. Returns the contact's page and the episode the authorisation opened.
 */
async function referralThroughTheFrontDoor(
  childId: string,
  receivedOn: string,
  decision: FrontDoorDecision,
  visit: (page: Page, path: string) => Promise<void> = reached,
): Promise<{ contactId: string; contactUrl: string; episodeId: string }> {
  await withCensusDetails(journey.db, childId);
  const officer = await userFor(journey.db, 'contact-officer');
  const la = (
    await journey.db
      .selectFrom('people')
      .select('localAuthorityId')
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
  ).localAuthorityId;
  const contact = await journey.db.transaction().execute((trx) =>
    createContact(serviceContext(trx, officer, new Date(`${receivedOn}T09:00:00Z`), calendar), {
      localAuthorityId: la,
      channel: 'phone',
      referralSource: '2A',
      referrer: {},
      concernCategories: [decision.concern],
      reason: decision.reason,
      consent: 'given',
      urgency: 'urgent',
      children: [{ personId: childId }],
    }),
  );
  const contactUrl = `/front-door/contacts/${contact.id}`;
  const mash = await journey.newPage();
  await signInWithPassword(mash, 'mash-practitioner');
  await mash.goto(`${contactUrl}/decision`);
  await visit(mash, `${contactUrl}/decision`);
  await mash.getByLabel(decision.level).check();
  await mash.getByLabel(decision.outcome, { exact: true }).check();
  await mash.getByLabel('Rationale').fill(decision.rationale);
  await mash.getByLabel('Feedback to the referrer').fill(decision.feedback);
  await mash.getByRole('button', { name: 'Record decision' }).click();
  await visit(mash, contactUrl);
  expect(await mash.locator('.govuk-notification-banner').textContent()).toContain(
    `Decision recorded: ${decision.outcome}.`,
  );
  await mash.close();

  const manager = await journey.newPage();
  await signInWithPassword(manager, 'mash-manager');
  await manager.goto(`${contactUrl}/authorisation`);
  await visit(manager, `${contactUrl}/authorisation`);
  expect(await mainText(manager)).toContain(`Outcome ${decision.outcome}`);
  await manager.getByLabel('Yes, authorise it').check();
  await manager.getByLabel('Team the referral goes to').selectOption({ label: 'Assessment Team' });
  await manager.getByLabel('Your rationale', { exact: true }).fill(decision.authorisation);
  await manager.getByRole('button', { name: 'Save' }).click();
  await visit(manager, contactUrl);
  expect(await manager.locator('.govuk-notification-banner').textContent()).toMatch(
    /Referral to children’s social care opened: CIN-2026-\d{5}/,
  );
  await manager.close();
  const episode = await journey.db
    .selectFrom('cinEpisodes')
    .select(['id', 'referralDate', 'referralSource'])
    .where('sourceContactId', '=', contact.id)
    .executeTakeFirstOrThrow();
  expect(episode).toMatchObject({ referralDate: receivedOn, referralSource: '2A' });
  return { contactId: contact.id, contactUrl, episodeId: episode.id };
}

async function people(page: Page, prefix: string) {
  await page.fill(`#${prefix}__0__name`, 'Sian Walker');
  await page.selectOption(`#${prefix}__0__agencyId`, 'social-care');
  await page.fill(`#${prefix}__1__name`, 'DC Dan Price');
  await page.selectOption(`#${prefix}__1__agencyId`, { label: 'Metropolitan Police – South West BCU' });
  await page.fill(`#${prefix}__2__name`, 'Nurse Amara Obi');
  await page.selectOption(`#${prefix}__2__agencyId`, { label: 'Kingston and Richmond NHS Foundation Trust' });
}

describe('children’s social care', () => {
  it('referral → assessment (late, with the reason) → CIN plan → review → step-down to early help with a handover', async () => {
    const olivia = await aChild(journey.db, {
      givenName: 'Olivia',
      familyName: 'Ashby',
      dateOfBirth: '2017-03-04',
    });
    const noah = await aChild(journey.db, {
      givenName: 'Noah',
      familyName: 'Ashby',
      dateOfBirth: '2020-06-11',
    });
    await aRelationship(journey.db, olivia, noah, 'sibling', { livesWith: true });
    const { episodeId } = await referralThroughTheFrontDoor(olivia.id, '2026-09-01', {
      concern: 'domestic-abuse',
      reason: 'Police called to the home twice: shouting, Olivia hid upstairs',
      level: /Level 3 – complex needs/,
      outcome: 'Referral to children’s social care for assessment',
      rationale:
        'Repeated domestic abuse incidents with a frightened child: a social care assessment is needed.',
      feedback: 'Thank you: the family will have a social care assessment.',
      authorisation: 'Agree: an assessment is needed.',
    });
    const episodeUrl = `/social-care/episodes/${episodeId}`;

    // The team manager allocates the referral from their worktray.
    const tm = await journey.newPage();
    const tmErrors = collectConsoleErrors(tm);
    await signInWithPassword(tm, 'team-manager');
    await at(tm, '/');
    await tm.locator(`a[href="${episodeUrl}/allocate"]`).first().click();
    await at(tm, `${episodeUrl}/allocate`);
    await tm
      .getByLabel('Social worker', { exact: true })
      .selectOption({ label: 'Sian Walker, Social worker (Assessment Team)' });
    await date(tm, 'startedOn', '2026-09-01');
    await submit(tm, 'Allocate');
    await at(tm, episodeUrl);
    expect(await mainText(tm)).toContain('Sian Walker, Assessment Team since 1 September 2026');

    // The social worker sees the overdue assessment on their worktray and starts it.
    const sw = await journey.newPage();
    const swErrors = collectConsoleErrors(sw);
    await signInWithPassword(sw, 'social-worker');
    await at(sw, '/');
    expect(await mainText(sw)).toContain('Start the child and family assessment');
    await sw.locator(`a[href="${episodeUrl}/assessments/new"]`).first().click();
    await at(sw, `${episodeUrl}/assessments/new`);
    await date(sw, 'startDate', '2026-09-02');
    await submit(sw, 'Start the assessment');
    await at(sw, /^\/social-care\/assessments\/[0-9a-f-]{36}\/edit$/);
    const assessmentUrl = new URL(sw.url()).pathname.replace(/\/edit$/, '');
    // Facts the front door already has are not typed again (issue 18): the reason and the decision are prefilled,
    // marked with where they came from.
    const reason = await sw.locator('#referral__reason').inputValue();
    expect(reason).toContain('Police called to the home twice: shouting, Olivia hid upstairs');
    expect(reason).toContain('Repeated domestic abuse incidents with a frightened child');
    expect(await sw.locator('#referral__reason-hint').textContent()).toContain('From contact');
    expect(await sw.locator('#referral__members__0__name').inputValue()).toBe('Olivia Ashby');

    await sw.fill(
      '#child__livedExperience',
      'Olivia lives with her mum and dad and her brother Noah. She loves drawing and goes to Orchard Primary.',
    );
    await sw.fill(
      '#child__childsViews',
      '“I don’t like the shouting. I go under my duvet.” Told to me alone in her bedroom.',
    );
    await sw.fill(
      '#worries__worries__0__statement',
      'Everyone is worried that Olivia is frightened when her mum and dad argue loudly, and could be hurt if it happens again.',
    );
    await sw.check('input[name="worries__worries__0__type"][value="danger"]');
    await sw.fill(
      '#workingWell__strengths',
      'Mum takes Olivia to school every day; Dad has started the Caring Dads programme.',
    );
    await sw.fill(
      '#needsToHappen__goals__0__goal',
      'Olivia feels safe at home and there is no shouting in front of the children.',
    );
    await sw.check('input[name="scaling__worker"][value="5"]');
    await sw.check('input[name="scaling__family"][value="7"]');
    await sw.fill('#systemic__hypotheses', 'The arguments rise when money is short: test with the family.');
    await sw.fill(
      '#analysis__analysis',
      'The worries are real but the family are working with us: a child in need plan.',
    );
    await submit(sw, 'Save');
    await at(sw, assessmentUrl);

    await sw.getByRole('link', { name: 'Record when the child was seen' }).click();
    await at(sw, `${assessmentUrl}/child-seen`);
    await date(sw, 'seenOn', '2026-09-03');
    await sw.check('input[name="seenAlone"][value="yes"]');
    await submit(sw, 'Save');
    await at(sw, assessmentUrl);

    // Completing late needs the reason.
    await sw.getByRole('link', { name: 'Complete the assessment' }).click();
    await at(sw, `${assessmentUrl}/complete`);
    await date(sw, 'completedOn', '2026-11-20');
    await sw.getByLabel('Child in need plan').check();
    await sw.getByLabel('Why this outcome').fill('Support is needed to keep Olivia safe at home.');
    await sw.getByLabel('Primary need', { exact: true }).selectOption('N1');
    await sw.check('input[name="proposedFactors"][value="3B"]');
    await submit(sw, 'Complete and send for authorisation');
    expect(await errorSummary(sw)).toContain('The assessment is late');
    await sw.fill('#lateReason', 'Dad was in hospital for three weeks and could not be seen.');
    await submit(sw, 'Complete and send for authorisation');
    await at(sw, assessmentUrl);

    // The manager authorises with recorded oversight.
    await tm.goto('/');
    await at(tm, '/');
    await tm.locator(`a[href="${assessmentUrl}/authorise"]`).first().click();
    await at(tm, `${assessmentUrl}/authorise`);
    await date(tm, 'authorisedOn', '2026-11-23');
    await tm
      .getByLabel('Management oversight')
      .fill('A thorough analysis; the lateness is explained. I agree a child in need plan.');
    await submit(tm, 'Save decision');
    await at(tm, assessmentUrl);
    expect(await mainText(tm)).toContain('Authorised');

    // The child in need plan: a SMART goal tied to the assessment's worry.
    await sw.goto(episodeUrl);
    await at(sw, episodeUrl);
    await sw.getByRole('link', { name: 'Start a child in need plan' }).click();
    await at(sw, `${episodeUrl}/cin-plans/new`);
    await date(sw, 'startDate', '2026-11-23');
    await sw.fill(
      '#familySummary',
      'We will all help Olivia feel safe at home: no shouting, and time for Mum and Dad to talk calmly.',
    );
    await sw.locator('#goals__0__worry').selectOption({ index: 1 });
    await sw.fill('#goals__0__goal', 'No shouting in front of Olivia and Noah');
    await sw.fill('#goals__0__measure', 'Olivia tells us at each visit; school sees her settled');
    await sw.fill('#goals__0__responsible', 'Mum and Dad, with the Caring Dads worker');
    await date(sw, 'goals__0__targetDate', '2027-02-26');
    await submit(sw, 'Start the plan');
    await at(sw, /^\/social-care\/cin-plans\/[0-9a-f-]{36}$/);
    const planUrl = new URL(sw.url()).pathname;
    // The assessment's need has no goal yet: one is added for it from the plan page (a date in the past is refused).
    expect(await sw.locator('[data-testid="unaddressed"]').textContent()).toContain(
      'Need: Olivia feels safe at home',
    );
    await sw.locator('[data-testid="unaddressed"] a').first().click();
    await at(sw, `${planUrl}/goals/new`);
    await sw.fill('#goal', 'Olivia has a trusted adult at school she can talk to');
    await sw.fill('#measure', 'Olivia names them; the school tells us she uses them');
    await sw.fill('#responsible', 'Ms Patel, Orchard Primary School');
    await date(sw, 'targetDate', '2026-11-20');
    await submit(sw, 'Add the goal');
    expect(await errorSummary(sw)).toContain('Target date must be today or in the future');
    await date(sw, 'targetDate', '2027-01-29');
    await submit(sw, 'Add the goal');
    await at(sw, planUrl);
    expect(await sw.locator('[data-testid="unaddressed"]').count()).toBe(0);
    await sw.getByRole('link', { name: 'The family’s version to print' }).click();
    await at(sw, `${planUrl}/family-version`);
    expect(await sw.locator('h1').textContent()).toBe('Our plan together');

    // Direct work: the follow-up lands in the plan.
    await sw.goto(`${episodeUrl}/direct-work/new`);
    await at(sw, `${episodeUrl}/direct-work/new`);
    await date(sw, 'heldOn', '2026-11-24');
    await sw.getByLabel('Three Houses').check();
    await sw.fill('#childsWords', 'My house of worries has shouting in it. My house of dreams has a puppy.');
    await sw.fill('#summary', 'Olivia drew her three houses and talked about the shouting.');
    await sw.fill('#actions__0__action', 'Share Olivia’s drawings with Mum and Dad');
    await sw.fill('#actions__0__responsible', 'Sian Walker');
    await submit(sw, 'Save the session');
    await at(sw, `${episodeUrl}/direct-work`);

    // The review: progress on the goal, the views, the action done; the decision is to step down.
    await sw.goto(planUrl);
    await at(sw, planUrl);
    expect(await sw.locator('[data-testid="plan-action-list"]').textContent()).toContain(
      'Share Olivia’s drawings with Mum and Dad',
    );
    await sw.getByRole('link', { name: 'Review the plan' }).click();
    await at(sw, `${planUrl}/reviews/new`);
    await date(sw, 'heldOn', '2026-11-24');
    await sw.check('input[name="agencies"][value="social-care"]');
    await sw.getByLabel('Orchard Primary School', { exact: true }).check();
    await sw.getByLabel('Kingston and Richmond NHS Foundation Trust', { exact: true }).check();
    await sw.fill('#attendees', 'Mum, Dad, Ms Patel (school), health visitor, Sian Walker');
    for (const rating of await sw.locator('input[name^="rating__"][value="achieved"]').all())
      await rating.check();
    await sw.locator('input[name="actionsDone"]').first().check();
    await sw.fill('#childsViews', 'Olivia says it is quiet at home now.');
    await sw.fill('#familyViews', 'Mum and Dad want to keep going with family support.');
    await sw.fill(
      '#summary',
      'Both goals are met. The family would like early help to carry on the routines.',
    );
    await sw.getByLabel('Step down to early help, with a handover meeting').check();
    await submit(sw, 'Save the review');
    await at(sw, `${episodeUrl}/step-down`);

    // The handover meeting with the early help worker; the episode closes.
    await date(sw, 'handoverHeldOn', '2026-11-24');
    await sw.fill('#attendees__1__name', 'Eve Halpern');
    await sw.fill('#attendees__1__role', 'Family support worker');
    await sw.fill('#attendees__2__name', 'Claire Ashby');
    await sw.fill('#attendees__2__role', 'Mother');
    await sw
      .getByLabel('Who will lead the early help')
      .selectOption({ label: 'Eve Halpern, Family support worker (Early Help – Richmond and Kew cluster)' });
    await sw.check(`input[name="siblingIds"][value="${noah.id}"]`);
    await sw.check('input[name="consentGiven"][value="yes"]');
    await submit(sw, 'Step down and close the episode');
    await at(sw, episodeUrl);
    const closed = await mainText(sw);
    expect(closed).toContain('Stepped down to early help');
    expect(closed).toContain('RC7: Services ceased for any other reason');
    const eh = await journey.db
      .selectFrom('earlyHelpStepDowns as s')
      .innerJoin('earlyHelpEpisodes as e', 'e.id', 's.episodeId')
      .select(['e.source', 's.handoverHeldOn'])
      .where('s.cinEpisodeId', '=', episodeId)
      .executeTakeFirstOrThrow();
    expect(eh).toEqual({ source: 'step-down', handoverHeldOn: '2026-11-24' });
    // A refused form answers 400 (the error summary): the browser logs that; nothing else may be logged.
    expect(swErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    expect(tmErrors).toEqual([]);
  }, 420_000);

  it('contact → strategy discussion decided, authorised and held at the front door → section 47 → initial conference → CP plan → core group → review conference → the plan ends', async () => {
    const child = await aChild(journey.db, {
      givenName: 'Kai',
      familyName: 'Morgan',
      dateOfBirth: '2019-01-20',
    });
    // The school's call on Monday 2 November: the MASH decides on a strategy discussion and the manager authorises
    // it, which opens the referral (dated the day the contact came in) for the Assessment Team.
    const { contactId, contactUrl, episodeId } = await referralThroughTheFrontDoor(
      child.id,
      '2026-11-02',
      {
        concern: 'physical-harm',
        reason: 'Kai has a bruise on his cheek; he told his teacher his dad hit him.',
        level: /Level 4 – acute or specialist/,
        outcome: 'Strategy discussion',
        rationale:
          'An injury the child says his father caused: reasonable cause to suspect significant harm.',
        feedback: 'Thank you: we are holding a strategy discussion with the police and health today.',
        authorisation: 'Agree: a strategy discussion with the police and health.',
      },
      at,
    );
    const episodeUrl = `/social-care/episodes/${episodeId}`;

    // The strategy discussion, recorded at the front door: without the police and health it is refused.
    const mash = await journey.newPage();
    const mashErrors = collectConsoleErrors(mash);
    await signInWithPassword(mash, 'mash-practitioner');
    await at(mash, '/');
    await mash.goto(contactUrl);
    await at(mash, contactUrl);
    await mash.getByRole('button', { name: 'Record the strategy discussion' }).click();
    await at(mash, `${contactUrl}/strategy-discussion`);
    expect(await mash.locator('h1').textContent()).toContain('Record a strategy discussion');
    await date(mash, 'heldOn', '2026-11-03');
    await mash.getByLabel('Time it started').fill('10:30am');
    await mash.getByLabel('Start a section 47 enquiry').check();
    await mash
      .getByLabel('The decision and the reasons')
      .fill(
        'Reasonable cause to suspect significant harm: a joint section 47 enquiry with the police; Kai to have a medical.',
      );
    await mash.fill('#participant1Name', 'Mo Hassan');
    await mash.selectOption('#participant1Agency', { label: 'Children’s social care' });
    await mash.fill('#participant1Role', 'MASH social worker');
    await submit(mash, 'Save strategy discussion');
    expect(await errorSummary(mash)).toContain('add who took part for the police and health');
    await mash.fill('#participant2Name', 'DC Dan Price');
    await mash.selectOption('#participant2Agency', { label: 'Metropolitan Police – South West BCU' });
    await mash.fill('#participant3Name', 'Nurse Amara Obi');
    await mash.selectOption('#participant3Agency', { label: 'Kingston and Richmond NHS Foundation Trust' });
    await mash.fill('#participant3Role', 'Named nurse for safeguarding');
    await submit(mash, 'Save strategy discussion');
    await at(mash, contactUrl);
    expect(await mash.locator('.govuk-notification-banner').textContent()).toContain(
      'Strategy discussion recorded (3 November 2026 at 10:30am)',
    );
    expect(await mainText(mash)).toContain('DC Dan Price (Metropolitan Police – South West BCU)');
    expect(mashErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    // The same meeting is on Kai's social care episode, pointing back to the front door's record.
    const fromFrontDoor = await journey.db
      .selectFrom('cpStrategyDiscussions as c')
      .innerJoin('strategyDiscussions as s', 's.id', 'c.sourceStrategyDiscussionId')
      .select(['c.heldOn', 'c.decision', 's.contactId'])
      .where('c.episodeId', '=', episodeId)
      .execute();
    expect(fromFrontDoor).toEqual([{ heldOn: '2026-11-03', decision: 'section-47', contactId }]);

    const tm = await journey.newPage();
    await signInWithPassword(tm, 'team-manager');
    await at(tm, '/');
    await tm.goto(`${episodeUrl}/allocate`);
    await at(tm, `${episodeUrl}/allocate`);
    await tm
      .getByLabel('Social worker', { exact: true })
      .selectOption({ label: 'Sian Walker, Social worker (Assessment Team)' });
    await date(tm, 'startedOn', '2026-11-02');
    await submit(tm, 'Allocate');
    await at(tm, episodeUrl);

    const sw = await journey.newPage();
    const errors = collectConsoleErrors(sw);
    await signInWithPassword(sw, 'social-worker');
    await at(sw, '/');
    await sw.getByRole('link', { name: 'Social care', exact: true }).first().click();
    await at(sw, '/social-care');
    await sw.locator(`a[href="${episodeUrl}"]`).first().click();
    await at(sw, episodeUrl);

    // The social worker sees the front door's strategy discussion on the episode, and what it decided.
    expect(
      (await sw.locator('[data-testid="child-protection"]').textContent())?.replace(/\s+/g, ' ').trim(),
    ).toBe('3 November 2026: Strategy discussion (at the front door) – Start a section 47 enquiry');
    await sw
      .locator('[data-testid="child-protection"]')
      .getByRole('link', { name: 'Strategy discussion' })
      .click();
    await at(sw, /^\/social-care\/strategy-discussions\/[0-9a-f-]{36}$/);
    const discussion = await mainText(sw);
    expect(discussion).toMatch(
      /Held at the front door on contact [A-Z0-9-]+\. Reasonable cause to suspect significant harm/,
    );
    expect(discussion).toContain('DC Dan Price Metropolitan Police – South West BCU');
    expect(discussion).toContain(
      'Nurse Amara Obi Kingston and Richmond NHS Foundation Trust Named nurse for safeguarding',
    );

    // The section 47 starts from it: the initial conference is due 15 working days from the strategy discussion,
    // counting 3 November as day 1 (England and Wales calendar, no bank holidays between): Monday 23 November.
    await sw.goto(episodeUrl);
    await at(sw, episodeUrl);
    await sw.getByRole('link', { name: 'Start a section 47 enquiry' }).click();
    await at(sw, `${episodeUrl}/section-47/new`);
    expect(await mainText(sw)).toContain(
      'The last strategy discussion was on 3 November 2026 (at the front door). The initial child protection conference is due by 23 November 2026',
    );

    // Section 47: no assessment yet, a census query (2991Q) explained.
    await date(sw, 'startDate', '2026-11-03');
    await submit(sw, 'Start the enquiry');
    expect(await errorSummary(sw)).toContain('query 2991Q');
    await sw.fill('#queryExplanation', 'The assessment starts alongside the enquiry tomorrow.');
    await submit(sw, 'Start the enquiry');
    await at(sw, /^\/social-care\/section-47\/[0-9a-f-]{36}$/);
    await sw.getByRole('link', { name: 'Record the initial conference' }).click();
    await at(sw, `${episodeUrl}/conferences/new`);

    // The initial conference before its target date, quorate, deciding a plan.
    await date(sw, 'heldOn', '2026-11-20');
    await sw.fill('#chair', 'Jane Rowe, independent chair');
    await people(sw, 'attendees');
    await sw.getByLabel('Child protection plan', { exact: true }).check();
    await sw.getByLabel('Initial category of abuse (if there is a plan)').selectOption('PHY');
    await sw.fill('#decisions', 'Kai is to be the subject of a child protection plan under physical abuse.');
    await submit(sw, 'Save the conference');
    await at(sw, `${episodeUrl}/cp-plans/new`);

    // A start date other than the conference is refused (2885); the conference date is accepted.
    await date(sw, 'startDate', '2026-11-23');
    await sw.getByLabel('Initial category of abuse').selectOption('PHY');
    await sw.fill(
      '#planSummary',
      'Dad to leave the home while the police investigate; Kai seen every 10 working days.',
    );
    // One goal for the worry the conference identified, tied to the assessment (issue 18, item 10).
    await sw.selectOption('#goals__0__worry', { index: 1 });
    await sw.fill('#goals__0__goal', 'Kai is safe at home');
    await sw.fill('#goals__0__measure', 'No further injuries; Kai says he feels safe');
    await sw.fill('#goals__0__responsible', 'Mum, with the social worker');
    await date(sw, 'goals__0__targetDate', '2027-02-19');
    await submit(sw, 'Start the plan');
    expect(await errorSummary(sw)).toContain('rule 2885');
    await date(sw, 'startDate', '2026-11-20');
    await submit(sw, 'Start the plan');
    await at(sw, /^\/social-care\/cp-plans\/[0-9a-f-]{36}$/);
    const planUrl = new URL(sw.url()).pathname;
    expect(await mainText(sw)).toContain('First core group due');

    // The core group.
    await sw.getByRole('link', { name: 'Record a core group' }).click();
    await at(sw, `${planUrl}/core-groups/new`);
    await date(sw, 'heldOn', '2026-11-23');
    await sw.check('input[name="agencies"][value="social-care"]');
    await sw.getByLabel('Orchard Primary School', { exact: true }).check();
    await sw.fill('#attendees', 'Mum, Sian Walker, Ms Patel, health visitor');
    await sw.check('input[name="childSeen"][value="yes"]');
    await sw.fill('#progress', 'Dad has moved to his brother’s; Mum is working with us.');
    await sw.fill('#scaling', '6');
    await sw.locator('input[name^="rating__"][value="progressing"]').check();
    await submit(sw, 'Save the core group');
    await at(sw, planUrl);
    expect(await sw.locator('[data-testid="core-group-agencies"]').textContent()).toBe(
      'Agencies present: Children’s social care, Orchard Primary School',
    );

    // The review conference decides the plan ends: not on the day the plan started (rule 8841).
    await sw.getByRole('link', { name: 'Record a review conference' }).click();
    await at(sw, `${planUrl}/reviews/new`);
    await date(sw, 'heldOn', '2026-11-20');
    await sw.fill('#chair', 'Jane Rowe');
    await people(sw, 'attendees');
    await sw.getByLabel('The child protection plan ends').check();
    await sw.fill('#decisions', 'Kai is safe with Mum: the plan ends and a child in need plan follows.');
    await sw.locator('input[name^="rating__"][value="achieved"]').check();
    await submit(sw, 'Save the review conference');
    expect(await errorSummary(sw)).toContain('rule 8841');
    await date(sw, 'heldOn', '2026-11-24');
    await submit(sw, 'Save the review conference');
    await at(sw, planUrl);
    expect(await sw.locator('[data-testid="plan-status"]').textContent()).toContain('Ended');
    expect(await mainText(sw)).toContain('A review conference decided the child no longer needs a plan');
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  }, 420_000);
});
