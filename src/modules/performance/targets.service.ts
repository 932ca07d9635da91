import {
  requirePermission,
  recordChange,
  saveVersioned,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import {
  TARGET_RANGE,
  TARGETABLE_MEASURES,
  TOLERANCE_RANGE,
  targetsFrom,
  targetsJson,
  type MeasureTarget,
  type Targets,
} from './targets.ts';

/**
 * The authority's targets for the performance measures (performance_targets, one versioned row per authority).
 * Read by anyone who sees the measures (reports:view) or sets targets (targets:set); changed by those with
 * targets:set (service managers and administrators) for an authority they work for. Every change is audited with
 * the targets before and after.
 */

export interface TargetsRecord {
  localAuthorityId: string;
  targets: Targets;
  /** 0 while no targets have been saved (no row yet). */
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

export async function targetsOf(ctx: ReadContext, localAuthorityId: string): Promise<TargetsRecord> {
  if (!ctx.user.permissions.has('targets:set')) requirePermission(ctx.user, 'reports:view');
  const row = await ctx.db
    .selectFrom('performanceTargets as t')
    .leftJoin('users as u', 'u.id', 't.updatedBy')
    .select(['t.targets', 't.version', 't.updatedAt', 'u.displayName as updatedByName'])
    .where('t.localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return {
    localAuthorityId,
    targets: targetsFrom(row?.targets),
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

/** The authorities whose targets the user sets: those they work for. */
export async function targetAuthorities(ctx: ReadContext): Promise<{ id: string; name: string }[]> {
  requirePermission(ctx.user, 'targets:set');
  if (!ctx.user.localAuthorityIds.length) return [];
  return ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name'])
    .where('id', 'in', ctx.user.localAuthorityIds)
    .orderBy('name')
    .execute();
}

/** The targets the user's figures are judged against: their home authority's. */
export async function targetsForUser(ctx: ReadContext): Promise<Targets> {
  const la = ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0];
  return la ? (await targetsOf(ctx, la)).targets : {};
}

const CHANGED_MEANWHILE =
  'Someone else changed these targets while you were editing them. Check them and save again.';

/**
 * Saves every measure's target at once (a measure left out has no target). A target needs a whole percentage from
 * 0 to 100 and a tolerance from 0 to 50 points; a stale version is a ConflictError and nothing is overwritten.
 */
export async function saveTargets(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number; targets: Partial<Record<string, MeasureTarget>> },
): Promise<{ changed: string[] }> {
  requirePermission(ctx.user, 'targets:set');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId))
    throw new BusinessRuleError('localAuthorityId', 'Choose a local authority you work for');
  const after: Targets = {};
  for (const m of TARGETABLE_MEASURES) {
    const t = input.targets[m.id];
    if (!t) continue;
    if (!Number.isInteger(t.target) || t.target < TARGET_RANGE.min || t.target > TARGET_RANGE.max)
      throw new BusinessRuleError(`target-${m.id}`, 'Enter the target as a whole percentage from 0 to 100');
    if (
      !Number.isInteger(t.tolerance) ||
      t.tolerance < TOLERANCE_RANGE.min ||
      t.tolerance > TOLERANCE_RANGE.max
    )
      throw new BusinessRuleError(
        `tolerance-${m.id}`,
        'Enter the amber tolerance as whole points from 0 to 50',
      );
    after[m.id] = { target: t.target, tolerance: t.tolerance };
  }
  const unknown = Object.keys(input.targets).filter((k) => !TARGETABLE_MEASURES.some((m) => m.id === k));
  if (unknown.length)
    throw new BusinessRuleError('targets', `A target cannot be set for ${unknown.join(', ')}`);
  const current = await targetsOf(ctx, input.localAuthorityId);
  if (input.version !== current.version) throw new ConflictError(CHANGED_MEANWHILE);
  const changed = TARGETABLE_MEASURES.map((m) => m.id).filter(
    (id) => JSON.stringify(current.targets[id] ?? null) !== JSON.stringify(after[id] ?? null),
  );
  if (!changed.length && current.version) return { changed };
  await saveVersioned(
    ctx.db,
    {
      table: 'performanceTargets',
      key: 'localAuthorityId',
      id: input.localAuthorityId,
      version: input.version,
      conflict: CHANGED_MEANWHILE,
    },
    { targets: JSON.stringify(targetsJson(after)), updatedAt: ctx.now, updatedBy: ctx.user.id },
  );
  await recordChange(ctx, {
    audit: {
      action: 'performance-targets.changed',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: { changed, before: targetsJson(current.targets), after: targetsJson(after) },
    },
  });
  return { changed };
}
