import { sql, type Kysely, type Transaction } from 'kysely';
import { bulkInsert, timedStatement } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';

/**
 * The people module's part of `threshold generate authority` (src/demo/generate-authority.ts): the pool of
 * generated children that contacts are about, case notes in bulk, and the census details a referred child's record
 * needs (a disability code, “No disability” when none, and the reason a school-age child's UPN is not known).
 */

export interface ChildPool {
  /** Children with a date of birth, oldest first. */
  ids: string[];
  dob: string[];
  localAuthorityId: string[];
}

/** Every generated child with a date of birth, ordered by date of birth (then name, so a seed gives the same order). */
export async function loadChildPool(db: Kysely<DB>): Promise<ChildPool> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'dateOfBirth', 'localAuthorityId'])
    .where('kind', '=', 'child')
    .where('dateOfBirth', 'is not', null)
    .where('dateOfDeath', 'is', null)
    .where('mergedIntoId', 'is', null)
    .orderBy('dateOfBirth')
    .orderBy('searchName')
    .orderBy('laChildId')
    .execute();
  return {
    ids: rows.map((r) => r.id),
    dob: rows.map((r) => r.dateOfBirth!),
    localAuthorityId: rows.map((r) => r.localAuthorityId),
  };
}

/**
 * Census details for children referred to social care (rules 8540 and 8770Q): “No disability” (NONE) for a child
 * with no disability recorded, and UN5 (“sources exhausted”) as the reason a UPN is not known for a child of
 * school age without one. `schoolAgeBornBy`: born on or before it = of school age for the current return.
 */
export async function completeCensusDetails(
  trx: Transaction<DB>,
  childIds: readonly string[],
  schoolAgeBornBy: string,
): Promise<void> {
  if (!childIds.length) return;
  await timedStatement('person_disabilities (census)', childIds.length, () =>
    sql`
    insert into person_disabilities (person_id, code)
    select u.c, 'NONE' from unnest(${childIds}::uuid[]) as u(c)
    where not exists (select 1 from person_disabilities d where d.person_id = u.c)
    on conflict do nothing`.execute(trx),
  );
  await timedStatement('people (census UPN reason)', childIds.length, () =>
    sql`
    update people set upn_unknown_reason = 'UN5'
    where id = any(${childIds}::uuid[]) and upn is null and upn_unknown_reason is null
      and date_of_birth <= ${schoolAgeBornBy}::date`.execute(trx),
  );
}

export interface GeneratedCaseNote {
  id: string;
  childId: string;
  noteType: 'visit' | 'phone-call' | 'meeting' | 'observation' | 'management-note';
  occurredOn: string;
  title: string;
  body: string;
  childSeen: boolean | null;
  recordedAt: Date;
  recordedBy: string;
}

export async function insertGeneratedCaseNotes(
  trx: Transaction<DB>,
  notes: readonly GeneratedCaseNote[],
): Promise<void> {
  await bulkInsert(
    trx,
    'case_notes',
    [
      ['id', 'uuid', (n: GeneratedCaseNote) => n.id],
      ['child_id', 'uuid', (n) => n.childId],
      ['note_type', 'text', (n) => n.noteType],
      ['occurred_on', 'date', (n) => n.occurredOn],
      ['title', 'text', (n) => n.title],
      ['body', 'text', (n) => n.body],
      ['child_seen', 'boolean', (n) => (n.noteType === 'visit' ? n.childSeen : null)],
      ['recorded_at', 'timestamptz', (n) => n.recordedAt],
      ['recorded_by', 'uuid', (n) => n.recordedBy],
      ['updated_at', 'timestamptz', (n) => n.recordedAt],
    ],
    notes,
  );
}
