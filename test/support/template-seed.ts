import type { Database } from '../../src/db/database.ts';
import { seedDemoOrganisation } from '../../src/modules/admin/organisation.seed.ts';

/** The password of every account in the test template (the documented demo default). */
export const TEST_PASSWORD = 'Threshold-demo-2026';

/** What every test database starts with: the synthetic demo organisation and one account per role. */
export async function seedTestTemplate(db: Database): Promise<void> {
  await db.transaction().execute((trx) => seedDemoOrganisation(trx, TEST_PASSWORD));
}
