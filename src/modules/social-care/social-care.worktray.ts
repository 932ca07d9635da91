import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { DEADLINE_LABELS, deadlinesFor, openEpisodesQuery } from './deadlines.ts';

/**
 * Social care on the worktray: every statutory clock on the episodes allocated to the user (as the worker), and on
 * those allocated to the teams they manage (as the manager, who also sees what waits for them: allocation and
 * authorising assessments). Bounded: at most 300 episodes are looked at.
 */
export const socialCareWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('social-care:read')) return [];
  const managed = ctx.user.managedTeamIds;
  const isManager =
    managed.length > 0 &&
    (ctx.user.permissions.has('social-care:authorise') || ctx.user.permissions.has('allocation:manage'));
  const episodes = await openEpisodesQuery(ctx.db)
    .where((eb) =>
      eb.or([eb('a.workerId', '=', ctx.user.id), ...(isManager ? [eb('a.teamId', 'in', managed)] : [])]),
    )
    .orderBy('e.referralDate')
    .limit(300)
    .execute();
  const deadlines = await deadlinesFor(ctx.db, episodes, ctx.calendar, ctx.today);
  const managerOf = new Set(
    episodes.filter((e) => isManager && e.teamId && managed.includes(e.teamId)).map((e) => e.id),
  );
  return deadlines
    .filter(
      (d) =>
        d.audience === 'everyone' ||
        (managerOf.has(d.episodeId) &&
          (d.kind !== 'sc-assessment-authorisation' || ctx.user.permissions.has('social-care:authorise'))),
    )
    .map((d): WorktrayItem => ({
      kind: d.kind,
      kindLabel: DEADLINE_LABELS[d.kind],
      title: d.title,
      href: d.href,
      child: { id: d.childId, name: d.childName },
      dueOn: d.dueOn,
      clockLabel: d.clockLabel,
    }));
};
