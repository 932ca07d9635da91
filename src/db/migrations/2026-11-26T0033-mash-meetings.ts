import { sql, type Kysely } from 'kysely';

// The daily MASH meeting: an agenda built from open MASH enquiries (one item per child), who attended for which
// agency, the discussion of each child and the actions agreed (owner, due date).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table mash_meetings (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      meeting_date date not null,
      chair_id uuid references users(id),
      notes text,
      created_at timestamptz not null,
      created_by uuid not null references users(id),
      updated_at timestamptz not null,
      version integer not null default 1
    )`.execute(db);
  await sql`create index mash_meetings_date_idx on mash_meetings (local_authority_id, meeting_date desc)`.execute(
    db,
  );

  await sql`
    create table mash_meeting_attendees (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references mash_meetings(id),
      name text not null,
      agency_id uuid references agencies(id),
      role text,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index mash_meeting_attendees_meeting_idx on mash_meeting_attendees (meeting_id)`.execute(
    db,
  );

  await sql`
    create table mash_meeting_items (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references mash_meetings(id),
      contact_id uuid not null references contacts(id),
      contact_child_id uuid not null references contact_children(id),
      position integer not null,
      rag text,
      discussion text,
      recorded_at timestamptz,
      recorded_by uuid references users(id),
      version integer not null default 1,
      unique (meeting_id, contact_child_id)
    )`.execute(db);
  await sql`create index mash_meeting_items_contact_idx on mash_meeting_items (contact_id)`.execute(db);

  await sql`
    create table mash_meeting_actions (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references mash_meeting_items(id),
      description text not null,
      owner text not null,
      owner_agency_id uuid references agencies(id),
      due_on date not null,
      created_at timestamptz not null,
      created_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index mash_meeting_actions_item_idx on mash_meeting_actions (item_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
