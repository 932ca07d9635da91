import { sql, type Kysely } from 'kysely';

// MASH enquiry: requests for information to partner agencies, answered by the agency's own users in Threshold.
// Due instants come from the contact's RAG rating. Reminders are counted and audited.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table information_requests (
      id uuid primary key default gen_random_uuid(),
      contact_id uuid not null references contacts(id),
      agency_id uuid not null references agencies(id),
      request_type text not null,
      question text not null,
      status text not null default 'open' check (status in ('open','answered','withdrawn')),
      requested_at timestamptz not null,
      requested_by uuid not null references users(id),
      due_at timestamptz not null,
      known_to_agency boolean,
      response text,
      responded_at timestamptz,
      responded_by uuid references users(id),
      reminders_sent integer not null default 0,
      last_reminder_at timestamptz,
      version integer not null default 1,
      check ((status = 'answered') = (responded_at is not null)),
      check (status <> 'answered' or response is not null)
    )`.execute(db);
  await sql`create index information_requests_agency_idx on information_requests (agency_id, status, due_at)`.execute(
    db,
  );
  await sql`create index information_requests_contact_idx on information_requests (contact_id)`.execute(db);
  await sql`create index information_requests_open_due_idx on information_requests (due_at) where status = 'open'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
