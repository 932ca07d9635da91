import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * What the case-audits module reads from the front door (through this module's index): a child's contacts in the
 * last 12 months beside an audit, and the children with a repeat contact (a thematic audit's criterion). In SQL.
 */

/** The child's contacts received in the 12 months up to today. */
export async function contactsInYearForAudit(db: Db, childId: string, today: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct c.id)::int as n
    from contact_children cc join contacts c on c.id = cc.contact_id
    where cc.person_id = ${childId}
      and c.received_at >= (${today}::date - interval '12 months')`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Children of the authority with a contact received in the period (both ends included) that followed another contact
 * about them within the `months` before it: repeat contacts.
 */
export async function repeatContactChildrenForAudit(
  db: Db,
  input: { localAuthorityId: string; from: string; to: string; months: number },
): Promise<string[]> {
  const { rows } = await sql<{ childId: string }>`
    select distinct cc.person_id as child_id
    from contact_children cc
    join contacts c on c.id = cc.contact_id
    where c.local_authority_id = ${input.localAuthorityId}
      and cc.person_id is not null
      and (c.received_at at time zone 'Europe/London')::date between ${input.from}::date and ${input.to}::date
      and exists (
        select 1 from contact_children pc join contacts p on p.id = pc.contact_id
        where pc.person_id = cc.person_id and p.id <> c.id
          and p.received_at < c.received_at
          and p.received_at >= c.received_at - make_interval(months => ${input.months}))`.execute(db);
  return rows.map((r) => r.childId);
}
