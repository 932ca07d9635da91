import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { SUPERVISION_FREQUENCY_LABELS } from './supervision.ts';
import { ownSupervisionDue, superviseesDue } from './supervision.service.ts';

/**
 * Case supervision on the worktray: a supervisor sees each person they supervise, due one interval (the
 * authority's frequency) after their last session; a practitioner sees their own next supervision. Overdue and
 * due dates are shown in working days like every other item. Bounded by the team's size.
 */
export const supervisionWorktray: WorktrayProvider = async (ctx) => {
  const [supervisees, own] = await Promise.all([superviseesDue(ctx), ownSupervisionDue(ctx)]);
  const last = (d: string | null) => (d ? `last on ${formatDateGovUk(d)}` : 'none recorded yet');
  const items: WorktrayItem[] = supervisees.map((s) => ({
    kind: 'case-supervision',
    kindLabel: 'Case supervision',
    title: `Case supervision with ${s.displayName} (${s.teamName})`,
    href: `/supervision/new?supervisee=${s.id}`,
    dueOn: s.dueOn,
    clockLabel: `${SUPERVISION_FREQUENCY_LABELS[s.frequency]}; ${last(s.lastHeldOn)}`,
  }));
  if (own)
    items.push({
      kind: 'case-supervision',
      kindLabel: 'Case supervision',
      title: 'Your case supervision',
      href: '/supervision',
      dueOn: own.dueOn,
      clockLabel: `${SUPERVISION_FREQUENCY_LABELS[own.frequency]}; ${last(own.lastHeldOn)}`,
    });
  return items;
};
