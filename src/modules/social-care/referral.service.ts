import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { enforceConfirmed, recordQueryExplanations } from './census-queries.ts';
import { isoDateOf, occurredOn } from '../../kernel/time/index.ts';
import {
  childRules,
  collectionYearStart,
  rule8545Q,
  rule8555Q,
  rule8569Q,
  rule8600,
  rule8606,
  rule8650,
  rule8770Q,
  rule8772,
  rule8775Q,
  rule8820,
  rule8866,
  type Violation,
} from './census-rules.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { recordChange, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * Opening a referral to children's social care: a CIN episode (census CINdetails) for one child, with the
 * referral date and source as the census needs them, allocated to a team. Census rules checked here: the child's
 * own details as the census returns them (4180 sex, 8750 an unborn child's sex, 4220 ethnicity, 8540 disability,
 * 8525Q date of birth or expected date of birth, 8535Q date of death, 8772 UPN unknown as UN7 only while every
 * referral is NFA, 8770Q a school-age child's UPN or the reason it is not known), 8866 (source), 8650 (primary need
 * code), 8569Q (an NFA referral dated before this census year), 8600 (not after today), 8775Q (a child over 25),
 * 8545Q (a date of death before this census year), 8606 (not more than 40 weeks before birth), 8555Q (not after death), 8815/8816 (no second open episode unless it
 * is an NFA referral) and 8820 (episodes never overlap). Errors refuse the referral; queries need the worker to
 * confirm the details are right (`confirmCensusQueries`), and the confirmation is kept for the census return.
 */

/** Child-level problems are reported against the child's record (the referral forms do not edit it). */
export const CHILD_RECORD_FIELD = 'childRecord';

export interface OpenCinReferralInput {
  childId: string;
  referralDate: string;
  referralSource: string;
  teamId: string;
  sourceContactId?: string | null;
  primaryNeedCode?: string | null;
  referralNfa?: boolean;
  transferredInFrom?: string | null;
  /** The worker has checked the census queries raised (e.g. both a date of birth and an expected one) and they are right. */
  confirmCensusQueries?: boolean | undefined;
  /** An optional note kept with the confirmed queries. */
  queryExplanation?: string | null | undefined;
  /**
   * Set by the front door when a manager authorises a decision to social care (it has checked the manager may
   * authorise that contact and that the child is on it): opening the referral then needs only read access to the
   * child, because the record may be held by another service (early help, a closed episode, another team) whose
   * write access the manager rightly lacks. Nothing else is granted: the referral goes to the chosen team.
   */
  authorisedAtFrontDoor?: boolean | undefined;
}

/**
 * The child's open (not NFA) children in need episode, if any: the one a new referral would collide with (rule
 * 8815). The front door attaches a new contact to it instead of opening a second referral.
 */
export async function openCinEpisodeFor(
  trx: Transaction<DB>,
  childId: string,
): Promise<{ id: string; reference: string; referralDate: string; teamId: string | null } | undefined> {
  return trx
    .selectFrom('cinEpisodes')
    .select(['id', 'reference', 'referralDate', 'teamId'])
    .where('childId', '=', childId)
    .where('closureDate', 'is', null)
    .where('referralNfa', '=', false)
    .orderBy('referralDate', 'desc')
    .executeTakeFirst();
}

/**
 * Takes the context without the calendar: no clock here runs on the authority's working days (rule 8569Q counts on
 * the national calendar), so the front door's decision service can open a referral from its transaction.
 */
