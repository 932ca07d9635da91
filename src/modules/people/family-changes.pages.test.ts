import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAdult, aHousehold, aRelationship } from '../../../test/builders/people.ts';

const t = appForFile();

const summaryLinks = (res: { $: import('cheerio').CheerioAPI }) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
const date = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(d)),
    [`${prefix}-month`]: String(Number(m)),
    [`${prefix}-year`]: y!,
  };
};
const events = (childId: string) =>
  t.db.selectFrom('caseEvents').select(['title', 'summary']).where('childId', '=', childId).execute();
const audit = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['action', 'details', 'childId'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .execute();

describe('changing and ending a relationship', () => {
  it('changes the kind and start date; audited and in both children’s chronologies', async () => {
    const child = await aChild(t.db, { givenName: 'Rosie', familyName: 'Ashdown' });
    const brother = await aChild(t.db, { givenName: 'Jack', familyName: 'Ashdown', sex: 'M' });
    const rel = await aRelationship(t.db, child, brother, 'sibling', { fromDate: '2018-01-01' });
    const sw = await t.as('social-worker');
    const family = await sw.get(`/people/${child.id}/family`);
    expect(family.$(`a[href="/people/${child.id}/relationships/${rel}/edit"]`).text()).toContain('Change');
    const form = await sw.get(`/people/${child.id}/relationships/${rel}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.$('#kind option[selected]').attr('value')).toBe('sibling');
    expect(form.$('input[name="fromDate-year"]').val()).toBe('2018');
    const version = form.$('input[name="version"]').val() as string;

    const future = await sw.post(`/people/${child.id}/relationships/${rel}/edit`, {
      kind: 'half-sibling',
      parentalResponsibility: 'no',
      ...date('fromDate', '2031-01-01'),
      version,
    });
    expect(future.statusCode).toBe(400);
    expect(summaryLinks(future)).toEqual(['#fromDate-day']);
    expect(future.$('#fromDate-error').text()).toContain('must be today or in the past');
    expect(future.$('#kind option[selected]').attr('value')).toBe('half-sibling');

    const ok = await sw.post(`/people/${child.id}/relationships/${rel}/edit`, {
      kind: 'half-sibling',
      parentalResponsibility: 'no',
      ...date('fromDate', '2019-03-01'),
      version,
    });
    expect(ok.statusCode).toBe(303);
    const after = await sw.get(`/people/${child.id}/family`);
    expect(after.$('[data-testid="family-members"]').text()).toContain('Half-brother');
    expect((await events(child.id)).map((e) => e.title)).toContain(
      'Relationship changed: Half-brother – Jack Ashdown',
    );
    expect((await events(brother.id)).map((e) => e.title)).toContain(
      'Relationship changed: Half-sister – Rosie Ashdown',
    );
    const [row] = await audit('relationship.changed', rel);
    expect(row?.details).toMatchObject({ changed: ['kind', 'fromDate'], before: { kind: 'sibling' } });

    // The same form again, with the old version: someone else changed it meanwhile.
    const stale = await sw.post(`/people/${child.id}/relationships/${rel}/edit`, {
      kind: 'sibling',
      parentalResponsibility: 'no',
      version,
    });
    expect(stale.statusCode).toBe(409);
  });

  it('ends a relationship with a date and reason: shown as ended, kept, audited, in the chronology', async () => {
    const child = await aChild(t.db, { givenName: 'Lily', familyName: 'Brennan' });
    const stepdad = await anAdult(t.db, { givenName: 'Keith', familyName: 'Morrow', sex: 'M' });
    const rel = await aRelationship(t.db, child, stepdad, 'step-parent', { fromDate: '2024-06-01' });
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/relationships/${rel}/end`);
    expect(form.statusCode).toBe(200);
    expect(form.$('main').text()).toContain('Keith Morrow, Lily’s stepfather, since 1 June 2024');
    const version = form.$('input[name="version"]').val() as string;

    const empty = await sw.post(`/people/${child.id}/relationships/${rel}/end`, { version });
    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty)).toEqual(['#endDate-day', '#reason']);

    const beforeStart = await sw.post(`/people/${child.id}/relationships/${rel}/end`, {
      ...date('endDate', '2024-01-31'),
      reason: 'Separated',
      version,
    });
    expect(beforeStart.statusCode).toBe(400);
    expect(beforeStart.$('#endDate-error').text()).toContain(
      'must be the same as or after the date the relationship started (1 June 2024)',
    );
    expect(beforeStart.$('#reason').val()).toBe('Separated');

    const future = await sw.post(`/people/${child.id}/relationships/${rel}/end`, {
      ...date('endDate', '2027-05-01'),
      reason: 'Separated',
      version,
    });
    expect(future.statusCode).toBe(400);
    expect(future.$('#endDate-error').text()).toContain('must be today or in the past');

    const ok = await sw.post(`/people/${child.id}/relationships/${rel}/end`, {
      ...date('endDate', '2026-10-31'),
      reason: 'Mother and Keith separated',
      version,
    });
    expect(ok.statusCode).toBe(303);
    const family = await sw.get(`/people/${child.id}/family`);
    const row = family
      .$('[data-testid="family-members"] tbody tr')
      .filter((_, tr) => family.$(tr).text().includes('Keith Morrow'));
    expect(row.text()).toContain('Ended 31 October 2026');
    expect(row.text()).toContain('Mother and Keith separated');
    expect(row.find('a[href$="/end"]').length).toBe(0);
    expect(await events(child.id)).toContainEqual({
      title: 'Relationship ended: Stepfather – Keith Morrow',
      summary: 'Mother and Keith separated',
    });
    expect(await audit('relationship.ended', rel)).toHaveLength(1);
    // Ended once: a second ending is refused.
    const again = await sw.post(`/people/${child.id}/relationships/${rel}/end`, {
      ...date('endDate', '2026-11-01'),
      reason: 'Again',
      version: String(Number(version) + 1),
    });
    expect(again.statusCode).toBe(400);
    expect(again.$('#endDate-error').text()).toContain('already ended on 31 October 2026');
  });

  it('is 404 for a relationship that is not the person’s, and 403 without write permission', async () => {
    const child = await aChild(t.db);
    const a = await aChild(t.db);
    const b = await anAdult(t.db);
    const theirs = await aRelationship(t.db, a, b, 'parent');
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${child.id}/relationships/${theirs}/end`)).statusCode).toBe(404);
    const qa = await t.as('qa-officer');
    expect((await qa.get(`/people/${a.id}/relationships/${theirs}/edit`)).statusCode).toBe(403);
  });
});

describe('household membership', () => {
  it('records someone moving out: kept in the household as moved out, audited, in the chronology', async () => {
    const child = await aChild(t.db, { givenName: 'Alfie', familyName: 'Dunmore' });
    const lodger = await anAdult(t.db, { givenName: 'Terry', familyName: 'Cole', sex: 'M' });
    await aHousehold(t.db, [child, lodger], 'Dunmore household');
    await aRelationship(t.db, child, lodger, 'household-member');
    const membership = await t.db
      .selectFrom('householdMembers')
      .select('id')
      .where('personId', '=', lodger.id)
      .executeTakeFirstOrThrow();
    const sw = await t.as('social-worker');
    const family = await sw.get(`/people/${child.id}/family`);
    expect(family.$(`a[href="/people/${child.id}/households/${membership.id}/end"]`).text()).toContain(
      'Record moving out',
    );
    const early = await sw.post(`/people/${child.id}/households/${membership.id}/end`, {
      ...date('endDate', '2019-12-31'),
    });
    expect(early.statusCode).toBe(400);
    expect(early.$('#endDate-error').text()).toContain('after the date they moved in (1 January 2020)');
    const ok = await sw.post(`/people/${child.id}/households/${membership.id}/end`, {
      ...date('endDate', '2026-11-01'),
      reason: 'Found his own flat',
    });
    expect(ok.statusCode).toBe(303);
    const after = await sw.get(`/people/${child.id}/family`);
    expect(after.$('main').text()).toContain('Terry Cole (moved out 1 November 2026: Found his own flat)');
    expect((await events(child.id)).map((e) => e.title)).toContain(
      'Moved out of the household: Terry Cole (Dunmore household)',
    );
    expect(await audit('household-membership.ended', membership.id)).toHaveLength(1);
  });
});

describe('other names', () => {
  it('changes and ends an alias: still found by search, shown as no longer used, audited, in the chronology', async () => {
    const child = await aChild(t.db, {
      givenName: 'Kayleigh',
      familyName: 'Fenwick',
      aliases: [{ givenName: 'Kayley', familyName: 'Fenwik' }],
    });
    const name = await t.db
      .selectFrom('personNames')
      .select('id')
      .where('personId', '=', child.id)
      .executeTakeFirstOrThrow();
    const sw = await t.as('social-worker');
    const record = await sw.get(`/people/${child.id}`);
    expect(record.$(`a[href="/people/${child.id}/names/${name.id}/edit"]`).text()).toContain('Change');
    const form = await sw.get(`/people/${child.id}/names/${name.id}/edit`);
    expect(form.$('#givenName').val()).toBe('Kayley');
    const version = form.$('input[name="version"]').val() as string;
    const bad = await sw.post(`/people/${child.id}/names/${name.id}/edit`, {
      kind: 'alias',
      givenName: '',
      familyName: 'Fenwick-Shaw',
      ...date('fromDate', '2024-01-01'),
      ...date('toDate', '2023-01-01'),
      version,
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#givenName', '#toDate']);
    expect(bad.$('#familyName').val()).toBe('Fenwick-Shaw');
    const ok = await sw.post(`/people/${child.id}/names/${name.id}/edit`, {
      kind: 'previous',
      givenName: 'Kayleigh',
      familyName: 'Pritchard',
      ...date('toDate', '2025-06-30'),
      version,
    });
    expect(ok.statusCode).toBe(303);
    const after = await sw.get(`/people/${child.id}`);
    const facts = after.$('.govuk-summary-list').text();
    expect(facts).toContain('Previous name');
    expect(facts).toContain('Kayleigh Pritchard');
    expect(facts).toContain('no longer used since 30 June 2025');
    expect((await events(child.id)).map((e) => e.title)).toContain(
      'Previous name no longer used: Kayleigh Pritchard',
    );
    expect(await audit('person-name.ended', name.id)).toHaveLength(1);
    // The search keys follow the changed name.
    const search = await sw.get('/people?name=Kayleigh+Pritchard');
    expect(search.$('[data-testid="search-results"]').text()).toContain('Kayleigh Fenwick');
  });
});
