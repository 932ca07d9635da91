import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAdult, aProfessional, aRelationship } from '../../../test/builders/people.ts';
import { FAMILY_PAGE_SIZE } from './family.pages.ts';

const t = appForFile();

describe('family and network', () => {
  it('shows relationships, households, warnings and a genogram with a text alternative; audited', async () => {
    const child = await aChild(t.db, {
      givenName: 'Maisie',
      familyName: 'Odell',
      sex: 'F',
      dateOfBirth: '2016-01-01',
    });
    const mum = await anAdult(t.db, {
      givenName: 'Joanne',
      familyName: 'Odell',
      sex: 'F',
      warnings: [{ kind: 'risk-to-staff', details: 'Has a dog' }],
    });
    const brother = await aChild(t.db, {
      givenName: 'Alfie',
      familyName: 'Odell',
      sex: 'M',
      dateOfBirth: '2018-01-01',
    });
    await aRelationship(t.db, child, mum, 'parent', { livesWith: true, parentalResponsibility: true });
    await aRelationship(t.db, child, brother, 'sibling', { livesWith: true });
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${child.id}/family`);
    expect(res.statusCode).toBe(200);
    const table = res.$('[data-testid="family-members"]').text();
    expect(table).toContain('Joanne Odell');
    expect(table).toContain('Mother');
    expect(table).toContain('Brother');
    expect(table).toContain('Warning: Risk to staff');
    expect(table).toContain('Has parental responsibility');
    const svg = res.$('svg.app-genogram');
    expect(svg.attr('role')).toBe('img');
    expect(svg.find('title').text()).toContain('Maisie Odell');
    expect(svg.find('circle').length).toBeGreaterThanOrEqual(2);
    expect(svg.find('rect').length).toBeGreaterThanOrEqual(1);
    expect(res.$('[data-testid="genogram-text"]').text()).toContain('Joanne Odell, mother');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', child.id)
      .where('action', '=', 'family-network.viewed')
      .execute();
    expect(audit.length).toBe(1);
    // From the mother's side the child is her daughter.
    const fromMum = await sw.get(`/people/${mum.id}/family`);
    expect(fromMum.$('[data-testid="family-members"]').text()).toContain('Daughter');
  });

  it('a professional involved with many children: their links are paged, with no family diagram; a child’s family is one page with its diagram', async () => {
    const nurse = await aProfessional(t.db, {
      givenName: 'Nadia',
      familyName: 'Busy',
      professionalRole: 'School nurse',
    });
    const total = FAMILY_PAGE_SIZE + 10;
    for (let i = 0; i < total; i++) {
      const child = await aChild(t.db, {
        givenName: `Pupil${String(i).padStart(2, '0')}`,
        familyName: 'Caseload',
        dateOfBirth: '2015-01-01',
      });
      await aRelationship(t.db, child, nurse, 'professional-involved');
    }
    const sw = await t.as('social-worker');
    const url = `/people/${nurse.id}/family`;
    const first = await sw.get(url);
    expect(first.statusCode).toBe(200);
    expect(first.$('[data-testid="family-members"] tbody tr').length).toBe(FAMILY_PAGE_SIZE);
    expect(first.$('[data-testid="family-showing"]').text()).toBe(
      `Showing 1 to ${FAMILY_PAGE_SIZE} of ${total} people`,
    );
    expect(first.$('.govuk-pagination__next a').attr('href')).toBe(`${url}?page=2`);
    expect(first.$('svg.app-genogram').length).toBe(0);
    expect(first.$('main').text()).not.toContain('Family diagram');
    const second = await sw.get(`${url}?page=2`);
    expect(second.$('[data-testid="family-members"] tbody tr').length).toBe(10);
    expect(second.$('[data-testid="family-showing"]').text()).toBe(
      `Showing ${FAMILY_PAGE_SIZE + 1} to ${total} of ${total} people`,
    );
    // A page past the end shows the last page; a nonsense page, the first.
    expect((await sw.get(`${url}?page=99`)).$('[data-testid="family-showing"]').text()).toBe(
      `Showing ${FAMILY_PAGE_SIZE + 1} to ${total} of ${total} people`,
    );
    expect((await sw.get(`${url}?page=abc`)).$('[data-testid="family-members"] tbody tr').length).toBe(
      FAMILY_PAGE_SIZE,
    );
    // Every child is listed once across the pages.
    const names = [first, second]
      .flatMap((res) =>
        res
          .$('[data-testid="family-members"] tbody tr a[href^="/people/"]')
          .map((_, a) => res.$(a).text())
          .get(),
      )
      .filter((n) => n.startsWith('Pupil'));
    expect(new Set(names).size).toBe(total);
    // A child's family: one page, no paging, and the diagram.
    const pupil = await sw.get(
      `/people/${(await t.db.selectFrom('people').select('id').where('givenName', '=', 'Pupil00').executeTakeFirstOrThrow()).id}/family`,
    );
    expect(pupil.$('.govuk-pagination').length).toBe(0);
    expect(pupil.$('[data-testid="family-showing"]').length).toBe(0);
    expect(pupil.$('svg.app-genogram').length).toBe(1);
  });

  it('adds a relationship to someone found by search, and it shows on both records and chronologies', async () => {
    const child = await aChild(t.db, { givenName: 'Theo', familyName: 'Pascoe', sex: 'M' });
    const dad = await anAdult(t.db, { givenName: 'Rhodri', familyName: 'Pascoe', sex: 'M' });
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/relationships/new?q=Rhodri+Pascoe`);
    expect(form.statusCode).toBe(200);
    expect(form.$(`input[name="relatedPersonId"][value="${dad.id}"]`).length).toBe(1);
    const bad = await sw.post(`/people/${child.id}/relationships/new`, {});
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .$('.govuk-error-summary a')
        .map((_, a) => bad.$(a).attr('href'))
        .get(),
    ).toEqual(['#relatedPersonId', '#kind', '#parentalResponsibility', '#livesWith']);
    const good = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: dad.id,
      kind: 'parent',
      livesWith: 'yes',
      parentalResponsibility: 'yes',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/people/${child.id}/family`);
    const page = await sw.get(`/people/${child.id}/family`);
    expect(page.$('[data-testid="family-members"]').text()).toContain('Father');
    expect(page.body).toContain('Pascoe household');
    const events = await t.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child.id)
      .execute();
    expect(events.map((e) => e.title)).toContain('Father added to the family network: Rhodri Pascoe');
    const again = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: dad.id,
      kind: 'parent',
      livesWith: 'yes',
      parentalResponsibility: 'yes',
    });
    expect(again.statusCode).toBe(400);
    expect(again.$('#kind-error').text()).toContain('already recorded');
  });

  it('adds someone not yet on the system', async () => {
    const child = await aChild(t.db, { givenName: 'Ivy', familyName: 'Quarles' });
    const sw = await t.as('social-worker');
    const missing = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: 'new',
      kind: 'grandparent',
      livesWith: 'no',
      parentalResponsibility: 'no',
    });
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .$('.govuk-error-summary a')
        .map((_, a) => missing.$(a).attr('href'))
        .get(),
    ).toEqual(['#newKind', '#newGivenName', '#newFamilyName']);
    const res = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: 'new',
      newKind: 'adult',
      newGivenName: 'Beryl',
      newFamilyName: 'Quarles',
      newSex: 'F',
      kind: 'grandparent',
      livesWith: 'no',
      parentalResponsibility: 'no',
    });
    expect(res.statusCode).toBe(303);
    const page = await sw.get(`/people/${child.id}/family`);
    expect(page.$('[data-testid="family-members"]').text()).toContain('Grandmother');
  });

  it('a sibling cannot hold parental responsibility', async () => {
    const child = await aChild(t.db);
    const other = await aChild(t.db);
    const sw = await t.as('social-worker');
    const res = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: other.id,
      kind: 'sibling',
      livesWith: 'no',
      parentalResponsibility: 'yes',
    });
    expect(res.statusCode).toBe(400);
    expect(res.$('#parentalResponsibility-error').text()).toContain('does not hold parental responsibility');
  });

  it('hides relatives the user may not see, and refuses linking to them', async () => {
    const child = await aChild(t.db, { givenName: 'Cora', familyName: 'Vance' });
    const secret = await aChild(t.db, { givenName: 'Secret', familyName: 'Vance', restricted: true });
    await aRelationship(t.db, child, secret, 'sibling');
    const sw = await t.as('social-worker');
    const page = await sw.get(`/people/${child.id}/family`);
    expect(page.body).not.toContain('Secret Vance');
    const res = await sw.post(`/people/${child.id}/relationships/new`, {
      relatedPersonId: secret.id,
      kind: 'sibling',
      livesWith: 'no',
      parentalResponsibility: 'no',
    });
    expect(res.statusCode).toBe(400);
    expect(res.$('#relatedPersonId-error').text()).toContain('Select someone from the list');
  });
});

describe('someone new from the relationship page', () => {
  it('shows likely duplicates first: the user picks the existing record, or confirms someone new', async () => {
    const child = await aChild(t.db, { givenName: 'Harvey', familyName: 'Lindqvist', sex: 'M' });
    const known = await anAdult(t.db, {
      givenName: 'Samantha',
      familyName: 'Lindqvist',
      dateOfBirth: '1990-04-12',
      warnings: [{ kind: 'risk-to-staff', details: 'Aggressive dog' }],
    });
    const sw = await t.as('social-worker');
    const typed = {
      relatedPersonId: 'new',
      newKind: 'adult',
      newGivenName: 'Sam',
      newFamilyName: 'Lindqvist',
      'newDateOfBirth-day': '12',
      'newDateOfBirth-month': '4',
      'newDateOfBirth-year': '1990',
      newSex: 'F',
      kind: 'parent',
      livesWith: 'no',
      parentalResponsibility: 'yes',
    };
    const first = await sw.post(`/people/${child.id}/relationships/new`, typed);
    expect(first.statusCode).toBe(200);
    expect(first.$('[data-testid="likely-duplicates"]').text()).toContain('We found 1 record that may be');
    const option = first.$(`input[name="relatedPersonId"][value="${known.id}"]`);
    expect(option.length).toBe(1);
    expect(first.$(`label[for="${option.attr('id')}"]`).text()).toContain('Samantha Lindqvist');
    expect(first.$('main').text()).toContain('Warning: Risk to staff');
    expect(first.$('input[name="duplicatesShown"]').val()).toBe('yes');
    expect(first.$('#newGivenName').val()).toBe('Sam');
    const shown = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'person.duplicates-shown')
      .where('childId', '=', child.id)
      .execute();
    expect(shown).toHaveLength(1);
    // Nothing was created yet.
    const before = await t.db
      .selectFrom('people')
      .select('id')
      .where('familyName', '=', 'Lindqvist')
      .execute();
    expect(before).toHaveLength(2);

    // Keeping "someone new" without confirming is an error against the confirmation, with the duplicates still shown.
    const unconfirmed = await sw.post(`/people/${child.id}/relationships/new`, {
      ...typed,
      duplicatesShown: 'yes',
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.$('.govuk-error-summary a').attr('href')).toBe('#notADuplicate');
    expect(unconfirmed.$(`input[name="relatedPersonId"][value="${known.id}"]`).length).toBe(1);

    // Choosing the existing record links her, and creates no one.
    const chosen = await sw.post(`/people/${child.id}/relationships/new`, {
      ...typed,
      duplicatesShown: 'yes',
      relatedPersonId: known.id,
    });
    expect(chosen.statusCode).toBe(303);
    const after = await t.db
      .selectFrom('people')
      .select('id')
      .where('familyName', '=', 'Lindqvist')
      .execute();
    expect(after).toHaveLength(2);
    const page = await sw.get(`/people/${child.id}/family`);
    expect(page.$('[data-testid="family-members"]').text()).toContain('Samantha Lindqvist');

    // Confirming none of them is the person creates someone new.
    const other = await aChild(t.db, { givenName: 'Ada', familyName: 'Lindqvist' });
    const confirmed = await sw.post(`/people/${other.id}/relationships/new`, {
      ...typed,
      duplicatesShown: 'yes',
      notADuplicate: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    const created = await t.db
      .selectFrom('people')
      .select('id')
      .where('givenName', '=', 'Sam')
      .where('familyName', '=', 'Lindqvist')
      .execute();
    expect(created).toHaveLength(1);
  });
});
