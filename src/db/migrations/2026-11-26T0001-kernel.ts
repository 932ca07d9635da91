import { sql, type Kysely } from 'kysely';

// Kernel tables: the append-only, hash-chained audit trail and server-side form drafts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists citext`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists fuzzystrmatch`.execute(db);

  await sql`
    create table audit_events (
      seq bigint primary key,
      id uuid not null unique default gen_random_uuid(),
      occurred_at timestamptz not null,
      actor_user_id uuid,
      actor_label text not null,
      action text not null,
      subject_type text not null,
      subject_id text,
      child_id uuid,
      request_id text,
      ip text,
      details jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index audit_events_child_idx on audit_events (child_id, seq) where child_id is not null`.execute(
    db,
  );
  await sql`create index audit_events_actor_idx on audit_events (actor_user_id, seq)`.execute(db);
  await sql`create index audit_events_action_idx on audit_events (action, seq)`.execute(db);
  await sql`create index audit_events_occurred_idx on audit_events (occurred_at)`.execute(db);
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_events_no_update_or_delete before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);

  await sql`
    create table form_drafts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null,
      form_key text not null,
      data jsonb not null,
      updated_at timestamptz not null default now(),
      unique (user_id, form_key)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
