import { z } from 'zod';
import { allAgencies, allLocalAuthorities } from './organisation-lookups.service.ts';
import { recordVersion, requiredText, yesNo } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import {
  createApiClient,
  disableApiClient,
  getApiClient,
  listApiClients,
  rotateApiClientSecret,
} from './api-client.service.ts';

/**
 * Administration of API clients (permission users:manage: the system administrator): list, create (the secret is
 * shown on the page that answers the form, once, and never stored), rotate the secret (shown once again) and
 * disable. Each change is audited by the service; each page view by definePage.
 */

export const API_CLIENT_PATHS = {
  list: '/admin/api-clients',
  create: '/admin/api-clients/new',
  client: '/admin/api-clients/:apiClientId',
  rotate: '/admin/api-clients/:apiClientId/rotate-secret',
  disable: '/admin/api-clients/:apiClientId/disable',
} as const;

const PAGE_SIZE = 25;
const clientParams = z.object({ apiClientId: z.uuid() });
const clientPath = (apiClientId: string) => pathTo(API_CLIENT_PATHS.client, { apiClientId });
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const versionField = recordVersion();

const audit = { action: 'api-client.viewed', subjectType: 'api-client' } as const;

export const apiClientsPage = definePage({
  path: API_CLIENT_PATHS.list,
  view: 'front-door/views/api-clients.njk',
  access: 'users:manage',
  title: 'API clients',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) }),
  audit: { action: 'api-client.list-viewed', subjectType: 'api-client' },
  load: async (ctx) => {
    const { rows, total } = await listApiClients(ctx.db, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      rows: rows.map((r) => ({ ...r, href: clientPath(r.id) })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

async function formLists(ctx: Parameters<typeof allAgencies>[0]) {
  const agencies = await allAgencies(ctx);
  const las = await allLocalAuthorities(ctx);
  return {
    agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
    localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
  };
}

export const newApiClientPage = definePage({
  path: API_CLIENT_PATHS.create,
  view: 'front-door/views/api-client-new.njk',
  access: 'users:manage',
  title: 'Add an API client',
  form: z.object({
    name: requiredText('Enter a name for the client', 200, 'The name must be 200 characters or fewer'),
    agencyId: z.preprocess((v) => first(v) || undefined, z.uuid({ message: 'Select the partner agency' })),
    localAuthorityIds: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.uuid({ message: 'Select local authorities from the list' }))
        .min(1, 'Select at least one local authority'),
    ),
  }),
  load: async (ctx) => ({ ...(await formLists(ctx)), created: null }),
  submit: async (ctx, form) => {
    const created = await createApiClient(ctx, form);
    // The secret is shown on this response only: it is not stored, and this page must not be cached.
    ctx.reply.header('cache-control', 'no-store');
    return {
      render: {
        ...(await formLists(ctx)),
        created: { ...created, name: form.name, href: clientPath(created.id) },
      },
    };
  },
});

export const apiClientPage = definePage({
  path: API_CLIENT_PATHS.client,
  view: 'front-door/views/api-client.njk',
  access: 'users:manage',
  title: (d: { client: { name: string } }) => d.client.name,
  params: clientParams,
  audit: { ...audit, subject: (ctx) => ({ subjectId: ctx.params.apiClientId }) },
  load: async (ctx) => {
    const client = await getApiClient(ctx.db, ctx.params.apiClientId);
    return {
      client,
      rotateHref: pathTo(API_CLIENT_PATHS.rotate, ctx.params),
      disableHref: pathTo(API_CLIENT_PATHS.disable, ctx.params),
    };
  },
});

export const rotateApiClientSecretPage = definePage({
  path: API_CLIENT_PATHS.rotate,
  view: 'front-door/views/api-client-rotate.njk',
  access: 'users:manage',
  title: (d: { client: { name: string } }) => `Change the secret of ${d.client.name}`,
  params: clientParams,
  audit: {
    ...audit,
    subject: (ctx) => ({ subjectId: ctx.params.apiClientId, details: { page: 'rotate-secret' } }),
  },
  drafts: false,
  form: z.object({
    confirm: yesNo('Select yes if you want to change the secret'),
    version: versionField,
  }),
  load: async (ctx) => ({
    client: await getApiClient(ctx.db, ctx.params.apiClientId),
    rotated: null,
    backHref: clientPath(ctx.params.apiClientId),
  }),
  submit: async (ctx, form) => {
    if (!form.confirm) return clientPath(ctx.params.apiClientId);
    const rotated = await rotateApiClientSecret(ctx, {
      apiClientId: ctx.params.apiClientId,
      version: form.version,
    });
    ctx.reply.header('cache-control', 'no-store');
    return {
      render: {
        client: await getApiClient(ctx.db, ctx.params.apiClientId),
        rotated,
        backHref: clientPath(ctx.params.apiClientId),
      },
    };
  },
});

export const disableApiClientPage = definePage({
  path: API_CLIENT_PATHS.disable,
  view: 'front-door/views/api-client-disable.njk',
  access: 'users:manage',
  title: (d: { client: { name: string } }) => `Disable ${d.client.name}`,
  params: clientParams,
  audit: {
    ...audit,
    subject: (ctx) => ({ subjectId: ctx.params.apiClientId, details: { page: 'disable' } }),
  },
  drafts: false,
  form: z.object({
    reason: requiredText(
      'Enter why the client is being disabled',
      2000,
      'The reason must be 2,000 characters or fewer',
    ),
    version: versionField,
  }),
  load: async (ctx) => ({
    client: await getApiClient(ctx.db, ctx.params.apiClientId),
    backHref: clientPath(ctx.params.apiClientId),
  }),
  submit: async (ctx, form) => {
    await disableApiClient(ctx, {
      apiClientId: ctx.params.apiClientId,
      reason: form.reason,
      version: form.version,
    });
    ctx.flash('The client has been disabled. Its requests are now refused.');
    return clientPath(ctx.params.apiClientId);
  },
});

export const apiClientPages = [
  apiClientsPage,
  newApiClientPage,
  apiClientPage,
  rotateApiClientSecretPage,
  disableApiClientPage,
];
