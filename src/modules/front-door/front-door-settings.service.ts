import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import type { RagTimescales } from './contact.ts';
import { continuumFor, frontDoorSettings } from './settings.ts';
import {
  recordChange,
  type Db,
  type ReadContext,
  type ServiceContext,
  saveVersioned,
} from '../../kernel/service/index.ts';

/**
 * Changing an authority's front-door configuration (permission reference-data:manage): its RAG timescales (in
 * working hours) and which continuum of need its decisions use; and the continua themselves — name, threshold
 * document title and version, and each level's label and descriptor (shown at the point of decision). A decision
 * records the continuum and the document version it was made against, so changing what a level says needs a new
 * document version. Every change is audited with what it was before.
 */

function requireManager(user: CurrentUser): void {
  if (!user.permissions.has('reference-data:manage')) throw new AccessDeniedError('reference-data:manage');
}

/** The continua an authority may choose: the default ones and its own. */
export async function continuaFor(db: Db, localAuthorityId: string) {
  return db
    .selectFrom('thresholdContinua as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.documentTitle',
      'c.documentVersion',
      'c.isDefault',
      'c.localAuthorityId',
      'c.updatedAt',
      eb
        .selectFrom('thresholdLevels as l')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('l.continuumId', '=', 'c.id')
        .as('levels'),
    ])
    .where((eb) =>
      eb.or([eb('c.localAuthorityId', 'is', null), eb('c.localAuthorityId', '=', localAuthorityId)]),
    )
    .orderBy('c.isDefault', 'desc')
    .orderBy('c.name')
    .execute();
}

/** The version and last change of an authority's saved settings (none until first saved), for the settings form. */
export async function frontDoorSettingsVersion(ctx: ReadContext, localAuthorityId: string) {
  requireManager(ctx.user);
  return ctx.db
    .selectFrom('frontDoorSettings')
    .select(['version', 'updatedAt'])
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
}

export async function saveFrontDoorSettings(
  ctx: ServiceContext,
  input: {
    localAuthorityId: string;
    ragHours: RagTimescales;
    continuumId: string | null;
    version?: number | undefined;
  },
): Promise<{ changed: string[] }> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const la = await trx
    .selectFrom('localAuthorities')
    .select(['id', 'name'])
    .where('id', '=', input.localAuthorityId)
    .executeTakeFirst();
  if (!la) throw new NotFoundError();
  const { red, amber, green } = input.ragHours;
  if (!(red <= amber && amber <= green))
    throw new BusinessRuleError(
      'ragAmberHours',
      'Amber must be at least as long as red, and green at least as long as amber',
    );
  if (input.continuumId) {
    const ok = (await continuaFor(trx, la.id)).some((c) => c.id === input.continuumId);
    if (!ok) throw new BusinessRuleError('continuumId', 'Select a continuum of need from the list');
  }
  const before = await frontDoorSettings(trx, la.id);
  const continuumBefore = (await continuumFor(trx, la.id)).id;
  const row = await trx
    .selectFrom('frontDoorSettings')
    .select(['version'])
    .where('localAuthorityId', '=', la.id)
    .executeTakeFirst();
  const values = {
    ragRedHours: red,
    ragAmberHours: amber,
    ragGreenHours: green,
    continuumId: input.continuumId,
    updatedAt: now,
    updatedBy: user.id,
  };
  // The version the form was shown with is checked in the UPDATE (a first save inserts only if nobody did).
  await saveVersioned(
    trx,
    {
      table: 'frontDoorSettings',
      key: 'localAuthorityId',
      id: la.id,
      version: row ? (input.version ?? row.version) : 0,
      conflict: 'Someone else changed these settings while you were editing them. Check them and save again.',
    },
    values,
  );
  const changed: string[] = [];
  if (before.ragHours.red !== red) changed.push('ragRedHours');
  if (before.ragHours.amber !== amber) changed.push('ragAmberHours');
  if (before.ragHours.green !== green) changed.push('ragGreenHours');
  if (continuumBefore !== (input.continuumId ?? continuumBefore)) changed.push('continuumId');
  await recordChange(ctx, {
    audit: {
      action: 'front-door-settings.changed',
      subjectType: 'local-authority',
      subjectId: la.id,
      details: {
        localAuthority: la.name,
        changed,
        before: { ragHours: { ...before.ragHours }, continuumId: continuumBefore },
        after: { ragHours: { red, amber, green }, continuumId: input.continuumId },
      },
    },
  });
  return { changed };
}

