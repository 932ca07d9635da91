import { beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import {
  aCinPlanRecord,
  aConferenceRecord,
  aCpPlanRecord,
  anAssessmentRecord,
  anEpisodeRecord,
  aSection47Record,
  referenceOf,
} from '../../../test/builders/performance.ts';
import { MEASURE_IDS, type MeasureId } from './measures.ts';
import {
  childrenBehind,
  dashboardFigures,
  figuresForScopes,
  measureFigure,
  measureFigures,
  previousYearScope,
} from './performance.service.ts';
import type { MeasureScope } from './measures.repository.ts';

/**
 * Every social care measure against a hand count, for the period 1 April to 30 November 2026 in Richmond. The
 * records (written straight to the tables, so dates in earlier years need no census explanation):
 *
 * Referrals (R1–R3 in the period; the rest of the episodes below were referred on 5 January 2026, before it):
 *   R1 2 May 2026 (2A), the same child referred 1 Jun 2025: a re-referral
 *   R2 10 Jun 2026 (6), the same child referred 9 Jun 2025: one day more than 12 months, not a re-referral;
 *      closed 20 Jun 2026 RC8
 *   R3 1 Jul 2026 (6), the same child referred 1 Jul 2025: exactly 12 months, a re-referral
 *   K  a Kingston referral on 5 May 2026: another authority, not counted
 *   → referrals 3 (2A 1, 6 2); re-referrals 2 of 3
 *
 * Assessments authorised in the period (working days from start to authorisation, both counted):
 *   A1 Fri 1 May → Mon 6 Jul 2026: 45 working days (the early May and spring bank holidays, 4 and 25 May, are not
 *      working days; counting weekdays alone would give 47): within
 *   A2 Fri 1 May → Tue 7 Jul 2026: 46 working days: late; the child's record is restricted
 *   A3 Tue 1 Sep → Thu 10 Sep 2026: 8 working days: within; the episode is MASH's (the team filter)
 *   A4 started 1 Oct 2026, not authorised: not counted
 *   → 2 of 3 within 45 working days; 1–10: 1, 31–45: 1, 46–60: 1
 *
 * Initial conferences (working days from the section 47 start, both counted):
 *   C1 s47 Tue 19 May → Tue 9 Jun 2026: 15 (25 May is the spring bank holiday): within
 *   C2 s47 Tue 19 May → Wed 10 Jun 2026: 16: late
 *   C3 a transfer-in conference with no section 47, 1 Jun 2026: left out
 *   → 1 of 2
 *
 * Child protection plans:
 *   P1 from C1, 9 Jun 2026, NEG, first plan, open
 *   P2 from C2, 10 Jun 2026, EMO, 1 previous plan, open
 *   P3 3 Jun 2024 to 3 Jun 2026, PHY: exactly 2 years
 *   P4 12 Jan to 30 Oct 2026, NEG (reviews: Fri 10 Apr, due Sun 12 Apr: on time; Mon 12 Oct, due Sat 10 Oct: late)
 *   P5 2 Mar to 7 Dec 2026, NEG: open on 30 Nov (review Tue 2 Jun, due 2 Jun: on time)
 *   → on a plan on 30 Nov: NEG 2 (P1, P5), EMO 1 (P2); ended in the period: 1 of 2 lasted 2 years (P3, P4);
 *     started in the period: 1 of 2 a second plan (P1, P2); reviews: 2 of 3 on time (first 2 of 2, later 0 of 1)
 *
 * CIN plan from 6 Apr 2026, reviewed every 12 weeks: 29 Jun (due 29 Jun: on time), 22 Sep (due 21 Sep: late)
 *   → 1 of 2
 *
 * Closures in the period: R2 RC8 (20 Jun), one episode RC7 (1 Oct); one closed 1 Dec 2026 is outside → RC7 1, RC8 1
 */

const h = databaseForFile();
const now = new Date('2026-12-07T10:00:00Z');
let scope: MeasureScope;
let richmond: string;
const refs: Record<string, string> = {};

beforeAll(async () => {
  const db = h.db;
  const las = await localAuthorityIds(db);
  richmond = las.richmond;
  scope = { localAuthorityIds: [richmond], teamId: null, from: '2026-04-01', to: '2026-11-30' };
  const assessmentTeam = await teamId(db, 'Assessment Team');
  const mash = await teamId(db, 'MASH');
  const sw = await userIdFor(db, 'social-worker');
  const child = (givenName: string, restricted = false) =>
    aChild(db, { givenName, familyName: 'Measures', restricted }).then((c) => c.id);
  const episode = async (
    name: string,
    childId: string,
    referralDate: string,
    more: Partial<Parameters<typeof anEpisodeRecord>[1]> = {},
  ) => {
    const id = await anEpisodeRecord(db, {
      childId,
      localAuthorityId: richmond,
      referralDate,
      teamId: assessmentTeam,
      ...more,
    });
    refs[name] = await referenceOf(db, id);
    return id;
  };

  // Referrals
  const r1 = await child('Rhys');
  await episode('R1-prior', r1, '2025-06-01', { closureDate: '2025-07-01', closureReason: 'RC7' });
  await episode('R1', r1, '2026-05-02', { referralSource: '2A' });
  const r2 = await child('Ruth');
  await episode('R2-prior', r2, '2025-06-09', { closureDate: '2025-07-01', closureReason: 'RC7' });
  await episode('R2', r2, '2026-06-10', {
    referralSource: '6',
    closureDate: '2026-06-20',
    closureReason: 'RC8',
  });
  const r3 = await child('Rosa');
  await episode('R3-prior', r3, '2025-07-01', { closureDate: '2025-08-01', closureReason: 'RC7' });
  await episode('R3', r3, '2026-07-01', { referralSource: '6' });
  await anEpisodeRecord(db, {
    childId: (await aChild(db, { givenName: 'Kit', localAuthorityId: las.kingston })).id,
    localAuthorityId: las.kingston,
    referralDate: '2026-05-05',
  });

  // Assessments
  const before = '2026-01-05';
  const a1 = await episode('A1', await child('Amy'), before);
  await anAssessmentRecord(db, a1, { startDate: '2026-05-01', authorisedOn: '2026-07-06', userId: sw });
  const a2 = await episode('A2', await child('Alf', true), before);
  await anAssessmentRecord(db, a2, { startDate: '2026-05-01', authorisedOn: '2026-07-07', userId: sw });
  const a3 = await episode('A3', await child('Ava'), before, { teamId: mash });
  await anAssessmentRecord(db, a3, { startDate: '2026-09-01', authorisedOn: '2026-09-10', userId: sw });
  const a4 = await episode('A4', await child('Ada'), before);
  await anAssessmentRecord(db, a4, { startDate: '2026-10-01', userId: sw });

  // Initial conferences and plans
  const c1 = await episode('C1', await child('Cai'), before);
  const c1Conf = await aConferenceRecord(db, c1, {
    heldOn: '2026-06-09',
    userId: sw,
    section47Id: await aSection47Record(db, c1, '2026-05-19'),
  });
  await aCpPlanRecord(db, c1, { conferenceId: c1Conf, startDate: '2026-06-09', category: 'NEG' });
  const c2 = await episode('C2', await child('Cat'), before);
  const c2Conf = await aConferenceRecord(db, c2, {
    heldOn: '2026-06-10',
    userId: sw,
    section47Id: await aSection47Record(db, c2, '2026-05-19'),
    category: 'EMO',
  });
  await aCpPlanRecord(db, c2, {
    conferenceId: c2Conf,
    startDate: '2026-06-10',
    category: 'EMO',
    previousPlans: 1,
  });
  const c3 = await episode('C3', await child('Cy'), before);
  await aConferenceRecord(db, c3, { heldOn: '2026-06-01', userId: sw });

  const p3 = await episode('P3', await child('Pam'), '2024-05-01');
  const p3Conf = await aConferenceRecord(db, p3, { heldOn: '2024-06-03', userId: sw, category: 'PHY' });
  await aCpPlanRecord(db, p3, {
    conferenceId: p3Conf,
    startDate: '2024-06-03',
    category: 'PHY',
    endDate: '2026-06-03',
  });
  const p4 = await episode('P4', await child('Pip'), before);
  const p4Conf = await aConferenceRecord(db, p4, { heldOn: '2026-01-12', userId: sw });
  const p4Plan = await aCpPlanRecord(db, p4, {
    conferenceId: p4Conf,
    startDate: '2026-01-12',
    category: 'NEG',
    endDate: '2026-10-30',
  });
  await aConferenceRecord(db, p4, { heldOn: '2026-04-10', userId: sw, reviewOf: p4Plan });
  await aConferenceRecord(db, p4, { heldOn: '2026-10-12', userId: sw, reviewOf: p4Plan });
  const p5 = await episode('P5', await child('Poppy'), before);
  const p5Conf = await aConferenceRecord(db, p5, { heldOn: '2026-03-02', userId: sw });
  const p5Plan = await aCpPlanRecord(db, p5, {
    conferenceId: p5Conf,
    startDate: '2026-03-02',
    category: 'NEG',
    endDate: '2026-12-07',
  });
  await aConferenceRecord(db, p5, { heldOn: '2026-06-02', userId: sw, reviewOf: p5Plan });

  // CIN plan reviews
  const cin = await episode('CIN', await child('Ciara'), before);
  await aCinPlanRecord(db, cin, {
    startDate: '2026-04-06',
    reviews: ['2026-06-29', '2026-09-22'],
    userId: sw,
  });

  // Closures
  await episode('X1', await child('Xan'), before, { closureDate: '2026-10-01', closureReason: 'RC7' });
  await episode('X2', await child('Xia'), before, { closureDate: '2026-12-01', closureReason: 'RC7' });
});

async function figure(id: MeasureId, s = scope) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
  return measureFigure(ctx, id, s);
}
const groupsOf = (f: Awaited<ReturnType<typeof figure>>) =>
  Object.fromEntries(f.groups.filter((g) => g.total).map((g) => [g.key, [g.counted, g.total]]));

