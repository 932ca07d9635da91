import { sql, type Kysely } from 'kysely';

/**
 * Email through the authority's mail server (issue 23, item 3). Every email Threshold sends is first written to the
 * outbox in the transaction of the event that causes it (an information request made, a case allocated, a
 * referrer's feedback sent), so an email exists exactly when its event committed. A background sweep delivers the
 * queued rows to SMTP_URL and records the result: sent (with the server's message id), or a retry at a growing
 * interval, or failed after the last attempt, or expired when it waited too long (mail was off, say).
 *
 * `event_key` is unique: one email per event, however many app processes or retries run. A row being delivered is
 * leased (`lease_until`) so a second process skips it, and a process that died mid-delivery lets it go again when
 * the lease ends.
 *
 * The body is kept, not only the template's name: the record must show what was said. A link into Threshold is kept
 * as a path (`link_path`) and made whole with PUBLIC_URL when the email is sent. Notifications to staff and
 * partners never carry a child's name or details (the senders hold that rule); a letter to a referrer may carry a
 * PDF attachment, kept here until it is sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table email_outbox (
      id uuid primary key default gen_random_uuid(),
      event_key text not null unique,
      kind text not null,
      to_address text not null,
      subject text not null,
      body_text text not null,
      link_path text check (link_path like '/%'),
      attachment_name text,
      attachment_content_type text,
      attachment bytea,
      status text not null default 'queued'
        check (status in ('queued', 'sending', 'sent', 'failed', 'expired')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      lease_until timestamptz,
      last_error text,
      message_id text,
      sent_at timestamptz,
      child_id uuid references people(id),
      created_at timestamptz not null,
      created_by uuid references users(id),
      check ((attachment is null) = (attachment_name is null))
    )`.execute(db);
  await sql`
    create index email_outbox_due_idx on email_outbox (next_attempt_at)
    where status in ('queued', 'sending')`.execute(db);
  await sql`create index email_outbox_created_idx on email_outbox (created_at desc, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
