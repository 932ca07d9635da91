import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { CONSENT_VALUES, consentProblem, type ContactStatus } from './contact.ts';
import { contactInputProblems, contactInputSchema, type ContactInput } from './contact.schemas.ts';
import {
  ContactInputError,
  createApiClientContact,
  recordApiClientEvent,
  type ApiClientContext,
} from './contact.service.ts';
import { REFERRER_STATUSES, REFERRER_STATUS_TEXT, referrerStatus } from './referral.ts';
import { EVEN_WITH_FIELD_ERRORS } from '../../kernel/forms/fields.ts';

/**
 * Contacts through the JSON API (POST /api/v1/contacts, GET /api/v1/contacts/{reference}). The body is the
 * contact input (contact.schemas.ts) as a partner system sends it: the channel is always 'api' (and may be left
 * out), the time received is an ISO 8601 date-time, and the local authority may be left out when the client sends
 * to only one. These Zod schemas are both the validation and, through z.toJSONSchema, the OpenAPI document
 * (src/web/api/openapi.ts), so the two cannot drift apart.
 */

export const apiContactBodySchema = z
  .object({
    ...contactInputSchema.shape,
    channel: z
      .literal('api', { message: 'A partner system sends contacts through the channel "api"' })
      .default('api')
      .meta({ description: 'Always "api" for a partner system; may be left out.' }),
    localAuthorityId: z.uuid({ message: 'Give the local authority as its id' }).optional().meta({
      description:
        'The authority whose front door receives the contact (ids are on the API documentation page). May be left out when the client sends to only one authority.',
    }),
    receivedAt: z.iso
      .datetime({ offset: true, message: 'receivedAt must be a date and time like 2026-11-24T10:30:00Z' })
      .optional()
      .meta({
        description:
          'When the contact reached the partner, if earlier than now (ISO 8601 with Z or an offset). Never in the future.',
      }),
    concernCategories: z
      .array(z.string().min(1, 'Give a category code').max(40, 'Category codes are 40 characters or fewer'), {
        error: 'Give the categories of concern as a list of codes, at least one',
      })
      .min(1, 'Select at least one category of concern')
      .max(20, 'Give 20 categories of concern or fewer')
      .meta({ description: 'Codes of the categories of concern (listed on /api/docs); at least one.' }),
    externalReference: z
      .preprocess(
        (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
        z
          .string({ error: 'externalReference must be text' })
          .max(100, 'externalReference must be 100 characters or fewer')
          .optional(),
      )
      .meta({
        description:
          'Your own reference (e.g. the police notification number). Send it: a repeat of the same reference returns the first contact (200) instead of recording it twice.',
      }),
  })
  .superRefine((v, ctx) => {
    // As contactInputSchema: consent other than "given" needs a reason (reported with every other problem).
    const consent = (CONSENT_VALUES as readonly unknown[]).includes(v.consent) ? v.consent : null;
    const problem = consent
      ? consentProblem(consent, typeof v.consentRationale === 'string' ? v.consentRationale : undefined)
      : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['consentRationale'], message: problem });
  }, EVEN_WITH_FIELD_ERRORS)
  .meta({
    title: 'ContactInput',
    description:
      'A contact about one or more children. Consent other than "given" needs consentRationale. Concern categories and adults’ roles are codes listed on /api/docs.',
  });
export type ApiContactBody = z.output<typeof apiContactBodySchema>;

export const apiContactStatusSchema = z
  .object({
    reference: z.string().meta({ description: 'Threshold’s reference for the contact, e.g. C-2026-00042' }),
    externalReference: z.string().nullable(),
    localAuthorityId: z.uuid(),
    receivedAt: z.iso.datetime(),
    decisionDueAt: z.iso
      .datetime()
      .meta({ description: 'When the front door’s decision is due (the end of the next working day)' }),
    status: z.enum(REFERRER_STATUSES),
    statusText: z.string(),
    feedback: z.object({ text: z.string(), decidedAt: z.iso.datetime() }).nullable().meta({
      description:
        'What was decided, in words written for the referrer, once a manager has authorised the decision',
    }),
  })
  .meta({ title: 'ContactStatus' });
