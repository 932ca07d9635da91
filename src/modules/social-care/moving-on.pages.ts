import { CIN_CLOSURE_REASONS } from '../../kernel/code-sets/cin-census.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pathTo } from '../../web/paths.ts';
import { goalsFor } from './cin-plan.service.ts';
import {
  closeEpisode,
  leadPractitionerOptions,
  siblingOptions,
  stepDownReason,
  stepDownToEarlyHelp,
  transferOut,
} from './closure.service.ts';
import { currentAllocation, loadEpisodeSnapshot, openCinPlan, openCpPlan } from './episode.repository.ts';
import { childName, requireEpisode } from './episode.service.ts';
import { episodeHeader, episodeParams, PATHS, viewAudit, withCensusRules } from './pages-common.ts';
import { closeForm, PARTICIPANT_ROWS, stepDownForm, transferOutForm } from './social-care.schemas.ts';
import { requirePermission, type ServiceContext } from '../../kernel/service/index.ts';

/** Moving on: step-down to early help with a handover meeting, closure (RC1–RC9), transfer out (RC5). */

const CLOSURE_ITEMS = CIN_CLOSURE_REASONS.filter((r) => r.code !== 'RC5').map((r) => ({
  value: r.code,
  text: `${r.code}: ${r.label}`,
}));

async function loadOpenEpisode(ctx: ServiceContext & { params: { episodeId: string } }) {
  requirePermission(ctx.user, 'social-care:write');
  const episode = await requireEpisode(ctx, ctx.params.episodeId, 'write');
  const s = await loadEpisodeSnapshot(ctx.db, episode);
  return {
    episode,
    s,
    header: await episodeHeader(ctx.db, episode, ctx.now),
    closed: !!episode.closureDate,
    // What is saved now, for the conflict page: the episode's version, and its closure if someone closed it since.
    saved: {
      version: String(episode.version),
      ...(episode.closureDate
        ? {
            ...dateToParts('closureDate', episode.closureDate),
            reason: episode.closureReason ?? '',
            notes: episode.closureNotes ?? '',
          }
        : {}),
    },
  };
}

export const stepDownPage = definePage({
  path: PATHS.stepDown,
  view: 'social-care/views/step-down.njk',
  access: 'social-care:write',
  title: 'Step down to early help',
  params: episodeParams,
  form: ({ today }) => stepDownForm(today),
  audit: viewAudit('cin-episode.step-down-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { episode, s, header, closed, saved } = await loadOpenEpisode(ctx);
    const cin = openCinPlan(s);
    const [leads, siblings, goals, allocation] = await Promise.all([
      leadPractitionerOptions(ctx.db, episode.localAuthorityId),
      siblingOptions(ctx.db, episode.childId),
      cin ? goalsFor(ctx.db, cin.id) : Promise.resolve([]),
      currentAllocation(ctx.db, episode.id),
    ]);
    const today = todayIn(ctx.services.clock);
    return {
      header,
      closed,
      saved,
      cpOpen: !!openCpPlan(s),
      cin,
      reason: stepDownReason(s),
      leads: leads.map((l) => ({
        value: l.id,
        text: `${l.displayName}${l.jobTitle ? `, ${l.jobTitle}` : ''} (${l.teamName ?? l.agencyName ?? ''})`,
      })),
      siblings: siblings.map((c) => ({ value: c.id, text: `${c.givenName} ${c.familyName}` })),
      rows: PARTICIPANT_ROWS,
      defaults: {
        ...dateToParts('handoverHeldOn', today),
        ...dateToParts('closureDate', today),
        attendees__0__name: allocation?.workerName ?? ctx.user.displayName,
        attendees__0__role: 'Social worker',
        planSummary: goals.length
          ? goals.map((g) => `${g.position}. ${g.goal} (we will know when: ${g.measure})`).join('\n')
          : '',
      },
      childName: childName(episode),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['handoverHeldOn', 'closureDate'], async () => {
      const result = await stepDownToEarlyHelp(ctx, {
        episodeId: ctx.params.episodeId,
        closureDate: form.closureDate!,
        siblingIds: form.siblingIds,
        proposedLeadPractitionerId: form.proposedLeadPractitionerId,
        handoverHeldOn: form.handoverHeldOn!,
        attendees: form.rows,
        handoverNotes: form.handoverNotes,
        planSummary: form.planSummary,
        familyPreference: form.familyPreference,
        consentGiven: form.consentGiven,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash(`Stepped down to early help (${result.reference}); the episode is closed`);
      return pathTo(PATHS.episode, ctx.params);
    }),
});

export const closePage = definePage({
  path: PATHS.close,
  view: 'social-care/views/close.njk',
  access: 'social-care:write',
  title: 'Close the episode',
  params: episodeParams,
  form: ({ today }) => closeForm(today),
  audit: viewAudit('cin-episode.close-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { s, header, closed, saved } = await loadOpenEpisode(ctx);
    return {
      header,
      closed,
      saved,
      openPlans: !!openCpPlan(s) || !!openCinPlan(s),
      reasons: CLOSURE_ITEMS,
      defaults: dateToParts('closureDate', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['closureDate'], async () => {
      await closeEpisode(ctx, {
        episodeId: ctx.params.episodeId,
        closureDate: form.closureDate!,
        reason: form.reason,
        notes: form.notes,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash('Episode closed');
      return pathTo(PATHS.episode, ctx.params);
    }),
});

export const transferOutPage = definePage({
  path: PATHS.transferOut,
  view: 'social-care/views/transfer-out.njk',
  access: 'social-care:write',
  title: 'Transfer to another authority',
  params: episodeParams,
  form: ({ today }) => transferOutForm(today),
  audit: viewAudit('cin-episode.transfer-out-viewed', 'cin-episode', 'episodeId'),
  load: async (ctx) => {
    const { s, header, closed, saved } = await loadOpenEpisode(ctx);
    return {
      header,
      closed,
      saved,
      cp: openCpPlan(s),
      cin: openCinPlan(s),
      defaults: dateToParts('transferDate', todayIn(ctx.services.clock)),
    };
  },
  submit: async (ctx, form) =>
    withCensusRules(ctx, ['transferDate'], async () => {
      await transferOut(ctx, {
        episodeId: ctx.params.episodeId,
        transferDate: form.transferDate!,
        toAuthority: form.toAuthority,
        toLaCode: form.toLaCode,
        notes: form.notes,
        queryExplanation: form.queryExplanation,
        version: form.version,
      });
      ctx.flash(`Transferred to ${form.toAuthority}: the episode is closed (RC5)`);
      return pathTo(PATHS.episode, ctx.params);
    }),
});

export const movingOnPages = [stepDownPage, closePage, transferOutPage];
