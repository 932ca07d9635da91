export {
  recordAuditEvent,
  sealAuditTrail,
  verifyAuditTrail,
  signAuditAnchor,
  parseAuditAnchors,
  canonicalJson,
  hashAuditEvent,
  GENESIS_HASH,
  type AuditActor,
  type AuditAnchor,
  type AuditEventInput,
  type ChainHead,
  type RecordedAuditEvent,
  type SealedFields,
  type StoredAuditEvent,
  type AuditVerifyProblem,
  type AuditVerifyResult,
} from './audit-trail.ts';
export { scheduleAuditSealer, writeAuditAnchor } from './sealer.ts';
export { rekeyAuditTrail, AuditRekeyRefusedError, type RekeyOptions, type RekeyResult } from './rekey.ts';