export async function getContinuum(db: Db, id: string) {
  const continuum = await db
    .selectFrom('thresholdContinua as c')
    .leftJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .select([
      'c.id',
      'c.name',
      'c.documentTitle',
      'c.documentVersion',
      'c.isDefault',
      'c.localAuthorityId',
      'la.name as localAuthorityName',
      'c.version',
      'c.updatedAt',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!continuum) throw new NotFoundError();
  const levels = await db
    .selectFrom('thresholdLevels')
    .select(['id', 'code', 'level', 'label', 'descriptor', 'expectedOutcomes'])
    .where('continuumId', '=', id)
    .orderBy('sortOrder')
    .execute();
  const decisions = Number(
    (
      await db
        .selectFrom('contactDecisions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('continuumId', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { ...continuum, levels, decisions };
}

export interface ContinuumChange {
  continuumId: string;
  name: string;
  documentTitle: string;
  documentVersion: string;
  levels: { code: string; label: string; descriptor: string; expectedOutcomes?: string[] | undefined }[];
  version?: number | undefined;
}

export async function updateContinuum(
  ctx: ServiceContext,
  input: ContinuumChange,
): Promise<{ changed: string[] }> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const current = await getContinuum(trx, input.continuumId);
  const expected = input.version ?? current.version;
  if (expected !== current.version)
    throw new ConflictError(
      'Someone else changed this continuum while you were editing it. Check it and save again.',
    );
  const changedLevels = current.levels.filter((l) => {
    const next = input.levels.find((n) => n.code === l.code);
    return (
      next &&
      (next.label !== l.label ||
        next.descriptor !== l.descriptor ||
        (next.expectedOutcomes !== undefined && !sameSet(next.expectedOutcomes, l.expectedOutcomes)))
    );
  });
  if (changedLevels.length && input.documentVersion === current.documentVersion)
    throw new BusinessRuleError(
      'documentVersion',
      'Give the threshold document a new version: what the levels say has changed, and decisions record the version they were made against',
    );
  const changed: string[] = [];
  if (input.name !== current.name) changed.push('name');
  if (input.documentTitle !== current.documentTitle) changed.push('documentTitle');
  if (input.documentVersion !== current.documentVersion) changed.push('documentVersion');
  for (const l of changedLevels) changed.push(`level:${l.code}`);
  const updated = await trx
    .updateTable('thresholdContinua')
    .set({
      name: input.name,
      documentTitle: input.documentTitle,
      documentVersion: input.documentVersion,
      updatedAt: now,
      updatedBy: user.id,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', current.id)
    .where('version', '=', expected)
    .returning('id')
    .executeTakeFirst();
  if (!updated)
    throw new ConflictError(
      'Someone else changed this continuum while you were editing it. Check it and save again.',
    );
  for (const l of changedLevels) {
    const next = input.levels.find((n) => n.code === l.code)!;
    await trx
      .updateTable('thresholdLevels')
      .set({
        label: next.label,
        descriptor: next.descriptor,
        expectedOutcomes: next.expectedOutcomes ?? l.expectedOutcomes,
      })
      .where('id', '=', l.id)
      .execute();
  }
  await recordChange(ctx, {
    audit: {
      action: 'threshold-continuum.changed',
      subjectType: 'threshold-continuum',
      subjectId: current.id,
      details: {
        changed,
        before: {
          name: current.name,
          documentTitle: current.documentTitle,
          documentVersion: current.documentVersion,
          levels: changedLevels.map((l) => ({
            code: l.code,
            label: l.label,
            descriptor: l.descriptor,
            expectedOutcomes: l.expectedOutcomes,
          })),
        },
        after: {
          name: input.name,
          documentTitle: input.documentTitle,
          documentVersion: input.documentVersion,
          levels: changedLevels.map((l) => input.levels.find((n) => n.code === l.code)!),
        },
      },
    },
  });
  return { changed };
}

/** A continuum of an authority's own, starting as a copy of another's levels. */
export async function createContinuum(
  ctx: ServiceContext,
  input: {
    localAuthorityId: string;
    basedOnId: string;
    name: string;
    documentTitle: string;
    documentVersion: string;
  },
): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const la = await trx
    .selectFrom('localAuthorities')
    .select(['id', 'name'])
    .where('id', '=', input.localAuthorityId)
    .executeTakeFirst();
  if (!la) throw new BusinessRuleError('localAuthorityId', 'Select the local authority');
  const base = (await continuaFor(trx, la.id)).find((c) => c.id === input.basedOnId);
  if (!base) throw new BusinessRuleError('basedOnId', 'Select the continuum to start from');
  const key = `${
    input.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'continuum'
  }-${randomBytes(3).toString('hex')}`;
  const row = await trx
    .insertInto('thresholdContinua')
    .values({
      key,
      name: input.name,
      localAuthorityId: la.id,
      documentTitle: input.documentTitle,
      documentVersion: input.documentVersion,
      isDefault: false,
      createdAt: now,
      updatedAt: now,
      updatedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const levels = await trx
    .selectFrom('thresholdLevels')
    .select(['code', 'level', 'label', 'descriptor', 'sortOrder', 'expectedOutcomes'])
    .where('continuumId', '=', base.id)
    .orderBy('sortOrder')
    .execute();
  if (levels.length)
    await trx
      .insertInto('thresholdLevels')
      .values(levels.map((l) => ({ ...l, continuumId: row.id })))
      .execute();
  await recordChange(ctx, {
    audit: {
      action: 'threshold-continuum.created',
      subjectType: 'threshold-continuum',
      subjectId: row.id,
      details: {
        localAuthority: la.name,
        name: input.name,
        documentVersion: input.documentVersion,
        basedOn: base.name,
      },
    },
  });
  return row;
}

/** Whether two lists hold the same values, in any order. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
