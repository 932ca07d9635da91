import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * Early help's rows for Ofsted's Annex A list 2 (early help assessments), read set-based by the returns module
 * through this module's index: one row per child of the episode for every early help assessment open at any time in
 * the window (started before its end, and not completed before its start). The organisation completing it is the
 * episode's lead agency, or null when the authority's own early help service leads. Pages by keyset (started_at,
 * assessment id, child id) so that memory stays flat.
 */

export interface AnnexAWindow {
  localAuthorityId: string;
  from: string;
  to: string;
  /** The window as instants (Europe/London): its first day's start and the start of the day after its last. */
  start: Date;
  end: Date;
}

export interface AnnexAEarlyHelpRow {
  assessmentId: string;
  childId: string;
  startedAt: Date;
  completedAt: Date | null;
  leadAgencyName: string | null;
}

function inWindow(db: Db, window: AnnexAWindow) {
  return db
    .selectFrom('earlyHelpAssessments as a')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'a.episodeId')
    .innerJoin('earlyHelpEpisodeChildren as ec', 'ec.episodeId', 'e.id')
    .where('e.localAuthorityId', '=', window.localAuthorityId)
    .where('a.startedAt', '<', window.end)
    .where((eb) => eb.or([eb('a.completedAt', 'is', null), eb('a.completedAt', '>=', window.start)]));
}

export async function annexAEarlyHelpRows(
  db: Db,
  window: AnnexAWindow,
  after: { startedAt: Date; assessmentId: string; childId: string } | null,
  limit: number,
): Promise<AnnexAEarlyHelpRow[]> {
  let query = inWindow(db, window)
    .leftJoin('agencies as ag', 'ag.id', 'e.leadAgencyId')
    .select([
      'a.id as assessmentId',
      'ec.childId',
      'a.startedAt',
      'a.completedAt',
      'ag.name as leadAgencyName',
    ]);
  if (after)
    query = query.where(
      sql<boolean>`(${sql.ref('a.startedAt')}, ${sql.ref('a.id')}, ${sql.ref('ec.childId')}) > (${after.startedAt}, ${after.assessmentId}::uuid, ${after.childId}::uuid)`,
    );
  return query.orderBy('a.startedAt').orderBy('a.id').orderBy('ec.childId').limit(limit).execute();
}

export async function annexAEarlyHelpCount(db: Db, window: AnnexAWindow): Promise<number> {
  const row = await inWindow(db, window)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
