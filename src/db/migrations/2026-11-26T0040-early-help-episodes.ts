import { sql, type Kysely } from 'kysely';

// Early help (family help) episodes, part 2 (part 1 is 2026-11-26T0006): each authority's early help settings
// (review interval, assessment timescale, when outcomes are checked after closure); the lead practitioner's
// acceptance (a step-down from social care waits for it); closure details; the team around the family (users or
// named professionals from other agencies).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table early_help_settings (
      local_authority_id uuid primary key references local_authorities(id),
      review_interval_weeks integer not null default 6 check (review_interval_weeks between 4 and 12),
      assessment_working_days integer not null default 30 check (assessment_working_days between 5 and 90),
      follow_up_months integer not null default 6 check (follow_up_months between 3 and 24),
      updated_at timestamptz not null,
      updated_by uuid references users(id),
      version integer not null default 1
    )`.execute(db);

  await sql`
    alter table early_help_episodes
      add column lead_acceptance text not null default 'not-needed'
        check (lead_acceptance in ('not-needed','pending','accepted','declined')),
      add column lead_responded_at timestamptz,
      add column lead_declined_reason text,
      add column closed_by uuid references users(id),
      add column closure_summary text,
      add column closure_open_actions_reason text`.execute(db);
  await sql`create index early_help_episodes_team_idx on early_help_episodes (team_id, status)`.execute(db);
  await sql`create index early_help_episodes_la_idx on early_help_episodes (local_authority_id, opened_on desc)`.execute(
    db,
  );

  // The team around the family: a user of the system, or a named professional from any agency.
  await sql`
    create table early_help_taf_members (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      user_id uuid references users(id),
      name text,
      role text,
      agency_id uuid references agencies(id),
      organisation text,
      email text,
      phone text,
      added_on date not null,
      ended_on date,
      created_at timestamptz not null,
      created_by uuid references users(id),
      check (user_id is not null or name is not null)
    )`.execute(db);
  await sql`create index early_help_taf_members_episode_idx on early_help_taf_members (episode_id)`.execute(
    db,
  );
  await sql`create index early_help_taf_members_user_idx on early_help_taf_members (user_id) where user_id is not null and ended_on is null`.execute(
    db,
  );
  await sql`create unique index early_help_taf_members_one_user on early_help_taf_members (episode_id, user_id) where user_id is not null and ended_on is null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
