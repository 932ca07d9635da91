import { sql, type Kysely, type Transaction } from 'kysely';
import { addLoadTime, suspendIndexesAndForeignKeys } from '../db/bulk-insert.ts';
import type { DB } from '../db/schema.ts';
import { recordAuditEvent } from '../kernel/audit-trail/index.ts';
import { seededRandom } from '../kernel/random/index.ts';
import { addCalendarDays, isoDateOf } from '../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../kernel/working-days/index.ts';
import { generateWorkforce, type Workforce } from '../modules/admin/index.ts';
import {
  earlyHelpAssessmentTemplateId,
  newEarlyHelpEpisodeRows,
  type EarlyHelpEpisodeRows,
  planEarlyHelpEpisodes,
  writeEarlyHelpEpisodes,
  type EarlyHelpRequest,
} from '../modules/early-help/index.ts';
import {
  defaultContinuum,
  insertContacts,
  planContacts,
  type PlannedContact,
} from '../modules/front-door/index.ts';
import { completeCensusDetails, generatePeople, loadChildPool } from '../modules/people/index.ts';
import {
  assessmentTemplateId,
  newCinEpisodeRows,
  type CinEpisodeRows,
  planCinEpisodes,
  writeCinEpisodes,
  type ReferralRequest,
} from '../modules/social-care/index.ts';

/**
 * A whole authority, generated (`threshold generate authority --profile small|large --years N --seed S`): a
 * workforce of teams, people in families, and N years of work across every module at DfE rates, for benchmarks,
 * load tests and testing the returns at scale. Never in production.
 *
 * Rates, per person in the population: about 0.1 contacts a year (a large authority of ~1M people has ~100k
 * contacts a year, ~400 a working day), of which about a third become referrals to social care (children in need)
 * and a fifth early help; within social care the shares of assessments, section 47 enquiries, conferences and plans
 * follow the national figures (docs/benchmarks.md). Each module writes its own tables in bulk (its
 * `*.generator.ts`); this file only orders the work month by month and keeps each child's timeline, so that no
 * child has two episodes at once. Generated history is loaded data: one audit event records the load.
 */

export type AuthorityProfile = 'small' | 'large';

export interface ProfileSize {
  people: number;
  years: number;
  socialCareTeamsPerKind: number;
  earlyHelpTeams: number;
  mashTeams: number;
  workersPerTeam: number;
}

export const PROFILES: Record<AuthorityProfile, ProfileSize> = {
  small: {
    people: 20_000,
    years: 2,
    socialCareTeamsPerKind: 2,
    earlyHelpTeams: 2,
    mashTeams: 1,
    workersPerTeam: 6,
  },
  large: {
    people: 1_000_000,
    years: 5,
    socialCareTeamsPerKind: 12,
    earlyHelpTeams: 15,
    mashTeams: 3,
    workersPerTeam: 9,
  },
};

/** Contacts a year per person in the population (100k a year for 1M people). */
export const CONTACTS_PER_PERSON_YEAR = 0.1;

export interface GenerateAuthorityOptions {
  profile: AuthorityProfile;
  years?: number;
  seed: number;
  /** Multiplies the population and so the work (a smaller-than-small authority for tests, e.g. 0.1). */
  scale?: number;
  now: Date;
  calendar: WorkingDayCalendar;
  /** Progress by stage: people, months of work, then the indexes and foreign keys suspended for the load, made again. */
  onProgress?: (stage: 'people' | 'work' | 'indexes', done: number, total: number) => void;
}

export interface GenerateAuthorityResult {
  people: number;
  contacts: number;
  earlyHelpEpisodes: number;
  cinEpisodes: number;
  months: number;
}

const FOREVER = '9999-12-31';

