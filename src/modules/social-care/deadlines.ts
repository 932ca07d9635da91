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
import type { Db } from '../../kernel/service/index.ts';

/**
 * Every statutory clock on a set of open CIN episodes, computed from a few batched queries (one per table,
 * whatever the number of episodes), for the worktray (worker and manager) and the child's record summary.
 */

export type DeadlineKind =
  | 'sc-allocation'
  | 'sc-assessment'
  | 'sc-assessment-authorisation'
  | 'sc-icpc'
  | 'sc-core-group'
  | 'sc-review-conference'
  | 'sc-cin-review'
  | 'sc-visit';

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  'sc-allocation': 'Allocation',
  'sc-assessment': 'Child and family assessment',
  'sc-assessment-authorisation': 'Assessment authorisation',
  'sc-icpc': 'Initial child protection conference',
  'sc-core-group': 'Core group',
  'sc-review-conference': 'Review child protection conference',
  'sc-cin-review': 'Child in need plan review',
  'sc-visit': 'Statutory visit',
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
  return db
    .selectFrom('cinEpisodes as e')
    .innerJoin('people as p', 'p.id', 'e.childId')
    .leftJoin('allocations as a', (j) =>
      j
        .onRef('a.involvementId', '=', 'e.id')
        .on('a.involvementType', '=', 'cin-episode')
        .on('a.endedOn', 'is', null),
    )
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

export async function deadlinesFor(
  db: Db,
  episodes: EpisodeScope[],
  calendar: WorkingDayCalendar,
  today: string,
): Promise<Deadline[]> {
  if (!episodes.length) return [];
  const ids = [...new Set(episodes.map((e) => e.id))];
  const laIds = [...new Set(episodes.map((e) => e.localAuthorityId))];
  const [assessments, enquiries, conferences, cpPlans, cinPlans, coreGroups, reviews, visits, settingsRows] =
    await Promise.all([
      db
        .selectFrom('cinAssessments')
        .select(['id', 'episodeId', 'status', 'dueDate', 'startDate'])
        .where('episodeId', 'in', ids)
        .execute(),
      db
        .selectFrom('section47Enquiries')
        .select(['id', 'episodeId', 'icpcTarget', 'icpcNotRequired', 'startDate'])
        .where('episodeId', 'in', ids)
        .execute(),
      db
        .selectFrom('cpConferences')
        .select(['id', 'episodeId', 'kind', 'section47Id', 'cpPlanId', 'heldOn'])
        .where('episodeId', 'in', ids)
        .execute(),
      db
        .selectFrom('cpPlans')
        .select(['id', 'episodeId', 'startDate'])
        .where('episodeId', 'in', ids)
        .where('endDate', 'is', null)
        .execute(),
      db
        .selectFrom('cinPlans')
        .select(['id', 'episodeId', 'startDate', 'reviewIntervalWeeks'])
        .where('episodeId', 'in', ids)
        .where('endDate', 'is', null)
        .execute(),
      db
        .selectFrom('cpCoreGroups as g')
        .innerJoin('cpPlans as p', 'p.id', 'g.cpPlanId')
        .select(['g.cpPlanId', 'g.heldOn'])
        .where('p.episodeId', 'in', ids)
        .execute(),
      db
        .selectFrom('cinPlanReviews as r')
        .innerJoin('cinPlans as p', 'p.id', 'r.cinPlanId')
        .select(['r.cinPlanId', 'r.heldOn'])
        .where('p.episodeId', 'in', ids)
        .execute(),
      db
        .selectFrom('statutoryVisits')
        .select(['episodeId', (eb) => eb.fn.max('visitedOn').as('lastVisit')])
        .where('episodeId', 'in', ids)
        .where('childSeen', '=', true)
        .groupBy('episodeId')
        .execute(),
      db.selectFrom('socialCareSettings').selectAll().where('localAuthorityId', 'in', laIds).execute(),
    ]);
  const settingsFor = (la: string): SocialCareSettings => {
    const row = settingsRows.find((r) => r.localAuthorityId === la);
    return row
      ? {
          cinReviewIntervalWeeks: row.cinReviewIntervalWeeks,
          cinVisitIntervalWorkingDays: row.cinVisitIntervalWorkingDays,
          cpVisitIntervalWorkingDays: row.cpVisitIntervalWorkingDays,
        }
      : DEFAULT_SETTINGS;
  };
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

    const own = <T extends { episodeId: string }>(rows: T[]) => rows.filter((r) => r.episodeId === e.id);
    const episodeAssessments = own(assessments);
    const cp = own(cpPlans)[0];
    const cin = own(cinPlans)[0];
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

    const episodeConferences = own(conferences);
    for (const q of own(enquiries)) {
      if (q.icpcNotRequired || episodeConferences.some((c) => c.kind === 'initial' && c.section47Id === q.id))
        continue;
      push({
        kind: 'sc-icpc',
        audience: 'everyone',
        title: `Hold the initial child protection conference (${e.reference})`,
        href: `/social-care/section-47/${q.id}`,
        dueOn: q.icpcTarget,
        clockLabel: `${ICPC_WORKING_DAYS} working days from the strategy discussion`,
      });
    }
    const settings = settingsFor(e.localAuthorityId);
    const lastVisit = own(visits)[0]?.lastVisit ?? null;
    if (cp) {
      const groups = coreGroups.filter((g) => g.cpPlanId === cp.id);
      if (!groups.length) {
        push({
          kind: 'sc-core-group',
          audience: 'everyone',
          title: 'Hold the first core group',
          href: `/social-care/cp-plans/${cp.id}/core-groups/new`,
          dueOn: firstCoreGroupDue(calendar, cp.startDate),
          clockLabel: `${FIRST_CORE_GROUP_WORKING_DAYS} working days from the initial conference`,
        });
      }
      const lastReview =
        episodeConferences
          .filter((c) => c.kind === 'review' && c.cpPlanId === cp.id)
          .map((c) => c.heldOn)
          .sort()
          .at(-1) ?? null;
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
      const lastReview =
        reviews
          .filter((r) => r.cinPlanId === cin.id)
          .map((r) => r.heldOn)
          .sort()
          .at(-1) ?? null;
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
