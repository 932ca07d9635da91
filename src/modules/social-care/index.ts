/**
 * The social care module's public API: its pages, the referral other modules open (the front door calls
 * openCinReferral), the worktray provider, and its part of the child's record summary (`socialCareSummary`, listed in
 * src/modules/index.ts).
 * Census rules checked at the point of entry are in census-rules.ts (one function per rule).
 */
import type { PageDefinition } from '../../web/page.ts';
import { assessmentPages } from './assessment.pages.ts';
import { childProtectionPages } from './child-protection.pages.ts';
import { cinPlanPages } from './cin-plan.pages.ts';
import { cpPlanGoalPages } from './cp-plan-goals.pages.ts';
import { episodePages } from './episode.pages.ts';
import { movingOnPages } from './moving-on.pages.ts';
import { preProceedingsPages } from './pre-proceedings.pages.ts';
import { preProceedingsCorrectionPages } from './pre-proceedings-corrections.pages.ts';
import { registerCensusChildCheck } from './census-child-check.ts';
import { settingsPages } from './settings.pages.ts';
import { visitsPages } from './visits.pages.ts';

registerCensusChildCheck();

export const socialCarePages: PageDefinition[] = [
  ...episodePages,
  ...assessmentPages,
  ...childProtectionPages,
  ...cinPlanPages,
  ...cpPlanGoalPages,
  ...preProceedingsPages,
  ...preProceedingsCorrectionPages,
  ...visitsPages,
  ...movingOnPages,
  ...settingsPages,
];

export { openCinReferral, type OpenCinReferralInput } from './referral.service.ts';
export { socialCareWorktray } from './social-care.worktray.ts';
export { socialCareHistory, socialCareSummary } from './record-summary.ts';
export { seedDemoSocialCare } from './social-care.seed.ts';
export { PATHS as socialCarePaths, socialCareChronologyLinks, socialCareVoiceLinks } from './pages-common.ts';
export { directWorkVoice, statutoryVisitVoice } from './child-voice.ts';
export { openCinEpisodeFor } from './referral.service.ts';
// The documents module's Families First letters: the letter before proceedings and the FGDM offer (issue 22).
export { fgdmOfferLetterSource, preProceedingsLetterSource } from './pre-proceedings-letters.ts';
// The workforce module's allocation board: unallocated episodes, and allocating one (history and audit kept).
export { allocateEpisode } from './episode.service.ts';
export { cinEpisodeForAllocation, unallocatedCinEpisodes } from './unallocated.repository.ts';
export {
  censusRecordBatches,
  countCensusChildren,
  type CensusRecordChild,
  type CensusRecordEpisode,
  type CensusRecordPreProceedings,
  type CensusRecordScope,
} from './census-return.repository.ts';
export * as censusRules from './census-rules.ts';
export {
  assessmentTemplateId,
  newCinEpisodeRows,
  planCinEpisodes,
  writeCinEpisodes,
  type CinEpisodeRows,
  type ReferralRequest,
  type SocialCareStaff,
  type GeneratedEpisode,
} from './social-care.generator.ts';
export {
  annexAAssessmentRows,
  annexAChildInNeedRows,
  annexAChildProtectionRows,
  annexAEpisodeAllocations,
  annexAReferralRows,
  annexASection47Rows,
  annexASocialCareCounts,
  type AnnexAWindow as SocialCareAnnexAWindow,
} from './annex-a.repository.ts';
// The case-audits module: a child's social care outcome figures beside an audit, and long CP plans for a thematic audit.
export {
  longCpPlanChildrenForAudit,
  socialCareFiguresForAudit,
  type SocialCareAuditFigures,
} from './case-audit-figures.ts';
// The documents module's letters about social care events (issue 23), listed in src/modules/index.ts.
export { socialCareLetterSources } from './letters.ts';
