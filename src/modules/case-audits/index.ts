/**
 * Case audits (issue 20): quality reviews of casework (not the security audit trail). The practice audit tool is
 * versioned data (form template 'practice-audit'); audit programmes are a monthly sample of a team's children or a
 * thematic audit chosen by a criterion; the auditor's access to each sampled child is a grant that ends with the
 * audit; audits are saved as drafts and completed (read-only after). The QA lead assigns audits and moderations to
 * other auditors (grants follow the assignee); a share of each programme is moderated; actions from audits sit on
 * their owners' worktrays and on the child's chronology; the QA report (/case-audits/report) charts it all with CSV
 * and PDF downloads. Family feedback (surveys as data, one-use links answered without signing in, paper
 * responses, results with early help's feedback) and direct observations of practice are here too. The module's only
 * import surface.
 */
export { caseAuditPages, CASE_AUDIT_PATHS } from './case-audit.pages.ts';
export {
  caseAuditActionWorktray,
  caseAuditModerationWorktray,
  caseAuditWorktray,
} from './case-audit.worktray.ts';
// Family feedback: the results (for the QA report) and the paths other modules link to.
export { feedbackResults, type FeedbackFilters } from './feedback.service.ts';
export { feedbackPages, FEEDBACK_PATHS } from './feedback.pages.ts';
// Direct observations of practice: the pages, and a worker's observations for their development record (workforce).
export { observationPages, OBSERVATION_PATHS } from './observation.pages.ts';
export { seedDemoQuality } from './quality.seed.ts';
export { observationsOfWorker, OBSERVATIONS_PAGE_SIZE } from './observation.service.ts';
export { SETTING_LABELS as OBSERVATION_SETTING_LABELS, OBSERVATION_STATUS_LABELS } from './observation.ts';
