import { sql } from 'kysely';
import { holdsRoleIn, visibleTo } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
  saveVersioned,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  caseloadFigures,
  DEFAULT_CASELOAD_WEIGHTS,
  inLargeSiblingGroup,
  WORK_KINDS,
  type CaseloadFigures,
  type CaseloadWeights,
  type WorkKind,
} from './caseload.ts';
import { addCalendarMonths } from './supervision.ts';
import { CASE_HOLDING_ROLES } from './supervision.service.ts';

/**
 * Caseloads (workforce module): the authority's weighting settings, each worker's caseload from their open
 * allocations (a child counted once, at the heaviest work held), a team's workers for the allocation board, a
 * worker's children, and how many workers a child has had in the last 12 months (stability for children).
 */

// Settings ----------------------------------------------------------------------------------------------------------

export async function caseloadWeights(db: Db, localAuthorityId: string | null): Promise<CaseloadWeights> {
  if (!localAuthorityId) return DEFAULT_CASELOAD_WEIGHTS;
  const row = await db
    .selectFrom('caseloadSettings')
    .selectAll()
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return row ? weightsOfRow(row) : DEFAULT_CASELOAD_WEIGHTS;
}

function weightsOfRow(row: {
  weightChildProtection: number;
  weightChildInNeed: number;
  weightAssessment: number;
  weightEarlyHelp: number;
  weightLargeSiblingGroup: number;
  largeSiblingGroupSize: number;
  tooHigh: number;
}): CaseloadWeights {
  return {
    childProtection: Number(row.weightChildProtection),
    childInNeed: Number(row.weightChildInNeed),
    assessment: Number(row.weightAssessment),
    earlyHelp: Number(row.weightEarlyHelp),
    largeSiblingGroup: Number(row.weightLargeSiblingGroup),
    largeSiblingGroupSize: Number(row.largeSiblingGroupSize),
    tooHigh: Number(row.tooHigh),
  };
}

