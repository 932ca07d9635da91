import { todayIn } from '../../kernel/time/index.ts';
import { toFormErrors } from '../../web/forms/errors.ts';
import { definePage, FileResponse, redirectTo } from '../../web/page.ts';
import { appliedFilters, describeDetails, parseAuditFilters } from './audit-search.ts';
import {
  AUDIT_EXPORT_LIMIT,
  countAuditMatches,
  exportAuditTrail,
  searchAuditTrail,
} from './audit-search.repository.ts';
import { listQuery } from './form-fields.ts';
import { queryString } from './pagination.ts';

/**
 * Searching the audit trail (permission audit-trail:search). Every search is itself recorded
 * ('audit-trail.searched', with its filters), and so is every export ('audit-trail.exported').
 */

const seqParam = (value: unknown): number | undefined => {
  const s = Array.isArray(value) ? value[0] : value;
  return typeof s === 'string' && /^\d{1,15}$/.test(s) ? Number(s) : undefined;
};

export const auditTrailPage = definePage({
  path: '/admin/audit-trail',
  view: 'admin/views/audit-trail.njk',
  access: 'audit-trail:search',
  query: listQuery,
  load: async (ctx) => {
    const { filters, errors, values } = parseAuditFilters(ctx.query, todayIn(ctx.services.clock));
    const cursor = { before: seqParam(ctx.query.before), after: seqParam(ctx.query.after) };
    const applied = appliedFilters(filters);
    const base = {
      filterErrors: toFormErrors(errors),
      filters: values,
      applied,
      cursor,
      exportLimit: AUDIT_EXPORT_LIMIT,
      exportLimitText: AUDIT_EXPORT_LIMIT.toLocaleString('en-GB'),
    };
    if (errors.length) return { ...base, rows: [], matches: 0, pagination: null, exportHref: null };
    const [page, matches] = await Promise.all([
      searchAuditTrail(ctx.db, filters, cursor),
      countAuditMatches(ctx.db, filters),
    ]);
    const keep = queryString(values);
    const join = keep ? `${keep}&` : '?';
    const pagination =
      page.newer !== null || page.older !== null
        ? {
            ...(page.newer !== null
              ? {
                  previous: {
                    href: `/admin/audit-trail${join}after=${page.newer}`,
                    labelText: 'Newer events',
                  },
                }
              : {}),
            ...(page.older !== null
              ? { next: { href: `/admin/audit-trail${join}before=${page.older}`, labelText: 'Older events' } }
              : {}),
          }
        : null;
    return {
      ...base,
      rows: page.rows.map((r) => ({ ...r, detailLines: describeDetails(r.details) })),
      matches,
      pagination,
      exportHref: `/admin/audit-trail/export${keep}`,
    };
  },
  audit: {
    action: 'audit-trail.searched',
    subjectType: 'audit-trail',
    subject: (_ctx, data) => ({
      details: {
        filters: data.applied,
        ...(data.cursor.before ? { before: data.cursor.before } : {}),
        ...(data.cursor.after ? { after: data.cursor.after } : {}),
      },
    }),
  },
  title: (data) =>
    data.filterErrors.list.length ? 'Error: Search the audit trail' : 'Search the audit trail',
});

export const auditTrailExportPage = definePage({
  path: '/admin/audit-trail/export',
  view: 'admin/views/audit-trail.njk',
  access: 'audit-trail:search',
  title: 'Export the audit trail',
  query: listQuery,
  load: async (ctx) => {
    const today = todayIn(ctx.services.clock);
    const { filters, errors, values } = parseAuditFilters(ctx.query, today);
    if (errors.length) return redirectTo(`/admin/audit-trail${queryString(values)}`);
    const result = await exportAuditTrail(ctx.db, filters, AUDIT_EXPORT_LIMIT);
    await ctx.audit({
      action: 'audit-trail.exported',
      subjectType: 'audit-trail',
      details: {
        filters: appliedFilters(filters),
        rows: result.rows,
        truncated: result.truncated,
        limit: AUDIT_EXPORT_LIMIT,
      },
    });
    return new FileResponse(`audit-trail-${today}.csv`, 'text/csv; charset=utf-8', result.chunks);
  },
});

export const auditTrailPages = [auditTrailPage, auditTrailExportPage];
