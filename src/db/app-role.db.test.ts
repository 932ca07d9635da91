import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import {
  AuditRekeyRefusedError,
  recordAuditEvent,
  rekeyAuditTrail,
  sealAuditTrail,
  verifyAuditTrail,
} from '../kernel/audit-trail/index.ts';
import { appRoleGrants, grantAppRole } from './app-role.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * Least privilege (ADR 0007 item 6, security issue 15): a fresh database migrated by an owner role, an app role
 * given exactly `threshold db grant-app-role`'s grants, and the app connected as it. The app can record and seal
 * audit events; it cannot delete, rewrite, truncate, switch the trigger off on, or drop `audit_events`.
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const KEY = 'app-role-test-audit-chain-key-0123456789abcdef';

function urlFor(database: string, user?: string): string {
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.href;
}

describe('appRoleGrants', () => {
  it('refuses a role name that is not a plain identifier, so nothing can be smuggled into the SQL', () => {
    expect(() => appRoleGrants('app; drop table people')).toThrow(/not a plain role name/);
    expect(() => appRoleGrants('App')).toThrow(/not a plain role name/);
    expect(appRoleGrants('threshold_app')).toContain(
      'grant update (chain_pos, prev_hash, hash) on audit_events to threshold_app',
    );
  });
});

describe.skipIf(!onPostgres)(
  'the app role cannot alter the audit trail (PostgreSQL only: the embedded database has one user and no roles)',
  () => {
    const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const owner = `threshold_owner_${suffix}`;
    const app = `threshold_app_${suffix}`;
    const database = `threshold_t_${inject('runId')}_roles_${suffix}`.toLowerCase();
    let admin: pg.Client;
    let asOwner: DatabaseHandle;
    let asApp: DatabaseHandle;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: urlFor('postgres') });
      await admin.connect();
      await admin.query(`create role ${owner} login`);
      await admin.query(`create role ${app} login`);
      await admin.query(`create database ${database} owner ${owner}`);
      asOwner = await openDatabase({ url: urlFor(database, owner), poolSize: 2 });
      await migrateToLatest(asOwner.db);
      await grantAppRole(asOwner.db, app);
      asApp = await openDatabase({ url: urlFor(database, app), poolSize: 2 });
    }, 120_000);

    afterAll(async () => {
      await asApp?.close();
      await asOwner?.close();
      if (!admin) return;
      await admin.query(`drop database if exists ${database} with (force)`);
      for (const role of [app, owner]) await admin.query(`drop role if exists ${role}`);
      await admin.end();
    });

    it('connects as a role that is neither the owner nor a superuser', async () => {
      const who = await sql<{
        user: string;
        superuser: boolean;
        owner: string;
      }>`select current_user as user, (select rolsuper from pg_roles where rolname = current_user) as superuser,
               (select tableowner from pg_tables where tablename = 'audit_events') as owner`.execute(
        asApp.db,
      );
      expect(who.rows[0]).toEqual({ user: app, superuser: false, owner });
    });

    it('the app works: it records an audit event, seals it into the chain, and the chain verifies', async () => {
      const recorded = await asApp.db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          occurredAt: new Date(),
          actor: { userId: null, label: 'app role test' },
          action: 'person.viewed',
          subjectType: 'person',
        }),
      );
      const { sealed, head } = await sealAuditTrail(asApp.db, { key: KEY, wait: true });
      expect(sealed).toBeGreaterThanOrEqual(1);
      const row = await asApp.db
        .selectFrom('auditEvents')
        .select(['chainPos', 'hash'])
        .where('id', '=', recorded.id)
        .executeTakeFirstOrThrow();
      expect(row.hash).toBe(head!.hash);
      const verified = await verifyAuditTrail(asApp.db, { key: KEY });
      expect(verified.problems).toEqual([]);
      // Ordinary tables are the app's to change.
      await sql`update people set updated_at = updated_at where false`.execute(asApp.db);
    });

    it('refuses DELETE, UPDATE of other columns, TRUNCATE, disabling the trigger and DROP on audit_events', async () => {
      await asApp.db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          occurredAt: new Date(),
          actor: { userId: null, label: 'app role test' },
          action: 'person.viewed',
          subjectType: 'person',
        }),
      );
      await sealAuditTrail(asApp.db, { key: KEY, wait: true });
      const before = await asApp.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute();
      expect(before.length).toBeGreaterThanOrEqual(1);

      const attempts: Record<string, string> = {
        delete: 'delete from audit_events',
        'update of another column': `update audit_events set action = 'person.forgotten'`,
        'update of the details': `update audit_events set details = '{}'::jsonb`,
        truncate: 'truncate audit_events',
        'disable the append-only trigger':
          'alter table audit_events disable trigger audit_events_no_update_or_delete',
        'disable every trigger': 'alter table audit_events disable trigger all',
        'drop the trigger': 'drop trigger audit_events_no_update_or_delete on audit_events',
        'replace the trigger function': `create or replace function audit_events_append_only() returns trigger
          language plpgsql as $$ begin return new; end $$`,
        drop: 'drop table audit_events',
      };
      const refused: Record<string, string> = {};
      for (const [what, statement] of Object.entries(attempts)) {
        const error = await sql
          .raw(statement)
          .execute(asApp.db)
          .then(
            () => null,
            (e: Error) => e.message,
          );
        refused[what] = error ?? 'ALLOWED';
      }
      for (const [what, message] of Object.entries(refused))
        expect(message, what).toMatch(/permission denied|must be owner/);

      // Re-sealing a row already sealed is allowed by the grant but refused by the trigger.
      const reseal = await sql`update audit_events set hash = repeat('0', 64)`.execute(asApp.db).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(reseal).toMatch(/append-only: UPDATE is not allowed/);

      const after = await asApp.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute();
      expect(after).toEqual(before);
      expect((await verifyAuditTrail(asApp.db, { key: KEY })).problems).toEqual([]);
    });

    it('the owner could have switched the trigger off: the refusals above come from the role, not the table', async () => {
      const done = await asOwner.db
        .transaction()
        .execute(async (trx) => {
          await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(trx);
          throw new Error('rolled back on purpose');
        })
        .catch((e: Error) => e.message);
      expect(done).toBe('rolled back on purpose');
    });

    it('re-sealing under a new key (`threshold audit rekey`) is refused to the app role, and done by the owner', async () => {
      const NEW_KEY = 'app-role-test-the-new-audit-chain-key-0123456789';
      const before = await asApp.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute();
      const refused = await rekeyAuditTrail(asApp.db, {
        oldKey: KEY,
        newKey: NEW_KEY,
        actorLabel: 'cli',
        now: new Date(),
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AuditRekeyRefusedError);
      expect((refused as Error).message).toMatch(/Only the owner of the audit_events table/);
      expect(await asApp.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute()).toEqual(before);
      expect((await verifyAuditTrail(asApp.db, { key: KEY })).problems).toEqual([]);

      const done = await rekeyAuditTrail(asOwner.db, {
        oldKey: KEY,
        newKey: NEW_KEY,
        actorLabel: 'cli',
        now: new Date(),
      });
      expect(done.resealed).toBe(before.length);
      // The app, given the new key, verifies the chain and carries on sealing onto it.
      await asApp.db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          occurredAt: new Date(),
          actor: { userId: null, label: 'app role test' },
          action: 'person.viewed',
          subjectType: 'person',
        }),
      );
      await sealAuditTrail(asApp.db, { key: NEW_KEY, wait: true });
      const verified = await verifyAuditTrail(asApp.db, { key: NEW_KEY });
      expect(verified.problems).toEqual([]);
      expect(verified.checked).toBe(before.length + 2);
      expect((await verifyAuditTrail(asApp.db, { key: KEY })).ok).toBe(false);
    });
  },
);
