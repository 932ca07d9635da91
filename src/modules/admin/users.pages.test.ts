import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { TEST_PASSWORD } from '../../../test/support/template-seed.ts';
import { agencyIdOfKind, localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { summaryLinks } from '../../../test/builders/pages.ts';
import { demoEmail } from './organisation.seed.ts';

let richmond: string;
let kingston: string;
let assessmentTeam: string;
let police: string;

const auditRows = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['action', 'details', 'actorLabel', 'requestId', 'ip'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .orderBy('seq')
    .execute();

const userByEmail = (email: string) =>
  t.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

const newUserForm = (overrides: Record<string, string | string[]> = {}) => ({
  displayName: 'Nia Okafor',
  email: 'nia.okafor@demo.threshold.test',
  jobTitle: 'Senior social worker',
  worksFor: 'local-authority',
  localAuthorityId: richmond,
  otherLocalAuthorityIds: kingston,
  teamId: assessmentTeam,
  roles: ['social-worker', 'qa-officer'],
  signInMethod: 'password',
  password: 'a long enough initial password',
  ...overrides,
});

const t = appForFile();
beforeAll(async () => {
  ({ richmond, kingston } = await localAuthorityIds(t.db));
  assessmentTeam = await teamId(t.db, 'Assessment Team');
  police = await agencyIdOfKind(t.db, 'police');
});

describe('the list of users', () => {
  it('lists every user with roles, who they work for and status, and searches by name or email', async () => {
    const admin = await t.as('system-administrator');
    const all = await admin.get('/admin/users');
    expect(all.statusCode).toBe(200);
    expect(all.$('h1').text()).toBe('Users');
    expect(all.$('[role="status"]').text()).toContain('of 14 users');
    const sian = all.$('tbody tr').filter((_, tr) => all.$(tr).text().includes('Sian Walker'));
    expect(sian.text()).toContain('Social worker');
    expect(sian.text()).toContain('Assessment Team');
    expect(sian.text()).toContain('Active');

    const byName = await admin.get('/admin/users?q=walker');
    expect(byName.$('tbody tr').length).toBe(1);
    const byEmail = await admin.get('/admin/users?q=SCHOOL.LEAD%40');
    expect(byEmail.$('tbody tr').text()).toContain('Sam Lowe');
    // Typed text is matched literally, not as a pattern.
    expect((await admin.get('/admin/users?q=%25')).$('tbody tr').length).toBe(0);
  });

  it('filters by role, team, agency and status, keeping the filters in the form', async () => {
    const admin = await t.as('system-administrator');
    const byRole = await admin.get('/admin/users?role=team-manager');
    // Two team managers: the assessment team's and the early help team's.
    expect(byRole.$('tbody tr').length).toBe(2);
    expect(byRole.$('tbody').text()).toContain('Tom Mensah');
    expect(byRole.$('tbody').text()).toContain('Elena Marsh');
    expect(byRole.$('#role option:selected').val()).toBe('team-manager');
    const byTeam = await admin.get(`/admin/users?teamId=${assessmentTeam}`);
    expect(
      byTeam
        .$('tbody tr')
        .map((_, tr) => byTeam.$(tr).find('a').first().text())
        .get()
        .sort(),
    ).toEqual(['Sian Walker', 'Tom Mensah']);
    const byAgency = await admin.get(`/admin/users?agencyId=${police}`);
    expect(byAgency.$('tbody').text()).toContain('PC Dan Price');
    expect(byAgency.$('tbody tr').length).toBe(1);
    expect((await admin.get('/admin/users?status=disabled')).$('tbody tr').length).toBe(0);
    // A nonsense filter value is ignored rather than an error.
    expect((await admin.get('/admin/users?role=emperor&teamId=nope')).statusCode).toBe(200);
  });

  it('is paginated with the GOV.UK pagination component, keeping the filters in its links', async () => {
    for (let i = 0; i < 30; i++) {
      await t.db
        .insertInto('users')
        .values({
          email: `bulk.${i}@demo.threshold.test`,
          displayName: `Bulk User ${String(i).padStart(2, '0')}`,
          localAuthorityId: richmond,
        })
        .execute();
    }
    const admin = await t.as('system-administrator');
    const first = await admin.get('/admin/users?q=bulk');
    expect(first.$('tbody tr').length).toBe(25);
    expect(first.$('[role="status"]').text()).toContain('Showing 1 to 25 of 30 users');
    const next = first.$('.govuk-pagination__next a').attr('href');
    expect(next).toBe('/admin/users?q=bulk&page=2');
    const second = await admin.get(next!);
    expect(second.$('tbody tr').length).toBe(5);
    expect(second.$('.govuk-pagination__item--current').text().trim()).toBe('2');
    expect(second.$('.govuk-pagination__prev a').attr('href')).toBe('/admin/users?q=bulk&page=1');
  });
});

describe('adding a user', () => {
  it('shows the form with roles as checkboxes and both ways to sign in', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get('/admin/users/new');
    expect(res.$('h1').text()).toBe('Add a user');
    expect(res.$('input[name="roles"]').length).toBe(13);
    expect(res.$('label[for="roles"]').text().trim()).toBe('Contact officer (single point of access)');
    expect(
      res
        .$('input[name="signInMethod"]')
        .map((_, i) => res.$(i).val())
        .get(),
    ).toEqual(['password', 'oidc']);
    expect(
      res
        .$('input[name="worksFor"]')
        .map((_, i) => res.$(i).val())
        .get(),
    ).toEqual(['local-authority', 'agency']);
  });

  it('an empty form → 400 with an error summary linking to each field', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.post('/admin/users/new', {});
    expect(res.statusCode).toBe(400);
    expect(res.$('title').text()).toMatch(/^Error: Add a user/);
    expect(summaryLinks(res)).toEqual([
      '#displayName Enter their full name',
      '#email Enter their email address',
      '#worksFor Select who they work for',
      '#roles Select at least one role',
      '#signInMethod Select how they will sign in',
    ]);
    expect(res.$('#displayName-error').text()).toContain('Enter their full name');
  });

  it('asks for the password, the authority and a valid email when they are missing, keeping what was typed', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.post(
      '/admin/users/new',
      newUserForm({ email: 'not-an-email', localAuthorityId: '', password: '' }),
    );
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#email Enter an email address in the correct format, like name@example.org',
      '#localAuthorityId Select the local authority they work for',
      '#password Enter an initial password',
    ]);
    expect(res.$('#displayName').val()).toBe('Nia Okafor');
    expect(
      res
        .$('input[name="roles"]:checked')
        .map((_, i) => res.$(i).val())
        .get(),
    ).toEqual(['social-worker', 'qa-officer']);
    // The password is never sent back to the browser.
    expect(res.$('#password').val()).toBeFalsy();
  });

  it('refuses partner roles for local authority staff, staff roles for partner users, and a short password', async () => {
    const admin = await t.as('system-administrator');
    const partner = await admin.post(
      '/admin/users/new',
      newUserForm({ worksFor: 'agency', agencyId: police, roles: ['social-worker'] }),
    );
    expect(partner.statusCode).toBe(400);
    expect(summaryLinks(partner)).toEqual([
      '#roles Someone who works for a partner agency can only have the partner agency roles',
    ]);
    const short = await admin.post('/admin/users/new', newUserForm({ password: 'short' }));
    expect(summaryLinks(short)).toEqual(['#password Password must be 12 characters or more']);
  });

  it('a good form → 303 to the new user, who has two roles and both authorities, audited', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.post('/admin/users/new', newUserForm());
    expect(res.statusCode).toBe(303);
    const user = await userByEmail('nia.okafor@demo.threshold.test');
    expect(user).toBeDefined();
    expect(res.headers.location).toBe(`/admin/users/${user!.id}`);
    const page = await admin.get(res.headers.location as string);
    expect(page.$('.govuk-notification-banner--success').text()).toContain('Nia Okafor has been added');
    expect(page.$('h1').text()).toContain('Nia Okafor');
    expect(page.$('main').text()).toContain('Quality assurance officer');
    expect(page.$('main').text()).toContain('Social worker');
    expect(page.$('main').text()).toContain('Kingston upon Thames, Richmond upon Thames');
    const [created] = await auditRows('user.created', user!.id);
    expect(created!.actorLabel).toBe(demoEmail('admin'));
    expect(created!.requestId).toBeTruthy();
    expect(created!.details).toMatchObject({ roles: ['social-worker', 'qa-officer'], signIn: 'password' });

    // They can sign in with the initial password.
    const signIn = await t.anonymous().post('/sign-in', {
      email: 'NIA.OKAFOR@demo.threshold.test',
      password: 'a long enough initial password',
    });
    expect(signIn.statusCode).toBe(303);
  });

  it('refuses an email address already in use, whatever its capitals', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.post(
      '/admin/users/new',
      newUserForm({ email: 'Social.Worker@Demo.Threshold.test' }),
    );
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual(['#email A user with this email address already exists']);
  });

  it('adds a partner agency user who signs in with the council account only when that is set up', async () => {
    const admin = await t.as('system-administrator');
    const form = newUserForm({
      email: 'pc.jones@demo.threshold.test',
      displayName: 'PC Jo Jones',
      worksFor: 'agency',
      agencyId: police,
      roles: ['partner-agency-user'],
      signInMethod: 'oidc',
      password: '',
    });
    const refused = await admin.post('/admin/users/new', form);
    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused)).toEqual([
      '#signInMethod Council sign-in is not set up here: give them an initial password',
    ]);
    const ok = await admin.post('/admin/users/new', {
      ...form,
      signInMethod: 'password',
      password: 'another long password',
    });
    expect(ok.statusCode).toBe(303);
    const user = await userByEmail('pc.jones@demo.threshold.test');
    expect(user).toMatchObject({ agencyId: police, localAuthorityId: null, teamId: null });
  });

  it('shows HTML typed into a field as plain text', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.post(
      '/admin/users/new',
      newUserForm({ email: 'xss@demo.threshold.test', displayName: '<script>alert(1)</script> Evil' }),
    );
    expect(res.statusCode).toBe(303);
    const page = await admin.get(res.headers.location as string);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.$('h1').text()).toContain('<script>alert(1)</script> Evil');
  });
});

