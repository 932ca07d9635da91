import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { generateNhsNumber } from '../../kernel/identifiers/index.ts';
import { addCalendarDays, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { insertCaseNote } from './case-note.repository.ts';
import {
  addPersonName,
  addWarning,
  insertPerson,
  moveToAddress,
  setDisabilities,
  type PersonInsert,
} from './person.repository.ts';
import { addHouseholdMember, createHousehold, insertRelationship } from './relationship.repository.ts';

/**
 * Synthetic families for the demonstration (never real people; NHS numbers from the 999 range that is
 * never issued): a family with an allocated social worker, a family with an early help worker, an unborn
 * child, a restricted record, warnings, a likely duplicate pair to try merging, a professional and an
 * unaccompanied asylum-seeking child.
 */
export async function seedDemoPeople(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
): Promise<{ people: number }> {
  const today = isoDateOf(now);
  let seed = 20261126;
  const rng = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const sw = org.users.get('social.worker')!;
  const eh = org.users.get('early.help')!;
  const la = org.richmondId;
  let count = 0;
  const person = async (
    fields: Omit<PersonInsert, 'localAuthorityId' | 'createdBy'>,
    address?: { line1: string; town: string; postcode: string; fromDate: string },
  ) => {
    const p = await insertPerson(trx, { localAuthorityId: la, createdBy: sw, ...fields });
    if (address) await moveToAddress(trx, { personId: p.id, ...address }, today);
    count++;
    return p;
  };
  const event = (
    childId: string,
    daysAgo: number,
    category: Parameters<typeof appendCaseEvent>[1]['category'],
    title: string,
    summary: string | null,
    significant = false,
    by: string | null = sw,
  ) =>
    appendCaseEvent(trx, {
      childId,
      occurredAt: instantAt(addCalendarDays(today, -daysAgo), '11:00'),
      recordedAt: now,
      recordedBy: by,
      category,
      title,
      summary,
      significant,
    });
  const allocate = (
    childId: string,
    team: string,
    workerId: string | null,
    involvementType: string | null,
    started: string,
  ) =>
    trx
      .insertInto('allocations')
      .values({
        childId,
        workerId,
        teamId: org.teams.get(team)!,
        role: 'allocated-worker',
        involvementType,
        startedOn: started,
        createdBy: sw,
      })
      .execute();
  const related = (
    a: { id: string },
    b: { id: string },
    kind: string,
    extra: { livesWith?: boolean; parentalResponsibility?: boolean } = {},
  ) => insertRelationship(trx, { personId: a.id, relatedPersonId: b.id, kind, createdBy: sw, ...extra });

  // 1. The Ashworth family: allocated to the demo social worker; a warning on the father; an unborn baby.
  const ashworthAddress = {
    line1: '14 Riverside Close',
    town: 'Twickenham',
    postcode: 'TW1 3DX',
    fromDate: '2019-05-01',
  };
  const claire = await person(
    {
      kind: 'adult',
      givenName: 'Claire',
      familyName: 'Ashworth',
      dateOfBirth: '1986-04-12',
      sex: 'F',
      ethnicityCode: 'WBRI',
      firstLanguage: 'ENG',
      phone: '07700 900123',
      nhsNumber: generateNhsNumber(rng),
    },
    ashworthAddress,
  );
  const daniel = await person(
    {
      kind: 'adult',
      givenName: 'Daniel',
      familyName: 'Ashworth',
      knownAs: 'Danny',
      dateOfBirth: '1984-09-02',
      sex: 'M',
      ethnicityCode: 'WBRI',
      firstLanguage: 'ENG',
      nhsNumber: generateNhsNumber(rng),
    },
    ashworthAddress,
  );
  await addWarning(trx, {
    personId: daniel.id,
    kind: 'risk-to-staff',
    details:
      'Threatened a worker at a home visit in June 2026: visit in pairs and tell the office before you go',
    fromDate: addCalendarDays(today, -150),
    createdBy: sw,
  });
  const olivia = await person(
    {
      kind: 'child',
      givenName: 'Olivia',
      familyName: 'Ashworth',
      dateOfBirth: '2017-03-04',
      sex: 'F',
      ethnicityCode: 'WBRI',
      firstLanguage: 'ENG',
      religion: 'NONE',
      school: 'Orchard Primary School',
      gpPractice: 'Twickenham Park Surgery',
      nhsNumber: generateNhsNumber(rng),
    },
    ashworthAddress,
  );
  const noah = await person(
    {
      kind: 'child',
      givenName: 'Noah',
      familyName: 'Ashworth',
      dateOfBirth: '2020-06-11',
      sex: 'M',
      ethnicityCode: 'WBRI',
      firstLanguage: 'ENG',
      school: 'Little Acorns Nursery',
      nhsNumber: generateNhsNumber(rng),
    },
    ashworthAddress,
  );
  await setDisabilities(trx, noah.id, ['COMM']);
  const baby = await person({
    kind: 'child',
    givenName: 'Baby',
    familyName: 'Ashworth',
    expectedDateOfBirth: addCalendarDays(today, 63),
    sex: 'U',
  });
  for (const child of [olivia, noah]) {
    await related(child, claire, 'parent', { livesWith: true, parentalResponsibility: true });
    await related(child, daniel, 'parent', { livesWith: true, parentalResponsibility: true });
  }
  await related(olivia, noah, 'sibling', { livesWith: true });
  await related(baby, claire, 'parent', { parentalResponsibility: true });
  await related(baby, olivia, 'sibling');
  const ashworths = await createHousehold(trx, {
    localAuthorityId: la,
    name: 'Ashworth household',
    addressLine1: ashworthAddress.line1,
    postcode: ashworthAddress.postcode,
    createdBy: sw,
  });
  for (const p of [claire, daniel, olivia, noah])
    await addHouseholdMember(trx, {
      householdId: ashworths,
      personId: p.id,
      fromDate: ashworthAddress.fromDate,
      createdBy: sw,
    });
  const started = addCalendarDays(today, -40);
  await allocate(olivia.id, 'Assessment Team', sw, 'child-and-family-assessment', started);
  await allocate(noah.id, 'Assessment Team', sw, 'child-and-family-assessment', started);
  for (const child of [olivia, noah]) {
    await event(
      child.id,
      42,
      'referral',
      'Referral from Orchard Primary School',
      'Olivia told her teacher about shouting at home and said she was scared when her dad is angry.',
      true,
    );
    await event(child.id, 40, 'allocation', 'Allocated to Sian Walker, Assessment Team', null);
  }
  const visitOn = addCalendarDays(today, -20);
  const visit = await insertCaseNote(trx, {
    childId: olivia.id,
    noteType: 'visit',
    occurredOn: visitOn,
    title: 'Home visit after school',
    body: 'Visited with a colleague (see the warning on Daniel). Olivia showed me her room, which was warm, tidy and had her drawings on the wall.\nClaire said things had been calmer since Daniel started the Caring Dads programme.\nNext: speak to the school nurse and see Noah at nursery.',
    childSeen: true,
    seenAlone: true,
    bedroomSeen: true,
    childsWords: 'I like it when Daddy is calm. I don’t like the shouting but it’s not every day now.',
    significant: false,
    recordedAt: now,
    recordedBy: sw,
  });
  await appendCaseEvent(trx, {
    childId: olivia.id,
    occurredAt: instantAt(visitOn, '12:00'),
    recordedAt: now,
    recordedBy: sw,
    category: 'visit',
    title: 'Visit: Home visit after school',
    summary: 'Child seen alone; bedroom seen. Olivia showed me her room…',
    sourceType: 'case-note',
    sourceId: visit,
  });
  const callOn = addCalendarDays(today, -12);
  const call = await insertCaseNote(trx, {
    childId: olivia.id,
    noteType: 'phone-call',
    occurredOn: callOn,
    title: 'Call with the designated safeguarding lead',
    body: 'School report Olivia is settled and attendance is 97%. No new concerns.',
    significant: false,
    recordedAt: now,
    recordedBy: sw,
  });
  await appendCaseEvent(trx, {
    childId: olivia.id,
    occurredAt: instantAt(callOn, '12:00'),
    recordedAt: now,
    recordedBy: sw,
    category: 'case-note',
    title: 'Phone call: Call with the designated safeguarding lead',
    summary: 'School report Olivia is settled and attendance is 97%.',
    sourceType: 'case-note',
    sourceId: call,
  });
  await event(
    baby.id,
    30,
    'record',
    'Pre-birth referral from the midwife',
    'Claire is 31 weeks pregnant; the midwife shared the school’s concerns.',
    true,
  );

  const gp = await person({
    kind: 'professional',
    givenName: 'Helen',
    familyName: 'Shaw',
    professionalRole: 'GP, Twickenham Park Surgery',
    phone: '020 7946 0001',
    email: 'helen.shaw@twickenhampark.demo.threshold.test',
  });
  await related(olivia, gp, 'professional-involved');
  await related(noah, gp, 'professional-involved');

  // 2. The Begum–Rahman family: early help, with an interpreter needed.
  const hamptonAddress = {
    line1: '3 Heath Road',
    town: 'Hampton',
    postcode: 'TW12 2QP',
    fromDate: '2021-09-01',
  };
  const fatima = await person(
    {
      kind: 'adult',
      givenName: 'Fatima',
      familyName: 'Begum',
      dateOfBirth: '1990-01-20',
      sex: 'F',
      ethnicityCode: 'ABAN',
      firstLanguage: 'BEN',
      interpreterNeeded: true,
      religion: 'MUS',
      nhsNumber: generateNhsNumber(rng),
    },
    hamptonAddress,
  );
  await addWarning(trx, {
    personId: fatima.id,
    kind: 'interpreter-needed',
    details:
      'Bengali (Sylheti) interpreter for every visit and meeting; do not use the children to interpret',
    fromDate: addCalendarDays(today, -90),
    createdBy: eh,
  });
  const ayaan = await person(
    {
      kind: 'child',
      givenName: 'Ayaan',
      familyName: 'Rahman',
      dateOfBirth: '2013-11-05',
      sex: 'M',
      ethnicityCode: 'ABAN',
      firstLanguage: 'BEN',
      religion: 'MUS',
      school: 'Riverside Academy',
      nhsNumber: generateNhsNumber(rng),
    },
    hamptonAddress,
  );
  const safa = await person(
    {
      kind: 'child',
      givenName: 'Safa',
      familyName: 'Rahman',
      dateOfBirth: '2018-08-30',
      sex: 'F',
      ethnicityCode: 'ABAN',
      firstLanguage: 'BEN',
      religion: 'MUS',
      nhsNumber: generateNhsNumber(rng),
    },
    hamptonAddress,
  );
  await setDisabilities(trx, safa.id, ['AUT']);
  for (const child of [ayaan, safa]) {
    await related(child, fatima, 'parent', { livesWith: true, parentalResponsibility: true });
    await allocate(
      child.id,
      'Early Help – Richmond and Kew cluster',
      eh,
      'early-help',
      addCalendarDays(today, -60),
    );
    await event(
      child.id,
      60,
      'early-help',
      'Early help started: team around the family',
      'Support with Safa’s sleep and routines, and Ayaan’s school attendance.',
      true,
      eh,
    );
  }
  await related(ayaan, safa, 'sibling', { livesWith: true });
  const begumRahman = await createHousehold(trx, {
    localAuthorityId: la,
    name: 'Begum–Rahman household',
    addressLine1: hamptonAddress.line1,
    postcode: hamptonAddress.postcode,
    createdBy: eh,
  });
  for (const p of [fatima, ayaan, safa])
    await addHouseholdMember(trx, {
      householdId: begumRahman,
      personId: p.id,
      fromDate: hamptonAddress.fromDate,
      createdBy: eh,
    });
  const tafOn = addCalendarDays(today, -7);
  const taf = await insertCaseNote(trx, {
    childId: ayaan.id,
    noteType: 'meeting',
    occurredOn: tafOn,
    title: 'Team around the family review',
    body: 'Attendance up to 91%. Fatima has started the parenting group (with an interpreter). Plan reviewed and agreed.',
    childsWords: 'I want to be picked for the football team.',
    significant: false,
    recordedAt: now,
    recordedBy: eh,
  });
  await appendCaseEvent(trx, {
    childId: ayaan.id,
    occurredAt: instantAt(tafOn, '12:00'),
    recordedAt: now,
    recordedBy: eh,
    category: 'meeting',
    title: 'Meeting: Team around the family review',
    summary: 'Attendance up to 91%.',
    sourceType: 'case-note',
    sourceId: taf,
  });

  // Olivia's family network (Families First): four people, one network meeting with actions, and respite agreed by
  // the team manager.
  {
    const joined = addCalendarDays(today, -35);
    const members = await trx
      .insertInto('familyNetworkMembers')
      .values(
        (
          [
            [
              'Margaret',
              'Hollis',
              'grandparent',
              'maternal grandmother',
              '07700 900311',
              'phone',
              ['respite', 'care', 'transport'],
            ],
            [
              'Aisha',
              'Hollis',
              'aunt-uncle',
              'Claire’s sister',
              '07700 900312',
              'phone',
              ['emotional', 'contact-supervision'],
            ],
            ['Pat', 'Doyle', 'neighbour', null, null, 'in-person', ['practical']],
            [
              'Femi',
              'Adeyemi',
              'family-friend',
              'Olivia’s godfather',
              '07700 900314',
              'phone',
              ['transport'],
            ],
          ] as const
        ).map(([givenName, familyName, roleCode, roleDescription, phone, preferredContact, offers]) => ({
          childId: olivia.id,
          givenName,
          familyName,
          roleCode,
          roleDescription,
          phone,
          preferredContact,
          supportOffers: [...offers],
          fromDate: joined,
          createdBy: sw,
          createdAt: now,
        })),
      )
      .returning('id')
      .execute();
    const heldOn = addCalendarDays(today, -14);
    const meeting = await trx
      .insertInto('familyNetworkMeetings')
      .values({
        childId: olivia.id,
        heldOn,
        facilitator: 'Rhiannon Price, family group conference coordinator',
        familyPlan:
          'Margaret will have Olivia and Noah every other weekend so Claire has a break. Aisha will be there for family time with Daniel. Femi will take Olivia to swimming on Thursdays.',
        recordedBy: sw,
        recordedAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('familyNetworkMeetingParticipants')
      .values([
        ...members.map((m, i) => ({
          meetingId: meeting.id,
          memberId: m.id,
          professionalName: null,
          attended: i !== 2,
        })),
        {
          meetingId: meeting.id,
          memberId: null,
          professionalName: 'Sian Walker, social worker',
          attended: true,
        },
      ])
      .execute();
    await trx
      .insertInto('familyNetworkMeetingActions')
      .values([
        {
          meetingId: meeting.id,
          memberId: members[0]!.id,
          action: 'First weekend stay with Olivia and Noah',
          dueOn: addCalendarDays(today, -3),
        },
        {
          meetingId: meeting.id,
          memberId: members[3]!.id,
          action: 'Take Olivia to swimming on Thursday',
          dueOn: addCalendarDays(today, 7),
        },
      ])
      .execute();
    await event(
      olivia.id,
      14,
      'meeting',
      'Family network meeting',
      'The family made their own plan: weekend breaks with Margaret, Aisha at family time, Femi for swimming.',
      true,
    );
    const manager = org.users.get('team.manager')!;
    await trx
      .insertInto('familyNetworkSupportPackages')
      .values({
        childId: olivia.id,
        kind: 'respite',
        description: 'Travel costs for Margaret’s weekend stays',
        amountPence: 4_000,
        frequency: 'monthly',
        startDate: addCalendarDays(today, -10),
        agreedBy: manager,
        recordedBy: manager,
        recordedAt: now,
      })
      .execute();
  }

  // 3. A restricted record (a staff member's child), allocated to another team.
  const harry = await person(
    {
      kind: 'child',
      givenName: 'Harry',
      familyName: 'Pemberton',
      dateOfBirth: '2012-07-19',
      sex: 'M',
      ethnicityCode: 'WBRI',
      restricted: true,
      restrictionReason: 'Child of a member of staff',
      nhsNumber: generateNhsNumber(rng),
    },
    { line1: '8 Orchard Way', town: 'Teddington', postcode: 'TW11 8QE', fromDate: '2015-01-01' },
  );
  await allocate(harry.id, 'Child Protection Team', null, null, addCalendarDays(today, -100));

  // 4. Two records that are probably the same child: try "Merge with a duplicate record".
  const jayden = await person(
    {
      kind: 'child',
      givenName: 'Jayden',
      familyName: 'Clarke',
      dateOfBirth: '2016-10-09',
      sex: 'M',
      ethnicityCode: 'MWBC',
      school: 'Orchard Primary School',
    },
    { line1: '22 Whitton Road', town: 'Twickenham', postcode: 'TW2 7AB', fromDate: '2018-03-01' },
  );
  const jaden = await person({
    kind: 'child',
    givenName: 'Jaden',
    familyName: 'Clark',
    dateOfBirth: '2016-10-09',
    sex: 'M',
    nhsNumber: generateNhsNumber(rng),
  });
  await event(
    jayden.id,
    200,
    'contact',
    'Contact from the police: domestic incident',
    'No further action after screening.',
    false,
  );
  await event(
    jaden.id,
    15,
    'contact',
    'Contact from the school nurse',
    'Concerns about weight; passed to early help.',
    false,
  );

  // 5. An unaccompanied asylum-seeking child, and a family from the Polish community.
  await person(
    {
      kind: 'child',
      givenName: 'Tesfay',
      familyName: 'Gebremariam',
      dateOfBirth: '2009-05-01',
      sex: 'M',
      ethnicityCode: 'BAFR',
      firstLanguage: 'TIG',
      interpreterNeeded: true,
      immigrationStatus: 'ASYLUM-SEEKER',
      unaccompaniedAsylumSeeking: true,
      upnUnknownReason: 'UN2',
    },
    {
      line1: 'Flat 2, 40 London Road',
      town: 'Twickenham',
      postcode: 'TW1 3RR',
      fromDate: addCalendarDays(today, -30),
    },
  );
  const anna = await person(
    {
      kind: 'adult',
      givenName: 'Anna',
      familyName: 'Nowak',
      dateOfBirth: '1983-03-03',
      sex: 'F',
      ethnicityCode: 'WOTH',
      firstLanguage: 'POL',
      interpreterNeeded: true,
    },
    { line1: '51 Park Lane', town: 'Teddington', postcode: 'TW11 0JA', fromDate: '2016-06-01' },
  );
  const zofia = await person(
    {
      kind: 'child',
      givenName: 'Zofia',
      familyName: 'Nowak',
      knownAs: 'Zosia',
      dateOfBirth: '2011-02-14',
      sex: 'F',
      ethnicityCode: 'WOTH',
      firstLanguage: 'POL',
      religion: 'CHR',
    },
    { line1: '51 Park Lane', town: 'Teddington', postcode: 'TW11 0JA', fromDate: '2016-06-01' },
  );
  await addPersonName(trx, {
    personId: zofia.id,
    kind: 'previous',
    givenName: 'Zofia',
    familyName: 'Kowalska',
  });
  await related(zofia, anna, 'parent', { livesWith: true, parentalResponsibility: true });
  return { people: count };
}
