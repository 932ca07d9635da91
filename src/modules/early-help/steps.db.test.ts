import { describe, expect, it } from 'vitest';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import {
  aChild,
  anAdult,
  anAllocation,
  aRelationship,
  localAuthorityId,
  userIdFor,
} from '../../../test/builders/people.ts';
import { createContact } from '../front-door/index.ts';
import { withCensusDetails, contextFor } from '../../../test/builders/social-care.ts';
import {
  aCompletedAssessment,
  anEarlyHelpEpisode,
  currentUserFor,
  readContext,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { openCinReferral } from '../social-care/referral.service.ts';
import { requireEpisodeAccess } from './access.ts';
import { earlyHelpWorktray } from './early-help.worktray.ts';
import { recordStepDown, respondToStepDown, type StepDownInput } from './step-down.service.ts';
import { assignLeadPractitioner } from './episode.service.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { stepUp } from './step-up.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { episodeVersion } from './episode.repository.ts';

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');
const { run } = h;

async function aChildInNeed() {
  const child = await aChild(h.db, { givenName: 'Leo', familyName: 'Marsh' });
  const sibling = await aChild(h.db, { givenName: 'Mia', familyName: 'Marsh' });
  await anAllocation(h.db, child, { role: 'social-worker' });
  await anAllocation(h.db, sibling, { role: 'social-worker' });
  await withCensusDetails(h.db, child.id);
  const sw = await currentUserFor(h.db, 'social-worker');
  const team = await valueOf(h.db, 'teams', { name: 'Assessment Team' }, 'id');
  const cin = await run((trx) =>
    openCinReferral(contextFor(trx, sw, new Date('2026-06-01T10:00:00Z')), {
      childId: child.id,
      referralDate: '2026-06-01',
      referralSource: '2A',
      teamId: team,
    }),
  );
  return { child, sibling, sw, cin };
}

const stepDownInput = (
  cinEpisodeId: string,
  childIds: string[],
  lead: string,
  overrides: Partial<StepDownInput> = {},
): StepDownInput => ({
  cinEpisodeId,
  childIds,
  proposedLeadPractitionerId: lead,
  handover: {
    heldOn: '2026-11-20',
    attendees: [
      { name: 'Sian Walker', role: 'Social worker' },
      { name: 'Eve Halpern', role: 'Family support worker' },
      { name: 'Claire Marsh', role: 'Mother' },
    ],
    notes: 'Claire agreed to early help.',
  },
  planSummary: 'CIN plan goals met on safety; routines and school attendance carry on in early help.',
  familyPreference: 'Claire asked for Eve',
  consentGiven: true,
  ...overrides,
});

describe('step-down from social care (recordStepDown, for the social-care module)', () => {
  it('records the handover meeting and opens early help pending the lead practitioner’s acceptance', async () => {
    const { child, sibling, sw, cin } = await aChildInNeed();
    const eh = await userIdFor(h.db, 'early-help-practitioner');
    const result = await run((trx) =>
      recordStepDown(serviceContext(trx, sw, now), stepDownInput(cin.id, [child.id, sibling.id], eh)),
    );
    const episode = await h.db
      .selectFrom('earlyHelpEpisodes')
      .selectAll()
      .where('id', '=', result.episodeId)
      .executeTakeFirstOrThrow();
    expect(episode).toMatchObject({
      source: 'step-down',
      sourceCinEpisodeId: cin.id,
      leadPractitionerId: eh,
      leadAcceptance: 'pending',
      familyPreference: 'Claire asked for Eve',
      consentGiven: true,
    });
    const attendees = await h.db
      .selectFrom('earlyHelpHandoverAttendees')
      .select('name')
      .where('stepDownId', '=', result.stepDownId)
      .orderBy('name')
      .execute();
    expect(attendees.map((a) => a.name)).toEqual(['Claire Marsh', 'Eve Halpern', 'Sian Walker']);
    const event = await firstRow(h.db, 'caseEvents', { childId: sibling.id, sourceId: result.stepDownId }, [
      'title',
      'occurredAt',
    ]);
    expect(event.title).toBe(
      `Step-down handover meeting: ${cin.reference} to early help ${result.reference}`,
    );
    expect(event.occurredAt.toISOString().slice(0, 10)).toBe('2026-11-20');

    // The proposed lead practitioner has it on their worktray, and accepts.
    const lead = await currentUserFor(h.db, 'early-help-practitioner');
    const items = await run((trx) =>
      earlyHelpWorktray({ db: trx, user: lead, now, today: '2026-11-24', calendar: englandAndWalesCalendar }),
    );
    expect(
      items.find((i) => i.href.includes(result.episodeId) && i.kind === 'early-help-step-down'),
    ).toMatchObject({ kindLabel: 'Step-down to accept', dueOn: '2026-11-26' });
    const declineWithoutReason = (await run((trx) =>
      respondToStepDown(serviceContext(trx, lead, now), {
        episodeId: result.episodeId,
        response: 'declined',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(declineWithoutReason.field).toBe('notes');
    const manager = await currentUserFor(h.db, 'team-manager');
    const notLead = (await run((trx) =>
      respondToStepDown(serviceContext(trx, manager, now), {
        episodeId: result.episodeId,
        response: 'accepted',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(notLead).toBeInstanceOf(Error);
    await run((trx) =>
      respondToStepDown(serviceContext(trx, lead, now), {
        episodeId: result.episodeId,
        response: 'accepted',
        notes: 'Happy to',
      }),
    );
    const after = await firstRow(h.db, 'earlyHelpEpisodes', { id: result.episodeId }, [
      'leadAcceptance',
      'leadRespondedAt',
    ]);
    expect(after.leadAcceptance).toBe('accepted');
    const stepDown = await firstRow(h.db, 'earlyHelpStepDowns', { id: result.stepDownId }, [
      'response',
      'responseNotes',
    ]);
    expect(stepDown).toEqual({ response: 'accepted', responseNotes: 'Happy to' });
    const audit = await rowsOf(h.db, 'auditEvents', { subjectId: result.stepDownId }, ['action']);
    expect(audit.map((a) => a.action).sort()).toEqual([
      'early-help-step-down.accepted',
      'early-help-step-down.recorded',
    ]);
  });

  it('a declined step-down goes to the worktrays of the proposing social care manager and the early help manager, until another lead is chosen', async () => {
    const { child, sw, cin } = await aChildInNeed();
    const eveId = await userIdFor(h.db, 'early-help-practitioner');
    const result = await run((trx) =>
      recordStepDown(serviceContext(trx, sw, now), stepDownInput(cin.id, [child.id], eveId)),
    );
    const eve = await currentUserFor(h.db, 'early-help-practitioner');
    await run((trx) =>
      respondToStepDown(serviceContext(trx, eve, now), {
        episodeId: result.episodeId,
        response: 'declined',
        notes: 'My caseload is full until January',
      }),
    );
    const audit = await rowsOf(h.db, 'auditEvents', { subjectId: result.stepDownId }, ['action']);
    expect(audit.map((a) => a.action)).toContain('early-help-step-down.declined');

    // An early help manager of the cluster's service (a user made for this test).
    const la = (await valueOf(h.db, 'users', { id: eveId }, 'localAuthorityId'))!;
    const ehService = await valueOf(h.db, 'teams', { name: 'Early Help Service' }, 'id');
    const ehm = await h.db
      .insertInto('users')
      .values({
        email: 'eh.manager@example.test',
        displayName: 'Erin Moss',
        localAuthorityId: la,
        teamId: ehService,
        jobTitle: 'Early help team manager',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.db.insertInto('userRoles').values({ userId: ehm.id, role: 'team-manager' }).execute();
    await h.db.insertInto('userLocalAuthorities').values({ userId: ehm.id, localAuthorityId: la }).execute();
    await h.db.updateTable('teams').set({ managerUserId: ehm.id }).where('id', '=', ehService).execute();
    const ehManager = (await loadCurrentUser(h.db, ehm.id, null))!;

    const worktray = (user: CurrentUser, today = '2026-11-24') =>
      run((trx) => earlyHelpWorktray({ db: trx, user, now, today, calendar: englandAndWalesCalendar })).then(
        (items) =>
          items.filter(
            (i) => i.kind === 'early-help-step-down-declined' && i.clockLabel?.startsWith(result.reference),
          ),
      );
    const expected = {
      kindLabel: 'Step-down declined',
      title: 'Step-down declined: Leo Marsh, My caseload is full until January',
      dueOn: '2026-11-26',
      href: `/early-help/episodes/${result.episodeId}/lead-practitioner`,
    };
    // The social care team manager who manages the social worker who proposed it.
    const scManager = await currentUserFor(h.db, 'team-manager');
    expect(await worktray(ehManager)).toEqual([expect.objectContaining(expected)]);
    expect(await worktray(scManager)).toEqual([expect.objectContaining(expected)]);
    // Not for practitioners, nor for the one who declined.
    expect(await worktray(eve)).toEqual([]);
    expect(await worktray(sw)).toEqual([]);

    // The early help manager chooses another lead practitioner: the item goes.
    const samId = await userIdFor(h.db, 'partner-lead-practitioner');
    await run(async (trx) =>
      assignLeadPractitioner(serviceContext(trx, ehManager, now), {
        episodeId: result.episodeId,
        version: await episodeVersion(trx, result.episodeId),
        leadPractitionerId: samId,
        reason: 'Sam knows the family from school',
      }),
    );
    expect(await worktray(ehManager)).toEqual([]);
    expect(await worktray(scManager)).toEqual([]);
  });

  it('refuses a lead practitioner who cannot access the children, on the proposed lead field', async () => {
    const { child, sw, cin } = await aChildInNeed();
    const police = await userIdFor(h.db, 'partner-agency-user');
    const error = (await run((trx) =>
      recordStepDown(serviceContext(trx, sw, now), stepDownInput(cin.id, [child.id], police)),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(error.field).toBe('proposedLeadPractitionerId');
    expect(error.message).toContain('their role does not include early help work');
    expect(await rowsOf(h.db, 'earlyHelpEpisodeChildren', { childId: child.id }, ['episodeId'])).toEqual([]);
  });

  it('refuses a handover in the future, no attendees, no plan, or children without the CIN episode’s child', async () => {
    const { child, sibling, sw, cin } = await aChildInNeed();
    const eh = await userIdFor(h.db, 'early-help-practitioner');
    const attempt = (input: StepDownInput) =>
      run((trx) => recordStepDown(serviceContext(trx, sw, now), input)).catch(
        (e: unknown) => (e as BusinessRuleError).field,
      );
    expect(
      await attempt(
        stepDownInput(cin.id, [child.id], eh, {
          handover: { heldOn: '2026-12-01', attendees: [{ name: 'A' }] },
        }),
      ),
    ).toBe('handover.heldOn');
    expect(
      await attempt(
        stepDownInput(cin.id, [child.id], eh, {
          handover: { heldOn: '2026-11-20', attendees: [{ name: ' ' }] },
        }),
      ),
    ).toBe('handover.attendees');
    expect(await attempt(stepDownInput(cin.id, [child.id], eh, { planSummary: '' }))).toBe('planSummary');
    expect(await attempt(stepDownInput(cin.id, [sibling.id], eh))).toBe('childIds');
  });

  it('cannot be recorded by someone without write access to the children', async () => {
    const { child, cin } = await aChildInNeed();
    const qa = await currentUserFor(h.db, 'qa-officer');
    const eh = await userIdFor(h.db, 'early-help-practitioner');
    await expect(
      run((trx) => recordStepDown(serviceContext(trx, qa, now), stepDownInput(cin.id, [child.id], eh))),
    ).rejects.toThrow();
  });
});

describe('step-up to the front door', () => {
  it('sends a contact carrying the early help history and rationale, linked to the children’s records', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const mother = await anAdult(h.db, { givenName: 'Jo', familyName: 'Hart', sex: 'F' });
    const stepfather = await anAdult(h.db, { givenName: 'Lee', familyName: 'Marsh', sex: 'M' });
    const ended = await anAdult(h.db, { givenName: 'Old', familyName: 'Partner', sex: 'M' });
    await aRelationship(h.db, child, mother, 'parent', { livesWith: true, parentalResponsibility: true });
    await aRelationship(h.db, child, stepfather, 'step-parent', { livesWith: true });
    const endedId = await aRelationship(h.db, child, ended, 'partner');
    await h.db.updateTable('relationships').set({ toDate: '2026-01-01' }).where('id', '=', endedId).execute();
    await aCompletedAssessment(h.db, episode.id, { now, workerScale: 3, familyScale: 4 });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const contact = await run((trx) =>
      stepUp(serviceContext(trx, eh, now, englandAndWalesCalendar), {
        episodeId: episode.id,
        rationale: 'Ellie disclosed that Jo’s new partner hits her.',
        worriesNow: 'Physical harm to Ellie.',
        concernCategories: ['physical-harm'],
        consent: 'dispensed',
        consentRationale: 'Telling Jo could put Ellie at risk',
        urgency: 'immediate',
      }),
    );
    const row = await h.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contact.contactId)
      .executeTakeFirstOrThrow();
    // The children arrive linked and checked (nobody runs "check if known" again), so the contact awaits a decision.
    expect(row).toMatchObject({
      channel: 'email',
      referralSource: '5D',
      urgency: 'immediate',
      consent: 'dispensed',
      status: 'awaiting-decision',
      submittedByUserId: eh.id,
    });
    expect(row.knownCheckCompletedBy).toBe(eh.id);
    expect(row.reason).toContain(`Step-up from early help (${episode.reference}).`);
    expect(row.reason).toContain(
      'Why early help is stepping up:\nEllie disclosed that Jo’s new partner hits her.',
    );
    expect(row.reason).toContain(
      '- Ellie has missed 30% of school this term (who is worried: The school and Jo; if nothing changes: Ellie falls behind and loses her friendships)',
    );
    expect(row.reason).toContain('Worker’s scaling: 3 at the start, 3 now (0).');
    const children = await rowsOf(h.db, 'contactChildren', { contactId: contact.contactId }, [
      'personId',
      'knownCheck',
      'knownToServices',
    ]);
    expect(children).toEqual([{ personId: child.id, knownCheck: 'linked', knownToServices: true }]);
    // The adults around the child on their record come linked too, in the contact's roles; an ended relationship does not.
    const adults = await h.db
      .selectFrom('contactAdults')
      .select(['personId', 'role', 'linkMethod'])
      .where('contactId', '=', contact.contactId)
      .orderBy('position')
      .execute();
    expect(adults).toEqual([
      { personId: mother.id, role: 'mother', linkMethod: 'linked' },
      { personId: stepfather.id, role: 'step-parent', linkMethod: 'linked' },
    ]);
    const linkedEvent = await firstRow(
      h.db,
      'auditEvents',
      { action: 'contact.child-linked', subjectId: contact.contactId },
      ['details'],
    );
    expect(linkedEvent.details).toMatchObject({ via: 'early-help-step-up', knownToServices: true });
    const stepUps = await rowsOf(h.db, 'earlyHelpStepUps', { episodeId: episode.id }, [
      'contactId',
      'rationale',
    ]);
    expect(stepUps).toEqual([
      { contactId: contact.contactId, rationale: 'Ellie disclosed that Jo’s new partner hits her.' },
    ]);
    const event = await h.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child.id)
      .where('title', 'like', 'Stepped up%')
      .executeTakeFirstOrThrow();
    expect(event.title).toBe(`Stepped up from early help to the front door (${contact.reference})`);
    const again = (await run((trx) =>
      stepUp(serviceContext(trx, eh, now, englandAndWalesCalendar), {
        episodeId: episode.id,
        rationale: 'x',
        worriesNow: 'y',
        concernCategories: ['neglect'],
        consent: 'given',
        urgency: 'routine',
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(again.message).toContain('already been stepped up');
  });

  it('from a partner lead practitioner, goes as their agency’s online referral, with the children linked to their records', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now, lead: 'partner-lead-practitioner' });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    const contact = await run((trx) =>
      stepUp(serviceContext(trx, school, now, englandAndWalesCalendar), {
        episodeId: episode.id,
        rationale: 'Neglect is getting worse.',
        worriesNow: 'No food at home.',
        concernCategories: ['neglect'],
        consent: 'given',
        urgency: 'urgent',
      }),
    );
    const row = await firstRow(h.db, 'contacts', { id: contact.contactId }, [
      'channel',
      'referralSource',
      'referrerAgencyId',
    ]);
    expect(row).toMatchObject({
      channel: 'online-form',
      referralSource: '2A',
      referrerAgencyId: school.agencyId,
    });
    const children = await rowsOf(h.db, 'contactChildren', { contactId: contact.contactId }, [
      'personId',
      'knownCheck',
    ]);
    expect(children).toEqual([{ personId: child.id, knownCheck: 'linked' }]);
    // A partner may not name records on an ordinary referral: only the step-up vouches for the links.
    const la = await localAuthorityId(h.db);
    await expect(
      run((trx) =>
        createContact(serviceContext(trx, school, now, englandAndWalesCalendar), {
          localAuthorityId: la,
          channel: 'online-form',
          referralSource: '2A',
          referrer: { name: 'Sam Lowe' },
          concernCategories: ['neglect'],
          reason: 'Worried',
          consent: 'given',
          urgency: 'routine',
          children: [{ personId: child.id }],
        }),
      ),
    ).rejects.toThrow(/Partners describe the children/);
  });

  it('cannot be sent by someone who may only read the episode', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const sw = await currentUserFor(h.db, 'social-worker');
    await expect(requireEpisodeAccess(readContext(h.db, sw, now), episode.id, 'read')).resolves.toMatchObject(
      {
        canWrite: false,
      },
    );
    await expect(
      run((trx) =>
        stepUp(serviceContext(trx, sw, now, englandAndWalesCalendar), {
          episodeId: episode.id,
          rationale: 'x',
          worriesNow: 'y',
          concernCategories: ['neglect'],
          consent: 'given',
          urgency: 'routine',
        }),
      ),
    ).rejects.toThrow();
  });
});
