import type { Transaction } from 'kysely';
import type { ContactsRow, DB } from '../../db/schema.ts';
import {
  auditActor,
  decideRecordAccess,
  requireAccess,
  type CurrentUser,
} from '../../kernel/access/index.ts';
import { recordAuditEvent, type AuditActor } from '../../kernel/audit-trail/index.ts';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import {
  decisionDueAt,
  decisionDueOn,
  informationDueAt,
  RAG_LABELS,
  STAFF_CHANNELS,
  type Rag,
} from './contact.ts';
import { contactInputProblems, contactInputSchema, type ContactInput } from './contact.schemas.ts';
import { contactChildren, findContact, nextContactReference, updateContact } from './contact.repository.ts';
import { frontDoorSettings } from './settings.ts';
import { requirePermission, type ReadContext } from '../../kernel/service/index.ts';

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

export function contactAuditActor(actor: ContactActor): AuditActor {
  return actor.kind === 'user' ? auditActor(actor.user) : { userId: null, label: `api-client:${actor.name}` };
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
  decisionDueOn: string;
  decisionDueAt: Date;
  /** False when an API client sent an external reference it had sent before: the first contact is returned. */
  created: boolean;
}

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];
/** No contact was received before this (older dates are typing mistakes, and the clocks cannot count from them). */
const EARLIEST_RECEIVED = new Date('2000-01-01T00:00:00Z');

/**
 * Records a contact into the front door, in the caller's transaction: checks the input (every problem at
 * once, as a ContactInputError), checks the actor may use this channel and authority, writes the contact with
 * its children and adults, starts the decision clock, and records it in the audit trail (and, for children
 * already linked to a record, in their chronology). Nothing is written when anything is wrong.
 */
export interface CreateContactOptions {
  /**
   * Set only by a service that has itself established the user's access to the records it names (early help's
   * step-up, for the children and adults of an episode the user works on): the contact arrives linked to those
   * records even from a partner lead practitioner, who may not otherwise name records. The value says why, for
   * the audit trail.
   */
  linksVouchedBy?: 'early-help-step-up';
}

