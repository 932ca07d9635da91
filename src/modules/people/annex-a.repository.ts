import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The child's details that lead every Ofsted Annex A list (Child Unique ID, gender, ethnicity, date of birth, and for
 * lists 4 onwards whether the child has a disability), for a page of a list's rows at once: one query however many
 * children. Read by the returns module through this module's index.
 */
export interface AnnexAChildDetails {
  id: string;
  /** The authority's child id (people.la_child_id): the return's Child Unique ID. */
  laChildId: string | null;
  /** Census sex code: M, F or U. */
  sex: string | null;
  ethnicityCode: string | null;
  dateOfBirth: string | null;
  /** The census disability codes recorded for the child (NONE, or one or more kinds); empty when none is recorded. */
  disabilityCodes: string[];
}

export async function annexAChildDetails(
  db: Db,
  childIds: readonly string[],
): Promise<Map<string, AnnexAChildDetails>> {
  const result = new Map<string, AnnexAChildDetails>();
  const ids = [...new Set(childIds)];
  if (!ids.length) return result;
  const rows = await db
    .selectFrom('people as p')
    .select((eb) => [
      'p.id',
      'p.laChildId',
      'p.sex',
      'p.ethnicityCode',
      'p.dateOfBirth',
      eb
        .selectFrom('personDisabilities as d')
        .select(sql<string[]>`coalesce(array_agg(d.code order by d.code), '{}')`.as('codes'))
        .whereRef('d.personId', '=', 'p.id')
        .as('disabilityCodes'),
    ])
    .where('p.id', 'in', ids)
    .execute();
  for (const r of rows) result.set(r.id, { ...r, disabilityCodes: r.disabilityCodes ?? [] });
  return result;
}
