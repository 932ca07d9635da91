import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { contextFor, readContextFor } from '../../../test/builders/context.ts';
import { aChild, anAdult, anAllocation, anUnbornChild, userIdFor } from '../../../test/builders/people.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import { addRelationship, loadFamily } from './family.service.ts';
import { recordCaseNote } from './case-note.service.ts';
import { chronologyFor } from './chronology.service.ts';
import { createPerson, loadPersonHeader, updatePerson, type CreatePersonInput } from './person.service.ts';
import type { EditPersonForm } from './person.schemas.ts';
import { loadRecordSummary } from './record.service.ts';
import { recordSummaryProviders } from '../index.ts';
import type { RecordSummaryProvider } from './record-summary.ts';

let handle: DatabaseHandle;
let sw: CurrentUser;
let contactOfficer: CurrentUser;
let analyst: CurrentUser;
const now = new Date('2026-11-24T10:30:00Z');

beforeAll(async () => {
  handle = await testDb();
  const load = async (role: Parameters<typeof userIdFor>[1]) =>
    (await loadCurrentUser(handle.db, await userIdFor(handle.db, role), null))!;
  sw = await load('social-worker');
  contactOfficer = await load('contact-officer');
  analyst = await load('performance-analyst');
});
afterAll(async () => {
  await handle?.close();
});

const run = <T>(fn: (trx: import('kysely').Transaction<import('../../db/schema.ts').DB>) => Promise<T>) =>
  handle.db.transaction().execute(fn);

const child: CreatePersonInput = {
  kind: 'child',
  localAuthorityId: undefined,
  givenName: 'Harriet',
  familyName: 'Oakes',
  knownAs: 'Hattie',
  otherNameKind: 'previous',
  otherGivenName: 'Harriet',
  otherFamilyName: 'Lowe',
  dateOfBirth: '2015-07-07',
  expectedDateOfBirth: undefined,
  sex: 'F',
  genderIdentity: undefined,
  ethnicityCode: 'WBRI',
  firstLanguage: 'ENG',
  interpreterNeeded: false,
  religion: undefined,
  disabilities: ['LD'],
  immigrationStatus: undefined,
  unaccompaniedAsylumSeeking: false,
  nhsNumber: undefined,
  upn: undefined,
  formerUpn: undefined,
  upnUnknownReason: 'UN4',
  addressLine1: '1 Oak Lane',
  addressLine2: undefined,
  town: 'Twickenham',
  postcode: 'TW1 1AA',
  phone: undefined,
  email: undefined,
  gpPractice: undefined,
  school: 'Orchard Primary School',
  professionalRole: undefined,
  agencyId: undefined,
};

