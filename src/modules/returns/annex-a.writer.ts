import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type ExcelJS from 'exceljs';
import type { Db } from '../../kernel/service/index.ts';
import { formatDateGovUk, formatDateTimeGovUk } from '../../kernel/time/index.ts';
import {
  ANNEX_A_LISTS,
  annexAList,
  csvLine,
  NOT_HELD_NOTE,
  type AnnexAListNumber,
  type Cell,
} from './annex-a.ts';
import { annexARows, type AnnexAScope } from './annex-a.rows.ts';

/**
 * Writes Annex A to a file on disk, streaming: exceljs's WorkbookWriter commits each row to the zip as it is
 * written, and the rows come a page at a time from annexARows, so memory stays flat however many rows
 * (ADR 0006). The workbook has one sheet per list (1–11) with the schema's headers in row 1; the inspection pack
 * puts a one-page summary sheet first. A CSV holds one list.
 */

export interface AnnexASummary {
  authorityName: string;
  laCode: string;
  producedBy: string;
  producedAt: Date;
  /** Rows per list, counted before writing (the same queries' counts). */
  counts: Record<AnnexAListNumber, number>;
}

export interface AnnexAWriteOptions {
  /** Adds the one-page summary sheet first: the inspection pack. */
  summary?: AnnexASummary;
  /** Called after each page of rows with the rows written so far (all lists). */
  onProgress?: (rowsWritten: number) => void;
}

const DATE_FORMAT = 'dd/mm/yyyy';

function toExcel(cell: Cell): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === 'object') {
    const [y, m, d] = cell.date.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d));
  }
  return cell;
}

function addSummarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, scope: AnnexAScope, s: AnnexASummary) {
  const ws = wb.addWorksheet('Summary', {
    pageSetup: { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 1 },
  });
  ws.columns = [{ width: 52 }, { width: 16 }, { width: 60 }];
  const add = (values: ExcelJS.CellValue[], bold = false) => {
    const row = ws.addRow(values);
    if (bold) row.font = { bold: true };
    row.commit();
  };
  add(['Ofsted Annex A: inspection pack'], true);
  add([`${s.authorityName} (${s.laCode})`]);
  add([`Lists 1 to 7 cover ${formatDateGovUk(scope.from)} to ${formatDateGovUk(scope.to)}`]);
  add([`Produced by ${s.producedBy} on ${formatDateTimeGovUk(s.producedAt)}`]);
  add([]);
  add(['List', 'Rows', 'Notes'], true);
  for (const list of ANNEX_A_LISTS)
    add([
      `${list.number}. ${list.title}`,
      list.held ? s.counts[list.number] : null,
      list.held ? null : 'Not held in Threshold: headers only',
    ]);
  add([]);
  add(['About these lists'], true);
  for (const line of [
    'Lists 1 and 3 hold the contacts and referrals received in the period; lists 2, 4, 5, 6 and 7 the assessments, enquiries, episodes and plans open at any time in it.',
    'Each child is identified by the authority’s child id only. Age is in whole years at the end of the period.',
    '"Number … in the last 12 months" counts the previous referrals, enquiries or conferences in the 12 months before, not the current one.',
    'List 7’s emergency protection order and police protection column is blank: Threshold does not record them.',
    'Children named on a contact but not yet linked to a record are not in list 1.',
  ])
    add([line]);
  ws.commit();
}

/** The Annex A workbook (or, with `summary`, the inspection pack). Returns the rows written per list. */
export async function writeAnnexAWorkbook(
  db: Db,
  scope: AnnexAScope,
  filename: string,
  options: AnnexAWriteOptions = {},
): Promise<Record<AnnexAListNumber, number>> {
  // Loaded when a workbook is written, not when the server starts: exceljs is ~20 MiB of memory (issue 16).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.stream.xlsx.WorkbookWriter({ filename, useStyles: true, useSharedStrings: false });
  wb.creator = 'Threshold';
  wb.created = options.summary?.producedAt ?? new Date();
  if (options.summary) addSummarySheet(wb, scope, options.summary);
  const written = {} as Record<AnnexAListNumber, number>;
  let total = 0;
  for (const list of ANNEX_A_LISTS) {
    const ws = wb.addWorksheet(list.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = list.headers.map((h) => ({ width: Math.min(Math.max(h.length + 2, 14), 40) }));
    const header = ws.addRow([...list.headers]);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'top' };
    if (!list.held) header.getCell(1).note = NOT_HELD_NOTE;
    header.commit();
    let n = 0;
    for await (const rows of annexARows(db, scope, list.number)) {
      for (const cells of rows) {
        const row = ws.addRow(cells.map(toExcel));
        cells.forEach((c, i) => {
          if (c !== null && typeof c === 'object') row.getCell(i + 1).numFmt = DATE_FORMAT;
        });
        row.commit();
      }
      n += rows.length;
      total += rows.length;
      options.onProgress?.(total);
    }
    written[list.number] = n;
    ws.commit();
  }
  await wb.commit();
  return written;
}

/**
 * One list as CSV (UTF-8 with a byte-order mark, so that Excel reads it as UTF-8; CRLF line ends; dates dd/mm/yyyy).
 * Lists 8 to 11 have the header row only.
 */
export async function writeAnnexACsv(
  db: Db,
  scope: AnnexAScope,
  listNumber: AnnexAListNumber,
  filename: string,
  options: Pick<AnnexAWriteOptions, 'onProgress'> = {},
): Promise<number> {
  const list = annexAList(listNumber);
  const out = createWriteStream(filename, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let n = 0;
  try {
    await write(`\uFEFF${csvLine(list.headers)}`);
    for await (const rows of annexARows(db, scope, listNumber)) {
      await write(rows.map(csvLine).join(''));
      n += rows.length;
      options.onProgress?.(n);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return n;
}
