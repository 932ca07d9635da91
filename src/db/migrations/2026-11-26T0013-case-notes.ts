import { sql, type Kysely } from 'kysely';

// Case notes: typed (visit, phone call, meeting, observation, management note), with the date the thing
// happened kept apart from when it was recorded; visits record whether the child was seen, seen alone
// and whether their bedroom was seen; the child's own words are kept in their own field.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_notes (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      note_type text not null check (note_type in ('visit','phone-call','meeting','observation','management-note')),
      occurred_on date not null,
      title text not null,
      body text not null,
      child_seen boolean,
      seen_alone boolean,
      bedroom_seen boolean,
      childs_words text,
      significant boolean not null default false,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      check (note_type = 'visit' or (child_seen is null and seen_alone is null and bedroom_seen is null)),
      check (seen_alone is null or child_seen is true)
    )`.execute(db);
  await sql`create index case_notes_child_idx on case_notes (child_id, occurred_on desc, recorded_at desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
