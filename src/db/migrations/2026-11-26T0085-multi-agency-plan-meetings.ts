import { sql, type Kysely } from 'kysely';

// Child in need plan reviews and child protection core groups record the agencies present, like conference
// attendance: `social_care_present` (children's social care, this authority) and one row per other agency in
// cin_plan_review_agencies / cp_core_group_agencies. The names stay as free text in `attendees`. Rows recorded
// before this change keep their text and have `social_care_present` null (agencies not recorded).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cin_plan_reviews add column social_care_present boolean`.execute(db);
  await sql`alter table cp_core_groups add column social_care_present boolean`.execute(db);
  await sql`
    create table cin_plan_review_agencies (
      review_id uuid not null references cin_plan_reviews(id),
      agency_id uuid not null references agencies(id),
      primary key (review_id, agency_id)
    )`.execute(db);
  await sql`
    create table cp_core_group_agencies (
      core_group_id uuid not null references cp_core_groups(id),
      agency_id uuid not null references agencies(id),
      primary key (core_group_id, agency_id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
