import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { CurrentUser, Role } from '../../src/kernel/access/index.ts';
import { englandAndWalesCalendar, type WorkingDayCalendar } from '../../src/kernel/working-days/index.ts';
import type { ServiceContext } from '../../src/kernel/service/index.ts';
import { contextFor as sharedContextFor, userFor } from './context.ts';
import { openCinReferral } from '../../src/modules/social-care/referral.service.ts';
import { allocateEpisode } from '../../src/modules/social-care/episode.service.ts';
import {
  saveAssessmentAnswers,
  recordChildSeen,
  completeAssessment,
  authoriseAssessment,
  startAssessment,
} from '../../src/modules/social-care/assessment.service.ts';
import {
  recordInitialConference,
  recordStrategyDiscussion,
  startCpPlan,
  startSection47,
} from '../../src/modules/social-care/child-protection.service.ts';
import { createContact, setRag } from '../../src/modules/front-door/contact.service.ts';
import { decideContact } from '../../src/modules/front-door/decision.service.ts';
import { authoriseDecision } from '../../src/modules/front-door/authorisation.service.ts';
import { createInformationRequest } from '../../src/modules/front-door/information-request.service.ts';
import { isoDateOf } from '../../src/kernel/time/index.ts';
import { aChild, userIdFor, type PersonOverrides } from './people.ts';
import { agencyIdOfKind, teamId } from './organisation.ts';

export { agencyIdOfKind, teamId };

/**
 * Builders for social care tests: the demo users as CurrentUsers, a CIN episode allocated to the demo social
 * worker, a completed assessment, and a child protection plan from a strategy discussion, enquiry and conference.
 * Each step goes through the module's services (so every rule and audit row applies).
 */

type Db = Kysely<DB>;
export const calendar = englandAndWalesCalendar;

/** The ServiceContext a page would pass, and a demo role's user: the shared builders (context.ts). */
export const contextFor = (
  trx: Transaction<DB>,
  user: CurrentUser,
  now: Date,
  workingDays: WorkingDayCalendar = englandAndWalesCalendar,
): ServiceContext => sharedContextFor(trx, user, now, { calendar: workingDays });
export { userFor };

export const run = <T>(db: Db, fn: (trx: Transaction<DB>) => Promise<T>) => db.transaction().execute(fn);

/**
 * Completes what the census needs on a child's record before a referral opens (rules 4180, 4220, 8540, 8770Q): a
 * sex, an ethnicity, at least one disability code ("No disability") where none are recorded, and, with no UPN, the
 * reason it is not known (UN4, newly referred). Leaves what is there.
 */
