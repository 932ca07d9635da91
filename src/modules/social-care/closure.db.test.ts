import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import {
  aCinEpisode,
  aCpPlan,
  anAssessment,
  calendar,
  participants,
  run,
  userFor,
  userIdForRole,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { CensusRuleError } from './census-queries.ts';
import { startCinPlan } from './cin-plan.service.ts';
import { recordStrategyDiscussion, startSection47 } from './child-protection.service.ts';
import { closeEpisode, stepDownToEarlyHelp, transferOut } from './closure.service.ts';

let handle: DatabaseHandle;
let sw: CurrentUser;
const now = new Date('2026-11-24T10:00:00Z');
const WORRY = 'Worry: Everyone is worried that Olivia is frightened when her parents argue.';

beforeAll(async () => {
  handle = await testDb();
  sw = await userFor(handle.db, 'social-worker');
});
afterAll(async () => {
  await handle?.close();
});

async function refusal(p: Promise<unknown>) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CensusRuleError);
  return error as CensusRuleError;
}
const rules = (e: CensusRuleError) => e.violations.map((v) => v.rule);
const close = (episodeId: string, reason: string, closureDate = '2026-11-23', queryExplanation?: string) =>
  run(handle.db, (trx) =>
    closeEpisode(contextFor(trx, sw, now), {
      episodeId,
      closureDate,
      reason,
      notes: 'Closing',
      queryExplanation,
    }),
  );

