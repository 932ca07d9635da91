import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { localAuthorityId } from '../../../test/builders/organisation.ts';
import { summaryLinks } from '../../../test/builders/pages.ts';

let richmond: string;
const team = async (name: string) =>
  await t.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

const lastAudit = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['details', 'actorLabel'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .orderBy('seq', 'desc')
    .executeTakeFirst();

const t = appForFile();
beforeAll(async () => {
  richmond = await localAuthorityId(t.db);
});

describe('teams', () => {
  it('shows the hierarchy as an indented list, each team followed by the teams inside it, with manager and cluster', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get('/admin/teams');
    const rows = res
      .$('tbody tr')
      .map((_, tr) => ({
        name: res
          .$(tr)
          .find('td')
          .first()
          .find('[data-depth]')
          .text()
          .replace('└', '')
          .replace(/Inside the team above, level \d+: /, '')
          .trim(),
        depth: Number(res.$(tr).find('[data-depth]').attr('data-depth')),
        manager: res.$(tr).find('td').eq(2).text().trim(),
        cluster: res.$(tr).find('td').eq(3).text().trim(),
      }))
      .get();
    const names = rows.map((r) => r.name);
    const at = (n: string) => names.indexOf(n);
    expect(at('Children in Need and Protection Service')).toBeLessThan(at('Assessment Team'));
    expect(rows[at('Assessment Team')]).toMatchObject({ depth: 1, manager: 'Tom Mensah' });
    expect(rows[at('Children in Need and Protection Service')]).toMatchObject({
      depth: 0,
      manager: 'Sara Maddox',
    });
    expect(rows[at('Early Help – Hampton and Whitton cluster')]).toMatchObject({
      depth: 1,
      cluster: 'Hampton and Whitton',
    });
    // The teams inside a team come straight after it, before the next top-level team.
    expect(names.slice(at('Front Door Service'), at('Front Door Service') + 3)).toEqual([
      'Front Door Service',
      'MASH',
      'Single Point of Access',
    ]);
    expect(rows[at('Performance and Data')]!.depth).toBe(0);
  });

  it('adding a team: bad POST → 400 with summary links; good POST → 303 and it appears under its parent', async () => {
    const admin = await t.as('system-administrator');
    const bad = await admin.post('/admin/teams/new', { localAuthorityId: '', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#localAuthorityId Select the local authority',
      '#name Enter the team’s name',
    ]);
    const duplicate = await admin.post('/admin/teams/new', {
      localAuthorityId: richmond,
      name: 'assessment team',
    });
    expect(summaryLinks(duplicate)).toEqual([
      '#name There is already a team called assessment team in this local authority',
    ]);
    const parent = await team('Children in Need and Protection Service');
    const good = await admin.post('/admin/teams/new', {
      localAuthorityId: richmond,
      name: 'Disabled Children’s Team',
      parentTeamId: parent.id,
      serviceId: parent.serviceId!,
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/admin/teams');
    const list = await admin.get('/admin/teams');
    expect(list.$('.govuk-notification-banner').text()).toContain('Disabled Children’s Team has been added');
    const created = await team('Disabled Children’s Team');
    expect(created.parentTeamId).toBe(parent.id);
    expect((await lastAudit('team.created', created.id))?.details).toMatchObject({
      name: 'Disabled Children’s Team',
      parentTeamId: parent.id,
    });
  });

  it('changing a team’s manager: 303, visible on the list, audited with before and after', async () => {
    const admin = await t.as('system-administrator');
    const cp = await team('Child Protection Team');
    const form = await admin.get(`/admin/teams/${cp.id}/edit`);
    expect(form.$('h1').text()).toBe('Change Child Protection Team');
    const newManager = await t.userId('social-worker');
    const res = await admin.post(`/admin/teams/${cp.id}/edit`, {
      name: cp.name,
      serviceId: cp.serviceId ?? '',
      parentTeamId: cp.parentTeamId ?? '',
      clusterId: '',
      managerUserId: newManager,
      version: form.$('input[name="version"]').val() as string,
    });
    expect(res.statusCode).toBe(303);
    const list = await admin.get('/admin/teams');
    const row = list
      .$('tbody tr')
      .filter((_, tr) => list.$(tr).find('td').first().text().includes('Child Protection Team'));
    expect(row.find('td').eq(2).text().trim()).toBe('Sian Walker');
    expect((await lastAudit('team.updated', cp.id))?.details).toEqual({
      before: { managerUserId: null },
      after: { managerUserId: newManager },
      changed: ['managerUserId'],
    });
  });

  it('refuses to put a team inside one of its own teams (a cycle), and does not offer it', async () => {
    const admin = await t.as('system-administrator');
    const service = await team('Children in Need and Protection Service');
    const assessment = await team('Assessment Team');
    const form = await admin.get(`/admin/teams/${service.id}/edit`);
    const offered = form
      .$('#parentTeamId option')
      .map((_, o) => form.$(o).val())
      .get();
    expect(offered).not.toContain(assessment.id);
    expect(offered).not.toContain(service.id);
    const res = await admin.post(`/admin/teams/${service.id}/edit`, {
      name: service.name,
      parentTeamId: assessment.id,
      managerUserId: service.managerUserId ?? '',
      version: form.$('input[name="version"]').val() as string,
    });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res)).toEqual([
      '#parentTeamId A team cannot sit inside itself or inside one of the teams below it',
    ]);
    expect((await team('Children in Need and Protection Service')).parentTeamId).toBeNull();
  });

  it('a stale save answers 409 and overwrites nothing', async () => {
    const admin = await t.as('system-administrator');
    const qa = await team('Quality Assurance');
    const res = await admin.post(`/admin/teams/${qa.id}/edit`, {
      name: 'QA renamed',
      version: String(qa.version - 1 || 99),
    });
    expect(res.statusCode).toBe(409);
    expect(res.$('.govuk-error-summary').text()).toContain('Someone else changed this team');
    expect(res.$('.govuk-inset-text').text()).toContain('Quality Assurance');
    expect((await team('Quality Assurance')).name).toBe('Quality Assurance');
  });
});

