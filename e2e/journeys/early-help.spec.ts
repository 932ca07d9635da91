import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixedClock } from '../../src/kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../src/kernel/working-days/index.ts';
import { createContact } from '../../src/modules/front-door/index.ts';
import { openCinReferral } from '../../src/modules/social-care/referral.service.ts';
import { aChild, anAdult, anAllocation, aRelationship, userIdFor } from '../../test/builders/people.ts';
import { teamId } from '../../test/builders/organisation.ts';
import {
  aCompletedAssessment,
  anAgreedPlan,
  anEarlyHelpEpisode,
  aReview,
  currentUserFor,
} from '../../test/builders/early-help.ts';
import { withCensusDetails, contextFor } from '../../test/builders/social-care.ts';
import {
  at,
  collectConsoleErrors,
  expectAccessible,
  fillDate,
  journeyForFile,
  mainText,
  signInWithPassword,
  submit,
  typingCounter,
} from '../fixtures.ts';

type Typing = ReturnType<typeof typingCounter>;
import { serviceContext } from '../../test/builders/early-help.ts';

/**
 * Early help, end to end, on a fixed clock (Tuesday 24 November 2026):
 * 1. A front-door decision opens early help for Ellie (the MASH worker's decision and the manager's authorisation, on
 *    the front door's pages) → the early help practitioner takes the family as lead practitioner → adds the school
 *    nurse to the team around the family → completes the assessment (refused first without its risk analysis) → a manager records oversight → the plan's
 *    goals meet every need and worry, and the plan is agreed and printed → two reviews with rising scores → the
 *    child's feedback → closure → six months on, the follow-up → the impact page shows the family's distance
 *    travelled.
 * 2. Step-up: the lead practitioner sends the family back to the front door with the early help history; the MASH
 *    worker reads it on the contact.
 * 3. Step-up to social care: the school's lead practitioner steps up in the browser; the contact arrives with the
 *    family linked; the MASH practitioner decides social care; the MASH manager completes the child's census details
 *    from the authorisation page and authorises, then follows the referral into social care; the social worker reads
 *    the early help history on the episode.
 * 4. Step-down: the social worker hands a family over on social care's step-down page, with the handover meeting;
 *    the proposed lead practitioner accepts on the handover page, from their worktray.
 * Axe runs on every page visited.
 */

const clock = fixedClock('2026-11-24T10:30:00Z');
const journey = journeyForFile({ clock });

beforeAll(async () => {
  // The team manager manages the early help service too, so early help's oversight comes to their worktray.
  const tom = await userIdFor(journey.db, 'team-manager');
  await journey.db
    .updateTable('teams')
    .set({ managerUserId: tom })
    .where('name', '=', 'Early Help Service')
    .execute();
});

const ELLIE_REASON = 'Ellie has missed a third of this term; her mum Jo says she is struggling.';

const scale = async (page: Page, name: string, value: number) =>
  page.locator(`input[name="${name}"][value="${value}"]`).check();
const date = fillDate;

/**
 * A front-door decision through the front door's pages: the contact is taken (the contact officer's intake, through
 * its service), then the MASH worker records an early help decision and the MASH manager authorises it to the
 * cluster team. Those pages are checked for accessibility in the front-door journey, so not again here.
 */
