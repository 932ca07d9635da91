import { describe, expect, it } from 'vitest';
import {
  aCinEpisode,
  aCpPlan,
  anAssessment,
  participants,
  userFor,
  userIdForRole,
} from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal, rulesOf } from '../../../test/builders/social-care-db.ts';
import { startCinPlan } from './cin-plan.service.ts';
import { recordStrategyDiscussion, startSection47 } from './child-protection.service.ts';
import { closeEpisode, stepDownToEarlyHelp, transferOut } from './closure.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

const now = new Date('2026-11-24T10:00:00Z');
const t = socialCareDb(now);
const WORRY = 'Worry: Everyone is worried that Olivia is frightened when her parents argue.';
const close = (episodeId: string, reason: string, closureDate = '2026-11-23', queryExplanation?: string) =>
  t.act(t.sw, closeEpisode, {
    episodeId,
    closureDate,
    reason,
    notes: 'Closing',
    queryExplanation,
  });

describe('closing an episode', () => {
  it('asks for a reason before closing on a date in an earlier census year (8620), then keeps the reason for the return', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-03-02' });
    const asked = await censusRefusal(close(episodeId, 'RC7', '2026-03-27'));
    expect(rulesOf(asked)).toEqual(['8620']);
    expect(asked.field).toBe('queryExplanation');
    expect(asked.message).toContain('before 1 April 2026');
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'closureDate')).toBeNull();
    await close(
      episodeId,
      'RC7',
      '2026-03-27',
      'Closed in March; the letter was recorded late after the worker’s leave',
    );
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'closureDate')).toBe('2026-03-27');
    expect(await rowsOf(t.db, 'censusQueryExplanations', { subjectId: episodeId }, ['rule'])).toEqual([
      { rule: '8620' },
    ]);
  });

  it('is refused while a plan is open (8565), an assessment is unauthorised (8867) or an enquiry is open (8868); nothing is saved', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-06',
      familySummary: 'x',
      goals: [{ worry: WORRY, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
    });
    const openPlan = await censusRefusal(close(episodeId, 'RC7'));
    expect(openPlan.violations).toMatchObject([{ rule: '8565', field: 'closureDate' }]);
    expect(openPlan.message).toContain('End the child in need plan first');
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'closureDate')).toBeNull();

    const second = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, second.episodeId, { startDate: '2026-11-03' });
    const people = await participants(t.db);
    await t.act(t.sw, recordStrategyDiscussion, {
      episodeId: second.episodeId,
      heldOn: '2026-11-04',
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants: people,
    });
    await t.act(t.sw, startSection47, {
      episodeId: second.episodeId,
      startDate: '2026-11-04',
    });
    expect(rulesOf(await censusRefusal(close(second.episodeId, 'RC7')))).toEqual(['8867', '8868']);
  });

  it('records the census reason (8640 refuses anything else), ends the allocation, and is audited and in the chronology', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05', outcome: 'no-further-action', factors: ['21'] },
      authorisedOn: '2026-11-06',
    });
    expect(rulesOf(await censusRefusal(close(episodeId, 'RC10')))).toEqual(['8640']);
    expect(rulesOf(await censusRefusal(close(episodeId, 'RC8', '2026-11-01')))).toEqual(
      expect.arrayContaining(['8630']),
    );
    expect(rulesOf(await censusRefusal(close(episodeId, 'RC8', '2026-11-05')))).toEqual(['8565']);
    await close(episodeId, 'RC8', '2026-11-09');
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, ['closureDate', 'closureReason', 'closedBy']),
    ).toEqual({ closureDate: '2026-11-09', closureReason: 'RC8', closedBy: t.sw.id });
    expect(
      await t.db
        .selectFrom('allocations')
        .select('endedOn')
        .where('involvementId', '=', episodeId)
        .where('endedOn', 'is', null)
        .execute(),
    ).toEqual([]);
    expect(
      await rowsOf(t.db, 'auditEvents', { subjectId: episodeId, action: 'cin-episode.closed' }, ['action']),
    ).toHaveLength(1);
    expect(await valueOf(t.db, 'caseEvents', { childId: child.id, category: 'closure' }, 'title')).toContain(
      'RC8',
    );
  });

  it('RC8/RC9 without an assessment is a query explained in a recorded reason (8825Q); after a plan RC8/RC9 is refused (2990)', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const query = await censusRefusal(close(episodeId, 'RC9'));
    expect(query.violations).toMatchObject([{ rule: '8825Q', field: 'queryExplanation' }]);
    await close(
      episodeId,
      'RC9',
      '2026-11-23',
      'The family agreed early help at the first visit; no assessment was needed',
    );
    expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId }, ['rule', 'explanation'])).toEqual([
      {
        rule: '8825Q',
        explanation: 'The family agreed early help at the first visit; no assessment was needed',
      },
    ]);

    const planned = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, planned.episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const { planId } = await aCpPlan(t.db, planned.episodeId, { icpcDate: '2026-11-05' });
    await t.db
      .updateTable('cpPlans')
      .set({ endDate: '2026-11-20', endReason: 'other' })
      .where('id', '=', planId)
      .execute();
    const refused = await censusRefusal(close(planned.episodeId, 'RC8'));
    expect(rulesOf(refused)).toEqual(['2990']);
    expect(refused.message).toContain('usually RC7');
  });

  it('cannot be done without write access', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const qa = await userFor(t.db, 'qa-officer');
    await expect(
      t.act(qa, closeEpisode, {
        episodeId,
        closureDate: '2026-11-23',
        reason: 'RC7',
        notes: 'x',
      }),
    ).rejects.toThrow();
  });
});

