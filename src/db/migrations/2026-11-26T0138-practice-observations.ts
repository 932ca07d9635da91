import { sql, type Kysely } from 'kysely';

// Direct observations of practice (issue 20, part 5): an observer (a manager, the principal social worker or a QA
// officer) watches a worker at a home visit, meeting, conference or supervision, records strengths and what to
// develop, shares it with the worker, who adds their reflection (only the worker can), and the observer completes it.
// Versioned: every save checks the version. Kept by case-audits; shown on the worker's development record.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table practice_observations (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    observer_id uuid not null references users(id),
    worker_id uuid not null references users(id),
    observed_on date not null,
    setting text not null check (setting in ('home-visit', 'meeting', 'conference', 'supervision', 'other')),
    setting_detail text,
    strengths text,
    to_develop text,
    worker_reflection text,
    status text not null default 'draft' check (status in ('draft', 'shared', 'completed')),
    shared_at timestamptz,
    reflected_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version integer not null default 1,
    check (observer_id <> worker_id),
    check ((status = 'completed') = (completed_at is not null))
  )`.execute(db);
  await sql`create index practice_observations_worker_idx on practice_observations (worker_id, observed_on desc)`.execute(
    db,
  );
  await sql`create index practice_observations_observer_idx on practice_observations (observer_id, observed_on desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
