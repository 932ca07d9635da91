import { z } from 'zod';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { WORK_KIND_LABELS, WORK_KINDS, type CaseloadWeights } from './caseload.ts';
import { boardAllocationForm, caseloadSettingsForm } from './caseload.schemas.ts';
import {
  allocateFromBoard,
  allocationBoard,
  BOARD_PAGE_SIZE,
  boardAllocationForm as loadBoardAllocationForm,
  type BoardWorkKind,
} from './allocation.service.ts';
import {
  CASELOAD_PAGE_SIZE,
  caseloadSettings,
  saveCaseloadSettings,
  workerCaseload,
  type WorkerCaseload,
} from './caseload.service.ts';

/**
 * The allocation board (a team's unallocated work and its workers' caseloads), allocating or reallocating an
 * episode from it, a worker's caseload, and the authority's caseload weighting.
 */

export const CASELOAD_PATHS = {
  board: (teamId: string) => `/workforce/teams/${teamId}/allocation`,
  allocate: (teamId: string, kind: BoardWorkKind, episodeId: string) =>
    `/workforce/teams/${teamId}/allocation/${kind === 'cin-episode' ? 'cin-episodes' : 'early-help-episodes'}/${episodeId}`,
  settings: '/workforce/caseload-settings',
  caseload: (userId: string) => `/workforce/workers/${userId}/caseload`,
};

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** A caseload as the board's table shows it. */
function caseloadRow(c: WorkerCaseload) {
  return {
    ...c,
    weightedText: fmt(c.weighted),
    byKindText: WORK_KINDS.filter((k) => c.byKind[k])
      .map((k) => `${WORK_KIND_LABELS[k]}: ${c.byKind[k]}`)
      .join(', '),
    href: CASELOAD_PATHS.caseload(c.id),
  };
}

function weightsText(w: CaseloadWeights) {
  return `Child protection ${fmt(w.childProtection)}, child in need ${fmt(w.childInNeed)}, assessment ${fmt(w.assessment)}, early help ${fmt(w.earlyHelp)}; a child in a sibling group of ${w.largeSiblingGroupSize} or more adds ${fmt(w.largeSiblingGroup)}. Too high above ${fmt(w.tooHigh)}.`;
}

export const allocationBoardPage = definePage({
  path: '/workforce/teams/:teamId/allocation',
  view: 'workforce/views/board.njk',
  access: 'allocation:manage',
  title: (d: { team: { name: string } }) => `Allocation board: ${d.team.name}`,
  params: z.object({ teamId: uuidParam }),
  query: pageQuery,
  audit: {
    action: 'allocation-board.viewed',
    subjectType: 'team',
    subject: (ctx) => ({ subjectId: ctx.params.teamId }),
  },
  load: async (ctx) => {
    const board = await allocationBoard(ctx, { teamId: ctx.params.teamId, page: ctx.query.page });
    const pages = Math.max(
      1,
      Math.ceil(Math.max(board.socialCare.total, board.earlyHelp.total) / BOARD_PAGE_SIZE),
    );
    const teamId = board.team.id;
    return {
      ...board,
      weightsText: weightsText(board.weights),
      caseloads: board.caseloads.map(caseloadRow),
      socialCare: {
        ...board.socialCare,
        rows: board.socialCare.rows.map((r) => ({
          ...r,
          childName: `${r.givenName} ${r.familyName}`,
          fromFrontDoor: !!r.sourceContactId,
          href: CASELOAD_PATHS.allocate(teamId, 'cin-episode', r.id),
        })),
      },
      earlyHelp: {
        ...board.earlyHelp,
        rows: board.earlyHelp.rows.map((r) => ({
          ...r,
          href: CASELOAD_PATHS.allocate(teamId, 'early-help-episode', r.id),
        })),
      },
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
    };
  },
});

