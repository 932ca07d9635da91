import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { CurrentUser, Role } from '../../src/kernel/access/index.ts';
import type { ServiceContext } from '../../src/kernel/service/index.ts';
import { isoDateOf } from '../../src/kernel/time/index.ts';
import { englandAndWalesCalendar, type WorkingDayCalendar } from '../../src/kernel/working-days/index.ts';
import { contextFor, readContextFor, userFor } from './context.ts';
import { saveAssessment } from '../../src/modules/early-help/assessment.service.ts';
import { openEarlyHelpEpisode, addTafMember } from '../../src/modules/early-help/episode.service.ts';
import { agreePlan, saveGoal, sortItems } from '../../src/modules/early-help/plan.service.ts';
import { recordReview } from '../../src/modules/early-help/review.service.ts';
import { RuleProblemsError, type OutcomeHeading } from '../../src/modules/early-help/early-help.ts';
import { aChild, userIdFor } from './people.ts';
import { planVersion } from '../../src/modules/early-help/episode.repository.ts';
import { decideContact } from '../../src/modules/front-door/decision.service.ts';
import { authoriseDecision } from '../../src/modules/front-door/authorisation.service.ts';
import { createContact, setRag } from '../../src/modules/front-door/contact.service.ts';
import { createInformationRequest } from '../../src/modules/front-door/information-request.service.ts';
import { agencyIdsByKind } from './organisation.ts';

/**
 * Builders for early help, through the module's own services (so every rule, audit row and chronology entry is
 * as in real use). The defaults: a Richmond child, an episode led by the demo early help practitioner in the
 * Richmond and Kew cluster, opened on the test clock's day.
 *
 *   const { episode, child } = await anEarlyHelpEpisode(t.db, { now });
 *   await aCompletedAssessment(t.db, episode.id, { now, workerScale: 3, familyScale: 4 });
 *   const goalId = await aGoal(t.db, episode.id, { now });
 */

type Db = Kysely<DB>;

/** A service's context in a test's transaction, and a demo role's user: the shared builders (context.ts). */
export const serviceContext = (
  trx: Transaction<DB>,
  user: CurrentUser,
  now: Date,
  calendar: WorkingDayCalendar = englandAndWalesCalendar,
): ServiceContext => contextFor(trx, user, now, { calendar });
export { readContextFor as readContext, userFor as currentUserFor };

