import { sql, type Kysely } from 'kysely';

/**
 * The monthly performance report (issue 21, item 4): a PDF of every measure for one authority and one month, for
 * the leadership team. Made on demand (service managers, performance analysts) or by the schedule on the first
 * working day of a month for the month before. The file is kept like a document's: under the upload folder at a
 * random storage key, with its SHA-256 checked when it is sent.
 *
 * `schedule_key` ('<authority id>:<YYYY-MM>') is set only on a scheduled report and is unique, so however many app
 * processes (or cron runs) try, a month's scheduled report is made once: the insert is `on conflict do nothing`
 * and a process that loses removes the file it wrote. Reports are never changed once made (no version column).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table performance_reports (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      trigger text not null check (trigger in ('schedule', 'on-demand')),
      schedule_key text unique,
      storage_key text not null unique check (storage_key ~ '^[0-9a-f]{32}$'),
      filename text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      generated_at timestamptz not null,
      generated_by uuid references users(id),
      check ((trigger = 'schedule') = (schedule_key is not null))
    )`.execute(db);
  await sql`
    create index performance_reports_month_idx
    on performance_reports (local_authority_id, month desc, generated_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