describe('a user’s page and changing their details', () => {
  it('shows details, roles, sessions, last sign-in, lock and two-factor state, with change links', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('social-worker');
    await t.as('social-worker'); // one active session
    const res = await admin.get(`/admin/users/${id}`);
    expect(res.$('h1').text()).toContain('Sian Walker');
    const rows = Object.fromEntries(
      res
        .$('.govuk-summary-list__row')
        .map((_, r) => [[res.$(r).find('dt').text().trim(), res.$(r).find('dd').first().text().trim()]])
        .get(),
    );
    expect(rows['Email address']).toBe(demoEmail('social.worker'));
    expect(rows.Team).toBe('Assessment Team');
    expect(rows['Locked out']).toBe('No');
    expect(rows['Two-factor authentication']).toBe('No authenticator app set up');
    expect(rows['Signed in on']).toMatch(/^[1-9]\d* devices?$/);
    expect(rows['Last signed in']).toBe('Never');
    expect(res.$(`a[href="/admin/users/${id}/roles"]`).text()).toContain('Change');
    expect(res.$(`a[href="/admin/users/${id}/edit#email"]`).length).toBe(1);
  });

  it('changes their details: 303, visible, audited with before and after', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('qa-officer');
    const form = await admin.get(`/admin/users/${id}/edit`);
    expect(form.$('#displayName').val()).toBe('Quinn Abbott');
    const version = form.$('input[name="version"]').val() as string;
    const res = await admin.post(`/admin/users/${id}/edit`, {
      displayName: 'Quinn Abbott-Reyes',
      email: demoEmail('qa.officer'),
      jobTitle: 'Senior quality assurance officer',
      worksFor: 'local-authority',
      localAuthorityId: richmond,
      teamId: form.$('#teamId option:selected').val() as string,
      mfaRequired: 'yes',
      version,
    });
    expect(res.statusCode).toBe(303);
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.$('h1').text()).toContain('Quinn Abbott-Reyes');
    expect(page.$('.govuk-notification-banner').text()).toContain('Their details have been changed');
    const [row] = await auditRows('user.updated', id);
    expect(row!.details).toMatchObject({
      before: { displayName: 'Quinn Abbott', jobTitle: 'Quality assurance officer', mfaRequired: false },
      after: {
        displayName: 'Quinn Abbott-Reyes',
        jobTitle: 'Senior quality assurance officer',
        mfaRequired: true,
      },
    });
  });

  it('a stale save answers 409 with a clear message and the saved details, and overwrites nothing', async () => {
    const admin = await t.as('system-administrator');
    const other = await t.as('system-administrator');
    const id = await t.userId('principal-social-worker');
    const mine = await admin.get(`/admin/users/${id}/edit`);
    const theirs = await other.get(`/admin/users/${id}/edit`);
    const base = {
      email: demoEmail('principal.social.worker'),
      worksFor: 'local-authority',
      localAuthorityId: richmond,
      teamId: mine.$('#teamId option:selected').val() as string,
    };
    const first = await other.post(`/admin/users/${id}/edit`, {
      ...base,
      displayName: 'Priya Sandhu-Grant',
      version: theirs.$('input[name="version"]').val() as string,
    });
    expect(first.statusCode).toBe(303);
    const stale = await admin.post(`/admin/users/${id}/edit`, {
      ...base,
      displayName: 'Priya S.',
      version: mine.$('input[name="version"]').val() as string,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('.govuk-error-summary').text()).toContain(
      'Someone else changed this user while you were editing',
    );
    expect(stale.$('.govuk-inset-text').text()).toContain('Priya Sandhu-Grant');
    expect(stale.$('#displayName').val()).toBe('Priya S.');
    expect((await userByEmail(demoEmail('principal.social.worker')))!.displayName).toBe('Priya Sandhu-Grant');
    // Saving again after seeing their change is deliberate, so it goes through.
    const again = await admin.post(`/admin/users/${id}/edit`, {
      ...base,
      displayName: 'Priya S.',
      version: stale.$('input[name="version"]').val() as string,
    });
    expect(again.statusCode).toBe(303);
  });

  it('a bad edit → 400 with summary links', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('principal-social-worker');
    const res = await admin.post(`/admin/users/${id}/edit`, {
      displayName: '',
      email: demoEmail('social.worker'),
      worksFor: 'agency',
      version: '1',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#displayName Enter their full name',
      '#agencyId Select the agency they work for',
    ]);
  });
});

