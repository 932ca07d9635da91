import { sql, type Kysely } from 'kysely';

// Documents on a person's record. The file itself lives under the upload folder with a random storage
// key (never its name, never a guessable path) and is only ever sent through the audited download page;
// its SHA-256 is kept so any change to the stored file can be detected.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table documents (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      title text not null,
      category text not null,
      description text,
      document_date date,
      original_filename text not null,
      content_type text not null,
      size_bytes bigint not null check (size_bytes > 0),
      sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
      storage_key text not null unique,
      scan_result text not null check (scan_result in ('clean','not-scanned')),
      scanner text not null,
      uploaded_at timestamptz not null,
      uploaded_by uuid references users(id)
    )`.execute(db);
  await sql`create index documents_person_idx on documents (person_id, uploaded_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
