import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import {
  ASSESSMENT_WORKING_DAYS,
  assessmentDue,
  cinReviewDue,
  clockLabel,
  DEFAULT_SETTINGS,
  firstCoreGroupDue,
  FIRST_CORE_GROUP_WORKING_DAYS,
  ICPC_WORKING_DAYS,
  nextVisitDue,
  reviewConferenceDue,
  type SocialCareSettings,
} from './social-care.ts';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../kernel/service/index.ts';
import {
  PRE_PROCEEDINGS_WEEKS,
  preProceedingsTimeline,
  type PreProceedingsFacts,
} from './pre-proceedings.ts';
import { PRE_PROCEEDINGS_FACT_COLUMNS } from './pre-proceedings-facts.ts';
import { episodesWithAllocation } from './episode.repository.ts';

/**
 * Every statutory clock on a set of open CIN episodes, computed from one statement whatever the number of episodes
 * (`clockFactsFor`), for the worktray (worker and manager), the child's record summary and the episode.
 */

export type DeadlineKind =
  | 'sc-allocation'
  | 'sc-assessment'
  | 'sc-assessment-authorisation'
  | 'sc-icpc'
  | 'sc-core-group'
  | 'sc-review-conference'
  | 'sc-cin-review'
  | 'sc-visit'
  | 'sc-pre-proceedings';

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  'sc-allocation': 'Allocation',
  'sc-assessment': 'Child and family assessment',
  'sc-assessment-authorisation': 'Assessment authorisation',
  'sc-icpc': 'Initial child protection conference',
  'sc-core-group': 'Core group',
  'sc-review-conference': 'Review child protection conference',
  'sc-cin-review': 'Child in need plan review',
  'sc-visit': 'Statutory visit',
  'sc-pre-proceedings': 'Pre-proceedings (16 weeks)',
};

/** Who sees it: the allocated worker and their managers, or managers only. */
export type Audience = 'everyone' | 'manager';

export interface Deadline {
  kind: DeadlineKind;
  audience: Audience;
  episodeId: string;
  childId: string;
  childName: string;
  title: string;
  href: string;
  dueOn: string | null;
  clockLabel: string | null;
}

export interface EpisodeScope {
  id: string;
  childId: string;
  givenName: string;
  familyName: string;
  knownAs: string | null;
  reference: string;
  referralDate: string;
  localAuthorityId: string;
  workerId: string | null;
  teamId: string | null;
}

/** Open, non-NFA episodes with their current allocation, filtered by the caller. */
export function openEpisodesQuery(db: Db) {
  return episodesWithAllocation(db)
    .select([
      'e.id',
      'e.childId',
      'p.givenName',
      'p.familyName',
      'p.knownAs',
      'e.reference',
      'e.referralDate',
      'e.localAuthorityId',
      'a.workerId',
      'a.teamId',
    ])
    .where('e.closureDate', 'is', null)
    .where('e.referralNfa', '=', false);
}

/** What the clocks of one open episode are worked out from. */
export interface EpisodeClockFacts {
  /** Every assessment of the episode, oldest first. */
  assessments: { id: string; status: string; dueDate: string }[];
  /** Section 47 enquiries that need an initial conference and have none yet, oldest first. */
  enquiriesAwaitingIcpc: { id: string; icpcTarget: string | null }[];
  /** The open child protection plan: whether it has had a core group, and its last review conference. */
  cpPlan: { id: string; startDate: string; hasCoreGroup: boolean; lastReview: string | null } | null;
  /** The open child in need plan and its last review. */
  cinPlan: { id: string; startDate: string; reviewIntervalWeeks: number; lastReview: string | null } | null;
  /** The last visit at which the child was seen. */
  lastVisit: string | null;
  settings: SocialCareSettings;
  /** Pre-proceedings started on the episode and not yet stepped up or down, if any (the PLO clock). */
  preProceedings: (PreProceedingsFacts & { id: string }) | null;
}

/**
 * The clock facts of each episode in one statement (an episode's rows as JSON arrays and objects beside it), keyed
 * by episode id.
 */