describe('locality clusters', () => {
  it('lists clusters with their teams; adds and renames one (400 on a bad form, audited)', async () => {
    const admin = await t.as('system-administrator');
    const list = await admin.get('/admin/clusters');
    expect(list.$('tbody tr').length).toBe(3);
    const bad = await admin.post('/admin/clusters/new', {});
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#localAuthorityId Select the local authority',
      '#name Enter the cluster’s name',
    ]);
    const good = await admin.post('/admin/clusters/new', {
      localAuthorityId: richmond,
      name: 'Barnes and Mortlake',
      description: 'North-west',
    });
    expect(good.statusCode).toBe(303);
    const cluster = await t.db
      .selectFrom('clusters')
      .selectAll()
      .where('name', '=', 'Barnes and Mortlake')
      .executeTakeFirstOrThrow();
    const form = await admin.get(`/admin/clusters/${cluster.id}/edit`);
    expect(form.$('#name').val()).toBe('Barnes and Mortlake');
    const renamed = await admin.post(`/admin/clusters/${cluster.id}/edit`, {
      name: 'Barnes, Mortlake and East Sheen',
      description: 'North-west',
      version: '1',
    });
    expect(renamed.statusCode).toBe(303);
    expect((await admin.get('/admin/clusters')).$('tbody').text()).toContain(
      'Barnes, Mortlake and East Sheen',
    );
    expect((await lastAudit('cluster.updated', cluster.id))?.details).toMatchObject({
      before: { name: 'Barnes and Mortlake' },
      after: { name: 'Barnes, Mortlake and East Sheen' },
    });
    const stale = await admin.post(`/admin/clusters/${cluster.id}/edit`, { name: 'Old', version: '1' });
    expect(stale.statusCode).toBe(409);
  });
});

