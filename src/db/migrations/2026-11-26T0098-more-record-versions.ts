import { sql, type Kysely } from 'kysely';

/**
 * No lost updates (security issue 15, M3): the last records people edit that had no version get one, checked in the
 * UPDATE like every other: an authority's social care settings (until now a timestamp compared before the UPDATE)
 * and an early help assessment item's "not being worked on" reason. Existing rows start at 1, as new rows do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table social_care_settings add column version integer not null default 1`.execute(db);
  await sql`alter table early_help_assessment_items add column version integer not null default 1`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
