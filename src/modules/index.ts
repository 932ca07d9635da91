import type { PageDefinition } from '../web/page.ts';
import { adminPages } from './admin/index.ts';
import { caseAuditPages, feedbackPages, observationPages } from './case-audits/index.ts';
import {
  earlyHelpChronologyLinks,
  earlyHelpEpisodesOfChild,
  earlyHelpHistory,
  earlyHelpLetterSources,
  earlyHelpPages,
  earlyHelpSummary,
} from './early-help/index.ts';
import { documentsPages, type LetterSource } from './documents/index.ts';
import { formTemplatePages } from './form-templates/index.ts';
import {
  frontDoorChronologyLinks,
  frontDoorHistory,
  frontDoorOpenWork,
  referrerLetterSource,
  frontDoorPages,
  frontDoorSummary,
} from './front-door/index.ts';
import { homePages } from './home/index.ts';
import { identityPages } from './identity/index.ts';
import {
  allocationsSummary,
  caseNoteVoice,
  peopleChronologyLinks,
  peopleVoiceLinks,
  type ChildVoiceLinks,
  type ChildVoiceSource,
  type NetworkEpisodeSource,
  peoplePages,
  type ChronologySourceLinks,
  type OpenWorkSearchProvider,
  type RecordHistorySource,
  type RecordSummaryProvider,
} from './people/index.ts';
import { performancePages } from './performance/index.ts';
import { recordAccessPages } from './record-access/index.ts';
import { returnsPages } from './returns/index.ts';
import {
  directWorkVoice,
  fgdmOfferLetterSource,
  openCinEpisodeFor,
  preProceedingsLetterSource,
  socialCareChronologyLinks,
  socialCareHistory,
  socialCareLetterSources,
  socialCarePages,
  socialCareSummary,
  socialCareVoiceLinks,
  statutoryVisitVoice,
} from './social-care/index.ts';
import { oversightSummary, stabilitySummary, workforcePages } from './workforce/index.ts';

/** Every page of every module, registered by buildApp and checked by the authorisation-matrix test. */
export const allPages: PageDefinition[] = [
  ...homePages,
  ...identityPages,
  ...recordAccessPages,
  ...adminPages,
  ...formTemplatePages,
  ...peoplePages,
  ...frontDoorPages,
  ...earlyHelpPages,
  ...socialCarePages,
  ...returnsPages,
  ...performancePages,
  ...workforcePages,
  ...caseAuditPages,
  ...feedbackPages,
  ...observationPages,
  ...documentsPages,
];

/**
 * Every module's part of the child's record summary (open involvements, next deadlines), in the order of each
 * provider's `order`. Add a module's provider here; the people module reads this list when it builds a summary.
 */
export const recordSummaryProviders: RecordSummaryProvider[] = [
  frontDoorSummary,
  earlyHelpSummary,
  socialCareSummary,
  allocationsSummary,
  oversightSummary,
  stabilitySummary,
];

/**
 * Every module's open work that names people not yet linked to a record (the front door's open contacts and partner
 * referrals): person search and "is this child known?" find them too. The people module reads this list.
 */
export const openWorkSearchProviders: OpenWorkSearchProvider[] = [frontDoorOpenWork];

/**
 * Where each kind of chronology entry is shown, by source type: the child's chronology and "recent significant
 * events" link each entry to it. The people module reads this list.
 */
export const chronologySourceLinks: ChronologySourceLinks = {
  ...peopleChronologyLinks,
  ...frontDoorChronologyLinks,
  ...earlyHelpChronologyLinks,
  ...socialCareChronologyLinks,
};

/**
 * Every source of the child's own words (case notes, social care's statutory visits and direct work), and where each
 * is shown: the child's voice page, the record summary and the plan reviews read them together. The people module
 * reads these lists.
 */
export const childVoiceSources: ChildVoiceSource[] = [caseNoteVoice, statutoryVisitVoice, directWorkVoice];
export const childVoiceLinks: ChildVoiceLinks = { ...peopleVoiceLinks, ...socialCareVoiceLinks };

/** Every module's contacts, referrals and episodes about a child, open or finished: the record lists them together. */
export const recordHistorySources: RecordHistorySource[] = [
  frontDoorHistory,
  socialCareHistory,
  earlyHelpHistory,
];

/**
 * The episodes a family network meeting may belong to: the child's open early help episodes and open children in
 * need episode, each through its module's index. The people module reads this list when a meeting is recorded.
 */
export const familyNetworkEpisodeSources: NetworkEpisodeSource[] = [
  {
    kind: 'early-help',
    label: 'Early help',
    openEpisodes: async (db, childId) =>
      (await earlyHelpEpisodesOfChild(db, childId))
        .filter((e) => !e.closedOn)
        .map((e) => ({ id: e.id, reference: e.reference, openedOn: e.openedOn })),
  },
  {
    kind: 'social-care',
    label: 'Social care',
    openEpisodes: async (db, childId) => {
      const e = await openCinEpisodeFor(db, childId);
      return e ? [{ id: e.id, reference: e.reference, openedOn: e.referralDate }] : [];
    },
  },
];

/**
 * Every module's letters (issue 23): where the facts of each kind of letter come from, by the event it is about. The
 * documents module reads this list when a letter is started.
 */
export const letterSources: LetterSource[] = [
  referrerLetterSource,
  ...socialCareLetterSources,
  ...earlyHelpLetterSources,
  preProceedingsLetterSource,
  fgdmOfferLetterSource,
];
