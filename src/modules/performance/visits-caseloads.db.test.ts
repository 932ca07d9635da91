import { beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import { clusterId } from '../../../test/builders/early-help.ts';
import {
  aCinPlanRecord,
  aConferenceRecord,
  aContactRecord,
  aCpPlanRecord,
  anEarlyHelpRecord,
  anEpisodeRecord,
  aStepUpRecord,
  aVisitRecord,
  referenceOf,
} from '../../../test/builders/performance.ts';
import type { MeasureId } from './measures.ts';
import { childrenBehind, dashboardFigures, measureFigure } from './performance.service.ts';
import type { MeasureScope } from './measures.repository.ts';

/**
 * The visit measures, children seen alone, caseloads per worker, and the worker and cluster filters, against a hand
 * count for 1 April to 30 November 2026 in Richmond (CP visits every 10 working days, CIN visits every 20):
 *
 * V1 CP plan from Tue 12 May 2026. Visits (working days from the previous seen visit or the plan start, both counted):
 *    Tue 19 May, seen alone: 6 from 12 May: within (first)
 *    Tue 2 Jun, seen alone: 10 from 19 May (25 May is the spring bank holiday; weekdays alone would give 11): within
 *    Wed 3 Jun, not seen: not a visit for the measures
 *    Wed 17 Jun, seen not alone: 12 from 2 Jun: late
 * V3 CP plan from Mon 2 Mar 2026. Visits:
 *    Fri 27 Mar, before the period: not counted, but the clock runs from it
 *    Thu 2 Apr, seen not alone: 5 from 27 Mar: within (later)
 *    Thu 16 Apr, seen alone: 9 from 2 Apr (Good Friday 3 Apr and Easter Monday 6 Apr are bank holidays; weekdays
 *    alone would give 11): within
 *    → CP visits 4 of 5 within (first 1 of 1, later 3 of 4)
 * V2 CIN plan from Mon 1 Jun 2026. Visits:
 *    Mon 29 Jun, seen alone: 21 from 1 Jun: late (within if the authority's interval were 21)
 *    Fri 24 Jul, seen not alone: 20 from 29 Jun: within
 *    → CIN visits 1 of 2 (first 0 of 1, later 1 of 1)
 * AS an assessment visit on 10 Sep 2026, seen alone
 *    → seen alone 5 of 8: CP 3 of 5, CIN 1 of 2, assessment 1 of 1
 *
 * Allocations (allocated worker) open on 30 November:
 *    the social worker: V1's child (from 1 May), V3's child (from 10 Apr), and 9 more (one of them allocated twice):
 *    11 children; not counted: a child whose allocation ended on 30 Sep, one from 1 Dec, a co-worker allocation
 *    the early help practitioner (the Richmond and Kew cluster's team): 2 children
 *    a team allocation with no worker: not counted
 *    → 13 children: 11 held by a worker with 11 to 15, 2 by a worker with 1 to 10
 *    → the worker filter on CP visits (the social worker): V1's 3 visits and V3's 16 April visit: 3 of 4
 *
 * Step-ups in the period: one from an episode of the Richmond and Kew cluster, one from Twickenham and Teddington.
 */

const h = databaseForFile();
const now = new Date('2026-12-07T10:00:00Z');
let scope: MeasureScope;
let richmond: string;
let sw: string;
const refs: Record<string, string> = {};

beforeAll(async () => {
  const db = h.db;
  const las = await localAuthorityIds(db);
  richmond = las.richmond;
  scope = { localAuthorityIds: [richmond], teamId: null, from: '2026-04-01', to: '2026-11-30' };
  await db
    .insertInto('socialCareSettings')
    .values({ localAuthorityId: richmond, cinVisitIntervalWorkingDays: 20, cpVisitIntervalWorkingDays: 10 })
    .onConflict((oc) =>
      oc
        .column('localAuthorityId')
        .doUpdateSet({ cinVisitIntervalWorkingDays: 20, cpVisitIntervalWorkingDays: 10 }),
    )
    .execute();
  const assessmentTeam = await teamId(db, 'Assessment Team');
  sw = await userIdFor(db, 'social-worker');
  const child = (givenName: string) => aChild(db, { givenName, familyName: 'Visits' });
  const episode = async (name: string, childId: string) => {
    const id = await anEpisodeRecord(db, {
      childId,
      localAuthorityId: richmond,
      referralDate: '2026-01-05',
      teamId: assessmentTeam,
    });
    refs[name] = await referenceOf(db, id);
    return id;
  };
  const visit = (
    episodeId: string,
    visitedOn: string,
    planKind: 'cp' | 'cin' | 'assessment',
    seen?: 'alone' | 'not-alone' | 'not-seen',
  ) => aVisitRecord(db, episodeId, { visitedOn, planKind, seen, userId: sw });

  const v1Child = await child('Vera');
  const v1 = await episode('V1', v1Child.id);
  const v1Conf = await aConferenceRecord(db, v1, { heldOn: '2026-05-12', userId: sw });
  await aCpPlanRecord(db, v1, { conferenceId: v1Conf, startDate: '2026-05-12', category: 'NEG' });
  await visit(v1, '2026-05-19', 'cp', 'alone');
  await visit(v1, '2026-06-02', 'cp', 'alone');
  await visit(v1, '2026-06-03', 'cp', 'not-seen');
  await visit(v1, '2026-06-17', 'cp', 'not-alone');

  const v3Child = await child('Vic');
  const v3 = await episode('V3', v3Child.id);
  const v3Conf = await aConferenceRecord(db, v3, { heldOn: '2026-03-02', userId: sw });
  await aCpPlanRecord(db, v3, { conferenceId: v3Conf, startDate: '2026-03-02', category: 'PHY' });
  await visit(v3, '2026-03-27', 'cp', 'alone');
  await visit(v3, '2026-04-02', 'cp', 'not-alone');
  await visit(v3, '2026-04-16', 'cp', 'alone');

  const v2 = await episode('V2', (await child('Val')).id);
  await aCinPlanRecord(db, v2, { startDate: '2026-06-01', reviews: [], userId: sw });
  await visit(v2, '2026-06-29', 'cin', 'alone');
  await visit(v2, '2026-07-24', 'cin', 'not-alone');

  const as = await episode('AS', (await child('Ash')).id);
  await visit(as, '2026-09-10', 'assessment', 'alone');

  // Allocations
  await anAllocation(db, v1Child, { role: 'social-worker' }, '2026-05-01');
  await anAllocation(db, v3Child, { role: 'social-worker' }, '2026-04-10');
  for (let i = 1; i <= 9; i++) {
    const c = await child(`Case${i}`);
    await anAllocation(db, c, { role: 'social-worker' }, '2026-06-01');
    if (i === 1) await anAllocation(db, c, { role: 'social-worker' }, '2026-07-01');
  }
  const ended = await anAllocation(db, await child('Ended'), { role: 'social-worker' }, '2026-06-01');
  await db.updateTable('allocations').set({ endedOn: '2026-09-30' }).where('id', '=', ended).execute();
  await anAllocation(db, await child('Later'), { role: 'social-worker' }, '2026-12-01');
  await anAllocation(
    db,
    await child('Co'),
    { role: 'social-worker', allocationRole: 'co-worker' },
    '2026-06-01',
  );
  await anAllocation(db, await child('Eh1'), { role: 'early-help-practitioner' }, '2026-06-01');
  await anAllocation(db, await child('Eh2'), { role: 'early-help-practitioner' }, '2026-06-01');
  await anAllocation(db, await child('TeamOnly'), { teamName: 'Assessment Team' }, '2026-06-01');

  // Step-ups from two clusters
  for (const [name, cluster] of [
    ['Sue', 'Richmond and Kew'],
    ['Sam', 'Twickenham and Teddington'],
  ] as const) {
    const c = await child(name);
    const eh = await anEarlyHelpRecord(db, {
      localAuthorityId: richmond,
      childIds: [c.id],
      openedOn: '2026-04-06',
      clusterId: await clusterId(db, cluster),
    });
    const { contactId } = await aContactRecord(db, {
      localAuthorityId: richmond,
      receivedAt: '2026-07-01T10:00:00Z',
      childId: c.id,
      userId: sw,
    });
    await aStepUpRecord(db, { episodeId: eh, contactId, steppedUpAt: '2026-07-01T10:00:00Z', userId: sw });
  }
});

async function figure(id: MeasureId, s = scope) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
  return measureFigure(ctx, id, s);
}
const groupsOf = (f: Awaited<ReturnType<typeof figure>>) =>
  Object.fromEntries(f.groups.filter((g) => g.total).map((g) => [g.key, [g.counted, g.total]]));