export async function clockFactsFor(db: Db, ids: readonly string[]): Promise<Map<string, EpisodeClockFacts>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('cinEpisodes as e')
    .leftJoin('socialCareSettings as s', 's.localAuthorityId', 'e.localAuthorityId')
    .where('e.id', 'in', [...ids])
    .select((eb) => [
      'e.id',
      's.cinReviewIntervalWeeks',
      's.cinVisitIntervalWorkingDays',
      's.cpVisitIntervalWorkingDays',
      jsonArrayFrom(
        eb
          .selectFrom('cinAssessments as x')
          .select(['x.id', 'x.status', 'x.dueDate'])
          .whereRef('x.episodeId', '=', 'e.id')
          .orderBy('x.startDate')
          .orderBy('x.createdAt')
          .orderBy('x.id'),
      ).as('assessments'),
      jsonArrayFrom(
        eb
          .selectFrom('section47Enquiries as q')
          .select(['q.id', 'q.icpcTarget'])
          .whereRef('q.episodeId', '=', 'e.id')
          .where('q.icpcNotRequired', 'is not', true)
          .where((qb) =>
            qb.not(
              qb.exists(
                qb
                  .selectFrom('cpConferences as c')
                  .select('c.id')
                  .whereRef('c.episodeId', '=', 'e.id')
                  .where('c.kind', '=', 'initial')
                  .whereRef('c.section47Id', '=', 'q.id'),
              ),
            ),
          )
          .orderBy('q.startDate')
          .orderBy('q.id'),
      ).as('enquiriesAwaitingIcpc'),
      jsonObjectFrom(
        eb
          .selectFrom('cpPlans as p')
          .select((pb) => [
            'p.id',
            'p.startDate',
            pb
              .exists(pb.selectFrom('cpCoreGroups as g').select('g.id').whereRef('g.cpPlanId', '=', 'p.id'))
              .as('hasCoreGroup'),
            pb
              .selectFrom('cpConferences as c')
              .select((cb) => cb.fn.max('c.heldOn').as('heldOn'))
              .whereRef('c.episodeId', '=', 'e.id')
              .where('c.kind', '=', 'review')
              .whereRef('c.cpPlanId', '=', 'p.id')
              .as('lastReview'),
          ])
          .whereRef('p.episodeId', '=', 'e.id')
          .where('p.endDate', 'is', null)
          .orderBy('p.startDate')
          .orderBy('p.id')
          .limit(1),
      ).as('cpPlan'),
      jsonObjectFrom(
        eb
          .selectFrom('cinPlans as p')
          .select((pb) => [
            'p.id',
            'p.startDate',
            'p.reviewIntervalWeeks',
            pb
              .selectFrom('cinPlanReviews as r')
              .select((rb) => rb.fn.max('r.heldOn').as('heldOn'))
              .whereRef('r.cinPlanId', '=', 'p.id')
              .as('lastReview'),
          ])
          .whereRef('p.episodeId', '=', 'e.id')
          .where('p.endDate', 'is', null)
          .orderBy('p.startDate')
          .orderBy('p.id')
          .limit(1),
      ).as('cinPlan'),
      jsonObjectFrom(
        eb
          .selectFrom('preProceedings as pp')
          .select(PRE_PROCEEDINGS_FACT_COLUMNS)
          .whereRef('pp.episodeId', '=', 'e.id')
          .where('pp.startedOn', 'is not', null)
          .where((pb) => pb.or([pb('pp.stepDecision', 'is', null), pb('pp.stepDecision', '=', 'continue')]))
          .orderBy('pp.startedOn', 'desc')
          .limit(1),
      ).as('preProceedings'),
      eb
        .selectFrom('statutoryVisits as v')
        .select((vb) => vb.fn.max('v.visitedOn').as('visitedOn'))
        .whereRef('v.episodeId', '=', 'e.id')
        .where('v.childSeen', '=', true)
        .as('lastVisit'),
    ])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        assessments: r.assessments,
        enquiriesAwaitingIcpc: r.enquiriesAwaitingIcpc,
        cpPlan: r.cpPlan && { ...r.cpPlan, hasCoreGroup: r.cpPlan.hasCoreGroup === true },
        cinPlan: r.cinPlan,
        lastVisit: r.lastVisit ?? null,
        preProceedings: r.preProceedings && {
          ...r.preProceedings,
          reviews: r.preProceedings.reviews.map((x) => x.heldOn),
          fgdmMeetings: r.preProceedings.meetings.map((x) => x.heldOn),
        },
        settings:
          r.cinReviewIntervalWeeks === null ||
          r.cinVisitIntervalWorkingDays === null ||
          r.cpVisitIntervalWorkingDays === null
            ? DEFAULT_SETTINGS
            : {
                cinReviewIntervalWeeks: r.cinReviewIntervalWeeks,
                cinVisitIntervalWorkingDays: r.cinVisitIntervalWorkingDays,
                cpVisitIntervalWorkingDays: r.cpVisitIntervalWorkingDays,
              },
      },
    ]),
  );
}

/** Every statutory clock on the episodes: one statement, whatever their number. */
export async function deadlinesFor(
  db: Db,
  episodes: EpisodeScope[],
  calendar: WorkingDayCalendar,
  today: string,
): Promise<Deadline[]> {
  if (!episodes.length) return [];
  const facts = await clockFactsFor(db, [...new Set(episodes.map((e) => e.id))]);
  return deadlinesFromFacts(episodes, facts, calendar, today);
}

