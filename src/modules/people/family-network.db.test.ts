import { describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { contextFor, readContextFor, userFor } from '../../../test/builders/context.ts';
import { aChild, anAdult, anAllocation, aRelationship } from '../../../test/builders/people.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  RecordReadOnlyError,
} from '../../kernel/errors.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import {
  addNetworkMember,
  changeNetworkMember,
  endNetworkMember,
  familyNetworkFor,
  networkSize,
} from './family-network.service.ts';
import { familyNetworkWorktray } from './family-network.worktray.ts';
import {
  loadNetworkMeeting,
  recordNetworkMeeting,
  type NetworkEpisodeSource,
} from './network-meeting.service.ts';
import { endSupportPackage, listSupportPackages, recordSupportPackage } from './network-support.service.ts';

const h = databaseForFile();
const now = new Date('2026-12-01T10:00:00Z');

const audit = (action: string, subjectId: string) =>
  h.db
    .selectFrom('auditEvents')
    .select(['childId', 'details'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .execute();
const events = (childId: string) =>
  h.db
    .selectFrom('caseEvents')
    .select(['title', 'summary', 'sourceType'])
    .where('childId', '=', childId)
    .execute();

async function allocatedChild() {
  const child = await aChild(h.db, { givenName: 'Maisie', familyName: 'Okafor' });
  await anAllocation(h.db, child, { role: 'social-worker' });
  return child;
}

const noEpisodes: NetworkEpisodeSource[] = [];

describe('family network members', () => {
  it('adds a relative on the record and someone new; audited, in the chronology, and counted', async () => {
    const child = await allocatedChild();
    const gran = await anAdult(h.db, { givenName: 'Grace', familyName: 'Okafor', dateOfBirth: '1955-02-01' });
    await aRelationship(h.db, child, gran, 'grandparent');
    const sw = await userFor(h.db, 'social-worker');
    const granId = await h.run((trx) =>
      addNetworkMember(contextFor(trx, sw, now), {
        childId: child.id,
        personId: gran.id,
        fromDate: '2026-11-01',
        roleCode: 'grandparent',
        roleDescription: 'maternal',
        phone: '07700 900123',
        preferredContact: 'phone',
        supportOffers: ['respite', 'transport'],
      }),
    );
    await h.run((trx) =>
      addNetworkMember(contextFor(trx, sw, now), {
        childId: child.id,
        givenName: 'Tom',
        familyName: 'Reyes',
        fromDate: '2026-11-20',
        roleCode: 'neighbour',
        supportOffers: [],
      }),
    );
    // The same person twice is refused: they are no longer a choice.
    await expect(
      h.run((trx) =>
        addNetworkMember(contextFor(trx, sw, now), {
          childId: child.id,
          personId: gran.id,
          fromDate: '2026-11-01',
          roleCode: 'grandparent',
          supportOffers: [],
        }),
      ),
    ).rejects.toBeInstanceOf(BusinessRuleError);

    const network = await familyNetworkFor(readContextFor(h.db, sw, now), child.id);
    expect(network.total).toBe(2);
    expect(network.members.map((m) => [m.name, m.role])).toEqual([
      ['Grace Okafor', 'Grandparent (maternal)'],
      ['Tom Reyes', 'Neighbour'],
    ]);
    expect(network.members[0]!.supportOfferLabels).toEqual(['Respite (short breaks)', 'Transport']);
    expect(await networkSize(h.db, child.id, '2026-12-01')).toBe(2);
    expect(await audit('family-network-member.added', granId)).toEqual([
      expect.objectContaining({ childId: child.id }),
    ]);
    expect((await events(child.id)).map((e) => e.title)).toContain(
      'Family network: Grace Okafor (grandparent (maternal)) joined the network',
    );
  });

  it('changes with the version check, and ends with a date and reason (kept, shown as left)', async () => {
    const child = await allocatedChild();
    const sw = await userFor(h.db, 'social-worker');
    const id = await h.run((trx) =>
      addNetworkMember(contextFor(trx, sw, now), {
        childId: child.id,
        givenName: 'Ada',
        familyName: 'Lowe',
        fromDate: '2026-10-01',
        roleCode: 'family-friend',
        supportOffers: ['emotional'],
      }),
    );
    const change = (version: number, email: string) =>
      h.run((trx) =>
        changeNetworkMember(contextFor(trx, sw, now), {
          childId: child.id,
          memberId: id,
          version,
          roleCode: 'family-friend',
          email,
          preferredContact: 'email',
          supportOffers: ['emotional', 'practical'],
        }),
      );
    expect((await change(1, 'ada@example.com')).changed).toEqual([
      'email',
      'preferredContact',
      'supportOffers',
    ]);
    await expect(change(1, 'ada.lowe@example.com')).rejects.toBeInstanceOf(ConflictError);
    // Preferring email with no address is refused against the field.
    await expect(
      h.run((trx) =>
        changeNetworkMember(contextFor(trx, sw, now), {
          childId: child.id,
          memberId: id,
          version: 2,
          roleCode: 'family-friend',
          preferredContact: 'email',
          supportOffers: [],
        }),
      ),
    ).rejects.toMatchObject({ field: 'email' });
    await h.run((trx) =>
      endNetworkMember(contextFor(trx, sw, now), {
        childId: child.id,
        memberId: id,
        version: 2,
        endDate: '2026-11-30',
        reason: 'Moved abroad',
      }),
    );
    const { members } = await familyNetworkFor(readContextFor(h.db, sw, now), child.id);
    expect(members[0]).toMatchObject({ current: false, toDate: '2026-11-30', endReason: 'Moved abroad' });
    expect(await networkSize(h.db, child.id, '2026-12-01')).toBe(0);
    expect(await audit('family-network-member.ended', id)).toHaveLength(1);
  });

  it('keeps a restricted record restricted, and a read-only user out of changes', async () => {
    const hidden = await aChild(h.db, { restricted: true, nhsNumber: null });
    const sw = await userFor(h.db, 'social-worker');
    await expect(familyNetworkFor(readContextFor(h.db, sw, now), hidden.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      h.run((trx) =>
        addNetworkMember(contextFor(trx, sw, now), {
          childId: hidden.id,
          givenName: 'X',
          familyName: 'Y',
          fromDate: '2026-11-01',
          roleCode: 'other',
          supportOffers: [],
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    const child = await allocatedChild();
    const mash = await userFor(h.db, 'mash-practitioner');
    await expect(
      h.run((trx) =>
        addNetworkMember(contextFor(trx, mash, now), {
          childId: child.id,
          givenName: 'X',
          familyName: 'Y',
          fromDate: '2026-11-01',
          roleCode: 'other',
          supportOffers: [],
        }),
      ),
    ).rejects.toBeInstanceOf(RecordReadOnlyError);
  });
});

describe('family network meetings', () => {
  it('records who came, the plan and actions; an overdue action is on the allocated worker’s worktray', async () => {
    const child = await allocatedChild();
    const sw = await userFor(h.db, 'social-worker');
    const member = await h.run((trx) =>
      addNetworkMember(contextFor(trx, sw, now), {
        childId: child.id,
        givenName: 'June',
        familyName: 'Okafor',
        fromDate: '2026-09-01',
        roleCode: 'aunt-uncle',
        supportOffers: ['care'],
      }),
    );
    // An episode that is not one of the child's open episodes is refused.
    await expect(
      h.run((trx) =>
        recordNetworkMeeting(
          contextFor(trx, sw, now),
          {
            childId: child.id,
            heldOn: '2026-11-10',
            facilitator: 'Priya Shah',
            episode: 'early-help:00000000-0000-4000-8000-000000000000',
            familyPlan: 'Plan',
            invitedMemberIds: [],
            attendedMemberIds: [],
            professionalsInvited: [],
            professionalsAttended: [],
            actions: [],
          },
          noEpisodes,
        ),
      ),
    ).rejects.toMatchObject({ field: 'episode' });
    const meetingId = await h.run((trx) =>
      recordNetworkMeeting(
        contextFor(trx, sw, now),
        {
          childId: child.id,
          heldOn: '2026-11-10',
          facilitator: 'Priya Shah, family group conference coordinator',
          episode: 'none',
          familyPlan: 'June will have Maisie every other weekend.',
          invitedMemberIds: [member],
          attendedMemberIds: [member],
          professionalsInvited: ['Sam Ade, school nurse'],
          professionalsAttended: [],
          actions: [
            { memberId: member, action: 'Take Maisie to football on Saturdays', dueOn: '2026-11-20' },
            { memberId: member, action: 'Ring the school', dueOn: '2026-12-20' },
          ],
        },
        noEpisodes,
      ),
    );
    const meeting = await loadNetworkMeeting(readContextFor(h.db, sw, now), { childId: child.id, meetingId });
    expect(meeting.network).toEqual([
      { participantId: expect.any(String), name: 'June Okafor', role: 'Aunt or uncle', attended: true },
    ]);
    expect(meeting.professionals).toEqual([{ name: 'Sam Ade, school nurse', attended: false }]);
    expect(meeting.actions.map((a) => [a.action, a.overdue])).toEqual([
      ['Take Maisie to football on Saturdays', true],
      ['Ring the school', false],
    ]);
    expect(meeting.episode).toBe('Not part of an episode');
    expect(await audit('family-network-meeting.recorded', meetingId)).toHaveLength(1);
    expect(
      (await events(child.id)).find((e) => e.sourceType === 'family-network-meeting')?.summary,
    ).toContain('June will have Maisie');

    const items = await h.run((trx) =>
      familyNetworkWorktray({
        db: trx,
        user: sw,
        now,
        today: '2026-12-01',
        calendar: englandAndWalesCalendar,
      }),
    );
    expect(items.filter((i) => i.child?.id === child.id).map((i) => i.title)).toEqual([
      'Network action: Take Maisie to football on Saturdays',
    ]);
    const ehp = await userFor(h.db, 'early-help-practitioner');
    const others = await h.run((trx) =>
      familyNetworkWorktray({
        db: trx,
        user: ehp,
        now,
        today: '2026-12-01',
        calendar: englandAndWalesCalendar,
      }),
    );
    expect(others.filter((i) => i.child?.id === child.id)).toEqual([]);
  });
});

describe('family network support packages', () => {
  it('a manager agrees support; a social worker may not; ending needs the version and a reason', async () => {
    const child = await allocatedChild();
    const sw = await userFor(h.db, 'social-worker');
    const tm = await userFor(h.db, 'team-manager');
    const input = {
      childId: child.id,
      kind: 'financial' as const,
      description: 'Help with June’s travel costs',
      amountPence: 2_500,
      frequency: 'weekly' as const,
      startDate: '2026-11-15',
    };
    await expect(
      h.run((trx) => recordSupportPackage(contextFor(trx, sw, now), input)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      h.run((trx) => recordSupportPackage(contextFor(trx, tm, now), { ...input, amountPence: undefined })),
    ).rejects.toMatchObject({ field: 'amount' });
    const id = await h.run((trx) => recordSupportPackage(contextFor(trx, tm, now), input));
    const { packages } = await listSupportPackages(readContextFor(h.db, sw, now), child.id);
    expect(packages[0]).toMatchObject({ amount: '£25', frequencyLabel: 'Weekly', status: 'agreed' });
    expect(packages[0]!.agreedByName).toBe(tm.displayName);
    const end = (version: number) =>
      h.run((trx) =>
        endSupportPackage(contextFor(trx, tm, now), {
          childId: child.id,
          packageId: id,
          version,
          endedOn: '2026-11-30',
          reason: 'June has a car now',
        }),
      );
    await expect(end(2)).rejects.toBeInstanceOf(ConflictError);
    await end(1);
    await expect(end(2)).rejects.toBeInstanceOf(BusinessRuleError);
    expect((await listSupportPackages(readContextFor(h.db, sw, now), child.id)).packages[0]).toMatchObject({
      status: 'ended',
      endReason: 'June has a car now',
    });
    expect(await audit('family-network-support.agreed', id)).toHaveLength(1);
    expect(await audit('family-network-support.ended', id)).toHaveLength(1);
  });
});