async function frontDoorDecision(childId: string, typing: Typing): Promise<void> {
  const officer = await currentUserFor(journey.db, 'contact-officer');
  const school = await journey.db
    .selectFrom('agencies')
    .select('id')
    .where('name', '=', 'Orchard Primary School')
    .executeTakeFirstOrThrow();
  // The school phones: chosen once, the school is the census source (2A) and Ellie's school.
  const contact = await journey.db.transaction().execute((trx) =>
    createContact(serviceContext(trx, officer, clock.now(), englandAndWalesCalendar), {
      localAuthorityId: officer.localAuthorityId!,
      channel: 'phone',
      referrer: { name: 'Ms Patel', agencyId: school.id },
      concernCategories: ['school-attendance', 'parenting'],
      reason: ELLIE_REASON,
      consent: 'given',
      urgency: 'routine',
      children: [{ personId: childId }],
      adults: [{ givenName: 'Jo', familyName: 'Hartwell', role: 'mother' }],
    }),
  );
  expect(
    await journey.db
      .selectFrom('contacts')
      .select('referralSource')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow(),
  ).toEqual({ referralSource: '2A' });
  const contactUrl = `/front-door/contacts/${contact.id}`;
  const mash = await journey.newPage();
  await signInWithPassword(mash, 'mash-practitioner');
  await mash.waitForURL((url) => url.pathname === '/');
  await mash.goto(`${contactUrl}/decision`);
  await mash.getByLabel(/Level 2 – early help/).check();
  await mash.getByLabel('Early help / family support').check();
  await typing.fill(
    mash,
    mash.getByLabel('Rationale'),
    'Additional needs; Jo consents; no safeguarding concern.',
  );
  await typing.fill(mash, mash.getByLabel('Feedback to the referrer'), 'Early help will contact the family.');
  await submit(mash, 'Record decision');
  await mash.waitForURL((url) => url.pathname === contactUrl);
  expect(await mainText(mash)).toContain('Awaiting a manager’s authorisation');
  const manager = await journey.newPage();
  await signInWithPassword(manager, 'mash-manager');
  await manager.waitForURL((url) => url.pathname === '/');
  await manager.goto(`${contactUrl}/authorisation`);
  await manager.getByLabel('Yes, authorise it').check();
  await manager
    .getByLabel('Early help team (optional)')
    .selectOption({ label: 'Early Help – Richmond and Kew cluster' });
  await typing.fill(
    manager,
    manager.getByLabel('Your rationale', { exact: true }),
    'Agreed: early help in the Richmond and Kew cluster.',
  );
  await submit(manager, 'Save');
  await manager.waitForURL((url) => url.pathname === contactUrl);
  expect(await manager.locator('.govuk-notification-banner').textContent()).toMatch(
    /Early help episode EH-2026-\d{5} opened/,
  );
}

