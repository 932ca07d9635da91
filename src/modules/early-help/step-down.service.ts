/**
 * Step-down from children's social care to early help (docs/domain.md, "Early help and Families First"): the social worker and the new lead
 * practitioner hold a handover meeting; the plan is transferred; the early help episode opens (source 'step-down')
 * and waits for the proposed lead practitioner to accept. Called by the social-care module's closure / step-down
 * flow, in its transaction:
 *
 *   import { recordStepDown, type StepDownInput } from '../early-help/index.ts';
 *   const { episodeId, reference } = await recordStepDown({ db: trx, user, now }, {
 *     cinEpisodeId,                           // the CIN episode being stepped down (cin_episodes.id)
 *     childIds: [childId, siblingId],         // the children early help is for: must include the CIN episode's child
 *     proposedLeadPractitionerId,             // a user who can lead early help for these children (see below)
 *     clusterId,                              // optional: the locality cluster (else the lead's team's cluster)
 *     handover: {
 *       heldOn: '2026-11-20',                 // the handover meeting's date: today or in the past
 *       attendees: [                          // at least one; each a name, with their role and agency if known
 *         { name: 'Sian Walker', role: 'Social worker', userId },
 *         { name: 'Eve Halpern', role: 'Family support worker', userId: leadId },
 *         { name: 'Ms Patel', role: 'Designated safeguarding lead', agencyId: schoolId },
 *       ],
 *       notes: 'Mum attended and agreed to early help.',   // optional
 *     },
 *     planSummary: 'The CIN plan goals carried into early help: …',  // required: the plan transferred
 *     familyPreference: 'Mum asked for Eve to stay involved',        // optional
 *     consentGiven: true,                     // optional: the family agreed to early help (recorded on the episode)
 *   });
 *
 * Rules: `user` needs 'social-care:write' or 'early-help:write' and write access to every child's record; the CIN
 * episode must exist and be one of the children's; no child may already have an open early help episode; the
 * proposed lead practitioner must be able to access the children (an active user with an early help role who can
 * read every child's record, or a partner lead practitioner whose agency works with the authority, for children
 * whose records are not restricted) — otherwise a BusinessRuleError on 'proposedLeadPractitionerId' says why.
 * Every problem is a BusinessRuleError on the field named in the input (e.g. 'handover.heldOn'), so a page can show it.
 * The CIN episode itself is not closed here: that is the social-care module's job.
 *
 * The proposed lead practitioner sees "Accept a step-down" on their worktray and accepts (or declines, with a
 * reason) at /early-help/episodes/:ehEpisodeId/handover (respondToStepDown below).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { requireEpisodeAccess } from './access.ts';
import { shorten } from './early-help.ts';
import { openEarlyHelpEpisode, requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { recordChange, type ServiceContext, requireUpdated } from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

export interface StepDownAttendee {
  /** As it should appear on the record, e.g. 'Sian Walker'. */
  name: string;
  /** e.g. 'Social worker', 'Mother'. */
  role?: string | undefined;
  /** Their agency, when a partner (agencies.id). */
  agencyId?: string | undefined;
  /** When they are a user of the system. */
  userId?: string | undefined;
}

export interface StepDownInput {
  /** The children in need episode being stepped down (cin_episodes.id). */
  cinEpisodeId: string;
  /** The children early help is for (people.id, kind 'child'); must include the CIN episode's child. */
  childIds: string[];
  /** Who is proposed as lead practitioner (users.id); they accept or decline. */
  proposedLeadPractitionerId: string;
  /** The locality cluster (clusters.id); default: the cluster of the lead practitioner's team. */
  clusterId?: string | undefined;
  handover: {
    /** 'YYYY-MM-DD', today or earlier. */
    heldOn: string;
    /** Who attended the handover meeting: at least one. */
    attendees: StepDownAttendee[];
    notes?: string | undefined;
  };
  /** The plan transferred to early help: what the CIN plan achieved and what carries on. Required. */
  planSummary: string;
  /** The family's preference about who leads. */
  familyPreference?: string | undefined;
  consentGiven?: boolean | undefined;
}

