import { sql, type Kysely } from 'kysely';

// Local authorities, services, teams (a hierarchy), locality clusters, partner agencies, users, roles,
// sessions. See docs/data-model.md.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table local_authorities (
      id uuid primary key default gen_random_uuid(),
      la_code char(3) not null unique check (la_code ~ '^[0-9]{3}$'),
      name text not null,
      staff_read_by_default boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);

  await sql`
    create table services (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      name text not null,
      area text not null check (area in ('front-door','early-help','social-care','quality-assurance','performance','administration')),
      created_at timestamptz not null default now(),
      unique (local_authority_id, name)
    )`.execute(db);

  await sql`
    create table clusters (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      name text not null,
      description text,
      created_at timestamptz not null default now(),
      unique (local_authority_id, name)
    )`.execute(db);

  await sql`
    create table teams (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      service_id uuid references services(id),
      parent_team_id uuid references teams(id),
      cluster_id uuid references clusters(id),
      name text not null,
      manager_user_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (local_authority_id, name)
    )`.execute(db);
  await sql`create index teams_parent_idx on teams (parent_team_id)`.execute(db);

  await sql`
    create table agencies (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      kind text not null check (kind in ('police','health','school','camhs','probation','housing','voluntary','early-years','other')),
      code text,
      email text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`
    create table agency_local_authorities (
      agency_id uuid not null references agencies(id),
      local_authority_id uuid not null references local_authorities(id),
      primary key (agency_id, local_authority_id)
    )`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique,
      display_name text not null,
      job_title text,
      local_authority_id uuid references local_authorities(id),
      team_id uuid references teams(id),
      agency_id uuid references agencies(id),
      password_hash text,
      status text not null default 'active' check (status in ('active','disabled')),
      mfa_required boolean not null default false,
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_used_step bigint,
      failed_sign_in_count integer not null default 0,
      locked_until timestamptz,
      last_sign_in_at timestamptz,
      oidc_issuer text,
      oidc_subject text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (oidc_issuer, oidc_subject),
      check (local_authority_id is not null or agency_id is not null)
    )`.execute(db);
  await sql`create index users_team_idx on users (team_id)`.execute(db);
  await sql`alter table teams add constraint teams_manager_fk foreign key (manager_user_id) references users(id)`.execute(
    db,
  );

  // The local authorities a user works for (one provider may serve several, e.g. Richmond and Kingston).
  await sql`
    create table user_local_authorities (
      user_id uuid not null references users(id),
      local_authority_id uuid not null references local_authorities(id),
      primary key (user_id, local_authority_id)
    )`.execute(db);

  await sql`
    create table user_roles (
      user_id uuid not null references users(id),
      role text not null,
      granted_at timestamptz not null default now(),
      primary key (user_id, role)
    )`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id uuid references users(id),
      stage text not null check (stage in ('pending','mfa','mfa-enrol','active')),
      data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id) where revoked_at is null`.execute(db);
  await sql`create index sessions_expires_idx on sessions (expires_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
