import { differenceInCalendarDays } from '../../kernel/time/index.ts';
import {
  addMonths,
  daysToFirstMeeting,
  DOMAINS,
  distanceTravelled,
  SUPPORTING_FAMILIES_OUTCOMES,
  type Distance,
  type ScoreRow,
  type Sustained,
} from './early-help.ts';

/**
 * The impact of early help, worked out from the episodes of a period (pure, so each measure is tested on its own):
 * outcomes by domain, cluster, lead agency and need; outcomes sustained at the follow-up (overall and by domain);
 * re-contacts to the front door within the authority's window after closure; step-up rate; time from the decision
 * to the first team-around-the-family meeting (from the front-door decision, else the day the episode opened); and the share of assessments with a completed risk analysis. Every
 * number can be traced to its episodes with `drillDown`.
 */

export interface ClosedEpisode {
  id: string;
  reference: string;
  clusterId: string | null;
  clusterName: string | null;
  leadAgencyId: string | null;
  leadAgencyName: string | null;
  closureReason: string | null;
  closureOutcome: string | null;
  openedOn: string;
  closedOn: string;
  steppedUp: boolean;
  /** Contacts to the front door about the children within the re-contact window after closure. */
  recontacts: number;
  firstRecontactOn: string | null;
  recontactWindowMonths: number;
}

export interface ImpactInput {
  /** The day the measures are worked out for (the end of the period). */
  asOf: string;
  closed: ClosedEpisode[];
  /** The follow-up of each closed episode (outcomes sustained, checked months after closure). */
  followUps: { episodeId: string; dueOn: string; completedOn: string | null; sustained: Sustained | null }[];
  /** Each goal rated at a follow-up, once per need or worry it meets (the need's domain, or 'worry'). */
  followUpGoals: {
    episodeId: string;
    goalId: string;
    sustained: Sustained;
    kind: string;
    domain: string | null;
  }[];
  /**
   * Distance travelled for each thing scored in each closed episode (the worker's and family's scaling, each domain,
   * each goal), worked out by the database from the scores (loadImpactInput) or from the rows with summariseScores.
   */
  distances: EpisodeDistance[];
  goals: { id: string; episodeId: string; outcomeHeading: string; status: string }[];
  /**
   * Episodes opened in the period. `decidedOn` is the day of the front-door decision behind the episode (the decision
   * on its source contact), when there is one: the time to the first meeting counts from it, else from `openedOn`
   * (which for a front-door episode is the day the manager authorised the decision).
   */
  opened: { id: string; openedOn: string; decidedOn?: string | null; firstMeetingOn: string | null }[];
  assessments: { id: string; episodeId: string; status: string; riskAnalysisComplete: boolean }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const avg = (xs: number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : null);

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : round1((s[mid - 1]! + s[mid]!) / 2);
}

export const FIRST_MEETING_BUCKETS = [
  { key: '0-10', label: 'Within 10 days', test: (d: number | null) => d !== null && d <= 10 },
  { key: '11-20', label: '11 to 20 days', test: (d: number | null) => d !== null && d > 10 && d <= 20 },
  { key: '21-30', label: '21 to 30 days', test: (d: number | null) => d !== null && d > 20 && d <= 30 },
  { key: 'over-30', label: 'More than 30 days', test: (d: number | null) => d !== null && d > 30 },
  { key: 'none', label: 'No meeting yet', test: (d: number | null) => d === null },
] as const;

export const RECONTACT_BUCKETS = [
  {
    key: 'within-month',
    label: 'Within a month of closure',
    test: (d: number | null) => d !== null && d <= 30,
  },
  {
    key: 'one-to-three',
    label: '1 to 3 months after closure',
    test: (d: number | null) => d !== null && d > 30 && d <= 91,
  },
  {
    key: 'after-three',
    label: 'More than 3 months after closure',
    test: (d: number | null) => d !== null && d > 91,
  },
  { key: 'none', label: 'No re-contact in the window', test: (d: number | null) => d === null },
] as const;

/** Days from the decision (the front-door decision, else the day the episode opened) to the first meeting. */
export const firstMeetingDays = (e: ImpactInput['opened'][number]) =>
  daysToFirstMeeting(e.decidedOn ?? e.openedOn, e.firstMeetingOn);

const daysToRecontact = (e: ClosedEpisode) =>
  e.firstRecontactOn ? differenceInCalendarDays(e.closedOn, e.firstRecontactOn) : null;

