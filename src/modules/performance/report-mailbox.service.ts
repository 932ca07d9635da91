import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { queueEmail } from '../../kernel/mail/index.ts';
import {
  recordChange,
  requirePermission,
  saveVersioned,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { monthName } from './report.ts';

/**
 * The leadership mailbox (performance_report_settings, one versioned row per authority): where the scheduled monthly
 * report is emailed, through the email outbox, once a month for each authority. Set on /performance/reports/email
 * (returns:produce) for an authority the user works for; every change audited with the address before and after.
 */

export interface ReportMailbox {
  localAuthorityId: string;
  email: string | null;
  /** 0 while none has been saved (no row yet). */
  version: number;
  updatedAt: Date | null;
}

export async function mailboxOf(db: Db, localAuthorityId: string): Promise<ReportMailbox> {
  const row = await db
    .selectFrom('performanceReportSettings')
    .select(['leadershipEmail', 'version', 'updatedAt'])
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return {
    localAuthorityId,
    email: row?.leadershipEmail ?? null,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** The mailbox of the user's home authority (reports:view). */
export async function reportMailbox(ctx: ReadContext): Promise<ReportMailbox | null> {
  requirePermission(ctx.user, 'reports:view');
  const la = ctx.user.localAuthorityId ?? ctx.user.localAuthorityIds[0];
  return la ? mailboxOf(ctx.db, la) : null;
}

const CHANGED_MEANWHILE =
  'Someone else changed the leadership mailbox while you were editing it. Check it and save again.';

/** Sets (or, with null, clears) the authority's leadership mailbox; a stale version is a ConflictError. */
export async function saveReportMailbox(
  ctx: ServiceContext,
  input: { localAuthorityId: string; version: number; email: string | null },
): Promise<{ changed: boolean }> {
  requirePermission(ctx.user, 'returns:produce');
  if (!ctx.user.localAuthorityIds.includes(input.localAuthorityId))
    throw new BusinessRuleError('email', 'You can set the mailbox only for an authority you work for');
  const before = await mailboxOf(ctx.db, input.localAuthorityId);
  const email = input.email?.trim() || null;
  await saveVersioned(
    ctx.db,
    {
      table: 'performanceReportSettings',
      key: 'localAuthorityId',
      id: input.localAuthorityId,
      version: input.version,
      conflict: CHANGED_MEANWHILE,
    },
    { leadershipEmail: email, updatedAt: ctx.now, updatedBy: ctx.user.id },
  );
  if (before.email === email && before.version) return { changed: false };
  await recordChange(ctx, {
    audit: {
      action: 'performance-report-mailbox.changed',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: { before: before.email, after: email },
    },
  });
  return { changed: true };
}

/** The event key of a month's report email for an authority: one email per authority and month. */
export const reportEmailKey = (localAuthorityId: string, month: string) =>
  `performance-report:${localAuthorityId}:${month}`;

/**
 * Queues the month's report to the authority's leadership mailbox, in the caller's transaction (the one that keeps
 * the report). Nothing when no mailbox is set, or when the month's email was queued before. The email names no child:
 * fixed words, the authority and the month, and the report itself, which holds aggregate figures only.
 */
export async function queueReportEmail(
  trx: Transaction<DB>,
  input: {
    localAuthority: { id: string; name: string };
    month: string;
    filename: string;
    pdf: Buffer;
    now: Date;
  },
): Promise<boolean> {
  const { email } = await mailboxOf(trx, input.localAuthority.id);
  if (!email) return false;
  const month = monthName(input.month);
  return queueEmail(trx, {
    eventKey: reportEmailKey(input.localAuthority.id, input.month),
    kind: 'performance-report',
    to: email,
    subject: `Monthly performance report: ${month}`,
    text: [
      `The monthly performance report for ${input.localAuthority.name}, ${month}, is attached as a PDF.`,
      '',
      'It holds aggregate figures only: no child is named. The same figures, and the children behind each one for those who may see them, are on the performance pages in Threshold.',
    ].join('\n'),
    linkPath: '/performance/reports',
    attachment: { filename: input.filename, contentType: 'application/pdf', content: input.pdf },
    createdBy: null,
    now: input.now,
  });
}
