import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { requestTransaction } from '../db/request-transaction.ts';
import { requestTransactionOptions } from './request-cancel.ts';
import type { CurrentUser, Permission } from '../kernel/access/index.ts';
import { auditActor, existingPersonIds } from '../kernel/access/index.ts';
import { recordAuditEvent, type AuditEventInput } from '../kernel/audit-trail/index.ts';
import { BusinessRuleError, ConflictError, FieldProblemsError, NotFoundError } from '../kernel/errors.ts';
import type { AppServices } from './app-services.ts';
import type { Flash } from './fastify-types.ts';
import { toFormErrors, zodToFieldErrors, type FieldError } from './forms/errors.ts';
import { gatherDateParts } from '../kernel/forms/fields.ts';
import { templateLabels } from '../kernel/forms-as-data/answers.ts';
import { formTemplateSchema } from '../kernel/forms-as-data/template.ts';
import { clearDraft, loadDraft, saveDraft } from '../kernel/drafts/index.ts';
import { updateSessionData } from '../modules/identity/index.ts';
import { todayIn } from '../kernel/time/index.ts';
import type { ServiceContext } from '../kernel/service/index.ts';
import type { WorkingDayCalendar } from '../kernel/working-days/index.ts';

/**
 * definePage() is the only way to add a page route. It signs in, checks the permission (403), parses
 * params (404 when they do not parse), records the view in the audit trail, and for a POST validates
 * the form with Zod: invalid → the same view again with status 400, the GOV.UK error summary, inline
 * messages and every typed value kept; valid → submit() in one transaction, then a 303 redirect.
 */

export type PageAccess = Permission | 'public' | 'signed-in';

/**
 * A page's context is a ServiceContext (db, user, now, calendar): pass it first to the services a page calls.
 */
export interface PageContext<P = Record<string, string>, Q = Record<string, unknown>> extends ServiceContext {
  /** The request's transaction: use it (never the pool) so that the work and its audit row commit together. */
  db: Transaction<DB>;
  user: CurrentUser;
  params: P;
  query: Q;
  now: Date;
  /** The authority's working-day calendar (also ctx.services.calendar). */
  calendar: WorkingDayCalendar;
  services: AppServices;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Writes an audit event in this transaction, filling actor, time, request id and address. */
  audit(event: Omit<AuditEventInput, 'actor' | 'occurredAt' | 'requestId' | 'ip'>): Promise<void>;
  /** A one-off message for the next page (GOV.UK success notification banner), with links to what it announces. */
  flash(message: Flash): void;
}

export type PublicPageContext<P, Q> = Omit<PageContext<P, Q>, 'user'> & { user: CurrentUser | null };

/** Returned from load() to send the browser elsewhere instead of rendering (e.g. already signed in). */
export class Redirect {
  constructor(
    readonly url: string,
    readonly status: 302 | 303 = 303,
  ) {}
}
export const redirectTo = (url: string, status: 302 | 303 = 303) => new Redirect(url, status);

/**
 * Returned from load() to send a file download (e.g. a CSV export) instead of rendering the view. The
 * body is sent after the request's transaction commits, so everything it needs must be read inside
 * load(); an iterable body is streamed to the browser chunk by chunk. Record the download with
 * ctx.audit() in load(), in the same transaction as the read.
 */
export class FileResponse {
  constructor(
    readonly filename: string,
    readonly contentType: string,
    readonly body: string | Buffer | Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
  ) {}
}

async function sendFile(reply: FastifyReply, file: FileResponse) {
  const safeName = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  reply
    .status(200)
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${safeName}"`)
    .header('cache-control', 'no-store');
  const body = file.body;
  return reply.send(typeof body === 'string' || Buffer.isBuffer(body) ? body : Readable.from(body));
}

export type SubmitResult =
  string | { errors: FieldError[] } | { render: Record<string, unknown>; status?: number };

export interface AuditSpec<P, Q, D> {
  action: string;
  subjectType: string;
  subject?: (
    ctx: PageContext<P, Q>,
    data: D,
  ) => { subjectId?: string | null; childId?: string | null; details?: AuditEventInput['details'] };
}

