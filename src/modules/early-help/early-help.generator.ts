import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { bulkInsert, timedStatement } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';
import { appendCaseEventsInBulk, type CaseEventInput } from '../../kernel/case-events/index.ts';
import type { SeededRandom } from '../../kernel/random/index.ts';
import { addCalendarDays, instantAt } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { insertGeneratedCaseNotes, type GeneratedCaseNote } from '../people/index.ts';
import { DOMAIN_KEYS, reviewDueOn, type DomainKey, type OutcomeHeading } from './early-help.ts';
import { refreshScoreSummaries } from './score-summaries.ts';

/**
 * Early help's part of `threshold generate authority` (src/demo/generate-authority.ts): an episode for each contact
 * the front door sends to early help, led by a practitioner in a locality team (allocated as lead practitioner),
 * with consent, monthly case notes and chronology entries, closed after three to nine months with a reason and an
 * outcome, or still open at today. The work of each episode as the pages record it: the team around the family (the
 * lead practitioner and named professionals), an early help assessment with its needs and worries and first scores
 * (most within the authority's 30 working days, some late, a draft while still under way), an agreed plan with SMART
 * goals linked to those needs, and team-around-the-family meetings: the initial one when the plan is agreed, reviews
 * about every six weeks (some late; open episodes have on-time and overdue reviews), each with attendance, progress
 * and scores per goal and updated scaling, the last deciding to close or step up; feedback from some families.
 */

