import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { auditActor, requireAccess, type CurrentUser } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, formatDateTimeGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { openEarlyHelpEpisode, openEarlyHelpEpisodesFor } from '../early-help/index.ts';
import { openCinEpisodeFor, openCinReferral } from '../social-care/index.ts';
import {
  childName,
  OUTCOME_LABELS,
  SOCIAL_CARE_OUTCOMES,
  statusAfterSendBack,
  STRATEGY_OUTCOME_LABELS,
  type Outcome,
  type StrategyOutcome,
} from './contact.ts';
import { contactChildren, updateContact } from './contact.repository.ts';
import { requireContact } from './contact.service.ts';
import { withdrawOpenRequests } from './information-request.service.ts';
import { continuumFor } from './settings.ts';
import { requirePermission } from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Threshold decisions on a contact, and what follows them.
 *
 * 1. A MASH worker (contact:decide) records the level of need on the authority's continuum (the threshold
 *    document version is kept with it), the outcome, the rationale (internal) and the feedback for the referrer
 *    (words safe to share, kept apart from the rationale). A contact with a live decision refuses another.
 * 2. A manager (contact:authorise), not the person who decided, authorises it with a rationale of their own, or
 *    sends it back with a reason (the contact returns to where it was, and a new decision can be recorded).
 * 3. Authorising routes the contact: early help opens an early help episode for the children (with the contact
 *    attached); social care opens a children's social care referral (a CIN episode) for each child, dated the day
 *    the contact was received, with its census source, allocated to the chosen team; a strategy discussion does
 *    the same (a strategy discussion happens within a social care referral), then who took part, when and what
 *    they decided is recorded with recordStrategyDiscussion. The contact is then complete and the MASH enquiry
 *    closed (open information requests are withdrawn).
 *    A child already open to social care (an open CIN episode) or early help is common: a second episode would be
 *    refused (census rule 8815; one open early help episode per child), so the contact joins the open one instead
 *    (recorded on the child's chronology, in the audit trail and on the decision), and the decision and
 *    authorisation pages warn the worker and the manager beforehand (openInvolvementsOf, involvementWarnings).
 */

export interface OpenInvolvement {
  kind: 'cin-episode' | 'early-help-episode';
  id: string;
  reference: string;
  childId: string;
  childName: string;
  /** Referral date (CIN) or the day early help opened. */
  since: string;
}

/** The open CIN and early help episodes of the children (records) on a contact. */
export async function openInvolvementsOf(trx: Trx, contactId: string): Promise<OpenInvolvement[]> {
  const children = (await contactChildren(trx, contactId)).filter((c) => !!c.personId);
  if (!children.length) return [];
  const ids = children.map((c) => c.personId!);
  const people = await trx
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName'])
    .where('id', 'in', ids)
    .execute();
  const nameOf = (id: string) => {
    const p = people.find((x) => x.id === id);
    return p ? childName(p) : childName(children.find((c) => c.personId === id)!);
  };
  const result: OpenInvolvement[] = [];
  for (const id of ids) {
    const cin = await openCinEpisodeFor(trx, id);
    if (cin)
      result.push({
        kind: 'cin-episode',
        id: cin.id,
        reference: cin.reference,
        childId: id,
        childName: nameOf(id),
        since: cin.referralDate,
      });
  }
  for (const e of await openEarlyHelpEpisodesFor(trx, ids)) {
    result.push({
      kind: 'early-help-episode',
      id: e.id,
      reference: e.reference,
      childId: e.childId,
      childName: nameOf(e.childId),
      since: e.openedOn,
    });
  }
  return result;
}

/**
 * Warnings naming each open involvement and what the decision will do with it. With an outcome (authorisation),
 * only the involvements that outcome joins; without one (the decision page, before the outcome is chosen), all.
 */
export function involvementWarnings(involvements: readonly OpenInvolvement[], outcome?: Outcome): string[] {
  const socialCare = outcome ? SOCIAL_CARE_OUTCOMES.includes(outcome) : true;
  const earlyHelp = outcome ? outcome === 'early-help' : true;
  return involvements.flatMap((i) => {
    if (i.kind === 'cin-episode' && socialCare) {
      return [
        outcome
          ? `${i.childName} already has an open children in need episode (${i.reference}, referred ${formatDateGovUk(i.since)}). This contact will be added to that episode: no new referral will be opened for ${i.childName}.`
          : `${i.childName} already has an open children in need episode (${i.reference}, referred ${formatDateGovUk(i.since)}). A social care or strategy discussion outcome will add this contact to that episode rather than open a new referral.`,
      ];
    }
    if (i.kind === 'early-help-episode' && earlyHelp) {
      return [
        outcome
          ? `${i.childName} is already in an open early help episode (${i.reference}, opened ${formatDateGovUk(i.since)}). This contact will be added to that episode: no new episode will be opened for ${i.childName}.`
          : `${i.childName} is already in an open early help episode (${i.reference}, opened ${formatDateGovUk(i.since)}). An early help outcome will add this contact to that episode rather than open a new one.`,
      ];
    }
    return [];
  });
}

export async function liveDecision(trx: Trx, contactId: string) {
  return trx
    .selectFrom('contactDecisions as d')
    .innerJoin('users as u', 'u.id', 'd.decidedBy')
    .selectAll('d')
    .select(['u.displayName as decidedByName'])
    .where('d.contactId', '=', contactId)
    .where('d.status', '<>', 'sent-back')
    .executeTakeFirst();
}

export async function decideContact(
  trx: Trx,
  user: CurrentUser,
  input: {
    contactId: string;
    levelOfNeed: string;
    outcome: Outcome;
    rationale: string;
    referrerFeedback: string;
    version?: number | undefined;
  },
  now: Date,
): Promise<{ id: string }> {
  requirePermission(user, 'contact:decide');
  const contact = await requireContact(trx, user, input.contactId, now);
  const existing = await liveDecision(trx, contact.id);
  if (existing || contact.status === 'completed') {
    const when = existing ? formatDateTimeGovUk(existing.decidedAt) : 'earlier';
    const what = existing
      ? `${OUTCOME_LABELS[existing.outcome as Outcome]}, ${existing.status === 'authorised' ? 'authorised' : 'awaiting authorisation'}`
      : 'completed';
    throw new BusinessRuleError(
      'outcome',
      `This contact has already been decided (${what}) by ${existing?.decidedByName ?? 'someone else'} on ${when}. A decision cannot be recorded twice: a manager can send it back if it needs to change.`,
    );
  }
  const children = await contactChildren(trx, contact.id);
  if (children.some((c) => !c.personId)) {
    throw new BusinessRuleError(
      'outcome',
      'Complete the known-to-services check first: link every child on the contact to their record, or create one',
    );
  }
  const continuum = await continuumFor(trx, contact.localAuthorityId);
  const level = continuum.levels.find((l) => l.code === input.levelOfNeed);
  if (!level) throw new BusinessRuleError('levelOfNeed', 'Select the level of need from the continuum');
  const row = await trx
    .insertInto('contactDecisions')
    .values({
      contactId: contact.id,
      decidedAt: now,
      decidedBy: user.id,
      continuumId: continuum.id,
      levelOfNeed: level.code,
      thresholdDocumentVersion: continuum.documentVersion,
      outcome: input.outcome,
      rationale: input.rationale,
      referrerFeedback: input.referrerFeedback,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await updateContact(trx, contact.id, input.version, { status: 'awaiting-authorisation', updatedAt: now });
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: 'contact.decided',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: children[0]?.personId ?? null,
    occurredAt: now,
    details: {
      reference: contact.reference,
      decisionId: row.id,
      outcome: input.outcome,
      levelOfNeed: level.code,
      thresholdDocumentVersion: continuum.documentVersion,
      withinTimescale: now.getTime() <= contact.decisionDueAt.getTime(),
    },
  });
  return { id: row.id };
}

export type AuthorisationInput =
  | {
      contactId: string;
      action: 'authorise';
      rationale: string;
      teamId?: string | undefined;
      version?: number | undefined;
      /** The manager has checked the census queries a referral raised about a child's details (social care). */
      confirmCensusQueries?: boolean | undefined;
    }
  | { contactId: string; action: 'send-back'; reason: string; version?: number | undefined };

export interface RoutingResult {
  earlyHelpEpisode?: { id: string; reference: string };
  cinReferrals: { id: string; reference: string; childId: string }[];
  /** Open CIN episodes the contact joined instead of a new referral (the child was already open to social care). */
  attachedCinEpisodes: { id: string; reference: string; childId: string }[];
  /** Open early help episodes the contact joined, with the children on the contact already in each. */
  attachedEarlyHelpEpisodes: { id: string; reference: string; childIds: string[] }[];
}

export async function authoriseDecision(
  trx: Trx,
  user: CurrentUser,
  input: AuthorisationInput,
  now: Date,
): Promise<RoutingResult> {
  requirePermission(user, 'contact:authorise');
  const contact = await requireContact(trx, user, input.contactId, now);
  const decision = await liveDecision(trx, contact.id);
  if (!decision || decision.status !== 'awaiting-authorisation') {
    throw new BusinessRuleError(
      'action',
      decision
        ? 'This decision has already been authorised'
        : 'There is no decision awaiting authorisation on this contact',
    );
  }
  if (decision.decidedBy === user.id)
    throw new BusinessRuleError('action', 'A different manager must authorise a decision you made yourself');
  const children = await contactChildren(trx, contact.id);
  const childIds = children.map((c) => c.personId).filter((id): id is string => !!id);
  const outcome = decision.outcome as Outcome;

  if (input.action === 'send-back') {
    await trx
      .updateTable('contactDecisions')
      .set({ status: 'sent-back', reviewedAt: now, reviewedBy: user.id, sentBackReason: input.reason })
      .where('id', '=', decision.id)
      .execute();
    await updateContact(trx, contact.id, input.version, {
      status: statusAfterSendBack(contact),
      updatedAt: now,
    });
    await recordAuditEvent(trx, {
      actor: auditActor(user),
      action: 'contact.decision-sent-back',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      occurredAt: now,
      details: { reference: contact.reference, decisionId: decision.id, outcome },
    });
    return { cinReferrals: [], attachedCinEpisodes: [], attachedEarlyHelpEpisodes: [] };
  }

  const result: RoutingResult = { cinReferrals: [], attachedCinEpisodes: [], attachedEarlyHelpEpisodes: [] };
  let teamId: string | null = input.teamId ?? null;
  if (SOCIAL_CARE_OUTCOMES.includes(outcome) && !teamId)
    throw new BusinessRuleError('teamId', 'Choose the team the referral goes to');
  if (teamId) {
    const team = await trx
      .selectFrom('teams')
      .select(['id', 'localAuthorityId'])
      .where('id', '=', teamId)
      .executeTakeFirst();
    if (!team || team.localAuthorityId !== contact.localAuthorityId)
      throw new BusinessRuleError('teamId', 'Choose a team of this local authority');
  }
  if (outcome === 'early-help') {
    // Children already in an open early help episode join it; the others get a new episode as usual.
    const open = await openEarlyHelpEpisodesFor(trx, childIds);
    for (const e of open) {
      const attached = result.attachedEarlyHelpEpisodes.find((a) => a.id === e.id);
      if (attached) attached.childIds.push(e.childId);
      else result.attachedEarlyHelpEpisodes.push({ id: e.id, reference: e.reference, childIds: [e.childId] });
    }
    const alreadyOpen = new Set(open.map((e) => e.childId));
    // Read, not write: the record is allocated to the early help team, and joining a contact to its episode
    // changes nothing on it but the chronology.
    if (alreadyOpen.size) await requireAccess(trx, user, 'read', [...alreadyOpen], now);
    const newChildIds = childIds.filter((id) => !alreadyOpen.has(id));
    if (newChildIds.length)
      result.earlyHelpEpisode = await openEarlyHelpEpisode(
        { db: trx, user, now },
        {
          childIds: newChildIds,
          source: 'front-door',
          openedOn: isoDateOf(now),
          sourceContactId: contact.id,
          teamId,
          levelOfNeed: decision.levelOfNeed,
          // Consent to share at the front door is not the family's agreement to early help: only consent given
          // carries over; "not asked" or "dispensed with" leaves it to the lead practitioner to seek (not withdrawn).
          consentGiven: contact.consent === 'given' ? true : null,
          consentNotes: frontDoorConsentNote(contact.consent, contact.consentRationale),
        },
      );
  } else if (SOCIAL_CARE_OUTCOMES.includes(outcome)) {
    for (const childId of childIds) {
      // Already open to social care: the contact joins the open episode (a second one is refused, rule 8815).
      const open = await openCinEpisodeFor(trx, childId);
      if (open) {
        // Read, not write: the record is allocated to the social care team; only its chronology changes.
        await requireAccess(trx, user, 'read', [childId], now);
        result.attachedCinEpisodes.push({ id: open.id, reference: open.reference, childId });
        continue;
      }
      const referral = await openCinReferral(
        { db: trx, user, now },
        {
          childId,
          referralDate: isoDateOf(contact.receivedAt),
          referralSource: contact.referralSource,
          teamId: teamId!,
          sourceContactId: contact.id,
          confirmCensusQueries: input.confirmCensusQueries,
          authorisedAtFrontDoor: true,
        },
      );
      result.cinReferrals.push({ ...referral, childId });
    }
  } else {
    teamId = null;
  }
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
  for (const childId of childIds) {
    await appendCaseEvent(trx, {
      childId,
      occurredAt: now,
      recordedAt: now,
      recordedBy: user.id,
      category: 'decision',
      title: `Front-door decision: ${OUTCOME_LABELS[outcome]} (${contact.reference})`,
      summary: `${levelLabel}. Authorised by ${user.displayName}.`,
      significant: outcome !== 'nfa',
      sourceType: 'contact-decision',
      sourceId: decision.id,
    });
  }
  // The contact joining an episode that was already open: on the child's chronology and in the audit trail.
  const attachments = [
    ...result.attachedCinEpisodes.map((a) => ({
      kind: 'cin-episode' as const,
      id: a.id,
      reference: a.reference,
      childIds: [a.childId],
    })),
    ...result.attachedEarlyHelpEpisodes.map((a) => ({ kind: 'early-help-episode' as const, ...a })),
  ];
  for (const a of attachments) {
    const what = a.kind === 'cin-episode' ? 'open children in need episode' : 'open early help episode';
    for (const childId of a.childIds) {
      await appendCaseEvent(trx, {
        childId,
        occurredAt: now,
        recordedAt: now,
        recordedBy: user.id,
        category: a.kind === 'cin-episode' ? 'social-care' : 'early-help',
        title: `Contact ${contact.reference} added to the ${what} ${a.reference}`,
        summary: `Front-door decision: ${OUTCOME_LABELS[outcome]}, authorised by ${user.displayName}. Already open, so no new ${a.kind === 'cin-episode' ? 'referral' : 'episode'} was opened.`,
        significant: true,
        sourceType: a.kind,
        sourceId: a.id,
      });
      await recordAuditEvent(trx, {
        actor: auditActor(user),
        action: 'contact.attached-to-open-episode',
        subjectType: a.kind,
        subjectId: a.id,
        childId,
        occurredAt: now,
        details: {
          contactId: contact.id,
          contactReference: contact.reference,
          decisionId: decision.id,
          outcome,
          episodeReference: a.reference,
        },
      });
    }
  }
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: 'contact.decision-authorised',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: childIds[0] ?? null,
    occurredAt: now,
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
  });
  return result;
}

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
export async function recordStrategyDiscussion(
  trx: Trx,
  user: CurrentUser,
  input: {
    contactId: string;
    heldAt: Date;
    outcome: StrategyOutcome;
    decided: string;
    participants: StrategyParticipantInput[];
  },
  now: Date,
): Promise<{ id: string }> {
  requirePermission(user, 'contact:decide');
  const contact = await requireContact(trx, user, input.contactId, now);
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
  const agencyIds = [
    ...new Set(input.participants.map((p) => p.agencyId).filter((id): id is string => !!id)),
  ];
  const agencies = agencyIds.length
    ? await trx.selectFrom('agencies').select(['id', 'kind']).where('id', 'in', agencyIds).execute()
    : [];
  if (agencies.length !== agencyIds.length)
    throw new BusinessRuleError('participants', 'Select agencies from the list');
  const kinds = new Set(agencies.map((a) => a.kind));
  const missing = [
    input.participants.some((p) => !p.agencyId) ? null : 'children’s social care',
    kinds.has('police') ? null : 'the police',
    kinds.has('health') || kinds.has('camhs') ? null : 'health',
  ].filter((m): m is string => !!m);
  if (missing.length) {
    throw new BusinessRuleError(
      'participants',
      `A strategy discussion needs at least children’s social care, the police and health: add who took part for ${missing.join(' and ')}`,
    );
  }
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
  // The same meeting on each child's social care referral opened by this decision: a section 47 enquiry starts
  // from it there, and the initial conference target is counted from it.
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
        heldOn: isoDateOf(input.heldAt),
        informationShared: `Held at the front door on contact ${contact.reference}. ${input.decided}`,
        decision: SOCIAL_CARE_STRATEGY_DECISION[input.outcome],
        rationale: input.decided,
        recordedAt: now,
        recordedBy: user.id,
        sourceStrategyDiscussionId: row.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('cpStrategyParticipants')
      .values(
        input.participants.map((p) => ({
          strategyDiscussionId: cp.id,
          name: p.name,
          agencyId: p.agencyId,
          role: p.role ?? null,
        })),
      )
      .execute();
  }
  const children = await contactChildren(trx, contact.id);
  for (const c of children) {
    if (!c.personId) continue;
    await appendCaseEvent(trx, {
      childId: c.personId,
      occurredAt: input.heldAt,
      recordedAt: now,
      recordedBy: user.id,
      category: 'meeting',
      title: `Strategy discussion: ${STRATEGY_OUTCOME_LABELS[input.outcome]}`,
      summary: input.decided.slice(0, 500),
      significant: true,
      sourceType: 'strategy-discussion',
      sourceId: row.id,
    });
  }
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: 'strategy-discussion.recorded',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: children.find((c) => c.personId)?.personId ?? null,
    occurredAt: now,
    details: {
      reference: contact.reference,
      strategyDiscussionId: row.id,
      outcome: input.outcome,
      participants: input.participants.length,
    },
  });
  return { id: row.id };
}

