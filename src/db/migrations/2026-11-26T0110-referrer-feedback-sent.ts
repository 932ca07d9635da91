import { sql, type Kysely } from 'kysely';

/**
 * Feedback reaches the referrer (issue 18, item 9). A decision's feedback for the referrer was written and kept, but
 * a school or a neighbour who phoned got nothing back. Now the front door produces the feedback as a letter or email
 * text from the authorised decision and records that it was sent: when, by whom, how (email, letter, phone) and to
 * which address or number, with the words sent (the worker may change them for the family). A partner who referred online or through the API reads the feedback on their referral
 * in Threshold, so theirs needs no sending.
 *
 * The worktray lists authorised decisions whose feedback has not been sent; the partial index serves that list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contact_decisions
      add column feedback_sent_at timestamptz,
      add column feedback_sent_by uuid references users(id),
      add column feedback_sent_method text check (feedback_sent_method in ('email', 'letter', 'phone')),
      add column feedback_sent_to text,
      add column feedback_sent_text text`.execute(db);
  await sql`
    create index contact_decisions_feedback_to_send_idx on contact_decisions (reviewed_at)
    where status = 'authorised' and feedback_sent_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
