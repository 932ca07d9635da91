import { beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import {
  aCinPlanRecord,
  aConferenceRecord,
  aContactRecord,
  aCpPlanRecord,
  anAssessmentRecord,
  anEarlyHelpRecord,
  anEpisodeRecord,
  referenceOf,
} from '../../../test/builders/performance.ts';
import type { MeasureScope } from './measures.repository.ts';
import { PATHWAY_STAGE_IDS, monthDates, type PathwayStageId } from './pathway.ts';
import { pathwayChildren, pathwayFigures } from './pathway.service.ts';

/**
 * The pathway from April to June 2026 in Richmond, against a hand count (working days both counted; 4 and 25 May
 * are bank holidays):
 *
 * Contacts (month received, UK time) and their decisions (month recorded):
 *   K1 Tue 14 Apr, decided social care Wed 15 Apr (2 working days), routed to the Assessment Team
 *   K2 received 23:30 on 30 Apr UTC = 00:30 on Fri 1 May UK time: a May contact; decided NFA 1 May (1)
 *   K3 Tue 5 May, decided early help Thu 7 May (3)
 *   K4 Fri 22 May, decided strategy discussion Tue 26 May (2: the 25th is a bank holiday), Assessment Team
 *   K5 Wed 10 Jun, no decision, its child not yet matched to a record
 *   K6 a Kingston contact in May: not counted;  K7 received 31 Mar (before), decided social care 1 Apr (2)
 *   → contacts Apr 1, May 3, Jun 1 = 5; became referrals K1, K4: 2 of 5 (40%), May 1 of 3 (33.3%)
 *   → decisions Apr 2 (social care 2, median 2), May 3 (NFA, early help, strategy discussion; median 2)
 * Early help: K3's episode opened Fri 8 May with 2 children (4 working days from 5 May); a partner's on 15 Jun
 *   → May 2 (median 4), Jun 1 (no contact: no time)
 * Referrals: Ann 15 Apr from K1 (2 working days), assessed; Bea 26 May from K4 (2), not assessed; Cal 2 Jun direct,
 *   assessed → Apr 1, May 1, Jun 1; 2 of 3 led to an assessment
 * Assessments completed: Ann's 15 Apr → Wed 20 May (25 working days), then a CIN plan; Cal's 2 → 12 Jun (9), no plan
 *   → May 1 (1 led to a plan), Jun 1 (0); 1 of 2 (50%)
 * Plans: Ann's CIN plan Thu 21 May (26 working days from the referral), Bea's CP plan Tue 9 Jun (11)
 * Closures: Cal's episode closed Tue 30 Jun, RC8 (21 working days from the referral)
 */

const h = databaseForFile();
const now = new Date('2026-12-07T10:00:00Z');
let scope: MeasureScope;
const ref: Record<string, string> = {};

beforeAll(async () => {
  const db = h.db;
  const las = await localAuthorityIds(db);
  const richmond = las.richmond;
  scope = { localAuthorityIds: [richmond], teamId: null, from: '2026-04-01', to: '2026-06-30' };
  const at = await teamId(db, 'Assessment Team');
  const officer = await userIdFor(db, 'contact-officer');
  const sw = await userIdFor(db, 'social-worker');
  const child = (givenName: string) => aChild(db, { givenName, familyName: 'Pathway' }).then((c) => c.id);
  const [ann, bea, cal, dan, eve, fay] = [
    await child('Ann'),
    await child('Bea'),
    await child('Cal'),
    await child('Dan'),
    await child('Eve'),
    await child('Fay'),
  ];
  const contact = async (name: string, input: Omit<Parameters<typeof aContactRecord>[1], 'userId'>) => {
    const c = await aContactRecord(db, { userId: officer, ...input });
    ref[name] = c.reference;
    return c.contactId;
  };
  const k1 = await contact('K1', {
    localAuthorityId: richmond,
    receivedAt: '2026-04-14T09:00:00Z',
    childId: ann,
    decision: { outcome: 'social-care', decidedAt: '2026-04-15T10:00:00Z', routedTeamId: at },
  });
  await contact('K2', {
    localAuthorityId: richmond,
    receivedAt: '2026-04-30T23:30:00Z',
    childId: dan,
    decision: { outcome: 'nfa', decidedAt: '2026-05-01T10:00:00Z' },
  });
  const k3 = await contact('K3', {
    localAuthorityId: richmond,
    receivedAt: '2026-05-05T09:00:00Z',
    childId: eve,
    decision: { outcome: 'early-help', decidedAt: '2026-05-07T09:00:00Z' },
  });
  const k4 = await contact('K4', {
    localAuthorityId: richmond,
    receivedAt: '2026-05-22T09:00:00Z',
    childId: bea,
    decision: { outcome: 'strategy-discussion', decidedAt: '2026-05-26T09:00:00Z', routedTeamId: at },
  });
  await contact('K5', { localAuthorityId: richmond, receivedAt: '2026-06-10T09:00:00Z' });
  await contact('K6', {
    localAuthorityId: las.kingston,
    receivedAt: '2026-05-12T09:00:00Z',
    decision: { outcome: 'nfa', decidedAt: '2026-05-12T11:00:00Z' },
  });
  await contact('K7', {
    localAuthorityId: richmond,
    receivedAt: '2026-03-31T09:00:00Z',
    childId: fay,
    decision: { outcome: 'social-care', decidedAt: '2026-04-01T09:00:00Z', routedTeamId: at },
  });

  await anEarlyHelpRecord(db, {
    localAuthorityId: richmond,
    childIds: [eve, await child('Gus')],
    openedOn: '2026-05-08',
    sourceContactId: k3,
  });
  await anEarlyHelpRecord(db, {
    localAuthorityId: richmond,
    childIds: [await child('Hal')],
    openedOn: '2026-06-15',
  });

  const episode = async (name: string, childId: string, referralDate: string, more = {}) => {
    const id = await anEpisodeRecord(db, {
      childId,
      localAuthorityId: richmond,
      referralDate,
      teamId: at,
      ...more,
    });
    ref[name] = await referenceOf(db, id);
    return id;
  };
  const annEp = await episode('Ann', ann, '2026-04-15', { sourceContactId: k1 });
  await anAssessmentRecord(db, annEp, { startDate: '2026-04-15', authorisedOn: '2026-05-20', userId: sw });
  await aCinPlanRecord(db, annEp, { startDate: '2026-05-21', reviews: [], userId: sw });
  const beaEp = await episode('Bea', bea, '2026-05-26', { sourceContactId: k4 });
  const conf = await aConferenceRecord(db, beaEp, { heldOn: '2026-06-09', userId: sw });
  await aCpPlanRecord(db, beaEp, { conferenceId: conf, startDate: '2026-06-09', category: 'NEG' });
  const calEp = await episode('Cal', cal, '2026-06-02', { closureDate: '2026-06-30', closureReason: 'RC8' });
  await anAssessmentRecord(db, calEp, { startDate: '2026-06-02', authorisedOn: '2026-06-12', userId: sw });
});

const analyst = async () => readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
async function figures(s = scope) {
  const all = await pathwayFigures(await analyst(), s);
  return Object.fromEntries(all.map((f) => [f.stage.id, f])) as Record<PathwayStageId, (typeof all)[number]>;
}
const monthly = (f: Awaited<ReturnType<typeof figures>>[PathwayStageId]) =>
  f.months.map((m) => [m.month, m.total, m.counted, m.median]);

async function refsBehind(
  stage: PathwayStageId,
  filter: { group?: string; counted?: 'yes' | 'no' },
  s = scope,
) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'team-manager'), now);
  const { rows, total } = await pathwayChildren(ctx, stage, s, filter, 'all');
  expect(rows).toHaveLength(total);
  return rows.map((r) => r.ref).sort();
}
const refsOf = (...names: string[]) => names.map((n) => ref[n]).sort();

