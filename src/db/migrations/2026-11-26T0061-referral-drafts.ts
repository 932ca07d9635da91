import { sql, type Kysely } from 'kysely';

// A partner user's online referral while it is being written: every answer so far, kept on the server and keyed
// by the user, so they can leave and come back to it (their home page and "Your referrals" list them). When it
// is submitted the contact it became is recorded (a second submit returns the same contact) and the answers are
// cleared: from then on the contact is the record.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table referral_drafts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      agency_id uuid not null references agencies(id),
      answers jsonb not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null,
      submitted_at timestamptz,
      contact_id uuid references contacts(id),
      version integer not null default 1,
      check ((submitted_at is null) = (contact_id is null))
    )`.execute(db);
  await sql`create index referral_drafts_user_idx on referral_drafts (user_id, updated_at desc) where submitted_at is null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
