import type ExcelJS from 'exceljs';
import { formatDateTimeGovUk, isIsoDate } from '../../kernel/time/index.ts';
import type { MeasureDefinition } from './measures.ts';

/**
 * Performance tables as Excel workbooks (the XLSX beside each CSV download): the table on the first sheet with a
 * bold, frozen header row, numbers as numbers, dates as dates (dd/mm/yyyy) and percentages as numbers to one
 * decimal place; an "About" sheet naming the period, the authority or team, when it was made, and the definitions
 * of what is counted. Built in memory: a table here is one measure's figure or list, never a whole database.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell: text, a number, a date ('YYYY-MM-DD' in a date column) or empty. */
export type XlsxCell = string | number | null;

export interface XlsxColumn {
  header: string;
  type: 'text' | 'number' | 'percent' | 'date';
}

export interface XlsxTable {
  /** The sheet's name (Excel allows 31 characters, no : \ / ? * [ ]). */
  sheetName: string;
  title: string;
  periodText: string;
  scopeLabel: string;
  madeAt: Date;
  columns: XlsxColumn[];
  rows: XlsxCell[][];
  /** What each figure means, as label and text (the definitions page's words). */
  definitions: [string, string][];
}

const DATE_FORMAT = 'dd/mm/yyyy';

export const sheetNameOf = (name: string): string => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

function cellValue(cell: XlsxCell, type: XlsxColumn['type']): ExcelJS.CellValue {
  if (cell === null || cell === '') return null;
  if (type === 'date' && typeof cell === 'string' && isIsoDate(cell)) {
    const [y, m, d] = cell.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d));
  }
  if ((type === 'number' || type === 'percent') && typeof cell === 'string' && cell.trim() !== '') {
    const n = Number(cell);
    return Number.isFinite(n) ? n : cell;
  }
  return cell;
}

/** The workbook's bytes. */
export async function workbookOf(t: XlsxTable): Promise<Buffer> {
  // Loaded when a workbook is written, not when the server starts: exceljs is ~20 MiB of memory (issue 16).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'Threshold';
  wb.created = t.madeAt;
  const ws = wb.addWorksheet(sheetNameOf(t.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({
    width:
      c.type === 'text' ? Math.min(Math.max(c.header.length + 2, 16), 50) : Math.max(c.header.length + 2, 12),
  }));
  const header = ws.addRow(t.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  for (const cells of t.rows) {
    const row = ws.addRow(cells.map((c, i) => cellValue(c, t.columns[i]?.type ?? 'text')));
    t.columns.forEach((c, i) => {
      if (c.type === 'date') row.getCell(i + 1).numFmt = DATE_FORMAT;
      if (c.type === 'percent') row.getCell(i + 1).numFmt = '0.0';
    });
  }
  const about = wb.addWorksheet('About');
  about.columns = [{ width: 24 }, { width: 100 }];
  const add = (values: ExcelJS.CellValue[], bold = false) => {
    const row = about.addRow(values);
    if (bold) row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'top' };
  };
  add([t.title], true);
  add(['Period', t.periodText]);
  add(['Authority or team', t.scopeLabel]);
  add(['Made', formatDateTimeGovUk(t.madeAt)]);
  add([]);
  add(['Definitions'], true);
  for (const [label, text] of t.definitions) add([label, text]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A measure's definition as label and text, for the About sheet. */
export function measureDefinitionRows(m: MeasureDefinition): [string, string][] {
  return [
    ['Measure', `${m.title}: ${m.summary}`],
    [m.kind === 'count' ? 'Counted' : 'Numerator', m.numerator],
    [m.kind === 'count' ? 'One row' : 'Denominator', m.denominator],
    ['Dates counted', m.dates],
    ['Days', m.days],
    ['Left out', m.exclusions],
  ];
}
