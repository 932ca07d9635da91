import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, RecordReadOnlyError } from '../../kernel/errors.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  aCinEpisode,
  aCpPlan,
  anAssessment,
  calendar,
  run,
  teamId,
  userFor,
  userIdForRole,
  withCensusDetails,
} from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal } from '../../../test/builders/social-care-db.ts';
import { collectSummaryPanels } from '../people/index.ts';
import { allocateEpisode, listEpisodes, transferIn, updateReferralDetails } from './episode.service.ts';
import { socialCareWorktray } from './social-care.worktray.ts';
import './index.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);

describe('allocation', () => {
  it('a manager allocates to a team and worker: the old allocation ends, a new one starts, history kept', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const cpTeam = await teamId(t.db, 'Child Protection Team');
    await expect(
      t.act(t.sw, allocateEpisode, {
        episodeId,
        teamId: cpTeam,
        workerId: t.manager.id,
        startedOn: '2026-11-20',
      }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await t.act(t.manager, allocateEpisode, {
      episodeId,
      teamId: cpTeam,
      workerId: t.manager.id,
      startedOn: '2026-11-20',
      reason: 'Moves to the CP team',
    });
    const rows = await t.db
      .selectFrom('allocations')
      .select(['teamId', 'workerId', 'startedOn', 'endedOn'])
      .where('involvementId', '=', episodeId)
      .orderBy('createdAt')
      .execute();
    expect(rows.map((r) => [r.workerId, r.startedOn, r.endedOn])).toEqual([
      [null, '2026-11-02', '2026-11-02'],
      [t.sw.id, '2026-11-02', '2026-11-20'],
      [t.manager.id, '2026-11-20', null],
    ]);
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'teamId')).toBe(cpTeam);
    expect(
      (
        await t.db
          .selectFrom('caseEvents')
          .select('title')
          .where('childId', '=', child.id)
          .where('category', '=', 'allocation')
          .orderBy('occurredAt', 'desc')
          .executeTakeFirstOrThrow()
      ).title,
    ).toBe('Allocated to Tom Mensah, Child Protection Team');
    expect(
      await rowsOf(t.db, 'auditEvents', { subjectId: episodeId, action: 'cin-episode.allocated' }, [
        'action',
      ]),
    ).toHaveLength(2);
  });

  it('tells the newly allocated worker by email, naming no child; allocating to yourself sends nothing', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const team = await teamId(t.db, 'Assessment Team');
    await t.act(t.manager, allocateEpisode, {
      episodeId,
      teamId: team,
      workerId: t.manager.id,
      startedOn: '2026-11-20',
    });
    const outbox = () =>
      t.db
        .selectFrom('emailOutbox as o')
        .innerJoin('allocations as a', (j) => j.on(sql`o.event_key`, '=', sql`'allocation:' || a.id`))
        .select(['o.kind', 'o.toAddress', 'o.subject', 'o.bodyText', 'o.linkPath', 'a.workerId'])
        .where('a.involvementId', '=', episodeId)
        .where('a.startedOn', '>=', '2026-11-20')
        .orderBy('a.startedOn')
        .execute();
    expect(await outbox()).toEqual([]);
    await t.act(t.manager, allocateEpisode, {
      episodeId,
      teamId: team,
      workerId: t.sw.id,
      startedOn: '2026-11-23',
    });
    const [email] = await outbox();
    expect(email).toMatchObject({
      kind: 'allocation',
      toAddress: t.sw.email,
      subject: 'Threshold: a child in need episode has been allocated to you',
      linkPath: `/social-care/episodes/${episodeId}`,
      workerId: t.sw.id,
    });
    expect(email!.bodyText).toContain(
      `${t.manager.displayName} has allocated a child in need episode to you in Assessment Team, from 23 November 2026.`,
    );
    const child = await t.db
      .selectFrom('cinEpisodes as e')
      .innerJoin('people as p', 'p.id', 'e.childId')
      .select(['p.givenName', 'p.familyName'])
      .where('e.id', '=', episodeId)
      .executeTakeFirstOrThrow();
    expect(email!.bodyText).not.toContain(child.familyName);
    expect(email!.subject).not.toContain(child.givenName);
  });

  it('refuses a worker who cannot hold social care work, and an allocation before the referral', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const team = await teamId(t.db, 'Assessment Team');
    const eh = await userIdForRole(t.db, 'early-help-practitioner');
    await expect(
      t.act(t.manager, allocateEpisode, {
        episodeId,
        teamId: team,
        workerId: eh,
        startedOn: '2026-11-20',
      }),
    ).rejects.toMatchObject({ field: 'workerId' });
    await expect(
      t.act(t.manager, allocateEpisode, {
        episodeId,
        teamId: team,
        workerId: t.manager.id,
        startedOn: '2026-11-01',
      }),
    ).rejects.toMatchObject({ field: 'startedOn' });
  });

  it('the mash manager, who manages another service, may read but cannot allocate this child (403, not 404)', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const mash = await userFor(t.db, 'mash-manager');
    await expect(
      t.act(mash, allocateEpisode, {
        episodeId,
        teamId: mash.teamId!,
        workerId: mash.id,
        startedOn: '2026-11-20',
      }),
    ).rejects.toBeInstanceOf(RecordReadOnlyError);
  });
});

