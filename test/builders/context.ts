import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { CurrentUser, Role } from '../../src/kernel/access/index.ts';
import type { ReadContext, RequestInfo, ServiceContext } from '../../src/kernel/service/index.ts';
import { englandAndWalesCalendar, type WorkingDayCalendar } from '../../src/kernel/working-days/index.ts';
import { loadCurrentUser } from '../../src/modules/identity/current-user.repository.ts';
import { userIdFor } from './people.ts';

/**
 * The service contract in tests: a demo role's user as the page would resolve it, and the ServiceContext a page
 * would pass (the test's transaction, that user, the test's clock reading and, unless given, England and Wales'
 * working days; a request only where the test checks what the audit trail keeps of it).
 *
 *   const admin = await userFor(db, 'system-administrator');
 *   await run(db, (trx) => createTeam(contextFor(trx, admin, now), { … }));
 */

type Db = Kysely<DB> | Transaction<DB>;

export async function userFor(db: Db, role: Role): Promise<CurrentUser> {
  return (await loadCurrentUser(db, await userIdFor(db, role), null))!;
}

export function contextFor(
  trx: Transaction<DB>,
  user: CurrentUser,
  now: Date,
  options: { calendar?: WorkingDayCalendar; request?: RequestInfo } = {},
): ServiceContext {
  return {
    db: trx,
    user,
    now,
    calendar: options.calendar ?? englandAndWalesCalendar,
    ...(options.request ? { request: options.request } : {}),
  };
}

/** The same for a read outside a transaction (the pool will do). */
export function readContextFor(
  db: Db,
  user: CurrentUser,
  now: Date,
  calendar: WorkingDayCalendar = englandAndWalesCalendar,
): ReadContext {
  return { db, user, now, calendar };
}

/** Runs the work in one transaction, as a request does. */
export const run = <T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>) =>
  db.transaction().execute(fn);
