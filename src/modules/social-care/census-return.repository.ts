import { sql } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';
import { preProceedingsItems, type PreProceedingsItems } from './pre-proceedings.ts';
import { PRE_PROCEEDINGS_FACT_COLUMNS } from './pre-proceedings-facts.ts';

/**
 * What the CIN census return reads from the record, set-based: the children of one local authority with a CIN
 * episode in the census period (referred in it, including referrals with no further action, or open on its first
 * day), in batches of children ordered by id, each batch read with a fixed handful of queries whatever its size
 * (children, disabilities, episodes, assessments, CIN plans, section 47 enquiries, initial conferences, CP plans,
 * review conferences, pre-proceedings records, recorded query explanations, allocations). Nothing after the reference date is read: an
 * episode referred later is not in the return, and the records inside an episode are those started by then. What
 * the return keeps of each record (closures after the reference date, which assessments belong to the year …) is
 * the returns module's business (census-scope.ts); this is the record as it stands.
 */

export interface CensusRecordAssessment {
  id: string;
  startDate: string;
  authorisedOn: string | null;
  factors: string[];
}

export interface CensusRecordCinPlan {
  id: string;
  startDate: string;
  endDate: string | null;
}

export interface CensusRecordSection47 {
  id: string;
  startDate: string;
  icpcTarget: string | null;
  icpcNotRequired: boolean;
  /** When the enquiry's outcome was recorded (the day "conference not required" was decided). */
  outcomeOn: string | null;
  /** The initial conference held on this enquiry, if any. */
  conferenceId: string | null;
  icpcDate: string | null;
}

export interface CensusRecordCpPlan {
  id: string;
  startDate: string;
  endDate: string | null;
  initialCategory: string;
  latestCategory: string;
  previousPlans: number;
  reviews: { id: string; heldOn: string }[];
}

/** A pre-proceedings record (module 5, 2026-27 on) with its census items as they stood on the reference date. */
export interface CensusRecordPreProceedings {
  id: string;
  /** The date the return places it in the year by: pre-proceedings' start, or the legal planning meeting's date. */
  yearDate: string;
  items: PreProceedingsItems;
}

export interface CensusRecordEpisode {
  id: string;
  reference: string;
  referralDate: string;
  referralSource: string;
  primaryNeedCode: string | null;
  referralNfa: boolean;
  closureDate: string | null;
  closureReason: string | null;
  teamId: string | null;
  teamName: string | null;
  /** An initial conference recorded on the episode with no section 47 enquiry (e.g. after a transfer in). */
  episodeConference: { id: string; heldOn: string } | null;
  assessments: CensusRecordAssessment[];
  cinPlans: CensusRecordCinPlan[];
  section47s: CensusRecordSection47[];
  cpPlans: CensusRecordCpPlan[];
  preProceedings: CensusRecordPreProceedings[];
}

export interface CensusRecordChild {
  id: string;
  laChildId: string | null;
  givenName: string;
  familyName: string;
  upn: string | null;
  formerUpn: string | null;
  upnUnknownReason: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  dateOfDeath: string | null;
  sex: string | null;
  ethnicityCode: string | null;
  disabilities: string[];
  /** The worker the child is allocated to now (for the report by worker), if any. */
  workerId: string | null;
  workerName: string | null;
  episodes: CensusRecordEpisode[];
  /** Explanations workers gave for census queries at the point of entry. */
  explanations: { rule: string; subjectId: string; explanation: string }[];
}

