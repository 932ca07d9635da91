import type { WorktrayProvider } from './home/worktray.ts';
import { breakGlassWorktray } from './record-access/record-access.worktray.ts';
import { frontDoorWorktray } from './front-door/front-door.worktray.ts';
import { referralDraftsWorktray } from './front-door/referral.worktray.ts';
import { earlyHelpWorktray } from './early-help/early-help.worktray.ts';
import { socialCareWorktray } from './social-care/social-care.worktray.ts';

/** Every module's contribution to the worktray on the home page. Add a module's provider here. */
export const worktrayProviders: WorktrayProvider[] = [
  breakGlassWorktray,
  frontDoorWorktray,
  referralDraftsWorktray,
  earlyHelpWorktray,
  socialCareWorktray,
];
