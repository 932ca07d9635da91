import { sql, type Transaction } from 'kysely';
import { holdsRoleIn } from '../../kernel/access/index.ts';
import type { DB } from '../../db/schema.ts';
import { codeLabel, CIN_CLOSURE_REASONS } from '../../kernel/code-sets/cin-census.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { recordStepDown, type StepDownAttendee } from '../early-help/index.ts';
import { enforce, practiceError, recordQueryExplanations, type CensusRuleError } from './census-queries.ts';
import {
  rule2990,
  rule4011,
  rule4012Q,
  rule4009Q,
  rule8565,
  rule8585Q,
  rule8610,
  rule8630,
  rule8640,
  rule8805,
  rule8810,
  rule8825Q,
  rule8840,
  rule8867,
  rule8868,
  rule8873Q,
  rule8920,
  rule8925,
  type Violation,
} from './census-rules.ts';
import { endCinPlanRow } from './cin-plan.service.ts';
import { endCpPlanRow } from './child-protection.service.ts';
import {
  enquiryCensus,
  episodeActivity,
  episodeCinPlans,
  episodeCpPlans,
  initialConferences,
  loadEpisodeSnapshot,
  openCinPlan,
  openCpPlan,
  type EpisodeSnapshot,
} from './episode.repository.ts';
import {
  assertOpen,
  auditPart,
  checkVersion,
  endEpisodeAllocations,
  recordEpisodeChange,
  requireEpisode,
} from './episode.service.ts';
import { censusYearQuery } from './census-rules.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  recordChange,
  requirePermission,
  type ServiceContext,
  requireUpdated,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Moving on: closing a CIN episode with a census reason (RC1–RC9), transferring the child to another authority
 * (RC5), and stepping down to early help with a handover meeting (the early help module's recordStepDown). The
 * census closure rules are checked first: 8805/8810 (date and reason together), 8640 (code), 8630 (not before
 * the referral), 8867/8868 (assessments and enquiries completed), 8565 (nothing after the closure, so no plan
 * left open), 2990 (RC8/RC9 only when nothing but an assessment happened), 8825Q, 8873Q and 8585Q (queries).
 */

export function closureViolations(
  s: EpisodeSnapshot,
  closureDate: string,
  reason: string,
  options: { plansEndingOn?: string } = {},
): (Violation | null)[] {
  const cpPlan = openCpPlan(s);
  const cinPlan = openCinPlan(s);
  const plansEnding = options.plansEndingOn !== undefined;
  const activity = episodeActivity(s);
  if (plansEnding) {
    if (cpPlan) activity.push({ label: 'end of the child protection plan', date: options.plansEndingOn! });
    if (cinPlan) activity.push({ label: 'end of the child in need plan', date: options.plansEndingOn! });
  }
  return [
    rule8805(closureDate, reason),
    rule8810(reason, closureDate),
    rule8640(reason),
    rule8630(closureDate, s.episode.referralDate),
    rule8610(s.episode.referralNfa, s.episode.primaryNeedCode, 'closureDate'),
    rule8867(s.assessments),
    rule8868(s.enquiries.map((e) => enquiryCensus(s, e))),
    !plansEnding && cpPlan
      ? {
          rule: '8565',
          kind: 'error',
          field: 'closureDate',
          message:
            'End the child protection plan first: an open plan would carry on after the episode closed (rule 8565)',
        }
      : null,
    !plansEnding && cinPlan
      ? {
          rule: '8565',
          kind: 'error',
          field: 'closureDate',
          message:
            'End the child in need plan first: an open plan would carry on after the episode closed (rule 8565)',
        }
      : null,
    rule8565(closureDate, activity),
    rule2990(reason, {
      section47: s.enquiries.length > 0,
      conference: initialConferences(s).length > 0,
      cpPlan: episodeCpPlans(s).length > 0,
      cinPlan: episodeCinPlans(s).length > 0,
    }),
    rule8825Q(reason, s.assessments.length),
    rule8873Q(
      reason,
      s.assessments.map((a) => ({ factors: a.factors })),
    ),
    rule8585Q(reason, s.episode.dateOfDeath),
  ];
}

async function closeRow(
  ctx: ServiceContext,
  s: EpisodeSnapshot,
  input: { closureDate: string; reason: string; notes: string; version?: number | undefined },
) {
  const { db: trx, user, now } = ctx;
  const e = s.episode;
  requireUpdated(
    await trx
      .updateTable('cinEpisodes')
      .set({
        closureDate: input.closureDate,
        closureReason: input.reason,
        closureNotes: input.notes,
        closedAt: now,
        closedBy: user.id,
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', e.id)
      .where('version', '=', input.version ?? e.version)
      .executeTakeFirst(),
  );
  await endEpisodeAllocations(trx, e.id, input.closureDate);
  await recordEpisodeChange(
    ctx,
    { type: 'cin-episode', id: e.id, childId: e.childId },
    {
      action: 'cin-episode.closed',
      details: { closureDate: input.closureDate, reason: input.reason },
      on: input.closureDate,
      category: 'closure',
      title: `Children in need episode ${e.reference} closed: ${input.reason} ${codeLabel(CIN_CLOSURE_REASONS, input.reason).toLowerCase()}`,
      summary: input.notes,
      significant: true,
    },
  );
}

export interface CloseEpisodeInput {
  episodeId: string;
  closureDate: string;
  reason: string;
  notes: string;
  queryExplanation?: string | undefined;
  /** The episode's version the form was shown with (the page requires it; internal callers may leave it out). */
  version?: number | undefined;
}

export async function closeEpisode(ctx: ServiceContext, input: CloseEpisodeInput): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  checkVersion(episode.version, input.version);
  assertOpen(episode, 'closureDate');
  if (episode.referralNfa)
    throw new BusinessRuleError('closureDate', 'This referral closed with no further action');
  const s = await loadEpisodeSnapshot(trx, episode);
  const queries = enforce(
    [
      input.reason === 'RC5'
        ? practiceError('reason', 'Use “Transfer to another authority” to record a transfer (RC5)')
        : null,
      ...closureViolations(s, input.closureDate, input.reason),
      censusYearQuery('8620', input.closureDate, isoDateOf(now), 'closure date', 'closureDate'),
    ],
    input.queryExplanation,
  );
  await closeRow(ctx, s, input);
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-episode', subjectId: episode.id },
    queries,
    input.queryExplanation,
  );
}

// Transfer out ---------------------------------------------------------------------------------------------------

export interface TransferOutInput {
  episodeId: string;
  transferDate: string;
  toAuthority: string;
  toLaCode: string;
  notes: string;
  queryExplanation?: string | undefined;
  /** The episode's version the form was shown with (the page requires it; internal callers may leave it out). */
  version?: number | undefined;
}

/** The child moves to another authority: open plans end on the transfer date and the episode closes as RC5. */
export async function transferOut(ctx: ServiceContext, input: TransferOutInput): Promise<void> {
  const { db: trx, user } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  checkVersion(episode.version, input.version);
  assertOpen(episode, 'transferDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const own = await trx
    .selectFrom('localAuthorities')
    .select('laCode')
    .where('id', '=', episode.localAuthorityId)
    .executeTakeFirstOrThrow();
  const cp = openCpPlan(s);
  const cin = openCinPlan(s);
  const queries = enforce(
    [
      input.toLaCode === own.laCode
        ? practiceError('toLaCode', 'A transfer out goes to another authority: this is our own code')
        : null,
      ...closureViolations(s, input.transferDate, 'RC5', { plansEndingOn: input.transferDate }).map((v) =>
        v && v.field === 'closureDate' ? { ...v, field: 'transferDate' } : v,
      ),
      cp ? rule8840(cp.startDate, input.transferDate, 'transferDate') : null,
      cp ? rule8925(cp.startDate, input.transferDate, 'transferDate') : null,
      cp ? rule8920(input.transferDate, episode.dateOfDeath, 'transferDate') : null,
      cin ? rule4011(cin.startDate, input.transferDate, 'transferDate') : null,
      cin ? rule4012Q(cin.startDate, input.transferDate, 'transferDate') : null,
      cin ? rule4009Q(input.transferDate, episode.dateOfDeath, 'transferDate') : null,
    ],
    input.queryExplanation,
  );
  const notes = `Transferred to ${input.toAuthority} (${input.toLaCode}). ${input.notes}`;
  if (cp)
    await endCpPlanRow(
      ctx,
      { plan: cp, episode },
      {
        endDate: input.transferDate,
        reason: 'moved-to-another-authority',
        notes,
        queryExplanation: input.queryExplanation,
      },
    );
  if (cin)
    await endCinPlanRow(
      ctx,
      { plan: cin, episode },
      {
        endDate: input.transferDate,
        reason: 'transferred-out',
        notes,
        queryExplanation: input.queryExplanation,
      },
    );
  await trx
    .updateTable('cinEpisodes')
    .set({ transferredOutTo: input.toAuthority, transferredOutLaCode: input.toLaCode })
    .where('id', '=', episode.id)
    .execute();
  await closeRow(ctx, s, { closureDate: input.transferDate, reason: 'RC5', notes, version: input.version });
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-episode', subjectId: episode.id },
    queries.filter((q) => q.rule !== '4012Q'),
    input.queryExplanation,
  );
  await recordChange(ctx, {
    audit: auditPart('cin-episode.transferred-out', {
      type: 'cin-episode',
      id: episode.id,
      childId: episode.childId,
      details: { to: input.toAuthority, laCode: input.toLaCode },
    }),
  });
}

// Step-down to early help ----------------------------------------------------------------------------------------

export interface StepDownToEarlyHelpInput {
  episodeId: string;
  closureDate: string;
  siblingIds: string[];
  proposedLeadPractitionerId: string;
  handoverHeldOn: string;
  attendees: StepDownAttendee[];
  handoverNotes?: string | undefined;
  planSummary: string;
  familyPreference?: string | undefined;
  consentGiven: boolean;
  queryExplanation?: string | undefined;
  /** The episode's version the form was shown with (the page requires it; internal callers may leave it out). */
  version?: number | undefined;
}

/** The episode's closure reason on step-down: RC9 straight after the assessment, RC7 after a plan or an enquiry (rule 2990). */
export function stepDownReason(s: EpisodeSnapshot): 'RC7' | 'RC9' {
  const beyondAssessment =
    s.enquiries.length > 0 ||
    initialConferences(s).length > 0 ||
    episodeCpPlans(s).length > 0 ||
    episodeCinPlans(s).length > 0;
  return beyondAssessment ? 'RC7' : 'RC9';
}

const STEP_DOWN_FIELDS: Record<string, string> = {
  'handover.heldOn': 'handoverHeldOn',
  'handover.attendees': 'attendees__0__name',
  childIds: 'siblingIds',
  planSummary: 'planSummary',
  proposedLeadPractitionerId: 'proposedLeadPractitionerId',
};

export async function stepDownToEarlyHelp(
  ctx: ServiceContext,
  input: StepDownToEarlyHelpInput,
): Promise<{ earlyHelpEpisodeId: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  checkVersion(episode.version, input.version);
  assertOpen(episode, 'closureDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const cp = openCpPlan(s);
  const cin = openCinPlan(s);
  const reason = stepDownReason(s);
  const queries = enforce(
    [
      cp
        ? practiceError(
            'closureDate',
            'A child on a child protection plan is not stepped down to early help: the plan ends at a review conference first',
          )
        : null,
      input.closureDate < input.handoverHeldOn
        ? practiceError('closureDate', 'The episode closes on or after the handover meeting')
        : null,
      ...closureViolations(s, input.closureDate, reason, { plansEndingOn: input.closureDate }),
      cin ? rule4011(cin.startDate, input.closureDate, 'closureDate') : null,
      cin ? rule4012Q(cin.startDate, input.closureDate, 'closureDate') : null,
    ],
    input.queryExplanation,
  );
  let result;
  try {
    result = await recordStepDown(
      { db: trx, user, now },
      {
        cinEpisodeId: episode.id,
        childIds: [episode.childId, ...input.siblingIds.filter((id) => id !== episode.childId)],
        proposedLeadPractitionerId: input.proposedLeadPractitionerId,
        handover: { heldOn: input.handoverHeldOn, attendees: input.attendees, notes: input.handoverNotes },
        planSummary: input.planSummary,
        familyPreference: input.familyPreference,
        consentGiven: input.consentGiven,
      },
    );
  } catch (error) {
    if (error instanceof BusinessRuleError && !(error as CensusRuleError).violations) {
      throw new BusinessRuleError(STEP_DOWN_FIELDS[error.field] ?? error.field, error.message);
    }
    throw error;
  }
  const notes = `Stepped down to early help (${result.reference}) after a handover meeting on ${input.handoverHeldOn}.`;
  if (cin)
    await endCinPlanRow(
      ctx,
      { plan: cin, episode },
      { endDate: input.closureDate, reason: 'step-down', notes, queryExplanation: input.queryExplanation },
    );
  await trx
    .updateTable('cinEpisodes')
    .set({ earlyHelpEpisodeId: result.episodeId })
    .where('id', '=', episode.id)
    .execute();
  await closeRow(ctx, s, { closureDate: input.closureDate, reason, notes, version: input.version });
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cin-episode', subjectId: episode.id },
    queries.filter((q) => q.rule !== '4012Q'),
    input.queryExplanation,
  );
  await recordChange(ctx, {
    audit: auditPart('cin-episode.stepped-down', {
      type: 'cin-episode',
      id: episode.id,
      childId: episode.childId,
      details: { earlyHelpEpisode: result.reference, reason },
    }),
  });
  return { earlyHelpEpisodeId: result.episodeId, reference: result.reference };
}

/** Children early help could also be for: the child's siblings the user may see. */
export async function siblingOptions(trx: Trx, childId: string) {
  const rels = await trx
    .selectFrom('relationships')
    .select(['personId', 'relatedPersonId'])
    .where('kind', '=', 'sibling')
    .where((eb) => eb.or([eb('personId', '=', childId), eb('relatedPersonId', '=', childId)]))
    .where('toDate', 'is', null)
    .execute();
  const ids = [...new Set(rels.map((r) => (r.personId === childId ? r.relatedPersonId : r.personId)))];
  if (!ids.length) return [];
  return trx
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName'])
    .where('id', 'in', ids)
    .where('kind', '=', 'child')
    .where('mergedIntoId', 'is', null)
    .orderBy('givenName')
    .execute();
}

/** Who can be proposed as the early help lead practitioner: active users with an early help role in the authority. */
export async function leadPractitionerOptions(trx: Trx, localAuthorityId: string) {
  return trx
    .selectFrom('users as u')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .leftJoin('agencies as a', 'a.id', 'u.agencyId')
    .select(['u.id', 'u.displayName', 'u.jobTitle', 't.name as teamName', 'a.name as agencyName'])
    .where('u.status', '=', 'active')
    .where(holdsRoleIn(['early-help-practitioner', 'partner-lead-practitioner']))
    .where((eb) => eb.or([eb('t.localAuthorityId', '=', localAuthorityId), eb('u.agencyId', 'is not', null)]))
    .orderBy('u.displayName')
    .execute();
}