describe('referral details for the census', () => {
  it('checks the source (8866), the primary need (8650, 8610) and refuses NFA once there is activity (8831)', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const bad = await censusRefusal(
      t.act(t.sw, updateReferralDetails, {
        episodeId,
        referralSource: '99',
        primaryNeedCode: 'N99',
        referralNfa: false,
      }),
    );
    expect(bad.violations.map((v) => v.rule)).toEqual(['8866', '8650']);
    expect(
      (
        await censusRefusal(
          t.act(t.sw, updateReferralDetails, {
            episodeId,
            referralSource: '6',
            primaryNeedCode: null,
            referralNfa: false,
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['8610']);
    await t.act(t.sw, updateReferralDetails, {
      episodeId,
      referralSource: '6',
      primaryNeedCode: 'N4',
      referralNfa: false,
    });
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, ['referralSource', 'primaryNeedCode']),
    ).toEqual({ referralSource: '6', primaryNeedCode: 'N4' });
    await anAssessment(t.db, episodeId);
    expect(
      (
        await censusRefusal(
          t.act(t.sw, updateReferralDetails, {
            episodeId,
            referralSource: '6',
            primaryNeedCode: null,
            referralNfa: true,
          }),
        )
      ).violations.map((v) => v.rule),
    ).toEqual(['8831']);
  });

  it('marking a referral with no activity as NFA closes it on the referral date', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-10' });
    await t.act(t.sw, updateReferralDetails, {
      episodeId,
      referralSource: '2A',
      primaryNeedCode: null,
      referralNfa: true,
    });
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, ['referralNfa', 'closureDate', 'closureReason']),
    ).toEqual({ referralNfa: true, closureDate: '2026-11-10', closureReason: 'RC8' });
  });

  it('marking a referral from before this census year as NFA is a query (8569Q), explained and kept', async () => {
    // Referred on Monday 30 March 2026, before Tuesday 31 March, the working day before the year began.
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-03-30' });
    const query = await censusRefusal(
      t.act(t.sw, updateReferralDetails, {
        episodeId,
        referralSource: '2A',
        primaryNeedCode: null,
        referralNfa: true,
      }),
    );
    expect(query.violations).toMatchObject([{ rule: '8569Q', kind: 'query', field: 'queryExplanation' }]);
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'referralNfa')).toBe(false);
    await t.act(t.sw, updateReferralDetails, {
      episodeId,
      referralSource: '2A',
      primaryNeedCode: null,
      referralNfa: true,
      queryExplanation: 'Screened out on the day; recorded late',
    });
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'referralNfa')).toBe(true);
    expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId }, ['rule', 'explanation'])).toEqual([
      { rule: '8569Q', explanation: 'Screened out on the day; recorded late' },
    ]);
  });
});

