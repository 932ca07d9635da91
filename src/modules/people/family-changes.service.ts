import { sql } from 'kysely';
import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { compareIsoDates, formatDateGovUk, occurredOn } from '../../kernel/time/index.ts';
import {
  describeRelationship,
  displayName,
  PARENTAL_RESPONSIBILITY_KINDS,
  RELATIONSHIP_WORDS,
  type RelationshipKind,
} from './person.ts';
import { searchName } from './person-names.ts';
import { refreshNameKeys } from './person.repository.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type AuditPart,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Changing and ending what was recorded about a family: a relationship (its kind, dates, parental
 * responsibility), someone's membership of a household, and a person's other names. Nothing is deleted: an
 * ended relationship, membership or name keeps its end date (and reason) and stays in the family's history.
 * Each change is audited and appears in the chronology of every child it concerns.
 */

interface PersonBrief {
  id: string;
  kind: string;
  givenName: string;
  familyName: string;
  sex: string | null;
}

async function people(trx: Db, ids: string[]): Promise<Map<string, PersonBrief>> {
  const rows = await trx
    .selectFrom('people')
    .select(['id', 'kind', 'givenName', 'familyName', 'sex'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The writer must be able to change the record the page is on, and see the other person. */
async function requireWriteAndSee(ctx: ReadContext, viewerId: string, otherId: string) {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'child:write');
  await requireAccess(trx, user, 'write', [viewerId], now);
  const viewer = await trx
    .selectFrom('people')
    .select('mergedIntoId')
    .where('id', '=', viewerId)
    .executeTakeFirst();
  if (!viewer || viewer.mergedIntoId) throw new NotFoundError();
  if (otherId !== viewerId) await requireAccess(trx, user, 'read', [otherId], now);
}

/**
 * Records the change: its audit event, then one chronology entry for each child among these people (once each),
 * each in the words of that child's side of the change.
 */
async function recordFamilyChange(
  ctx: ServiceContext,
  audit: AuditPart,
  entries: { child: PersonBrief; title: string; summary?: string | null }[],
  base: { occurredAt: Date; sourceType: string; sourceId: string },
) {
  await recordChange(ctx, { audit });
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.child.kind !== 'child' || seen.has(e.child.id)) continue;
    seen.add(e.child.id);
    await recordChange(ctx, {
      chronology: {
        childIds: [e.child.id],
        category: 'record',
        title: e.title,
        summary: e.summary ?? null,
        ...base,
      },
    });
  }
}

/**
 * What a change names: the record the page is on (`personId`, the viewer: for a relationship, either side of it;
 * for a household, any member) and the relationship, membership or name being changed, as in the page's URL.
 */
export interface RelationshipRef {
  personId: string;
  relationshipId: string;
}
export interface MembershipRef {
  personId: string;
  membershipId: string;
}
export interface PersonNameRef {
  personId: string;
  nameId: string;
}

// --- Relationships ---

export interface RelationshipForChange {
  id: string;
  kind: string;
  fromDate: string | null;
  toDate: string | null;
  endReason: string | null;
  parentalResponsibility: boolean;
  livesWith: boolean;
  notes: string | null;
  version: number;
  /** The row's own direction: `related` is `person`'s `kind`. */
  person: PersonBrief & { name: string };
  related: PersonBrief & { name: string };
  /** Who the relationship is with, seen from the record the page is on. */
  otherName: string;
  relation: string;
}