async function childRefs(id: MeasureId, filter: { group?: string; counted?: 'yes' | 'no' } = {}, s = scope) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'team-manager'), now);
  const { rows, total } = await childrenBehind(ctx, id, s, filter, 'all');
  expect(rows).toHaveLength(total);
  return rows.map((r) => r.ref).sort();
}
const refsOf = (...names: string[]) => names.map((n) => refs[n]).sort();

describe('social care measures, against a hand count', () => {
  it('working days in SQL agree with the calendar across the spring bank holidays', () => {
    expect(calendar.workingDaysBetween('2026-05-01', '2026-07-06')).toBe(45);
    expect(calendar.workingDaysBetween('2026-05-19', '2026-06-09')).toBe(15);
  });

  it('referrals and re-referrals within 12 months (an authority’s own referrals only)', async () => {
    const referrals = await figure('referrals');
    expect([referrals.total, groupsOf(referrals)]).toEqual([3, { '2A': [1, 1], '6': [2, 2] }]);
    expect(await childRefs('referrals')).toEqual(refsOf('R1', 'R2', 'R3'));
    const re = await figure('re-referrals');
    expect([re.counted, re.total, re.percent]).toEqual([2, 3, 66.7]);
    expect(await childRefs('re-referrals', { counted: 'yes' })).toEqual(refsOf('R1', 'R3'));
    expect(await childRefs('re-referrals', { counted: 'no' })).toEqual(refsOf('R2'));
  });

  it('assessments within 45 working days, bank holidays not counted, with the distribution of days', async () => {
    const f = await figure('assessment-timeliness');
    expect([f.counted, f.total]).toEqual([2, 3]);
    expect(groupsOf(f)).toEqual({ '01-10': [1, 1], '31-45': [1, 1], '46-60': [0, 1] });
    expect(await childRefs('assessment-timeliness')).toEqual(refsOf('A1', 'A2', 'A3'));
    expect(await childRefs('assessment-timeliness', { counted: 'yes' })).toEqual(refsOf('A1', 'A3'));
    expect(await childRefs('assessment-timeliness', { group: '46-60' })).toEqual(refsOf('A2'));
  });

  it('the team filter counts only that team’s episodes', async () => {
    const mash = { ...scope, teamId: await teamId(h.db, 'MASH') };
    const f = await figure('assessment-timeliness', mash);
    expect([f.counted, f.total]).toEqual([1, 1]);
    expect(await childRefs('assessment-timeliness', {}, mash)).toEqual(refsOf('A3'));
  });

  it('initial conferences within 15 working days of the section 47 start, transfer-in conferences left out', async () => {
    const f = await figure('icpc-timeliness');
    expect([f.counted, f.total]).toEqual([1, 2]);
    expect(groupsOf(f)).toEqual({ '11-15': [1, 1], '16-20': [0, 1] });
    expect(await childRefs('icpc-timeliness', { counted: 'yes' })).toEqual(refsOf('C1'));
    expect(await childRefs('icpc-timeliness')).toEqual(refsOf('C1', 'C2'));
  });

  it('children on plans by category, plans lasting 2 years, second plans and reviews on time', async () => {
    const byCategory = await figure('cp-plans-by-category');
    expect([byCategory.total, groupsOf(byCategory)]).toEqual([3, { NEG: [2, 2], EMO: [1, 1] }]);
    expect(await childRefs('cp-plans-by-category', { group: 'NEG' })).toEqual(refsOf('C1', 'P5'));
    const twoYears = await figure('cp-plans-two-years');
    expect([twoYears.counted, twoYears.total]).toEqual([1, 2]);
    expect(await childRefs('cp-plans-two-years', { counted: 'yes' })).toEqual(refsOf('P3'));
    const second = await figure('cp-plans-second');
    expect([second.counted, second.total]).toEqual([1, 2]);
    expect(await childRefs('cp-plans-second', { counted: 'yes' })).toEqual(refsOf('C2'));
    const reviews = await figure('cp-reviews-on-time');
    expect(groupsOf(reviews)).toEqual({ first: [2, 2], later: [0, 1] });
    expect(await childRefs('cp-reviews-on-time', { counted: 'no' })).toEqual(refsOf('P4'));
  });

  it('CIN plan reviews on time', async () => {
    const f = await figure('cin-reviews-on-time');
    expect(groupsOf(f)).toEqual({ first: [1, 1], later: [0, 1] });
    expect(await childRefs('cin-reviews-on-time', { counted: 'no' })).toEqual(refsOf('CIN'));
  });

  it('closures by reason', async () => {
    const f = await figure('closures');
    expect([f.total, groupsOf(f)]).toEqual([2, { RC7: [1, 1], RC8: [1, 1] }]);
    expect(await childRefs('closures')).toEqual(refsOf('R2', 'X1'));
  });

  it('every figure on the dashboard equals the number of children its drill-down lists', async () => {
    const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
    const figures = await dashboardFigures(ctx, scope);
    expect(figures.map((f) => f.measure.id)).toEqual([...MEASURE_IDS]);
    for (const f of figures) {
      const all = await childrenBehind(ctx, f.measure.id, scope, {}, 'all');
      expect(all.total, f.measure.id).toBe(f.total);
      const counted = await childrenBehind(ctx, f.measure.id, scope, { counted: 'yes' }, 'all');
      if (f.measure.kind === 'rate') expect(counted.total, f.measure.id).toBe(f.counted);
    }
  });

  it('a period and the year before in one statement per measure give the same figures as each alone', async () => {
    const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
    const before = previousYearScope(scope);
    const [together, yearBefore] = await figuresForScopes(ctx, [scope, before]);
    expect(together).toEqual(await dashboardFigures(ctx, scope));
    expect(yearBefore).toEqual(await dashboardFigures(ctx, before));
    // The year before has the earlier referrals (1 Jun, 9 Jun and 1 Jul 2025): 3, none a re-referral.
    expect(yearBefore!.find((f) => f.measure.id === 'referrals')!.total).toBe(3);
    expect(await measureFigures(ctx, 're-referrals', [scope, before])).toEqual([
      await measureFigure(ctx, 're-referrals', scope),
      await measureFigure(ctx, 're-referrals', before),
    ]);
  });

  it('a restricted child the viewer may not see is counted and listed, but not named', async () => {
    // The team manager may read unrestricted records, not a restricted one they do not manage.
    const ctx = readContextFor(h.db, await userFor(h.db, 'team-manager'), now);
    const { rows } = await childrenBehind(ctx, 'assessment-timeliness', scope, {}, 'all');
    const byRef = new Map(rows.map((r) => [r.ref, r.name]));
    expect(byRef.get(refs.A2!)).toBeNull();
    expect(byRef.get(refs.A1!)).toBe('Amy Measures');
    // The analyst has no access to children's records: every row is listed, none is named.
    const analyst = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
    const asAnalyst = await childrenBehind(analyst, 'assessment-timeliness', scope, {}, 'all');
    expect(asAnalyst.rows.map((r) => r.name)).toEqual([null, null, null]);
  });

  it('cannot be used without the reporting permission', async () => {
    const ctx = readContextFor(h.db, await userFor(h.db, 'social-worker'), now);
    await expect(measureFigure(ctx, 'referrals', scope)).rejects.toThrow();
  });
});
