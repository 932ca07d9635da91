import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCompletedAssessment, anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { aContactInMashEnquiry } from '../../../test/builders/front-door.ts';
import { aChild, localAuthorityId } from '../../../test/builders/people.ts';
import {
  aCinEpisode,
  aCpPlan,
  anAssessment,
  calendar,
  contextFor,
  run,
  userFor,
} from '../../../test/builders/social-care.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { ANNEX_A_LISTS, NOT_HELD_NOTE, type AnnexAListNumber, type Cell } from './annex-a.ts';
import { annexACounts, annexARows, annexAScope } from './annex-a.rows.ts';
import { fileChunks, produceAnnexA, produceAnnexAFromCli } from './annex-a.service.ts';

/**
 * Annex A over a built set of records on a fixed clock (Tuesday 24 November 2026), for the window 25 May to
 * 24 November 2026:
 *   - a contact received today from the police about a child linked to a record (list 1);
 *   - an early help episode with a completed assessment (list 2);
 *   - child A (a boy, Black African, born 14 May 2016): referred 2 November 2026 by a school, allocated to the demo
 *     social worker in the Assessment Team, with an assessment started 3 November, child seen, authorised
 *     5 November with a child in need plan outcome (lists 3, 4, 6);
 *   - child B: referred 2 November, strategy discussion and section 47 on 2 November, initial conference on
 *     19 November deciding a CP plan under neglect (lists 3, 5, 6, 7).
 */

const NOW = new Date('2026-11-24T10:00:00Z');
let h: Awaited<ReturnType<typeof testDb>>;
let richmond: string;
const ids: Record<string, string> = {};

async function rowsOf(list: AnnexAListNumber): Promise<Cell[][]> {
  const scope = annexAScope(richmond, '2026-05-25', '2026-11-24');
  const out: Cell[][] = [];
  for await (const page of annexARows(h.db, scope, list)) out.push(...page);
  return out;
}
const byId = (rows: Cell[][], laChildId: string) => rows.filter((r) => r[0] === laChildId);
const headerIndex = (list: AnnexAListNumber, header: string) =>
  ANNEX_A_LISTS[list - 1]!.headers.indexOf(header);

beforeAll(async () => {
  h = await testDb();
  richmond = await localAuthorityId(h.db);
  const contact = await aContactInMashEnquiry(h.db, calendar, NOW);
  ids.contactChild = contact.personId;
  const eh = await anEarlyHelpEpisode(h.db, { now: new Date('2026-10-01T10:00:00Z') });
  await aCompletedAssessment(h.db, eh.episode.id, { now: new Date('2026-10-20T10:00:00Z') });
  ids.earlyHelpChild = eh.child.id;
  const a = await aCinEpisode(h.db, {
    now: NOW,
    child: { sex: 'M', ethnicityCode: 'BAFR', dateOfBirth: '2016-05-14' },
  });
  ids.a = a.child.id;
  await anAssessment(h.db, a.episodeId, {
    startDate: '2026-11-03',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-05',
    now: NOW,
  });
  const b = await aCinEpisode(h.db, { now: NOW });
  ids.b = b.child.id;
  await aCpPlan(h.db, b.episodeId, { now: NOW });
  const people = await h.db
    .selectFrom('people')
    .select(['id', 'laChildId'])
    .where('id', 'in', Object.values(ids))
    .execute();
  for (const p of people)
    for (const [k, v] of Object.entries(ids)) if (v === p.id) ids[`la:${k}`] = p.laChildId!;
});
afterAll(async () => {
  await h?.close();
});

