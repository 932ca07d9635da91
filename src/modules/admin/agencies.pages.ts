import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { listQuery } from './form-fields.ts';
import {
  AGENCY_USERS_SHOWN,
  getAgency,
  getLocalAuthority,
  listAgencies,
  listLocalAuthorities,
  localAuthorityOptions,
} from './organisation.repository.ts';
import {
  AGENCY_KINDS,
  AGENCY_KIND_LABELS,
  editAgencyForm,
  editLocalAuthorityForm,
  newAgencyForm,
  newLocalAuthorityForm,
} from './organisation.schemas.ts';
import {
  createAgency,
  createLocalAuthority,
  updateAgency,
  updateLocalAuthority,
} from './organisation.service.ts';
import { pageNumber } from './pagination.ts';
import { numberedPagination } from '../../web/pagination.ts';

/** Partner agencies and local authorities. Permission: organisation:manage. */

const KIND_OPTIONS = AGENCY_KINDS.map((k) => ({ value: k, text: AGENCY_KIND_LABELS[k] }));
const agencyParams = z.object({ agencyId: uuidParam });

export const agenciesPage = definePage({
  path: '/admin/agencies',
  view: 'admin/views/agencies.njk',
  access: 'organisation:manage',
  title: 'Partner agencies',
  query: listQuery,
  load: async (ctx) => {
    const result = await listAgencies(ctx.db, pageNumber(ctx.query.page));
    return {
      result,
      pagination: numberedPagination(result.page, result.pages, (p) => `/admin/agencies?page=${p}`),
    };
  },
});

export const newAgencyPage = definePage({
  path: '/admin/agencies/new',
  view: 'admin/views/agency-form.njk',
  access: 'organisation:manage',
  title: 'Add a partner agency',
  form: newAgencyForm,
  load: async (ctx) => ({
    mode: 'new' as const,
    kinds: KIND_OPTIONS,
    localAuthorities: await localAuthorityOptions(ctx.db),
  }),
  submit: async (ctx, form) => {
    const result = await createAgency(ctx, {
      name: form.name,
      kind: form.kind,
      code: form.code ?? null,
      email: form.email ?? null,
      localAuthorityIds: form.localAuthorityIds,
    });
    ctx.flash(`${form.name} has been added`);
    return `/admin/agencies/${result.id}`;
  },
});

export const agencyPage = definePage({
  path: '/admin/agencies/:agencyId',
  view: 'admin/views/agency.njk',
  access: 'organisation:manage',
  params: agencyParams,
  load: async (ctx) => {
    const agency = await getAgency(ctx.db, ctx.params.agencyId);
    if (!agency) throw new NotFoundError();
    return {
      agency,
      usersShown: AGENCY_USERS_SHOWN,
      canManageUsers: ctx.user.permissions.has('users:manage'),
    };
  },
  title: (data) => data.agency.name,
});

export const editAgencyPage = definePage({
  path: '/admin/agencies/:agencyId/edit',
  view: 'admin/views/agency-form.njk',
  access: 'organisation:manage',
  params: agencyParams,
  form: editAgencyForm,
  load: async (ctx) => {
    const agency = await getAgency(ctx.db, ctx.params.agencyId);
    if (!agency) throw new NotFoundError();
    return {
      mode: 'edit' as const,
      agency,
      kinds: KIND_OPTIONS,
      localAuthorities: await localAuthorityOptions(ctx.db),
      saved: {
        name: agency.name,
        kind: agency.kind,
        code: agency.code ?? '',
        email: agency.email ?? '',
        localAuthorityIds: agency.localAuthorityIds,
        version: String(agency.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const result = await updateAgency(ctx, {
      agencyId: ctx.params.agencyId,
      name: form.name,
      kind: form.kind,
      code: form.code ?? null,
      email: form.email ?? null,
      localAuthorityIds: form.localAuthorityIds,
      version: form.version,
    });
    ctx.flash(result.changed.length ? `${form.name} has been changed` : 'Nothing was changed');
    return `/admin/agencies/${ctx.params.agencyId}`;
  },
  title: (data) => `Change ${data.agency.name}`,
});

export const localAuthoritiesPage = definePage({
  path: '/admin/local-authorities',
  view: 'admin/views/local-authorities.njk',
  access: 'organisation:manage',
  title: 'Local authorities',
  query: listQuery,
  load: async (ctx) => {
    const result = await listLocalAuthorities(ctx.db, pageNumber(ctx.query.page));
    return {
      result,
      pagination: numberedPagination(result.page, result.pages, (p) => `/admin/local-authorities?page=${p}`),
    };
  },
});

export const newLocalAuthorityPage = definePage({
  path: '/admin/local-authorities/new',
  view: 'admin/views/local-authority-form.njk',
  access: 'organisation:manage',
  title: 'Add a local authority',
  form: newLocalAuthorityForm,
  load: async () => ({ mode: 'new' as const }),
  submit: async (ctx, form) => {
    await createLocalAuthority(ctx, form);
    ctx.flash(`${form.name} has been added`);
    return '/admin/local-authorities';
  },
});

export const editLocalAuthorityPage = definePage({
  path: '/admin/local-authorities/:laId/edit',
  view: 'admin/views/local-authority-form.njk',
  access: 'organisation:manage',
  params: z.object({ laId: uuidParam }),
  form: editLocalAuthorityForm,
  load: async (ctx) => {
    const la = await getLocalAuthority(ctx.db, ctx.params.laId);
    if (!la) throw new NotFoundError();
    return {
      mode: 'edit' as const,
      la,
      saved: {
        name: la.name,
        staffReadByDefault: la.staffReadByDefault ? 'yes' : 'no',
        version: String(la.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const result = await updateLocalAuthority(ctx, { ...form, localAuthorityId: ctx.params.laId });
    ctx.flash(result.changed.length ? `${form.name} has been changed` : 'Nothing was changed');
    return '/admin/local-authorities';
  },
  title: (data) => `Change ${data.la.name}`,
});

export const agencyPages = [
  agenciesPage,
  newAgencyPage,
  agencyPage,
  editAgencyPage,
  localAuthoritiesPage,
  newLocalAuthorityPage,
  editLocalAuthorityPage,
];
