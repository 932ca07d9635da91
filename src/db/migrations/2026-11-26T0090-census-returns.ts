import { sql, type Kysely } from 'kysely';

/**
 * Every CIN census file Threshold produces, kept with who made it and when (returns module): the year, the file's
 * serial number (one sequence per authority and year), the counts it holds, its errors and queries when made, the
 * audited reason when it was made despite errors, and the file itself (gzip-compressed XML) with its SHA-256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table census_returns (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    year text not null check (year ~ '^[0-9]{4}-[0-9]{2}$'),
    serial_no integer not null check (serial_no > 0),
    reference_date date not null,
    produced_at timestamptz not null,
    produced_by uuid not null references users(id),
    children integer not null,
    counts jsonb not null,
    errors integer not null,
    queries integer not null,
    override_reason text,
    file_name text not null,
    content bytea not null,
    content_sha256 text not null,
    size_bytes integer not null,
    unique (local_authority_id, year, serial_no),
    check (errors = 0 or override_reason is not null)
  )`.execute(db);
  await sql`create index census_returns_la_produced_idx on census_returns (local_authority_id, produced_at desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