describe('partner agencies', () => {
  it('lists agencies with their kind, authorities and users', async () => {
    const admin = await t.as('system-administrator');
    const list = await admin.get('/admin/agencies');
    const police = list.$('tbody tr').filter((_, tr) => list.$(tr).text().includes('Metropolitan Police'));
    expect(police.text()).toContain('Police');
    expect(police.text()).toContain('Kingston upon Thames, Richmond upon Thames');
    expect(police.find('td').last().text().trim()).toBe('1');
  });

  it('an agency’s page lists its users, with change links', async () => {
    const admin = await t.as('system-administrator');
    const school = await t.db
      .selectFrom('agencies')
      .select('id')
      .where('name', '=', 'Orchard Primary School')
      .executeTakeFirstOrThrow();
    const res = await admin.get(`/admin/agencies/${school.id}`);
    expect(res.$('h1').text()).toBe('Orchard Primary School');
    expect(res.$('main table').text()).toContain('Sam Lowe');
    expect(res.$(`a[href="/admin/agencies/${school.id}/edit#kind"]`).length).toBe(1);
  });

  it('adds an agency (400 on a bad form) and changes it, audited', async () => {
    const admin = await t.as('system-administrator');
    const bad = await admin.post('/admin/agencies/new', { name: '', kind: 'circus', email: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#name Enter the agency’s name',
      '#kind Select the kind of agency',
      '#email Enter an email address in the correct format, like name@example.org',
    ]);
    const duplicate = await admin.post('/admin/agencies/new', {
      name: 'orchard primary school',
      kind: 'school',
    });
    expect(summaryLinks(duplicate)).toEqual([
      '#name There is already an agency called orchard primary school',
    ]);
    const good = await admin.post('/admin/agencies/new', {
      name: 'Little Acorns Nursery',
      kind: 'early-years',
      email: 'Office@Acorns.example',
      localAuthorityIds: [richmond],
    });
    expect(good.statusCode).toBe(303);
    const agency = await t.db
      .selectFrom('agencies')
      .selectAll()
      .where('name', '=', 'Little Acorns Nursery')
      .executeTakeFirstOrThrow();
    expect(good.headers.location).toBe(`/admin/agencies/${agency.id}`);
    expect(agency.email).toBe('office@acorns.example');
    const edit = await admin.post(`/admin/agencies/${agency.id}/edit`, {
      name: 'Little Acorns Nursery',
      kind: 'early-years',
      code: 'EY123',
      localAuthorityIds: [],
      version: '1',
    });
    expect(edit.statusCode).toBe(303);
    const page = await admin.get(`/admin/agencies/${agency.id}`);
    expect(page.$('main').text()).toContain('EY123');
    expect(page.$('main').text()).toContain('No local authority');
    expect((await lastAudit('agency.updated', agency.id))?.details).toMatchObject({
      before: { code: null, email: 'office@acorns.example', localAuthorityIds: [richmond] },
      after: { code: 'EY123', email: null, localAuthorityIds: [] },
    });
  });
});

describe('local authorities', () => {
  it('lists authorities with their LA code and read-by-default setting', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get('/admin/local-authorities');
    const rows = res
      .$('tbody tr')
      .map((_, tr) =>
        res
          .$(tr)
          .find('td')
          .slice(0, 3)
          .map((__, td) => res.$(td).text().trim())
          .get()
          .join('|'),
      )
      .get();
    expect(rows).toEqual(['Kingston upon Thames|314|Yes', 'Richmond upon Thames|318|Yes']);
  });

  it('adds an authority: the LA code is checked (3 digits, unique)', async () => {
    const admin = await t.as('system-administrator');
    const bad = await admin.post('/admin/local-authorities/new', { laCode: '31', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#laCode Local authority code must be 3 digits, like 318',
      '#name Enter the local authority’s name',
      '#staffReadByDefault Select whether children’s services staff can read unrestricted records by default',
    ]);
    const taken = await admin.post('/admin/local-authorities/new', {
      laCode: '318',
      name: 'Elsewhere',
      staffReadByDefault: 'yes',
    });
    expect(summaryLinks(taken)).toEqual(['#laCode There is already a local authority with code 318']);
    const good = await admin.post('/admin/local-authorities/new', {
      laCode: '319',
      name: 'Sutton',
      staffReadByDefault: 'no',
    });
    expect(good.statusCode).toBe(303);
    const list = await admin.get('/admin/local-authorities');
    expect(list.$('tbody').text()).toContain('Sutton');
  });

  it('changes the read-by-default setting, shown on the list and audited; the code is shown, not editable', async () => {
    const admin = await t.as('system-administrator');
    const form = await admin.get(`/admin/local-authorities/${richmond}/edit`);
    expect(form.$('input[name="laCode"]').length).toBe(0);
    expect(form.$('.govuk-summary-list').text()).toContain('318');
    expect(form.$('input[name="staffReadByDefault"]:checked').val()).toBe('yes');
    const res = await admin.post(`/admin/local-authorities/${richmond}/edit`, {
      name: 'Richmond upon Thames',
      staffReadByDefault: 'no',
      version: form.$('input[name="version"]').val() as string,
    });
    expect(res.statusCode).toBe(303);
    const la = await t.db
      .selectFrom('localAuthorities')
      .select(['staffReadByDefault', 'version'])
      .where('id', '=', richmond)
      .executeTakeFirstOrThrow();
    expect(la.staffReadByDefault).toBe(false);
    expect((await lastAudit('local-authority.updated', richmond))?.details).toMatchObject({
      before: { staffReadByDefault: true },
      after: { staffReadByDefault: false },
      laCode: '318',
    });
    const stale = await admin.post(`/admin/local-authorities/${richmond}/edit`, {
      name: 'Richmond',
      staffReadByDefault: 'yes',
      version: '1',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('.govuk-inset-text').text()).toContain('cannot read unrestricted records by default');
  });
});
