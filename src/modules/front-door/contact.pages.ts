import { z } from 'zod';
import { agenciesServing, allAgencies, usersLocalAuthorities } from './organisation-lookups.service.ts';
import { REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { loadDraft } from '../../kernel/drafts/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, formatDateTimeGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import { fieldError, type FieldError } from '../../web/forms/errors.ts';
import { checkbox, choice, dateToParts, recordVersion, requiredText } from '../../kernel/forms/fields.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import {
  CHANNEL_LABELS,
  childName,
  CONSENT_HINTS,
  CONSENT_LABELS,
  CONSENT_VALUES,
  describeDaysLeft,
  describeHoursLeft,
  nextDeadline,
  RAG_HINTS,
  RAG_LABELS,
  RAG_VALUES,
  STAFF_CHANNELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  URGENCY_VALUES,
  type ContactStatus,
  type Rag,
} from './contact.ts';
import { openContacts } from './contact.repository.ts';
import type { OpenContactMatch } from './open-contact-search.service.ts';
import { recordContactForm, rowsToShow, type ContactInput } from './contact.schemas.ts';
import {
  ContactInputError,
  createContact,
  linkedChildIds,
  requireContact,
  setRag,
} from './contact.service.ts';
import { adultRelationshipsPath } from './contact-relationships.pages.ts';
import { loadContactView } from './contact-view.ts';
import {
  adultCandidatesFor,
  candidatesFor,
  createRecordForContactAdult,
  createRecordForContactChild,
  linkContactAdult,
  linkContactChild,
} from './known-check.service.ts';
import { createInformationRequest, requestsForContact, sendReminder } from './information-request.service.ts';
import { addCallPath, contactPath, FRONT_DOOR_PATHS } from './paths.ts';
import { contactViewAudit } from './page-audit.ts';
import { codeList, frontDoorSettings } from './settings.ts';

const PAGE_SIZE = 25;
const pageNumber = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);
const contactParams = z.object({ contactId: z.uuid() });
const versionField = recordVersion();

const STATUS_FILTERS = {
  open: ['awaiting-screening', 'awaiting-decision', 'mash-enquiry', 'awaiting-authorisation'],
  'awaiting-screening': ['awaiting-screening'],
  'awaiting-decision': ['awaiting-decision'],
  'mash-enquiry': ['mash-enquiry'],
  'awaiting-authorisation': ['awaiting-authorisation'],
} as const satisfies Record<string, readonly ContactStatus[]>;
type StatusFilter = keyof typeof STATUS_FILTERS;

