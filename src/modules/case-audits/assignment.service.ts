import { sql } from 'kysely';
import { holdsRoleIn, ROLES, ROLE_PERMISSIONS, type Role } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { endAuditAccess, grantAuditAccess } from '../record-access/index.ts';

/**
 * Assigning audits (issue 20): the QA lead (permission case-audit:moderate: the QA officer, the principal social
 * worker, a service manager) gives a sampled audit to another auditor (a user of the authority whose roles carry
 * case-audit:conduct), or a moderated audit to a second auditor. The read grant to the child's record follows the
 * assignee: the new one is granted until the audit's due date, the previous one's ends (both audited). Versioned.
 */

export const AUDITOR_ROLES: Role[] = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('case-audit:conduct'));

/** The active users of an authority who may audit, by name. */
export function auditorsOf(db: Db, localAuthorityId: string) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.displayName'])
    .where('u.localAuthorityId', '=', localAuthorityId)
    .where('u.status', '=', 'active')
    .where(holdsRoleIn(AUDITOR_ROLES))
    .orderBy('u.displayName')
    .orderBy('u.id')
    .limit(500)
    .execute();
}

/** The end of a due date, when an audit's grants end if not earlier. */
export const grantExpiryFor = (dueOn: string) => new Date(`${dueOn}T23:59:59Z`);

async function auditForAssignment(ctx: ServiceContext, auditId: string) {
  requirePermission(ctx.user, 'case-audit:moderate');
  const audit = await ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
    .select([
      'a.id',
      'a.childId',
      'a.auditorId',
      'a.status',
      'a.dueOn',
      'a.grantId',
      'a.moderatorId',
      'a.moderationStatus',
      'a.moderationGrantId',
      'p.title as programmeTitle',
      'p.localAuthorityId',
    ])
    .where('a.id', '=', auditId)
    .executeTakeFirst();
  if (!audit || audit.localAuthorityId !== ctx.user.localAuthorityId) throw new NotFoundError();
  return audit;
}

async function requireAuditor(ctx: ServiceContext, localAuthorityId: string, userId: string, field: string) {
  const ok = await ctx.db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.id', '=', userId)
    .where('u.localAuthorityId', '=', localAuthorityId)
    .where('u.status', '=', 'active')
    .where(holdsRoleIn(AUDITOR_ROLES))
    .executeTakeFirst();
  if (!ok) throw new BusinessRuleError(field, 'Select someone who audits cases in your authority');
}

/** Gives a not yet completed audit to another auditor: their grant starts, the previous auditor's ends. */
export async function assignAuditor(
  ctx: ServiceContext,
  input: { auditId: string; auditorId: string; version: number },
): Promise<void> {
  const audit = await auditForAssignment(ctx, input.auditId);
  if (audit.status === 'completed')
    throw new BusinessRuleError('auditorId', 'This audit is complete: it cannot be given to someone else');
  if (audit.auditorId === input.auditorId)
    throw new BusinessRuleError('auditorId', 'Select a different auditor');
  if (audit.moderatorId === input.auditorId)
    throw new BusinessRuleError('auditorId', 'The moderator of an audit cannot also be its auditor');
  await requireAuditor(ctx, audit.localAuthorityId, input.auditorId, 'auditorId');
  const grantId = await grantAuditAccess(ctx, {
    childId: audit.childId,
    auditorId: input.auditorId,
    expiresAt: grantExpiryFor(audit.dueOn),
    reason: `Case audit: ${audit.programmeTitle}`,
  });
  requireUpdated(
    await ctx.db
      .updateTable('caseAudits')
      .set({ auditorId: input.auditorId, grantId, updatedAt: ctx.now, version: sql`version + 1` })
      .where('id', '=', audit.id)
      .where('version', '=', input.version)
      .where('status', '<>', 'completed')
      .executeTakeFirst(),
    'Someone else changed this audit while you were assigning it. Check who holds it now and try again.',
  );
  if (audit.grantId)
    await endAuditAccess(ctx, {
      grantId: audit.grantId,
      reason: 'The case audit was given to another auditor',
    });
  await recordChange(ctx, {
    audit: {
      action: 'case-audit.assigned',
      subjectType: 'case-audit',
      subjectId: audit.id,
      childId: audit.childId,
      details: { from: audit.auditorId, to: input.auditorId },
    },
  });
}

/** Gives a moderated audit to a second auditor (not its auditor): their grant starts, a previous moderator's ends. */
export async function assignModerator(
  ctx: ServiceContext,
  input: { auditId: string; moderatorId: string; version: number },
): Promise<void> {
  const audit = await auditForAssignment(ctx, input.auditId);
  if (audit.moderationStatus !== 'pending')
    throw new BusinessRuleError('moderatorId', 'This audit is not waiting for moderation');
  if (audit.auditorId === input.moderatorId)
    throw new BusinessRuleError('moderatorId', 'Select someone other than the auditor');
  if (audit.moderatorId === input.moderatorId)
    throw new BusinessRuleError('moderatorId', 'Select a different moderator');
  await requireAuditor(ctx, audit.localAuthorityId, input.moderatorId, 'moderatorId');
  const grantId = await grantAuditAccess(ctx, {
    childId: audit.childId,
    auditorId: input.moderatorId,
    expiresAt: grantExpiryFor(audit.dueOn),
    reason: `Case audit moderation: ${audit.programmeTitle}`,
  });
  requireUpdated(
    await ctx.db
      .updateTable('caseAudits')
      .set({
        moderatorId: input.moderatorId,
        moderationGrantId: grantId,
        updatedAt: ctx.now,
        version: sql`version + 1`,
      })
      .where('id', '=', audit.id)
      .where('version', '=', input.version)
      .where('moderationStatus', '=', 'pending')
      .executeTakeFirst(),
    'Someone else changed this audit while you were assigning it. Check who moderates it now and try again.',
  );
  if (audit.moderationGrantId)
    await endAuditAccess(ctx, {
      grantId: audit.moderationGrantId,
      reason: 'The moderation was given to another auditor',
    });
  await recordChange(ctx, {
    audit: {
      action: 'case-audit.moderator-assigned',
      subjectType: 'case-audit',
      subjectId: audit.id,
      childId: audit.childId,
      details: { from: audit.moderatorId, to: input.moderatorId },
    },
  });
}

/** The audit's assignment as the assign page shows it. */
export async function loadAssignment(ctx: ServiceContext, auditId: string) {
  const audit = await auditForAssignment(ctx, auditId);
  const row = await ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('users as au', 'au.id', 'a.auditorId')
    .leftJoin('users as m', 'm.id', 'a.moderatorId')
    .select(['a.version', 'a.programmeId', 'au.displayName as auditorName', 'm.displayName as moderatorName'])
    .where('a.id', '=', auditId)
    .executeTakeFirstOrThrow();
  const auditors = await auditorsOf(ctx.db, audit.localAuthorityId);
  return { audit: { ...audit, ...row }, auditors };
}
