import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { ASYE_POINT_LABELS } from './worker-profile.ts';
import { workforceDue } from './worker-profile.service.ts';

/**
 * Worker profiles on the worktray: the next ASYE review point of each worker the user assesses (and their own), and
 * Social Work England renewals from 30 working days before they lapse (their own and their teams'). Bounded.
 */
export const workerProfileWorktray: WorktrayProvider = async (ctx) => {
  const { asye, renewals } = await workforceDue(ctx);
  const items: WorktrayItem[] = [
    ...asye.map((a) => ({
      kind: 'asye-review',
      kindLabel: 'ASYE review',
      title: a.own ? `Your ${ASYE_POINT_LABELS[a.point]}` : `${ASYE_POINT_LABELS[a.point]}: ${a.displayName}`,
      href: a.own ? `/workforce/workers/${a.userId}` : `/workforce/workers/${a.userId}/asye-reviews/new`,
      dueOn: a.dueOn,
    })),
    ...renewals.map((r) => ({
      kind: 'registration-renewal',
      kindLabel: 'Registration renewal',
      title: r.own
        ? 'Renew your Social Work England registration'
        : `Social Work England renewal: ${r.displayName}`,
      href: `/workforce/workers/${r.userId}`,
      dueOn: r.dueOn,
    })),
  ];
  return items;
};