export const worktrayPage = definePage({
  path: FRONT_DOOR_PATHS.worktray,
  view: 'front-door/views/worktray.njk',
  access: 'contact:read',
  title: 'Front door',
  query: z.object({
    status: z
      .enum(Object.keys(STATUS_FILTERS) as [StatusFilter, ...StatusFilter[]])
      .catch('open')
      .default('open'),
    page: pageNumber,
  }),
  // A list that names children records the view, like every page showing a record: which contacts and children.
  audit: {
    action: 'contacts.listed',
    subjectType: 'contact',
    subject: (ctx, data: { rows: { id: string; children: { personId: string | null }[] }[] }) => ({
      details: {
        status: ctx.query.status,
        page: ctx.query.page,
        contacts: data.rows.map((r) => r.id),
        children: [
          ...new Set(
            data.rows.flatMap((r) => r.children.map((c) => c.personId)).filter((id): id is string => !!id),
          ),
        ],
      },
    }),
  },
  load: async (ctx) => {
    const calendar = ctx.services.calendar;
    const today = isoDateOf(ctx.now);
    const { rows, total } = await openContacts(ctx.db, {
      localAuthorityIds: ctx.user.localAuthorityIds,
      statuses: STATUS_FILTERS[ctx.query.status],
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      filter: ctx.query.status,
      filters: (Object.keys(STATUS_FILTERS) as StatusFilter[]).map((k) => ({
        value: k,
        text: k === 'open' ? 'All open contacts' : STATUS_LABELS[k],
        href: k === 'open' ? FRONT_DOOR_PATHS.worktray : `${FRONT_DOOR_PATHS.worktray}?status=${k}`,
        current: k === ctx.query.status,
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      canCreate: ctx.user.permissions.has('contact:create'),
      canMeet: ctx.user.permissions.has('mash-meeting:manage'),
      rows: rows.map((r) => {
        const deadline = nextDeadline(r);
        const decision = describeDaysLeft(calendar, today, r.decisionDueOn, {
          now: ctx.now,
          dueAt: r.decisionDueAt,
        });
        const info = deadline.informationDueAt
          ? describeHoursLeft(calendar, ctx.now, deadline.informationDueAt)
          : null;
        return {
          ...r,
          href: contactPath(r.id),
          childNames: r.children.map((c) => childName(c)).join(', '),
          statusLabel: STATUS_LABELS[r.status as ContactStatus],
          ragLabel: r.rag ? RAG_LABELS[r.rag as Rag] : null,
          decisionDueText: formatDateGovUk(r.decisionDueOn),
          decision,
          info,
          informationDueAt: deadline.informationDueAt,
          overdue: decision.overdue || !!info?.overdue,
          openRequests: r.openRequests.length,
          overdueRequests: r.openRequests.filter((q) => q.dueAt.getTime() < ctx.now.getTime()).length,
        };
      }),
    };
  },
});

/** Problems from createContact mapped onto the form's flat field names (children.0.givenName → child1GivenName). */
function formErrorsFrom(error: ContactInputError): FieldError[] {
  return error.problems.map((p) => {
    const parts = p.path.split('.');
    const cap = (s: string | undefined) => (s ? s[0]!.toUpperCase() + s.slice(1) : '');
    let field = parts[0] ?? 'form';
    if ((parts[0] === 'children' || parts[0] === 'adults') && parts[1] !== undefined) {
      field = `${parts[0] === 'children' ? 'child' : 'adult'}${Number(parts[1]) + 1}${cap(parts[2] ?? 'givenName')}`;
    } else if (parts[0] === 'referrer') field = `referrer${cap(parts[1])}`;
    else if (parts[0] === 'concernCategories') field = 'concernCategories';
    else if (parts[0] === 'receivedAt') field = 'receivedOn';
    const href = field.endsWith('DateOfBirth') || field === 'receivedOn' ? `#${field}-day` : `#${field}`;
    return fieldError(field, p.message, href);
  });
}

async function newContactData(ctx: PageContext<Record<string, never>, Record<string, never>>) {
  const body =
    ctx.request.method === 'POST'
      ? (ctx.request.body as Record<string, unknown>)
      : await loadDraft(ctx.db, ctx.user.id, FRONT_DOOR_PATHS.newContact);
  const [concerns, roles, las, agencies] = await Promise.all([
    codeList(ctx.db, 'contact-concern'),
    codeList(ctx.db, 'contact-adult-role'),
    usersLocalAuthorities(ctx),
    allAgencies(ctx),
  ]);
  return {
    rows: rowsToShow(body),
    lists: {
      channels: STAFF_CHANNELS.map((c) => ({ value: c, text: CHANNEL_LABELS[c] })),
      sources: REFERRAL_SOURCES.map((s) => ({ value: s.code, text: `${s.code}: ${s.label}` })),
      concerns,
      adultRoles: roles,
      consent: CONSENT_VALUES.map((c) => ({ value: c, text: CONSENT_LABELS[c], hint: CONSENT_HINTS[c] })),
      urgency: URGENCY_VALUES.map((u) => ({ value: u, text: URGENCY_LABELS[u] })),
      sex: [
        { value: 'F', text: 'Female' },
        { value: 'M', text: 'Male' },
        { value: 'U', text: 'Not known' },
      ],
      localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
      agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
    },
    defaultLocalAuthorityId: ctx.user.localAuthorityId,
    severalAuthorities: las.length > 1,
    // The usual answer: it came in today.
    defaults: dateToParts('receivedOn', isoDateOf(ctx.now)),
  };
}

export const newContactPage = definePage({
  path: FRONT_DOOR_PATHS.newContact,
  view: 'front-door/views/contact-new.njk',
  access: 'contact:create',
  title: 'Record a contact',
  form: ({ today }) => recordContactForm({ today }),
  load: (ctx) => newContactData(ctx),
  submit: async (ctx, form) => {
    if (form.action === 'more-rows') return { render: await newContactData(ctx) };
    const localAuthorityId = form.localAuthorityId ?? ctx.user.localAuthorityId;
    if (!localAuthorityId) return { errors: [fieldError('localAuthorityId', 'Select the local authority')] };
    // The date opens as today (the usual answer): today without a time means it came in just now.
    const justNow = !form.receivedOn || (form.receivedOn === isoDateOf(ctx.now) && !form.receivedTime);
    const receivedAt = justNow ? undefined : instantAt(form.receivedOn!, form.receivedTime ?? '09:00');
    const input: ContactInput = {
      localAuthorityId,
      receivedAt,
      channel: form.channel,
      referralSource: form.referralSource,
      referrer: {
        name: form.referrerName,
        role: form.referrerRole,
        organisation: form.referrerOrganisation,
        agencyId: form.referrerAgencyId,
        phone: form.referrerPhone,
        email: form.referrerEmail,
      },
      concernCategories: form.concernCategories,
      reason: form.reason,
      consent: form.consent,
      consentRationale: form.consentRationale,
      urgency: form.urgency,
      children: form.children,
      adults: form.adults,
    };
    try {
      const created = await createContact(ctx, input);
      ctx.flash(
        `Contact ${created.reference} recorded. A decision is due by the end of ${formatDateGovUk(created.decisionDueOn)}.`,
      );
      return contactPath(created.id);
    } catch (error) {
      if (error instanceof ContactInputError) return { errors: formErrorsFrom(error) };
      throw error;
    }
  },
});

async function loadContactPage(ctx: PageContext<{ contactId: string }, Record<string, never>>) {
  const view = await loadContactView(ctx, ctx.params.contactId);
  const p = ctx.user.permissions;
  const open = ['awaiting-screening', 'awaiting-decision', 'mash-enquiry'].includes(view.contact.status);
  return {
    view,
    can: {
      screen: p.has('contact:screen') && open,
      relate: p.has('contact:screen') && p.has('child:write'),
      addCall: p.has('contact:create') && view.contact.status !== 'completed',
      request: p.has('information-request:create') && open && !!view.contact.rag,
      decide: p.has('contact:decide') && open && view.allChildrenLinked,
      decideBlocked: p.has('contact:decide') && open && !view.allChildrenLinked,
      authorise:
        p.has('contact:authorise') &&
        view.contact.status === 'awaiting-authorisation' &&
        view.liveDecision?.decidedBy !== ctx.user.id,
      feedback: p.has('contact:screen') && view.liveDecision?.status === 'authorised',
      strategy:
        p.has('contact:decide') &&
        view.liveDecision?.outcome === 'strategy-discussion' &&
        view.liveDecision.status === 'authorised',
    },
    paths: {
      mashEnquiry: pathTo(FRONT_DOOR_PATHS.mashEnquiry, ctx.params),
      addCall: addCallPath(ctx.params.contactId),
      newRequest: pathTo(FRONT_DOOR_PATHS.newRequest, ctx.params),
      decision: pathTo(FRONT_DOOR_PATHS.decision, ctx.params),
      authorisation: pathTo(FRONT_DOOR_PATHS.authorisation, ctx.params),
      strategy: pathTo(FRONT_DOOR_PATHS.strategyDiscussion, ctx.params),
      feedback: pathTo(FRONT_DOOR_PATHS.referrerFeedback, ctx.params),
      check: (childId: string) =>
        pathTo(FRONT_DOOR_PATHS.childCheck, { contactId: ctx.params.contactId, childId }),
      adultCheck: (contactAdultId: string) =>
        pathTo(FRONT_DOOR_PATHS.adultCheck, { contactId: ctx.params.contactId, contactAdultId }),
      adultRelationships: (contactAdultId: string) =>
        adultRelationshipsPath(ctx.params.contactId, contactAdultId),
      reminder: (requestId: string) =>
        pathTo(FRONT_DOOR_PATHS.reminder, { contactId: ctx.params.contactId, requestId }),
    },
  };
}

export const contactPage = definePage({
  path: FRONT_DOOR_PATHS.contact,
  view: 'front-door/views/contact.njk',
  access: 'contact:read',
  title: (data: Awaited<ReturnType<typeof loadContactPage>>) => `Contact ${data.view.contact.reference}`,
  params: contactParams,
  audit: {
    action: 'contact.viewed',
    subjectType: 'contact',
    subject: (ctx, data) => ({
      subjectId: ctx.params.contactId,
      childId: data.view.children.find((c) => c.personId)?.personId ?? null,
      details: { children: data.view.children.map((c) => c.personId).filter((id): id is string => !!id) },
    }),
  },
  load: loadContactPage,
});

const optionalQuery = z.string().max(200).optional().catch(undefined);

/** The search a "check if known" page (child or adult) runs again with what the worker typed. */
const checkQuery = z.object({
  name: optionalQuery,
  'dob-day': optionalQuery,
  'dob-month': optionalQuery,
  'dob-year': optionalQuery,
});

/** What the worker typed, when they searched again (undefined: search with what the contact recorded). */
function typedCriteria(
  q: z.infer<typeof checkQuery>,
): { name: string | undefined; dateOfBirth: string | undefined } | undefined {
  let dob: string | undefined;
  if (q['dob-day'] && q['dob-month'] && q['dob-year']) {
    const iso = `${q['dob-year'].padStart(4, '0')}-${q['dob-month'].padStart(2, '0')}-${q['dob-day'].padStart(2, '0')}`;
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) dob = iso;
  }
  return q.name !== undefined || dob !== undefined ? { name: q.name, dateOfBirth: dob } : undefined;
}

/** The search form's values for the criteria the check used. */
function searchValuesFrom(criteria: {
  name?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
}) {
  const [y, m, d] = (criteria.dateOfBirth ?? '').split('-');
  return {
    name: criteria.name ?? '',
    'dob-day': d ? String(Number(d)) : '',
    'dob-month': m ? String(Number(m)) : '',
    'dob-year': y ?? '',
  };
}

/** The known-to-services check's form: link a record from the list, or create a new one. */
const checkFormFields = {
  action: choice(['link', 'create'] as const, 'Choose a record, or create a new one'),
  personId: z.preprocess(
    (v) => (typeof v === 'string' && v ? v : undefined),
    z.uuid({ message: 'Choose a record from the list' }).optional(),
  ),
  /** The record the person was linked to when the page was shown ('' for none): a later link by someone else is a 409. */
  linkedPersonId: z.preprocess(
    (v) => (typeof v === 'string' ? v : undefined),
    z.union([z.literal(''), z.uuid()], { message: 'The page was out of date: open it again' }),
  ),
};

const chooseARecord = { errors: [fieldError('personId', 'Choose a record from the list')] };

/**
 * The search behind a known-to-services check, in the audit trail (what was looked for, what was shown: records,
 * and other open contacts naming someone who matches).
 */
async function auditCheckSearch(
  ctx: Pick<PageContext<{ contactId: string }>, 'params' | 'audit'>,
  details: { purpose: string; contactChildId?: string; contactAdultId?: string },
  found: { results: readonly { id: string }[]; onOpenContacts: readonly OpenContactMatch[] },
): Promise<void> {
  const { results, onOpenContacts } = found;
  await ctx.audit({
    action: 'people.searched',
    subjectType: 'contact',
    subjectId: ctx.params.contactId,
    details: {
      ...details,
      results: results.length,
      resultIds: results.slice(0, 20).map((r) => r.id),
      openContactIds: [...new Set(onOpenContacts.map((m) => m.contactId))].slice(0, 20),
    },
  });
}

/** What both check pages show: the contact, the results, the search form and whether a record may be made. */
function checkView(
  ctx: Pick<PageContext<{ contactId: string }>, 'params' | 'user'>,
  found: {
    criteria: { name?: string | null | undefined; dateOfBirth?: string | null | undefined };
    onOpenContacts: readonly OpenContactMatch[];
  },
  linked: boolean,
) {
  const canAddCall = ctx.user.permissions.has('contact:create');
  return {
    searchValues: searchValuesFrom(found.criteria),
    contactHref: contactPath(ctx.params.contactId),
    canCreate: ctx.user.permissions.has('person:create') && !linked,
    onOpenContacts: found.onOpenContacts.map((m) => ({
      ...m,
      href: contactPath(m.contactId),
      addCallHref: canAddCall ? addCallPath(m.contactId) : null,
    })),
  };
}

export const childCheckPage = definePage({
  path: FRONT_DOOR_PATHS.childCheck,
  view: 'front-door/views/child-check.njk',
  access: 'contact:screen',
  title: 'Is this child known to services?',
  params: z.object({ contactId: z.uuid(), childId: z.uuid() }),
  query: checkQuery,
  drafts: false,
  form: z.object(checkFormFields),
  load: async (ctx) => {
    const ids = { contactId: ctx.params.contactId, childId: ctx.params.childId };
    const found = await candidatesFor(ctx, { ...ids, criteria: typedCriteria(ctx.query) });
    const details = { purpose: 'known-to-services check', contactChildId: ids.childId };
    await auditCheckSearch(ctx, details, found);
    return {
      contact: found.contact,
      child: { ...found.child, name: childName(found.child) },
      results: found.results,
      ...checkView(ctx, found, !!found.child.personId),
    };
  },
  submit: async (ctx, form) => {
    const ids = { contactId: ctx.params.contactId, childId: ctx.params.childId };
    if (form.action === 'link') {
      if (!form.personId) return chooseARecord;
      await linkContactChild(ctx, { ...ids, personId: form.personId, seenPersonId: form.linkedPersonId });
      ctx.flash('The child is linked to their record. What is already known is recorded on the contact.');
    } else {
      await createRecordForContactChild(ctx, { ...ids, seenPersonId: form.linkedPersonId });
      ctx.flash('A new record was created for the child and linked to the contact.');
    }
    return contactPath(ctx.params.contactId);
  },
});

/** Screening an adult named on the contact: link them to an adult's record, or create one (after the duplicate check). */
export const adultCheckPage = definePage({
  path: FRONT_DOOR_PATHS.adultCheck,
  view: 'front-door/views/adult-check.njk',
  access: 'contact:screen',
  title: 'Is this adult known to services?',
  params: z.object({ contactId: z.uuid(), contactAdultId: z.uuid() }),
  query: checkQuery,
  drafts: false,
  form: z.object({ ...checkFormFields, notADuplicate: checkbox() }),
  load: async (ctx) => {
    const ids = { contactId: ctx.params.contactId, adultId: ctx.params.contactAdultId };
    const found = await adultCandidatesFor(ctx, { ...ids, criteria: typedCriteria(ctx.query) });
    const details = { purpose: 'known-to-services check (adult)', contactAdultId: ids.adultId };
    await auditCheckSearch(ctx, details, found);
    return {
      contact: found.contact,
      adult: { ...found.adult, name: childName(found.adult) },
      results: found.results,
      likelyMatches: found.results.filter((r) => r.confidence !== 'weak').length,
      ...checkView(ctx, found, !!found.adult.personId),
    };
  },
  submit: async (ctx, form) => {
    const ids = { contactId: ctx.params.contactId, adultId: ctx.params.contactAdultId };
    if (form.action === 'link') {
      if (!form.personId) return chooseARecord;
      await linkContactAdult(ctx, { ...ids, personId: form.personId, seenPersonId: form.linkedPersonId });
      ctx.flash('The adult is linked to their record.');
    } else {
      await createRecordForContactAdult(ctx, {
        ...ids,
        notADuplicate: form.notADuplicate,
        seenPersonId: form.linkedPersonId,
      });
      ctx.flash('A new record was created for the adult and linked to the contact.');
    }
    // Next, their relationship to the children already linked, from the contact's words, for the worker to confirm.
    const linkedChildren = await linkedChildIds(ctx.db, ctx.params.contactId);
    return ctx.user.permissions.has('child:write') && linkedChildren.length
      ? adultRelationshipsPath(ctx.params.contactId, ctx.params.contactAdultId)
      : contactPath(ctx.params.contactId);
  },
});

/** A rating's hint: when partners' information would be due, and whether that is after the decision deadline. */
function ragHint(rag: Rag, informationDueAt: Date, decisionDueAt: Date): string {
  const due = `${RAG_HINTS[rag]}. If rated now, information is due by ${formatDateTimeGovUk(informationDueAt)}`;
  return informationDueAt.getTime() > decisionDueAt.getTime()
    ? `${due}, after the decision deadline: the decision is still due by ${formatDateTimeGovUk(decisionDueAt)}.`
    : `${due}.`;
}

export const mashEnquiryPage = definePage({
  path: FRONT_DOOR_PATHS.mashEnquiry,
  view: 'front-door/views/mash-enquiry.njk',
  access: 'contact:screen',
  title: 'MASH enquiry: RAG rating',
  audit: contactViewAudit('mash-enquiry'),
  params: contactParams,
  drafts: false,
  form: z.object({
    rag: choice(RAG_VALUES, 'Select a RAG rating'),
    rationale: requiredText('Explain the rating', 4000, 'The explanation must be 4,000 characters or fewer'),
    version: versionField,
  }),
  load: async (ctx) => {
    const contact = await requireContact(ctx, ctx.params.contactId);
    const closed = !['awaiting-screening', 'awaiting-decision', 'mash-enquiry'].includes(contact.status);
    const settings = await frontDoorSettings(ctx.db, contact.localAuthorityId);
    const calendar = ctx.services.calendar;
    return {
      contact,
      closed,
      contactHref: contactPath(contact.id),
      ragOptions: RAG_VALUES.map((r) => ({
        value: r,
        text: `${RAG_LABELS[r]}: ${settings.ragHours[r]} working hours`,
        hint: ragHint(r, calendar.addWorkingHours(ctx.now, settings.ragHours[r]), contact.decisionDueAt),
      })),
      decisionDueText: formatDateTimeGovUk(contact.decisionDueAt),
      current: {
        rag: contact.rag ?? '',
        rationale: contact.ragRationale ?? '',
        version: String(contact.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { informationDueAt } = await setRag(ctx, {
      contactId: ctx.params.contactId,
      rag: form.rag,
      rationale: form.rationale,
      version: form.version,
    });
    ctx.flash(
      `RAG rating ${RAG_LABELS[form.rag]}: partners’ information is due by ${formatDateTimeGovUk(informationDueAt)}.`,
    );
    return contactPath(ctx.params.contactId);
  },
});

export const newRequestPage = definePage({
  path: FRONT_DOOR_PATHS.newRequest,
  view: 'front-door/views/request-new.njk',
  access: 'information-request:create',
  title: 'Request information from a partner agency',
  audit: contactViewAudit('information-request'),
  params: contactParams,
  form: z.object({
    agencyId: z.preprocess(
      (v) => (typeof v === 'string' && v ? v : undefined),
      z.uuid({ message: 'Select the agency' }),
    ),
    requestType: requiredText('Select the kind of request', 40),
    question: requiredText(
      'Enter what you need to know',
      4000,
      'The question must be 4,000 characters or fewer',
    ),
  }),
  load: async (ctx) => {
    const contact = await requireContact(ctx, ctx.params.contactId);
    const agencies = await agenciesServing(ctx, contact.localAuthorityId);
    const existing = await requestsForContact(ctx.db, contact.id);
    return {
      contact,
      contactHref: contactPath(contact.id),
      dueText: contact.informationDueAt ? formatDateTimeGovUk(contact.informationDueAt) : null,
      agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
      types: await codeList(ctx.db, 'information-request-type'),
      existing,
    };
  },
  submit: async (ctx, form) => {
    const { dueAt } = await createInformationRequest(ctx, { contactId: ctx.params.contactId, ...form });
    ctx.flash(`Request sent. The information is due by ${formatDateTimeGovUk(dueAt)}.`);
    return contactPath(ctx.params.contactId);
  },
});

export const reminderPage = definePage({
  path: FRONT_DOOR_PATHS.reminder,
  view: 'front-door/views/reminder.njk',
  access: 'information-request:create',
  title: 'Send a reminder',
  audit: contactViewAudit('reminder'),
  params: z.object({ contactId: z.uuid(), requestId: z.uuid() }),
  drafts: false,
  form: z.object({
    confirm: z.preprocess(
      (v) => (typeof v === 'string' ? v : ''),
      z.literal('yes', { message: 'Confirm you want to send a reminder' }),
    ),
  }),
  load: async (ctx) => {
    const contact = await requireContact(ctx, ctx.params.contactId);
    const request = (await requestsForContact(ctx.db, contact.id)).find((r) => r.id === ctx.params.requestId);
    if (!request) throw new NotFoundError();
    return {
      contact,
      request: {
        ...request,
        overdue: request.status === 'open' && request.dueAt.getTime() < ctx.now.getTime(),
        dueText: formatDateTimeGovUk(request.dueAt),
      },
      contactHref: contactPath(contact.id),
    };
  },
  submit: async (ctx) => {
    const sent = await sendReminder(ctx, {
      contactId: ctx.params.contactId,
      requestId: ctx.params.requestId,
    });
    ctx.flash(`Reminder sent to ${sent.agencyName}${sent.agencyEmail ? ` (${sent.agencyEmail})` : ''}.`);
    return contactPath(ctx.params.contactId);
  },
});

export const contactPages = [
  worktrayPage,
  newContactPage,
  contactPage,
  childCheckPage,
  adultCheckPage,
  mashEnquiryPage,
  newRequestPage,
  reminderPage,
];