/** What a form schema may depend on (e.g. "must be in the past" needs today's date from the clock). */
export interface FormContext<P> {
  now: Date;
  /** Today in Europe/London, 'YYYY-MM-DD'. */
  today: string;
  user: CurrentUser | null;
  params: P;
}

export interface PageOptions<P, Q, F, D> {
  path: string;
  view: string;
  access: PageAccess;
  /** Page title shown in <title> and used by the authorisation matrix report. */
  title: string | ((data: D) => string);
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  form?: z.ZodType<F> | ((ctx: FormContext<P>) => z.ZodType<F>);
  /** Keep what was typed in form_drafts when a session expires mid-form (default: true when there is a form). */
  drafts?: boolean;
  /** Record a view in the audit trail when the page is shown. */
  audit?: AuditSpec<P, Q, D>;
  load?: (ctx: PageContext<P, Q>) => Promise<D | Redirect>;
  /** Returns where to go next (303), or field errors to show (status 400, the transaction still commits). */
  submit?: (ctx: PageContext<P, Q>, form: F) => Promise<SubmitResult>;
  /** Limit POSTs per client address (sign-in, codes); `views` limits the GETs too (a public link's page). */
  rateLimit?: { max: number; timeWindowMs: number; views?: boolean };
  /**
   * The form's labels by field name (a date by its name, without `-day`), as the form shows them: the conflict page
   * (409) names what someone else changed by them. A function gets load()'s data. Without it, a page whose data has
   * a forms-as-data `template` uses the template's labels, and any other field is named by its key in words.
   */
  labels?: Record<string, string> | ((data: D) => Record<string, string>);
}

export interface PageDefinition {
  path: string;
  view: string;
  access: PageAccess;
  hasForm: boolean;
  hasParams: boolean;
  options: PageOptions<unknown, unknown, unknown, unknown>;
}

export function definePage<
  P = Record<string, never>,
  Q = Record<string, never>,
  F = never,
  D = Record<string, never>,
>(options: PageOptions<P, Q, F, D>): PageDefinition {
  return {
    path: options.path,
    view: options.view,
    access: options.access,
    hasForm: !!options.form,
    hasParams: !!options.params,
    options: options as unknown as PageOptions<unknown, unknown, unknown, unknown>,
  };
}

function isPermitted(access: PageAccess, user: CurrentUser | null): 'ok' | 'sign-in' | 'forbidden' {
  if (access === 'public') return 'ok';
  if (!user) return 'sign-in';
  if (access === 'signed-in') return 'ok';
  return user.permissions.has(access) ? 'ok' : 'forbidden';
}