/** The tables the work stage writes (people and person_disabilities, which it also writes, are the people stage's). */
const WORK_TABLES = [
  'contacts',
  'contact_children',
  'contact_decisions',
  'strategy_discussions',
  'early_help_episodes',
  'early_help_episode_children',
  'early_help_taf_members',
  'early_help_assessments',
  'early_help_assessment_items',
  'early_help_plans',
  'early_help_goals',
  'early_help_goal_items',
  'early_help_meetings',
  'early_help_meeting_attendance',
  'early_help_goal_progress',
  'early_help_scores',
  'early_help_score_summaries',
  'early_help_feedback',
  'cin_episodes',
  'cin_assessments',
  'cp_strategy_discussions',
  'section47_enquiries',
  'cp_conferences',
  'cp_plans',
  'cin_plans',
  'cin_plan_goals',
  'cin_plan_reviews',
  'cin_plan_review_progress',
  'cp_core_groups',
  'statutory_visits',
  'allocations',
  'case_notes',
  'case_events',
];

interface MonthPlan {
  contacts: PlannedContact[];
  ehRows: EarlyHelpEpisodeRows;
  cinRows: CinEpisodeRows;
  /** The children referred to social care this month, for their census details. */
  referred: string[];
}
/** Requests planned between two turns of the event loop. */
const PLAN_SLICE = 50;

/** A function to await between slices of planning: it yields to the event loop once 5 ms have passed since the last time. */
function breather(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < 5) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

