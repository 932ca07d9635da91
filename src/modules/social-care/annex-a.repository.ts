import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * Social care's rows for Ofsted's Annex A lists 3 to 7, read set-based by the returns module through this
 * module's index. Each list pages by keyset (its date, then the row's id), so a return over years of a large
 * authority's work keeps memory flat; the counts and "latest" dates are correlated subqueries over the child's or the
 * episode's indexed rows (cin_episodes (child_id, referral_date), statutory_visits (episode_id, visited_on),
 * cp_conferences (cp_plan_id, held_on) …), never rows loaded into Node.
 *
 * Which records a list holds (the window is `from`–`to`, both days included):
 * - 3 referrals: referrals received in the window.
 * - 4 assessments: assessments open at any time in the window (started by its end, not authorised before its start).
 * - 5 section 47 enquiries: enquiries open at any time in the window (started by its end, no outcome before its start).
 * - 6 children in need: episodes open at any time in the window, except referrals closed with no further action.
 * - 7 child protection: plans open at any time in the window.
 * "Number of … in the last 12 months" counts the child's **previous** referrals, enquiries or initial conferences in
 * the 12 months before this one started, not this one.
 */

export interface AnnexAWindow {
  localAuthorityId: string;
  /** First and last day of the window, 'YYYY-MM-DD'. */
  from: string;
  to: string;
}

type Keyset = { on: string; id: string } | null;

const after = (dateRef: string, idRef: string, key: NonNullable<Keyset>) =>
  sql<boolean>`(${sql.ref(dateRef)}, ${sql.ref(idRef)}) > (${key.on}::date, ${key.id}::uuid)`;

const yearBefore = (dateRef: string) => sql<string>`(${sql.ref(dateRef)} - interval '1 year')::date`;

// List 3: referrals -------------------------------------------------------------------------------------------------

export interface AnnexAReferralRow {
  id: string;
  childId: string;
  referralDate: string;
  referralSource: string;
  referralNfa: boolean;
  previousReferrals: number;
}

function referrals(db: Db, w: AnnexAWindow) {
  return db
    .selectFrom('cinEpisodes as e')
    .where('e.localAuthorityId', '=', w.localAuthorityId)
    .where('e.referralDate', '>=', w.from)
    .where('e.referralDate', '<=', w.to);
}

export async function annexAReferralRows(db: Db, w: AnnexAWindow, key: Keyset, limit: number) {
  let q = referrals(db, w).select((eb) => [
    'e.id',
    'e.childId',
    'e.referralDate',
    'e.referralSource',
    'e.referralNfa',
    eb
      .selectFrom('cinEpisodes as p')
      .select(eb.fn.countAll<string>().as('n'))
      .whereRef('p.childId', '=', 'e.childId')
      .whereRef('p.referralDate', '<', 'e.referralDate')
      .where('p.referralDate', '>=', yearBefore('e.referralDate'))
      .as('previousReferrals'),
  ]);
  if (key) q = q.where(after('e.referralDate', 'e.id', key));
  const rows = await q.orderBy('e.referralDate').orderBy('e.id').limit(limit).execute();
  return rows.map((r): AnnexAReferralRow => ({ ...r, previousReferrals: Number(r.previousReferrals ?? 0) }));
}

// List 4: assessments -----------------------------------------------------------------------------------------------

export interface AnnexAAssessmentRow {
  id: string;
  childId: string;
  episodeId: string;
  startDate: string;
  status: string;
  outcome: string | null;
  authorisedOn: string | null;
  childSeen: boolean;
}

function assessments(db: Db, w: AnnexAWindow) {
  return db
    .selectFrom('cinAssessments as a')
    .innerJoin('cinEpisodes as e', 'e.id', 'a.episodeId')
    .where('e.localAuthorityId', '=', w.localAuthorityId)
    .where('a.startDate', '<=', w.to)
    .where((eb) => eb.or([eb('a.authorisedOn', 'is', null), eb('a.authorisedOn', '>=', w.from)]));
}