function formKey(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

function withoutCsrf(body: Record<string, unknown>): Record<string, unknown> {
  const { _csrf: _ignored, ...rest } = body;
  return rest;
}

type AnyPageContext = PageContext<unknown, unknown>;
type ParsedParams = { ok: true; params: unknown; query: unknown } | { ok: false };
interface ShowExtra {
  values?: Record<string, unknown>;
  errors?: ReturnType<typeof toFormErrors>;
  restoredDraft?: boolean;
  /** A stale save (409): show what is saved now beside what the user typed. */
  conflict?: boolean;
}

/** Form fields that are not answers: never listed as a difference on the conflict page. */
const NOT_ANSWERS = new Set(['version', '_csrf', 'returnTo']);

function comparable(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(comparable).sort().join('\n');
  return String(value).trim();
}

/** 'whatWillChange' or 'byWhen-day' → 'What will change', 'By when day'. */
function fieldWords(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A date is three fields, `<name>-day`, `-month` and `-year`: the conflict page lists it once, by its name. */
const DATE_PART = /^(.+)-(day|month|year)$/;

/** '02' and '2' are the same month. */
function datePart(value: unknown): string {
  const text = comparable(value);
  return /^\d+$/.test(text) ? String(Number(text)) : text;
}

function savedDate(saved: Record<string, unknown>, name: string): string {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => comparable(saved[`${name}-${p}`]));
  if (!day && !month && !year) return '';
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || date.getUTCDate() !== d)
    return [day, month, year].join(' ');
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The labels of the page's form fields: the page's own, or its forms-as-data template's (`data.template`). */
function labelsFor(page: PageOptions<unknown, unknown, unknown, unknown> | undefined, data: unknown) {
  if (page?.labels) return typeof page.labels === 'function' ? page.labels(data) : page.labels;
  const template =
    data && typeof data === 'object' && 'template' in data
      ? (data as { template: unknown }).template
      : undefined;
  const parsed = template ? formTemplateSchema.safeParse(template) : undefined;
  return parsed?.success ? templateLabels(parsed.data) : {};
}

/**
 * The conflict page (a save from a version someone else has since replaced): each answer the user typed that differs
 * from what the page's load() now holds as saved, with the saved value, and the form carrying the current version so
 * that, having compared, the user can save again on purpose. Nothing they typed is lost; nothing was overwritten.
 * Each answer is named by its label on the form (`labels`: the page's `labels`, or its template's), or, for a field
 * with no label given, by its name in words. A date's three fields are one answer.
 */
export function conflictOf(
  data: unknown,
  typed: Record<string, unknown>,
  labels: Record<string, string> = {},
): { values: Record<string, unknown>; changes: { key: { text: string }; value: { text: string } }[] } {
  const saved =
    data && typeof data === 'object' && 'saved' in data ? (data as { saved: unknown }).saved : undefined;
  if (!saved || typeof saved !== 'object') return { values: typed, changes: [] };
  const now = saved as Record<string, unknown>;
  const label = (key: string) => labels[key] ?? fieldWords(key);
  const changes: { key: { text: string }; value: { text: string } }[] = [];
  const dates = new Set<string>();
  for (const key of Object.keys(typed)) {
    if (NOT_ANSWERS.has(key) || !(key in now)) continue;
    const date = DATE_PART.exec(key)?.[1];
    if (date !== undefined) {
      if (dates.has(date)) continue;
      dates.add(date);
      const differs = ['day', 'month', 'year'].some((p) => {
        const k = `${date}-${p}`;
        return k in now && datePart(now[k]) !== datePart(typed[k]);
      });
      if (differs)
        changes.push({ key: { text: label(date) }, value: { text: savedDate(now, date) || 'Not given' } });
      continue;
    }
    if (comparable(now[key]) === comparable(typed[key])) continue;
    changes.push({
      key: { text: label(key) },
      value: { text: comparable(now[key]).replace(/\n/g, ', ') || 'Not given' },
    });
  }
  return { values: { ...typed, ...(now.version !== undefined ? { version: now.version } : {}) }, changes };
}

/** The page's context for one transaction of the request (see PageContext). */
function buildContext(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  trx: Transaction<DB>,
  params: unknown,
  query: unknown,
): AnyPageContext {
  const now = services.clock.now();
  return {
    db: trx,
    user: request.user as CurrentUser,
    params,
    query,
    now,
    calendar: services.calendar,
    services,
    request,
    reply,
    audit: async (event) => {
      await recordAuditEvent(trx, {
        ...event,
        actor: auditActor(request.user),
        occurredAt: now,
        requestId: request.id,
        ip: request.ip,
      });
    },
    flash: (message) => {
      request.flashOut = message;
    },
  };
}

/** The URL's params (which must parse, or the page is not found) and query (which falls back to none). */
function parseParams(page: PageDefinition, request: FastifyRequest): ParsedParams {
  const o = page.options;
  const params = o.params ? o.params.safeParse(request.params) : { success: true as const, data: {} };
  if (!params.success) return { ok: false };
  const query = o.query ? o.query.safeParse(request.query ?? {}) : { success: true as const, data: {} };
  return { ok: true, params: params.data, query: query.success ? query.data : {} };
}

/**
 * Lets the request through (true) or answers it (false): to sign in (keeping a timed-out form's values as a
 * draft), or 403 with the refusal in the audit trail, under the child the URL names.
 */
async function guard(
  services: AppServices,
  page: PageDefinition,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const o = page.options;
  const decision = isPermitted(page.access, request.user ?? null);
  if (decision === 'ok') return true;
  if (decision === 'sign-in') {
    const timedOut = request.expiredSessionUserId !== null;
    const kept = request.method === 'POST' && !!o.form && o.drafts !== false && timedOut;
    if (kept && request.expiredSessionUserId) {
      // The session timed out while the form was open: keep what was typed for after sign-in.
      await saveDraft(
        services.db,
        request.expiredSessionUserId,
        formKey(request),
        withoutCsrf(request.body as Record<string, unknown>),
        services.clock.now(),
      );
    }
    const returnTo = request.method === 'GET' ? request.url : formKey(request);
    // Say why on the sign-in page: the session ended (not a first visit), and whether what was typed was kept.
    const why = timedOut ? `&timedOut=1${kept ? '&kept=1' : ''}` : '';
    await reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}${why}`, 303);
    return false;
  }
  // A refused attempt at a child's record is listed under that child (who tried to see it), not only by page.
  const params = (request.params ?? {}) as Record<string, unknown>;
  const children = await existingPersonIds(services.db, [params.personId, params.childId]);
  await services.db.transaction().execute(async (trx) => {
    await recordAuditEvent(trx, {
      actor: auditActor(request.user),
      action: 'access.denied',
      subjectType: 'page',
      subjectId: page.path,
      childId: children[0] ?? null,
      requestId: request.id,
      ip: request.ip,
      occurredAt: services.clock.now(),
      details: { method: request.method, url: formKey(request), permission: page.access },
    });
  });
  const html = await reply.viewAsync('errors/403.njk', {
    pageTitle: 'You do not have permission to view this page',
  });
  await reply.status(403).type('text/html; charset=utf-8').send(html);
  return false;
}

/** Renders the page's view with the data, its title ("Error: …" when there are errors) and the form state. */
async function render(
  page: PageDefinition,
  reply: FastifyReply,
  status: number,
  data: unknown,
  extra: Record<string, unknown>,
) {
  const o = page.options;
  const title = typeof o.title === 'function' ? o.title(data) : o.title;
  const html = await reply.viewAsync(page.view, {
    ...(data as Record<string, unknown>),
    ...extra,
    pageTitle: extra.errors && (extra.errors as { list: unknown[] }).list.length ? `Error: ${title}` : title,
  });
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}

/**
 * Loads the page in one transaction (recording the view when the page is audited and shown without errors), then
 * renders it, or redirects, or sends the file load() returned.
 */
async function show(
  services: AppServices,
  page: PageDefinition,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  extra: ShowExtra,
) {
  const o = page.options;
  const parsed = parseParams(page, request);
  if (!parsed.ok) throw new NotFoundError();
  let data: unknown = {};
  await requestTransaction(services.db, requestTransactionOptions(services, reply), async (trx) => {
    const ctx = buildContext(services, request, reply, trx, parsed.params, parsed.query);
    data = o.load ? await o.load(ctx) : {};
    if (o.audit && status < 400 && !(data instanceof Redirect)) {
      const subject = o.audit.subject?.(ctx, data) ?? {};
      await ctx.audit({
        action: o.audit.action,
        subjectType: o.audit.subjectType,
        subjectId: subject.subjectId ?? null,
        childId: subject.childId ?? null,
        details: subject.details ?? {},
      });
    }
  });
  if (data instanceof Redirect) return reply.redirect(data.url, data.status);
  if (data instanceof FileResponse) return sendFile(reply, data);
  const conflict = extra.conflict ? conflictOf(data, extra.values ?? {}, labelsFor(o, data)) : undefined;
  return render(page, reply, status, data, {
    values: conflict?.values ?? extra.values ?? {},
    ...(conflict ? { conflict: { changes: conflict.changes } } : {}),
    errors: extra.errors ?? { byField: {}, list: [] },
    restoredDraft: extra.restoredDraft ?? false,
    query: parsed.query,
    params: parsed.params,
  });
}

/** GET: guard, then show the page, with the form's draft restored when the session timed out while it was open. */
async function handleGet(
  services: AppServices,
  page: PageDefinition,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const o = page.options;
  if (!(await guard(services, page, request, reply))) return reply;
  let values: Record<string, unknown> | undefined;
  let restoredDraft = false;
  if (o.form && o.drafts !== false && request.user) {
    const draft = await loadDraft(services.db, request.user.id, formKey(request));
    if (draft) {
      values = draft;
      restoredDraft = true;
    }
  }
  return show(services, page, request, reply, 200, { ...(values ? { values } : {}), restoredDraft });
}

/**
 * POST: guard, validate the form (400 with the errors), submit in one transaction (a business rule → 400 against
 * its field, a stale version → 409), then clear the draft, keep the flash message and follow the outcome.
 */
async function handlePost(
  services: AppServices,
  page: PageDefinition,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const o = page.options;
  if (!(await guard(services, page, request, reply))) return reply;
  const raw = withoutCsrf((request.body ?? {}) as Record<string, unknown>);
  const parsedParams = parseParams(page, request);
  if (!parsedParams.ok) throw new NotFoundError();
  const now = services.clock.now();
  const form = o.form!;
  const schema =
    typeof form === 'function'
      ? form({ now, today: todayIn(services.clock), user: request.user, params: parsedParams.params })
      : form;
  const result = schema.safeParse(gatherDateParts(raw));
  if (!result.success) {
    return show(services, page, request, reply, 400, {
      values: raw,
      errors: toFormErrors(zodToFieldErrors(result.error)),
    });
  }
  let outcome: SubmitResult | undefined;
  try {
    await requestTransaction(services.db, requestTransactionOptions(services, reply), async (trx) => {
      const ctx = buildContext(services, request, reply, trx, parsedParams.params, parsedParams.query);
      outcome = o.submit ? await o.submit(ctx, result.data) : '/';
    });
  } catch (error) {
    if (error instanceof BusinessRuleError) {
      const problems =
        error instanceof FieldProblemsError
          ? [...error.problems]
          : [{ field: error.field, message: error.message, href: `#${error.field}` }];
      return show(services, page, request, reply, 400, { values: raw, errors: toFormErrors(problems) });
    }
    if (error instanceof ConflictError) {
      return show(services, page, request, reply, 409, {
        values: raw,
        errors: toFormErrors([{ field: 'form', message: error.message, href: '#conflict' }]),
        conflict: true,
      });
    }
    throw error;
  }
  if (request.user && o.drafts !== false) await clearDraft(services.db, request.user.id, formKey(request));
  if (request.flashOut && request.session) {
    await updateSessionData(services.db, request.session.id, {
      ...request.session.data,
      flash: request.flashOut,
    });
  }
  if (typeof outcome === 'string') return reply.redirect(outcome, 303);
  if (outcome && 'errors' in outcome) {
    return show(services, page, request, reply, 400, { values: raw, errors: toFormErrors(outcome.errors) });
  }
  if (outcome && 'render' in outcome) {
    const parsed = parseParams(page, request);
    return render(page, reply, outcome.status ?? 200, outcome.render, {
      values: raw,
      errors: { byField: {}, list: [] },
      query: parsed.ok ? parsed.query : {},
    });
  }
  return reply.redirect('/', 303);
}

/** Registers each page's GET (and, for a page with a form, its POST, rate-limited when the page asks). */
export function registerPages(app: FastifyInstance, services: AppServices, pages: PageDefinition[]): void {
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.path)) throw new Error(`Page ${page.path} is defined twice`);
    seen.add(page.path);
    const rateLimit = page.options.rateLimit;
    const limited = rateLimit
      ? { config: { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.timeWindowMs } } }
      : {};
    app.get(page.path, rateLimit?.views ? limited : {}, (request, reply) =>
      handleGet(services, page, request, reply),
    );
    if (!page.options.form) continue;
    const postOptions = limited;
    app.post(page.path, postOptions, (request, reply) => handlePost(services, page, request, reply));
  }
}

export const uuidParam = z.uuid({ message: 'Not found' });
