import { z } from 'zod';
import { recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import { definePage } from '../../web/page.ts';
import { DocumentStore, personPaths } from '../people/index.ts';
import { isLetterKind, type LetterKind } from './letter-kinds.ts';
import { paragraphs } from './letter-pdf.ts';
import { letterFor, produceLetter, saveLetterDraft, type LetterView } from './letter.service.ts';
import { DOCUMENTS_PATHS, letterPath } from './paths.ts';

const params = z.object({
  kind: z.string().refine(isLetterKind),
  sourceType: z.string().regex(/^[a-z][a-z-]{1,40}$/),
  sourceId: z.uuid(),
});

/**
 * A letter about an event (issue 23): the preview filled in from the record, the text to edit for this family (kept
 * as a draft), and "Produce the letter", which makes the PDF and keeps it on the child's record. Viewing it is a view
 * of the child's data, so it is audited under the child.
 */
export const letterPage = definePage({
  path: DOCUMENTS_PATHS.letter,
  view: 'documents/views/letter.njk',
  access: 'document:upload',
  title: (d: { letter: LetterView }) => d.letter.kindLabel,
  params,
  audit: {
    action: 'letter.viewed',
    subjectType: 'letter',
    subject: (_ctx, d: { letter: LetterView }) => ({
      subjectId: d.letter.id,
      childId: d.letter.childId,
      details: { kind: d.letter.kind },
    }),
  },
  form: z.object({
    version: recordVersion(0),
    subject: requiredText('Enter the subject line', 500, 'The subject must be 500 characters or fewer'),
    body: requiredText('Enter the letter', 20_000, 'The letter must be 20,000 characters or fewer'),
    action: z.enum(['draft', 'produce']).default('draft'),
  }),
  load: async (ctx) => {
    const letter = await letterFor(ctx, { ...ctx.params, kind: ctx.params.kind as LetterKind });
    return {
      letter,
      preview: paragraphs(letter.body),
      producedText: letter.producedAt ? formatDateTimeGovUk(letter.producedAt) : null,
      documentHref: letter.documentId ? personPaths.document(letter.childId, letter.documentId) : null,
      documentsHref: personPaths.documents(letter.childId),
      saved: { version: letter.version, subject: letter.subject, body: letter.body },
    };
  },
  submit: async (ctx, form) => {
    const input = { ...ctx.params, kind: ctx.params.kind as LetterKind, ...form };
    if (form.action === 'produce') {
      await produceLetter(ctx, input, new DocumentStore(ctx.services.config.uploadDir));
      ctx.flash('The letter is produced and kept in the child’s documents.');
    } else {
      await saveLetterDraft(ctx, input);
      ctx.flash('Your changes to the letter are saved as a draft.');
    }
    return letterPath(ctx.params.kind, ctx.params.sourceType, ctx.params.sourceId);
  },
});
