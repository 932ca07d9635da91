import { sql, type Transaction } from 'kysely';
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
  'management-oversight',
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

/**
 * Many chronology entries in one statement, for the synthetic-data generators (loaded history, not live work):
 * INSERT … SELECT FROM unnest(arrays).
 */
export async function appendCaseEventsInBulk(
  trx: Transaction<DB>,
  rows: readonly CaseEventInput[],
): Promise<void> {
  if (!rows.length) return;
  const col = <T>(f: (r: CaseEventInput) => T) => rows.map(f);
  await sql`
    insert into case_events (child_id, occurred_at, recorded_at, recorded_by, category, title, summary, significant, source_type, source_id)
    select * from unnest(${col((r) => r.childId)}::uuid[], ${col((r) => r.occurredAt.toISOString())}::timestamptz[],
      ${col((r) => r.recordedAt.toISOString())}::timestamptz[], ${col((r) => r.recordedBy)}::uuid[],
      ${col((r) => r.category)}::text[], ${col((r) => r.title)}::text[], ${col((r) => r.summary ?? null)}::text[],
      ${col((r) => r.significant ?? false)}::boolean[], ${col((r) => r.sourceType ?? null)}::text[],
      ${col((r) => r.sourceId ?? null)}::uuid[])`.execute(trx);
}
