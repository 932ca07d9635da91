import { sql, type Kysely } from 'kysely';

// Threshold continua become editable from the front-door settings page (/admin/front-door-settings): who changed
// one last and when, and a version column so two administrators cannot overwrite each other's changes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table threshold_continua add column updated_at timestamptz not null default now()`.execute(
    db,
  );
  await sql`alter table threshold_continua add column updated_by uuid references users(id)`.execute(db);
  await sql`alter table threshold_continua add column version integer not null default 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
