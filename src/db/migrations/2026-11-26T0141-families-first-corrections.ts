import { sql, type Kysely } from 'kysely';

/**
 * Corrections after saving (issue 22): pre-proceedings review meetings, family group decision making meetings and
 * family network meetings can be changed from their own pages, so each carries a version checked in the UPDATE (two
 * saves from one version: one wins, the other is a 409) and the time it was last changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['pre_proceedings_reviews', 'fgdm_meetings', 'family_network_meetings']) {
    await sql`alter table ${sql.table(table)} add column version integer not null default 1`.execute(db);
    await sql`alter table ${sql.table(table)} add column updated_at timestamptz`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
