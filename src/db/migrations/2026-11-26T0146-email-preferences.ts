import { sql, type Kysely } from 'kysely';

/**
 * A worker's email preferences (issue 23, item 4): for now whether they get the daily digest of their overdue
 * worktray items. One row per user, made at their first save; a user without one has the authority's default
 * (OVERDUE_DIGEST_DEFAULT). Saved whole from the account page with its version checked (saveVersioned), audited.
 *
 * The digest itself needs no table of its own: each is an email in the outbox whose unique event key names the
 * worker and the day (`overdue-digest:<user id>:<date>`), so two processes making the day's digests queue one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table email_preferences (
      user_id uuid primary key references users(id),
      overdue_digest boolean not null,
      version integer not null default 1,
      updated_at timestamptz not null,
      updated_by uuid not null references users(id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
