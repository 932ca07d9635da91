import { beforeAll, describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds } from '../../../test/builders/organisation.ts';
import { readContextFor, userFor } from '../../../test/builders/context.ts';
import {
  aContactRecord,
  anEarlyHelpRecord,
  anEpisodeRecord,
  aStepDownRecord,
  aStepUpRecord,
  referenceOf,
} from '../../../test/builders/performance.ts';
import type { MeasureId } from './measures.ts';
import { childrenBehind, measureFigure } from './performance.service.ts';
import type { MeasureScope } from './measures.repository.ts';

/**
 * Step-ups and step-downs and their outcomes (issue 21 item 1) against a hand count, for 1 April to 30 November 2026
 * in Richmond. A record's date is its London date (British Summer Time ends on 25 October 2026).
 *
 * Step-ups from early help to the front door, one row per child of the episode, by the front door's authorised
 * decision on the step-up's contact:
 *   U1 Ula, 1 Jul 2026, decided social care                           → social-care
 *   U2 Ben and Cat (one episode, two children), 2 Sep 2026, no decision → awaiting, awaiting
 *   U3 Dan, 31 Mar 2026 23:30 UTC = 1 Apr 00:30 in London, early help → early-help (the first day counts)
 *   U4 Eve, 1 Dec 2026: after the period                               → not counted
 *   U5 Kit, a Kingston episode, 1 Jul 2026                             → not counted
 *   → 4: social-care 1, early-help 1, awaiting 2
 *
 * Step-downs from social care to early help, by early help's response:
 *   D1 10 Jun 2026, accepted
 *   D2 1 Sep 2026, declined
 *   D3 30 Nov 2026 23:30 UTC (GMT: still 30 November in London), no response yet → awaiting
 *   D4 31 Mar 2026 22:30 UTC = 23:30 on 31 March in London: before the period → not counted
 *   → 3: accepted 1, declined 1, awaiting 1
 */

const h = databaseForFile();
const now = new Date('2026-12-07T10:00:00Z');
let scope: MeasureScope;
const refs: Record<string, string> = {};

beforeAll(async () => {
  const db = h.db;
  const { richmond, kingston } = await localAuthorityIds(db);
  scope = { localAuthorityIds: [richmond], teamId: null, from: '2026-04-01', to: '2026-11-30' };
  const sw = await userIdFor(db, 'social-worker');
  const child = (givenName: string) => aChild(db, { givenName, familyName: 'Steps' }).then((c) => c.id);

  const stepUp = async (
    key: string,
    names: string[],
    at: string,
    outcome?: string,
    localAuthorityId = richmond,
  ) => {
    const childIds = await Promise.all(names.map(child));
    const eh = await anEarlyHelpRecord(db, { localAuthorityId, childIds, openedOn: '2026-01-05' });
    const { contactId } = await aContactRecord(db, {
      localAuthorityId,
      receivedAt: at,
      childId: childIds[0]!,
      userId: sw,
      ...(outcome ? { decision: { outcome, decidedAt: at } } : {}),
    });
    await aStepUpRecord(db, { episodeId: eh, contactId, steppedUpAt: at, userId: sw });
    refs[key] = (
      await db
        .selectFrom('earlyHelpEpisodes')
        .select('reference')
        .where('id', '=', eh)
        .executeTakeFirstOrThrow()
    ).reference;
  };
  await stepUp('U1', ['Ula'], '2026-07-01T10:00:00Z', 'social-care');
  await stepUp('U2', ['Ben', 'Cat'], '2026-09-02T10:00:00Z');
  await stepUp('U3', ['Dan'], '2026-03-31T23:30:00Z', 'early-help');
  await stepUp('U4', ['Eve'], '2026-12-01T10:00:00Z', 'nfa');
  await stepUp('U5', ['Kit'], '2026-07-01T10:00:00Z', 'nfa', kingston);

  const stepDown = async (key: string, at: string, response?: 'accepted' | 'declined') => {
    const episode = await anEpisodeRecord(db, {
      childId: await child(`Down${key}`),
      localAuthorityId: richmond,
      referralDate: '2026-01-05',
    });
    await aStepDownRecord(db, {
      cinEpisodeId: episode,
      localAuthorityId: richmond,
      recordedAt: at,
      userId: sw,
      ...(response ? { response } : {}),
    });
    refs[key] = await referenceOf(db, episode);
  };
  await stepDown('D1', '2026-06-10T10:00:00Z', 'accepted');
  await stepDown('D2', '2026-09-01T10:00:00Z', 'declined');
  await stepDown('D3', '2026-11-30T23:30:00Z');
  await stepDown('D4', '2026-03-31T22:30:00Z', 'accepted');
});

async function figure(id: MeasureId) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'performance-analyst'), now);
  return measureFigure(ctx, id, scope);
}
const groupsOf = (f: Awaited<ReturnType<typeof figure>>) =>
  Object.fromEntries(f.groups.filter((g) => g.total).map((g) => [g.key, g.total]));
async function refsBehind(id: MeasureId, group?: string) {
  const ctx = readContextFor(h.db, await userFor(h.db, 'team-manager'), now);
  const { rows, total } = await childrenBehind(ctx, id, scope, { group }, 'all');
  expect(rows).toHaveLength(total);
  return rows.map((r) => `${r.ref} ${r.eventOn}`).sort();
}

describe('step-ups and step-downs and their outcomes, against a hand count', () => {
  it('step-ups: one row per child, by the front door’s authorised decision, on the London date', async () => {
    const f = await figure('step-ups');
    expect(f.total).toBe(4);
    expect(groupsOf(f)).toEqual({ 'social-care': 1, 'early-help': 1, awaiting: 2 });
    expect(await refsBehind('step-ups')).toEqual(
      [
        `${refs.U1} 2026-07-01`,
        `${refs.U2} 2026-09-02`,
        `${refs.U2} 2026-09-02`,
        `${refs.U3} 2026-04-01`,
      ].sort(),
    );
    expect(await refsBehind('step-ups', 'awaiting')).toEqual([
      `${refs.U2} 2026-09-02`,
      `${refs.U2} 2026-09-02`,
    ]);
  });

  it('step-downs: by early help’s response, on the London date', async () => {
    const f = await figure('step-downs');
    expect(f.total).toBe(3);
    expect(groupsOf(f)).toEqual({ accepted: 1, declined: 1, awaiting: 1 });
    expect(await refsBehind('step-downs')).toEqual(
      [`${refs.D1} 2026-06-10`, `${refs.D2} 2026-09-01`, `${refs.D3} 2026-11-30`].sort(),
    );
    expect(await refsBehind('step-downs', 'accepted')).toEqual([`${refs.D1} 2026-06-10`]);
  });
});
