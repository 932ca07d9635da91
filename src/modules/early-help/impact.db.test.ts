import { beforeAll, describe, expect, it } from 'vitest';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  anAgreedPlan,
  anEarlyHelpEpisode,
  aReview,
  currentUserFor,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { createContact } from '../front-door/contact.service.ts';
import { authoriseDecision } from '../front-door/authorisation.service.ts';
import { decideContact } from '../front-door/decision.service.ts';
import { closeEpisode, recordFollowUp } from './closure.service.ts';
import type { Sustained } from './early-help.ts';
import { computeImpact, drillDown } from './impact.ts';
import { loadImpactInput } from './impact.service.ts';
import { saveEarlyHelpSettings } from './settings.ts';
import { firstRow } from '../../../test/builders/records.ts';
import { episodeVersion } from './episode.repository.ts';

/**
 * The impact page's sustained outcomes and re-contacts, on real records in a database of their own (so every figure
 * is exact): three families closed on 2 March 2026; two checked at the follow-up (one sustained, one partly), one
 * not yet checked; contacts to the front door 18 days and 7 months after one family's closure.
 */

const h = databaseForFile();
const { run } = h;
const opened = new Date('2026-01-05T10:00:00Z');
const closedAt = new Date('2026-03-02T15:00:00Z');
const period = { from: '2026-01-01', to: '2026-11-30' };
const ids: Record<'a' | 'b' | 'c' | 'other', string> = { a: '', b: '', c: '', other: '' };

async function aClosedFamily(givenName: string, followUp: Sustained | null) {
  const child = await aChild(h.db, { givenName, familyName: 'Impact', dateOfBirth: '2016-04-04' });
  const { episode } = await anEarlyHelpEpisode(h.db, { now: opened, children: [child] });
  const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
  const eh = await currentUserFor(h.db, 'early-help-practitioner');
  await run(async (trx) =>
    closeEpisode(serviceContext(trx, eh, closedAt), {
      episodeId: episode.id,
      version: await episodeVersion(trx, episode.id),
      closedOn: '2026-03-02',
      reason: 'needs-met',
      outcome: 'improved',
      summary: 'Better.',
      workerScale: 8,
      familyScale: 8,
      domainScores: { childDevelopment: 4, parentingCapacity: 4, familyEnvironment: 4 },
      goals: [{ goalId, status: 'achieved', score: 9 }],
    }),
  );
  if (followUp)
    await run((trx) =>
      recordFollowUp(serviceContext(trx, eh, new Date('2026-09-03T10:00:00Z')), {
        episodeId: episode.id,
        sustained: followUp,
        goals: [{ goalId, sustained: followUp }],
        notes: 'Checked with the family.',
      }),
    );
  return { episode, child };
}

async function aContact(childId: string, receivedAt: string) {
  const officer = await currentUserFor(h.db, 'contact-officer');
  const at = new Date(receivedAt);
  await run((trx) =>
    createContact(serviceContext(trx, officer, at, englandAndWalesCalendar), {
      localAuthorityId: officer.localAuthorityId!,
      channel: 'phone',
      referralSource: '2A',
      referrer: { name: 'School office' },
      concernCategories: ['school-attendance'],
      reason: 'Absent again',
      consent: 'given',
      urgency: 'routine',
      children: [{ personId: childId }],
      receivedAt: at,
    }),
  );
}

beforeAll(async () => {
  const a = await aClosedFamily('Ada', 'yes');
  const b = await aClosedFamily('Bea', 'partly');
  const c = await aClosedFamily('Cal', null);
  ids.a = a.episode.id;
  ids.b = b.episode.id;
  ids.c = c.episode.id;
  await aContact(a.child.id, '2026-03-20T09:00:00Z'); // 18 days after closure
  await aContact(a.child.id, '2026-10-01T09:00:00Z'); // 7 months after: outside a 6-month window
  await aContact(c.child.id, '2026-03-02T09:00:00Z'); // the day of closure: not a re-contact
  // A family closed in another period does not count.
  const other = await aChild(h.db, { givenName: 'Dan', familyName: 'Impact' });
  ids.other = (await anEarlyHelpEpisode(h.db, { now: opened, children: [other] })).episode.id;
}, 120_000);

