import { sql, type Kysely } from 'kysely';

/**
 * Targets for the performance measures (issue 21 item 5): per authority, for each rate measure, the target
 * percentage and the amber tolerance either side of it, set by a service manager or an administrator on
 * /performance/targets. One versioned row per authority (the form saves every measure's target at once; a stale
 * save is refused), the targets as { measureId: { target, tolerance } }, validated by the service on the way in and
 * on the way out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table performance_targets (
    local_authority_id uuid primary key references local_authorities(id),
    targets jsonb not null default '{}'::jsonb check (jsonb_typeof(targets) = 'object'),
    updated_at timestamptz not null default now(),
    updated_by uuid references users(id),
    version integer not null default 1
  )`.execute(db);
}