export async function clusterId(db: Db, name = 'Richmond and Kew'): Promise<string> {
  return (await db.selectFrom('clusters').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

export async function anEarlyHelpEpisode(
  db: Db,
  options: {
    now: Date;
    children?: { id: string }[];
    lead?: Role | null;
    by?: Role;
    awaitingLeadAcceptance?: boolean;
    source?: 'front-door' | 'partner' | 'step-down';
  },
) {
  const children = options.children ?? [
    await aChild(db, { givenName: 'Ellie', familyName: 'Hart', dateOfBirth: '2015-02-03' }),
  ];
  const by = await userFor(db, options.by ?? 'early-help-practitioner');
  const lead = options.lead === null ? null : await userIdFor(db, options.lead ?? 'early-help-practitioner');
  const cluster = await clusterId(db);
  const episode = await db.transaction().execute((trx) =>
    openEarlyHelpEpisode(serviceContext(trx, by, options.now), {
      childIds: children.map((c) => c.id),
      source: options.source ?? 'front-door',
      openedOn: isoDateOf(options.now),
      leadPractitionerId: lead,
      clusterId: cluster,
      consentGiven: true,
      ...(options.awaitingLeadAcceptance ? { awaitingLeadAcceptance: true } : {}),
    }),
  );
  return { episode, child: children[0]!, children };
}

/**
 * An episode opened the way the front door opens one: a contact about a Richmond child (with his mother and her
 * partner, his school, a named referrer, and the police asked for information), decided as early help by a MASH
 * practitioner and authorised by a MASH manager the next day.
 */
export async function anEarlyHelpEpisodeFromContact(db: Db, options: { receivedAt: Date }) {
  const child = await aChild(db, { givenName: 'Rory', familyName: 'Pemberton', dateOfBirth: '2017-05-06' });
  const officer = await userFor(db, 'contact-officer');
  const mash = await userFor(db, 'mash-practitioner');
  const mashManager = await userFor(db, 'mash-manager');
  const agencies = await agencyIdsByKind(db);
  const at = (hours: number) => new Date(options.receivedAt.getTime() + hours * 3_600_000);
  const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => db.transaction().execute(fn);
  const contact = await run((trx) =>
    createContact(serviceContext(trx, officer, options.receivedAt), {
      localAuthorityId: officer.localAuthorityId!,
      channel: 'phone',
      referralSource: '2A',
      referrer: {
        name: 'Anna Field',
        role: 'Designated safeguarding lead',
        organisation: 'Kew Riverside Primary',
      },
      concernCategories: ['school-attendance'],
      reason: 'Rory has missed 12 days this term and arrives hungry; mum says mornings are chaos.',
      consent: 'given',
      urgency: 'routine',
      children: [{ personId: child.id, school: 'Kew Riverside Primary' }],
      adults: [
        { givenName: 'Jade', familyName: 'Pemberton', role: 'mother' },
        { givenName: 'Liam', familyName: 'Doyle', role: 'parents-partner' },
      ],
      receivedAt: options.receivedAt,
    }),
  );
  await run((trx) =>
    setRag(serviceContext(trx, mash, at(1)), { contactId: contact.id, rag: 'green', rationale: 'Routine' }),
  );
  await run((trx) =>
    createInformationRequest(serviceContext(trx, mash, at(1)), {
      contactId: contact.id,
      agencyId: agencies.police!,
      requestType: 'information-check',
      question: 'Any call-outs to the address?',
    }),
  );
  await run((trx) =>
    decideContact(serviceContext(trx, mash, at(5)), {
      contactId: contact.id,
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'Additional needs: attendance and routines',
      referrerFeedback: 'Family support will call',
    }),
  );
  const routed = await run((trx) =>
    authoriseDecision(serviceContext(trx, mashManager, at(24)), {
      contactId: contact.id,
      action: 'authorise',
      rationale: 'Agree',
    }),
  );
  return { contact, child, episodeId: routed.earlyHelpEpisode!.id };
}

export interface AssessmentAnswers {
  worries?: { what: string; whoIsWorried: string; impact: string }[];
  workingWell?: string;
  complicatingFactors?: string;
  workerScale?: number | null;
  familyScale?: number | null;
  needsToHappen?: string;
  needs?: {
    domain: 'childDevelopment' | 'parentingCapacity' | 'familyEnvironment';
    need: string;
    outcome: OutcomeHeading;
  }[];
  domainScores?: Partial<Record<'childDevelopment' | 'parentingCapacity' | 'familyEnvironment', number>>;
}

/** A form body for the default template ("early-help-assessment" version 1), complete unless overridden. */
export function assessmentBody(a: AssessmentAnswers = {}): Record<string, string> {
  const body: Record<string, string> = {
    household__reason: 'Ellie’s attendance has fallen and her mum is struggling with her own health.',
    household__members__0__name: 'Jo Hart',
    household__members__0__relationship: 'Mother',
    household__network: 'Grandmother nearby helps after school twice a week.',
    voices__childsWords: 'I like school when my friends are there. I worry about Mum.',
    voices__parentsViews: 'Jo wants help with mornings and with her own anxiety.',
    analysis__summary: 'Needs are mainly about routines and Jo’s health; the worry is missed school.',
  };
  for (const d of ['childDevelopment', 'parentingCapacity', 'familyEnvironment'] as const) {
    body[`${d}__strengths`] = 'A warm relationship; Ellie is curious and kind.';
    body[`${d}__score`] = String(a.domainScores?.[d] ?? 2);
  }
  const needs = a.needs ?? [
    { domain: 'childDevelopment', need: 'Ellie needs to be in school every day', outcome: 'education' },
  ];
  const counters: Record<string, number> = {};
  for (const n of needs) {
    const i = counters[n.domain] ?? 0;
    counters[n.domain] = i + 1;
    body[`${n.domain}__needs__${i}__need`] = n.need;
    body[`${n.domain}__needs__${i}__outcome`] = n.outcome;
  }
  const worries = a.worries ?? [
    {
      what: 'Ellie has missed 30% of school this term',
      whoIsWorried: 'The school and Jo',
      impact: 'Ellie falls behind and loses her friendships',
    },
  ];
  worries.forEach((w, i) => {
    body[`riskAnalysis__worries__${i}__what`] = w.what;
    body[`riskAnalysis__worries__${i}__whoIsWorried`] = w.whoIsWorried;
    body[`riskAnalysis__worries__${i}__impact`] = w.impact;
  });
  if (a.workingWell !== '')
    body.riskAnalysis__workingWell = a.workingWell ?? 'Jo asked for help herself; Ellie loves her art club.';
  if (a.complicatingFactors !== '')
    body.riskAnalysis__complicatingFactors = a.complicatingFactors ?? 'Jo’s anxiety makes mornings hard.';
  if (a.workerScale !== null) body.riskAnalysis__workerScale = String(a.workerScale ?? 4);
  if (a.familyScale !== null) body.riskAnalysis__familyScale = String(a.familyScale ?? 5);
  if (a.needsToHappen !== '')
    body.riskAnalysis__needsToHappen =
      a.needsToHappen ?? 'A morning routine that works, and Jo getting support for her anxiety.';
  return body;
}

export async function aCompletedAssessment(
  db: Db,
  episodeId: string,
  options: AssessmentAnswers & { now: Date; by?: Role },
) {
  const user = await userFor(db, options.by ?? 'early-help-practitioner');
  const result = await db
    .transaction()
    .execute((trx) =>
      saveAssessment(serviceContext(trx, user, options.now), {
        episodeId,
        body: assessmentBody(options),
        action: 'complete',
      }),
    )
    .catch((error: unknown) => {
      throw error instanceof RuleProblemsError
        ? new Error(`Assessment not completed: ${error.problems.map((p) => p.message).join('; ')}`)
        : error;
    });
  const items = await db
    .selectFrom('earlyHelpAssessmentItems')
    .select(['id', 'kind', 'summary', 'domain', 'position'])
    .where('assessmentId', '=', result.assessmentId)
    .execute();
  return { assessmentId: result.assessmentId, items: sortItems(items) };
}

export async function aGoal(
  db: Db,
  episodeId: string,
  options: {
    now: Date;
    itemIds: string[];
    baselineScore?: number;
    byWhen?: string;
    outcomeHeading?: OutcomeHeading;
    whatWillChange?: string;
    by?: Role;
  },
): Promise<string> {
  const user = await userFor(db, options.by ?? 'early-help-practitioner');
  return db.transaction().execute((trx) =>
    saveGoal(serviceContext(trx, user, options.now), {
      episodeId,
      itemIds: options.itemIds,
      whatWillChange: options.whatWillChange ?? 'Ellie is in school every day',
      actions:
        'A morning routine chart; the school’s breakfast club; a weekly check-in with the learning mentor',
      who: 'Jo, Ellie, Ms Patel (learning mentor)',
      byWhen: options.byWhen ?? '2027-02-26',
      measure: 'Attendance above 95% for six weeks',
      outcomeHeading: options.outcomeHeading ?? 'education',
      baselineScore: options.baselineScore ?? 3,
    }),
  );
}

/** A complete assessment with one worry and one need, one goal meeting both, and the plan agreed. */
export async function anAgreedPlan(db: Db, episodeId: string, options: { now: Date }) {
  const assessment = await aCompletedAssessment(db, episodeId, { now: options.now });
  const goalId = await aGoal(db, episodeId, { now: options.now, itemIds: assessment.items.map((i) => i.id) });
  const user = await userFor(db, 'early-help-practitioner');
  await db.transaction().execute(async (trx) =>
    agreePlan(serviceContext(trx, user, options.now), {
      episodeId,
      familyAgreed: true,
      version: await planVersion(trx, episodeId),
    }),
  );
  return { ...assessment, goalId };
}

export async function aTafMember(
  db: Db,
  episodeId: string,
  options: { now: Date; userRole?: Role; name?: string; agencyName?: string },
) {
  const user = await userFor(db, 'early-help-practitioner');
  const agencyId = options.agencyName
    ? (
        await db
          .selectFrom('agencies')
          .select('id')
          .where('name', '=', options.agencyName)
          .executeTakeFirstOrThrow()
      ).id
    : undefined;
  const userId = options.userRole ? await userIdFor(db, options.userRole) : undefined;
  return db.transaction().execute((trx) =>
    addTafMember(serviceContext(trx, user, options.now), {
      episodeId,
      userId,
      name: options.name,
      agencyId,
      role: 'Class teacher',
    }),
  );
}

export async function aReview(
  db: Db,
  episodeId: string,
  options: {
    now: Date;
    heldOn: string;
    workerScale: number;
    familyScale: number;
    goals?: { goalId: string; score: number; status?: 'open' | 'achieved' }[];
    domain?: number;
    decision?: 'continue' | 'close' | 'step-up';
  },
) {
  const user = await userFor(db, 'early-help-practitioner');
  const d = options.domain ?? 3;
  return db.transaction().execute((trx) =>
    recordReview(serviceContext(trx, user, options.now), {
      episodeId,
      heldOn: options.heldOn,
      attendance: {},
      goals: (options.goals ?? []).map((g) => ({
        goalId: g.goalId,
        score: g.score,
        progress: 'Getting there',
        status: g.status ?? 'open',
      })),
      workerScale: options.workerScale,
      familyScale: options.familyScale,
      domainScores: { childDevelopment: d, parentingCapacity: d, familyEnvironment: d },
      childsViews: 'Mornings are better now.',
      familyViews: 'Jo feels more in control.',
      decision: options.decision ?? 'continue',
      decisionRationale: 'Good progress: keep going.',
    }),
  );
}

/** The records the authorisation matrix needs for early help's pages (one value per :param). */
export async function earlyHelpMatrixParams(db: Db, now: Date): Promise<Record<string, string>> {
  const { episode } = await anEarlyHelpEpisode(db, {
    now,
    children: [await aChild(db, { givenName: 'Matrix', familyName: 'Family' })],
  });
  const ehMemberId = await aTafMember(db, episode.id, { now, userRole: 'partner-lead-practitioner' });
  const { items } = await aCompletedAssessment(db, episode.id, { now });
  const ehGoalId = await aGoal(db, episode.id, { now, itemIds: items.map((i) => i.id) });
  const user = await userFor(db, 'early-help-practitioner');
  await db.transaction().execute(async (trx) =>
    agreePlan(serviceContext(trx, user, now), {
      episodeId: episode.id,
      version: await planVersion(trx, episode.id),
      familyAgreed: true,
    }),
  );
  const meeting = await aReview(db, episode.id, {
    now,
    heldOn: isoDateOf(now),
    workerScale: 5,
    familyScale: 5,
    goals: [{ goalId: ehGoalId, score: 5 }],
  });
  return { ehEpisodeId: episode.id, ehMemberId, ehGoalId, ehItemId: items[0]!.id, ehMeetingId: meeting.id };
}
