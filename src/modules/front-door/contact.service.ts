import { sql, type Transaction } from 'kysely';
import type { ContactChildrenRow, ContactsRow, DB } from '../../db/schema.ts';
import {
  auditActor,
  decideRecordAccess,
  requireAccess,
  type CurrentUser,
} from '../../kernel/access/index.ts';
import { recordAuditEvent, type AuditActor } from '../../kernel/audit-trail/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  decisionDueAt,
  decisionDueOn,
  informationDueAt,
  RAG_LABELS,
  STAFF_CHANNELS,
  type Rag,
} from './contact.ts';
import {
  contactInputProblems,
  contactInputSchema,
  type ContactAdultInput,
  type ContactChildInput,
  type ContactInput,
} from './contact.schemas.ts';
import { contactChildren, contactReferenceSql, findContact, updateContact } from './contact.repository.ts';
import { frontDoorSettings } from './settings.ts';
import { referralSourceForAgency } from './referral.ts';
import {
  recordChange,
  requirePermission,
  type AuditPart,
  type ChronologyPart,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Who is submitting a contact. Three channels share one service:
 * - a signed-in SPA officer or MASH worker ('contact:create'): channel phone, email, letter or visit;
 * - a signed-in partner-agency user ('referral:submit') through the online referral form: channel 'online-form';
 * - a partner system through the JSON API, authenticated as an API client of one partner organisation:
 *   channel 'api'.
 */
export type ContactActor =
  | { kind: 'user'; user: CurrentUser }
  | {
      kind: 'api-client';
      /** The API client's id (stored as contacts.submitted_by_api_client_id). */
      apiClientId: string;
      /** Its name, for the audit trail ('api-client:<name>') and the contact page. */
      name: string;
      /** The partner agency the client belongs to (the referrer's agency unless the payload names another). */
      agencyId: string | null;
      /** The authorities whose front doors the client may send contacts to. */
      localAuthorityIds: readonly string[];
    };

export type ApiClientActor = Extract<ContactActor, { kind: 'api-client' }>;

/**
 * The service context of a partner system's request through the JSON API: there is no signed-in user, the
 * authenticated API client is the actor.
 */
export interface ApiClientContext extends Omit<ServiceContext, 'user'> {
  client: ApiClientActor;
}

export function contactAuditActor(actor: ContactActor): AuditActor {
  return actor.kind === 'user' ? auditActor(actor.user) : { userId: null, label: `api-client:${actor.name}` };
}

/**
 * An audit event made by an API client. recordChange takes its actor from a signed-in user (ctx.user); a partner
 * system has none, so this is the one place the front door writes an event by hand ('api-client:<name>').
 */
export async function recordApiClientEvent(
  ctx: Pick<ApiClientContext, 'db' | 'client' | 'now'>,
  audit: AuditPart,
): Promise<void> {
  await recordAuditEvent(ctx.db, {
    actor: contactAuditActor(ctx.client),
    action: audit.action,
    subjectType: audit.subjectType,
    subjectId: audit.subjectId ?? null,
    childId: audit.childId ?? null,
    occurredAt: ctx.now,
    details: audit.details ?? {},
  });
}

/** Every problem with a contact's input, each with its path ('children.0.familyName'); the first is `field`. */
export class ContactInputError extends BusinessRuleError {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems[0]?.path ?? 'form', problems[0]?.message ?? 'The contact is not valid');
    this.name = 'ContactInputError';
  }
}

export interface CreatedContact {
  id: string;
  reference: string;
  /** When it was received (as recorded: the time given, or now). */
  receivedAt: Date;
  decisionDueOn: string;
  decisionDueAt: Date;
  /** False when an API client sent an external reference it had sent before: the first contact is returned. */
  created: boolean;
}

export interface CreateContactOptions {
  /**
   * Set only by a service that has itself established the user's access to the records it names (early help's
   * step-up, for the children and adults of an episode the user works on): the contact arrives linked to those
   * records even from a partner lead practitioner, who may not otherwise name records. The value says why, for
   * the audit trail.
   */
  linksVouchedBy?: 'early-help-step-up' | undefined;
}

/** A contact as a signed-in user submits it (the contact's answers, and how its links were vouched for). */
export type CreateContactInput = ContactInput & CreateContactOptions;

type Problem = { path: string; message: string };

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];
const idsOf = (people: readonly { personId?: string | undefined }[]) =>
  uniq(people.map((p) => p.personId).filter((id): id is string => !!id));
