/**
 * Home: each role's home page and its worktray (what is due next, soonest first, with statutory clocks in working
 * days). Other modules contribute worktray items through providers listed by name in
 * src/modules/worktray-providers.ts; their types are here.
 */
export { homePages } from './home.pages.ts';
export {
  buildWorktray,
  describeDeadline,
  type ShownWorktrayItem,
  type WorktrayContext,
  type WorktrayItem,
  type WorktrayProvider,
  type WorktrayStatus,
} from './worktray.ts';
export {
  overdueDigestEmail,
  overdueDigestKey,
  scheduleOverdueDigests,
  sendOverdueDigests,
  type OverdueDigestResult,
} from './overdue-digest.job.ts';
