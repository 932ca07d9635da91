import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { auditActor, requireAccess, type CurrentUser } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { codeValues, PRIMARY_NEED_CODES, REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';

/**
 * Opening a referral to children's social care: a CIN episode (census CINdetails) for one child, with the
 * referral date and source as the census needs them, allocated to a team. Census rules checked here:
 * 8866 (source must be a valid code), 8815/8816/8820 (no second open episode unless it is an NFA referral).
 */

export interface OpenCinReferralInput {
  childId: string;
  referralDate: string;
  referralSource: string;
  teamId: string;
  sourceContactId?: string | null;
  primaryNeedCode?: string | null;
  referralNfa?: boolean;
  transferredInFrom?: string | null;
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

export async function openCinReferral(
  trx: Transaction<DB>,
  user: CurrentUser,
  input: OpenCinReferralInput,
  now: Date,
): Promise<{ id: string; reference: string }> {
  await requireAccess(trx, user, 'write', [input.childId], now);
  if (!(codeValues(REFERRAL_SOURCES) as string[]).includes(input.referralSource)) {
    throw new BusinessRuleError('referralSource', 'Select the source of the referral from the census list (rule 8866)');
  }
  if (input.primaryNeedCode && !(codeValues(PRIMARY_NEED_CODES) as string[]).includes(input.primaryNeedCode)) {
    throw new BusinessRuleError('primaryNeedCode', 'Select a primary need code from the census list');
  }
  const child = await trx.selectFrom('people').select(['kind', 'localAuthorityId', 'dateOfDeath']).where('id', '=', input.childId).executeTakeFirstOrThrow();
  if (child.kind !== 'child') throw new BusinessRuleError('childId', 'A referral to children’s social care is for a child');
  if (!input.referralNfa) {
    const open = await trx
      .selectFrom('cinEpisodes')
      .select(['reference', 'referralDate'])
      .where('childId', '=', input.childId)
      .where('closureDate', 'is', null)
      .where('referralNfa', '=', false)
      .executeTakeFirst();
    if (open) {
      throw new BusinessRuleError('childId', `The child already has an open children in need episode (${open.reference}, referred ${open.referralDate}) (rule 8815)`);
    }
    const overlapping = await trx
      .selectFrom('cinEpisodes')
      .select('reference')
      .where('childId', '=', input.childId)
      .where('referralDate', '<=', input.referralDate)
      .where('closureDate', '>', input.referralDate)
      .executeTakeFirst();
    if (overlapping) throw new BusinessRuleError('referralDate', `The referral date falls inside episode ${overlapping.reference} (rule 8820)`);
  }
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
      referralNfa: input.referralNfa ?? false,
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
  await appendCaseEvent(trx, {
    childId: input.childId,
    occurredAt: now,
    recordedAt: now,
    recordedBy: user.id,
    category: 'referral',
    title: input.referralNfa ? `Referral ${reference}: no further action` : `Referred to children’s social care (${reference})`,
    summary: input.transferredInFrom ? `Transferred in from ${input.transferredInFrom}.` : null,
    significant: true,
    sourceType: 'cin-episode',
    sourceId: episode.id,
  });
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: 'cin-referral.opened',
    subjectType: 'cin-episode',
    subjectId: episode.id,
    childId: input.childId,
    occurredAt: now,
    details: { reference, referralSource: input.referralSource, nfa: input.referralNfa ?? false },
  });
  return { id: episode.id, reference };
}