async function rowsOf(id: MeasureId, filter: { group?: string; counted?: 'yes' | 'no' } = {}, s = scope) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'team-manager'), now);
  const { rows, total } = await childrenBehind(ctx, id, s, filter, 'all');
  expect(rows).toHaveLength(total);
  return rows;
}
const refsBehind = async (
  id: MeasureId,
  filter: { group?: string; counted?: 'yes' | 'no' } = {},
  s = scope,
) => (await rowsOf(id, filter, s)).map((r) => `${r.ref} ${r.eventOn}`).sort();

describe('visits, children seen alone and caseloads, against a hand count', () => {
  it('working days in SQL agree with the calendar across the Easter and spring bank holidays', () => {
    expect(calendar.workingDaysBetween('2026-05-19', '2026-06-02')).toBe(10);
    expect(calendar.workingDaysBetween('2026-04-02', '2026-04-16')).toBe(9);
    expect(calendar.addWorkingDays('2026-05-19', 10)).toBe('2026-06-02');
  });

  it('child protection visits within the authority’s standard, counted in working days', async () => {
    const f = await figure('cp-visits-on-time');
    expect([f.counted, f.total]).toEqual([4, 5]);
    expect(groupsOf(f)).toEqual({ first: [1, 1], later: [3, 4] });
    expect(await refsBehind('cp-visits-on-time', { counted: 'no' })).toEqual([`${refs.V1} 2026-06-17`]);
    const days = Object.fromEntries((await rowsOf('cp-visits-on-time')).map((r) => [r.eventOn, r.days]));
    expect(days).toEqual({
      '2026-04-02': 5,
      '2026-04-16': 9,
      '2026-05-19': 6,
      '2026-06-02': 10,
      '2026-06-17': 12,
    });
  });

  it('child in need visits within the authority’s interval, which the authority sets', async () => {
    const f = await figure('cin-visits-on-time');
    expect(groupsOf(f)).toEqual({ first: [0, 1], later: [1, 1] });
    expect(await refsBehind('cin-visits-on-time', { counted: 'no' })).toEqual([`${refs.V2} 2026-06-29`]);
    await h.db
      .updateTable('socialCareSettings')
      .set({ cinVisitIntervalWorkingDays: 21 })
      .where('localAuthorityId', '=', richmond)
      .execute();
    try {
      expect((await figure('cin-visits-on-time')).counted).toBe(2);
    } finally {
      await h.db
        .updateTable('socialCareSettings')
        .set({ cinVisitIntervalWorkingDays: 20 })
        .where('localAuthorityId', '=', richmond)
        .execute();
    }
  });

  it('children seen alone at visits, by the plan at the visit (visits where the child was not seen left out)', async () => {
    const f = await figure('seen-alone');
    expect([f.counted, f.total]).toEqual([5, 8]);
    expect(groupsOf(f)).toEqual({ cp: [3, 5], cin: [1, 2], assessment: [1, 1] });
    expect(await refsBehind('seen-alone', { group: 'assessment' })).toEqual([`${refs.AS} 2026-09-10`]);
  });

  it('caseloads per worker: children allocated on the last day, banded by the worker’s caseload', async () => {
    const f = await figure('caseloads');
    expect([f.total, groupsOf(f)]).toEqual([13, { '01-10': [2, 2], '11-15': [11, 11] }]);
    const mine = await rowsOf('caseloads', {}, { ...scope, workerId: sw });
    expect(mine).toHaveLength(11);
    expect(new Set(mine.map((r) => r.days))).toEqual(new Set([11]));
    expect(new Set(mine.map((r) => r.grp))).toEqual(new Set(['11-15']));
    const team = await figure('caseloads', { ...scope, teamId: await teamId(h.db, 'Assessment Team') });
    expect(team.total).toBe(11);
  });

  it('the worker filter counts the records of children allocated to the worker on the record’s date', async () => {
    const f = await figure('cp-visits-on-time', { ...scope, workerId: sw });
    expect([f.counted, f.total]).toEqual([3, 4]);
    const other = await figure('cp-visits-on-time', {
      ...scope,
      workerId: await userIdFor(h.db, 'early-help-practitioner'),
    });
    expect(other.total).toBe(0);
  });

  it('the cluster filter counts an early help cluster’s step-ups and its teams’ caseloads', async () => {
    const rk = { ...scope, clusterId: await clusterId(h.db, 'Richmond and Kew') };
    expect((await figure('step-ups')).total).toBe(2);
    expect((await figure('step-ups', rk)).total).toBe(1);
    expect(groupsOf(await figure('caseloads', rk))).toEqual({ '01-10': [2, 2] });
  });

  it('every new figure equals the number of rows its drill-down lists, with a worker chosen too', async () => {
    const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
    for (const s of [scope, { ...scope, workerId: sw }]) {
      for (const f of await dashboardFigures(ctx, s)) {
        const all = await childrenBehind(ctx, f.measure.id, s, {}, 'all');
        expect(all.total, f.measure.id).toBe(f.total);
      }
    }
  });
});
