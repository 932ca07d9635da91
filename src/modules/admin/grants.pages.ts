import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { revokeGrant } from '../record-access/index.ts';
import { listQuery, queryChoice, queryId, queryText } from './form-fields.ts';
import { getGrant, GRANT_STATUSES, listGrants, userLabel } from './grants.repository.ts';
import { revokeGrantForm } from './organisation.schemas.ts';
import { pageNumber, queryString } from './pagination.ts';
import { numberedPagination } from '../../web/pagination.ts';

/**
 * Named access grants to restricted records. Administrators may see and revoke them (never create them:
 * that happens on the child's record, by the record's managers). The child appears only as an LA child ID.
 */

const STATUS_OPTIONS = [
  { value: 'in-force', text: 'In force' },
  { value: 'revoked', text: 'Revoked' },
  { value: 'expired', text: 'Expired' },
];

export const grantsPage = definePage({
  path: '/admin/grants',
  view: 'admin/views/grants.njk',
  access: 'users:manage',
  title: 'Access to restricted records',
  query: listQuery,
  load: async (ctx) => {
    const filters = {
      userId: queryId(ctx.query.userId),
      user: queryText(ctx.query.user),
      status: queryChoice(ctx.query.status, GRANT_STATUSES),
    };
    const page = pageNumber(ctx.query.page);
    const [result, forUser] = await Promise.all([
      listGrants(ctx.db, filters, page, ctx.now),
      filters.userId ? userLabel(ctx.db, filters.userId) : Promise.resolve(undefined),
    ]);
    return {
      filters,
      forUser: forUser ?? null,
      filtered: Object.values(filters).some((v) => v !== undefined),
      statuses: STATUS_OPTIONS,
      result,
      pagination: numberedPagination(
        result.page,
        result.pages,
        (p) => `/admin/grants${queryString({ ...filters, page: p })}`,
      ),
    };
  },
});

export const revokeGrantPage = definePage({
  path: '/admin/grants/:grantId/revoke',
  view: 'admin/views/grant-revoke.njk',
  access: 'users:manage',
  title: 'Revoke access to a restricted record',
  params: z.object({ grantId: uuidParam }),
  form: revokeGrantForm,
  drafts: false,
  load: async (ctx) => {
    const grant = await getGrant(ctx.db, ctx.params.grantId, ctx.now);
    if (!grant) throw new NotFoundError();
    return { grant };
  },
  submit: async (ctx, form) => {
    // The record-access service checks the permission, refuses a grant already revoked and audits it.
    await revokeGrant(ctx, { grantId: ctx.params.grantId, reason: form.reason });
    ctx.flash('The access has been revoked');
    return '/admin/grants';
  },
});

export const grantPages = [grantsPage, revokeGrantPage];
