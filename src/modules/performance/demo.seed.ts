import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { targetsJson, type Targets } from './targets.ts';

/**
 * The demonstration authority's performance targets, so red, amber and green show on the dashboard and the home
 * pages from the first start. The comparison figures need no seeding: the DfE's England figures are shipped with
 * Threshold (migration 0149) and show beside every rate.
 */
export const DEMO_TARGETS: Targets = {
  're-referrals': { target: 20, tolerance: 3 },
  'assessment-timeliness': { target: 85, tolerance: 5 },
  'icpc-timeliness': { target: 80, tolerance: 5 },
  'cp-plans-two-years': { target: 5, tolerance: 2 },
  'cp-plans-second': { target: 20, tolerance: 3 },
  'cp-reviews-on-time': { target: 95, tolerance: 5 },
  'cin-reviews-on-time': { target: 90, tolerance: 5 },
  'cp-visits-on-time': { target: 90, tolerance: 5 },
  'cin-visits-on-time': { target: 85, tolerance: 5 },
  'seen-alone': { target: 70, tolerance: 10 },
};

export async function seedDemoPerformance(
  trx: Transaction<DB>,
  org: { richmondId: string },
  now: Date,
): Promise<{ targets: number }> {
  await trx
    .insertInto('performanceTargets')
    .values({
      localAuthorityId: org.richmondId,
      targets: JSON.stringify(targetsJson(DEMO_TARGETS)),
      updatedAt: now,
    })
    .execute();
  return { targets: Object.keys(DEMO_TARGETS).length };
}