describe('Annex A lists for a built set of records', () => {
  it('list 1: one row per linked child on a contact in the window, in the schema styles', async () => {
    const rows = byId(await rowsOf(1), ids['la:contactChild']!);
    expect(rows).toEqual([
      [
        ids['la:contactChild'],
        'b) Female',
        'a) White',
        { date: '2016-05-14' },
        10,
        { date: '2026-11-24' },
        'g) Police',
      ],
    ]);
  });

  it('list 2: the early help assessment, its dates and the organisation', async () => {
    const rows = byId(await rowsOf(2), ids['la:earlyHelpChild']!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(5)).toEqual([
      { date: '2026-10-20' },
      { date: '2026-10-20' },
      'Local authority early help',
    ]);
  });

  it('list 3: referrals with source, NFA, previous referrals and the allocation', async () => {
    const rows = byId(await rowsOf(3), ids['la:a']!);
    expect(rows).toEqual([
      [
        ids['la:a'],
        'a) Male',
        'd) Black or black British',
        { date: '2016-05-14' },
        10,
        { date: '2026-11-02' },
        'b) Schools',
        'No',
        0,
        'Assessment Team',
        expect.any(String),
      ],
    ]);
  });

  it('list 4: the assessment, child seen, authorisation and the need for support', async () => {
    const rows = byId(await rowsOf(4), ids['la:a']!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(5, 10)).toEqual([
      'No',
      { date: '2026-11-03' },
      'Yes',
      { date: '2026-11-05' },
      'Yes',
    ]);
  });

  it('list 5: the section 47 enquiry and its initial conference', async () => {
    const rows = byId(await rowsOf(5), ids['la:b']!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(6, 12)).toEqual([
      { date: '2026-11-02' },
      'No',
      { date: '2026-11-19' },
      'Yes',
      0,
      0,
    ]);
  });

  it('list 6: each child in need with primary need and case status at the end of the window', async () => {
    const rows = await rowsOf(6);
    const status = headerIndex(6, 'Case Status');
    expect(byId(rows, ids['la:a']!)[0]![headerIndex(6, 'Primary Need Code')]).toBe('a) Abuse or neglect');
    expect(byId(rows, ids['la:b']!)[0]![status]).toBe('b) Child Protection plan');
    expect(byId(rows, ids['la:a']!)[0]![headerIndex(6, 'CIN Start Date')]).toEqual({ date: '2026-11-02' });
    expect(byId(rows, ids['la:a']!)[0]![headerIndex(6, 'Date Child Was Last Seen')]).toEqual({
      date: '2026-11-03',
    });
  });

  it('list 7: the CP plan, its categories and the blank EPO column', async () => {
    const rows = byId(await rowsOf(7), ids['la:b']!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(6, 16)).toEqual([
      { date: '2026-11-19' },
      'a) Neglect',
      'a) Neglect',
      null,
      null,
      null,
      null,
      null,
      0,
      'Assessment Team',
    ]);
  });

  it('lists 8 to 11 have no rows, and the counts agree with the rows', async () => {
    const counts = await annexACounts(h.db, annexAScope(richmond, '2026-05-25', '2026-11-24'));
    for (const n of [8, 9, 10, 11] as const) expect(counts[n]).toBe(0);
    for (const n of [1, 2, 3, 4, 5, 6, 7] as const) expect(counts[n]).toBe((await rowsOf(n)).length);
    expect(counts[3]).toBe(2);
  });
});

