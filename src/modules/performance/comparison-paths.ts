/** The comparison figures' pages (comparison.pages.ts), named apart so the measure pages can link to them. */
export const COMPARISON_PAGE_PATHS = {
  list: '/performance/comparison',
  load: '/performance/comparison/new',
} as const;
