import { sql } from 'kysely';
import { requireAccess } from '../../kernel/access/index.ts';
import {
  recordChange,
  requireUpdated,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { runPersonChangeChecks } from './change-checks.ts';
import { isRefCode, listDisabilities, setDisabilities } from './person.repository.ts';
import { checkDisabilities, DISABILITY_VALUES, isUnborn, SEX_VALUES } from './person.ts';

/**
 * The census details of a child's record (what the children in need census returns about the child): sex,
 * ethnicity, disabilities, and the UPN or why it is not known. The front door completes them on a child it is
 * working on when a decision needs them (e.g. census rule 4220 before a referral to social care), even when the
 * child's record is held by another service and the worker may only read it: the caller (the front door's service)
 * has established that the user works on a contact naming the child. Nothing else on the record can change this
 * way. Every change is audited and written to the child's chronology.
 */

export interface CensusDetails {
  sex: string | null;
  ethnicityCode: string | null;
  disabilities: string[];
  upn: string | null;
  upnUnknownReason: string | null;
  version: number;
}

export interface CensusDetailsInput {
  sex?: string | undefined;
  ethnicityCode?: string | undefined;
  disabilities: readonly string[];
  upn?: string | undefined;
  upnUnknownReason?: string | undefined;
  /** The record's version when the form was shown: a stale save is refused (409), nothing overwritten. */
  version: number;
}

const FIELD_LABELS: Record<string, string> = {
  sex: 'sex',
  ethnicityCode: 'ethnicity',
  disabilities: 'disabilities',
  upn: 'UPN',
  upnUnknownReason: 'why the UPN is not known',
};

/** The child's record for the census details (read access needed): a live child's record, or NotFoundError. */
async function censusChild(ctx: ReadContext, personId: string) {
  await requireAccess(ctx.db, ctx.user, 'read', [personId], ctx.now);
  const person = await ctx.db
    .selectFrom('people')
    .select([
      'givenName',
      'familyName',
      'kind',
      'sex',
      'ethnicityCode',
      'upn',
      'upnUnknownReason',
      'version',
      'dateOfBirth',
      'expectedDateOfBirth',
      'dateOfDeath',
      'mergedIntoId',
    ])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person || person.kind !== 'child' || person.mergedIntoId) throw new NotFoundError();
  return person;
}

/** The census details as recorded now (read access needed). */
export async function loadCensusDetails(
  ctx: ReadContext,
  personId: string,
): Promise<CensusDetails & { unborn: boolean; name: string }> {
  const { db: trx } = ctx;
  const person = await censusChild(ctx, personId);
  return {
    sex: person.sex,
    ethnicityCode: person.ethnicityCode,
    disabilities: await listDisabilities(trx, personId),
    upn: person.upn,
    upnUnknownReason: person.upnUnknownReason,
    version: person.version,
    unborn: isUnborn(person),
    name: `${person.givenName} ${person.familyName}`,
  };
}

/**
 * Completes or corrects a child's census details. `input.context` names the work that needs them (the contact), for the
 * audit trail and the chronology. Refused with a field error for a code not in the census lists, a UPN another
 * record holds (rule 1520), a UPN with a reason it is not known, or anything the census change checks refuse.
 */
export async function correctCensusDetails(
  ctx: ServiceContext,
  input: CensusDetailsInput & {
    personId: string;
    /** The work that needs the details (the contact), for the audit trail and the chronology. */
    context: { via: 'front-door'; contactId: string; contactReference: string };
  },
): Promise<{ changed: string[]; name: string }> {
  const { db: trx, now } = ctx;
  const { personId, context } = input;
  const person = await censusChild(ctx, personId);
  if (person.version !== input.version) throw new ConflictError();
  const unborn = isUnborn(person);
  const sex = unborn ? 'U' : (input.sex ?? null);
  if (sex && !(SEX_VALUES as readonly string[]).includes(sex))
    throw new BusinessRuleError('sex', 'Select their sex');
  if (input.ethnicityCode && !(await isRefCode(trx, 'ethnicity', input.ethnicityCode)))
    throw new BusinessRuleError('ethnicityCode', 'Select an ethnicity from the list');
  if (input.disabilities.some((d) => !(DISABILITY_VALUES as readonly string[]).includes(d)))
    throw new BusinessRuleError('disabilities', 'Select disabilities from the list');
  const disabilityProblem = checkDisabilities(input.disabilities);
  if (disabilityProblem) throw new BusinessRuleError('disabilities', disabilityProblem);
  if (input.upn && input.upnUnknownReason)
    throw new BusinessRuleError(
      'upnUnknownReason',
      'Leave “Why the UPN is not known” empty when you enter a UPN',
    );
  if (input.upnUnknownReason && !(await isRefCode(trx, 'upn-unknown', input.upnUnknownReason)))
    throw new BusinessRuleError('upnUnknownReason', 'Select why the UPN is not known from the list');
  if (input.upn) {
    const taken = await trx
      .selectFrom('people')
      .select('id')
      .where('upn', '=', input.upn)
      .where('mergedIntoId', 'is', null)
      .where('id', '<>', personId)
      .executeTakeFirst();
    if (taken)
      throw new BusinessRuleError(
        'upn',
        'Another record already has this UPN – check you have the right child (rule 1520)',
      );
  }
  const next = {
    sex,
    ethnicityCode: input.ethnicityCode ?? null,
    upn: input.upn ?? null,
    upnUnknownReason: input.upnUnknownReason ?? null,
  };
  await runPersonChangeChecks({
    db: trx,
    personId,
    today: isoDateOf(now),
    proposed: {
      kind: person.kind,
      dateOfBirth: person.dateOfBirth,
      expectedDateOfBirth: person.expectedDateOfBirth,
      dateOfDeath: person.dateOfDeath,
      sex: next.sex,
      ethnicityCode: next.ethnicityCode,
      disabilities: input.disabilities,
      upnUnknownReason: next.upnUnknownReason,
    },
  });
  const changed: string[] = (Object.keys(next) as (keyof typeof next)[]).filter((k) => person[k] !== next[k]);
  const before = (await listDisabilities(trx, personId)).sort().join(',');
  const disabilitiesChanged = before !== [...input.disabilities].sort().join(',');
  if (disabilitiesChanged) changed.push('disabilities');
  const name = `${person.givenName} ${person.familyName}`;
  if (!changed.length) return { changed, name };
  // The version is checked in the UPDATE itself: of two saves from the same version, one wins and one is refused.
  requireUpdated(
    await trx
      .updateTable('people')
      .set({ ...next, updatedAt: now, version: sql`version + 1` })
      .where('id', '=', personId)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  if (disabilitiesChanged) await setDisabilities(trx, personId, input.disabilities);
  const what = changed.map((c) => FIELD_LABELS[c] ?? c).join(', ');
  await recordChange(ctx, {
    audit: {
      action: 'person.census-details-corrected',
      subjectType: 'person',
      subjectId: personId,
      childId: personId,
      details: {
        changed,
        via: context.via,
        contactId: context.contactId,
        contactReference: context.contactReference,
      },
    },
    chronology: {
      childIds: [personId],
      category: 'record',
      title: `Census details completed at the front door (contact ${context.contactReference})`,
      summary: `Changed: ${what}.`,
      sourceType: 'person',
      sourceId: personId,
    },
  });
  return { changed, name };
}
