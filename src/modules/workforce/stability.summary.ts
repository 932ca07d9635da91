import type { RecordSummaryProvider } from '../people/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { workersInLastYear } from './caseload.service.ts';

/**
 * Stability for children, on the child's record summary: how many workers the child has had in the last 12 months
 * (each worker whose allocation to the child was open on a day of that window), with their names. One indexed query
 * (allocations_child_history_idx).
 */
export const stabilitySummary: RecordSummaryProvider = {
  id: 'worker-stability',
  order: 45,
  openInvolvements: async ({ db, personId, today, user }) => {
    if (!user.permissions.has('child:read')) return [];
    const { since, workers } = await workersInLastYear(db, personId, today);
    if (!workers.length) return [];
    return [
      {
        title: 'Workers in the last 12 months',
        status: String(workers.length),
        detail: `${workers.length} worker${workers.length === 1 ? '' : 's'} since ${formatDateGovUk(since)}: ${workers.map((w) => w.displayName).join(', ')}`,
      },
    ];
  },
};
