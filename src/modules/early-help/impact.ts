import { differenceInCalendarDays } from '../../kernel/time/index.ts';
import { DOMAINS, distanceTravelled, SUPPORTING_FAMILIES_OUTCOMES, type ScoreRow } from './early-help.ts';

/**
 * The impact of early help, worked out from the episodes of a period (pure, so each measure is tested on its own):
 * outcomes by domain, cluster, lead agency and need; re-contacts after closure; step-up rate; time from the decision
 * to the first team-around-the-family meeting; and the share of assessments with a completed risk analysis. Every
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
  recontacts: number;
}

export interface ImpactInput {
  closed: ClosedEpisode[];
  scores: (ScoreRow & { episodeId: string })[];
  goals: { id: string; episodeId: string; outcomeHeading: string; status: string }[];
  opened: { id: string; openedOn: string; firstMeetingOn: string | null }[];
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

/** Distance travelled per episode: the worker's and family's scaling, first and at closure (or latest). */
export function familyDistances(input: ImpactInput) {
  return input.closed.map((e) => {
    const d = distanceTravelled(input.scores.filter((s) => s.episodeId === e.id && s.subject === 'scale'));
    const worker = d.find((x) => x.subjectKey === 'worker') ?? null;
    const family = d.find((x) => x.subjectKey === 'family') ?? null;
    return { ...e, worker, family };
  });
}

function groupOutcomes(input: ImpactInput, keyOf: (e: ClosedEpisode) => string, labelOf: (e: ClosedEpisode) => string) {
  const distances = familyDistances(input);
  const groups = new Map<string, { key: string; label: string; n: number; improved: number; workerChanges: number[] }>();
  for (const e of distances) {
    const key = keyOf(e);
    const g = groups.get(key) ?? { key, label: labelOf(e), n: 0, improved: 0, workerChanges: [] };
    g.n++;
    if (e.closureOutcome === 'improved') g.improved++;
    if (e.worker) g.workerChanges.push(e.worker.change);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ key: g.key, label: g.label, n: g.n, improved: g.improved, improvedShare: share(g.improved, g.n), averageWorkerChange: avg(g.workerChanges) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function computeImpact(input: ImpactInput) {
  const domains = DOMAINS.map((d) => {
    const per = input.closed
      .map((e) => distanceTravelled(input.scores.filter((s) => s.episodeId === e.id && s.subject === 'domain' && s.subjectKey === d.value))[0])
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
  const clusters = groupOutcomes(input, (e) => e.clusterId ?? 'none', (e) => e.clusterName ?? 'No cluster recorded');
  const agencies = groupOutcomes(input, (e) => e.leadAgencyId ?? 'la', (e) => e.leadAgencyName ?? 'Local authority early help');
  const closedIds = new Set(input.closed.map((e) => e.id));
  const needs = SUPPORTING_FAMILIES_OUTCOMES.map((o) => {
    const goals = input.goals.filter((g) => g.outcomeHeading === o.value && closedIds.has(g.episodeId));
    const achieved = goals.filter((g) => g.status === 'achieved').length;
    const changes = goals
      .map((g) => distanceTravelled(input.scores.filter((s) => s.subject === 'goal' && s.subjectKey === g.id))[0]?.change)
      .filter((c): c is number => c !== undefined);
    return { key: o.value, label: o.text, goals: goals.length, achieved, achievedShare: share(achieved, goals.length), averageChange: avg(changes) };
  }).filter((n) => n.goals > 0);
  const withRecontact = input.closed.filter((e) => e.recontacts > 0).length;
  const steppedUp = input.closed.filter((e) => e.steppedUp || e.closureReason === 'stepped-up').length;
  const days = input.opened.map((e) => (e.firstMeetingOn ? differenceInCalendarDays(e.openedOn, e.firstMeetingOn) : null));
  const held = days.filter((d): d is number => d !== null);
  const complete = input.assessments.filter((a) => a.riskAnalysisComplete).length;
  return {
    closedCount: input.closed.length,
    openedCount: input.opened.length,
    domains,
    clusters,
    agencies,
    needs,
    recontacts: { closed: input.closed.length, withRecontact, share: share(withRecontact, input.closed.length) },
    stepUps: { closed: input.closed.length, steppedUp, share: share(steppedUp, input.closed.length) },
    firstMeeting: {
      opened: input.opened.length,
      held: held.length,
      medianDays: median(held),
      averageDays: avg(held),
      buckets: FIRST_MEETING_BUCKETS.map((b) => ({ key: b.key, label: b.label, count: days.filter((d) => b.test(d)).length })),
    },
    riskAnalysis: {
      assessments: input.assessments.length,
      complete,
      incomplete: input.assessments.length - complete,
      share: share(complete, input.assessments.length),
      completedAssessments: input.assessments.filter((a) => a.status === 'completed').length,
    },
    families: familyDistances(input),
  };
}

export const DRILL_DOWN_METRICS = ['closed', 'domain', 'cluster', 'agency', 'need', 'recontact', 'step-up', 'first-meeting', 'risk-analysis'] as const;
export type DrillDownMetric = (typeof DRILL_DOWN_METRICS)[number];

/** The episodes behind a number on the impact page. */
export function drillDown(input: ImpactInput, metric: DrillDownMetric, key: string | undefined): string[] {
  const closed = input.closed;
  switch (metric) {
    case 'closed':
      return closed.map((e) => e.id);
    case 'domain':
      return closed.filter((e) => input.scores.some((s) => s.episodeId === e.id && s.subject === 'domain' && s.subjectKey === key)).map((e) => e.id);
    case 'cluster':
      return closed.filter((e) => (e.clusterId ?? 'none') === key).map((e) => e.id);
    case 'agency':
      return closed.filter((e) => (e.leadAgencyId ?? 'la') === key).map((e) => e.id);
    case 'need':
      return closed.filter((e) => input.goals.some((g) => g.episodeId === e.id && g.outcomeHeading === key)).map((e) => e.id);
    case 'recontact':
      return closed.filter((e) => e.recontacts > 0).map((e) => e.id);
    case 'step-up':
      return closed.filter((e) => e.steppedUp || e.closureReason === 'stepped-up').map((e) => e.id);
    case 'first-meeting': {
      const bucket = FIRST_MEETING_BUCKETS.find((b) => b.key === key);
      return input.opened
        .filter((e) => !bucket || bucket.test(e.firstMeetingOn ? differenceInCalendarDays(e.openedOn, e.firstMeetingOn) : null))
        .map((e) => e.id);
    }
    case 'risk-analysis':
      return [...new Set(input.assessments.filter((a) => (key === 'incomplete' ? !a.riskAnalysisComplete : key === 'complete' ? a.riskAnalysisComplete : true)).map((a) => a.episodeId))];
  }
}
