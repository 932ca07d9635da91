import { sql, type Kysely } from 'kysely';

/**
 * Pre-proceedings under the Public Law Outline (issue 22): the legal planning meeting that decides whether to start
 * pre-proceedings, the letter before proceedings, the initial pre-proceedings meeting, review meetings, the decision
 * to step up to proceedings or down, the outcome (census code set CS131), the court application and the letter
 * initiating proceedings. One row per legal planning meeting on an episode; the 2026-27 CIN census module 5 items
 * are derived from these rows (census-return.repository.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pre_proceedings (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      lpm_held_on date not null,
      lpm_attendees text not null,
      lpm_decision text not null check (lpm_decision in ('start','not-yet','issue-now')),
      lpm_rationale text not null,
      started_on date,
      lbp_sent_on date,
      initial_meeting_on date,
      step_decision_on date,
      step_decision text check (step_decision in ('step-up','step-down','continue')),
      outcome text check (outcome in ('A','B','C')),
      court_application_on date,
      letter_initiating_on date,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      constraint pre_proceedings_started check ((lpm_decision = 'start') = (started_on is not null))
    )`.execute(db);
  await sql`create index pre_proceedings_episode_idx on pre_proceedings (episode_id, lpm_held_on)`.execute(
    db,
  );
  await sql`create index pre_proceedings_child_idx on pre_proceedings (child_id)`.execute(db);
  await sql`
    create table pre_proceedings_reviews (
      id uuid primary key default gen_random_uuid(),
      pre_proceedings_id uuid not null references pre_proceedings(id),
      held_on date not null,
      notes text not null,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index pre_proceedings_reviews_pp_idx on pre_proceedings_reviews (pre_proceedings_id, held_on)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
