import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { demoEmail } from '../admin/organisation.seed.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError, RecordReadOnlyError } from '../../kernel/errors.ts';
import { openCinReferral } from './referral.service.ts';
import { CensusRuleError } from './census-queries.ts';
import { openEarlyHelpEpisode } from '../early-help/episode.service.ts';
import { generateUpn } from '../../kernel/identifiers/index.ts';
import { contextFor } from '../../../test/builders/social-care.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

let handle: DatabaseHandle;
let mash: CurrentUser;
let partner: CurrentUser;
let richmond: string;
let assessmentTeam: string;
const now = new Date('2026-11-24T10:00:00Z');

type ChildFields = {
  dateOfBirth?: string | null;
  expectedDateOfBirth?: string | null;
  dateOfDeath?: string | null;
  sex?: string | null;
  ethnicityCode?: string | null;
  upnUnknownReason?: string | null;
};
/** A child whose census details are complete (no UPN yet: UN4, newly referred) unless `fields`/`disabilities` say otherwise. */
async function aChild(
  kind: 'child' | 'adult' = 'child',
  fields: ChildFields = {},
  disabilities: string[] = ['NONE'],
) {
  const id = (
    await handle.db
      .insertInto('people')
      .values({
        localAuthorityId: richmond,
        kind,
        givenName: 'Ref',
        familyName: 'Child',
        searchName: 'ref child',
        dateOfBirth: '2018-02-02',
        sex: 'F',
        ethnicityCode: 'WBRI',
        upnUnknownReason: 'UN4',
        ...fields,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  if (disabilities.length)
    await handle.db
      .insertInto('personDisabilities')
      .values(disabilities.map((code) => ({ personId: id, code })))
      .execute();
  return id;
}
const refer = (child: string, extra: Partial<Parameters<typeof openCinReferral>[1]> = {}) =>
  run((trx) =>
    openCinReferral(contextFor(trx, mash, now), {
      childId: child,
      referralDate: '2026-11-24',
      referralSource: '6',
      teamId: assessmentTeam,
      ...extra,
    }),
  );
const refusal = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(CensusRuleError);
  return e as CensusRuleError;
};
const episodesOf = async (child: string) => rowsOf(handle.db, 'cinEpisodes', { childId: child }, ['id']);
const user = async (local: string) =>
  (await loadCurrentUser(
    handle.db,
    await valueOf(handle.db, 'users', { email: demoEmail(local) }, 'id'),
    null,
  ))!;
const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);

beforeAll(async () => {
  handle = await testDb();
  richmond = await valueOf(handle.db, 'localAuthorities', { laCode: '318' }, 'id');
  assessmentTeam = await valueOf(handle.db, 'teams', { name: 'Assessment Team' }, 'id');
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
      openCinReferral(contextFor(trx, mash, now), {
        childId: child,
        referralDate: '2026-11-24',
        referralSource: '6',
        teamId: assessmentTeam,
        primaryNeedCode: 'N1',
      }),
    );
    expect(reference).toMatch(/^CIN-2026-\d{5}$/);
    const row = await handle.db
      .selectFrom('cinEpisodes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      referralDate: '2026-11-24',
      referralSource: '6',
      primaryNeedCode: 'N1',
      referralNfa: false,
      closureDate: null,
    });
    const allocation = await handle.db
      .selectFrom('allocations')
      .selectAll()
      .where('involvementId', '=', id)
      .executeTakeFirstOrThrow();
    expect(allocation).toMatchObject({
      teamId: assessmentTeam,
      workerId: null,
      involvementType: 'cin-episode',
    });
    expect(await rowsOf(handle.db, 'auditEvents', { subjectId: id }, ['action'])).toEqual([
      { action: 'cin-referral.opened' },
    ]);
    expect(await valueOf(handle.db, 'caseEvents', { sourceId: id }, 'title')).toContain(reference);
    // Referred today: the chronology entry is dated now.
    expect(await valueOf(handle.db, 'caseEvents', { sourceId: id }, 'occurredAt')).toEqual(now);
  });

  it('dates the chronology entry on the referral date, not the day it was recorded', async () => {
    const child = await aChild();
    const { id } = await run((trx) =>
      openCinReferral(contextFor(trx, mash, now), {
        childId: child,
        referralDate: '2026-11-17',
        referralSource: '6',
        teamId: assessmentTeam,
        primaryNeedCode: 'N1',
      }),
    );
    const entry = await firstRow(handle.db, 'caseEvents', { sourceId: id }, ['occurredAt', 'recordedAt']);
    expect(entry.occurredAt).toEqual(new Date('2026-11-17T12:00:00Z'));
    expect(entry.recordedAt).toEqual(now);
  });

  it('refuses a second open episode (rule 8815) and an NFA referral inside the open one (rule 8820); an NFA referral is closed with RC8 the same day', async () => {
    const child = await aChild();
    await run((trx) =>
      openCinReferral(contextFor(trx, mash, now), {
        childId: child,
        referralDate: '2026-11-20',
        referralSource: '2A',
        teamId: assessmentTeam,
      }),
    );
    // Once allocated, the front door no longer records on the child (it may read, not change): the allocated team's line does.
    const manager = await user('team.manager');
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, mash, now), {
          childId: child,
          referralDate: '2026-11-24',
          referralSource: '6',
          teamId: assessmentTeam,
        }),
      ),
    ).rejects.toThrow(RecordReadOnlyError);
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, manager, now), {
          childId: child,
          referralDate: '2026-11-24',
          referralSource: '6',
          teamId: assessmentTeam,
        }),
      ),
    ).rejects.toThrow(/rule 8815/);
    const overlap = await refusal(
      run((trx) =>
        openCinReferral(contextFor(trx, manager, now), {
          childId: child,
          referralDate: '2026-11-24',
          referralSource: '6',
          teamId: assessmentTeam,
          referralNfa: true,
        }),
      ),
    );
    expect(overlap.violations.map((v) => [v.rule, v.field])).toEqual([['8820', 'referralDate']]);
    const other = await aChild();
    const nfa = await run((trx) =>
      openCinReferral(contextFor(trx, manager, now), {
        childId: other,
        referralDate: '2026-11-24',
        referralSource: '6',
        teamId: assessmentTeam,
        referralNfa: true,
      }),
    );
    expect(
      await firstRow(handle.db, 'cinEpisodes', { id: nfa.id }, ['closureDate', 'closureReason']),
    ).toEqual({ closureDate: '2026-11-24', closureReason: 'RC8' });
  });

  it('8820: a referral cannot fall inside a closed episode, but may be made on the day one closed', async () => {
    const child = await aChild();
    const first = await refer(child, { referralDate: '2026-06-01' });
    await handle.db
      .updateTable('cinEpisodes')
      .set({ closureDate: '2026-09-30', closureReason: 'RC7' })
      .where('id', '=', first.id)
      .execute();
    const manager = await user('team.manager');
    const refused = await refusal(
      run((trx) =>
        openCinReferral(contextFor(trx, manager, now), {
          childId: child,
          referralDate: '2026-09-29',
          referralSource: '6',
          teamId: assessmentTeam,
        }),
      ),
    );
    expect(refused.violations[0]).toMatchObject({ rule: '8820', field: 'referralDate' });
    expect(refused.message).toContain('(rule 8820)');
    await run((trx) =>
      openCinReferral(contextFor(trx, manager, now), {
        childId: child,
        referralDate: '2026-09-30',
        referralSource: '6',
        teamId: assessmentTeam,
      }),
    );
    expect(await episodesOf(child)).toHaveLength(2);
  });
});