export async function withCensusDetails(db: Db | Transaction<DB>, childId: string): Promise<void> {
  const child = await db
    .selectFrom('people')
    .select(['sex', 'ethnicityCode', 'dateOfBirth', 'upn', 'upnUnknownReason'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('people')
    .set({
      sex: child.sex ?? (child.dateOfBirth ? 'F' : 'U'),
      ethnicityCode: child.ethnicityCode ?? 'NOBT',
      upnUnknownReason: child.upn || child.upnUnknownReason ? child.upnUnknownReason : 'UN4',
    })
    .where('id', '=', childId)
    .execute();
  const disabilities = await db
    .selectFrom('personDisabilities')
    .select('code')
    .where('personId', '=', childId)
    .execute();
  if (!disabilities.length)
    await db.insertInto('personDisabilities').values({ personId: childId, code: 'NONE' }).execute();
}

/** A child referred on `referralDate` (front door), allocated to the demo social worker in the Assessment Team. */
export async function aCinEpisode(
  db: Db,
  options: {
    referralDate?: string;
    child?: PersonOverrides;
    now?: Date;
    primaryNeedCode?: string | null;
  } = {},
) {
  const now = options.now ?? new Date('2026-11-24T10:00:00Z');
  const child = await aChild(db, options.child ?? {});
  await withCensusDetails(db, child.id);
  const mash = await userFor(db, 'mash-manager');
  const manager = await userFor(db, 'team-manager');
  const sw = await userFor(db, 'social-worker');
  const assessmentTeam = await teamId(db, 'Assessment Team');
  const referralDate = options.referralDate ?? '2026-11-02';
  const { id } = await run(db, (trx) =>
    openCinReferral(contextFor(trx, mash, now), {
      childId: child.id,
      referralDate,
      referralSource: '2A',
      teamId: assessmentTeam,
      primaryNeedCode: options.primaryNeedCode === undefined ? 'N1' : options.primaryNeedCode,
    }),
  );
  await run(db, (trx) =>
    allocateEpisode(contextFor(trx, manager, now), {
      episodeId: id,
      teamId: assessmentTeam,
      workerId: sw.id,
      startedOn: referralDate,
    }),
  );
  return { episodeId: id, child, referralDate };
}

/** Answers that complete the default child and family assessment template. */
export const COMPLETE_ANSWERS = {
  child: {
    livedExperience: 'Olivia lives with her mum and dad and her brother.',
    childsViews: 'I don’t like the shouting.',
  },
  worries: {
    worries: [
      { statement: 'Everyone is worried that Olivia is frightened when her parents argue.', type: 'danger' },
    ],
  },
  workingWell: { strengths: 'Mum takes Olivia to school every day.', safety: undefined, network: undefined },
  needsToHappen: { goals: [{ goal: 'Olivia feels safe at home.', nextSteps: 'Parenting work' }] },
  scaling: { worker: 5, family: undefined, child: undefined, otherViews: undefined },
  systemic: { hypotheses: undefined, genogram: undefined },
  analysis: { analysis: 'The worries are real but the family is working with us.' },
};

export async function anAssessment(
  db: Db,
  episodeId: string,
  options: {
    startDate?: string;
    complete?: {
      completedOn: string;
      outcome?: 'cin-plan' | 'early-help' | 'no-further-action' | 'strategy-discussion';
      factors?: string[];
      lateReason?: string;
    };
    authorisedOn?: string;
    now?: Date;
  } = {},
) {
  const now = options.now ?? new Date('2026-11-24T10:00:00Z');
  const sw = await userFor(db, 'social-worker');
  const startDate = options.startDate ?? '2026-11-03';
  const id = await run(db, (trx) =>
    startAssessment(contextFor(trx, sw, now, calendar), { episodeId, startDate }),
  );
  if (options.complete) {
    const complete = options.complete;
    await run(db, async (trx) => {
      await saveAssessmentAnswers(contextFor(trx, sw, now), {
        assessmentId: id,
        answers: COMPLETE_ANSWERS,
        version: 1,
      });
      await recordChildSeen(contextFor(trx, sw, now), {
        assessmentId: id,
        seenOn: startDate,
        seenAlone: true,
      });
      await completeAssessment(contextFor(trx, sw, now), {
        assessmentId: id,
        completedOn: complete.completedOn,
        outcome: complete.outcome ?? 'cin-plan',
        outcomeReason: 'The family needs support.',
        primaryNeedCode: 'N1',
        proposedFactors: complete.factors ?? ['3B'],
        lateReason: complete.lateReason,
        today: '2026-11-24',
      });
    });
    if (options.authorisedOn) {
      const manager = await userFor(db, 'team-manager');
      await run(db, (trx) =>
        authoriseAssessment(contextFor(trx, manager, now), {
          assessmentId: id,
          decision: 'authorise',
          authorisedOn: options.authorisedOn,
          oversight: 'Agreed.',
          factors: complete.factors ?? ['3B'],
        }),
      );
    }
  }
  return id;
}

/** Who takes part in a strategy discussion or conference: social care, the police and health (quorate). */
export async function participants(db: Db) {
  return [
    { name: 'Sian Walker', agencyId: null, role: 'Social worker' },
    { name: 'DC Price', agencyId: await agencyIdOfKind(db, 'police'), role: 'Police' },
    { name: 'Nurse Lee', agencyId: await agencyIdOfKind(db, 'health'), role: 'School nurse' },
  ];
}

/** Strategy discussion (2 Nov 2026) → section 47 (same day) → initial conference on `icpcDate` deciding a plan. */
export async function aConference(
  db: Db,
  episodeId: string,
  options: { strategyOn?: string; icpcDate?: string; category?: string; now?: Date } = {},
) {
  const now = options.now ?? new Date('2026-11-24T10:00:00Z');
  const sw = await userFor(db, 'social-worker');
  const strategyOn = options.strategyOn ?? '2026-11-02';
  const people = await participants(db);
  const strategyId = await run(db, (trx) =>
    recordStrategyDiscussion(contextFor(trx, sw, now, calendar), {
      episodeId,
      heldOn: strategyOn,
      informationShared: 'Bruising seen at school.',
      decision: 'section-47',
      rationale: 'Reasonable cause to suspect significant harm.',
      participants: people,
    }),
  );
  const s47Id = await run(db, (trx) =>
    startSection47(contextFor(trx, sw, now, calendar), {
      episodeId,
      startDate: strategyOn,
      queryExplanation: 'The assessment runs alongside the enquiry.',
    }),
  );
  const conferenceId = await run(db, (trx) =>
    recordInitialConference(contextFor(trx, sw, now, calendar), {
      episodeId,
      section47Id: s47Id,
      heldOn: options.icpcDate ?? '2026-11-19',
      chair: 'Chair Person',
      attendees: people,
      outcome: 'cp-plan',
      category: options.category ?? 'NEG',
      decisions: 'A child protection plan under neglect.',
    }),
  );
  return { strategyId, s47Id, conferenceId };
}

export async function aCpPlan(db: Db, episodeId: string, options: { icpcDate?: string; now?: Date } = {}) {
  const now = options.now ?? new Date('2026-11-24T10:00:00Z');
  const icpcDate = options.icpcDate ?? '2026-11-19';
  const conference = await aConference(db, episodeId, { icpcDate, now });
  const sw = await userFor(db, 'social-worker');
  const planId = await run(db, (trx) =>
    startCpPlan(contextFor(trx, sw, now), {
      episodeId,
      startDate: icpcDate,
      initialCategory: 'NEG',
      planSummary: 'Keep the child safe.',
    }),
  );
  return { ...conference, planId };
}

export async function userIdForRole(db: Db, role: Role): Promise<string> {
  return userIdFor(db, role);
}

/**
 * Social care records on a child already allocated to the demo social worker (the authorisation matrix's child):
 * an episode with an assessment, a strategy discussion, an enquiry, an initial conference, a CIN plan (ended when
 * the CP plan started) and an open CP plan.
 */
export async function socialCareRecordsFor(db: Db, childId: string, now: Date) {
  const sw = await userFor(db, 'social-worker');
  const team = await teamId(db, 'Assessment Team');
  await withCensusDetails(db, childId);
  const { id: episodeId } = await run(db, (trx) =>
    openCinReferral(contextFor(trx, sw, now), {
      childId,
      referralDate: '2026-11-02',
      referralSource: '2A',
      teamId: team,
      primaryNeedCode: 'N1',
    }),
  );
  const assessmentId = await anAssessment(db, episodeId, {
    startDate: '2026-11-02',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-05',
    now,
  });
  const { startCinPlan } = await import('../../src/modules/social-care/cin-plan.service.ts');
  const cinPlanId = await run(db, (trx) =>
    startCinPlan(contextFor(trx, sw, now), {
      episodeId,
      startDate: '2026-11-06',
      familySummary: 'Our plan',
      goals: [
        {
          worry: `Worry: ${COMPLETE_ANSWERS.worries.worries[0]!.statement}`,
          goal: 'g',
          measure: 'm',
          responsible: 'r',
          targetDate: '2027-01-01',
        },
      ],
    }),
  );
  // The CIN plan's goal, for the page that adds an action to a goal (ended with the plan: the page says so).
  const { id: planGoalId } = await db
    .selectFrom('cinPlanGoals')
    .select('id')
    .where('cinPlanId', '=', cinPlanId)
    .executeTakeFirstOrThrow();
  const { strategyId, s47Id, conferenceId } = await aConference(db, episodeId, {
    strategyOn: '2026-11-09',
    icpcDate: '2026-11-20',
    now,
  });
  const cpPlanId = await run(db, (trx) =>
    startCpPlan(contextFor(trx, sw, now), {
      episodeId,
      startDate: '2026-11-20',
      initialCategory: 'NEG',
      planSummary: 'Keep safe',
    }),
  );
  return {
    episodeId,
    assessmentId,
    strategyDiscussionId: strategyId,
    enquiryId: s47Id,
    conferenceId,
    cpPlanId,
    cinPlanId,
    planGoalId,
  };
}

/**
 * A referral to social care opened by the front door: a school's contact about Kai Brennan (household, referrer,
 * school, an information request to the police), decided level 3 and authorised to the Assessment Team, then
 * allocated to the social worker. For the assessment prefill (issue 18).
 */
export async function aCinEpisodeFromContact(db: Db, options: { receivedAt: Date }) {
  const child = await aChild(db, { givenName: 'Kai', familyName: 'Brennan', dateOfBirth: '2016-02-09' });
  await withCensusDetails(db, child.id);
  const officer = await userFor(db, 'contact-officer');
  const mash = await userFor(db, 'mash-practitioner');
  const mashManager = await userFor(db, 'mash-manager');
  const manager = await userFor(db, 'team-manager');
  const sw = await userFor(db, 'social-worker');
  const police = await agencyIdOfKind(db, 'police');
  const assessmentTeam = await teamId(db, 'Assessment Team');
  const at = (hours: number) => new Date(options.receivedAt.getTime() + hours * 3_600_000);
  const inTrx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => db.transaction().execute(fn);
  const contact = await inTrx((trx) =>
    createContact(contextFor(trx, officer, options.receivedAt), {
      localAuthorityId: officer.localAuthorityId!,
      channel: 'phone',
      referralSource: '2A',
      referrer: { name: 'Priya Shah', role: 'Head of year 5', organisation: 'Ham Fields Primary' },
      concernCategories: ['neglect'],
      reason: 'Kai has bruising on his arm he will not explain and says he is scared to go home.',
      consent: 'given',
      urgency: 'urgent',
      children: [{ personId: child.id, school: 'Ham Fields Primary' }],
      adults: [{ givenName: 'Megan', familyName: 'Brennan', role: 'mother' }],
      receivedAt: options.receivedAt,
    }),
  );
  await inTrx((trx) =>
    setRag(contextFor(trx, mash, at(1)), {
      contactId: contact.id,
      rag: 'amber',
      rationale: 'Unexplained injury',
    }),
  );
  await inTrx((trx) =>
    createInformationRequest(contextFor(trx, mash, at(1)), {
      contactId: contact.id,
      agencyId: police,
      requestType: 'information-check',
      question: 'Any call-outs to the address?',
    }),
  );
  await inTrx((trx) =>
    decideContact(contextFor(trx, mash, at(3)), {
      contactId: contact.id,
      levelOfNeed: 'level-3',
      outcome: 'social-care',
      rationale: 'Unexplained injury and the child is frightened: a social work assessment is needed',
      referrerFeedback: 'Passed to the Assessment Team',
    }),
  );
  const routed = await inTrx((trx) =>
    authoriseDecision(contextFor(trx, mashManager, at(20)), {
      action: 'authorise',
      contactId: contact.id,
      rationale: 'Agree',
      teamId: assessmentTeam,
      confirmCensusQueries: true,
    }),
  );
  const episodeId = routed.cinReferrals[0]!.id;
  const referralDate = isoDateOf(options.receivedAt);
  await inTrx((trx) =>
    allocateEpisode(contextFor(trx, manager, at(22)), {
      episodeId,
      teamId: assessmentTeam,
      workerId: sw.id,
      startedOn: referralDate,
    }),
  );
  return { contact, child, episodeId, referralDate };
}
