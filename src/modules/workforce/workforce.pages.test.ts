import { beforeAll, describe, expect, it } from 'vitest';
import { errorHrefs } from '../../../test/builders/pages.ts';
import { aStaffMember, aSupervisionSession, aTeam } from '../../../test/builders/workforce.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * The workforce page: the service manager sees their teams' figures (each a chart with its table), opens the
 * workers behind a count (audited with the workers shown), narrows to one team and downloads a table as CSV
 * (audited as an export); the principal social worker sees every team; a team manager gets 403. An administrator
 * records a team's funded posts, which the vacancies use. Every kind of page is checked with axe.
 */

const t = appForFile();
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
let team: string;

beforeAll(async () => {
  team = await aTeam(t.db, 'Page Count Team', {
    parent: 'Children in Need and Protection Service',
    funded: 3,
  });
  const tm = await t.userId('team-manager');
  await aStaffMember(t.db, team, 'Gail Green', { profile: { contractType: 'agency-locum' } });
  const hana = await aStaffMember(t.db, team, 'Hana Hill', { profile: { sweRenewalOn: '2026-11-30' } });
  await aSupervisionSession(t.db, tm, hana, '2026-11-20');
});

describe('workforce page', () => {
  it('shows the service manager each figure as a chart beside its table, and the workers behind a count', async () => {
    const sm = await t.as('service-manager');
    const page = await sm.get('/workforce');
    expect(page.statusCode).toBe(200);
    capture('workforce', 'service-manager', '/workforce', page);
    for (const id of [
      'stability',
      'over-time',
      'caseloads',
      'supervision',
      'asye',
      'registrations',
      'training',
    ]) {
      expect(page.$(`[data-testid="chart-${id}"]`).length, id).toBe(1);
      expect(page.$(`[data-testid="table-${id}"]`).length, id).toBe(1);
    }
    const row = page
      .$('[data-testid="table-stability"] tr')
      .filter((_, tr) => page.$(tr).text().includes('Page Count Team'));
    // In post 2 (FTE 2), 1 permanent and 1 agency; 3 funded posts, so 1 vacancy.
    expect(row.find('td').first().text().trim()).toMatch(/^2/);
    expect(row.find('td').last().text().trim()).toBe('1');
    const agencyLink = row.find('a').filter((_, a) => page.$(a).text().includes('agency or locum'));
    const href = agencyLink.attr('href')!;
    expect(href).toContain(`team=${team}`);

    const workers = await sm.get(href);
    expect(workers.statusCode).toBe(200);
    expect(workers.$('[data-testid="workers"]').text()).toContain('Gail Green');
    expect(workers.$('[data-testid="workers"]').text()).not.toContain('Hana Hill');
    expect(workers.$('[data-testid="total"]').text()).toContain('1 worker.');
    capture('workers', 'service-manager', href, workers);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'report.viewed')
      .where('subjectId', '=', 'workforce-workers')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).toContain(await gailId());
  });

  it('narrows to one team; a team the viewer does not oversee is not found', async () => {
    const sm = await t.as('service-manager');
    const one = await sm.get(`/workforce?team=${team}`);
    expect(one.statusCode).toBe(200);
    expect(one.$('.govuk-caption-l').text()).toContain('Page Count Team');
    expect(one.$('[data-testid="table-registrations"]').text()).toContain('Page Count Team');
    const earlyHelp = await t.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', 'Early Help Service')
      .executeTakeFirstOrThrow();
    expect((await sm.get(`/workforce?team=${earlyHelp.id}`)).statusCode).toBe(404);
  });

  it('downloads a table as a CSV file, audited as an export', async () => {
    const sm = await t.as('service-manager');
    const res = await sm.get(`/workforce/figures/download?table=supervision&team=${team}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('workforce-supervision-2026-11-24.csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('Team,Case holders,Within timescale,Overdue,Within timescale (%)');
    // Hana was supervised on 20 November; Gail never (her account is older than a month).
    expect(lines).toContain('Page Count Team,2,1,1,50%');
    expect(lines).toContain('All teams,2,1,1,50%');
    const exported = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'report.exported')
      .where('subjectId', '=', 'workforce')
      .execute();
    expect(exported[0]!.details).toMatchObject({ table: 'supervision', team, format: 'csv' });
  });

  it('shows the principal social worker every team; a team manager gets 403', async () => {
    const psw = await (await t.as('principal-social-worker')).get('/workforce');
    expect(psw.statusCode).toBe(200);
    expect(psw.$('[data-testid="table-stability"]').text()).toContain('Early Help Service');
    // The principal social worker does not manage the workers: their names do not link to HR profiles.
    const list = await (
      await t.as('principal-social-worker')
    ).get(`/workforce/figures/workers?figure=in-post&team=${team}`);
    expect(list.$('[data-testid="workers"] a').length).toBe(0);
    expect(list.$('[data-testid="workers"]').text()).toContain('Hana Hill');
    expect((await (await t.as('team-manager')).get('/workforce')).statusCode).toBe(403);
  });

  it('lets an administrator record a team’s funded posts, with a field error for a bad number', async () => {
    const admin = await t.as('system-administrator');
    const url = `/admin/teams/${team}/edit`;
    const form = await admin.get(url);
    expect(form.$('#fundedPosts').val()).toBe('3');
    const fields = {
      name: 'Page Count Team',
      serviceId: String(form.$('#serviceId').val() ?? ''),
      parentTeamId: String(form.$('#parentTeamId').val() ?? ''),
      clusterId: '',
      managerUserId: '',
      version: form.$('input[name="version"]').attr('value')!,
    };
    const bad = await admin.post(url, { ...fields, fundedPosts: 'six' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#fundedPosts']);
    expect(bad.$('#fundedPosts').val()).toBe('six');
    capture('team form refused', 'system-administrator', url, bad);
    expect((await admin.post(url, { ...fields, fundedPosts: '4.5' })).statusCode).toBe(303);
    const saved = await t.db
      .selectFrom('teams')
      .select('fundedPosts')
      .where('id', '=', team)
      .executeTakeFirstOrThrow();
    expect(Number(saved.fundedPosts)).toBe(4.5);
    // The history: the earlier figure kept as before, the new one in force from today.
    const history = await t.db
      .selectFrom('teamFundedPosts')
      .select(['fromDate', 'fundedPosts'])
      .where('teamId', '=', team)
      .orderBy('fromDate')
      .execute();
    expect(history.map((h) => [h.fromDate === '2000-01-01', Number(h.fundedPosts)])).toEqual([
      [true, 3],
      [false, 4.5],
    ]);
    const changed = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'team.updated')
      .where('subjectId', '=', team)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(changed.details)).toContain('fundedPosts');
  });

  it('has no accessibility problems', async () => {
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});

async function gailId() {
  return (
    await t.db
      .selectFrom('users')
      .select('id')
      .where('displayName', '=', 'Gail Green')
      .executeTakeFirstOrThrow()
  ).id;
}
