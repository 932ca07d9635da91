import { sql, type Kysely } from 'kysely';

// Child protection plans get goals, like child in need plans: the same goal rows (what needs to change for each worry,
// how everyone will know, who and by when), each belonging to one plan of either kind. Progress on each goal is
// recorded at the plan's core groups and review conferences (cp_plan_goal_progress). A plan started before this
// keeps its free-text plan (cp_plans.plan_summary) and has no goals.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cin_plan_goals alter column cin_plan_id drop not null`.execute(db);
  await sql`alter table cin_plan_goals add column cp_plan_id uuid references cp_plans(id)`.execute(db);
  await sql`alter table cin_plan_goals add constraint cin_plan_goals_one_plan check ((cin_plan_id is null) <> (cp_plan_id is null))`.execute(
    db,
  );
  await sql`create index cin_plan_goals_cp_plan_idx on cin_plan_goals (cp_plan_id, position) where cp_plan_id is not null`.execute(
    db,
  );
  await sql`
    create table cp_plan_goal_progress (
      meeting_kind text not null check (meeting_kind in ('core-group','review-conference')),
      meeting_id uuid not null,
      goal_id uuid not null references cin_plan_goals(id),
      rating text not null check (rating in ('achieved','progressing','not-progressing','not-started')),
      notes text,
      primary key (meeting_id, goal_id)
    )`.execute(db);
  await sql`create index cp_plan_goal_progress_goal_idx on cp_plan_goal_progress (goal_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
