import { z } from 'zod';
import {
  apiContactBodySchema,
  apiContactStatusSchema,
  problemSchema,
} from '../../modules/front-door/index.ts';
import { API_RATE_LIMIT } from './contacts.ts';

/**
 * The OpenAPI 3.1 document of the partner API, served at /api/v1/openapi.json. Its schemas are written by Zod's
 * z.toJSONSchema from the very schemas that validate requests and shape responses, so the document cannot drift
 * from what the API accepts. (Reference codes that live in the database — categories of concern, adults' roles —
 * are checked when a contact is recorded and listed on /api/docs.)
 */

type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

let document: JsonSchema | null = null;

export function openApiDocument(): JsonSchema {
  document ??= {
    openapi: '3.1.0',
    info: {
      title: 'Threshold partner API',
      version: '1.0.0',
      description:
        'Partner systems (for example a police force’s notification system) send contacts to a local authority’s front door, and read the status of the contacts they sent. Each partner organisation system has its own credentials, issued by the authority’s system administrator. See /api/docs.',
    },
    servers: [{ url: '/' }],
    security: [{ basicAuth: [] }, { bearerAuth: [] }],
    paths: {
      '/api/v1/contacts': {
        post: {
          operationId: 'createContact',
          summary: 'Send a contact to the front door',
          description: `Every problem with the body is listed in one 400 response and nothing is recorded. A repeated externalReference returns the first contact (200). At most ${API_RATE_LIMIT.max} requests a minute per client.`,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactInput' } } },
          },
          responses: {
            '201': {
              description: 'Recorded',
              headers: { Location: { description: 'Where to read its status', schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactStatus' } } },
            },
            '200': {
              description:
                'Already recorded: this client sent this externalReference before; the first contact is returned',
              headers: { Location: { description: 'Where to read its status', schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactStatus' } } },
            },
            '400': problem('The body is not a valid contact: every problem is listed in errors'),
            '401': problem('Missing or wrong credentials, or a disabled client'),
            '429': problem('Too many requests'),
          },
        },
      },
      '/api/v1/contacts/{reference}': {
        get: {
          operationId: 'getContact',
          summary: 'Read the status of a contact this client sent',
          parameters: [
            {
              name: 'reference',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              example: 'C-2026-00042',
            },
          ],
          responses: {
            '200': {
              description: 'The contact',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactStatus' } } },
            },
            '401': problem('Missing or wrong credentials, or a disabled client'),
            '404': problem('No contact with this reference was sent by this client'),
            '429': problem('Too many requests'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description: 'The client id as the user name and the secret as the password',
        },
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'The token is the client id, a full stop, then the secret: <client id>.<secret>',
        },
      },
      schemas: {
        ContactInput: jsonSchemaOf(apiContactBodySchema, 'input'),
        ContactStatus: jsonSchemaOf(apiContactStatusSchema, 'output'),
        Problem: jsonSchemaOf(problemSchema, 'output'),
      },
    },
  };
  return document;
}

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  rules: string;
  description: string;
}

/** The request body's fields as rows for the documentation page, from the same JSON Schema. */
export function fieldRows(
  schema: JsonSchema = jsonSchemaOf(apiContactBodySchema, 'input'),
  prefix = '',
): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [key, prop] of Object.entries(properties)) {
    const name = `${prefix}${key}`;
    const rules: string[] = [];
    if (Array.isArray(prop.enum)) rules.push(`one of ${(prop.enum as string[]).join(', ')}`);
    if (prop.const !== undefined) rules.push(`always ${JSON.stringify(prop.const)}`);
    if (prop.format) rules.push(String(prop.format));
    if (typeof prop.maxLength === 'number')
      rules.push(`up to ${prop.maxLength.toLocaleString('en-GB')} characters`);
    if (typeof prop.minItems === 'number') rules.push(`at least ${prop.minItems}`);
    if (typeof prop.maxItems === 'number') rules.push(`at most ${prop.maxItems}`);
    const items = prop.items as JsonSchema | undefined;
    const type =
      prop.type === 'array'
        ? `array of ${items?.type === 'object' ? 'objects' : String(items?.type ?? 'values')}`
        : String(prop.type ?? 'any');
    rows.push({
      name,
      type,
      required: required.has(key),
      rules: rules.join('; '),
      description: String(prop.description ?? ''),
    });
    if (prop.type === 'object') rows.push(...fieldRows(prop, `${name}.`));
    if (prop.type === 'array' && items?.type === 'object') rows.push(...fieldRows(items, `${name}[].`));
  }
  return rows;
}

/** The example on /api/docs (a test checks it is a valid body). */
export function exampleContactBody(localAuthorityId: string) {
  return {
    localAuthorityId,
    referralSource: '6',
    externalReference: 'MPS-PVP-2026-118842',
    receivedAt: '2026-11-24T07:40:00Z',
    referrer: {
      name: 'PC Sam Okoro',
      role: 'Public protection officer',
      phone: '020 7946 0000',
      email: 'sam.okoro@police.example',
    },
    concernCategories: ['domestic-abuse'],
    reason:
      'Police were called to a domestic incident at the family home at 1am. The mother had a facial injury. Both children were in the house and awake.',
    consent: 'dispensed',
    consentRationale:
      'Police notification: telling the father about the referral could increase the risk to the mother and children.',
    urgency: 'urgent',
    children: [
      {
        givenName: 'Olivia',
        familyName: 'Example',
        dateOfBirth: '2017-03-04',
        postcode: 'TW1 3BZ',
        school: 'Orchard Primary School',
      },
      { givenName: 'Noah', familyName: 'Example', dateOfBirth: '2021-09-12', postcode: 'TW1 3BZ' },
    ],
    adults: [
      { givenName: 'Claire', familyName: 'Example', role: 'mother' },
      { givenName: 'Dean', familyName: 'Example', role: 'alleged-harmer' },
    ],
  };
}
