import type { Migration } from 'kysely';
import * as m0001 from './2026-11-26T0001-kernel.ts';
import * as m0002 from './2026-11-26T0002-organisation-and-identity.ts';
import * as m0003 from './2026-11-26T0003-people-and-record-access.ts';
import * as m0004 from './2026-11-26T0004-admin-and-audit-search.ts';
import * as m0005 from './2026-11-26T0005-form-templates.ts';
import * as m0006 from './2026-11-26T0006-episodes.ts';
import * as m0007 from './2026-11-26T0007-cin-census-codes.ts';
import * as m0010 from './2026-11-26T0010-people-reference-codes.ts';
import * as m0011 from './2026-11-26T0011-people-search.ts';
import * as m0012 from './2026-11-26T0012-households.ts';
import * as m0013 from './2026-11-26T0013-case-notes.ts';
import * as m0014 from './2026-11-26T0014-documents.ts';
import * as m0015 from './2026-11-26T0015-person-merges.ts';
import * as m0030 from './2026-11-26T0030-front-door-reference.ts';
import * as m0031 from './2026-11-26T0031-contacts.ts';
import * as m0032 from './2026-11-26T0032-information-requests.ts';
import * as m0033 from './2026-11-26T0033-mash-meetings.ts';
import * as m0034 from './2026-11-26T0034-contact-decisions.ts';
import * as m0040 from './2026-11-26T0040-early-help-episodes.ts';
import * as m0041 from './2026-11-26T0041-early-help-assessments.ts';
import * as m0042 from './2026-11-26T0042-early-help-plans.ts';
import * as m0043 from './2026-11-26T0043-early-help-meetings.ts';
import * as m0044 from './2026-11-26T0044-early-help-steps-and-follow-ups.ts';
import * as m0050 from './2026-11-26T0050-social-care-episodes.ts';
import * as m0051 from './2026-11-26T0051-cin-assessments.ts';
import * as m0052 from './2026-11-26T0052-child-and-family-assessment-template.ts';
import * as m0053 from './2026-11-26T0053-child-protection.ts';
import * as m0054 from './2026-11-26T0054-cin-plans.ts';
import * as m0055 from './2026-11-26T0055-visits-and-direct-work.ts';
import * as m0060 from './2026-11-26T0060-api-clients.ts';
import * as m0061 from './2026-11-26T0061-referral-drafts.ts';
import * as m0062 from './2026-11-26T0062-front-door-performance.ts';
import * as m0063 from './2026-11-26T0063-threshold-continuum-versions.ts';
import * as m0064 from './2026-11-26T0064-front-door-strategy-link.ts';
import * as m0065 from './2026-11-26T0065-ending-relationships-and-names.ts';
import * as m0070 from './2026-11-26T0070-information-request-automation.ts';
import * as m0071 from './2026-11-26T0071-contact-adult-links.ts';
import * as m0075 from './2026-11-26T0075-early-help-recontact-window.ts';
import * as m0080 from './2026-11-26T0080-cin-goal-family-wording.ts';
import * as m0081 from './2026-11-26T0081-direct-work-tools-per-authority.ts';
import * as m0085 from './2026-11-26T0085-multi-agency-plan-meetings.ts';
import * as m0086 from './2026-11-26T0086-census-year-queries.ts';
import * as m0087 from './2026-11-26T0087-second-factor-failures.ts';
import * as m0088 from './2026-11-26T0088-audit-chain-sealing.ts';
import * as m0089 from './2026-11-26T0089-contact-effective-due.ts';
import * as m0090 from './2026-11-26T0090-census-returns.ts';
import * as m0096 from './2026-11-26T0096-early-help-lead-index.ts';
import * as m0097 from './2026-11-26T0097-case-supervision.ts';
import * as m0098 from './2026-11-26T0098-more-record-versions.ts';
import * as m0099 from './2026-11-26T0099-early-help-score-summaries.ts';
import * as m0100 from './2026-11-26T0100-contact-calls.ts';
import * as m0102 from './2026-11-26T0102-worker-profiles.ts';
import * as m0103 from './2026-11-26T0103-caseload-weighting.ts';
import * as m0105 from './2026-11-26T0105-cp-plan-goals.ts';
import * as m0109 from './2026-11-26T0109-continuum-expected-outcomes.ts';
import * as m0110 from './2026-11-26T0110-referrer-feedback-sent.ts';
import * as m0113 from './2026-11-26T0113-supervision-groups-personal.ts';
import * as m0115 from './2026-11-26T0115-team-funded-posts.ts';
import * as m0116 from './2026-11-26T0116-child-voice.ts';
import * as m0120 from './2026-11-26T0120-case-audits.ts';
import * as m0123 from './2026-11-26T0123-email-outbox.ts';
import * as m0124 from './2026-11-26T0124-group-follow-ups-funded-post-history.ts';
import * as m0125 from './2026-11-26T0125-letter-templates.ts';
import * as m0126 from './2026-11-26T0126-outbox-document-attachments.ts';
import * as m0127 from './2026-11-26T0127-family-networks.ts';
import * as m0128 from './2026-11-26T0128-family-network-support.ts';
import * as m0129 from './2026-11-26T0129-pre-proceedings.ts';
import * as m0130 from './2026-11-26T0130-fgdm.ts';
import * as m0131 from './2026-11-26T0131-performance-targets.ts';
import * as m0133 from './2026-11-26T0133-performance-reports.ts';
import * as m0135 from './2026-11-26T0135-case-audit-moderation.ts';
import * as m0136 from './2026-11-26T0136-case-audit-actions.ts';
import * as m0137 from './2026-11-26T0137-family-feedback.ts';
import * as m0138 from './2026-11-26T0138-practice-observations.ts';
import * as m0139 from './2026-11-26T0139-assessment-template-referral-section.ts';
import * as m0140 from './2026-11-26T0140-families-first-letters.ts';
import * as m0141 from './2026-11-26T0141-families-first-corrections.ts';
import * as m0143 from './2026-11-26T0143-letter-invitations-logo.ts';
import * as m0146 from './2026-11-26T0146-email-preferences.ts';
import * as m0149 from './2026-11-26T0149-performance-comparisons.ts';
import * as m0150 from './2026-11-26T0150-performance-report-mailbox.ts';
import * as m0152 from './2026-11-26T0152-early-help-goal-outcome-from-needs.ts';
import * as m0153 from './2026-11-26T0153-plan-goal-actions.ts';
import * as m0154 from './2026-11-26T0154-history-lookup-indexes.ts';
import * as m0165 from './2026-11-26T0165-performance-comparisons-checked.ts';

