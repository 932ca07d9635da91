import { sql, type Kysely } from 'kysely';

// A further call (or email, letter, visit) about a contact that is still open: recorded on that contact, with who
// called and what they said, instead of a parallel contact about the same child.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table contact_calls (
    id uuid primary key default gen_random_uuid(),
    contact_id uuid not null references contacts(id),
    received_at timestamptz not null,
    channel text not null check (channel in ('phone','email','letter','visit')),
    caller_name text not null,
    caller_role text,
    caller_organisation text,
    caller_phone text,
    summary text not null,
    recorded_by uuid not null references users(id),
    recorded_at timestamptz not null
  )`.execute(db);
  await sql`create index contact_calls_contact_idx on contact_calls (contact_id, received_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
