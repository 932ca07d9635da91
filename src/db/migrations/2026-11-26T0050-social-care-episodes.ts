import { sql, type Kysely } from 'kysely';

// Children's social care, part 1: what a CIN episode needs beyond the referral (migration 0006): how it closed
// (notes, who, when), where it went (transfer out to another authority, step-down to an early help episode), the
// authority sending a transfer in; each authority's social care settings (review and visit intervals); and the
// explanations workers give for census query rules (the "Q" rules: warnings the authority explains to the DfE).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cin_episodes
      add column transferred_in_la_code text check (transferred_in_la_code ~ '^[0-9]{3}$'),
      add column closure_notes text,
      add column closed_at timestamptz,
      add column closed_by uuid references users(id),
      add column transferred_out_to text,
      add column transferred_out_la_code text check (transferred_out_la_code ~ '^[0-9]{3}$'),
      add column early_help_episode_id uuid references early_help_episodes(id),
      add constraint cin_episodes_closure_reason_code check (closure_reason is null or closure_reason in ('RC1','RC2','RC3','RC4','RC5','RC6','RC7','RC8','RC9'))`.execute(
    db,
  );

  await sql`
    create table social_care_settings (
      local_authority_id uuid primary key references local_authorities(id),
      cin_review_interval_weeks integer not null default 12 check (cin_review_interval_weeks between 1 and 52),
      cin_visit_interval_working_days integer not null default 20 check (cin_visit_interval_working_days between 1 and 65),
      cp_visit_interval_working_days integer not null default 10 check (cp_visit_interval_working_days between 1 and 65),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    )`.execute(db);

  await sql`
    create table census_query_explanations (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      episode_id uuid not null references cin_episodes(id),
      subject_type text not null,
      subject_id uuid not null,
      rule text not null check (rule ~ '^[0-9]{3,4}Q$'),
      message text not null,
      explanation text not null check (length(trim(explanation)) > 0),
      explained_at timestamptz not null,
      explained_by uuid not null references users(id)
    )`.execute(db);
  await sql`create index census_query_explanations_episode_idx on census_query_explanations (episode_id)`.execute(
    db,
  );
  await sql`create index census_query_explanations_subject_idx on census_query_explanations (subject_id)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