describe('the pathway month by month, against a hand count', () => {
  it('working days as the calendar counts them across the May bank holidays', () => {
    expect(calendar.workingDaysBetween('2026-04-15', '2026-05-20')).toBe(25);
    expect(calendar.workingDaysBetween('2026-04-15', '2026-05-21')).toBe(26);
    expect(calendar.workingDaysBetween('2026-05-22', '2026-05-26')).toBe(2);
    expect(calendar.workingDaysBetween('2026-05-26', '2026-06-09')).toBe(11);
    expect(calendar.workingDaysBetween('2026-06-02', '2026-06-30')).toBe(21);
  });

  it('counts every stage, each month, with the median working days each took', async () => {
    const f = await figures();
    expect(monthly(f.contacts)).toEqual([
      ['2026-04', 1, 1, null],
      ['2026-05', 3, 1, null],
      ['2026-06', 1, 0, null],
    ]);
    expect(monthly(f.decisions)).toEqual([
      ['2026-04', 2, 2, 2],
      ['2026-05', 3, 3, 2],
      ['2026-06', 0, 0, null],
    ]);
    expect(f.decisions.all.groups).toEqual({
      'social-care': 2,
      nfa: 1,
      'early-help': 1,
      'strategy-discussion': 1,
    });
    expect(f.decisions.months[1]!.groups).toEqual({ nfa: 1, 'early-help': 1, 'strategy-discussion': 1 });
    expect(monthly(f['early-help'])).toEqual([
      ['2026-04', 0, 0, null],
      ['2026-05', 2, 2, 4],
      ['2026-06', 1, 1, null],
    ]);
    expect(monthly(f.referrals)).toEqual([
      ['2026-04', 1, 1, 2],
      ['2026-05', 1, 0, 2],
      ['2026-06', 1, 1, null],
    ]);
    expect(monthly(f.assessments)).toEqual([
      ['2026-04', 0, 0, null],
      ['2026-05', 1, 1, 25],
      ['2026-06', 1, 0, 9],
    ]);
    expect(monthly(f.plans)).toEqual([
      ['2026-04', 0, 0, null],
      ['2026-05', 1, 1, 26],
      ['2026-06', 1, 1, 11],
    ]);
    expect(f.plans.months.map((m) => m.groups)).toEqual([{}, { cin: 1 }, { cp: 1 }]);
    expect(monthly(f.closures)).toEqual([
      ['2026-04', 0, 0, null],
      ['2026-05', 0, 0, null],
      ['2026-06', 1, 1, 21],
    ]);
  });

  it('conversion rates: contacts that became referrals, and assessments that led to a plan', async () => {
    const f = await figures();
    expect([f.contacts.all.counted, f.contacts.all.total, f.contacts.all.percent]).toEqual([2, 5, 40]);
    expect(f.contacts.months[1]!.percent).toBe(33.3);
    expect(await refsBehind('contacts', { counted: 'yes' })).toEqual(refsOf('K1', 'K4'));
    expect([f.referrals.all.counted, f.referrals.all.total]).toEqual([2, 3]);
    expect([f.assessments.all.counted, f.assessments.all.total, f.assessments.all.percent]).toEqual([
      1, 2, 50,
    ]);
    expect(await refsBehind('assessments', { counted: 'yes' })).toEqual(refsOf('Ann'));
  });

  it('each month’s figure lists exactly the records counted (the month’s drill-down)', async () => {
    const f = await figures();
    const ctx = await analyst();
    for (const id of PATHWAY_STAGE_IDS)
      for (const m of f[id].months) {
        const month = { ...scope, ...monthDates(m.month, scope) };
        const all = await pathwayChildren(ctx, id, month, {}, 'all');
        expect(all.total, `${id} ${m.month}`).toBe(m.total);
        const counted = await pathwayChildren(ctx, id, month, { counted: 'yes' }, 'all');
        expect(counted.total, `${id} ${m.month}`).toBe(m.counted);
      }
    const may = { ...scope, ...monthDates('2026-05', scope) };
    expect(await refsBehind('contacts', {}, may)).toEqual(refsOf('K2', 'K3', 'K4'));
    // K5's child is not matched to a record: listed and counted, not named.
    const june = { ...scope, ...monthDates('2026-06', scope) };
    const k5 = await pathwayChildren(ctx, 'contacts', june, {}, 'all');
    expect(k5.rows.map((r) => [r.ref, r.childId, r.name])).toEqual([[ref.K5, null, null]]);
  });

  it('the team filter: contacts and decisions routed to the team, episodes of the team', async () => {
    const team = { ...scope, teamId: await teamId(h.db, 'Assessment Team') };
    const f = await figures(team);
    expect([f.contacts.all.total, f.contacts.all.counted]).toEqual([2, 2]);
    expect(f.decisions.all.total).toBe(3);
    expect(f['early-help'].all.total).toBe(0);
    expect(f.referrals.all.total).toBe(3);
  });

  it('cannot be used without the reporting permission', async () => {
    const ctx = readContextFor(h.db, await userFor(h.db, 'social-worker'), now);
    await expect(pathwayFigures(ctx, scope)).rejects.toThrow();
  });
});
