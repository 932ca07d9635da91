import { sql } from 'kysely';
import type { PeopleRow } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { formatNhsNumber } from '../../kernel/identifiers/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { runPersonChangeChecks } from './change-checks.ts';
import type { EditPersonForm, NewPersonForm } from './person.schemas.ts';
import { describeAge, displayName, isUnborn, kindLabel } from './person.ts';
import {
  addPersonName,
  addWarning,
  endWarnings,
  insertPerson,
  isRefCode,
  listAddresses,
  listDisabilities,
  listPersonNames,
  moveToAddress,
  refCodeLabels,
  refreshNameKeys,
  setDisabilities,
} from './person.repository.ts';
import { loadWarningsFor, type Warning } from './warnings.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

/**
 * Use cases on a person's record: create, change, and read it (the header every record page shows).
 * Each runs in the caller's transaction: access check → rules → write → audit event (+ chronology).
 */

/** Codes offered from reference data are checked here (a stale form or a hand-made request). */
async function checkCodes(
  trx: Db,
  input: {
    ethnicityCode?: string | undefined;
    firstLanguage?: string | undefined;
    religion?: string | undefined;
    immigrationStatus?: string | undefined;
    agencyId?: string | undefined;
  },
) {
  const checks: [keyof typeof input, string, string][] = [
    ['ethnicityCode', 'ethnicity', 'Select an ethnicity from the list'],
    ['firstLanguage', 'first-language', 'Select a first language from the list'],
    ['religion', 'religion', 'Select a religion from the list'],
    ['immigrationStatus', 'immigration-status', 'Select an immigration status from the list'],
  ];
  for (const [field, set, message] of checks) {
    const value = input[field];
    if (value && !(await isRefCode(trx, set, value))) throw new BusinessRuleError(field, message);
  }
  if (input.agencyId) {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', input.agencyId)
      .executeTakeFirst();
    if (!agency) throw new BusinessRuleError('agencyId', 'Select an organisation from the list');
  }
}

/** An NHS number or UPN belongs to one person: a second record with it is a duplicate in the making. */
async function checkIdentifiersUnused(
  trx: Db,
  input: { nhsNumber?: string | undefined; upn?: string | undefined },
  selfId: string | null,
) {
  const taken = async (column: 'nhsNumber' | 'upn', value: string) => {
    let q = trx.selectFrom('people').select('id').where(column, '=', value).where('mergedIntoId', 'is', null);
    if (selfId) q = q.where('id', '<>', selfId);
    return !!(await q.executeTakeFirst());
  };
  if (input.nhsNumber && (await taken('nhsNumber', input.nhsNumber))) {
    throw new BusinessRuleError(
      'nhsNumber',
      'Another record already has this NHS number – search for it instead of creating a new record',
    );
  }
  if (input.upn && (await taken('upn', input.upn))) {
    throw new BusinessRuleError(
      'upn',
      'Another record already has this UPN – search for it instead of creating a new record (rule 1520)',
    );
  }
}

export type CreatePersonInput = Omit<NewPersonForm, 'duplicatesShown' | 'notADuplicate'>;

type KnownAtCreation = Pick<
  CreatePersonInput,
  'kind' | 'localAuthorityId' | 'givenName' | 'familyName' | 'sex'
>;

/**
 * A new record made from what another part of the system knows (a contact, a relationship): the details given,
 * every other one left blank as on an empty form.
 */
export function personInput(
  known: KnownAtCreation & Partial<Omit<CreatePersonInput, keyof KnownAtCreation>>,
): CreatePersonInput {
  const blank: Omit<CreatePersonInput, keyof KnownAtCreation> = {
    knownAs: undefined,
    otherNameKind: undefined,
    otherGivenName: undefined,
    otherFamilyName: undefined,
    dateOfBirth: undefined,
    expectedDateOfBirth: undefined,
    genderIdentity: undefined,
    ethnicityCode: undefined,
    firstLanguage: undefined,
    interpreterNeeded: false,
    religion: undefined,
    disabilities: [],
    immigrationStatus: undefined,
    unaccompaniedAsylumSeeking: false,
    nhsNumber: undefined,
    upn: undefined,
    formerUpn: undefined,
    upnUnknownReason: undefined,
    addressLine1: undefined,
    addressLine2: undefined,
    town: undefined,
    postcode: undefined,
    phone: undefined,
    email: undefined,
    gpPractice: undefined,
    school: undefined,
    professionalRole: undefined,
    agencyId: undefined,
  };
  return { ...blank, ...known };
}

