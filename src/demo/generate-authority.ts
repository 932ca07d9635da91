import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAuditEvent } from '../kernel/audit-trail/index.ts';
import { seededRandom } from '../kernel/random/index.ts';
import { addCalendarDays, isoDateOf } from '../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../kernel/working-days/index.ts';
import { generateWorkforce, type Workforce } from '../modules/admin/index.ts';
import {
  earlyHelpAssessmentTemplateId,
  generateEarlyHelpEpisodes,
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
  generateCinEpisodes,
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
  onProgress?: (stage: 'people' | 'work', done: number, total: number) => void;
}

export interface GenerateAuthorityResult {
  people: number;
  contacts: number;
  earlyHelpEpisodes: number;
  cinEpisodes: number;
  months: number;
}

const FOREVER = '9999-12-31';

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

  for (const [i, [from, to]] of months.entries()) {
    const pickedThisMonth = new Set<string>();
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
    await db.transaction().execute(async (trx) => {
      const ehEpisodes = await generateEarlyHelpEpisodes(trx, earlyHelpRandom, earlyHelp, {
        today,
        calendar,
        teamsFor: (la) => staff.earlyHelp(la),
        assessmentTemplateId: ehTemplateId,
      });
      ehEpisodes.forEach((e, k) => {
        const d = earlyHelpContacts[k]!.decision!;
        d.earlyHelpEpisodeId = e.id;
        freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closedOn ?? FOREVER));
      });
      const cinEpisodes = await generateCinEpisodes(trx, socialCareRandom, referrals, {
        today,
        now,
        calendar,
        templateId,
        staffFor: (la) => staff.socialCare(la),
      });
      cinEpisodes.forEach((e, k) => {
        const d = referralContacts[k]!.decision!;
        d.cinEpisodeIds = [e.id];
        d.routedTeamId = e.teamId;
        freeFrom.set(e.childId, max(freeFrom.get(e.childId), e.closureDate ?? FOREVER));
        cpPlansOf.set(e.childId, (cpPlansOf.get(e.childId) ?? 0) + e.cpPlans);
      });
      await insertContacts(trx, contacts, continuum, calendar);
      await completeCensusDetails(trx, [...new Set(cinEpisodes.map((e) => e.childId))], schoolAgeBornBy);
      result.contacts += contacts.length;
      result.earlyHelpEpisodes += ehEpisodes.length;
      result.cinEpisodes += cinEpisodes.length;
    });
    options.onProgress?.('work', i + 1, months.length);
  }

  await db.transaction().execute(async (trx) => {
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
