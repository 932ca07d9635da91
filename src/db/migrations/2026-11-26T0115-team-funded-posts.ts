import { sql, type Kysely } from 'kysely';

/**
 * Funded posts per team (workforce module, issue 19): the full-time equivalent posts the authority funds in each
 * team (its establishment), kept with the team by administrators, so that the workforce page can show vacancies
 * (funded posts less the FTE in post). Null until an administrator records it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table teams add column funded_posts numeric(5, 1)
    check (funded_posts is null or funded_posts >= 0)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