/** A relationship of the person, for changing: 404 unless it is theirs and the user can change their record and see the other person. */
export async function loadRelationshipForChange(
  ctx: ReadContext,
  input: RelationshipRef,
): Promise<RelationshipForChange> {
  const { db: trx } = ctx;
  const { personId: viewerId, relationshipId } = input;
  const row = await trx
    .selectFrom('relationships')
    .selectAll()
    .where('id', '=', relationshipId)
    .where((eb) => eb.or([eb('personId', '=', viewerId), eb('relatedPersonId', '=', viewerId)]))
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  const viewpointIsPerson = row.personId === viewerId;
  const otherId = viewpointIsPerson ? row.relatedPersonId : row.personId;
  await requireWriteAndSee(ctx, viewerId, otherId);
  const byId = await people(trx, [row.personId, row.relatedPersonId]);
  const person = byId.get(row.personId)!;
  const related = byId.get(row.relatedPersonId)!;
  const other = viewpointIsPerson ? related : person;
  return {
    id: row.id,
    kind: row.kind,
    fromDate: row.fromDate,
    toDate: row.toDate,
    endReason: row.endReason,
    parentalResponsibility: row.parentalResponsibility,
    livesWith: row.livesWith,
    notes: row.notes,
    version: row.version,
    person: { ...person, name: displayName(person) },
    related: { ...related, name: displayName(related) },
    otherName: displayName(other),
    relation: describeRelationship(row.kind, viewpointIsPerson, other.sex),
  };
}

export interface ChangeRelationshipInput {
  kind: RelationshipKind;
  fromDate?: string | undefined;
  parentalResponsibility: boolean;
  notes?: string | undefined;
  version: number;
}

