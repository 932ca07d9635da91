import { plainRows, type ReportTable } from './report.ts';

/**
 * The QA report as a PDF (pdfkit): a title, the period, and each figure's table as text columns, so that a leader can
 * file or send it. The charts stay on the page; the numbers are the same.
 */
export async function reportPdf(input: {
  title: string;
  period: string;
  tables: readonly ReportTable[];
  learning: readonly { title: string; summary: string }[];
}): Promise<Buffer> {
  // Loaded when a PDF is drawn, not when the server starts: pdfkit and its fonts are ~13 MiB of memory (issue 16).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: input.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica-Bold').fontSize(20).text(input.title);
  doc.font('Helvetica').fontSize(11).text(input.period).moveDown();
  const width = doc.page.width - 96;
  for (const table of input.tables) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(13).text(table.caption).moveDown(0.3);
    const cols = table.head.length;
    const first = Math.round(width * 0.34);
    const rest = cols > 1 ? (width - first) / (cols - 1) : 0;
    const line = (cells: string[], bold: boolean) => {
      if (doc.y > doc.page.height - 72) doc.addPage();
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      let h = 0;
      cells.forEach((c, i) => {
        const x = 48 + (i === 0 ? 0 : first + (i - 1) * rest);
        const w = i === 0 ? first - 6 : rest - 6;
        doc.text(c, x, y, { width: w, align: i === 0 ? 'left' : 'right' });
        h = Math.max(h, doc.y - y);
      });
      doc.x = 48;
      doc.y = y + h + 3;
    };
    line(
      table.head.map((c) => c.text),
      true,
    );
    for (const row of plainRows(table)) line(row, false);
    doc.moveDown();
  }
  if (input.learning.length) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(13).text('Learning from the programmes').moveDown(0.3);
    for (const l of input.learning) {
      doc.font('Helvetica-Bold').fontSize(10).text(l.title);
      doc.font('Helvetica').fontSize(10).text(l.summary).moveDown(0.5);
    }
  }
  doc.end();
  return done;
}
