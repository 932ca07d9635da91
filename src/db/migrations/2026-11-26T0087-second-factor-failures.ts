import { sql, type Kysely } from 'kysely';

/**
 * Wrong second-factor codes are counted on their own: a correct password resets the password failures, never the
 * code failures, so "password, then a few wrong codes" cannot be repeated without limit. A correct code resets them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column failed_code_count integer not null default 0 check (failed_code_count >= 0)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
