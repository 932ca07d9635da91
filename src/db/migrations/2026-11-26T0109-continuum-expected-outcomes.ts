import { sql, type Kysely } from 'kysely';

/**
 * Threshold logic at the point of decision (issue 18, item 8). Each level of a continuum of need says which
 * contact outcomes it usually leads to (level 1: no further action or information and advice; level 4: a social
 * care referral or a strategy discussion). A decision whose outcome is not one of its level's expected outcomes
 * keeps the worker's reason for departing from the continuum, which the manager sees when authorising and the
 * consistency report counts.
 *
 * Existing continua (the default London continuum and the authorities' copies of it) get the London continuum's
 * expectations by level number; a level outside 1–4 expects nothing, so every outcome there asks for a reason
 * until the authority says what the level leads to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table threshold_levels add column expected_outcomes text[] not null default '{}'`.execute(
    db,
  );
  await sql`
    update threshold_levels set expected_outcomes = case level
      when 1 then array['nfa', 'information-advice']
      when 2 then array['information-advice', 'early-help']
      when 3 then array['early-help', 'social-care']
      when 4 then array['social-care', 'strategy-discussion']
      else '{}'::text[] end`.execute(db);
  await sql`alter table contact_decisions add column departure_reason text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
