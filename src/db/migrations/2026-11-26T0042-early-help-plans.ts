import { sql, type Kysely } from 'kysely';

// The early help plan: SMART goals (what will change, the actions, who, by when, how we will know), each tagged to
// a Supporting Families headline outcome and linked to the needs and worries of the assessment it answers; the
// family's agreement; and a plain-language version of each goal for the family's copy.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table early_help_plans (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null unique references early_help_episodes(id),
      assessment_id uuid not null references early_help_assessments(id),
      status text not null default 'draft' check (status in ('draft','agreed')),
      family_summary text,
      agreed_on date,
      agreed_by uuid references users(id),
      family_agreed boolean,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check ((status = 'agreed') = (agreed_on is not null))
    )`.execute(db);

  await sql`
    create table early_help_goals (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references early_help_plans(id),
      episode_id uuid not null references early_help_episodes(id),
      position integer not null,
      what_will_change text not null,
      actions text not null,
      who text not null,
      by_when date not null,
      measure text not null,
      outcome_heading text not null check (outcome_heading in
        ('education','early-years','health','substance-use','family-relationships','safe-from-abuse','crime','domestic-abuse','housing','financial')),
      family_words text,
      status text not null default 'open' check (status in ('open','achieved','partly-achieved','not-achieved','no-longer-needed')),
      status_changed_on date,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      unique (plan_id, position),
      check (length(trim(measure)) > 0 and length(trim(what_will_change)) > 0)
    )`.execute(db);
  await sql`create index early_help_goals_episode_idx on early_help_goals (episode_id)`.execute(db);

  // Which needs and worries each goal answers (many to many).
  await sql`
    create table early_help_goal_items (
      goal_id uuid not null references early_help_goals(id),
      item_id uuid not null references early_help_assessment_items(id),
      primary key (goal_id, item_id)
    )`.execute(db);
  await sql`create index early_help_goal_items_item_idx on early_help_goal_items (item_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