/** No contact was received before this (older dates are typing mistakes, and the clocks cannot count from them). */
const EARLIEST_RECEIVED = new Date('2000-01-01T00:00:00Z');

/**
 * Records a contact into the front door, in the caller's transaction: checks the input (every problem at
 * once, as a ContactInputError), checks the user may use this channel and authority, writes the contact with
 * its children and adults, starts the decision clock, and records it in the audit trail (and, for children
 * already linked to a record, in their chronology). Nothing is written when anything is wrong.
 */
export async function createContact(ctx: ServiceContext, input: CreateContactInput): Promise<CreatedContact> {
  const { linksVouchedBy, ...contact } = input;
  return submitContact(ctx, { kind: 'user', user: ctx.user }, contact, linksVouchedBy);
}

/** The same for a partner system through the JSON API (channel 'api'): the API client is the actor. */
export async function createApiClientContact(
  ctx: ApiClientContext,
  input: ContactInput,
): Promise<CreatedContact> {
  return submitContact(ctx, ctx.client, input, undefined);
}

/** The steps of recording a contact: validate, resolve the people it names, write it, record it. */
async function submitContact(
  ctx: Omit<ServiceContext, 'user'>,
  actor: ContactActor,
  rawInput: ContactInput,
  linksVouchedBy: CreateContactOptions['linksVouchedBy'],
): Promise<CreatedContact> {
  const vouched = !!linksVouchedBy && actor.kind === 'user';
  const input = parseContact(await withReferrerAgencyFacts(ctx.db, rawInput));
  const submitter = await checkSubmitter(ctx.db, actor, input);
  const problems = [...submitter.problems, ...namedRecordProblems(actor, input, vouched)];
  const receivedAt = input.receivedAt ?? ctx.now;
  problems.push(...(await inputProblems(ctx, input, receivedAt, submitter.referrerAgencyId, problems)));
  if (problems.length) throw new ContactInputError(problems);

  const linked = idsOf(input.children);
  const linkedAdults = idsOf(input.adults ?? []);
  if (actor.kind === 'user') await resolveLinkedPeople(ctx, actor.user, linked, linkedAdults, vouched);

  if (actor.kind === 'api-client' && input.externalReference) {
    const existing = await sentBefore(ctx.db, actor.apiClientId, input.externalReference);
    if (existing) return { ...existing, created: false };
  }

  const contact = await insertContact(ctx, actor, input, submitter, receivedAt);
  await insertContactChildren(ctx.db, contact.id, input.children);
  await insertContactAdults(ctx, contact.id, input.adults ?? [], submitter.submittedByUserId);

  const audit: AuditPart = {
    action: 'contact.created',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: linked[0] ?? null,
    details: {
      reference: contact.reference,
      channel: input.channel,
      referralSource: input.referralSource,
      children: input.children.length,
      adults: input.adults?.length ?? 0,
      ...(vouched ? { linkedBy: linksVouchedBy, linkedRecords: [...linked, ...linkedAdults] } : {}),
    },
  };
  if (actor.kind === 'user')
    await recordChange(
      { ...ctx, user: actor.user },
      { audit, chronology: contactReceivedChronology(linked, { ...contact, receivedAt }) },
    );
  // A partner system cannot name records (namedRecordProblems), so there is no chronology to write.
  else await recordApiClientEvent({ ...ctx, client: actor }, audit);
  return {
    id: contact.id,
    reference: contact.reference,
    receivedAt,
    decisionDueOn: contact.decisionDueOn,
    decisionDueAt: contact.decisionDueAt,
    created: true,
  };
}

/** The input's shape (Zod): every problem with its path. */
/**
 * One choice of school or agency answers three questions: the census source (a school refers as '2A'), and for a
 * school, the school of each child the contact does not give one for. A source given is kept; an unknown agency is
 * left for inputProblems to report.
 */
async function withReferrerAgencyFacts(db: Trx, input: ContactInput): Promise<ContactInput> {
  const agencyId = input.referrer.agencyId;
  if (!agencyId || !/^[0-9a-f-]{36}$/i.test(agencyId)) return input;
  const agency = await db
    .selectFrom('agencies')
    .select(['name', 'kind'])
    .where('id', '=', agencyId)
    .executeTakeFirst();
  if (!agency) return input;
  return {
    ...input,
    referralSource: input.referralSource || referralSourceForAgency(agency.kind),
    children:
      agency.kind === 'school'
        ? input.children.map((c) => (c.school?.trim() ? c : { ...c, school: agency.name }))
        : input.children,
  };
}

