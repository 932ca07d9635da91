/**
 * The performance module: performance reporting across the pathway, read-only over the other modules. One measures
 * layer (measures.ts: each measure's definition in plain English; measures.repository.ts: each measure's one SQL
 * query, from which both the figure and the children behind it are read; docs/adr/0008-measures-layer.md), the
 * dashboard, each measure's page with its drill-down and CSV downloads, and the definitions page (reports:view).
 */
import type { PageDefinition } from '../../web/page.ts';
import { performanceModulePages } from './performance.pages.ts';
import { pathwayPages } from './pathway.pages.ts';
import { targetsPage } from './targets.pages.ts';
import { reportPages } from './report.pages.ts';
import { xlsxPages } from './xlsx.pages.ts';
import { comparisonPages } from './comparison.pages.ts';
import { COMPARISON_PAGE_PATHS } from './comparison-paths.ts';
import { acceptUploadsOn } from '../people/index.ts';

// The analyst's comparison figures may come as a CSV file (the upload plugin keeps file parts only on listed routes).
acceptUploadsOn(COMPARISON_PAGE_PATHS.load, 'returns:produce');

export const performancePages: PageDefinition[] = [
  ...performanceModulePages,
  ...pathwayPages,
  ...xlsxPages,
  ...reportPages,
  ...comparisonPages,
  targetsPage,
];

export {
  MEASURE_IDS,
  MEASURES,
  type MeasureDefinition,
  type MeasureFigure,
  type MeasureId,
} from './measures.ts';
export {
  dashboardFigures,
  measureFigure,
  childrenBehind,
  headlineFigures,
  measuresThatMoved,
  performanceScope,
} from './performance.service.ts';
export { PERFORMANCE_PAGE_PATHS } from './performance.pages.ts';
export {
  generateReportFromCommand,
  generateScheduledReports,
  ReportStore,
  scheduleMonthlyReports,
} from './report.service.ts';
export { isMonth } from './report.ts';
export { seedDemoPerformance } from './demo.seed.ts';
