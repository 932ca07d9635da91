import { sql, type Kysely } from 'kysely';

/**
 * Supervision, continued (workforce module, issue 19 items 3 and 4):
 * - each follow-up of an action at a later session (done, carried forward or dropped, with a note), kept as history;
 *   an action may now be dropped;
 * - group supervision and reflective group sessions: a facilitator, the workers who attended, and the children
 *   discussed (each child's part is management oversight with `group_session_id`, as an individual session's is);
 * - personal supervision (wellbeing, workload, development): private to the worker and their supervisor, never on
 *   a child's record, versioned;
 * - the window of "oversight in the last N working days" the authority sets (20 working days unless it changes it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table supervision_settings add column oversight_window_working_days integer not null default 20
    check (oversight_window_working_days between 1 and 65)`.execute(db);

  await sql`alter table supervision_actions drop constraint supervision_actions_status_check`.execute(db);
  await sql`alter table supervision_actions add constraint supervision_actions_status_check
    check (status in ('open', 'done', 'dropped'))`.execute(db);

  await sql`create table supervision_action_follow_ups (
    id uuid primary key default gen_random_uuid(),
    action_id uuid not null references supervision_actions(id),
    session_id uuid not null references supervision_sessions(id),
    outcome text not null check (outcome in ('done', 'carried-forward', 'dropped')),
    note text,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id),
    check (outcome <> 'dropped' or note is not null)
  )`.execute(db);
  await sql`create index supervision_action_follow_ups_action_idx on supervision_action_follow_ups (action_id, recorded_at)`.execute(
    db,
  );

  await sql`create table group_supervision_sessions (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    kind text not null check (kind in ('group', 'reflective')),
    facilitator_id uuid not null references users(id),
    held_on date not null,
    focus text,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id)
  )`.execute(db);
  await sql`create index group_supervision_sessions_facilitator_idx on group_supervision_sessions (facilitator_id, held_on desc)`.execute(
    db,
  );
  await sql`create table group_supervision_attendees (
    session_id uuid not null references group_supervision_sessions(id),
    user_id uuid not null references users(id),
    primary key (session_id, user_id)
  )`.execute(db);
  await sql`create index group_supervision_attendees_user_idx on group_supervision_attendees (user_id)`.execute(
    db,
  );

  await sql`alter table management_oversight add column group_session_id uuid references group_supervision_sessions(id)`.execute(
    db,
  );
  await sql`alter table management_oversight add constraint management_oversight_one_session
    check (session_id is null or group_session_id is null)`.execute(db);
  await sql`create unique index management_oversight_group_child_idx on management_oversight (group_session_id, child_id)
    where group_session_id is not null`.execute(db);

  await sql`create table personal_supervision_records (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    supervisor_id uuid not null references users(id),
    supervisee_id uuid not null references users(id),
    held_on date not null,
    wellbeing text,
    workload text,
    development text,
    agreed text,
    recorded_at timestamptz not null,
    recorded_by uuid not null references users(id),
    updated_at timestamptz not null,
    updated_by uuid not null references users(id),
    version integer not null default 1,
    check (supervisor_id <> supervisee_id)
  )`.execute(db);
  await sql`create index personal_supervision_supervisee_idx on personal_supervision_records (supervisee_id, held_on desc)`.execute(
    db,
  );
  await sql`create index personal_supervision_supervisor_idx on personal_supervision_records (supervisor_id, held_on desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
