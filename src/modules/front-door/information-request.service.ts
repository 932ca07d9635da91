import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { contactAdults, contactChildren } from './contact.repository.ts';
import { linkedChildIds, requireContact } from './contact.service.ts';
import { childName } from './contact.ts';
import { codeLabels } from './settings.ts';
import { queueInformationRequestEmail, queueInformationRequestReminderEmail } from './notification-emails.ts';
import {
  CAMHS_RECOMMENDATION_LABELS,
  CAMHS_REVIEW_TYPE,
  camhsReviewProblems,
  camhsReviewText,
  knownFromReview,
  type CamhsReview,
} from './camhs-review.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * MASH enquiry information requests. MASH staff ask a partner agency (police, health, education, CAMHS,
 * probation, housing … any agency in the agencies table that works with the authority) a question about the
 * children on a contact; the information is due by the contact's RAG deadline. The agency's own users answer in
 * Threshold and see only the requests addressed to their agency: any other request is "not found" to them.
 */

const OPEN_STATUSES = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry'];

export async function createInformationRequest(
  ctx: ServiceContext,
  input: { contactId: string; agencyId: string; requestType: string; question: string },
): Promise<{ id: string; dueAt: Date }> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'information-request:create');
  const contact = await requireContact(ctx, input.contactId);
  if (!OPEN_STATUSES.includes(contact.status))
    throw new BusinessRuleError(
      'agencyId',
      'This contact has a decision already: no more requests can be sent',
    );
  if (!contact.rag || !contact.informationDueAt) {
    throw new BusinessRuleError(
      'agencyId',
      'Start the MASH enquiry with a RAG rating first: the rating sets when information is due',
    );
  }
  const agency = await trx
    .selectFrom('agencies as a')
    .innerJoin('agencyLocalAuthorities as ala', 'ala.agencyId', 'a.id')
    .select(['a.id', 'a.name', 'a.kind', 'a.email'])
    .where('a.id', '=', input.agencyId)
    .where('ala.localAuthorityId', '=', contact.localAuthorityId)
    .executeTakeFirst();
  if (!agency)
    throw new BusinessRuleError('agencyId', 'Select an agency that works with this local authority');
  const types = await codeLabels(trx, 'information-request-type');
  if (!types.has(input.requestType))
    throw new BusinessRuleError('requestType', 'Select the kind of request from the list');
  if (input.requestType === CAMHS_REVIEW_TYPE && agency.kind !== 'camhs')
    throw new BusinessRuleError(
      'agencyId',
      'A CAMHS emotional well-being review can only be asked of a CAMHS service: select a CAMHS agency',
    );
  const row = await trx
    .insertInto('informationRequests')
    .values({
      contactId: contact.id,
      agencyId: agency.id,
      requestType: input.requestType,
      question: input.question,
      requestedAt: now,
      requestedBy: user.id,
      dueAt: contact.informationDueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'information-request.created',
      subjectType: 'information-request',
      subjectId: row.id,
      details: {
        contactId: contact.id,
        reference: contact.reference,
        agency: agency.name,
        requestType: input.requestType,
        dueAt: contact.informationDueAt.toISOString(),
      },
    },
  });
  await queueInformationRequestEmail(ctx, {
    requestId: row.id,
    agencyName: agency.name,
    agencyEmail: agency.email,
    dueAt: contact.informationDueAt,
  });
  return { id: row.id, dueAt: contact.informationDueAt };
}

/** The requests on a contact, for MASH staff (access to the contact already checked). */
export async function requestsForContact(db: Db, contactId: string) {
  return db
    .selectFrom('informationRequests as r')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .innerJoin('users as u', 'u.id', 'r.requestedBy')
    .leftJoin('users as ru', 'ru.id', 'r.respondedBy')
    .leftJoin('refCodes as t', (j) =>
      j.onRef('t.code', '=', 'r.requestType').on('t.codeSet', '=', 'information-request-type'),
    )
    .select([
      'r.id',
      'r.requestType',
      't.label as requestTypeLabel',
      'r.question',
      'r.status',
      'r.requestedAt',
      'r.dueAt',
      'r.knownToAgency',
      'r.response',
      'r.respondedAt',
      'r.remindersSent',
      'r.automaticRemindersSent',
      'r.lastReminderAt',
      'r.lastReminderAutomatic',
      'r.camhsReview',
      'a.name as agencyName',
      'a.kind as agencyKind',
      'a.email as agencyEmail',
      'u.displayName as requestedByName',
      'ru.displayName as respondedByName',
    ])
    .where('r.contactId', '=', contactId)
    .orderBy('r.requestedAt')
    .execute();
}

function requirePartner(user: CurrentUser): string {
  if (!user.permissions.has('information-request:respond'))
    throw new AccessDeniedError('information-request:respond');
  if (!user.agencyId) throw new NotFoundError();
  return user.agencyId;
}

