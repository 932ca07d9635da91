import { sql } from 'kysely';
import type { PeopleRow } from '../../db/schema.ts';
import { decideRecordAccess, requireAccess } from '../../kernel/access/index.ts';
import { formatNhsNumber } from '../../kernel/identifiers/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { describeAge, displayName, kindLabel } from './person.ts';
import { addPersonName, listAddresses, refreshNameKeys } from './person.repository.ts';

import {
  columnsReferencingPeople,
  keysOn,
  partialKeyConflicts,
  repoint,
  uniqueConstraintsOnPeopleColumns,
  type ForeignKeyColumn,
} from './person-merge.repository.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Merging two records of the same person. The duplicate is kept, marked as merged into the other, and
 * hidden from searches and lists; every row in every table that references it (found from the database
 * catalogue, so tables added later by other modules are included) is re-pointed to the kept record, so
 * both histories end up on one record. Where the kept record already has the same row (a unique
 * constraint, e.g. the same disability code or membership of the same episode), the duplicate's row
 * stays on the merged record rather than being deleted. Work that a child can only have one of at a time
 * (an open CIN episode, early help episode, child protection or child in need plan, or anything else a partial
 * unique index says) cannot be open on both records: the merge is refused, naming what to close first. The merge is recorded in person_merges (who, when, why, what moved)
 * and shown on both records; both records' audit trails get an entry.
 */

/** Columns a merge must not re-point: the merge's own record of what was merged. */
export const MERGE_EXCLUDED_COLUMNS: readonly string[] = [
  'person_merges.kept_person_id',
  'person_merges.merged_person_id',
];

/** Fields the kept record takes from the duplicate when it has none of its own. */
const FILLABLE = [
  'knownAs',
  'dateOfBirth',
  'expectedDateOfBirth',
  'dateOfDeath',
  'genderIdentity',
  'ethnicityCode',
  'firstLanguage',
  'religion',
  'immigrationStatus',
  'nhsNumber',
  'upn',
  'formerUpn',
  'upnUnknownReason',
  'phone',
  'email',
  'gpPractice',
  'school',
  'agencyId',
  'professionalRole',
] as const;

async function hasWriteGrant(trx: Db, userId: string, personId: string, now: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('recordGrants')
    .select('id')
    .where('childId', '=', personId)
    .where('userId', '=', userId)
    .where('access', '=', 'write')
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .executeTakeFirst();
  return !!row;
}

export interface MergeRefusal {
  field: 'otherPersonId';
  message: string;
}

/**
 * Why two records cannot be merged by this user, or null when they can. The field is the other record's.
 * Records the user may not see answer "No record found" (the same as a record that does not exist).
 */
export async function mergeRefusal(
  ctx: ReadContext,
  input: { thisId: string; otherId: string },
  options: { openWork?: boolean } = {},
): Promise<MergeRefusal | null> {
  const { db: trx, user, now } = ctx;
  const { thisId, otherId } = input;
  const refuse = (message: string): MergeRefusal => ({ field: 'otherPersonId', message });
  if (thisId === otherId)
    return refuse('You cannot merge a record into itself: choose the other record of this person');
  const decisions = await decideRecordAccess(trx, user, [thisId, otherId], now);
  const other = decisions.get(otherId);
  if (!other?.exists || !other.read) return refuse('No record found: check the record and try again');
  if (!other.write || !decisions.get(thisId)?.write)
    return refuse('You cannot change one of these records, so you cannot merge them');
  const rows = await trx.selectFrom('people').selectAll().where('id', 'in', [thisId, otherId]).execute();
  const a = rows.find((r) => r.id === thisId)!;
  const b = rows.find((r) => r.id === otherId)!;
  if (a.mergedIntoId || b.mergedIntoId)
    return refuse('One of these records has already been merged into another record');
  for (const p of [a, b]) {
    if (p.restricted && !(await hasWriteGrant(trx, user.id, p.id, now))) {
      return refuse(
        `${displayName(p)}${p.laChildId ? ` (${p.laChildId})` : ''} is a restricted record: you need a named grant to it before you can merge it. Ask the manager responsible for the record to give you access`,
      );
    }
  }
  if (a.kind !== b.kind)
    return refuse(
      'Only records of the same kind can be merged: one of these is a child and the other is not',
    );
  if (a.nhsNumber && b.nhsNumber && a.nhsNumber !== b.nhsNumber)
    return refuse('These records have different NHS numbers, so they are not the same person');
  if (options.openWork === false) return null;
  const open = await openOnBoth(trx, thisId, otherId);
  if (open.length) return refuse(openOnBothMessage(open));
  return null;
}