describe('early help', () => {
  it('front-door decision → episode → assessment with risk analysis → plan → two reviews → feedback → closure → follow-up → impact', async () => {
    const child = await aChild(journey.db, {
      givenName: 'Ellie',
      familyName: 'Hartwell',
      dateOfBirth: '2015-02-03',
    });
    // Every field typed from the decision to the agreed plan is counted: none may be a fact already on the record.
    const typing = typingCounter();
    await frontDoorDecision(child.id, typing);

    // The early help practitioner finds the family among their team's and takes them on.
    const eh = await journey.newPage();
    const errors = collectConsoleErrors(eh);
    await signInWithPassword(eh, 'early-help-practitioner');
    await at(eh, '/');
    await eh.getByRole('link', { name: 'Early help', exact: true }).first().click();
    await at(eh, '/early-help');
    await eh.getByRole('link', { name: 'My team’s families' }).click();
    await at(eh, '/early-help');
    await eh.locator('[data-testid="episodes"] tr:has-text("Ellie Hartwell") a').first().click();
    await at(eh, /^\/early-help\/episodes\/[0-9a-f-]{36}$/);
    const episodeUrl = new URL(eh.url()).pathname;
    const episodeId = episodeUrl.split('/').pop()!;
    expect(await mainText(eh)).toContain('Front-door decision');
    await eh.getByRole('link', { name: 'Change the lead practitioner' }).click();
    await at(eh, `${episodeUrl}/lead-practitioner`);
    await eh
      .getByLabel('Lead practitioner', { exact: true })
      .selectOption({ label: 'Eve Halpern, Family support worker – Early Help – Richmond and Kew cluster' });
    await typing.fill(
      eh,
      eh.getByLabel('The family’s preference (optional)'),
      'Jo asked for someone who can visit after school',
    );
    await submit(eh, 'Save lead practitioner');
    await at(eh, episodeUrl);
    expect(await eh.locator('[data-testid="episode-summary"]').textContent()).toContain('Eve Halpern');

    // The team around the family: the school nurse.
    await eh.getByRole('link', { name: 'Add to the team around the family' }).click();
    await at(eh, `${episodeUrl}/team`);
    await eh.getByLabel('No, enter their details').check();
    await typing.fill(eh, eh.getByLabel('Name', { exact: true }), 'Amara Obi');
    await eh
      .getByLabel('Agency', { exact: true })
      .selectOption({ label: 'Kingston and Richmond NHS Foundation Trust' });
    await typing.fill(eh, eh.getByLabel('Their role with the family (optional)'), 'School nurse');
    await expectAccessible(eh);
    await submit(eh, 'Add to the team');
    await at(eh, `${episodeUrl}/team`);
    expect(await eh.locator('[data-testid="taf-members"]').textContent()).toContain(
      'Kingston and Richmond NHS Foundation Trust',
    );

    // The assessment: completing it without the risk analysis is refused.
    await eh.getByRole('link', { name: 'Assessment', exact: true }).click();
    await at(eh, `${episodeUrl}/assessment`);
    // It opens with what the contact said: the reason, the household, and the school as a professional involved.
    expect(await eh.locator('#household__reason').inputValue()).toBe(ELLIE_REASON);
    expect(await eh.locator('#household__members__0__name').inputValue()).toBe('Jo Hartwell');
    expect(await eh.locator('#household__members__0__relationship').inputValue()).toBe('Mother');
    expect(await eh.locator('#household__members__1__name').inputValue()).toBe('Ellie Hartwell');
    expect(await eh.locator('#household__professionals').inputValue()).toContain(
      'School: Orchard Primary School (Ellie Hartwell)',
    );
    await typing.fill(eh, '#household__network', 'Grandma Pat helps twice a week.');
    for (const d of ['childDevelopment', 'parentingCapacity', 'familyEnvironment']) {
      await typing.fill(eh, `#${d}__strengths`, 'A warm, loving relationship.');
      await scale(eh, `${d}__score`, 2);
    }
    await typing.fill(eh, '#childDevelopment__needs__0__need', 'Ellie needs to be in school every day');
    await eh.selectOption('#childDevelopment__needs__0__outcome', 'education');
    await typing.fill(
      eh,
      '#voices__childsWords',
      'I like school when my friends are there. I worry about Mum.',
    );
    await typing.fill(eh, '#voices__parentsViews', 'Jo wants help with mornings.');
    await typing.fill(eh, '#analysis__summary', 'Routines and Jo’s health; the worry is missed school.');
    await submit(eh, 'Complete the assessment');
    await eh.locator('.govuk-error-summary').waitFor();
    await expectAccessible(eh);
    expect(await eh.locator('.govuk-error-summary').textContent()).toContain(
      'Risk analysis: add at least one worry',
    );
    await typing.fill(eh, '#riskAnalysis__worries__0__what', 'Ellie has missed a third of school this term');
    await typing.fill(eh, '#riskAnalysis__worries__0__whoIsWorried', 'The school and Jo');
    await typing.fill(eh, '#riskAnalysis__worries__0__impact', 'Ellie falls behind and loses her friends');
    await typing.fill(eh, '#riskAnalysis__workingWell', 'Jo asked for help; Ellie loves art club.');
    await typing.fill(eh, '#riskAnalysis__complicatingFactors', 'Jo’s anxiety makes mornings hard.');
    await scale(eh, 'riskAnalysis__workerScale', 4);
    await scale(eh, 'riskAnalysis__familyScale', 5);
    await typing.fill(
      eh,
      '#riskAnalysis__needsToHappen',
      'A morning routine that works, and support for Jo.',
    );
    await submit(eh, 'Complete the assessment');
    await at(eh, `${episodeUrl}/plan`);

    // A manager records oversight of the assessment, from their worktray.
    const manager = await journey.newPage();
    await signInWithPassword(manager, 'team-manager');
    await at(manager, '/');
    await manager.locator(`a[href="${episodeUrl}/assessment/oversight"]`).first().click();
    await at(manager, `${episodeUrl}/assessment/oversight`);
    await manager.getByLabel('I agree the assessment and its analysis of risk').check();
    await typing.fill(
      manager,
      manager.getByLabel('Your rationale'),
      'The worry is specific, the impact on Ellie is clear, and both scalings are recorded.',
    );
    await submit(manager, 'Record oversight');
    await at(manager, episodeUrl);

    // The plan: one goal meets the worry and the need; then agreed and printed.
    await eh.getByRole('link', { name: 'Add a goal' }).click();
    await at(eh, `${episodeUrl}/plan/goals/new`);
    await eh.locator('input[name="itemIds"]').nth(0).check();
    await eh.locator('input[name="itemIds"]').nth(1).check();
    await typing.fill(eh, eh.getByLabel('What will change'), 'Ellie is in school every day, on time');
    await typing.fill(
      eh,
      eh.getByLabel('What will be done (the actions)'),
      'Breakfast club; a morning routine chart; a weekly check-in with the learning mentor',
    );
    await typing.fill(eh, eh.getByLabel('Who will do it'), 'Jo, Ellie and Ms Patel');
    await typing.fillDate(eh, 'byWhen', '2027-02-26');
    // The Supporting Families outcome was chosen for the need in the assessment: the goal carries it.
    expect(await eh.locator('input[name="outcomeHeading"][value="from-needs"]').isChecked()).toBe(true);
    await scale(eh, 'baselineScore', 3);
    await submit(eh, 'Save goal');
    await eh.locator('.govuk-error-summary').waitFor();
    await expectAccessible(eh);
    expect(await eh.locator('.govuk-error-summary').textContent()).toContain(
      'Say how we will know the goal has been met',
    );
    await typing.fill(eh, eh.getByLabel('How we will know'), 'Attendance above 95% for six weeks');
    await submit(eh, 'Save goal');
    await at(eh, `${episodeUrl}/plan`);
    expect(await mainText(eh)).toContain('Getting a good education (from the needs it meets)');
    // What was typed from the decision to the plan: only facts the record did not hold. The reason, the household,
    // the school and the goal's outcome came with it.
    expect(typing.typed).toEqual([
      'rationale',
      'referrerFeedback',
      'rationale',
      'familyPreference',
      'name',
      'role',
      'household__network',
      'childDevelopment__strengths',
      'parentingCapacity__strengths',
      'familyEnvironment__strengths',
      'childDevelopment__needs__0__need',
      'voices__childsWords',
      'voices__parentsViews',
      'analysis__summary',
      'riskAnalysis__worries__0__what',
      'riskAnalysis__worries__0__whoIsWorried',
      'riskAnalysis__worries__0__impact',
      'riskAnalysis__workingWell',
      'riskAnalysis__complicatingFactors',
      'riskAnalysis__needsToHappen',
      'rationale',
      'whatWillChange',
      'actions',
      'who',
      'byWhen',
      'measure',
    ]);
    await eh.getByRole('link', { name: 'Agree the plan' }).click();
    await at(eh, `${episodeUrl}/plan/agree`);
    await eh.getByLabel('Yes').check();
    await submit(eh, 'Agree the plan');
    await at(eh, `${episodeUrl}/plan`);
    await eh.getByRole('link', { name: 'The family’s copy (print or save as PDF)' }).click();
    await at(eh, `${episodeUrl}/plan/print`);
    expect(await eh.locator('h1').textContent()).toBe('Our family plan');
    await eh.emulateMedia({ media: 'print' });
    expect(await eh.locator('.govuk-header').isVisible()).toBe(false);
    await eh.emulateMedia({ media: 'screen' });

    // Two reviews with rising scores.
    const goalId = (
      await journey.db
        .selectFrom('earlyHelpGoals')
        .select('id')
        .where('episodeId', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).id;
    const memberId = (
      await journey.db
        .selectFrom('earlyHelpTafMembers')
        .select('id')
        .where('episodeId', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).id;
    for (const [i, s] of [
      [1, { worker: 5, family: 6, goal: 5, domain: 3, child: 'Breakfast club is fun' }],
      [2, { worker: 7, family: 8, goal: 7, domain: 4, child: 'I got a star for coming every day' }],
    ] as const) {
      await eh.goto(episodeUrl);
      await at(eh, episodeUrl);
      await eh.getByRole('link', { name: 'Record a team-around-the-family meeting' }).click();
      await at(eh, `${episodeUrl}/reviews/new`);
      await date(eh, 'heldOn', '2026-11-24');
      await eh.locator(`input[name="attendance-${memberId}"][value="attended"]`).check();
      await eh.getByLabel('Who attended from the family (optional)').fill('Jo and Ellie');
      await scale(eh, `goal-${goalId}-score`, s.goal);
      await eh.fill(`#goal-${goalId}-progress`, `Review ${i}: attendance improving`);
      await eh.selectOption(`#goal-${goalId}-status`, 'open');
      await scale(eh, 'workerScale', s.worker);
      await scale(eh, 'familyScale', s.family);
      for (const d of ['childDevelopment', 'parentingCapacity', 'familyEnvironment'])
        await scale(eh, `domain-${d}`, s.domain);
      await eh.getByLabel('The child’s views, in their own words').fill(s.child);
      await eh.getByLabel('The family’s views').fill('Mornings are calmer.');
      await eh.getByLabel('Continue with the plan').check();
      await eh.getByLabel('Why', { exact: true }).fill('Progress on the goal.');
      await expectAccessible(eh);
      await submit(eh, 'Save the meeting');
      await at(eh, /\/reviews\/[0-9a-f-]{36}$/);
      expect(await eh.locator('[data-testid="meeting-scores"]').textContent()).toContain(
        `${s.worker} out of 10`,
      );
    }

    // The child's feedback, then closure.
    await eh.goto(`${episodeUrl}/feedback/new?stage=closure`);
    await at(eh, `${episodeUrl}/feedback/new`);
    await eh.getByLabel('A child or young person').check();
    await eh.getByLabel('Their first name (optional)').fill('Ellie');
    await eh.getByLabel('Yes, they listened').check();
    await eh.getByLabel('Yes, you helped').check();
    await eh.getByLabel('Better', { exact: true }).check();
    await eh.getByLabel('Yes, I know').check();
    await eh
      .getByLabel('Is there anything else you want to tell us? (optional)')
      .fill('Eve was kind and funny');
    await date(eh, 'givenOn', '2026-11-24');
    await submit(eh, 'Save feedback');
    await at(eh, `${episodeUrl}/closure`);
    await date(eh, 'closedOn', '2026-11-24');
    await eh.getByLabel('The family’s needs are met').check();
    await eh.getByLabel('Outcomes achieved: things are better for the child').check();
    await eh
      .getByLabel('What changed for the child and family')
      .fill('Ellie is in school every day; Jo has support for her anxiety.');
    await scale(eh, 'workerScale', 8);
    await scale(eh, 'familyScale', 9);
    for (const d of ['childDevelopment', 'parentingCapacity', 'familyEnvironment'])
      await scale(eh, `domain-${d}`, 4);
    await eh.selectOption(`#goal-${goalId}-status`, 'achieved');
    await scale(eh, `goal-${goalId}-score`, 9);
    await expectAccessible(eh);
    await submit(eh, 'Close early help');
    await at(eh, `${episodeUrl}/outcomes`);
    expect(await eh.locator('[data-testid="scales"]').textContent()).toContain('+4');
    expect(await mainText(eh)).toContain('“Eve was kind and funny”');

    // Six months later, the follow-up: on the worktray, and recorded.
    await journey.db
      .updateTable('earlyHelpFollowUps')
      .set({ dueOn: '2026-11-24' })
      .where('episodeId', '=', episodeId)
      .execute();
    await eh.goto('/');
    await at(eh, '/');
    expect(await mainText(eh)).toContain('Check early help outcomes were sustained');
    await eh.locator(`a[href="${episodeUrl}/follow-up"]`).first().click();
    await at(eh, `${episodeUrl}/follow-up`);
    await eh.locator(`input[name="goal-${goalId}-sustained"][value="yes"]`).check();
    await eh.locator('input[name="sustained"][value="yes"]').check();
    await eh
      .getByLabel('How you checked, and what you found')
      .fill('Spoke to Jo and the school: attendance is 97%.');
    await submit(eh, 'Save the follow-up');
    await at(eh, `${episodeUrl}/outcomes`);
    expect(await eh.locator('[data-testid="sustained"]').textContent()).toContain('Yes, sustained');

    // The impact page shows the family's distance travelled, and the episodes behind the numbers.
    await manager.goto('/early-help');
    await at(manager, '/early-help');
    await manager.getByRole('link', { name: 'The impact of early help' }).click();
    await at(manager, '/early-help/impact');
    const reference = (
      await journey.db
        .selectFrom('earlyHelpEpisodes')
        .select('reference')
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow()
    ).reference;
    const row = (await manager
      .locator(`[data-testid="families"] tr:has-text("${reference}")`)
      .textContent())!.replace(/\s+/g, ' ');
    expect(row).toContain('4 → 8');
    expect(row).toContain('5 → 9');
    await manager.locator('[data-testid="by-need"] a').first().click();
    await at(manager, '/early-help/impact/episodes');
    expect(await manager.locator('[data-testid="drill-down"]').textContent()).toContain(reference);
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  }, 300_000);

  it('step-up: the lead practitioner sends the family back to the front door with the early help history', async () => {
    const now = clock.now();
    const { episode } = await anEarlyHelpEpisode(journey.db, {
      now,
      children: [await aChild(journey.db, { givenName: 'Toby', familyName: 'Stepton' })],
    });
    await aCompletedAssessment(journey.db, episode.id, { now });
    const eh = await journey.newPage();
    await signInWithPassword(eh, 'early-help-practitioner');
    await at(eh, '/');
    await eh.goto(`/early-help/episodes/${episode.id}`);
    await at(eh, `/early-help/episodes/${episode.id}`);
    await eh.getByRole('link', { name: 'Step up to the front door' }).click();
    await at(eh, `/early-help/episodes/${episode.id}/step-up`);
    expect(await eh.locator('[data-testid="history"]').textContent()).toContain(
      `Early help episode ${episode.reference}`,
    );
    await eh
      .getByLabel('Why early help is stepping up')
      .fill('Toby told his teacher that his mum’s boyfriend hit him.');
    await eh.getByLabel('What you are worried about now').fill('Physical harm to Toby at home.');
    await eh.getByLabel('Physical harm or injury').check();
    await eh.getByLabel('They were not asked, because asking could put a child at greater risk').check();
    await eh
      .getByLabel('If they do not agree, or were not asked: why')
      .fill('Telling mum could put Toby at risk.');
    await eh.getByLabel('Immediate: a child may be at risk of significant harm now').check();
    await expectAccessible(eh);
    await submit(eh, 'Send to the front door');
    await at(eh, `/early-help/episodes/${episode.id}`);
    const banner = (await eh.locator('.govuk-notification-banner').textContent())!;
    const reference = /contact (\S+) is with the front door/.exec(banner)![1]!;
    expect(await mainText(eh)).toContain(
      `Stepped up to the front door on 24 November 2026 (contact ${reference})`,
    );

    // The MASH worker reads the contact, carrying the early help history.
    const contact = await journey.db
      .selectFrom('contacts')
      .select(['id', 'reason'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(contact.reason).toContain('Early help history:');
    const mash = await journey.newPage();
    await signInWithPassword(mash, 'mash-practitioner');
    await at(mash, '/');
    await mash.goto(`/front-door/contacts/${contact.id}`);
    await at(mash, `/front-door/contacts/${contact.id}`);
    const text = await mainText(mash);
    expect(text).toContain(`Step-up from early help (${episode.reference})`);
    expect(text).toContain('Toby told his teacher');
  });

  it('step-up to social care: the school lead steps up → the MASH decides social care → census details completed → authorised → the social worker reads the early help history', async () => {
    const now = clock.now();
    const child = await aChild(journey.db, {
      givenName: 'Jayden',
      familyName: 'Upward',
      dateOfBirth: '2016-03-14',
      sex: 'M',
      ethnicityCode: null,
      upnUnknownReason: 'UN4',
    });
    await journey.db.insertInto('personDisabilities').values({ personId: child.id, code: 'NONE' }).execute();
    const mum = await anAdult(journey.db, { givenName: 'Kerry', familyName: 'Upward', sex: 'F' });
    await aRelationship(journey.db, child, mum, 'parent', { livesWith: true, parentalResponsibility: true });
    const { episode } = await anEarlyHelpEpisode(journey.db, {
      now,
      children: [child],
      lead: 'partner-lead-practitioner',
    });
    const plan = await anAgreedPlan(journey.db, episode.id, { now });
    await aReview(journey.db, episode.id, {
      now,
      heldOn: '2026-11-24',
      workerScale: 4,
      familyScale: 5,
      goals: [{ goalId: plan.goalId, score: 4 }],
    });

    // 1. Sam Lowe, the school's lead practitioner, steps up with the early help history.
    const school = await journey.newPage();
    await signInWithPassword(school, 'partner-lead-practitioner');
    await at(school, '/');
    await school.goto(`/early-help/episodes/${episode.id}`);
    await at(school, `/early-help/episodes/${episode.id}`);
    await school.getByRole('link', { name: 'Step up to the front door' }).click();
    await at(school, `/early-help/episodes/${episode.id}/step-up`);
    await school
      .getByLabel('Why early help is stepping up')
      .fill('Jayden came to school with bruises on his arms and said his mum’s partner grabbed him.');
    await school.getByLabel('What you are worried about now').fill('Physical harm to Jayden at home.');
    await school.getByLabel('Physical harm or injury').check();
    await school.getByLabel('They were not asked, because asking could put a child at greater risk').check();
    await school
      .getByLabel('If they do not agree, or were not asked: why')
      .fill('Telling mum could put Jayden at risk.');
    await school.getByLabel('Immediate: a child may be at risk of significant harm now').check();
    await submit(school, 'Send to the front door');
    await at(school, `/early-help/episodes/${episode.id}`);
    const reference = /contact (\S+) is with the front door/.exec(
      (await school.locator('.govuk-notification-banner').textContent())!,
    )![1]!;
    await school.close();
    const contact = await journey.db
      .selectFrom('contacts')
      .select(['id', 'status'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const contactUrl = `/front-door/contacts/${contact.id}`;
    // The children (and the mother) arrive linked, the known check already recorded: the contact awaits a decision.
    expect(contact.status).toBe('awaiting-decision');

    // 2. The MASH practitioner decides social care, without checking again whether Jayden is known.
    const mash = await journey.newPage();
    await signInWithPassword(mash, 'mash-practitioner');
    await at(mash, '/');
    await mash.goto(contactUrl);
    await at(mash, contactUrl);
    expect(await mainText(mash)).toContain(`Step-up from early help (${episode.reference})`);
    expect(await mash.locator(`a[href^="${contactUrl}/children/"][href$="/check"]`).count()).toBe(0);
    await mash.goto(`${contactUrl}/decision`);
    await at(mash, `${contactUrl}/decision`);
    await mash.getByLabel(/Level 4 – acute or specialist/).check();
    await mash.getByLabel('Referral to children’s social care for assessment', { exact: true }).check();
    await mash
      .getByLabel('Rationale')
      .fill('Disclosure of physical harm by the mother’s partner: a child and family assessment is needed.');
    await mash
      .getByLabel('Feedback to the referrer')
      .fill('Children’s social care will assess; thank you for the early help history.');
    await submit(mash, 'Record decision');
    await at(mash, contactUrl);
    await mash.close();

    // 3. The MASH manager sees the census details the referral needs, completes Jayden's ethnicity, and authorises.
    const manager = await journey.newPage();
    await signInWithPassword(manager, 'mash-manager');
    await at(manager, '/');
    await manager.goto(`${contactUrl}/authorisation`);
    await at(manager, `${contactUrl}/authorisation`);
    expect(await manager.locator('[data-testid="census-details"]').textContent()).toContain(
      'Ethnicity: not recorded',
    );
    await manager.getByRole('link', { name: /Complete or change/ }).click();
    await at(manager, /\/census-details$/);
    await manager.getByLabel('Ethnicity').selectOption('WBRI');
    await submit(manager, 'Save census details');
    await at(manager, `${contactUrl}/authorisation`);
    expect(await manager.locator('.govuk-notification-banner').textContent()).toContain(
      'Jayden Upward’s census details have been saved',
    );
    await manager.getByLabel('Yes, authorise it').check();
    await manager.getByLabel('Team the referral goes to').selectOption({ label: 'Assessment Team' });
    await manager
      .getByLabel('Your rationale', { exact: true })
      .fill('Agreed: assessment by the Assessment Team.');
    await submit(manager, 'Save');
    await at(manager, contactUrl);
    expect(await manager.locator('.govuk-notification-banner').textContent()).toMatch(
      /Referral to children’s social care opened: CIN-2026-\d{5}/,
    );
    // The manager follows the referral into social care from the contact.
    await manager.locator('[data-testid="referrals"] a').first().click();
    await at(manager, /^\/social-care\/episodes\/[0-9a-f-]{36}$/);
    const cinUrl = new URL(manager.url()).pathname;
    await manager.close();

    // 4. The social worker reads the early help history on the episode.
    const sw = await journey.newPage();
    await signInWithPassword(sw, 'social-worker');
    await at(sw, '/');
    await sw.goto(cinUrl);
    await at(sw, cinUrl);
    expect(await sw.locator('[data-testid="early-help-history"]').textContent()).toContain(
      `Early help ${episode.reference}`,
    );
    await sw.getByText('The referral as the front door received it').click();
    expect(await sw.locator('[data-testid="as-received"]').textContent()).toContain('Early help history:');
    await expectAccessible(sw);
    await sw.close();
  });

  it('step-down: social care hands the family over and the new lead practitioner accepts', async () => {
    const now = clock.now();
    const child = await aChild(journey.db, { givenName: 'Rosa', familyName: 'Downey' });
    await withCensusDetails(journey.db, child.id); // a referral needs the child's census details (rules 4180, 4220, 8540)
    await anAllocation(journey.db, child, { role: 'social-worker' });
    const sw = await currentUserFor(journey.db, 'social-worker');
    const lead = await userIdFor(journey.db, 'early-help-practitioner');
    const team = await teamId(journey.db, 'Assessment Team');
    const cin = await journey.db.transaction().execute((trx) =>
      openCinReferral(contextFor(trx, sw, now), {
        childId: child.id,
        referralDate: '2026-06-01',
        referralSource: '2A',
        teamId: team,
        primaryNeedCode: 'N1',
      }),
    );
    // The social worker records the step-down and its handover meeting on social care's page (axe-checked there).
    const swPage = await journey.newPage();
    await signInWithPassword(swPage, 'social-worker');
    const stepDownUrl = `/social-care/episodes/${cin.id}/step-down`;
    await swPage.goto(stepDownUrl);
    await at(swPage, stepDownUrl);
    await date(swPage, 'handoverHeldOn', '2026-11-23');
    await swPage.fill('#attendees__1__name', 'Eve Halpern');
    await swPage.fill('#attendees__1__role', 'Family support worker');
    await swPage.fill('#attendees__2__name', 'Maria Downey');
    await swPage.fill('#attendees__2__role', 'Mother');
    await swPage
      .getByLabel('Who will lead the early help')
      .selectOption({ label: 'Eve Halpern, Family support worker (Early Help – Richmond and Kew cluster)' });
    await swPage.fill(
      '#planSummary',
      'Safety goals met; routines and school attendance carry on in early help.',
    );
    await swPage.fill('#familyPreference', 'Maria asked for Eve');
    await swPage.check('input[name="consentGiven"][value="yes"]');
    await submit(swPage, 'Step down and close the episode');
    // No assessment on the episode: a census query (8825Q) the worker explains, shown with the error summary.
    await swPage.locator('.govuk-error-summary').waitFor();
    await expectAccessible(swPage);
    expect(await swPage.locator('.govuk-error-summary').textContent()).toContain('(query 8825Q)');
    await swPage.fill(
      '#queryExplanation',
      'Maria asked for family support at the first visit: the team manager agreed no assessment was needed.',
    );
    await submit(swPage, 'Step down and close the episode');
    await at(swPage, `/social-care/episodes/${cin.id}`);
    expect(await mainText(swPage)).toContain('Stepped down to early help');
    await swPage.close();
    const stepDown = await journey.db
      .selectFrom('earlyHelpStepDowns')
      .select(['episodeId', 'proposedLeadId', 'planSummary'])
      .where('cinEpisodeId', '=', cin.id)
      .executeTakeFirstOrThrow();
    expect(stepDown).toMatchObject({
      proposedLeadId: lead,
      planSummary: 'Safety goals met; routines and school attendance carry on in early help.',
    });
    const eh = await journey.newPage();
    await signInWithPassword(eh, 'early-help-practitioner');
    await at(eh, '/');
    expect(await mainText(eh)).toContain('Step-down to accept');
    await eh.locator(`a[href="/early-help/episodes/${stepDown.episodeId}/handover"]`).first().click();
    await at(eh, `/early-help/episodes/${stepDown.episodeId}/handover`);
    expect(await eh.locator('[data-testid="handover"]').textContent()).toContain('Maria Downey');
    await eh.getByLabel('Yes, I accept the family and the plan').check();
    await submit(eh, 'Send response');
    await at(eh, `/early-help/episodes/${stepDown.episodeId}`);
    expect(await eh.locator('.govuk-notification-banner').textContent()).toContain(
      'You are now the lead practitioner for this family',
    );
    expect(await mainText(eh)).toContain('Step-down from children’s social care');
  });
});
