import type { JsonValue } from '../../db/schema.ts';
import type { CaseEventCategory } from '../../kernel/case-events/index.ts';
import type { AuditPart, ChronologyPart } from '../../kernel/service/index.ts';
import { instantAt } from '../../kernel/time/index.ts';

/**
 * Every step of early help goes into each child's chronology (what happened in their life and our work with them)
 * and the audit trail (who did it), through recordChange in the caller's transaction. These build its parts the
 * way early help records them: about the episode unless said otherwise, and with the episode in the audit details.
 * They write nothing.
 */

/** The chronology part: one entry per child, 'early-help' and about the episode unless said otherwise. */
export function episodeChronology(input: {
  episodeId: string;
  childIds: readonly string[];
  title: string;
  summary?: string | null;
  category?: CaseEventCategory;
  significant?: boolean;
  /** The day it happened, when not today (e.g. a meeting held last week): noon that day, never later than now. */
  occurredOn?: string | null;
  sourceType?: string;
  sourceId?: string;
}): ChronologyPart {
  return {
    childIds: input.childIds,
    category: input.category ?? 'early-help',
    title: input.title,
    summary: input.summary ?? null,
    significant: input.significant ?? false,
    ...(input.occurredOn ? { occurredAt: instantAt(input.occurredOn, '12:00') } : {}),
    sourceType: input.sourceType ?? 'early-help-episode',
    sourceId: input.sourceId ?? input.episodeId,
  };
}

/** The audit part: about the episode unless said otherwise, with `episodeId` in the details. */
export function episodeAudit(input: {
  action: string;
  episodeId: string;
  childId?: string | null | undefined;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, JsonValue | undefined>;
}): AuditPart {
  return {
    action: input.action,
    subjectType: input.subjectType ?? 'early-help-episode',
    subjectId: input.subjectId ?? input.episodeId,
    childId: input.childId ?? null,
    details: { episodeId: input.episodeId, ...(input.details ?? {}) },
  };
}