export type ApiContactStatus = z.output<typeof apiContactStatusSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string(),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string().meta({ description: 'The path of the field, e.g. children.0.givenName' }),
          pointer: z.string().meta({
            description: 'The same as a JSON Pointer into the request body, e.g. #/children/0/givenName',
          }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Every problem with the request body (400 only)' }),
  })
  .meta({ title: 'Problem', description: 'An RFC 9457 problem document' });

/** 'children.0.givenName' → '#/children/0/givenName' (RFC 6901, with ~ and / escaped). */
export function jsonPointer(path: string): string {
  if (!path) return '#';
  return `#/${path
    .split('.')
    .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}

export function problemErrors(problems: { path: string; message: string }[]) {
  return problems.map((p) => ({ field: p.path, pointer: jsonPointer(p.path), message: p.message }));
}

/**
 * Records a contact sent by an API client. Every problem with the body (its shape, then the database checks in
 * createContact) comes back at once as a ContactInputError; nothing is written unless all is well. A repeated
 * external reference returns the first contact with `created: false`.
 */
export async function receiveApiContact(
  ctx: ApiClientContext,
  body: unknown,
): Promise<{ created: boolean; contact: ApiContactStatus }> {
  const { client } = ctx;
  const parsed = apiContactBodySchema.safeParse(body);
  if (!parsed.success) throw new ContactInputError(contactInputProblems(parsed.error));
  const { receivedAt, localAuthorityId, ...rest } = parsed.data;
  const la =
    localAuthorityId ?? (client.localAuthorityIds.length === 1 ? client.localAuthorityIds[0] : undefined);
  if (!la)
    throw new ContactInputError([
      {
        path: 'localAuthorityId',
        message: 'Give the local authority: this client sends contacts to more than one',
      },
    ]);
  const input: ContactInput = {
    ...rest,
    channel: 'api',
    localAuthorityId: la,
    receivedAt: receivedAt ? new Date(receivedAt) : undefined,
  };
  const created = await createApiClientContact(ctx, input);
  if (!created.created) {
    // A repeat of an external reference: the first contact as it is now (it may have been decided since).
    const { id: _id, ...contact } = await statusOf(ctx, created.reference);
    return { created: false, contact };
  }
  // Just written in this transaction: everything the status says is known, without reading it back.
  const status = referrerStatus('awaiting-screening');
  return {
    created: true,
    contact: {
      reference: created.reference,
      externalReference: input.externalReference ?? null,
      localAuthorityId: la,
      receivedAt: created.receivedAt.toISOString(),
      decisionDueAt: created.decisionDueAt.toISOString(),
      status,
      statusText: REFERRER_STATUS_TEXT[status],
      feedback: null,
    },
  };
}

async function statusOf(
  ctx: Pick<ApiClientContext, 'db' | 'client'>,
  reference: string,
): Promise<ApiContactStatus & { id: string }> {
  const { db: trx, client } = ctx;
  const c = await trx
    .selectFrom('contacts')
    .select([
      'id',
      'reference',
      'externalReference',
      'localAuthorityId',
      'receivedAt',
      'decisionDueAt',
      'status',
    ])
    .where('reference', '=', reference)
    .where('submittedByApiClientId', '=', client.apiClientId)
    .executeTakeFirst();
  if (!c) throw new NotFoundError();
  const decision = await trx
    .selectFrom('contactDecisions')
    .select(['referrerFeedback', 'reviewedAt'])
    .where('contactId', '=', c.id)
    .where('status', '=', 'authorised')
    .executeTakeFirst();
  const status = referrerStatus(c.status as ContactStatus);
  return {
    id: c.id,
    reference: c.reference,
    externalReference: c.externalReference,
    localAuthorityId: c.localAuthorityId,
    receivedAt: c.receivedAt.toISOString(),
    decisionDueAt: c.decisionDueAt.toISOString(),
    status,
    statusText: REFERRER_STATUS_TEXT[status],
    feedback: decision?.reviewedAt
      ? { text: decision.referrerFeedback, decidedAt: decision.reviewedAt.toISOString() }
      : null,
  };
}

/** The status of a contact this client sent (any other reference is not found), recorded as a view. */
export async function readApiContact(ctx: ApiClientContext, reference: string): Promise<ApiContactStatus> {
  const { id, ...status } = await statusOf(ctx, reference);
  await recordApiClientEvent(ctx, {
    action: 'contact.viewed',
    subjectType: 'contact',
    subjectId: id,
    details: { via: 'api', reference },
  });
  return status;
}

/** The first contact a client sent with this external reference (after a race on the unique index). */
export async function contactByExternalReference(ctx: ApiClientContext, externalReference: string) {
  const row = await ctx.db
    .selectFrom('contacts')
    .select('reference')
    .where('submittedByApiClientId', '=', ctx.client.apiClientId)
    .where('externalReference', '=', externalReference)
    .executeTakeFirst();
  if (!row) return null;
  const { id: _id, ...status } = await statusOf(ctx, row.reference);
  return status;
}

/**
 * A database refusal of a contact (a value it cannot store, a broken constraint) as the field problems the API
 * reports, or null for any other error. The transaction has rolled back, so nothing was recorded. The field comes
 * from the constraint, column and table PostgreSQL names; a character the database cannot store (U+0000) is looked
 * for in the request body, so each field holding one is named.
 */
export function databaseProblems(error: unknown, body: unknown): { path: string; message: string }[] | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; table?: unknown; column?: unknown; constraint?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (!/^2[23][0-9A-Z]{3}$/.test(code)) return null;
  if (code === '22021' || code === '22P05') {
    const paths = stringPaths(body)
      .filter(([, s]) => s.includes('\u0000'))
      .map(([p]) => p);
    const message = 'Remove the null character (\\u0000): it cannot be stored';
    return paths.length ? paths.map((path) => ({ path, message })) : [{ path: '', message }];
  }
  const path = fieldOf(
    typeof e.table === 'string' ? e.table : '',
    typeof e.column === 'string' ? e.column : '',
    typeof e.constraint === 'string' ? e.constraint : '',
  );
  const message =
    code === '23503'
      ? 'Refers to a record that does not exist'
      : code === '23505'
        ? 'Duplicates a contact already recorded'
        : code === '23502'
          ? 'Give a value'
          : code === '22001'
            ? 'Too long to store: send a shorter value'
            : code.startsWith('23')
              ? 'Breaks a rule the contact must keep'
              : 'Not a value that can be stored';
  return [{ path, message }];
}

/** [path, value] for every string in a JSON value ('children.0.givenName'). */
function stringPaths(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const out: [string, string][] = [];
  for (const [k, v] of entries) {
    out.push(...stringPaths(v, prefix ? `${prefix}.${k}` : k));
    if (out.length > 100) break;
  }
  return out;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The API field behind a table and column (or a constraint named '<table>_<column>_fkey' and the like). */
function fieldOf(table: string, column: string, constraint: string): string {
  let col = column;
  if (!col && constraint) {
    const rest =
      table && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1) : constraint;
    col = rest.replace(/(^|_)(fkey|key|check\d*|idx|pkey)$/, '');
  }
  if (table === 'contact_children')
    return col && col !== 'contact_id' ? `children.${camel(col)}` : 'children';
  if (table === 'contact_adults') return col && col !== 'contact_id' ? `adults.${camel(col)}` : 'adults';
  if (!col) return '';
  if (col.startsWith('referrer_')) return `referrer.${camel(col.slice('referrer_'.length))}`;
  if (col === 'external_reference') return 'externalReference';
  return camel(col);
}
