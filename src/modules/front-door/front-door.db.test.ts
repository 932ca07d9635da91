import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { teamId } from '../../../test/builders/organisation.ts';
import { demoEmail } from '../admin/organisation.seed.ts';
import { loadCurrentUser } from '../identity/current-user.repository.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import {
  ContactInputError,
  createApiClientContact,
  createContact,
  requireContact,
  setRag,
  type ApiClientActor,
} from './contact.service.ts';
import type { ContactInput } from './contact.schemas.ts';
import { createRecordForContactChild, linkContactChild } from './known-check.service.ts';
import {
  answerRequest,
  createInformationRequest,
  requestForMyAgency,
  requestsForMyAgency,
  sendReminder,
} from './information-request.service.ts';
import {
  approveDecision,
  sendBackDecision,
  type AuthoriseInput,
  type SendBackInput,
} from './authorisation.service.ts';
import { decideContact, type DecisionInput } from './decision.service.ts';
import { consistencyCounts, drillDownContacts } from './performance.repository.ts';
import { recordStrategyDiscussion } from './strategy-discussion.service.ts';
import { createMeeting, loadMeeting, recordItem } from './meeting.service.ts';
import { frontDoorWorktray } from './front-door.worktray.ts';
import { createApiClient } from './api-client.service.ts';
import { startSection47 } from '../social-care/child-protection.service.ts';
import {
  aCinEpisode,
  socialCareRecordsFor,
  withCensusDetails,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { anAgreedPlan, anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { describeDeadline } from '../home/worktray.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { agencyIdsByKind, localAuthorityIds } from '../../../test/builders/front-door-helpers.ts';

let handle: DatabaseHandle;
let officer: CurrentUser;
let mash: CurrentUser;
let manager: CurrentUser;
let police: CurrentUser;
let health: CurrentUser;
let socialWorker: CurrentUser;
let richmond: string;
let kingston: string;
let agencies: Record<string, string>;
let assessmentTeam: string;
const calendar = createWorkingDayCalendar();
const NOW = new Date('2026-11-24T10:30:00Z'); // a Tuesday

const userByEmail = async (local: string) =>
  (await loadCurrentUser(
    handle.db,
    (
      await handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', local.includes('@') ? local : demoEmail(local))
        .executeTakeFirstOrThrow()
    ).id,
    null,
  ))!;
const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);
const contactRow = (id: string) =>
  handle.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const contactChildRow = (id: string) =>
  handle.db.selectFrom('contactChildren').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** The first child named on a contact. */
const firstChildOf = (contactId: string) =>
  handle.db
    .selectFrom('contactChildren')
    .selectAll()
    .where('contactId', '=', contactId)
    .orderBy('position')
    .limit(1)
    .executeTakeFirstOrThrow();
/** A contact recorded by `by` (the contact officer) at `at` (NOW). */
const record = (contact: ContactInput, by: CurrentUser = officer, at: Date = NOW) =>
  run((trx) => createContact(serviceContext(trx, by, at, calendar), contact));
/** A threshold decision on a contact (level 1, no further action, unless said otherwise). */
const decide = (user: CurrentUser, input: Partial<DecisionInput> & { contactId: string }) =>
  run((trx) =>
    decideContact(serviceContext(trx, user, NOW), {
      levelOfNeed: 'level-1',
      outcome: 'nfa',
      rationale: 'x',
      referrerFeedback: 'y',
      ...input,
    }),
  );
/** A manager's authorisation of the decision on a contact ("Agree", unless said otherwise). */
const authorise = (user: CurrentUser, input: Partial<AuthoriseInput> & { contactId: string }) =>
  run((trx) => approveDecision(serviceContext(trx, user, NOW), { rationale: 'Agree', ...input }));
const sendBack = (user: CurrentUser, input: SendBackInput) =>
  run((trx) => sendBackDecision(serviceContext(trx, user, NOW), input));

function input(overrides: Partial<ContactInput> = {}): ContactInput {
  return {
    localAuthorityId: richmond,
    channel: 'phone',
    referralSource: '6',
    referrer: { name: 'PC Jo Bloggs', organisation: 'Metropolitan Police' },
    concernCategories: ['domestic-abuse'],
    reason: 'Police attended a domestic incident at the home overnight. Two children were present.',
    consent: 'dispensed',
    consentRationale: 'Police notification: asking could increase the risk to the mother',
    urgency: 'urgent',
    children: [
      { givenName: 'Olivia', familyName: 'Frontdoor', dateOfBirth: '2017-03-04', postcode: 'TW1 3BZ' },
    ],
    adults: [{ givenName: 'Claire', familyName: 'Frontdoor', role: 'mother' }],
    ...overrides,
  };
}

async function linkedContact(overrides: Partial<ContactInput> = {}, now = NOW) {
  const child = await aChild(handle.db, {
    givenName: 'Linked',
    familyName: `Child${Math.random().toString(36).slice(2, 7)}`,
  });
  const created = await record(
    input({ children: [{ givenName: child.givenName, familyName: child.familyName }], ...overrides }),
    officer,
    now,
  );
  const cc = await firstChildOf(created.id);
  await run((trx) =>
    linkContactChild(serviceContext(trx, officer, now), {
      contactId: created.id,
      childId: cc.id,
      personId: child.id,
    }),
  );
  return { ...created, childId: child.id, contactChildId: cc.id };
}

beforeAll(async () => {
  handle = await testDb();
  ({ richmond, kingston } = await localAuthorityIds(handle.db));
  assessmentTeam = await teamId(handle.db, 'Assessment Team');
  agencies = await agencyIdsByKind(handle.db);
  const healthUser = await handle.db
    .insertInto('users')
    .values({
      email: 'health.visitor@demo.threshold.test',
      displayName: 'Hana Visitor',
      agencyId: agencies.health!,
      jobTitle: 'Safeguarding nurse',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handle.db
    .insertInto('userRoles')
    .values({ userId: healthUser.id, role: 'partner-agency-user' })
    .execute();
  officer = await userByEmail('contact.officer');
  mash = await userByEmail('mash.practitioner');
  manager = await userByEmail('mash.manager');
  police = await userByEmail('police.officer');
  health = await userByEmail('health.visitor@demo.threshold.test');
  socialWorker = await userByEmail('social.worker');
});
afterAll(async () => {
  await handle?.close();
});

describe('recording a contact', () => {
  it('an SPA officer records a phone contact: reference, decision clock, children, adults, audit', async () => {
    const created = await record(input());
    expect(created.reference).toMatch(/^C-2026-\d{5}$/);
    expect(created.decisionDueOn).toBe('2026-11-25');
    expect(created.decisionDueAt.toISOString()).toBe('2026-11-25T17:00:00.000Z');
    const row = await handle.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'awaiting-screening',
      channel: 'phone',
      referralSource: '6',
      submittedByUserId: officer.id,
      submittedByLabel: officer.email,
      concernCategories: ['domestic-abuse'],
    });
    expect(
      await handle.db
        .selectFrom('contactChildren')
        .select(['givenName', 'postcode', 'knownCheck'])
        .where('contactId', '=', created.id)
        .execute(),
    ).toEqual([{ givenName: 'Olivia', postcode: 'TW1 3BZ', knownCheck: 'not-checked' }]);
    expect(
      await handle.db
        .selectFrom('contactAdults')
        .select(['givenName', 'role'])
        .where('contactId', '=', created.id)
        .execute(),
    ).toEqual([{ givenName: 'Claire', role: 'mother' }]);
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'actorLabel', 'details'])
      .where('subjectId', '=', created.id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'contact.created',
        actorLabel: officer.email,
        details: expect.objectContaining({ channel: 'phone', children: 1 }),
      }),
    ]);
  });

  it('consent not given or dispensed with needs a rationale (service and database both refuse)', async () => {
    const error = await record(input({ consent: 'not-given', consentRationale: undefined })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContactInputError);
    expect((error as ContactInputError).problems).toEqual([
      {
        path: 'consentRationale',
        message: 'Explain why you are making this contact without the family’s consent',
      },
    ]);
    const created = await record(input({ consent: 'given', consentRationale: undefined }));
    await expect(
      handle.db.updateTable('contacts').set({ consent: 'dispensed' }).where('id', '=', created.id).execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('no child and no description: every problem reported, nothing written', async () => {
    const before = Number(
      (
        await handle.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const error = (await record(input({ children: [], reason: '', concernCategories: ['not-a-code'] })).catch(
      (e: unknown) => e,
    )) as ContactInputError;
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['children', 'reason']));
    const codes = (await record(
      input({
        concernCategories: ['not-a-code'],
        children: [{ givenName: 'A', dateOfBirth: '2030-01-01' }],
      }),
    ).catch((e: unknown) => e)) as ContactInputError;
    expect(codes.problems.map((p) => p.path)).toEqual(['concernCategories.0', 'children.0.dateOfBirth']);
    expect(
      Number(
        (
          await handle.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(before);
  });

  it('a partner user may only submit through the online form, for their own agency; an API client through the API, once per reference', async () => {
    await expect(record(input(), police)).rejects.toThrow(AccessDeniedError);
    const online = await record(input({ channel: 'online-form', referrer: {} }), police);
    expect(
      await handle.db
        .selectFrom('contacts')
        .select(['referrerAgencyId', 'referrerName', 'submittedByUserId'])
        .where('id', '=', online.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      referrerAgencyId: agencies.police,
      referrerName: police.displayName,
      submittedByUserId: police.id,
    });
    const other = await record(
      input({ channel: 'online-form', referrer: { agencyId: agencies.health } }),
      police,
    ).catch((e: unknown) => e);
    expect((other as ContactInputError).problems).toEqual([
      { path: 'referrer.agencyId', message: 'You can only refer on behalf of your own agency' },
    ]);
    const admin = await userByEmail('admin');
    const created = await run((trx) =>
      createApiClient(serviceContext(trx, admin, NOW), {
        name: 'met-police-notifications',
        agencyId: agencies.police!,
        localAuthorityIds: [richmond],
      }),
    );
    const client: ApiClientActor = {
      kind: 'api-client',
      apiClientId: created.id,
      name: 'met-police-notifications',
      agencyId: agencies.police!,
      localAuthorityIds: [richmond],
    };
    const first = await run((trx) =>
      createApiClientContact(
        { db: trx, client, now: NOW, calendar },
        input({ channel: 'api', externalReference: 'MPS-2026-000123' }),
      ),
    );
    const again = await run((trx) =>
      createApiClientContact(
        { db: trx, client, now: NOW, calendar },
        input({ channel: 'api', externalReference: 'MPS-2026-000123' }),
      ),
    );
    expect(again).toMatchObject({ id: first.id, created: false });
    expect(
      (
        await handle.db
          .selectFrom('auditEvents')
          .select('actorLabel')
          .where('subjectId', '=', first.id)
          .executeTakeFirstOrThrow()
      ).actorLabel,
    ).toBe('api-client:met-police-notifications');
    const wrongLa = await run((trx) =>
      createApiClientContact(
        { db: trx, client, now: NOW, calendar },
        input({ channel: 'api', localAuthorityId: kingston }),
      ),
    ).catch((e: unknown) => e);
    expect((wrongLa as ContactInputError).problems[0]?.path).toBe('localAuthorityId');
    const child = await aChild(handle.db);
    const namesRecord = await run((trx) =>
      createApiClientContact(
        { db: trx, client, now: NOW, calendar },
        input({ channel: 'api', children: [{ personId: child.id }] }),
      ),
    ).catch((e: unknown) => e);
    expect((namesRecord as ContactInputError).problems[0]?.path).toBe('children');
  });

  it('cannot be seen outside the authorities the user works for, nor by partners', async () => {
    const kingstonContact = await record(input({ localAuthorityId: kingston }));
    await expect(
      run((trx) => requireContact(serviceContext(trx, socialWorker, NOW), kingstonContact.id)),
    ).rejects.toThrow(NotFoundError);
    await expect(
      run((trx) => requireContact(serviceContext(trx, police, NOW), kingstonContact.id)),
    ).rejects.toThrow(NotFoundError);
    expect((await run((trx) => requireContact(serviceContext(trx, mash, NOW), kingstonContact.id))).id).toBe(
      kingstonContact.id,
    );
  });
});

describe('the known-to-services check', () => {
  it('links a child to their record, records what was known (contacts in the last 12 months), and completes screening', async () => {
    const child = await aChild(handle.db, { givenName: 'Kieran', familyName: 'Knownbefore' });
    // A contact nine months ago, linked, decided NFA.
    const earlier = await run((trx) =>
      createContact(
        serviceContext(trx, officer, new Date('2026-02-10T10:00:00Z'), calendar),
        input({ children: [{ personId: child.id }] }),
      ),
    );
    await run((trx) =>
      createContact(
        serviceContext(trx, officer, new Date('2025-06-10T10:00:00Z'), calendar),
        input({ children: [{ personId: child.id }] }),
      ),
    ); // over 12 months ago
    const created = await record(input({ children: [{ givenName: 'Kieran', familyName: 'Knownbefore' }] }));
    const cc = await firstChildOf(created.id);
    const summary = await run((trx) =>
      linkContactChild(serviceContext(trx, officer, NOW), {
        contactId: created.id,
        childId: cc.id,
        personId: child.id,
      }),
    );
    expect(summary.knownToServices).toBe(true);
    expect(summary.previousContacts.map((c) => c.reference)).toEqual([earlier.reference]);
    const stored = await contactChildRow(cc.id);
    expect(stored).toMatchObject({
      personId: child.id,
      knownCheck: 'linked',
      knownToServices: true,
      knownCheckBy: officer.id,
    });
    expect(
      await handle.db
        .selectFrom('contacts')
        .select('status')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'awaiting-decision' });
    const events = await handle.db
      .selectFrom('caseEvents')
      .select(['title', 'occurredAt'])
      .where('childId', '=', child.id)
      .where('sourceId', '=', created.id)
      .execute();
    expect(events).toEqual([{ title: `Contact received (${created.reference})`, occurredAt: NOW }]);
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select('action')
        .where('subjectId', '=', created.id)
        .where('action', '=', 'contact.child-linked')
        .execute(),
    ).toHaveLength(1);
  });

  it('creates a record from the details given when the child is not known', async () => {
    const created = await record(
      input({
        children: [
          { givenName: 'Zara', familyName: 'Newcomer', dateOfBirth: '2019-09-09', postcode: 'TW9 1AA' },
        ],
      }),
    );
    const cc = await firstChildOf(created.id);
    const { personId, summary } = await run((trx) =>
      createRecordForContactChild(serviceContext(trx, officer, NOW), {
        contactId: created.id,
        childId: cc.id,
      }),
    );
    expect(summary.knownToServices).toBe(false);
    expect(
      await handle.db
        .selectFrom('people')
        .select(['givenName', 'familyName', 'dateOfBirth', 'kind', 'localAuthorityId'])
        .where('id', '=', personId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      givenName: 'Zara',
      familyName: 'Newcomer',
      dateOfBirth: '2019-09-09',
      kind: 'child',
      localAuthorityId: richmond,
    });
    expect((await contactChildRow(cc.id)).knownCheck).toBe('created');
  });

  it('cannot link to a record the user may not read', async () => {
    const restricted = await aChild(handle.db, { restricted: true });
    const created = await record(input());
    const cc = await firstChildOf(created.id);
    await expect(
      run((trx) =>
        linkContactChild(serviceContext(trx, officer, NOW), {
          contactId: created.id,
          childId: cc.id,
          personId: restricted.id,
        }),
      ),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('MASH enquiry: RAG timescales', () => {
  it('red set at 3pm on a Friday: information due at 11am on Monday', async () => {
    const { id } = await linkedContact();
    const due = await run((trx) =>
      setRag(serviceContext(trx, mash, new Date('2026-11-27T15:00:00Z'), calendar), {
        contactId: id,
        rag: 'red',
        rationale: 'Serious injury reported',
      }),
    );
    expect(due.informationDueAt.toISOString()).toBe('2026-11-30T11:00:00.000Z');
    expect(
      await handle.db
        .selectFrom('contacts')
        .select(['status', 'rag', 'informationDueAt'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'mash-enquiry', rag: 'red', informationDueAt: new Date('2026-11-30T11:00:00Z') });
  });

  it('red set at 3pm on Christmas Eve 2026 (before Christmas Day, a weekend and the Boxing Day substitute): due at 11am on 29 December', async () => {
    const { id, decisionDueOn } = await linkedContact({}, new Date('2026-12-24T14:00:00Z'));
    expect(decisionDueOn).toBe('2026-12-29');
    const due = await run((trx) =>
      setRag(serviceContext(trx, mash, new Date('2026-12-24T15:00:00Z'), calendar), {
        contactId: id,
        rag: 'red',
        rationale: 'Bruising seen by school',
      }),
    );
    expect(due.informationDueAt.toISOString()).toBe('2026-12-29T11:00:00.000Z');
  });

  it('uses the authority’s own timescales, and re-rating moves the open requests’ deadline', async () => {
    await handle.db
      .insertInto('frontDoorSettings')
      .values({ localAuthorityId: kingston, ragRedHours: 2, ragAmberHours: 16, ragGreenHours: 40 })
      .execute();
    const { id } = await linkedContact({ localAuthorityId: kingston });
    const amber = await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), { contactId: id, rag: 'amber', rationale: 'x' }),
    );
    expect(amber.informationDueAt.toISOString()).toBe('2026-11-26T10:30:00.000Z');
    const req = await run((trx) =>
      createInformationRequest(serviceContext(trx, mash, NOW), {
        contactId: id,
        agencyId: agencies.police!,
        requestType: 'information-check',
        question: 'Call-outs?',
      }),
    );
    const red = await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), { contactId: id, rag: 'red', rationale: 'Escalated' }),
    );
    expect(red.informationDueAt.toISOString()).toBe('2026-11-24T12:30:00.000Z');
    expect(
      (
        await handle.db
          .selectFrom('informationRequests')
          .select('dueAt')
          .where('id', '=', req.id)
          .executeTakeFirstOrThrow()
      ).dueAt,
    ).toEqual(red.informationDueAt);
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select('action')
        .where('subjectId', '=', id)
        .where('action', 'in', ['contact.mash-enquiry-started', 'contact.rag-changed'])
        .orderBy('seq')
        .execute(),
    ).toEqual([{ action: 'contact.mash-enquiry-started' }, { action: 'contact.rag-changed' }]);
  });

  it('a contact officer cannot send information requests', async () => {
    const { id } = await linkedContact();
    await run((trx) =>
      setRag(serviceContext(trx, officer, NOW, calendar), { contactId: id, rag: 'green', rationale: 'x' }),
    );
    await expect(
      run((trx) =>
        createInformationRequest(serviceContext(trx, officer, NOW), {
          contactId: id,
          agencyId: agencies.police!,
          requestType: 'information-check',
          question: 'x',
        }),
      ),
    ).rejects.toThrow(AccessDeniedError);
  });
});

describe('information requests: partners see only their own agency’s', () => {
  it('the health user sees and answers the health request; the police user gets 404 for it; reminders are audited', async () => {
    const { id, childId } = await linkedContact();
    await expect(
      run((trx) =>
        createInformationRequest(serviceContext(trx, mash, NOW), {
          contactId: id,
          agencyId: agencies.health!,
          requestType: 'information-check',
          question: 'x',
        }),
      ),
    ).rejects.toThrow(/RAG rating first/);
    await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), { contactId: id, rag: 'red', rationale: 'x' }),
    );
    const toHealth = await run((trx) =>
      createInformationRequest(serviceContext(trx, mash, NOW), {
        contactId: id,
        agencyId: agencies.health!,
        requestType: 'information-check',
        question: 'Is the child known to health services?',
      }),
    );
    const toPolice = await run((trx) =>
      createInformationRequest(serviceContext(trx, mash, NOW), {
        contactId: id,
        agencyId: agencies.police!,
        requestType: 'information-check',
        question: 'Call-outs?',
      }),
    );
    expect(toHealth.dueAt.toISOString()).toBe('2026-11-24T14:30:00.000Z');

    const healthList = await run((trx) =>
      requestsForMyAgency({ db: trx, user: health }, { status: 'all', limit: 100, offset: 0 }),
    );
    expect(healthList.rows.map((r) => r.id)).toContain(toHealth.id);
    expect(healthList.rows.map((r) => r.id)).not.toContain(toPolice.id);
    await expect(run((trx) => requestForMyAgency({ db: trx, user: police }, toHealth.id))).rejects.toThrow(
      NotFoundError,
    );
    await expect(
      run((trx) =>
        answerRequest(serviceContext(trx, police, NOW), {
          requestId: toHealth.id,
          knownToAgency: true,
          response: 'x',
        }),
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(run((trx) => requestForMyAgency({ db: trx, user: mash }, toHealth.id))).rejects.toThrow(
      AccessDeniedError,
    );

    const seen = await run((trx) => requestForMyAgency({ db: trx, user: health }, toHealth.id));
    expect(seen.children.map((c) => c.name)[0]).toMatch(/^Linked Child/);
    expect(seen.request).not.toHaveProperty('reason');

    await run((trx) =>
      sendReminder(serviceContext(trx, mash, new Date('2026-11-24T15:00:00Z')), {
        contactId: id,
        requestId: toHealth.id,
      }),
    );
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select(['action', 'details'])
        .where('subjectId', '=', toHealth.id)
        .where('action', '=', 'information-request.reminder-sent')
        .executeTakeFirstOrThrow(),
    ).toMatchObject({ details: { overdue: true, reminder: 1 } });

    await run((trx) =>
      answerRequest(serviceContext(trx, health, new Date('2026-11-24T15:30:00Z')), {
        requestId: toHealth.id,
        knownToAgency: true,
        response: 'Known to CAMHS since 2025; last seen in October.',
      }),
    );
    expect(
      await handle.db
        .selectFrom('informationRequests')
        .select(['status', 'respondedBy'])
        .where('id', '=', toHealth.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'answered', respondedBy: health.id });
    await expect(
      run((trx) =>
        answerRequest(serviceContext(trx, health, NOW), {
          requestId: toHealth.id,
          knownToAgency: false,
          response: 'again',
        }),
      ),
    ).rejects.toThrow(/answered already/);
    expect(
      await handle.db
        .selectFrom('caseEvents')
        .select('title')
        .where('childId', '=', childId)
        .where('sourceId', '=', toHealth.id)
        .execute(),
    ).toHaveLength(1);

    // Worktrays: the police user sees their open request; MASH staff see the overdue one.
    const policeTray = await run((trx) =>
      frontDoorWorktray({ db: trx, user: police, now: NOW, today: '2026-11-24', calendar }),
    );
    expect(policeTray.map((i) => i.href)).toContain(`/information-requests/${toPolice.id}`);
    const mashTray = await run((trx) =>
      frontDoorWorktray({
        db: trx,
        user: mash,
        now: new Date('2026-11-25T09:00:00Z'),
        today: '2026-11-25',
        calendar,
      }),
    );
    expect(
      mashTray.some(
        (i) => i.kind === 'information-request-overdue' && i.href === `/front-door/contacts/${id}`,
      ),
    ).toBe(true);
  });
});