export interface CensusRecordScope {
  localAuthorityId: string;
  /** The first day of the census period (1 April). */
  periodStart: string;
  /** The reference date (31 March). */
  referenceDate: string;
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** The ids of the next `limit` children in the return after `afterId` (ordered by id). */
async function nextChildIds(db: Db, scope: CensusRecordScope, afterId: string | null, limit: number) {
  let q = db
    .selectFrom('cinEpisodes')
    .select('childId')
    .distinct()
    .where('localAuthorityId', '=', scope.localAuthorityId)
    .where('referralDate', '<=', scope.referenceDate)
    .where((eb) => eb.or([eb('closureDate', 'is', null), eb('closureDate', '>=', scope.periodStart)]))
    .orderBy('childId')
    .limit(limit);
  if (afterId) q = q.where('childId', '>', afterId);
  return (await q.execute()).map((r) => r.childId);
}

/** Reads one batch of children (the ids from nextChildIds) with everything the return needs. */
async function readBatch(db: Db, scope: CensusRecordScope, ids: string[]): Promise<CensusRecordChild[]> {
  const ref = scope.referenceDate;
  const people = await db
    .selectFrom('people')
    .select([
      'id',
      'laChildId',
      'givenName',
      'familyName',
      'upn',
      'formerUpn',
      'upnUnknownReason',
      'dateOfBirth',
      'expectedDateOfBirth',
      'dateOfDeath',
      'sex',
      'ethnicityCode',
    ])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  const disabilities = groupBy(
    await db
      .selectFrom('personDisabilities')
      .select(['personId', 'code'])
      .where('personId', 'in', ids)
      .orderBy('personId')
      .orderBy('code')
      .execute(),
    (r) => r.personId,
  );
  const episodeRows = await db
    .selectFrom('cinEpisodes as e')
    .leftJoin('teams as t', 't.id', 'e.teamId')
    .select([
      'e.id',
      'e.childId',
      'e.reference',
      'e.referralDate',
      'e.referralSource',
      'e.primaryNeedCode',
      'e.referralNfa',
      'e.closureDate',
      'e.closureReason',
      'e.teamId',
      't.name as teamName',
    ])
    .where('e.childId', 'in', ids)
    .where('e.localAuthorityId', '=', scope.localAuthorityId)
    .where('e.referralDate', '<=', ref)
    .where((eb) => eb.or([eb('e.closureDate', 'is', null), eb('e.closureDate', '>=', scope.periodStart)]))
    .orderBy('e.childId')
    .orderBy('e.referralDate')
    .orderBy('e.id')
    .execute();
  const episodeIds = episodeRows.map((e) => e.id);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const eids = episodeIds.length ? episodeIds : none;
  const assessments = groupBy(
    await db
      .selectFrom('cinAssessments')
      .select(['id', 'episodeId', 'startDate', 'authorisedOn', 'factors'])
      .where('episodeId', 'in', eids)
      .where('startDate', '<=', ref)
      .orderBy('startDate')
      .orderBy('id')
      .execute(),
    (r) => r.episodeId,
  );
  const cinPlans = groupBy(
    await db
      .selectFrom('cinPlans')
      .select(['id', 'episodeId', 'startDate', 'endDate'])
      .where('episodeId', 'in', eids)
      .where('startDate', '<=', ref)
      .orderBy('startDate')
      .orderBy('id')
      .execute(),
    (r) => r.episodeId,
  );
  const section47s = groupBy(
    await db
      .selectFrom('section47Enquiries')
      .select(['id', 'episodeId', 'startDate', 'icpcTarget', 'icpcNotRequired', 'outcomeOn'])
      .where('episodeId', 'in', eids)
      .where('startDate', '<=', ref)
      .orderBy('startDate')
      .orderBy('id')
      .execute(),
    (r) => r.episodeId,
  );
  const conferences = await db
    .selectFrom('cpConferences')
    .select(['id', 'episodeId', 'section47Id', 'heldOn'])
    .where('episodeId', 'in', eids)
    .where('kind', '=', 'initial')
    .where('heldOn', '<=', ref)
    .orderBy('heldOn')
    .orderBy('id')
    .execute();
  const bySection47 = new Map(conferences.filter((c) => c.section47Id).map((c) => [c.section47Id!, c]));
  const episodeLevel = new Map(
    conferences.filter((c) => !c.section47Id).map((c) => [c.episodeId, c] as const),
  );
  const cpPlanRows = await db
    .selectFrom('cpPlans')
    .select(['id', 'episodeId', 'startDate', 'endDate', 'initialCategory', 'latestCategory', 'previousPlans'])
    .where('episodeId', 'in', eids)
    .where('startDate', '<=', ref)
    .orderBy('startDate')
    .orderBy('id')
    .execute();
  const reviews = groupBy(
    cpPlanRows.length
      ? await db
          .selectFrom('cpConferences')
          .select(['id', 'cpPlanId', 'heldOn'])
          .where(
            'cpPlanId',
            'in',
            cpPlanRows.map((p) => p.id),
          )
          .where('kind', '=', 'review')
          .where('heldOn', '<=', ref)
          .orderBy('heldOn')
          .orderBy('id')
          .execute()
      : [],
    (r) => r.cpPlanId!,
  );
  const cpPlans = groupBy(cpPlanRows, (r) => r.episodeId);
  const preProceedings = groupBy(await censusPreProceedings(db, eids, ref), (r) => r.episodeId);
  const explanations = groupBy(
    await db
      .selectFrom('censusQueryExplanations')
      .select(['childId', 'rule', 'subjectId', 'explanation'])
      .where('childId', 'in', ids)
      .orderBy('childId')
      .orderBy('explainedAt')
      .execute(),
    (r) => r.childId,
  );
  // The worker each child is allocated to now: the latest open allocation with a named worker.
  const workers = new Map(
    (
      await db
        .selectFrom('allocations as a')
        .innerJoin('users as u', 'u.id', 'a.workerId')
        .select(['a.childId', 'a.workerId', 'u.displayName'])
        .distinctOn('a.childId')
        .where('a.childId', 'in', ids)
        .where('a.endedOn', 'is', null)
        .orderBy('a.childId')
        .orderBy('a.startedOn', 'desc')
        .orderBy(sql`a.id`)
        .execute()
    ).map((w) => [w.childId, w] as const),
  );

  const episodes = groupBy(
    episodeRows.map((e): CensusRecordEpisode & { childId: string } => ({
      id: e.id,
      childId: e.childId,
      reference: e.reference,
      referralDate: e.referralDate,
      referralSource: e.referralSource,
      primaryNeedCode: e.primaryNeedCode,
      referralNfa: e.referralNfa,
      closureDate: e.closureDate,
      closureReason: e.closureReason,
      teamId: e.teamId,
      teamName: e.teamName,
      episodeConference: episodeLevel.has(e.id)
        ? { id: episodeLevel.get(e.id)!.id, heldOn: episodeLevel.get(e.id)!.heldOn }
        : null,
      assessments: (assessments.get(e.id) ?? []).map((a) => ({
        id: a.id,
        startDate: a.startDate,
        authorisedOn: a.authorisedOn,
        factors: a.factors,
      })),
      cinPlans: (cinPlans.get(e.id) ?? []).map((p) => ({
        id: p.id,
        startDate: p.startDate,
        endDate: p.endDate,
      })),
      section47s: (section47s.get(e.id) ?? []).map((s) => {
        const c = bySection47.get(s.id);
        return {
          id: s.id,
          startDate: s.startDate,
          icpcTarget: s.icpcTarget,
          icpcNotRequired: s.icpcNotRequired,
          outcomeOn: s.outcomeOn,
          conferenceId: c?.id ?? null,
          icpcDate: c?.heldOn ?? null,
        };
      }),
      cpPlans: (cpPlans.get(e.id) ?? []).map((p) => ({
        id: p.id,
        startDate: p.startDate,
        endDate: p.endDate,
        initialCategory: p.initialCategory,
        latestCategory: p.latestCategory,
        previousPlans: p.previousPlans,
        reviews: (reviews.get(p.id) ?? []).map((r) => ({ id: r.id, heldOn: r.heldOn })),
      })),
      preProceedings: (preProceedings.get(e.id) ?? []).map(({ episodeId: _e, ...pp }) => pp),
    })),
    (e) => e.childId,
  );

  return people.map((p) => {
    const w = workers.get(p.id);
    return {
      ...p,
      disabilities: (disabilities.get(p.id) ?? []).map((d) => d.code),
      workerId: w?.workerId ?? null,
      workerName: w?.displayName ?? null,
      episodes: (episodes.get(p.id) ?? []).map(({ childId: _childId, ...e }) => e),
      explanations: (explanations.get(p.id) ?? []).map((x) => ({
        rule: x.rule,
        subjectId: x.subjectId,
        explanation: x.explanation,
      })),
    };
  });
}

/**
 * The pre-proceedings records of the episodes that the census returns (module 5): those where the legal planning
 * meeting decided to start pre-proceedings or to issue proceedings at once, held by the reference date, with their
 * items as they stood then. One statement: each record's reviews, offers and FGDM meetings as JSON arrays beside it.
 */
async function censusPreProceedings(db: Db, episodeIds: string[], ref: string) {
  const rows = await db
    .selectFrom('preProceedings as pp')
    .select([...PRE_PROCEEDINGS_FACT_COLUMNS, 'pp.episodeId'])
    .where('pp.episodeId', 'in', episodeIds)
    .where('pp.lpmDecision', 'in', ['start', 'issue-now'])
    .where('pp.lpmHeldOn', '<=', ref)
    .orderBy('pp.lpmHeldOn')
    .orderBy('pp.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    episodeId: r.episodeId,
    yearDate: r.startedOn ?? r.lpmHeldOn,
    items: preProceedingsItems(
      {
        ...r,
        reviews: r.reviews.map((x) => x.heldOn),
        fgdmMeetings: r.meetings.map((x) => x.heldOn),
      },
      ref,
    ),
  }));
}

/**
 * The children of the census return, batch by batch (`batchSize` children at a time, ordered by id), so that the
 * caller streams them: memory holds one batch, however many children the authority returns.
 */
export async function* censusRecordBatches(
  db: Db,
  scope: CensusRecordScope,
  batchSize = 1000,
): AsyncGenerator<CensusRecordChild[]> {
  let after: string | null = null;
  for (;;) {
    const ids = await nextChildIds(db, scope, after, batchSize);
    if (!ids.length) return;
    yield await readBatch(db, scope, ids);
    after = ids[ids.length - 1]!;
  }
}

/** How many children the return will hold (for a progress bar). */
export async function countCensusChildren(db: Db, scope: CensusRecordScope): Promise<number> {
  const row = await db
    .selectFrom('cinEpisodes')
    .select((eb) => eb.fn.count<string>(sql`distinct child_id`).as('n'))
    .where('localAuthorityId', '=', scope.localAuthorityId)
    .where('referralDate', '<=', scope.referenceDate)
    .where((eb) => eb.or([eb('closureDate', 'is', null), eb('closureDate', '>=', scope.periodStart)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
