import { sql, type Kysely } from 'kysely';

// Direct-work tools per authority, like the other social care settings (social_care_settings): an authority uses
// the shared default list (ref_codes 'direct-work-tool') until a manager first changes it; that change copies the
// defaults into the authority's own rows here, and from then on only these rows apply to it. A tool is retired
// (valid_to set), never deleted, so sessions that used it keep its name.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table direct_work_tools (
      local_authority_id uuid not null references local_authorities(id),
      code text not null check (length(code) between 1 and 60),
      label text not null check (length(label) between 1 and 100),
      description text check (description is null or length(description) <= 300),
      sort_order integer not null default 0,
      valid_from date,
      valid_to date,
      primary key (local_authority_id, code)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
