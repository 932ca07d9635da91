import { DELIVERY_STATUS_LABELS, EMAIL_KINDS, listOutbox, OUTBOX_STATUSES } from '../../kernel/mail/index.ts';
import { definePage } from '../../web/page.ts';
import { numberedPagination } from '../../web/pagination.ts';
import { listQuery, queryChoice } from './form-fields.ts';
import { pageNumber, paged, PAGE_SIZE, queryString } from './pagination.ts';

/**
 * The email outbox for administrators: every email Threshold queued, to whom, what kind, and where it got to (sent,
 * retrying, failed with the server's reason, expired). Bodies are not shown: a letter to a referrer speaks of a
 * child, and administrators do not read children's records. The letter's text is on the contact, for those who may.
 */
export const emailsPage = definePage({
  path: '/admin/emails',
  view: 'admin/views/emails.njk',
  access: 'users:manage',
  title: 'Emails',
  query: listQuery,
  audit: { action: 'email-outbox.viewed', subjectType: 'email-outbox' },
  load: async (ctx) => {
    const status = queryChoice(ctx.query.status, OUTBOX_STATUSES);
    const page = pageNumber(ctx.query.page);
    const found = await listOutbox(ctx.db, { status, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const result = paged(
      found.rows.map((r) => ({
        ...r,
        kindLabel: EMAIL_KINDS[r.kind as keyof typeof EMAIL_KINDS] ?? r.kind,
        statusLabel: DELIVERY_STATUS_LABELS[r.status as keyof typeof DELIVERY_STATUS_LABELS] ?? r.status,
      })),
      found.total,
      page,
    );
    return {
      status: status ?? null,
      mailOn: ctx.services.config.mail !== null,
      statuses: OUTBOX_STATUSES.map((s) => ({ value: s, text: DELIVERY_STATUS_LABELS[s] })),
      result,
      pagination: numberedPagination(
        result.page,
        result.pages,
        (p) => `/admin/emails${queryString({ status, page: p })}`,
      ),
    };
  },
});

export const emailPages = [emailsPage];
