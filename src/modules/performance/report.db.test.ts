import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { contextFor, readContextFor, run, userFor } from '../../../test/builders/context.ts';
import { anAssessmentRecord, anEpisodeRecord } from '../../../test/builders/performance.ts';
import { figureText, MEASURE_IDS } from './measures.ts';
import { measureFigure } from './performance.service.ts';
import { monthPeriod } from './report.ts';
import {
  generateReport,
  generateScheduledReports,
  listReports,
  reportFile,
  ReportStore,
} from './report.service.ts';
import { workbookOf } from './xlsx.ts';

/**
 * The monthly performance report on built data in Richmond: referrals and assessments in November 2026 (the
 * month), October 2026 (the month before) and November 2025 (a year before). The PDF is read back with pdf-parse
 * and every figure in it is the measures layer's for the same month; no child is named.
 *
 *   November 2026: 3 referrals; assessments 2 Nov → 13 Nov (10 working days) and 2 Nov → 27 Nov (20): 2 of 2
 *   October 2026:  1 referral;  an assessment 1 Sep → 9 Oct (29 working days): 1 of 1
 *   November 2025: 2 referrals
 */

const h = databaseForFile();
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-reports-'));
const store = new ReportStore(uploadDir);
const now = new Date('2026-12-07T10:00:00Z');
let richmond: string;

const pdfText = async (data: Buffer) => {
  const parser = new PDFParse({ data });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
};

beforeAll(async () => {
  const db = h.db;
  richmond = (await localAuthorityIds(db)).richmond;
  const team = await teamId(db, 'Assessment Team');
  const sw = await userIdFor(db, 'social-worker');
  const episode = async (givenName: string, referralDate: string) => {
    const child = await aChild(db, { givenName, familyName: 'Reportchild' });
    return anEpisodeRecord(db, { childId: child.id, localAuthorityId: richmond, referralDate, teamId: team });
  };
  const a = await episode('Zebedee', '2026-11-02');
  await anAssessmentRecord(db, a, { startDate: '2026-11-02', authorisedOn: '2026-11-13', userId: sw });
  const b = await episode('Ysolde', '2026-11-02');
  await anAssessmentRecord(db, b, { startDate: '2026-11-02', authorisedOn: '2026-11-27', userId: sw });
  await episode('Xanthe', '2026-11-20');
  const c = await episode('Wilf', '2026-10-05');
  await anAssessmentRecord(db, c, { startDate: '2026-09-01', authorisedOn: '2026-10-09', userId: sw });
  await episode('Verity', '2025-11-10');
  await episode('Ulric', '2025-11-11');
});

afterAll(() => fs.rmSync(uploadDir, { recursive: true, force: true }));

