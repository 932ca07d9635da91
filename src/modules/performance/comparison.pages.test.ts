import { beforeAll, describe, expect, it } from 'vitest';
import { aChild } from '../../../test/builders/people.ts';
import { localAuthorityIds } from '../../../test/builders/organisation.ts';
import { anEpisodeRecord } from '../../../test/builders/performance.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { postMultipart, summaryLinks } from '../../../test/builders/pages.ts';
import { appForFile } from '../../../test/support/test-app.ts';

/**
 * Comparison figures beside each measure (issue 21 item 3), on a fixed clock (24 November 2026, so the period is the
 * collection year to date, 1 April to 24 November 2026, and the year before is 1 April to 24 November 2025). Hand
 * count: one child referred on 10 September 2025 and again on 1 September 2026.
 *
 *   Referrals:     this period 1, the same period a year before 1
 *   Re-referrals:  this period 100% (1 of 1: the 2025 referral is within 12 months), a year before 0% (0 of 1)
 *   England:       22.6% (shipped: Children in need 2025, data set C1); statistical neighbours: not available
 *
 * Then an analyst loads 2025-26 from CSV: a bad file is refused row by row keeping what was typed, a good one is
 * used at once, a stale page is refused (409). Last, a file naming three statistical neighbours (one suppressed):
 * the average is (19.8 + 24.1) / 2 = 21.95, shown as 22%, "from 2 of 3", and each neighbour is listed.
 */

const t = appForFile({ now: '2026-11-24T10:30:00Z' });
const { forAxe, capture } = axeCapture();

beforeAll(async () => {
  const { richmond } = await localAuthorityIds(t.db);
  const child = await aChild(t.db, { givenName: 'Cora', familyName: 'Compare' });
  await anEpisodeRecord(t.db, { childId: child.id, localAuthorityId: richmond, referralDate: '2025-09-10' });
  await anEpisodeRecord(t.db, { childId: child.id, localAuthorityId: richmond, referralDate: '2026-09-01' });
});

const rowOf = (page: Awaited<ReturnType<Awaited<ReturnType<typeof t.as>>['get']>>, title: string) =>
  page
    .$('[data-testid="summary"] tbody tr')
    .filter((_, tr) => page.$(tr).find('th').text().trim() === title)
    .find('td')
    .map((_, td) => page.$(td).text().replace(/\s+/g, ' ').trim())
    .get();

const HEAD = 'measure,year,england,statistical_neighbours,source';
const FULL = 'measure,year,area,la_code,la_name,figure,source';

