import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { bulkInsert, timedStatement, type BulkColumn } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';
import { appendCaseEventsInBulk, type CaseEventInput } from '../../kernel/case-events/index.ts';
import type { SeededRandom } from '../../kernel/random/index.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { assessmentDue, icpcTarget } from './social-care.ts';
import { insertGeneratedCaseNotes, type GeneratedCaseNote } from '../people/index.ts';

/**
 * Social care's part of `threshold generate authority` (src/demo/generate-authority.ts): for each referral the
 * front door makes, the whole life of a children in need episode, dated in working days and cut off at today:
 * allocation, a child and family assessment (most authorised within 45 working days, some late), for some a
 * strategy discussion, section 47 enquiry and initial conference within 15 working days, child protection plans
 * with statutory visits every 10 working days and review conferences, child in need plans with visits every 20
 * working days, case notes, chronology entries and closure with a census reason. Work still under way at today
 * stays open (assessments in progress, plans running), so worktrays have on-time and overdue items.
 *
 * Every record keeps to the CIN census rules at entry (census-rules.ts; the generator test checks them): one
 * episode at a time per child (the caller gives the next free day), an assessment before a section 47, plans
 * starting on or after the referral, a CP plan on the day of its initial conference, on a weekday, no CIN plan
 * open with a CP plan, closure after everything on the episode, RC8/RC9 only with nothing but an assessment.
 */

export interface ReferralRequest {
  childId: string;
  localAuthorityId: string;
  referralDate: string;
  referralSource: string;
  sourceContactId: string;
  /** A strategy discussion at the front door: a section 47 enquiry from the start. */
  strategy: boolean;
  /** Child protection plans the child had before (census item N00106). */
  previousCpPlans: number;
}

export interface SocialCareTeam {
  id: string;
  workers: readonly string[];
  managerId: string;
}

export interface SocialCareStaff {
  assessment: readonly SocialCareTeam[];
  cin: readonly SocialCareTeam[];
  cp: readonly SocialCareTeam[];
}

export interface GeneratedEpisode {
  id: string;
  childId: string;
  /** The closure date, or null while the episode is open at today. */
  closureDate: string | null;
  cpPlans: number;
  referralNfa: boolean;
  teamId: string;
}

const PRIMARY_NEED: [string, number][] = [
  ['N1', 57],
  ['N2', 10],
  ['N3', 3],
  ['N4', 2],
  ['N5', 12],
  ['N6', 8],
  ['N7', 2],
  ['N8', 3],
  ['N9', 3],
];
const FACTORS = [
  '1A',
  '1B',
  '2B',
  '3A',
  '3C',
  '4A',
  '6B',
  '8B',
  '9A',
  '11A',
  '12A',
  '14A',
  '16A',
  '18B',
  '18C',
  '19C',
  '20',
  '22A',
  '24A',
];
const CIN_GOALS: [string, string][] = [
  ['The child misses school often', 'The child goes to school every day'],
  ['The home is not always safe or clean', 'The home is safe and clean when visited'],
  ['The parents argue in front of the children', 'The parents use the plan they agreed to stay calm'],
];
const CATEGORIES: [string, number][] = [
  ['NEG', 50],
  ['EMO', 36],
  ['PHY', 6],
  ['SAB', 4],
  ['MUL', 4],
];

