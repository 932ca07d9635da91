import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAdult, anAllocation, aRelationship, userIdFor } from '../../../test/builders/people.ts';
import { addWarning } from './person.repository.ts';
import { loadWarningsFor } from './warnings.ts';

const t = appForFile();

describe('loadWarningsFor', () => {
  it('gives current warnings only, with the code-set label, for many people at once', async () => {
    const a = await anAdult(t.db, {
      warnings: [{ kind: 'risk-to-staff', details: 'Large dog at the address' }],
    });
    const b = await aChild(t.db);
    const none = await aChild(t.db);
    await addWarning(t.db, {
      personId: b.id,
      kind: 'interpreter-needed',
      details: 'Speaks Polish',
      fromDate: '2026-01-01',
      createdBy: null,
    });
    const ended = await addWarning(t.db, {
      personId: b.id,
      kind: 'risk-to-staff',
      details: 'Old',
      fromDate: '2020-01-01',
      createdBy: null,
    });
    await t.db.updateTable('personWarnings').set({ toDate: '2021-01-01' }).where('id', '=', ended).execute();
    await addWarning(t.db, {
      personId: b.id,
      kind: 'risk-to-staff',
      details: 'Not yet',
      fromDate: '2099-01-01',
      createdBy: null,
    });
    const map = await loadWarningsFor(t.db, [a.id, b.id, none.id, null], new Date('2026-11-24T12:00:00Z'));
    expect(map.get(a.id)?.map((w) => [w.kindLabel, w.details])).toEqual([
      ['Risk to staff', 'Large dog at the address'],
    ]);
    expect(map.get(b.id)?.map((w) => w.details)).toEqual(['Speaks Polish']);
    expect(map.get(b.id)?.[0]?.kindLabel).toBe('Interpreter needed');
    expect(map.has(none.id)).toBe(false);
  });

  it('adds "Interpreter needed" from the record’s interpreter question, unless a worker already recorded one', async () => {
    const child = await aChild(t.db);
    const mother = await anAdult(t.db);
    const both = await aChild(t.db);
    await t.db
      .updateTable('people')
      .set({ interpreterNeeded: true, firstLanguage: 'POL' })
      .where('id', 'in', [child.id, both.id])
      .execute();
    await t.db
      .updateTable('people')
      .set({ interpreterNeeded: true, firstLanguage: null })
      .where('id', '=', mother.id)
      .execute();
    await addWarning(t.db, {
      personId: both.id,
      kind: 'interpreter-needed',
      details: 'Polish; prefers a female interpreter',
      fromDate: '2026-01-01',
      createdBy: null,
    });
    const map = await loadWarningsFor(t.db, [child.id, mother.id, both.id], new Date('2026-11-24T12:00:00Z'));
    expect(map.get(child.id)?.map((w) => [w.kindLabel, w.details, w.derived])).toEqual([
      ['Interpreter needed', 'First language: Polish', true],
    ]);
    expect(map.get(mother.id)?.map((w) => w.details)).toEqual(['Needs an interpreter']);
    expect(map.get(both.id)?.map((w) => w.details)).toEqual(['Polish; prefers a female interpreter']);
    // Shown on the record, but not offered for ending on the edit page (it ends when the record's answer changes).
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${child.id}`)).$('[data-testid="record-warnings"]').text()).toContain(
      'First language: Polish',
    );
    const edit = await sw.get(`/people/${child.id}/edit`);
    expect(edit.$('input[name="endWarnings"]').length).toBe(0);
  });
});

describe('warnings shown wherever the person appears', () => {
  it('in search results, with the details', async () => {
    await anAdult(t.db, {
      givenName: 'Warrick',
      familyName: 'Blenkinsop',
      warnings: [{ kind: 'risk-to-staff', details: 'Threatened a visiting worker' }],
    });
    const sw = await t.as('social-worker');
    const res = await sw.get('/people?name=Warrick+Blenkinsop');
    expect(res.statusCode).toBe(200);
    const result = res.$('[data-testid="search-results"] li').first();
    expect(result.find('[data-testid="person-warnings"] .govuk-tag--red').text()).toBe(
      'Warning: Risk to staff',
    );
    expect(result.text()).toContain('Threatened a visiting worker');
  });

  it('in the family view, against the relative', async () => {
    const child = await aChild(t.db, { givenName: 'Poppy', familyName: 'Tressler' });
    const dad = await anAdult(t.db, {
      givenName: 'Gareth',
      familyName: 'Tressler',
      sex: 'M',
      warnings: [{ kind: 'risk-to-staff', details: 'Do not visit alone' }],
    });
    await aRelationship(t.db, child, dad, 'parent');
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${child.id}/family`);
    const row = res
      .$('[data-testid="family-members"] tbody tr')
      .filter((_, tr) => res.$(tr).text().includes('Gareth Tressler'));
    expect(row.find('[data-testid="person-warnings"]').text()).toMatch(
      /Warning: Risk to staff\s+Do not visit alone/,
    );
  });

  it('in the worktray, next to the child’s name', async () => {
    // A break-glass opening of each child's record waits for the manager's review on the worktray.
    const mash = await userIdFor(t.db, 'mash-practitioner');
    const now = t.clock.now();
    for (const child of [
      await aChild(t.db, {
        givenName: 'Ellie',
        familyName: 'Warnes',
        warnings: [{ kind: 'risk-to-staff', details: 'Father hostile to workers' }],
      }),
      await aChild(t.db, { givenName: 'Nora', familyName: 'Calmly' }),
    ]) {
      await anAllocation(t.db, child, { role: 'social-worker' });
      await t.db
        .insertInto('breakGlassAccesses')
        .values({
          childId: child.id,
          userId: mash,
          reason: 'Out of hours call',
          openedAt: now,
          expiresAt: new Date(now.getTime() + 3600_000),
        })
        .execute();
    }
    const manager = await t.as('team-manager');
    const home = await manager.get('/');
    expect(home.statusCode).toBe(200);
    const rows = home.$('main table tbody tr').filter((_, tr) => home.$(tr).text().includes('Ellie Warnes'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.first().find('[data-testid="person-warnings"]').text()).toMatch(
      /Warning: Risk to staff\s+Father hostile to workers/,
    );
    // Rows for children without warnings carry none.
    const others = home
      .$('main table tbody tr')
      .filter((_, tr) => !home.$(tr).text().includes('Ellie Warnes'));
    expect(others.find('[data-testid="person-warnings"]').length).toBe(0);
  });
});
