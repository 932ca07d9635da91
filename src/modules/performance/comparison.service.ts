import { readFile } from 'node:fs/promises';
import { BusinessRuleError, ConflictError, FieldProblemsError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { figuresFrom, parseComparisonCsv, type ComparisonFigure } from './comparison.ts';
import type { MeasureId } from './measures.ts';

/**
 * Comparison figures (performance_comparison_sets): the set shipped with Threshold (no authority: England from the
 * DfE's published statistics) and the sets an analyst loads for their authority (returns:produce), each a new row
 * with the authority's next version. Read by anyone who sees the measures (reports:view).
 */

export interface ComparisonSet {
  id: string;
  localAuthorityId: string | null;
  year: string;
  version: number;
  source: string;
  loadedAt: Date;
  loadedByName: string | null;
  figures: Partial<Record<MeasureId, ComparisonFigure>>;
}

const setColumns = [
  's.id',
  's.localAuthorityId',
  's.year',
  's.version',
  's.source',
  's.figures',
  's.loadedAt',
  'u.displayName as loadedByName',
] as const;

function setsOf(db: Db, localAuthorityId: string | null) {
  return db
    .selectFrom('performanceComparisonSets as s')
    .leftJoin('users as u', 'u.id', 's.loadedBy')
    .select(setColumns)
    .where((eb) =>
      localAuthorityId
        ? eb.or([eb('s.localAuthorityId', 'is', null), eb('s.localAuthorityId', '=', localAuthorityId)])
        : eb('s.localAuthorityId', 'is', null),
    );
}

const toSet = (r: {
  id: string;
  localAuthorityId: string | null;
  year: string;
  version: number;
  source: string;
  figures: unknown;
  loadedAt: Date;
  loadedByName: string | null;
}): ComparisonSet => ({ ...r, figures: figuresFrom(r.figures) });

/**
 * The figures an authority's measures are compared with: the latest year loaded, and for that year the authority's
 * own latest load, else the shipped set. Null when there are none.
 */
export async function comparisonOf(db: Db, localAuthorityId: string | null): Promise<ComparisonSet | null> {
  const row = await setsOf(db, localAuthorityId)
    .orderBy('s.year', 'desc')
    .orderBy((eb) => eb.case().when('s.localAuthorityId', 'is', null).then(0).else(1).end(), 'desc')
    .orderBy('s.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toSet(row) : null;
}

/** The comparison for the user's figures: their home authority's. */
export async function comparisonForUser(ctx: ReadContext): Promise<ComparisonSet | null> {
  requirePermission(ctx.user, 'reports:view');
  return comparisonOf(ctx.db, ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0] ?? null);
}

/** Every set the user's authority may use, newest first, and the version a new load must follow. */
export async function comparisonSets(ctx: ReadContext): Promise<{
  sets: ComparisonSet[];
  current: ComparisonSet | null;
  version: number;
  localAuthorityId: string | null;
}> {
  requirePermission(ctx.user, 'reports:view');
  const la = ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0] ?? null;
  const rows = await setsOf(ctx.db, la)
    .orderBy('s.loadedAt', 'desc')
    .orderBy('s.version', 'desc')
    .limit(50)
    .execute();
  return {
    sets: rows.map(toSet),
    current: await comparisonOf(ctx.db, la),
    version: la ? await latestVersion(ctx.db, la) : 0,
    localAuthorityId: la,
  };
}

async function latestVersion(db: Db, localAuthorityId: string): Promise<number> {
  const row = await db
    .selectFrom('performanceComparisonSets')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

const CHANGED_MEANWHILE =
  'Someone else loaded comparison figures while you were preparing yours. Check the figures now in use and load yours again if they are still needed.';

/**
 * Loads a year of comparison figures for one of the user's authorities from CSV (returns:produce). Every problem in
 * the file is a field error naming its row, and nothing is kept; `version` is the authority's latest version the
 * form was shown (0 for none): a stale one is a ConflictError, and of two loads at once one wins.
 */
export async function loadComparison(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number; csv: string; field?: 'csv' | 'file' },
): Promise<{ id: string; year: string; version: number; figures: number }> {
  requirePermission(ctx.user, 'returns:produce');
  const field = input.field ?? 'csv';
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId))
    throw new BusinessRuleError(field, 'You can load comparison figures only for an authority you work for');
  const parsed = parseComparisonCsv(input.csv, field);
  if (!parsed.ok) throw new FieldProblemsError(parsed.errors);
  const { year, figures } = parsed.upload;
  if ((await latestVersion(ctx.db, input.localAuthorityId)) !== input.version)
    throw new ConflictError(CHANGED_MEANWHILE);
  const version = input.version + 1;
  const row = await ctx.db
    .insertInto('performanceComparisonSets')
    .values({
      localAuthorityId: input.localAuthorityId,
      year,
      version,
      source: `Loaded by ${ctx.user.displayName}`,
      figures: JSON.stringify(figures),
      loadedAt: ctx.now,
      loadedBy: ctx.user.id,
    })
    .onConflict((oc) => oc.columns(['localAuthorityId', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new ConflictError(CHANGED_MEANWHILE);
  await recordChange(ctx, {
    audit: {
      action: 'performance-comparison.loaded',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: {
        setId: row.id,
        year,
        version,
        figures: figures.map((f) => ({
          measure: f.measure,
          england: f.england,
          neighbours: f.neighbours,
          source: f.source,
        })),
      },
    },
  });
  return { id: row.id, year, version, figures: figures.length };
}

/** The largest comparison file read: a year's figures are a few dozen rows. */
export const COMPARISON_FILE_LIMIT_BYTES = 100_000;

/**
 * The text of an uploaded comparison file (the upload plugin has kept it in a temporary file): UTF-8, with or without
 * a byte-order mark, at most COMPARISON_FILE_LIMIT_BYTES. Anything else is a field error on `file`.
 */
export async function comparisonFileText(file: {
  tempPath: string | null;
  filename: string;
  sizeBytes: number;
  tooLarge: boolean;
}): Promise<string> {
  if (!/\.csv$/i.test(file.filename))
    throw new BusinessRuleError('file', 'The selected file must be a CSV file (ending .csv)');
  if (file.tooLarge || file.sizeBytes > COMPARISON_FILE_LIMIT_BYTES)
    throw new BusinessRuleError('file', 'The selected file must be smaller than 100 KB');
  if (!file.tempPath || file.sizeBytes === 0)
    throw new BusinessRuleError('file', 'The selected file is empty');
  const bytes = await readFile(file.tempPath);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BusinessRuleError('file', 'The selected file must be saved as CSV UTF-8');
  }
  return text.replace(/^\uFEFF/, '');
}