export async function strategyDiscussionsFor(trx: Trx, contactId: string) {
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

export async function decisionsFor(trx: Trx, contactId: string) {
  return trx
    .selectFrom('contactDecisions as d')
    .innerJoin('users as u', 'u.id', 'd.decidedBy')
    .leftJoin('users as r', 'r.id', 'd.reviewedBy')
    .leftJoin('thresholdLevels as l', (j) =>
      j.onRef('l.continuumId', '=', 'd.continuumId').onRef('l.code', '=', 'd.levelOfNeed'),
    )
    .leftJoin('teams as t', 't.id', 'd.routedTeamId')
    .leftJoin('earlyHelpEpisodes as e', 'e.id', 'd.earlyHelpEpisodeId')
    .selectAll('d')
    .select([
      'u.displayName as decidedByName',
      'r.displayName as reviewedByName',
      'l.label as levelLabel',
      't.name as teamName',
      'e.reference as earlyHelpReference',
    ])
    .where('d.contactId', '=', contactId)
    .orderBy('d.decidedAt')
    .execute();
}

export function assertFound<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new NotFoundError();
  return value;
}

/** What the front door knew of consent, for the early help episode it opens. */
export function frontDoorConsentNote(consent: string, rationale: string | null): string | null {
  if (consent === 'given') return rationale;
  const why = rationale ? ` (${rationale})` : '';
  return consent === 'dispensed'
    ? `Consent to the contact was dispensed with at the front door${why}. Seek the family’s agreement to early help.`
    : `The family did not agree to the contact being made${why}. Seek the family’s agreement to early help.`;
}
