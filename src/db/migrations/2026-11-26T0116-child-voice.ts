import { sql, type Kysely } from 'kysely';

/**
 * One home for the child's words (issue 18, item 5). The statutory visit records what the child said, in their own
 * words, as direct work and case notes already do; the child's voice stream on the record reads all three, newest
 * first, paged per child: a partial index on each source serves its part of the stream.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table statutory_visits add column childs_words text`.execute(db);
  await sql`
    create index statutory_visits_child_words_idx on statutory_visits (child_id, visited_on desc, recorded_at desc)
      where childs_words is not null`.execute(db);
  await sql`
    create index direct_work_sessions_child_idx on direct_work_sessions (child_id, held_on desc, recorded_at desc)`.execute(
    db,
  );
  await sql`
    create index case_notes_child_words_idx on case_notes (child_id, occurred_on desc, recorded_at desc)
      where childs_words is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
