import { z } from 'zod';
import {
  CIN_CLOSURE_REASONS,
  codeLabel,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
} from '../../kernel/code-sets/cin-census.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { loadPersonHeader } from '../people/index.ts';
import { currentAllocation } from './episode.repository.ts';
import {
  allocateEpisode,
  allocationOptions,
  childName,
  episodesForChild,
  listEpisodes,
  requireEpisode,
  transferIn,
  updateReferralDetails,
} from './episode.service.ts';
import { episodeOverview } from './episode-view.ts';
import {
  episodeHeader,
  episodeParams,
  PAGE_SIZE,
  pageQuery,
  PATHS,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import { allocateForm, detailsForm, transferInForm } from './social-care.schemas.ts';
import { canManageSettings } from './settings.service.ts';
import { requirePermission } from '../../kernel/service/index.ts';

/** The social care list, the episode, its allocation and referral details, and transfers in. */

const codeItems = (set: readonly { code: string; label: string }[]) =>
  set.map((c) => ({ value: c.code, text: `${c.code}: ${c.label}` }));
export const REFERRAL_SOURCE_ITEMS = codeItems(REFERRAL_SOURCES);
export const PRIMARY_NEED_ITEMS = codeItems(PRIMARY_NEED_CODES);

const FILTERS = [
  { value: 'mine', text: 'Allocated to me' },
  { value: 'team', text: 'My team' },
  { value: 'all', text: 'All I can see' },
] as const;

export const socialCareListPage = definePage({
  path: PATHS.list,
  view: 'social-care/views/list.njk',
  access: 'social-care:read',
  title: 'Children in need and child protection',
  query: pageQuery.extend({
    show: z.enum(['mine', 'team', 'all']).catch('mine').default('mine'),
    status: z.enum(['open', 'closed']).catch('open').default('open'),
  }),
  audit: {
    action: 'cin-episodes.listed',
    subjectType: 'cin-episode',
    subject: (ctx) => ({ details: { show: ctx.query.show, status: ctx.query.status, page: ctx.query.page } }),
  },
  load: async (ctx) => {
    const { rows, total } = await listEpisodes(ctx, {
      filter: ctx.query.show,
      status: ctx.query.status,
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      rows: rows.map((r) => ({
        ...r,
        childName: childName(r),
        closureLabel: r.closureReason
          ? `${r.closureReason}: ${codeLabel(CIN_CLOSURE_REASONS, r.closureReason)}`
          : null,
      })),
      total,
      filters: FILTERS.map((f) => ({
        ...f,
        href: pathTo(PATHS.list, {}, { show: f.value, status: ctx.query.status }),
        current: f.value === ctx.query.show,
      })),
      statuses: [
        {
          value: 'open',
          text: 'Open',
          href: pathTo(PATHS.list, {}, { show: ctx.query.show, status: 'open' }),
          current: ctx.query.status === 'open',
        },
        {
          value: 'closed',
          text: 'Closed',
          href: pathTo(PATHS.list, {}, { show: ctx.query.show, status: 'closed' }),
          current: ctx.query.status === 'closed',
        },
      ],
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      settingsHref: canManageSettings(ctx.user) ? PATHS.settings : null,
    };
  },
});

export const episodePage = definePage({
  path: PATHS.episode,
  view: 'social-care/views/episode.njk',
  access: 'social-care:read',
  title: (d: { header: { reference: string; childId: string } }) => `Episode ${d.header.reference}`,
  params: episodeParams,
  audit: viewAudit('cin-episode.viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => episodeOverview(ctx, ctx.params.episodeId, todayIn(ctx.services.clock)),
});

export const allocatePage = definePage({
  path: PATHS.allocate,
  view: 'social-care/views/allocate.njk',
  access: 'allocation:manage',
  title: 'Allocate the episode',
  params: episodeParams,
  form: ({ today }) => allocateForm(today),
  audit: viewAudit('cin-episode.allocation-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const episode = await requireEpisode(ctx, ctx.params.episodeId, 'write');
    const [options, current] = await Promise.all([
      allocationOptions(ctx.db, episode.localAuthorityId),
      currentAllocation(ctx.db, episode.id),
    ]);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      current: current ?? null,
      teams: options.teams.map((t) => ({ value: t.id, text: t.name })),
      workers: options.workers.map((w) => ({
        value: w.id,
        text: `${w.displayName}${w.jobTitle ? `, ${w.jobTitle}` : ''} (${w.teamName})`,
      })),
      defaults: { teamId: current?.teamId ?? episode.teamId ?? '', version: String(episode.version) },
      // What is saved now, for the conflict page when someone else allocated it since the page was shown.
      saved: {
        teamId: current?.teamId ?? episode.teamId ?? '',
        workerId: current?.workerId ?? '',
        version: String(episode.version),
      },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['startedOn'], async () => {
      await allocateEpisode(ctx, {
        episodeId: ctx.params.episodeId,
        teamId: form.teamId,
        workerId: form.workerId,
        startedOn: form.startedOn!,
        reason: form.reason,
        version: form.version,
      });
      ctx.flash('Episode allocated');
      return pathTo(PATHS.episode, ctx.params);
    }),
});

export const detailsPage = definePage({
  path: PATHS.details,
  view: 'social-care/views/details.njk',
  access: 'social-care:write',
  title: 'Referral details for the census',
  params: episodeParams,
  form: detailsForm,
  audit: viewAudit('cin-episode.details-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    requirePermission(ctx.user, 'social-care:write');
    const episode = await requireEpisode(ctx, ctx.params.episodeId, 'write');
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      saved: {
        referralSource: episode.referralSource,
        primaryNeedCode: episode.primaryNeedCode ?? '',
        referralNfa: episode.referralNfa ? 'yes' : 'no',
        version: String(episode.version),
      },
      editable: !episode.closureDate,
      sources: REFERRAL_SOURCE_ITEMS,
      needs: PRIMARY_NEED_ITEMS,
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, [], async () => {
      await updateReferralDetails(ctx, {
        episodeId: ctx.params.episodeId,
        referralSource: form.referralSource,
        primaryNeedCode: form.primaryNeedCode ?? null,
        referralNfa: form.referralNfa,
        version: form.version,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash('Referral details saved');
      return pathTo(PATHS.episode, ctx.params);
    }),
});

const personParams = z.object({ personId: z.uuid() });

export const childEpisodesPage = definePage({
  path: PATHS.childEpisodes,
  view: 'social-care/views/child-episodes.njk',
  access: 'social-care:read',
  title: 'Children’s social care',
  params: personParams,
  query: pageQuery,
  audit: {
    action: 'cin-episodes.viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { rows, total } = await episodesForChild(ctx, ctx.params.personId, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      person,
      section: 'social-care',
      rows: rows.map((r) => ({
        ...r,
        closureLabel: r.closureReason
          ? `${r.closureReason}: ${codeLabel(CIN_CLOSURE_REASONS, r.closureReason)}`
          : null,
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canTransferIn: ctx.user.permissions.has('social-care:write') && person.isChild,
    };
  },
});

export const transferInPage = definePage({
  path: PATHS.transferIn,
  view: 'social-care/views/transfer-in.njk',
  access: 'social-care:write',
  title: 'Transfer in from another authority',
  params: personParams,
  form: ({ today }) => transferInForm(today),
  audit: {
    action: 'cin-episode.transfer-in-viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const { teams } = await allocationOptions(ctx.db, person.row.localAuthorityId);
    return {
      person,
      section: 'social-care',
      teams: teams.map((t) => ({ value: t.id, text: t.name })),
      sources: REFERRAL_SOURCE_ITEMS,
      needs: PRIMARY_NEED_ITEMS,
      defaults: { referralSource: '5C', ...dateToParts('referralDate', todayIn(ctx.services.clock)) },
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['referralDate'], async () => {
      const { id, reference } = await transferIn(ctx, {
        childId: ctx.params.personId,
        referralDate: form.referralDate!,
        fromAuthority: form.fromAuthority,
        fromLaCode: form.fromLaCode,
        referralSource: form.referralSource,
        primaryNeedCode: form.primaryNeedCode ?? null,
        teamId: form.teamId,
        notes: form.notes,
        confirmCensusQueries: form.confirmCensusQueries,
        queryExplanation: form.queryExplanation,
      });
      ctx.flash(`Transfer in recorded: episode ${reference}`);
      return pathTo(PATHS.episode, { episodeId: id });
    }),
});

export const episodePages = [
  socialCareListPage,
  episodePage,
  allocatePage,
  detailsPage,
  childEpisodesPage,
  transferInPage,
];
