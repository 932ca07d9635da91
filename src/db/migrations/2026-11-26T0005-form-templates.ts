import { sql, type Kysely } from 'kysely';

// Forms as data: versioned templates for assessments, plans, reviews and case audits. Answers elsewhere keep
// the id of the template version they were written against.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table form_templates (
      id uuid primary key default gen_random_uuid(),
      key text not null check (key ~ '^[a-z][a-z0-9-]{1,60}$'),
      version integer not null check (version >= 1),
      title text not null,
      definition jsonb not null,
      status text not null check (status in ('published','retired')),
      notes text,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      unique (key, version)
    )`.execute(db);
  await sql`create index form_templates_key_idx on form_templates (key, version desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
