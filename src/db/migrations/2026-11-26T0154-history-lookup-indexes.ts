import { sql, type Kysely } from 'kysely';

/**
 * Two lookups that read a record's whole history had no index and scanned the table, which grows with the years of
 * work (measured on a large authority with 5 years: 500,000 decisions, 370,000 allocations):
 * - every decision of a contact, including those sent back (the contact page and the decision form list them): the
 *   only index on contact_id held the live decision alone, so each view scanned every decision (82 ms → an index
 *   scan);
 * - the allocations of an episode (its allocation history and current holder on the episode page): scanned every
 *   allocation, or every open one (56 ms and 25 ms → index scans); Annex A's allocated team and worker for a few
 *   thousand episodes took over ten minutes (38 s with the index).
 * On a large live database these would be created CONCURRENTLY (outside the migration's transaction).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index contact_decisions_contact_idx on contact_decisions (contact_id)`.execute(db);
  await sql`create index if not exists allocations_involvement_idx
    on allocations (involvement_id, involvement_type, started_on desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
