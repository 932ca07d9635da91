import { DEFAULT_RAG_HOURS, type RagTimescales } from './contact.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * An authority's front-door configuration (front_door_settings), with the defaults when it has no row:
 * RAG timescales red 4, amber 24, green 72 working hours, and the default continuum of need (the London
 * Continuum, seeded by migration 2026-11-26T0030).
 */

export interface ThresholdLevel {
  code: string;
  level: number;
  label: string;
  descriptor: string;
  /** The contact outcomes this level usually leads to; any other needs a reason at the decision. */
  expectedOutcomes: string[];
}

export interface Continuum {
  id: string;
  name: string;
  documentTitle: string;
  documentVersion: string;
  levels: ThresholdLevel[];
}

export interface FrontDoorSettings {
  ragHours: RagTimescales;
  continuumId: string | null;
}

export async function frontDoorSettings(db: Db, localAuthorityId: string): Promise<FrontDoorSettings> {
  const row = await db
    .selectFrom('frontDoorSettings')
    .selectAll()
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  if (!row) return { ragHours: { ...DEFAULT_RAG_HOURS }, continuumId: null };
  return {
    ragHours: { red: row.ragRedHours, amber: row.ragAmberHours, green: row.ragGreenHours },
    continuumId: row.continuumId,
  };
}

/** The continuum an authority decides against: its own choice, or the default. */
export async function continuumFor(db: Db, localAuthorityId: string): Promise<Continuum> {
  const settings = await frontDoorSettings(db, localAuthorityId);
  let q = db.selectFrom('thresholdContinua').select(['id', 'name', 'documentTitle', 'documentVersion']);
  q = settings.continuumId ? q.where('id', '=', settings.continuumId) : q.where('isDefault', '=', true);
  const continuum = await q.executeTakeFirstOrThrow();
  const levels = await db
    .selectFrom('thresholdLevels')
    .select(['code', 'level', 'label', 'descriptor', 'expectedOutcomes'])
    .where('continuumId', '=', continuum.id)
    .orderBy('sortOrder')
    .execute();
  return { ...continuum, levels };
}

/** A reference code set as [{ value, text, hint }], in order. */
export async function codeList(
  db: Db,
  codeSet: string,
): Promise<{ value: string; text: string; hint?: string }[]> {
  const rows = await db
    .selectFrom('refCodes')
    .select(['code', 'label', 'description'])
    .where('codeSet', '=', codeSet)
    .orderBy('sortOrder')
    .orderBy('label')
    .execute();
  return rows.map((r) => ({
    value: r.code,
    text: r.label,
    ...(r.description ? { hint: r.description } : {}),
  }));
}

export async function codeLabels(db: Db, codeSet: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('refCodes')
    .select(['code', 'label'])
    .where('codeSet', '=', codeSet)
    .execute();
  return new Map(rows.map((r) => [r.code, r.label]));
}