describe('closing an episode', () => {
  it('asks for a reason before closing on a date in an earlier census year (8620), then keeps the reason for the return', async () => {
    const { episodeId } = await aCinEpisode(handle.db, { referralDate: '2026-03-02' });
    const asked = await refusal(close(episodeId, 'RC7', '2026-03-27'));
    expect(rules(asked)).toEqual(['8620']);
    expect(asked.field).toBe('queryExplanation');
    expect(asked.message).toContain('before 1 April 2026');
    expect(
      (
        await handle.db
          .selectFrom('cinEpisodes')
          .select('closureDate')
          .where('id', '=', episodeId)
          .executeTakeFirstOrThrow()
      ).closureDate,
    ).toBeNull();
    await close(
      episodeId,
      'RC7',
      '2026-03-27',
      'Closed in March; the letter was recorded late after the worker’s leave',
    );
    expect(
      (
        await handle.db
          .selectFrom('cinEpisodes')
          .select('closureDate')
          .where('id', '=', episodeId)
          .executeTakeFirstOrThrow()
      ).closureDate,
    ).toBe('2026-03-27');
    expect(
      await handle.db
        .selectFrom('censusQueryExplanations')
        .select('rule')
        .where('subjectId', '=', episodeId)
        .execute(),
    ).toEqual([{ rule: '8620' }]);
  });

  it('is refused while a plan is open (8565), an assessment is unauthorised (8867) or an enquiry is open (8868); nothing is saved', async () => {
    const { episodeId } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-06',
        familySummary: 'x',
        goals: [{ worry: WORRY, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
      }),
    );
    const openPlan = await refusal(close(episodeId, 'RC7'));
    expect(openPlan.violations).toMatchObject([{ rule: '8565', field: 'closureDate' }]);
    expect(openPlan.message).toContain('End the child in need plan first');
    expect(
      (
        await handle.db
          .selectFrom('cinEpisodes')
          .select('closureDate')
          .where('id', '=', episodeId)
          .executeTakeFirstOrThrow()
      ).closureDate,
    ).toBeNull();

    const second = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, second.episodeId, { startDate: '2026-11-03' });
    const people = await participants(handle.db);
    await run(handle.db, (trx) =>
      recordStrategyDiscussion(contextFor(trx, sw, now, calendar), {
        episodeId: second.episodeId,
        heldOn: '2026-11-04',
        informationShared: 'x',
        decision: 'section-47',
        rationale: 'x',
        participants: people,
      }),
    );
    await run(handle.db, (trx) =>
      startSection47(contextFor(trx, sw, now, calendar), {
        episodeId: second.episodeId,
        startDate: '2026-11-04',
      }),
    );
    expect(rules(await refusal(close(second.episodeId, 'RC7')))).toEqual(['8867', '8868']);
  });

  it('records the census reason (8640 refuses anything else), ends the allocation, and is audited and in the chronology', async () => {
    const { episodeId, child } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05', outcome: 'no-further-action', factors: ['21'] },
      authorisedOn: '2026-11-06',
    });
    expect(rules(await refusal(close(episodeId, 'RC10')))).toEqual(['8640']);
    expect(rules(await refusal(close(episodeId, 'RC8', '2026-11-01')))).toEqual(
      expect.arrayContaining(['8630']),
    );
    expect(rules(await refusal(close(episodeId, 'RC8', '2026-11-05')))).toEqual(['8565']);
    await close(episodeId, 'RC8', '2026-11-09');
    expect(
      await handle.db
        .selectFrom('cinEpisodes')
        .select(['closureDate', 'closureReason', 'closedBy'])
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ closureDate: '2026-11-09', closureReason: 'RC8', closedBy: sw.id });
    expect(
      await handle.db
        .selectFrom('allocations')
        .select('endedOn')
        .where('involvementId', '=', episodeId)
        .where('endedOn', 'is', null)
        .execute(),
    ).toEqual([]);
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select('action')
        .where('subjectId', '=', episodeId)
        .where('action', '=', 'cin-episode.closed')
        .execute(),
    ).toHaveLength(1);
    expect(
      (
        await handle.db
          .selectFrom('caseEvents')
          .select('title')
          .where('childId', '=', child.id)
          .where('category', '=', 'closure')
          .executeTakeFirstOrThrow()
      ).title,
    ).toContain('RC8');
  });

  it('RC8/RC9 without an assessment is a query explained in a recorded reason (8825Q); after a plan RC8/RC9 is refused (2990)', async () => {
    const { episodeId } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    const query = await refusal(close(episodeId, 'RC9'));
    expect(query.violations).toMatchObject([{ rule: '8825Q', field: 'queryExplanation' }]);
    await close(
      episodeId,
      'RC9',
      '2026-11-23',
      'The family agreed early help at the first visit; no assessment was needed',
    );
    expect(
      await handle.db
        .selectFrom('censusQueryExplanations')
        .select(['rule', 'explanation'])
        .where('episodeId', '=', episodeId)
        .execute(),
    ).toEqual([
      {
        rule: '8825Q',
        explanation: 'The family agreed early help at the first visit; no assessment was needed',
      },
    ]);

    const planned = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, planned.episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const { planId } = await aCpPlan(handle.db, planned.episodeId, { icpcDate: '2026-11-05' });
    await handle.db
      .updateTable('cpPlans')
      .set({ endDate: '2026-11-20', endReason: 'other' })
      .where('id', '=', planId)
      .execute();
    const refused = await refusal(close(planned.episodeId, 'RC8'));
    expect(rules(refused)).toEqual(['2990']);
    expect(refused.message).toContain('usually RC7');
  });

  it('cannot be done without write access', async () => {
    const { episodeId } = await aCinEpisode(handle.db);
    const qa = await userFor(handle.db, 'qa-officer');
    await expect(
      run(handle.db, (trx) =>
        closeEpisode(contextFor(trx, qa, now), {
          episodeId,
          closureDate: '2026-11-23',
          reason: 'RC7',
          notes: 'x',
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('transfer out to another authority', () => {
  it('ends the open child protection plan and closes the episode as RC5', async () => {
    const { episodeId } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const { planId } = await aCpPlan(handle.db, episodeId, { icpcDate: '2026-11-05' });
    expect(
      rules(
        await refusal(
          run(handle.db, (trx) =>
            transferOut(contextFor(trx, sw, now), {
              episodeId,
              transferDate: '2026-11-05',
              toAuthority: 'Kent',
              toLaCode: '886',
              notes: 'x',
            }),
          ),
        ),
      ),
    ).toEqual(['8840']);
    await run(handle.db, (trx) =>
      transferOut(contextFor(trx, sw, now), {
        episodeId,
        transferDate: '2026-11-23',
        toAuthority: 'Kent County Council',
        toLaCode: '886',
        notes: 'Transfer-in conference booked in Kent',
      }),
    );
    expect(
      await handle.db
        .selectFrom('cpPlans')
        .select(['endDate', 'endReason'])
        .where('id', '=', planId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ endDate: '2026-11-23', endReason: 'moved-to-another-authority' });
    expect(
      await handle.db
        .selectFrom('cinEpisodes')
        .select(['closureReason', 'transferredOutTo', 'transferredOutLaCode'])
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      closureReason: 'RC5',
      transferredOutTo: 'Kent County Council',
      transferredOutLaCode: '886',
    });
  });
});

describe('step-down to early help', () => {
  it('holds a handover meeting (early help module), opens the early help episode, ends the CIN plan and closes the episode as RC7', async () => {
    const { episodeId, child } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const cin = await run(handle.db, (trx) =>
      startCinPlan(contextFor(trx, sw, now), {
        episodeId,
        startDate: '2026-11-06',
        familySummary: 'x',
        goals: [{ worry: WORRY, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
      }),
    );
    const lead = await userIdForRole(handle.db, 'early-help-practitioner');
    const input = {
      episodeId,
      closureDate: '2026-11-23',
      siblingIds: [],
      proposedLeadPractitionerId: lead,
      handoverHeldOn: '2026-11-23',
      attendees: [
        { name: 'Sian Walker', role: 'Social worker' },
        { name: 'Eve Halpern', role: 'Family support worker' },
      ],
      planSummary: 'Keep the routines going',
      consentGiven: true,
    };
    const noLead = await run(handle.db, (trx) =>
      stepDownToEarlyHelp(contextFor(trx, sw, now), { ...input, attendees: [] }),
    ).catch((e: unknown) => e);
    expect(noLead).toMatchObject({ field: 'attendees__0__name' });
    const { reference, earlyHelpEpisodeId } = await run(handle.db, (trx) =>
      stepDownToEarlyHelp(contextFor(trx, sw, now), input),
    );
    expect(reference).toMatch(/^EH-/);
    expect(
      await handle.db
        .selectFrom('cinEpisodes')
        .select(['closureDate', 'closureReason', 'earlyHelpEpisodeId'])
        .where('id', '=', episodeId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      closureDate: '2026-11-23',
      closureReason: 'RC7',
      earlyHelpEpisodeId,
    });
    expect(
      await handle.db
        .selectFrom('cinPlans')
        .select(['endDate', 'endReason'])
        .where('id', '=', cin)
        .executeTakeFirstOrThrow(),
    ).toEqual({ endDate: '2026-11-23', endReason: 'step-down' });
    expect(
      (
        await handle.db
          .selectFrom('earlyHelpStepDowns')
          .select('handoverHeldOn')
          .where('cinEpisodeId', '=', episodeId)
          .executeTakeFirstOrThrow()
      ).handoverHeldOn,
    ).toBe('2026-11-23');
    expect(
      (
        await handle.db
          .selectFrom('earlyHelpEpisodeChildren')
          .select('childId')
          .where('episodeId', '=', earlyHelpEpisodeId)
          .execute()
      ).map((c) => c.childId),
    ).toEqual([child.id]);
  });

  it('closes as RC9 straight after an assessment, and is refused while the child is on a CP plan', async () => {
    const { episodeId } = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05', outcome: 'early-help' },
      authorisedOn: '2026-11-05',
    });
    const lead = await userIdForRole(handle.db, 'early-help-practitioner');
    const input = {
      episodeId,
      closureDate: '2026-11-20',
      siblingIds: [],
      proposedLeadPractitionerId: lead,
      handoverHeldOn: '2026-11-20',
      attendees: [{ name: 'Sian Walker' }],
      planSummary: 'x',
      consentGiven: true,
    };
    await run(handle.db, (trx) => stepDownToEarlyHelp(contextFor(trx, sw, now), input));
    expect(
      (
        await handle.db
          .selectFrom('cinEpisodes')
          .select('closureReason')
          .where('id', '=', episodeId)
          .executeTakeFirstOrThrow()
      ).closureReason,
    ).toBe('RC9');

    const cp = await aCinEpisode(handle.db, { referralDate: '2026-11-02' });
    await anAssessment(handle.db, cp.episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    await aCpPlan(handle.db, cp.episodeId, { icpcDate: '2026-11-05' });
    const refused = await refusal(
      run(handle.db, (trx) =>
        stepDownToEarlyHelp(contextFor(trx, sw, now), { ...input, episodeId: cp.episodeId }),
      ),
    );
    expect(refused.message).toContain('child protection plan');
  });
});
