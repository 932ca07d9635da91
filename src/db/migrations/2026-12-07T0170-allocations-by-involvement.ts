import { sql, type Kysely } from 'kysely';

/**
 * An episode's allocations (who holds it now, and who held it before), looked up by the work they are for. No index
 * served `involvement_type, involvement_id`, so each lookup read every allocation: Annex A's allocated team and worker
 * for a few thousand episodes took over ten minutes at a large authority's 370,000 allocations. On a live database
 * this index is better made with CREATE INDEX CONCURRENTLY before the release (then this migration finds it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists allocations_involvement_idx
    on allocations (involvement_type, involvement_id, started_on desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
