import {
  LPM_DECISION_LABELS,
  STEP_DECISION_LABELS,
  type LpmDecision,
  type StepDecision,
} from './pre-proceedings.ts';
import { preProceedingsOfEpisode } from './pre-proceedings.service.ts';
import {
  ABUSE_CATEGORIES,
  codeLabel,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
} from '../../kernel/code-sets/cin-census.ts';
import { earlyHelpEpisodesOfChild } from '../early-help/index.ts';
import { contactAsReceived } from '../front-door/index.ts';
import { deadlinesFor, DEADLINE_LABELS } from './deadlines.ts';
import {
  allocationHistory,
  conferenceFor,
  currentAllocation,
  episodeCinPlans,
  episodeCpPlans,
  initialConferences,
  loadEpisodeSnapshot,
  openAssessment,
  openCinPlan,
  openCpPlan,
  openEnquiry,
  queryExplanationsFor,
} from './episode.repository.ts';
import { requireEpisode } from './episode.service.ts';
import {
  ASSESSMENT_OUTCOME_LABELS,
  CIN_END_REASON_LABELS,
  CP_END_REASON_LABELS,
  ICPC_OUTCOME_LABELS,
  REVIEW_OUTCOME_LABELS,
  S47_OUTCOME_LABELS,
  STRATEGY_DECISION_LABELS,
  type AssessmentOutcome,
  type CinEndReason,
  type CpEndReason,
  type IcpcOutcome,
  type ReviewOutcome,
  type S47Outcome,
  type StrategyDecision,
} from './social-care.ts';
import { directWorkFor, visitsFor } from './visits.service.ts';
import { episodeHeader } from './pages-common.ts';
import { requirePermission, type ServiceContext } from '../../kernel/service/index.ts';
import { letterLinks } from '../documents/index.ts';
import { cinClosureWords } from './letters.ts';

const STATUS_LABELS: Record<string, string> = {
  'in-progress': 'In progress',
  'awaiting-authorisation': 'Awaiting authorisation',
  authorised: 'Authorised',
};
export const assessmentStatusLabel = (status: string) => STATUS_LABELS[status] ?? status;
export const categoryLabel = (code: string | null) =>
  code ? `${code}: ${codeLabel(ABUSE_CATEGORIES, code)}` : '';

