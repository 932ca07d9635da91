import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { displayName } from './person.ts';

/**
 * Family network meetings on the worktray: an action a network member agreed to do, past its date and not marked
 * done, shows on the worktray of the worker the child is allocated to. Bounded by `limit`.
 */
export const familyNetworkWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('child:write')) return [];
  const rows = await ctx.db
    .selectFrom('familyNetworkMeetingActions as a')
    .innerJoin('familyNetworkMeetings as g', 'g.id', 'a.meetingId')
    .innerJoin('people as c', 'c.id', 'g.childId')
    .select([
      'a.id',
      'a.action',
      'a.dueOn',
      'g.id as meetingId',
      'c.id as childId',
      'c.givenName',
      'c.familyName',
      'c.knownAs',
    ])
    .where('a.completedOn', 'is', null)
    .where('a.dueOn', '<', ctx.today)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('allocations as al')
          .select('al.id')
          .whereRef('al.childId', '=', 'g.childId')
          .where('al.workerId', '=', ctx.user.id)
          .where('al.endedOn', 'is', null),
      ),
    )
    .orderBy('a.dueOn')
    .limit(ctx.limit ?? 100)
    .execute();
  return rows.map((r): WorktrayItem => ({
    kind: 'family-network-action',
    kindLabel: 'Family network action',
    title: `Network action: ${r.action.length > 80 ? `${r.action.slice(0, 77)}…` : r.action}`,
    href: `/people/${r.childId}/family-network/meetings/${r.meetingId}`,
    child: { id: r.childId, name: displayName(r) },
    dueOn: r.dueOn,
  }));
};
