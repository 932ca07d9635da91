import { sql, type Kysely } from 'kysely';

// The front-door list and the MASH worktray sort open contacts by what falls due first: the partners'
// information deadline while a MASH enquiry is open, else the decision deadline. That was a least(...)
// expression no index served, so every page counted and sorted every open contact. The effective due time is
// now a stored generated column, kept right by PostgreSQL whenever any of its inputs changes, with an index in
// the list's order.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table contacts add column effective_due_at timestamptz
    generated always as (
      least(case when mash_enquiry_closed_at is null then information_due_at end, decision_due_at)
    ) stored`.execute(db);
  await sql`
    create index contacts_open_effective_due_idx
    on contacts (local_authority_id, effective_due_at, received_at, id) where status <> 'completed'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