/** Everything the episode page shows, from a handful of queries. */
export async function episodeOverview(ctx: ServiceContext, episodeId: string, today: string) {
  const { db: trx, user, calendar, now } = ctx;
  requirePermission(user, 'social-care:read');
  const episode = await requireEpisode(ctx, episodeId, 'read');
  const s = await loadEpisodeSnapshot(trx, episode);
  const [allocation, history, queries, visits, directWork, asReceived, earlyHelp, preProceedings] =
    await Promise.all([
      currentAllocation(trx, episode.id),
      allocationHistory(trx, episode.id),
      queryExplanationsFor(trx, episode.id),
      visitsFor(trx, episode.id, { limit: 3, offset: 0 }),
      directWorkFor(trx, episode, { limit: 3, offset: 0 }),
      // How the family came in (a step-up carries its early help history in the contact), and early help before.
      episode.sourceContactId ? contactAsReceived(ctx, episode.sourceContactId) : Promise.resolve(null),
      user.permissions.has('early-help:read')
        ? earlyHelpEpisodesOfChild(trx, episode.childId)
        : Promise.resolve([]),
      preProceedingsOfEpisode(trx, episode.id),
    ]);
  const deadlines = episode.closureDate
    ? []
    : await deadlinesFor(
        trx,
        [{ ...episode, workerId: allocation?.workerId ?? null, teamId: allocation?.teamId ?? null }],
        calendar,
        today,
      );
  const open = !episode.closureDate;
  const canWrite = open && user.permissions.has('social-care:write');
  const cp = openCpPlan(s);
  const cin = openCinPlan(s);
  const can = {
    write: canWrite,
    allocate: open && user.permissions.has('allocation:manage'),
    startAssessment: canWrite && !openAssessment(s),
    strategy: canWrite,
    section47: canWrite && !openEnquiry(s),
    conference: canWrite,
    cpPlan:
      canWrite &&
      !cp &&
      initialConferences(s).some(
        (c) => c.outcome === 'cp-plan' && !s.childCpPlans.some((p) => p.initialConferenceId === c.id),
      ),
    cinPlan: canWrite && !cp && !cin,
    visit: canWrite,
    directWork: canWrite,
    stepDown: canWrite && !cp,
    close: canWrite,
    transferOut: canWrite,
    legalPlanning: canWrite,
  };
  return {
    header: await episodeHeader(trx, episode, now),
    episode,
    referral: {
      source: `${episode.referralSource}: ${codeLabel(REFERRAL_SOURCES, episode.referralSource)}`,
      primaryNeed: episode.primaryNeedCode
        ? `${episode.primaryNeedCode}: ${codeLabel(PRIMARY_NEED_CODES, episode.primaryNeedCode)}`
        : null,
    },
    allocation: allocation ?? null,
    history,
    preProceedings: preProceedings.map((p) => ({
      ...p,
      decisionLabel: LPM_DECISION_LABELS[p.lpmDecision as LpmDecision],
      stepLabel: p.stepDecision ? STEP_DECISION_LABELS[p.stepDecision as StepDecision] : null,
    })),
    asReceived,
    earlyHelp,
    // The closure letter. A step-down's letters are on early help's handover page: early help holds the record now.
    closureLetters:
      episode.closureDate &&
      !episode.earlyHelpEpisodeId &&
      cinClosureWords(episode.closureReason, episode.givenName)
        ? letterLinks(user, 'cin-episode', episode.id, [
            { kind: 'closure-letter', text: 'Produce the closure letter to the family' },
          ])
        : [],
    deadlines: deadlines.map((d) => ({
      ...d,
      kindLabel: DEADLINE_LABELS[d.kind],
      overdue: !!d.dueOn && d.dueOn < today,
    })),
    assessments: s.assessments.map((a) => ({
      ...a,
      statusLabel: assessmentStatusLabel(a.status),
      outcomeLabel: a.outcome ? ASSESSMENT_OUTCOME_LABELS[a.outcome as AssessmentOutcome] : null,
      late:
        (a.completedOn ?? a.authorisedOn ?? (a.status === 'in-progress' ? today : null) ?? '') > a.dueDate,
    })),
    strategyDiscussions: s.strategyDiscussions.map((d) => ({
      ...d,
      decisionLabel: STRATEGY_DECISION_LABELS[d.decision as StrategyDecision] ?? d.decision,
    })),
    enquiries: s.enquiries.map((e) => ({
      ...e,
      outcomeLabel: e.outcome ? S47_OUTCOME_LABELS[e.outcome as S47Outcome] : null,
      conference: conferenceFor(s, e.id),
    })),
    conferences: s.conferences.map((c) => ({
      ...c,
      outcomeLabel:
        c.kind === 'initial'
          ? ICPC_OUTCOME_LABELS[c.outcome as IcpcOutcome]
          : REVIEW_OUTCOME_LABELS[c.outcome as ReviewOutcome],
      categoryLabel: categoryLabel(c.category),
    })),
    cpPlans: episodeCpPlans(s).map((p) => ({
      ...p,
      latestCategoryLabel: categoryLabel(p.latestCategory),
      endReasonLabel: p.endReason ? CP_END_REASON_LABELS[p.endReason as CpEndReason] : null,
    })),
    cinPlans: episodeCinPlans(s).map((p) => ({
      ...p,
      endReasonLabel: p.endReason ? CIN_END_REASON_LABELS[p.endReason as CinEndReason] : null,
    })),
    visits: visits.rows,
    visitsTotal: visits.total,
    directWork: directWork.rows,
    directWorkTotal: directWork.total,
    queries,
    can,
  };
}
