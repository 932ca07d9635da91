import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { assessmentTemplateId } from '../../src/modules/social-care/index.ts';

/**
 * Records for the performance measures' hand counts, written straight to the tables (the measures only read them):
 * an episode with any referral and closure dates, an assessment, an initial or review conference, a section 47, a
 * CP plan, a CIN plan and its reviews. Dates are exactly as given, including ones in earlier years that the
 * services' census-year rules would ask about, so a test can place records either side of a period's edges.
 */

type Db = Kysely<DB>;
const now = new Date('2026-11-24T10:00:00Z');
let serial = 0;

export async function anEpisodeRecord(
  db: Db,
  input: {
    childId: string;
    localAuthorityId: string;
    referralDate: string;
    referralSource?: string;
    teamId?: string | null;
    closureDate?: string;
    closureReason?: string;
    sourceContactId?: string;
  },
): Promise<string> {
  serial += 1;
  const row = await db
    .insertInto('cinEpisodes')
    .values({
      reference: `PERF-${String(serial).padStart(4, '0')}-${input.childId.slice(0, 4)}`,
      childId: input.childId,
      localAuthorityId: input.localAuthorityId,
      referralDate: input.referralDate,
      referralSource: input.referralSource ?? '2A',
      primaryNeedCode: 'N1',
      teamId: input.teamId ?? null,
      closureDate: input.closureDate ?? null,
      closureReason: input.closureReason ?? null,
      sourceContactId: input.sourceContactId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const referenceOf = async (db: Db, episodeId: string) =>
  (
    await db
      .selectFrom('cinEpisodes')
      .select('reference')
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow()
  ).reference;

async function episodeChild(db: Db, episodeId: string) {
  return (
    await db.selectFrom('cinEpisodes').select('childId').where('id', '=', episodeId).executeTakeFirstOrThrow()
  ).childId;
}

/** An assessment started on `startDate`, authorised on `authorisedOn` (or still open). */
export async function anAssessmentRecord(
  db: Db,
  episodeId: string,
  input: { startDate: string; authorisedOn?: string; userId: string },
): Promise<string> {
  const authorised = input.authorisedOn
    ? {
        status: 'authorised',
        completedOn: input.authorisedOn,
        completedBy: input.userId,
        outcome: 'cin-plan',
        authorisedOn: input.authorisedOn,
        authorisedBy: input.userId,
        oversight: 'Agreed.',
      }
    : {};
  const row = await db
    .insertInto('cinAssessments')
    .values({
      episodeId,
      childId: await episodeChild(db, episodeId),
      templateId: await assessmentTemplateId(db),
      answers: '{}',
      startDate: input.startDate,
      dueDate: input.startDate,
      ...authorised,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function aSection47Record(db: Db, episodeId: string, startDate: string): Promise<string> {
  const row = await db
    .insertInto('section47Enquiries')
    .values({
      episodeId,
      childId: await episodeChild(db, episodeId),
      startDate,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An initial conference deciding a plan (with or without an enquiry), or a review of a plan. */
export async function aConferenceRecord(
  db: Db,
  episodeId: string,
  input: { heldOn: string; userId: string; section47Id?: string; reviewOf?: string; category?: string },
): Promise<string> {
  const row = await db
    .insertInto('cpConferences')
    .values({
      kind: input.reviewOf ? 'review' : 'initial',
      episodeId,
      childId: await episodeChild(db, episodeId),
      section47Id: input.section47Id ?? null,
      cpPlanId: input.reviewOf ?? null,
      heldOn: input.heldOn,
      chair: 'Chair Person',
      quorate: true,
      outcome: input.reviewOf ? 'continue-plan' : 'cp-plan',
      category: input.reviewOf ? null : (input.category ?? 'NEG'),
      decisions: 'Recorded for the measures.',
      recordedAt: now,
      recordedBy: input.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function aCpPlanRecord(
  db: Db,
  episodeId: string,
  input: {
    conferenceId: string;
    startDate: string;
    category: string;
    previousPlans?: number;
    endDate?: string;
  },
): Promise<string> {
  const row = await db
    .insertInto('cpPlans')
    .values({
      episodeId,
      childId: await episodeChild(db, episodeId),
      initialConferenceId: input.conferenceId,
      startDate: input.startDate,
      initialCategory: input.category,
      latestCategory: input.category,
      previousPlans: input.previousPlans ?? 0,
      planSummary: 'Keep the child safe.',
      endDate: input.endDate ?? null,
      endReason: input.endDate ? 'conference-decision' : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A CIN plan started on `startDate` with reviews held on `reviews`. */
export async function aCinPlanRecord(
  db: Db,
  episodeId: string,
  input: { startDate: string; intervalWeeks?: number; reviews: string[]; userId: string },
): Promise<{ planId: string; reviewIds: string[] }> {
  const childId = await episodeChild(db, episodeId);
  const { id: planId } = await db
    .insertInto('cinPlans')
    .values({
      episodeId,
      childId,
      startDate: input.startDate,
      reviewIntervalWeeks: input.intervalWeeks ?? 12,
      familySummary: 'Support at home.',
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviewIds: string[] = [];
  for (const heldOn of input.reviews) {
    const { id } = await db
      .insertInto('cinPlanReviews')
      .values({
        cinPlanId: planId,
        childId,
        heldOn,
        attendees: 'Family and worker',
        childsViews: 'Fine.',
        familyViews: 'Fine.',
        summary: 'Reviewed.',
        decision: 'continue',
        recordedAt: now,
        recordedBy: input.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    reviewIds.push(id);
  }
  return { planId, reviewIds };
}

/**
 * A contact received at `receivedAt` about `childId` (or a child not yet matched to a record), with an authorised
 * decision when `decision` is given (recorded at `decidedAt`, routed to `routedTeamId`).
 */
export async function aContactRecord(
  db: Db,
  input: {
    localAuthorityId: string;
    receivedAt: string;
    childId?: string;
    userId: string;
    decision?: { outcome: string; decidedAt: string; routedTeamId?: string };
  },
): Promise<{ contactId: string; reference: string }> {
  serial += 1;
  const reference = `PERF-C${String(serial).padStart(4, '0')}`;
  const { id: contactId } = await db
    .insertInto('contacts')
    .values({
      reference,
      localAuthorityId: input.localAuthorityId,
      receivedAt: input.receivedAt,
      channel: 'phone',
      referralSource: '2A',
      submittedByUserId: input.userId,
      submittedByLabel: 'Contact officer',
      reason: 'Recorded for the measures.',
      consent: 'given',
      urgency: 'routine',
      status: input.decision ? 'completed' : 'awaiting-decision',
      completedAt: input.decision?.decidedAt ?? null,
      decisionDueOn: input.receivedAt.slice(0, 10),
      decisionDueAt: input.receivedAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('contactChildren')
    .values({ contactId, position: 1, personId: input.childId ?? null, givenName: 'Unmatched' })
    .execute();
  if (input.decision) {
    const continuum = await db
      .selectFrom('thresholdContinua')
      .select('id')
      .orderBy(sql`local_authority_id = ${input.localAuthorityId}`, 'desc')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('contactDecisions')
      .values({
        contactId,
        decidedAt: input.decision.decidedAt,
        decidedBy: input.userId,
        continuumId: continuum.id,
        levelOfNeed: 'level-2',
        thresholdDocumentVersion: '1',
        outcome: input.decision.outcome,
        rationale: 'Recorded for the measures.',
        referrerFeedback: 'Thank you.',
        status: 'authorised',
        reviewedAt: input.decision.decidedAt,
        reviewedBy: input.userId,
        authorisationRationale: 'Agreed.',
        routedTeamId: input.decision.routedTeamId ?? null,
      })
      .execute();
  }
  return { contactId, reference };
}

/** An early help episode opened on `openedOn` for `childIds`, from a contact when `sourceContactId` is given. */
export async function anEarlyHelpRecord(
  db: Db,
  input: {
    localAuthorityId: string;
    childIds: string[];
    openedOn: string;
    sourceContactId?: string;
    teamId?: string;
    clusterId?: string;
  },
): Promise<string> {
  serial += 1;
  const { id } = await db
    .insertInto('earlyHelpEpisodes')
    .values({
      reference: `PERF-EH${String(serial).padStart(4, '0')}`,
      localAuthorityId: input.localAuthorityId,
      source: input.sourceContactId ? 'front-door' : 'partner',
      sourceContactId: input.sourceContactId ?? null,
      teamId: input.teamId ?? null,
      clusterId: input.clusterId ?? null,
      openedOn: input.openedOn,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('earlyHelpEpisodeChildren')
    .values(input.childIds.map((childId) => ({ episodeId: id, childId, addedOn: input.openedOn })))
    .execute();
  return id;
}

/** A statutory visit on `visitedOn` under a plan of `planKind`, the child seen (alone or not) or not seen. */
export async function aVisitRecord(
  db: Db,
  episodeId: string,
  input: {
    visitedOn: string;
    planKind: 'cp' | 'cin' | 'assessment';
    seen?: 'alone' | 'not-alone' | 'not-seen';
    userId: string;
  },
): Promise<string> {
  const seen = input.seen ?? 'alone';
  const row = await db
    .insertInto('statutoryVisits')
    .values({
      episodeId,
      childId: await episodeChild(db, episodeId),
      planKind: input.planKind,
      visitedOn: input.visitedOn,
      childSeen: seen !== 'not-seen',
      seenAlone: seen === 'not-seen' ? null : seen === 'alone',
      reasonNotSeen: seen === 'not-seen' ? 'Not at home.' : null,
      notes: 'Visited.',
      recordedAt: now,
      recordedBy: input.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An early help episode stepped up to the front door at `steppedUpAt`, through the contact `contactId`. */
export async function aStepUpRecord(
  db: Db,
  input: { episodeId: string; contactId: string; steppedUpAt: string; userId: string },
): Promise<string> {
  const row = await db
    .insertInto('earlyHelpStepUps')
    .values({
      episodeId: input.episodeId,
      contactId: input.contactId,
      rationale: 'Needs have grown.',
      steppedUpAt: input.steppedUpAt,
      steppedUpBy: input.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A step-down from CIN episode `cinEpisodeId` to a new early help episode for its child, recorded at `recordedAt`,
 * with early help's response (accepted or declined, at `recordedAt`) or none yet.
 */
export async function aStepDownRecord(
  db: Db,
  input: {
    cinEpisodeId: string;
    localAuthorityId: string;
    recordedAt: string;
    userId: string;
    response?: 'accepted' | 'declined';
  },
): Promise<string> {
  const childId = await episodeChild(db, input.cinEpisodeId);
  const episodeId = await anEarlyHelpRecord(db, {
    localAuthorityId: input.localAuthorityId,
    childIds: [childId],
    openedOn: input.recordedAt.slice(0, 10),
  });
  const row = await db
    .insertInto('earlyHelpStepDowns')
    .values({
      episodeId,
      cinEpisodeId: input.cinEpisodeId,
      handoverHeldOn: input.recordedAt.slice(0, 10),
      planSummary: 'Recorded for the measures.',
      proposedLeadId: input.userId,
      recordedAt: input.recordedAt,
      recordedBy: input.userId,
      response: input.response ?? null,
      respondedAt: input.response ? input.recordedAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