describe('producing the files', () => {
  it('writes the inspection pack as XLSX that reads back with the headers, values, dates and the note; audited', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    const file = await run(h.db, (trx) =>
      produceAnnexA(contextFor(trx, analyst, NOW), { from: '2026-05-25', to: '2026-11-24', format: 'pack' }),
    );
    const chunks: Buffer[] = [];
    for await (const c of fileChunks({ ...file, remove: async () => {} })) chunks.push(c);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    await file.remove();
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', ...ANNEX_A_LISTS.map((l) => l.sheetName)]);
    const summary = wb.getWorksheet('Summary')!;
    expect(String(summary.getCell('A3').value)).toContain('25 May 2026 to 24 November 2026');
    for (const list of ANNEX_A_LISTS) {
      const ws = wb.getWorksheet(list.sheetName)!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...list.headers]);
    }
    const l3 = wb.getWorksheet('List 3 Referrals')!;
    const a = l3.getRows(2, l3.rowCount - 1)!.find((r) => r.getCell(1).value === ids['la:a'])!;
    expect(a.getCell(2).value).toBe('a) Male');
    expect(a.getCell(6).value).toEqual(new Date(Date.UTC(2026, 10, 2)));
    expect(a.getCell(6).numFmt).toBe('dd/mm/yyyy');
    expect(a.getCell(9).value).toBe(0);
    const l8 = wb.getWorksheet('List 8 Children in care')!;
    expect(l8.rowCount).toBe(1);
    expect(JSON.stringify(l8.getCell('A1').note)).toContain('Threshold does not hold this data');
    expect(NOT_HELD_NOTE).toContain('does not hold');

    const event = await h.db
      .selectFrom('auditEvents')
      .selectAll()
      .where('action', '=', 'annex-a.downloaded')
      .where('actorUserId', '=', analyst.id)
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({
      format: 'pack',
      from: '2026-05-25',
      to: '2026-11-24',
      laCode: '318',
    });
    expect(event.occurredAt).toEqual(NOW);
  });

  it('writes one list as CSV that parses back to the same headers and values', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    const file = await run(h.db, (trx) =>
      produceAnnexA(contextFor(trx, analyst, NOW), {
        from: '2026-05-25',
        to: '2026-11-24',
        format: 'csv',
        list: 7,
      }),
    );
    const text = (await readFile(file.path, 'utf8')).replace(/^\uFEFF/, '');
    const dir = await mkdtemp(join(tmpdir(), 'annex-a-csv-test-'));
    const copy = join(dir, 'list-7.csv');
    await (await import('node:fs/promises')).writeFile(copy, text);
    const wb = new ExcelJS.Workbook();
    const ws = await wb.csv.readFile(copy, { parserOptions: {}, map: (v: string) => v });
    await rm(dir, { recursive: true, force: true });
    await file.remove();
    expect(file.filename).toBe('annex-a-318-2026-05-25-to-2026-11-24-list-7.csv');
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...ANNEX_A_LISTS[6]!.headers]);
    const b = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === ids['la:b'])!;
    expect(b.getCell(7).value).toBe('19/11/2026');
    expect(b.getCell(8).value).toBe('a) Neglect');
    const event = await h.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'annex-a.downloaded')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ format: 'csv', list: 7, from: '2026-05-25', to: '2026-11-24' });
  });

  it('cannot be produced without returns:produce', async () => {
    const sw = await userFor(h.db, 'social-worker');
    await expect(
      run(h.db, (trx) =>
        produceAnnexA(contextFor(trx, sw, NOW), { from: '2026-05-25', to: '2026-11-24', format: 'xlsx' }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('the command line writes the workbook to a file and records it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'annex-a-cli-test-'));
    const out = join(dir, 'annex-a.xlsx');
    let progress = 0;
    const result = await produceAnnexAFromCli(h.db, {
      laCode: '318',
      from: '2026-05-25',
      to: '2026-11-24',
      out,
      pack: false,
      now: NOW,
      onProgress: (n) => (progress = n),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    await rm(dir, { recursive: true, force: true });
    expect(wb.worksheets).toHaveLength(11);
    expect(result.rows).toBe(progress);
    expect(result.rows).toBeGreaterThanOrEqual(9);
    const event = await h.db
      .selectFrom('auditEvents')
      .select(['actorLabel', 'details'])
      .where('action', '=', 'annex-a.downloaded')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.actorLabel).toBe('cli');
  });
});

describe('other authorities', () => {
  it('Kingston’s return does not hold Richmond’s children', async () => {
    const kingston = await localAuthorityId(h.db, '314');
    await aChild(h.db, { laCode: '314' });
    const counts = await annexACounts(h.db, annexAScope(kingston, '2026-05-25', '2026-11-24'));
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});
