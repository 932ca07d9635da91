import type { Transaction } from 'kysely';
import type { DB, JsonValue } from '../../db/schema.ts';
import { auditActor, type CurrentUser } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { appendCaseEvent, type CaseEventCategory } from '../../kernel/case-events/index.ts';
import { instantAt } from '../../kernel/time/index.ts';

type Trx = Transaction<DB>;

/**
 * Every step of early help goes into each child's chronology (what happened in their life and our work with them)
 * and the audit trail (who did it), in the caller's transaction.
 */
export async function chronicle(
  trx: Trx,
  user: CurrentUser | null,
  input: {
    episodeId: string;
    childIds: readonly string[];
    title: string;
    summary?: string | null;
    category?: CaseEventCategory;
    significant?: boolean;
    /** The day it happened, when not today (e.g. a meeting held last week). */
    occurredOn?: string | null;
    sourceType?: string;
    sourceId?: string;
  },
  now: Date,
): Promise<void> {
  const occurredAt = input.occurredOn ? instantAt(input.occurredOn, '12:00') : now;
  for (const childId of input.childIds) {
    await appendCaseEvent(trx, {
      childId,
      occurredAt: occurredAt.getTime() > now.getTime() ? now : occurredAt,
      recordedAt: now,
      recordedBy: user?.id ?? null,
      category: input.category ?? 'early-help',
      title: input.title,
      summary: input.summary ?? null,
      significant: input.significant ?? false,
      sourceType: input.sourceType ?? 'early-help-episode',
      sourceId: input.sourceId ?? input.episodeId,
    });
  }
}

export async function audit(
  trx: Trx,
  user: CurrentUser,
  input: {
    action: string;
    episodeId: string;
    childId?: string | null;
    subjectType?: string;
    subjectId?: string;
    details?: Record<string, JsonValue | undefined>;
  },
  now: Date,
): Promise<void> {
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: input.action,
    subjectType: input.subjectType ?? 'early-help-episode',
    subjectId: input.subjectId ?? input.episodeId,
    childId: input.childId ?? null,
    occurredAt: now,
    details: { episodeId: input.episodeId, ...(input.details ?? {}) },
  });
}
