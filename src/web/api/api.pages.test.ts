import { sql } from 'kysely';
import { SESSION_COOKIE } from '../../modules/identity/index.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { appForFile } from '../../../test/support/test-app.ts';
import { demoUser, linkTheContactChild } from '../../../test/builders/front-door.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  anApiClient,
  basicAuthorization,
  bearerAuthorization,
  localAuthorityIds,
  type ApiClient,
} from '../../../test/builders/organisation.ts';
import { REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { apiContactBodySchema, disableApiClient } from '../../modules/front-door/index.ts';
import { authoriseDecision } from '../../modules/front-door/authorisation.service.ts';
import { decideContact } from '../../modules/front-door/decision.service.ts';
import { exampleContactBody } from './openapi.ts';
import { API_AUTH_FAILURE_LIMIT, API_RATE_LIMIT } from './contacts.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';

let richmond: string;
let kingston: string;
let police: ApiClient;
let health: ApiClient;

const basic = basicAuthorization;
const bearer = bearerAuthorization;
const countContacts = async () =>
  Number(
    (
      await t.db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function body(overrides: Record<string, unknown> = {}) {
  return {
    localAuthorityId: richmond,
    referralSource: '6',
    referrer: { name: 'PC Api Test' },
    concernCategories: ['domestic-abuse'],
    reason: 'Police attended a domestic incident. Two children were in the house.',
    consent: 'dispensed',
    consentRationale: 'Police notification',
    urgency: 'urgent',
    children: [{ givenName: 'Ada', familyName: 'Apitest', dateOfBirth: '2018-05-01' }],
    ...overrides,
  };
}

const post = (payload: unknown, authorization?: string, remoteAddress?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    payload: JSON.stringify(payload),
    ...(remoteAddress ? { remoteAddress } : {}),
  });

const t = appForFile();
beforeAll(async () => {
  ({ richmond, kingston } = await localAuthorityIds(t.db));
  const now = t.clock.now();
  police = await anApiClient(t.db, now, { name: 'Met Police notifications', agencyKind: 'police' });
  health = await anApiClient(t.db, now, {
    name: 'Health trust referrals',
    agencyKind: 'health',
    localAuthorityIds: [richmond, kingston],
  });
});

describe('POST /api/v1/contacts', () => {
  it('answers 401 with a problem document for missing, malformed, unknown or wrong credentials, saying nothing about which part was wrong', async () => {
    const before = await countContacts();
    const attempts = [
      undefined,
      'Basic not-base64-at-all',
      `Basic ${Buffer.from('thr_nobody:whatever').toString('base64')}`,
      basic({ clientId: police.clientId, secret: 'wrong-secret' }),
      `Bearer ${police.clientId}.wrong`,
      `Bearer ${police.secret}`,
      'Digest something',
    ];
    const details = new Set<string>();
    for (const authorization of attempts) {
      const res = await post(body(), authorization);
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['www-authenticate']).toBe(
        'Basic realm="Threshold API", Bearer realm="Threshold API"',
      );
      const problem = res.json();
      expect(problem).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/api/v1/contacts' });
      expect(problem.errors).toBeUndefined();
      details.add(problem.detail);
    }
    expect([...details]).toEqual([
      'Send the credentials of an active API client, as HTTP Basic or as a bearer token.',
    ]);
    expect(await countContacts()).toBe(before);
    // Wrong secrets for a real client are in the audit trail (never the secret itself).
    const failures = await t.db
      .selectFrom('auditEvents')
      .select(['details'])
      .where('action', '=', 'api-client.authentication-failed')
      .where('subjectId', '=', police.id)
      .execute();
    expect(failures.map((f) => f.details)).toEqual([{ reason: 'wrong secret' }, { reason: 'wrong secret' }]);
  });

  it('answers 400 listing every field error with its path and JSON pointer, and records nothing', async () => {
    const before = await countContacts();
    const res = await post(
      {
        localAuthorityId: 'richmond',
        referralSource: 'police',
        concernCategories: [],
        reason: '',
        consent: 'not-given',
        urgency: 'soon',
        receivedAt: 'yesterday',
        children: [{ familyName: '' }, { givenName: 'Bo', postcode: 'nowhere', dateOfBirth: '2019-02-30' }],
        adults: [{ givenName: 'Al' }],
      },
      basic(police),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = res.json();
    expect(problem).toMatchObject({
      status: 400,
      title: 'The contact is not valid',
      type: 'https://threshold.invalid/problems/400',
    });
    expect(problem.detail).toBe(
      `${problem.errors.length} problems with the request body: nothing was recorded`,
    );
    expect(
      problem.errors.map((e: { field: string; pointer: string }) => `${e.field} ${e.pointer}`).sort(),
    ).toEqual(
      [
        'adults.0.role #/adults/0/role',
        'children.0.givenName #/children/0/givenName',
        'children.1.dateOfBirth #/children/1/dateOfBirth',
        'children.1.postcode #/children/1/postcode',
        'concernCategories #/concernCategories',
        'consentRationale #/consentRationale',
        'localAuthorityId #/localAuthorityId',
        'reason #/reason',
        'receivedAt #/receivedAt',
        'referralSource #/referralSource',
        'urgency #/urgency',
      ].sort(),
    );
    expect(problem.errors.find((e: { field: string }) => e.field === 'reason').message).toBe(
      'Describe what has happened and what you are worried about',
    );

    // Problems only the database can find are listed the same way.
    const db = await post(
      body({
        concernCategories: ['domestic-abuse', 'aliens'],
        localAuthorityId: kingston,
        adults: [{ givenName: 'Al', role: 'uncle' }],
      }),
      basic(police),
    );
    expect(db.statusCode).toBe(400);
    expect(db.json().errors).toEqual([
      {
        field: 'localAuthorityId',
        pointer: '#/localAuthorityId',
        message: 'This client may not send contacts to that local authority',
      },
      {
        field: 'concernCategories.1',
        pointer: '#/concernCategories/1',
        message: 'Select categories of concern from the list',
      },
      {
        field: 'adults.0.role',
        pointer: '#/adults/0/role',
        message: 'Select how the adult is involved from the list',
      },
    ]);
    // A partner cannot name records, nor send through another channel.
    const records = await post(
      body({ channel: 'phone', children: [{ personId: '11111111-1111-4111-8111-111111111111' }] }),
      basic(police),
    );
    expect(records.json().errors.map((e: { field: string }) => e.field)).toEqual(['channel']);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { authorization: basic(police), 'content-type': 'application/json' },
      payload: '{"reason": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(await countContacts()).toBe(before);
  });

  it('answers what the database refuses with the same 400 problem document naming the fields, never a 500, nothing half-saved', async () => {
    const before = await countContacts();
    const beforeChildren = Number(
      (
        await t.db
          .selectFrom('contactChildren')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // PostgreSQL cannot store U+0000 in text: the contact row goes in first, so a failure later must roll it back.
    const nul = await post(
      body({
        children: [{ givenName: 'Ada\u0000', familyName: 'Apitest' }],
        adults: [{ givenName: 'Al', role: 'father', notes: 'Lives \u0000 nearby' }],
      }),
      basic(police),
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(nul.json()).toMatchObject({
      status: 400,
      title: 'The contact is not valid',
      detail: 'The database could not store 2 values in the request body: nothing was recorded',
      errors: [
        {
          field: 'children.0.givenName',
          pointer: '#/children/0/givenName',
          message: 'Remove the null character (\\u0000): it cannot be stored',
        },
        {
          field: 'adults.0.notes',
          pointer: '#/adults/0/notes',
          message: 'Remove the null character (\\u0000): it cannot be stored',
        },
      ],
    });
    const inReason = await post(
      body({ reason: 'Police attended.\u0000', externalReference: 'MPS-NUL-1' }),
      bearer(police),
    );
    expect(inReason.statusCode).toBe(400);
    expect(inReason.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    // A time the clocks cannot count from is a field error too (it was a 500).
    const ancient = await post(body({ receivedAt: '0001-01-01T00:00:00Z' }), basic(police));
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json().errors).toEqual([
      {
        field: 'receivedAt',
        pointer: '#/receivedAt',
        message: 'The time received must be in the year 2000 or later',
      },
    ]);
    expect(await countContacts()).toBe(before);
    expect(
      Number(
        (
          await t.db
            .selectFrom('contactChildren')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(beforeChildren);
    // The same external reference can be sent again once the problem is fixed.
    expect((await post(body({ externalReference: 'MPS-NUL-1' }), bearer(police))).statusCode).toBe(201);
  });

  it('records a valid contact (201 with Location), with HTTP Basic or a bearer token; it appears on the front door worktray', async () => {
    const res = await post(
      body({ externalReference: 'MPS-1001', receivedAt: '2026-11-24T07:40:00Z' }),
      basic(police),
    );
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toEqual({
      reference: expect.stringMatching(/^C-2026-\d{5}$/),
      externalReference: 'MPS-1001',
      localAuthorityId: richmond,
      receivedAt: '2026-11-24T07:40:00.000Z',
      decisionDueAt: '2026-11-25T17:00:00.000Z',
      status: 'received',
      statusText: 'Received: waiting to be looked at',
      feedback: null,
    });
    expect(res.headers.location).toBe(`/api/v1/contacts/${created.reference}`);
    const row = await t.db
      .selectFrom('contacts')
      .selectAll()
      .where('reference', '=', created.reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'api',
      submittedByApiClientId: police.id,
      submittedByLabel: 'api-client:Met Police notifications',
      referralSource: '6',
    });
    const agency = await t.db
      .selectFrom('agencies')
      .select('id')
      .where('kind', '=', 'police')
      .executeTakeFirstOrThrow();
    expect(row.referrerAgencyId).toBe(agency.id);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['actorLabel', 'actorUserId'])
      .where('action', '=', 'contact.created')
      .where('subjectId', '=', row.id)
      .execute();
    expect(audit).toEqual([{ actorLabel: 'api-client:Met Police notifications', actorUserId: null }]);

    const viaBearer = await post(
      body({ localAuthorityId: undefined, children: [{ givenName: 'Bea', familyName: 'Bearer' }] }),
      bearer(police),
    );
    expect(viaBearer.statusCode).toBe(201);
    expect(viaBearer.json().localAuthorityId).toBe(richmond); // the one authority this client sends to

    const officer = await t.as('contact-officer');
    const worktray = await officer.get('/front-door');
    const text = worktray.$('[data-testid="front-door-worktray"]').text();
    expect(text).toContain(created.reference);
    expect(text).toContain(viaBearer.json().reference);
    expect((await officer.get('/')).$('main').text()).toContain(`${created.reference}: Ada Apitest`);
    const client = await t.db
      .selectFrom('apiClients')
      .select('lastUsedAt')
      .where('id', '=', police.id)
      .executeTakeFirstOrThrow();
    expect(client.lastUsedAt?.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('returns the first contact (200) when the same external reference is sent again, and records nothing more', async () => {
    const first = await post(body({ externalReference: 'MPS-2002' }), basic(police));
    expect(first.statusCode).toBe(201);
    const before = await countContacts();
    const again = await post(
      body({ externalReference: 'MPS-2002', reason: 'Sent twice by the police system.' }),
      bearer(police),
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    expect(await countContacts()).toBe(before);
    // Another client's identical reference is its own contact.
    const other = await post(body({ externalReference: 'MPS-2002' }), basic(health));
    expect(other.statusCode).toBe(201);
    expect(other.json().reference).not.toBe(first.json().reference);
  });

  it('refuses a disabled client', async () => {
    const admin = await demoUser(t.db, 'system-administrator');
    const client = await anApiClient(t.db, t.clock.now(), { name: 'Probation', agencyKind: 'probation' });
    expect((await post(body(), basic(client))).statusCode).toBe(201);
    await t.db.transaction().execute((trx) =>
      disableApiClient(serviceContext(trx, admin, t.clock.now()), {
        apiClientId: client.id,
        reason: 'Replaced',
      }),
    );
    expect((await post(body(), basic(client))).statusCode).toBe(401);
  });
});

describe('odd requests get a 4xx problem or page, never a 500 (security probe L2)', () => {
  it('a JSON body of null, a NUL in the path, and a multipart post without a boundary', async () => {
    const nullBody = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { 'content-type': 'application/json', authorization: basic(police) },
      payload: 'null',
    });
    expect(nullBody.statusCode).toBe(400);
    expect(nullBody.headers['content-type']).toContain('application/problem+json');
    const nul = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts/%00',
      headers: { authorization: basic(police) },
    });
    expect(nul.statusCode).toBeGreaterThanOrEqual(400);
    expect(nul.statusCode).toBeLessThan(500);
    const noBoundary = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { 'content-type': 'multipart/form-data', authorization: basic(police) },
      payload: 'x',
    });
    expect(noBoundary.statusCode).toBeGreaterThanOrEqual(400);
    expect(noBoundary.statusCode).toBeLessThan(500);
    const staff = await t.as('social-worker');
    const child = await aChild(t.db);
    const page = await staff.get(`/people/${child.id}/documents/new`);
    const token = page.$('input[name="_csrf"]').attr('value') ?? '';
    const upload = await t.app.inject({
      method: 'POST',
      url: `/people/${child.id}/documents/new`,
      headers: {
        'content-type': 'multipart/form-data',
        cookie: `${SESSION_COOKIE}=${staff.cookie(SESSION_COOKIE)}`,
        'x-csrf-token': token,
      },
      payload: 'x',
    });
    expect(upload.statusCode).toBeGreaterThanOrEqual(400);
    expect(upload.statusCode).toBeLessThan(500);
  });
});

describe('GET /api/v1/contacts/:reference', () => {
  it('lets a client read its own contact only', async () => {
    const mine = (await post(body({ externalReference: 'MPS-3003' }), basic(police))).json();
    const theirs = (await post(body(), basic(health))).json();
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/contacts/${mine.reference}`,
      headers: { authorization: bearer(police) },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(mine);
    const views = await t.db
      .selectFrom('auditEvents')
      .select(['actorLabel', 'details'])
      .where('action', '=', 'contact.viewed')
      .where('actorLabel', '=', 'api-client:Met Police notifications')
      .execute();
    expect(views.map((v) => v.details)).toContainEqual({ via: 'api', reference: mine.reference });
    for (const reference of [theirs.reference, 'C-2026-99999']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/contacts/${reference}`,
        headers: { authorization: bearer(police) },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${mine.reference}` })).statusCode,
    ).toBe(401);
  });

  it('gives the feedback written for the referrer once the decision is authorised, not while it awaits authorisation', async () => {
    const sent = (
      await post(
        body({ externalReference: 'MPS-4004', children: [{ givenName: 'Finn', familyName: 'Apifeedback' }] }),
        basic(police),
      )
    ).json();
    const read = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/contacts/${sent.reference}`,
        headers: { authorization: bearer(police) },
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const [officer, mash, manager] = await Promise.all([
      demoUser(t.db, 'contact-officer'),
      demoUser(t.db, 'mash-practitioner'),
      demoUser(t.db, 'mash-manager'),
    ]);
    const now = t.clock.now();
    const child = await aChild(t.db, { givenName: 'Finn', familyName: 'Apifeedback' });
    const feedback = 'Thank you. We have given the family advice about local support.';
    const contactId = (
      await t.db
        .selectFrom('contacts')
        .select('id')
        .where('reference', '=', sent.reference)
        .executeTakeFirstOrThrow()
    ).id;
    await t.db.transaction().execute(async (trx) => {
      await linkTheContactChild(serviceContext(trx, officer, now), contactId, child.id);
      await decideContact(serviceContext(trx, mash, now), {
        contactId,
        levelOfNeed: 'level-1',
        outcome: 'information-advice',
        rationale: 'Front door reasoning, not for partners',
        referrerFeedback: feedback,
      });
    });
    const pending = await read();
    expect(pending).toMatchObject({
      status: 'in-progress',
      statusText: 'Being looked at by the front door',
      feedback: null,
    });
    expect(JSON.stringify(pending)).not.toContain('Thank you');

    await t.db.transaction().execute((trx) =>
      authoriseDecision(serviceContext(trx, manager, now), {
        contactId,
        action: 'authorise',
        rationale: 'Agreed',
      }),
    );
    const decided = await read();
    expect(decided).toEqual({
      ...pending,
      status: 'decided',
      statusText: 'Decision made',
      feedback: { text: feedback, decidedAt: now.toISOString() },
    });
    expect(JSON.stringify(decided)).not.toContain('Front door reasoning');
  });
});

describe('the API description', () => {
  it('serves an OpenAPI 3.1 document that parses and matches the validation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/contacts', '/api/v1/contacts/{reference}']);
    expect(Object.keys(doc.paths['/api/v1/contacts'].post.responses).sort()).toEqual([
      '200',
      '201',
      '400',
      '401',
      '429',
    ]);
    const schema = doc.components.schemas.ContactInput;
    expect(schema.properties.referralSource.enum.sort()).toEqual(REFERRAL_SOURCES.map((s) => s.code).sort());
    expect(schema.properties.urgency.enum).toEqual(['immediate', 'urgent', 'routine']);
    expect(schema.properties.consent.enum).toEqual(['given', 'not-given', 'dispensed']);
    expect(schema.properties.reason.maxLength).toBe(20_000);
    expect(schema.properties.children.minItems).toBe(1);
    expect(schema.properties.children.items.properties.givenName.maxLength).toBe(100);
    expect(schema.properties.channel.const).toBe('api');

    // The same limits are what the API enforces: what the document requires is exactly what an empty body lacks …
    const empty = await post({}, basic(police));
    expect(
      empty
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual([...schema.required].sort());
    // … and its maximum lengths and enums are the validation's.
    const tooLong = await post(
      body({ reason: 'x'.repeat(schema.properties.reason.maxLength + 1), urgency: 'whenever' }),
      basic(police),
    );
    expect(tooLong.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason', 'urgency']);
    const justRight = apiContactBodySchema.safeParse(
      body({ reason: 'x'.repeat(schema.properties.reason.maxLength) }),
    );
    expect(justRight.success).toBe(true);
    for (const code of schema.properties.referralSource.enum)
      expect(apiContactBodySchema.safeParse(body({ referralSource: code })).success).toBe(true);
  });

  it('documents the API for people at /api/docs, with an example that is a valid contact', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const $ = cheerio.load(res.body);
    expect($('h1').text()).toBe('Threshold API for partner systems');
    expect($('title').text()).toBe('Threshold API for partner systems – Threshold');
    const fields = $('[data-testid="api-fields"] tbody tr td:first-child')
      .map((_, c) => $(c).text())
      .get();
    expect(fields).toContain('children[].givenName');
    expect(fields).toContain('referrer.email');
    expect($('[data-testid="concern-codes"]').text()).toContain('domestic-abuse');
    expect($('main').text()).toContain('application/problem+json');
    expect(apiContactBodySchema.safeParse(exampleContactBody(richmond)).success).toBe(true);
    expect($('main').text()).toContain('"externalReference": "MPS-PVP-2026-118842"');
  });

  it(`limits each client to ${API_RATE_LIMIT.max} requests a minute (429 problem)`, async () => {
    const auth = `Basic ${Buffer.from(`${police.clientId}:${police.secret}`).toString('base64')}`;
    let last = 0;
    for (let i = 0; i <= API_RATE_LIMIT.max; i++) last = (await post({}, auth, '198.51.100.9')).statusCode;
    expect(last).toBe(429);
    const limited = await post({}, auth, '198.51.100.9');
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    // Another client is not affected.
    expect((await post({}, basic(health), '198.51.100.9')).statusCode).toBe(400);
  });

  it(`refuses an address after ${API_AUTH_FAILURE_LIMIT.max} failed authentications a minute, whatever client ids it claims, without checking or auditing more (security probe L1)`, async () => {
    const address = '203.0.113.77';
    const auditRows = async () =>
      Number(
        (
          await t.db
            .selectFrom('auditEvents')
            .where('action', '=', 'api-client.authentication-failed')
            .where('ip', '=', address)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const statuses: number[] = [];
    for (let i = 0; i < API_AUTH_FAILURE_LIMIT.max + 5; i++) {
      // Rotating made-up ids, and a wrong secret for a real client every other call.
      const claimed = i % 2 === 0 ? `thr_rotating${i}:nope` : `${police.clientId}:wrong-secret-${i}`;
      statuses.push((await post({}, `Basic ${Buffer.from(claimed).toString('base64')}`, address)).statusCode);
    }
    expect(statuses.slice(0, API_AUTH_FAILURE_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(API_AUTH_FAILURE_LIMIT.max).every((s) => s === 429)).toBe(true);
    const refused = await post(body(), basic(police), address);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    // Only the wrong secrets that were checked are audited: half the allowance, none after it was spent.
    expect(await auditRows()).toBe(API_AUTH_FAILURE_LIMIT.max / 2);
    // Another address is not affected.
    expect((await post({}, basic(police), '203.0.113.78')).statusCode).toBe(400);
  });
});

describe('the write path (issue 16, ADR 0011)', () => {
  it('numbers the reference in the INSERT: five digits at least, all of them past 99,999', async () => {
    await sql`select setval('contact_number', 123456)`.execute(t.db);
    const res = await post(body({ receivedAt: '2026-11-24T07:40:00Z' }), basic(police));
    expect(res.statusCode).toBe(201);
    expect(res.json().reference).toBe('C-2026-123457');
  });

  it('authenticates in the write’s own transaction: a contact the database refuses leaves no trace of the call', async () => {
    const before = await countContacts();
    const client = await anApiClient(t.db, t.clock.now(), { name: 'Trust referrals', agencyKind: 'health' });
    // A NUL reaches the database and is refused there: the transaction, its check of the client included, rolls back.
    const res = await post(body({ reason: 'Null \u0000 here' }), basic(client));
    expect(res.statusCode).toBe(400);
    expect(await countContacts()).toBe(before);
    const row = await t.db
      .selectFrom('apiClients')
      .select('lastUsedAt')
      .where('id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(row.lastUsedAt).toBeNull();
    // The next good call records it.
    expect((await post(body(), basic(client))).statusCode).toBe(201);
    const after = await t.db
      .selectFrom('apiClients')
      .select('lastUsedAt')
      .where('id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(after.lastUsedAt?.toISOString()).toBe(t.clock.now().toISOString());
  });
});
