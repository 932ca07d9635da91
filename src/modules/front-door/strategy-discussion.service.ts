import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { STRATEGY_OUTCOME_LABELS, type StrategyOutcome } from './contact.ts';
import { requireContact, linkedChildIds } from './contact.service.ts';
import { liveDecision } from './decision.service.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

export interface StrategyParticipantInput {
  name: string;
  /** null = the local authority's children's social care. */
  agencyId: string | null;
  role?: string | undefined;
}

/** The front door's strategy outcome in social care's terms (cp_strategy_discussions.decision). */
const SOCIAL_CARE_STRATEGY_DECISION = {
  'section-47': 'section-47',
  assessment: 'cin-assessment',
  'no-further-action': 'no-further-action',
} as const satisfies Record<StrategyOutcome, 'section-47' | 'cin-assessment' | 'no-further-action'>;

/**
 * Records a strategy discussion held on an authorised "strategy discussion" decision: when, who took part for
 * which agency, and what was decided. Working Together 2023: at least children's social care, the police and
 * health take part.
 */
export interface StrategyDiscussionInput {
  contactId: string;
  heldAt: Date;
  outcome: StrategyOutcome;
  decided: string;
  participants: StrategyParticipantInput[];
}

export async function recordStrategyDiscussion(
  ctx: ServiceContext,
  input: StrategyDiscussionInput,
): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'contact:decide');
  const contact = await requireContact(ctx, input.contactId);
  const decision = await liveDecision(trx, contact.id);
  if (!decision || decision.outcome !== 'strategy-discussion' || decision.status !== 'authorised') {
    throw new BusinessRuleError(
      'heldAt',
      'A strategy discussion is recorded once a “strategy discussion” decision has been authorised',
    );
  }
  if (input.heldAt.getTime() > now.getTime())
    throw new BusinessRuleError(
      'heldAt',
      'The strategy discussion must have been held already: enter a time in the past',
    );
  if (input.heldAt.getTime() < contact.receivedAt.getTime())
    throw new BusinessRuleError(
      'heldAt',
      'The strategy discussion cannot be before the contact was received',
    );
  await requireParticipants(trx, input.participants);
  const row = await trx
    .insertInto('strategyDiscussions')
    .values({
      contactId: contact.id,
      decisionId: decision.id,
      heldAt: input.heldAt,
      outcome: input.outcome,
      decided: input.decided,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('strategyDiscussionParticipants')
    .values(
      input.participants.map((p) => ({
        strategyDiscussionId: row.id,
        name: p.name,
        agencyId: p.agencyId,
        role: p.role ?? null,
      })),
    )
    .execute();
  await copyToSocialCare(ctx, { ...input, id: row.id, contactReference: contact.reference }, decision);
  const childIds = await linkedChildIds(trx, contact.id);
  await recordChange(ctx, {
    chronology: {
      childIds,
      occurredAt: input.heldAt,
      category: 'meeting',
      title: `Strategy discussion: ${STRATEGY_OUTCOME_LABELS[input.outcome]}`,
      summary: input.decided.slice(0, 500),
      significant: true,
      sourceType: 'strategy-discussion',
      sourceId: row.id,
    },
    audit: {
      action: 'strategy-discussion.recorded',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      details: {
        reference: contact.reference,
        strategyDiscussionId: row.id,
        outcome: input.outcome,
        participants: input.participants.length,
      },
    },
  });
  return { id: row.id };
}

/**
 * Working Together 2023: at least children's social care (a participant with no agency), the police and health
 * take part; every agency named is one from the list.
 */
async function requireParticipants(
  trx: Trx,
  participants: readonly StrategyParticipantInput[],
): Promise<void> {
  const agencyIds = [...new Set(participants.map((p) => p.agencyId).filter((id): id is string => !!id))];
  const agencies = agencyIds.length
    ? await trx.selectFrom('agencies').select(['id', 'kind']).where('id', 'in', agencyIds).execute()
    : [];
  if (agencies.length !== agencyIds.length)
    throw new BusinessRuleError('participants', 'Select agencies from the list');
  const kinds = new Set(agencies.map((a) => a.kind));
  const missing = [
    participants.some((p) => !p.agencyId) ? null : 'children’s social care',
    kinds.has('police') ? null : 'the police',
    kinds.has('health') || kinds.has('camhs') ? null : 'health',
  ].filter((m): m is string => !!m);
  if (missing.length) {
    throw new BusinessRuleError(
      'participants',
      `A strategy discussion needs at least children’s social care, the police and health: add who took part for ${missing.join(' and ')}`,
    );
  }
}

/**
 * The same meeting on each child's social care referral opened by this decision: a section 47 enquiry starts
 * from it there, and the initial conference target is counted from it.
 */
async function copyToSocialCare(
  ctx: ServiceContext,
  discussion: StrategyDiscussionInput & { id: string; contactReference: string },
  decision: { cinEpisodeIds: string[] | null },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const episodes = decision.cinEpisodeIds?.length
    ? await trx
        .selectFrom('cinEpisodes')
        .select(['id', 'childId'])
        .where('id', 'in', decision.cinEpisodeIds)
        .execute()
    : [];
  for (const episode of episodes) {
    const cp = await trx
      .insertInto('cpStrategyDiscussions')
      .values({
        episodeId: episode.id,
        childId: episode.childId,
        heldOn: isoDateOf(discussion.heldAt),
        informationShared: `Held at the front door on contact ${discussion.contactReference}. ${discussion.decided}`,
        decision: SOCIAL_CARE_STRATEGY_DECISION[discussion.outcome],
        rationale: discussion.decided,
        recordedAt: now,
        recordedBy: user.id,
        sourceStrategyDiscussionId: discussion.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('cpStrategyParticipants')
      .values(
        discussion.participants.map((p) => ({
          strategyDiscussionId: cp.id,
          name: p.name,
          agencyId: p.agencyId,
          role: p.role ?? null,
        })),
      )
      .execute();
  }
}

export async function strategyDiscussionsFor(trx: Db, contactId: string) {
  const rows = await trx
    .selectFrom('strategyDiscussions as s')
    .innerJoin('users as u', 'u.id', 's.recordedBy')
    .select(['s.id', 's.heldAt', 's.outcome', 's.decided', 's.recordedAt', 'u.displayName as recordedByName'])
    .where('s.contactId', '=', contactId)
    .orderBy('s.heldAt')
    .execute();
  const participants = rows.length
    ? await trx
        .selectFrom('strategyDiscussionParticipants as p')
        .leftJoin('agencies as a', 'a.id', 'p.agencyId')
        .select(['p.strategyDiscussionId', 'p.name', 'p.role', 'a.name as agencyName'])
        .where(
          'p.strategyDiscussionId',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return rows.map((r) => ({
    ...r,
    outcomeLabel: STRATEGY_OUTCOME_LABELS[r.outcome as StrategyOutcome] ?? r.outcome,
    participants: participants
      .filter((p) => p.strategyDiscussionId === r.id)
      .map((p) => ({ ...p, agencyName: p.agencyName ?? 'Children’s social care' })),
  }));
}
