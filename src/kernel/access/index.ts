export * from './permissions.ts';
export { can, auditActor, type CurrentUser } from './current-user.ts';
export {
  decideRecordAccess,
  existingPersonIds,
  requireAccess,
  visibleTo,
  type RecordAccessDecision,
  type RecordAccessLevel,
} from './record-access.ts';
export { holdsRoleIn } from './user-roles.ts';
