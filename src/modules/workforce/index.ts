/**
 * Workforce (issue 19): case supervision and management oversight (supervisors record sessions child by child; each
 * child's part, and any manager's oversight entry, is management oversight on the child's chronology); the
 * allocation board and caseloads (a team's unallocated work, each worker's weighted caseload, allocation through the
 * owning module's service); worker profiles (contract, Social Work England registration, ASYE with its review points
 * on the worktray, training); stability for children on the record summary; the workforce page (stability, caseloads,
 * supervision, ASYE, registrations and training by team, computed in SQL, with drill-down and CSV). Group and
 * reflective sessions write the same oversight; personal supervision stays between the worker and the supervisor.
 */
import { caseloadPages } from './caseload.pages.ts';
import { supervisionPages } from './supervision.pages.ts';
import { groupSupervisionPages } from './supervision-group.pages.ts';
import { personalSupervisionPages } from './supervision-personal.pages.ts';
import { workerProfilePages } from './worker-profile.pages.ts';
import { workforceFigurePages } from './workforce.pages.ts';

export const workforcePages = [
  ...supervisionPages,
  ...groupSupervisionPages,
  ...personalSupervisionPages,
  ...caseloadPages,
  ...workerProfilePages,
  ...workforceFigurePages,
];
export { WORKFORCE_PATHS } from './workforce.pages.ts';
export { SUPERVISION_PATHS } from './supervision.pages.ts';
export { CASELOAD_PATHS } from './caseload.pages.ts';
export { supervisionWorktray } from './supervision.worktray.ts';
export { workerProfileWorktray } from './worker-profile.worktray.ts';
export { oversightSummary } from './supervision.summary.ts';
export { stabilitySummary } from './stability.summary.ts';
export { managerHome, workersOfChildren, type ManagerHome } from './manager-home.service.ts';
export { seedDemoWorkforce } from './workforce.seed.ts';
