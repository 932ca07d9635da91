import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The front door's rows for Ofsted's Annex A list 1 (contacts), read set-based by the returns module through this
 * module's index. One row per child named on a contact received in the window and linked to a person record (a
 * child not yet linked by the known check has no record, so no Child Unique ID, and is left out). Pages of rows in
 * the order received, by keyset (received_at, contact child id) so that memory stays flat however long the window;
 * contacts (local_authority_id, received_at) serves the range.
 */

export interface AnnexAWindow {
  localAuthorityId: string;
  /** The window's first and last days, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  /** The window as instants: the start of its first day and the start of the day after its last (Europe/London). */
  start: Date;
  end: Date;
}

export interface AnnexAContactRow {
  /** contact_children.id: the keyset's tie-breaker. */
  id: string;
  childId: string;
  receivedAt: Date;
  /** CIN census referral source code (1A … 10). */
  referralSource: string;
}

export async function annexAContactRows(
  db: Db,
  window: AnnexAWindow,
  after: { receivedAt: Date; id: string } | null,
  limit: number,
): Promise<AnnexAContactRow[]> {
  let query = db
    .selectFrom('contacts as c')
    .innerJoin('contactChildren as cc', 'cc.contactId', 'c.id')
    .select(['cc.id', 'c.receivedAt', 'c.referralSource'])
    .select(sql<string>`${sql.ref('cc.personId')}`.as('childId'))
    .where('c.localAuthorityId', '=', window.localAuthorityId)
    .where('c.receivedAt', '>=', window.start)
    .where('c.receivedAt', '<', window.end)
    .where('cc.personId', 'is not', null);
  if (after)
    query = query.where(
      sql<boolean>`(${sql.ref('c.receivedAt')}, ${sql.ref('cc.id')}) > (${after.receivedAt}, ${after.id}::uuid)`,
    );
  return query.orderBy('c.receivedAt').orderBy('cc.id').limit(limit).execute();
}

/** How many list 1 rows the window has (for the summary and the progress bar). */
export async function annexAContactCount(db: Db, window: AnnexAWindow): Promise<number> {
  const row = await db
    .selectFrom('contacts as c')
    .innerJoin('contactChildren as cc', 'cc.contactId', 'c.id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('c.localAuthorityId', '=', window.localAuthorityId)
    .where('c.receivedAt', '>=', window.start)
    .where('c.receivedAt', '<', window.end)
    .where('cc.personId', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