export async function createContact(
  trx: Trx,
  actor: ContactActor,
  rawInput: ContactInput,
  now: Date,
  calendar: WorkingDayCalendar,
  options: CreateContactOptions = {},
): Promise<CreatedContact> {
  const vouched = !!options.linksVouchedBy && actor.kind === 'user';
  const parsed = contactInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new ContactInputError(contactInputProblems(parsed.error));
  const input = parsed.data;
  const problems: { path: string; message: string }[] = [];
  const today = isoDateOf(now);

  // Who may use which channel, for which authority.
  let submittedByUserId: string | null = null;
  let submittedByApiClientId: string | null = null;
  let referrerAgencyId = input.referrer.agencyId ?? null;
  let referrerName = input.referrer.name ?? null;
  let referrerEmail = input.referrer.email ?? null;
  if (actor.kind === 'user') {
    const user = actor.user;
    submittedByUserId = user.id;
    if ((STAFF_CHANNELS as readonly string[]).includes(input.channel)) {
      if (!user.permissions.has('contact:create')) throw new AccessDeniedError('contact:create');
      if (!user.localAuthorityIds.includes(input.localAuthorityId))
        problems.push({
          path: 'localAuthorityId',
          message: 'Select a local authority whose front door you work for',
        });
    } else if (input.channel === 'online-form') {
      if (!user.permissions.has('referral:submit') || !user.agencyId)
        throw new AccessDeniedError('referral:submit');
      const served = await trx
        .selectFrom('agencyLocalAuthorities')
        .select('localAuthorityId')
        .where('agencyId', '=', user.agencyId)
        .execute();
      if (!served.some((s) => s.localAuthorityId === input.localAuthorityId))
        problems.push({
          path: 'localAuthorityId',
          message: 'Select a local authority your agency works with',
        });
      if (referrerAgencyId && referrerAgencyId !== user.agencyId)
        problems.push({
          path: 'referrer.agencyId',
          message: 'You can only refer on behalf of your own agency',
        });
      referrerAgencyId = user.agencyId;
      referrerName ??= user.displayName;
      referrerEmail ??= user.email;
    } else {
      problems.push({
        path: 'channel',
        message: 'Contacts through the API come from partner systems, not signed-in users',
      });
    }
  } else {
    submittedByApiClientId = actor.apiClientId;
    if (input.channel !== 'api')
      problems.push({
        path: 'channel',
        message: 'A partner system sends contacts through the channel "api"',
      });
    if (!actor.localAuthorityIds.includes(input.localAuthorityId))
      problems.push({
        path: 'localAuthorityId',
        message: 'This client may not send contacts to that local authority',
      });
    referrerAgencyId ??= actor.agencyId;
  }
  const namesRecords = [...input.children, ...(input.adults ?? [])].some((p) => p.personId);
  if (
    namesRecords &&
    !vouched &&
    (actor.kind !== 'user' || actor.user.isPartner || !actor.user.permissions.has('child:read'))
  ) {
    problems.push({
      path: 'children',
      message: 'Partners describe the children; the front door links them to records',
    });
  }

  // What needs the database or the clock.
  const la = await trx
    .selectFrom('localAuthorities')
    .select('id')
    .where('id', '=', input.localAuthorityId)
    .executeTakeFirst();
  if (!la && !problems.some((p) => p.path === 'localAuthorityId'))
    problems.push({ path: 'localAuthorityId', message: 'Select the local authority' });
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + 60_000)
    problems.push({ path: 'receivedAt', message: 'The time received must be now or in the past' });
  else if (receivedAt.getTime() < EARLIEST_RECEIVED.getTime())
    problems.push({ path: 'receivedAt', message: 'The time received must be in the year 2000 or later' });
  const concernCodes = new Set(
    (await trx.selectFrom('refCodes').select('code').where('codeSet', '=', 'contact-concern').execute()).map(
      (r) => r.code,
    ),
  );
  input.concernCategories.forEach((c, i) => {
    if (!concernCodes.has(c))
      problems.push({
        path: `concernCategories.${i}`,
        message: 'Select categories of concern from the list',
      });
  });
  if (input.adults?.length) {
    const roles = new Set(
      (
        await trx.selectFrom('refCodes').select('code').where('codeSet', '=', 'contact-adult-role').execute()
      ).map((r) => r.code),
    );
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
  if (referrerAgencyId) {
    const agency = await trx
      .selectFrom('agencies')
      .select('id')
      .where('id', '=', referrerAgencyId)
      .executeTakeFirst();
    if (!agency) problems.push({ path: 'referrer.agencyId', message: 'Select an agency from the list' });
  }
  if (problems.length) throw new ContactInputError(problems);

  const linked = uniq(input.children.map((c) => c.personId).filter((id): id is string => !!id));
  const linkedAdults = uniq((input.adults ?? []).map((a) => a.personId).filter((id): id is string => !!id));
  if (actor.kind === 'user' && (linked.length || linkedAdults.length)) {
    if (!vouched) await requireAccess(trx, actor.user, 'read', [...linked, ...linkedAdults], now);
    const kinds = await trx
      .selectFrom('people')
      .select(['id', 'kind'])
      .where('id', 'in', [...linked, ...linkedAdults])
      .execute();
    if (kinds.some((k) => linked.includes(k.id) && k.kind !== 'child'))
      throw new ContactInputError([{ path: 'children', message: 'Link children to children’s records' }]);
  }

  if (submittedByApiClientId && input.externalReference) {
    const existing = await trx
      .selectFrom('contacts')
      .select(['id', 'reference', 'decisionDueOn', 'decisionDueAt'])
      .where('submittedByApiClientId', '=', submittedByApiClientId)
      .where('externalReference', '=', input.externalReference)
      .executeTakeFirst();
    if (existing) return { ...existing, created: false };
  }

  const receivedOn = isoDateOf(receivedAt);
  const reference = await nextContactReference(trx, receivedOn);
  const dueOn = decisionDueOn(calendar, receivedAt);
  const dueAt = decisionDueAt(calendar, receivedAt);
  const label = actor.kind === 'user' ? actor.user.email : `api-client:${actor.name}`;
  const contact = await trx
    .insertInto('contacts')
    .values({
      reference,
      localAuthorityId: input.localAuthorityId,
      receivedAt,
      channel: input.channel,
      referralSource: input.referralSource,
      referrerName,
      referrerRole: input.referrer.role ?? null,
      referrerOrganisation: input.referrer.organisation ?? null,
      referrerAgencyId,
      referrerPhone: input.referrer.phone ?? null,
      referrerEmail,
      submittedByUserId,
      submittedByApiClientId,
      submittedByLabel: label,
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
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('contactChildren')
    .values(
      input.children.map((c, i) => ({
        contactId: contact.id,
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
  if (input.adults?.length) {
    await trx
      .insertInto('contactAdults')
      .values(
        input.adults.map((a, i) => ({
          contactId: contact.id,
          position: i + 1,
          personId: a.personId ?? null,
          ...(a.personId ? { linkMethod: 'linked', linkedAt: now, linkedBy: submittedByUserId } : {}),
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
  for (const childId of linked) {
    await appendCaseEvent(
      trx,
      contactReceivedEvent(childId, { id: contact.id, reference, receivedAt }, submittedByUserId, now),
    );
  }
  await recordAuditEvent(trx, {
    actor: contactAuditActor(actor),
    action: 'contact.created',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: linked[0] ?? null,
    occurredAt: now,
    details: {
      reference,
      channel: input.channel,
      referralSource: input.referralSource,
      children: input.children.length,
      adults: input.adults?.length ?? 0,
      ...(vouched ? { linkedBy: options.linksVouchedBy, linkedRecords: [...linked, ...linkedAdults] } : {}),
    },
  });
  return { id: contact.id, reference, decisionDueOn: dueOn, decisionDueAt: dueAt, created: true };
}

export function contactReceivedEvent(
  childId: string,
  contact: { id: string; reference: string; receivedAt: Date },
  by: string | null,
  now: Date,
) {
  return {
    childId,
    occurredAt: contact.receivedAt,
    recordedAt: now,
    recordedBy: by,
    category: 'contact' as const,
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

export async function requireContact(
  trx: Trx,
  user: CurrentUser,
  contactId: string,
  now: Date,
): Promise<ContactsRow> {
  if (user.isPartner || !user.permissions.has('contact:read')) throw new NotFoundError();
  const contact = await findContact(trx, contactId);
  if (!contact || !user.localAuthorityIds.includes(contact.localAuthorityId)) throw new NotFoundError();
  const children = await contactChildren(trx, contactId);
  const linked = children.map((c) => c.personId).filter((id): id is string => !!id);
  if (linked.length) {
    const decisions = await decideRecordAccess(trx, user, linked, now);
    const denied = [...decisions.values()].filter((d) => d.exists && !d.read).map((d) => d.personId);
    if (denied.length) throw new NotFoundError('Not found', denied);
  }
  return contact;
}

const OPEN_FOR_SCREENING = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry'];

/** Starts (or re-rates) the MASH enquiry: the RAG rating, its rationale, and when partners' information is due. */
export async function setRag(
  trx: Trx,
  user: CurrentUser,
  input: { contactId: string; rag: Rag; rationale: string; version?: number | undefined },
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<{ informationDueAt: Date }> {
  requirePermission(user, 'contact:screen');
  const contact = await requireContact(trx, user, input.contactId, now);
  if (!OPEN_FOR_SCREENING.includes(contact.status)) {
    throw new BusinessRuleError(
      'rag',
      'This contact has a decision already: the MASH enquiry can no longer be changed',
    );
  }
  const settings = await frontDoorSettings(trx, contact.localAuthorityId);
  const due = informationDueAt(calendar, input.rag, now, settings.ragHours);
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
  const children = await contactChildren(trx, contact.id);
  for (const c of children) {
    if (!c.personId) continue;
    await appendCaseEvent(trx, {
      childId: c.personId,
      occurredAt: now,
      recordedAt: now,
      recordedBy: user.id,
      category: 'contact',
      title: rerated
        ? `MASH enquiry re-rated ${RAG_LABELS[input.rag]} (${contact.reference})`
        : `MASH enquiry started: ${RAG_LABELS[input.rag]} (${contact.reference})`,
      sourceType: 'contact',
      sourceId: contact.id,
    });
  }
  await recordAuditEvent(trx, {
    actor: auditActor(user),
    action: rerated ? 'contact.rag-changed' : 'contact.mash-enquiry-started',
    subjectType: 'contact',
    subjectId: contact.id,
    childId: children.find((c) => c.personId)?.personId ?? null,
    occurredAt: now,
    details: {
      reference: contact.reference,
      rag: input.rag,
      previousRag: contact.rag,
      informationDueAt: due.toISOString(),
      hours: settings.ragHours[input.rag],
    },
  });
  return { informationDueAt: due };
}

/**
 * A contact as the front door received it, for the service it was routed to (the social worker reads why the
 * family came in, and a step-up's early help history, on the episode): what was said, by whom, and when. Only for
 * a user who may read the children it names; nothing of the MASH's own work.
 */
export async function contactAsReceived(trx: Trx, user: CurrentUser, contactId: string, now: Date) {
  const contact = await findContact(trx, contactId);
  if (!contact || user.isPartner) return null;
  const children = await contactChildren(trx, contactId);
  const linked = children.map((c) => c.personId).filter((id): id is string => !!id);
  if (linked.length) {
    const decisions = await decideRecordAccess(trx, user, linked, now);
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
