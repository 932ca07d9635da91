import { requireAccess, visibleTo } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { compareIsoDates, isoDateOf } from '../../kernel/time/index.ts';
import { buildGenogram, type GenogramPerson } from './genogram.ts';
import {
  describeAge,
  describeRelationship,
  displayName,
  kindLabel,
  PARENTAL_RESPONSIBILITY_KINDS,
  RELATIONSHIP_WORDS,
  relativeGeneration,
  type RelationshipKind,
} from './person.ts';
import { listAddresses } from './person.repository.ts';
import { loadWarningsFor, type Warning } from './warnings.ts';
import { createPerson, personInput } from './person.service.ts';
import { searchPeople } from './person-search.service.ts';
import {
  addHouseholdMember,
  createHousehold,
  currentHouseholdOf,
  householdsOf,
  insertRelationship,
  relationshipExists,
  relationshipsTouching,
} from './relationship.repository.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/** The child's family and network: relationships, households, and the family diagram. */

export interface AddRelationshipInput {
  personId: string;
  /** An existing person, or the details of someone new. */
  relatedPersonId?: string | undefined;
  newPerson?:
    | {
        kind: 'adult' | 'child';
        givenName: string;
        familyName: string;
        dateOfBirth?: string | undefined;
        sex?: 'M' | 'F' | 'U' | undefined;
      }
    | undefined;
  /** What the related person is to the person. */
  kind: RelationshipKind;
  fromDate?: string | undefined;
  parentalResponsibility: boolean;
  livesWith: boolean;
  notes?: string | undefined;
}

export async function addRelationship(
  ctx: ServiceContext,
  input: AddRelationshipInput,
): Promise<{ relationshipId: string; relatedPersonId: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'child:write');
  await requireAccess(trx, user, 'write', [input.personId], now);
  const today = isoDateOf(now);
  const person = await trx
    .selectFrom('people')
    .select(['id', 'kind', 'givenName', 'familyName', 'localAuthorityId', 'mergedIntoId', 'sex'])
    .where('id', '=', input.personId)
    .executeTakeFirstOrThrow();
  if (person.mergedIntoId) throw new NotFoundError();
  let relatedId = input.relatedPersonId;
  if (!relatedId) {
    if (!input.newPerson)
      throw new BusinessRuleError('relatedPersonId', 'Select who they are related to, or add someone new');
    const created = await createPerson(
      ctx,
      personInput({
        kind: input.newPerson.kind,
        localAuthorityId: person.localAuthorityId,
        givenName: input.newPerson.givenName,
        familyName: input.newPerson.familyName,
        dateOfBirth: input.newPerson.dateOfBirth,
        sex: input.newPerson.sex,
      }),
    );
    relatedId = created.id;
  } else {
    if (relatedId === input.personId)
      throw new BusinessRuleError('relatedPersonId', 'A person cannot be related to themselves');
    try {
      await requireAccess(trx, user, 'read', [relatedId], now);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new BusinessRuleError('relatedPersonId', 'Select someone from the list');
      throw error;
    }
    const merged = await trx
      .selectFrom('people')
      .select('mergedIntoId')
      .where('id', '=', relatedId)
      .executeTakeFirstOrThrow();
    if (merged.mergedIntoId)
      throw new BusinessRuleError(
        'relatedPersonId',
        'That record has been merged into another: select the other record',
      );
    if (await relationshipExists(trx, input.personId, relatedId, input.kind)) {
      throw new BusinessRuleError('kind', 'This relationship is already recorded');
    }
  }
  if (input.parentalResponsibility && !PARENTAL_RESPONSIBILITY_KINDS.includes(input.kind)) {
    throw new BusinessRuleError(
      'parentalResponsibility',
      `A ${RELATIONSHIP_WORDS[input.kind].label.toLowerCase()} does not hold parental responsibility: change the relationship or the answer`,
    );
  }
  const relationshipId = await insertRelationship(trx, {
    personId: input.personId,
    relatedPersonId: relatedId,
    kind: input.kind,
    fromDate: input.fromDate ?? null,
    parentalResponsibility: input.parentalResponsibility,
    livesWith: input.livesWith,
    notes: input.notes ?? null,
    createdBy: user.id,
  });
  if (input.livesWith) {
    let householdId = await currentHouseholdOf(trx, input.personId);
    if (!householdId) {
      const address = (await listAddresses(trx, input.personId)).find((a) => !a.toDate);
      householdId = await createHousehold(trx, {
        localAuthorityId: person.localAuthorityId,
        name: `${person.familyName} household`,
        addressLine1: address?.line1 ?? null,
        postcode: address?.postcode ?? null,
        createdBy: user.id,
      });
      await addHouseholdMember(trx, {
        householdId,
        personId: input.personId,
        fromDate: null,
        createdBy: user.id,
      });
    }
    await addHouseholdMember(trx, {
      householdId,
      personId: relatedId,
      fromDate: input.fromDate ?? today,
      createdBy: user.id,
    });
  }
  const related = await trx
    .selectFrom('people')
    .select(['id', 'kind', 'givenName', 'familyName', 'sex'])
    .where('id', '=', relatedId)
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'relationship.added',
      subjectType: 'relationship',
      subjectId: relationshipId,
      childId: input.personId,
      details: { kind: input.kind, relatedPersonId: relatedId, livesWith: input.livesWith },
    },
  });
  // Each child's chronology names the other person, in the words of its own side of the relationship.
  const sides = [
    { child: person, viewpointIsPerson: true, other: related },
    { child: related, viewpointIsPerson: false, other: person },
  ];
  for (const { child, viewpointIsPerson, other } of sides) {
    if (child.kind !== 'child') continue;
    await recordChange(ctx, {
      chronology: {
        childIds: [child.id],
        category: 'record',
        title: `${describeRelationship(input.kind, viewpointIsPerson, other.sex)} added to the family network: ${displayName(other)}`,
        sourceType: 'relationship',
        sourceId: relationshipId,
      },
    });
  }
  return { relationshipId, relatedPersonId: relatedId };
}