/** The requests addressed to the user's agency: open ones first, soonest due first. */
export async function requestsForMyAgency(
  ctx: Pick<ReadContext, 'db' | 'user'>,
  page: { status: 'open' | 'answered' | 'all'; limit: number; offset: number },
) {
  const { db: trx, user } = ctx;
  const agencyId = requirePartner(user);
  let base = trx
    .selectFrom('informationRequests as r')
    .where('r.agencyId', '=', agencyId)
    .where('r.status', '<>', 'withdrawn');
  if (page.status !== 'all') base = base.where('r.status', '=', page.status);
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .leftJoin('refCodes as t', (j) =>
      j.onRef('t.code', '=', 'r.requestType').on('t.codeSet', '=', 'information-request-type'),
    )
    .select([
      'r.id',
      'r.status',
      'r.dueAt',
      'r.requestedAt',
      'r.respondedAt',
      'r.remindersSent',
      'r.requestType',
      't.label as requestTypeLabel',
      'c.reference',
      'la.name as localAuthorityName',
      'r.contactId',
    ])
    .orderBy(sql`case when r.status = 'open' then 0 else 1 end`)
    .orderBy('r.dueAt')
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const contactIds = [...new Set(rows.map((r) => r.contactId))];
  const children = contactIds.length
    ? await trx
        .selectFrom('contactChildren')
        .select(['contactId', 'givenName', 'familyName', 'dateOfBirth'])
        .where('contactId', 'in', contactIds)
        .orderBy('position')
        .execute()
    : [];
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      children: children
        .filter((c) => c.contactId === r.contactId)
        .map((c) => ({ name: childName(c), dateOfBirth: c.dateOfBirth })),
    })),
  };
}

/**
 * One request, for a user of the agency it is addressed to: what is asked, and who the children and adults are
 * (as the referrer described them: partners never open person records). NotFoundError for anyone else's.
 */
