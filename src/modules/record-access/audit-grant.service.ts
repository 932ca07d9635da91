import { recordChange, requirePermission, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * Named grants for case audits (issue 20): a QA auditor reading a sampled child's record is given read access for the
 * audit, ending on the audit's due date, and the grant is revoked when the audit is completed. Both are in the audit
 * trail under the child. The case-audits module calls these through this module's index.
 */

/**
 * Grants the auditor read access to the child until `expiresAt`. Returns null (and grants nothing) when the auditor
 * already holds a current grant for the child.
 */
export async function grantAuditAccess(
  ctx: ServiceContext,
  input: { childId: string; auditorId: string; expiresAt: Date; reason: string },
): Promise<string | null> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const existing = await ctx.db
    .selectFrom('recordGrants')
    .select('id')
    .where('childId', '=', input.childId)
    .where('userId', '=', input.auditorId)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', ctx.now)]))
    .executeTakeFirst();
  if (existing) return null;
  const row = await ctx.db
    .insertInto('recordGrants')
    .values({
      childId: input.childId,
      userId: input.auditorId,
      access: 'read',
      reason: input.reason,
      grantedBy: ctx.user.id,
      grantedAt: ctx.now,
      expiresAt: input.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'record-grant.created',
      subjectType: 'record-grant',
      subjectId: row.id,
      childId: input.childId,
      details: {
        for: 'case-audit',
        access: 'read',
        reason: input.reason,
        expiresAt: input.expiresAt.toISOString(),
      },
    },
  });
  return row.id;
}

/** Ends an audit's grant (the audit is complete). Nothing happens if it has already ended or been revoked. */
export async function endAuditAccess(
  ctx: ServiceContext,
  input: { grantId: string; reason: string },
): Promise<void> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const ended = await ctx.db
    .updateTable('recordGrants')
    .set({ revokedAt: ctx.now, revokedBy: ctx.user.id })
    .where('id', '=', input.grantId)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', ctx.now)]))
    .returning('childId')
    .executeTakeFirst();
  if (!ended) return;
  await recordChange(ctx, {
    audit: {
      action: 'record-grant.revoked',
      subjectType: 'record-grant',
      subjectId: input.grantId,
      childId: ended.childId,
      details: { for: 'case-audit', reason: input.reason },
    },
  });
}
