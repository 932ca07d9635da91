import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { codeLabel, ABUSE_CATEGORIES } from '../../kernel/code-sets/cin-census.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { addCalendarDays, isoDayOfWeek, isoDateOf } from '../../kernel/time/index.ts';
import { carriedSummary, carryActionsIntoPlan, recordActionChecks } from './actions.service.ts';
import {
  goalProblems,
  goalRow,
  goalsOfPlan,
  cpGoalTies,
  progressProblems,
  type GoalInput,
} from './cin-plan.service.ts';
import { cpGoalsAndProgress, saveCpGoalProgress, type GoalProgressInput } from './cp-goal-progress.ts';
import { enforce, practiceError, recordQueryExplanations } from './census-queries.ts';
import { endPlan, type PlanEnding, type PlanToEnd } from './plan-ending.ts';
import {
  rule1104,
  rule1105,
  rule2884,
  rule2885,
  rule2889,
  rule2991Q,
  rule4003,
  rule4012Q,
  rule4017,
  rule8615,
  rule8730,
  rule8831,
  rule8832,
  rule8839,
  rule8840,
  rule8841,
  rule8870Q,
  rule8875,
  rule8890,
  rule8905,
  initialCategoryAsConference,
  rule8910,
  rule8915,
  rule8920,
  rule8925,
  rule8935,
  rule8940,
  rule8720,
  type Violation,
} from './census-rules.ts';
import {
  agencyOptions,
  conferenceFor,
  enquiryCensus,
  initialConferences,
  lastStrategyDiscussion,
  loadEpisodeSnapshot,
  openCinPlan,
  openEnquiry,
  type EpisodeRow,
} from './episode.repository.ts';
import {
  assertOpen,
  auditPart,
  checkVersion,
  chronologyPart,
  recordEpisodeChange,
  requireEpisode,
} from './episode.service.ts';
import { agenciesPresentAt, checkAgenciesPresent, saveAgenciesPresent } from './meeting-agencies.ts';
import {
  CP_END_REASON_LABELS,
  ICPC_OUTCOME_LABELS,
  icpcTarget,
  isQuorate,
  missingStrategyAgencies,
  REVIEW_OUTCOME_LABELS,
  S47_OUTCOME_LABELS,
  STRATEGY_DECISION_LABELS,
  type CpEndReason,
  type IcpcOutcome,
  type ReviewOutcome,
  type S47Outcome,
  type StrategyDecision,
} from './social-care.ts';
import { censusYearQuery } from './census-rules.ts';
import {
  recordChange,
  requirePermission,
  type ServiceContext,
  type ReadContext,
  requireUpdated,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Child protection on a CIN episode: strategy discussions, section 47 enquiries, initial and review conferences,
 * child protection plans and core groups. Every census date and code rule that applies is checked before
 * anything is written (census-rules.ts); the initial conference target is 15 working days from the last strategy
 * discussion, and a plan starts on the day of its initial conference (rule 2885).
 *
 * Starting a child protection plan while a child in need plan is open ends the child in need plan the day before
 * (rules 4001/4017: the two are never open together), with the reason recorded. If the child in need plan started
 * on or after that day the plan is refused instead: end or correct the child in need plan first.
 */

export interface Participant {
  name: string;
  agencyId: string | null;
  role?: string | undefined;
  attended?: boolean;
}

async function withKinds(trx: Trx, people: Participant[]) {
  const agencies = await agencyOptions(trx);
  const kinds = new Map(agencies.map((a) => [a.id, a.kind]));
  if (people.some((p) => p.agencyId && !kinds.has(p.agencyId)))
    throw new BusinessRuleError('participants', 'Select agencies from the list');
  return people.map((p) => ({ ...p, agencyKind: p.agencyId ? (kinds.get(p.agencyId) ?? null) : null }));
}

// Strategy discussions -------------------------------------------------------------------------------------------

export interface StrategyDiscussionInput {
  episodeId: string;
  heldOn: string;
  informationShared: string;
  decision: StrategyDecision;
  rationale: string;
  participants: Participant[];
}

export async function recordStrategyDiscussion(
  ctx: ServiceContext,
  input: StrategyDiscussionInput,
): Promise<string> {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'heldOn');
  const people = await withKinds(trx, input.participants);
  const missing = missingStrategyAgencies(people);
  enforce([
    rule8831(episode.referralNfa, 'strategy discussion', 'heldOn'),
    input.heldOn < episode.referralDate
      ? practiceError(
          'heldOn',
          'The strategy discussion cannot be before the referral: one held at the front door is recorded on the contact',
        )
      : null,
    people.length === 0 ? practiceError('participants', 'Add who took part') : null,
    people.length && missing.length
      ? practiceError(
          'participants',
          `A strategy discussion needs at least children’s social care, the police and health (Working Together 2023): add who took part for ${missing.join(' and ')}`,
        )
      : null,
  ]);
  const row = await trx
    .insertInto('cpStrategyDiscussions')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      heldOn: input.heldOn,
      informationShared: input.informationShared,
      decision: input.decision,
      rationale: input.rationale,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('cpStrategyParticipants')
    .values(
      people.map((p) => ({
        strategyDiscussionId: row.id,
        name: p.name,
        agencyId: p.agencyId,
        role: p.role ?? null,
      })),
    )
    .execute();
  // A later strategy discussion moves the conference target of an enquiry still waiting for its conference.
  const s = await loadEpisodeSnapshot(trx, episode);
  const open = openEnquiry(s);
  const last = lastStrategyDiscussion(s);
  if (open && last && open.outcome !== 'no-further-action') {
    await trx
      .updateTable('section47Enquiries')
      .set({ icpcTarget: icpcTarget(calendar, last.heldOn), updatedAt: now })
      .where('id', '=', open.id)
      .execute();
  }
  await recordEpisodeChange(
    ctx,
    { type: 'cp-strategy-discussion', id: row.id, childId: episode.childId },
    {
      action: 'strategy-discussion.recorded',
      details: { episodeId: episode.id, decision: input.decision, participants: people.length },
      on: input.heldOn,
      category: 'meeting',
      title: `Strategy discussion: ${STRATEGY_DECISION_LABELS[input.decision]}`,
      summary: input.rationale,
      significant: true,
    },
  );
  return row.id;
}

