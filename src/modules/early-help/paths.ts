import { pathTo } from '../../web/paths.ts';

/** Early help's URLs (route patterns for definePage; build links with ehPath or pathTo). */
export const EH_PATHS = {
  list: '/early-help',
  start: '/early-help/new',
  impact: '/early-help/impact',
  impactEpisodes: '/early-help/impact/episodes',
  settings: '/early-help/settings',
  episode: '/early-help/episodes/:ehEpisodeId',
  lead: '/early-help/episodes/:ehEpisodeId/lead-practitioner',
  consent: '/early-help/episodes/:ehEpisodeId/consent',
  team: '/early-help/episodes/:ehEpisodeId/team',
  teamMember: '/early-help/episodes/:ehEpisodeId/team/:ehMemberId/remove',
  handover: '/early-help/episodes/:ehEpisodeId/handover',
  assessment: '/early-help/episodes/:ehEpisodeId/assessment',
  oversight: '/early-help/episodes/:ehEpisodeId/assessment/oversight',
  plan: '/early-help/episodes/:ehEpisodeId/plan',
  newGoal: '/early-help/episodes/:ehEpisodeId/plan/goals/new',
  goal: '/early-help/episodes/:ehEpisodeId/plan/goals/:ehGoalId',
  item: '/early-help/episodes/:ehEpisodeId/plan/items/:ehItemId',
  agreePlan: '/early-help/episodes/:ehEpisodeId/plan/agree',
  printPlan: '/early-help/episodes/:ehEpisodeId/plan/print',
  reviews: '/early-help/episodes/:ehEpisodeId/reviews',
  newReview: '/early-help/episodes/:ehEpisodeId/reviews/new',
  review: '/early-help/episodes/:ehEpisodeId/reviews/:ehMeetingId',
  feedback: '/early-help/episodes/:ehEpisodeId/feedback/new',
  stepUp: '/early-help/episodes/:ehEpisodeId/step-up',
  closure: '/early-help/episodes/:ehEpisodeId/closure',
  followUp: '/early-help/episodes/:ehEpisodeId/follow-up',
  outcomes: '/early-help/episodes/:ehEpisodeId/outcomes',
} as const;

type EpisodePattern = {
  [K in keyof typeof EH_PATHS]: (typeof EH_PATHS)[K] extends `${string}:ehEpisodeId${infer R}`
    ? R extends `${string}:${string}`
      ? never
      : K
    : never;
}[keyof typeof EH_PATHS];

/** A page of one episode: ehPath(EH_PATHS.plan, episodeId). */
export function ehPath(
  pattern: (typeof EH_PATHS)[EpisodePattern],
  ehEpisodeId: string,
  query?: Record<string, string | number | undefined>,
): string {
  return pathTo(pattern as '/early-help/episodes/:ehEpisodeId', { ehEpisodeId }, query);
}

export const goalPath = (ehEpisodeId: string, ehGoalId: string) =>
  pathTo(EH_PATHS.goal, { ehEpisodeId, ehGoalId });
export const itemPath = (ehEpisodeId: string, ehItemId: string) =>
  pathTo(EH_PATHS.item, { ehEpisodeId, ehItemId });
export const reviewPath = (ehEpisodeId: string, ehMeetingId: string) =>
  pathTo(EH_PATHS.review, { ehEpisodeId, ehMeetingId });
export const memberRemovePath = (ehEpisodeId: string, ehMemberId: string) =>
  pathTo(EH_PATHS.teamMember, { ehEpisodeId, ehMemberId });

/** Where early help's chronology entries are shown (people's chronology links them). */
export const earlyHelpChronologyLinks = {
  'early-help-episode': (ehEpisodeId: string) => ehPath(EH_PATHS.episode, ehEpisodeId),
} as const;
