import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { localAuthorityId } from '../../../test/builders/organisation.ts';

let grantId: string;
let childId: string;

const CHILD = { givenName: 'Zebedee', familyName: 'Quartermain', knownAs: 'Zeb' };

const t = appForFile();
beforeAll(async () => {
  const richmond = await localAuthorityId(t.db);
  const child = await t.db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'child',
      laChildId: '318R00042',
      ...CHILD,
      searchName: 'zebedee quartermain',
      dateOfBirth: '2015-06-01',
      restricted: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  childId = child.id;
  const other = await t.db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'child',
      givenName: 'Yolanda',
      familyName: 'Nobody',
      searchName: 'yolanda nobody',
      restricted: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const manager = await t.userId('team-manager');
  const grant = (userId: string, child: string, extra: { revokedAt?: Date; expiresAt?: Date } = {}) =>
    t.db
      .insertInto('recordGrants')
      .values({
        childId: child,
        userId,
        access: 'write',
        reason: 'Covering while the allocated worker is on leave',
        grantedBy: manager,
        grantedAt: new Date('2026-11-20T09:00:00Z'),
        ...extra,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  grantId = (await grant(await t.userId('social-worker'), childId)).id;
  await grant(await t.userId('qa-officer'), other.id, { revokedAt: new Date('2026-11-21T09:00:00Z') });
  await grant(await t.userId('mash-practitioner'), other.id, { expiresAt: new Date('2026-11-22T09:00:00Z') });
});

describe('grants of access to restricted records', () => {
  it('lists grants with the child shown only by LA child ID, never by name', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get('/admin/grants');
    expect(res.statusCode).toBe(200);
    expect(res.$('tbody tr').length).toBe(3);
    // Everything a person could read on the page (the body less random tokens).
    const visible = `${res.$('title').text()} ${res.$('body').text()}`;
    expect(res.$('tbody').text()).toContain('318R00042');
    // Nor hidden in the markup (long enough never to turn up in a random token).
    expect(res.body).not.toContain('Quartermain');
    expect(res.body).not.toContain('Zebedee');
    for (const name of [CHILD.givenName, CHILD.familyName, CHILD.knownAs, 'Yolanda', 'Nobody', '1 June 2015'])
      expect(visible).not.toContain(name);
    expect(res.$('tbody').text()).toContain('No LA child ID');
    const statuses = res
      .$('tbody .govuk-tag')
      .map((_, tag) => res.$(tag).text().trim())
      .get()
      .sort();
    expect(statuses).toEqual(['Expired', 'In force', 'Revoked']);
  });

  it('filters by the person given access (by name, or from their user page) and by status', async () => {
    const admin = await t.as('system-administrator');
    const byName = await admin.get('/admin/grants?user=walker');
    expect(byName.$('tbody tr').length).toBe(1);
    expect(byName.$('tbody').text()).toContain('Sian Walker');
    const byId = await admin.get(`/admin/grants?userId=${await t.userId('qa-officer')}`);
    expect(byId.$('tbody tr').length).toBe(1);
    expect(byId.$('main').text()).toContain('Showing grants to');
    const inForce = await admin.get('/admin/grants?status=in-force');
    expect(inForce.$('tbody tr').length).toBe(1);
    const user = await admin.get(`/admin/users/${await t.userId('social-worker')}`);
    expect(user.$(`a[href="/admin/grants?userId=${await t.userId('social-worker')}"]`).text()).toContain(
      '1 grant in force',
    );
  });

  it('revoking: the confirm page shows no name; a missing reason → 400; a reason → 303, revoked and audited', async () => {
    const admin = await t.as('system-administrator');
    const page = await admin.get(`/admin/grants/${grantId}/revoke`);
    expect(page.statusCode).toBe(200);
    expect(page.$('main').text()).toContain('318R00042');
    for (const name of [CHILD.givenName, CHILD.familyName]) expect(page.$('body').text()).not.toContain(name);
    const bad = await admin.post(`/admin/grants/${grantId}/revoke`, { reason: '  ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.$('.govuk-error-summary a').attr('href')).toBe('#reason');
    expect(bad.$('.govuk-error-summary').text()).toContain('Enter why the access is being revoked');
    for (const name of [CHILD.givenName, CHILD.familyName]) expect(bad.$('body').text()).not.toContain(name);
    const good = await admin.post(`/admin/grants/${grantId}/revoke`, {
      reason: 'Worker returned from leave',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/admin/grants');
    const grant = await t.db
      .selectFrom('recordGrants')
      .select(['revokedAt', 'revokedBy'])
      .where('id', '=', grantId)
      .executeTakeFirstOrThrow();
    expect(grant.revokedAt).not.toBeNull();
    expect(grant.revokedBy).toBe(await t.userId('system-administrator'));
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['childId', 'details', 'actorLabel'])
      .where('action', '=', 'record-grant.revoked')
      .where('subjectId', '=', grantId)
      .executeTakeFirstOrThrow();
    expect(audit.childId).toBe(childId);
    expect(audit.details).toMatchObject({ reason: 'Worker returned from leave' });
    const list = await admin.get('/admin/grants');
    expect(list.$('.govuk-notification-banner').text()).toContain('The access has been revoked');
    // Revoking twice is refused with a message, not an error page.
    const again = await admin.post(`/admin/grants/${grantId}/revoke`, { reason: 'Again' });
    expect(again.statusCode).toBe(400);
    expect(again.$('.govuk-error-summary').text()).toContain('already been revoked');
    expect(again.$('#reason').length).toBe(1);
  });
});
