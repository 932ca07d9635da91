import { BusinessRuleError } from '../../kernel/errors.ts';
import { OUTCOME_LABELS, SOCIAL_CARE_OUTCOMES, statusAfterSendBack, type Outcome } from './contact.ts';
import type { ContactsRow } from '../../db/schema.ts';
import { updateContact } from './contact.repository.ts';
import { linkedChildIds, requireContact } from './contact.service.ts';
import { liveDecision } from './decision.service.ts';
import { withdrawOpenRequests } from './information-request.service.ts';
import {
  NOT_ROUTED,
  recordAttachments,
  routeToEarlyHelp,
  routeToSocialCare,
  type RoutingResult,
} from './routing.service.ts';
import { continuumFor } from './settings.ts';
import { recordChange, requirePermission, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * A manager (contact:authorise), not the person who decided, authorises a threshold decision with a rationale of
 * their own, which routes the contact (routing.service.ts) and completes it; or sends it back with a reason, and
 * the contact returns to where it was so that a new decision can be recorded.
 */

export interface AuthoriseInput {
  contactId: string;
  rationale: string;
  teamId?: string | undefined;
  version?: number | undefined;
  /** The manager has checked the census queries a referral raised about a child's details (social care). */
  confirmCensusQueries?: boolean | undefined;
}

export interface SendBackInput {
  contactId: string;
  reason: string;
  version?: number | undefined;
}

export type AuthorisationInput =
  ({ action: 'authorise' } & AuthoriseInput) | ({ action: 'send-back' } & SendBackInput);

export type { RoutingResult } from './routing.service.ts';

/** The manager's answer to a decision awaiting authorisation: authorise it, or send it back. */
export async function authoriseDecision(
  ctx: ServiceContext,
  input: AuthorisationInput,
): Promise<RoutingResult> {
  if (input.action === 'send-back') {
    await sendBackDecision(ctx, input);
    return NOT_ROUTED();
  }
  return approveDecision(ctx, input);
}

/** The decision awaiting authorisation on a contact the manager may see, made by someone else. */
async function decisionToReview(ctx: ServiceContext, contactId: string) {
  requirePermission(ctx.user, 'contact:authorise');
  const contact = await requireContact(ctx, contactId);
  const decision = await liveDecision(ctx.db, contact.id);
  if (!decision || decision.status !== 'awaiting-authorisation') {
    throw new BusinessRuleError(
      'action',
      decision
        ? 'This decision has already been authorised'
        : 'There is no decision awaiting authorisation on this contact',
    );
  }
  if (decision.decidedBy === ctx.user.id)
    throw new BusinessRuleError('action', 'A different manager must authorise a decision you made yourself');
  const childIds = await linkedChildIds(ctx.db, contact.id);
  return { contact, decision, childIds, outcome: decision.outcome as Outcome };
}

/** Sends the decision back with a reason: the contact returns to where it was, and a new decision can be made. */
export async function sendBackDecision(ctx: ServiceContext, input: SendBackInput): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { contact, decision, childIds, outcome } = await decisionToReview(ctx, input.contactId);
  await trx
    .updateTable('contactDecisions')
    .set({ status: 'sent-back', reviewedAt: now, reviewedBy: user.id, sentBackReason: input.reason })
    .where('id', '=', decision.id)
    .execute();
  await updateContact(trx, contact.id, input.version, {
    status: statusAfterSendBack(contact),
    updatedAt: now,
  });
  await recordChange(ctx, {
    audit: {
      action: 'contact.decision-sent-back',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      details: { reference: contact.reference, decisionId: decision.id, outcome },
    },
  });
}

/**
 * Authorises the decision: routes the contact (early help, social care or a strategy discussion; no further
 * action routes nowhere), completes it, closes its MASH enquiry (open information requests are withdrawn) and
 * records the decision on each child's chronology.
 */