/** The home authority's weights, with the version the form carries (0 while on the defaults). */
export async function caseloadSettings(ctx: ReadContext) {
  requirePermission(ctx.user, 'allocation:manage');
  const laId = ctx.user.localAuthorityId;
  if (!laId) throw new NotFoundError();
  const row = await ctx.db
    .selectFrom('caseloadSettings as s')
    .leftJoin('users as u', 'u.id', 's.updatedBy')
    .selectAll('s')
    .select('u.displayName as updatedByName')
    .where('s.localAuthorityId', '=', laId)
    .executeTakeFirst();
  const la = await ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name'])
    .where('id', '=', laId)
    .executeTakeFirstOrThrow();
  return {
    localAuthority: la,
    weights: row ? weightsOfRow(row) : DEFAULT_CASELOAD_WEIGHTS,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

export async function saveCaseloadSettings(
  ctx: ServiceContext,
  input: CaseloadWeights & { version: number },
): Promise<void> {
  const current = await caseloadSettings(ctx);
  const laId = current.localAuthority.id;
  const { version, ...weights } = input;
  if (weights.tooHigh <= 0) throw new BusinessRuleError('tooHigh', 'The level must be more than 0');
  const values = {
    weightChildProtection: weights.childProtection,
    weightChildInNeed: weights.childInNeed,
    weightAssessment: weights.assessment,
    weightEarlyHelp: weights.earlyHelp,
    weightLargeSiblingGroup: weights.largeSiblingGroup,
    largeSiblingGroupSize: weights.largeSiblingGroupSize,
    tooHigh: weights.tooHigh,
    updatedAt: ctx.now,
    updatedBy: ctx.user.id,
  };
  await saveVersioned(
    ctx.db,
    { table: 'caseloadSettings', key: 'localAuthorityId', id: laId, version },
    values,
  );
  await recordChange(ctx, {
    audit: {
      action: 'caseload-settings.changed',
      subjectType: 'local-authority',
      subjectId: laId,
      details: { before: { ...current.weights }, after: { ...weights } },
    },
  });
}

// Caseloads ---------------------------------------------------------------------------------------------------------

const SIBLING_KINDS = ['sibling', 'half-sibling', 'step-sibling'];

/**
 * For a query over open allocations `a` grouped by worker and child: the heaviest work held for the child (rank 4
 * CP, 3 CIN, 2 assessment or other social care, 1 early help). Shared with the workforce page's figures.
 */
export const heldWorkRank = sql<number>`max(case
    when a.involvement_type = 'early-help-episode' then 1
    when exists (select 1 from cp_plans cp where cp.child_id = a.child_id and cp.end_date is null) then 4
    when exists (select 1 from cin_plans cp where cp.child_id = a.child_id and cp.end_date is null) then 3
    else 2 end)`;

/** For a query over allocations `a`: the child's current brothers and sisters (including half and step). */
export function heldChildSiblings(today: string) {
  return sql<string>`(select count(distinct s.other) from (
      select r.related_person_id as other from relationships r
        where r.person_id = a.child_id and r.kind in (${sql.join(SIBLING_KINDS)})
          and (r.to_date is null or r.to_date > ${today})
      union
      select r.person_id as other from relationships r
        where r.related_person_id = a.child_id and r.kind in (${sql.join(SIBLING_KINDS)})
          and (r.to_date is null or r.to_date > ${today})
    ) s)`;
}

/**
 * The children each of `workerIds` holds today (an open allocation as worker or lead practitioner), one row per
 * worker and child: the heaviest work held and the child's current siblings. One set-based query.
 */
async function heldChildren(db: Db, workerIds: readonly string[], today: string) {
  if (!workerIds.length) return [];
  const rank = heldWorkRank;
  const siblings = heldChildSiblings(today);
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('people as p', 'p.id', 'a.childId')
    .select([
      'a.workerId',
      'a.childId',
      'p.givenName',
      'p.familyName',
      rank.as('rank'),
      siblings.as('siblings'),
    ])
    .where('a.workerId', 'in', [...workerIds])
    .where('a.endedOn', 'is', null)
    .where('a.startedOn', '<=', today)
    .where('p.kind', '=', 'child')
    .where('p.mergedIntoId', 'is', null)
    .groupBy(['a.workerId', 'a.childId', 'p.givenName', 'p.familyName'])
    .orderBy('p.familyName')
    .orderBy('p.givenName')
    .execute();
  const kindOfRank: Record<number, WorkKind> = {
    4: 'child-protection',
    3: 'child-in-need',
    2: 'assessment',
    1: 'early-help',
  };
  return rows.map((r) => ({
    workerId: r.workerId!,
    childId: r.childId,
    childName: `${r.givenName} ${r.familyName}`,
    kind: kindOfRank[Number(r.rank)] ?? 'assessment',
    siblings: Number(r.siblings),
  }));
}

export interface WorkerCaseload extends CaseloadFigures {
  id: string;
  displayName: string;
  jobTitle: string | null;
  fte: number;
}

/** Caseloads of the given workers, weighted by their authority's settings. */
export async function caseloadsOf(
  ctx: ReadContext,
  workers: readonly { id: string; displayName: string; jobTitle: string | null; fte: number | null }[],
  localAuthorityId: string | null,
): Promise<{ weights: CaseloadWeights; caseloads: WorkerCaseload[] }> {
  const weights = await caseloadWeights(ctx.db, localAuthorityId);
  const held = await heldChildren(
    ctx.db,
    workers.map((w) => w.id),
    isoDateOf(ctx.now),
  );
  return {
    weights,
    caseloads: workers.map((w) => ({
      id: w.id,
      displayName: w.displayName,
      jobTitle: w.jobTitle,
      fte: w.fte ?? 1,
      ...caseloadFigures(
        held.filter((h) => h.workerId === w.id),
        weights,
      ),
    })),
  };
}

/**
 * The team, if the user manages it (or a team above it) and may allocate; NotFoundError otherwise. A team need not
 * belong to a service (its area is then null, and its board lists both kinds of work).
 */
export async function managedTeam(ctx: ReadContext, teamId: string) {
  requirePermission(ctx.user, 'allocation:manage');
  if (!ctx.user.managedTeamIds.includes(teamId)) throw new NotFoundError('No such team');
  const team = await ctx.db
    .selectFrom('teams as t')
    .leftJoin('services as s', 's.id', 't.serviceId')
    .select(['t.id', 't.name', 't.localAuthorityId', 's.area'])
    .where('t.id', '=', teamId)
    .executeTakeFirst();
  if (!team) throw new NotFoundError('No such team');
  return team;
}

/** The team's active case holders, by name (bounded by the team's size). */
export async function teamWorkers(db: Db, teamId: string) {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('workerProfiles as w', 'w.userId', 'u.id')
    .select(['u.id', 'u.displayName', 'u.jobTitle', 'w.fte'])
    .where('u.teamId', '=', teamId)
    .where('u.status', '=', 'active')
    .where(holdsRoleIn(CASE_HOLDING_ROLES))
    .orderBy('u.displayName')
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...r, fte: r.fte === null ? null : Number(r.fte) }));
}