describe('the monthly performance report', () => {
  it('holds every measure’s figure for the month, the month before and the year before, as the measures layer counts them, and names no child', async () => {
    const manager = await userFor(h.db, 'service-manager');
    const report = await run(h.db, (trx) =>
      generateReport(contextFor(trx, manager, now), store, { month: '2026-11', localAuthorityId: richmond }),
    );
    const file = await reportFile(readContextFor(h.db, manager, now), store, report.id);
    expect(file.data.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(file.data);
    expect(text).toContain('Monthly performance report');
    expect(text).toContain('November 2026');
    const ctx = readContextFor(h.db, manager, now);
    const scope = (month: string) => ({ localAuthorityIds: [richmond], teamId: null, ...monthPeriod(month) });
    for (const id of MEASURE_IDS) {
      const [nov, oct, lastNov] = await Promise.all(
        ['2026-11', '2026-10', '2025-11'].map((m) => measureFigure(ctx, id, scope(m))),
      );
      expect(text).toContain(`November 2026: ${figureText(nov!)}`);
      expect(text).toContain(`October 2026: ${figureText(oct!)}`);
      expect(text).toContain(`November 2025: ${figureText(lastNov!)}`);
    }
    // The hand count: 3 referrals in the month, 1 the month before, 2 a year before; 2 of 2 assessments in time.
    expect(text).toContain('November 2026: 3 October 2026: 1 November 2025: 2');
    expect(text).toContain('November 2026: 100% (2 of 2)');
    expect(text).toContain('Annex: how each measure is counted');
    expect(text).toContain('The pathway in the month');
    for (const name of ['Zebedee', 'Ysolde', 'Xanthe', 'Wilf', 'Reportchild'])
      expect(text).not.toContain(name);
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUserId', 'details'])
      .where('subjectId', '=', report.id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'performance-report.generated', actorUserId: manager.id }),
    ]);
  });

  it('is not made, nor any file kept, when the app shuts down during a scheduled run (its signal aborted)', async () => {
    const files = () =>
      fs.readdirSync(store.root, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).length;
    const before = files();
    const shutdown = new AbortController();
    shutdown.abort();
    await expect(generateScheduledReports(h.db, calendar, store, now, shutdown.signal)).rejects.toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
    const scheduled = await h.db
      .selectFrom('performanceReports')
      .select('id')
      .where('trigger', '=', 'schedule')
      .execute();
    expect(scheduled).toEqual([]);
    expect(files()).toBe(before);
  });

  it('is made once by the schedule for the month before, however many generators run at once', async () => {
    // Monday 7 December 2026 is after the first working day (Tuesday 1 December): November is due.
    const before = await h.db.selectFrom('performanceReports').select('id').execute();
    const results = await Promise.all([
      generateScheduledReports(h.db, calendar, store, now),
      generateScheduledReports(h.db, calendar, store, now),
    ]);
    const scheduled = await h.db
      .selectFrom('performanceReports')
      .select(['id', 'localAuthorityId', 'month', 'storageKey', 'sha256'])
      .where('trigger', '=', 'schedule')
      .execute();
    const authorities = await h.db.selectFrom('localAuthorities').select('id').execute();
    expect(scheduled).toHaveLength(authorities.length);
    expect(scheduled.every((r) => r.month === '2026-11')).toBe(true);
    expect(results.reduce((n, r) => n + r.generated, 0)).toBe(authorities.length);
    expect(results.map((r) => r.generated + r.already)).toEqual([authorities.length, authorities.length]);
    // A run later in the month makes nothing more; a loser's file is removed: one file per kept report.
    expect(await generateScheduledReports(h.db, calendar, store, new Date('2026-12-20T10:00:00Z'))).toEqual({
      month: '2026-11',
      generated: 0,
      already: authorities.length,
      emailed: 0,
    });
    const files = fs
      .readdirSync(store.root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile());
    expect(files).toHaveLength(before.length + scheduled.length);
    // Before the first working day of a month nothing is due.
    expect(await generateScheduledReports(h.db, calendar, store, new Date('2027-01-01T10:00:00Z'))).toEqual({
      month: null,
      generated: 0,
      already: 0,
      emailed: 0,
    });
    const ev = await h.db
      .selectFrom('auditEvents')
      .select(['actorLabel'])
      .where('action', '=', 'performance-report.generated')
      .where('actorUserId', 'is', null)
      .execute();
    expect(ev).toHaveLength(authorities.length);
  });

  it('lists the reports of the user’s authorities only, and refuses a file that no longer matches its checksum', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    const ctx = readContextFor(h.db, analyst, now);
    const list = await listReports(ctx, { limit: 20, offset: 0 });
    expect(list.total).toBe(list.rows.length);
    expect(list.rows.every((r) => r.monthText === 'November 2026')).toBe(true);
    const row = await h.db
      .selectFrom('performanceReports')
      .select(['id', 'storageKey'])
      .where('id', '=', list.rows[0]!.id)
      .executeTakeFirstOrThrow();
    fs.appendFileSync(store.pathOf(row.storageKey), 'tampered');
    await expect(reportFile(ctx, store, row.id)).rejects.toThrow(/checksum/);
  });
});

describe('the XLSX workbook', () => {
  it('writes a header row, numbers, percentages and dates as such, and an About sheet with the period and definitions', async () => {
    const data = await workbookOf({
      sheetName: 'Children',
      title: 'Assessments: the children counted',
      periodText: '1 November 2026 to 30 November 2026',
      scopeLabel: 'Richmond',
      madeAt: now,
      columns: [
        { header: 'Reference', type: 'text' },
        { header: 'Date', type: 'date' },
        { header: 'Days', type: 'number' },
        { header: 'Percentage', type: 'percent' },
      ],
      rows: [['EP-1', '2026-11-13', 10, 66.7]],
      definitions: [['Numerator', 'Assessments within 45 working days.']],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('Children')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Reference', 'Date', 'Days', 'Percentage']);
    expect(ws.getCell('A2').value).toBe('EP-1');
    expect(ws.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 10, 13)));
    expect(ws.getCell('B2').numFmt).toBe('dd/mm/yyyy');
    expect(ws.getCell('C2').value).toBe(10);
    expect(ws.getCell('D2').value).toBe(66.7);
    const about = wb.getWorksheet('About')!;
    expect(about.getCell('B2').value).toBe('1 November 2026 to 30 November 2026');
    expect(about.getCell('A7').value).toBe('Numerator');
  });
});
