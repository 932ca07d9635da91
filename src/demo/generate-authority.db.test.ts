import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../test/support/test-db.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { isoDateOf } from '../kernel/time/index.ts';
import { englandAndWalesCalendar } from '../kernel/working-days/index.ts';
import { buildCensusReturn, CENSUS_YEAR_IDS } from '../modules/returns/index.ts';
import * as r from '../modules/social-care/census-rules.ts';
import { generateAuthority, type GenerateAuthorityResult } from './generate-authority.ts';

/**
 * `threshold generate authority` at a tenth of `small` (2,000 people, two years of work): the counts and shares are
 * in the ranges DfE rates give, every record keeps to the CIN census rules at entry (census-rules.ts: 0 violations),
 * the load is one audit event, the indexes and foreign keys suspended for the load are all back, and the same seed
 * gives the same authority.
 */

const now = new Date('2026-11-24T10:30:00Z');
const today = isoDateOf(now);
const options = {
  profile: 'small' as const,
  seed: 7,
  scale: 0.1,
  now,
  calendar: englandAndWalesCalendar,
};
let a: DatabaseHandle;
let b: DatabaseHandle;
let result: GenerateAuthorityResult;
let again: GenerateAuthorityResult;

beforeAll(async () => {
  a = await testDb();
  b = await testDb();
  result = await generateAuthority(a.db, options);
  again = await generateAuthority(b.db, options);
}, 600_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const count = async (db: Kysely<DB>, table: string, where = 'true') =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*)::text as n from ${sql.raw(table)} where ${sql.raw(where)}`.execute(db)
    ).rows[0]!.n,
  );

describe('generating an authority', () => {
  it('makes people and two years of contacts at about 0.1 a person a year, with realistic shares of decisions', async () => {
    expect(result.people).toBe(2000);
    expect(result.months).toBe(25);
    const contacts = await count(a.db, 'contacts');
    expect(contacts).toBe(result.contacts);
    expect(contacts).toBeGreaterThan(300);
    expect(contacts).toBeLessThan(500);
    const { rows } = await sql<{
      outcome: string;
      n: number;
    }>`select outcome, count(*)::int as n from contact_decisions group by outcome`.execute(a.db);
    const share = (o: string) => (rows.find((x) => x.outcome === o)?.n ?? 0) / contacts;
    expect(share('social-care') + share('strategy-discussion')).toBeGreaterThan(0.2);
    expect(share('social-care') + share('strategy-discussion')).toBeLessThan(0.45);
    expect(share('early-help')).toBeGreaterThan(0.1);
    expect(share('nfa') + share('information-advice')).toBeGreaterThan(0.3);
    // Every referral and early help decision is linked to the episode it opened.
    expect(await count(a.db, 'contact_decisions', 'cardinality(cin_episode_ids) > 0')).toBe(
      result.cinEpisodes,
    );
    expect(await count(a.db, 'contact_decisions', 'early_help_episode_id is not null')).toBe(
      result.earlyHelpEpisodes,
    );
    // Contacts still open (not yet decided or authorised) are only those of the last working days.
    expect(await count(a.db, 'contacts', "status <> 'completed' and received_at < '2026-11-10'::date")).toBe(
      0,
    );
  });

  it('makes social care work at national shares: assessments, section 47s, conferences, plans, visits, notes', async () => {
    const episodes = result.cinEpisodes;
    expect(await count(a.db, 'cin_episodes')).toBe(episodes);
    expect(await count(a.db, 'cin_assessments')).toBeGreaterThanOrEqual(Math.floor(episodes * 0.9));
    const s47 = await count(a.db, 'section47_enquiries');
    expect(s47 / episodes).toBeGreaterThan(0.05);
    expect(s47 / episodes).toBeLessThan(0.35);
    expect(await count(a.db, 'cp_conferences', "kind = 'initial'")).toBeGreaterThan(0);
    expect(await count(a.db, 'cp_plans')).toBeGreaterThan(0);
    expect(await count(a.db, 'cin_plans')).toBeGreaterThan(episodes * 0.15);
    expect(await count(a.db, 'statutory_visits')).toBeGreaterThan(episodes * 2);
    expect(await count(a.db, 'case_notes')).toBeGreaterThan(episodes * 2);
    expect(await count(a.db, 'case_events')).toBeGreaterThan(episodes * 3);
    // Closed and open: most episodes from the first year are closed; some still open today.
    expect(await count(a.db, 'cin_episodes', 'closure_date is not null')).toBeGreaterThan(episodes * 0.5);
    expect(await count(a.db, 'cin_episodes', 'closure_date is null')).toBeGreaterThan(0);
    // Early help: episodes with their child, lead practitioner and allocation.
    expect(await count(a.db, 'early_help_episode_children')).toBe(result.earlyHelpEpisodes);
    expect(
      await count(
        a.db,
        'allocations',
        "role = 'lead-practitioner' and involvement_type = 'early-help-episode'",
      ),
    ).toBe(result.earlyHelpEpisodes);
  });

  it('fills in the work inside episodes: CIN plan goals and reviews, core groups, early help assessments, plans and meetings', async () => {
    const cinPlans = await count(a.db, 'cin_plans');
    expect(await count(a.db, 'cin_plan_goals')).toBeGreaterThanOrEqual(cinPlans * 2);
    // Reviews every 12 weeks: most plans that ran three months or more have one, each with progress on every goal.
    expect(await count(a.db, 'cin_plan_reviews')).toBeGreaterThan(cinPlans * 0.5);
    expect(
      await count(
        a.db,
        'cin_plan_reviews v',
        'not exists (select 1 from cin_plan_review_progress p where p.review_id = v.id)',
      ),
    ).toBe(0);
    expect(
      await count(
        a.db,
        'cin_plan_reviews v join cin_plans p on p.id = v.cin_plan_id',
        'v.held_on < p.start_date or v.held_on > coalesce(p.end_date, current_date)',
      ),
    ).toBe(0);
    expect(await count(a.db, 'cp_core_groups')).toBeGreaterThan(await count(a.db, 'cp_plans'));
    // Early help: every episode has its team around the family (lead practitioner first) and an assessment; most a plan.
    const eh = result.earlyHelpEpisodes;
    expect(await count(a.db, 'early_help_taf_members', 'user_id is not null')).toBe(eh);
    expect(await count(a.db, 'early_help_taf_members', 'name is not null')).toBeGreaterThanOrEqual(eh);
    expect(await count(a.db, 'early_help_assessments')).toBe(eh);
    const completed = await count(a.db, 'early_help_assessments', "status = 'completed'");
    expect(completed).toBeGreaterThan(eh * 0.8);
    expect(await count(a.db, 'early_help_assessment_items')).toBeGreaterThan(completed);
    expect(await count(a.db, 'early_help_plans', "status = 'agreed'")).toBeGreaterThan(eh * 0.7);
    expect(await count(a.db, 'early_help_goals')).toBe(await count(a.db, 'early_help_goal_items'));
    // Meetings: an initial one per plan, reviews; every closed episode's last meeting closes it or steps up.
    expect(await count(a.db, 'early_help_meetings', "kind = 'initial'")).toBe(
      await count(a.db, 'early_help_plans'),
    );
    expect(await count(a.db, 'early_help_meetings', "kind = 'review'")).toBeGreaterThan(eh);
    expect(
      await count(
        a.db,
        'early_help_episodes e',
        `e.status = 'closed' and exists (select 1 from early_help_plans p where p.episode_id = e.id)
          and not exists (select 1 from early_help_meetings m where m.episode_id = e.id and m.held_on = e.closed_on and m.decision <> 'continue')`,
      ),
    ).toBe(0);
    expect(
      await count(
        a.db,
        'early_help_meetings m join early_help_episodes e on e.id = m.episode_id',
        'm.held_on < e.opened_on or m.held_on > coalesce(e.closed_on, current_date)',
      ),
    ).toBe(0);
    expect(await count(a.db, 'early_help_meeting_attendance')).toBeGreaterThan(eh * 2);
    expect(await count(a.db, 'early_help_goal_progress')).toBeGreaterThan(eh);
    expect(await count(a.db, 'early_help_scores', "occasion = 'review'")).toBeGreaterThan(eh * 5);
    // Open episodes have reviews due: some on time, some overdue.
    const due = `e.status = 'open' and m.next_review_due_on is not null and m.held_on = (select max(held_on) from early_help_meetings x where x.episode_id = e.id)`;
    const open = 'early_help_meetings m join early_help_episodes e on e.id = m.episode_id';
    expect(await count(a.db, open, `${due} and m.next_review_due_on >= '${today}'`)).toBeGreaterThan(0);
  });

  it('allocates the work over many workers and teams, with late and on-time work', async () => {
    const workers = await sql<{
      n: number;
    }>`select count(distinct worker_id)::int as n from allocations where involvement_type = 'cin-episode'`.execute(
      a.db,
    );
    expect(workers.rows[0]!.n).toBeGreaterThan(20);
    const late = await count(a.db, 'cin_assessments', 'completed_on > due_date');
    const onTime = await count(a.db, 'cin_assessments', 'completed_on <= due_date');
    expect(late).toBeGreaterThan(0);
    expect(onTime).toBeGreaterThan(late * 3);
    const lateDecisions = await count(
      a.db,
      'contact_decisions d join contacts c on c.id = d.contact_id',
      'd.decided_at > c.decision_due_at',
    );
    expect(lateDecisions).toBeGreaterThan(0);
    // Each generated team sits in its authority's service for its kind of work, where the authority has one (the
    // allocation board reads the team's area from it).
    const placed = await sql<{ area: string }>`
      select distinct s.area from teams t join services s on s.id = t.service_id
      where t.name like '%(generated,%' order by s.area`.execute(a.db);
    expect(placed.rows.map((r) => r.area)).toEqual(['early-help', 'front-door', 'social-care']);
    expect(
      await count(
        a.db,
        'teams t',
        "t.name like '%(generated,%' and t.service_id is null and exists (select 1 from services s where s.local_authority_id = t.local_authority_id)",
      ),
    ).toBe(0);
  });

  it('records the load as one audit event, not one per row', async () => {
    const events = await a.db.selectFrom('auditEvents').select(['action', 'details']).execute();
    expect(events.map((e) => e.action)).toEqual(['authority.generated']);
    expect(events[0]!.details).toMatchObject({ profile: 'small', seed: 7, contacts: result.contacts });
  });

  it('keeps every record to the CIN census rules at entry: no violations', async () => {
    const violations = await censusViolations(a.db);
    expect(violations).toEqual([]);
    expect(await count(a.db, 'cin_episodes')).toBeGreaterThan(50);
  });

  it('gives census returns with no errors for every collection year (the returns module’s own validation)', async () => {
    const la = await a.db.selectFrom('localAuthorities').select('id').execute();
    let children = 0;
    for (const { id } of la)
      for (const yearId of CENSUS_YEAR_IDS) {
        const build = await buildCensusReturn(a.db, englandAndWalesCalendar, {
          yearId,
          localAuthorityId: id,
        });
        children += build.counts.children;
        const errors = build.failures.filter((f) => f.kind === 'error');
        expect({
          yearId,
          errors: errors.map((f) => `${f.rule} ${f.episodeReference ?? f.laChildId}: ${f.detail}`),
        }).toEqual({
          yearId,
          errors: [],
        });
        expect(build.errors).toBe(0);
      }
    expect(children).toBeGreaterThan(50);
  });

  it('puts back every index and foreign key it suspended for the load, as the migrations made them', async () => {
    const fresh = await testDb();
    try {
      const generated = await structure(a.db);
      expect(generated.length).toBeGreaterThan(100);
      expect(generated).toEqual(await structure(fresh.db));
    } finally {
      await fresh.close();
    }
  });

  it('gives the same authority for the same seed', async () => {
    expect(again).toEqual(result);
    const signature = async (db: Kysely<DB>) =>
      (
        await sql<{ s: string }>`
          select concat_ws('|', p.la_child_id, e.referral_date, e.referral_source, e.primary_need_code,
            e.closure_date, e.closure_reason,
            (select count(*) from statutory_visits v where v.episode_id = e.id),
            (select string_agg(a.start_date || ':' || coalesce(a.authorised_on::text, '-'), ',') from cin_assessments a where a.episode_id = e.id)) as s
          from cin_episodes e join people p on p.id = e.child_id
          order by 1`.execute(db)
      ).rows.map((x) => x.s);
    const first = await signature(a.db);
    expect(first.length).toBe(result.cinEpisodes);
    expect(await signature(b.db)).toEqual(first);
  });
});

/** Every index and constraint of the schema, by its definition (and whether it is validated). */
const structure = async (db: Kysely<DB>) =>
  (
    await sql<{ s: string }>`
      select pg_get_indexdef(i.indexrelid) as s
      from pg_index i join pg_class c on c.oid = i.indrelid
      where c.relnamespace = 'public'::regnamespace
      union all
      select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
      from pg_constraint where connamespace = 'public'::regnamespace
      order by 1`.execute(db)
  ).rows.map((r) => r.s);

/** Every census rule that can be checked at entry, over every generated episode. Returns the broken ones. */
async function censusViolations(db: Kysely<DB>): Promise<string[]> {
  const episodes = await db.selectFrom('cinEpisodes').selectAll().execute();
  const people = new Map(
    (await db.selectFrom('people').selectAll().where('kind', '=', 'child').execute()).map((p) => [p.id, p]),
  );
  const disabilities = new Map<string, string[]>();
  for (const d of await db.selectFrom('personDisabilities').selectAll().execute())
    disabilities.set(d.personId, [...(disabilities.get(d.personId) ?? []), d.code]);
  const by = <T extends { episodeId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const row of rows) m.set(row.episodeId, [...(m.get(row.episodeId) ?? []), row]);
    return (id: string) => m.get(id) ?? [];
  };
  const assessmentsOf = by(await db.selectFrom('cinAssessments').selectAll().execute());
  const s47Of = by(await db.selectFrom('section47Enquiries').selectAll().execute());
  const conferencesOf = by(await db.selectFrom('cpConferences').selectAll().execute());
  const cpPlans = await db.selectFrom('cpPlans').selectAll().execute();
  const cinPlans = await db.selectFrom('cinPlans').selectAll().execute();
  const visitsOf = by(await db.selectFrom('statutoryVisits').selectAll().execute());
  const cpOf = by(cpPlans);
  const cinOf = by(cinPlans);
  const yearStart = r.collectionYearStart(today);
  const found: string[] = [];
  const check = (where: string, results: (r.Violation | null)[]) => {
    for (const v of results) if (v) found.push(`${where}: ${v.rule} ${v.message}`);
  };
  for (const e of episodes) {
    const child = people.get(e.childId)!;
    const where = `episode ${e.reference}`;
    const others = episodes.filter((o) => o.childId === e.childId && o.id !== e.id);
    check(where, [
      ...r.childRules(
        {
          dateOfBirth: child.dateOfBirth,
          expectedDateOfBirth: child.expectedDateOfBirth,
          dateOfDeath: child.dateOfDeath,
          sex: child.sex,
          ethnicityCode: child.ethnicityCode,
          disabilities: disabilities.get(child.id) ?? [],
        },
        e.referralNfa,
      ),
      r.rule8606(e.referralDate, child.dateOfBirth, child.expectedDateOfBirth),
      r.rule8600(e.referralDate, today),
      r.rule8775Q(child.dateOfBirth, e.referralDate),
      r.rule8866(e.referralSource),
      r.rule8650(e.primaryNeedCode),
      r.rule8610(e.referralNfa, e.primaryNeedCode),
      r.rule8820(
        e.referralDate,
        others.filter((o) => o.referralDate <= e.referralDate),
      ),
      r.rule8772(child.upnUnknownReason, [e, ...others]),
    ]);
    if (!e.closureDate || e.closureDate >= yearStart)
      check(where, [
        r.rule8770Q(
          { dateOfBirth: child.dateOfBirth, upn: child.upn, upnUnknownReason: child.upnUnknownReason },
          e.referralNfa,
          today,
        ),
      ]);
    const assessments = assessmentsOf(e.id);
    check(where, [r.rule8896(Math.max(0, assessments.filter((x) => !x.authorisedOn).length - 1))]);
    for (const x of assessments) {
      const prior = assessments
        .filter((o) => o.id !== x.id && o.startDate < x.startDate)
        .map((o) => ({ start: o.startDate, end: o.authorisedOn }));
      check(`${where} assessment`, [
        r.rule1103(x.startDate, e.referralDate),
        r.rule8608(x.startDate, x.authorisedOn),
        r.rule8614(x.factors, x.authorisedOn),
        r.factorCodesValid(x.factors),
        r.rule8869(x.factors),
        r.rule8898(x.factors),
        r.rule8945Q(x.factors),
        r.rule8950Q(x.factors),
        r.rule8863Q(x.startDate, prior),
        x.authorisedOn ? r.rule8897Q(x.factors) : null,
      ]);
    }
    const enquiries = s47Of(e.id);
    const conferences = conferencesOf(e.id);
    for (const s of enquiries) {
      const icpc = conferences.find((c) => c.kind === 'initial' && c.section47Id === s.id);
      check(`${where} section 47`, [
        r.rule2889(s.startDate, e.referralDate),
        r.rule2991Q(assessments.filter((x) => x.startDate <= s.startDate).length),
        r.rule8839(enquiries.filter((o) => o.id !== s.id && !o.outcome && o.startDate < s.startDate).length),
        r.rule8870Q(s.icpcTarget),
        icpc ? r.rule8615(s.startDate, icpc.heldOn) : null,
      ]);
    }
    for (const c of conferences) {
      if (c.kind === 'initial')
        check(`${where} initial conference`, [
          r.rule1104(c.heldOn, e.referralDate),
          r.rule8875(c.heldOn),
          r.rule2884({
            linkedToEnquiry: !!c.section47Id,
            episodeHasEnquiry: enquiries.length > 0,
            episodeLevelConferences: conferences.filter(
              (o) => o.kind === 'initial' && !o.section47Id && o.id !== c.id,
            ).length,
          }),
        ]);
      else {
        const plan = cpPlans.find((p) => p.id === c.cpPlanId)!;
        check(`${where} review conference`, [
          r.rule8841(c.heldOn, plan.startDate),
          r.rule4003(
            c.heldOn,
            cinPlans
              .filter((p) => p.childId === e.childId)
              .map((p) => ({ start: p.startDate, end: p.endDate })),
            plan.endDate,
          ),
        ]);
      }
    }
    const icpcDates = conferences.filter((c) => c.kind === 'initial').map((c) => c.heldOn);
    for (const p of cpOf(e.id)) {
      const otherCp = cpPlans.filter((o) => o.childId === e.childId && o.id !== p.id);
      check(`${where} CP plan`, [
        r.rule1105(p.startDate, e.referralDate),
        r.rule2885(p.startDate, icpcDates),
        r.rule8905(p.initialCategory),
        r.rule8910(p.latestCategory),
        r.rule8730(p.previousPlans),
        r.rule8940(
          p.startDate,
          otherCp.map((o) => ({ start: o.startDate, end: o.endDate })),
        ),
        r.rule8840(p.startDate, p.endDate),
        r.rule8925(p.startDate, p.endDate),
        r.rule8832(e.referralNfa),
        r.rule4017(
          p.startDate,
          cinPlans
            .filter((o) => o.childId === e.childId)
            .map((o) => ({ start: o.startDate, end: o.endDate })),
        ),
        r.rule8720(p.startDate, today),
        r.initialCategoryAsConference(
          p.initialCategory,
          conferences.find((c) => c.id === p.initialConferenceId) ?? null,
        ),
      ]);
      // The plan's number of previous plans counts the child's plans that started before it.
      if (p.previousPlans !== otherCp.filter((o) => o.startDate < p.startDate).length)
        found.push(`${where} CP plan: previous plans ${p.previousPlans} is not the count before it`);
    }
    for (const p of cinOf(e.id)) {
      const otherCin = cinPlans.filter((o) => o.childId === e.childId && o.id !== p.id);
      check(`${where} CIN plan`, [
        r.rule4015(p.startDate, e.referralDate),
        r.rule4011(p.startDate, p.endDate),
        r.rule4012Q(p.startDate, p.endDate),
        r.rule4014(
          p.startDate,
          otherCin
            .filter((o) => o.startDate <= p.startDate)
            .map((o) => ({ start: o.startDate, end: o.endDate })),
        ),
        r.rule4016(
          p.startDate,
          cpPlans.filter((o) => o.childId === e.childId).map((o) => ({ start: o.startDate, end: o.endDate })),
        ),
        r.rule4000(e.referralNfa),
        r.rule4010(p.startDate, today),
      ]);
    }
    if (e.closureDate && e.closureReason) {
      const activity = [
        ...assessments.map((x) => ({ label: 'assessment', date: x.authorisedOn ?? x.startDate })),
        ...enquiries.map((s) => ({ label: 'section 47', date: s.outcomeOn ?? s.startDate })),
        ...conferences.map((c) => ({ label: 'conference', date: c.heldOn })),
        ...cpOf(e.id).map((p) => ({ label: 'CP plan', date: p.endDate ?? p.startDate })),
        ...cinOf(e.id).map((p) => ({ label: 'CIN plan', date: p.endDate ?? p.startDate })),
        ...visitsOf(e.id).map((v) => ({ label: 'visit', date: v.visitedOn })),
      ];
      check(`${where} closure`, [
        r.rule8805(e.closureDate, e.closureReason),
        r.rule8810(e.closureReason, e.closureDate),
        r.rule8640(e.closureReason),
        r.rule8630(e.closureDate, e.referralDate),
        r.rule8867(assessments),
        r.rule8868(
          enquiries.map((s) => ({
            icpcDate: conferences.find((c) => c.section47Id === s.id)?.heldOn ?? null,
            icpcNotRequired: s.icpcNotRequired,
          })),
        ),
        r.rule8825Q(e.closureReason, assessments.length),
        r.rule8565(e.closureDate, activity),
        r.rule8585Q(e.closureReason, child.dateOfDeath),
        r.rule2990(e.closureReason, {
          section47: enquiries.length > 0,
          conference: conferences.length > 0,
          cpPlan: cpOf(e.id).length > 0,
          cinPlan: cinOf(e.id).length > 0,
        }),
        r.rule8873Q(e.closureReason, assessments),
      ]);
      // Nothing stays open on a closed episode.
      if (cpOf(e.id).some((p) => !p.endDate) || cinOf(e.id).some((p) => !p.endDate))
        found.push(`${where}: a plan is still open on a closed episode`);
    }
  }
  // One open CP plan and one open CIN plan per child at a time, and never both (4001).
  const openCp = new Set(cpPlans.filter((p) => !p.endDate).map((p) => p.childId));
  for (const p of cinPlans.filter((x) => !x.endDate))
    check('child', [r.rule4001(true, openCp.has(p.childId))]);
  return found;
}