/** A team's caseloads: its case holders' figures, for the allocation board. */
export async function teamCaseloads(ctx: ReadContext, teamId: string) {
  const team = await managedTeam(ctx, teamId);
  const workers = await teamWorkers(ctx.db, team.id);
  return { team, ...(await caseloadsOf(ctx, workers, team.localAuthorityId)) };
}

export const CASELOAD_PAGE_SIZE = 25;

/**
 * One worker's caseload: their figures and the children they hold (those the viewer may see), paged. The viewer is
 * the worker, or manages the worker's team (with 'allocation:manage' or 'caseload:view').
 */
export async function workerCaseload(ctx: ReadContext, input: { workerId: string; page: number }) {
  const { permissions } = ctx.user;
  if (
    ctx.user.isPartner ||
    !(
      permissions.has('child:write') ||
      permissions.has('allocation:manage') ||
      permissions.has('caseload:view')
    )
  )
    throw new AccessDeniedError('caseload:view');
  const worker = await ctx.db
    .selectFrom('users as u')
    .leftJoin('workerProfiles as w', 'w.userId', 'u.id')
    .select(['u.id', 'u.displayName', 'u.jobTitle', 'u.teamId', 'u.localAuthorityId', 'w.fte'])
    .where('u.id', '=', input.workerId)
    .executeTakeFirst();
  const manages =
    (ctx.user.permissions.has('allocation:manage') || ctx.user.permissions.has('caseload:view')) &&
    !!worker?.teamId &&
    ctx.user.managedTeamIds.includes(worker.teamId);
  if (!worker || !(worker.id === ctx.user.id || manages)) throw new NotFoundError('No such worker');
  const today = isoDateOf(ctx.now);
  const held = await heldChildren(ctx.db, [worker.id], today);
  const weights = await caseloadWeights(ctx.db, worker.localAuthorityId);
  const figures = caseloadFigures(held, weights);
  const visible = held.length
    ? await ctx.db
        .selectFrom('people as p')
        .select('p.id')
        .where(
          'p.id',
          'in',
          held.map((h) => h.childId),
        )
        .where(visibleTo(ctx.user, ctx.now, 'p.id'))
        .execute()
    : [];
  const visibleIds = new Set(visible.map((v) => v.id));
  const shown = held.filter((h) => visibleIds.has(h.childId));
  const start = (input.page - 1) * CASELOAD_PAGE_SIZE;
  const episodes = await openEpisodesOf(
    ctx.db,
    worker.id,
    shown.slice(start, start + CASELOAD_PAGE_SIZE).map((h) => h.childId),
  );
  return {
    worker: { ...worker, fte: worker.fte === null ? 1 : Number(worker.fte) },
    weights,
    figures,
    hiddenCount: held.length - shown.length,
    total: shown.length,
    children: shown.slice(start, start + CASELOAD_PAGE_SIZE).map((h) => ({
      ...h,
      largeSiblingGroup: inLargeSiblingGroup(h, weights),
      episodes: episodes.filter((e) => e.childId === h.childId),
    })),
  };
}

/** The worker's open allocations that name an episode (for reallocation), for the listed children. */
async function openEpisodesOf(db: Db, workerId: string, childIds: string[]) {
  if (!childIds.length) return [];
  return db
    .selectFrom('allocations')
    .select(['childId', 'involvementType', 'involvementId', 'teamId'])
    .where('workerId', '=', workerId)
    .where('endedOn', 'is', null)
    .where('childId', 'in', childIds)
    .where('involvementType', 'in', ['cin-episode', 'early-help-episode'])
    .where('involvementId', 'is not', null)
    .execute();
}

// Stability for children ------------------------------------------------------------------------------------------

/**
 * The workers a child has had in the 12 months to today: every worker whose allocation to the child (any
 * involvement, any role) was open on some day of that window. Each worker once, the latest first.
 */
export async function workersInLastYear(db: Db, childId: string, today: string) {
  const since = addCalendarMonths(today, -12);
  const rows = await db
    .selectFrom('allocations as a')
    .innerJoin('users as u', 'u.id', 'a.workerId')
    .select(['u.id', 'u.displayName', (eb) => eb.fn.max('a.startedOn').as('lastStarted')])
    .where('a.childId', '=', childId)
    .where('a.startedOn', '<=', today)
    .where((eb) => eb.or([eb('a.endedOn', 'is', null), eb('a.endedOn', '>=', since)]))
    .groupBy(['u.id', 'u.displayName'])
    .orderBy('lastStarted', 'desc')
    .orderBy('u.displayName')
    .execute();
  return { since, workers: rows.map((r) => ({ id: r.id, displayName: r.displayName })) };
}

export { WORK_KINDS };