describe('roles', () => {
  it('changes a user’s roles: 303, visible, audited with before and after', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('mash-practitioner');
    const form = await admin.get(`/admin/users/${id}/roles`);
    expect(
      form
        .$('input[name="roles"]:checked')
        .map((_, i) => form.$(i).val())
        .get(),
    ).toEqual(['mash-practitioner']);
    const res = await admin.post(`/admin/users/${id}/roles`, {
      roles: ['mash-practitioner', 'mash-manager'],
      version: form.$('input[name="version"]').val() as string,
    });
    expect(res.statusCode).toBe(303);
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.$('main').text()).toContain('MASH manager');
    const [row] = await auditRows('user.roles-changed', id);
    expect(row!.details).toEqual({
      before: ['mash-practitioner'],
      after: ['mash-manager', 'mash-practitioner'],
      added: ['mash-manager'],
      removed: [],
    });
    // The new role takes effect at once: the MASH manager's permissions apply on the next request.
    const roles = await t.db.selectFrom('userRoles').select('role').where('userId', '=', id).execute();
    expect(roles.map((r) => r.role).sort()).toEqual(['mash-manager', 'mash-practitioner']);
  });

  it('no role → 400 linking to the checkboxes', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('mash-practitioner');
    const res = await admin.post(`/admin/users/${id}/roles`, { version: '1' });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual(['#roles Select at least one role']);
  });

  it('an administrator cannot remove their own system administrator role', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('system-administrator');
    const form = await admin.get(`/admin/users/${id}/roles`);
    expect(form.$('.govuk-warning-text').text()).toContain(
      'You cannot remove your own system administrator role',
    );
    const res = await admin.post(`/admin/users/${id}/roles`, {
      roles: ['performance-analyst'],
      version: form.$('input[name="version"]').val() as string,
    });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#roles You cannot remove your own system administrator role. Ask another administrator to do it.',
    ]);
    const roles = await t.db.selectFrom('userRoles').select('role').where('userId', '=', id).execute();
    expect(roles.map((r) => r.role)).toEqual(['system-administrator']);
  });
});