/** The published early help assessment template the generated assessments use. */
export async function earlyHelpAssessmentTemplateId(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('formTemplates')
    .select('id')
    .where('key', '=', 'early-help-assessment')
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

const PROFESSIONALS = [
  { role: 'Class teacher', organisation: 'Primary school' },
  { role: 'Designated safeguarding lead', organisation: 'Secondary school' },
  { role: 'Health visitor', organisation: 'Community health services' },
  { role: 'School nurse', organisation: 'Community health services' },
  { role: 'Family support worker', organisation: 'Family hub' },
  { role: 'Housing officer', organisation: 'Housing services' },
  { role: 'Youth worker', organisation: 'Youth service' },
] as const;
const NAMES = [
  'Sam Patel',
  'Jo Wright',
  'Alex Morgan',
  'Chris Evans',
  'Priya Shah',
  'Tom Hughes',
  'Ruth Okafor',
];
const NEEDS: readonly (readonly [DomainKey, string, OutcomeHeading])[] = [
  ['childDevelopment', 'School attendance has fallen below 90%', 'education'],
  ['childDevelopment', 'Speech and language below the expected level', 'early-years'],
  ['childDevelopment', 'Low mood and anxiety', 'health'],
  ['parentingCapacity', 'Routines at home are inconsistent', 'family-relationships'],
  ['parentingCapacity', 'A parent’s mental health affects the care they can give', 'health'],
  ['familyEnvironment', 'Rent arrears and a risk of eviction', 'housing'],
  ['familyEnvironment', 'Debt and benefits not claimed', 'financial'],
  ['familyEnvironment', 'Arguments at home that the children hear', 'domestic-abuse'],
];
const WORRIES = [
  'The children are late or absent from school most weeks',
  'Mum is struggling to manage on her own',
  'The family may lose their home',
  'The children see arguments between the adults',
];

export interface EarlyHelpRequest {
  childId: string;
  localAuthorityId: string;
  openedOn: string;
  sourceContactId: string;
}

export interface EarlyHelpTeam {
  id: string;
  clusterId: string | null;
  workers: readonly string[];
}

export interface GeneratedEarlyHelpEpisode {
  id: string;
  childId: string;
  closedOn: string | null;
}

/** The rows planned for a batch of episodes, table by table, until writeEarlyHelpEpisodes writes them. */
export interface EarlyHelpEpisodeRows {
  episodes: Row[];
  children: GeneratedEarlyHelpEpisode[];
  allocations: Row[];
  notes: GeneratedCaseNote[];
  events: CaseEventInput[];
  work: WorkRows;
}

export const newEarlyHelpEpisodeRows = (): EarlyHelpEpisodeRows => ({
  episodes: [],
  children: [],
  allocations: [],
  notes: [],
  events: [],
  work: {
    members: [],
    assessments: [],
    items: [],
    plans: [],
    goals: [],
    goalItems: [],
    meetings: [],
    attendance: [],
    progress: [],
    scores: [],
    feedback: [],
  },
});

/**
 * Plans the episodes for the requests without touching the database: adds their rows to `rows` (call it as often
 * as needed, in order, then writeEarlyHelpEpisodes) and returns what the caller's timeline needs.
 */
export function planEarlyHelpEpisodes(
  random: SeededRandom,
  requests: readonly EarlyHelpRequest[],
  input: {
    today: string;
    calendar: WorkingDayCalendar;
    teamsFor: (localAuthorityId: string) => readonly EarlyHelpTeam[];
    assessmentTemplateId: string;
  },
  rows: EarlyHelpEpisodeRows,
): GeneratedEarlyHelpEpisode[] {
  const { calendar, today } = input;
  const at = (d: string) =>
    instantAt(
      d,
      `${String(random.int(9, 16)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
    );
  const { episodes, allocations, notes, events, work } = rows;
  const result: GeneratedEarlyHelpEpisode[] = [];
  requests.forEach((req) => {
    const id = randomUUID();
    const team = random.pick(input.teamsFor(req.localAuthorityId));
    const lead = random.pick(team.workers);
    const closeOn = calendar.addWorkingDays(req.openedOn, random.int(60, 190));
    const closed = closeOn <= today;
    const reason = random.weighted([
      ['needs-met', 62],
      ['stepped-up', 8],
      ['consent-withdrawn', 12],
      ['moved-away', 6],
      ['transferred', 7],
      ['other', 5],
    ] as const);
    episodes.push({
      id,
      localAuthorityId: req.localAuthorityId,
      status: closed ? 'closed' : 'open',
      source: 'front-door',
      sourceContactId: req.sourceContactId,
      teamId: team.id,
      clusterId: team.clusterId,
      leadPractitionerId: lead,
      levelOfNeed: 'level-2',
      consentGiven: true,
      consentRecordedOn: req.openedOn,
      openedOn: req.openedOn,
      closedOn: closed ? closeOn : null,
      closureReason: closed ? reason : null,
      closureOutcome: closed
        ? reason === 'needs-met'
          ? random.weighted([
              ['improved', 70],
              ['partly-improved', 30],
            ] as const)
          : random.pick(['partly-improved', 'not-improved'] as const)
        : null,
      closureSummary: closed ? 'The family and the team around them agreed to close.' : null,
      closedBy: closed ? lead : null,
      createdAt: at(req.openedOn),
      createdBy: lead,
      updatedAt: at(closed ? closeOn : req.openedOn),
    });
    allocations.push({
      childId: req.childId,
      workerId: lead,
      teamId: team.id,
      role: 'lead-practitioner',
      involvementType: 'early-help-episode',
      involvementId: id,
      startedOn: req.openedOn,
      endedOn: closed ? closeOn : null,
      createdBy: lead,
    });
    const event = (date: string, title: string, significant = false) => {
      const when = at(date);
      events.push({
        childId: req.childId,
        occurredAt: when,
        recordedAt: when,
        recordedBy: lead,
        category: 'early-help',
        title,
        significant,
        sourceType: 'early-help-episode',
        sourceId: id,
      });
    };
    event(req.openedOn, 'Early help started', true);
    for (
      let d = calendar.addWorkingDays(req.openedOn, 20);
      d <= today && (!closed || d < closeOn);
      d = calendar.addWorkingDays(d, random.int(15, 25))
    )
      notes.push({
        id: randomUUID(),
        childId: req.childId,
        noteType: random.pick(['visit', 'meeting', 'phone-call'] as const),
        occurredOn: d,
        title: 'Family support session',
        body: 'Worked with the family on the goals in their plan; progress noted.',
        childSeen: true,
        recordedAt: at(d),
        recordedBy: lead,
      });
    episodeWork(work, random, {
      episodeId: id,
      openedOn: req.openedOn,
      closeOn: closed ? closeOn : null,
      stepUp: reason === 'stepped-up',
      lead,
      today,
      calendar,
      templateId: input.assessmentTemplateId,
      at,
      event,
    });
    if (closed) event(closeOn, 'Early help closed');
    result.push({ id, childId: req.childId, closedOn: closed ? closeOn : null });
  });
  rows.children.push(...result);
  return result;
}

/** Writes the planned rows, in bulk, in the caller's transaction; references as the episode service makes them. */
export async function writeEarlyHelpEpisodes(
  trx: Transaction<DB>,
  rows: EarlyHelpEpisodeRows,
): Promise<void> {
  const { episodes, allocations, notes, events, work } = rows;
  if (!episodes.length) return;
  const numbers = await sql<{
    n: string;
  }>`select nextval('early_help_episode_number')::text as n from generate_series(1, ${episodes.length})`.execute(
    trx,
  );
  episodes.forEach((e, i) => {
    e.reference = `EH-${String(e.openedOn).slice(0, 4)}-${numbers.rows[i]!.n.padStart(5, '0')}`;
  });
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const cols = (types: Record<string, string>) =>
    Object.entries(types).map(([k, type]) => [snake(k), type, (r: Record<string, unknown>) => r[k]] as const);
  await bulkInsert(
    trx,
    'early_help_episodes',
    cols({
      id: 'uuid',
      reference: 'text',
      localAuthorityId: 'uuid',
      status: 'text',
      source: 'text',
      sourceContactId: 'uuid',
      teamId: 'uuid',
      clusterId: 'uuid',
      leadPractitionerId: 'uuid',
      levelOfNeed: 'text',
      consentGiven: 'boolean',
      consentRecordedOn: 'date',
      openedOn: 'date',
      closedOn: 'date',
      closureReason: 'text',
      closureOutcome: 'text',
      closureSummary: 'text',
      closedBy: 'uuid',
      createdAt: 'timestamptz',
      createdBy: 'uuid',
      updatedAt: 'timestamptz',
    }),
    episodes,
  );
  await timedStatement('early_help_episode_children', rows.children.length, () =>
    sql`insert into early_help_episode_children (episode_id, child_id, added_on)
      select e.id, u.child_id, e.opened_on from unnest(${rows.children.map((r) => r.id)}::uuid[], ${rows.children.map((r) => r.childId)}::uuid[]) as u(id, child_id)
      join early_help_episodes e on e.id = u.id`.execute(trx),
  );
  await bulkInsert(
    trx,
    'allocations',
    cols({
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
    allocations,
  );
  await writeWork(trx, work, cols);
  await insertGeneratedCaseNotes(trx, notes);
  await timedStatement('case_events', events.length, () => appendCaseEventsInBulk(trx, events));
}

type Row = Record<string, unknown>;
interface WorkRows {
  members: Row[];
  assessments: Row[];
  items: Row[];
  plans: Row[];
  goals: Row[];
  goalItems: Row[];
  meetings: Row[];
  attendance: Row[];
  progress: Row[];
  scores: Row[];
  feedback: Row[];
}

/** The team around the family, the assessment, the plan and the meetings of one episode, cut off at today. */
function episodeWork(
  rows: WorkRows,
  random: SeededRandom,
  e: {
    episodeId: string;
    openedOn: string;
    closeOn: string | null;
    stepUp: boolean;
    lead: string;
    today: string;
    calendar: WorkingDayCalendar;
    templateId: string;
    at: (date: string) => Date;
    event: (date: string, title: string, significant?: boolean) => void;
  },
): void {
  const { episodeId, openedOn, closeOn, lead, today, calendar, at } = e;
  /** Before the episode closed (or at all while it is open) and not after today. */
  const within = (d: string) => d <= today && (closeOn === null || d < closeOn);

  // The team around the family: the lead practitioner and one to three named professionals.
  const members: string[] = [];
  const addMember = (fields: Row) => {
    const id = randomUUID();
    members.push(id);
    rows.members.push({
      id,
      episodeId,
      userId: null,
      name: null,
      role: null,
      organisation: null,
      addedOn: openedOn,
      endedOn: closeOn,
      createdAt: at(openedOn),
      createdBy: lead,
      ...fields,
    });
  };
  addMember({ userId: lead, role: 'Lead practitioner' });
  for (let k = random.int(1, 3); k > 0; k--) {
    const p = random.pick(PROFESSIONALS);
    addMember({ name: random.pick(NAMES), role: p.role, organisation: p.organisation });
  }

  // The assessment: most within 30 working days, some late; a draft while it is still under way.
  const assessmentId = randomUUID();
  const completedOn = calendar.addWorkingDays(
    openedOn,
    random.chance(0.85) ? random.int(8, 29) : random.int(31, 50),
  );
  const completed = within(completedOn);
  const worker = random.int(2, 5);
  const family = random.int(3, 6);
  const needs = NEEDS.filter(() => random.chance(0.35));
  if (!needs.length) needs.push(random.pick(NEEDS));
  const worries = [random.pick(WORRIES)];
  const domainScore = (d: DomainKey) => (needs.some((n) => n[0] === d) ? random.int(2, 3) : random.int(3, 4));
  const answers = {
    household: { reason: 'The family asked for help after the school raised concerns.' },
    riskAnalysis: {
      worries: worries.map((w) => ({
        what: w,
        whoIsWorried: 'School and the family',
        impact: 'On the children',
      })),
      workingWell: 'The family are warm with each other and keen to make changes.',
      complicatingFactors: 'Money is tight and there is little support nearby.',
      needsToHappen: 'A plan the family agree to, with the school and health involved.',
      workerScale: worker,
      familyScale: family,
    },
    voices: {
      childsWords: 'I want things to be calmer at home.',
      parentsViews: 'We want some help to cope.',
    },
    ...Object.fromEntries(
      DOMAIN_KEYS.map((d) => [
        d,
        {
          strengths: 'Strengths noted with the family.',
          needs: needs.filter((n) => n[0] === d).map((n) => ({ need: n[1], outcome: n[2] })),
          score: domainScore(d),
        },
      ]),
    ),
  };
  if (!within(openedOn)) return;
  rows.assessments.push({
    id: assessmentId,
    episodeId,
    templateId: e.templateId,
    answers: completed ? answers : { household: answers.household },
    status: completed ? 'completed' : 'draft',
    riskAnalysisComplete: completed,
    workerScale: completed ? worker : null,
    familyScale: completed ? family : null,
    startedAt: at(openedOn),
    startedBy: lead,
    completedAt: completed ? at(completedOn) : null,
    completedBy: completed ? lead : null,
    updatedAt: at(completed ? completedOn : openedOn),
  });
  if (!completed) return;
  e.event(completedOn, 'Early help assessment completed', true);
  const items = [
    ...worries.map((w, k) => ({ kind: 'worry', domain: null, position: k + 1, summary: w, outcome: null })),
    ...DOMAIN_KEYS.flatMap((d) =>
      needs
        .filter((n) => n[0] === d)
        .map((n, k) => ({ kind: 'need', domain: d, position: k + 1, summary: n[1], outcome: n[2] })),
    ),
  ].map((x) => ({ ...x, id: randomUUID() }));
  for (const x of items)
    rows.items.push({
      id: x.id,
      assessmentId,
      episodeId,
      kind: x.kind,
      domain: x.domain,
      position: x.position,
      summary: x.summary,
      whoIsWorried: x.kind === 'worry' ? 'School and the family' : null,
      impact: x.kind === 'worry' ? 'On the children' : null,
      outcomeHeading: x.outcome,
    });
  const score = (
    occasion: string,
    sourceId: string,
    on: string,
    subject: string,
    subjectKey: string,
    value: number,
  ) =>
    rows.scores.push({
      episodeId,
      occasion,
      sourceId,
      recordedOn: on,
      subject,
      subjectKey,
      score: value,
      recordedAt: at(on),
      recordedBy: lead,
    });
  score('assessment', assessmentId, completedOn, 'scale', 'worker', worker);
  score('assessment', assessmentId, completedOn, 'scale', 'family', family);
  for (const d of DOMAIN_KEYS) score('assessment', assessmentId, completedOn, 'domain', d, domainScore(d));

  // The plan, agreed with the family at the initial team-around-the-family meeting.
  const agreedOn = calendar.addWorkingDays(completedOn, random.int(2, 10));
  if (!within(agreedOn)) return;
  const planId = randomUUID();
  rows.plans.push({
    id: planId,
    episodeId,
    assessmentId,
    status: 'agreed',
    familySummary: 'What we will do together, in the family’s words.',
    agreedOn,
    agreedBy: lead,
    familyAgreed: true,
    createdAt: at(completedOn),
    createdBy: lead,
    updatedAt: at(agreedOn),
  });
  e.event(agreedOn, 'Early help plan agreed', true);
  const needItems = items.filter((x) => x.kind === 'need');
  const goals = needItems.map((x, k) => {
    const id = randomUUID();
    const first = random.int(1, 4);
    rows.goals.push({
      id,
      planId,
      episodeId,
      position: k + 1,
      whatWillChange: `Things will be better: ${x.summary.toLowerCase()}`,
      actions: 'Weekly sessions with the family; the school and health check in.',
      who: 'Lead practitioner and the family',
      byWhen: addCalendarDays(agreedOn, 84),
      measure: 'The family and the team agree it has changed at the review.',
      outcomeHeading: x.outcome!,
      familyWords: 'What we want to be different.',
      status: 'open',
      statusChangedOn: null,
      createdAt: at(agreedOn),
      createdBy: lead,
      updatedAt: at(agreedOn),
    });
    rows.goalItems.push({ goalId: id, itemId: x.id });
    score('plan', planId, agreedOn, 'goal', id, first);
    return { id, row: rows.goals[rows.goals.length - 1]!, score: first };
  });

  // Meetings: the initial one on the day the plan is agreed, then reviews about every six weeks, the last at closure.
  let held = agreedOn;
  let kind: 'initial' | 'review' = 'initial';
  let scales = { worker, family };
  for (;;) {
    const closing = closeOn !== null && held >= closeOn;
    if (!closing && !within(held)) break;
    const on = closing ? closeOn! : held;
    const decision = closing ? (e.stepUp ? 'step-up' : 'close') : 'continue';
    const meetingId = randomUUID();
    rows.meetings.push({
      id: meetingId,
      episodeId,
      heldOn: on,
      kind,
      familyAttendance: 'Parent or carer attended',
      otherAttendees: null,
      childsViews: 'Things are getting better at home.',
      familyViews: 'The help is making a difference.',
      decision,
      decisionRationale:
        decision === 'continue'
          ? 'Progress made; the plan continues.'
          : decision === 'close'
            ? 'The goals are met or the family no longer needs support.'
            : 'The worries have grown: a request to the front door.',
      nextReviewDueOn: decision === 'continue' ? reviewDueOn(on, 6) : null,
      recordedAt: at(on),
      recordedBy: lead,
    });
    for (const m of members)
      rows.attendance.push({
        meetingId,
        memberId: m,
        attendance: random.weighted([
          ['attended', 80],
          ['apologies', 15],
          ['did-not-attend', 5],
        ] as const),
      });
    scales = {
      worker: Math.min(10, scales.worker + random.int(0, 2)),
      family: Math.min(10, scales.family + random.int(0, 2)),
    };
    score('review', meetingId, on, 'scale', 'worker', scales.worker);
    score('review', meetingId, on, 'scale', 'family', scales.family);
    for (const d of DOMAIN_KEYS)
      score('review', meetingId, on, 'domain', d, Math.min(5, domainScore(d) + random.int(0, 1)));
    for (const g of goals) {
      g.score = Math.min(10, g.score + random.int(0, 3));
      const status = !closing
        ? 'open'
        : e.stepUp
          ? 'not-achieved'
          : g.score >= 7
            ? 'achieved'
            : random.pick(['partly-achieved', 'no-longer-needed'] as const);
      rows.progress.push({
        meetingId,
        goalId: g.id,
        progress: 'Progress discussed with the family.',
        status,
      });
      score('review', meetingId, on, 'goal', g.id, g.score);
      if (status !== 'open') {
        g.row.status = status;
        g.row.statusChangedOn = on;
        g.row.updatedAt = at(on);
      }
    }
    e.event(
      on,
      kind === 'initial' ? 'Initial team around the family meeting' : 'Team around the family review',
    );
    if (closing) {
      if (random.chance(0.4))
        rows.feedback.push({
          episodeId,
          meetingId,
          stage: 'closure',
          respondent: 'parent-carer',
          listened: random.weighted([
            ['yes', 80],
            ['a-bit', 15],
            ['no', 5],
          ] as const),
          helped: random.weighted([
            ['yes', 70],
            ['a-bit', 25],
            ['no', 5],
          ] as const),
          thingsBetter: random.weighted([
            ['better', 70],
            ['same', 25],
            ['worse', 5],
          ] as const),
          knowsNext: 'yes',
          givenOn: on,
          recordedAt: at(on),
          recordedBy: lead,
        });
      break;
    }
    kind = 'review';
    // Most reviews on time (within six weeks), some late; the closing meeting never after the closure.
    const next = calendar.workingDayOnOrAfter(
      addCalendarDays(on, random.chance(0.85) ? random.int(35, 42) : random.int(45, 70)),
    );
    held = closeOn !== null && next >= closeOn ? closeOn : next;
  }
}

async function writeWork(
  trx: Transaction<DB>,
  w: WorkRows,
  cols: (types: Record<string, string>) => (readonly [string, string, (r: Row) => unknown])[],
): Promise<void> {
  await bulkInsert(
    trx,
    'early_help_taf_members',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      userId: 'uuid',
      name: 'text',
      role: 'text',
      organisation: 'text',
      addedOn: 'date',
      endedOn: 'date',
      createdAt: 'timestamptz',
      createdBy: 'uuid',
    }),
    w.members,
  );
  await bulkInsert(
    trx,
    'early_help_assessments',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      templateId: 'uuid',
      answers: 'jsonb',
      status: 'text',
      riskAnalysisComplete: 'boolean',
      workerScale: 'int',
      familyScale: 'int',
      startedAt: 'timestamptz',
      startedBy: 'uuid',
      completedAt: 'timestamptz',
      completedBy: 'uuid',
      updatedAt: 'timestamptz',
    }),
    w.assessments,
  );
  await bulkInsert(
    trx,
    'early_help_assessment_items',
    cols({
      id: 'uuid',
      assessmentId: 'uuid',
      episodeId: 'uuid',
      kind: 'text',
      domain: 'text',
      position: 'int',
      summary: 'text',
      whoIsWorried: 'text',
      impact: 'text',
      outcomeHeading: 'text',
    }),
    w.items,
  );
  await bulkInsert(
    trx,
    'early_help_plans',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      assessmentId: 'uuid',
      status: 'text',
      familySummary: 'text',
      agreedOn: 'date',
      agreedBy: 'uuid',
      familyAgreed: 'boolean',
      createdAt: 'timestamptz',
      createdBy: 'uuid',
      updatedAt: 'timestamptz',
    }),
    w.plans,
  );
  await bulkInsert(
    trx,
    'early_help_goals',
    cols({
      id: 'uuid',
      planId: 'uuid',
      episodeId: 'uuid',
      position: 'int',
      whatWillChange: 'text',
      actions: 'text',
      who: 'text',
      byWhen: 'date',
      measure: 'text',
      outcomeHeading: 'text',
      familyWords: 'text',
      status: 'text',
      statusChangedOn: 'date',
      createdAt: 'timestamptz',
      createdBy: 'uuid',
      updatedAt: 'timestamptz',
    }),
    w.goals,
  );
  await bulkInsert(trx, 'early_help_goal_items', cols({ goalId: 'uuid', itemId: 'uuid' }), w.goalItems);
  await bulkInsert(
    trx,
    'early_help_meetings',
    cols({
      id: 'uuid',
      episodeId: 'uuid',
      heldOn: 'date',
      kind: 'text',
      familyAttendance: 'text',
      otherAttendees: 'text',
      childsViews: 'text',
      familyViews: 'text',
      decision: 'text',
      decisionRationale: 'text',
      nextReviewDueOn: 'date',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    w.meetings,
  );
  await bulkInsert(
    trx,
    'early_help_meeting_attendance',
    cols({ meetingId: 'uuid', memberId: 'uuid', attendance: 'text' }),
    w.attendance,
  );
  await bulkInsert(
    trx,
    'early_help_goal_progress',
    cols({ meetingId: 'uuid', goalId: 'uuid', progress: 'text', status: 'text' }),
    w.progress,
  );
  await bulkInsert(
    trx,
    'early_help_scores',
    cols({
      episodeId: 'uuid',
      occasion: 'text',
      sourceId: 'uuid',
      recordedOn: 'date',
      subject: 'text',
      subjectKey: 'text',
      score: 'int',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    w.scores,
  );
  await timedStatement('early_help_score_summaries (refresh)', w.scores.length, () =>
    refreshScoreSummaries(
      trx,
      w.scores.map((s) => String(s.episodeId)),
    ),
  );
  await bulkInsert(
    trx,
    'early_help_feedback',
    cols({
      episodeId: 'uuid',
      meetingId: 'uuid',
      stage: 'text',
      respondent: 'text',
      listened: 'text',
      helped: 'text',
      thingsBetter: 'text',
      knowsNext: 'text',
      givenOn: 'date',
      recordedAt: 'timestamptz',
      recordedBy: 'uuid',
    }),
    w.feedback,
  );
}
