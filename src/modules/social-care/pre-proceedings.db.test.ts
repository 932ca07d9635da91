import { describe, expect, it } from 'vitest';
import { AccessDeniedError, BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import { aCinEpisode, aCpPlan, calendar, run } from '../../../test/builders/social-care.ts';
import { socialCareDb, censusRefusal, rulesOf } from '../../../test/builders/social-care-db.ts';
import { anAdult, aRelationship, localAuthorityId } from '../../../test/builders/people.ts';
import { rowsOf } from '../../../test/builders/records.ts';
import { censusRecordBatches } from './census-return.repository.ts';
import { socialCareWorktray } from './social-care.worktray.ts';
import {
  recordFgdmMeeting,
  recordFgdmNotInInterests,
  recordFgdmReferral,
  recordFgdmResponse,
  recordLegalPlanningMeeting,
  recordLetterBeforeProceedings,
  recordPreProceedingsMeeting,
  recordStepDecision,
} from './pre-proceedings.service.ts';
import { censusChildFor } from '../returns/census-scope.ts';
import { censusXmlWriter } from '../returns/census-xml.ts';
import { validateCensusChild } from '../returns/census-validate.ts';
import { CENSUS_YEARS } from '../returns/census-years.ts';

/**
 * Pre-proceedings and family group decision making (issue 22): a child on a child protection plan through a legal
 * planning meeting, the letter before proceedings with the FGDM offer to each person with parental responsibility,
 * an accepted and held meeting, the initial and review meetings and a step down; each census module 5 item derived
 * from what was recorded; versions, the manager's decision, the audit trail and the PLO clock on the worktray.
 */

const now = new Date('2026-12-21T10:00:00Z');
const t = socialCareDb(now);

async function childOnPlanWithParents() {
  const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19' });
  const mum = await anAdult(t.db, { givenName: 'Jade', familyName: 'Harper' });
  const dad = await anAdult(t.db, { givenName: 'Connor', familyName: 'Harper' });
  await aRelationship(t.db, child, mum, 'parent', { parentalResponsibility: true });
  await aRelationship(t.db, child, dad, 'parent', { parentalResponsibility: true });
  return { episodeId, child, mum, dad };
}

const version = async (id: string) =>
  (await t.db.selectFrom('preProceedings').select('version').where('id', '=', id).executeTakeFirstOrThrow())
    .version;

async function census(childId: string) {
  const scope = {
    localAuthorityId: await localAuthorityId(t.db),
    periodStart: '2026-04-01',
    referenceDate: '2027-03-31',
  };
  for await (const batch of censusRecordBatches(t.db, scope)) {
    const found = batch.find((c) => c.id === childId);
    if (found) return censusChildFor(found, CENSUS_YEARS['2026-27']);
  }
  throw new Error('child not in the return');
}

describe('pre-proceedings from a child protection plan to a step down', () => {
  it('derives every census module 5 item, step by step', async () => {
    const { episodeId, child, mum, dad } = await childOnPlanWithParents();
    const ppId = await t.act(t.sw, recordLegalPlanningMeeting, {
      episodeId,
      heldOn: '2026-11-23',
      attendees: 'Team manager, social worker, local authority solicitor',
      decision: 'start',
      rationale: 'Neglect continues despite the plan.',
    });
    let items = (await census(child.id)).episodes[0]!.preProceedings[0]!.items;
    expect(items.ppStartDate).toBe('2026-11-23');
    expect(items.lbpSentDate).toBeNull();

    // The letter cannot be saved until it offers a meeting to everyone with parental responsibility.
    const refused = await t
      .act(t.sw, recordLetterBeforeProceedings, {
        preProceedingsId: ppId,
        sentOn: '2026-11-25',
        offerTo: [mum.id],
        version: await version(ppId),
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect((refused as BusinessRuleError).field).toBe('offerTo');
    expect((refused as BusinessRuleError).message).toContain('Connor Harper');
    expect((refused as BusinessRuleError).message).not.toContain('Jade Harper');

    await t.act(t.sw, recordLetterBeforeProceedings, {
      preProceedingsId: ppId,
      sentOn: '2026-11-25',
      offerTo: [mum.id, dad.id],
      version: await version(ppId),
    });
    items = (await census(child.id)).episodes[0]!.preProceedings[0]!.items;
    expect(items).toMatchObject({ lbpSentDate: '2026-11-25', fgdmMeetingOffer: true, fgdmMeetingFac: null });

    const offers = await rowsOf(t.db, 'fgdmOffers', { preProceedingsId: ppId }, [
      'id',
      'personId',
      'method',
      'version',
    ]);
    expect(offers.map((o) => o.method)).toEqual(['letter-before-proceedings', 'letter-before-proceedings']);
    for (const o of offers)
      await t.act(t.sw, recordFgdmResponse, {
        offerId: o.id,
        response: o.personId === mum.id ? 'accepted' : 'declined',
        respondedOn: '2026-11-26',
        version: o.version,
      });
    await t.act(t.sw, recordFgdmReferral, {
      preProceedingsId: ppId,
      referredOn: '2026-11-27',
      service: 'Family group conference service',
      version: await version(ppId),
    });
    await t.act(t.sw, recordFgdmMeeting, {
      preProceedingsId: ppId,
      heldOn: '2026-12-01',
      attendees: 'Jade, maternal grandmother, aunt',
      familyPlan: 'Grandmother stays three nights a week; aunt does the school run.',
      version: await version(ppId),
    });
    items = (await census(child.id)).episodes[0]!.preProceedings[0]!.items;
    expect(items).toMatchObject({ fgdmMeetingOffer: true, fgdmMeetingFac: true });

    await t.act(t.sw, recordPreProceedingsMeeting, {
      preProceedingsId: ppId,
      kind: 'initial',
      heldOn: '2026-12-02',
      notes: 'Agreement signed.',
      version: await version(ppId),
    });
    items = (await census(child.id)).episodes[0]!.preProceedings[0]!.items;
    expect(items).toMatchObject({ initialPpMeetingDate: '2026-12-02', reviewMeetingsCount: 0 });
    for (const heldOn of ['2026-12-09', '2026-12-16'])
      await t.act(t.sw, recordPreProceedingsMeeting, {
        preProceedingsId: ppId,
        kind: 'review',
        heldOn,
        notes: 'Progress.',
        version: await version(ppId),
      });
    await t.act(t.sw, recordStepDecision, {
      preProceedingsId: ppId,
      decidedOn: '2026-12-18',
      decision: 'step-down',
      outcome: 'B',
      courtApplicationOn: null,
      letterInitiatingOn: null,
      version: await version(ppId),
    });
    const returned = await census(child.id);
    expect(returned.episodes[0]!.preProceedings[0]!.items).toEqual({
      ppStartDate: '2026-11-23',
      lbpSentDate: '2026-11-25',
      fgdmMeetingOffer: true,
      fgdmMeetingFac: true,
      initialPpMeetingDate: '2026-12-02',
      reviewMeetingsCount: 2,
      stepDecisionDate: '2026-12-18',
      ppOutcome: 'B',
      courtAppDate: null,
      letterInitCpDate: null,
    });
    // No module 5 rule fails on the return, and the XML carries the module after the CP plans.
    const failures = validateCensusChild(returned, {
      year: CENSUS_YEARS['2026-27'],
      dayBeforeYear: '2026-03-31',
      workingDaysBetween: (a, b) => calendar.workingDaysBetween(a, b),
    }).filter((f) => f.item !== 'UPN' && /^9\d{3}/.test(f.rule));
    expect(failures).toEqual([]);
    let xml = '';
    const writer = censusXmlWriter(
      CENSUS_YEARS['2026-27'],
      { laCode: '318', softwareCode: 'T', release: '1', serialNo: 1, dateTime: now },
      (chunk) => (xml += chunk),
    );
    writer.child(returned);
    writer.end();
    expect(xml).toContain('<PPStartDate>2026-11-23</PPStartDate>');
    expect(xml).toContain('<FGDMMeetingOffer>1</FGDMMeetingOffer>');
    expect(xml).toContain('<ReviewMeetingsCount>2</ReviewMeetingsCount>');
    expect(xml).toContain('<PPOutcome>B</PPOutcome>');
    expect(xml.indexOf('<ChildProtectionPlans>')).toBeLessThan(xml.indexOf('<PreProceedingsandFGDM>'));
    // The 2025-26 return has no module 5.
    const earlier = censusChildFor({ ...returned, episodes: returned.episodes }, CENSUS_YEARS['2025-26']);
    expect(earlier.episodes.every((e) => e.preProceedings.length === 0)).toBe(true);

    // Every step is audited against the record and the child.
    const audit = await rowsOf(t.db, 'auditEvents', { subjectId: ppId }, ['action', 'childId']);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'pre-proceedings.lpm-recorded',
        'pre-proceedings.lbp-recorded',
        'fgdm.response-recorded',
        'fgdm.referred',
        'fgdm.meeting-recorded',
        'pre-proceedings.initial-meeting',
        'pre-proceedings.review-meeting',
        'pre-proceedings.step-decision',
      ]),
    );
    expect(audit.every((a) => a.childId === child.id)).toBe(true);
  });

  it('checks census rules at entry: a meeting before the start (9008), a step up with the court application before the decision (9012)', async () => {
    const { episodeId, mum, dad } = await childOnPlanWithParents();
    const ppId = await t.act(t.sw, recordLegalPlanningMeeting, {
      episodeId,
      heldOn: '2026-11-23',
      attendees: 'Team manager, solicitor',
      decision: 'start',
      rationale: 'Neglect.',
    });
    const early = await censusRefusal(
      t.act(t.sw, recordPreProceedingsMeeting, {
        preProceedingsId: ppId,
        kind: 'initial',
        heldOn: '2026-11-20',
        notes: 'x',
        version: await version(ppId),
      }),
    );
    expect(rulesOf(early)).toContain('9008');
    await t.act(t.sw, recordLetterBeforeProceedings, {
      preProceedingsId: ppId,
      sentOn: '2026-11-24',
      offerTo: [mum.id, dad.id],
      version: await version(ppId),
    });
    const court = await censusRefusal(
      t.act(t.sw, recordStepDecision, {
        preProceedingsId: ppId,
        decidedOn: '2026-12-10',
        decision: 'step-up',
        outcome: 'A',
        courtApplicationOn: '2026-12-09',
        letterInitiatingOn: null,
        version: await version(ppId),
      }),
    );
    expect(rulesOf(court)).toContain('9012');
    // The offers are still open: a step decision asks 9010Q until explained.
    const open = await censusRefusal(
      t.act(t.sw, recordStepDecision, {
        preProceedingsId: ppId,
        decidedOn: '2026-12-10',
        decision: 'step-up',
        outcome: 'A',
        courtApplicationOn: '2026-12-11',
        letterInitiatingOn: '2026-12-11',
        version: await version(ppId),
      }),
    );
    expect(open.violations[0]!.rule).toContain('9010Q');
    await t.act(t.sw, recordStepDecision, {
      preProceedingsId: ppId,
      decidedOn: '2026-12-10',
      decision: 'step-up',
      outcome: 'A',
      courtApplicationOn: '2026-12-11',
      letterInitiatingOn: '2026-12-11',
      version: await version(ppId),
      queryExplanation: 'The family did not answer before the hearing was listed.',
    });
    const explained = await rowsOf(t.db, 'censusQueryExplanations', { subjectId: ppId }, ['rule']);
    expect(explained.map((e) => e.rule)).toEqual(['9010Q']);
  });

  it('refuses a stale save (409) and lets only a manager decide a meeting is not in the child’s interests', async () => {
    const { episodeId } = await childOnPlanWithParents();
    const ppId = await t.act(t.sw, recordLegalPlanningMeeting, {
      episodeId,
      heldOn: '2026-11-23',
      attendees: 'Team manager, solicitor',
      decision: 'start',
      rationale: 'Neglect.',
    });
    const v = await version(ppId);
    const input = {
      preProceedingsId: ppId,
      decidedOn: '2026-11-24',
      rationale: 'Risk of violence.',
      version: v,
    };
    await expect(t.act(t.sw, recordFgdmNotInInterests, input)).rejects.toBeInstanceOf(AccessDeniedError);
    await t.act(t.manager, recordFgdmNotInInterests, input);
    // A form opened before the manager's decision is stale: nothing saved.
    const letter = { preProceedingsId: ppId, sentOn: '2026-11-25', offerTo: [], version: v };
    await expect(t.act(t.sw, recordLetterBeforeProceedings, letter)).rejects.toBeInstanceOf(ConflictError);
    // With the manager's decision, the letter needs no offer, and the census says none was made in it.
    await t.act(t.sw, recordLetterBeforeProceedings, { ...letter, version: await version(ppId) });
    const audit = await rowsOf(t.db, 'auditEvents', { subjectId: ppId, action: 'fgdm.not-in-interests' }, [
      'actorUserId',
    ]);
    expect(audit).toEqual([{ actorUserId: t.manager.id }]);
  });

  it('puts the next PLO date on the allocated worker’s worktray', async () => {
    const { episodeId, child } = await childOnPlanWithParents();
    const ppId = await t.act(t.sw, recordLegalPlanningMeeting, {
      episodeId,
      heldOn: '2026-12-15',
      attendees: 'Team manager, solicitor',
      decision: 'start',
      rationale: 'Neglect.',
    });
    const items = await run(t.db, (trx) =>
      socialCareWorktray({ db: trx, user: t.sw, now, today: '2026-12-21', calendar }),
    );
    const plo = items.filter((i) => i.child?.id === child.id && i.kind === 'sc-pre-proceedings');
    expect(plo).toHaveLength(1);
    // 5 working days after Tuesday 15 December 2026.
    expect(plo[0]!.dueOn).toBe('2026-12-22');
    expect(plo[0]!.href).toBe(`/social-care/pre-proceedings/${ppId}`);
    expect(plo[0]!.clockLabel).toBe('Week 1 of 16');
  });
});