function openOnBothMessage(open: readonly string[]): string {
  return `Both records have ${open.join('; ')}. A child can only have one of each open at a time, so close or end one of them first (usually on the record you will not keep), then merge the records`;
}

/** What a partial unique index on a table means, for the reason a merge is refused. */
const OPEN_ONLY_ONCE: Record<string, string> = {
  cp_plans: 'an open child protection plan',
  cin_plans: 'an open child in need plan',
};

/**
 * Work that can only be open once for a child and is open on both records: an open children in need
 * episode, early help episode (different ones), and every partial unique key on a column referencing people
 * (found from the catalogue: "one open child protection plan per child", and any added later) that the two
 * records' rows would break. Each is described for the refusal.
 */
export async function openOnBoth(trx: Db, aId: string, bId: string): Promise<string[]> {
  const found: string[] = [];
  const episodes = await trx
    .selectFrom('cinEpisodes')
    .select(['childId', 'reference'])
    .where('childId', 'in', [aId, bId])
    .where('closureDate', 'is', null)
    .orderBy('reference')
    .execute();
  const cinA = episodes.filter((e) => e.childId === aId).map((e) => e.reference);
  const cinB = episodes.filter((e) => e.childId === bId).map((e) => e.reference);
  if (cinA.length && cinB.length)
    found.push(`an open children in need episode (${cinA.join(', ')} and ${cinB.join(', ')})`);
  const earlyHelp = await trx
    .selectFrom('earlyHelpEpisodeChildren as c')
    .innerJoin('earlyHelpEpisodes as e', 'e.id', 'c.episodeId')
    .select(['c.childId', 'e.id', 'e.reference'])
    .where('c.childId', 'in', [aId, bId])
    .where('e.status', '=', 'open')
    .orderBy('e.reference')
    .execute();
  const ehA = earlyHelp.filter((e) => e.childId === aId);
  const ehB = earlyHelp.filter((e) => e.childId === bId);
  if (ehA.length && ehB.length && new Set(earlyHelp.map((e) => e.id)).size > 1)
    found.push(
      `an open early help episode (${ehA.map((e) => e.reference).join(', ')} and ${ehB.map((e) => e.reference).join(', ')})`,
    );
  const uniques = await uniqueConstraintsOnPeopleColumns(trx);
  for (const fk of await columnsReferencingPeople(trx)) {
    if (MERGE_EXCLUDED_COLUMNS.includes(`${fk.table}.${fk.column}`)) continue;
    for (const { key } of await partialKeyConflicts(trx, fk, bId, aId, keysOn(uniques, fk))) {
      const what =
        OPEN_ONLY_ONCE[key.table] ??
        `a ${key.table.replace(/_/g, ' ')} record that a person can only have one of (${key.constraint}: ${key.predicate})`;
      if (!found.includes(what)) found.push(what);
    }
  }
  return found;
}

export interface MergeResult {
  mergeId: string;
  moved: Record<string, number>;
  /** Rows the kept record already had an equivalent of (a unique constraint): left on the merged record. */
  leftOnMergedRecord: Record<string, number>;
}

/**
 * Merges two records of one person: `thisId` (the record the user started from) and `otherId`, keeping
 * whichever `keep` says. Needs 'person:merge' and write access to both; restricted records need a named
 * grant. Throws BusinessRuleError with the reason when refused.
 */