/** The published child and family assessment template the generated assessments use. */
export async function assessmentTemplateId(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('formTemplates')
    .select('id')
    .where('key', '=', 'child-and-family-assessment')
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The rows planned for a batch of episodes, table by table, until writeCinEpisodes writes them. */
export type CinEpisodeRows = {
  episodes: Record<string, unknown>[];
  allocations: Record<string, unknown>[];
  assessments: Record<string, unknown>[];
  strategy: Record<string, unknown>[];
  s47: Record<string, unknown>[];
  conferences: Record<string, unknown>[];
  reviews: Record<string, unknown>[];
  cpPlans: Record<string, unknown>[];
  cinPlans: Record<string, unknown>[];
  cinGoals: Record<string, unknown>[];
  cinReviews: Record<string, unknown>[];
  cinReviewProgress: Record<string, unknown>[];
  coreGroups: Record<string, unknown>[];
  visits: Record<string, unknown>[];
  notes: GeneratedCaseNote[];
  events: CaseEventInput[];
};

export const newCinEpisodeRows = (): CinEpisodeRows => ({
  episodes: [],
  allocations: [],
  assessments: [],
  strategy: [],
  s47: [],
  conferences: [],
  reviews: [],
  cpPlans: [],
  cinPlans: [],
  cinGoals: [],
  cinReviews: [],
  cinReviewProgress: [],
  coreGroups: [],
  visits: [],
  notes: [],
  events: [],
});

export interface PlanEpisodesInput {
  today: string;
  calendar: WorkingDayCalendar;
  staffFor: (localAuthorityId: string) => SocialCareStaff;
}

/**
 * Plans the episodes for the referrals without touching the database: adds their rows to `rows` (call it as often
 * as needed, in order, then writeCinEpisodes) and returns what the front door and the caller's timeline need. The
 * caller can so plan the next batch while the database writes the last one.
 */
export function planCinEpisodes(
  random: SeededRandom,
  requests: readonly ReferralRequest[],
  input: PlanEpisodesInput,
  rows: CinEpisodeRows,
): GeneratedEpisode[] {
  const { calendar, today } = input;
  const result: GeneratedEpisode[] = [];
  /** n working days after d (d itself when n is 0): the calendar counts its start as day 1. */
  const wd = (d: string, n: number) =>
    n <= 0
      ? calendar.workingDayOnOrAfter(d)
      : calendar.addWorkingDays(calendar.workingDayOnOrAfter(d), n + 1);
  const at = (d: string) =>
    instantAt(
      d,
      `${String(random.int(9, 16)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
    );
  const past = (d: string) => d <= today;

  for (const req of requests) {
    const staff = input.staffFor(req.localAuthorityId);
    const episodeId = randomUUID();
    const childId = req.childId;
    const R = req.referralDate;
    const aTeam = random.pick(staff.assessment);
    let team = aTeam;
    let worker = random.pick(aTeam.workers);
    const event = (
      date: string,
      category: CaseEventInput['category'],
      title: string,
      sourceType: string,
      sourceId: string,
      significant = false,
    ) => {
      const when = at(date);
      rows.events.push({
        childId,
        occurredAt: when,
        recordedAt: when,
        recordedBy: worker,
        category,
        title,
        significant,
        sourceType,
        sourceId,
      });
    };
    const note = (date: string, noteType: GeneratedCaseNote['noteType'], title: string, body: string) =>
      rows.notes.push({
        id: randomUUID(),
        childId,
        noteType,
        occurredOn: date,
        title,
        body,
        childSeen: noteType === 'visit' ? true : null,
        recordedAt: at(date),
        recordedBy: worker,
      });
    let allocationId = randomUUID();
    const allocate = (date: string) => {
      allocationId = randomUUID();
      rows.allocations.push({
        id: allocationId,
        childId,
        workerId: worker,
        teamId: team.id,
        role: 'allocated-worker',
        involvementType: 'cin-episode',
        involvementId: episodeId,
        startedOn: date,
        endedOn: null,
        createdBy: team.managerId,
      });
    };
    const transfer = (to: SocialCareTeam, date: string) => {
      rows.allocations[rows.allocations.length - 1]!.endedOn = date;
      team = to;
      worker = random.pick(to.workers);
      allocate(date);
      event(date, 'allocation', 'Allocated to a new social worker', 'cin-episode', episodeId);
    };
    allocate(R);
    event(R, 'referral', 'Referred to children’s social care', 'cin-episode', episodeId, true);
    note(
      R,
      'management-note',
      'Allocation',
      'Allocated for a child and family assessment. Manager’s direction recorded.',
    );

    let closure: { date: string; reason: string } | null = null;
    let cpPlans = 0;
    let lastActivity = R;
    const visits = (kind: 'cp' | 'cin' | 'assessment', from: string, until: string, every: number) => {
      // Statutory visits at the interval, a few late; each with its case note.
      let d = wd(from, random.int(1, Math.min(every, 5)));
      while (d <= until && past(d)) {
        const seen = random.chance(0.92);
        const id = randomUUID();
        rows.visits.push({
          id,
          episodeId,
          childId,
          planKind: kind,
          visitedOn: d,
          childSeen: seen,
          seenAlone: seen ? random.chance(0.6) : null,
          bedroomSeen: seen ? random.chance(0.5) : null,
          reasonNotSeen: seen ? null : 'The family was not at home.',
          notes: 'Statutory visit: home conditions and the child’s presentation recorded.',
          recordedAt: at(d),
          recordedBy: worker,
        });
        note(
          d,
          'visit',
          'Statutory visit',
          'Visited the child at home; saw the child and talked about school and home.',
        );
        if (d > lastActivity) lastActivity = d;
        d = wd(d, random.chance(0.85) ? every - random.int(0, 2) : every + random.int(1, 6));
      }
    };

    // The child and family assessment.
    const A = req.strategy ? R : wd(R, random.int(0, 3));
    const assessmentId = randomUUID();
    const lateAssessment = random.chance(0.15);
    const due = assessmentDue(calendar, R);
    const onTimeBy = wd(A, random.int(10, 44));
    const completedOn = lateAssessment ? wd(due, random.int(1, 25)) : onTimeBy < due ? onTimeBy : due;
    const authorisedOn = wd(completedOn, random.int(0, 3));
    const outcome: 'no-further-action' | 'early-help' | 'cin-plan' | 'strategy-discussion' = req.strategy
      ? 'strategy-discussion'
      : random.weighted([
          ['no-further-action', 38],
          ['early-help', 14],
          ['cin-plan', 38],
          ['strategy-discussion', 10],
        ] as const);
    const factors =
      outcome === 'no-further-action' && random.chance(0.5)
        ? ['21']
        : [random.pick(FACTORS), random.pick(FACTORS), random.pick(FACTORS)].filter(
            (f, i, all) => all.indexOf(f) === i,
          );
    const assessmentDone = past(authorisedOn);
    const assessmentCompleted = past(completedOn);
    if (past(A)) {
      rows.assessments.push({
        id: assessmentId,
        episodeId,
        childId,
        startDate: A,
        dueDate: due,
        status: assessmentDone
          ? 'authorised'
          : assessmentCompleted
            ? 'awaiting-authorisation'
            : 'in-progress',
        completedOn: assessmentCompleted ? completedOn : null,
        completedBy: assessmentCompleted ? worker : null,
        outcome: assessmentCompleted ? outcome : null,
        lateReason:
          assessmentCompleted && lateAssessment ? 'Waiting for information from partner agencies.' : null,
        factors: assessmentDone ? factors : [],
        proposedFactors: assessmentCompleted ? factors : [],
        authorisedOn: assessmentDone ? authorisedOn : null,
        authorisedAt: assessmentDone ? at(authorisedOn) : null,
        authorisedBy: assessmentDone ? team.managerId : null,
        oversight: assessmentDone ? 'Analysis is sound; outcome agreed.' : null,
        createdAt: at(A),
        createdBy: worker,
      });
      event(A, 'assessment', 'Child and family assessment started', 'cin-assessment', assessmentId);
      visits('assessment', A, assessmentCompleted ? completedOn : today, 10);
      // Nothing closes before the assessment is authorised (8867), even when that is after today.
      if (authorisedOn > lastActivity) lastActivity = authorisedOn;
      if (assessmentDone) {
        event(
          authorisedOn,
          'assessment',
          'Child and family assessment authorised',
          'cin-assessment',
          assessmentId,
          true,
        );
      }
    }

    // A section 47 enquiry: from the strategy discussion at the front door, or after the assessment.
    let planFrom: { kind: 'cp' | 'cin'; date: string; category?: string; conferenceId?: string } | null =
      null;
    if (outcome === 'strategy-discussion') {
      const S = req.strategy ? R : authorisedOn;
      if (past(S) && (req.strategy || assessmentDone)) {
        const strategyId = randomUUID();
        rows.strategy.push({
          id: strategyId,
          episodeId,
          childId,
          heldOn: S,
          informationShared: 'Police, health and school shared what they know about the family.',
          decision: 'section-47',
          rationale:
            'Reasonable cause to suspect the child is suffering, or likely to suffer, significant harm.',
          recordedAt: at(S),
          recordedBy: worker,
        });
        event(
          S,
          'meeting',
          'Strategy discussion: section 47 enquiry',
          'cp-strategy-discussion',
          strategyId,
          true,
        );
        const s47Id = randomUUID();
        const target = icpcTarget(calendar, S);
        const s47Outcome = random.weighted([
          ['icpc', 50],
          ['cin-plan', 30],
          ['no-further-action', 20],
        ] as const);
        const outcomeOn = wd(
          S,
          s47Outcome === 'icpc'
            ? random.chance(0.8)
              ? random.int(8, 15)
              : random.int(16, 25)
            : random.int(5, 15),
        );
        const decided = past(outcomeOn);
        rows.s47.push({
          id: s47Id,
          episodeId,
          childId,
          strategyDiscussionId: strategyId,
          startDate: S,
          icpcTarget: target,
          icpcNotRequired: decided && s47Outcome !== 'icpc',
          outcome: decided ? s47Outcome : null,
          outcomeOn: decided ? outcomeOn : null,
          outcomeNotes: decided ? 'Outcome of the enquiry agreed with the team manager.' : null,
          createdAt: at(S),
          createdBy: worker,
        });
        event(S, 'social-care', 'Section 47 enquiry started', 'section-47', s47Id, true);
        lastActivity = S > lastActivity ? S : lastActivity;
        if (decided) {
          if (outcomeOn > lastActivity) lastActivity = outcomeOn;
          if (s47Outcome === 'icpc') {
            // The initial conference (outcomeOn is a working day, so never a weekend).
            const conferenceId = randomUUID();
            const toPlan = random.chance(0.85);
            const category = random.weighted(CATEGORIES);
            rows.conferences.push({
              id: conferenceId,
              kind: 'initial',
              episodeId,
              childId,
              section47Id: s47Id,
              cpPlanId: null,
              targetDate: target,
              heldOn: outcomeOn,
              chair: 'Independent chair',
              quorate: true,
              outcome: toPlan ? 'cp-plan' : 'cin-plan',
              category: toPlan ? category : null,
              decisions: toPlan
                ? 'The child is to be the subject of a child protection plan.'
                : 'A child in need plan.',
              recordedAt: at(outcomeOn),
              recordedBy: worker,
            });
            event(
              outcomeOn,
              'meeting',
              'Initial child protection conference',
              'cp-conference',
              conferenceId,
              true,
            );
            planFrom = toPlan
              ? { kind: 'cp', date: outcomeOn, category, conferenceId }
              : { kind: 'cin', date: outcomeOn };
          } else if (s47Outcome === 'cin-plan') planFrom = { kind: 'cin', date: outcomeOn };
          else closure = { date: outcomeOn, reason: 'RC7' };
        }
      }
      // The assessment of a strategy referral ends with it: authorised by then.
    } else if (assessmentDone) {
      if (outcome === 'cin-plan') planFrom = { kind: 'cin', date: authorisedOn };
      else closure = { date: authorisedOn, reason: outcome === 'early-help' ? 'RC9' : 'RC8' };
    }

    // Plans: a CP plan (with visits and reviews), then perhaps a CIN plan; or a CIN plan on its own.
    let cinFrom: string | null = planFrom?.kind === 'cin' ? planFrom.date : null;
    if (planFrom?.kind === 'cp' && past(planFrom.date)) {
      const P = planFrom.date;
      const planId = randomUUID();
      transfer(random.pick(staff.cp), P);
      const planEnd = calendar.workingDayOnOrAfter(wd(P, random.int(110, 380)));
      const ended = past(planEnd);
      rows.cpPlans.push({
        id: planId,
        episodeId,
        childId,
        initialConferenceId: planFrom.conferenceId,
        startDate: P,
        initialCategory: planFrom.category,
        latestCategory: planFrom.category,
        previousPlans: req.previousCpPlans,
        planSummary: 'The child is safe at home and their needs are met; the family works with the plan.',
        endDate: ended ? planEnd : null,
        endReason: ended ? 'conference-decision' : null,
        endedAt: ended ? at(planEnd) : null,
        endedBy: ended ? worker : null,
        createdAt: at(P),
        createdBy: worker,
      });
      cpPlans++;
      event(P, 'plan', 'Child protection plan started', 'cp-plan', planId, true);
      visits('cp', P, ended ? planEnd : today, 10);
      // Core groups: the first within 10 working days of the conference, then about every six weeks.
      for (
        let g = wd(P, random.int(5, 10));
        past(g) && (!ended || g < planEnd);
        g = wd(g, random.chance(0.85) ? random.int(20, 30) : random.int(31, 45))
      ) {
        const coreGroupId = randomUUID();
        rows.coreGroups.push({
          id: coreGroupId,
          cpPlanId: planId,
          childId,
          heldOn: g,
          attendees: 'Social worker, parents, school, health visitor',
          childSeen: random.chance(0.8),
          progress: 'Actions reviewed: most done, the rest carried forward.',
          scaling: random.int(2, 7),
          socialCarePresent: true,
          recordedAt: at(g),
          recordedBy: worker,
        });
        event(g, 'meeting', 'Core group meeting', 'cp-core-group', coreGroupId);
        if (g > lastActivity) lastActivity = g;
      }
      // Review conferences: the first within three months, then every six, the last ending the plan.
      let review = wd(P, random.int(55, 64));
      while (past(review) && (!ended || review < planEnd)) {
        const reviewId = randomUUID();
        rows.reviews.push({
          id: reviewId,
          kind: 'review',
          episodeId,
          childId,
          section47Id: null,
          cpPlanId: planId,
          targetDate: review,
          heldOn: review,
          chair: 'Independent chair',
          quorate: true,
          outcome: 'continue-plan',
          category: null,
          decisions: 'The plan continues.',
          recordedAt: at(review),
          recordedBy: worker,
        });
        event(review, 'meeting', 'Review child protection conference', 'cp-conference', reviewId);
        lastActivity = review > lastActivity ? review : lastActivity;
        review = wd(review, random.int(120, 130));
      }
      if (ended) {
        const reviewId = randomUUID();
        rows.reviews.push({
          id: reviewId,
          kind: 'review',
          episodeId,
          childId,
          section47Id: null,
          cpPlanId: planId,
          targetDate: planEnd,
          heldOn: planEnd,
          chair: 'Independent chair',
          quorate: true,
          outcome: 'end-plan',
          category: null,
          decisions: 'The child protection plan ends.',
          recordedAt: at(planEnd),
          recordedBy: worker,
        });
        event(planEnd, 'plan', 'Child protection plan ended', 'cp-plan', planId, true);
        if (planEnd > lastActivity) lastActivity = planEnd;
        if (random.chance(0.5)) cinFrom = planEnd;
        else closure = { date: planEnd, reason: 'RC7' };
      }
    }
    if (cinFrom && past(cinFrom)) {
      const C = cinFrom;
      const planId = randomUUID();
      transfer(random.pick(staff.cin), C);
      const planEnd = wd(C, random.int(60, 260));
      const ended = past(planEnd);
      rows.cinPlans.push({
        id: planId,
        episodeId,
        childId,
        assessmentId: assessmentDone ? assessmentId : null,
        startDate: C,
        reviewIntervalWeeks: 12,
        familySummary: 'What we are worried about, what is working well and what needs to happen.',
        endDate: ended ? planEnd : null,
        endReason: ended ? 'closure' : null,
        endedAt: ended ? at(planEnd) : null,
        endedBy: ended ? worker : null,
        createdAt: at(C),
        createdBy: worker,
      });
      event(C, 'plan', 'Child in need plan started', 'cin-plan', planId, true);
      visits('cin', C, ended ? planEnd : today, 20);
      // SMART goals, and reviews every 12 weeks (most on time, some late), the last ending the plan.
      const goals = [0, 1, 2].slice(0, random.int(2, 3)).map((k) => {
        const goalId = randomUUID();
        rows.cinGoals.push({
          id: goalId,
          cinPlanId: planId,
          position: k + 1,
          worry: CIN_GOALS[k]![0],
          goal: CIN_GOALS[k]![1],
          measure: 'Agreed by the family and the professionals at the review.',
          responsible: 'Parents, with the social worker and school',
          targetDate: wd(C, 60),
          achievedOn: ended && random.chance(0.6) ? planEnd : null,
          createdAt: at(C),
        });
        return goalId;
      });
      let review = wd(C, random.chance(0.85) ? random.int(50, 59) : random.int(61, 80));
      for (;;) {
        const last = ended && review >= planEnd;
        const on = last ? planEnd : review;
        if (!last && !past(on)) break;
        const reviewId = randomUUID();
        rows.cinReviews.push({
          id: reviewId,
          cinPlanId: planId,
          childId,
          heldOn: on,
          attendees: 'Social worker, parents, school, health',
          childsViews: 'The child said things are better at home.',
          familyViews: 'The family feel the plan is helping.',
          summary: 'Progress on each goal reviewed with the family and the agencies.',
          decision: last ? 'close' : 'continue',
          nextReviewDue: last ? null : addCalendarDays(on, 84),
          socialCarePresent: true,
          recordedAt: at(on),
          recordedBy: worker,
        });
        for (const goalId of goals)
          rows.cinReviewProgress.push({
            reviewId,
            goalId,
            rating: random.weighted([
              ['achieved', last ? 50 : 15],
              ['progressing', 55],
              ['not-progressing', 20],
              ['not-started', last ? 0 : 10],
            ] as const),
          });
        event(on, 'meeting', 'Child in need plan review', 'cin-plan-review', reviewId);
        if (on > lastActivity) lastActivity = on;
        if (last) break;
        review = wd(review, random.chance(0.85) ? random.int(55, 60) : random.int(61, 80));
      }
      if (ended) {
        event(planEnd, 'plan', 'Child in need plan ended', 'cin-plan', planId);
        lastActivity = planEnd > lastActivity ? planEnd : lastActivity;
        closure = { date: planEnd, reason: 'RC7' };
      }
    }
    // Closure: on the last day anything happened (8565), never before it.
    if (closure) {
      const date = closure.date > lastActivity ? closure.date : lastActivity;
      closure = past(date) ? { date, reason: closure.reason } : null;
    }
    if (closure) {
      rows.allocations[rows.allocations.length - 1]!.endedOn = closure.date;
      event(closure.date, 'closure', 'Episode closed', 'cin-episode', episodeId);
      note(closure.date, 'management-note', 'Closure', 'Closure agreed by the team manager.');
    }
    rows.episodes.push({
      id: episodeId,
      childId,
      localAuthorityId: req.localAuthorityId,
      referralDate: R,
      referralSource: req.referralSource,
      primaryNeedCode: random.weighted(PRIMARY_NEED),
      referralNfa: false,
      closureDate: closure?.date ?? null,
      closureReason: closure?.reason ?? null,
      closureNotes: closure ? 'Closed by the team manager.' : null,
      closedAt: closure ? at(closure.date) : null,
      closedBy: closure ? team.managerId : null,
      sourceContactId: req.sourceContactId,
      teamId: team.id,
      createdAt: at(R),
      createdBy: worker,
      updatedAt: closure ? at(closure.date) : at(R),
    });
    result.push({
      id: episodeId,
      childId,
      closureDate: closure?.date ?? null,
      cpPlans,
      referralNfa: false,
      teamId: team.id,
    });
  }
  return result;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const cols = (types: Record<string, string>): BulkColumn<Record<string, unknown>>[] =>
  Object.entries(types).map(([k, type]) => [snake(k), type, (r: Record<string, unknown>) => r[k]] as const);

/** Writes the planned rows, in bulk, in the caller's transaction. */
export async function writeCinEpisodes(
  trx: Transaction<DB>,
  rows: CinEpisodeRows,
  input: { templateId: string; now: Date },
): Promise<void> {
  const { templateId, now } = input;
  if (!rows.episodes.length) return;
  // References as the referral service makes them, from the same sequence.
  const numbers = await sql<{
    n: string;
  }>`select nextval('cin_episode_number')::text as n from generate_series(1, ${rows.episodes.length})`.execute(
    trx,
  );
  rows.episodes.forEach((e, i) => {
    e.reference = `CIN-${String(e.referralDate).slice(0, 4)}-${numbers.rows[i]!.n.padStart(5, '0')}`;
  });
  await bulkInsert(
    trx,
    'cin_episodes',
    [
      ...cols({
        id: 'uuid',
        childId: 'uuid',
        localAuthorityId: 'uuid',
        referralDate: 'date',
        referralSource: 'text',
        primaryNeedCode: 'text',
        referralNfa: 'boolean',
        closureDate: 'date',
        closureReason: 'text',
        closureNotes: 'text',
        closedAt: 'timestamptz',
        closedBy: 'uuid',
        sourceContactId: 'uuid',
        teamId: 'uuid',
        createdAt: 'timestamptz',
        createdBy: 'uuid',
        updatedAt: 'timestamptz',
      }),
      ['reference', 'text', (r) => r.reference],
    ],
    rows.episodes,
  );
  await bulkInsert(
    trx,
    'allocations',
    cols({
      id: 'uuid',
      childId: 'uuid',
      workerId: 'uuid',
      teamId: 'uuid',
      role: 'text',
      involvementType: 'text',
      involvementId: 'uuid',
      startedOn: 'date',
      endedOn: 'date',
      createdBy: 'uuid',
    }),
    rows.allocations,
  );
  await bulkInsert(
    trx,
    'cin_assessments',
    [
      ...cols({
        id: 'uuid',
        episodeId: 'uuid',
        childId: 'uuid',
        startDate: 'date',
        dueDate: 'date',
        status: 'text',
        completedOn: 'date',
        completedBy: 'uuid',
        outcome: 'text',
        lateReason: 'text',
        factors: 'text[]',
        proposedFactors: 'text[]',
        authorisedOn: 'date',
        authorisedAt: 'timestamptz',
        authorisedBy: 'uuid',
        oversight: 'text',
        createdAt: 'timestamptz',
        createdBy: 'uuid',
      }),
      ['template_id', 'uuid', () => templateId],
      ['updated_at', 'timestamptz', () => now],
    ],
    rows.assessments,
  );
  await bulkInsert(
    trx,
    'cp_strategy_discussions',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      childId: 'uuid',
      heldOn: 'date',
      informationShared: 'text',
      decision: 'text',
      rationale: 'text',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    rows.strategy,
  );
  await bulkInsert(
    trx,
    'section47_enquiries',
    [
      ...cols({
        id: 'uuid',
        episodeId: 'uuid',
        childId: 'uuid',
        strategyDiscussionId: 'uuid',
        startDate: 'date',
        icpcTarget: 'date',
        icpcNotRequired: 'boolean',
        outcome: 'text',
        outcomeOn: 'date',
        outcomeNotes: 'text',
        createdAt: 'timestamptz',
        createdBy: 'uuid',
      }),
      ['updated_at', 'timestamptz', () => now],
    ],
    rows.s47,
  );
  const conferenceCols = cols({
    id: 'uuid',
    kind: 'text',
    episodeId: 'uuid',
    childId: 'uuid',
    section47Id: 'uuid',
    cpPlanId: 'uuid',
    targetDate: 'date',
    heldOn: 'date',
    chair: 'text',
    quorate: 'boolean',
    outcome: 'text',
    category: 'text',
    decisions: 'text',
    recordedAt: 'timestamptz',
    recordedBy: 'uuid',
  });
  await bulkInsert(trx, 'cp_conferences', conferenceCols, rows.conferences);
  await bulkInsert(
    trx,
    'cp_plans',
    [
      ...cols({
        id: 'uuid',
        episodeId: 'uuid',
        childId: 'uuid',
        initialConferenceId: 'uuid',
        startDate: 'date',
        initialCategory: 'text',
        latestCategory: 'text',
        previousPlans: 'int',
        planSummary: 'text',
        endDate: 'date',
        endReason: 'text',
        endedAt: 'timestamptz',
        endedBy: 'uuid',
        createdAt: 'timestamptz',
        createdBy: 'uuid',
      }),
      ['updated_at', 'timestamptz', () => now],
    ],
    rows.cpPlans,
  );
  await bulkInsert(trx, 'cp_conferences', conferenceCols, rows.reviews);
  await bulkInsert(
    trx,
    'cin_plans',
    [
      ...cols({
        id: 'uuid',
        episodeId: 'uuid',
        childId: 'uuid',
        assessmentId: 'uuid',
        startDate: 'date',
        reviewIntervalWeeks: 'int',
        familySummary: 'text',
        endDate: 'date',
        endReason: 'text',
        endedAt: 'timestamptz',
        endedBy: 'uuid',
        createdAt: 'timestamptz',
        createdBy: 'uuid',
      }),
      ['updated_at', 'timestamptz', () => now],
    ],
    rows.cinPlans,
  );
  await bulkInsert(
    trx,
    'cin_plan_goals',
    cols({
      id: 'uuid',
      cinPlanId: 'uuid',
      position: 'int',
      worry: 'text',
      goal: 'text',
      measure: 'text',
      responsible: 'text',
      targetDate: 'date',
      achievedOn: 'date',
      createdAt: 'timestamptz',
    }),
    rows.cinGoals,
  );
  await bulkInsert(
    trx,
    'cin_plan_reviews',
    cols({
      id: 'uuid',
      cinPlanId: 'uuid',
      childId: 'uuid',
      heldOn: 'date',
      attendees: 'text',
      childsViews: 'text',
      familyViews: 'text',
      summary: 'text',
      decision: 'text',
      nextReviewDue: 'date',
      socialCarePresent: 'boolean',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    rows.cinReviews,
  );
  await bulkInsert(
    trx,
    'cin_plan_review_progress',
    cols({ reviewId: 'uuid', goalId: 'uuid', rating: 'text' }),
    rows.cinReviewProgress,
  );
  await bulkInsert(
    trx,
    'cp_core_groups',
    cols({
      id: 'uuid',
      cpPlanId: 'uuid',
      childId: 'uuid',
      heldOn: 'date',
      attendees: 'text',
      childSeen: 'boolean',
      progress: 'text',
      scaling: 'int',
      socialCarePresent: 'boolean',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    rows.coreGroups,
  );
  await bulkInsert(
    trx,
    'statutory_visits',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      childId: 'uuid',
      planKind: 'text',
      visitedOn: 'date',
      childSeen: 'boolean',
      seenAlone: 'boolean',
      bedroomSeen: 'boolean',
      reasonNotSeen: 'text',
      notes: 'text',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    rows.visits,
  );
  await insertGeneratedCaseNotes(trx, rows.notes);
  await timedStatement('case_events', rows.events.length, () => appendCaseEventsInBulk(trx, rows.events));
}