describe('transfer out to another authority', () => {
  it('ends the open child protection plan and closes the episode as RC5', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const { planId } = await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    expect(
      rulesOf(
        await censusRefusal(
          t.act(t.sw, transferOut, {
            episodeId,
            transferDate: '2026-11-05',
            toAuthority: 'Kent',
            toLaCode: '886',
            notes: 'x',
          }),
        ),
      ),
    ).toEqual(['8840']);
    await t.act(t.sw, transferOut, {
      episodeId,
      transferDate: '2026-11-23',
      toAuthority: 'Kent County Council',
      toLaCode: '886',
      notes: 'Transfer-in conference booked in Kent',
    });
    expect(await firstRow(t.db, 'cpPlans', { id: planId }, ['endDate', 'endReason'])).toEqual({
      endDate: '2026-11-23',
      endReason: 'moved-to-another-authority',
    });
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, [
        'closureReason',
        'transferredOutTo',
        'transferredOutLaCode',
      ]),
    ).toEqual({
      closureReason: 'RC5',
      transferredOutTo: 'Kent County Council',
      transferredOutLaCode: '886',
    });
  });
});

describe('step-down to early help', () => {
  it('holds a handover meeting (early help module), opens the early help episode, ends the CIN plan and closes the episode as RC7', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const cin = await t.act(t.sw, startCinPlan, {
      episodeId,
      startDate: '2026-11-06',
      familySummary: 'x',
      goals: [{ worry: WORRY, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
    });
    const lead = await userIdForRole(t.db, 'early-help-practitioner');
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
    const noLead = await t
      .act(t.sw, stepDownToEarlyHelp, { ...input, attendees: [] })
      .catch((e: unknown) => e);
    expect(noLead).toMatchObject({ field: 'attendees__0__name' });
    const { reference, earlyHelpEpisodeId } = await t.act(t.sw, stepDownToEarlyHelp, input);
    expect(reference).toMatch(/^EH-/);
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, [
        'closureDate',
        'closureReason',
        'earlyHelpEpisodeId',
      ]),
    ).toEqual({
      closureDate: '2026-11-23',
      closureReason: 'RC7',
      earlyHelpEpisodeId,
    });
    expect(await firstRow(t.db, 'cinPlans', { id: cin }, ['endDate', 'endReason'])).toEqual({
      endDate: '2026-11-23',
      endReason: 'step-down',
    });
    expect(await valueOf(t.db, 'earlyHelpStepDowns', { cinEpisodeId: episodeId }, 'handoverHeldOn')).toBe(
      '2026-11-23',
    );
    expect(
      (await rowsOf(t.db, 'earlyHelpEpisodeChildren', { episodeId: earlyHelpEpisodeId }, ['childId'])).map(
        (c) => c.childId,
      ),
    ).toEqual([child.id]);
  });

  it('closes as RC9 straight after an assessment, and is refused while the child is on a CP plan', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05', outcome: 'early-help' },
      authorisedOn: '2026-11-05',
    });
    const lead = await userIdForRole(t.db, 'early-help-practitioner');
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
    await t.act(t.sw, stepDownToEarlyHelp, input);
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'closureReason')).toBe('RC9');

    const cp = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAssessment(t.db, cp.episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    await aCpPlan(t.db, cp.episodeId, { icpcDate: '2026-11-05' });
    const refused = await censusRefusal(
      t.act(t.sw, stepDownToEarlyHelp, { ...input, episodeId: cp.episodeId }),
    );
    expect(refused.message).toContain('child protection plan');
  });
});
