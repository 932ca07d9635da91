import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAllocation } from '../../../test/builders/people.ts';

const t = appForFile();

describe('merging two records of the same person', () => {
  it('offers likely duplicates, compares them, and merges with a reason shown on both records', async () => {
    const kept = await aChild(t.db, {
      givenName: 'Jayden',
      familyName: 'Clarke',
      dateOfBirth: '2016-10-09',
      postcode: 'TW2 7AB',
    });
    const dup = await aChild(t.db, {
      givenName: 'Jaden',
      familyName: 'Clark',
      dateOfBirth: '2016-10-09',
      nhsNumber: null,
    });
    const manager = await t.as('team-manager');
    const start = await manager.get(`/people/${kept.id}/merge`);
    expect(start.statusCode).toBe(200);
    expect(start.$(`input[name="other"][value="${dup.id}"]`).length).toBe(1);
    const compare = await manager.get(`/people/${kept.id}/merge?other=${dup.id}`);
    expect(compare.$('table').text()).toContain('Jaden Clark');
    const missing = await manager.post(`/people/${kept.id}/merge`, { otherPersonId: dup.id });
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .$('.govuk-error-summary a')
        .map((_, a) => missing.$(a).attr('href'))
        .get(),
    ).toEqual(['#keep', '#reason', '#confirm']);
    const res = await manager.post(`/people/${kept.id}/merge`, {
      otherPersonId: dup.id,
      keep: 'this',
      reason: 'Same child: same date of birth and school',
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/people/${kept.id}`);
    const keptPage = await manager.get(`/people/${kept.id}`);
    expect(keptPage.$('[data-testid="merges"]').text()).toContain(
      'Same child: same date of birth and school',
    );
    const dupPage = await manager.get(`/people/${dup.id}`);
    expect(dupPage.$('.govuk-notification-banner').text()).toContain(
      'This record was merged into Jayden Clarke',
    );
    const search = await manager.get('/people?name=Jaden+Clark');
    expect(search.$(`a[href="/people/${dup.id}"]`).length).toBe(0);
    expect(search.$(`a[href="/people/${kept.id}"]`).length).toBe(1);
  });

  it('refuses to merge a record into itself, with the reason', async () => {
    const child = await aChild(t.db);
    const manager = await t.as('team-manager');
    const res = await manager.post(`/people/${child.id}/merge`, {
      otherPersonId: child.id,
      keep: 'this',
      reason: 'x',
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(400);
    expect(res.$('.govuk-error-summary').text()).toContain('You cannot merge a record into itself');
  });

  it('refuses a restricted record without a named grant, with the reason', async () => {
    const child = await aChild(t.db, { givenName: 'Open', familyName: 'Record' });
    const restricted = await aChild(t.db, { givenName: 'Closed', familyName: 'Record', restricted: true });
    // The team manager can see it (their team is allocated) but has no named grant.
    await anAllocation(t.db, restricted, { teamName: 'Assessment Team' });
    const manager = await t.as('team-manager');
    const compare = await manager.get(`/people/${child.id}/merge?other=${restricted.id}`);
    expect(compare.$('.govuk-warning-text').text()).toContain(
      'is a restricted record: you need a named grant',
    );
    expect(compare.$('button').text()).not.toContain('Merge the records');
    const res = await manager.post(`/people/${child.id}/merge`, {
      otherPersonId: restricted.id,
      keep: 'this',
      reason: 'x',
      confirm: 'yes',
    });
    expect(res.statusCode).toBe(400);
    expect(res.$('.govuk-error-summary').text()).toContain('is a restricted record: you need a named grant');
  });

  it('needs person:merge', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${child.id}/merge`)).statusCode).toBe(403);
  });
});