export async function generateAuthority(
  db: Kysely<DB>,
  options: GenerateAuthorityOptions,
): Promise<GenerateAuthorityResult> {
  const size = PROFILES[options.profile];
  const scale = options.scale ?? 1;
  const years = options.years ?? size.years;
  const targetPeople = Math.round(size.people * scale);
  const random = seededRandom(options.seed);
  const { calendar, now } = options;
  const today = isoDateOf(now);

  const workforce = await generateWorkforce(db, {
    seed: options.seed,
    socialCareTeamsPerKind: size.socialCareTeamsPerKind,
    earlyHelpTeams: size.earlyHelpTeams,
    mashTeams: size.mashTeams,
    workersPerTeam: size.workersPerTeam,
  });

  // People: generate up to the target (a second run reuses those already there).
  const existing = Number(
    (await sql<{ n: string }>`select count(*)::text as n from people`.execute(db)).rows[0]!.n,
  );
  const toAdd = Math.max(0, targetPeople - existing);
  if (toAdd > 0)
    await generatePeople(db, {
      count: toAdd,
      seed: options.seed,
      now,
      batchSize: 5000,
      onProgress: (done) => options.onProgress?.('people', done, toAdd),
    });
  const pool = await loadChildPool(db);

  // Each child's timeline: the day they are free of any episode (an open one: never), and their CP plans so far.
  const freeFrom = new Map<string, string>();
  const cpPlansOf = new Map<string, number>();
  for (const e of await db.selectFrom('cinEpisodes').select(['childId', 'closureDate']).execute())
    freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closureDate ?? FOREVER));
  for (const e of await db
    .selectFrom('earlyHelpEpisodes as e')
    .innerJoin('earlyHelpEpisodeChildren as c', 'c.episodeId', 'e.id')
    .select(['c.childId', 'e.closedOn'])
    .execute())
    freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closedOn ?? FOREVER));
  for (const p of await db.selectFrom('cpPlans').select('childId').execute())
    cpPlansOf.set(p.childId, (cpPlansOf.get(p.childId) ?? 0) + 1);

  const continuum = await defaultContinuum(db);
  const templateId = await assessmentTemplateId(db);
  const ehTemplateId = await earlyHelpAssessmentTemplateId(db);
  const staff = staffing(workforce);
  const pick = random.fork('children');
  const contactsPerWorkingDay = (targetPeople * CONTACTS_PER_PERSON_YEAR) / 253;

  const start = addCalendarDays(today, -Math.round(years * 365.25));
  const months: [string, string][] = [];
  for (let m = start; m <= today;) {
    const next = addCalendarDays(`${m.slice(0, 7)}-01`, 32).slice(0, 7) + '-01';
    months.push([m, min(addCalendarDays(next, -1), today)]);
    m = next;
  }
  const result: GenerateAuthorityResult = {
    people: existing + toAdd,
    contacts: 0,
    earlyHelpEpisodes: 0,
    cinEpisodes: 0,
    months: months.length,
  };
  const schoolAgeBornBy = `${Number(collectionYearEndOf(today).slice(0, 4)) - 4}-08-31`;
  const frontDoorRandom = random.fork('front-door');
  const socialCareRandom = random.fork('social-care');
  const earlyHelpRandom = random.fork('early-help');

  /** Plans one month's work in Node (no database), giving the event loop a turn every few milliseconds. */
  const breathe = breather();
  const planMonth = async (from: string, to: string): Promise<MonthPlan> => {
    const pickedThisMonth = new Set<string>();
    let started = performance.now();
    const contacts = planContacts(frontDoorRandom, {
      from,
      to,
      now,
      calendar,
      contactsPerWorkingDay,
      pickChild: (date) => {
        const hi = upperBound(pool.dob, date);
        const lo = upperBound(pool.dob, addCalendarDays(date, -Math.floor(17.9 * 365.25)));
        if (hi <= lo) return null;
        for (let attempt = 0; attempt < 6; attempt++) {
          const k = pick.int(lo, hi - 1);
          const id = pool.ids[k]!;
          if (pickedThisMonth.has(id)) continue;
          if ((freeFrom.get(id) ?? '') > date) continue;
          pickedThisMonth.add(id);
          return { id, localAuthorityId: pool.localAuthorityId[k]! };
        }
        return null;
      },
      openToSocialCare: (childId, date) => (freeFrom.get(childId) ?? '') > date,
      staffFor: (la) => staff.frontDoor(la),
    });
    addLoadTime('Node: planning contacts', contacts.length, performance.now() - started);
    await breathe();
    const authorised = contacts.filter((c) => c.decision?.authorised);
    const referrals: ReferralRequest[] = [];
    const referralContacts: PlannedContact[] = [];
    const earlyHelp: EarlyHelpRequest[] = [];
    const earlyHelpContacts: PlannedContact[] = [];
    for (const c of authorised) {
      const d = c.decision!;
      const date = calendar.workingDayOnOrAfter(isoDateOf(d.authorised!.at));
      if (date > today) continue;
      if (d.outcome === 'social-care' || d.outcome === 'strategy-discussion') {
        referrals.push({
          childId: c.childId,
          localAuthorityId: c.localAuthorityId,
          referralDate: date,
          referralSource: c.referralSource,
          sourceContactId: c.id,
          strategy: d.outcome === 'strategy-discussion',
          previousCpPlans: cpPlansOf.get(c.childId) ?? 0,
        });
        referralContacts.push(c);
      } else if (d.outcome === 'early-help') {
        earlyHelp.push({
          childId: c.childId,
          localAuthorityId: c.localAuthorityId,
          openedOn: date,
          sourceContactId: c.id,
        });
        earlyHelpContacts.push(c);
      }
    }
    const ehRows = newEarlyHelpEpisodeRows();
    for (let k = 0; k < earlyHelp.length; k += PLAN_SLICE) {
      started = performance.now();
      const ehEpisodes = planEarlyHelpEpisodes(
        earlyHelpRandom,
        earlyHelp.slice(k, k + PLAN_SLICE),
        { today, calendar, teamsFor: (la) => staff.earlyHelp(la), assessmentTemplateId: ehTemplateId },
        ehRows,
      );
      ehEpisodes.forEach((e, j) => {
        earlyHelpContacts[k + j]!.decision!.earlyHelpEpisodeId = e.id;
        freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closedOn ?? FOREVER));
      });
      addLoadTime('Node: planning early help', ehEpisodes.length, performance.now() - started);
      await breathe();
    }
    const cinRows = newCinEpisodeRows();
    const referred: string[] = [];
    for (let k = 0; k < referrals.length; k += PLAN_SLICE) {
      started = performance.now();
      const cinEpisodes = planCinEpisodes(
        socialCareRandom,
        referrals.slice(k, k + PLAN_SLICE),
        { today, calendar, staffFor: (la) => staff.socialCare(la) },
        cinRows,
      );
      cinEpisodes.forEach((e, j) => {
        const d = referralContacts[k + j]!.decision!;
        d.cinEpisodeIds = [e.id];
        d.routedTeamId = e.teamId;
        freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closureDate ?? FOREVER));
        cpPlansOf.set(e.childId, (cpPlansOf.get(e.childId) ?? 0) + e.cpPlans);
        referred.push(e.childId);
      });
      addLoadTime('Node: planning social care', cinEpisodes.length, performance.now() - started);
      await breathe();
    }
    result.contacts += contacts.length;
    result.earlyHelpEpisodes += earlyHelp.length;
    result.cinEpisodes += referrals.length;

    return { contacts, ehRows, cinRows, referred };
  };
  const writeMonth = async (trx: Transaction<DB>, month: MonthPlan) => {
    await writeEarlyHelpEpisodes(trx, month.ehRows);
    await writeCinEpisodes(trx, month.cinRows, { templateId, now });
    await insertContacts(trx, month.contacts, continuum, calendar);
    await completeCensusDetails(trx, [...new Set(month.referred)], schoolAgeBornBy);
  };

  // The work in one transaction, so that a load that fails leaves the database as it was (and the indexes and foreign
  // keys suspended for it come back). Month by month, Node plans month N+1 while PostgreSQL writes month N: the
  // timeline (freeFrom, cpPlansOf) is Node's alone, so planning never needs what is being written; references come
  // from the sequences at write time, in the order they always had (months in order; early help, social care, then
  // contacts within a month).
  await db.transaction().execute(async (trx) => {
    // Loaded data, re-runnable: the commit need not wait for the WAL to reach the disk.
    await sql`set local synchronous_commit = off`.execute(trx);
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    const suspended = await suspendIndexesAndForeignKeys(trx, WORK_TABLES, {
      fewRows: 50_000,
      // The load reads these: the score summaries of each month's new early help episodes.
      keep: ['early_help_scores_episode_idx'],
    });
    let writing: Promise<void> = Promise.resolve();
    for (const [i, [from, to]] of months.entries()) {
      const month = await planMonth(from, to);
      const started = performance.now();
      // The month before must be written first: one connection, statements in order.
      await writing;
      addLoadTime('waiting for the month before to be written', 1, performance.now() - started);
      writing = writeMonth(trx, month).then(() => options.onProgress?.('work', i + 1, months.length));
      // Until it is awaited, a failed write must not be an unhandled rejection (it is thrown at the next await).
      writing.catch(() => undefined);
    }
    await writing;
    await suspended.restore((done, total) => options.onProgress?.('indexes', done, total));
    await recordAuditEvent(trx, {
      actor: { userId: null, label: 'system' },
      action: 'authority.generated',
      subjectType: 'system',
      occurredAt: now,
      details: {
        profile: options.profile,
        years,
        seed: options.seed,
        scale,
        people: result.people,
        contacts: result.contacts,
        earlyHelpEpisodes: result.earlyHelpEpisodes,
        cinEpisodes: result.cinEpisodes,
      },
    });
  });
  await sql`analyze`.execute(db);
  return result;
}