/** Whether the episode's re-contact window has ended by `asOf` (if not, a re-contact may still come). */
export const recontactWindowOpen = (e: ClosedEpisode, asOf: string) =>
  addMonths(e.closedOn, e.recontactWindowMonths) >= asOf;

/** Re-contacts to the front door within the window after closure: how many families, and how soon. */
export function recontactMeasures(input: ImpactInput) {
  const closed = input.closed;
  const withRecontact = closed.filter((e) => e.recontacts > 0).length;
  const windows = [...new Set(closed.map((e) => e.recontactWindowMonths))].sort((a, b) => a - b);
  return {
    closed: closed.length,
    withRecontact,
    share: share(withRecontact, closed.length),
    contacts: closed.reduce((n, e) => n + e.recontacts, 0),
    windowMonths: windows,
    windowStillOpen: closed.filter((e) => recontactWindowOpen(e, input.asOf)).length,
    buckets: RECONTACT_BUCKETS.map((b) => ({
      key: b.key,
      label: b.label,
      count: closed.filter((e) => b.test(daysToRecontact(e))).length,
    })),
  };
}

// Outcomes sustained: the follow-up months after closure judges the family's outcomes overall, and each goal. A
// domain's result for a family is the worst rating of the goals meeting its needs in that domain ('worries' for the
// goals meeting worries); a family counts as sustained there only if every such goal was.

export const SUSTAINED_SCOPES = [
  { key: 'overall', label: 'Overall (the follow-up’s judgement)' },
  ...DOMAINS.map((d) => ({ key: d.value as string, label: d.text as string })),
  { key: 'worries', label: 'Worries (goals meeting the risk analysis)' },
] as const;
export const SUSTAINED_RATINGS = ['yes', 'partly', 'no'] as const;
const worst = (a: Sustained | undefined, b: Sustained): Sustained =>
  !a ? b : SUSTAINED_RATINGS.indexOf(b) > SUSTAINED_RATINGS.indexOf(a) ? b : a;

/** Each closed episode's rating in a scope ('overall', a domain, or 'worries'), for episodes checked at follow-up. */
export function sustainedRatings(input: ImpactInput, scope: string): Map<string, Sustained> {
  const closedIds = new Set(input.closed.map((e) => e.id));
  const out = new Map<string, Sustained>();
  if (scope === 'overall') {
    for (const f of input.followUps)
      if (closedIds.has(f.episodeId) && f.completedOn && f.sustained) out.set(f.episodeId, f.sustained);
    return out;
  }
  const seen = new Set<string>();
  for (const g of input.followUpGoals) {
    if (!closedIds.has(g.episodeId)) continue;
    const inScope = scope === 'worries' ? g.kind === 'worry' : g.kind === 'need' && g.domain === scope;
    if (!inScope || seen.has(`${g.goalId}:${scope}`)) continue;
    seen.add(`${g.goalId}:${scope}`);
    out.set(g.episodeId, worst(out.get(g.episodeId), g.sustained));
  }
  return out;
}

export function sustainedMeasures(input: ImpactInput) {
  const closedIds = new Set(input.closed.map((e) => e.id));
  const followUps = input.followUps.filter((f) => closedIds.has(f.episodeId));
  const scopes = SUSTAINED_SCOPES.map((sc) => {
    const ratings = [...sustainedRatings(input, sc.key).values()];
    const count = (r: Sustained) => ratings.filter((x) => x === r).length;
    return {
      key: sc.key,
      label: sc.label,
      checked: ratings.length,
      yes: count('yes'),
      partly: count('partly'),
      no: count('no'),
      share: share(count('yes'), ratings.length),
    };
  });
  return {
    closed: input.closed.length,
    checked: followUps.filter((f) => f.completedOn).length,
    notYetChecked: followUps.filter((f) => !f.completedOn).length,
    overdue: followUps.filter((f) => !f.completedOn && f.dueOn < input.asOf).length,
    overall: scopes[0]!,
    scopes,
  };
}

export type EpisodeDistance = Distance & { episodeId: string };

/** Distance travelled for each thing scored in each episode, from the score rows (as the database works it out). */
export function summariseScores(scores: readonly (ScoreRow & { episodeId: string })[]): EpisodeDistance[] {
  const byEpisode = new Map<string, ScoreRow[]>();
  for (const s of scores) {
    const list = byEpisode.get(s.episodeId);
    if (list) list.push(s);
    else byEpisode.set(s.episodeId, [s]);
  }
  return [...byEpisode].flatMap(([episodeId, rows]) =>
    distanceTravelled(rows).map((d) => ({ ...d, episodeId })),
  );
}

