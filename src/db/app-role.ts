import { sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * The least-privilege grants for the role Threshold runs as in production (ADR 0007 item 6, docs/deployment.md
 * "Least-privilege roles"). The tables belong to an owner role that runs the migrations; the app role gets data
 * rights on every table and sequence, but on `audit_events` only SELECT, INSERT and UPDATE of the three seal
 * columns: it cannot delete, truncate, rewrite a row, switch the append-only trigger off or drop the table (only
 * an owner may ALTER or DROP). The migrations' own bookkeeping tables are read-only to it.
 *
 * One list of statements, run by `threshold db grant-app-role <role>` (as the owner, after every migration) and
 * printed by `--print` for a DBA; src/db/app-role.db.test.ts connects as a role given exactly these grants.
 */

/** A plain PostgreSQL role name: lower-case letters, digits and underscores, not starting with a digit. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class AppRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppRoleError';
  }
}

/** The SQL, in order. Starts from nothing, so running it again after a migration leaves exactly these grants. */
export function appRoleGrants(role: string): string[] {
  if (!ROLE_NAME.test(role))
    throw new AppRoleError(
      `"${role}" is not a plain role name: use lower-case letters, digits and underscores (e.g. threshold_app)`,
    );
  return [
    `revoke all on all tables in schema public from ${role}`,
    `revoke all on all sequences in schema public from ${role}`,
    `grant usage on schema public to ${role}`,
    `grant select, insert, update, delete on all tables in schema public to ${role}`,
    `grant usage, select on all sequences in schema public to ${role}`,
    // Migrations run as the owner (MIGRATE_ON_START=false on the app): the app may see, not change, what ran.
    `revoke insert, update, delete on kysely_migration, kysely_migration_lock from ${role}`,
    // The audit trail: insert and read; the only change is the one-time seal (the trigger refuses any other).
    `revoke update, delete, truncate on audit_events from ${role}`,
    `grant update (chain_pos, prev_hash, hash) on audit_events to ${role}`,
  ];
}

/**
 * Gives `role` exactly the app's grants on the current database, in one transaction. Run as the role that owns
 * the tables (the one that runs `threshold migrate`). PostgreSQL only: the embedded database has one user.
 */
export async function grantAppRole(db: Database, role: string): Promise<string[]> {
  const statements = appRoleGrants(role);
  const exists = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(db);
  if (exists.rows[0]?.n !== 1)
    throw new AppRoleError(
      `There is no role "${role}" in this PostgreSQL server: create it first (create role ${role} login password '…')`,
    );
  await db.transaction().execute(async (trx) => {
    for (const statement of statements) await sql.raw(statement).execute(trx);
  });
  return statements;
}
