import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../kernel/access/index.ts';
import { appForFile } from '../../../test/support/test-app.ts';
import { ADMINISTRATION_AREAS } from '../../../test/authorisation-matrix.ts';
import { aChild } from '../../../test/builders/people.ts';
import { adminPages } from './index.ts';

/**
 * Every administration page: it renders for the system administrator, and every other role gets the 403
 * page (administration is for administrators only, and administrators see no child's record).
 */

const ids: Record<string, string> = {};

const t = appForFile();
beforeAll(async () => {
  const one = async (
    table: 'teams' | 'clusters' | 'agencies' | 'localAuthorities',
    column: 'name',
    value: string,
  ) => (await t.db.selectFrom(table).select('id').where(column, '=', value).executeTakeFirstOrThrow()).id;
  ids.userId = await t.userId('social-worker');
  ids.teamId = await one('teams', 'name', 'Assessment Team');
  ids.clusterId = await one('clusters', 'name', 'Richmond and Kew');
  ids.agencyId = await one('agencies', 'name', 'Orchard Primary School');
  ids.laId = await one('localAuthorities', 'name', 'Richmond upon Thames');
  const child = await aChild(t.db, {
    localAuthorityId: ids.laId,
    laChildId: '318ADM0001',
    givenName: 'Ada',
    familyName: 'Matrix',
    restricted: true,
  });
  ids.grantId = (
    await t.db
      .insertInto('recordGrants')
      .values({
        childId: child.id,
        userId: ids.userId,
        access: 'read',
        reason: 'Covering a colleague',
        grantedBy: await t.userId('team-manager'),
        grantedAt: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

const urlOf = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? `missing-${name}`);

describe('administration pages', () => {
  it('has a page for every area in the brief', () => {
    const paths = adminPages.map((p) => p.path);
    for (const expected of ADMINISTRATION_AREAS) {
      expect(paths).toContain(expected);
    }
    for (const page of adminPages)
      expect(['users:manage', 'organisation:manage', 'audit-trail:search']).toContain(page.access);
  });

  it.each(adminPages.map((p) => p.path))('GET %s renders for the system administrator', async (path) => {
    const admin = await t.as('system-administrator');
    const res = await admin.get(urlOf(path));
    expect(res.statusCode).toBe(200);
    if (path.endsWith('/export')) {
      expect(res.headers['content-type']).toContain('text/csv');
    } else {
      expect(res.$('h1').text().trim().length).toBeGreaterThan(0);
      expect(res.$('title').text()).toMatch(/ – Threshold$/);
      // Administration is the current section in the service navigation.
      expect(
        res
          .$('.govuk-service-navigation__item--active a, .govuk-service-navigation__item--active strong')
          .text(),
      ).toContain('Administration');
    }
  });

  it.each(ROLES.filter((r) => r !== 'system-administrator'))(
    'every administration page answers 403 to a %s',
    async (role) => {
      const agent = await t.as(role);
      for (const page of adminPages) {
        const res = await agent.get(urlOf(page.path));
        expect(res.statusCode, `${role} GET ${page.path}`).toBe(403);
        if (page.hasForm) {
          const post = await agent.post(urlOf(page.path), {});
          expect(post.statusCode, `${role} POST ${page.path}`).toBe(403);
        }
      }
      const denials = await t.db
        .selectFrom('auditEvents')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', 'access.denied')
        .where('actorUserId', '=', await t.userId(role))
        .executeTakeFirstOrThrow();
      expect(Number(denials.n)).toBeGreaterThanOrEqual(adminPages.length);
    },
  );

  it('unknown ids answer 404', async () => {
    const admin = await t.as('system-administrator');
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of [
      '/admin/users/:id',
      '/admin/teams/:id/edit',
      '/admin/agencies/:id',
      '/admin/grants/:id/revoke',
      '/admin/local-authorities/:id/edit',
      '/admin/clusters/:id/edit',
    ]) {
      expect((await admin.get(path.replace(':id', missing))).statusCode, path).toBe(404);
    }
    expect((await admin.get('/admin/users/not-an-id')).statusCode).toBe(404);
  });

  it('signed-out visitors are sent to sign in', async () => {
    const res = await t.anonymous().get('/admin/users');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fusers');
  });

  it('the administrator’s home page and navigation lead to administration', async () => {
    const admin = await t.as('system-administrator');
    const home = await admin.get('/');
    expect(home.$('.govuk-service-navigation a[href="/admin"]').text()).toContain('Administration');
    // Administration is the administrator's first action on the home page (a button above the worktray).
    expect(home.$('main .app-start-actions a[href="/admin"]').text().trim()).toBe('Administration');
    const index = await admin.get('/admin');
    const links = index
      .$('main h2 a')
      .map((_, a) => index.$(a).attr('href'))
      .get();
    expect(links).toEqual([
      '/admin/users',
      '/admin/grants',
      '/admin/api-clients',
      '/admin/emails',
      '/admin/teams',
      '/admin/clusters',
      '/admin/agencies',
      '/admin/local-authorities',
      '/admin/front-door-settings',
      '/admin/form-templates',
      '/admin/audit-trail',
    ]);
  });
});