export async function strategyDiscussionDetails(ctx: ReadContext, id: string) {
  const { db: trx } = ctx;
  const row = await trx
    .selectFrom('cpStrategyDiscussions as s')
    .innerJoin('users as u', 'u.id', 's.recordedBy')
    .selectAll('s')
    .select('u.displayName as recordedByName')
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  const episode = await requireEpisode(ctx, row.episodeId, 'read');
  const participants = await trx
    .selectFrom('cpStrategyParticipants as p')
    .leftJoin('agencies as a', 'a.id', 'p.agencyId')
    .select(['p.name', 'p.role', 'a.name as agencyName'])
    .where('p.strategyDiscussionId', '=', id)
    .execute();
  return {
    discussion: row,
    episode,
    participants: participants.map((p) => ({ ...p, agencyName: p.agencyName ?? 'Children’s social care' })),
  };
}

// Section 47 enquiries -------------------------------------------------------------------------------------------

export async function startSection47(
  ctx: ServiceContext,
  input: { episodeId: string; startDate: string; queryExplanation?: string | undefined },
): Promise<string> {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'startDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const strategy =
    [...s.strategyDiscussions]
      .reverse()
      .find((d) => d.decision === 'section-47' && d.heldOn <= input.startDate) ?? null;
  const others = s.enquiries.map((e) => enquiryCensus(s, e));
  const target = strategy ? icpcTarget(calendar, lastStrategyDiscussion(s, input.startDate)!.heldOn) : null;
  const queries = enforce(
    [
      rule8831(episode.referralNfa, 'section 47 enquiry', 'startDate'),
      rule2889(input.startDate, episode.referralDate),
      censusYearQuery('8740', input.startDate, isoDateOf(now), 'enquiry’s start date', 'startDate'),
      strategy
        ? null
        : practiceError(
            'startDate',
            'A section 47 enquiry follows a strategy discussion that decided on one: record the strategy discussion first (on or before the start date)',
          ),
      rule8839(others.filter((o) => !o.icpcDate && !o.icpcNotRequired).length),
      rule8890(input.startDate, others),
      rule2991Q(s.assessments.length),
      rule8870Q(target),
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('section47Enquiries')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      strategyDiscussionId: strategy?.id ?? null,
      startDate: input.startDate,
      icpcTarget: target,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'section-47', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'section-47', id: row.id, childId: episode.childId },
    {
      action: 'section-47.started',
      details: { episodeId: episode.id, icpcTarget: target },
      on: input.startDate,
      category: 'social-care',
      title: 'Section 47 enquiry started',
      summary: target ? `Initial child protection conference target: ${target}` : null,
      significant: true,
    },
  );
  return row.id;
}