describe('transfer in from another authority', () => {
  it('opens an episode with the sending authority; refuses our own code and a referral 40 weeks before birth (8606)', async () => {
    const child = await aChild(t.db, { dateOfBirth: '2026-10-01' });
    await withCensusDetails(t.db, child.id);
    const team = await teamId(t.db, 'Assessment Team');
    const input = {
      childId: child.id,
      referralDate: '2026-11-16',
      fromAuthority: 'Kent County Council',
      fromLaCode: '886',
      referralSource: '5C',
      primaryNeedCode: 'N1',
      teamId: team,
    };
    expect((await censusRefusal(t.act(t.sw, transferIn, { ...input, fromLaCode: '318' }))).field).toBe(
      'fromLaCode',
    );
    expect(
      (await censusRefusal(t.act(t.sw, transferIn, { ...input, referralDate: '2025-12-01' }))).violations.map(
        (v) => v.rule,
      ),
    ).toEqual(['8606']);
    const { id } = await t.act(t.sw, transferIn, input);
    expect(
      await firstRow(t.db, 'cinEpisodes', { id }, [
        'transferredInFrom',
        'transferredInLaCode',
        'referralSource',
      ]),
    ).toEqual({
      transferredInFrom: 'Kent County Council',
      transferredInLaCode: '886',
      referralSource: '5C',
    });
    expect(
      (
        await t.db
          .selectFrom('auditEvents')
          .select('action')
          .where('subjectId', '=', id)
          .orderBy('seq')
          .execute()
      ).map((a) => a.action),
    ).toEqual(['cin-referral.opened', 'cin-episode.transferred-in']);
  });

  it('a referral after the child’s death is a query the worker confirms, with their note kept (8555Q)', async () => {
    const child = await aChild(t.db, { dateOfBirth: '2016-01-01', dateOfDeath: '2026-11-01' });
    await withCensusDetails(t.db, child.id);
    const team = await teamId(t.db, 'Assessment Team');
    const input = {
      childId: child.id,
      referralDate: '2026-11-16',
      fromAuthority: 'Kent',
      fromLaCode: '886',
      referralSource: '5C',
      primaryNeedCode: 'N1',
      teamId: team,
    };
    expect((await censusRefusal(t.act(t.sw, transferIn, input))).violations[0]).toMatchObject({
      rule: '8555Q',
      field: 'confirmCensusQueries',
    });
    // A note alone does not confirm: the box must be ticked.
    expect(
      (await censusRefusal(t.act(t.sw, transferIn, { ...input, queryExplanation: 'x' }))).violations[0],
    ).toMatchObject({ rule: '8555Q' });
    const { id } = await t.act(t.sw, transferIn, {
      ...input,
      confirmCensusQueries: true,
      queryExplanation: 'Transferred for the sibling review; the record is kept for the census',
    });
    expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId: id }, ['rule', 'explanation'])).toEqual(
      [
        {
          rule: '8555Q',
          explanation: 'Transferred for the sibling review; the record is kept for the census',
        },
      ],
    );
  });
});

describe('lists, the worktray and the child’s record', () => {
  it('lists the worker’s episodes and only records the user may see', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const mine = await t.act(t.sw, listEpisodes, { filter: 'mine', status: 'open', limit: 100, offset: 0 });
    expect(mine.rows.map((r) => r.id)).toContain(episodeId);
    const police = await userFor(t.db, 'partner-agency-user');
    await expect(
      t.act(police, listEpisodes, { filter: 'all', status: 'open', limit: 10, offset: 0 }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const eh = await userFor(t.db, 'early-help-practitioner');
    await expect(
      t.act(eh, listEpisodes, { filter: 'all', status: 'open', limit: 10, offset: 0 }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('puts every clock on the worker’s and the manager’s worktray, and on the child’s record', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
    });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    const ctx = (user: CurrentUser) =>
      run(t.db, (trx) => socialCareWorktray({ db: trx, user, now, today: '2026-11-24', calendar }));
    const workerItems = (await ctx(t.sw)).filter((i) => i.child?.id === child.id);
    expect(workerItems.map((i) => [i.kind, i.dueOn])).toEqual(
      expect.arrayContaining([
        ['sc-core-group', '2026-11-18'],
        ['sc-review-conference', '2027-02-05'],
        ['sc-visit', '2026-11-18'],
      ]),
    );
    expect(workerItems.map((i) => i.kind)).not.toContain('sc-assessment-authorisation');
    const managerItems = (await ctx(t.manager)).filter((i) => i.child?.id === child.id);
    expect(managerItems.map((i) => i.kind)).toEqual(
      expect.arrayContaining([
        'sc-assessment-authorisation',
        'sc-core-group',
        'sc-review-conference',
        'sc-visit',
      ]),
    );
    expect(managerItems.find((i) => i.kind === 'sc-core-group')!.href).toBe(
      `/social-care/cp-plans/${planId}/core-groups/new`,
    );
    const panels = await run(t.db, (trx) =>
      collectSummaryPanels({ db: trx, user: t.sw, personId: child.id, now, today: '2026-11-24', calendar }),
    );
    expect(panels.involvements.filter((i) => i.source === 'social-care').map((i) => i.title)).toEqual([
      expect.stringMatching(/^Children in need episode CIN-/),
      'Child protection plan',
    ]);
    expect(panels.deadlines.filter((d) => d.source === 'social-care').map((d) => d.title)).toEqual(
      expect.arrayContaining(['Hold the first core group', 'First review child protection conference']),
    );
    expect(panels.deadlines.find((d) => d.title === 'Hold the first core group')!.overdue).toBe(true);
  });
});
