import { sql, type Kysely } from 'kysely';

// Child and family assessments on a CIN episode (census "Assessments"): the answers (forms as data, keeping the
// template version), start date, the 45-working-day due date from the referral, when the child was seen (and
// seen alone), the worker's completion (outcome, proposed factors, a reason when late) and the manager's
// authorisation with recorded oversight and the confirmed census factors. The checks mirror census rules: 8608
// (authorised on or after the start), 8614 (factors only on an authorised assessment), 8896 (one open
// assessment per episode).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table cin_assessments (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references cin_episodes(id),
      child_id uuid not null references people(id),
      template_id uuid not null references form_templates(id),
      answers jsonb not null default '{}'::jsonb,
      start_date date not null,
      due_date date not null,
      status text not null default 'in-progress' check (status in ('in-progress','awaiting-authorisation','authorised')),
      completed_on date,
      completed_by uuid references users(id),
      outcome text check (outcome in ('no-further-action','early-help','cin-plan','strategy-discussion')),
      outcome_reason text,
      late_reason text,
      proposed_factors text[] not null default '{}',
      factors text[] not null default '{}',
      authorised_on date,
      authorised_at timestamptz,
      authorised_by uuid references users(id),
      oversight text,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      version integer not null default 1,
      check (completed_on is null or completed_on >= start_date),
      check (authorised_on is null or authorised_on >= start_date),
      check (cardinality(factors) = 0 or authorised_on is not null),
      check ((status = 'authorised') = (authorised_on is not null and authorised_by is not null and oversight is not null)),
      check (status = 'in-progress' or (completed_on is not null and outcome is not null))
    )`.execute(db);
  await sql`create index cin_assessments_episode_idx on cin_assessments (episode_id)`.execute(db);
  await sql`create index cin_assessments_child_idx on cin_assessments (child_id)`.execute(db);
  await sql`create unique index cin_assessments_one_open on cin_assessments (episode_id) where status <> 'authorised'`.execute(
    db,
  );

  await sql`
    create table cin_assessment_child_seen (
      id uuid primary key default gen_random_uuid(),
      assessment_id uuid not null references cin_assessments(id),
      seen_on date not null,
      seen_alone boolean not null,
      notes text,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id)
    )`.execute(db);
  await sql`create index cin_assessment_child_seen_idx on cin_assessment_child_seen (assessment_id, seen_on)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
