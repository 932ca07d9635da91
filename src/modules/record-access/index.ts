/**
 * Record access: restricting a child's record, named grants, "break the glass" with a manager's review, and the
 * record's access log. (The access decision itself is kernel/access; this module is the pages and services that
 * change who may see a record.) The module's only import surface.
 */
export { recordAccessPages } from './record-access.pages.ts';
export {
  BREAK_GLASS_HOURS,
  accessLog,
  breakTheGlass,
  grantAccess,
  revokeGrant,
  setRestriction,
} from './record-access.service.ts';
export { breakGlassWorktray } from './record-access.worktray.ts';
export { endAuditAccess, grantAuditAccess } from './audit-grant.service.ts';
