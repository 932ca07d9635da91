import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { recordAuditEvent } from '../kernel/audit-trail/index.ts';
import type { Clock } from '../kernel/time/index.ts';
import { seedDemoOrganisation } from '../modules/admin/organisation.seed.ts';

export class DemoDataRefusedError extends Error {
  constructor() {
    super('Demo data is never created in production (NODE_ENV=production).');
    this.name = 'DemoDataRefusedError';
  }
}

/**
 * Fills an empty database with synthetic demonstration data. Does nothing when the database already has
 * an organisation, so it is safe on every start. Refused in production.
 */
export async function seedDemo(db: Database, config: Config, clock: Clock): Promise<{ seeded: boolean }> {
  if (config.isProduction) throw new DemoDataRefusedError();
  const existing = await db.selectFrom('localAuthorities').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  await db.transaction().execute(async (trx) => {
    const org = await seedDemoOrganisation(trx, config.demoPassword);
    await recordAuditEvent(trx, {
      actor: { userId: null, label: 'system' },
      action: 'demo-data.seeded',
      subjectType: 'system',
      occurredAt: clock.now(),
      details: { users: org.users.size, teams: org.teams.size },
    });
  });
  return { seeded: true };
}