export async function openCinReferral(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  input: OpenCinReferralInput,
): Promise<{ id: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  if (input.authorisedAtFrontDoor) {
    if (!user.permissions.has('contact:authorise') || !input.sourceContactId)
      throw new AccessDeniedError('contact:authorise');
    await requireAccess(trx, user, 'read', [input.childId], now);
  } else {
    await requireAccess(trx, user, 'write', [input.childId], now);
  }
  const child = await trx
    .selectFrom('people')
    .select([
      'kind',
      'localAuthorityId',
      'givenName',
      'familyName',
      'dateOfBirth',
      'expectedDateOfBirth',
      'dateOfDeath',
      'sex',
      'ethnicityCode',
      'upn',
      'upnUnknownReason',
    ])
    .where('id', '=', input.childId)
    .executeTakeFirstOrThrow();
  if (child.kind !== 'child')
    throw new BusinessRuleError('childId', 'A referral to children’s social care is for a child');
  const nfa = input.referralNfa ?? false;
  if (!nfa) {
    const open = await trx
      .selectFrom('cinEpisodes')
      .select(['reference', 'referralDate'])
      .where('childId', '=', input.childId)
      .where('closureDate', 'is', null)
      .where('referralNfa', '=', false)
      .executeTakeFirst();
    if (open) {
      throw new BusinessRuleError(
        'childId',
        `The child already has an open children in need episode (${open.reference}, referred ${open.referralDate}) (rule 8815)`,
      );
    }
  }
  const disabilities = (
    await trx.selectFrom('personDisabilities').select('code').where('personId', '=', input.childId).execute()
  ).map((d) => d.code);
  const others = await trx
    .selectFrom('cinEpisodes')
    .select(['reference', 'referralDate', 'closureDate', 'referralNfa'])
    .where('childId', '=', input.childId)
    .execute();
  // The child's episodes the census returns alongside this referral: open, or closed in this collection year.
  const yearStart = collectionYearStart(isoDateOf(now));
  const returned = others.filter((o) => !o.closureDate || o.closureDate >= yearStart);
  const name = `${child.givenName} ${child.familyName}`;
  const onRecord = (v: Violation | null): Violation | null =>
    v && { ...v, field: CHILD_RECORD_FIELD, message: `${name}: ${v.message}` };
  const queries = enforceConfirmed(
    [
      ...childRules({ ...child, disabilities }, nfa).map(onRecord),
      onRecord(rule8772(child.upnUnknownReason, [{ referralNfa: nfa }, ...returned])),
      onRecord(rule8770Q(child, nfa, isoDateOf(now))),
      onRecord(rule8775Q(child.dateOfBirth, isoDateOf(now))),
      onRecord(rule8545Q(child.dateOfDeath, isoDateOf(now))),
      rule8600(input.referralDate, isoDateOf(now)),
      // The DfE counts the working day before 1 April on the national calendar, not the authority's.
      rule8569Q(input.referralDate, nfa, englandAndWalesCalendar.previousWorkingDay(yearStart)),
      rule8866(input.referralSource),
      rule8650(input.primaryNeedCode),
      rule8606(input.referralDate, child.dateOfBirth, child.expectedDateOfBirth),
      rule8555Q(input.referralDate, child.dateOfDeath),
      rule8820(input.referralDate, others),
    ],
    input.confirmCensusQueries,
  );
  const team = await trx.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst();
  if (!team) throw new BusinessRuleError('teamId', 'Choose the team the referral goes to');
  const number = await sql<{ n: number }>`select nextval('cin_episode_number') as n`.execute(trx);
  const reference = `CIN-${input.referralDate.slice(0, 4)}-${String(number.rows[0]!.n).padStart(5, '0')}`;
  const episode = await trx
    .insertInto('cinEpisodes')
    .values({
      reference,
      childId: input.childId,
      localAuthorityId: child.localAuthorityId,
      referralDate: input.referralDate,
      referralSource: input.referralSource,
      primaryNeedCode: input.primaryNeedCode ?? null,
      referralNfa: nfa,
      closureDate: input.referralNfa ? input.referralDate : null,
      closureReason: input.referralNfa ? 'RC8' : null,
      sourceContactId: input.sourceContactId ?? null,
      transferredInFrom: input.transferredInFrom ?? null,
      teamId: input.teamId,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!input.referralNfa) {
    await trx
      .insertInto('allocations')
      .values({
        childId: input.childId,
        workerId: null,
        teamId: input.teamId,
        role: 'allocated-worker',
        involvementType: 'cin-episode',
        involvementId: episode.id,
        startedOn: input.referralDate,
        createdAt: now,
        createdBy: user.id,
      })
      .execute();
  }
  await recordChange(ctx, {
    chronology: {
      childIds: [input.childId],
      category: 'referral',
      title: input.referralNfa
        ? `Referral ${reference}: no further action`
        : `Referred to children’s social care (${reference})`,
      summary: input.transferredInFrom ? `Transferred in from ${input.transferredInFrom}.` : null,
      significant: true,
      occurredAt: occurredOn(input.referralDate, ctx.now),
      sourceType: 'cin-episode',
      sourceId: episode.id,
    },
  });
  await recordQueryExplanations(
    ctx,
    { childId: input.childId, episodeId: episode.id, subjectType: 'cin-episode', subjectId: episode.id },
    queries,
    input.queryExplanation?.trim() || 'Checked and confirmed as right when the referral was opened',
  );
  await recordChange(ctx, {
    audit: {
      action: 'cin-referral.opened',
      subjectType: 'cin-episode',
      subjectId: episode.id,
      childId: input.childId,
      details: { reference, referralSource: input.referralSource, nfa: input.referralNfa ?? false },
    },
  });
  return { id: episode.id, reference };
}
