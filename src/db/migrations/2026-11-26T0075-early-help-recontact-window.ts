import { sql, type Kysely } from 'kysely';

// Early help's impact page counts re-contacts to the front door within a window after closure (default 6 months):
// the authority sets the window with its other early help settings.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table early_help_settings
      add column recontact_window_months integer not null default 6
        constraint early_help_settings_recontact_window_check check (recontact_window_months between 1 and 24)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
