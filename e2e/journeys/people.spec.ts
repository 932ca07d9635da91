import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, anAdult, aProfessional, aRelationship } from '../../test/builders/people.ts';
import type { Page } from 'playwright-core';
import {
  collectConsoleErrors,
  expectAccessible,
  signInWithPassword,
  typingCounter,
  startJourney,
  type Journey,
} from '../fixtures.ts';

/**
 * "Is this child known?" to the child's record: search → create with a duplicate warning → the record →
 * add a relationship → a case note → a document → each shows in the chronology; a professional's network, paged.
 * axe on every page.
 */

let journey: Journey;
let uploadDir: string;
let page: Page;
let consoleErrors: string[];
let recordPath: string;
beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-e2e-uploads-'));
  journey = await startJourney({ config: { THRESHOLD_UPLOAD_DIR: uploadDir } });
  await aChild(journey.db, {
    givenName: 'Olivia',
    familyName: 'Ashworth',
    dateOfBirth: '2017-03-04',
    postcode: 'TW1 3DX',
    nhsNumber: null,
  });
  await anAdult(journey.db, {
    givenName: 'Claire',
    familyName: 'Ashworth',
    dateOfBirth: '1986-04-12',
    sex: 'F',
    postcode: 'TW1 3DX',
    warnings: [{ kind: 'interpreter-needed', details: 'Polish interpreter for meetings' }],
  });
});
afterAll(async () => {
  await journey?.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

describe('people and the child’s record', () => {
  it('searches, and creating a record shows the likely duplicate first', async () => {
    page = await journey.newPage();
    consoleErrors = collectConsoleErrors(page);
    await signInWithPassword(page, 'social-worker');
    await page.waitForURL((url) => url.pathname === '/');

    // Is this child known?
    await page.getByRole('link', { name: 'Find a person' }).first().click();
    await page.waitForURL((url) => url.pathname === '/people');
    await expectAccessible(page);
    await page.getByLabel('Name', { exact: true }).fill('Livvy Ashworth');
    await page.getByLabel('Day').fill('4');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('2017');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/people' && url.searchParams.get('name') === 'Livvy Ashworth',
    );
    const results = page.getByTestId('search-results');
    expect(await results.textContent()).toContain('Olivia Ashworth');
    expect(await results.textContent()).toContain('Same date of birth');
    await expectAccessible(page);

    // Not sure it is her: create a record, and the likely duplicate is shown first.
    await page.getByRole('link', { name: 'Create a new record' }).click();
    await page.waitForURL((url) => url.pathname === '/people/new');
    await expectAccessible(page);
    expect(await page.getByLabel('First name', { exact: true }).inputValue()).toBe('Livvy');
    await page.getByLabel('A child or young person').check();
    await page.getByRole('group', { name: 'Sex' }).getByLabel('Female').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('likely-duplicates').waitFor();
    expect(await page.getByTestId('likely-duplicates').textContent()).toContain('Olivia Ashworth');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create the record' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Confirm that none of these records is the person',
    );
    await expectAccessible(page);
    await page.getByLabel('I have checked: none of these is the person I am adding').check();
    await page.getByRole('button', { name: 'Create the record' }).click();
    await page.waitForURL((url) => /^\/people\/[0-9a-f-]{36}$/.test(url.pathname));
    recordPath = new URL(page.url()).pathname;
    expect(await page.locator('h1').textContent()).toBe('Livvy Ashworth');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Record created: RT');
    await expectAccessible(page);
  });

  it('adds her mother, found on the system, to the family network', async () => {
    await page.getByRole('link', { name: 'Add a relationship' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/relationships/new'));
    await expectAccessible(page);
    await page.getByLabel('Find the person on the system').fill('Claire Ashworth');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'Claire Ashworth');
    await page.getByLabel('Claire Ashworth').check();
    await page.getByLabel('What are they to Livvy?').selectOption('parent');
    await page
      .getByRole('group', { name: 'Do they live in the same household as Livvy?' })
      .getByLabel('Yes')
      .check();
    await page
      .getByRole('group', { name: 'Do they have parental responsibility for Livvy?' })
      .getByLabel('Yes')
      .check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add relationship' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/family`);
    expect(await page.getByTestId('family-members').textContent()).toContain('Mother');
    expect(await page.getByTestId('family-members').textContent()).toContain('Warning: Interpreter needed');
    expect(await page.locator('svg.app-genogram title').textContent()).toContain('Livvy Ashworth');
    await expectAccessible(page);
  });

  it('marks her grandmother as in the family network and records a family network meeting', async () => {
    await page.getByRole('link', { name: 'See the family network, its meetings and support' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/family-network`);
    await page.getByRole('link', { name: 'Add someone to the family network' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/family-network/new`);
    await page.getByLabel('Someone not on the record').check();
    await page.getByLabel('First name').fill('Margaret');
    await page.getByLabel('Last name').fill('Hollis');
    await page.getByLabel('Grandparent').check();
    await page.getByLabel('Phone number (optional)').fill('07700 900311');
    await page.getByLabel('Respite (short breaks)').check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add to the network' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/family-network`);
    expect(await page.getByTestId('network-members').textContent()).toContain('Margaret Hollis');
    await page.getByRole('link', { name: 'Record a family network meeting' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/family-network/meetings/new`);
    const heldOn = page.getByRole('group', { name: 'When was the meeting?' });
    await heldOn.getByLabel('Day').fill('2');
    await heldOn.getByLabel('Month').fill('11');
    await heldOn.getByLabel('Year').fill('2026');
    await page.getByLabel('Who facilitated the meeting?').fill('Rhiannon Price');
    await page.getByLabel('Not part of an episode').check();
    await page
      .getByRole('group', { name: 'Who from the family network came?' })
      .getByLabel('Margaret Hollis')
      .check();
    await page.getByLabel('The family’s own plan').fill('Margaret will have Livvy every other weekend.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save the meeting' }).click();
    await page.waitForURL((url) => /\/family-network\/meetings\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(await page.getByTestId('family-plan').textContent()).toContain('every other weekend');
    await expectAccessible(page);
  });

  it('records a home visit, typing only what is new: the date opens as today', async () => {
    await page.goto(`${recordPath}/case-notes/new`);
    await expectAccessible(page);
    const typing = typingCounter();
    await page.getByLabel('Visit', { exact: true }).check();
    // The date it happened opens as today (the usual answer), so it is not typed.
    const today = new Date();
    const dateGroup = page.getByRole('group', { name: 'Date it happened' });
    expect(await dateGroup.getByLabel('Day').inputValue()).toBe(String(today.getDate()));
    expect(await dateGroup.getByLabel('Month').inputValue()).toBe(String(today.getMonth() + 1));
    expect(await dateGroup.getByLabel('Year').inputValue()).toBe(String(today.getFullYear()));
    await typing.fill(page, page.getByLabel('Title'), 'First home visit');
    await typing.fill(page, page.getByLabel('Case note', { exact: true }), 'Met Livvy and her mum at home.');
    await page.getByRole('group', { name: 'Was Livvy seen?' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Was Livvy seen alone?' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Was Livvy’s bedroom seen?' }).getByLabel('Yes').check();
    await typing.fill(
      page,
      page.getByLabel('What Livvy said (their own words, optional)'),
      'I like my bedroom',
    );
    // Three facts were new (what the visit was, what happened, Livvy's words): three fields typed, each once.
    expect(typing.typed).toHaveLength(3);
    await page.getByRole('button', { name: 'Save case note' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/case-notes`);
    expect(await page.getByTestId('case-notes').textContent()).toContain('Child seen alone; bedroom seen');
    await expectAccessible(page);
  });

  it('uploads a document', async () => {
    await page.goto(`${recordPath}/documents/new`);
    await expectAccessible(page);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'school-report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\nA school report\n%%EOF\n'),
    });
    await page.getByLabel('Title').fill('School report');
    await page.getByLabel('What kind of document is it?').selectOption('report');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/documents`);
    expect(await page.getByTestId('documents').textContent()).toContain('School report');
    await expectAccessible(page);
  });

  it('shows each of them in the chronology, which can be printed', async () => {
    await page.getByRole('link', { name: 'Chronology' }).click();
    await page.waitForURL((url) => url.pathname === `${recordPath}/chronology`);
    const chronology = await page.getByTestId('chronology').textContent();
    expect(chronology).toContain('Record created');
    expect(chronology).toContain('Mother added to the family network: Claire Ashworth');
    expect(chronology).toContain('Visit: First home visit');
    expect(chronology).toContain('Document added: School report');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Print this chronology' }).click();
    await page.waitForURL((url) => url.searchParams.get('print') === 'yes');
    await expectAccessible(page);
  });

  it('shows her own words on the summary', async () => {
    // The summary shows her own words, her mother and the warning-free header; the edit page is accessible too.
    await page.goto(recordPath);
    expect(await page.locator('body').textContent()).toContain('I like my bedroom');
    await expectAccessible(page);
    await page.goto(`${recordPath}/edit`);
    await expectAccessible(page);
    // A form sent back with errors answers 400, which the browser logs; nothing else may be logged.
    expect(consoleErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('a team manager compares and merges the duplicate, explained on both records', async () => {
    page = await journey.newPage();
    await signInWithPassword(page, 'team-manager');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/people?name=Olivia+Ashworth');
    await page.getByTestId('search-results').getByRole('link', { name: 'Olivia Ashworth' }).click();
    const keptPath = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'Merge with a duplicate record' }).click();
    await expectAccessible(page);
    await page.getByLabel(/Livvy Ashworth/).check();
    await page.getByRole('button', { name: 'Compare the records' }).click();
    await page.getByRole('heading', { name: 'Compare the records' }).waitFor();
    await expectAccessible(page);
    expect(await page.locator('.govuk-warning-text').count()).toBe(0);
    await page.getByLabel(/This record: Olivia Ashworth/).check();
    await page
      .getByLabel('Why are these the same person?')
      .fill('Same child: Livvy is what Olivia is called at school');
    await page.getByLabel('I have checked these records are the same person').check();
    await page.getByRole('button', { name: 'Merge the records' }).click();
    await page.waitForURL((url) => url.pathname === keptPath);
    expect(await page.getByTestId('merges').textContent()).toContain(
      'Livvy is what Olivia is called at school',
    );
    await expectAccessible(page);
  });

  it('a school nurse involved with many children: her network is paged, axe-checked on each page', async () => {
    const nurse = await aProfessional(journey.db, {
      givenName: 'Nadia',
      familyName: 'Busy',
      professionalRole: 'School nurse',
    });
    for (let i = 0; i < 55; i++) {
      const child = await aChild(journey.db, {
        givenName: `Pupil${String(i).padStart(2, '0')}`,
        familyName: 'Caseload',
        dateOfBirth: '2015-01-01',
      });
      await aRelationship(journey.db, child, nurse, 'professional-involved');
    }
    const sw = await journey.newPage();
    await signInWithPassword(sw, 'social-worker');
    await sw.goto(`/people/${nurse.id}/family`);
    await sw.waitForURL((url) => url.pathname === `/people/${nurse.id}/family`);
    expect(await sw.getByTestId('family-showing').textContent()).toBe('Showing 1 to 50 of 55 people');
    await expectAccessible(sw);
    await sw.getByRole('link', { name: 'Next' }).click();
    await sw.waitForURL((url) => url.searchParams.get('page') === '2');
    expect(await sw.getByTestId('family-showing').textContent()).toBe('Showing 51 to 55 of 55 people');
    expect(await sw.locator('[data-testid="family-members"] tbody tr').count()).toBe(5);
    await expectAccessible(sw);
    await sw.close();
  });
});
