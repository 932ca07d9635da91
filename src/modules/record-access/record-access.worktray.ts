import type { WorktrayProvider } from '../home/index.ts';
import { breakGlassForReview } from './record-access.service.ts';

/** Managers see each unreviewed break-glass access to their records, due within 2 working days of it. */
export const breakGlassWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('record:restrict')) return [];
  const { rows } = await breakGlassForReview(ctx, {
    includeAcknowledged: false,
    limit: 100,
    offset: 0,
  });
  return rows.map((r) => {
    const opened = r.openedAt.toISOString().slice(0, 10);
    return {
      kind: 'break-glass-review',
      kindLabel: 'Break-glass review',
      title: `${r.userName} opened a restricted record: “${r.reason.slice(0, 80)}”`,
      href: `/record-access/break-glass-reviews/${r.id}`,
      child: { id: r.childId, name: `${r.givenName} ${r.familyName}` },
      dueOn: ctx.calendar.addWorkingDays(opened, 3),
      clockLabel: 'Review within 2 working days',
    };
  });
};
