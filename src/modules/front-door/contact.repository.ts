import { sql, type RawBuilder } from 'kysely';
import type { ContactsRow } from '../../db/schema.ts';
import { ConflictError } from '../../kernel/errors.ts';
import type { ContactStatus } from './contact.ts';
import type { Db } from '../../kernel/service/index.ts';

/** The front door's queries on contacts and the children and adults named on them. */

/**
 * The next contact reference, `C-<year received>-<number>` (the number at least five digits), as an SQL expression to
 * use in the contact's INSERT: the number comes from the `contact_number` sequence.
 */
export function contactReferenceSql(receivedOn: string): RawBuilder<string> {
  return sql<string>`(select 'C-' || ${receivedOn.slice(0, 4)} || '-' || lpad(n::text, greatest(5, length(n::text)), '0')
    from (select nextval('contact_number') as n) as next)`;
}

export async function findContact(db: Db, id: string): Promise<ContactsRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function contactChildren(db: Db, contactId: string) {
  return db
    .selectFrom('contactChildren')
    .selectAll()
    .where('contactId', '=', contactId)
    .orderBy('position')
    .execute();
}

export async function contactAdults(db: Db, contactId: string) {
  return db
    .selectFrom('contactAdults')
    .selectAll()
    .where('contactId', '=', contactId)
    .orderBy('position')
    .execute();
}

/**
 * Changes a contact if it is still at `expectedVersion` (when given), bumping the version; otherwise someone
 * else saved first and nothing is written (ConflictError → 409).
 */
export async function updateContact(
  db: Db,
  id: string,
  expectedVersion: number | undefined,
  values: Partial<
    Pick<
      ContactsRow,
      | 'status'
      | 'knownCheckCompletedAt'
      | 'knownCheckCompletedBy'
      | 'rag'
      | 'ragSetAt'
      | 'ragSetBy'
      | 'ragRationale'
      | 'informationDueAt'
      | 'mashEnquiryStartedAt'
      | 'mashEnquiryClosedAt'
      | 'completedAt'
    >
  > & { updatedAt: Date },
): Promise<ContactsRow> {
  let q = db
    .updateTable('contacts')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const row = await q.returningAll().executeTakeFirst();
  if (!row)
    throw new ConflictError(
      'Someone else changed this contact while you were working on it. Check what they did, then try again.',
    );
  return row;
}

export interface WorktrayFilter {
  localAuthorityIds: readonly string[];
  statuses: readonly ContactStatus[];
  limit: number;
  offset: number;
}

/** Open contacts, soonest deadline first: the RAG information deadline while the enquiry is open, else the decision. */
export async function openContacts(db: Db, filter: WorktrayFilter) {
  if (!filter.localAuthorityIds.length || !filter.statuses.length) return { rows: [], total: 0 };
  const base = db
    .selectFrom('contacts as c')
    .where('c.localAuthorityId', 'in', [...filter.localAuthorityIds])
    .where('c.status', 'in', [...filter.statuses]);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .select([
      'c.id',
      'c.reference',
      'c.receivedAt',
      'c.channel',
      'c.referralSource',
      'c.referrerName',
      'c.referrerOrganisation',
      'c.urgency',
      'c.status',
      'c.rag',
      'c.decisionDueOn',
      'c.decisionDueAt',
      'c.informationDueAt',
      'c.mashEnquiryClosedAt',
      'c.concernCategories',
      'la.name as localAuthorityName',
    ])
    // A stored generated column (migration 0089) with an index in this order: no sort of every open contact.
    .orderBy('c.effectiveDueAt')
    .orderBy('c.receivedAt')
    .orderBy('c.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const ids = rows.map((r) => r.id);
  const children = ids.length
    ? await db
        .selectFrom('contactChildren as cc')
        .leftJoin('people as p', 'p.id', 'cc.personId')
        .select([
          'cc.contactId',
          'cc.personId',
          'cc.givenName',
          'cc.familyName',
          'p.givenName as personGivenName',
          'p.familyName as personFamilyName',
          'cc.position',
        ])
        .where('cc.contactId', 'in', ids)
        .orderBy('cc.position')
        .execute()
    : [];
  const requests = ids.length
    ? await db
        .selectFrom('informationRequests')
        .select(['contactId', 'status', 'dueAt'])
        .where('contactId', 'in', ids)
        .where('status', '=', 'open')
        .execute()
    : [];
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      children: children
        .filter((c) => c.contactId === r.id)
        .map((c) => ({
          personId: c.personId,
          givenName: c.personGivenName ?? c.givenName,
          familyName: c.personFamilyName ?? c.familyName,
        })),
      openRequests: requests.filter((q) => q.contactId === r.id),
    })),
  };
}
