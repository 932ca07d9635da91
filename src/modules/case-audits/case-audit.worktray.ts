import type { WorktrayProvider } from '../home/index.ts';
import { myAuditsDue } from './case-audit.service.ts';
import { myOpenActions } from './action.service.ts';
import { ACTION_LEVEL_LABELS, type ActionLevel } from './case-audit.ts';
import { myModerationsDue } from './moderation.service.ts';

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

/** The audits waiting for the user's moderation. */
export const caseAuditModerationWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('case-audit:moderate')) return [];
  const rows = await myModerationsDue(ctx, { limit: ctx.limit ?? 50 });
  return rows.map((a) => ({
    kind: 'case-audit-moderation',
    kindLabel: 'Case audit moderation',
    title: `Moderate the audit of ${a.childName} (${a.programmeTitle})`,
    href: `/case-audits/audits/${a.id}/moderate`,
    child: { id: a.childId, name: a.childName },
    dueOn: a.dueOn,
    clockLabel: 'Waiting for moderation',
  }));
};

/** The user's open actions from case audits (whatever their role), overdue ones flagged by their due date. */
export const caseAuditActionWorktray: WorktrayProvider = async (ctx) => {
  const rows = await myOpenActions(ctx, { limit: ctx.limit ?? 50 });
  return rows.map((x) => ({
    kind: 'case-audit-action',
    kindLabel: 'Case audit action',
    title: `${ACTION_LEVEL_LABELS[x.level as ActionLevel]}: ${x.description.length > 90 ? `${x.description.slice(0, 89)}…` : x.description}`,
    href: `/case-audits/actions/${x.id}`,
    child: x.visible ? { id: x.childId, name: x.childName } : null,
    dueOn: x.dueOn,
    clockLabel: x.dueOn < ctx.today ? 'Overdue' : 'Open',
  }));
};
