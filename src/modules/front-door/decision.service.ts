import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, formatDateTimeGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { continuumDeparture, OUTCOME_LABELS, type Outcome } from './contact.ts';
import { contactChildren, updateContact } from './contact.repository.ts';
import { requireContact } from './contact.service.ts';
import { continuumFor } from './settings.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';

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
 *
 * The steps live in their own files: the decision here, authorisation in authorisation.service.ts, routing the
 * contact to early help or social care in routing.service.ts, and strategy discussions in
 * strategy-discussion.service.ts.
 */

/** The contact's decision that has not been sent back (awaiting authorisation or authorised), if any. */
export async function liveDecision(db: Db, contactId: string) {
  return db
    .selectFrom('contactDecisions as d')
    .innerJoin('users as u', 'u.id', 'd.decidedBy')
    .selectAll('d')
    .select(['u.displayName as decidedByName'])
    .where('d.contactId', '=', contactId)
    .where('d.status', '<>', 'sent-back')
    .executeTakeFirst();
}

export interface DecisionInput {
  contactId: string;
  levelOfNeed: string;
  outcome: Outcome;
  rationale: string;
  referrerFeedback: string;
  /** Why the outcome departs from what the level usually leads to (required then, ignored otherwise). */
  departureReason?: string | undefined;
  version?: number | undefined;
}

/** Records the threshold decision on a contact (awaiting a manager's authorisation). */
export async function decideContact(ctx: ServiceContext, input: DecisionInput): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'contact:decide');
  const contact = await requireContact(ctx, input.contactId);
  await refuseSecondDecision(trx, contact);
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
  const departure = continuumDeparture(level, input.outcome);
  const departureReason = departure ? input.departureReason?.trim() : undefined;
  if (departure && !departureReason) throw new BusinessRuleError('departureReason', departure);
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
      departureReason: departureReason ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await updateContact(trx, contact.id, input.version, { status: 'awaiting-authorisation', updatedAt: now });
  await recordChange(ctx, {
    audit: {
      action: 'contact.decided',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: children[0]?.personId ?? null,
      details: {
        reference: contact.reference,
        decisionId: row.id,
        outcome: input.outcome,
        levelOfNeed: level.code,
        thresholdDocumentVersion: continuum.documentVersion,
        departsFromContinuum: Boolean(departure),
        withinTimescale: now.getTime() <= contact.decisionDueAt.getTime(),
      },
    },
  });
  return { id: row.id };
}

/** A contact with a live decision, or completed, refuses another (a manager sends a decision back to change it). */
async function refuseSecondDecision(trx: Trx, contact: { id: string; status: string }): Promise<void> {
  const existing = await liveDecision(trx, contact.id);
  if (!existing && contact.status !== 'completed') return;
  const when = existing ? formatDateTimeGovUk(existing.decidedAt) : 'earlier';
  const what = existing
    ? `${OUTCOME_LABELS[existing.outcome as Outcome]}, ${existing.status === 'authorised' ? 'authorised' : 'awaiting authorisation'}`
    : 'completed';
  throw new BusinessRuleError(
    'outcome',
    `This contact has already been decided (${what}) by ${existing?.decidedByName ?? 'someone else'} on ${when}. A decision cannot be recorded twice: a manager can send it back if it needs to change.`,
  );
}

export async function decisionsFor(db: Db, contactId: string) {
  return db
    .selectFrom('contactDecisions as d')
    .innerJoin('users as u', 'u.id', 'd.decidedBy')
    .leftJoin('users as r', 'r.id', 'd.reviewedBy')
    .leftJoin('thresholdLevels as l', (j) =>
      j.onRef('l.continuumId', '=', 'd.continuumId').onRef('l.code', '=', 'd.levelOfNeed'),
    )
    .leftJoin('teams as t', 't.id', 'd.routedTeamId')
    .leftJoin('earlyHelpEpisodes as e', 'e.id', 'd.earlyHelpEpisodeId')
    .leftJoin('thresholdContinua as c', 'c.id', 'd.continuumId')
    .selectAll('d')
    .select([
      'u.displayName as decidedByName',
      'r.displayName as reviewedByName',
      'l.label as levelLabel',
      't.name as teamName',
      'e.reference as earlyHelpReference',
      'c.documentTitle as thresholdDocumentTitle',
    ])
    .where('d.contactId', '=', contactId)
    .orderBy('d.decidedAt')
    .execute()
    .then((rows) =>
      rows.map((d) => ({
        ...d,
        thresholdDocument: thresholdDocumentInWords(d.thresholdDocumentTitle, d.decidedAt),
      })),
    );
}

/**
 * The threshold document a decision was made against, as people say it: its title and the day of the decision
 * ('London Continuum of Need (four levels), as it stood on 3 December 2026'), not the version code it is stored
 * under ('default-2026-1'), which stays on the decision for the audit.
 */
export function thresholdDocumentInWords(title: string | null, decidedAt: Date): string {
  return `${title ?? 'The threshold document'}, as it stood on ${formatDateGovUk(isoDateOf(decidedAt))}`;
}

export function assertFound<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new NotFoundError();
  return value;
}