export async function requestForMyAgency(ctx: Pick<ReadContext, 'db' | 'user'>, requestId: string) {
  const { db: trx, user } = ctx;
  const agencyId = requirePartner(user);
  const request = await trx
    .selectFrom('informationRequests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .innerJoin('users as u', 'u.id', 'r.requestedBy')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .leftJoin('users as ru', 'ru.id', 'r.respondedBy')
    .leftJoin('refCodes as t', (j) =>
      j.onRef('t.code', '=', 'r.requestType').on('t.codeSet', '=', 'information-request-type'),
    )
    .select([
      'r.id',
      'r.contactId',
      'r.status',
      'r.question',
      'r.requestType',
      't.label as requestTypeLabel',
      't.description as requestTypeDescription',
      'r.requestedAt',
      'r.dueAt',
      'r.knownToAgency',
      'r.response',
      'r.respondedAt',
      'r.version',
      'r.remindersSent',
      'r.automaticRemindersSent',
      'r.lastReminderAt',
      'r.lastReminderAutomatic',
      'r.camhsReview',
      'a.kind as agencyKind',
      'c.reference',
      'c.concernCategories',
      'la.name as localAuthorityName',
      'u.displayName as requestedByName',
      'u.email as requestedByEmail',
      'a.name as agencyName',
      'ru.displayName as respondedByName',
    ])
    .where('r.id', '=', requestId)
    .where('r.agencyId', '=', agencyId)
    .where('r.status', '<>', 'withdrawn')
    .executeTakeFirst();
  if (!request) throw new NotFoundError();
  const [children, adults, concerns, roles] = await Promise.all([
    contactChildren(trx, request.contactId),
    contactAdults(trx, request.contactId),
    codeLabels(trx, 'contact-concern'),
    codeLabels(trx, 'contact-adult-role'),
  ]);
  return {
    request: { ...request, concernLabels: request.concernCategories.map((c) => concerns.get(c) ?? c) },
    children: children.map((c) => ({
      name: childName(c),
      dateOfBirth: c.dateOfBirth,
      expectedDateOfBirth: c.expectedDateOfBirth,
      address: [c.addressLine1, c.addressLine2, c.town, c.postcode].filter(Boolean).join(', '),
      school: c.school,
    })),
    adults: adults.map((a) => ({
      name: childName(a),
      role: roles.get(a.role) ?? a.role,
      dateOfBirth: a.dateOfBirth,
    })),
  };
}

export async function answerRequest(
  ctx: ServiceContext,
  input: {
    requestId: string;
    /** For every request type but a CAMHS review. */
    knownToAgency?: boolean | undefined;
    response?: string | undefined;
    /** A CAMHS review's answer: the clinician's structured review (and only for that type). */
    camhsReview?: CamhsReview | undefined;
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  const { request } = await requestForMyAgency(ctx, input.requestId);
  if (request.status !== 'open')
    throw new BusinessRuleError('response', 'This request has been answered already');
  const review = input.camhsReview;
  let knownToAgency: boolean | null;
  let response: string;
  if (request.requestType === CAMHS_REVIEW_TYPE) {
    if (!review) throw new BusinessRuleError('knownToCamhs', 'Answer with the CAMHS clinician’s review');
    const problem = camhsReviewProblems(review)[0];
    if (problem) throw new BusinessRuleError(problem.field, problem.message);
    knownToAgency = knownFromReview(review);
    response = camhsReviewText(review);
  } else {
    if (review)
      throw new BusinessRuleError('response', 'Only a CAMHS review request takes a clinician’s review');
    if (input.knownToAgency === undefined)
      throw new BusinessRuleError('knownToAgency', 'Select yes if your agency knows the child or family');
    if (!input.response?.trim())
      throw new BusinessRuleError('response', 'Enter the information you hold, or say that you hold none');
    knownToAgency = input.knownToAgency;
    response = input.response;
  }
  let q = trx
    .updateTable('informationRequests')
    .set({
      status: 'answered',
      knownToAgency,
      response,
      camhsReview: review ? JSON.stringify(review) : null,
      respondedAt: now,
      respondedBy: user.id,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', input.requestId)
    .where('status', '=', 'open');
  if (input.version !== undefined) q = q.where('version', '=', input.version);
  const updated = await q.returning('id').executeTakeFirst();
  if (!updated)
    throw new ConflictError(
      'Someone in your agency changed this request while you were answering it. Check it, then try again.',
    );
  await recordChange(ctx, {
    chronology: {
      childIds: await linkedChildIds(trx, request.contactId),
      category: 'contact',
      title: `Information received from ${request.agencyName} (${request.reference})`,
      summary: review
        ? `CAMHS review: ${CAMHS_RECOMMENDATION_LABELS[review.recommendation].toLowerCase()}.`
        : knownToAgency
          ? 'Known to the agency.'
          : 'Not known to the agency.',
      sourceType: 'information-request',
      sourceId: request.id,
    },
    audit: {
      action: 'information-request.answered',
      subjectType: 'information-request',
      subjectId: request.id,
      details: {
        contactId: request.contactId,
        reference: request.reference,
        knownToAgency,
        late: now.getTime() > request.dueAt.getTime(),
        ...(review ? { camhsRecommendation: review.recommendation } : {}),
      },
    },
  });
}

/** Records a reminder to the agency about an open request (the audit trail keeps who sent it and when). */
export async function sendReminder(ctx: ServiceContext, input: { contactId: string; requestId: string }) {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'information-request:create');
  const contact = await requireContact(ctx, input.contactId);
  const request = await trx
    .selectFrom('informationRequests as r')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .select([
      'r.id',
      'r.status',
      'r.dueAt',
      'r.remindersSent',
      'a.name as agencyName',
      'a.email as agencyEmail',
    ])
    .where('r.id', '=', input.requestId)
    .where('r.contactId', '=', contact.id)
    .executeTakeFirst();
  if (!request) throw new NotFoundError();
  if (request.status !== 'open')
    throw new BusinessRuleError(
      'confirm',
      'This request is no longer open: there is nothing to remind them about',
    );
  await trx
    .updateTable('informationRequests')
    .set({
      remindersSent: sql<number>`reminders_sent + 1`,
      lastReminderAt: now,
      lastReminderAutomatic: false,
    })
    .where('id', '=', request.id)
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'information-request.reminder-sent',
      subjectType: 'information-request',
      subjectId: request.id,
      details: {
        contactId: contact.id,
        reference: contact.reference,
        agency: request.agencyName,
        to: request.agencyEmail,
        overdue: now.getTime() > request.dueAt.getTime(),
        reminder: request.remindersSent + 1,
      },
    },
  });
  await queueInformationRequestReminderEmail(trx, {
    requestId: request.id,
    agencyName: request.agencyName,
    agencyEmail: request.agencyEmail,
    dueAt: request.dueAt,
    reminder: request.remindersSent + 1,
    now,
    createdBy: user.id,
  });
  return { agencyName: request.agencyName, agencyEmail: request.agencyEmail };
}

/** Open requests past their due time, for the MASH worktray (authorities the user works for). */
export async function overdueRequests(ctx: Pick<ReadContext, 'db' | 'user' | 'now'>, limit = 100) {
  const { localAuthorityIds } = ctx.user;
  if (!localAuthorityIds.length) return [];
  return ctx.db
    .selectFrom('informationRequests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contactId')
    .innerJoin('agencies as a', 'a.id', 'r.agencyId')
    .select(['r.id', 'r.contactId', 'r.dueAt', 'r.remindersSent', 'c.reference', 'a.name as agencyName'])
    .where('r.status', '=', 'open')
    .where('r.dueAt', '<', ctx.now)
    .where('c.localAuthorityId', 'in', [...localAuthorityIds])
    .orderBy('r.dueAt')
    .limit(limit)
    .execute();
}

/** Withdraws a contact's open requests when its enquiry closes (the decision is authorised). */
export async function withdrawOpenRequests(trx: Trx, contactId: string): Promise<number> {
  const rows = await trx
    .updateTable('informationRequests')
    .set({ status: 'withdrawn', version: sql<number>`version + 1` })
    .where('contactId', '=', contactId)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length;
}