describe('threshold decisions and routing', () => {
  it('needs every child linked; refuses a second decision with the reason; needs a different manager to authorise', async () => {
    const unlinked = await record(input());
    await expect(
      decide(mash, {
        contactId: unlinked.id,
        levelOfNeed: 'level-2',
        outcome: 'early-help',
      }),
    ).rejects.toThrow(/known-to-services check/);

    const { id } = await linkedContact();
    await expect(
      decide(mash, {
        contactId: id,
        levelOfNeed: 'level-9',
        outcome: 'nfa',
      }),
    ).rejects.toThrow(BusinessRuleError);
    await decide(mash, {
      contactId: id,
      outcome: 'information-advice',
      rationale: 'Universal services can meet the need',
      referrerFeedback: 'We gave the family advice',
    });
    const second = (await decide(manager, {
      contactId: id,
      levelOfNeed: 'level-3',
      outcome: 'social-care',
    }).catch((e: unknown) => e)) as BusinessRuleError;
    expect(second).toBeInstanceOf(BusinessRuleError);
    expect(second.field).toBe('outcome');
    expect(second.message).toMatch(
      /already been decided \(Information, advice and signposting, awaiting authorisation\) by Mo Hassan/,
    );
    const decision = await handle.db
      .selectFrom('contactDecisions')
      .selectAll()
      .where('contactId', '=', id)
      .executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      levelOfNeed: 'level-1',
      thresholdDocumentVersion: 'default-2026-1',
      status: 'awaiting-authorisation',
    });

    await expect(
      authorise(mash, {
        contactId: id,
        rationale: 'x',
      }),
    ).rejects.toThrow(AccessDeniedError);
    const managerDecision = await linkedContact();
    await decide(manager, {
      contactId: managerDecision.id,
      outcome: 'nfa',
    });
    await expect(
      authorise(manager, {
        contactId: managerDecision.id,
        rationale: 'x',
      }),
    ).rejects.toThrow(/different manager/);

    // Sent back: a new decision can then be recorded.
    await sendBack(manager, {
      contactId: id,
      reason: 'The school’s information is not in yet',
    });
    expect(
      (await handle.db.selectFrom('contacts').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('awaiting-decision');
    await decide(mash, {
      contactId: id,
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'Needs family support',
      referrerFeedback: 'Family support will contact them',
    });
    expect(
      await handle.db
        .selectFrom('contactDecisions')
        .select('status')
        .where('contactId', '=', id)
        .orderBy('decidedAt')
        .orderBy('status', 'desc')
        .execute(),
    ).toHaveLength(2);
  });

  it('an outcome the level does not usually lead to needs a reason, kept on the decision and counted in consistency', async () => {
    const { id } = await linkedContact();
    const refused = (await decide(mash, {
      contactId: id,
      levelOfNeed: 'level-1',
      outcome: 'social-care',
    }).catch((e: unknown) => e)) as BusinessRuleError;
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect(refused.field).toBe('departureReason');
    expect(
      await handle.db.selectFrom('contactDecisions').select('id').where('contactId', '=', id).execute(),
    ).toEqual([]);
    // A reason given where the outcome is one the level expects is not kept: there is nothing to explain.
    const { id: usual } = await linkedContact();
    await decide(mash, {
      contactId: usual,
      levelOfNeed: 'level-1',
      outcome: 'nfa',
      departureReason: 'Not needed',
    });
    await authorise(manager, { contactId: usual });
    await decide(mash, {
      contactId: id,
      levelOfNeed: 'level-1',
      outcome: 'information-advice',
      departureReason: '   ',
    });
    const { id: departing } = await linkedContact();
    await decide(mash, {
      contactId: departing,
      levelOfNeed: 'level-3',
      outcome: 'nfa',
      departureReason: 'The family moved abroad before the decision',
    });
    await authorise(manager, { contactId: departing });
    const reasons = await handle.db
      .selectFrom('contactDecisions')
      .select(['contactId', 'departureReason'])
      .where('contactId', 'in', [id, usual, departing])
      .execute();
    expect(Object.fromEntries(reasons.map((r) => [r.contactId, r.departureReason]))).toEqual({
      [id]: null,
      [usual]: null,
      [departing]: 'The family moved abroad before the decision',
    });
    const scope = {
      localAuthorityIds: [richmond],
      period: {
        from: '2026-11-24',
        to: '2026-11-24',
        start: new Date('2026-11-24T00:00:00Z'),
        end: new Date('2026-11-25T00:00:00Z'),
      },
    };
    const { lines } = await consistencyCounts(handle.db, scope);
    const mashLine = lines.find((l) => l.kind === 'worker' && l.id === mash.id)!;
    const departures = await handle.db
      .selectFrom('contactDecisions as d')
      .innerJoin('contacts as c', 'c.id', 'd.contactId')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('d.status', '=', 'authorised')
      .where('d.decidedBy', '=', mash.id)
      .where('d.departureReason', 'is not', null)
      .where('c.receivedAt', '>=', scope.period.start)
      .where('c.receivedAt', '<', scope.period.end)
      .executeTakeFirstOrThrow();
    expect(mashLine.departures).toBe(Number(departures.n));
    expect(mashLine.departures).toBeGreaterThanOrEqual(1);
    const drilled = await drillDownContacts(
      handle.db,
      scope,
      { measure: 'consistency', worker: mash.id, departed: 'yes' },
      NOW,
      { limit: 100, offset: 0 },
    );
    expect(drilled.total).toBe(mashLine.departures);
    expect(drilled.rows.map((r) => r.id)).toContain(departing);
    expect(drilled.rows.map((r) => r.id)).not.toContain(usual);
  });

  it('an authorised early help decision opens the early help episode with the contact attached, and completes the contact', async () => {
    const { id, childId } = await linkedContact();
    await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), {
        contactId: id,
        rag: 'green',
        rationale: 'Early help level',
      }),
    );
    await run((trx) =>
      createInformationRequest(serviceContext(trx, mash, NOW), {
        contactId: id,
        agencyId: agencies.school!,
        requestType: 'information-check',
        question: 'Attendance?',
      }),
    );
    await decide(mash, {
      contactId: id,
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'Additional needs',
      referrerFeedback: 'Family support will be in touch',
    });
    const routed = await authorise(manager, {
      contactId: id,
      rationale: 'Agree: early help with consent',
    });
    expect(routed.earlyHelpEpisode?.reference).toMatch(/^EH-2026-/);
    const episode = await handle.db
      .selectFrom('earlyHelpEpisodes')
      .selectAll()
      .where('id', '=', routed.earlyHelpEpisode!.id)
      .executeTakeFirstOrThrow();
    expect(episode).toMatchObject({ source: 'front-door', sourceContactId: id, levelOfNeed: 'level-2' });
    expect(
      await handle.db
        .selectFrom('earlyHelpEpisodeChildren')
        .select('childId')
        .where('episodeId', '=', episode.id)
        .execute(),
    ).toEqual([{ childId }]);
    const contact = await handle.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(contact.status).toBe('completed');
    expect(contact.mashEnquiryClosedAt).toEqual(NOW);
    expect(
      (
        await handle.db
          .selectFrom('informationRequests')
          .select('status')
          .where('contactId', '=', id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('withdrawn');
    expect(
      await handle.db
        .selectFrom('contactDecisions')
        .select(['earlyHelpEpisodeId', 'authorisationRationale'])
        .where('contactId', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ earlyHelpEpisodeId: episode.id, authorisationRationale: 'Agree: early help with consent' });
    const titles = (
      await handle.db
        .selectFrom('caseEvents')
        .select('title')
        .where('childId', '=', childId)
        .orderBy('recordedAt')
        .execute()
    ).map((e) => e.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Contact received/),
        expect.stringMatching(/^Front-door decision: Early help/),
        expect.stringMatching(/^Early help episode EH-/),
      ]),
    );
  });

  it('social care and strategy discussion open a referral per child, dated the day received, with the census source, allocated to the team', async () => {
    const a = await aChild(handle.db, { givenName: 'Sib', familyName: 'One' });
    const b = await aChild(handle.db, { givenName: 'Sib', familyName: 'Two' });
    // What the census needs on a referred child's record (rules 4180, 4220, 8540).
    for (const c of [a, b]) await withCensusDetails(handle.db, c.id);
    const received = new Date('2026-11-23T20:00:00Z');
    const created = await record(
      input({ referralSource: '2A', children: [{ personId: a.id }, { personId: b.id }] }),
      officer,
      received,
    );
    await decide(mash, {
      contactId: created.id,
      levelOfNeed: 'level-4',
      outcome: 'strategy-discussion',
      rationale: 'Reasonable cause to suspect significant harm',
      referrerFeedback: 'We are taking urgent action',
    });
    await expect(authorise(manager, { contactId: created.id })).rejects.toThrow(/Choose the team/);
    const routed = await authorise(manager, {
      contactId: created.id,
      teamId: assessmentTeam,
    });
    expect(routed.cinReferrals).toHaveLength(2);
    const episodes = await handle.db
      .selectFrom('cinEpisodes')
      .select(['childId', 'referralDate', 'referralSource', 'teamId', 'sourceContactId'])
      .where('sourceContactId', '=', created.id)
      .orderBy('reference')
      .execute();
    expect(episodes).toEqual([
      {
        childId: a.id,
        referralDate: '2026-11-23',
        referralSource: '2A',
        teamId: assessmentTeam,
        sourceContactId: created.id,
      },
      {
        childId: b.id,
        referralDate: '2026-11-23',
        referralSource: '2A',
        teamId: assessmentTeam,
        sourceContactId: created.id,
      },
    ]);
    // The strategy discussion: children's social care, police and health at least.
    const heldAt = new Date('2026-11-24T11:00:00Z');
    await expect(
      run((trx) =>
        recordStrategyDiscussion(serviceContext(trx, mash, new Date('2026-11-24T12:00:00Z')), {
          contactId: created.id,
          heldAt,
          outcome: 'section-47',
          decided: 'x',
          participants: [
            { name: 'Mo Hassan', agencyId: null },
            { name: 'PC Price', agencyId: agencies.police! },
          ],
        }),
      ),
    ).rejects.toThrow(/for health/);
    await run((trx) =>
      recordStrategyDiscussion(serviceContext(trx, mash, new Date('2026-11-24T12:00:00Z')), {
        contactId: created.id,
        heldAt,
        outcome: 'section-47',
        decided: 'Section 47 enquiry to start today; joint visit with police',
        participants: [
          { name: 'Mo Hassan', agencyId: null },
          { name: 'PC Price', agencyId: agencies.police! },
          { name: 'Nurse Hana', agencyId: agencies.health! },
        ],
      }),
    );
    const sd = await handle.db
      .selectFrom('strategyDiscussions')
      .selectAll()
      .where('contactId', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(sd).toMatchObject({ outcome: 'section-47', heldAt });
    expect(
      await handle.db
        .selectFrom('strategyDiscussionParticipants')
        .select('name')
        .where('strategyDiscussionId', '=', sd.id)
        .execute(),
    ).toHaveLength(3);
    // The same meeting is on each child's social care referral, so the enquiry starts from it and the initial
    // conference target is 15 working days from it, the day itself counted as day 1 (Tuesday 24 November 2026 → Monday 14 December 2026).
    const onEpisodes = await handle.db
      .selectFrom('cpStrategyDiscussions as c')
      .innerJoin('cinEpisodes as e', 'e.id', 'c.episodeId')
      .select(['c.childId', 'c.heldOn', 'c.decision', 'c.sourceStrategyDiscussionId', 'c.episodeId'])
      .where('e.sourceContactId', '=', created.id)
      .orderBy('e.reference')
      .execute();
    expect(onEpisodes.map(({ episodeId: _e, ...r }) => r)).toEqual([
      { childId: a.id, heldOn: '2026-11-24', decision: 'section-47', sourceStrategyDiscussionId: sd.id },
      { childId: b.id, heldOn: '2026-11-24', decision: 'section-47', sourceStrategyDiscussionId: sd.id },
    ]);
    const copied = await handle.db
      .selectFrom('cpStrategyDiscussions')
      .select('id')
      .where('episodeId', '=', onEpisodes[0]!.episodeId)
      .executeTakeFirstOrThrow();
    expect(
      await handle.db
        .selectFrom('cpStrategyParticipants')
        .select('name')
        .where('strategyDiscussionId', '=', copied.id)
        .orderBy('name')
        .execute(),
    ).toEqual([{ name: 'Mo Hassan' }, { name: 'Nurse Hana' }, { name: 'PC Price' }]);
    const teamManager = await userByEmail('team.manager');
    const enquiryId = await run((trx) =>
      startSection47(contextFor(trx, teamManager, new Date('2026-11-24T13:00:00Z'), calendar), {
        episodeId: onEpisodes[0]!.episodeId,
        startDate: '2026-11-24',
        queryExplanation: 'Assessment starts with the enquiry tomorrow',
      }),
    );
    expect(
      await handle.db
        .selectFrom('section47Enquiries')
        .select(['icpcTarget', 'strategyDiscussionId'])
        .where('id', '=', enquiryId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ icpcTarget: '2026-12-14', strategyDiscussionId: copied.id });
  });
});