export async function annexAAssessmentRows(db: Db, w: AnnexAWindow, key: Keyset, limit: number) {
  let q = assessments(db, w).select((eb) => [
    'a.id',
    'a.childId',
    'a.episodeId',
    'a.startDate',
    'a.status',
    'a.outcome',
    'a.authorisedOn',
    eb
      .exists(
        eb
          .selectFrom('cinAssessmentChildSeen as s')
          .select('s.id')
          .whereRef('s.assessmentId', '=', 'a.id')
          .where('s.seenOn', '<=', w.to),
      )
      .as('childSeen'),
  ]);
  if (key) q = q.where(after('a.startDate', 'a.id', key));
  return (await q.orderBy('a.startDate').orderBy('a.id').limit(limit).execute()) as AnnexAAssessmentRow[];
}

// List 5: section 47 enquiries and initial conferences ---------------------------------------------------------------

export interface AnnexASection47Row {
  id: string;
  childId: string;
  episodeId: string;
  startDate: string;
  strategyHeldOn: string | null;
  icpcNotRequired: boolean;
  icpcHeldOn: string | null;
  icpcOutcome: string | null;
  previousEnquiries: number;
  previousIcpcs: number;
}

function enquiries(db: Db, w: AnnexAWindow) {
  return db
    .selectFrom('section47Enquiries as s')
    .innerJoin('cinEpisodes as e', 'e.id', 's.episodeId')
    .where('e.localAuthorityId', '=', w.localAuthorityId)
    .where('s.startDate', '<=', w.to)
    .where((eb) => eb.or([eb('s.outcomeOn', 'is', null), eb('s.outcomeOn', '>=', w.from)]));
}

export async function annexASection47Rows(db: Db, w: AnnexAWindow, key: Keyset, limit: number) {
  let q = enquiries(db, w)
    .leftJoin('cpStrategyDiscussions as sd', 'sd.id', 's.strategyDiscussionId')
    .leftJoin('cpConferences as c', (join) =>
      join.onRef('c.section47Id', '=', 's.id').on('c.kind', '=', 'initial'),
    )
    .select((eb) => [
      's.id',
      's.childId',
      's.episodeId',
      's.startDate',
      'sd.heldOn as strategyHeldOn',
      's.icpcNotRequired',
      'c.heldOn as icpcHeldOn',
      'c.outcome as icpcOutcome',
      eb
        .selectFrom('section47Enquiries as p')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('p.childId', '=', 's.childId')
        .whereRef('p.startDate', '<', 's.startDate')
        .where('p.startDate', '>=', yearBefore('s.startDate'))
        .as('previousEnquiries'),
      eb
        .selectFrom('cpConferences as pc')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('pc.childId', '=', 's.childId')
        .where('pc.kind', '=', 'initial')
        .whereRef('pc.heldOn', '<', 's.startDate')
        .where('pc.heldOn', '>=', yearBefore('s.startDate'))
        .as('previousIcpcs'),
    ]);
  if (key) q = q.where(after('s.startDate', 's.id', key));
  const rows = await q.orderBy('s.startDate').orderBy('s.id').limit(limit).execute();
  return rows.map((r): AnnexASection47Row => ({
    ...r,
    previousEnquiries: Number(r.previousEnquiries ?? 0),
    previousIcpcs: Number(r.previousIcpcs ?? 0),
  }));
}

// List 6: children in need ------------------------------------------------------------------------------------------

export interface AnnexAChildInNeedRow {
  id: string;
  childId: string;
  referralDate: string;
  primaryNeedCode: string | null;
  closureDate: string | null;
  closureReason: string | null;
  lastSeenOn: string | null;
  /** At the end of the window. */
  openCpPlan: boolean;
  openCinPlan: boolean;
  openAssessment: boolean;
}

function childrenInNeed(db: Db, w: AnnexAWindow) {
  return db
    .selectFrom('cinEpisodes as e')
    .where('e.localAuthorityId', '=', w.localAuthorityId)
    .where('e.referralNfa', '=', false)
    .where('e.referralDate', '<=', w.to)
    .where((eb) => eb.or([eb('e.closureDate', 'is', null), eb('e.closureDate', '>=', w.from)]));
}

