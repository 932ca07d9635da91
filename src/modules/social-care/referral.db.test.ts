import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { demoEmail } from '../admin/organisation.seed.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { openCinReferral } from './referral.service.ts';
import { openEarlyHelpEpisode } from '../early-help/episode.service.ts';

let handle: DatabaseHandle;
let mash: CurrentUser;
let partner: CurrentUser;
let richmond: string;
let assessmentTeam: string;
const now = new Date('2026-11-24T10:00:00Z');

async function aChild(kind: 'child' | 'adult' = 'child') {
  return (
    await handle.db
      .insertInto('people')
      .values({ localAuthorityId: richmond, kind, givenName: 'Ref', familyName: 'Child', searchName: 'ref child', dateOfBirth: '2018-02-02' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
const user = async (local: string) =>
  (await loadCurrentUser(handle.db, (await handle.db.selectFrom('users').select('id').where('email', '=', demoEmail(local)).executeTakeFirstOrThrow()).id, null))!;
const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);

beforeAll(async () => {
  handle = await testDb();
  richmond = (await handle.db.selectFrom('localAuthorities').select('id').where('laCode', '=', '318').executeTakeFirstOrThrow()).id;
  assessmentTeam = (await handle.db.selectFrom('teams').select('id').where('name', '=', 'Assessment Team').executeTakeFirstOrThrow()).id;
  mash = await user('mash.practitioner');
  partner = await user('police.officer');
});
afterAll(async () => {
  await handle?.close();
});

describe('opening a referral to social care (CIN episode)', () => {
  it('creates the episode with census fields, allocates it to the team, and records it', async () => {
    const child = await aChild();
    const { id, reference } = await run((trx) =>
      openCinReferral(trx, mash, { childId: child, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam, primaryNeedCode: 'N1' }, now),
    );
    expect(reference).toMatch(/^CIN-2026-\d{5}$/);
    const row = await handle.db.selectFrom('cinEpisodes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ referralDate: '2026-11-24', referralSource: '6', primaryNeedCode: 'N1', referralNfa: false, closureDate: null });
    const allocation = await handle.db.selectFrom('allocations').selectAll().where('involvementId', '=', id).executeTakeFirstOrThrow();
    expect(allocation).toMatchObject({ teamId: assessmentTeam, workerId: null, involvementType: 'cin-episode' });
    expect(await handle.db.selectFrom('auditEvents').select('action').where('subjectId', '=', id).execute()).toEqual([{ action: 'cin-referral.opened' }]);
    expect((await handle.db.selectFrom('caseEvents').select('title').where('sourceId', '=', id).executeTakeFirstOrThrow()).title).toContain(reference);
  });

  it('refuses a second open episode (rule 8815) but allows an NFA referral, closed with RC8 the same day', async () => {
    const child = await aChild();
    await run((trx) => openCinReferral(trx, mash, { childId: child, referralDate: '2026-11-20', referralSource: '2A', teamId: assessmentTeam }, now));
    // Once allocated, the front door no longer records on the child: the allocated team's line does.
    const manager = await user('team.manager');
    await expect(run((trx) => openCinReferral(trx, mash, { childId: child, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam }, now))).rejects.toThrow(NotFoundError);
    await expect(run((trx) => openCinReferral(trx, manager, { childId: child, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam }, now))).rejects.toThrow(/rule 8815/);
    const nfa = await run((trx) => openCinReferral(trx, manager, { childId: child, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam, referralNfa: true }, now));
    expect(await handle.db.selectFrom('cinEpisodes').select(['closureDate', 'closureReason']).where('id', '=', nfa.id).executeTakeFirstOrThrow()).toEqual({ closureDate: '2026-11-24', closureReason: 'RC8' });
  });

  it('refuses a source outside the census list (rule 8866), an adult, and anyone without access', async () => {
    const child = await aChild();
    const error = await run((trx) => openCinReferral(trx, mash, { childId: child, referralDate: '2026-11-24', referralSource: '11', teamId: assessmentTeam }, now)).catch((e) => e);
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect(error).toMatchObject({ field: 'referralSource' });
    const adult = await aChild('adult');
    await expect(run((trx) => openCinReferral(trx, mash, { childId: adult, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam }, now))).rejects.toThrow(/for a child/);
    await expect(run((trx) => openCinReferral(trx, partner, { childId: child, referralDate: '2026-11-24', referralSource: '6', teamId: assessmentTeam }, now))).rejects.toThrow(NotFoundError);
  });
});

describe('opening an early help episode', () => {
  it('opens one episode for siblings, allocates the lead practitioner, and refuses a second open one', async () => {
    const a = await aChild();
    const b = await aChild();
    const lead = await user('early.help');
    const { id, reference } = await run((trx) =>
      openEarlyHelpEpisode(trx, mash, { childIds: [a, b], source: 'front-door', openedOn: '2026-11-24', leadPractitionerId: lead.id, consentGiven: true }, now),
    );
    expect(reference).toMatch(/^EH-2026-\d{5}$/);
    const allocations = await handle.db.selectFrom('allocations').select(['childId', 'workerId', 'role']).where('involvementId', '=', id).execute();
    expect(allocations).toHaveLength(2);
    expect(allocations.every((x) => x.workerId === lead.id && x.role === 'lead-practitioner')).toBe(true);
    await expect(run((trx) => openEarlyHelpEpisode(trx, lead, { childIds: [b], source: 'front-door', openedOn: '2026-11-25' }, now))).rejects.toThrow(new RegExp(reference));
    expect(await handle.db.selectFrom('caseEvents').select('childId').where('sourceId', '=', id).execute()).toHaveLength(2);
  });

  it('needs a child and an active lead practitioner', async () => {
    await expect(run((trx) => openEarlyHelpEpisode(trx, mash, { childIds: [], source: 'partner', openedOn: '2026-11-24' }, now))).rejects.toThrow('Select at least one child');
    const a = await aChild();
    await expect(
      run((trx) => openEarlyHelpEpisode(trx, mash, { childIds: [a], source: 'partner', openedOn: '2026-11-24', leadPractitionerId: '00000000-0000-4000-8000-000000000000' }, now)),
    ).rejects.toThrow('Choose an active user');
  });
});
