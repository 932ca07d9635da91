import { sql, type Kysely } from 'kysely';

// People (children, unborn children, adults, professionals), their names, identifiers, addresses,
// relationships and warnings; allocations; record restriction grants and break-glass access; the
// child's chronology (case_events). Reference code sets are seeded by a later migration.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ref_codes (
      code_set text not null,
      code text not null,
      label text not null,
      description text,
      sort_order integer not null default 0,
      valid_from date,
      valid_to date,
      primary key (code_set, code)
    )`.execute(db);

  await sql`
    create table people (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      kind text not null check (kind in ('child','adult','professional')),
      la_child_id text unique check (la_child_id ~ '^[A-Z0-9]{1,20}$'),
      given_name text not null,
      family_name text not null,
      known_as text,
      date_of_birth date,
      expected_date_of_birth date,
      date_of_death date,
      sex char(1) check (sex in ('M','F','U')),
      gender_identity text,
      ethnicity_code text,
      first_language text,
      interpreter_needed boolean not null default false,
      religion text,
      immigration_status text,
      unaccompanied_asylum_seeking boolean not null default false,
      nhs_number char(10) check (nhs_number ~ '^[0-9]{10}$'),
      upn char(13),
      former_upn char(13),
      upn_unknown_reason text,
      phone text,
      email text,
      gp_practice text,
      school text,
      agency_id uuid references agencies(id),
      professional_role text,
      restricted boolean not null default false,
      restriction_reason text,
      merged_into_id uuid references people(id),
      merged_at timestamptz,
      search_name text not null,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      check (kind = 'child' or la_child_id is null)
    )`.execute(db);
  await sql`create index people_search_name_trgm on people using gin (search_name gin_trgm_ops)`.execute(db);
  await sql`create index people_family_name_metaphone on people (dmetaphone(family_name))`.execute(db);
  await sql`create index people_dob_idx on people (date_of_birth)`.execute(db);
  await sql`create index people_nhs_idx on people (nhs_number) where nhs_number is not null`.execute(db);
  await sql`create index people_upn_idx on people (upn) where upn is not null`.execute(db);
  await sql`create index people_la_kind_idx on people (local_authority_id, kind)`.execute(db);

  await sql`
    create table person_names (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      kind text not null check (kind in ('alias','previous','known-as')),
      given_name text not null,
      family_name text not null,
      search_name text not null,
      from_date date,
      to_date date,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index person_names_person_idx on person_names (person_id)`.execute(db);
  await sql`create index person_names_search_trgm on person_names using gin (search_name gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    create table person_disabilities (
      person_id uuid not null references people(id),
      code text not null,
      primary key (person_id, code)
    )`.execute(db);

  await sql`
    create table addresses (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      line1 text not null,
      line2 text,
      town text,
      postcode text,
      from_date date,
      to_date date,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index addresses_person_idx on addresses (person_id)`.execute(db);
  await sql`create index addresses_postcode_idx on addresses (replace(postcode, ' ', ''))`.execute(db);

  await sql`
    create table relationships (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      related_person_id uuid not null references people(id),
      kind text not null,
      from_date date,
      to_date date,
      parental_responsibility boolean not null default false,
      lives_with boolean not null default false,
      notes text,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      check (person_id <> related_person_id)
    )`.execute(db);
  await sql`create index relationships_person_idx on relationships (person_id)`.execute(db);
  await sql`create index relationships_related_idx on relationships (related_person_id)`.execute(db);

  await sql`
    create table person_warnings (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      kind text not null,
      details text not null,
      from_date date not null,
      to_date date,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index person_warnings_person_idx on person_warnings (person_id)`.execute(db);

  await sql`
    create table allocations (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      worker_id uuid references users(id),
      team_id uuid not null references teams(id),
      role text not null check (role in ('allocated-worker','lead-practitioner','co-worker')),
      involvement_type text,
      involvement_id uuid,
      started_on date not null,
      ended_on date,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index allocations_child_idx on allocations (child_id) where ended_on is null`.execute(db);
  await sql`create index allocations_worker_idx on allocations (worker_id) where ended_on is null`.execute(
    db,
  );
  await sql`create index allocations_team_idx on allocations (team_id) where ended_on is null`.execute(db);

  await sql`
    create table record_grants (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      user_id uuid not null references users(id),
      access text not null check (access in ('read','write')),
      reason text not null,
      granted_by uuid not null references users(id),
      granted_at timestamptz not null,
      expires_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid references users(id)
    )`.execute(db);
  await sql`create index record_grants_user_idx on record_grants (user_id, child_id) where revoked_at is null`.execute(
    db,
  );

  await sql`
    create table break_glass_accesses (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      user_id uuid not null references users(id),
      reason text not null,
      opened_at timestamptz not null,
      expires_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by uuid references users(id)
    )`.execute(db);
  await sql`create index break_glass_user_idx on break_glass_accesses (user_id, child_id, expires_at)`.execute(
    db,
  );
  await sql`create index break_glass_child_idx on break_glass_accesses (child_id)`.execute(db);

  await sql`
    create table case_events (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      occurred_at timestamptz not null,
      recorded_at timestamptz not null,
      recorded_by uuid references users(id),
      category text not null,
      title text not null,
      summary text,
      significant boolean not null default false,
      source_type text,
      source_id uuid
    )`.execute(db);
  await sql`create index case_events_child_idx on case_events (child_id, occurred_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