describe('the impact of early help: outcomes sustained and re-contacts', () => {
  it('shares of closed families whose outcomes were sustained, overall and by domain, with the families behind them', async () => {
    const manager = await currentUserFor(h.db, 'team-manager');
    const input = await loadImpactInput({ db: h.db, user: manager }, period);
    const { sustained } = computeImpact(input);
    expect(sustained).toMatchObject({ closed: 3, checked: 2, notYetChecked: 1, overdue: 1 });
    expect(sustained.scopes.map((s) => [s.key, s.checked, s.yes, s.partly, s.no, s.share])).toEqual([
      ['overall', 2, 1, 1, 0, 50],
      ['childDevelopment', 2, 1, 1, 0, 50],
      ['parentingCapacity', 0, 0, 0, 0, null],
      ['familyEnvironment', 0, 0, 0, 0, null],
      ['worries', 2, 1, 1, 0, 50],
    ]);
    expect(drillDown(input, 'sustained', 'overall.yes')).toEqual([ids.a]);
    expect(drillDown(input, 'sustained', 'childDevelopment.partly')).toEqual([ids.b]);
    expect(drillDown(input, 'sustained', 'overall.unchecked')).toEqual([ids.c]);
    expect(new Set(drillDown(input, 'sustained', 'worries.checked'))).toEqual(new Set([ids.a, ids.b]));
  });

  it('counts re-contacts from the front-door contacts within the authority’s window (6 months by default, then 12)', async () => {
    const manager = await currentUserFor(h.db, 'team-manager');
    const six = computeImpact(await loadImpactInput({ db: h.db, user: manager }, period)).recontacts;
    expect(six).toMatchObject({
      closed: 3,
      withRecontact: 1,
      share: 33,
      contacts: 1,
      windowMonths: [6],
      windowStillOpen: 0,
    });
    expect(six.buckets.map((b) => [b.key, b.count])).toEqual([
      ['within-month', 1],
      ['one-to-three', 0],
      ['after-three', 0],
      ['none', 2],
    ]);

    await run((trx) =>
      saveEarlyHelpSettings(serviceContext(trx, manager, new Date('2026-11-30T10:00:00Z')), {
        localAuthorityId: manager.localAuthorityId!,
        reviewIntervalWeeks: 6,
        assessmentWorkingDays: 30,
        followUpMonths: 6,
        recontactWindowMonths: 12,
      }),
    );
    const input = await loadImpactInput({ db: h.db, user: manager }, period);
    const twelve = computeImpact(input).recontacts;
    expect(twelve).toMatchObject({
      closed: 3,
      withRecontact: 1,
      share: 33,
      contacts: 2,
      windowMonths: [12],
      windowStillOpen: 3,
    });
    expect(input.closed.find((e) => e.id === ids.a)).toMatchObject({
      recontacts: 2,
      firstRecontactOn: '2026-03-20',
    });
    expect(drillDown(input, 'recontact', undefined)).toEqual([ids.a]);
    expect(drillDown(input, 'recontact', 'within-month')).toEqual([ids.a]);
    expect(new Set(drillDown(input, 'recontact', 'none'))).toEqual(new Set([ids.b, ids.c]));
    await run((trx) =>
      saveEarlyHelpSettings(serviceContext(trx, manager, new Date('2026-11-30T10:00:00Z')), {
        localAuthorityId: manager.localAuthorityId!,
        reviewIntervalWeeks: 6,
        assessmentWorkingDays: 30,
        followUpMonths: 6,
        recontactWindowMonths: 6,
      }),
    );
  });

  it('times the first meeting from the front-door decision when there is one, else from the day the episode opened', async () => {
    // December 2026: a front-door contact decided on Tuesday 1 December, authorised (the episode opens) on Friday
    // 11 December, first meeting on Friday 18 December: 17 days from the decision (7 from the authorisation).
    const child = await aChild(h.db, { givenName: 'Eli', familyName: 'Decided', dateOfBirth: '2017-05-05' });
    const officer = await currentUserFor(h.db, 'contact-officer');
    const received = new Date('2026-12-01T09:00:00Z');
    const contact = await run((trx) =>
      createContact(serviceContext(trx, officer, received, englandAndWalesCalendar), {
        localAuthorityId: officer.localAuthorityId!,
        channel: 'phone',
        referralSource: '2A',
        referrer: { name: 'School office' },
        concernCategories: ['school-attendance'],
        reason: 'Mornings are hard',
        consent: 'given',
        urgency: 'routine',
        children: [{ personId: child.id }],
        receivedAt: received,
      }),
    );
    const mash = await currentUserFor(h.db, 'mash-practitioner');
    const mashManager = await currentUserFor(h.db, 'mash-manager');
    await run((trx) =>
      decideContact(serviceContext(trx, mash, new Date('2026-12-01T15:00:00Z')), {
        contactId: contact.id,
        levelOfNeed: 'level-2',
        outcome: 'early-help',
        rationale: 'Additional needs',
        referrerFeedback: 'Family support will call',
      }),
    );
    const routed = await run((trx) =>
      authoriseDecision(serviceContext(trx, mashManager, new Date('2026-12-11T10:00:00Z')), {
        contactId: contact.id,
        action: 'authorise',
        rationale: 'Agree',
      }),
    );
    const decided = routed.earlyHelpEpisode!.id;
    expect(
      await firstRow(h.db, 'earlyHelpEpisodes', { id: decided }, ['openedOn', 'sourceContactId']),
    ).toEqual({ openedOn: '2026-12-11', sourceContactId: contact.id });
    const decidedPlan = await anAgreedPlan(h.db, decided, { now: new Date('2026-12-18T09:00:00Z') });
    await aReview(h.db, decided, {
      now: new Date('2026-12-18T16:00:00Z'),
      heldOn: '2026-12-18',
      workerScale: 4,
      familyScale: 5,
      goals: [{ goalId: decidedPlan.goalId, score: 5 }],
    });
    // An episode with no front-door decision (a partner's): opened on 2 December, first meeting 30 December, 28 days.
    const partner = await anEarlyHelpEpisode(h.db, {
      now: new Date('2026-12-02T10:00:00Z'),
      source: 'partner',
      children: [await aChild(h.db, { givenName: 'Fay', familyName: 'Partner' })],
    });
    const partnerPlan = await anAgreedPlan(h.db, partner.episode.id, {
      now: new Date('2026-12-30T09:00:00Z'),
    });
    await aReview(h.db, partner.episode.id, {
      now: new Date('2026-12-30T16:00:00Z'),
      heldOn: '2026-12-30',
      workerScale: 4,
      familyScale: 5,
      goals: [{ goalId: partnerPlan.goalId, score: 5 }],
    });
    // One not met yet.
    const waiting = await anEarlyHelpEpisode(h.db, {
      now: new Date('2026-12-03T10:00:00Z'),
      children: [await aChild(h.db, { givenName: 'Gus', familyName: 'Waiting' })],
    });

    const manager = await currentUserFor(h.db, 'team-manager');
    const input = await loadImpactInput(
      { db: h.db, user: manager },
      {
        from: '2026-12-01',
        to: '2026-12-31',
      },
    );
    expect(input.opened.map((o) => [o.id, o.openedOn, o.decidedOn, o.firstMeetingOn]).sort()).toEqual(
      [
        [decided, '2026-12-11', '2026-12-01', '2026-12-18'],
        [partner.episode.id, '2026-12-02', null, '2026-12-30'],
        [waiting.episode.id, '2026-12-03', null, null],
      ].sort(),
    );
    const { firstMeeting } = computeImpact(input);
    expect(firstMeeting).toMatchObject({ opened: 3, held: 2, medianDays: 22.5, averageDays: 22.5 });
    expect(firstMeeting.buckets.map((b) => [b.key, b.count])).toEqual([
      ['0-10', 0],
      ['11-20', 1],
      ['21-30', 1],
      ['over-30', 0],
      ['none', 1],
    ]);
    expect(drillDown(input, 'first-meeting', '11-20')).toEqual([decided]);
    expect(drillDown(input, 'first-meeting', '0-10')).toEqual([]);
    expect(drillDown(input, 'first-meeting', '21-30')).toEqual([partner.episode.id]);
    expect(drillDown(input, 'first-meeting', 'none')).toEqual([waiting.episode.id]);
  });
});
