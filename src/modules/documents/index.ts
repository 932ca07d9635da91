/**
 * Letters and documents (issue 23): letter templates as versioned data, the authority's letterhead, and letters
 * produced as PDFs from the page where their event happens and kept on the child's record. The module's only import
 * surface.
 *
 * - Offer a letter from your page: link to `letterPath(kind, sourceType, sourceId)` (or `letterLinks`, shown only to
 *   those who may add documents), and export a `LetterSource` from your module's index.ts that loads the kind's
 *   fields (`planLetterFields`, `reviewLetterFields`, `closureLetterFields` for the kinds several modules fill in),
 *   listed in src/modules/index.ts (`letterSources`).
 * - `producedLetter` finds the PDF produced for an event (e.g. to attach it to an email).
 */
import type { PageDefinition } from '../../web/page.ts';
import { acceptUploadsOn } from '../people/index.ts';
import { letterPage } from './letter.pages.ts';
import { letterSettingsPage, letterTemplatePage, letterTemplatesPage } from './letter-templates.pages.ts';
import { DOCUMENTS_PATHS } from './paths.ts';

// The letterhead page takes the logo as a file (multipart): the upload plugin keeps its file part.
acceptUploadsOn(DOCUMENTS_PATHS.settings, 'reference-data:manage');

export const documentsPages: PageDefinition[] = [
  letterTemplatesPage,
  letterTemplatePage,
  letterSettingsPage,
  letterPage,
];

export { letterPath } from './paths.ts';
export {
  closureLetterFields,
  familyWording,
  letterLinks,
  mayProduceLetters,
  planLetterFields,
  reviewLetterFields,
} from './letter-fields.ts';
export { producedLetter } from './letter.service.ts';
export type { LetterSource } from './letter-source.ts';
export { LETTER_KINDS, type LetterKind, type LetterFields } from './letter-kinds.ts';