export interface FamilyMember {
  id: string;
  relationshipId: string;
  endReason: string | null;
  name: string;
  kind: string;
  kindLabel: string;
  relation: string;
  relationshipKind: string;
  dateOfBirth: string | null;
  age: string;
  sex: string | null;
  deceased: boolean;
  current: boolean;
  fromDate: string | null;
  toDate: string | null;
  parentalResponsibility: boolean;
  livesWith: boolean;
  notes: string | null;
  warnings: Warning[];
  generation: number | null;
}

/** Everyone linked to the person that the user may see, their households, and the family diagram. */
export async function loadFamily(ctx: ReadContext, personId: string) {
  const { db: trx, user, now } = ctx;
  await requireAccess(trx, user, 'read', [personId], now);
  const today = isoDateOf(now);
  const subject = await trx
    .selectFrom('people')
    .selectAll()
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const rels = await relationshipsTouching(trx, [personId]);
  const otherIds = [...new Set(rels.map((r) => (r.personId === personId ? r.relatedPersonId : r.personId)))];
  const visible = otherIds.length
    ? await trx
        .selectFrom('people')
        .select([
          'id',
          'kind',
          'givenName',
          'familyName',
          'dateOfBirth',
          'expectedDateOfBirth',
          'dateOfDeath',
          'sex',
          'professionalRole',
        ])
        .where('id', 'in', otherIds)
        .where('mergedIntoId', 'is', null)
        .where(visibleTo(user, now, 'people.id'))
        .execute()
    : [];
  const byId = new Map(visible.map((p) => [p.id, p]));
  const warnings = await loadWarningsFor(trx, [...byId.keys()], today);
  const members: FamilyMember[] = [];
  for (const r of rels) {
    const viewpointIsPerson = r.personId === personId;
    const other = byId.get(viewpointIsPerson ? r.relatedPersonId : r.personId);
    if (!other) continue;
    // An end date is the relationship's last day: ended today shows as ended.
    const current = !r.toDate || compareIsoDates(r.toDate, today) > 0;
    const generation =
      r.kind === 'professional-involved' ||
      r.kind === 'significant-other' ||
      r.kind === 'household-member' ||
      r.kind === 'extended-family'
        ? null
        : relativeGeneration(r.kind, viewpointIsPerson);
    members.push({
      id: other.id,
      relationshipId: r.id,
      endReason: r.endReason,
      name: displayName(other),
      kind: other.kind,
      kindLabel: kindLabel(other),
      relation:
        describeRelationship(r.kind, viewpointIsPerson, other.sex) +
        (other.professionalRole ? ` (${other.professionalRole})` : ''),
      relationshipKind: r.kind,
      dateOfBirth: other.dateOfBirth,
      age: describeAge(other.dateOfBirth, today, other.dateOfDeath),
      sex: other.sex,
      deceased: !!other.dateOfDeath,
      current,
      fromDate: r.fromDate,
      toDate: r.toDate,
      parentalResponsibility: viewpointIsPerson && r.parentalResponsibility,
      livesWith: r.livesWith,
      notes: r.notes,
      warnings: warnings.get(other.id) ?? [],
      generation,
    });
  }
  members.sort(
    (a, b) =>
      (a.generation ?? 9) - (b.generation ?? 9) ||
      (a.dateOfBirth ?? '9999').localeCompare(b.dateOfBirth ?? '9999') ||
      a.name.localeCompare(b.name),
  );

  const householdRows = await householdsOf(trx, [personId]);
  const names = new Map<string, string>([
    [personId, displayName(subject)],
    ...[...byId.values()].map((p) => [p.id, displayName(p)] as [string, string]),
  ]);
  const households = new Map<
    string,
    {
      id: string;
      name: string;
      address: string;
      current: boolean;
      members: {
        id: string;
        membershipId: string;
        name: string;
        current: boolean;
        you: boolean;
        fromDate: string | null;
        toDate: string | null;
        endReason: string | null;
      }[];
    }
  >();
  for (const h of householdRows) {
    const entry = households.get(h.householdId) ?? {
      id: h.householdId,
      name: h.name,
      address: [h.addressLine1, h.postcode].filter(Boolean).join(', '),
      current: false,
      members: [],
    };
    const name = names.get(h.personId);
    const current = !h.toDate;
    if (h.personId === personId && current) entry.current = true;
    if (name)
      entry.members.push({
        id: h.personId,
        membershipId: h.membershipId,
        name,
        current,
        you: h.personId === personId,
        fromDate: h.fromDate,
        toDate: h.toDate,
        endReason: h.endReason,
      });
    households.set(h.householdId, entry);
  }

  const parentsKinds = new Set(['parent']);
  const parentIds = new Set(
    members.filter((m) => parentsKinds.has(m.relationshipKind) && m.generation === -1).map((m) => m.id),
  );
  const genogramPeople: GenogramPerson[] = members
    .filter((m) => m.current)
    .map((m) => ({
      id: m.id,
      name: m.name,
      sex: m.sex,
      ageText: m.age,
      deceased: m.deceased,
      relation: m.relation,
      generation: m.generation,
      ...(m.generation === 0
        ? {
            siblingKind:
              m.relationshipKind === 'sibling'
                ? ('full' as const)
                : m.relationshipKind === 'half-sibling'
                  ? ('half' as const)
                  : ('step' as const),
          }
        : {}),
      livesWith: m.livesWith,
    }));
  const genogram = buildGenogram(
    {
      id: subject.id,
      name: displayName(subject),
      sex: subject.sex,
      ageText: describeAge(subject.dateOfBirth, today, subject.dateOfDeath),
      deceased: !!subject.dateOfDeath,
      relation: '',
      generation: 0,
      livesWith: false,
    },
    genogramPeople,
  );
  return { members, households: [...households.values()], genogram, hasParents: parentIds.size > 0 };
}

/** People the user could link to this person: a name search over visible records, for the relationship form. */
export async function findPeopleToLink(ctx: ReadContext, input: { personId: string; name: string }) {
  return searchPeople(ctx, { name: input.name }, { excludeIds: [input.personId], maxResults: 20 });
}