describe('actions on an account', () => {
  it('disabling asks for confirmation, ends their sessions at once and is audited; re-enabling lets them in again', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('early-help-practitioner');
    const worker = await t.as('early-help-practitioner');
    expect((await worker.get('/account')).statusCode).toBe(200);
    const confirm = await admin.get(`/admin/users/${id}/disable`);
    expect(confirm.$('h1').text()).toBe('Disable Eve Halpern’s account');
    expect(confirm.$('button').text()).toContain('Disable account');
    const res = await admin.post(`/admin/users/${id}/disable`, { reason: 'Left the authority' });
    expect(res.statusCode).toBe(303);
    expect((await worker.get('/account')).statusCode).toBe(303);
    expect(
      (await t.anonymous().post('/sign-in', { email: demoEmail('early.help'), password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(400);
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.$('.govuk-notification-banner').text()).toContain('disabled');
    expect(page.$('h1 .govuk-tag').text()).toContain('Disabled');
    const [row] = await auditRows('user.disabled', id);
    expect(row!.details).toMatchObject({ reason: 'Left the authority' });
    expect((row!.details as { sessionsRevoked: number }).sessionsRevoked).toBeGreaterThanOrEqual(1);

    const enable = await admin.post(`/admin/users/${id}/enable`, {});
    expect(enable.statusCode).toBe(303);
    expect(
      (await t.anonymous().post('/sign-in', { email: demoEmail('early.help'), password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(303);
    expect(await auditRows('user.enabled', id)).toHaveLength(1);
  });

  it('an administrator cannot disable themselves', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('system-administrator');
    const page = await admin.get(`/admin/users/${id}/disable`);
    expect(page.$('main').text()).toContain('You cannot disable your own account');
    expect(page.$('main form').length).toBe(0);
    const res = await admin.post(`/admin/users/${id}/disable`, {});
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#reason You cannot disable your own account. Ask another administrator to do it.',
    ]);
    expect(res.$('#reason').length).toBe(1);
    expect((await userByEmail(demoEmail('admin')))!.status).toBe('active');
  });

  it('unlocks an account locked after wrong passwords', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('contact-officer');
    for (let i = 0; i < 5; i++)
      await t.anonymous().post('/sign-in', { email: demoEmail('contact.officer'), password: `wrong ${i}` });
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.$('h1 .govuk-tag').text()).toContain('Locked out');
    expect((await admin.get('/admin/users?status=locked')).$('tbody').text()).toContain('Cara Oduya');
    const res = await admin.post(`/admin/users/${id}/unlock`, {});
    expect(res.statusCode).toBe(303);
    expect(
      (await t.anonymous().post('/sign-in', { email: demoEmail('contact.officer'), password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(303);
    expect(await auditRows('user.unlocked', id)).toHaveLength(1);
  });

  it('sets a new password (refusing a weak one), which ends their sessions', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('service-manager');
    const manager = await t.as('service-manager');
    const weak = await admin.post(`/admin/users/${id}/reset-password`, { password: 'aaaaaaaaaaaaaaa' });
    expect(weak.statusCode).toBe(400);
    expect(summaryLinks(weak)).toEqual(['#password Password must not repeat the same few characters']);
    const empty = await admin.post(`/admin/users/${id}/reset-password`, {});
    expect(summaryLinks(empty)).toEqual(['#password Enter a new password']);
    const res = await admin.post(`/admin/users/${id}/reset-password`, { password: 'a brand new passphrase' });
    expect(res.statusCode).toBe(303);
    expect((await manager.get('/account')).statusCode).toBe(303);
    expect(
      (await t.anonymous().post('/sign-in', { email: demoEmail('service.manager'), password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t
          .anonymous()
          .post('/sign-in', { email: demoEmail('service.manager'), password: 'a brand new passphrase' })
      ).statusCode,
    ).toBe(303);
    const [row] = await auditRows('user.password-reset', id);
    expect(JSON.stringify(row!.details)).not.toContain('passphrase');
  });

  it('resets two-factor so they set up an authenticator app again at the next sign-in', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('team-manager');
    await t.db
      .updateTable('users')
      .set({ totpSecret: 'v1.sealed', totpEnabledAt: t.clock.now(), mfaRequired: true })
      .where('id', '=', id)
      .execute();
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.$(`a[href="/admin/users/${id}/reset-two-factor"]`).length).toBe(1);
    const res = await admin.post(`/admin/users/${id}/reset-two-factor`, {});
    expect(res.statusCode).toBe(303);
    const user = await t.db
      .selectFrom('users')
      .select(['totpSecret', 'totpEnabledAt'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ totpSecret: null, totpEnabledAt: null });
    const signIn = await t
      .anonymous()
      .post('/sign-in', { email: demoEmail('team.manager'), password: TEST_PASSWORD });
    expect(signIn.headers.location).toBe('/sign-in/set-up-two-factor');
    expect(await auditRows('user.two-factor-reset', id)).toHaveLength(1);
  });

  it('signs someone out of every device', async () => {
    const admin = await t.as('system-administrator');
    const id = await t.userId('performance-analyst');
    const a = await t.as('performance-analyst');
    const b = await t.as('performance-analyst');
    const confirm = await admin.get(`/admin/users/${id}/sign-out-everywhere`);
    expect(confirm.$('main').text()).toMatch(/signed in on \d+ devices/);
    const res = await admin.post(`/admin/users/${id}/sign-out-everywhere`, {});
    expect(res.statusCode).toBe(303);
    expect((await a.get('/account')).statusCode).toBe(303);
    expect((await b.get('/account')).statusCode).toBe(303);
    const [row] = await auditRows('user.sessions-revoked', id);
    expect((row!.details as { sessionsRevoked: number }).sessionsRevoked).toBeGreaterThanOrEqual(2);
  });
});
