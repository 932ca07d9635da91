import { sql, type Kysely } from 'kysely';

// Partner systems that send contacts through the JSON API (POST /api/v1/contacts), one client per partner
// organisation system, each with its own credentials: a public client id and a secret stored only as a SHA-256
// hash (the secret is 256 random bits made by Threshold, so a fast hash is safe; see
// src/modules/front-door/api-client.service.ts). The local authorities whose front doors it may send to, its
// status (a disabled client is refused), when its secret was last rotated and when it was last used.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_clients (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      agency_id uuid not null references agencies(id),
      client_id text not null unique,
      secret_hash char(64) not null,
      status text not null default 'active' check (status in ('active','disabled')),
      created_at timestamptz not null,
      created_by uuid references users(id),
      secret_rotated_at timestamptz not null,
      secret_rotated_by uuid references users(id),
      last_used_at timestamptz,
      disabled_at timestamptz,
      disabled_by uuid references users(id),
      disabled_reason text,
      updated_at timestamptz not null,
      version integer not null default 1,
      check ((status = 'disabled') = (disabled_at is not null))
    )`.execute(db);
  await sql`
    create table api_client_local_authorities (
      api_client_id uuid not null references api_clients(id),
      local_authority_id uuid not null references local_authorities(id),
      primary key (api_client_id, local_authority_id)
    )`.execute(db);
  await sql`alter table contacts add constraint contacts_submitted_by_api_client_fk
            foreign key (submitted_by_api_client_id) references api_clients(id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
