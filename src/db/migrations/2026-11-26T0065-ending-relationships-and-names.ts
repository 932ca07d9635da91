import { sql, type Kysely } from 'kysely';

// Relationships, household memberships and other names can be changed and ended, not only added: an ended one
// stays (with its end date) as part of the family's history. `end_reason` says why a relationship or a household
// membership ended; `version` guards the forms that change a relationship or a name against concurrent edits.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table relationships add column end_reason text,
            add column version integer not null default 1`.execute(db);
  await sql`alter table household_members add column end_reason text`.execute(db);
  await sql`alter table person_names add column version integer not null default 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
