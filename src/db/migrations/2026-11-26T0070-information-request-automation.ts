import { sql, type Kysely } from 'kysely';

// Information requests: automatic reminders for overdue requests (the reminder sweep, `threshold send-reminders`
// and the in-app interval) are counted with the manual ones (reminders_sent, last_reminder_at) and marked
// automatic; last_automatic_reminder_on is the working day of the last one, so a request gets at most one
// automatic reminder a working day however many processes sweep. A CAMHS clinician's structured review is kept
// with the answer to a 'camhs-review' request.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table information_requests
      add column automatic_reminders_sent integer not null default 0,
      add column last_automatic_reminder_on date,
      add column last_reminder_automatic boolean not null default false,
      add column camhs_review jsonb,
      add constraint information_requests_automatic_reminders_check
        check (automatic_reminders_sent >= 0 and automatic_reminders_sent <= reminders_sent)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