/** A contact's input as checked: by now its census source is known (given, or from the agency). */
type CheckedContact = ContactInput & { referralSource: string };

function parseContact(rawInput: ContactInput): CheckedContact {
  const parsed = contactInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new ContactInputError(contactInputProblems(parsed.error));
  return parsed.data;
}

interface Submitter {
  submittedByUserId: string | null;
  submittedByApiClientId: string | null;
  referrerAgencyId: string | null;
  referrerName: string | null;
  referrerEmail: string | null;
  problems: Problem[];
}

/** Who may use which channel, for which authority; and who the referrer is. */
async function checkSubmitter(db: Trx, actor: ContactActor, input: ContactInput): Promise<Submitter> {
  const s: Submitter = {
    submittedByUserId: null,
    submittedByApiClientId: null,
    referrerAgencyId: input.referrer.agencyId ?? null,
    referrerName: input.referrer.name ?? null,
    referrerEmail: input.referrer.email ?? null,
    problems: [],
  };
  if (actor.kind === 'api-client') {
    s.submittedByApiClientId = actor.apiClientId;
    if (input.channel !== 'api')
      s.problems.push({
        path: 'channel',
        message: 'A partner system sends contacts through the channel "api"',
      });
    if (!actor.localAuthorityIds.includes(input.localAuthorityId))
      s.problems.push({
        path: 'localAuthorityId',
        message: 'This client may not send contacts to that local authority',
      });
    s.referrerAgencyId ??= actor.agencyId;
    return s;
  }
  const user = actor.user;
  s.submittedByUserId = user.id;
  if ((STAFF_CHANNELS as readonly string[]).includes(input.channel)) {
    if (!user.permissions.has('contact:create')) throw new AccessDeniedError('contact:create');
    if (!user.localAuthorityIds.includes(input.localAuthorityId))
      s.problems.push({
        path: 'localAuthorityId',
        message: 'Select a local authority whose front door you work for',
      });
  } else if (input.channel === 'online-form') {
    if (!user.permissions.has('referral:submit') || !user.agencyId)
      throw new AccessDeniedError('referral:submit');
    const served = await db
      .selectFrom('agencyLocalAuthorities')
      .select('localAuthorityId')
      .where('agencyId', '=', user.agencyId)
      .execute();
    if (!served.some((r) => r.localAuthorityId === input.localAuthorityId))
      s.problems.push({
        path: 'localAuthorityId',
        message: 'Select a local authority your agency works with',
      });
    if (s.referrerAgencyId && s.referrerAgencyId !== user.agencyId)
      s.problems.push({
        path: 'referrer.agencyId',
        message: 'You can only refer on behalf of your own agency',
      });
    s.referrerAgencyId = user.agencyId;
    s.referrerName ??= user.displayName;
    s.referrerEmail ??= user.email;
  } else {
    s.problems.push({
      path: 'channel',
      message: 'Contacts through the API come from partner systems, not signed-in users',
    });
  }
  return s;
}

/** Only front-door staff (or a service that vouches for the links) may name people's records on a contact. */
function namedRecordProblems(actor: ContactActor, input: ContactInput, vouched: boolean): Problem[] {
  const namesRecords = [...input.children, ...(input.adults ?? [])].some((p) => p.personId);
  const staff = actor.kind === 'user' && !actor.user.isPartner && actor.user.permissions.has('child:read');
  return namesRecords && !vouched && !staff
    ? [{ path: 'children', message: 'Partners describe the children; the front door links them to records' }]
    : [];
}