/**
 * The distances indexed once: an episode's scalings, an episode's domain, a goal. Looking each episode up here
 * instead of filtering every score for every episode keeps the page linear (a large authority's 428,000 scores made
 * the filtering run for minutes).
 */
function distanceIndex(distances: readonly EpisodeDistance[]) {
  const scale = new Map<string, EpisodeDistance[]>();
  const keyed = new Map<string, EpisodeDistance>();
  for (const d of distances) {
    if (d.subject === 'scale') {
      const list = scale.get(d.episodeId);
      if (list) list.push(d);
      else scale.set(d.episodeId, [d]);
    } else if (d.subject === 'domain') keyed.set(`domain|${d.episodeId}|${d.subjectKey}`, d);
    else if (d.subject === 'goal') keyed.set(`goal|${d.subjectKey}`, d);
  }
  return {
    scale: (episodeId: string) => scale.get(episodeId) ?? [],
    domain: (episodeId: string, domain: string) => keyed.get(`domain|${episodeId}|${domain}`),
    goal: (goalId: string) => keyed.get(`goal|${goalId}`),
  };
}

const withoutEpisode = (d: EpisodeDistance | undefined): Distance | null => {
  if (!d) return null;
  const { episodeId: _episodeId, ...rest } = d;
  return rest;
};

/** Distance travelled per episode: the worker's and family's scaling, first and at closure (or latest). */
export function familyDistances(input: ImpactInput, index = distanceIndex(input.distances)) {
  return input.closed.map((e) => {
    const d = index.scale(e.id);
    const worker = withoutEpisode(d.find((x) => x.subjectKey === 'worker'));
    const family = withoutEpisode(d.find((x) => x.subjectKey === 'family'));
    return { ...e, worker, family };
  });
}

