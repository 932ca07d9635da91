/**
 * Case audits (issue 20): quality reviews of casework (not the security audit trail). The practice audit tool is
 * versioned data (form template 'practice-audit'); audit programmes are a monthly sample of a team's children or a
 * thematic audit chosen by a criterion; the auditor's access to each sampled child is a grant that ends with the
 * audit; audits are saved as drafts and completed (read-only after). The QA lead assigns audits and moderations to
 * other auditors (grants follow the assignee); a share of each programme is moderated; actions from audits sit on
 * their owners' worktrays and on the child's chronology; the QA report (/case-audits/report) charts it all with CSV
 * and PDF downloads. The module's only import surface.
 */
export { caseAuditPages, CASE_AUDIT_PATHS } from './case-audit.pages.ts';
export {
  caseAuditActionWorktray,
  caseAuditModerationWorktray,
  caseAuditWorktray,
} from './case-audit.worktray.ts';