/**
 * The columns of a person's row that creating and editing a record map the same way: what only a child has (UPN,
 * school, unaccompanied asylum-seeking) or only a professional (agency, job title) is null for anyone else. Dates
 * of birth and sex differ (an unborn child, a kept value on edit) and stay with each caller.
 */
function personRow(
  input: CreatePersonInput | EditPersonForm,
  kind: { isChild: boolean; isProfessional: boolean },
) {
  const { isChild, isProfessional } = kind;
  return {
    givenName: input.givenName,
    familyName: input.familyName,
    knownAs: input.knownAs ?? null,
    genderIdentity: input.genderIdentity ?? null,
    ethnicityCode: input.ethnicityCode ?? null,
    firstLanguage: input.firstLanguage ?? null,
    interpreterNeeded: input.interpreterNeeded,
    religion: input.religion ?? null,
    immigrationStatus: input.immigrationStatus ?? null,
    unaccompaniedAsylumSeeking: isChild && input.unaccompaniedAsylumSeeking,
    nhsNumber: input.nhsNumber ?? null,
    upn: isChild ? (input.upn ?? null) : null,
    formerUpn: isChild ? (input.formerUpn ?? null) : null,
    upnUnknownReason: isChild ? (input.upnUnknownReason ?? null) : null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    gpPractice: input.gpPractice ?? null,
    school: isChild ? (input.school ?? null) : null,
    agencyId: isProfessional ? (input.agencyId ?? null) : null,
    professionalRole: isProfessional ? (input.professionalRole ?? null) : null,
  };
}

export async function createPerson(
  ctx: ServiceContext,
  input: CreatePersonInput,
): Promise<{ id: string; laChildId: string | null }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'person:create');
  const today = isoDateOf(now);
  const localAuthorityId = input.localAuthorityId ?? user.localAuthorityId;
  if (!localAuthorityId || !user.localAuthorityIds.includes(localAuthorityId)) {
    throw new BusinessRuleError('localAuthorityId', 'Select a local authority you work for');
  }
  await checkCodes(trx, input);
  await checkIdentifiersUnused(trx, input, null);
  const unborn = input.kind === 'unborn';
  const isChild = input.kind === 'child' || unborn;
  const person = await insertPerson(trx, {
    ...personRow(input, { isChild, isProfessional: input.kind === 'professional' }),
    localAuthorityId,
    kind: isChild ? 'child' : input.kind,
    dateOfBirth: unborn ? null : (input.dateOfBirth ?? null),
    expectedDateOfBirth: unborn ? (input.expectedDateOfBirth ?? null) : null,
    sex: unborn ? 'U' : (input.sex ?? null),
    createdBy: user.id,
  });
  if (input.addressLine1) {
    await moveToAddress(
      trx,
      {
        personId: person.id,
        line1: input.addressLine1,
        line2: input.addressLine2 ?? null,
        town: input.town ?? null,
        postcode: input.postcode ?? null,
        fromDate: null,
      },
      today,
    );
  }
  if (input.otherGivenName && input.otherFamilyName && input.otherNameKind) {
    await addPersonName(trx, {
      personId: person.id,
      kind: input.otherNameKind,
      givenName: input.otherGivenName,
      familyName: input.otherFamilyName,
    });
  }
  if (isChild && input.disabilities.length) await setDisabilities(trx, person.id, input.disabilities);
  await recordChange(ctx, {
    audit: {
      action: 'person.created',
      subjectType: 'person',
      subjectId: person.id,
      childId: person.id,
      details: { kind: unborn ? 'unborn' : input.kind, localAuthorityId },
    },
    chronology: isChild
      ? {
          childIds: [person.id],
          category: 'record',
          title: unborn ? 'Record created for an unborn child' : 'Record created',
          summary: `Created by ${user.displayName}`,
          sourceType: 'person',
          sourceId: person.id,
        }
      : undefined,
  });
  return { id: person.id, laChildId: person.laChildId };
}