describe('the daily MASH meeting', () => {
  it('builds the agenda from open enquiries, red first, records discussion and actions, and is limited to its authorities', async () => {
    const green = await linkedContact();
    const red = await linkedContact();
    await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), { contactId: green.id, rag: 'green', rationale: 'x' }),
    );
    await run((trx) =>
      setRag(serviceContext(trx, mash, NOW, calendar), { contactId: red.id, rag: 'red', rationale: 'x' }),
    );
    const meeting = await run((trx) =>
      createMeeting(serviceContext(trx, mash, NOW), {
        localAuthorityId: richmond,
        meetingDate: '2026-11-24',
      }),
    );
    const loaded = await run((trx) => loadMeeting(serviceContext(trx, mash, NOW), meeting.id));
    const positions = loaded.items.map((i) => i.contactId);
    expect(positions.indexOf(red.id)).toBeLessThan(positions.indexOf(green.id));
    expect(
      loaded.items.every((i, n) => n === 0 || (loaded.items[n - 1]!.rag === 'red' ? true : i.rag !== 'red')),
    ).toBe(true);
    const item = loaded.items.find((i) => i.contactId === red.id)!;
    await run((trx) =>
      recordItem(serviceContext(trx, mash, NOW), {
        meetingId: meeting.id,
        itemId: item.id,
        discussion: 'Police shared two call-outs',
        actions: [
          {
            description: 'Health check',
            owner: 'Health visitor',
            ownerAgencyId: agencies.health!,
            dueOn: '2026-11-26',
          },
        ],
      }),
    );
    const after = await run((trx) => loadMeeting(serviceContext(trx, mash, NOW), meeting.id));
    expect(after.items.find((i) => i.id === item.id)?.actions.map((a) => a.description)).toEqual([
      'Health check',
    ]);
    await expect(
      run((trx) => loadMeeting(serviceContext(trx, socialWorker, NOW), meeting.id)),
    ).rejects.toThrow(AccessDeniedError);
  });
});

