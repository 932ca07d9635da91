import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { ANNEX_A_LISTS } from './annex-a.ts';

/** The Annex A pages on the test clock (Tuesday 24 November 2026): the form, its errors and the downloads. */

const t = appForFile();

const PAGE = '/reports/returns/annex-a';
const window = {
  'from-day': '25',
  'from-month': '5',
  'from-year': '2026',
  'to-day': '24',
  'to-month': '11',
  'to-year': '2026',
};

describe('Ofsted Annex A pages', () => {
  it('shows the form to the analyst with the last six months filled in', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.get(PAGE);
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Ofsted Annex A');
    expect(res.$('#from-day').val()).toBe('25');
    expect(res.$('#from-month').val()).toBe('5');
    expect(res.$('#to-year').val()).toBe('2026');
    expect(res.$('input[name="format"]:checked').val()).toBe('xlsx');
    expect(res.$('#list option').length).toBe(12);
  });

  it('refuses a window that ends before it starts, and a CSV with no list, with GOV.UK errors', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.post(PAGE, { ...window, 'to-year': '2025', format: 'csv', list: '' });
    expect(res.statusCode).toBe(400);
    const links = res
      .$('.govuk-error-summary a')
      .map((_, a) => res.$(a).attr('href'))
      .get();
    expect(links).toContain('#to-day');
    expect(links).toContain('#list');
    expect(res.$('#to-year').val()).toBe('2025');
  });

  it('sends a valid request on to the download, which is an XLSX workbook with every list, and audited', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.post(PAGE, { ...window, format: 'xlsx' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(
      '/reports/returns/annex-a/download?from=2026-05-25&to=2026-11-24&format=xlsx',
    );
    const file = await analyst.get(String(res.headers.location));
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    expect(file.headers['content-disposition']).toBe(
      'attachment; filename="annex-a-318-2026-05-25-to-2026-11-24.xlsx"',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(ANNEX_A_LISTS.map((l) => l.sheetName));
    const event = await t.db
      .selectFrom('auditEvents')
      .select(['details', 'actorUserId'])
      .where('action', '=', 'annex-a.downloaded')
      .executeTakeFirstOrThrow();
    expect(event.actorUserId).toBe(await t.userId('performance-analyst'));
    expect(event.details).toMatchObject({ from: '2026-05-25', to: '2026-11-24', format: 'xlsx' });
  });

  it('downloads one list as CSV and the inspection pack', async () => {
    const analyst = await t.as('performance-analyst');
    const csv = await analyst.get(`${PAGE}/download?from=2026-05-25&to=2026-11-24&format=csv&list=3`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of referral,Referral Source,Referral NFA?,Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker',
    );
    const pack = await analyst.get(`${PAGE}/download?from=2026-05-25&to=2026-11-24&format=pack`);
    expect(pack.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(pack.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.name).toBe('Summary');
  });

  it('sends a cut-short download link back to the form, and refuses other roles', async () => {
    const analyst = await t.as('performance-analyst');
    const res = await analyst.get(`${PAGE}/download?from=2026-11-24&to=2026-05-25&format=xlsx`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(PAGE);
    const sw = await t.as('social-worker');
    expect((await sw.get(PAGE)).statusCode).toBe(403);
    expect((await sw.get(`${PAGE}/download?from=2026-05-25&to=2026-11-24&format=xlsx`)).statusCode).toBe(403);
  });
});
