/**
 * The people module's public API: its pages, and what other modules may use.
 *
 * - Link to a person's record with `personPaths` (the URL scheme is fixed).
 * - Contribute "open involvements" and "next statutory deadlines" to the child's record summary with a
 *   `RecordSummaryProvider` exported from your module's index.ts and listed in src/modules/index.ts
 *   (see record-summary.ts); the people module's own is `allocationsSummary`.
 * - Show the standard record header on your own pages: `loadPersonHeader` + the view partial
 *   'people/views/_record-header.njk' (expects `person`, `section`, and `heading` for your h1).
 * - Search: `searchPeople` / `findLikelyDuplicates` (only records the user may see). People named on open work
 *   not yet linked to a record (a contact, a partner referral) come from an `OpenWorkSearchProvider` exported from
 *   your module's index.ts and listed in src/modules/index.ts (`openWorkSearchProviders`); `scoreDescribedPerson`
 *   scores them with the search's own weights.
 * - Plug in a virus scanner for uploads with `setVirusScanner`.
 * - The child's own words: a module that records them exports a `ChildVoiceSource` (and its links) from its
 *   index.ts, listed in src/modules/index.ts (`childVoiceSources`, `childVoiceLinks`); the child's voice page, the
 *   summary and `latestChildVoice` (plan reviews) read them all. The partial 'people/views/_child-voice-entry.njk'
 *   shows one entry (expects `w`).
 * - The record's list of contacts, referrals and episodes: a module holding such work exports a
 *   `RecordHistorySource` from its index.ts, listed in src/modules/index.ts (`recordHistorySources`).
 * - Show a person's current warnings wherever they appear: `loadWarningsFor` (many people in one query) + the
 *   view partial 'people/views/_person-warnings.njk' (expects `warnings`, one person's list).
 */
import type { PageDefinition } from '../../web/page.ts';
import { caseNotePages } from './case-note.pages.ts';
import { childVoicePages } from './child-voice.pages.ts';
import { recordHistoryPages } from './record-history.pages.ts';
import { chronologyPages } from './chronology.pages.ts';
import { documentPages } from './document.pages.ts';
import { familyChangePages } from './family-changes.pages.ts';
import { familyPages } from './family.pages.ts';
import { familyNetworkPages } from './family-network.pages.ts';
import { mergePages } from './merge.pages.ts';
import { personPages } from './person.pages.ts';

export const peoplePages: PageDefinition[] = [
  ...personPages,
  ...familyPages,
  ...familyChangePages,
  ...familyNetworkPages,
  ...chronologyPages,
  ...caseNotePages,
  ...childVoicePages,
  ...recordHistoryPages,
  ...documentPages,
  ...mergePages,
];

export { personPaths, personFormLists } from './pages-common.ts';
export { censusDetailsForm, type CensusDetailsForm } from './person.schemas.ts';
export {
  loadCensusDetails,
  correctCensusDetails,
  type CensusDetails,
  type CensusDetailsInput,
} from './census-details.service.ts';
export {
  registerPersonChangeCheck,
  type PersonChangeCheck,
  type PersonChangeContext,
} from './change-checks.ts';
export { allocationsSummary } from './record.service.ts';
export {
  caseNoteVoice,
  peopleVoiceLinks,
  type ChildVoiceLinks,
  type ChildVoiceRow,
  type ChildVoiceSource,
} from './child-voice.ts';
export { latestChildVoice, type ChildVoiceEntry } from './child-voice.service.ts';
export type { RecordHistoryRow, RecordHistorySource } from './record-history.ts';
export {
  collectSummaryPanels,
  collectInvolvements,
  INVOLVEMENTS_LISTED_BY_THEIR_MODULE,
  shared,
  summaryMemo,
  type SummaryMemo,
  type DeadlineItem,
  type InvolvementItem,
  type RecordSummaryProvider,
  type RecordSummaryContext,
  type InvolvementContext,
} from './record-summary.ts';
export {
  loadPersonHeader,
  createPerson,
  personInput,
  type CreatePersonInput,
  type PersonHeader,
} from './person.service.ts';
export {
  currentAdultsAround,
  parentAndCarerNames,
  parentalResponsibilityHolders,
  relationshipExists,
} from './relationship.repository.ts';
export { addRelationship, type AddRelationshipInput } from './family.service.ts';
export {
  RELATIONSHIP_CHOICES,
  PARENTAL_RESPONSIBILITY_KINDS,
  isRelationshipKind,
  type RelationshipKind,
} from './person.ts';
export { searchPeople, findLikelyDuplicates, type PersonSearchResult } from './person-search.service.ts';
export {
  scoreDescribedPerson,
  CONFIDENCE_LABELS,
  type DescribedPerson,
  type SearchCriteria,
} from './person-search.ts';
export { searchOpenWork, type NamedOnOpenWork, type OpenWorkSearchProvider } from './open-work-search.ts';
export { loadWarningsFor, type Warning } from './warnings.ts';
export {
  setVirusScanner,
  virusScanner,
  DocumentStore,
  detectType,
  fileProblem,
  formatBytes,
  isUploadedFile,
  sha256Of,
  type UploadedFile,
  type VirusScanner,
} from './document-files.ts';
export { addGeneratedDocument, documentAttachment, type GeneratedDocument } from './document.service.ts';
export { acceptUploadsOn, documentUploads } from './document-upload.plugin.ts';
export { seedDemoPeople } from './people.seed.ts';
export { generatePeople } from './people.generator.ts';
export { checkDisabilities } from './person.ts';
export {
  loadChildPool,
  completeCensusDetails,
  insertGeneratedCaseNotes,
  type ChildPool,
  type GeneratedCaseNote,
} from './work.generator.ts';
export { annexAChildDetails, type AnnexAChildDetails } from './annex-a.repository.ts';
export { peopleChronologyLinks, type ChronologySourceLinks } from './chronology-links.ts';
// Family networks (Families First): who is in the child's network, its meetings and the support given to it.
export {
  familyNetworkFor,
  loadNetworkMember,
  networkSize,
  type NetworkMember,
} from './family-network.service.ts';
export { listNetworkMeetings, type NetworkEpisodeSource } from './network-meeting.service.ts';
export { listSupportPackages, type SupportPackage } from './network-support.service.ts';
export { familyNetworkWorktray } from './family-network.worktray.ts';