describe('a child already open to social care or early help', () => {
  it('social care: a child with an open CIN episode joins it (chronology, audit, decision), a sibling gets a new referral', async () => {
    const { episodeId, child: open } = await aCinEpisode(handle.db, {
      child: { givenName: 'Already', familyName: 'Opencin' },
    });
    const sibling = await aChild(handle.db, { givenName: 'New', familyName: 'Opencin' });
    await withCensusDetails(handle.db, sibling.id);
    const created = await record(
      input({ referralSource: '2A', children: [{ personId: open.id }, { personId: sibling.id }] }),
    );
    await decide(mash, {
      contactId: created.id,
      levelOfNeed: 'level-4',
      outcome: 'social-care',
      rationale: 'Needs assessment',
      referrerFeedback: 'Social care will be in touch',
    });
    const routed = await authorise(manager, {
      contactId: created.id,
      teamId: assessmentTeam,
    });
    const existing = await handle.db
      .selectFrom('cinEpisodes')
      .select(['id', 'reference'])
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow();
    expect(routed.attachedCinEpisodes).toEqual([
      { id: episodeId, reference: existing.reference, childId: open.id },
    ]);
    expect(routed.cinReferrals.map((r) => r.childId)).toEqual([sibling.id]);
    // No second episode for the child already open; one new one for the sibling.
    expect(
      await handle.db.selectFrom('cinEpisodes').select('id').where('childId', '=', open.id).execute(),
    ).toEqual([{ id: episodeId }]);
    const decision = await handle.db
      .selectFrom('contactDecisions')
      .select(['status', 'cinEpisodeIds'])
      .where('contactId', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(decision.status).toBe('authorised');
    expect([...decision.cinEpisodeIds].sort()).toEqual([episodeId, routed.cinReferrals[0]!.id].sort());
    expect(
      await handle.db
        .selectFrom('caseEvents')
        .select(['title', 'category', 'sourceType', 'sourceId'])
        .where('childId', '=', open.id)
        .where('sourceId', '=', episodeId)
        .where('title', 'like', 'Contact %')
        .execute(),
    ).toEqual([
      {
        title: `Contact ${created.reference} added to the open children in need episode ${existing.reference}`,
        category: 'social-care',
        sourceType: 'cin-episode',
        sourceId: episodeId,
      },
    ]);
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select(['childId', 'details'])
      .where('action', '=', 'contact.attached-to-open-episode')
      .where('subjectId', '=', episodeId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ childId: open.id, details: { contactReference: created.reference } });
    expect((await contactRow(created.id)).status).toBe('completed');
  });

  it('early help: a child in an open early help episode joins it, a sibling gets a new episode', async () => {
    const open = await aChild(handle.db, { givenName: 'Already', familyName: 'Openeh' });
    const sibling = await aChild(handle.db, { givenName: 'New', familyName: 'Openeh' });
    const { episode: existing } = await anEarlyHelpEpisode(handle.db, { now: NOW, children: [open] });
    const created = await record(input({ children: [{ personId: open.id }, { personId: sibling.id }] }));
    await decide(mash, {
      contactId: created.id,
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'Additional needs',
      referrerFeedback: 'Family support will be in touch',
    });
    const routed = await authorise(manager, { contactId: created.id });
    expect(routed.attachedEarlyHelpEpisodes).toEqual([
      { id: existing.id, reference: existing.reference, childIds: [open.id] },
    ]);
    expect(routed.earlyHelpEpisode).toBeDefined();
    expect(
      await handle.db
        .selectFrom('earlyHelpEpisodeChildren')
        .select('childId')
        .where('episodeId', '=', routed.earlyHelpEpisode!.id)
        .execute(),
    ).toEqual([{ childId: sibling.id }]);
    expect(
      await handle.db
        .selectFrom('earlyHelpEpisodeChildren')
        .select('childId')
        .where('episodeId', '=', existing.id)
        .execute(),
    ).toEqual([{ childId: open.id }]);
    expect(
      (
        await handle.db
          .selectFrom('contactDecisions')
          .select('earlyHelpEpisodeId')
          .where('contactId', '=', created.id)
          .executeTakeFirstOrThrow()
      ).earlyHelpEpisodeId,
    ).toBe(routed.earlyHelpEpisode!.id);
    expect(
      await handle.db
        .selectFrom('caseEvents')
        .select(['title', 'category'])
        .where('childId', '=', open.id)
        .where('sourceId', '=', existing.id)
        .where('title', 'like', 'Contact %')
        .execute(),
    ).toEqual([
      {
        title: `Contact ${created.reference} added to the open early help episode ${existing.reference}`,
        category: 'early-help',
      },
    ]);
    expect(
      await handle.db
        .selectFrom('auditEvents')
        .select('childId')
        .where('action', '=', 'contact.attached-to-open-episode')
        .where('subjectId', '=', existing.id)
        .execute(),
    ).toEqual([{ childId: open.id }]);
  });

  it('early help: every child already open, so the contact joins the episode and the decision names it', async () => {
    const open = await aChild(handle.db, { givenName: 'Only', familyName: 'Openeh' });
    const { episode: existing } = await anEarlyHelpEpisode(handle.db, { now: NOW, children: [open] });
    const created = await record(input({ children: [{ personId: open.id }] }));
    await decide(mash, {
      contactId: created.id,
      levelOfNeed: 'level-2',
      outcome: 'early-help',
      rationale: 'More support',
      referrerFeedback: 'Thanks',
    });
    const routed = await authorise(manager, { contactId: created.id });
    expect(routed.earlyHelpEpisode).toBeUndefined();
    expect(
      (
        await handle.db
          .selectFrom('contactDecisions')
          .select('earlyHelpEpisodeId')
          .where('contactId', '=', created.id)
          .executeTakeFirstOrThrow()
      ).earlyHelpEpisodeId,
    ).toBe(existing.id);
  });
});

