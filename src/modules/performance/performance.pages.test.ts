import { beforeAll, describe, expect, it } from 'vitest';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { summaryLinks } from '../../../test/builders/pages.ts';
import { aChild, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { anAssessmentRecord, anEpisodeRecord, referenceOf } from '../../../test/builders/performance.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { MEASURE_IDS } from './measures.ts';

/**
 * The performance pages on a fixed clock (Tuesday 24 November 2026): the default period is the collection year to
 * date, 1 April to 24 November 2026. Three assessments were authorised in it (measures.db.test.ts proves every
 * measure's counting; this file the pages):
 *
 *   Amy  1 May → 6 Jul 2026, 45 working days (within), Assessment Team
 *   Alf  1 May → 7 Jul 2026, 46 working days (late), a restricted record nobody here manages
 *   Ava  1 Sep → 10 Sep 2026, 8 working days (within), MASH
 */

const t = appForFile({ now: '2026-11-24T10:30:00Z' });
const refs: Record<string, string> = {};
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });

const rowsOf = (res: TestResponse, testid: string) =>
  res
    .$(`[data-testid="${testid}"] tbody tr`)
    .map((_, tr) => [
      res
        .$(tr)
        .find('th, td')
        .map((__, cell) => {
          const c = res.$(cell).clone();
          c.find('.govuk-visually-hidden').remove();
          return c.text().replace(/\s+/g, ' ').trim();
        })
        .get(),
    ])
    .get() as string[][];

/** The summary's measure and figure (its last column, against the target, is the targets page test's). */
const summaryOf = (res: TestResponse) => rowsOf(res, 'summary').map((r) => r.slice(0, 2));

beforeAll(async () => {
  const { richmond } = await localAuthorityIds(t.db);
  const sw = await userIdFor(t.db, 'social-worker');
  const assessment = async (
    name: string,
    team: string,
    start: string,
    authorised: string,
    restricted = false,
  ) => {
    const child = await aChild(t.db, { givenName: name, familyName: 'Pages', restricted });
    const episodeId = await anEpisodeRecord(t.db, {
      childId: child.id,
      localAuthorityId: richmond,
      referralDate: '2026-04-20',
      teamId: await teamId(t.db, team),
    });
    await anAssessmentRecord(t.db, episodeId, { startDate: start, authorisedOn: authorised, userId: sw });
    refs[name] = await referenceOf(t.db, episodeId);
    return child;
  };
  // Amy's is the social worker's case from 1 April (the worker filter).
  await anAllocation(
    t.db,
    await assessment('Amy', 'Assessment Team', '2026-05-01', '2026-07-06'),
    { role: 'social-worker' },
    '2026-04-01',
  );
  await assessment('Alf', 'Assessment Team', '2026-05-01', '2026-07-07', true);
  await assessment('Ava', 'MASH', '2026-09-01', '2026-09-10');
});

const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details'])
    .where('action', '=', action)
    .where('subjectType', '=', 'report')
    .orderBy('seq')
    .execute();

