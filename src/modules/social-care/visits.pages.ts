import { todayIn } from '../../kernel/time/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { deadlinesFor } from './deadlines.ts';
import { currentAllocation, loadEpisodeSnapshot, socialCareSettings } from './episode.repository.ts';
import { requireEpisode } from './episode.service.ts';
import { ACTION_ROWS, directWorkForm, visitForm } from './social-care.schemas.ts';
import {
  episodeForForm,
  episodeHeader,
  episodeParams,
  PAGE_SIZE,
  pageQuery,
  PATHS,
  viewAudit,
  withCensusRules,
} from './pages-common.ts';
import { PLAN_KIND_LABELS } from './social-care.ts';
import {
  childDisabilities,
  directWorkFor,
  directWorkTools,
  planOn,
  recordDirectWork,
  recordVisit,
  visitsFor,
} from './visits.service.ts';

/** Statutory visits and direct work on an episode. */

export const visitsPage = definePage({
  path: PATHS.visits,
  view: 'social-care/views/visits.njk',
  access: 'social-care:read',
  title: 'Visits',
  params: episodeParams,
  query: pageQuery,
  audit: viewAudit('statutory-visits.viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const episode = await requireEpisode(ctx, ctx.params.episodeId, 'read');
    const { rows, total } = await visitsFor(ctx.db, episode.id, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const allocation = await currentAllocation(ctx.db, episode.id);
    const next = episode.closureDate
      ? null
      : ((
          await deadlinesFor(
            ctx.db,
            [{ ...episode, workerId: allocation?.workerId ?? null, teamId: allocation?.teamId ?? null }],
            ctx.services.calendar,
            todayIn(ctx.services.clock),
          )
        ).find((d) => d.kind === 'sc-visit') ?? null);
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      rows: rows.map((r) => ({
        ...r,
        kindLabel: PLAN_KIND_LABELS[r.planKind as keyof typeof PLAN_KIND_LABELS] ?? r.planKind,
      })),
      total,
      next,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canAdd: !episode.closureDate && ctx.user.permissions.has('social-care:write'),
    };
  },
});

export const newVisitPage = definePage({
  path: PATHS.newVisit,
  view: 'social-care/views/visit-new.njk',
  access: 'social-care:write',
  title: 'Record a visit',
  params: episodeParams,
  form: ({ today }) => visitForm(today),
  audit: viewAudit('statutory-visit.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const today = todayIn(ctx.services.clock);
    const settings = await socialCareSettings(ctx.db, episode.localAuthorityId);
    const plan = planOn(s, today);
    return {
      header,
      planLabel: PLAN_KIND_LABELS[plan.kind],
      interval:
        plan.kind === 'cp'
          ? settings.cpVisitIntervalWorkingDays
          : plan.kind === 'cin'
            ? settings.cinVisitIntervalWorkingDays
            : null,
      defaults: dateToParts('visitedOn', today),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['visitedOn'], async () => {
      await recordVisit(ctx, {
        episodeId: ctx.params.episodeId,
        visitedOn: form.visitedOn!,
        childSeen: form.childSeen,
        seenAlone: form.seenAlone === undefined ? undefined : form.seenAlone === 'yes',
        bedroomSeen: form.bedroomSeen === undefined ? undefined : form.bedroomSeen === 'yes',
        reasonNotSeen: form.reasonNotSeen,
        childsWords: form.childsWords,
        notes: form.notes,
      });
      ctx.flash('Visit recorded');
      return pathTo(PATHS.visits, ctx.params);
    }),
});

export const directWorkPage = definePage({
  path: PATHS.directWork,
  view: 'social-care/views/direct-work.njk',
  access: 'social-care:read',
  title: 'Direct work',
  params: episodeParams,
  query: pageQuery,
  audit: viewAudit('direct-work.viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const episode = await requireEpisode(ctx, ctx.params.episodeId, 'read');
    const { rows, total } = await directWorkFor(ctx.db, episode, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      header: await episodeHeader(ctx.db, episode, ctx.now),
      rows,
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canAdd: !episode.closureDate && ctx.user.permissions.has('social-care:write'),
    };
  },
});

export const newDirectWorkPage = definePage({
  path: PATHS.newDirectWork,
  view: 'social-care/views/direct-work-new.njk',
  access: 'social-care:write',
  title: 'Record direct work',
  params: episodeParams,
  form: ({ today }) => directWorkForm(today),
  audit: viewAudit('direct-work.new-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, header } = await episodeForForm(ctx, ctx.params.episodeId);
    const s = await loadEpisodeSnapshot(ctx.db, episode);
    const plan = planOn(s, todayIn(ctx.services.clock));
    return {
      header,
      tools: await directWorkTools(ctx.db, episode.localAuthorityId, todayIn(ctx.services.clock)),
      disabilities: await childDisabilities(ctx.db, episode.childId),
      rows: ACTION_ROWS,
      planKind: plan.kind,
      defaults: dateToParts('heldOn', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['heldOn'], async () => {
      await recordDirectWork(ctx, {
        episodeId: ctx.params.episodeId,
        heldOn: form.heldOn!,
        tool: form.tool,
        childsWords: form.childsWords,
        communication: form.communication,
        summary: form.summary,
        actions: form.rows,
      });
      ctx.flash('Direct work recorded');
      return pathTo(PATHS.directWork, ctx.params);
    }),
});

export const visitsPages = [visitsPage, newVisitPage, directWorkPage, newDirectWorkPage];