export async function approveDecision(ctx: ServiceContext, input: AuthoriseInput): Promise<RoutingResult> {
  const { db: trx, user, now } = ctx;
  const { contact, decision, childIds, outcome } = await decisionToReview(ctx, input.contactId);
  const socialCare = SOCIAL_CARE_OUTCOMES.includes(outcome);
  let teamId: string | null = input.teamId ?? null;
  if (socialCare && !teamId) throw new BusinessRuleError('teamId', 'Choose the team the referral goes to');
  if (teamId) await requireTeamOf(ctx, teamId, contact, outcome === 'early-help');
  const routing = {
    contact,
    levelOfNeed: decision.levelOfNeed,
    childIds,
    teamId,
    confirmCensusQueries: input.confirmCensusQueries,
  };
  let result = NOT_ROUTED();
  if (outcome === 'early-help') result = await routeToEarlyHelp(ctx, routing);
  else if (socialCare) result = await routeToSocialCare(ctx, routing);
  else teamId = null;
  await trx
    .updateTable('contactDecisions')
    .set({
      status: 'authorised',
      reviewedAt: now,
      reviewedBy: user.id,
      authorisationRationale: input.rationale,
      routedTeamId: teamId,
      earlyHelpEpisodeId: result.earlyHelpEpisode?.id ?? result.attachedEarlyHelpEpisodes[0]?.id ?? null,
      cinEpisodeIds: [
        ...result.cinReferrals.map((r) => r.id),
        ...result.attachedCinEpisodes.map((r) => r.id),
      ],
    })
    .where('id', '=', decision.id)
    .execute();
  await updateContact(trx, contact.id, input.version, {
    status: 'completed',
    completedAt: now,
    ...(contact.mashEnquiryStartedAt && !contact.mashEnquiryClosedAt ? { mashEnquiryClosedAt: now } : {}),
    updatedAt: now,
  });
  const withdrawn = await withdrawOpenRequests(trx, contact.id);
  const continuum = await continuumFor(trx, contact.localAuthorityId);
  const levelLabel =
    continuum.levels.find((l) => l.code === decision.levelOfNeed)?.label ?? decision.levelOfNeed;
  // An episode the contact joined because it was already open first, then the decision itself.
  await recordAttachments(ctx, result, { id: decision.id, contact, outcome });
  await recordChange(ctx, {
    chronology: {
      childIds,
      category: 'decision',
      title: `Front-door decision: ${OUTCOME_LABELS[outcome]} (${contact.reference})`,
      summary: `${levelLabel}. Authorised by ${user.displayName}.`,
      significant: outcome !== 'nfa',
      sourceType: 'contact-decision',
      sourceId: decision.id,
    },
    audit: {
      action: 'contact.decision-authorised',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      details: {
        reference: contact.reference,
        decisionId: decision.id,
        outcome,
        earlyHelpEpisode: result.earlyHelpEpisode?.reference ?? null,
        cinReferrals: result.cinReferrals.map((r) => r.reference),
        attachedCinEpisodes: result.attachedCinEpisodes.map((r) => r.reference),
        attachedEarlyHelpEpisodes: result.attachedEarlyHelpEpisodes.map((r) => r.reference),
        requestsWithdrawn: withdrawn,
      },
    },
  });
  return result;
}

/** The team a referral goes to belongs to the contact's authority; an early help episode's, to its early help. */
async function requireTeamOf(
  ctx: ServiceContext,
  teamId: string,
  contact: Pick<ContactsRow, 'localAuthorityId'>,
  earlyHelp: boolean,
): Promise<void> {
  const team = await ctx.db
    .selectFrom('teams as t')
    .leftJoin('services as s', 's.id', 't.serviceId')
    .select(['t.id', 't.localAuthorityId', 's.area'])
    .where('t.id', '=', teamId)
    .executeTakeFirst();
  if (!team || team.localAuthorityId !== contact.localAuthorityId)
    throw new BusinessRuleError('teamId', 'Choose a team of this local authority');
  if (earlyHelp && team.area !== 'early-help')
    throw new BusinessRuleError('teamId', 'Choose an early help team');
}
