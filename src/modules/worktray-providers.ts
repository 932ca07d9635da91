import type { WorktrayProvider } from './home/index.ts';
import {
  caseAuditActionWorktray,
  caseAuditModerationWorktray,
  caseAuditWorktray,
} from './case-audits/index.ts';
import { breakGlassWorktray } from './record-access/index.ts';
import { familyNetworkWorktray } from './people/index.ts';
import { frontDoorWorktray } from './front-door/index.ts';
import { referralDraftsWorktray } from './front-door/index.ts';
import { earlyHelpWorktray } from './early-help/index.ts';
import { socialCareWorktray } from './social-care/index.ts';
import { supervisionWorktray, workerProfileWorktray } from './workforce/index.ts';

/** Every module's contribution to the worktray on the home page. Add a module's provider here. */
export const worktrayProviders: WorktrayProvider[] = [
  breakGlassWorktray,
  frontDoorWorktray,
  referralDraftsWorktray,
  earlyHelpWorktray,
  socialCareWorktray,
  supervisionWorktray,
  workerProfileWorktray,
  caseAuditWorktray,
  caseAuditModerationWorktray,
  caseAuditActionWorktray,
  familyNetworkWorktray,
];