/**
 * Every migration, in order. Listed statically (not read from the folder at run time) so that they load
 * the same way under tsx, Vitest and any bundler. A unit test checks this list against the folder.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0001-kernel': m0001,
  '2026-11-26T0002-organisation-and-identity': m0002,
  '2026-11-26T0003-people-and-record-access': m0003,
  '2026-11-26T0004-admin-and-audit-search': m0004,
  '2026-11-26T0005-form-templates': m0005,
  '2026-11-26T0006-episodes': m0006,
  '2026-11-26T0007-cin-census-codes': m0007,
  '2026-11-26T0010-people-reference-codes': m0010,
  '2026-11-26T0011-people-search': m0011,
  '2026-11-26T0012-households': m0012,
  '2026-11-26T0013-case-notes': m0013,
  '2026-11-26T0014-documents': m0014,
  '2026-11-26T0015-person-merges': m0015,
  '2026-11-26T0030-front-door-reference': m0030,
  '2026-11-26T0031-contacts': m0031,
  '2026-11-26T0032-information-requests': m0032,
  '2026-11-26T0033-mash-meetings': m0033,
  '2026-11-26T0034-contact-decisions': m0034,
  '2026-11-26T0040-early-help-episodes': m0040,
  '2026-11-26T0041-early-help-assessments': m0041,
  '2026-11-26T0042-early-help-plans': m0042,
  '2026-11-26T0043-early-help-meetings': m0043,
  '2026-11-26T0044-early-help-steps-and-follow-ups': m0044,
  '2026-11-26T0050-social-care-episodes': m0050,
  '2026-11-26T0051-cin-assessments': m0051,
  '2026-11-26T0052-child-and-family-assessment-template': m0052,
  '2026-11-26T0053-child-protection': m0053,
  '2026-11-26T0054-cin-plans': m0054,
  '2026-11-26T0055-visits-and-direct-work': m0055,
  '2026-11-26T0060-api-clients': m0060,
  '2026-11-26T0061-referral-drafts': m0061,
  '2026-11-26T0062-front-door-performance': m0062,
  '2026-11-26T0063-threshold-continuum-versions': m0063,
  '2026-11-26T0064-front-door-strategy-link': m0064,
  '2026-11-26T0065-ending-relationships-and-names': m0065,
  '2026-11-26T0070-information-request-automation': m0070,
  '2026-11-26T0071-contact-adult-links': m0071,
  '2026-11-26T0075-early-help-recontact-window': m0075,
  '2026-11-26T0080-cin-goal-family-wording': m0080,
  '2026-11-26T0081-direct-work-tools-per-authority': m0081,
  '2026-11-26T0085-multi-agency-plan-meetings': m0085,
  '2026-11-26T0086-census-year-queries': m0086,
  '2026-11-26T0087-second-factor-failures': m0087,
  '2026-11-26T0088-audit-chain-sealing': m0088,
  '2026-11-26T0089-contact-effective-due': m0089,
  '2026-11-26T0090-census-returns': m0090,
  '2026-11-26T0096-early-help-lead-index': m0096,
  '2026-11-26T0097-case-supervision': m0097,
  '2026-11-26T0098-more-record-versions': m0098,
  '2026-11-26T0099-early-help-score-summaries': m0099,
  '2026-11-26T0100-contact-calls': m0100,
  '2026-11-26T0102-worker-profiles': m0102,
  '2026-11-26T0103-caseload-weighting': m0103,
  '2026-11-26T0105-cp-plan-goals': m0105,
  '2026-11-26T0109-continuum-expected-outcomes': m0109,
  '2026-11-26T0110-referrer-feedback-sent': m0110,
  '2026-11-26T0113-supervision-groups-personal': m0113,
  '2026-11-26T0115-team-funded-posts': m0115,
  '2026-11-26T0116-child-voice': m0116,
  '2026-11-26T0120-case-audits': m0120,
  '2026-11-26T0123-email-outbox': m0123,
  '2026-11-26T0124-group-follow-ups-funded-post-history': m0124,
  '2026-11-26T0125-letter-templates': m0125,
  '2026-11-26T0126-outbox-document-attachments': m0126,
  '2026-11-26T0127-family-networks': m0127,
  '2026-11-26T0128-family-network-support': m0128,
  '2026-11-26T0129-pre-proceedings': m0129,
  '2026-11-26T0130-fgdm': m0130,
  '2026-11-26T0131-performance-targets': m0131,
  '2026-11-26T0133-performance-reports': m0133,
  '2026-11-26T0135-case-audit-moderation': m0135,
  '2026-11-26T0136-case-audit-actions': m0136,
  '2026-11-26T0137-family-feedback': m0137,
  '2026-11-26T0138-practice-observations': m0138,
  '2026-11-26T0139-assessment-template-referral-section': m0139,
  '2026-11-26T0140-families-first-letters': m0140,
  '2026-11-26T0141-families-first-corrections': m0141,
  '2026-11-26T0143-letter-invitations-logo': m0143,
  '2026-11-26T0146-email-preferences': m0146,
  '2026-11-26T0149-performance-comparisons': m0149,
  '2026-11-26T0150-performance-report-mailbox': m0150,
  '2026-11-26T0152-early-help-goal-outcome-from-needs': m0152,
  '2026-11-26T0153-plan-goal-actions': m0153,
  '2026-11-26T0154-history-lookup-indexes': m0154,
  '2026-11-26T0165-performance-comparisons-checked': m0165,
};