export async function annexAChildInNeedRows(db: Db, w: AnnexAWindow, key: Keyset, limit: number) {
  let q = childrenInNeed(db, w).select((eb) => [
    'e.id',
    'e.childId',
    'e.referralDate',
    'e.primaryNeedCode',
    'e.closureDate',
    'e.closureReason',
    eb
      .selectFrom('statutoryVisits as v')
      .select((x) => x.fn.max('v.visitedOn').as('d'))
      .whereRef('v.episodeId', '=', 'e.id')
      .where('v.childSeen', '=', true)
      .where('v.visitedOn', '<=', w.to)
      .as('lastVisitSeenOn'),
    eb
      .selectFrom('cinAssessmentChildSeen as cs')
      .innerJoin('cinAssessments as ca', 'ca.id', 'cs.assessmentId')
      .select((x) => x.fn.max('cs.seenOn').as('d'))
      .whereRef('ca.episodeId', '=', 'e.id')
      .where('cs.seenOn', '<=', w.to)
      .as('lastAssessmentSeenOn'),
    eb
      .exists(
        eb
          .selectFrom('cpPlans as cp')
          .select('cp.id')
          .whereRef('cp.episodeId', '=', 'e.id')
          .where('cp.startDate', '<=', w.to)
          .where((x) => x.or([x('cp.endDate', 'is', null), x('cp.endDate', '>', w.to)])),
      )
      .as('openCpPlan'),
    eb
      .exists(
        eb
          .selectFrom('cinPlans as cn')
          .select('cn.id')
          .whereRef('cn.episodeId', '=', 'e.id')
          .where('cn.startDate', '<=', w.to)
          .where((x) => x.or([x('cn.endDate', 'is', null), x('cn.endDate', '>', w.to)])),
      )
      .as('openCinPlan'),
    eb
      .exists(
        eb
          .selectFrom('cinAssessments as oa')
          .select('oa.id')
          .whereRef('oa.episodeId', '=', 'e.id')
          .where('oa.startDate', '<=', w.to)
          .where((x) => x.or([x('oa.authorisedOn', 'is', null), x('oa.authorisedOn', '>', w.to)])),
      )
      .as('openAssessment'),
  ]);
  if (key) q = q.where(after('e.referralDate', 'e.id', key));
  const rows = await q.orderBy('e.referralDate').orderBy('e.id').limit(limit).execute();
  return rows.map(({ lastVisitSeenOn, lastAssessmentSeenOn, ...r }): AnnexAChildInNeedRow => {
    const seen = [lastVisitSeenOn, lastAssessmentSeenOn].filter((d): d is string => typeof d === 'string');
    return {
      ...r,
      openCpPlan: Boolean(r.openCpPlan),
      openCinPlan: Boolean(r.openCinPlan),
      openAssessment: Boolean(r.openAssessment),
      lastSeenOn: seen.sort().at(-1) ?? null,
    };
  });
}

// List 7: child protection ------------------------------------------------------------------------------------------

export interface AnnexAChildProtectionRow {
  id: string;
  childId: string;
  episodeId: string;
  startDate: string;
  initialCategory: string;
  latestCategory: string;
  endDate: string | null;
  previousPlans: number;
  lastVisitOn: string | null;
  lastVisitChildSeen: boolean | null;
  lastVisitSeenAlone: boolean | null;
  latestReviewOn: string | null;
}

function plans(db: Db, w: AnnexAWindow) {
  return db
    .selectFrom('cpPlans as p')
    .innerJoin('cinEpisodes as e', 'e.id', 'p.episodeId')
    .where('e.localAuthorityId', '=', w.localAuthorityId)
    .where('p.startDate', '<=', w.to)
    .where((eb) => eb.or([eb('p.endDate', 'is', null), eb('p.endDate', '>=', w.from)]));
}

