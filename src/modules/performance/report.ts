import type PDFDocument from 'pdfkit';
import { addCalendarDays, formatDateTimeGovUk, formatMonthGovUk } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { figureText, type MeasureDefinition, type MeasureFigure } from './measures.ts';
import { addMonths, monthDates, type PathwayStage } from './pathway.ts';

/**
 * The monthly performance report for the leadership team (docs/adr/0010-performance-report.md): what it holds
 * (`ReportContent`, read from the measures layer by report.service.ts), the months it covers, when the scheduled one
 * is due, and the PDF itself, drawn with pdfkit. Aggregate figures only: no child is named anywhere in it.
 */

export const isMonth = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);

/** "November 2026" for '2026-11'. */
/** '2026-10' → 'October 2026'. */
export const monthName = formatMonthGovUk;

/** The first and last day of a month. */
export const monthPeriod = (month: string): { from: string; to: string } =>
  monthDates(month, { from: '0000-01-01', to: '9999-12-31' });

/** The month a report compares with: the one before, and the same month a year before. */
export const comparisonMonths = (month: string) => ({
  previousMonth: addMonths(month, -1),
  previousYear: addMonths(month, -12),
});

/** The first working day of a month (bank holidays and the authority's closure days skipped). */
export function firstWorkingDay(month: string, calendar: WorkingDayCalendar): string {
  let day = `${month}-01`;
  while (!calendar.isWorkingDay(day)) day = addCalendarDays(day, 1);
  return day;
}

/**
 * The month whose scheduled report is due on `today`: the month before, from the first working day of this month
 * on (a schedule that did not run that day catches up later in the month); null before it.
 */
export function scheduledMonthDue(today: string, calendar: WorkingDayCalendar): string | null {
  const month = today.slice(0, 7);
  return today >= firstWorkingDay(month, calendar) ? addMonths(month, -1) : null;
}

/** The months a report may be asked for: complete months, most recent first, at most `count`. */
export const reportMonthChoices = (today: string, count = 24): string[] =>
  Array.from({ length: count }, (_, i) => addMonths(today.slice(0, 7), -1 - i));

// --- What the report holds ---

export interface ReportMeasure {
  measure: MeasureDefinition;
  figure: MeasureFigure;
  previousMonth: MeasureFigure;
  previousYear: MeasureFigure;
  /** England and statistical neighbours for a rate, from the comparison figures in use (null: none). */
  comparison?: { england: number | null; neighbours: number | null; year: string } | null;
}

export interface ReportStage {
  stage: PathwayStage;
  total: number;
  conversion: { title: string; counted: number; total: number; percent: number | null } | null;
  median: { title: string; days: number | null } | null;
}

export interface ReportContent {
  authorityName: string;
  month: string;
  generatedAt: Date;
  measures: ReportMeasure[];
  pathway: ReportStage[];
}

/** One bar of a measure's chart and the table row beside it. */
export interface ReportBar {
  label: string;
  value: number;
  /** What the table shows: "3 of 4 (75%)" for a rate, the number for a count. */
  text: string;
}

/**
 * The bars of a measure's chart: each group that has records (a rate: its percentage; a count: its number), then
 * "All". A measure with nothing in the month has no bars.
 */
export function reportBars(figure: MeasureFigure): ReportBar[] {
  if (!figure.total) return [];
  const rate = figure.measure.kind === 'rate';
  const bar = (label: string, total: number, counted: number, pct: number | null): ReportBar =>
    rate
      ? { label, value: pct ?? 0, text: `${pct ?? 0}% (${counted} of ${total})` }
      : { label, value: total, text: String(total) };
  return [
    ...figure.groups.filter((g) => g.total > 0).map((g) => bar(g.label, g.total, g.counted, g.percent)),
    bar('All', figure.total, figure.counted, figure.percent),
  ];
}

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Horizontal bars in a box, one per row of `rowHeight` (the table beside uses the same rows): each bar's length is
 * its value against the scale's maximum (100 for percentages, else the largest value), with a gap above and below.
 * A zero value has no length. Returns one rectangle per value, in order.
 */
export function barLayout(
  values: readonly number[],
  box: { x: number; y: number; width: number },
  rowHeight: number,
  max?: number,
): BarRect[] {
  const top = max ?? Math.max(0, ...values);
  const gap = Math.min(3, rowHeight / 4);
  return values.map((v, i) => ({
    x: box.x,
    y: box.y + i * rowHeight + gap,
    width: top > 0 ? (Math.max(0, Math.min(v, top)) / top) * box.width : 0,
    height: rowHeight - 2 * gap,
  }));
}

