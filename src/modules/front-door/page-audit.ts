import type { AuditSpec } from '../../web/page.ts';

/**
 * Every page that shows a contact records a view of it in the audit trail ('contact.viewed'), naming the page.
 * (The contact page itself also names the children linked to it.)
 */
export function contactViewAudit<P extends { contactId: string }, Q, D>(page: string): AuditSpec<P, Q, D> {
  return {
    action: 'contact.viewed',
    subjectType: 'contact',
    subject: (ctx) => ({ subjectId: ctx.params.contactId, details: { page } }),
  };
}
