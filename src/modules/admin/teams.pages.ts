import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { listQuery } from './form-fields.ts';
import {
  getCluster,
  getTeam,
  listClusters,
  localAuthorityOptions,
  teamAndDescendants,
  teamFormOptions,
  teamTree,
} from './organisation.repository.ts';
import { editClusterForm, editTeamForm, newClusterForm, newTeamForm } from './organisation.schemas.ts';
import { createCluster, createTeam, updateCluster, updateTeam } from './organisation.service.ts';
import { pageNumber } from './pagination.ts';
import { numberedPagination } from '../../web/pagination.ts';

/** Teams (the hierarchy, managers and clusters) and locality clusters. Permission: organisation:manage. */

export const teamsPage = definePage({
  path: '/admin/teams',
  view: 'admin/views/teams.njk',
  access: 'organisation:manage',
  title: 'Teams',
  query: listQuery,
  load: async (ctx) => {
    const result = await teamTree(ctx.db, pageNumber(ctx.query.page));
    return {
      result,
      pagination: numberedPagination(result.page, result.pages, (p) => `/admin/teams?page=${p}`),
    };
  },
});

const teamInput = (form: {
  name: string;
  serviceId?: string | undefined;
  parentTeamId?: string | undefined;
  clusterId?: string | undefined;
  managerUserId?: string | undefined;
  fundedPosts?: number | undefined;
}) => ({
  name: form.name,
  serviceId: form.serviceId ?? null,
  parentTeamId: form.parentTeamId ?? null,
  clusterId: form.clusterId ?? null,
  managerUserId: form.managerUserId ?? null,
  fundedPosts: form.fundedPosts ?? null,
});

export const newTeamPage = definePage({
  path: '/admin/teams/new',
  view: 'admin/views/team-form.njk',
  access: 'organisation:manage',
  title: 'Add a team',
  form: newTeamForm,
  load: async (ctx) => ({ options: await teamFormOptions(ctx.db), mode: 'new' as const }),
  submit: async (ctx, form) => {
    await createTeam(ctx, { ...teamInput(form), localAuthorityId: form.localAuthorityId });
    ctx.flash(`${form.name} has been added`);
    return '/admin/teams';
  },
});

export const editTeamPage = definePage({
  path: '/admin/teams/:teamId/edit',
  view: 'admin/views/team-form.njk',
  access: 'organisation:manage',
  params: z.object({ teamId: uuidParam }),
  form: editTeamForm,
  load: async (ctx) => {
    const team = await getTeam(ctx.db, ctx.params.teamId);
    if (!team) throw new NotFoundError();
    const [options, excluded] = await Promise.all([
      teamFormOptions(ctx.db),
      teamAndDescendants(ctx.db, team.id),
    ]);
    const sameLa = <T extends { localAuthorityId: string }>(items: T[]) =>
      items.filter((i) => i.localAuthorityId === team.localAuthorityId);
    return {
      mode: 'edit' as const,
      team,
      options: {
        ...options,
        services: sameLa(options.services),
        clusters: sameLa(options.clusters),
        teams: sameLa(options.teams).filter((t) => !excluded.includes(t.value)),
      },
      saved: {
        name: team.name,
        serviceId: team.serviceId ?? '',
        parentTeamId: team.parentTeamId ?? '',
        clusterId: team.clusterId ?? '',
        managerUserId: team.managerUserId ?? '',
        fundedPosts: team.fundedPosts === null ? '' : String(Number(team.fundedPosts)),
        version: String(team.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const result = await updateTeam(ctx, {
      ...teamInput(form),
      teamId: ctx.params.teamId,
      version: form.version,
    });
    ctx.flash(result.changed.length ? `${form.name} has been changed` : 'Nothing was changed');
    return '/admin/teams';
  },
  title: (data) => `Change ${data.team.name}`,
});

export const clustersPage = definePage({
  path: '/admin/clusters',
  view: 'admin/views/clusters.njk',
  access: 'organisation:manage',
  title: 'Locality clusters',
  query: listQuery,
  load: async (ctx) => {
    const result = await listClusters(ctx.db, pageNumber(ctx.query.page));
    return {
      result,
      pagination: numberedPagination(result.page, result.pages, (p) => `/admin/clusters?page=${p}`),
    };
  },
});

export const newClusterPage = definePage({
  path: '/admin/clusters/new',
  view: 'admin/views/cluster-form.njk',
  access: 'organisation:manage',
  title: 'Add a locality cluster',
  form: newClusterForm,
  load: async (ctx) => ({ mode: 'new' as const, localAuthorities: await localAuthorityOptions(ctx.db) }),
  submit: async (ctx, form) => {
    await createCluster(ctx, {
      localAuthorityId: form.localAuthorityId,
      name: form.name,
      description: form.description ?? null,
    });
    ctx.flash(`${form.name} has been added`);
    return '/admin/clusters';
  },
});

export const editClusterPage = definePage({
  path: '/admin/clusters/:clusterId/edit',
  view: 'admin/views/cluster-form.njk',
  access: 'organisation:manage',
  params: z.object({ clusterId: uuidParam }),
  form: editClusterForm,
  load: async (ctx) => {
    const cluster = await getCluster(ctx.db, ctx.params.clusterId);
    if (!cluster) throw new NotFoundError();
    return {
      mode: 'edit' as const,
      cluster,
      saved: { name: cluster.name, description: cluster.description ?? '', version: String(cluster.version) },
    };
  },
  submit: async (ctx, form) => {
    const result = await updateCluster(ctx, {
      clusterId: ctx.params.clusterId,
      name: form.name,
      description: form.description ?? null,
      version: form.version,
    });
    ctx.flash(result.changed.length ? `${form.name} has been changed` : 'Nothing was changed');
    return '/admin/clusters';
  },
  title: (data) => `Change ${data.cluster.name}`,
});

export const teamPages = [
  teamsPage,
  newTeamPage,
  editTeamPage,
  clustersPage,
  newClusterPage,
  editClusterPage,
];
