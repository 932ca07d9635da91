import { describe, expect, it } from 'vitest';
import { requireAccess } from '../../kernel/access/index.ts';
import { loadCurrentUser } from '../identity/index.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { fixedClock } from '../../kernel/time/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild, aGrant, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { teamId as teamNamed } from '../../../test/builders/organisation.ts';
import {
  aTafMember,
  anEarlyHelpEpisode,
  clusterId,
  currentUserFor,
  readContext,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { collectSummaryPanels } from '../people/index.ts';
import { requireEpisodeAccess } from './access.ts';
import {
  addTafMember,
  assignLeadPractitioner,
  openEarlyHelpEpisode,
  recordConsent,
  startEarlyHelp,
} from './episode.service.ts';
import { earlyHelpWorktray } from './early-help.worktray.ts';
import './early-help.summary.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { episodeVersion } from './episode.repository.ts';

const h = databaseForFile();
const clock = fixedClock('2026-11-24T10:30:00Z');
const now = clock.now();
const { run } = h;

/** The manager of a team, as a signed-in user. */
async function loadManager(teamId: string) {
  const row = await h.db
    .selectFrom('teams')
    .select('managerUserId')
    .where('id', '=', teamId)
    .executeTakeFirstOrThrow();
  const user = await loadCurrentUser(h.db, row.managerUserId!, null);
  return user!;
}

describe('opening an episode (the front door calls openEarlyHelpEpisode)', () => {
  it("lands a family routed without a lead practitioner on the team manager's worktray, until one is chosen", async () => {
    const child = await aChild(h.db, { givenName: 'Nobody-yet' });
    const mash = await currentUserFor(h.db, 'mash-practitioner');
    const teamId = await teamNamed(h.db, 'Early Help – Richmond and Kew cluster');
    const episode = await run((trx) =>
      openEarlyHelpEpisode(serviceContext(trx, mash, now), {
        childIds: [child.id],
        source: 'front-door',
        openedOn: '2026-11-24',
        teamId,
        consentGiven: true,
      }),
    );
    // The early help team's manager (a second demo team manager) sees it, due in 2 working days.
    const manager = await loadManager(teamId);
    const items = await run((trx) =>
      earlyHelpWorktray({
        db: trx,
        user: manager,
        now,
        today: '2026-11-24',
        calendar: englandAndWalesCalendar,
      }),
    );
    const allocation = items.filter((i) => i.kind === 'early-help-allocation' && i.href.includes(episode.id));
    expect(allocation.map((i) => [i.kindLabel, i.dueOn, i.href])).toEqual([
      [
        'Family to allocate',
        englandAndWalesCalendar.addWorkingDays('2026-11-24', 2),
        `/early-help/episodes/${episode.id}/lead-practitioner`,
      ],
    ]);
    // The practitioners of the team do not get it: allocating is the manager's work.
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const theirs = await run((trx) =>
      earlyHelpWorktray({ db: trx, user: eh, now, today: '2026-11-24', calendar: englandAndWalesCalendar }),
    );
    expect(theirs.filter((i) => i.href.includes(episode.id))).toEqual([]);
  });

  it('opens for siblings with a lead practitioner, allocates them, and records it in the chronology and audit trail', async () => {
    const a = await aChild(h.db, { givenName: 'Ruby' });
    const b = await aChild(h.db, { givenName: 'Finn' });
    const mash = await currentUserFor(h.db, 'mash-practitioner');
    const lead = await userIdFor(h.db, 'early-help-practitioner');
    const episode = await run((trx) =>
      openEarlyHelpEpisode(serviceContext(trx, mash, now), {
        childIds: [a.id, b.id],
        source: 'front-door',
        openedOn: '2026-11-24',
        leadPractitionerId: lead,
        consentGiven: true,
      }),
    );
    expect(episode.reference).toMatch(/^EH-2026-\d{5}$/);
    const row = await h.db
      .selectFrom('earlyHelpEpisodes')
      .selectAll()
      .where('id', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row.clusterId).toBe(await clusterId(h.db));
    const allocations = await rowsOf(h.db, 'allocations', { involvementId: episode.id }, [
      'childId',
      'workerId',
      'role',
    ]);
    expect(allocations).toHaveLength(2);
    expect(allocations.every((x) => x.workerId === lead && x.role === 'lead-practitioner')).toBe(true);
    const events = await rowsOf(h.db, 'caseEvents', { sourceId: episode.id }, ['childId', 'title']);
    expect(events.map((e) => e.childId).sort()).toEqual([a.id, b.id].sort());
    const audit = await rowsOf(
      h.db,
      'auditEvents',
      { action: 'early-help-episode.opened', subjectId: episode.id },
      ['action', 'subjectId'],
    );
    expect(audit).toHaveLength(1);
    // The lead practitioner is emailed once for the allocation: a link, nothing naming the children.
    const emails = await h.db
      .selectFrom('emailOutbox')
      .select(['eventKey', 'kind', 'toAddress', 'subject', 'bodyText', 'linkPath'])
      .where('linkPath', '=', `/early-help/episodes/${episode.id}`)
      .execute();
    const leadEmail = (
      await h.db.selectFrom('users').select('email').where('id', '=', lead).executeTakeFirstOrThrow()
    ).email;
    expect(emails).toEqual([
      expect.objectContaining({
        kind: 'early-help-allocation',
        toAddress: leadEmail,
        subject: 'Threshold: you are the lead practitioner for a family’s early help',
      }),
    ]);
    expect(emails[0]!.eventKey).toMatch(/^allocation:/);
    for (const secret of ['Ruby', 'Finn', a.familyName, episode.reference])
      expect(`${emails[0]!.subject} ${emails[0]!.bodyText}`).not.toContain(secret);
  });

  it('cannot open an episode for a child the user cannot write', async () => {
    const hidden = await aChild(h.db, { restricted: true });
    await anAllocation(h.db, hidden, { teamName: 'Child Protection Team' });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await expect(
      run((trx) =>
        openEarlyHelpEpisode(serviceContext(trx, eh, now), {
          childIds: [hidden.id],
          source: 'partner',
          openedOn: '2026-11-24',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the lead practitioner must be able to access the children', () => {
  it('refuses someone whose role does not include early help work', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const police = await userIdFor(h.db, 'partner-agency-user');
    const error = (await run(async (trx) =>
      assignLeadPractitioner(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await episodeVersion(trx, episode.id),
        leadPractitionerId: police,
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect((error as BusinessRuleError).field).toBe('leadPractitionerId');
    expect((error as BusinessRuleError).message).toBe(
      'PC Dan Price cannot be the lead practitioner: their role does not include early help work',
    );
  });

  it('refuses staff who cannot see a restricted child’s record, and a partner for a restricted record; accepts them with a grant', async () => {
    const child = await aChild(h.db, { givenName: 'Iris', familyName: 'Vale', restricted: true });
    await anAllocation(h.db, child, { role: 'team-manager' });
    const manager = await currentUserFor(h.db, 'team-manager');
    const eh = await userIdFor(h.db, 'early-help-practitioner');
    const refused = (await run((trx) =>
      openEarlyHelpEpisode(serviceContext(trx, manager, now), {
        childIds: [child.id],
        source: 'partner',
        openedOn: '2026-11-24',
        leadPractitionerId: eh,
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect((refused as BusinessRuleError).message).toBe(
      'Eve Halpern cannot be the lead practitioner: they do not have access to Iris Vale’s record. Ask a manager to give them access first, or choose someone else.',
    );
    const school = await userIdFor(h.db, 'partner-lead-practitioner');
    const partner = (await run((trx) =>
      openEarlyHelpEpisode(serviceContext(trx, manager, now), {
        childIds: [child.id],
        source: 'partner',
        openedOn: '2026-11-24',
        leadPractitionerId: school,
      }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect((partner as BusinessRuleError).message).toContain('record is restricted');
    await aGrant(h.db, child, 'early-help-practitioner', 'write');
    const ok = await run((trx) =>
      openEarlyHelpEpisode(serviceContext(trx, manager, now), {
        childIds: [child.id],
        source: 'partner',
        openedOn: '2026-11-24',
        leadPractitionerId: eh,
      }),
    );
    expect(ok.reference).toMatch(/^EH-/);
  });
});

describe('a partner lead practitioner works on the episodes they lead, and nothing else', () => {
  it('leads an episode without being able to open the children’s records', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now, lead: 'partner-lead-practitioner' });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    const access = await requireEpisodeAccess(readContext(h.db, school, now), episode.id, 'write');
    expect(access).toMatchObject({ isLead: true, canRead: true, canWrite: true, recordRead: false });
    await expect(requireAccess(h.db, school, 'read', [child.id], now)).rejects.toBeInstanceOf(NotFoundError);
    const row = await firstRow(h.db, 'earlyHelpEpisodes', { id: episode.id }, ['leadAgencyId', 'teamId']);
    const agency = await firstRow(h.db, 'agencies', { id: row.leadAgencyId! }, ['name']);
    expect(agency.name).toBe('Orchard Primary School');
    // The cluster's early help team is allocated, so its management line has oversight.
    const team = await firstRow(h.db, 'teams', { id: row.teamId! }, ['name']);
    expect(team.name).toBe('Early Help – Richmond and Kew cluster');
  });

  it('cannot open an episode they neither lead nor belong to; a team member may read but not write', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    await expect(
      requireEpisodeAccess(readContext(h.db, school, now), episode.id, 'read'),
    ).rejects.toBeInstanceOf(NotFoundError);
    await aTafMember(h.db, episode.id, { now, userRole: 'partner-lead-practitioner' });
    await expect(
      requireEpisodeAccess(readContext(h.db, school, now), episode.id, 'read'),
    ).resolves.toMatchObject({
      isMember: true,
      canWrite: false,
    });
    await expect(
      requireEpisodeAccess(readContext(h.db, school, now), episode.id, 'write'),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('starts early help for children they describe: a record is created, or matched by name and date of birth', async () => {
    const known = await aChild(h.db, { givenName: 'Maya', familyName: 'Okoro', dateOfBirth: '2017-06-01' });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    const richmond = await valueOf(h.db, 'localAuthorities', { laCode: '318' }, 'id');
    const cluster = await clusterId(h.db);
    const episode = await run((trx) =>
      startEarlyHelp(serviceContext(trx, school, now), {
        localAuthorityId: richmond,
        clusterId: cluster,
        reason: 'Low attendance',
        children: [
          { givenName: 'maya', familyName: 'OKORO', dateOfBirth: '2017-06-01' },
          { givenName: 'Tayo', familyName: 'Okoro', dateOfBirth: '2019-09-09' },
        ],
      }),
    );
    const children = await h.db
      .selectFrom('earlyHelpEpisodeChildren as c')
      .innerJoin('people as p', 'p.id', 'c.childId')
      .select(['p.id', 'p.givenName'])
      .where('c.episodeId', '=', episode.id)
      .execute();
    expect(children.map((c) => c.givenName).sort()).toEqual(['Maya', 'Tayo']);
    expect(children.find((c) => c.givenName === 'Maya')!.id).toBe(known.id);
    const created = await firstRow(
      h.db,
      'auditEvents',
      { action: 'person.created', childId: children.find((c) => c.givenName === 'Tayo')!.id },
      ['action', 'actorLabel'],
    );
    expect(created.actorLabel).toBe(school.email);
    const row = await firstRow(h.db, 'earlyHelpEpisodes', { id: episode.id }, [
      'source',
      'leadPractitionerId',
      'consentGiven',
    ]);
    expect(row).toEqual({ source: 'partner', leadPractitionerId: school.id, consentGiven: true });
  });

  it('is asked to contact the front door, in the same words, when a child’s record is restricted or already has early help', async () => {
    const restricted = await aChild(h.db, {
      givenName: 'Sol',
      familyName: 'Reyes',
      dateOfBirth: '2014-04-04',
      restricted: true,
    });
    const school = await currentUserFor(h.db, 'partner-lead-practitioner');
    const richmond = await valueOf(h.db, 'localAuthorities', { laCode: '318' }, 'id');
    const cluster = await clusterId(h.db);
    const start = async (given: string, family: string, dob: string) =>
      (await run(async (trx) =>
        startEarlyHelp(serviceContext(trx, school, now), {
          localAuthorityId: richmond,
          clusterId: cluster,
          reason: 'x',
          children: [{ givenName: given, familyName: family, dateOfBirth: dob }],
        }),
      ).catch((e: unknown) => e)) as BusinessRuleError;
    const a = await start('Sol', 'Reyes', restricted.dateOfBirth!);
    await anEarlyHelpEpisode(h.db, {
      now,
      children: [await aChild(h.db, { givenName: 'Nia', familyName: 'Bell', dateOfBirth: '2016-01-01' })],
    });
    const b = await start('Nia', 'Bell', '2016-01-01');
    expect(a.message).toContain('We could not start early help online for this family');
    expect(b.message).toBe(a.message);
  });
});

describe('the team around the family and consent', () => {
  it('adds users and named professionals by agency, refusing the same user twice', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const nhs = (
      await h.db
        .selectFrom('agencies')
        .select('id')
        .where('name', 'like', 'Kingston and Richmond NHS%')
        .executeTakeFirstOrThrow()
    ).id;
    await run((trx) =>
      addTafMember(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        name: 'Nurse Amara Obi',
        role: 'School nurse',
        agencyId: nhs,
      }),
    );
    const school = await userIdFor(h.db, 'partner-lead-practitioner');
    await run((trx) => addTafMember(serviceContext(trx, eh, now), { episodeId: episode.id, userId: school }));
    const again = (await run((trx) =>
      addTafMember(serviceContext(trx, eh, now), { episodeId: episode.id, userId: school }),
    ).catch((e: unknown) => e)) as BusinessRuleError;
    expect(again.message).toBe('Sam Lowe is already in the team around the family');
    const members = await h.db
      .selectFrom('earlyHelpTafMembers as m')
      .innerJoin('agencies as a', 'a.id', 'm.agencyId')
      .select(['m.name', 'a.name as agency'])
      .where('m.episodeId', '=', episode.id)
      .orderBy('m.name')
      .execute();
    expect(members).toEqual([
      { name: 'Nurse Amara Obi', agency: 'Kingston and Richmond NHS Foundation Trust' },
      { name: 'Sam Lowe', agency: 'Orchard Primary School' },
    ]);
    const events = await h.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child.id)
      .where('title', 'like', 'Joined the team%')
      .execute();
    expect(events).toHaveLength(2);
    // The member who is a user is emailed once (the named professional is not a user: no email); no names in it.
    const emails = await h.db
      .selectFrom('emailOutbox')
      .select(['kind', 'toAddress', 'subject', 'bodyText', 'linkPath'])
      .where('kind', '=', 'early-help-team-member')
      .where('linkPath', '=', `/early-help/episodes/${episode.id}`)
      .execute();
    const schoolEmail = (
      await h.db.selectFrom('users').select('email').where('id', '=', school).executeTakeFirstOrThrow()
    ).email;
    expect(emails).toEqual([
      expect.objectContaining({
        toAddress: schoolEmail,
        subject: 'Threshold: you have been added to a team around the family',
      }),
    ]);
    // The builder's child is Ellie Hart.
    for (const secret of ['Ellie', 'Hart', episode.reference])
      expect(`${emails[0]!.subject} ${emails[0]!.bodyText}`).not.toContain(secret);
  });

  it('records consent being withdrawn, significant in the chronology', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    await run(async (trx) =>
      recordConsent(serviceContext(trx, eh, now), {
        episodeId: episode.id,
        version: await episodeVersion(trx, episode.id),
        consent: 'withdrawn',
        recordedOn: '2026-11-24',
        notes: 'Jo said no by phone',
      }),
    );
    const row = await firstRow(h.db, 'earlyHelpEpisodes', { id: episode.id }, [
      'consentGiven',
      'consentNotes',
    ]);
    expect(row).toEqual({ consentGiven: false, consentNotes: 'Jo said no by phone' });
    const event = await h.db
      .selectFrom('caseEvents')
      .select(['title', 'significant'])
      .where('childId', '=', child.id)
      .where('title', 'like', '%withdrew%')
      .executeTakeFirstOrThrow();
    expect(event.significant).toBe(true);
  });
});

describe('on the worktray and the child’s record', () => {
  it('shows the lead practitioner the assessment and the first meeting, and the child’s record the open episode and its deadlines', async () => {
    const { episode, child } = await anEarlyHelpEpisode(h.db, { now });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const items = await run((trx) =>
      earlyHelpWorktray({ db: trx, user: eh, now, today: '2026-11-24', calendar: englandAndWalesCalendar }),
    );
    const mine = items.filter((i) => i.href.includes(episode.id));
    expect(mine.map((i) => [i.kind, i.dueOn])).toEqual([
      ['early-help-assessment', englandAndWalesCalendar.addWorkingDays('2026-11-24', 30)],
      ['early-help-review', '2027-01-05'],
    ]);
    // Eight weeks later, nothing done: both overdue.
    const later = new Date('2027-01-20T10:00:00Z');
    const overdue = (
      await run((trx) =>
        earlyHelpWorktray({
          db: trx,
          user: eh,
          now: later,
          today: '2027-01-20',
          calendar: englandAndWalesCalendar,
        }),
      )
    ).filter((i) => i.href.includes(episode.id));
    expect(overdue.map((i) => i.kindLabel)).toEqual([
      'Early help assessment overdue',
      'First team-around-the-family meeting',
    ]);
    const sw = await currentUserFor(h.db, 'social-worker');
    const panels = await run((trx) =>
      collectSummaryPanels({
        db: trx,
        user: sw,
        personId: child.id,
        now,
        today: '2026-11-24',
        calendar: englandAndWalesCalendar,
      }),
    );
    const involvement = panels.involvements.find((i) => i.source === 'early-help')!;
    expect(involvement.title).toBe(`Early help (family help) ${episode.reference}`);
    expect(involvement.detail).toBe('Lead practitioner: Eve Halpern; Richmond and Kew cluster');
    expect(panels.deadlines.filter((d) => d.source === 'early-help').map((d) => [d.dueOn, d.title])).toEqual(
      [
        ['2027-01-05', `Team-around-the-family review (${episode.reference})`],
        [
          englandAndWalesCalendar.addWorkingDays('2026-11-24', 30),
          `Early help assessment (${episode.reference})`,
        ],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
  });
});
