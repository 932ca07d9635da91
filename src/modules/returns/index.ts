/**
 * The returns module (reports/returns): statutory returns made from what workers recorded, read-only over the
 * other modules through their indexes. The CIN census (census*.ts) and Ofsted's Annex A (annex-a*.ts: the lists,
 * their rows, the workbook and CSV writers, the pages and the command line's entry point); shared pieces are
 * returns.*.ts.
 */
import type { PageDefinition } from '../../web/page.ts';
import { annexAPages } from './annex-a.pages.ts';
import { censusPages } from './census.pages.ts';
import { returnsLandingPages } from './returns.pages.ts';

export const returnsPages: PageDefinition[] = [...returnsLandingPages, ...censusPages, ...annexAPages];

export { buildCensusReturn, laCodeOf, RELEASE, SOFTWARE_CODE } from './census.service.ts';
export { CENSUS_YEAR_IDS, CENSUS_YEARS, isCensusYearId, type CensusYearId } from './census-years.ts';
export type { CensusFailure } from './census-validate.ts';
export { produceAnnexAFromCli } from './annex-a.service.ts';
