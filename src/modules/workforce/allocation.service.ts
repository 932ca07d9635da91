import { BusinessRuleError } from '../../kernel/errors.ts';
import {
  pageWindow,
  recordChange,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  assignLeadPractitioner,
  earlyHelpEpisodeForAllocation,
  unallocatedEarlyHelpEpisodes,
} from '../early-help/index.ts';
import { allocateEpisode, cinEpisodeForAllocation, unallocatedCinEpisodes } from '../social-care/index.ts';
import { managedTeam, teamCaseloads, teamWorkers } from './caseload.service.ts';

/**
 * The allocation board (workforce module): for a team its manager manages, the work nobody holds yet (CIN
 * episodes, including those the front door opened with no team, and early help episodes with no lead
 * practitioner), each case holder's caseload, and allocation or reallocation with a reason. Allocation goes through
 * the owning module's own service (social care's `allocateEpisode`, early help's `assignLeadPractitioner`), which
 * ends the old allocation, starts the new one and writes the child's chronology and the audit trail; the board adds
 * its own audit event with the reason.
 */

export const BOARD_PAGE_SIZE = 20;

export type BoardWorkKind = 'cin-episode' | 'early-help-episode';

/**
 * What the team's board lists: social care teams social care work, early help teams early help, others (and teams
 * in no service) both.
 */
function listsOf(area: string | null) {
  return { socialCare: area !== 'early-help', earlyHelp: area !== 'social-care' };
}

export async function allocationBoard(ctx: ReadContext, input: { teamId: string; page: number }) {
  const { team, weights, caseloads } = await teamCaseloads(ctx, input.teamId);
  const lists = listsOf(team.area);
  const page = pageWindow(input.page, BOARD_PAGE_SIZE);
  const scope = { teamId: team.id, localAuthorityId: team.localAuthorityId };
  const [socialCare, earlyHelp] = await Promise.all([
    lists.socialCare
      ? unallocatedCinEpisodes(ctx, { ...scope, ...page })
      : Promise.resolve({ rows: [], total: 0 }),
    lists.earlyHelp
      ? unallocatedEarlyHelpEpisodes(ctx, { ...scope, ...page })
      : Promise.resolve({ rows: [], total: 0 }),
  ]);
  return { team, weights, caseloads, lists, socialCare, earlyHelp };
}

/** The board's allocation form: the episode, who holds it now, and the team's workers with their caseloads. */
export async function boardAllocationForm(
  ctx: ReadContext,
  input: { teamId: string; kind: BoardWorkKind; episodeId: string },
) {
  const { team, weights, caseloads } = await teamCaseloads(ctx, input.teamId);
  if (input.kind === 'cin-episode') {
    const e = await cinEpisodeForAllocation(ctx, input.episodeId);
    return {
      team,
      weights,
      caseloads,
      episode: {
        id: e.id,
        reference: e.reference,
        children: `${e.givenName} ${e.familyName}`,
        childId: e.childId as string | null,
        currentWorkerId: e.workerId,
        currentWorkerName: e.workerName,
        version: e.version,
      },
    };
  }
  const e = await earlyHelpEpisodeForAllocation(ctx, input.episodeId);
  return {
    team,
    weights,
    caseloads,
    episode: {
      id: e.id,
      reference: e.reference,
      children: e.children ?? '',
      childId: null,
      currentWorkerId: e.leadPractitionerId,
      currentWorkerName: e.leadName,
      version: e.version,
    },
  };
}

/** Allocates (or reallocates) the episode to one of the team's workers, through the owning module's service. */
export async function allocateFromBoard(
  ctx: ServiceContext,
  input: {
    teamId: string;
    kind: BoardWorkKind;
    episodeId: string;
    workerId: string;
    reason: string;
    version: number;
  },
): Promise<{ workerName: string; reference: string }> {
  const team = await managedTeam(ctx, input.teamId);
  const workers = await teamWorkers(ctx.db, team.id);
  const worker = workers.find((w) => w.id === input.workerId);
  if (!worker) throw new BusinessRuleError('workerId', `Choose a worker in ${team.name}`);
  const reason = input.reason.trim();
  let reference: string;
  let previousWorkerId: string | null;
  let childId: string | undefined;
  if (input.kind === 'cin-episode') {
    const e = await cinEpisodeForAllocation(ctx, input.episodeId);
    reference = e.reference;
    previousWorkerId = e.workerId;
    childId = e.childId;
    await allocateEpisode(ctx, {
      episodeId: e.id,
      teamId: team.id,
      workerId: worker.id,
      startedOn: isoDateOf(ctx.now),
      reason,
      version: input.version,
    });
  } else {
    const e = await earlyHelpEpisodeForAllocation(ctx, input.episodeId);
    reference = e.reference;
    previousWorkerId = e.leadPractitionerId;
    if (e.leadPractitionerId === worker.id)
      throw new BusinessRuleError('workerId', `${worker.displayName} already leads this episode`);
    await assignLeadPractitioner(ctx, {
      episodeId: e.id,
      leadPractitionerId: worker.id,
      reason,
      version: input.version,
    });
  }
  await recordChange(ctx, {
    audit: {
      action: previousWorkerId ? 'allocation-board.reallocated' : 'allocation-board.allocated',
      subjectType: input.kind,
      subjectId: input.episodeId,
      ...(childId ? { childId } : {}),
      details: { teamId: team.id, workerId: worker.id, previousWorkerId, reason },
    },
  });
  return { workerName: worker.displayName, reference };
}