/** The headline of a measure: this month, the month before and the same month a year before, in words. */
export function headline(m: ReportMeasure, month: string): { label: string; text: string }[] {
  const { previousMonth, previousYear } = comparisonMonths(month);
  const shown = (v: number | null) => (v === null ? 'Not available' : `${v}%`);
  return [
    { label: monthName(month), text: figureText(m.figure) },
    { label: monthName(previousMonth), text: figureText(m.previousMonth) },
    { label: monthName(previousYear), text: figureText(m.previousYear) },
    ...(m.measure.kind === 'rate' && m.comparison
      ? [
          { label: `England ${m.comparison.year}`, text: shown(m.comparison.england) },
          { label: `Statistical neighbours ${m.comparison.year}`, text: shown(m.comparison.neighbours) },
        ]
      : []),
  ];
}

// --- The PDF ---

const BLUE = '#1d70b8';
const BLACK = '#0b0c0c';
const GREY = '#505a5f';
const LIGHT = '#b1b4b6';
const MARGIN = 50;
const ROW = 14;

type Doc = InstanceType<typeof PDFDocument>;

/** The text cut to a width, with an ellipsis when it does not fit. */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let t = text;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t.trimEnd()}…`;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function heading(doc: Doc, text: string, size: number): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor(BLACK)
    .text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}

function body(doc: Doc, text: string, options: { size?: number; color?: string } = {}): void {
  doc
    .font('Helvetica')
    .fontSize(options.size ?? 10)
    .fillColor(options.color ?? BLACK)
    .text(text, MARGIN, doc.y, { width: contentWidth(doc) });
}

const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;

function cover(doc: Doc, c: ReportContent): void {
  doc.rect(0, 0, doc.page.width, 12).fill(BLUE);
  doc.y = 180;
  body(doc, c.authorityName, { size: 16, color: GREY });
  doc.moveDown(0.5);
  heading(doc, 'Monthly performance report', 30);
  body(doc, monthName(c.month), { size: 22 });
  doc.moveDown(2);
  body(
    doc,
    `Children’s services performance for ${monthName(c.month)}, with the month before and the same month a year before, for the leadership team. Every figure comes from the same measures as the performance pages in Threshold, so a figure here and the same figure on a page agree.`,
  );
  doc.moveDown();
  body(doc, 'Aggregate figures only: no child is named in this report.');
  doc.moveDown();
  body(doc, `Made on ${formatDateTimeGovUk(c.generatedAt)}.`, { size: 9, color: GREY });
  doc.moveDown(2);
  heading(doc, 'Contents', 14);
  for (const m of c.measures) body(doc, m.measure.title, { size: 10 });
  body(doc, 'The pathway in the month', { size: 10 });
  body(doc, 'Annex: how each measure is counted', { size: 10 });
}

function measureSection(doc: Doc, c: ReportContent, m: ReportMeasure): void {
  const bars = reportBars(m.figure);
  ensureSpace(doc, 110 + bars.length * ROW);
  doc.moveDown(1);
  heading(doc, m.measure.title, 13);
  body(doc, m.measure.summary, { size: 9, color: GREY });
  doc.moveDown(0.4);
  for (const h of headline(m, c.month)) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10).fillColor(BLACK).text(`${h.label}:`, MARGIN, y, { width: 120 });
    doc.font('Helvetica').text(h.text, MARGIN + 125, y, { width: contentWidth(doc) - 125 });
  }
  doc.moveDown(0.5);
  if (!bars.length) {
    body(doc, `Nothing was counted in ${monthName(c.month)}.`, { size: 9 });
    return;
  }
  // The table (label and figure) on the left, the chart on the right, row for row.
  const top = doc.y;
  const labelWidth = 190;
  const textWidth = 80;
  const chartX = MARGIN + labelWidth + textWidth + 15;
  const chartWidth = contentWidth(doc) - (chartX - MARGIN) - 10;
  doc.font('Helvetica-Bold').fontSize(8).fillColor(BLACK);
  doc.text(fit(doc, m.measure.groupHeading, labelWidth), MARGIN, top, {
    width: labelWidth,
    lineBreak: false,
  });
  doc.text(m.measure.kind === 'rate' ? 'Percentage' : 'Number', MARGIN + labelWidth, top, {
    width: textWidth,
    align: 'right',
    lineBreak: false,
  });
  const rowsTop = top + ROW;
  const rects = barLayout(
    bars.map((b) => b.value),
    { x: chartX, y: rowsTop, width: chartWidth },
    ROW,
    m.measure.kind === 'rate' ? 100 : undefined,
  );
  bars.forEach((b, i) => {
    const y = rowsTop + i * ROW + 3;
    const last = i === bars.length - 1;
    doc
      .font(last ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(8)
      .fillColor(BLACK);
    doc.text(fit(doc, b.label, labelWidth - 4), MARGIN, y, { width: labelWidth, lineBreak: false });
    doc.text(b.text, MARGIN + labelWidth, y, { width: textWidth, align: 'right', lineBreak: false });
    const r = rects[i]!;
    if (r.width > 0) doc.rect(r.x, r.y, r.width, r.height).fill(last ? BLACK : BLUE);
  });
  // The chart's axis: a line at zero.
  const bottom = rowsTop + bars.length * ROW;
  doc.moveTo(chartX, rowsTop).lineTo(chartX, bottom).lineWidth(0.5).strokeColor(LIGHT).stroke();
  doc.x = MARGIN;
  doc.y = bottom + 4;
}

function pathwaySection(doc: Doc, c: ReportContent): void {
  doc.addPage();
  heading(doc, 'The pathway in the month', 16);
  body(
    doc,
    `How many children reached each stage of the pathway in ${monthName(c.month)}, how many went on to the next stage, and the median working days each stage took.`,
    { size: 9, color: GREY },
  );
  doc.moveDown(0.6);
  const cols = [MARGIN, MARGIN + 150, MARGIN + 215, MARGIN + 390];
  const widths = [150, 60, 170, contentWidth(doc) - 340];
  const row = (cells: string[], bold: boolean) => {
    ensureSpace(doc, 30);
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(8.5)
      .fillColor(BLACK);
    let bottom = y;
    cells.forEach((text, i) => {
      doc.text(text, cols[i]!, y, { width: widths[i]!, align: i === 1 ? 'right' : 'left' });
      bottom = Math.max(bottom, doc.y);
    });
    doc
      .moveTo(MARGIN, bottom + 2)
      .lineTo(MARGIN + contentWidth(doc), bottom + 2)
      .lineWidth(0.5)
      .strokeColor(LIGHT)
      .stroke();
    doc.y = bottom + 5;
  };
  row(['Stage', 'Number', 'On to the next stage', 'Median working days'], true);
  for (const s of c.pathway)
    row(
      [
        s.stage.title,
        String(s.total),
        s.conversion
          ? `${s.conversion.title}: ${s.conversion.percent === null ? '–' : `${s.conversion.percent}%`} (${s.conversion.counted} of ${s.conversion.total})`
          : '–',
        s.median ? `${s.median.title}: ${s.median.days ?? '–'}` : '–',
      ],
      false,
    );
  doc.x = MARGIN;
}

function annex(doc: Doc, c: ReportContent): void {
  doc.addPage();
  heading(doc, 'Annex: how each measure is counted', 16);
  for (const { measure: m } of c.measures) {
    ensureSpace(doc, 120);
    doc.moveDown(0.6);
    heading(doc, m.title, 11);
    for (const [label, text] of [
      [m.kind === 'count' ? 'Counted' : 'Numerator', m.numerator],
      [m.kind === 'count' ? 'One row' : 'Denominator', m.denominator],
      ['Dates counted', m.dates],
      ['Days', m.days],
      ['Left out', m.exclusions],
    ] as const) {
      doc
        .font('Helvetica-Bold')
        .fontSize(8.5)
        .fillColor(BLACK)
        .text(`${label}: `, MARGIN, doc.y, {
          continued: true,
          width: contentWidth(doc),
        });
      doc.font('Helvetica').text(text);
    }
  }
  ensureSpace(doc, 80);
  doc.moveDown(0.6);
  heading(doc, 'The pathway', 11);
  for (const s of c.pathway) {
    ensureSpace(doc, 40);
    doc
      .font('Helvetica-Bold')
      .fontSize(8.5)
      .fillColor(BLACK)
      .text(`${s.stage.title}: `, MARGIN, doc.y, {
        continued: true,
        width: contentWidth(doc),
      });
    doc.font('Helvetica').text(`${s.stage.summary} ${s.stage.counted}`);
  }
}

/** The report as a PDF (A4, the standard Helvetica fonts, vector bars). */
export async function renderReportPdf(c: ReportContent): Promise<Buffer> {
  // Loaded when a PDF is drawn, not when the server starts: pdfkit and its fonts are ~13 MiB of memory (issue 16).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Monthly performance report: ${monthName(c.month)}`,
      Author: c.authorityName,
      Creator: 'Threshold',
      CreationDate: c.generatedAt,
    },
    lang: 'en-GB',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  cover(doc, c);
  doc.addPage();
  heading(doc, `Performance in ${monthName(c.month)}`, 16);
  body(
    doc,
    'Each measure: the figure for the month, the month before and the same month a year before (and for a rate, England and the statistical neighbours from the DfE’s published figures), then the month’s breakdown as a table with a bar chart beside it (rates as percentages out of 100; counts against the largest group).',
    { size: 9, color: GREY },
  );
  let section = '';
  for (const m of c.measures) {
    if (m.measure.section !== section) {
      section = m.measure.section;
      ensureSpace(doc, 160);
      doc.moveDown(1);
      heading(doc, section, 15);
    }
    measureSection(doc, c, m);
  }
  pathwaySection(doc, c);
  annex(doc, c);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
