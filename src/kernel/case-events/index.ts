import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * The child's chronology: what happened in the child's life and in our work with them. A practitioner-
 * facing stream, appended by services in the same transaction as the work, shown on the child's record.
 * (Who saw or changed the record is the audit trail's job, not this.)
 */
export const CASE_EVENT_CATEGORIES = [
  'record',
  'contact',
  'referral',
  'decision',
  'assessment',
  'plan',
  'review',
  'meeting',
  'visit',
  'case-note',
  'document',
  'allocation',
  'closure',
  'early-help',
  'social-care',
  'other',
] as const;
export type CaseEventCategory = (typeof CASE_EVENT_CATEGORIES)[number];

export interface CaseEventInput {
  childId: string;
  occurredAt: Date;
  recordedAt: Date;
  recordedBy: string | null;
  category: CaseEventCategory;
  title: string;
  summary?: string | null;
  significant?: boolean;
  sourceType?: string | null;
  sourceId?: string | null;
}

export async function appendCaseEvent(trx: Transaction<DB>, input: CaseEventInput): Promise<string> {
  const row = await trx
    .insertInto('caseEvents')
    .values({
      childId: input.childId,
      occurredAt: input.occurredAt,
      recordedAt: input.recordedAt,
      recordedBy: input.recordedBy,
      category: input.category,
      title: input.title,
      summary: input.summary ?? null,
      significant: input.significant ?? false,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
