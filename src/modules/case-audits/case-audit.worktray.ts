import type { WorktrayProvider } from '../home/index.ts';
import { myAuditsDue } from './case-audit.service.ts';

/** The auditor's case audits not yet completed, each due on its programme's date. Bounded by the worktray's limit. */
export const caseAuditWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('case-audit:conduct')) return [];
  const { rows } = await myAuditsDue(ctx, { page: 1, pageSize: ctx.limit ?? 50 });
  return rows.map((a) => ({
    kind: 'case-audit',
    kindLabel: 'Case audit',
    title: `Audit the case of ${a.childName} (${a.programmeTitle})`,
    href: `/case-audits/audits/${a.id}`,
    child: { id: a.childId, name: a.childName },
    dueOn: a.dueOn,
    clockLabel: a.status === 'draft' ? 'In progress' : 'Not started',
  }));
};
