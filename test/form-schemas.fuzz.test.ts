import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allPages } from '../src/modules/index.ts';
import { parseUrlEncoded } from '../src/web/form-parsing.ts';
import { zodToFieldErrors } from '../src/web/forms/errors.ts';
import type { FormContext } from '../src/web/page.ts';

/**
 * Property-based fuzzing (security review, standing test 2) of every page's form schema: whatever a browser (or
 * anyone with curl) posts, parsing it as Threshold does (the URL-encoded body, then the page's Zod schema) either
 * succeeds or gives GOV.UK field errors, each naming a field and saying what is wrong. It never throws, so it can
 * never become a 500. The JSON API's bodies are fuzzed through the running app in api-fuzz.pages.test.ts.
 */

type Schema = z.ZodType<unknown>;

const context: FormContext<Record<string, string>> = {
  now: new Date('2026-11-24T10:30:00Z'),
  today: '2026-11-24',
  user: null,
  params: {},
};

interface Internals {
  _zod?: {
    def?: {
      type?: string;
      shape?: Record<string, unknown>;
      in?: unknown;
      out?: unknown;
      innerType?: unknown;
    };
  };
}

/**
 * The field names a schema reads at its top level (through pipes, refinements and optional wrappers); [] for a
 * record of answers (a form built from a template, whose answers are checked against it when submitted, so
 * any names may arrive); null when the schema is neither.
 */
function fieldNames(schema: unknown): string[] | null {
  const def = (schema as Internals)?._zod?.def;
  if (!def) return null;
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type === 'record') return [];
  for (const next of [def.in, def.innerType, def.out]) {
    const names = next ? fieldNames(next) : null;
    if (names !== null) return names;
  }
  return null;
}

/** Forms whose schema decides in code which schema applies (so it cannot be read): the names they take. */
const OPAQUE: Record<string, string[]> = {
  // "Add more rows" or save: recordContactForm picks the schema from the action.
  '/front-door/contacts/new': [
    'action',
    'localAuthorityId',
    'receivedOn',
    'receivedTime',
    'channel',
    'referralSource',
    'referrerName',
    'referrerEmail',
    'concernCategories',
    'reason',
    'consent',
    'consentRationale',
    'urgency',
    'child1GivenName',
    'child1FamilyName',
    'child1DateOfBirth',
    'child2Postcode',
    'adult1GivenName',
    'adult1Role',
    'adult1DateOfBirth',
  ],
};

const forms = allPages
  .filter((page) => page.options.form)
  .map((page) => {
    const form = page.options.form!;
    const schema = (typeof form === 'function' ? form(context) : form) as Schema;
    const names = fieldNames(schema) ?? OPAQUE[page.path] ?? null;
    return { path: page.path, schema, names, fields: names ?? [] };
  });

/** What may arrive in one field: nothing, ordinary and hostile text, very long text, repeated fields. */
const value = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    "'; drop table people; --",
    '../../etc/passwd',
    '\u0000',
    '%00',
    '2026-02-30',
    '-1',
    '1e400',
    'NaN',
    'true',
    '[object Object]',
    '__proto__',
  ),
  fc.string({ minLength: 2_000, maxLength: 6_000 }),
  fc.array(fc.string(), { minLength: 2, maxLength: 4 }),
);

function body(fields: string[]) {
  const known = fields.length
    ? fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length })
    : fc.constant({});
  // Field names of a date input's parts, add-another rows and made-up names.
  const extra = fc.dictionary(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...(fields.length ? fields : ['x'])).map((f) => `${f}-day`),
      fc.constantFrom('__proto__', 'constructor', 'children[0][givenName]', 'a[b][c]'),
    ),
    value,
    { maxKeys: 4 },
  );
  return fc.tuple(known, extra).map(([a, b]) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...b, ...a }))
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    return params.toString();
  });
}

describe('every form schema, fuzzed', () => {
  it('covers every page that has a form', () => {
    expect(forms.length).toBeGreaterThan(60);
    // A schema whose fields cannot be read would be fuzzed with made-up names only. (A confirm-only form, such as
    // sign out, is an object with no fields: it is fuzzed with made-up names, which is all it can receive.)
    expect(forms.filter((f) => f.names === null).map((f) => f.path)).toEqual([]);
    expect(forms.filter((f) => f.fields.length > 0).length).toBeGreaterThan(60);
  });

  for (const form of forms) {
    it(`${form.path}: any body parses or gives field errors, never throws`, () => {
      fc.assert(
        fc.property(body(form.fields), (encoded) => {
          const parsed = parseUrlEncoded(encoded);
          const result = form.schema.safeParse(parsed);
          if (result.success) return;
          const errors = zodToFieldErrors(result.error);
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(typeof e.field).toBe('string');
            expect(e.message.length).toBeGreaterThan(0);
            expect(e.href.startsWith('#')).toBe(true);
          }
        }),
        { numRuns: 60, seed: 20261206 },
      );
    });
  }
});
