import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { errorHrefs } from '../../../test/builders/pages.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { anAssessmentRecord, anEpisodeRecord } from '../../../test/builders/performance.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * The monthly performance reports and the XLSX downloads, on a fixed clock (Tuesday 24 November 2026: the months
 * offered are October 2026 and before). Two assessments authorised in October 2026 in Richmond: 1 Oct → 9 Oct (7
 * working days) and 1 Sep → 30 Oct (44): 2 of 2 within 45 working days.
 */

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-report-pages-'));
const t = appForFile({ config: { THRESHOLD_UPLOAD_DIR: uploadDir } });
const { forAxe, capture } = axeCapture();
afterAll(() => fs.rmSync(uploadDir, { recursive: true, force: true }));

const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details', 'actorUserId'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

const binary = (res: TestResponse) => res.rawPayload;

beforeAll(async () => {
  const { richmond } = await localAuthorityIds(t.db);
  const sw = await userIdFor(t.db, 'social-worker');
  for (const [name, start, end] of [
    ['Quentin', '2026-10-01', '2026-10-09'],
    ['Rosamund', '2026-09-01', '2026-10-30'],
  ] as const) {
    const child = await aChild(t.db, { givenName: name, familyName: 'Downloads' });
    const episodeId = await anEpisodeRecord(t.db, {
      childId: child.id,
      localAuthorityId: richmond,
      referralDate: '2026-08-20',
      teamId: await teamId(t.db, 'Assessment Team'),
    });
    await anAssessmentRecord(t.db, episodeId, { startDate: start, authorisedOn: end, userId: sw });
  }
});

describe('monthly performance reports', () => {
  it('lists no report at first, and offers the service manager a report for a month', async () => {
    const manager = await t.as('service-manager');
    const list = await manager.get('/performance/reports');
    expect(list.statusCode).toBe(200);
    expect(list.$('[data-testid="no-reports"]').length).toBe(1);
    expect(list.$('[data-testid="generate-link"]').attr('href')).toBe('/performance/reports/new');
    capture('empty list', 'service-manager', '/performance/reports', list);
    const form = await manager.get('/performance/reports/new');
    expect(form.statusCode).toBe(200);
    expect(form.$('#month option').first().text().trim()).toBe('October 2026');
    capture('form', 'service-manager', '/performance/reports/new', form);
  });

  it('refuses a month that is not offered, keeping the form', async () => {
    const manager = await t.as('service-manager');
    const bad = await manager.post('/performance/reports/new', { month: '2026-11' });
    expect(bad.statusCode).toBe(400);
    expect(errorHrefs(bad)).toEqual(['#month']);
    capture('refused', 'service-manager', '/performance/reports/new', bad);
  });

  it('makes the report, lists it and downloads it as a PDF with the month’s figures, each step audited', async () => {
    const manager = await t.as('service-manager');
    const made = await manager.post('/performance/reports/new', { month: '2026-10' });
    expect([made.statusCode, errorHrefs(made)]).toEqual([303, []]);
    expect(made.headers.location).toBe('/performance/reports');
    const list = await manager.get('/performance/reports');
    expect(list.$('.govuk-notification-banner').text()).toContain('October 2026 has been made');
    const rows = list.$('[data-testid="reports"] tbody tr');
    expect(rows.length).toBe(1);
    expect(rows.first().text()).toContain('October 2026');
    capture('list', 'service-manager', '/performance/reports', list);
    const href = rows.first().find('a').attr('href')!;
    // Any report reader may download it; the team manager cannot make one.
    const tm = await t.as('team-manager');
    expect((await tm.get('/performance/reports/new')).statusCode).toBe(403);
    const pdf = await tm.get(href);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(
      /attachment; filename="performance-report-\d+-2026-10\.pdf"/,
    );
    const parser = new PDFParse({ data: binary(pdf) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain('October 2026: 100% (2 of 2)');
    expect(text).not.toContain('Quentin');
    const generated = await audits('performance-report.generated');
    expect(generated).toHaveLength(1);
    expect(generated[0]!.actorUserId).toBe(await t.userId('service-manager'));
    const downloaded = await audits('performance-report.downloaded');
    expect(downloaded.map((d) => d.actorUserId)).toEqual([await t.userId('team-manager')]);
  });

  it('is refused to roles without the reporting permission, and an unknown report is not found', async () => {
    expect((await (await t.as('social-worker')).get('/performance/reports')).statusCode).toBe(403);
    const analyst = await t.as('performance-analyst');
    expect(
      (await analyst.get('/performance/reports/6f1c1f0e-3c7b-4b8e-9d1a-0c2e5b7a9f10/download')).statusCode,
    ).toBe(404);
  });
});

describe('XLSX downloads', () => {
  const load = async (res: TestResponse) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(binary(res) as unknown as ExcelJS.Buffer);
    return wb;
  };

  it('downloads a measure’s table, the children behind it and the pathway as real workbooks, each audited', async () => {
    const analyst = await t.as('performance-analyst');
    const q = 'from=2026-10-01&to=2026-10-31';
    const dashboard = await analyst.get(`/performance?${q}`);
    expect(dashboard.$('a[href^="/performance/measures/assessment-timeliness/export/xlsx"]').length).toBe(1);
    const table = await analyst.get(`/performance/measures/assessment-timeliness/export/xlsx?${q}`);
    expect(table.statusCode).toBe(200);
    expect(table.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const figures = (await load(table)).getWorksheet('Figures')!;
    expect(figures.getRow(1).values).toEqual([
      undefined,
      'Working days taken',
      'Total',
      'Within 45 working days',
      'Percentage',
    ]);
    const all = figures.getRow(figures.rowCount);
    expect([all.getCell(1).value, all.getCell(2).value, all.getCell(3).value, all.getCell(4).value]).toEqual([
      'All',
      2,
      2,
      100,
    ]);
    const about = (await load(table)).getWorksheet('About')!;
    expect(about.getCell('B2').value).toBe('1 October 2026 to 31 October 2026');

    const list = await analyst.get(
      `/performance/measures/assessment-timeliness/export/xlsx?${q}&list=children`,
    );
    const children = (await load(list)).getWorksheet('Children')!;
    expect(children.rowCount).toBe(3);
    // The analyst may not open children's records: counted, not named. Dates are dates.
    expect(children.getCell('B2').value).toBe('Not shown: you cannot see this record');
    expect(children.getCell('D2').value).toBeInstanceOf(Date);

    const pathway = await analyst.get('/performance/pathway/export/xlsx?from=2026-10&to=2026-10');
    expect(pathway.statusCode).toBe(200);
    const sheet = (await load(pathway)).getWorksheet('Pathway')!;
    expect(sheet.getCell('A2').value).toBe('October 2026');
    expect(typeof sheet.getCell('B2').value).toBe('number');

    const exports = await audits('report.exported');
    expect(
      exports.map((e) => [e.subjectId, (e.details as { format: string; list?: string }).format]),
    ).toEqual([
      ['performance-assessment-timeliness', 'xlsx'],
      ['performance-assessment-timeliness', 'xlsx'],
      ['performance-pathway', 'xlsx'],
    ]);
    expect(exports[1]!.details).toMatchObject({ list: 'children', rows: 2, named: 0 });
  });

  it('has no accessibility violations', async () => {
    expect([...forAxe.keys()].sort()).toEqual(['empty list', 'form', 'list', 'refused']);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
