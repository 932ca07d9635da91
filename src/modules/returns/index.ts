/**
 * The returns module (reports/returns): statutory returns made from what workers recorded, read-only over the
 * other modules through their indexes. The CIN census (census*.ts) and Ofsted's Annex A (annex-a*.ts); shared
 * pieces are returns.*.ts.
 */
import type { PageDefinition } from '../../web/page.ts';

export const returnsPages: PageDefinition[] = [];
