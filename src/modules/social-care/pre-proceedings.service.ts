import { sql } from 'kysely';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { parentalResponsibilityHolders } from '../people/index.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import {
  censusYearQuery,
  initialMeetingAfterStart,
  rule8831,
  rule9000Q,
  rule9006,
  rule9009,
  rule9010Q,
  rule9011,
  rule9012,
  rule9013,
  type Violation,
} from './census-rules.ts';
import type { EpisodeRow } from './episode.repository.ts';
import {
  assertOpen,
  checkVersion,
  recordEpisodeChange,
  requireEpisode,
  type ChronologyEntry,
} from './episode.service.ts';
import {
  FGDM_OFFER_METHOD_LABELS,
  LPM_DECISION_LABELS,
  preProceedingsItems,
  STEP_DECISION_LABELS,
  type FgdmOfferMethod,
  type FgdmResponse,
  type LpmDecision,
  type PreProceedingsFacts,
  type StepDecision,
} from './pre-proceedings.ts';

/**
 * Pre-proceedings (the Public Law Outline) and family group decision making (issue 22): recorded from a legal
 * planning meeting on an episode to the decision to step up to proceedings or down. Each change carries the
 * record's version (a stale form is a ConflictError); the census module 5 rules are checked as things are entered.
 */

export async function preProceedingsRow(db: Db, id: string) {
  return db.selectFrom('preProceedings').selectAll().where('id', '=', id).executeTakeFirst();
}
export type PreProceedingsRow = NonNullable<Awaited<ReturnType<typeof preProceedingsRow>>>;

/** The record and its episode, once the user may read (or write) the child's record; NotFoundError otherwise. */
export async function requirePreProceedings(ctx: ReadContext, id: string, level: 'read' | 'write') {
  const pp = await preProceedingsRow(ctx.db, id);
  if (!pp) throw new NotFoundError();
  const episode = await requireEpisode(ctx, pp.episodeId, level);
  return { pp, episode };
}

/** Everything recorded on one pre-proceedings record, for its page, the census and the timeline. */
export async function preProceedingsDetails(db: Db, pp: PreProceedingsRow) {
  const [reviews, offers, meetings, holders] = await Promise.all([
    db
      .selectFrom('preProceedingsReviews')
      .select(['id', 'heldOn', 'notes'])
      .where('preProceedingsId', '=', pp.id)
      .orderBy('heldOn')
      .orderBy('id')
      .limit(100)
      .execute(),
    db
      .selectFrom('fgdmOffers as o')
      .innerJoin('people as p', 'p.id', 'o.personId')
      .select([
        'o.id',
        'o.personId',
        'p.givenName',
        'p.familyName',
        'o.offeredOn',
        'o.method',
        'o.response',
        'o.respondedOn',
        'o.version',
      ])
      .where('o.preProceedingsId', '=', pp.id)
      .orderBy('o.offeredOn')
      .orderBy('o.id')
      .limit(50)
      .execute(),
    db
      .selectFrom('fgdmMeetings')
      .select(['id', 'heldOn', 'attendees', 'familyPlan'])
      .where('preProceedingsId', '=', pp.id)
      .orderBy('heldOn')
      .orderBy('id')
      .limit(50)
      .execute(),
    parentalResponsibilityHolders(db, pp.childId),
  ]);
  const facts: PreProceedingsFacts = {
    lpmHeldOn: pp.lpmHeldOn,
    startedOn: pp.startedOn,
    lbpSentOn: pp.lbpSentOn,
    initialMeetingOn: pp.initialMeetingOn,
    stepDecisionOn: pp.stepDecisionOn,
    stepDecision: pp.stepDecision,
    outcome: pp.outcome,
    courtApplicationOn: pp.courtApplicationOn,
    letterInitiatingOn: pp.letterInitiatingOn,
    fgdmNotInInterestsOn: pp.fgdmNotInInterestsOn,
    reviews: reviews.map((r) => r.heldOn),
    offers,
    fgdmMeetings: meetings.map((m) => m.heldOn),
  };
  const offered = new Set(offers.map((o) => o.personId));
  return {
    reviews,
    offers: offers.map((o) => ({ ...o, name: `${o.givenName} ${o.familyName}` })),
    meetings,
    holders,
    notYetOffered: holders.filter((h) => !offered.has(h.personId)),
    facts,
  };
}