/** What needs the database or the clock: the authority, the time received, the code lists, dates of birth. */
async function inputProblems(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  input: ContactInput,
  receivedAt: Date,
  referrerAgencyId: string | null,
  earlier: readonly Problem[],
): Promise<Problem[]> {
  const { db: trx, now } = ctx;
  const problems: Problem[] = [];
  const today = isoDateOf(now);
  // What needs the database, in one statement: whether the authority and the referrer's agency exist, and the code
  // lists the contact's codes must come from.
  const facts = await trx
    .selectNoFrom((eb) => [
      eb
        .exists(eb.selectFrom('localAuthorities').select('id').where('id', '=', input.localAuthorityId))
        .as('authorityExists'),
      referrerAgencyId
        ? eb
            .exists(eb.selectFrom('agencies').select('id').where('id', '=', referrerAgencyId))
            .as('agencyExists')
        : sql<boolean>`true`.as('agencyExists'),
      sql<string[]>`array(select code from ref_codes where code_set = 'contact-concern')`.as('concernCodes'),
      input.adults?.length
        ? sql<string[]>`array(select code from ref_codes where code_set = 'contact-adult-role')`.as(
            'roleCodes',
          )
        : sql<string[]>`'{}'::text[]`.as('roleCodes'),
    ])
    .executeTakeFirstOrThrow();
  if (!facts.authorityExists && !earlier.some((p) => p.path === 'localAuthorityId'))
    problems.push({ path: 'localAuthorityId', message: 'Select the local authority' });
  if (receivedAt.getTime() > now.getTime() + 60_000)
    problems.push({ path: 'receivedAt', message: 'The time received must be now or in the past' });
  else if (receivedAt.getTime() < EARLIEST_RECEIVED.getTime())
    problems.push({ path: 'receivedAt', message: 'The time received must be in the year 2000 or later' });
  const concernCodes = new Set(facts.concernCodes);
  input.concernCategories.forEach((c, i) => {
    if (!concernCodes.has(c))
      problems.push({
        path: `concernCategories.${i}`,
        message: 'Select categories of concern from the list',
      });
  });
  if (input.adults?.length) {
    const roles = new Set(facts.roleCodes);
    input.adults.forEach((a, i) => {
      if (!roles.has(a.role))
        problems.push({
          path: `adults.${i}.role`,
          message: 'Select how the adult is involved from the list',
        });
      if (a.dateOfBirth && a.dateOfBirth > today)
        problems.push({
          path: `adults.${i}.dateOfBirth`,
          message: 'Date of birth must be today or in the past',
        });
    });
  }
  input.children.forEach((c, i) => {
    if (c.dateOfBirth && c.dateOfBirth > today)
      problems.push({
        path: `children.${i}.dateOfBirth`,
        message:
          'Date of birth must be today or in the past (use the expected date of birth for an unborn child)',
      });
  });
  if (!facts.agencyExists)
    problems.push({ path: 'referrer.agencyId', message: 'Select an agency from the list' });
  return problems;
}

/** The records a user names: they may read them (unless vouched for), and children are children's records. */
async function resolveLinkedPeople(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  user: CurrentUser,
  linked: readonly string[],
  linkedAdults: readonly string[],
  vouched: boolean,
): Promise<void> {
  if (!linked.length && !linkedAdults.length) return;
  if (!vouched) await requireAccess(ctx.db, user, 'read', [...linked, ...linkedAdults], ctx.now);
  const kinds = await ctx.db
    .selectFrom('people')
    .select(['id', 'kind'])
    .where('id', 'in', [...linked, ...linkedAdults])
    .execute();
  if (kinds.some((k) => linked.includes(k.id) && k.kind !== 'child'))
    throw new ContactInputError([{ path: 'children', message: 'Link children to children’s records' }]);
}

/** The contact an API client already sent with this external reference, if any (a retry returns it). */
async function sentBefore(trx: Trx, apiClientId: string, externalReference: string) {
  return trx
    .selectFrom('contacts')
    .select(['id', 'reference', 'receivedAt', 'decisionDueOn', 'decisionDueAt'])
    .where('submittedByApiClientId', '=', apiClientId)
    .where('externalReference', '=', externalReference)
    .executeTakeFirst();
}

