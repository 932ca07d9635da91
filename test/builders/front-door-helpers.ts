import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/**
 * What the front door's page and database tests read back, written once:
 *
 *   const { richmond, kingston } = await localAuthorityIds(t.db);
 *   expect(summaryLinks(res)).toEqual(['#reason Describe what has happened …']);
 */

export { summaryLinks, textOf, banner } from './pages.ts';
export { localAuthorityIds, agencyIdsByKind } from './organisation.ts';

/** The audit events with this action (about this subject, when given), oldest first. */
export const auditEvents = (db: Kysely<DB>, action: string, subjectId?: string) => {
  let q = db.selectFrom('auditEvents').select(['actorLabel', 'details']).where('action', '=', action);
  if (subjectId !== undefined) q = q.where('subjectId', '=', subjectId);
  return q.orderBy('seq').execute();
};
