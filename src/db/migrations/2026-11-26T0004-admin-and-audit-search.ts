import { sql, type Kysely } from 'kysely';

// Administration: clusters get a version column (concurrent edits answer 409 like the other organisation
// tables), and the audit trail gets the indexes its search for administrators filters on (subject id,
// request id); the actor, action, child and time filters already have theirs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table clusters add column updated_at timestamptz not null default now()`.execute(db);
  await sql`alter table clusters add column version integer not null default 1`.execute(db);
  await sql`create index audit_events_subject_idx on audit_events (subject_id, seq) where subject_id is not null`.execute(
    db,
  );
  await sql`create index audit_events_request_idx on audit_events (request_id) where request_id is not null`.execute(
    db,
  );
  await sql`create index record_grants_granted_at_idx on record_grants (granted_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
