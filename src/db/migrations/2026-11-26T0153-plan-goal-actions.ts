import { sql, type Kysely } from 'kysely';

// A plan goal's actions (what, who, by when), child in need and child protection plans alike: plan actions that
// belong to one goal of the same plan. They are checked, done or not, goal by goal at the plan's reviews, core groups
// and review conferences, like the plan's other actions. Actions from direct work belong to the plan, not a goal.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table plan_actions add column goal_id uuid references cin_plan_goals(id)`.execute(db);
  await sql`create index plan_actions_goal_idx on plan_actions (goal_id) where goal_id is not null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
