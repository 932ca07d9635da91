import { sql, type Kysely } from 'kysely';

// Children in need plans (census "CINPlanDates"): start and end with a reason, the review interval (from the
// authority's settings when the plan starts), a plain-language summary for the family, SMART goals each tied to a
// worry or need from the assessment, and multi-agency reviews with progress on each goal and the child's and the
// family's views. Checks mirror census rules 4011 (end on or after the start) and 4004 (one open plan per child).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table cin_plans (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      assessment_id uuid references cin_assessments(id),
      start_date date not null,
      review_interval_weeks integer not null check (review_interval_weeks between 1 and 52),
      family_summary text not null,
      end_date date,
      end_reason text check (end_reason in ('child-protection-plan','step-down','closure','transferred-out','other')),
      end_notes text,
      ended_at timestamptz,
      ended_by uuid references users(id),
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check (end_date is null or end_date >= start_date),
      check ((end_date is null) = (end_reason is null))
    )`.execute(db);
  await sql`create index cin_plans_episode_idx on cin_plans (episode_id)`.execute(db);
  await sql`create index cin_plans_child_idx on cin_plans (child_id, start_date)`.execute(db);
  await sql`create unique index cin_plans_one_open_per_child on cin_plans (child_id) where end_date is null`.execute(
    db,
  );

  await sql`
    create table cin_plan_goals (
      id uuid primary key default gen_random_uuid(),
      cin_plan_id uuid not null references cin_plans(id),
      position integer not null,
      worry text not null,
      goal text not null,
      measure text not null,
      responsible text not null,
      target_date date not null,
      achieved_on date,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index cin_plan_goals_plan_idx on cin_plan_goals (cin_plan_id, position)`.execute(db);

  await sql`
    create table cin_plan_reviews (
      id uuid primary key default gen_random_uuid(),
      cin_plan_id uuid not null references cin_plans(id),
      child_id uuid not null references people(id),
      held_on date not null,
      attendees text not null,
      childs_views text not null,
      family_views text not null,
      summary text not null,
      decision text not null check (decision in ('continue','step-down','close','escalate')),
      next_review_due date,
      recorded_at timestamptz not null,
      recorded_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index cin_plan_reviews_plan_idx on cin_plan_reviews (cin_plan_id, held_on)`.execute(db);
  await sql`
    create table cin_plan_review_progress (
      review_id uuid not null references cin_plan_reviews(id),
      goal_id uuid not null references cin_plan_goals(id),
      rating text not null check (rating in ('achieved','progressing','not-progressing','not-started')),
      notes text,
      primary key (review_id, goal_id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