export async function mergePeople(
  ctx: ServiceContext,
  input: { thisId: string; otherId: string; keep: 'this' | 'other'; reason: string },
): Promise<MergeResult> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'person:merge');
  // Open work on both records is checked once both are locked, below.
  const refusal = await mergeRefusal(ctx, input, { openWork: false });
  if (refusal) throw new BusinessRuleError(refusal.field, refusal.message);
  const keepId = input.keep === 'this' ? input.thisId : input.otherId;
  const mergeId = input.keep === 'this' ? input.otherId : input.thisId;
  // Lock both rows (in id order, so two merges of the same pair cannot deadlock).
  const locked = await trx
    .selectFrom('people')
    .selectAll()
    .where('id', 'in', [keepId, mergeId])
    .orderBy('id')
    .forUpdate()
    .execute();
  const kept = locked.find((r) => r.id === keepId)!;
  const merged = locked.find((r) => r.id === mergeId)!;
  // Checked again now both records are locked and before anything changes: work may have opened meanwhile.
  if (kept.mergedIntoId || merged.mergedIntoId)
    throw new BusinessRuleError(
      'otherPersonId',
      'One of these records has already been merged into another record',
    );
  const open = await openOnBoth(trx, keepId, mergeId);
  if (open.length) throw new BusinessRuleError('otherPersonId', openOnBothMessage(open));

  const moved: Record<string, number> = {};
  const removed: Record<string, number> = {};
  removed.relationshipsBetweenThem = Number(
    (
      await trx
        .deleteFrom('relationships')
        .where((eb) =>
          eb.or([
            eb.and([eb('personId', '=', keepId), eb('relatedPersonId', '=', mergeId)]),
            eb.and([eb('personId', '=', mergeId), eb('relatedPersonId', '=', keepId)]),
          ]),
        )
        .executeTakeFirst()
    ).numDeletedRows,
  );
  removed.duplicateHouseholdMemberships = Number(
    (
      await trx
        .deleteFrom('householdMembers')
        .where('personId', '=', mergeId)
        .where('householdId', 'in', (eb) =>
          eb.selectFrom('householdMembers').select('householdId').where('personId', '=', keepId),
        )
        .executeTakeFirst()
    ).numDeletedRows,
  );

  // Every column that references people, found in the catalogue (so other modules' tables are included);
  // a row that would break a unique constraint (the kept record already has it) stays on the merged record.
  // Partial keys (one open plan per child) only hold back rows matching their predicate, and mergeRefusal()
  // has already refused the merge if any would: so every plan, open or closed, follows its episode.
  const columns: ForeignKeyColumn[] = (await columnsReferencingPeople(trx)).filter(
    (c) => !MERGE_EXCLUDED_COLUMNS.includes(`${c.table}.${c.column}`),
  );
  const uniques = await uniqueConstraintsOnPeopleColumns(trx);
  const leftOnMergedRecord: Record<string, number> = {};
  for (const fk of columns) {
    const { moved: n, kept: left } = await repoint(trx, fk, mergeId, keepId, keysOn(uniques, fk));
    if (n) moved[`${fk.table}.${fk.column}`] = n;
    if (left) leftOnMergedRecord[`${fk.table}.${fk.column}`] = left;
  }
  // The same relationship recorded on both records is now there twice: keep the first.
  const { numAffectedRows } = await sql`
    delete from relationships r using relationships r2
    where r.person_id = r2.person_id and r.related_person_id = r2.related_person_id and r.kind = r2.kind
      and (r.created_at, r.id) > (r2.created_at, r2.id)
      and (r.person_id = ${keepId} or r.related_person_id = ${keepId})`.execute(trx);
  removed.duplicateRelationships = Number(numAffectedRows ?? 0);

  // Fill gaps on the kept record from the duplicate; keep the duplicate's name as an alias.
  const fill: Partial<Record<(typeof FILLABLE)[number], unknown>> = {};
  for (const f of FILLABLE) {
    if ((kept as Record<string, unknown>)[f] === null && (merged as Record<string, unknown>)[f] !== null)
      fill[f] = (merged as Record<string, unknown>)[f];
  }
  if (kept.upn && merged.upn && kept.upn !== merged.upn && !kept.formerUpn) fill.formerUpn = merged.upn;
  if (fill.upn || fill.nhsNumber) {
    // Identifiers move: the duplicate gives them up (they are unique to one live record).
    await trx
      .updateTable('people')
      .set({ ...(fill.upn ? { upn: null } : {}), ...(fill.nhsNumber ? { nhsNumber: null } : {}) })
      .where('id', '=', mergeId)
      .execute();
  }
  const sexFill =
    (!kept.sex || kept.sex === 'U') && merged.sex && merged.sex !== 'U' ? { sex: merged.sex } : {};
  const restricted = kept.restricted || merged.restricted;
  await trx
    .updateTable('people')
    .set({
      ...(fill as Partial<PeopleRow>),
      ...sexFill,
      interpreterNeeded: kept.interpreterNeeded || merged.interpreterNeeded,
      unaccompaniedAsylumSeeking: kept.unaccompaniedAsylumSeeking || merged.unaccompaniedAsylumSeeking,
      restricted,
      restrictionReason: restricted
        ? [kept.restrictionReason, merged.restrictionReason].filter(Boolean).join('; ') || null
        : null,
      updatedAt: now,
      version: sql`version + 1`,
    })
    .where('id', '=', keepId)
    .execute();
  await trx
    .updateTable('people')
    .set({ mergedIntoId: keepId, mergedAt: now, updatedAt: now, version: sql`version + 1` })
    .where('id', '=', mergeId)
    .execute();
  if (displayName(kept).toLowerCase() !== displayName(merged).toLowerCase()) {
    await addPersonName(trx, {
      personId: keepId,
      kind: 'alias',
      givenName: merged.givenName,
      familyName: merged.familyName,
    });
  } else {
    await refreshNameKeys(trx, keepId);
  }

  const details = {
    moved,
    removed,
    leftOnMergedRecord,
    fieldsCopied: [...Object.keys(fill), ...Object.keys(sexFill)],
    mergedName: displayName(merged),
    mergedLaChildId: merged.laChildId,
    keptName: displayName(kept),
    keptLaChildId: kept.laChildId,
  };
  const merge = await trx
    .insertInto('personMerges')
    .values({
      keptPersonId: keepId,
      mergedPersonId: mergeId,
      reason: input.reason,
      details: JSON.stringify(details),
      mergedAt: now,
      mergedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const childId of [keepId, mergeId]) {
    await recordChange(ctx, {
      audit: {
        action: 'person.merged',
        subjectType: 'person-merge',
        subjectId: merge.id,
        childId,
        details: { keptPersonId: keepId, mergedPersonId: mergeId, moved, removed, leftOnMergedRecord },
      },
    });
  }
  if (kept.kind === 'child') {
    await recordChange(ctx, {
      chronology: {
        childIds: [keepId],
        category: 'record',
        title: `Duplicate record merged into this one: ${displayName(merged)}${merged.laChildId ? ` (${merged.laChildId})` : ''}`,
        summary: input.reason,
        sourceType: 'person-merge',
        sourceId: merge.id,
      },
    });
  }
  return { mergeId: merge.id, moved, leftOnMergedRecord };
}

