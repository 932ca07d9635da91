import type { PageDefinition } from '../web/page.ts';
import { adminPages } from './admin/index.ts';
import { caseAuditPages } from './case-audits/index.ts';
import { earlyHelpChronologyLinks, earlyHelpPages, earlyHelpSummary } from './early-help/index.ts';
import { formTemplatePages } from './form-templates/index.ts';
import {
  frontDoorChronologyLinks,
  frontDoorOpenWork,
  frontDoorPages,
  frontDoorSummary,
} from './front-door/index.ts';
import { homePages } from './home/index.ts';
import { identityPages } from './identity/index.ts';
import {
  allocationsSummary,
  peopleChronologyLinks,
  peoplePages,
  type ChronologySourceLinks,
  type OpenWorkSearchProvider,
  type RecordSummaryProvider,
} from './people/index.ts';
import { recordAccessPages } from './record-access/index.ts';
import { returnsPages } from './returns/index.ts';
import { socialCareChronologyLinks, socialCarePages, socialCareSummary } from './social-care/index.ts';
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
  ...workforcePages,
  ...caseAuditPages,
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
