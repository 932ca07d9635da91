import { beforeAll, describe, expect, it } from 'vitest';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { aChild } from '../../../test/builders/people.ts';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import {
  aHolding,
  aStaffMember,
  aSupervisionSession,
  aTeam,
  aTrainingRecord,
} from '../../../test/builders/workforce.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, NotFoundError } from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { localAuthorityId } from '../../../test/builders/people.ts';
import {
  workersBehindFigure,
  workforceFiguresByTeam,
  workforceOverTime,
  workforceScope,
} from './workforce-figures.service.ts';

// Tuesday 24 November 2026.
const now = new Date('2026-11-24T10:00:00Z');
const file = databaseForFile();
let sm: CurrentUser;
let psw: CurrentUser;
let team: string;
const names: Record<string, string> = {};

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>) =>
  run(file.db, (trx) => fn(contextFor(trx, user, now)));

/**
 * The Hand Count Team (funded 6 FTE), by hand, on 24 November 2026 (monthly supervision; the "too high" level
 * set to 2 so that the bands are exercised):
 *
 * | Worker | Contract, FTE | In post | Children (weight) | Last supervision → due | Registration | ASYE | Training 12m |
 * |---|---|---|---|---|---|---|---|
 * | Alice | permanent 1 | yes | CP 1.5 + other 1 = 2.5 above | 10 Nov → 10 Dec in time | 1 Dec: due | passed Feb 2026 | 1, 6 h |
 * | Bob | agency 0.5, from 15 Mar 2026 | yes | CP 1.5: half to ¾ | none (account 1 Jan) → overdue | 2027: in date | – | – |
 * | Cara | permanent 1 | left 31 Aug 2026 | – | – | – | – | – |
 * | Dev | permanent 1, from 5 Jan 2026 | yes | none | 20 Oct → 20 Nov overdue | not recorded | in progress, 6-month overdue | – |
 * | Eve | no profile (account June 2025) | yes | none | 24 Oct → 24 Nov (today) in time | not recorded | – | – |
 * | Fin | fixed term 0.8 | yes | none | 23 Oct → 23 Nov (Mon) overdue | 20 Nov: lapsed | – | Oct 2025: too old |
 */
beforeAll(async () => {
  team = await aTeam(file.db, 'Hand Count Team', {
    parent: 'Children in Need and Protection Service',
    funded: 6,
  });
  sm = await userFor(file.db, 'service-manager');
  psw = await userFor(file.db, 'principal-social-worker');
  const tm = await userFor(file.db, 'team-manager');
  const staff = (name: string, options: Parameters<typeof aStaffMember>[3]) =>
    aStaffMember(file.db, team, name, options).then((id) => (names[name] = id));
  const alice = await staff('Alice Able', {
    profile: {
      startedOn: '2020-01-01',
      sweRenewalOn: '2026-12-01',
      asyeStatus: 'passed',
      asyeStartedOn: '2025-01-10',
      asyeOutcomeOn: '2026-02-01',
    },
  });
  const bob = await staff('Bob Brook', {
    createdAt: new Date('2026-01-01T09:00:00Z'),
    profile: { contractType: 'agency-locum', fte: 0.5, startedOn: '2026-03-15', sweRenewalOn: '2027-06-01' },
  });
  await staff('Cara Cole', { profile: { startedOn: '2019-01-01', leftOn: '2026-08-31' } });
  const dev = await staff('Dev Dunn', {
    profile: { startedOn: '2026-01-05', asyeStatus: 'in-progress', asyeStartedOn: '2026-01-05' },
  });
  const eve = await staff('Eve Eden', { createdAt: new Date('2025-06-01T09:00:00Z'), profile: null });
  const fin = await staff('Fin Ford', {
    profile: { contractType: 'fixed-term', fte: 0.8, startedOn: '2025-01-01', sweRenewalOn: '2026-11-20' },
  });
  await file.db
    .insertInto('asyeReviews')
    .values({
      userId: dev,
      reviewPoint: '3-month',
      heldOn: '2026-04-08',
      progress: 'Settling in well',
      recordedAt: now,
      recordedBy: tm.id,
    })
    .execute();
  const cp = await aCinEpisode(file.db, { child: { givenName: 'Carys', familyName: 'Count' } });
  await aCpPlan(file.db, cp.episodeId);
  const other = await aChild(file.db, { givenName: 'Otto', familyName: 'Count' });
  await aHolding(file.db, alice, cp.child.id, { teamId: team });
  await aHolding(file.db, alice, other.id, { teamId: team });
  await aHolding(file.db, bob, cp.child.id, { teamId: team });
  for (const [who, on] of [
    [alice, '2026-11-10'],
    [dev, '2026-10-20'],
    [eve, '2026-10-24'],
    [fin, '2026-10-23'],
  ] as const)
    await aSupervisionSession(file.db, tm.id, who, on);
  await aTrainingRecord(file.db, alice, '2026-05-01', 6);
  await aTrainingRecord(file.db, fin, '2025-10-01', 3);
  await file.db
    .insertInto('caseloadSettings')
    .values({
      localAuthorityId: await localAuthorityId(file.db),
      weightChildProtection: 1.5,
      weightChildInNeed: 1,
      weightAssessment: 1,
      weightEarlyHelp: 0.5,
      weightLargeSiblingGroup: 0.5,
      largeSiblingGroupSize: 4,
      tooHigh: 2,
      updatedAt: now,
    })
    .execute();
});

