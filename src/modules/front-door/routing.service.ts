import type { ContactChildrenRow, ContactsRow } from '../../db/schema.ts';
import { requireAccess } from '../../kernel/access/index.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { openEarlyHelpEpisode, openEarlyHelpEpisodesFor } from '../early-help/index.ts';
import { openCinEpisodeFor, openCinReferral } from '../social-care/index.ts';
import { childName, OUTCOME_LABELS, SOCIAL_CARE_OUTCOMES, type Outcome } from './contact.ts';
import { contactChildren } from './contact.repository.ts';
import { recordChange, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * Routing an authorised decision (authorisation.service.ts): early help opens an early help episode for the
 * children, social care a children's social care referral (a CIN episode) for each child. A child already open to
 * social care or early help joins the open episode instead, recorded on their chronology and in the audit trail;
 * the decision and authorisation pages warn beforehand (openInvolvementsOf, involvementWarnings).
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
export async function openInvolvementsOf(
  trx: ServiceContext['db'],
  contactId: string,
  /** The contact's children when the caller has them already (the contact view does). */
  known?: readonly ContactChildrenRow[],
): Promise<OpenInvolvement[]> {
  const children = (known ?? (await contactChildren(trx, contactId))).filter((c) => !!c.personId);
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

export interface RoutingResult {
  earlyHelpEpisode?: { id: string; reference: string };
  cinReferrals: { id: string; reference: string; childId: string }[];
  /** Open CIN episodes the contact joined instead of a new referral (the child was already open to social care). */
  attachedCinEpisodes: { id: string; reference: string; childId: string }[];
  /** Open early help episodes the contact joined, with the children on the contact already in each. */
  attachedEarlyHelpEpisodes: { id: string; reference: string; childIds: string[] }[];
}

export const NOT_ROUTED = (): RoutingResult => ({
  cinReferrals: [],
  attachedCinEpisodes: [],
  attachedEarlyHelpEpisodes: [],
});

/** What routing needs to know of the decision being authorised. */
export interface Routing {
  contact: ContactsRow;
  levelOfNeed: string;
  childIds: readonly string[];
  teamId: string | null;
  confirmCensusQueries?: boolean | undefined;
}

/**
 * Children already in an open early help episode join it; the others get a new episode, allocated to the team
 * chosen (if any), with the contact attached.
 */
export async function routeToEarlyHelp(ctx: ServiceContext, routing: Routing): Promise<RoutingResult> {
  const { db: trx, user, now } = ctx;
  const { contact, childIds } = routing;
  const result = NOT_ROUTED();
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
    result.earlyHelpEpisode = await openEarlyHelpEpisode(ctx, {
      childIds: newChildIds,
      source: 'front-door',
      openedOn: isoDateOf(now),
      sourceContactId: contact.id,
      teamId: routing.teamId,
      levelOfNeed: routing.levelOfNeed,
      // Consent to share at the front door is not the family's agreement to early help: only consent given
      // carries over; "not asked" or "dispensed with" leaves it to the lead practitioner to seek (not withdrawn).
      consentGiven: contact.consent === 'given' ? true : null,
      consentNotes: frontDoorConsentNote(contact.consent, contact.consentRationale),
    });
  return result;
}

/**
 * A children's social care referral for each child, dated the day the contact was received, allocated to the team
 * chosen; a child already open to social care joins the open episode (a second one is refused, rule 8815).
 */
export async function routeToSocialCare(ctx: ServiceContext, routing: Routing): Promise<RoutingResult> {
  const { db: trx, user, now } = ctx;
  const { contact } = routing;
  const result = NOT_ROUTED();
  for (const childId of routing.childIds) {
    const open = await openCinEpisodeFor(trx, childId);
    if (open) {
      // Read, not write: the record is allocated to the social care team; only its chronology changes.
      await requireAccess(trx, user, 'read', [childId], now);
      result.attachedCinEpisodes.push({ id: open.id, reference: open.reference, childId });
      continue;
    }
    const referral = await openCinReferral(ctx, {
      childId,
      referralDate: isoDateOf(contact.receivedAt),
      referralSource: contact.referralSource,
      teamId: routing.teamId!,
      sourceContactId: contact.id,
      confirmCensusQueries: routing.confirmCensusQueries,
      authorisedAtFrontDoor: true,
    });
    result.cinReferrals.push({ ...referral, childId });
  }
  return result;
}

/** The contact joining an episode that was already open: on each child's chronology and in the audit trail. */
export async function recordAttachments(
  ctx: ServiceContext,
  result: RoutingResult,
  decision: { id: string; contact: { id: string; reference: string }; outcome: Outcome },
): Promise<void> {
  const { contact, outcome } = decision;
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
    const cin = a.kind === 'cin-episode';
    const what = cin ? 'open children in need episode' : 'open early help episode';
    for (const childId of a.childIds) {
      await recordChange(ctx, {
        chronology: {
          childIds: [childId],
          category: cin ? 'social-care' : 'early-help',
          title: `Contact ${contact.reference} added to the ${what} ${a.reference}`,
          summary: `Front-door decision: ${OUTCOME_LABELS[outcome]}, authorised by ${ctx.user.displayName}. Already open, so no new ${cin ? 'referral' : 'episode'} was opened.`,
          significant: true,
          sourceType: a.kind,
          sourceId: a.id,
        },
        audit: {
          action: 'contact.attached-to-open-episode',
          subjectType: a.kind,
          subjectId: a.id,
          childId,
          details: {
            contactId: contact.id,
            contactReference: contact.reference,
            decisionId: decision.id,
            outcome,
            episodeReference: a.reference,
          },
        },
      });
    }
  }
}

/** What the front door knew of consent, for the early help episode it opens. */
export function frontDoorConsentNote(consent: string, rationale: string | null): string | null {
  if (consent === 'given') return rationale;
  const why = rationale ? ` (${rationale})` : '';
  return consent === 'dispensed'
    ? `Consent to the contact was dispensed with at the front door${why}. Seek the family’s agreement to early help.`
    : `The family did not agree to the contact being made${why}. Seek the family’s agreement to early help.`;
}
