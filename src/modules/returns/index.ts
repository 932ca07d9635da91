/**
 * The returns module (reports and statutory returns), read-only over the other modules through their indexes.
 * Ofsted's Annex A: annex-a*.ts (the lists, their rows, the workbook and CSV writers, the pages and the command
 * line's entry point).
 */
import type { PageDefinition } from '../../web/page.ts';
import { annexAPages } from './annex-a.pages.ts';

export const returnsPages: PageDefinition[] = [...annexAPages];

export { produceAnnexAFromCli } from './annex-a.service.ts';
