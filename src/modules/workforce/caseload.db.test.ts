import { beforeAll, describe, expect, it } from 'vitest';
import { contextFor, run, userFor } from '../../../test/builders/context.ts';
import { anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { aChild, aRelationship, localAuthorityId } from '../../../test/builders/people.ts';
import { aCinEpisode, aCpPlan, withCensusDetails } from '../../../test/builders/social-care.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { openCinReferral } from '../social-care/referral.service.ts';
import { allocateFromBoard, allocationBoard, boardAllocationForm } from './allocation.service.ts';
import { DEFAULT_CASELOAD_WEIGHTS } from './caseload.ts';
import {
  caseloadSettings,
  saveCaseloadSettings,
  teamCaseloads,
  workerCaseload,
  workersInLastYear,
} from './caseload.service.ts';
import { stabilitySummary } from './stability.summary.ts';

const now = new Date('2026-11-24T10:00:00Z');
const today = '2026-11-24';
const file = databaseForFile();
let sw: CurrentUser;
let tm: CurrentUser;
let ehManager: CurrentUser;
let mashManager: CurrentUser;
let ehp: CurrentUser;
let assessmentTeam: string;
let worker: { id: string; displayName: string };

const as = <T>(user: CurrentUser, fn: (ctx: ServiceContext) => Promise<T>) =>
  run(file.db, (trx) => fn(contextFor(trx, user, now)));

const version = async (episodeId: string) =>
  (
    await file.db
      .selectFrom('cinEpisodes')
      .select('version')
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow()
  ).version;

beforeAll(async () => {
  sw = await userFor(file.db, 'social-worker');
  tm = await userFor(file.db, 'team-manager');
  mashManager = await userFor(file.db, 'mash-manager');
  ehp = await userFor(file.db, 'early-help-practitioner');
  const ehManagerRow = await file.db
    .selectFrom('users')
    .select('id')
    .where('displayName', '=', 'Elena Marsh')
    .executeTakeFirstOrThrow();
  ehManager = (await loadCurrentUser(file.db, ehManagerRow.id, null))!;
  assessmentTeam = await teamId(file.db, 'Assessment Team');
  // A case holder of the Assessment Team of their own, so the hand counts below are theirs alone.
  const row = await file.db
    .insertInto('users')
    .values({
      email: 'wendy.hand@demo.threshold.test',
      displayName: 'Wendy Hand',
      jobTitle: 'Senior social worker',
      localAuthorityId: await localAuthorityId(file.db),
      teamId: assessmentTeam,
    })
    .returning(['id', 'displayName'])
    .executeTakeFirstOrThrow();
  await file.db.insertInto('userRoles').values({ userId: row.id, role: 'social-worker' }).execute();
  worker = row;
});

describe('caseloads, proven against a count by hand', () => {
  let cpChild: { id: string };
  let cpEpisode: string;

  it('counts each child once at the heaviest work, weighs them and flags a caseload over the level', async () => {
    // Held by the demo social worker first, then reallocated to Wendy from the board.
    const cp = await aCinEpisode(file.db, { child: { givenName: 'Carys', familyName: 'Plan' } });
    await aCpPlan(file.db, cp.episodeId);
    cpChild = cp.child;
    cpEpisode = cp.episodeId;
    const big = await aCinEpisode(file.db, { child: { givenName: 'Bea', familyName: 'Many' } });
    for (const name of ['Ann', 'Ben', 'Cal'])
      await aRelationship(
        file.db,
        big.child,
        await aChild(file.db, { givenName: name, familyName: 'Many' }),
        'sibling',
      );
    for (const e of [cp, big]) {
      const v = await version(e.episodeId);
      await as(tm, (ctx) =>
        allocateFromBoard(ctx, {
          teamId: assessmentTeam,
          kind: 'cin-episode',
          episodeId: e.episodeId,
          workerId: worker.id,
          reason: 'Sian is on leave for a month',
          version: v,
        }),
      );
    }
    // Two children in early help, held as lead practitioner; an ended allocation and a future one do not count.
    const d = await aChild(file.db, { givenName: 'Dee', familyName: 'Help' });
    const e = await aChild(file.db, { givenName: 'Eli', familyName: 'Help' });
    const gone = await aChild(file.db, { givenName: 'Gus', familyName: 'Gone' });
    const later = await aChild(file.db, { givenName: 'Lia', familyName: 'Later' });
    await file.db
      .insertInto('allocations')
      .values([
        {
          childId: d.id,
          workerId: worker.id,
          teamId: assessmentTeam,
          role: 'lead-practitioner',
          involvementType: 'early-help-episode',
          startedOn: '2026-10-01',
        },
        {
          childId: e.id,
          workerId: worker.id,
          teamId: assessmentTeam,
          role: 'lead-practitioner',
          involvementType: 'early-help-episode',
          startedOn: '2026-10-01',
        },
        // Dee is also held for social care assessment: counted once, at the heavier work
        {
          childId: d.id,
          workerId: worker.id,
          teamId: assessmentTeam,
          role: 'allocated-worker',
          startedOn: '2026-11-01',
        },
        {
          childId: gone.id,
          workerId: worker.id,
          teamId: assessmentTeam,
          role: 'allocated-worker',
          startedOn: '2026-01-01',
          endedOn: '2026-06-01',
        },
        {
          childId: later.id,
          workerId: worker.id,
          teamId: assessmentTeam,
          role: 'allocated-worker',
          startedOn: '2026-12-01',
        },
      ])
      .execute();

    // By hand: Carys CP 1.5; Bea assessment 1 + sibling group of 4: 0.5; Dee assessment 1; Eli early help 0.5.
    const { caseloads } = await as(tm, (ctx) => teamCaseloads(ctx, assessmentTeam));
    const wendy = caseloads.find((c) => c.id === worker.id)!;
    expect(wendy).toMatchObject({
      children: 4,
      byKind: { 'child-protection': 1, 'child-in-need': 0, assessment: 2, 'early-help': 1 },
      largeSiblingGroups: 1,
      weighted: 4.5,
      tooHigh: false,
    });
    // Sian no longer holds Carys or Bea: their allocations ended when they were reallocated.
    const sian = await as(sw, (ctx) => workerCaseload(ctx, { workerId: sw.id, page: 1 }));
    expect(sian.children.map((c) => c.childName)).not.toContain('Carys Plan');
    expect(sian.children.map((c) => c.childName)).not.toContain('Bea Many');

    // The authority's own weighting: CP 3, too high above 4 → Wendy is 6.0, too high.
    await as(tm, (ctx) =>
      saveCaseloadSettings(ctx, { ...DEFAULT_CASELOAD_WEIGHTS, childProtection: 3, tooHigh: 4, version: 0 }),
    );
    const after = await as(tm, (ctx) => workerCaseload(ctx, { workerId: worker.id, page: 1 }));
    expect(after.figures).toMatchObject({ children: 4, weighted: 6, tooHigh: true });
    expect(after.children.map((c) => `${c.childName}: ${c.kind}`)).toEqual([
      'Dee Help: assessment',
      'Eli Help: early-help',
      'Bea Many: assessment',
      'Carys Plan: child-protection',
    ]);
  });

  it('counts the workers a child has had in the last 12 months (stability), by hand', async () => {
    // Carys: Sian (ended today on reallocation), Wendy (now); Eve ended 1 December 2025 (in the window); Mo ended
    // 1 October 2025 (before 24 November 2025: out of it).
    const mash = await userFor(file.db, 'mash-practitioner');
    await file.db
      .insertInto('allocations')
      .values([
        {
          childId: cpChild.id,
          workerId: ehp.id,
          teamId: assessmentTeam,
          role: 'co-worker',
          startedOn: '2025-06-01',
          endedOn: '2025-12-01',
        },
        {
          childId: cpChild.id,
          workerId: mash.id,
          teamId: assessmentTeam,
          role: 'co-worker',
          startedOn: '2025-01-01',
          endedOn: '2025-10-01',
        },
      ])
      .execute();
    const { since, workers } = await workersInLastYear(file.db, cpChild.id, today);
    expect(since).toBe('2025-11-24');
    expect(workers.map((w) => w.displayName).sort()).toEqual(['Eve Halpern', 'Sian Walker', 'Wendy Hand']);
    const items = await run(file.db, (trx) =>
      stabilitySummary.openInvolvements!({ db: trx, user: sw, personId: cpChild.id, now, today }),
    );
    expect(items).toEqual([expect.objectContaining({ title: 'Workers in the last 12 months', status: '3' })]);
  });

  it('keeps the history and audits the reallocation with its reason', async () => {
    const rows = await file.db
      .selectFrom('allocations')
      .select(['workerId', 'endedOn'])
      .where('involvementId', '=', cpEpisode)
      .orderBy('startedOn')
      .orderBy('createdAt')
      .execute();
    expect(rows).toEqual([
      // the team the front door referred the child to, then Sian, then Wendy
      { workerId: null, endedOn: '2026-11-02' },
      { workerId: sw.id, endedOn: today },
      { workerId: worker.id, endedOn: null },
    ]);
    const events = await file.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('subjectId', '=', cpEpisode)
      .where('action', 'in', ['allocation-board.reallocated', 'cin-episode.allocated'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'cin-episode.allocated',
      'cin-episode.allocated',
      'allocation-board.reallocated',
    ]);
    expect(events[2]!.details).toMatchObject({
      workerId: worker.id,
      previousWorkerId: sw.id,
      reason: 'Sian is on leave for a month',
    });
  });
});

describe('the allocation board', () => {
  it('lists social care work with no worker (as the front door opens it) until it is allocated', async () => {
    const child = await aChild(file.db, { givenName: 'Una', familyName: 'Lloyd' });
    await withCensusDetails(file.db, child.id);
    const { id } = await as(mashManager, (ctx) =>
      openCinReferral(ctx, {
        childId: child.id,
        referralDate: '2026-11-20',
        referralSource: '2A',
        primaryNeedCode: 'N1',
        teamId: assessmentTeam,
      }),
    );
    const before = await as(tm, (ctx) => allocationBoard(ctx, { teamId: assessmentTeam, page: 1 }));
    expect(before.lists).toEqual({ socialCare: true, earlyHelp: false });
    expect(before.socialCare.rows.map((r) => r.id)).toContain(id);
    const form = await as(tm, (ctx) =>
      boardAllocationForm(ctx, { teamId: assessmentTeam, kind: 'cin-episode', episodeId: id }),
    );
    expect(form.episode.currentWorkerId).toBeNull();
    await as(tm, (ctx) =>
      allocateFromBoard(ctx, {
        teamId: assessmentTeam,
        kind: 'cin-episode',
        episodeId: id,
        workerId: sw.id,
        reason: 'Sian has capacity',
        version: form.episode.version,
      }),
    );
    const after = await as(tm, (ctx) => allocationBoard(ctx, { teamId: assessmentTeam, page: 1 }));
    expect(after.socialCare.rows.map((r) => r.id)).not.toContain(id);
    expect(after.socialCare.total).toBe(before.socialCare.total - 1);
  });

  it('lists early help with no lead practitioner on the early help team’s board, and allocates it', async () => {
    const { episode } = await anEarlyHelpEpisode(file.db, { now, lead: null });
    const ehTeam = await teamId(file.db, 'Early Help – Richmond and Kew cluster');
    const board = await as(ehManager, (ctx) => allocationBoard(ctx, { teamId: ehTeam, page: 1 }));
    expect(board.lists).toEqual({ socialCare: false, earlyHelp: true });
    const row = board.earlyHelp.rows.find((r) => r.id === episode.id)!;
    expect(row.children).toBe('Ellie Hart');
    const form = await as(ehManager, (ctx) =>
      boardAllocationForm(ctx, { teamId: ehTeam, kind: 'early-help-episode', episodeId: episode.id }),
    );
    await as(ehManager, (ctx) =>
      allocateFromBoard(ctx, {
        teamId: ehTeam,
        kind: 'early-help-episode',
        episodeId: episode.id,
        workerId: ehp.id,
        reason: 'Eve knows the school',
        version: form.episode.version,
      }),
    );
    const after = await as(ehManager, (ctx) => allocationBoard(ctx, { teamId: ehTeam, page: 1 }));
    expect(after.earlyHelp.rows.map((r) => r.id)).not.toContain(episode.id);
    const lead = await file.db
      .selectFrom('allocations')
      .select(['workerId', 'role'])
      .where('involvementId', '=', episode.id)
      .where('endedOn', 'is', null)
      .execute();
    expect(lead).toEqual([{ workerId: ehp.id, role: 'lead-practitioner' }]);
  });

  it('refuses a stale allocation form (409) and keeps the current worker', async () => {
    const e = await aCinEpisode(file.db, { child: { givenName: 'Val', familyName: 'Stale' } });
    const stale = await version(e.episodeId);
    await as(tm, (ctx) =>
      allocateFromBoard(ctx, {
        teamId: assessmentTeam,
        kind: 'cin-episode',
        episodeId: e.episodeId,
        workerId: worker.id,
        reason: 'First',
        version: stale,
      }),
    );
    await expect(
      as(tm, (ctx) =>
        allocateFromBoard(ctx, {
          teamId: assessmentTeam,
          kind: 'cin-episode',
          episodeId: e.episodeId,
          workerId: tm.id,
          reason: 'Second',
          version: stale,
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const current = await file.db
      .selectFrom('allocations')
      .select('workerId')
      .where('involvementId', '=', e.episodeId)
      .where('endedOn', 'is', null)
      .execute();
    expect(current).toEqual([{ workerId: worker.id }]);
  });

  it('is only for managers of the team: 403 without the permission, 404 for another team’s manager', async () => {
    await expect(
      as(sw, (ctx) => allocationBoard(ctx, { teamId: assessmentTeam, page: 1 })),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      as(mashManager, (ctx) => allocationBoard(ctx, { teamId: assessmentTeam, page: 1 })),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      as(mashManager, (ctx) =>
        allocateFromBoard(ctx, {
          teamId: assessmentTeam,
          kind: 'cin-episode',
          episodeId: crypto.randomUUID(),
          workerId: sw.id,
          reason: 'x',
          version: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    // A worker sees their own caseload; another practitioner does not (404).
    await expect(as(sw, (ctx) => workerCaseload(ctx, { workerId: sw.id, page: 1 }))).resolves.toBeTruthy();
    await expect(as(ehp, (ctx) => workerCaseload(ctx, { workerId: sw.id, page: 1 }))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('a team placed in no service', () => {
  it('still has a board for its manager, listing both social care and early help work (found at scale: was a 404)', async () => {
    const la = await localAuthorityId(file.db);
    const team = await file.db
      .insertInto('teams')
      .values({ localAuthorityId: la, name: 'Team in no service', managerUserId: tm.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const manager: CurrentUser = { ...tm, managedTeamIds: [...tm.managedTeamIds!, team.id] };
    const board = await as(manager, (ctx) => allocationBoard(ctx, { teamId: team.id, page: 1 }));
    expect(board.team).toMatchObject({ id: team.id, name: 'Team in no service', area: null });
    expect(board.socialCare.total).toBe(0);
    expect(board.earlyHelp.total).toBe(0);
    expect(board.caseloads).toEqual([]);
    expect(board.lists).toEqual({ socialCare: true, earlyHelp: true });
  });
});

describe('caseload weighting settings', () => {
  it('are versioned: a save from an older version is a conflict, and each save is audited', async () => {
    const s = await as(tm, (ctx) => caseloadSettings(ctx));
    expect(s.version).toBe(1);
    await as(tm, (ctx) => saveCaseloadSettings(ctx, { ...s.weights, tooHigh: 20, version: 1 }));
    await expect(
      as(tm, (ctx) => saveCaseloadSettings(ctx, { ...s.weights, tooHigh: 18, version: 1 })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await as(tm, (ctx) => caseloadSettings(ctx))).weights.tooHigh).toBe(20);
    const audit = await file.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'caseload-settings.changed')
      .orderBy('seq')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[1]!.details).toMatchObject({ after: { tooHigh: 20 } });
    await expect(as(sw, (ctx) => caseloadSettings(ctx))).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
