import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleContactBody } from '../src/web/api/openapi.ts';
import { anApiClient, basicAuthorization, localAuthorityId } from './builders/organisation.ts';
import { appForFile } from './support/test-app.ts';

/**
 * Property-based fuzzing of the partner API (security review, standing test 2): any JSON body, and any change to
 * a valid one (a field dropped, replaced by another JSON value, or given a hostile string), answers 201/200 or a
 * 400 problem document naming the fields, never a 5xx. Runs through the whole app and database, so what the
 * database would refuse is covered too.
 */

let authorization: string;
let richmond: string;

const t = appForFile();
beforeAll(async () => {
  richmond = await localAuthorityId(t.db);
  const client = await anApiClient(t.db, t.clock.now(), { name: 'Fuzzing client', agencyKind: 'police' });
  authorization = basicAuthorization(client);
});

const hostile = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'x'.repeat(100_000),
  '<script>alert(1)</script>',
  "'; drop table contacts; --",
  '2026-02-30',
  '9999-12-31T25:61:00Z',
  '-1',
  '1e309',
  '__proto__',
  '\ud800',
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostile);

// Each property posts from its own address: the API allows a client 120 calls a minute from one address.
async function post(payload: string, remoteAddress: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: { 'content-type': 'application/json', authorization },
    payload,
    remoteAddress,
  });
  return res;
}

function check(res: Awaited<ReturnType<typeof post>>, sent: string) {
  expect(
    res.statusCode,
    `${res.statusCode} for ${sent.slice(0, 300)}: ${res.body.slice(0, 300)}`,
  ).toBeLessThan(500);
  expect([200, 201, 400, 413, 415]).toContain(res.statusCode);
  if (res.statusCode === 400) {
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.json()).toMatchObject({ status: 400 });
  }
}

describe('the partner API, fuzzed', () => {
  it('answers any JSON body with a 4xx problem or a recorded contact, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, async (value) => {
        const sent = JSON.stringify(value) ?? 'null';
        check(await post(sent, '198.51.100.1'), sent);
      }),
      { numRuns: 80, seed: 20261206 },
    );
  }, 240_000);

  it('answers any change to a valid contact with a 4xx problem naming the field, or records it', async () => {
    const valid = exampleContactBody(richmond) as Record<string, unknown>;
    const keys = Object.keys(valid);
    const child = (valid.children as Record<string, unknown>[])[0]!;
    const childKeys = Object.keys(child);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.constantFrom(...childKeys),
        fc.oneof(anyValue, fc.constant(undefined)),
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 12 }),
        async (key, childKey, value, inChild, reference) => {
          const body: Record<string, unknown> = structuredClone(valid);
          body.externalReference = `FUZZ-${reference}-${Math.random().toString(36).slice(2)}`;
          if (inChild) body.children = [{ ...child, [childKey]: value }];
          else body[key] = value;
          const sent = JSON.stringify(body);
          const res = await post(sent, '198.51.100.2');
          check(res, sent);
          if (res.statusCode === 400) {
            refused++;
            const problem = res.json() as { errors?: { pointer?: string }[] };
            expect(problem.errors?.length ?? 0).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 80, seed: 20261207 },
    );
    // Most changes are refusals; a few (an optional field dropped, a harmless string) are still valid contacts.
    expect(refused).toBeGreaterThan(20);
  }, 240_000);
});