export interface StepDownResult {
  episodeId: string;
  reference: string;
  stepDownId: string;
}

export async function recordStepDown(
  ctx: Pick<ServiceContext, 'db' | 'user' | 'now'>,
  input: StepDownInput,
): Promise<StepDownResult> {
  const { db: trx, user, now } = ctx;
  if (!user.permissions.has('social-care:write') && !user.permissions.has('early-help:write'))
    throw new AccessDeniedError('social-care:write');
  const today = isoDateOf(now);
  if (!input.childIds.length)
    throw new BusinessRuleError('childIds', 'Select the children early help is for');
  const cin = await trx
    .selectFrom('cinEpisodes')
    .select(['id', 'childId', 'reference'])
    .where('id', '=', input.cinEpisodeId)
    .executeTakeFirst();
  if (!cin) throw new NotFoundError('No such children in need episode');
  if (!input.childIds.includes(cin.childId))
    throw new BusinessRuleError('childIds', `The children must include the child of ${cin.reference}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.handover.heldOn) || input.handover.heldOn > today) {
    throw new BusinessRuleError(
      'handover.heldOn',
      'The handover meeting must have been held: enter a date today or in the past',
    );
  }
  const attendees = input.handover.attendees.filter((a) => a.name.trim());
  if (!attendees.length)
    throw new BusinessRuleError('handover.attendees', 'Record who attended the handover meeting');
  if (!input.planSummary.trim())
    throw new BusinessRuleError('planSummary', 'Summarise the plan being transferred to early help');
  const agencyIds = [...new Set(attendees.map((a) => a.agencyId).filter((x): x is string => !!x))];
  if (agencyIds.length) {
    const found = await trx.selectFrom('agencies').select('id').where('id', 'in', agencyIds).execute();
    if (found.length !== agencyIds.length)
      throw new BusinessRuleError('handover.attendees', 'Choose attendees’ agencies from the list');
  }
  let episode: { id: string; reference: string };
  try {
    episode = await openEarlyHelpEpisode(ctx, {
      childIds: input.childIds,
      source: 'step-down',
      openedOn: today,
      sourceCinEpisodeId: cin.id,
      clusterId: input.clusterId ?? null,
      leadPractitionerId: input.proposedLeadPractitionerId,
      familyPreference: input.familyPreference ?? null,
      consentGiven: input.consentGiven ?? null,
      levelOfNeed: 'level-2',
      awaitingLeadAcceptance: true,
    });
  } catch (error) {
    if (error instanceof BusinessRuleError && error.field === 'leadPractitionerId')
      throw new BusinessRuleError('proposedLeadPractitionerId', error.message);
    throw error;
  }
  const stepDown = await trx
    .insertInto('earlyHelpStepDowns')
    .values({
      episodeId: episode.id,
      cinEpisodeId: cin.id,
      handoverHeldOn: input.handover.heldOn,
      planSummary: input.planSummary.trim(),
      handoverNotes: input.handover.notes?.trim() || null,
      proposedLeadId: input.proposedLeadPractitionerId,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('earlyHelpHandoverAttendees')
    .values(
      attendees.map((a) => ({
        stepDownId: stepDown.id,
        name: a.name.trim(),
        role: a.role?.trim() || null,
        agencyId: a.agencyId ?? null,
        userId: a.userId ?? null,
      })),
    )
    .execute();
  const lead = await trx
    .selectFrom('users')
    .select('displayName')
    .where('id', '=', input.proposedLeadPractitionerId)
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: input.childIds,
      title: `Step-down handover meeting: ${cin.reference} to early help ${episode.reference}`,
      summary: `Held ${formatDateGovUk(input.handover.heldOn)} with ${attendees.map((a) => a.name.trim()).join(', ')}. Proposed lead practitioner: ${lead.displayName} (awaiting acceptance). Plan transferred: ${shorten(input.planSummary, 200)}`,
      category: 'meeting',
      significant: true,
      occurredOn: input.handover.heldOn,
      sourceType: 'early-help-step-down',
      sourceId: stepDown.id,
    }),
    audit: episodeAudit({
      action: 'early-help-step-down.recorded',
      episodeId: episode.id,
      childId: input.childIds[0],
      subjectType: 'early-help-step-down',
      subjectId: stepDown.id,
      details: {
        cinEpisodeId: cin.id,
        proposedLeadId: input.proposedLeadPractitionerId,
        attendees: attendees.length,
      },
    }),
  });
  return { episodeId: episode.id, reference: episode.reference, stepDownId: stepDown.id };
}

/** The proposed lead practitioner accepts the step-down, or declines it with a reason (a manager then reassigns). */
export async function respondToStepDown(
  ctx: ServiceContext,
  input: { episodeId: string; response: 'accepted' | 'declined'; notes?: string | undefined },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  const stepDown = await trx
    .selectFrom('earlyHelpStepDowns')
    .selectAll()
    .where('episodeId', '=', episode.id)
    .executeTakeFirst();
  if (!stepDown || episode.leadAcceptance !== 'pending')
    throw new BusinessRuleError(
      'response',
      'There is no step-down waiting for a lead practitioner to accept',
    );
  if (episode.leadPractitionerId !== user.id)
    throw new BusinessRuleError(
      'response',
      'Only the proposed lead practitioner can accept or decline the step-down',
    );
  if (input.response === 'declined' && !input.notes?.trim())
    throw new BusinessRuleError('notes', 'Say why you cannot take on the family');
  await trx
    .updateTable('earlyHelpStepDowns')
    .set({ response: input.response, respondedAt: now, responseNotes: input.notes?.trim() || null })
    .where('id', '=', stepDown.id)
    .execute();
  requireUpdated(
    await trx
      .updateTable('earlyHelpEpisodes')
      .set({
        leadAcceptance: input.response,
        leadRespondedAt: now,
        leadDeclinedReason: input.response === 'declined' ? input.notes!.trim() : null,
        ...(input.response === 'declined' ? { leadPractitionerId: null } : {}),
        updatedAt: now,
        version: episode.version + 1,
      })
      .where('id', '=', episode.id)

      .where('version', '=', episode.version)
      .where('leadAcceptance', '=', 'pending')
      .executeTakeFirst(),
  );
  if (input.response === 'declined') {
    await trx
      .updateTable('allocations')
      .set({ workerId: null })
      .where('involvementType', '=', 'early-help-episode')
      .where('involvementId', '=', episode.id)
      .where('endedOn', 'is', null)
      .execute();
  }
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title:
        input.response === 'accepted'
          ? `${user.displayName} accepted the step-down as lead practitioner`
          : `${user.displayName} declined the step-down`,
      summary: input.notes?.trim() || null,
      category: 'allocation',
      significant: true,
    }),
    audit: episodeAudit({
      action: `early-help-step-down.${input.response}`,
      episodeId: episode.id,
      childId: access.childIds[0],
      subjectType: 'early-help-step-down',
      subjectId: stepDown.id,
    }),
  });
}

export async function loadStepDown(trx: Trx, episodeId: string) {
  const stepDown = await trx
    .selectFrom('earlyHelpStepDowns as s')
    .innerJoin('cinEpisodes as c', 'c.id', 's.cinEpisodeId')
    .leftJoin('users as u', 'u.id', 's.proposedLeadId')
    .leftJoin('users as r', 'r.id', 's.recordedBy')
    .selectAll('s')
    .select([
      'c.reference as cinReference',
      'u.displayName as proposedLeadName',
      'r.displayName as recordedByName',
    ])
    .where('s.episodeId', '=', episodeId)
    .executeTakeFirst();
  if (!stepDown) return null;
  const attendees = await trx
    .selectFrom('earlyHelpHandoverAttendees as a')
    .leftJoin('agencies as g', 'g.id', 'a.agencyId')
    .select(['a.name', 'a.role', 'g.name as agencyName'])
    .where('a.stepDownId', '=', stepDown.id)
    .orderBy('a.name')
    .execute();
  return { ...stepDown, attendees };
}
