import { sql, type Kysely } from 'kysely';

// The Supporting Families outcome is chosen once, per need, in the early help assessment. A goal takes it from the
// needs it meets unless the worker chooses another: outcome_from_needs says which, so the plan can show where the
// goal's outcome came from. Goals saved before this chose their outcome themselves (false).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table early_help_goals add column outcome_from_needs boolean not null default false`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