function allocatePage(kind: BoardWorkKind, path: string, param: 'episodeId' | 'ehEpisodeId') {
  const params = z.object({ teamId: uuidParam, [param]: uuidParam }) as unknown as z.ZodType<
    Record<'teamId' | typeof param, string>
  >;
  return definePage({
    path,
    view: 'workforce/views/allocate.njk',
    access: 'allocation:manage',
    title: (d: { episode: { reference: string } }) => `Allocate ${d.episode.reference}`,
    params,
    form: boardAllocationForm,
    labels: { workerId: 'Worker', reason: 'Reason' },
    audit: {
      action: 'allocation-form.viewed',
      subjectType: kind,
      subject: (ctx) => ({ subjectId: ctx.params[param] }),
    },
    load: async (ctx) => {
      const data = await loadBoardAllocationForm(ctx, {
        teamId: ctx.params.teamId,
        kind,
        episodeId: ctx.params[param],
      });
      return {
        ...data,
        backHref: CASELOAD_PATHS.board(data.team.id),
        caseloads: data.caseloads.map(caseloadRow),
        saved: { workerId: data.episode.currentWorkerId ?? '', version: String(data.episode.version) },
      };
    },
    submit: async (ctx, form) => {
      const done = await allocateFromBoard(ctx, {
        teamId: ctx.params.teamId,
        kind,
        episodeId: ctx.params[param],
        ...form,
      });
      ctx.flash(`${done.reference} allocated to ${done.workerName}`);
      return CASELOAD_PATHS.board(ctx.params.teamId);
    },
  });
}

export const allocateCinEpisodePage = allocatePage(
  'cin-episode',
  '/workforce/teams/:teamId/allocation/cin-episodes/:episodeId',
  'episodeId',
);
export const allocateEarlyHelpEpisodePage = allocatePage(
  'early-help-episode',
  '/workforce/teams/:teamId/allocation/early-help-episodes/:ehEpisodeId',
  'ehEpisodeId',
);

export const workerCaseloadPage = definePage({
  path: '/workforce/workers/:userId/caseload',
  view: 'workforce/views/caseload.njk',
  access: 'signed-in',
  title: (d: { worker: { displayName: string } }) => `Caseload: ${d.worker.displayName}`,
  params: z.object({ userId: uuidParam }),
  query: pageQuery,
  audit: {
    action: 'caseload.viewed',
    subjectType: 'user',
    subject: (ctx) => ({ subjectId: ctx.params.userId }),
  },
  load: async (ctx) => {
    const data = await workerCaseload(ctx, { workerId: ctx.params.userId, page: ctx.query.page });
    const pages = Math.max(1, Math.ceil(data.total / CASELOAD_PAGE_SIZE));
    const managesTeam =
      ctx.user.permissions.has('allocation:manage') &&
      !!data.worker.teamId &&
      ctx.user.managedTeamIds.includes(data.worker.teamId);
    return {
      ...data,
      weightedText: fmt(data.figures.weighted),
      weightsText: weightsText(data.weights),
      byKind: WORK_KINDS.map((k) => ({ label: WORK_KIND_LABELS[k], n: data.figures.byKind[k] })),
      children: data.children.map((c) => ({
        ...c,
        kindLabel: WORK_KIND_LABELS[c.kind],
        reallocate: managesTeam
          ? c.episodes.map((e) => ({
              href: CASELOAD_PATHS.allocate(
                data.worker.teamId!,
                e.involvementType as BoardWorkKind,
                e.involvementId!,
              ),
              text: e.involvementType === 'cin-episode' ? 'Reallocate social care' : 'Reallocate early help',
            }))
          : [],
      })),
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
    };
  },
});

export const caseloadSettingsPage = definePage({
  path: CASELOAD_PATHS.settings,
  view: 'workforce/views/caseload-settings.njk',
  access: 'allocation:manage',
  title: 'Caseload weighting',
  form: caseloadSettingsForm,
  labels: {
    childProtection: 'Child protection',
    childInNeed: 'Child in need',
    assessment: 'Assessment or other social care',
    earlyHelp: 'Early help',
    largeSiblingGroup: 'Extra weight for a large sibling group',
    largeSiblingGroupSize: 'Size of a large sibling group',
    tooHigh: 'Too high above',
  },
  audit: { action: 'caseload-settings.viewed', subjectType: 'local-authority' },
  load: async (ctx) => {
    const s = await caseloadSettings(ctx);
    const w = s.weights;
    return {
      ...s,
      saved: {
        childProtection: fmt(w.childProtection),
        childInNeed: fmt(w.childInNeed),
        assessment: fmt(w.assessment),
        earlyHelp: fmt(w.earlyHelp),
        largeSiblingGroup: fmt(w.largeSiblingGroup),
        largeSiblingGroupSize: String(w.largeSiblingGroupSize),
        tooHigh: fmt(w.tooHigh),
        version: String(s.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await saveCaseloadSettings(ctx, form);
    ctx.flash('Caseload weighting saved');
    return CASELOAD_PATHS.settings;
  },
});

export const caseloadPages = [
  allocationBoardPage,
  allocateCinEpisodePage,
  allocateEarlyHelpEpisodePage,
  workerCaseloadPage,
  caseloadSettingsPage,
];