describe('workforce figures, proven against a count by hand', () => {
  it('counts stability, caseloads, supervision, ASYE, registrations and training for the team', async () => {
    const rows = await as(sm, async (ctx) => workforceFiguresByTeam(ctx, await workforceScope(ctx, team)));
    const [hand, all] = rows;
    expect(rows).toHaveLength(2);
    expect(all!.teamId).toBeNull();
    expect(hand).toMatchObject({
      teamId: team,
      teamName: 'Hand Count Team',
      fundedPosts: 6,
      inPost: 5,
      fteInPost: 4.3,
      contracts: { permanent: 2, 'agency-locum': 1, 'fixed-term': 1, secondment: 0, 'not-recorded': 1 },
      leavers: 1,
      leaversFte: 1,
      vacancies: 1.7,
      caseHolders: 5,
      bands: { none: 3, 'up-to-half': 0, 'half-to-three-quarters': 1, 'up-to-level': 0, above: 1 },
      childrenHeld: 3,
      supervision: { 'in-time': 2, overdue: 3 },
      asye: { 'in-progress': 1, extended: 0, 'review-overdue': 1, passed: 1, failed: 0 },
      registration: { lapsed: 1, due: 1, 'in-date': 1, 'not-recorded': 2 },
      withTraining: 1,
      trainingRecords: 1,
      trainingHours: 6,
    });
    // One team asked for: the "All teams" row is that team's figures.
    expect({ ...all, teamId: team, teamName: 'Hand Count Team' }).toEqual(hand);
  });

  it('lists the workers behind each figure, the same as the counts', async () => {
    const behind = (figure: Parameters<typeof workersBehindFigure>[2]) =>
      as(sm, async (ctx) =>
        workersBehindFigure(ctx, await workforceScope(ctx, team), figure, { limit: 25, offset: 0 }),
      );
    const namesOf = (r: { rows: { displayName: string }[] }) => r.rows.map((w) => w.displayName);
    expect(namesOf(await behind({ figure: 'supervision', value: 'overdue' }))).toEqual([
      'Bob Brook',
      'Dev Dunn',
      'Fin Ford',
    ]);
    expect(namesOf(await behind({ figure: 'contract', value: 'not-recorded' }))).toEqual(['Eve Eden']);
    expect(namesOf(await behind({ figure: 'leavers' }))).toEqual(['Cara Cole']);
    expect(namesOf(await behind({ figure: 'caseload', value: 'above' }))).toEqual(['Alice Able']);
    expect(namesOf(await behind({ figure: 'registration', value: 'lapsed' }))).toEqual(['Fin Ford']);
    expect(namesOf(await behind({ figure: 'asye', value: 'review-overdue' }))).toEqual(['Dev Dunn']);
    expect(namesOf(await behind({ figure: 'training', value: 'none' }))).toEqual([
      'Bob Brook',
      'Dev Dunn',
      'Eve Eden',
      'Fin Ford',
    ]);
    const paged = await as(sm, async (ctx) =>
      workersBehindFigure(
        ctx,
        await workforceScope(ctx, team),
        { figure: 'in-post' },
        { limit: 2, offset: 2 },
      ),
    );
    expect(paged.total).toBe(5);
    expect(namesOf(paged)).toEqual(['Dev Dunn', 'Eve Eden']);
    const alice = (await behind({ figure: 'caseload', value: 'above' })).rows[0]!;
    expect(alice).toMatchObject({ children: 2, weighted: 2.5, trainingRecords: 1, trainingHours: 6 });
  });

  it('follows stability month by month: who was in post at each month end, starters and leavers', async () => {
    const months = await as(sm, async (ctx) => workforceOverTime(ctx, await workforceScope(ctx, team)));
    expect(months.map((m) => m.onDate)).toEqual([
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-24',
    ]);
    const at = (d: string) => months.find((m) => m.onDate === d)!;
    // December 2025: Alice, Cara, Eve (no profile) and Fin.
    expect(at('2025-12-31')).toMatchObject({ inPost: 4, permanent: 2, agencyLocum: 0, starters: 0 });
    expect(at('2026-01-31')).toMatchObject({ inPost: 5, starters: 1 });
    expect(at('2026-03-31')).toMatchObject({ inPost: 6, agencyLocum: 1, starters: 1, fteInPost: 5.3 });
    expect(at('2026-08-31')).toMatchObject({ inPost: 5, leavers: 1, vacancies: 1.7 });
    expect(at('2026-11-24')).toMatchObject({ inPost: 5, fteInPost: 4.3, vacancies: 1.7, leavers: 0 });
  });

  it('counts vacancies each month against the funded posts in force that month (the team’s history)', async () => {
    // By hand: funded 5 until 14 March 2026, 4 from 15 March, 6 from 1 September. FTE in post at each month end:
    // Dec 3.8 (Alice, Cara, Eve, Fin 0.8), Jan 4.8 (+ Dev), Mar 5.3 (+ Bob 0.5), Aug 4.3 (Cara left), Nov 4.3.
    await file.db
      .insertInto('teamFundedPosts')
      .values([
        { teamId: team, fromDate: '2000-01-01', fundedPosts: 5, recordedAt: now },
        { teamId: team, fromDate: '2026-03-15', fundedPosts: 4, recordedAt: now },
        { teamId: team, fromDate: '2026-09-01', fundedPosts: 6, recordedAt: now },
      ])
      .execute();
    try {
      const months = await as(sm, async (ctx) => workforceOverTime(ctx, await workforceScope(ctx, team)));
      const at = (d: string) => months.find((m) => m.onDate === d)!;
      expect(at('2025-12-31')).toMatchObject({ fteInPost: 3.8, vacancies: 1.2 });
      expect(at('2026-02-28')).toMatchObject({ fteInPost: 4.8, vacancies: 0.2 });
      expect(at('2026-03-31')).toMatchObject({ fteInPost: 5.3, vacancies: 0 });
      expect(at('2026-08-31')).toMatchObject({ fteInPost: 4.3, vacancies: 0 });
      expect(at('2026-09-30')).toMatchObject({ fteInPost: 4.3, vacancies: 1.7 });
      expect(at('2026-11-24')).toMatchObject({ vacancies: 1.7 });
    } finally {
      await file.db.deleteFrom('teamFundedPosts').where('teamId', '=', team).execute();
    }
  });

  it('shows the principal social worker every team of the authority, and nobody without the permission', async () => {
    const scope = await as(psw, (ctx) => workforceScope(ctx));
    expect(scope.teams.map((t) => t.name)).toContain('Hand Count Team');
    expect(scope.teams.map((t) => t.name)).toContain('Early Help Service');
    // The service manager sees the teams under the service they manage, not early help.
    const smScope = await as(sm, (ctx) => workforceScope(ctx));
    expect(smScope.teams.map((t) => t.name)).toContain('Hand Count Team');
    expect(smScope.teams.map((t) => t.name)).not.toContain('Early Help Service');
    const earlyHelp = await file.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', 'Early Help Service')
      .executeTakeFirstOrThrow();
    await expect(as(sm, (ctx) => workforceScope(ctx, earlyHelp.id))).rejects.toBeInstanceOf(NotFoundError);
    const tm = await userFor(file.db, 'team-manager');
    await expect(as(tm, (ctx) => workforceScope(ctx))).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
