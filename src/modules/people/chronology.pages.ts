import { z } from 'zod';
import { CASE_EVENT_CATEGORIES } from '../../kernel/case-events/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { govukDate } from '../../kernel/forms/fields.ts';
import { toFormErrors, zodToFieldErrors } from '../../web/forms/errors.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { CATEGORY_LABELS, chronologyFor } from './chronology.service.ts';
import { loadPersonHeader } from './person.service.ts';
import { pageNumber, personParams } from './pages-common.ts';

const PER_PAGE = 50;
/**
 * A printed chronology is the whole filtered list in parts of this many entries: beyond it the page says so,
 * with links to narrow the dates or print the next part (nothing is left out silently).
 */
export const PRINT_LIMIT = 5_000;

const part = z.string().max(10).optional().catch(undefined);

export const chronologyPage = definePage({
  path: '/people/:personId/chronology',
  view: 'people/views/chronology.njk',
  access: 'child:read',
  title: (data: { filterErrors: { list: unknown[] }; print: boolean }) =>
    `${data.filterErrors.list.length ? 'Error: ' : ''}${data.print ? 'Print the chronology' : 'Chronology'}`,
  params: personParams,
  query: z.object({
    category: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .catch(undefined),
    'from-day': part,
    'from-month': part,
    'from-year': part,
    'to-day': part,
    'to-month': part,
    'to-year': part,
    significant: z.string().optional().catch(undefined),
    print: z.string().optional().catch(undefined),
    page: pageNumber,
  }),
  audit: {
    action: 'chronology.viewed',
    subjectType: 'person',
    subject: (ctx) => ({
      subjectId: ctx.params.personId,
      childId: ctx.params.personId,
      details: { print: !!ctx.query.print },
    }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const today = isoDateOf(ctx.now);
    const q = ctx.query;
    const categories = (Array.isArray(q.category) ? q.category : q.category ? [q.category] : []).filter((c) =>
      (CASE_EVENT_CATEGORIES as readonly string[]).includes(c),
    );
    // The date filters use the GOV.UK date input; a date that is not real is shown as an error and ignored.
    const dates = z
      .object({
        from: govukDate({ label: 'From date', when: 'past', today: () => today }),
        to: govukDate({ label: 'To date' }),
      })
      .safeParse({
        from: { day: q['from-day'], month: q['from-month'], year: q['from-year'] },
        to: { day: q['to-day'], month: q['to-month'], year: q['to-year'] },
      });
    const filterErrors = dates.success ? toFormErrors([]) : toFormErrors(zodToFieldErrors(dates.error));
    const from = dates.success ? dates.data.from : undefined;
    const to = dates.success ? dates.data.to : undefined;
    const print = q.print === 'yes';
    const filter = { categories, from, to, significantOnly: q.significant === 'yes' };
    const page = print
      ? { limit: PRINT_LIMIT, offset: (q.page - 1) * PRINT_LIMIT }
      : { limit: PER_PAGE, offset: (q.page - 1) * PER_PAGE };
    const { rows, total } = await chronologyFor(ctx, { childId: ctx.params.personId, filter, page });
    if (print) {
      await ctx.audit({
        action: 'chronology.printed',
        subjectType: 'person',
        subjectId: ctx.params.personId,
        childId: ctx.params.personId,
        details: {
          entries: rows.length,
          total,
          part: q.page,
          categories,
          from: from ?? null,
          to: to ?? null,
          significantOnly: filter.significantOnly,
        },
      });
    }
    const printParams = new URLSearchParams(ctx.request.url.split('?')[1] ?? '');
    printParams.delete('page');
    printParams.set('print', 'yes');
    const screenParams = new URLSearchParams(printParams);
    screenParams.delete('print');
    // A print longer than one part: which entries this part holds, and where the others are.
    const parts = Math.max(1, Math.ceil(total / PRINT_LIMIT));
    const partHref = (n: number) => {
      const p = new URLSearchParams(printParams);
      if (n > 1) p.set('page', String(n));
      return `/people/${person.id}/chronology?${p.toString()}`;
    };
    const number = (n: number) => n.toLocaleString('en-GB');
    const printPart =
      print && total > PRINT_LIMIT
        ? {
            from: number(Math.min(total, (q.page - 1) * PRINT_LIMIT + 1)),
            to: number(Math.min(total, q.page * PRINT_LIMIT)),
            total: number(total),
            part: q.page,
            parts,
            previousHref: q.page > 1 ? partHref(q.page - 1) : null,
            nextHref: q.page < parts ? partHref(q.page + 1) : null,
          }
        : null;
    return {
      person,
      section: 'chronology',
      rows,
      total,
      print,
      printPart,
      printHref: `/people/${person.id}/chronology?${printParams.toString()}`,
      screenHref: `/people/${person.id}/chronology${screenParams.size ? `?${screenParams.toString()}` : ''}`,
      pagination: pagination(ctx.request.url, q.page, PER_PAGE, total),
      categoryItems: CASE_EVENT_CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c] })),
      filterValues: {
        category: categories,
        significant: q.significant === 'yes' ? 'yes' : '',
        'from-day': q['from-day'] ?? '',
        'from-month': q['from-month'] ?? '',
        'from-year': q['from-year'] ?? '',
        'to-day': q['to-day'] ?? '',
        'to-month': q['to-month'] ?? '',
        'to-year': q['to-year'] ?? '',
      },
      filterErrors,
      filtered: categories.length > 0 || !!from || !!to || filter.significantOnly,
      printedAt: ctx.now,
      printedBy: ctx.user.displayName,
    };
  },
});

export const chronologyPages = [chronologyPage];