const EDITABLE = [
  'givenName',
  'familyName',
  'knownAs',
  'dateOfBirth',
  'expectedDateOfBirth',
  'dateOfDeath',
  'sex',
  'genderIdentity',
  'ethnicityCode',
  'firstLanguage',
  'interpreterNeeded',
  'religion',
  'immigrationStatus',
  'unaccompaniedAsylumSeeking',
  'nhsNumber',
  'upn',
  'formerUpn',
  'upnUnknownReason',
  'phone',
  'email',
  'gpPractice',
  'school',
  'professionalRole',
  'agencyId',
] as const;

export type UpdatePersonInput = EditPersonForm & { personId: string };

export async function updatePerson(
  ctx: ServiceContext,
  input: UpdatePersonInput,
): Promise<{ changed: string[] }> {
  const { db: trx, user, now } = ctx;
  const { personId } = input;
  requirePermission(user, 'child:write');
  await requireAccess(trx, user, 'write', [personId], now);
  const today = isoDateOf(now);
  const person = await trx
    .selectFrom('people')
    .selectAll()
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
  if (!person || person.mergedIntoId) throw new NotFoundError();
  if (person.version !== input.version) throw new ConflictError();
  await checkCodes(trx, input);
  await checkIdentifiersUnused(trx, input, personId);
  const isChild = person.kind === 'child';
  const wasUnborn = isUnborn(person);

  const next: Record<(typeof EDITABLE)[number], unknown> = {
    ...personRow(input, { isChild, isProfessional: person.kind === 'professional' }),
    dateOfBirth: input.dateOfBirth ?? null,
    expectedDateOfBirth: isChild ? (input.expectedDateOfBirth ?? person.expectedDateOfBirth) : null,
    dateOfDeath: input.dateOfDeath ?? null,
    sex: input.sex ?? person.sex,
  };
  if (isChild && !next.dateOfBirth && !next.expectedDateOfBirth)
    throw new BusinessRuleError('dateOfBirth', 'Enter the date of birth');
  await runPersonChangeChecks({
    db: trx,
    personId,
    today,
    proposed: {
      kind: person.kind,
      dateOfBirth: next.dateOfBirth as string | null,
      expectedDateOfBirth: next.expectedDateOfBirth as string | null,
      dateOfDeath: next.dateOfDeath as string | null,
      sex: next.sex as string | null,
      ethnicityCode: next.ethnicityCode as string | null,
      disabilities: isChild ? input.disabilities : [],
      upnUnknownReason: next.upnUnknownReason as string | null,
    },
  });
  const fieldsChanged = EDITABLE.filter((k) => (person as Record<string, unknown>)[k] !== next[k]);
  const changed: string[] = [...fieldsChanged];
  if (fieldsChanged.length) {
    const saved = await trx
      .updateTable('people')
      .set({
        ...(Object.fromEntries(fieldsChanged.map((k) => [k, next[k]])) as Partial<PeopleRow>),
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', personId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    requireUpdated(saved);
  }

  const events: { title: string; summary?: string; significant?: boolean }[] = [];
  if (wasUnborn && input.dateOfBirth)
    events.push({
      title: 'Born',
      summary: `Born on ${input.dateOfBirth}`,
      significant: true,
    });
  if (!person.dateOfDeath && input.dateOfDeath)
    events.push({
      title: 'Died',
      summary: `Date of death ${input.dateOfDeath}`,
      significant: true,
    });

  const current = (await listAddresses(trx, personId)).find((a) => !a.toDate);
  if (input.addressLine1) {
    const same =
      current &&
      current.line1 === input.addressLine1 &&
      (current.line2 ?? undefined) === input.addressLine2 &&
      (current.town ?? undefined) === input.town &&
      (current.postcode ?? undefined) === input.postcode;
    if (!same) {
      await moveToAddress(
        trx,
        {
          personId,
          line1: input.addressLine1,
          line2: input.addressLine2 ?? null,
          town: input.town ?? null,
          postcode: input.postcode ?? null,
          fromDate: input.movedOn ?? null,
        },
        today,
      );
      changed.push('address');
      events.push({
        title: 'Moved to a new address',
        summary: [input.addressLine1, input.town, input.postcode].filter(Boolean).join(', '),
      });
    }
  }
  if (input.otherGivenName && input.otherFamilyName && input.otherNameKind) {
    await addPersonName(trx, {
      personId,
      kind: input.otherNameKind,
      givenName: input.otherGivenName,
      familyName: input.otherFamilyName,
    });
    changed.push(input.otherNameKind === 'previous' ? 'previousName' : 'alias');
  }
  if (isChild) {
    const before = (await listDisabilities(trx, personId)).sort().join(',');
    if (before !== [...input.disabilities].sort().join(',')) {
      await setDisabilities(trx, personId, input.disabilities);
      changed.push('disabilities');
    }
  }
  if (input.warningKind && input.warningDetails) {
    if (!(await isRefCode(trx, 'warning-kind', input.warningKind)))
      throw new BusinessRuleError('warningKind', 'Select the kind of warning');
    await addWarning(trx, {
      personId,
      kind: input.warningKind,
      details: input.warningDetails,
      fromDate: today,
      createdBy: user.id,
    });
    changed.push('warningAdded');
  }
  if (input.endWarnings.length) {
    const ended = await endWarnings(trx, personId, input.endWarnings, today);
    if (ended) changed.push('warningEnded');
  }
  if (changed.some((c) => c === 'givenName' || c === 'familyName' || c === 'knownAs'))
    await refreshNameKeys(trx, personId);
  if (!changed.length) return { changed };
  if (!fieldsChanged.length) {
    requireUpdated(
      await trx
        .updateTable('people')
        .set({ updatedAt: now, version: sql`version + 1` })
        .where('id', '=', personId)
        .where('version', '=', input.version)
        .executeTakeFirst(),
    );
  }
  await recordChange(ctx, {
    audit: {
      action: 'person.updated',
      subjectType: 'person',
      subjectId: personId,
      childId: personId,
      details: { changed },
    },
  });
  if (isChild) {
    for (const e of events) {
      await recordChange(ctx, {
        chronology: {
          childIds: [personId],
          category: 'record',
          ...e,
          sourceType: 'person',
          sourceId: personId,
        },
      });
    }
  }
  return { changed };
}

export interface PersonHeader {
  id: string;
  kind: string;
  kindLabel: string;
  isChild: boolean;
  unborn: boolean;
  name: string;
  givenName: string;
  familyName: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  dateOfDeath: string | null;
  age: string;
  laChildId: string | null;
  nhsNumber: string | null;
  restricted: boolean;
  mergedIntoId: string | null;
  viaBreakGlass: boolean;
  warnings: Warning[];
  version: number;
}

/**
 * The facts every page of a person's record shows at the top (name, age, identifiers, warnings), after
 * checking the user may read (or write) it. Throws NotFoundError otherwise.
 */
export async function loadPersonHeader(
  ctx: ReadContext,
  personId: string,
  level: 'read' | 'write' = 'read',
): Promise<PersonHeader & { row: PeopleRow }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, level === 'read' ? 'child:read' : 'child:write');
  const decisions = await requireAccess(trx, user, level, [personId], now);
  const row = await trx.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
  if (!row) throw new NotFoundError();
  const today = isoDateOf(now);
  const warnings = (await loadWarningsFor(trx, [personId], today)).get(personId) ?? [];
  return {
    row,
    id: row.id,
    kind: row.kind,
    kindLabel: kindLabel(row),
    isChild: row.kind === 'child',
    unborn: isUnborn(row),
    name: displayName(row),
    givenName: row.givenName,
    familyName: row.familyName,
    knownAs: row.knownAs,
    dateOfBirth: row.dateOfBirth,
    expectedDateOfBirth: row.expectedDateOfBirth,
    dateOfDeath: row.dateOfDeath,
    age: describeAge(row.dateOfBirth, today, row.dateOfDeath),
    laChildId: row.laChildId,
    nhsNumber: row.nhsNumber ? formatNhsNumber(row.nhsNumber) : null,
    restricted: row.restricted,
    mergedIntoId: row.mergedIntoId,
    viaBreakGlass: decisions.get(personId)?.viaBreakGlass ?? false,
    warnings,
    version: row.version,
  };
}

/** Everything the record's summary and edit pages show about who the person is. */
export async function loadPersonDetails(trx: Db, personId: string) {
  const [names, addresses, disabilities, labels] = await Promise.all([
    listPersonNames(trx, personId),
    listAddresses(trx, personId),
    listDisabilities(trx, personId),
    refCodeLabels(trx, [
      'ethnicity',
      'first-language',
      'religion',
      'immigration-status',
      'disability',
      'sex',
      'upn-unknown',
    ]),
  ]);
  return { names, addresses, disabilities, labels };
}
