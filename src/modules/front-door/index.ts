/**
 * The front door's public API: its pages, and what other modules may use.
 *
 * - `createContact(ctx, input)`: records a contact from a signed-in user (an SPA officer, a partner user's online
 *   form, early help's step-up); `createApiClientContact(ctx, input)` the same for a partner system through the
 *   API (the client is the actor). See contact.service.ts and the input type `ContactInput` (contact.schemas.ts);
 *   `contactInputSchema` validates a JSON payload with every problem's path.
 * - `requireContact`: a contact if the user may see it (NotFoundError otherwise).
 * - `frontDoorWorktray`: the home worktray provider (listed in src/modules/worktray-providers.ts).
 * - `frontDoorSummary`: open contacts on the child's record summary (listed in src/modules/index.ts).
 * - `frontDoorOpenWork`: children and adults on open contacts and partner referrals not yet linked to a record, for
 *   person search (listed in src/modules/index.ts as an open-work search provider), with "add this call".
 * - Clock rules (decision due, RAG information due) in contact.ts.
 * - Partner referrals (referral.*.ts): the online form's drafts and the referrer's view of what they sent;
 *   `referralDraftsWorktray` lists unsent drafts on the home page.
 * - API clients and the JSON API's services (api-client.service.ts, api-contacts.ts), used by src/web/api/.
 * - Front-door performance (performance*.ts) and settings (front-door-settings.*.ts).
 */
import { contactCensusPages } from './contact-census.pages.ts';
import type { PageDefinition } from '../../web/page.ts';
import { contactPages } from './contact.pages.ts';
import { contactCallPages } from './contact-call.pages.ts';
import { contactRelationshipPages } from './contact-relationships.pages.ts';
import { decisionPages } from './decision.pages.ts';
import { informationRequestPages } from './information-request.pages.ts';
import { meetingPages } from './meeting.pages.ts';
import { referralPages } from './referral.pages.ts';
import { referrerFeedbackPage } from './referrer-feedback.pages.ts';
import { apiClientPages } from './api-client.pages.ts';
import { frontDoorSettingsPages } from './front-door-settings.pages.ts';
import { performancePages } from './performance.pages.ts';

export const frontDoorPages: PageDefinition[] = [
  ...contactPages,
  ...contactCallPages,
  ...contactRelationshipPages,
  ...decisionPages,
  ...meetingPages,
  ...informationRequestPages,
  ...referralPages,
  referrerFeedbackPage,
  ...performancePages,
  ...apiClientPages,
  ...frontDoorSettingsPages,
  ...contactCensusPages,
];

export {
  createContact,
  createApiClientContact,
  contactAsReceived,
  requireContact,
  contactAuditActor,
  ContactInputError,
  type ApiClientContext,
  type ContactActor,
  type CreateContactInput,
  type CreateContactOptions,
  type CreatedContact,
} from './contact.service.ts';
export { contactFacts, type ContactFacts } from './contact-facts.service.ts';
export {
  contactInputSchema,
  contactInputProblems,
  type ContactInput,
  type ContactChildInput,
  type ContactAdultInput,
  type ReferrerInput,
} from './contact.schemas.ts';
export {
  CONTACT_CHANNELS,
  CHANNEL_LABELS,
  CONTACT_STATUSES,
  STATUS_LABELS,
  CONSENT_VALUES,
  CONSENT_LABELS,
  URGENCY_VALUES,
  URGENCY_LABELS,
  OUTCOMES,
  OUTCOME_LABELS,
  RAG_VALUES,
  RAG_LABELS,
  decisionDueOn,
  decisionDueAt,
  informationDueAt,
  describeDaysLeft,
  describeHoursLeft,
  type ContactChannel,
  type ContactStatus,
  type Consent,
  type Urgency,
  type Outcome,
  type Rag,
} from './contact.ts';
export {
  frontDoorSettings,
  continuumFor,
  codeList as frontDoorCodeList,
  type Continuum,
  type ThresholdLevel,
} from './settings.ts';
export { frontDoorWorktray } from './front-door.worktray.ts';
export { frontDoorHistory, frontDoorSummary } from './front-door.summary.ts';
export { frontDoorOpenWork } from './front-door.open-work.ts';
export { referrerLetterSource } from './referrer-letter.ts';
export { allLocalAuthorities } from './organisation-lookups.service.ts';
export { recordLinkedOnArrival, linkedAdultsOn } from './known-check.service.ts';
export { FRONT_DOOR_PATHS, contactPath } from './paths.ts';
export { seedDemoFrontDoor } from './front-door.seed.ts';
// Partner referrals, the JSON API for partner systems, performance and settings (see each file).
export { referralDraftsWorktray } from './referral.worktray.ts';
export { REFERRAL_PATHS, referrerStatus, REFERRER_STATUS_TEXT, type ReferrerStatus } from './referral.ts';
export {
  authenticateApiClient,
  claimedClientId,
  createApiClient,
  rotateApiClientSecret,
  disableApiClient,
  type ApiClientActor,
} from './api-client.service.ts';
export {
  apiContactBodySchema,
  apiContactStatusSchema,
  problemSchema,
  problemErrors,
  databaseProblems,
  jsonPointer,
  receiveApiContact,
  readApiContact,
  contactByExternalReference,
  type ApiContactStatus,
} from './api-contacts.ts';
export { PERFORMANCE_PATHS } from './performance.service.ts';
export { scheduleReminderSweep, sendAutomaticReminders } from './reminders.job.ts';
export {
  planContacts,
  insertContacts,
  defaultContinuum,
  type PlannedContact,
  type FrontDoorStaff,
} from './front-door.generator.ts';
export {
  annexAContactCount,
  annexAContactRows,
  type AnnexAContactRow,
  type AnnexAWindow as FrontDoorAnnexAWindow,
} from './annex-a.repository.ts';
export { frontDoorChronologyLinks } from './paths.ts';
// The performance page's SVG charts (markup in views/_chart.njk) and CSV writer, reused by other modules' figures
// (the performance measures, the workforce page).
export { barChart, columnChart, stackedChart, type Chart } from './chart.ts';
export { toCsv } from './performance.ts';
// The case-audits module: a child's contacts beside an audit, and repeat contacts for a thematic audit.
export { contactsInYearForAudit, repeatContactChildrenForAudit } from './case-audit-figures.ts';