/** Writes the contact itself, with its reference and decision clock. */
async function insertContact(
  ctx: Omit<ServiceContext, 'user'>,
  actor: ContactActor,
  input: CheckedContact,
  submitter: Submitter,
  receivedAt: Date,
) {
  const { db: trx, now, calendar } = ctx;
  const dueOn = decisionDueOn(calendar, receivedAt);
  const dueAt = decisionDueAt(calendar, receivedAt);
  const row = await trx
    .insertInto('contacts')
    .values({
      // The next number, in the INSERT itself (one round trip fewer than asking for it first).
      reference: contactReferenceSql(isoDateOf(receivedAt)),
      localAuthorityId: input.localAuthorityId,
      receivedAt,
      channel: input.channel,
      referralSource: input.referralSource,
      referrerName: submitter.referrerName,
      referrerRole: input.referrer.role ?? null,
      referrerOrganisation: input.referrer.organisation ?? null,
      referrerAgencyId: submitter.referrerAgencyId,
      referrerPhone: input.referrer.phone ?? null,
      referrerEmail: submitter.referrerEmail,
      submittedByUserId: submitter.submittedByUserId,
      submittedByApiClientId: submitter.submittedByApiClientId,
      submittedByLabel: actor.kind === 'user' ? actor.user.email : `api-client:${actor.name}`,
      externalReference: input.externalReference ?? null,
      concernCategories: uniq(input.concernCategories),
      reason: input.reason,
      consent: input.consent,
      consentRationale:
        input.consent === 'given' ? (input.consentRationale ?? null) : input.consentRationale!,
      urgency: input.urgency,
      status: 'awaiting-screening',
      decisionDueOn: dueOn,
      decisionDueAt: dueAt,
      createdAt: now,
      updatedAt: now,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
  return { id: row.id, reference: row.reference, decisionDueOn: dueOn, decisionDueAt: dueAt };
}

async function insertContactChildren(
  trx: Trx,
  contactId: string,
  children: readonly ContactChildInput[],
): Promise<void> {
  await trx
    .insertInto('contactChildren')
    .values(
      children.map((c, i) => ({
        contactId,
        position: i + 1,
        personId: c.personId ?? null,
        givenName: c.givenName ?? null,
        familyName: c.familyName ?? null,
        dateOfBirth: c.dateOfBirth ?? null,
        expectedDateOfBirth: c.expectedDateOfBirth ?? null,
        sex: c.sex ?? null,
        nhsNumber: c.nhsNumber ?? null,
        addressLine1: c.addressLine1 ?? null,
        addressLine2: c.addressLine2 ?? null,
        town: c.town ?? null,
        postcode: c.postcode ?? null,
        school: c.school ?? null,
        notes: c.notes ?? null,
      })),
    )
    .execute();
}

async function insertContactAdults(
  ctx: Pick<ServiceContext, 'db' | 'now'>,
  contactId: string,
  adults: readonly ContactAdultInput[],
  linkedBy: string | null,
): Promise<void> {
  if (!adults.length) return;
  await ctx.db
    .insertInto('contactAdults')
    .values(
      adults.map((a, i) => ({
        contactId,
        position: i + 1,
        personId: a.personId ?? null,
        ...(a.personId ? { linkMethod: 'linked', linkedAt: ctx.now, linkedBy } : {}),
        givenName: a.givenName ?? null,
        familyName: a.familyName ?? null,
        dateOfBirth: a.dateOfBirth ?? null,
        role: a.role,
        phone: a.phone ?? null,
        addressLine1: a.addressLine1 ?? null,
        postcode: a.postcode ?? null,
        notes: a.notes ?? null,
      })),
    )
    .execute();
}

/** "Contact received" on each linked child's chronology, dated when the contact was received. */
export function contactReceivedChronology(
  childIds: readonly string[],
  contact: { id: string; reference: string; receivedAt: Date },
): ChronologyPart {
  return {
    childIds,
    occurredAt: contact.receivedAt,
    category: 'contact',
    title: `Contact received (${contact.reference})`,
    significant: false,
    sourceType: 'contact',
    sourceId: contact.id,
  };
}

/**
 * The contact, if this member of staff may see it: front-door permission, an authority they work for, and
 * read access to every child already linked (a restricted child's contact is as hidden as their record).
 * Partners never open contacts here. Anything else is NotFoundError, the same as a contact that does not exist.
 */
/**
 * The contacts about a child that are not completed: the child's record lists them among its open involvements,
 * with their decision deadlines. The record page has already checked the user may read the child's record.
 */
export async function openContactsAbout(ctx: Pick<ReadContext, 'db'>, personId: string) {
  return ctx.db
    .selectFrom('contactChildren as cc')
    .innerJoin('contacts as c', 'c.id', 'cc.contactId')
    .select(['c.id', 'c.reference', 'c.status', 'c.receivedAt', 'c.decisionDueOn'])
    .where('cc.personId', '=', personId)
    .where('c.status', '<>', 'completed')
    .execute();
}

export async function requireContact(ctx: ReadContext, contactId: string): Promise<ContactsRow> {
  return (await requireContactWithChildren(ctx, contactId)).contact;
}

/** requireContact, handing back the children named on the contact (in its order) that it read to check access. */
export async function requireContactWithChildren(
  ctx: ReadContext,
  contactId: string,
): Promise<{ contact: ContactsRow; children: ContactChildrenRow[] }> {
  const { db, user } = ctx;
  if (user.isPartner || !user.permissions.has('contact:read')) throw new NotFoundError();
  const contact = await findContact(db, contactId);
  if (!contact || !user.localAuthorityIds.includes(contact.localAuthorityId)) throw new NotFoundError();
  const children = await contactChildren(db, contactId);
  const linked = children.map((c) => c.personId).filter((id): id is string => !!id);
  if (linked.length) {
    const decisions = await decideRecordAccess(db, user, linked, ctx.now);
    const denied = [...decisions.values()].filter((d) => d.exists && !d.read).map((d) => d.personId);
    if (denied.length) throw new NotFoundError('Not found', denied);
  }
  return { contact, children };
}

/** The records of the children on a contact (those linked so far), in the contact's order. */
export async function linkedChildIds(db: ReadContext['db'], contactId: string): Promise<string[]> {
  return (await contactChildren(db, contactId)).map((c) => c.personId).filter((id): id is string => !!id);
}

const OPEN_FOR_SCREENING = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry'];

/** Starts (or re-rates) the MASH enquiry: the RAG rating, its rationale, and when partners' information is due. */
export async function setRag(
  ctx: ServiceContext,
  input: { contactId: string; rag: Rag; rationale: string; version?: number | undefined },
): Promise<{ informationDueAt: Date }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'contact:screen');
  const contact = await requireContact(ctx, input.contactId);
  if (!OPEN_FOR_SCREENING.includes(contact.status)) {
    throw new BusinessRuleError(
      'rag',
      'This contact has a decision already: the MASH enquiry can no longer be changed',
    );
  }
  const settings = await frontDoorSettings(trx, contact.localAuthorityId);
  const due = informationDueAt(ctx.calendar, input.rag, now, settings.ragHours);
  await updateContact(trx, contact.id, input.version, {
    rag: input.rag,
    ragSetAt: now,
    ragSetBy: user.id,
    ragRationale: input.rationale,
    informationDueAt: due,
    mashEnquiryStartedAt: contact.mashEnquiryStartedAt ?? now,
    status: 'mash-enquiry',
    updatedAt: now,
  });
  const rerated = !!contact.rag;
  // Open requests follow the new clock.
  await trx
    .updateTable('informationRequests')
    .set({ dueAt: due })
    .where('contactId', '=', contact.id)
    .where('status', '=', 'open')
    .execute();
  const childIds = await linkedChildIds(trx, contact.id);
  await recordChange(ctx, {
    chronology: {
      childIds,
      category: 'contact',
      title: rerated
        ? `MASH enquiry re-rated ${RAG_LABELS[input.rag]} (${contact.reference})`
        : `MASH enquiry started: ${RAG_LABELS[input.rag]} (${contact.reference})`,
      sourceType: 'contact',
      sourceId: contact.id,
    },
    audit: {
      action: rerated ? 'contact.rag-changed' : 'contact.mash-enquiry-started',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      details: {
        reference: contact.reference,
        rag: input.rag,
        previousRag: contact.rag,
        informationDueAt: due.toISOString(),
        hours: settings.ragHours[input.rag],
      },
    },
  });
  return { informationDueAt: due };
}

/**
 * A contact as the front door received it, for the service it was routed to (the social worker reads why the
 * family came in, and a step-up's early help history, on the episode): what was said, by whom, and when. Only for
 * a user who may read the children it names; nothing of the MASH's own work.
 */
export async function contactAsReceived(ctx: ReadContext, contactId: string) {
  const { db, user } = ctx;
  const contact = await findContact(db, contactId);
  if (!contact || user.isPartner) return null;
  const linked = await linkedChildIds(db, contactId);
  if (linked.length) {
    const decisions = await decideRecordAccess(db, user, linked, ctx.now);
    if ([...decisions.values()].some((d) => d.exists && !d.read)) return null;
  }
  return {
    id: contact.id,
    reference: contact.reference,
    receivedAt: contact.receivedAt,
    referrer: [contact.referrerName, contact.referrerRole, contact.referrerOrganisation]
      .filter(Boolean)
      .join(', '),
    reason: contact.reason,
  };
}
