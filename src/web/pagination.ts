/**
 * Parameters for the GOV.UK pagination component (`govukPagination`) from the current URL, the page
 * number, the page size and the total, keeping every other query parameter (filters) as it is.
 */
export interface Pagination {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current?: boolean } | { ellipsis: true })[];
  from: number;
  to: number;
  total: number;
}

export function pageHref(url: string, page: number, param = 'page'): string {
  const u = new URL(url, 'http://x');
  if (page <= 1) u.searchParams.delete(param);
  else u.searchParams.set(param, String(page));
  const query = u.searchParams.toString();
  return `${u.pathname}${query ? `?${query}` : ''}`;
}

export type PaginationLinks = Pick<Pagination, 'previous' | 'next' | 'items'>;

/**
 * GOV.UK's pattern: first, last, the current page and its neighbours, with ellipses between. Null when
 * everything fits on one page.
 */
export function numberedPagination(
  current: number,
  pages: number,
  hrefFor: (page: number) => string,
): PaginationLinks | null {
  if (pages <= 1) return null;
  const shown = new Set([1, pages, current - 1, current, current + 1].filter((n) => n >= 1 && n <= pages));
  const items: Pagination['items'] = [];
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - last > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: hrefFor(n), ...(n === current ? { current: true } : {}) });
    last = n;
  }
  return {
    ...(current > 1 ? { previous: { href: hrefFor(current - 1) } } : {}),
    ...(current < pages ? { next: { href: hrefFor(current + 1) } } : {}),
    items,
  };
}

/**
 * Everything a list page needs from the current URL (filters kept), the page, the page size and the total. `param`
 * names the page in the URL (a page with two lists pages each by its own).
 */
export function pagination(
  url: string,
  page: number,
  pageSize: number,
  total: number,
  param = 'page',
): Pagination {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const links = numberedPagination(current, pages, (n) => pageHref(url, n, param));
  return {
    ...(links ?? {}),
    items: links?.items ?? [],
    from: total === 0 ? 0 : (current - 1) * pageSize + 1,
    to: Math.min(total, current * pageSize),
    total,
  };
}