export async function requireEnquiry(ctx: ReadContext, id: string, level: 'read' | 'write') {
  const { db: trx } = ctx;
  const enquiry = await trx
    .selectFrom('section47Enquiries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!enquiry) throw new NotFoundError();
  const episode = await requireEpisode(ctx, enquiry.episodeId, level);
  return { enquiry, episode };
}

export async function recordSection47Outcome(
  ctx: ServiceContext,
  input: {
    section47Id: string;
    outcomeOn: string;
    outcome: S47Outcome;
    notes: string;
    /** The enquiry's version the form was shown with (the page requires it). */
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { enquiry, episode } = await requireEnquiry(ctx, input.section47Id, 'write');
  checkVersion(enquiry.version, input.version);
  assertOpen(episode, 'outcomeOn');
  if (enquiry.outcome)
    throw new BusinessRuleError('outcome', 'The outcome of this enquiry is already recorded');
  if (input.outcomeOn < enquiry.startDate)
    throw new BusinessRuleError(
      'outcomeOn',
      `The outcome cannot be before the enquiry started (${enquiry.startDate})`,
    );
  requireUpdated(
    await trx
      .updateTable('section47Enquiries')
      .set({
        outcome: input.outcome,
        outcomeOn: input.outcomeOn,
        outcomeNotes: input.notes,
        icpcNotRequired: input.outcome !== 'icpc',
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', enquiry.id)
      .where('version', '=', input.version ?? enquiry.version)
      .where('outcome', 'is', null)
      .executeTakeFirst(),
  );
  await recordEpisodeChange(
    ctx,
    { type: 'section-47', id: enquiry.id, childId: episode.childId },
    {
      action: 'section-47.outcome-recorded',
      details: { outcome: input.outcome },
      on: input.outcomeOn,
      category: 'social-care',
      title: `Section 47 enquiry outcome: ${S47_OUTCOME_LABELS[input.outcome]}`,
      summary: input.notes,
      significant: true,
    },
  );
}

// Conferences ----------------------------------------------------------------------------------------------------

export interface InitialConferenceInput {
  episodeId: string;
  section47Id: string | null;
  heldOn: string;
  chair: string;
  attendees: Participant[];
  quorumNote?: string | undefined;
  outcome: IcpcOutcome;
  category?: string | undefined;
  decisions: string;
  queryExplanation?: string | undefined;
}

function quorumCheck(
  attendees: { agencyKind: string | null; agencyId: string | null; attended: boolean }[],
  note: string | undefined,
): { quorate: boolean; violation: Violation | null } {
  const quorate = isQuorate(attendees);
  return {
    quorate,
    violation:
      !quorate && !note
        ? practiceError(
            'quorumNote',
            'The conference was not quorate (children’s social care and at least two other agencies): record why the chair decided to go ahead',
          )
        : null,
  };
}

/** Who attended a conference (present unless recorded otherwise, with their agency's kind) and whether it was quorate. */
async function conferenceAttendance(
  trx: Trx,
  input: { attendees: Participant[]; quorumNote?: string | undefined },
) {
  const attendees = (await withKinds(trx, input.attendees)).map((a) => ({
    ...a,
    attended: a.attended ?? true,
  }));
  return { attendees, quorum: quorumCheck(attendees, input.quorumNote) };
}

/** Writes who attended a conference, initial or review. */
async function saveAttendees(
  trx: Trx,
  conferenceId: string,
  attendees: (Participant & { attended: boolean })[],
) {
  await trx
    .insertInto('cpConferenceAttendees')
    .values(
      attendees.map((a) => ({
        conferenceId,
        name: a.name,
        agencyId: a.agencyId,
        role: a.role ?? null,
        attended: a.attended,
      })),
    )
    .execute();
}

export async function recordInitialConference(
  ctx: ServiceContext,
  input: InitialConferenceInput,
): Promise<string> {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'heldOn');
  const s = await loadEpisodeSnapshot(trx, episode);
  const enquiry = input.section47Id ? s.enquiries.find((e) => e.id === input.section47Id) : null;
  if (input.section47Id && !enquiry)
    throw new BusinessRuleError('section47Id', 'Choose a section 47 enquiry on this episode');
  const { attendees, quorum } = await conferenceAttendance(trx, input);
  const last = lastStrategyDiscussion(s, input.heldOn);
  const target = enquiry?.icpcTarget ?? (last ? icpcTarget(calendar, last.heldOn) : null);
  const queries = enforce(
    [
      rule8831(episode.referralNfa, 'conference', 'heldOn'),
      rule1104(input.heldOn, episode.referralDate),
      censusYearQuery('8715', input.heldOn, isoDateOf(now), 'conference date', 'heldOn'),
      rule8875(input.heldOn),
      enquiry ? rule8615(enquiry.startDate, input.heldOn) : null,
      enquiry?.icpcNotRequired
        ? practiceError('section47Id', 'This enquiry was recorded as not needing a conference')
        : null,
      rule2884({
        linkedToEnquiry: !!enquiry,
        episodeHasEnquiry: s.enquiries.length > 0,
        episodeLevelConferences: initialConferences(s).filter((c) => !c.section47Id).length,
        enquiryAlreadyHasConference: !!(enquiry && conferenceFor(s, enquiry.id)),
      }),
      input.outcome === 'cp-plan' ? rule8905(input.category, 'category') : null,
      attendees.length ? null : practiceError('attendees', 'Add who attended'),
      quorum.violation,
      rule8870Q(target),
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('cpConferences')
    .values({
      kind: 'initial',
      episodeId: episode.id,
      childId: episode.childId,
      section47Id: enquiry?.id ?? null,
      targetDate: target,
      heldOn: input.heldOn,
      chair: input.chair,
      quorate: quorum.quorate,
      quorumNote: input.quorumNote ?? null,
      outcome: input.outcome,
      category: input.outcome === 'cp-plan' ? (input.category ?? null) : null,
      decisions: input.decisions,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await saveAttendees(trx, row.id, attendees);
  if (enquiry && !enquiry.outcome) {
    requireUpdated(
      await trx
        .updateTable('section47Enquiries')
        .set({ outcome: 'icpc', outcomeOn: input.heldOn, icpcNotRequired: false, updatedAt: now })
        .where('id', '=', enquiry.id)

        .where('outcome', 'is', null)
        .executeTakeFirst(),
    );
  }
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cp-conference', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  const late = target && input.heldOn > target ? ` Held after the target date (${target}).` : '';
  await recordEpisodeChange(
    ctx,
    { type: 'cp-conference', id: row.id, childId: episode.childId },
    {
      action: 'cp-conference.recorded',
      details: { kind: 'initial', outcome: input.outcome, quorate: quorum.quorate },
      on: input.heldOn,
      category: 'meeting',
      title: `Initial child protection conference: ${ICPC_OUTCOME_LABELS[input.outcome]}${input.outcome === 'cp-plan' && input.category ? ` (${codeLabel(ABUSE_CATEGORIES, input.category).toLowerCase()})` : ''}`,
      summary: `${input.decisions}${late}`,
      significant: true,
    },
  );
  return row.id;
}

export async function conferenceDetails(ctx: ReadContext, id: string) {
  const { db: trx } = ctx;
  const conference = await trx
    .selectFrom('cpConferences as c')
    .innerJoin('users as u', 'u.id', 'c.recordedBy')
    .selectAll('c')
    .select('u.displayName as recordedByName')
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!conference) throw new NotFoundError();
  const episode = await requireEpisode(ctx, conference.episodeId, 'read');
  const attendees = await trx
    .selectFrom('cpConferenceAttendees as a')
    .leftJoin('agencies as g', 'g.id', 'a.agencyId')
    .select(['a.name', 'a.role', 'a.attended', 'g.name as agencyName'])
    .where('a.conferenceId', '=', id)
    .execute();
  const plan =
    conference.kind === 'initial'
      ? await trx
          .selectFrom('cpPlans')
          .select(['id', 'startDate'])
          .where('initialConferenceId', '=', id)
          .executeTakeFirst()
      : null;
  return {
    conference,
    episode,
    plan: plan ?? null,
    attendees: attendees.map((a) => ({ ...a, agencyName: a.agencyName ?? 'Children’s social care' })),
  };
}

// Child protection plans -----------------------------------------------------------------------------------------

export interface StartCpPlanInput {
  episodeId: string;
  startDate: string;
  initialCategory: string;
  planSummary: string;
  /**
   * What needs to change for each worry, as on a child in need plan (cin-plan.service.ts). The pages always give
   * at least one; a plan recorded without (before goals existed, or by an import) keeps only its free text.
   */
  goals?: GoalInput[] | undefined;
  queryExplanation?: string | undefined;
}

export async function startCpPlan(ctx: ServiceContext, input: StartCpPlanInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'startDate');
  const s = await loadEpisodeSnapshot(trx, episode);
  const conferences = initialConferences(s);
  const conference =
    conferences.find((c) => c.heldOn === input.startDate && c.outcome === 'cp-plan') ??
    conferences.find((c) => c.heldOn === input.startDate) ??
    null;
  const previous = s.childCpPlans.filter((p) => p.startDate < input.startDate).length;
  const cin = openCinPlan(s);
  const cinEnd = cin ? addCalendarDays(input.startDate, -1) : null;
  const queries = enforce(
    [
      rule8832(episode.referralNfa),
      rule1105(input.startDate, episode.referralDate),
      rule8720(input.startDate, isoDateOf(now)),
      rule2885(
        input.startDate,
        conferences.map((c) => c.heldOn),
      ),
      conference && conference.outcome !== 'cp-plan'
        ? practiceError('startDate', 'The conference held that day did not decide on a child protection plan')
        : null,
      conference && s.childCpPlans.some((p) => p.initialConferenceId === conference.id)
        ? practiceError('startDate', 'The plan from that conference is already recorded')
        : null,
      rule8905(input.initialCategory, 'initialCategory'),
      rule8905(input.initialCategory) ? null : initialCategoryAsConference(input.initialCategory, conference),
      rule8910(input.initialCategory, 'initialCategory'),
      rule8935(s.childCpPlans.filter((p) => !p.endDate).length),
      rule8940(
        input.startDate,
        s.childCpPlans.map((p) => ({ start: p.startDate, end: p.endDate })),
      ),
      rule8915(input.startDate, episode.dateOfDeath),
      rule8730(previous),
      // An open child in need plan ends the day before; one that started on or after that day cannot.
      cin && cinEnd! < cin.startDate
        ? {
            rule: '4017',
            kind: 'error' as const,
            field: 'startDate',
            message: `The open child in need plan started on ${cin.startDate}, so it cannot end the day before this plan starts: the two plans would overlap (rule 4017)`,
          }
        : null,
      cin && cinEnd! >= cin.startDate ? rule4012Q(cin.startDate, cinEnd) : null,
      rule4017(
        input.startDate,
        s.childCinPlans.filter((p) => p.endDate).map((p) => ({ start: p.startDate, end: p.endDate })),
      ),
      ...(input.goals
        ? goalProblems(cpGoalTies(s, input.initialCategory), input.goals, input.startDate)
        : []),
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('cpPlans')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      initialConferenceId: conference!.id,
      startDate: input.startDate,
      initialCategory: input.initialCategory,
      latestCategory: input.initialCategory,
      previousPlans: previous,
      planSummary: input.planSummary,
      createdAt: now,
      createdBy: user.id,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.goals?.length)
    await trx
      .insertInto('cinPlanGoals')
      .values(input.goals.map((g, i) => goalRow({ cpPlanId: row.id }, i + 1, g, now)))
      .execute();
  if (cin) {
    requireUpdated(
      await trx
        .updateTable('cinPlans')
        .set({
          endDate: cinEnd,
          endReason: 'child-protection-plan',
          endNotes: `Ended the day before the child protection plan started (initial conference on ${input.startDate}).`,
          endedAt: now,
          endedBy: user.id,
          updatedAt: now,
          version: sql`version + 1`,
        })
        .where('id', '=', cin.id)

        .where('endDate', 'is', null)
        .executeTakeFirst(),
    );
    await recordEpisodeChange(
      ctx,
      { type: 'cin-plan', id: cin.id, childId: episode.childId },
      {
        action: 'cin-plan.ended',
        details: { endDate: cinEnd, reason: 'child-protection-plan' },
        on: cinEnd!,
        category: 'plan',
        title: 'Child in need plan ended: a child protection plan started',
      },
    );
  }
  // Open follow-up actions carry over: those waiting on the episode for a plan, and the ended CIN plan's open ones.
  const carried = await carryActionsIntoPlan(trx, {
    episodeId: episode.id,
    into: { cpPlanId: row.id },
    from: cin ? { cinPlanId: cin.id } : null,
  });
  await recordQueryExplanations(
    ctx,
    { childId: episode.childId, episodeId: episode.id, subjectType: 'cp-plan', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  await recordEpisodeChange(
    ctx,
    { type: 'cp-plan', id: row.id, childId: episode.childId },
    {
      action: 'cp-plan.started',
      details: {
        startDate: input.startDate,
        category: input.initialCategory,
        previousPlans: previous,
        goals: input.goals?.length ?? 0,
        endedCinPlan: cin?.id ?? null,
        actionsCarried: carried.unattached.length + carried.fromPlan.length,
      },
      on: input.startDate,
      category: 'plan',
      title: `Child protection plan started: ${codeLabel(ABUSE_CATEGORIES, input.initialCategory).toLowerCase()}`,
      summary: `${input.goals?.length ? `${input.goals.length} goal${input.goals.length === 1 ? '' : 's'}. ` : ''}${previous ? `The child has had ${previous} previous child protection plan${previous === 1 ? '' : 's'}.` : 'The child’s first child protection plan.'}${carriedSummary(carried)}`,
      significant: true,
    },
  );
  if (carried.unattached.length || carried.fromPlan.length)
    await recordChange(ctx, {
      audit: auditPart('plan-actions.carried', {
        type: 'cp-plan',
        id: row.id,
        childId: episode.childId,
        details: {
          into: { cpPlanId: row.id },
          fromEpisode: carried.unattached,
          fromCinPlan:
            cin && carried.fromPlan.length ? { cinPlanId: cin.id, actions: carried.fromPlan } : null,
        },
      }),
    });
  return row.id;
}

export async function requireCpPlan(ctx: ReadContext, id: string, level: 'read' | 'write') {
  const { db: trx } = ctx;
  const plan = await trx.selectFrom('cpPlans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!plan) throw new NotFoundError();
  const episode = await requireEpisode(ctx, plan.episodeId, level);
  return { plan, episode };
}

export interface CoreGroupInput {
  cpPlanId: string;
  heldOn: string;
  /** The agencies present: `SOCIAL_CARE_AGENCY` and agencies.id; at least one other than children's social care. */
  agencies: string[];
  /** Who attended, by name. */
  attendees: string;
  childSeen: boolean;
  progress: string;
  scaling?: number | undefined;
  actionsDone: string[];
  /** Progress on each of the plan's goals (every goal, when the plan has goals). */
  goalProgress?: GoalProgressInput[] | undefined;
}

export async function recordCoreGroup(ctx: ServiceContext, input: CoreGroupInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCpPlan(ctx, input.cpPlanId, 'write');
  assertOpen(episode, 'heldOn');
  const agencies = await checkAgenciesPresent(trx, 'core-group', input.agencies);
  const goals = await goalsOfPlan(trx, { cpPlanId: plan.id });
  const goalProgress = input.goalProgress ?? [];
  enforce([
    plan.endDate ? practiceError('heldOn', 'This plan has ended') : null,
    input.heldOn < plan.startDate
      ? practiceError('heldOn', `A core group meets after the initial conference (${plan.startDate})`)
      : null,
    ...agencies.violations,
    ...progressProblems(goals, goalProgress, 'heldOn'),
  ]);
  const row = await trx
    .insertInto('cpCoreGroups')
    .values({
      cpPlanId: plan.id,
      childId: plan.childId,
      heldOn: input.heldOn,
      socialCarePresent: agencies.present.socialCare,
      attendees: input.attendees,
      childSeen: input.childSeen,
      progress: input.progress,
      scaling: input.scaling ?? null,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await saveAgenciesPresent(trx, 'core-group', row.id, agencies.present);
  await saveCpGoalProgress(trx, { kind: 'core-group', id: row.id, on: input.heldOn }, goalProgress);
  const checks = await recordActionChecks(trx, {
    plan: { cpPlanId: plan.id },
    reviewKind: 'core-group',
    reviewId: row.id,
    on: input.heldOn,
    doneIds: input.actionsDone,
    userId: user.id,
  });
  await recordEpisodeChange(
    ctx,
    { type: 'cp-core-group', id: row.id, childId: plan.childId },
    {
      action: 'cp-core-group.recorded',
      details: {
        cpPlanId: plan.id,
        socialCarePresent: agencies.present.socialCare,
        agencies: agencies.present.agencyIds,
        goalsRated: goalProgress.length,
        actionsDone: checks.done,
        actionsNotDone: checks.notDone,
      },
      on: input.heldOn,
      category: 'meeting',
      title: 'Core group meeting',
      summary: input.progress,
    },
  );
  return row.id;
}

export interface ReviewConferenceInput {
  cpPlanId: string;
  heldOn: string;
  chair: string;
  attendees: Participant[];
  quorumNote?: string | undefined;
  outcome: ReviewOutcome;
  latestCategory: string;
  decisions: string;
  actionsDone: string[];
  /** Progress on each of the plan's goals (every goal, when the plan has goals). */
  goalProgress?: GoalProgressInput[] | undefined;
  queryExplanation?: string | undefined;
  /** The plan's version the form was shown with (the page requires it; internal callers may leave it out). */
  version?: number | undefined;
}

export async function recordReviewConference(
  ctx: ServiceContext,
  input: ReviewConferenceInput,
): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCpPlan(ctx, input.cpPlanId, 'write');
  checkVersion(plan.version, input.version);
  assertOpen(episode, 'heldOn');
  const s = await loadEpisodeSnapshot(trx, episode);
  const { attendees, quorum } = await conferenceAttendance(trx, input);
  const ending = input.outcome === 'end-plan';
  const goals = await goalsOfPlan(trx, { cpPlanId: plan.id });
  const goalProgress = input.goalProgress ?? [];
  const queries = enforce(
    [
      plan.endDate ? practiceError('heldOn', 'This plan has ended') : null,
      rule8841(input.heldOn, plan.startDate),
      isoDayOfWeek(input.heldOn) >= 6
        ? practiceError('heldOn', 'Conferences are held on working days: this date is a Saturday or Sunday')
        : null,
      rule4003(
        input.heldOn,
        s.childCinPlans.map((p) => ({ start: p.startDate, end: p.endDate })),
        ending ? input.heldOn : null,
      ),
      rule8910(input.latestCategory),
      ending ? rule8840(plan.startDate, input.heldOn, 'heldOn') : null,
      ending ? rule8925(plan.startDate, input.heldOn, 'heldOn') : null,
      ending ? rule8920(input.heldOn, episode.dateOfDeath, 'heldOn') : null,
      ending ? censusYearQuery('8930', input.heldOn, isoDateOf(now), 'plan’s end date', 'heldOn') : null,
      attendees.length ? null : practiceError('attendees', 'Add who attended'),
      quorum.violation,
      ...progressProblems(goals, goalProgress, 'heldOn'),
    ],
    input.queryExplanation,
  );
  const row = await trx
    .insertInto('cpConferences')
    .values({
      kind: 'review',
      episodeId: episode.id,
      childId: plan.childId,
      cpPlanId: plan.id,
      heldOn: input.heldOn,
      chair: input.chair,
      quorate: quorum.quorate,
      quorumNote: input.quorumNote ?? null,
      outcome: input.outcome,
      category: input.latestCategory,
      decisions: input.decisions,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await saveAttendees(trx, row.id, attendees);
  await saveCpGoalProgress(trx, { kind: 'review-conference', id: row.id, on: input.heldOn }, goalProgress);
  const checks = await recordActionChecks(trx, {
    plan: { cpPlanId: plan.id },
    reviewKind: 'review-conference',
    reviewId: row.id,
    on: input.heldOn,
    doneIds: input.actionsDone,
    userId: user.id,
  });
  requireUpdated(
    await trx
      .updateTable('cpPlans')
      .set({
        latestCategory: input.latestCategory,
        ...(ending
          ? {
              endDate: input.heldOn,
              endReason: 'conference-decision',
              endNotes: input.decisions,
              endedAt: now,
              endedBy: user.id,
            }
          : {}),
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('id', '=', plan.id)
      .where('version', '=', input.version ?? plan.version)
      .where('endDate', 'is', null)
      .executeTakeFirst(),
  );
  await recordQueryExplanations(
    ctx,
    { childId: plan.childId, episodeId: episode.id, subjectType: 'cp-conference', subjectId: row.id },
    queries,
    input.queryExplanation,
  );
  await recordChange(ctx, {
    chronology: chronologyPart({
      childId: plan.childId,
      on: input.heldOn,
      category: 'meeting',
      title: `Review child protection conference: ${REVIEW_OUTCOME_LABELS[input.outcome]}`,
      summary: input.decisions,
      significant: true,
      sourceType: 'cp-conference',
      sourceId: row.id,
    }),
  });
  if (ending)
    await recordChange(ctx, {
      chronology: chronologyPart({
        childId: plan.childId,
        on: input.heldOn,
        category: 'plan',
        title: 'Child protection plan ended',
        summary: CP_END_REASON_LABELS['conference-decision'],
        significant: true,
        sourceType: 'cp-plan',
        sourceId: plan.id,
      }),
      audit: auditPart('cp-conference.recorded', {
        type: 'cp-conference',
        id: row.id,
        childId: plan.childId,
        details: {
          kind: 'review',
          outcome: input.outcome,
          latestCategory: input.latestCategory,
          actionsDone: checks.done,
          actionsNotDone: checks.notDone,
        },
      }),
    });
  return row.id;
}

export async function endCpPlan(
  ctx: ServiceContext,
  input: PlanEnding<CpEndReason> & { cpPlanId: string },
): Promise<void> {
  const { user } = ctx;
  requirePermission(user, 'social-care:write');
  const { plan, episode } = await requireCpPlan(ctx, input.cpPlanId, 'write');
  checkVersion(plan.version, input.version);
  await endCpPlanRow(ctx, { plan, episode }, input);
}

/** Ends a plan (also used when the child transfers out). */
export async function endCpPlanRow(
  ctx: ServiceContext,
  target: { plan: PlanToEnd; episode: EpisodeRow },
  input: PlanEnding<CpEndReason>,
): Promise<void> {
  const { plan, episode } = target;
  await endPlan(ctx, 'cp-plan', target, input, {
    rules: [
      rule8840(plan.startDate, input.endDate),
      rule8925(plan.startDate, input.endDate),
      rule8920(input.endDate, episode.dateOfDeath),
      censusYearQuery('8930', input.endDate, isoDateOf(ctx.now), 'plan’s end date', 'endDate'),
    ],
    reasonLabel: CP_END_REASON_LABELS[input.reason],
  });
}

export async function cpPlanDetails(ctx: ServiceContext, id: string) {
  const { db: trx } = ctx;
  const { plan, episode } = await requireCpPlan(ctx, id, 'read');
  const [coreGroups, reviews, conference] = await Promise.all([
    trx.selectFrom('cpCoreGroups').selectAll().where('cpPlanId', '=', id).orderBy('heldOn').execute(),
    trx
      .selectFrom('cpConferences')
      .selectAll()
      .where('cpPlanId', '=', id)
      .where('kind', '=', 'review')
      .orderBy('heldOn')
      .execute(),
    trx
      .selectFrom('cpConferences')
      .selectAll()
      .where('id', '=', plan.initialConferenceId)
      .executeTakeFirstOrThrow(),
  ]);
  const [agencies, goals] = await Promise.all([
    agenciesPresentAt(trx, 'core-group', coreGroups),
    cpGoalsAndProgress(trx, id),
  ]);
  return {
    ...goals,
    plan,
    episode,
    coreGroups: coreGroups.map((g) => ({ ...g, agencies: agencies.get(g.id) ?? [] })),
    reviews,
    conference,
  };
}
