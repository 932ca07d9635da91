import { sql, type Kysely } from 'kysely';

// A child in need plan goal in words for the family: the family-facing (printed) version of the plan shows it
// instead of the professional wording of the goal and its measure. Null until the worker writes it (the family
// version then shows the goal as written).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cin_plan_goals add column family_wording text check (family_wording is null or length(family_wording) between 1 and 2000)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
