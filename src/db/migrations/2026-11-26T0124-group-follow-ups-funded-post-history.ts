import { sql, type Kysely } from 'kysely';

/**
 * The last gaps of supervision (workforce module, issue 19):
 * - actions agreed in a group session are followed up at a later group session: a follow-up belongs to either an
 *   individual session (`session_id`) or a group session (`group_session_id`), never both;
 * - the history of a team's funded posts: the figure in force from a date, written when an administrator changes it,
 *   so that vacancies month by month use the figure in force that month. The current figure is backfilled as in
 *   force from 1 January 2000 (before any month the workforce page shows), since when it was set is not known.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table supervision_action_follow_ups alter column session_id drop not null`.execute(db);
  await sql`alter table supervision_action_follow_ups add column group_session_id uuid
    references group_supervision_sessions(id)`.execute(db);
  await sql`alter table supervision_action_follow_ups add constraint supervision_action_follow_ups_one_session
    check ((session_id is null) <> (group_session_id is null))`.execute(db);
  await sql`create index supervision_action_follow_ups_group_idx on supervision_action_follow_ups (group_session_id)
    where group_session_id is not null`.execute(db);

  await sql`create table team_funded_posts (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams(id),
    from_date date not null,
    funded_posts numeric(5, 1) check (funded_posts is null or funded_posts >= 0),
    recorded_at timestamptz not null,
    recorded_by uuid references users(id),
    unique (team_id, from_date)
  )`.execute(db);
  await sql`insert into team_funded_posts (team_id, from_date, funded_posts, recorded_at)
    select id, date '2000-01-01', funded_posts, now() from teams where funded_posts is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
