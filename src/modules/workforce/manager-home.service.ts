import type { ReadContext } from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { allocationBoard } from './allocation.service.ts';
import { superviseesDue, type SuperviseeDue } from './supervision.service.ts';
import { workforceHeadline, type TeamFigures } from './workforce-figures.service.ts';

/**
 * What a manager's home page starts them on (issue 19, item 6), read by the home module:
 * - `workersOfChildren`: who holds each child on the worktray, so that a manager's worktray names the worker;
 * - `managerHome`: the teams they manage with the allocation board and what waits to be allocated in the teams
 *   they manage directly, the case supervisions due, and, for those who oversee the workforce (workforce:view),
 *   their teams' figures and what needs their attention.
 */

/** The workers holding each child today (open allocations), by name; one query. */
export async function workersOfChildren(
  ctx: ReadContext,
  childIds: readonly string[],
): Promise<Map<string, string[]>> {
  const ids = [...new Set(childIds)];
  const held = new Map<string, string[]>();
  if (!ids.length) return held;
  const rows = await ctx.db
    .selectFrom('allocations as a')
    .innerJoin('users as u', 'u.id', 'a.workerId')
    .select(['a.childId', 'u.id', 'u.displayName'])
    .where('a.childId', 'in', ids)
    .where('a.endedOn', 'is', null)
    .where('a.startedOn', '<=', isoDateOf(ctx.now))
    .distinct()
    .orderBy('u.displayName')
    .execute();
  for (const r of rows) {
    const name = r.id === ctx.user.id ? 'You' : r.displayName;
    const names = held.get(r.childId) ?? [];
    if (!names.includes(name)) held.set(r.childId, [...names, name]);
  }
  return held;
}

export interface ManagerHome {
  teams: { id: string; name: string; toAllocate: number | null; tooHigh: number | null }[];
  supervisionsDue: SuperviseeDue[];
  supervisionsDueTotal: number;
  figures: TeamFigures | null;
}

const SUPERVISIONS_SHOWN = 5;
const BOARDS_COUNTED = 5;

/** Null for someone who neither allocates nor oversees the workforce. */
export async function managerHome(ctx: ReadContext): Promise<ManagerHome | null> {
  const allocates = ctx.user.permissions.has('allocation:manage') && ctx.user.managedTeamIds.length > 0;
  const oversees = ctx.user.permissions.has('workforce:view');
  if (!allocates && !oversees) return null;
  const teams: ManagerHome['teams'] = [];
  if (allocates) {
    const rows = await ctx.db
      .selectFrom('teams')
      .select(['id', 'name', 'managerUserId'])
      .where('id', 'in', ctx.user.managedTeamIds)
      .orderBy('name')
      .limit(50)
      .execute();
    // The boards of the teams they manage themselves are counted; the teams below are linked.
    const direct = rows.filter((r) => r.managerUserId === ctx.user.id).slice(0, BOARDS_COUNTED);
    for (const r of rows) {
      if (!direct.includes(r)) {
        teams.push({ id: r.id, name: r.name, toAllocate: null, tooHigh: null });
        continue;
      }
      const board = await allocationBoard(ctx, { teamId: r.id, page: 1 });
      teams.push({
        id: r.id,
        name: r.name,
        toAllocate: board.socialCare.total + board.earlyHelp.total,
        tooHigh: board.caseloads.filter((c) => c.tooHigh).length,
      });
    }
  }
  const due = await superviseesDue(ctx);
  return {
    teams,
    supervisionsDue: due.slice(0, SUPERVISIONS_SHOWN),
    supervisionsDueTotal: due.length,
    figures: oversees ? await workforceHeadline(ctx) : null,
  };
}
