/**
 * Workforce: case supervision and management oversight (issue 19, first slice). Supervisors record sessions child by
 * child; each child's part, and any manager's oversight entry, is management oversight on the child's chronology.
 * Personal supervision (wellbeing, workload, development), allocation and caseloads are not here yet.
 */
export { supervisionPages as workforcePages, SUPERVISION_PATHS } from './supervision.pages.ts';
export { supervisionWorktray } from './supervision.worktray.ts';
export { oversightSummary } from './supervision.summary.ts';
