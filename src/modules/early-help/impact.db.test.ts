import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { anAgreedPlan, anEarlyHelpEpisode, currentUserFor } from '../../../test/builders/early-help.ts';
import { createContact } from '../front-door/contact.service.ts';
import { closeEpisode, recordFollowUp } from './closure.service.ts';
import type { Sustained } from './early-help.ts';
import { computeImpact, drillDown } from './impact.ts';
import { loadImpactInput } from './impact.service.ts';
import { saveEarlyHelpSettings } from './settings.ts';

/**
 * The impact page's sustained outcomes and re-contacts, on real records in a database of their own (so every figure
 * is exact): three families closed on 2 March 2026; two checked at the follow-up (one sustained, one partly), one
 * not yet checked; contacts to the front door 18 days and 7 months after one family's closure.
 */

let h: Awaited<ReturnType<typeof testDb>>;
const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => h.db.transaction().execute(fn);
const opened = new Date('2026-01-05T10:00:00Z');
const closedAt = new Date('2026-03-02T15:00:00Z');
const period = { from: '2026-01-01', to: '2026-11-30' };
const ids: Record<'a' | 'b' | 'c' | 'other', string> = { a: '', b: '', c: '', other: '' };

async function aClosedFamily(givenName: string, followUp: Sustained | null) {
  const child = await aChild(h.db, { givenName, familyName: 'Impact', dateOfBirth: '2016-04-04' });
  const { episode } = await anEarlyHelpEpisode(h.db, { now: opened, children: [child] });
  const { goalId } = await anAgreedPlan(h.db, episode.id, { now: opened });
  const eh = await currentUserFor(h.db, 'early-help-practitioner');
  await run((trx) =>
    closeEpisode(
      trx,
      eh,
      { episodeId: episode.id, closedOn: '2026-03-02', reason: 'needs-met', outcome: 'improved', summary: 'Better.', workerScale: 8, familyScale: 8, domainScores: { childDevelopment: 4, parentingCapacity: 4, familyEnvironment: 4 }, goals: [{ goalId, status: 'achieved', score: 9 }] },
      closedAt,
    ),
  );
  if (followUp) await run((trx) => recordFollowUp(trx, eh, { episodeId: episode.id, sustained: followUp, goals: [{ goalId, sustained: followUp }], notes: 'Checked with the family.' }, new Date('2026-09-03T10:00:00Z')));
  return { episode, child };
}

async function aContact(childId: string, receivedAt: string) {
  const officer = await currentUserFor(h.db, 'contact-officer');
  const at = new Date(receivedAt);
  await run((trx) =>
    createContact(
      trx,
      { kind: 'user', user: officer },
      { localAuthorityId: officer.localAuthorityId!, channel: 'phone', referralSource: '2A', referrer: { name: 'School office' }, concernCategories: ['school-attendance'], reason: 'Absent again', consent: 'given', urgency: 'routine', children: [{ personId: childId }], receivedAt: at },
      at,
      englandAndWalesCalendar,
    ),
  );
}

beforeAll(async () => {
  h = await testDb();
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
afterAll(async () => {
  await h?.close();
});

describe('the impact of early help: outcomes sustained and re-contacts', () => {
  it('shares of closed families whose outcomes were sustained, overall and by domain, with the families behind them', async () => {
    const manager = await currentUserFor(h.db, 'team-manager');
    const input = await loadImpactInput(h.db, manager, period);
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
    const six = computeImpact(await loadImpactInput(h.db, manager, period)).recontacts;
    expect(six).toMatchObject({ closed: 3, withRecontact: 1, share: 33, contacts: 1, windowMonths: [6], windowStillOpen: 0 });
    expect(six.buckets.map((b) => [b.key, b.count])).toEqual([['within-month', 1], ['one-to-three', 0], ['after-three', 0], ['none', 2]]);

    await run((trx) => saveEarlyHelpSettings(trx, manager, { localAuthorityId: manager.localAuthorityId!, reviewIntervalWeeks: 6, assessmentWorkingDays: 30, followUpMonths: 6, recontactWindowMonths: 12 }, new Date('2026-11-30T10:00:00Z')));
    const input = await loadImpactInput(h.db, manager, period);
    const twelve = computeImpact(input).recontacts;
    expect(twelve).toMatchObject({ closed: 3, withRecontact: 1, share: 33, contacts: 2, windowMonths: [12], windowStillOpen: 3 });
    expect(input.closed.find((e) => e.id === ids.a)).toMatchObject({ recontacts: 2, firstRecontactOn: '2026-03-20' });
    expect(drillDown(input, 'recontact', undefined)).toEqual([ids.a]);
    expect(drillDown(input, 'recontact', 'within-month')).toEqual([ids.a]);
    expect(new Set(drillDown(input, 'recontact', 'none'))).toEqual(new Set([ids.b, ids.c]));
    await run((trx) => saveEarlyHelpSettings(trx, manager, { localAuthorityId: manager.localAuthorityId!, reviewIntervalWeeks: 6, assessmentWorkingDays: 30, followUpMonths: 6, recontactWindowMonths: 6 }, new Date('2026-11-30T10:00:00Z')));
  });
});
