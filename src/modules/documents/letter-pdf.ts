/**
 * A letter as a PDF (pdfkit, ADR 0009): A4, the authority's letterhead at the top (logo on the left when there is
 * one, name and address on the right), the date, the subject in bold, the body's paragraphs and the sign-off. Text
 * is laid out by pdfkit's own line breaking in the standard Helvetica fonts; paragraphs are separated by blank lines
 * in the letter's text, and lines starting "- " are set as a hanging list. The output depends only on its input
 * (the creation date is the letter's date), so the same letter makes the same file.
 */

export interface Letterhead {
  name: string;
  addressLines: string[];
  signOff: string;
  logo: { data: Buffer; contentType: 'image/png' | 'image/jpeg' } | null;
}

export interface LetterForPdf {
  letterhead: Letterhead;
  /** The date printed on the letter, in words. */
  dateText: string;
  subject: string;
  body: string;
  /** Who signs it (the worker producing it). */
  signedBy: string;
  producedAt: Date;
}

const MM = 72 / 25.4;
const MARGIN = 20 * MM;

export async function letterPdf(letter: LetterForPdf): Promise<Buffer> {
  // Loaded when a PDF is drawn, not when the server starts: pdfkit and its fonts are ~13 MiB of memory (issue 16).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: letter.subject,
      Author: letter.letterhead.name,
      Creator: 'Threshold',
      Producer: 'Threshold',
      CreationDate: letter.producedAt,
      ModDate: letter.producedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGIN * 2;
  const top = doc.y;
  const { letterhead } = letter;
  if (letterhead.logo) doc.image(letterhead.logo.data, MARGIN, top, { fit: [45 * MM, 22 * MM] });
  doc.font('Helvetica-Bold').fontSize(13).text(letterhead.name, MARGIN, top, { width, align: 'right' });
  doc.font('Helvetica').fontSize(10);
  for (const line of letterhead.addressLines) doc.text(line, { width, align: 'right' });
  doc.y = Math.max(doc.y, top + (letterhead.logo ? 22 * MM : 0));
  doc.moveDown(1.5);
  doc.fontSize(11).text(letter.dateText, MARGIN, doc.y, { width, align: 'right' });
  doc.moveDown(1.5);
  doc.font('Helvetica-Bold').text(letter.subject, { width });
  doc.moveDown(1);
  doc.font('Helvetica');
  for (const paragraph of paragraphs(letter.body)) {
    for (const line of paragraph) {
      if (line.startsWith('- '))
        doc.text(`•  ${line.slice(2)}`, MARGIN + 5 * MM, doc.y, { width: width - 5 * MM });
      else doc.text(line, MARGIN, doc.y, { width });
    }
    doc.moveDown(0.8);
  }
  doc.moveDown(0.5);
  for (const line of letterhead.signOff.split('\n')) doc.text(line.trim(), MARGIN, doc.y, { width });
  doc.moveDown(2);
  doc.font('Helvetica-Bold').text(letter.signedBy, { width });
  doc.font('Helvetica').text(letterhead.name, { width });
  doc.end();
  return done;
}

/** The body's paragraphs (split at blank lines), each a list of its lines. */
export function paragraphs(body: string): string[][] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l.trim() !== ''),
    )
    .filter((p) => p.length > 0);
}
