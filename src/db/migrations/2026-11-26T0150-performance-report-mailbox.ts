import { sql, type Kysely } from 'kysely';

/**
 * Where the monthly performance report is emailed (issue 21 item 4): the authority's leadership mailbox, set on
 * /performance/reports/email. One versioned row per authority (a stale save is refused); no row or no address means
 * the report is kept but not emailed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table performance_report_settings (
    local_authority_id uuid primary key references local_authorities(id),
    leadership_email text check (leadership_email is null or leadership_email like '%_@_%'),
    updated_at timestamptz not null default now(),
    updated_by uuid references users(id),
    version integer not null default 1
  )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
