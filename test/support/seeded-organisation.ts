import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import {
  DEMO_ACCOUNTS,
  demoEmail,
  type SeededOrganisation,
} from '../../src/modules/admin/organisation.seed.ts';

/** The test template's demo organisation, in the shape the modules' demo seeds take. */
export async function seededOrganisation(db: Kysely<DB>): Promise<SeededOrganisation> {
  const users = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS)
    users.set(
      a.email,
      (
        await db
          .selectFrom('users')
          .select('id')
          .where('email', '=', demoEmail(a.email))
          .executeTakeFirstOrThrow()
      ).id,
    );
  const las = await db.selectFrom('localAuthorities').select(['id', 'laCode']).execute();
  return {
    richmondId: las.find((l) => l.laCode === '318')!.id,
    kingstonId: las.find((l) => l.laCode === '314')!.id,
    users,
    teams: new Map(
      (await db.selectFrom('teams').select(['name', 'id']).execute()).map((r) => [r.name, r.id]),
    ),
    clusters: new Map(
      (await db.selectFrom('clusters').select(['name', 'id']).execute()).map((r) => [r.name, r.id]),
    ),
    agencies: new Map(
      (await db.selectFrom('agencies').select(['name', 'id']).execute()).map((r) => [r.name, r.id]),
    ),
  };
}