/** The pre-proceedings records of an episode, newest legal planning meeting first (a handful at most). */
export async function preProceedingsOfEpisode(db: Db, episodeId: string) {
  return db
    .selectFrom('preProceedings')
    .select(['id', 'lpmHeldOn', 'lpmDecision', 'startedOn', 'stepDecision', 'stepDecisionOn'])
    .where('episodeId', '=', episodeId)
    .orderBy('lpmHeldOn', 'desc')
    .orderBy('id')
    .limit(20)
    .execute();
}

export const decided = (pp: { stepDecision: string | null }) =>
  pp.stepDecision === 'step-up' || pp.stepDecision === 'step-down';

/** Moves the record on one version, or a ConflictError when someone changed it since the form was shown. */
export async function bump(
  ctx: ServiceContext,
  id: string,
  version: number,
  set: Record<string, unknown> = {},
) {
  await bumpRow(ctx, 'preProceedings', id, version, set);
}

/**
 * Moves the record, or one of its parts (a review meeting, an FGDM meeting or offer), on one version with the answers
 * in `set`, or a ConflictError when someone changed it since the form was shown.
 */
export async function bumpRow(
  ctx: ServiceContext,
  table: 'preProceedings' | 'preProceedingsReviews' | 'fgdmMeetings' | 'fgdmOffers',
  id: string,
  version: number,
  set: Record<string, unknown>,
) {
  requireUpdated(
    await ctx.db
      .updateTable(table)
      .set({ ...set, updatedAt: ctx.now, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function explain(
  ctx: ServiceContext,
  episode: EpisodeRow,
  ppId: string,
  queries: Violation[],
  explanation: string | null | undefined,
) {
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'pre-proceedings', subjectId: ppId },
    queries,
    explanation,
  );
}

/** Audits a change to a pre-proceedings record (or to one of its meetings or offers) and notes it on the chronology. */
export async function notePreProceedings(
  ctx: ServiceContext,
  pp: { id: string; childId: string },
  change: { action: string; details: Record<string, unknown> } & ChronologyEntry,
) {
  await recordEpisodeChange(ctx, { type: 'pre-proceedings', id: pp.id, childId: pp.childId }, change);
}

/** Write access to the record, its episode open, and the form's version current (a stale form is a 409 first). */
export async function forChange(ctx: ServiceContext, id: string, version: number) {
  requirePermission(ctx.user, 'social-care:write');
  const found = await requirePreProceedings(ctx, id, 'write');
  assertOpen(found.episode, 'form');
  checkVersion(found.pp.version, version);
  return found;
}

// Legal planning meeting --------------------------------------------------------------------------------------------

export interface LegalPlanningMeetingInput {
  episodeId: string;
  heldOn: string;
  attendees: string;
  decision: LpmDecision;
  rationale: string;
  queryExplanation?: string | undefined;
}

/** A legal planning meeting: when it decides to start pre-proceedings, its date is the date they started. */
export async function recordLegalPlanningMeeting(
  ctx: ServiceContext,
  input: LegalPlanningMeetingInput,
): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'heldOn');
  const open = await trx
    .selectFrom('preProceedings')
    .select('id')
    .where('episodeId', '=', episode.id)
    .where('startedOn', 'is not', null)
    .where((eb) => eb.or([eb('stepDecision', 'is', null), eb('stepDecision', '=', 'continue')]))
    .executeTakeFirst();
  const queries = enforce(
    [
      rule8831(episode.referralNfa, 'legal planning meeting', 'heldOn'),
      input.heldOn < episode.referralDate
        ? practiceError('heldOn', 'The legal planning meeting cannot be before the referral')
        : null,
      input.decision === 'start' && open
        ? practiceError('decision', 'Pre-proceedings are already under way on this episode')
        : null,
      input.decision === 'start'
        ? censusYearQuery('9005', input.heldOn, isoDateOf(now), 'date pre-proceedings started', 'heldOn')
        : null,
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('preProceedings')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      lpmHeldOn: input.heldOn,
      lpmAttendees: input.attendees,
      lpmDecision: input.decision,
      lpmRationale: input.rationale,
      startedOn: input.decision === 'start' ? input.heldOn : null,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await explain(ctx, episode, row.id, queries, input.queryExplanation);
  await notePreProceedings(
    ctx,
    { id: row.id, childId: episode.childId },
    {
      action: 'pre-proceedings.lpm-recorded',
      details: { heldOn: input.heldOn, decision: input.decision },
      on: input.heldOn,
      category: 'decision',
      title: `Legal planning meeting: ${LPM_DECISION_LABELS[input.decision].toLowerCase()}`,
      summary: input.rationale,
      significant: input.decision !== 'not-yet',
    },
  );
  return row.id;
}

// Letter before proceedings and the FGDM offer ---------------------------------------------------------------------

export interface LetterBeforeProceedingsInput {
  preProceedingsId: string;
  sentOn: string;
  /** The people with parental responsibility the letter offers an FGDM meeting to. */
  offerTo: string[];
  version: number;
  queryExplanation?: string | undefined;
}

/**
 * The letter before proceedings: it must offer a family group decision making meeting to every person with parental
 * responsibility (an offer made before, in person or by letter, counts), unless a manager decided a meeting is not in
 * the child's interests. A field error names whoever is missing.
 */
export async function recordLetterBeforeProceedings(
  ctx: ServiceContext,
  input: LetterBeforeProceedingsInput,
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { pp, episode } = await forChange(ctx, input.preProceedingsId, input.version);
  const holders = await parentalResponsibilityHolders(trx, pp.childId);
  const already = new Set(
    (
      await trx.selectFrom('fgdmOffers').select('personId').where('preProceedingsId', '=', pp.id).execute()
    ).map((o) => o.personId),
  );
  const holderIds = new Set(holders.map((h) => h.personId));
  const ticked = [...new Set(input.offerTo)].filter((id) => holderIds.has(id) && !already.has(id));
  const missing = holders.filter((h) => !already.has(h.personId) && !ticked.includes(h.personId));
  const queries = enforce(
    [
      pp.startedOn
        ? null
        : practiceError(
            'sentOn',
            'Pre-proceedings were not started, so there is no letter before proceedings',
          ),
      pp.lbpSentOn
        ? practiceError(
            'sentOn',
            'The letter before proceedings is already recorded for these pre-proceedings',
          )
        : null,
      rule9006(input.sentOn, pp.startedOn, 'sentOn'),
      censusYearQuery(
        '9006',
        input.sentOn,
        isoDateOf(now),
        'date the letter before proceedings was sent',
        'sentOn',
      ),
      missing.length && !pp.fgdmNotInInterestsOn
        ? practiceError(
            'offerTo',
            `The letter must offer a family group decision making meeting to everyone with parental responsibility: not yet offered to ${missing.map((m) => m.name).join(', ')}`,
          )
        : null,
      holders.length === 0 && !pp.fgdmNotInInterestsOn
        ? practiceError(
            'offerTo',
            'Nobody is recorded with parental responsibility for the child: record them on the child’s family and network page first, or ask a manager to record that a meeting is not in the child’s interests',
          )
        : null,
    ],
    input.queryExplanation,
  );
  await bump(ctx, pp.id, input.version, { lbpSentOn: input.sentOn });
  if (ticked.length)
    await trx
      .insertInto('fgdmOffers')
      .values(
        ticked.map((personId) => ({
          preProceedingsId: pp.id,
          personId,
          offeredOn: input.sentOn,
          method: 'letter-before-proceedings',
          createdAt: now,
          createdBy: user.id,
          updatedAt: now,
        })),
      )
      .execute();
  await explain(ctx, episode, pp.id, queries, input.queryExplanation);
  await notePreProceedings(ctx, pp, {
    action: 'pre-proceedings.lbp-recorded',
    details: { sentOn: input.sentOn, offersMade: ticked.length },
    on: input.sentOn,
    category: 'social-care',
    title: 'Letter before proceedings sent',
    summary: ticked.length
      ? `It offers a family group decision making meeting to ${holders
          .filter((h) => ticked.includes(h.personId))
          .map((h) => h.name)
          .join(', ')}`
      : null,
    significant: true,
  });
}

export interface FgdmOfferInput {
  preProceedingsId: string;
  personId: string;
  offeredOn: string;
  method: FgdmOfferMethod;
  version: number;
}

/** An FGDM offer made to one person with parental responsibility (in person, by letter, or in the letter). */
export async function recordFgdmOffer(ctx: ServiceContext, input: FgdmOfferInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  const { pp } = await forChange(ctx, input.preProceedingsId, input.version);
  const holders = await parentalResponsibilityHolders(trx, pp.childId);
  const holder = holders.find((h) => h.personId === input.personId);
  if (!holder)
    throw new BusinessRuleError('personId', 'Choose someone with parental responsibility for the child');
  const existing = await trx
    .selectFrom('fgdmOffers')
    .select('id')
    .where('preProceedingsId', '=', pp.id)
    .where('personId', '=', input.personId)
    .executeTakeFirst();
  if (existing) throw new BusinessRuleError('personId', `An offer to ${holder.name} is already recorded`);
  if (input.offeredOn < pp.lpmHeldOn)
    throw new BusinessRuleError('offeredOn', 'The offer cannot be before the legal planning meeting');
  await bump(ctx, pp.id, input.version);
  const row = await trx
    .insertInto('fgdmOffers')
    .values({
      preProceedingsId: pp.id,
      personId: input.personId,
      offeredOn: input.offeredOn,
      method: input.method,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await notePreProceedings(ctx, pp, {
    action: 'fgdm.offer-recorded',
    details: { offerId: row.id, method: input.method },
    on: input.offeredOn,
    category: 'social-care',
    title: 'Family group decision making meeting offered',
    summary: `To ${holder.name}, ${FGDM_OFFER_METHOD_LABELS[input.method].toLowerCase()}`,
  });
  return row.id;
}

export async function requireFgdmOffer(ctx: ReadContext, offerId: string, level: 'read' | 'write') {
  const offer = await ctx.db
    .selectFrom('fgdmOffers as o')
    .innerJoin('people as p', 'p.id', 'o.personId')
    .selectAll('o')
    .select(['p.givenName', 'p.familyName'])
    .where('o.id', '=', offerId)
    .executeTakeFirst();
  if (!offer) throw new NotFoundError();
  const found = await requirePreProceedings(ctx, offer.preProceedingsId, level);
  return { offer: { ...offer, name: `${offer.givenName} ${offer.familyName}` }, ...found };
}

/** The person's answer to the offer: accepted or declined, and when. Versioned on the offer. */
export async function recordFgdmResponse(
  ctx: ServiceContext,
  input: { offerId: string; response: FgdmResponse; respondedOn: string; version: number },
): Promise<void> {
  requirePermission(ctx.user, 'social-care:write');
  const { offer, pp, episode } = await requireFgdmOffer(ctx, input.offerId, 'write');
  assertOpen(episode, 'response');
  checkVersion(offer.version, input.version);
  if (input.respondedOn < offer.offeredOn)
    throw new BusinessRuleError('respondedOn', 'The answer cannot be before the offer was made');
  await bumpRow(ctx, 'fgdmOffers', offer.id, input.version, {
    response: input.response,
    respondedOn: input.respondedOn,
  });
  await notePreProceedings(ctx, pp, {
    action: 'fgdm.response-recorded',
    details: { offerId: offer.id, response: input.response },
    on: input.respondedOn,
    category: 'social-care',
    title: `Family group decision making meeting ${input.response} by ${offer.name}`,
  });
}

/** The referral of an accepted offer to the FGDM service. */
export async function recordFgdmReferral(
  ctx: ServiceContext,
  input: { preProceedingsId: string; referredOn: string; service: string; version: number },
): Promise<void> {
  const { pp } = await forChange(ctx, input.preProceedingsId, input.version);
  const accepted = await ctx.db
    .selectFrom('fgdmOffers')
    .select('respondedOn')
    .where('preProceedingsId', '=', pp.id)
    .where('response', '=', 'accepted')
    .orderBy('respondedOn')
    .executeTakeFirst();
  if (!accepted)
    throw new BusinessRuleError(
      'referredOn',
      'Refer to the FGDM service once someone has accepted the offer',
    );
  if (input.referredOn < accepted.respondedOn!)
    throw new BusinessRuleError('referredOn', 'The referral cannot be before the offer was accepted');
  await bump(ctx, pp.id, input.version, { fgdmReferredOn: input.referredOn, fgdmService: input.service });
  await notePreProceedings(ctx, pp, {
    action: 'fgdm.referred',
    details: { referredOn: input.referredOn },
    on: input.referredOn,
    category: 'referral',
    title: 'Referred to the family group decision making service',
    summary: input.service,
  });
}

/** A family group decision making meeting held: who came and the family's plan. */
export async function recordFgdmMeeting(
  ctx: ServiceContext,
  input: { preProceedingsId: string; heldOn: string; attendees: string; familyPlan: string; version: number },
): Promise<string> {
  const { db: trx, user, now } = ctx;
  const { pp } = await forChange(ctx, input.preProceedingsId, input.version);
  const accepted = await trx
    .selectFrom('fgdmOffers')
    .select('id')
    .where('preProceedingsId', '=', pp.id)
    .where('response', '=', 'accepted')
    .executeTakeFirst();
  if (!accepted)
    throw new BusinessRuleError(
      'heldOn',
      'A meeting is held once someone with parental responsibility has accepted',
    );
  if (pp.fgdmReferredOn && input.heldOn < pp.fgdmReferredOn)
    throw new BusinessRuleError('heldOn', 'The meeting cannot be before the referral to the FGDM service');
  await bump(ctx, pp.id, input.version);
  const row = await trx
    .insertInto('fgdmMeetings')
    .values({
      preProceedingsId: pp.id,
      heldOn: input.heldOn,
      attendees: input.attendees,
      familyPlan: input.familyPlan,
      createdAt: now,
      createdBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await notePreProceedings(ctx, pp, {
    action: 'fgdm.meeting-recorded',
    details: { meetingId: row.id, heldOn: input.heldOn },
    on: input.heldOn,
    category: 'meeting',
    title: 'Family group decision making meeting held',
    summary: input.familyPlan,
    significant: true,
  });
  return row.id;
}

/** A manager's decision that a family group decision making meeting is not in the child's interests. */
export async function recordFgdmNotInInterests(
  ctx: ServiceContext,
  input: { preProceedingsId: string; decidedOn: string; rationale: string; version: number },
): Promise<void> {
  requirePermission(ctx.user, 'social-care:authorise');
  const { pp, episode } = await requirePreProceedings(ctx, input.preProceedingsId, 'write');
  assertOpen(episode, 'form');
  checkVersion(pp.version, input.version);
  if (pp.fgdmNotInInterestsOn)
    throw new BusinessRuleError('rationale', 'A manager has already recorded this decision');
  if (!input.rationale.trim()) throw new BusinessRuleError('rationale', 'Give the reasons for the decision');
  await bump(ctx, pp.id, input.version, {
    fgdmNotInInterestsOn: input.decidedOn,
    fgdmNotInInterestsRationale: input.rationale,
    fgdmDecidedBy: ctx.user.id,
  });
  await notePreProceedings(ctx, pp, {
    action: 'fgdm.not-in-interests',
    details: { decidedOn: input.decidedOn },
    on: input.decidedOn,
    category: 'management-oversight',
    title: 'Family group decision making meeting not in the child’s interests (manager’s decision)',
    summary: input.rationale,
    significant: true,
  });
}

// Pre-proceedings meetings and the decision ------------------------------------------------------------------------

export async function recordPreProceedingsMeeting(
  ctx: ServiceContext,
  input: {
    preProceedingsId: string;
    kind: 'initial' | 'review';
    heldOn: string;
    notes: string;
    version: number;
    queryExplanation?: string | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { pp, episode } = await forChange(ctx, input.preProceedingsId, input.version);
  const initial = input.kind === 'initial';
  const queries = enforce(
    [
      pp.startedOn ? null : practiceError('heldOn', 'Pre-proceedings were not started'),
      decided(pp) ? practiceError('heldOn', 'The decision to step up or down is already made') : null,
      initial && pp.initialMeetingOn
        ? practiceError('kind', 'The initial pre-proceedings meeting is already recorded')
        : null,
      !initial && !pp.initialMeetingOn
        ? practiceError('kind', 'Record the initial pre-proceedings meeting first')
        : null,
      initial
        ? initialMeetingAfterStart(input.heldOn, pp.startedOn)
        : pp.initialMeetingOn && input.heldOn < pp.initialMeetingOn
          ? practiceError('heldOn', 'A review meeting cannot be before the initial meeting')
          : null,
      initial
        ? censusYearQuery(
            '9008',
            input.heldOn,
            isoDateOf(now),
            'date of the first pre-proceedings meeting',
            'heldOn',
          )
        : null,
    ],
    input.queryExplanation,
  );
  await bump(ctx, pp.id, input.version, initial ? { initialMeetingOn: input.heldOn } : {});
  if (!initial)
    await trx
      .insertInto('preProceedingsReviews')
      .values({
        preProceedingsId: pp.id,
        heldOn: input.heldOn,
        notes: input.notes,
        createdAt: now,
        createdBy: user.id,
      })
      .execute();
  await explain(ctx, episode, pp.id, queries, input.queryExplanation);
  await notePreProceedings(ctx, pp, {
    action: initial ? 'pre-proceedings.initial-meeting' : 'pre-proceedings.review-meeting',
    details: { heldOn: input.heldOn },
    on: input.heldOn,
    category: 'meeting',
    title: initial ? 'Initial pre-proceedings meeting' : 'Pre-proceedings review meeting',
    summary: input.notes,
  });
}

export interface StepDecisionInput {
  preProceedingsId: string;
  decidedOn: string;
  decision: StepDecision;
  outcome: string | null;
  courtApplicationOn: string | null;
  letterInitiatingOn: string | null;
  version: number;
  queryExplanation?: string | undefined;
}

/**
 * The rules a decision to step up, step down or continue is checked against (census 9000Q, 9009–9013, 9010Q), when it
 * is recorded and when it is corrected. `items` are the FGDM census items as they stand before the decision.
 */
export function stepDecisionRules(
  pp: PreProceedingsRow,
  input: Omit<StepDecisionInput, 'preProceedingsId' | 'version' | 'queryExplanation'>,
  today: string,
  items: { fgdmMeetingOffer: boolean | null; fgdmMeetingFac: boolean | null },
): (Violation | null)[] {
  const final = input.decision !== 'continue';
  return [
    pp.lpmDecision === 'not-yet'
      ? practiceError('decision', 'The legal planning meeting decided not to start pre-proceedings yet')
      : null,
    input.decidedOn < pp.lpmHeldOn
      ? practiceError('decidedOn', 'The decision cannot be before the legal planning meeting')
      : null,
    pp.lpmDecision === 'issue-now' ? rule9000Q(pp.startedOn, 'decision') : null,
    final ? rule9009(input.decidedOn, pp.startedOn, 'decidedOn') : null,
    final && pp.startedOn
      ? censusYearQuery(
          '9009',
          input.decidedOn,
          today,
          'date of the decision to step up or down',
          'decidedOn',
        )
      : null,
    final
      ? rule9011(input.decidedOn, input.outcome)
      : input.outcome
        ? practiceError(
            'outcome',
            'The outcome is recorded with a decision to step up or down, not to continue',
          )
        : null,
    final ? rule9010Q(items.fgdmMeetingOffer, items.fgdmMeetingFac, 'decision') : null,
    (input.courtApplicationOn || input.letterInitiatingOn) && input.decision !== 'step-up'
      ? practiceError('decision', 'A court application follows a decision to step up to proceedings')
      : null,
    input.courtApplicationOn ? rule9012(input.courtApplicationOn, input.decidedOn) : null,
    input.courtApplicationOn
      ? censusYearQuery(
          '9012',
          input.courtApplicationOn,
          today,
          'date of the court application',
          'courtApplicationOn',
        )
      : null,
    input.letterInitiatingOn && !input.courtApplicationOn
      ? practiceError('courtApplicationOn', 'Enter the date of the court application the letter follows')
      : null,
    input.letterInitiatingOn ? rule9013(input.letterInitiatingOn, input.courtApplicationOn) : null,
    input.letterInitiatingOn
      ? censusYearQuery(
          '9013',
          input.letterInitiatingOn,
          today,
          'date of the letter initiating care proceedings',
          'letterInitiatingOn',
        )
      : null,
    input.courtApplicationOn && input.courtApplicationOn > today
      ? practiceError('courtApplicationOn', 'The court application date must be today or in the past')
      : null,
  ];
}

/**
 * The decision to step up to proceedings, step down, or continue, with the outcome (census code A, B or C) and, on a
 * step up, the court application and the letter initiating proceedings. On a record where the legal planning
 * meeting decided to issue proceedings at once, this records the application (query 9000Q: no pre-proceedings).
 */
export async function recordStepDecision(ctx: ServiceContext, input: StepDecisionInput): Promise<void> {
  const { db: trx, now } = ctx;
  const { pp, episode } = await forChange(ctx, input.preProceedingsId, input.version);
  const today = isoDateOf(now);
  const final = input.decision !== 'continue';
  const details = await preProceedingsDetails(trx, pp);
  // The FGDM items as they stand before this decision: an offer still unanswered, or accepted with no meeting held,
  // is asked about (9010Q) when pre-proceedings end.
  const items = preProceedingsItems(details.facts, today);
  const queries = enforce(
    [
      decided(pp) ? practiceError('decision', 'The decision to step up or down is already recorded') : null,
      ...stepDecisionRules(pp, input, today, items),
    ],
    input.queryExplanation,
  );
  await bump(ctx, pp.id, input.version, {
    stepDecision: input.decision,
    stepDecisionOn: input.decidedOn,
    outcome: final ? input.outcome : null,
    courtApplicationOn: input.courtApplicationOn,
    letterInitiatingOn: input.letterInitiatingOn,
  });
  await explain(ctx, episode, pp.id, queries, input.queryExplanation);
  await notePreProceedings(ctx, pp, {
    action: 'pre-proceedings.step-decision',
    details: {
      decision: input.decision,
      outcome: input.outcome,
      courtApplicationOn: input.courtApplicationOn,
    },
    on: input.decidedOn,
    category: 'decision',
    title: `Pre-proceedings: ${STEP_DECISION_LABELS[input.decision].toLowerCase()}`,
    summary: input.courtApplicationOn ? `Court application made on ${input.courtApplicationOn}` : null,
    significant: final,
  });
}
