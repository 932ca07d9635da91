import { sql, type Kysely } from 'kysely';

// Merging two records of the same person: the duplicate stays (marked merged_into_id) so both
// histories survive; this table explains each merge afterwards on both records: who, when, why, and
// what moved.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table person_merges (
      id uuid primary key default gen_random_uuid(),
      kept_person_id uuid not null references people(id),
      merged_person_id uuid not null references people(id),
      reason text not null,
      details jsonb not null default '{}'::jsonb,
      merged_at timestamptz not null,
      merged_by uuid references users(id),
      check (kept_person_id <> merged_person_id)
    )`.execute(db);
  await sql`create index person_merges_kept_idx on person_merges (kept_person_id)`.execute(db);
  await sql`create unique index person_merges_merged_idx on person_merges (merged_person_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