describe('performance pages', () => {
  it('the dashboard shows every measure for the collection year to date, with its chart and table', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.get('/performance');
    expect(res.statusCode).toBe(200);
    capture('dashboard', 'performance-analyst', '/performance', res);
    expect(res.$('[data-testid="period"]').text()).toContain('1 April 2026 to 24 November 2026');
    expect(summaryOf(res)).toHaveLength(MEASURE_IDS.length);
    expect(summaryOf(res)).toContainEqual(['Assessments completed within 45 working days', '66.7% (2 of 3)']);
    expect(res.$('[data-testid="chart-chart-assessment-timeliness"]').length).toBe(1);
    expect(rowsOf(res, 'table-assessment-timeliness')).toEqual([
      ['1 to 10 working days', '1', '1', '100%'],
      ['11 to 20 working days', '0', '0', '–'],
      ['21 to 30 working days', '0', '0', '–'],
      ['31 to 45 working days', '1', '1', '100%'],
      ['46 to 60 working days', '1', '0', '0%'],
      ['61 working days or more', '0', '0', '–'],
      ['All', '3', '2', '66.7%'],
    ]);
    const views = await audits('report.viewed');
    expect(views.at(-1)).toMatchObject({
      subjectId: 'performance',
      details: { from: '2026-04-01', to: '2026-11-24', teamId: null },
    });
  });

  it('the filter: a team and a period, with field errors for a period that does not make sense', async () => {
    const manager = await t.as('service-manager');
    const bad = await manager.post('/performance', {
      'from-day': '20',
      'from-month': '11',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '11',
      'to-year': '2026',
      team: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#to-day The end date must be the same as or after the start date']);
    expect([bad.$('#from-day').val(), bad.$('#to-day').val()]).toEqual(['20', '1']);
    const mash = await teamId(t.db, 'MASH');
    const good = await manager.post('/performance', {
      'from-day': '1',
      'from-month': '9',
      'from-year': '2026',
      'to-day': '30',
      'to-month': '9',
      'to-year': '2026',
      team: mash,
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/performance?from=2026-09-01&to=2026-09-30&team=${mash}`);
    const filtered = await manager.get(good.headers.location!);
    expect(summaryOf(filtered)).toContainEqual([
      'Assessments completed within 45 working days',
      '100% (1 of 1)',
    ]);
  });

  it('the worker and cluster filters, carried into the links; a bad value in the address is ignored with a warning', async () => {
    const manager = await t.as('service-manager');
    const sw = await userIdFor(t.db, 'social-worker');
    const res = await manager.get(`/performance?worker=${sw}`);
    expect(res.statusCode).toBe(200);
    capture('filtered', 'service-manager', `/performance?worker=${sw}`, res);
    expect(summaryOf(res)).toContainEqual(['Assessments completed within 45 working days', '100% (1 of 1)']);
    expect(res.$('#worker').val()).toBe(sw);
    expect(res.$('a[href^="/performance/measures/assessment-timeliness?"]').first().attr('href')).toContain(
      `worker=${sw}`,
    );
    expect(res.$('a[href*="/export"]').first().attr('href')).toContain(`worker=${sw}`);
    const caseloads = await manager.get(`/performance/measures/caseloads?worker=${sw}`);
    expect(caseloads.$('[data-testid="figure"]').text().trim()).toBe('1');
    expect(caseloads.$('[data-testid="drill-down"] thead th').first().text()).toBe('Worker');

    const bad = await manager.get(
      '/performance?from=2026-02-30&team=nonsense&worker=00000000-0000-4000-8000-000000000000',
    );
    expect(bad.statusCode).toBe(200);
    expect(
      bad
        .$('[data-testid="ignored-filters"] p')
        .map((_, p) => bad.$(p).text())
        .get(),
    ).toEqual([
      'The start or end date in the address is not a real date: showing the collection year to date.',
      'The team in the address is not one of your teams: showing every team.',
      'The worker in the address has no allocated children in the period: showing every worker.',
    ]);
    expect(summaryOf(bad)).toContainEqual(['Assessments completed within 45 working days', '66.7% (2 of 3)']);

    const refused = await manager.post('/performance', {
      'from-day': '1',
      'from-month': '4',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '11',
      'to-year': '2026',
      worker: 'someone',
      cluster: 'somewhere',
    });
    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused)).toEqual([
      '#worker Select a worker from the list',
      '#cluster Select an early help cluster from the list',
    ]);
    const cluster = await t.db
      .selectFrom('clusters')
      .select('id')
      .where('name', '=', 'Richmond and Kew')
      .executeTakeFirstOrThrow();
    const byCluster = await manager.get(`/performance?cluster=${cluster.id}`);
    expect(byCluster.$('[data-testid="not-by-cluster-assessment-timeliness"]').length).toBe(1);
    expect(byCluster.$('[data-testid="not-by-cluster-step-ups"]').length).toBe(0);
  });

  it('a measure’s page lists the children behind the figure, a restricted child counted but not named, and is audited', async () => {
    const manager = await t.as('team-manager');
    const url = '/performance/measures/assessment-timeliness';
    const res = await manager.get(url);
    expect(res.statusCode).toBe(200);
    capture('measure', 'team-manager', url, res);
    expect(res.$('[data-testid="figure"]').text()).toContain('66.7%: 2 of 3');
    const rows = rowsOf(res, 'drill-down');
    expect(rows.map((r) => r[0]).sort()).toEqual([refs.Amy, refs.Alf, refs.Ava].sort());
    expect(rows.find((r) => r[0] === refs.Alf)?.[1]).toBe('Not shown: you cannot see this record');
    expect(rows.find((r) => r[0] === refs.Amy)?.slice(1)).toEqual([
      'Amy Pages',
      '6 July 2026',
      '31 to 45 working days',
      'Within 45 working days',
      '45',
      '–',
    ]);
    expect(res.$('[data-testid="withheld"]').text()).toContain('1 on this page is counted but not named');

    const late = await manager.get(`${url}?counted=no`);
    expect(rowsOf(late, 'drill-down').map((r) => r[0])).toEqual([refs.Alf]);
    const views = await audits('report.viewed');
    expect(views.at(-1)).toMatchObject({
      subjectId: 'performance-assessment-timeliness',
      details: { counted: 'no', children: 1, named: 0 },
    });
  });

  it('downloads the table and the list of children as CSV, each download audited', async () => {
    const analyst = await t.as('performance-analyst');
    const table = await analyst.get('/performance/measures/assessment-timeliness/export');
    expect(table.statusCode).toBe(200);
    expect(table.headers['content-type']).toContain('text/csv');
    expect(table.body.split('\r\n')[0]).toBe('Working days taken,Total,Within 45 working days,Percentage');
    expect(table.body).toContain('All,3,2,66.7');
    const list = await analyst.get(
      '/performance/measures/assessment-timeliness/export?list=children&counted=yes',
    );
    const lines = list.body.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    // The analyst may not open children's records: the list has references, not names.
    expect(lines.slice(1).every((l) => l.includes('Not shown: you cannot see this record'))).toBe(true);
    const exports = await audits('report.exported');
    expect(exports.map((e) => (e.details as { list: string; rows: number }).list)).toEqual([
      'figure',
      'children',
    ]);
    expect((exports[1]!.details as { rows: number }).rows).toBe(2);
  });

  it('the definitions page explains every measure', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.get('/performance/definitions');
    expect(res.statusCode).toBe(200);
    capture('definitions', 'performance-analyst', '/performance/definitions', res);
    for (const id of MEASURE_IDS) expect(res.$(`[data-testid="definition-${id}"]`).length, id).toBe(1);
    expect(res.$('[data-testid="definition-assessment-timeliness"]').text()).toContain('bank holiday');
  });

  it('is refused to roles without the reporting permission, and an unknown measure is not found', async () => {
    expect((await (await t.as('social-worker')).get('/performance')).statusCode).toBe(403);
    expect((await (await t.as('performance-analyst')).get('/performance/measures/nonsense')).statusCode).toBe(
      404,
    );
  });

  it('has no accessibility violations', async () => {
    expect([...forAxe.keys()].sort()).toEqual(['dashboard', 'definitions', 'filtered', 'measure']);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  }, 180_000);
});
