import { sql, type Kysely } from 'kysely';

// Moving along the continuum: step-up to the front door (the contact it made, with the rationale), step-down from
// children's social care (the handover meeting: when, who attended, the plan transferred; the new lead
// practitioner's acceptance); and the check, months after closure, that the family's outcomes were sustained.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table early_help_step_ups (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      contact_id uuid not null,
      rationale text not null,
      stepped_up_at timestamptz not null,
      stepped_up_by uuid references users(id)
    )`.execute(db);
  await sql`create index early_help_step_ups_episode_idx on early_help_step_ups (episode_id)`.execute(db);

  await sql`
    create table early_help_step_downs (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null unique references early_help_episodes(id),
      cin_episode_id uuid not null references cin_episodes(id),
      handover_held_on date not null,
      plan_summary text not null,
      handover_notes text,
      proposed_lead_id uuid not null references users(id),
      recorded_at timestamptz not null,
      recorded_by uuid references users(id),
      responded_at timestamptz,
      response text check (response in ('accepted','declined')),
      response_notes text,
      check ((response is null) = (responded_at is null))
    )`.execute(db);
  await sql`create index early_help_step_downs_cin_idx on early_help_step_downs (cin_episode_id)`.execute(db);
  await sql`
    create table early_help_handover_attendees (
      id uuid primary key default gen_random_uuid(),
      step_down_id uuid not null references early_help_step_downs(id),
      name text not null,
      role text,
      agency_id uuid references agencies(id),
      user_id uuid references users(id)
    )`.execute(db);
  await sql`create index early_help_handover_attendees_idx on early_help_handover_attendees (step_down_id)`.execute(
    db,
  );

  await sql`
    create table early_help_follow_ups (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null unique references early_help_episodes(id),
      due_on date not null,
      completed_on date,
      completed_by uuid references users(id),
      sustained text check (sustained in ('yes','partly','no')),
      notes text,
      recontacts integer,
      check ((completed_on is null) = (sustained is null))
    )`.execute(db);
  await sql`create index early_help_follow_ups_due_idx on early_help_follow_ups (due_on) where completed_on is null`.execute(
    db,
  );
  await sql`
    create table early_help_follow_up_goals (
      follow_up_id uuid not null references early_help_follow_ups(id),
      goal_id uuid not null references early_help_goals(id),
      sustained text not null check (sustained in ('yes','partly','no')),
      primary key (follow_up_id, goal_id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
