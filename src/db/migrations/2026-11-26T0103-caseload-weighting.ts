import { sql, type Kysely } from 'kysely';

/**
 * Caseload weighting (workforce module, issue 19): each authority's weights for a child by the kind of work
 * (child protection, child in need, assessment, early help), the extra weight for complexity (a large sibling group),
 * the size that makes a sibling group large, and the weighted caseload it calls "too high". Until an authority saves
 * its own, the defaults in the module apply. And an index on every allocation of a child by start (the open ones
 * only are indexed so far), for "workers in the last 12 months" on the child's record summary.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table caseload_settings (
    local_authority_id uuid primary key references local_authorities(id),
    weight_child_protection numeric(4, 1) not null check (weight_child_protection >= 0),
    weight_child_in_need numeric(4, 1) not null check (weight_child_in_need >= 0),
    weight_assessment numeric(4, 1) not null check (weight_assessment >= 0),
    weight_early_help numeric(4, 1) not null check (weight_early_help >= 0),
    weight_large_sibling_group numeric(4, 1) not null check (weight_large_sibling_group >= 0),
    large_sibling_group_size integer not null check (large_sibling_group_size between 2 and 20),
    too_high numeric(5, 1) not null check (too_high > 0),
    updated_at timestamptz not null,
    updated_by uuid references users(id),
    version integer not null default 1
  )`.execute(db);
  await sql`create index allocations_child_history_idx on allocations (child_id, started_on)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
