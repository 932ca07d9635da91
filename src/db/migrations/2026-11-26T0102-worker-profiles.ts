import { sql, type Kysely } from 'kysely';

/**
 * Worker profiles (workforce module, issue 19): for each staff user their contract, FTE, start and leaving dates,
 * Social Work England registration and its renewal date, and the ASYE (the newly qualified social worker's assessed
 * and supported year in employment: assessor, start, the 3-, 6- and 12-month reviews, final outcome); and their
 * training and development records (what was learned and how it was applied).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table worker_profiles (
    user_id uuid primary key references users(id),
    contract_type text not null default 'permanent'
      check (contract_type in ('permanent', 'agency-locum', 'fixed-term', 'secondment')),
    fte numeric(4, 2) not null default 1 check (fte > 0 and fte <= 1),
    started_on date,
    left_on date,
    leaving_reason text,
    swe_registration_number text,
    swe_renewal_on date,
    asye_status text not null default 'not-applicable'
      check (asye_status in ('not-applicable', 'in-progress', 'passed', 'failed', 'extended')),
    asye_assessor_id uuid references users(id),
    asye_started_on date,
    asye_outcome_on date,
    updated_at timestamptz not null,
    updated_by uuid references users(id),
    version integer not null default 1,
    check (left_on is null or started_on is null or left_on >= started_on),
    check ((left_on is null) = (leaving_reason is null)),
    check (asye_status = 'not-applicable' or asye_started_on is not null)
  )`.execute(db);
  await sql`create index worker_profiles_asye_assessor_idx on worker_profiles (asye_assessor_id)
    where asye_status in ('in-progress', 'extended')`.execute(db);
  await sql`create index worker_profiles_renewal_idx on worker_profiles (swe_renewal_on)
    where left_on is null and swe_renewal_on is not null`.execute(db);

  await sql`create table asye_reviews (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id),
    review_point text not null check (review_point in ('3-month', '6-month', '12-month')),
    held_on date not null,
    progress text not null,
    recommendation text,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id),
    unique (user_id, review_point)
  )`.execute(db);

  await sql`create table training_records (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id),
    title text not null,
    provider text,
    completed_on date not null,
    hours numeric(5, 1),
    learned text not null,
    applied text,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id)
  )`.execute(db);
  await sql`create index training_records_user_idx on training_records (user_id, completed_on desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