function staffing(workforce: Workforce) {
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const teamsOf = (kind: Parameters<Workforce['byKind']>[0], la: string) => {
    const teams = workforce.byKind(kind, la);
    if (!teams.length) throw new Error(`The generated workforce has no ${kind} team in authority ${la}`);
    return teams.map((t) => ({
      id: t.id,
      clusterId: t.clusterId,
      managerId: t.managerId,
      workers: t.workers.map((w) => w.id),
    }));
  };
  return {
    frontDoor: (la: string) =>
      memo(`fd:${la}`, () => {
        const teams = teamsOf('mash', la);
        return {
          workers: teams.flatMap((t) => t.workers),
          managerId: teams[0]!.managerId,
          teamId: teams[0]!.id,
        };
      }),
    socialCare: (la: string) =>
      memo(`sc:${la}`, () => ({
        assessment: teamsOf('assessment', la),
        cin: teamsOf('cin', la),
        cp: teamsOf('cp', la),
      })),
    earlyHelp: (la: string) => memo(`eh:${la}`, () => teamsOf('early-help', la)),
  };
}

/** The first index whose value is greater than `value` (values sorted ascending). */
function upperBound(values: readonly string[], value: string): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const max = (a: string | undefined, b: string) => (a && a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);
const collectionYearEndOf = (today: string) => {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '04-01' ? `${year + 1}-03-31` : `${year}-03-31`;
};