export async function annexAChildProtectionRows(db: Db, w: AnnexAWindow, key: Keyset, limit: number) {
  let q = plans(db, w)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('statutoryVisits as v')
          .select(['v.visitedOn', 'v.childSeen', 'v.seenAlone'])
          .whereRef('v.episodeId', '=', 'p.episodeId')
          .where('v.planKind', '=', 'cp')
          .whereRef('v.visitedOn', '>=', 'p.startDate')
          .where('v.visitedOn', '<=', w.to)
          .orderBy('v.visitedOn', 'desc')
          .orderBy('v.recordedAt', 'desc')
          .limit(1)
          .as('lv'),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      'p.id',
      'p.childId',
      'p.episodeId',
      'p.startDate',
      'p.initialCategory',
      'p.latestCategory',
      'p.endDate',
      'p.previousPlans',
      'lv.visitedOn as lastVisitOn',
      'lv.childSeen as lastVisitChildSeen',
      'lv.seenAlone as lastVisitSeenAlone',
      eb
        .selectFrom('cpConferences as rc')
        .select((x) => x.fn.max('rc.heldOn').as('d'))
        .whereRef('rc.cpPlanId', '=', 'p.id')
        .where('rc.kind', '=', 'review')
        .where('rc.heldOn', '<=', w.to)
        .as('latestReviewOn'),
    ]);
  if (key) q = q.where(after('p.startDate', 'p.id', key));
  const rows = await q.orderBy('p.startDate').orderBy('p.id').limit(limit).execute();
  return rows.map((r): AnnexAChildProtectionRow => ({
    ...r,
    lastVisitOn: r.lastVisitOn ?? null,
    lastVisitChildSeen: r.lastVisitChildSeen ?? null,
    lastVisitSeenAlone: r.lastVisitSeenAlone ?? null,
    latestReviewOn: (r.latestReviewOn as string | null) ?? null,
  }));
}

// Counts and allocations ---------------------------------------------------------------------------------------------

/** How many rows lists 3 to 7 have for the window (for the summary and the progress bar). */
export async function annexASocialCareCounts(
  db: Db,
  w: AnnexAWindow,
): Promise<Record<3 | 4 | 5 | 6 | 7, number>> {
  const [r, a, s, c, p] = [
    await referrals(db, w)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    await assessments(db, w)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    await enquiries(db, w)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    await childrenInNeed(db, w)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    await plans(db, w)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ];
  return { 3: Number(r.n), 4: Number(a.n), 5: Number(s.n), 6: Number(c.n), 7: Number(p.n) };
}

/**
 * The allocated team and worker of each episode: its current allocation, or for an episode whose allocations have
 * all ended (a closed case) the last one; the episode's own team when it was never allocated. One query for a page
 * of rows.
 */
export async function annexAEpisodeAllocations(
  db: Db,
  episodeIds: readonly string[],
): Promise<Map<string, { teamName: string | null; workerName: string | null }>> {
  const result = new Map<string, { teamName: string | null; workerName: string | null }>();
  if (!episodeIds.length) return result;
  const rows = await db
    .selectFrom('cinEpisodes as e')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('allocations as a')
          .innerJoin('teams as t', 't.id', 'a.teamId')
          .leftJoin('users as u', 'u.id', 'a.workerId')
          .select(['t.name as teamName', 'u.displayName as workerName'])
          .where('a.involvementType', '=', 'cin-episode')
          .whereRef('a.involvementId', '=', 'e.id')
          .orderBy(sql`a.ended_on is null`, 'desc')
          .orderBy('a.startedOn', 'desc')
          .orderBy('a.createdAt', 'desc')
          .limit(1)
          .as('al'),
      (join) => join.onTrue(),
    )
    .leftJoin('teams as et', 'et.id', 'e.teamId')
    .select(['e.id', 'al.teamName', 'al.workerName', 'et.name as episodeTeamName'])
    .where('e.id', 'in', [...episodeIds])
    .execute();
  for (const r of rows)
    result.set(r.id, { teamName: r.teamName ?? r.episodeTeamName ?? null, workerName: r.workerName ?? null });
  return result;
}
