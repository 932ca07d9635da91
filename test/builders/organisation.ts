import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { BusinessRuleError, FieldProblemsError } from '../../src/kernel/errors.ts';
import { createApiClient } from '../../src/modules/front-door/api-client.service.ts';
import { contextFor, userFor } from './context.ts';
import { localAuthorityId } from './people.ts';

/**
 * The demo organisation as tests look it up (a team, an agency, the two authorities) and a partner system's API
 * client made by the system administrator, written once instead of a hand-written query in each file:
 *
 *   const richmond = await localAuthorityId(t.db);
 *   const { richmond, kingston } = await localAuthorityIds(t.db);
 *   const client = await anApiClient(t.db, t.clock.now(), { name: 'Fuzzing client' });
 *   await post(body, { authorization: basicAuthorization(client) });
 */

type Db = Kysely<DB> | Transaction<DB>;

export { localAuthorityId };

/** The demo organisation's two authorities: Richmond (318) and Kingston (314). */
export async function localAuthorityIds(db: Db): Promise<{ richmond: string; kingston: string }> {
  return { richmond: await localAuthorityId(db, '318'), kingston: await localAuthorityId(db, '314') };
}

/** A demo team's id, by its name. */
export async function teamId(db: Db, name: string): Promise<string> {
  return (await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** The first agency of a kind ('police', 'health', 'school' …), by name. */
export async function agencyIdOfKind(db: Db, kind: string): Promise<string> {
  return (
    await db
      .selectFrom('agencies')
      .select('id')
      .where('kind', '=', kind)
      .orderBy('name')
      .executeTakeFirstOrThrow()
  ).id;
}

/** An agency's id, by its name. */
export async function agencyIdNamed(db: Db, name: string): Promise<string> {
  return (await db.selectFrom('agencies').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** One agency of each kind ('police', 'health', 'camhs' …), by kind. */
export async function agencyIdsByKind(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('agencies').select(['id', 'kind']).execute();
  return Object.fromEntries(rows.map((a) => [a.kind, a.id]));
}

/** A partner system's credentials, as createApiClient returns them once. */
export type ApiClient = { id: string; clientId: string; secret: string };

/**
 * A partner system's API client, made by the demo system administrator at `now`: for the first agency of
 * `agencyKind` (police unless given), serving the authorities given (Richmond unless given).
 */
export async function anApiClient(
  db: Kysely<DB>,
  now: Date,
  options: { name: string; agencyKind?: string; localAuthorityIds?: string[] },
): Promise<ApiClient> {
  const admin = await userFor(db, 'system-administrator');
  const agencyId = await agencyIdOfKind(db, options.agencyKind ?? 'police');
  const localAuthorityIds = options.localAuthorityIds ?? [await localAuthorityId(db)];
  return db
    .transaction()
    .execute((trx) =>
      createApiClient(contextFor(trx, admin, now), { name: options.name, agencyId, localAuthorityIds }),
    );
}

/** The Authorization header for a client by HTTP Basic authentication. */
export const basicAuthorization = (client: Pick<ApiClient, 'clientId' | 'secret'>): string =>
  `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;

/** The Authorization header for a client by bearer token. */
export const bearerAuthorization = (client: Pick<ApiClient, 'clientId' | 'secret'>): string =>
  `Bearer ${client.clientId}.${client.secret}`;

/** The field problems a refused change throws (every one, for a FieldProblemsError; the one, for a rule). */
export async function problemsOf(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof FieldProblemsError) return [...error.problems];
  if (error instanceof BusinessRuleError)
    return [{ field: error.field, message: error.message, href: `#${error.field}` }];
  throw new Error(`Expected field problems, got ${String(error)}`);
}

/** Another staff member of a demo team with one role (e.g. a second social worker for a group session). */
export async function aStaffMember(
  db: Db,
  input: {
    team: string;
    displayName: string;
    role: 'social-worker' | 'early-help-practitioner' | 'team-manager';
  },
): Promise<{ id: string; displayName: string }> {
  const row = await db
    .insertInto('users')
    .values({
      email: `${input.displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@demo.threshold.test`,
      displayName: input.displayName,
      jobTitle: input.role,
      localAuthorityId: await localAuthorityId(db),
      teamId: await teamId(db, input.team),
    })
    .returning(['id', 'displayName'])
    .executeTakeFirstOrThrow();
  await db.insertInto('userRoles').values({ userId: row.id, role: input.role }).execute();
  return row;
}