describe('people: create, change, read', () => {
  it('creates a child with names, address, disabilities, an LA child id, an audit row and a chronology entry', async () => {
    const { id, laChildId } = await run((trx) => createPerson(contextFor(trx, sw, now), child));
    expect(laChildId).toMatch(/^RT\d{6}$/);
    const row = await handle.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.nameKeys).toEqual(['harriet', 'hattie', 'lowe', 'oakes']);
    expect(row.localAuthorityId).toBe(sw.localAuthorityId);
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUserId'])
      .where('childId', '=', id)
      .execute();
    expect(audit).toEqual([{ action: 'person.created', actorUserId: sw.id }]);
    const summary = await run((trx) => loadRecordSummary(serviceContext(trx, sw, now), { personId: id }));
    expect(summary.facts.map((f) => f.key)).toEqual(
      expect.arrayContaining([
        'Known as',
        'Sex',
        'Ethnicity',
        'Disabilities',
        'School or nursery',
        'Why there is no UPN',
      ]),
    );
    expect(summary.otherNames).toMatchObject([{ kind: 'previous', familyName: 'Lowe' }]);
    expect(summary.currentAddress?.postcode).toBe('TW1 1AA');
  });

  it('refuses an unknown code, a second record with the same NHS number, and a local authority the user does not work for', async () => {
    await expect(
      run((trx) => createPerson(contextFor(trx, sw, now), { ...child, ethnicityCode: 'XXXX' })),
    ).rejects.toThrow(/ethnicity/);
    await aChild(handle.db, { nhsNumber: '9990000018' });
    await expect(
      run((trx) => createPerson(contextFor(trx, sw, now), { ...child, nhsNumber: '9990000018' })),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    const kingston = await handle.db
      .selectFrom('localAuthorities')
      .select('id')
      .where('laCode', '=', '314')
      .executeTakeFirstOrThrow();
    await expect(
      run((trx) => createPerson(contextFor(trx, sw, now), { ...child, localAuthorityId: kingston.id })),
    ).rejects.toThrow(/local authority you work for/);
  });

  it('cannot create a record without person:create', async () => {
    await expect(run((trx) => createPerson(contextFor(trx, analyst, now), child))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
  });

  const edit = (
    p: { givenName: string; familyName: string; version: number },
    extra: Partial<EditPersonForm> = {},
  ): EditPersonForm => ({
    personKind: 'child',
    givenName: p.givenName,
    familyName: p.familyName,
    knownAs: undefined,
    otherNameKind: undefined,
    otherGivenName: undefined,
    otherFamilyName: undefined,
    dateOfBirth: '2016-05-14',
    expectedDateOfBirth: undefined,
    dateOfDeath: undefined,
    sex: 'F',
    genderIdentity: undefined,
    ethnicityCode: 'WBRI',
    firstLanguage: undefined,
    interpreterNeeded: false,
    religion: undefined,
    disabilities: [],
    immigrationStatus: undefined,
    unaccompaniedAsylumSeeking: false,
    nhsNumber: undefined,
    upn: undefined,
    formerUpn: undefined,
    upnUnknownReason: undefined,
    addressLine1: undefined,
    addressLine2: undefined,
    town: undefined,
    postcode: undefined,
    movedOn: undefined,
    phone: undefined,
    email: undefined,
    gpPractice: undefined,
    school: undefined,
    professionalRole: undefined,
    agencyId: undefined,
    warningKind: undefined,
    warningDetails: undefined,
    endWarnings: [],
    version: p.version,
    ...extra,
  });

  it('changes details with a version check; a move keeps the old address; audited', async () => {
    const c = await aChild(handle.db, {
      givenName: 'Ned',
      familyName: 'Marsh',
      nhsNumber: null,
      postcode: 'TW1 1AA',
    });
    const result = await run((trx) =>
      updatePerson(contextFor(trx, sw, now), {
        personId: c.id,
        ...edit(c, {
          familyName: 'Marsh-Tate',
          addressLine1: '2 New Road',
          postcode: 'TW2 2BB',
          movedOn: '2026-11-01',
        }),
      }),
    );
    expect(result.changed).toEqual(expect.arrayContaining(['familyName', 'address']));
    const addresses = await handle.db
      .selectFrom('addresses')
      .select(['postcode', 'toDate'])
      .where('personId', '=', c.id)
      .orderBy('createdAt')
      .execute();
    expect(addresses).toEqual([
      { postcode: 'TW1 1AA', toDate: '2026-11-01' },
      { postcode: 'TW2 2BB', toDate: null },
    ]);
    await expect(
      run((trx) => updatePerson(contextFor(trx, sw, now), { ...edit(c), personId: c.id })),
    ).rejects.toBeInstanceOf(ConflictError);
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('childId', '=', c.id)
      .execute();
    expect(audit[0]!.action).toBe('person.updated');
  });

  it('records the birth of an unborn child in the chronology', async () => {
    const baby = await anUnbornChild(handle.db, { familyName: 'Born' });
    await run((trx) =>
      updatePerson(contextFor(trx, sw, now), {
        personId: baby.id,
        ...edit(baby, { personKind: 'unborn', dateOfBirth: '2026-11-20', sex: 'M' }),
      }),
    );
    const events = await run((trx) =>
      chronologyFor(readContextFor(trx, sw, now), {
        childId: baby.id,
        filter: { categories: [], significantOnly: true },
        page: { limit: 10, offset: 0 },
      }),
    );
    expect(events.rows.map((e) => e.title)).toEqual(['Born']);
  });

  it('cannot change or read a record without access (404), and a contact officer cannot change one', async () => {
    const hidden = await aChild(handle.db, { restricted: true });
    await expect(
      run((trx) => updatePerson(contextFor(trx, sw, now), { ...edit(hidden), personId: hidden.id })),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      run((trx) => loadPersonHeader(readContextFor(trx, sw, now), hidden.id)),
    ).rejects.toBeInstanceOf(NotFoundError);
    await anAllocation(handle.db, hidden, { role: 'social-worker' });
    expect((await run((trx) => loadPersonHeader(readContextFor(trx, sw, now), hidden.id))).restricted).toBe(
      true,
    );
    const open = await aChild(handle.db);
    await expect(
      run((trx) => updatePerson(contextFor(trx, contactOfficer, now), { ...edit(open), personId: open.id })),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('lets other modules add open involvements and deadlines to the summary', async () => {
    const c = await aChild(handle.db);
    const testModule: RecordSummaryProvider = {
      id: 'test-module',
      openInvolvements: async ({ personId }) =>
        personId === c.id ? [{ title: 'Child in need plan', status: 'Open', startedOn: '2026-10-01' }] : [],
      nextDeadlines: async () => [
        { title: 'Review due', dueOn: '2026-12-01' },
        { title: 'Visit overdue', dueOn: '2026-11-01' },
      ],
    };
    const providers = [...recordSummaryProviders, testModule];
    const summary = await run((trx) =>
      loadRecordSummary(serviceContext(trx, sw, now), { personId: c.id, providers }),
    );
    expect(summary.involvements.map((i) => i.title)).toContain('Child in need plan');
    expect(summary.deadlines.map((d) => [d.title, d.overdue])).toEqual([
      ['Visit overdue', true],
      ['Review due', false],
    ]);
  });

  it('lists every module’s summary panel by name (no registration when a module loads)', () => {
    expect(recordSummaryProviders.map((p) => p.id)).toEqual([
      'front-door',
      'early-help',
      'social-care',
      'allocations',
      'management-oversight',
      'worker-stability',
    ]);
  });
});

describe('relationships, case notes and the chronology', () => {
  it('adds a relationship (household, audit, chronology on both children) and shows the family', async () => {
    const a = await aChild(handle.db, { givenName: 'Ava', familyName: 'Lane', sex: 'F' });
    const b = await aChild(handle.db, { givenName: 'Ben', familyName: 'Lane', sex: 'M' });
    await run((trx) =>
      addRelationship(contextFor(trx, sw, now), {
        personId: a.id,
        relatedPersonId: b.id,
        kind: 'half-sibling',
        parentalResponsibility: false,
        livesWith: true,
      }),
    );
    const family = await run((trx) => loadFamily(readContextFor(trx, sw, now), a.id));
    expect(family.members.map((m) => [m.name, m.relation])).toEqual([['Ben Lane', 'Half-brother']]);
    expect(family.households[0]!.members.map((m) => m.name).sort()).toEqual(['Ava Lane', 'Ben Lane']);
    expect(family.genogram.svg).toContain('stroke-dasharray');
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', a.id)
      .execute();
    expect(audit.map((x) => x.action)).toContain('relationship.added');
    const bEvents = await handle.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', b.id)
      .execute();
    expect(bEvents.map((e) => e.title)).toEqual(['Half-sister added to the family network: Ava Lane']);
  });

  it('cannot add a relationship to a record without write access', async () => {
    const hidden = await aChild(handle.db, { restricted: true });
    const adult = await anAdult(handle.db);
    await expect(
      run((trx) =>
        addRelationship(contextFor(trx, sw, now), {
          personId: hidden.id,
          relatedPersonId: adult.id,
          kind: 'parent',
          parentalResponsibility: true,
          livesWith: false,
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('records a case note and lists the chronology filtered by type and date', async () => {
    const c = await aChild(handle.db);
    await run((trx) =>
      recordCaseNote(contextFor(trx, sw, now), {
        childId: c.id,
        noteType: 'phone-call',
        occurredOn: '2026-11-02',
        title: 'Call',
        body: 'Spoke to mum',
        childsWords: undefined,
        significant: false,
        childSeen: undefined,
        seenAlone: undefined,
        bedroomSeen: undefined,
      }),
    );
    const all = await run((trx) =>
      chronologyFor(readContextFor(trx, sw, now), {
        childId: c.id,
        filter: { categories: ['case-note'], from: '2026-11-01', to: '2026-11-02', significantOnly: false },
        page: { limit: 10, offset: 0 },
      }),
    );
    expect(all.rows.map((r) => r.title)).toEqual(['Phone call: Call']);
    const none = await run((trx) =>
      chronologyFor(readContextFor(trx, sw, now), {
        childId: c.id,
        filter: { categories: ['case-note'], from: '2026-11-03', significantOnly: false },
        page: { limit: 10, offset: 0 },
      }),
    );
    expect(none.total).toBe(0);
    const hidden = await aChild(handle.db, { restricted: true });
    await expect(
      run((trx) =>
        chronologyFor(readContextFor(trx, sw, now), {
          childId: hidden.id,
          filter: { categories: [], significantOnly: false },
          page: { limit: 10, offset: 0 },
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      run((trx) =>
        recordCaseNote(contextFor(trx, sw, now), {
          childId: hidden.id,
          noteType: 'observation',
          occurredOn: '2026-11-02',
          title: 'x',
          body: 'y',
          childsWords: undefined,
          significant: false,
          childSeen: undefined,
          seenAlone: undefined,
          bedroomSeen: undefined,
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
