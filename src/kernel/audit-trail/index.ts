export {
  recordAuditEvent,
  verifyAuditTrail,
  canonicalJson,
  hashAuditEvent,
  GENESIS_HASH,
  type AuditActor,
  type AuditEventInput,
  type StoredAuditEvent,
  type AuditVerifyProblem,
  type AuditVerifyResult,
} from './audit-trail.ts';