function groupOutcomes(
  input: ImpactInput,
  keyOf: (e: ClosedEpisode) => string,
  labelOf: (e: ClosedEpisode) => string,
  distances: ReturnType<typeof familyDistances>,
) {
  const groups = new Map<
    string,
    { key: string; label: string; n: number; improved: number; workerChanges: number[] }
  >();
  for (const e of distances) {
    const key = keyOf(e);
    const g = groups.get(key) ?? { key, label: labelOf(e), n: 0, improved: 0, workerChanges: [] };
    g.n++;
    if (e.closureOutcome === 'improved') g.improved++;
    if (e.worker) g.workerChanges.push(e.worker.change);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      key: g.key,
      label: g.label,
      n: g.n,
      improved: g.improved,
      improvedShare: share(g.improved, g.n),
      averageWorkerChange: avg(g.workerChanges),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function computeImpact(input: ImpactInput) {
  const index = distanceIndex(input.distances);
  const families = familyDistances(input, index);
  const domains = DOMAINS.map((d) => {
    const per = input.closed
      .map((e) => withoutEpisode(index.domain(e.id, d.value)))
      .filter((x): x is NonNullable<typeof x> => !!x);
    const improved = per.filter((x) => x.change > 0).length;
    return {
      key: d.value,
      label: d.text,
      n: per.length,
      averageFirst: avg(per.map((x) => x.first)),
      averageClosing: avg(per.map((x) => x.closing ?? x.latest)),
      averageChange: avg(per.map((x) => x.change)),
      improved,
      improvedShare: share(improved, per.length),
    };
  });
  const clusters = groupOutcomes(
    input,
    (e) => e.clusterId ?? 'none',
    (e) => e.clusterName ?? 'No cluster recorded',
    families,
  );
  const agencies = groupOutcomes(
    input,
    (e) => e.leadAgencyId ?? 'la',
    (e) => e.leadAgencyName ?? 'Local authority early help',
    families,
  );
  const closedIds = new Set(input.closed.map((e) => e.id));
  const needs = SUPPORTING_FAMILIES_OUTCOMES.map((o) => {
    const goals = input.goals.filter((g) => g.outcomeHeading === o.value && closedIds.has(g.episodeId));
    const achieved = goals.filter((g) => g.status === 'achieved').length;
    const changes = goals.map((g) => index.goal(g.id)?.change).filter((c): c is number => c !== undefined);
    return {
      key: o.value,
      label: o.text,
      goals: goals.length,
      achieved,
      achievedShare: share(achieved, goals.length),
      averageChange: avg(changes),
    };
  }).filter((n) => n.goals > 0);
  const steppedUp = input.closed.filter((e) => e.steppedUp || e.closureReason === 'stepped-up').length;
  const days = input.opened.map(firstMeetingDays);
  const held = days.filter((d): d is number => d !== null);
  const complete = input.assessments.filter((a) => a.riskAnalysisComplete).length;
  return {
    closedCount: input.closed.length,
    openedCount: input.opened.length,
    domains,
    clusters,
    agencies,
    needs,
    recontacts: recontactMeasures(input),
    sustained: sustainedMeasures(input),
    stepUps: { closed: input.closed.length, steppedUp, share: share(steppedUp, input.closed.length) },
    firstMeeting: {
      opened: input.opened.length,
      held: held.length,
      medianDays: median(held),
      averageDays: avg(held),
      buckets: FIRST_MEETING_BUCKETS.map((b) => ({
        key: b.key,
        label: b.label,
        count: days.filter((d) => b.test(d)).length,
      })),
    },
    riskAnalysis: {
      assessments: input.assessments.length,
      complete,
      incomplete: input.assessments.length - complete,
      share: share(complete, input.assessments.length),
      completedAssessments: input.assessments.filter((a) => a.status === 'completed').length,
    },
    families,
  };
}

export const DRILL_DOWN_METRICS = [
  'closed',
  'domain',
  'cluster',
  'agency',
  'need',
  'recontact',
  'sustained',
  'step-up',
  'first-meeting',
  'risk-analysis',
] as const;
export type DrillDownMetric = (typeof DRILL_DOWN_METRICS)[number];

/** The episodes behind a number on the impact page. */
export function drillDown(input: ImpactInput, metric: DrillDownMetric, key: string | undefined): string[] {
  const closed = input.closed;
  switch (metric) {
    case 'closed':
      return closed.map((e) => e.id);
    case 'domain': {
      const scored = new Set(
        input.distances.filter((d) => d.subject === 'domain' && d.subjectKey === key).map((d) => d.episodeId),
      );
      return closed.filter((e) => scored.has(e.id)).map((e) => e.id);
    }
    case 'cluster':
      return closed.filter((e) => (e.clusterId ?? 'none') === key).map((e) => e.id);
    case 'agency':
      return closed.filter((e) => (e.leadAgencyId ?? 'la') === key).map((e) => e.id);
    case 'need': {
      const met = new Set(input.goals.filter((g) => g.outcomeHeading === key).map((g) => g.episodeId));
      return closed.filter((e) => met.has(e.id)).map((e) => e.id);
    }
    case 'recontact': {
      // key: a bucket of time to the first re-contact; none given: every family re-contacted in the window.
      const bucket = RECONTACT_BUCKETS.find((b) => b.key === key);
      return closed
        .filter((e) => (bucket ? bucket.test(daysToRecontact(e)) : e.recontacts > 0))
        .map((e) => e.id);
    }
    case 'sustained': {
      // key: '<scope>.<yes|partly|no|checked>', or 'overall.unchecked' for follow-ups not yet recorded.
      const [scope = 'overall', rating = 'checked'] = (key ?? '').split('.');
      if (scope === 'overall' && rating === 'unchecked') {
        const pending = new Set(input.followUps.filter((f) => !f.completedOn).map((f) => f.episodeId));
        return closed.filter((e) => pending.has(e.id)).map((e) => e.id);
      }
      const ratings = sustainedRatings(input, scope);
      return closed
        .filter((e) => ratings.has(e.id) && (rating === 'checked' || ratings.get(e.id) === rating))
        .map((e) => e.id);
    }
    case 'step-up':
      return closed.filter((e) => e.steppedUp || e.closureReason === 'stepped-up').map((e) => e.id);
    case 'first-meeting': {
      const bucket = FIRST_MEETING_BUCKETS.find((b) => b.key === key);
      return input.opened.filter((e) => !bucket || bucket.test(firstMeetingDays(e))).map((e) => e.id);
    }
    case 'risk-analysis':
      return [
        ...new Set(
          input.assessments
            .filter((a) =>
              key === 'incomplete'
                ? !a.riskAnalysisComplete
                : key === 'complete'
                  ? a.riskAnalysisComplete
                  : true,
            )
            .map((a) => a.episodeId),
        ),
      ];
  }
}