describe('the known-to-services check sees plans', () => {
  it('a contact officer without social care access sees child protection, child in need and early help plans', async () => {
    expect(officer.permissions.has('social-care:read')).toBe(false);
    const cpChild = await aChild(handle.db, { givenName: 'Plan', familyName: 'Protected' });
    const records = await socialCareRecordsFor(handle.db, cpChild.id, NOW);
    const ehChild = await aChild(handle.db, { givenName: 'Plan', familyName: 'Earlyhelp' });
    const { episode } = await anEarlyHelpEpisode(handle.db, { now: NOW, children: [ehChild] });
    await anAgreedPlan(handle.db, episode.id, { now: NOW });
    const created = await record(
      input({
        children: [
          { givenName: 'Plan', familyName: 'Protected' },
          { givenName: 'Plan', familyName: 'Earlyhelp' },
        ],
      }),
    );
    const [first, second] = await handle.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', created.id)
      .orderBy('position')
      .execute();
    const cp = await run((trx) =>
      linkContactChild(serviceContext(trx, officer, NOW), {
        contactId: created.id,
        childId: first!.id,
        personId: cpChild.id,
      }),
    );
    expect(cp.knownToServices).toBe(true);
    expect(
      cp.plans.map(({ kind, startedOn, endedOn, status }) => ({ kind, startedOn, endedOn, status })),
    ).toEqual([
      { kind: 'child-protection', startedOn: '2026-11-20', endedOn: null, status: 'open' },
      { kind: 'child-in-need', startedOn: '2026-11-06', endedOn: '2026-11-19', status: 'ended' },
    ]);
    expect(records.cpPlanId).toBeTruthy();
    const eh = await run((trx) =>
      linkContactChild(serviceContext(trx, officer, NOW), {
        contactId: created.id,
        childId: second!.id,
        personId: ehChild.id,
      }),
    );
    expect(eh.plans).toEqual([
      {
        kind: 'early-help',
        title: 'Early help plan',
        detail: `Early help episode ${episode.reference}`,
        startedOn: '2026-11-24',
        endedOn: null,
        status: 'open',
      },
    ]);
    // Kept on the contact as seen at the time.
    const stored = await handle.db
      .selectFrom('contactChildren')
      .select('knownCheckResult')
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    expect((stored.knownCheckResult as { plans: { kind: string }[] }).plans.map((p) => p.kind)).toEqual([
      'child-protection',
      'child-in-need',
    ]);
  });
});

describe('the front-door worktray clock', () => {
  it('a decision due today is overdue once its due time has passed', async () => {
    const { id } = await linkedContact();
    const contact = await handle.db
      .selectFrom('contacts')
      .select(['decisionDueOn', 'decisionDueAt'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const tray = async (now: Date) => {
      const ctx = { now, today: contact.decisionDueOn, calendar };
      const items = await run((trx) => frontDoorWorktray({ db: trx, user: mash, ...ctx }));
      const item = items.find((i) => i.href === `/front-door/contacts/${id}`)!;
      return describeDeadline(item, ctx);
    };
    const before = await tray(new Date(contact.decisionDueAt.getTime() - 30 * 60_000));
    expect(before).toMatchObject({ status: 'due-today', dueLabel: 'Due today' });
    const after = await tray(new Date(contact.decisionDueAt.getTime() + 30 * 60_000));
    expect(after.status).toBe('overdue');
    expect(after.dueLabel).toMatch(/^Overdue: was due by \d/);
  });
});
