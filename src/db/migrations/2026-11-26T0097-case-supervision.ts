import { sql, type Kysely } from 'kysely';

/**
 * Case supervision and management oversight (workforce module, issue 19): each authority's case supervision
 * frequency (monthly until changed), supervision sessions between a supervisor and a supervisee, the oversight
 * recorded on each child (the child's part of a session, or a manager's oversight entry from the child's record),
 * and the actions agreed, followed up at the supervisee's next session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table supervision_settings (
    local_authority_id uuid primary key references local_authorities(id),
    case_supervision_frequency text not null default 'monthly'
      check (case_supervision_frequency in ('fortnightly', 'four-weekly', 'monthly', 'six-weekly', 'two-monthly')),
    updated_at timestamptz not null default now(),
    updated_by uuid references users(id),
    version integer not null default 1
  )`.execute(db);

  await sql`create table supervision_sessions (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    supervisor_id uuid not null references users(id),
    supervisee_id uuid not null references users(id),
    held_on date not null,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id),
    check (supervisor_id <> supervisee_id)
  )`.execute(db);
  await sql`create index supervision_sessions_supervisee_idx on supervision_sessions (supervisee_id, held_on desc)`.execute(
    db,
  );
  await sql`create index supervision_sessions_supervisor_idx on supervision_sessions (supervisor_id, held_on desc)`.execute(
    db,
  );

  await sql`create table management_oversight (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references people(id),
    session_id uuid references supervision_sessions(id),
    occurred_on date not null,
    worries text,
    working_well text,
    child_voice text,
    hypotheses text,
    decision text not null,
    rationale text not null,
    review_on date,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id)
  )`.execute(db);
  await sql`create unique index management_oversight_session_child_idx on management_oversight (session_id, child_id)
    where session_id is not null`.execute(db);
  await sql`create index management_oversight_child_idx on management_oversight (child_id, occurred_on desc)`.execute(
    db,
  );

  await sql`create table supervision_actions (
    id uuid primary key default gen_random_uuid(),
    oversight_id uuid not null references management_oversight(id),
    child_id uuid not null references people(id),
    description text not null,
    owner text not null,
    due_on date not null,
    status text not null default 'open' check (status in ('open', 'done')),
    times_carried_forward integer not null default 0,
    last_followed_up_session_id uuid references supervision_sessions(id),
    completed_on date,
    version integer not null default 1
  )`.execute(db);
  await sql`create index supervision_actions_oversight_idx on supervision_actions (oversight_id)`.execute(db);
  await sql`create index supervision_actions_open_idx on supervision_actions (child_id) where status = 'open'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
