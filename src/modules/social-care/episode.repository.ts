import type { Selectable } from 'kysely';
import type {
  CinAssessmentsTable,
  CinPlansTable,
  CpConferencesTable,
  CpPlansTable,
  Section47EnquiriesTable,
} from '../../db/schema.ts';
import { DEFAULT_SETTINGS, type SocialCareSettings } from './social-care.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * Reading a CIN episode and everything on it in a handful of indexed queries (one per table), so that services
 * can check census rules against the whole picture and pages can show it without N+1 queries.
 */

export type AssessmentRow = Selectable<CinAssessmentsTable>;
export type EnquiryRow = Selectable<Section47EnquiriesTable>;
export type ConferenceRow = Selectable<CpConferencesTable>;
export type CpPlanRow = Selectable<CpPlansTable>;
export type CinPlanRow = Selectable<CinPlansTable>;

export async function episodeRow(db: Db, episodeId: string) {
  return db
    .selectFrom('cinEpisodes as e')
    .innerJoin('people as p', 'p.id', 'e.childId')
    .leftJoin('teams as t', 't.id', 'e.teamId')
    .selectAll('e')
    .select([
      'p.givenName',
      'p.familyName',
      'p.knownAs',
      'p.kind as childKind',
      'p.dateOfBirth',
      'p.expectedDateOfBirth',
      'p.dateOfDeath',
      'p.laChildId',
      't.name as teamName',
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
}
export type EpisodeRow = NonNullable<Awaited<ReturnType<typeof episodeRow>>>;

export interface StrategyDiscussionSummary {
  id: string;
  heldOn: string;
  decision: string;
  /** Held at the front door (on the contact that opened this episode) rather than on the episode. */
  atFrontDoor: boolean;
}

export interface EpisodeSnapshot {
  episode: EpisodeRow;
  assessments: AssessmentRow[];
  strategyDiscussions: StrategyDiscussionSummary[];
  enquiries: EnquiryRow[];
  conferences: ConferenceRow[];
  /** Every child protection plan the child has had (all episodes), oldest first. */
  childCpPlans: CpPlanRow[];
  /** Every child in need plan the child has had (all episodes), oldest first. */
  childCinPlans: CinPlanRow[];
}

export async function loadEpisodeSnapshot(db: Db, episode: EpisodeRow): Promise<EpisodeSnapshot> {
  const [assessments, discussions, enquiries, conferences, childCpPlans, childCinPlans] = await Promise.all([
    db
      .selectFrom('cinAssessments')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .orderBy('startDate')
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('cpStrategyDiscussions')
      .select(['id', 'heldOn', 'decision', 'sourceStrategyDiscussionId'])
      .where('episodeId', '=', episode.id)
      .orderBy('heldOn')
      .execute(),
    db
      .selectFrom('section47Enquiries')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .orderBy('startDate')
      .execute(),
    db
      .selectFrom('cpConferences')
      .selectAll()
      .where('episodeId', '=', episode.id)
      .orderBy('heldOn')
      .execute(),
    db
      .selectFrom('cpPlans')
      .selectAll()
      .where('childId', '=', episode.childId)
      .orderBy('startDate')
      .execute(),
    db
      .selectFrom('cinPlans')
      .selectAll()
      .where('childId', '=', episode.childId)
      .orderBy('startDate')
      .execute(),
  ]);
  // One held at the front door on the contact that opened this episode is copied onto the episode when it is
  // recorded (decision.service.ts), so it counts for the section 47 and the conference clock like any other.
  const strategyDiscussions: StrategyDiscussionSummary[] = discussions.map(
    ({ sourceStrategyDiscussionId, ...d }) => ({
      ...d,
      atFrontDoor: sourceStrategyDiscussionId !== null,
    }),
  );
  return { episode, assessments, strategyDiscussions, enquiries, conferences, childCpPlans, childCinPlans };
}

// Reading the snapshot -------------------------------------------------------------------------------------------

export const initialConferences = (s: EpisodeSnapshot) => s.conferences.filter((c) => c.kind === 'initial');
export const episodeCpPlans = (s: EpisodeSnapshot) =>
  s.childCpPlans.filter((p) => p.episodeId === s.episode.id);
export const episodeCinPlans = (s: EpisodeSnapshot) =>
  s.childCinPlans.filter((p) => p.episodeId === s.episode.id);
export const openCpPlan = (s: EpisodeSnapshot) => s.childCpPlans.find((p) => !p.endDate) ?? null;
export const openCinPlan = (s: EpisodeSnapshot) => s.childCinPlans.find((p) => !p.endDate) ?? null;
export const openAssessment = (s: EpisodeSnapshot) =>
  s.assessments.find((a) => a.status !== 'authorised') ?? null;

/** The conference held on an enquiry, if any. */
export const conferenceFor = (s: EpisodeSnapshot, enquiryId: string) =>
  s.conferences.find((c) => c.kind === 'initial' && c.section47Id === enquiryId) ?? null;

/** Census view of an enquiry: the date of its initial conference, and whether one was not required. */
export function enquiryCensus(s: EpisodeSnapshot, e: EnquiryRow) {
  return {
    start: e.startDate,
    icpcDate: conferenceFor(s, e.id)?.heldOn ?? null,
    icpcNotRequired: e.icpcNotRequired,
  };
}

/** Open in the census sense: no conference yet and not marked "conference not required". */
export const openEnquiry = (s: EpisodeSnapshot) =>
  s.enquiries.find((e) => !conferenceFor(s, e.id) && !e.icpcNotRequired) ?? null;

export const lastStrategyDiscussion = (s: EpisodeSnapshot, onOrBefore?: string) =>
  [...s.strategyDiscussions].reverse().find((d) => !onOrBefore || d.heldOn <= onOrBefore) ?? null;

/** Every dated thing on the episode, for rule 8565 (nothing after the closure date). */
export function episodeActivity(s: EpisodeSnapshot): { label: string; date: string | null }[] {
  return [
    ...s.assessments.flatMap((a) => [
      { label: 'start of an assessment', date: a.startDate },
      { label: 'authorisation of an assessment', date: a.authorisedOn },
    ]),
    ...s.enquiries.map((e) => ({ label: 'start of a section 47 enquiry', date: e.startDate })),
    ...s.conferences.map((c) => ({
      label: c.kind === 'initial' ? 'initial child protection conference' : 'review conference',
      date: c.heldOn,
    })),
    ...episodeCpPlans(s).flatMap((p) => [{ label: 'end of the child protection plan', date: p.endDate }]),
    ...episodeCinPlans(s).flatMap((p) => [
      { label: 'start of the child in need plan', date: p.startDate },
      { label: 'end of the child in need plan', date: p.endDate },
    ]),
  ];
}

// Allocation -----------------------------------------------------------------------------------------------------

/**
 * CIN episodes (`e`) with their child (`p`) and current allocation (`a`: null columns when no one holds the
 * episode), the base of the episode lists, the allocation board and the statutory clocks.
 */
export function episodesWithAllocation(db: Db) {
  return db
    .selectFrom('cinEpisodes as e')
    .innerJoin('people as p', 'p.id', 'e.childId')
    .leftJoin('allocations as a', (j) =>
      j
        .onRef('a.involvementId', '=', 'e.id')
        .on('a.involvementType', '=', 'cin-episode')
        .on('a.endedOn', 'is', null),
    );
}

export async function currentAllocation(db: Db, episodeId: string) {
  return db
    .selectFrom('allocations as a')
    .innerJoin('teams as t', 't.id', 'a.teamId')
    .leftJoin('users as u', 'u.id', 'a.workerId')
    .select([
      'a.id',
      'a.teamId',
      'a.workerId',
      'a.startedOn',
      't.name as teamName',
      'u.displayName as workerName',
    ])
    .where('a.involvementType', '=', 'cin-episode')
    .where('a.involvementId', '=', episodeId)
    .where('a.endedOn', 'is', null)
    .orderBy('a.startedOn', 'desc')
    .executeTakeFirst();
}

export async function allocationHistory(db: Db, episodeId: string) {
  return db
    .selectFrom('allocations as a')
    .innerJoin('teams as t', 't.id', 'a.teamId')
    .leftJoin('users as u', 'u.id', 'a.workerId')
    .leftJoin('users as c', 'c.id', 'a.createdBy')
    .select([
      'a.id',
      'a.startedOn',
      'a.endedOn',
      't.name as teamName',
      'u.displayName as workerName',
      'c.displayName as allocatedByName',
    ])
    .where('a.involvementType', '=', 'cin-episode')
    .where('a.involvementId', '=', episodeId)
    .orderBy('a.startedOn', 'desc')
    .orderBy('a.createdAt', 'desc')
    .execute();
}

// Settings -------------------------------------------------------------------------------------------------------

export async function socialCareSettings(db: Db, localAuthorityId: string): Promise<SocialCareSettings> {
  const row = await db
    .selectFrom('socialCareSettings')
    .selectAll()
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    cinReviewIntervalWeeks: row.cinReviewIntervalWeeks,
    cinVisitIntervalWorkingDays: row.cinVisitIntervalWorkingDays,
    cpVisitIntervalWorkingDays: row.cpVisitIntervalWorkingDays,
  };
}

export async function queryExplanationsFor(db: Db, episodeId: string) {
  return db
    .selectFrom('censusQueryExplanations as q')
    .innerJoin('users as u', 'u.id', 'q.explainedBy')
    .select([
      'q.id',
      'q.rule',
      'q.message',
      'q.explanation',
      'q.subjectType',
      'q.explainedAt',
      'u.displayName as explainedByName',
    ])
    .where('q.episodeId', '=', episodeId)
    .orderBy('q.explainedAt')
    .execute();
}

/** Agencies for "who took part" lists, with their kind (police, health …) for the membership rules. */
export async function agencyOptions(db: Db) {
  return db.selectFrom('agencies').select(['id', 'name', 'kind']).orderBy('name').execute();
}