/**
 * One record as the merge page compares it with the other: who the person is, their current address and how much
 * history each record holds. The user needs person:merge and must be able to read the record.
 */
export async function mergeComparison(ctx: ReadContext, id: string) {
  requirePermission(ctx.user, 'person:merge');
  await requireAccess(ctx.db, ctx.user, 'read', [id], ctx.now);
  const today = isoDateOf(ctx.now);
  const p = await ctx.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const address = (await listAddresses(ctx.db, id)).find((a) => !a.toDate);
  const [notes, docs, events, rels] = await Promise.all([
    ctx.db
      .selectFrom('caseNotes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('childId', '=', id)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('personId', '=', id)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('caseEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('childId', '=', id)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('relationships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('personId', '=', id), eb('relatedPersonId', '=', id)]))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    id: p.id,
    name: `${p.givenName} ${p.familyName}`,
    kindLabel: kindLabel(p),
    laChildId: p.laChildId,
    dateOfBirth: p.dateOfBirth,
    age: describeAge(p.dateOfBirth, today, p.dateOfDeath),
    nhsNumber: p.nhsNumber ? formatNhsNumber(p.nhsNumber) : null,
    upn: p.upn,
    address: address ? [address.line1, address.town, address.postcode].filter(Boolean).join(', ') : null,
    restricted: p.restricted,
    createdAt: p.createdAt,
    counts: {
      caseNotes: Number(notes.n),
      documents: Number(docs.n),
      chronology: Number(events.n),
      relationships: Number(rels.n),
    },
  };
}

export type MergeComparison = Awaited<ReturnType<typeof mergeComparison>>;

/**
 * The id of the record with an LA child ID (as typed, in any case), or null: how the merge page finds the other record
 * when the user types its LA child ID. Whether the user may see it is mergeRefusal's to say ("No record found").
 */
export async function personIdByLaChildId(ctx: ReadContext, laChildId: string): Promise<string | null> {
  requirePermission(ctx.user, 'person:merge');
  const row = await ctx.db
    .selectFrom('people')
    .select('id')
    .where('laChildId', '=', laChildId.toUpperCase())
    .executeTakeFirst();
  return row?.id ?? null;
}