export async function changeRelationship(
  ctx: ServiceContext,
  input: ChangeRelationshipInput & RelationshipRef,
): Promise<{ changed: string[] }> {
  const { db: trx, now } = ctx;
  const r = await loadRelationshipForChange(ctx, input);
  if (r.version !== input.version) throw new ConflictError();
  if (input.parentalResponsibility && !PARENTAL_RESPONSIBILITY_KINDS.includes(input.kind)) {
    throw new BusinessRuleError(
      'parentalResponsibility',
      `A ${RELATIONSHIP_WORDS[input.kind].label.toLowerCase()} does not hold parental responsibility: change the relationship or the answer`,
    );
  }
  if (input.fromDate && r.toDate && compareIsoDates(input.fromDate, r.toDate) > 0) {
    throw new BusinessRuleError(
      'fromDate',
      `The date the relationship started must be on or before the date it ended (${formatDateGovUk(r.toDate)})`,
    );
  }
  if (input.kind !== r.kind && !r.toDate) {
    const duplicate = await trx
      .selectFrom('relationships')
      .select('id')
      .where('id', '<>', r.id)
      .where('kind', '=', input.kind)
      .where('toDate', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('personId', '=', r.person.id), eb('relatedPersonId', '=', r.related.id)]),
          eb.and([eb('personId', '=', r.related.id), eb('relatedPersonId', '=', r.person.id)]),
        ]),
      )
      .executeTakeFirst();
    if (duplicate) throw new BusinessRuleError('kind', 'This relationship is already recorded');
  }
  const next = {
    kind: input.kind,
    fromDate: input.fromDate ?? null,
    parentalResponsibility: input.parentalResponsibility,
    notes: input.notes ?? null,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== r[k]);
  if (!changed.length) return { changed };
  requireUpdated(
    await trx
      .updateTable('relationships')
      .set({ ...next, version: sql`version + 1` })
      .where('id', '=', r.id)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  const summary =
    input.kind !== r.kind
      ? `Was recorded as ${RELATIONSHIP_WORDS[r.kind as RelationshipKind]?.label.toLowerCase() ?? r.kind}`
      : null;
  await recordFamilyChange(
    ctx,
    {
      action: 'relationship.changed',
      subjectType: 'relationship',
      subjectId: r.id,
      childId: input.personId,
      details: {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, r[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    },
    [
      {
        child: r.person,
        title: `Relationship changed: ${describeRelationship(input.kind, true, r.related.sex)} – ${r.related.name}`,
        summary,
      },
      {
        child: r.related,
        title: `Relationship changed: ${describeRelationship(input.kind, false, r.person.sex)} – ${r.person.name}`,
        summary,
      },
    ],
    { occurredAt: now, sourceType: 'relationship', sourceId: r.id },
  );
  return { changed };
}

export interface EndInput {
  endDate: string;
  reason?: string | undefined;
}

export async function endRelationship(
  ctx: ServiceContext,
  input: EndInput & RelationshipRef & { version: number },
): Promise<void> {
  const { db: trx, now } = ctx;
  const r = await loadRelationshipForChange(ctx, input);
  if (r.version !== input.version) throw new ConflictError();
  if (r.toDate)
    throw new BusinessRuleError('endDate', `This relationship already ended on ${formatDateGovUk(r.toDate)}`);
  if (r.fromDate && compareIsoDates(input.endDate, r.fromDate) < 0) {
    throw new BusinessRuleError(
      'endDate',
      `The end date must be the same as or after the date the relationship started (${formatDateGovUk(r.fromDate)})`,
    );
  }
  requireUpdated(
    await trx
      .updateTable('relationships')
      .set({ toDate: input.endDate, endReason: input.reason ?? null, version: sql`version + 1` })
      .where('id', '=', r.id)
      .where('version', '=', input.version)
      .where('toDate', 'is', null)
      .executeTakeFirst(),
  );
  await recordFamilyChange(
    ctx,
    {
      action: 'relationship.ended',
      subjectType: 'relationship',
      subjectId: r.id,
      childId: input.personId,
      details: { endDate: input.endDate, reason: input.reason ?? null },
    },
    [
      {
        child: r.person,
        title: `Relationship ended: ${describeRelationship(r.kind, true, r.related.sex)} – ${r.related.name}`,
        summary: input.reason ?? null,
      },
      {
        child: r.related,
        title: `Relationship ended: ${describeRelationship(r.kind, false, r.person.sex)} – ${r.person.name}`,
        summary: input.reason ?? null,
      },
    ],
    { occurredAt: occurredOn(input.endDate, now), sourceType: 'relationship', sourceId: r.id },
  );
}

// --- Household membership ---

export interface MembershipForChange {
  id: string;
  householdId: string;
  householdName: string;
  fromDate: string | null;
  toDate: string | null;
  member: PersonBrief & { name: string };
  viewer: PersonBrief & { name: string };
}

/** A membership of a household the person belongs (or belonged) to: theirs, or another member's they may see. */
export async function loadMembershipForChange(
  ctx: ReadContext,
  input: MembershipRef,
): Promise<MembershipForChange> {
  const { db: trx } = ctx;
  const { personId: viewerId, membershipId } = input;
  const row = await trx
    .selectFrom('householdMembers as m')
    .innerJoin('households as h', 'h.id', 'm.householdId')
    .select(['m.id', 'm.householdId', 'm.personId', 'm.fromDate', 'm.toDate', 'h.name'])
    .where('m.id', '=', membershipId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('householdMembers as v')
          .select('v.id')
          .whereRef('v.householdId', '=', 'm.householdId')
          .where('v.personId', '=', viewerId),
      ),
    )
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  await requireWriteAndSee(ctx, viewerId, row.personId);
  const byId = await people(trx, [row.personId, viewerId]);
  const member = byId.get(row.personId)!;
  const viewer = byId.get(viewerId)!;
  return {
    id: row.id,
    householdId: row.householdId,
    householdName: row.name,
    fromDate: row.fromDate,
    toDate: row.toDate,
    member: { ...member, name: displayName(member) },
    viewer: { ...viewer, name: displayName(viewer) },
  };
}

export async function endHouseholdMembership(
  ctx: ServiceContext,
  input: EndInput & MembershipRef,
): Promise<void> {
  const { db: trx, now } = ctx;
  const m = await loadMembershipForChange(ctx, input);
  if (m.toDate)
    throw new BusinessRuleError(
      'endDate',
      `${m.member.name} already moved out on ${formatDateGovUk(m.toDate)}`,
    );
  if (m.fromDate && compareIsoDates(input.endDate, m.fromDate) < 0) {
    throw new BusinessRuleError(
      'endDate',
      `The date they moved out must be the same as or after the date they moved in (${formatDateGovUk(m.fromDate)})`,
    );
  }
  // A one-shot action: the expected state (not yet moved out) is checked in the UPDATE itself.
  requireUpdated(
    await trx
      .updateTable('householdMembers')
      .set({ toDate: input.endDate, endReason: input.reason ?? null })
      .where('id', '=', m.id)
      .where('toDate', 'is', null)
      .executeTakeFirst(),
  );
  const householdChildren = await trx
    .selectFrom('householdMembers as x')
    .innerJoin('people as p', 'p.id', 'x.personId')
    .select(['p.id', 'p.kind', 'p.givenName', 'p.familyName', 'p.sex'])
    .where('x.householdId', '=', m.householdId)
    .where('p.kind', '=', 'child')
    .where((eb) => eb.or([eb('x.toDate', 'is', null), eb('x.id', '=', m.id)]))
    .execute();
  await recordFamilyChange(
    ctx,
    {
      action: 'household-membership.ended',
      subjectType: 'household-membership',
      subjectId: m.id,
      childId: input.personId,
      details: {
        householdId: m.householdId,
        personId: m.member.id,
        endDate: input.endDate,
        reason: input.reason ?? null,
      },
    },
    [m.member, m.viewer, ...householdChildren].map((child) => ({
      child,
      title: `Moved out of the household: ${m.member.name} (${m.householdName})`,
      summary: input.reason ?? null,
    })),
    { occurredAt: occurredOn(input.endDate, now), sourceType: 'household-membership', sourceId: m.id },
  );
}

// --- Other names (aliases, previous names, known-as names) ---

export const OTHER_NAME_KINDS = ['alias', 'previous', 'known-as'] as const;
export type OtherNameKind = (typeof OTHER_NAME_KINDS)[number];
export const OTHER_NAME_LABELS: Record<OtherNameKind, string> = {
  alias: 'Alias',
  previous: 'Previous name',
  'known-as': 'Known as',
};

export async function loadPersonNameForChange(ctx: ReadContext, input: PersonNameRef) {
  const { personId, nameId } = input;
  await requireWriteAndSee(ctx, personId, personId);
  const row = await ctx.db
    .selectFrom('personNames')
    .select(['id', 'kind', 'givenName', 'familyName', 'fromDate', 'toDate', 'version'])
    .where('id', '=', nameId)
    .where('personId', '=', personId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

export interface ChangeNameInput {
  kind: OtherNameKind;
  givenName: string;
  familyName: string;
  fromDate?: string | undefined;
  toDate?: string | undefined;
  version: number;
}

/** Changes or ends (with the date they stopped using it) one of a person's other names. */
export async function changePersonName(
  ctx: ServiceContext,
  input: ChangeNameInput & PersonNameRef,
): Promise<{ changed: string[]; ended: boolean }> {
  const { db: trx, now } = ctx;
  const { personId } = input;
  const n = await loadPersonNameForChange(ctx, input);
  if (n.version !== input.version) throw new ConflictError();
  if (input.fromDate && input.toDate && compareIsoDates(input.toDate, input.fromDate) < 0) {
    throw new BusinessRuleError(
      'toDate',
      'The date they stopped using the name must be the same as or after the date they started using it',
    );
  }
  const next = {
    kind: input.kind,
    givenName: input.givenName,
    familyName: input.familyName,
    fromDate: input.fromDate ?? null,
    toDate: input.toDate ?? null,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== n[k]);
  if (!changed.length) return { changed, ended: false };
  const ended = !n.toDate && !!next.toDate;
  const savedName = await trx
    .updateTable('personNames')
    .set({
      ...next,
      searchName: searchName(input),
      version: sql`version + 1`,
    })
    .where('id', '=', n.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  requireUpdated(savedName);
  await refreshNameKeys(trx, personId);
  const person = (await people(trx, [personId])).get(personId)!;
  const label = OTHER_NAME_LABELS[input.kind];
  await recordFamilyChange(
    ctx,
    {
      action: ended ? 'person-name.ended' : 'person-name.changed',
      subjectType: 'person-name',
      subjectId: n.id,
      childId: personId,
      details: {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, n[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    },
    [
      {
        child: person,
        title: ended
          ? `${label} no longer used: ${input.givenName} ${input.familyName}`
          : `${label} changed: ${input.givenName} ${input.familyName}`,
        summary:
          changed.includes('givenName') || changed.includes('familyName')
            ? `Was ${n.givenName} ${n.familyName}`
            : null,
      },
    ],
    {
      occurredAt: ended && next.toDate ? occurredOn(next.toDate, now) : now,
      sourceType: 'person-name',
      sourceId: n.id,
    },
  );
  return { changed, ended };
}
