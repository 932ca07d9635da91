/**
 * The early help (family help) module's public API: its pages, and what other modules may call.
 *
 * - `openEarlyHelpEpisode` — the front door opens an episode after an early help decision.
 * - `recordStepDown` — social care steps a family down to early help (a handover meeting, the plan transferred, the
 *   new lead practitioner's acceptance). Its input type is documented at the top of step-down.service.ts.
 * - `earlyHelpWorktray` — the worktray provider (listed in src/modules/worktray-providers.ts).
 * - `earlyHelpSummary` — its part of the child's record summary (listed in src/modules/index.ts).
 */
import type { PageDefinition } from '../../web/page.ts';
import { assessmentPages } from './assessment.pages.ts';
import { closurePages } from './closure.pages.ts';
import { episodePages } from './episode.pages.ts';
import { impactPages } from './impact.pages.ts';
import { planPages } from './plan.pages.ts';
import { reviewPages } from './review.pages.ts';

export const earlyHelpPages: PageDefinition[] = [
  ...episodePages,
  ...assessmentPages,
  ...planPages,
  ...reviewPages,
  ...closurePages,
  ...impactPages,
];

export {
  openEarlyHelpEpisode,
  openEarlyHelpEpisodesFor,
  type EarlyHelpSource,
  type OpenEarlyHelpEpisodeInput,
} from './episode.service.ts';
export {
  recordStepDown,
  respondToStepDown,
  type StepDownInput,
  type StepDownAttendee,
  type StepDownResult,
} from './step-down.service.ts';
// The workforce module's allocation board: unallocated episodes, and naming the lead practitioner (history kept).
export { assignLeadPractitioner } from './episode.service.ts';
export { earlyHelpEpisodeForAllocation, unallocatedEarlyHelpEpisodes } from './unallocated.repository.ts';
export { earlyHelpWorktray } from './early-help.worktray.ts';
export { earlyHelpHistory, earlyHelpSummary } from './early-help.summary.ts';
export { earlyHelpEpisodesOfChild } from './episode.repository.ts';
export { EH_PATHS, ehPath, earlyHelpChronologyLinks } from './paths.ts';
export { seedDemoEarlyHelp } from './early-help.seed.ts';
export {
  earlyHelpAssessmentTemplateId,
  newEarlyHelpEpisodeRows,
  planEarlyHelpEpisodes,
  writeEarlyHelpEpisodes,
  type EarlyHelpEpisodeRows,
  type EarlyHelpRequest,
  type EarlyHelpTeam,
  type GeneratedEarlyHelpEpisode,
} from './early-help.generator.ts';
export {
  annexAEarlyHelpCount,
  annexAEarlyHelpRows,
  type AnnexAEarlyHelpRow,
  type AnnexAWindow as EarlyHelpAnnexAWindow,
} from './annex-a.repository.ts';
// The case-audits module: a child's early help outcome figures beside an audit, and step-downs for a thematic audit.
export {
  earlyHelpFiguresForAudit,
  steppedDownChildrenForAudit,
  type EarlyHelpAuditFigures,
} from './case-audit-figures.ts';
// The case-audits module's family feedback results: early help's feedback at reviews and closure, as rows alike.
export { earlyHelpFeedbackRows } from './feedback-results.ts';
// The documents module's letters about early help events and step-downs (issue 23), listed in src/modules/index.ts.
export { earlyHelpLetterSources } from './letters.ts';