describe('the child’s census details at referral (rules 4180, 8750, 4220, 8540, 8525Q, 8535Q, 8772)', () => {
  const errorRule = async (child: string) =>
    (await refusal(refer(child))).violations.map((v) => [v.rule, v.kind, v.field]);

  it('4180: refuses a child with no sex recorded, accepts one with it', async () => {
    const bad = await aChild('child', { sex: null });
    expect(await errorRule(bad)).toEqual([['4180', 'error', 'childRecord']]);
    expect(await episodesOf(bad)).toEqual([]);
    await handle.db.updateTable('people').set({ sex: 'M' }).where('id', '=', bad).execute();
    await refer(bad);
    expect(await episodesOf(bad)).toHaveLength(1);
  });

  it('8750: refuses an unborn child whose sex is not U, accepts U', async () => {
    const bad = await aChild('child', { dateOfBirth: null, expectedDateOfBirth: '2027-02-01', sex: 'F' }, []);
    const e = await refusal(refer(bad));
    expect(e.violations.map((v) => v.rule)).toEqual(['8750']);
    expect(e.message).toMatch(/Ref Child: .*unborn.*\(rule 8750\)/);
    const good = await aChild(
      'child',
      { dateOfBirth: null, expectedDateOfBirth: '2027-02-01', sex: 'U' },
      [],
    );
    await refer(good);
    expect(await episodesOf(good)).toHaveLength(1);
  });

  it('4220: refuses a child with no ethnicity or a code outside the census list, accepts “not yet obtained”', async () => {
    expect(await errorRule(await aChild('child', { ethnicityCode: null }))).toEqual([
      ['4220', 'error', 'childRecord'],
    ]);
    expect(await errorRule(await aChild('child', { ethnicityCode: 'ZZZZ' }))).toEqual([
      ['4220', 'error', 'childRecord'],
    ]);
    const good = await aChild('child', { ethnicityCode: 'NOBT' });
    await refer(good);
    expect(await episodesOf(good)).toHaveLength(1);
  });

  it('8540: refuses a born child with no disability recorded (unless the referral is NFA), accepts “No disability”', async () => {
    const bad = await aChild('child', {}, []);
    expect(await errorRule(bad)).toEqual([['8540', 'error', 'childRecord']]);
    await refer(bad, { referralNfa: true });
    const good = await aChild('child', {}, ['LD', 'COMM']);
    await refer(good);
    expect(await episodesOf(good)).toHaveLength(1);
  });

  it('8772: UPN unknown as UN7 is refused for a referral going on to further action (this one or another in the census year), accepted while every referral is NFA', async () => {
    const child = await aChild('child', { upnUnknownReason: 'UN7' });
    await refer(child, { referralDate: '2026-11-20', referralNfa: true });
    const e = await refusal(refer(child));
    expect(e.violations.map((v) => [v.rule, v.kind, v.field])).toEqual([['8772', 'error', 'childRecord']]);
    expect(e.message).toBe(
      'Ref Child: The reason the child’s UPN is not known is “Referral with no further action” (UN7), but a referral for the child goes on to further action: record the UPN, or another reason it is not known (rule 8772)',
    );
    expect(await episodesOf(child)).toHaveLength(1);
    await handle.db.updateTable('people').set({ upnUnknownReason: 'UN4' }).where('id', '=', child).execute();
    await refer(child);
    expect(await episodesOf(child)).toHaveLength(2);

    // An NFA referral is refused too while an episode that went on to further action is in the census year.
    const earlier = await aChild('child');
    const first = await refer(earlier, { referralDate: '2026-06-01' });
    await handle.db
      .updateTable('cinEpisodes')
      .set({ closureDate: '2026-06-30', closureReason: 'RC7' })
      .where('id', '=', first.id)
      .execute();
    await handle.db
      .updateTable('people')
      .set({ upnUnknownReason: 'UN7' })
      .where('id', '=', earlier)
      .execute();
    const manager = await user('team.manager');
    const nfa = {
      childId: earlier,
      referralDate: '2026-11-24',
      referralSource: '6',
      teamId: assessmentTeam,
      referralNfa: true,
    };
    expect(
      (await refusal(run((trx) => openCinReferral(contextFor(trx, manager, now), nfa)))).violations.map(
        (v) => v.rule,
      ),
    ).toEqual(['8772']);
    // Closed before this collection year (1 April 2026): not returned, so UN7 stands for the NFA referral.
    await handle.db
      .updateTable('cinEpisodes')
      .set({ referralDate: '2026-01-05', closureDate: '2026-03-31' })
      .where('id', '=', first.id)
      .execute();
    await run((trx) => openCinReferral(contextFor(trx, manager, now), nfa));
    expect(await episodesOf(earlier)).toHaveLength(2);
  });

  it('8525Q: a child with both a date of birth and an expected one is a warning until confirmed; the confirmation is kept', async () => {
    const child = await aChild('child', { expectedDateOfBirth: '2018-02-10' });
    const e = await refusal(refer(child));
    expect(e.violations).toEqual([
      expect.objectContaining({ rule: '8525Q', kind: 'query', field: 'confirmCensusQueries' }),
    ]);
    expect(e.message).toContain('(query 8525Q)');
    expect(await episodesOf(child)).toEqual([]);
    const { id } = await refer(child, { confirmCensusQueries: true });
    const kept = await rowsOf(handle.db, 'censusQueryExplanations', { episodeId: id }, [
      'rule',
      'explanation',
      'subjectType',
    ]);
    expect(kept).toEqual([
      {
        rule: '8525Q',
        explanation: 'Checked and confirmed as right when the referral was opened',
        subjectType: 'cin-episode',
      },
    ]);
    const clean = await aChild();
    const ok = await refer(clean);
    expect(await rowsOf(handle.db, 'censusQueryExplanations', { episodeId: ok.id }, ['rule'])).toEqual([]);
  });

  it('8535Q: a date of death before the date of birth is a warning until confirmed, with the worker’s note kept', async () => {
    // Referred on the day of the recorded death (so rule 8555Q, a referral after death, does not apply as well), in
    // this census year (so 8545Q, a death before the year, does not either).
    const child = await aChild('child', { dateOfBirth: '2026-05-02', dateOfDeath: '2026-05-01' });
    const e = await refusal(refer(child, { referralDate: '2026-05-01' }));
    expect(e.violations).toEqual([
      expect.objectContaining({ rule: '8535Q', kind: 'query', field: 'confirmCensusQueries' }),
    ]);
    const { id } = await refer(child, {
      referralDate: '2026-05-01',
      confirmCensusQueries: true,
      queryExplanation: 'Dates confirmed with the registrar',
    });
    expect(
      await rowsOf(handle.db, 'censusQueryExplanations', { episodeId: id }, ['rule', 'explanation']),
    ).toEqual([{ rule: '8535Q', explanation: 'Dates confirmed with the registrar' }]);
    const fine = await aChild('child', { dateOfBirth: '2018-02-02', dateOfDeath: null });
    await refer(fine);
    expect(await episodesOf(fine)).toHaveLength(1);
  });

  it('8770Q: a school-age child with no UPN and no reason (or UN1, not of school age) is a warning until confirmed; a UPN or another reason is accepted', async () => {
    // Born 2018: of school age for the return at 31 March 2027.
    for (const upnUnknownReason of [null, 'UN1']) {
      const child = await aChild('child', { upnUnknownReason });
      const e = await refusal(refer(child));
      expect(e.violations).toEqual([
        expect.objectContaining({ rule: '8770Q', kind: 'query', field: 'confirmCensusQueries' }),
      ]);
      expect(e.message).toContain('(query 8770Q)');
      expect(await episodesOf(child)).toEqual([]);
      const { id } = await refer(child, {
        confirmCensusQueries: true,
        queryExplanation: 'School asked for the UPN; not received yet',
      });
      expect(
        await rowsOf(handle.db, 'censusQueryExplanations', { episodeId: id }, ['rule', 'explanation']),
      ).toEqual([{ rule: '8770Q', explanation: 'School asked for the UPN; not received yet' }]);
    }
    const withUpn = await aChild('child', { upnUnknownReason: null });
    await handle.db
      .updateTable('people')
      .set({ upn: generateUpn({ laCode: '318', establishment: 2041, year: 2021, serial: 117 }) })
      .where('id', '=', withUpn)
      .execute();
    await refer(withUpn);
    // Born in September 2023: reception in September 2028, not of school age for this return.
    const young = await aChild('child', { dateOfBirth: '2023-09-01', upnUnknownReason: null });
    await refer(young);
    expect(await episodesOf(withUpn)).toHaveLength(1);
    expect(await episodesOf(young)).toHaveLength(1);
  });

  it('8569Q: a referral dated before the working day before this census year, recorded as no further action, is a warning until confirmed', async () => {
    // 1 April 2026 is a Wednesday: a referral on Monday 30 March is before Tuesday 31 March.
    const child = await aChild();
    const e = await refusal(refer(child, { referralDate: '2026-03-30', referralNfa: true }));
    expect(e.violations).toEqual([
      expect.objectContaining({ rule: '8569Q', kind: 'query', field: 'confirmCensusQueries' }),
    ]);
    expect(await episodesOf(child)).toEqual([]);
    await refer(child, { referralDate: '2026-03-30', referralNfa: true, confirmCensusQueries: true });
    const onTheDayBefore = await aChild();
    await refer(onTheDayBefore, { referralDate: '2026-03-31', referralNfa: true });
    expect(await episodesOf(child)).toHaveLength(1);
    expect(await episodesOf(onTheDayBefore)).toHaveLength(1);
  });

  it('8600: a referral dated after today is refused; 8775Q: a child over 25 is a warning until confirmed', async () => {
    const child = await aChild();
    const future = await refusal(refer(child, { referralDate: '2026-11-25' }));
    expect(future.violations).toEqual([
      expect.objectContaining({ rule: '8600', kind: 'error', field: 'referralDate' }),
    ]);
    const older = await aChild('child', { dateOfBirth: '2001-05-01' });
    const query = await refusal(refer(older));
    expect(query.violations).toEqual([
      expect.objectContaining({ rule: '8775Q', kind: 'query', field: 'confirmCensusQueries' }),
    ]);
    expect(await episodesOf(older)).toEqual([]);
    await refer(older, { confirmCensusQueries: true });
    await refer(child);
    expect(await episodesOf(older)).toHaveLength(1);
    expect(await episodesOf(child)).toHaveLength(1);
  });

  it('refuses a source outside the census list (rule 8866), an adult, and anyone without access', async () => {
    const child = await aChild();
    const error = await run((trx) =>
      openCinReferral(contextFor(trx, mash, now), {
        childId: child,
        referralDate: '2026-11-24',
        referralSource: '11',
        teamId: assessmentTeam,
      }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect(error).toMatchObject({ field: 'referralSource' });
    const adult = await aChild('adult');
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, mash, now), {
          childId: adult,
          referralDate: '2026-11-24',
          referralSource: '6',
          teamId: assessmentTeam,
        }),
      ),
    ).rejects.toThrow(/for a child/);
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, partner, now), {
          childId: child,
          referralDate: '2026-11-24',
          referralSource: '6',
          teamId: assessmentTeam,
        }),
      ),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('opening an early help episode', () => {
  it('opens one episode for siblings, allocates the lead practitioner, and refuses a second open one', async () => {
    const a = await aChild();
    const b = await aChild();
    const lead = await user('early.help');
    const { id, reference } = await run((trx) =>
      openEarlyHelpEpisode(
        { db: trx, user: mash, now },
        {
          childIds: [a, b],
          source: 'front-door',
          openedOn: '2026-11-24',
          leadPractitionerId: lead.id,
          consentGiven: true,
        },
      ),
    );
    expect(reference).toMatch(/^EH-2026-\d{5}$/);
    const allocations = await rowsOf(handle.db, 'allocations', { involvementId: id }, [
      'childId',
      'workerId',
      'role',
    ]);
    expect(allocations).toHaveLength(2);
    expect(allocations.every((x) => x.workerId === lead.id && x.role === 'lead-practitioner')).toBe(true);
    await expect(
      run((trx) =>
        openEarlyHelpEpisode(
          { db: trx, user: lead, now },
          { childIds: [b], source: 'front-door', openedOn: '2026-11-25' },
        ),
      ),
    ).rejects.toThrow(new RegExp(reference));
    expect(await rowsOf(handle.db, 'caseEvents', { sourceId: id }, ['childId'])).toHaveLength(2);
  });

  it('needs a child and an active lead practitioner', async () => {
    await expect(
      run((trx) =>
        openEarlyHelpEpisode(
          { db: trx, user: mash, now },
          { childIds: [], source: 'partner', openedOn: '2026-11-24' },
        ),
      ),
    ).rejects.toThrow('Select at least one child');
    const a = await aChild();
    await expect(
      run((trx) =>
        openEarlyHelpEpisode(
          { db: trx, user: mash, now },
          {
            childIds: [a],
            source: 'partner',
            openedOn: '2026-11-24',
            leadPractitionerId: '00000000-0000-4000-8000-000000000000',
          },
        ),
      ),
    ).rejects.toThrow('Choose an active user');
  });
});
