import { beforeAll, expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { CurrentUser } from '../../src/kernel/access/index.ts';
import type { ServiceContext } from '../../src/kernel/service/index.ts';
import { CensusRuleError } from '../../src/modules/social-care/census-queries.ts';
import { databaseForFile } from '../support/file-db.ts';
import { contextFor, userFor } from './social-care.ts';

/**
 * The set-up every social care database test shares: a database of its own for the file (opened before its tests,
 * closed after them), the demo social worker and team manager, and a way to call a service as a user in a
 * transaction of its own at the test's clock.
 *
 *   const now = new Date('2026-11-24T10:00:00Z');
 *   const t = socialCareDb(now);
 *   it('…', async () => {
 *     const { episodeId } = await aCinEpisode(t.db);
 *     await t.act(t.sw, startAssessment, { episodeId, startDate: '2026-11-03' });
 *   });
 */
export function socialCareDb(now: Date) {
  const file = databaseForFile();
  let users: { sw: CurrentUser; manager: CurrentUser } | undefined;
  beforeAll(async () => {
    users = { sw: await userFor(file.db, 'social-worker'), manager: await userFor(file.db, 'team-manager') };
  });
  const user = (key: 'sw' | 'manager'): CurrentUser => {
    if (!users) throw new Error('socialCareDb: the users are loaded in beforeAll, so use them inside a test');
    return users[key];
  };
  return {
    get db(): Kysely<DB> {
      return file.db;
    },
    /** The demo social worker (Assessment Team), who holds the episodes aCinEpisode opens. */
    get sw(): CurrentUser {
      return user('sw');
    },
    /** The demo team manager. */
    get manager(): CurrentUser {
      return user('manager');
    },
    /** Calls `service` as `user` in a transaction of its own, as a page would. */
    act<I, R>(
      actor: CurrentUser,
      service: (ctx: ServiceContext, input: I) => Promise<R>,
      input: I,
    ): Promise<R> {
      return file.run((trx) => service(contextFor(trx, actor, now), input));
    },
  };
}

/** Awaits a call that the census rules must refuse, and returns the refusal. */
export async function censusRefusal(p: Promise<unknown>): Promise<CensusRuleError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CensusRuleError);
  return error as CensusRuleError;
}

/** The census rule numbers a refusal names, in order. */
export const rulesOf = (e: CensusRuleError) => e.violations.map((v) => v.rule);