describe('comparison figures', () => {
  it('each measure shows the same period a year before, England and statistical neighbours (hand count)', async () => {
    const analyst = await t.as('performance-analyst');
    const dashboard = await analyst.get('/performance');
    expect(dashboard.statusCode).toBe(200);
    capture('dashboard', 'performance-analyst', '/performance', dashboard);
    const head = dashboard
      .$('[data-testid="summary"] thead th')
      .map((_, th) => dashboard.$(th).text().trim())
      .get();
    expect(head).toEqual([
      'Measure',
      'Figure',
      'Same period a year before',
      'England 2024 to 2025',
      'Statistical neighbours 2024 to 2025',
      'Against target',
    ]);
    expect(rowOf(dashboard, 'Referrals')).toEqual([
      '1 Referrals, all',
      '1',
      'Not compared',
      'Not compared',
      'No target',
    ]);
    expect(rowOf(dashboard, 'Re-referrals within 12 months').slice(0, 4)).toEqual([
      '100% (1 Re-referral of 1 Re-referrals within 12 months, all)',
      '0%',
      '22.6%',
      'Not available',
    ]);
    expect(rowOf(dashboard, 'Assessments completed within 45 working days').slice(2, 4)).toEqual([
      '85.7%',
      'Not available',
    ]);
    // England as a reference line on the rate's chart.
    expect(dashboard.$('[data-testid="marker-chart-re-referrals"] title').text()).toBe(
      'England 2024 to 2025: 22.6%',
    );

    const measure = await analyst.get('/performance/measures/re-referrals');
    expect(measure.statusCode).toBe(200);
    capture('measure', 'performance-analyst', '/performance/measures/re-referrals', measure);
    const compared = measure
      .$('[data-testid="comparison"] tbody tr')
      .map((_, tr) => measure.$(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(compared).toEqual([
      'This period (1 April 2026 to 24 November 2026) 100%',
      'The same period a year before (1 April 2025 to 24 November 2025) 0%',
      'England, 2024 to 2025 22.6%',
      'Statistical neighbours, 2024 to 2025 Not available',
    ]);
    expect(measure.$('[data-testid="comparison-source"]').text()).toContain(
      'data set C1 Referrals and re-referrals to children',
    );
    expect(measure.$('[data-testid="comparison-source"]').text()).toContain(
      'https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/911dae20-ac5d-4e28-bee8-53a658761fa5',
    );
    expect(measure.$('[data-testid="chart-compare-re-referrals"]').length).toBe(1);
  });

  it('an analyst loads a newer year: problems row by row, what was typed kept; then it is used; a stale page is refused', async () => {
    const analyst = await t.as('performance-analyst');
    const list = await analyst.get('/performance/comparison');
    expect(list.statusCode).toBe(200);
    capture('comparison', 'performance-analyst', '/performance/comparison', list);
    // The set shipped in 0149 and the one checked again in 0165; the later is in use.
    expect(list.$('[data-testid="sets"] tbody tr').length).toBe(2);
    expect(list.$('[data-testid="no-neighbours"]').length).toBe(1);
    const template = await analyst.get('/performance/comparison/template');
    expect(template.statusCode).toBe(200);
    expect(template.body.split('\r\n')[0]).toBe(FULL);
    expect(template.body).toContain('re-referrals,2024-25,england,E92000001,England,22.6,');

    const form = await analyst.get('/performance/comparison/new');
    capture('comparison-new', 'performance-analyst', '/performance/comparison/new', form);
    expect(form.$('input[name="version"]').val()).toBe('0');
    const badCsv = `${HEAD}\nre-referrals,2025-26,abc,,Children in need 2026\nreferrals,2025-26,1,,x\n`;
    const bad = await analyst.post('/performance/comparison/new', { version: '0', csv: badCsv });
    expect(bad.statusCode).toBe(400);
    capture('comparison-new-errors', 'performance-analyst', '/performance/comparison/new', bad);
    expect(summaryLinks(bad)).toEqual([
      '#csv Row 2: the England figure must be a percentage from 0 to 100 with at most one decimal place, or blank',
      '#csv Row 3: “referrals” is not a measure that can be compared (use a rate measure’s id, such as re-referrals)',
    ]);
    expect(bad.$('#csv').text()).toBe(badCsv);

    const good = await analyst.post('/performance/comparison/new', {
      version: '0',
      csv: `${HEAD}\nre-referrals,2025-26,21.9,19.4,"Children in need 2026, table C1"\n`,
    });
    expect(good.statusCode).toBe(303);
    const stale = await analyst.post('/performance/comparison/new', {
      version: '0',
      csv: `${HEAD}\nre-referrals,2025-26,30,,Other\n`,
    });
    expect(stale.statusCode).toBe(409);

    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['details'])
      .where('action', '=', 'performance-comparison.loaded')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ year: '2025-26', version: 1 });

    const dashboard = await analyst.get('/performance');
    expect(rowOf(dashboard, 'Re-referrals within 12 months').slice(2, 4)).toEqual(['21.9%', '19.4%']);
    const after = await analyst.get('/performance/comparison');
    expect(after.$('[data-testid="sets"] tbody tr').length).toBe(3);
    expect(after.$('[data-testid="current"] tbody tr').first().text()).toContain('19.4%');
  });

  it('an analyst loads the figures as a CSV file: a wrong file or a bad row is a field error on the file', async () => {
    const analyst = await t.as('performance-analyst');
    const url = '/performance/comparison/new';
    const version = (await analyst.get(url)).$('input[name="version"]').val() as string;
    const upload = (name: string, text: string) =>
      postMultipart(
        t.app,
        analyst,
        url,
        { version, csv: '' },
        { field: 'file', name, type: 'text/csv', content: Buffer.from(text) },
      );

    const notCsv = await upload('figures.txt', `${HEAD}\nre-referrals,2026-27,20,,x\n`);
    expect(notCsv.statusCode).toBe(400);
    expect(summaryLinks(notCsv)).toEqual(['#file The selected file must be a CSV file (ending .csv)']);
    const badRow = await upload('figures.csv', `${HEAD}\nre-referrals,2026-27,101,,x\n`);
    expect(badRow.statusCode).toBe(400);
    capture('comparison-new-file-errors', 'performance-analyst', url, badRow);
    expect(summaryLinks(badRow)).toEqual([
      '#file Row 2: the England figure must be a percentage from 0 to 100 with at most one decimal place, or blank',
    ]);
    const nothing = await analyst.post(url, { version, csv: '' });
    expect(summaryLinks(nothing)).toEqual(['#file Choose a CSV file of comparison figures, or paste one']);

    // Excel's "CSV UTF-8" starts with a byte-order mark.
    const good = await upload(
      'figures.csv',
      `\uFEFF${HEAD}\r\nre-referrals,2026-27,20.5,18,"Children in need 2027, table C1"\r\n`,
    );
    expect(good.statusCode).toBe(303);
    const dashboard = await analyst.get('/performance');
    expect(rowOf(dashboard, 'Re-referrals within 12 months').slice(2, 4)).toEqual(['20.5%', '18%']);
  });

  it('an analyst loads statistical neighbours by LA code: the average from those with a figure, and each one listed', async () => {
    const analyst = await t.as('performance-analyst');
    const url = '/performance/comparison/new';
    const version = (await analyst.get(url)).$('input[name="version"]').val() as string;
    const csv = [
      FULL,
      're-referrals,2027-28,england,E92000001,England,21.9,"Children in need 2028, C1"',
      're-referrals,2027-28,neighbour,314,Kingston upon Thames,19.8,"Children in need 2028, C1"',
      're-referrals,2027-28,neighbour,E09000005,Brent,24.1,"Children in need 2028, C1"',
      're-referrals,2027-28,neighbour,316,Newham,,"Children in need 2028, C1: suppressed"',
    ].join('\n');
    expect((await analyst.post(url, { version, csv })).statusCode).toBe(303);

    const dashboard = await analyst.get('/performance');
    expect(rowOf(dashboard, 'Re-referrals within 12 months').slice(2, 4)).toEqual(['21.9%', '22%']);
    const measure = await analyst.get('/performance/measures/re-referrals');
    capture('measure-neighbours', 'performance-analyst', '/performance/measures/re-referrals', measure);
    const compared = measure
      .$('[data-testid="comparison"] tbody tr')
      .map((_, tr) => measure.$(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(compared.slice(2)).toEqual([
      'England, 2027 to 2028 21.9%',
      'Statistical neighbours, 2027 to 2028 (average of 2 of 3 neighbours with a figure) 22%',
      'Neighbour: Kingston upon Thames (314) 19.8%',
      'Neighbour: Brent (E09000005) 24.1%',
      'Neighbour: Newham (316) Not available',
    ]);
    const list = await analyst.get('/performance/comparison');
    capture('comparison-neighbours', 'performance-analyst', '/performance/comparison', list);
    expect(list.$('[data-testid="current"] tbody tr').first().text().replace(/\s+/g, ' ')).toContain(
      '21.9% 22% 2 of 3',
    );
    const neighbours = list
      .$('[data-testid="neighbours"] tbody tr')
      .map((_, tr) => list.$(tr).find('th, td').slice(0, 2).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(neighbours).toEqual([
      'Kingston upon Thames (314)19.8%',
      'Brent (E09000005)24.1%',
      'Newham (316)Not available',
    ]);
    const template = await analyst.get('/performance/comparison/template');
    expect(template.body).toContain('re-referrals,2027-28,neighbour,314,Kingston upon Thames,19.8,');
    expect(template.body).toContain('seen-alone,2027-28,neighbour,316,Newham,,Not given');
  });

  it('a social worker cannot load figures', async () => {
    const sw = await t.as('social-worker');
    expect((await sw.get('/performance/comparison/new')).statusCode).toBe(403);
  });

  it('has no accessibility violations', async () => {
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  }, 180_000);
});
