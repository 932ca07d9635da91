import { sql, type Kysely } from 'kysely';

/**
 * Every episode a practitioner leads, open or closed, for the "your episodes" list (all statuses): the existing index
 * holds only open episodes, so the list's "all" tab read every episode (12 ms at 35,000; an index scan, 1 ms).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index early_help_episodes_lead_all_idx on early_help_episodes (lead_practitioner_id)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