/** The clocks worked out from each episode's facts (no database). */
export function deadlinesFromFacts(
  episodes: EpisodeScope[],
  facts: ReadonlyMap<string, EpisodeClockFacts>,
  calendar: WorkingDayCalendar,
  today: string,
): Deadline[] {
  const out: Deadline[] = [];
  const seen = new Set<string>();
  for (const e of episodes) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const base = {
      episodeId: e.id,
      childId: e.childId,
      childName: `${e.knownAs || e.givenName} ${e.familyName}`,
    };
    const push = (d: Omit<Deadline, 'episodeId' | 'childId' | 'childName'>) => out.push({ ...base, ...d });
    const episodeHref = `/social-care/episodes/${e.id}`;
    if (!e.workerId)
      push({
        kind: 'sc-allocation',
        audience: 'manager',
        title: `Allocate ${e.reference} to a social worker`,
        href: `${episodeHref}/allocate`,
        dueOn: null,
        clockLabel: null,
      });

    const f = facts.get(e.id);
    if (!f) continue;
    const episodeAssessments = f.assessments;
    const cp = f.cpPlan;
    const cin = f.cinPlan;
    const inProgress = episodeAssessments.find((a) => a.status === 'in-progress');
    const awaiting = episodeAssessments.find((a) => a.status === 'awaiting-authorisation');
    const clock = clockLabel(calendar, e.referralDate, today, ASSESSMENT_WORKING_DAYS);
    if (inProgress) {
      push({
        kind: 'sc-assessment',
        audience: 'everyone',
        title: `Complete the child and family assessment (${e.reference})`,
        href: `/social-care/assessments/${inProgress.id}`,
        dueOn: inProgress.dueDate,
        clockLabel: clock,
      });
    } else if (!episodeAssessments.length && !cp && !cin) {
      push({
        kind: 'sc-assessment',
        audience: 'everyone',
        title: `Start the child and family assessment (${e.reference})`,
        href: `${episodeHref}/assessments/new`,
        dueOn: assessmentDue(calendar, e.referralDate),
        clockLabel: clock,
      });
    }
    if (awaiting)
      push({
        kind: 'sc-assessment-authorisation',
        audience: 'manager',
        title: `Authorise the child and family assessment (${e.reference})`,
        href: `/social-care/assessments/${awaiting.id}/authorise`,
        dueOn: awaiting.dueDate,
        clockLabel: clock,
      });

    for (const q of f.enquiriesAwaitingIcpc) {
      push({
        kind: 'sc-icpc',
        audience: 'everyone',
        title: `Hold the initial child protection conference (${e.reference})`,
        href: `/social-care/section-47/${q.id}`,
        dueOn: q.icpcTarget,
        clockLabel: `${ICPC_WORKING_DAYS} working days from the strategy discussion`,
      });
    }
    const plo = f.preProceedings && preProceedingsTimeline(calendar, f.preProceedings, today);
    if (f.preProceedings && plo?.next)
      push({
        kind: 'sc-pre-proceedings',
        audience: 'everyone',
        title: `Pre-proceedings: ${plo.next.label.charAt(0).toLowerCase()}${plo.next.label.slice(1)} (${e.reference})`,
        href: `/social-care/pre-proceedings/${f.preProceedings.id}`,
        dueOn: plo.next.dueOn,
        clockLabel: plo.week ? `Week ${plo.week} of ${PRE_PROCEEDINGS_WEEKS}` : null,
      });
    const settings = f.settings;
    const lastVisit = f.lastVisit;
    if (cp) {
      if (!cp.hasCoreGroup) {
        push({
          kind: 'sc-core-group',
          audience: 'everyone',
          title: 'Hold the first core group',
          href: `/social-care/cp-plans/${cp.id}/core-groups/new`,
          dueOn: firstCoreGroupDue(calendar, cp.startDate),
          clockLabel: `${FIRST_CORE_GROUP_WORKING_DAYS} working days from the initial conference`,
        });
      }
      const lastReview = cp.lastReview;
      push({
        kind: 'sc-review-conference',
        audience: 'everyone',
        title: lastReview
          ? 'Next review child protection conference'
          : 'First review child protection conference',
        href: `/social-care/cp-plans/${cp.id}/reviews/new`,
        dueOn: reviewConferenceDue(calendar, cp.startDate, lastReview),
        clockLabel: lastReview
          ? 'At most 6 months after the last review'
          : 'Within 3 months of the initial conference',
      });
      const from = lastVisit && lastVisit >= cp.startDate ? lastVisit : cp.startDate;
      push({
        kind: 'sc-visit',
        audience: 'everyone',
        title: 'Child protection visit',
        href: `${episodeHref}/visits/new`,
        dueOn: nextVisitDue(calendar, from, settings.cpVisitIntervalWorkingDays),
        clockLabel: `Every ${settings.cpVisitIntervalWorkingDays} working days under a child protection plan`,
      });
    } else if (cin) {
      const lastReview = cin.lastReview;
      push({
        kind: 'sc-cin-review',
        audience: 'everyone',
        title: 'Child in need plan review',
        href: `/social-care/cin-plans/${cin.id}/reviews/new`,
        dueOn: cinReviewDue(calendar, cin.startDate, lastReview, cin.reviewIntervalWeeks),
        clockLabel: `Every ${cin.reviewIntervalWeeks} weeks`,
      });
      const from = lastVisit && lastVisit >= cin.startDate ? lastVisit : cin.startDate;
      push({
        kind: 'sc-visit',
        audience: 'everyone',
        title: 'Child in need visit',
        href: `${episodeHref}/visits/new`,
        dueOn: nextVisitDue(calendar, from, settings.cinVisitIntervalWorkingDays),
        clockLabel: `Every ${settings.cinVisitIntervalWorkingDays} working days under a child in need plan`,
      });
    }
  }
  return out;
}
