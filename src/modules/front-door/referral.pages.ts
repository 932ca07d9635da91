import { z } from 'zod';
import { agencyName } from './organisation-lookups.service.ts';
import { BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { fieldError, type FieldError } from '../../web/forms/errors.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage, Redirect, redirectTo, type AuditSpec, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import {
  CONSENT_HINTS,
  CONSENT_LABELS,
  CONSENT_VALUES,
  URGENCY_LABELS,
  URGENCY_VALUES,
  type Consent,
  type Urgency,
} from './contact.ts';
import { ContactInputError } from './contact.service.ts';
import {
  MAX_REFERRAL_PEOPLE,
  missingAnswers,
  personName,
  REFERRAL_PATHS,
  SECTIONS,
  sectionForProblem,
  type ReferralAdult,
  type ReferralAnswers,
  type ReferralChild,
  type Section,
} from './referral.ts';
import { nextAfter, sectionPath } from './paths.ts';
import {
  aboutYouForm,
  addAdultForm,
  addAnotherChildForm,
  adultForm,
  childForm,
  concernsForm,
  consentForm,
  deleteDraftForm,
  emptyForm,
  localAuthorityForm,
  removeForm,
  urgencyForm,
  whatHappenedForm,
} from './referral.schemas.ts';
import {
  deleteReferralDraft,
  referralsSentBy,
  requireDraft,
  referrerAgencyName,
  requireOwnReferral,
  saveReferralAnswers,
  servedLocalAuthorities,
  startReferralDraft,
  submitReferralDraft,
  unsentDrafts,
  type DraftView,
} from './referral.service.ts';
import { codeLabels, codeList } from './settings.ts';

/**
 * The partner online referral form (permission referral:submit): a start page, one question per page, "add
 * another" lists for children and adults, check your answers with change links, and a confirmation with the
 * reference. Every answer is saved on the server as soon as a page is sent (referral_drafts), so a partner can
 * leave and come back; "Your referrals" lists their drafts and the referrals they have sent, and each sent
 * referral has a status page with the feedback written for them.
 */

const PAGE_SIZE = 20;
const draftParams = z.object({ draftId: z.uuid() });
const positionParams = z.object({ draftId: z.uuid(), position: z.string().regex(/^(new|[1-9][0-9]?)$/) });
const contactParams = z.object({ contactId: z.uuid() });
const returnQuery = z.object({ returnTo: z.enum(['check']).optional().catch(undefined) });

type DraftParams = z.output<typeof draftParams>;
type ReturnQuery = z.output<typeof returnQuery>;
type DraftCtx<P extends DraftParams = DraftParams> = PageContext<P, ReturnQuery>;

const referralPath = (contactId: string) => pathTo(REFERRAL_PATHS.referral, { contactId });
const confirmationPath = (contactId: string) => pathTo(REFERRAL_PATHS.confirmation, { contactId });
const withReturn = (path: string, returnTo: string | undefined) =>
  returnTo === 'check' ? `${path}?returnTo=check` : path;

function draftAudit<P extends DraftParams, D>(page: string): AuditSpec<P, ReturnQuery, D> {
  return {
    action: 'referral-draft.viewed',
    subjectType: 'referral-draft',
    subject: (ctx) => ({ subjectId: ctx.params.draftId, details: { page } }),
  };
}

/** The draft, if it is this user's and not yet sent (a sent one sends them to its status page). */
async function openDraft<P extends DraftParams>(ctx: DraftCtx<P>): Promise<DraftView | Redirect> {
  const draft = await requireDraft(ctx, ctx.params.draftId);
  if (draft.contactId) return redirectTo(referralPath(draft.contactId));
  return draft;
}

async function severalAuthorities(ctx: Pick<PageContext<unknown, unknown>, 'db' | 'user'>): Promise<boolean> {
  return ctx.user.agencyId ? (await servedLocalAuthorities(ctx.db, ctx.user.agencyId)).length > 1 : false;
}

/** The back link: the check page when changing an answer, otherwise the question before. */
async function frame<P extends DraftParams>(ctx: DraftCtx<P>, section: Section) {
  const several = await severalAuthorities(ctx);
  const order = SECTIONS.filter((s) => s !== 'localAuthority' || several);
  const i = order.indexOf(section);
  const back =
    ctx.query.returnTo === 'check'
      ? sectionPath('check', ctx.params.draftId)
      : i > 0
        ? sectionPath(order[i - 1]!, ctx.params.draftId)
        : REFERRAL_PATHS.list;
  return {
    draftId: ctx.params.draftId,
    backHref: back,
    returnTo: ctx.query.returnTo ?? '',
    severalAuthorities: several,
  };
}

async function save<P extends DraftParams>(
  ctx: DraftCtx<P>,
  page: string,
  change: (a: ReferralAnswers) => ReferralAnswers,
): Promise<ReferralAnswers> {
  return saveReferralAnswers(ctx, { draftId: ctx.params.draftId, page, change });
}

// ------------------------------------------------------------------------------------------------------
// Your referrals, and starting one

export const referralsPage = definePage({
  path: REFERRAL_PATHS.list,
  view: 'front-door/views/referrals.njk',
  access: 'referral:submit',
  title: 'Your referrals',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) }),
  audit: { action: 'referral.list-viewed', subjectType: 'referral' },
  load: async (ctx) => {
    const drafts = await unsentDrafts(ctx.db, ctx.user.id);
    const sent = await referralsSentBy(ctx, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      drafts: drafts.map((d) => ({
        ...d,
        href: sectionPath(d.resumeAt ?? 'check', d.id),
        deleteHref: pathTo(REFERRAL_PATHS.deleteDraft, { draftId: d.id }),
      })),
      sent: sent.rows.map((r) => ({ ...r, href: referralPath(r.id) })),
      total: sent.total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, sent.total),
    };
  },
});

export const startReferralPage = definePage({
  path: REFERRAL_PATHS.start,
  view: 'front-door/views/referral-start.njk',
  access: 'referral:submit',
  title: 'Make a referral to children’s services',
  drafts: false,
  form: emptyForm,
  load: async (ctx) => {
    const agency = ctx.user.agencyId ? await agencyName(ctx, ctx.user.agencyId) : undefined;
    if (agency === undefined) throw new NotFoundError();
    return { agencyName: agency };
  },
  submit: async (ctx) => {
    const { id } = await startReferralDraft(ctx);
    const several = await severalAuthorities(ctx);
    return sectionPath(several ? 'localAuthority' : 'children', id);
  },
});

// ------------------------------------------------------------------------------------------------------
// The questions

/**
 * One question of the form: its page shows the answer saved so far (`show`), and a good answer (`answer` gives
 * the change, or field errors) is saved and leads to the next question, or back to "Check your answers".
 */
function questionPage<F, D extends object>(spec: {
  section: Section;
  /** The page's name in the audit trail ('what-happened'). */
  page: string;
  path: string;
  view: string;
  title: string;
  form: z.ZodType<F>;
  show: (ctx: DraftCtx, answers: ReferralAnswers) => D | Promise<D>;
  answer: (
    ctx: DraftCtx,
    form: F,
  ) => Promise<((answers: ReferralAnswers) => ReferralAnswers) | { errors: FieldError[] }>;
}) {
  return definePage({
    path: spec.path,
    view: spec.view,
    access: 'referral:submit',
    title: spec.title,
    params: draftParams,
    query: returnQuery,
    audit: draftAudit(spec.page),
    form: spec.form,
    load: async (ctx) => {
      const draft = await openDraft(ctx);
      if (draft instanceof Redirect) return draft;
      return { ...(await frame(ctx, spec.section)), ...(await spec.show(ctx, draft.answers)) };
    },
    submit: async (ctx, form) => {
      const change = await spec.answer(ctx, form);
      if (typeof change !== 'function') return change;
      await save(ctx, spec.page, change);
      return nextAfter(spec.section, ctx.params.draftId, ctx.query.returnTo);
    },
  });
}

export const referralLocalAuthorityPage = questionPage({
  section: 'localAuthority',
  page: 'local-authority',
  path: REFERRAL_PATHS.localAuthority,
  view: 'front-door/views/referral-local-authority.njk',
  title: 'Which local authority does the child live in?',
  form: localAuthorityForm,
  show: async (ctx, answers) => ({
    options: (await servedLocalAuthorities(ctx.db, ctx.user.agencyId!)).map((l) => ({
      value: l.id,
      text: l.name,
    })),
    saved: { localAuthorityId: answers.localAuthorityId ?? '' },
  }),
  answer: async (ctx, form) => {
    const served = await servedLocalAuthorities(ctx.db, ctx.user.agencyId!);
    if (!served.some((l) => l.id === form.localAuthorityId))
      return { errors: [fieldError('localAuthorityId', 'Select the local authority where the child lives')] };
    return (a) => ({ ...a, localAuthorityId: form.localAuthorityId });
  },
});

// The children and the adults: each an "add another" list, a page per person, and a page to remove one. One
// factory makes the list and remove pages of both; the person pages differ in their questions.

type PeopleKey = 'children' | 'adults';

interface PeopleSpec {
  key: PeopleKey;
  /** 'child' or 'adult': the person page's audit name, and 'remove-child' … */
  one: 'child' | 'adult';
  listPath: (typeof REFERRAL_PATHS)['children' | 'adults'];
  personPath: (typeof REFERRAL_PATHS)['child' | 'adult'];
  removePath: (typeof REFERRAL_PATHS)['removeChild' | 'removeAdult'];
  form: typeof addAnotherChildForm | typeof addAdultForm;
  title: (count: number) => string;
  question: (count: number) => string;
  hint: string;
  /** What the list says under each person's name. */
  detail: (ctx: DraftCtx, answers: ReferralAnswers) => Promise<(index: number) => string>;
  /** Whether "no" needs at least one person first (a referral is about at least one child). */
  requireOne?: string;
}

type ReferralPerson = ReferralChild | ReferralAdult;

const peopleOf = (answers: ReferralAnswers, key: PeopleKey): readonly ReferralPerson[] =>
  key === 'children' ? answers.children : answers.adults;

/** The answers with one list of people changed (the spec's key says which kind of person the list holds). */
function changePeople(
  answers: ReferralAnswers,
  key: PeopleKey,
  change: (people: readonly ReferralPerson[]) => ReferralPerson[],
): ReferralAnswers {
  return key === 'children'
    ? { ...answers, children: change(answers.children) as ReferralChild[] }
    : { ...answers, adults: change(answers.adults) as ReferralAdult[] };
}

function positionOf(position: string, count: number): number | 'new' {
  if (position === 'new') return 'new';
  const n = Number(position);
  if (n < 1 || n > count) throw new NotFoundError();
  return n;
}

/** The person at :position (404 for one not on the draft; 'new' is not a person to remove). */
function existingPosition(spec: PeopleSpec, position: string, answers: ReferralAnswers): number {
  const n = positionOf(position, peopleOf(answers, spec.key).length);
  if (n === 'new') throw new NotFoundError();
  return n;
}

const personHref = (spec: PeopleSpec, draftId: string, position: string, returnTo: string | undefined) =>
  withReturn(pathTo(spec.personPath, { draftId, position }), returnTo);
const listHref = (spec: PeopleSpec, draftId: string, returnTo: string | undefined) =>
  withReturn(pathTo(spec.listPath, { draftId }), returnTo);
const tooMany = (spec: PeopleSpec) => `A referral can name up to ${MAX_REFERRAL_PEOPLE} ${spec.key}`;

function peopleListPage(spec: PeopleSpec) {
  return definePage({
    path: spec.listPath,
    view: 'front-door/views/referral-people.njk',
    access: 'referral:submit',
    title: (d: { people: unknown[] }) => spec.title(d.people.length),
    params: draftParams,
    query: returnQuery,
    audit: draftAudit(spec.key),
    form: spec.form,
    load: async (ctx) => {
      const draft = await openDraft(ctx);
      if (draft instanceof Redirect) return draft;
      const people = peopleOf(draft.answers, spec.key);
      if (spec.requireOne && !people.length)
        return redirectTo(personHref(spec, draft.id, 'new', ctx.query.returnTo));
      const detail = await spec.detail(ctx, draft.answers);
      return {
        ...(await frame(ctx, spec.key)),
        kind: spec.key,
        people: people.map((p, i) => ({
          name: personName(p),
          detail: detail(i),
          changeHref: personHref(spec, draft.id, String(i + 1), ctx.query.returnTo),
          removeHref: withReturn(
            pathTo(spec.removePath, { draftId: draft.id, position: String(i + 1) }),
            ctx.query.returnTo,
          ),
        })),
        full: people.length >= MAX_REFERRAL_PEOPLE,
        question: spec.question(people.length),
        hint: spec.hint,
      };
    },
    submit: async (ctx, form) => {
      const draft = await requireDraft(ctx, ctx.params.draftId);
      const count = peopleOf(draft.answers, spec.key).length;
      if (form.addAnother) {
        if (count >= MAX_REFERRAL_PEOPLE) return { errors: [fieldError('addAnother', tooMany(spec))] };
        return personHref(spec, draft.id, 'new', ctx.query.returnTo);
      }
      if (spec.requireOne && !count) return { errors: [fieldError('addAnother', spec.requireOne)] };
      await save(ctx, spec.key, (a) =>
        spec.key === 'children' ? { ...a, childrenDone: true } : { ...a, adultsDone: true },
      );
      return nextAfter(spec.key, ctx.params.draftId, ctx.query.returnTo);
    },
  });
}

function removePersonPage(spec: PeopleSpec) {
  return definePage({
    path: spec.removePath,
    view: 'front-door/views/referral-remove.njk',
    access: 'referral:submit',
    title: (d: { heading: string }) => d.heading,
    params: positionParams,
    query: returnQuery,
    audit: draftAudit(`remove-${spec.one}`),
    drafts: false,
    form: removeForm,
    load: async (ctx) => {
      const draft = await openDraft(ctx);
      if (draft instanceof Redirect) return draft;
      const position = existingPosition(spec, ctx.params.position, draft.answers);
      return {
        heading: `Are you sure you want to remove ${personName(peopleOf(draft.answers, spec.key)[position - 1]!)}?`,
        backHref: listHref(spec, draft.id, ctx.query.returnTo),
      };
    },
    submit: async (ctx, form) => {
      const draft = await requireDraft(ctx, ctx.params.draftId);
      const position = existingPosition(spec, ctx.params.position, draft.answers);
      if (form.confirm) {
        await save(ctx, `remove-${spec.one}`, (a) =>
          changePeople(a, spec.key, (people) => people.filter((_, i) => i !== position - 1)),
        );
        ctx.flash(
          `${personName(peopleOf(draft.answers, spec.key)[position - 1]!)} has been removed from the referral`,
        );
      }
      return listHref(spec, ctx.params.draftId, ctx.query.returnTo);
    },
  });
}

/** The person page's answer saved: a new person at the end, or the one at :position replaced. */
async function savePerson(
  ctx: DraftCtx<z.output<typeof positionParams>>,
  spec: PeopleSpec,
  person: ReferralPerson,
): Promise<string> {
  const draft = await requireDraft(ctx, ctx.params.draftId);
  const position = positionOf(ctx.params.position, peopleOf(draft.answers, spec.key).length);
  if (position === 'new' && peopleOf(draft.answers, spec.key).length >= MAX_REFERRAL_PEOPLE)
    throw new BusinessRuleError('givenName', tooMany(spec));
  await save(ctx, spec.one, (a) =>
    changePeople(a, spec.key, (people) =>
      position === 'new' ? [...people, person] : people.map((p, i) => (i === position - 1 ? person : p)),
    ),
  );
  return listHref(spec, ctx.params.draftId, ctx.query.returnTo);
}

const CHILDREN: PeopleSpec = {
  key: 'children',
  one: 'child',
  listPath: REFERRAL_PATHS.children,
  personPath: REFERRAL_PATHS.child,
  removePath: REFERRAL_PATHS.removeChild,
  form: addAnotherChildForm,
  title: (n) => (n === 1 ? 'You have added 1 child' : `You have added ${n} children`),
  question: () => 'Do you need to add another child?',
  hint: 'Add every child the referral is about, including brothers and sisters and an unborn baby.',
  detail: async (_ctx, answers) => (i) => {
    const c = answers.children[i]!;
    return c.born === 'yes' && c.dateOfBirth
      ? `Born ${formatDateGovUk(c.dateOfBirth)}`
      : c.born === 'no' && c.expectedDateOfBirth
        ? `Unborn, due ${formatDateGovUk(c.expectedDateOfBirth)}`
        : 'Date of birth not known';
  },
  requireOne: 'Add at least one child',
};

const ADULTS: PeopleSpec = {
  key: 'adults',
  one: 'adult',
  listPath: REFERRAL_PATHS.adults,
  personPath: REFERRAL_PATHS.adult,
  removePath: REFERRAL_PATHS.removeAdult,
  form: addAdultForm,
  title: (n) =>
    n === 0 ? 'Adults involved' : n === 1 ? 'You have added 1 adult' : `You have added ${n} adults`,
  question: (n) => (n ? 'Do you need to add another adult?' : 'Do you need to tell us about any adults?'),
  hint: 'Parents and carers, anyone else living with the child, and anyone said to have caused harm.',
  detail: async (ctx, answers) => {
    const roles = await codeLabels(ctx.db, 'contact-adult-role');
    return (i) => {
      const role = answers.adults[i]!.role;
      return roles.get(role ?? '') ?? role ?? '';
    };
  },
};

export const referralChildrenPage = peopleListPage(CHILDREN);
export const referralRemoveChildPage = removePersonPage(CHILDREN);
export const referralAdultsPage = peopleListPage(ADULTS);
export const referralRemoveAdultPage = removePersonPage(ADULTS);

export const referralChildPage = definePage({
  path: REFERRAL_PATHS.child,
  view: 'front-door/views/referral-child.njk',
  access: 'referral:submit',
  title: (d: { heading: string }) => d.heading,
  params: positionParams,
  query: returnQuery,
  audit: draftAudit('child'),
  form: ({ today }) => childForm({ today }),
  load: async (ctx) => {
    const draft = await openDraft(ctx);
    if (draft instanceof Redirect) return draft;
    const position = positionOf(ctx.params.position, draft.answers.children.length);
    const child = position === 'new' ? {} : draft.answers.children[position - 1]!;
    const several = await frame(ctx, 'children');
    return {
      ...several,
      backHref: draft.answers.children.length
        ? withReturn(pathTo(REFERRAL_PATHS.children, { draftId: draft.id }), ctx.query.returnTo)
        : several.backHref,
      heading:
        position === 'new'
          ? draft.answers.children.length
            ? 'Add another child'
            : 'Tell us about the child'
          : `Change the details of ${personName(child)}`,
      saved: {
        givenName: child.givenName ?? '',
        familyName: child.familyName ?? '',
        born: child.born ?? '',
        ...dateToParts('dateOfBirth', child.dateOfBirth),
        ...dateToParts('expectedDateOfBirth', child.expectedDateOfBirth),
        addressLine1: child.addressLine1 ?? '',
        town: child.town ?? '',
        postcode: child.postcode ?? '',
        school: child.school ?? '',
      },
    };
  },
  submit: async (ctx, form) =>
    savePerson(ctx, CHILDREN, {
      givenName: form.givenName,
      familyName: form.familyName,
      born: form.born,
      dateOfBirth: form.born === 'yes' ? form.dateOfBirth : undefined,
      expectedDateOfBirth: form.born === 'no' ? form.expectedDateOfBirth : undefined,
      addressLine1: form.addressLine1,
      town: form.town,
      postcode: form.postcode,
      school: form.school,
    }),
});

export const referralAdultPage = definePage({
  path: REFERRAL_PATHS.adult,
  view: 'front-door/views/referral-adult.njk',
  access: 'referral:submit',
  title: (d: { heading: string }) => d.heading,
  params: positionParams,
  query: returnQuery,
  audit: draftAudit('adult'),
  form: ({ today }) => adultForm({ today }),
  load: async (ctx) => {
    const draft = await openDraft(ctx);
    if (draft instanceof Redirect) return draft;
    const position = positionOf(ctx.params.position, draft.answers.adults.length);
    const adult = position === 'new' ? {} : draft.answers.adults[position - 1]!;
    return {
      ...(await frame(ctx, 'adults')),
      backHref: withReturn(pathTo(REFERRAL_PATHS.adults, { draftId: draft.id }), ctx.query.returnTo),
      heading:
        position === 'new' ? 'Tell us about an adult involved' : `Change the details of ${personName(adult)}`,
      roles: await codeList(ctx.db, 'contact-adult-role'),
      saved: {
        givenName: adult.givenName ?? '',
        familyName: adult.familyName ?? '',
        role: adult.role ?? '',
        ...dateToParts('dateOfBirth', adult.dateOfBirth),
        phone: adult.phone ?? '',
        addressLine1: adult.addressLine1 ?? '',
        postcode: adult.postcode ?? '',
      },
    };
  },
  submit: async (ctx, form) => {
    const roles = await codeLabels(ctx.db, 'contact-adult-role');
    if (!roles.has(form.role)) return { errors: [fieldError('role', 'Select how the adult is involved')] };
    return savePerson(ctx, ADULTS, {
      givenName: form.givenName,
      familyName: form.familyName,
      role: form.role,
      dateOfBirth: form.dateOfBirth,
      phone: form.phone,
      addressLine1: form.addressLine1,
      postcode: form.postcode,
    });
  },
});

export const referralConcernsPage = questionPage({
  section: 'concerns',
  page: 'concerns',
  path: REFERRAL_PATHS.concerns,
  view: 'front-door/views/referral-concerns.njk',
  title: 'What is the concern about?',
  form: concernsForm,
  show: async (ctx, answers) => ({
    concerns: await codeList(ctx.db, 'contact-concern'),
    saved: { concernCategories: answers.concernCategories ?? [] },
  }),
  answer: async (ctx, form) => {
    const codes = await codeLabels(ctx.db, 'contact-concern');
    if (form.concernCategories.some((c) => !codes.has(c)))
      return { errors: [fieldError('concernCategories', 'Select what the concern is about from the list')] };
    return (a) => ({ ...a, concernCategories: [...new Set(form.concernCategories)] });
  },
});

export const referralWhatHappenedPage = questionPage({
  section: 'whatHappened',
  page: 'what-happened',
  path: REFERRAL_PATHS.whatHappened,
  view: 'front-door/views/referral-what-happened.njk',
  title: 'What has happened?',
  form: whatHappenedForm,
  show: (_ctx, answers) => ({ saved: { reason: answers.reason ?? '' } }),
  answer: async (_ctx, form) => (a) => ({ ...a, reason: form.reason }),
});

export const referralUrgencyPage = questionPage({
  section: 'urgency',
  page: 'urgency',
  path: REFERRAL_PATHS.urgency,
  view: 'front-door/views/referral-urgency.njk',
  title: 'How urgent is this?',
  form: urgencyForm,
  show: (_ctx, answers) => ({
    options: URGENCY_VALUES.map((u) => ({ value: u, text: URGENCY_LABELS[u] })),
    saved: { urgency: answers.urgency ?? '' },
  }),
  answer: async (_ctx, form) => (a) => ({ ...a, urgency: form.urgency }),
});

export const referralConsentPage = questionPage({
  section: 'consent',
  page: 'consent',
  path: REFERRAL_PATHS.consent,
  view: 'front-door/views/referral-consent.njk',
  title: 'Does the family know about this referral and agree to it?',
  form: consentForm,
  show: (_ctx, a) => ({
    options: CONSENT_VALUES.map((c) => ({
      value: c,
      text: {
        given: 'Yes, they know and agree',
        'not-given': 'No, they were asked and do not agree',
        dispensed: 'No, I have not asked them',
      }[c],
      hint:
        c === 'dispensed'
          ? 'Because asking could put a child at greater risk of harm, or cause delay'
          : undefined,
    })),
    saved: {
      consent: a.consent ?? '',
      notGivenRationale: a.consent === 'not-given' ? (a.consentRationale ?? '') : '',
      dispensedRationale: a.consent === 'dispensed' ? (a.consentRationale ?? '') : '',
    },
  }),
  answer: async (_ctx, form) => {
    const rationale =
      form.consent === 'not-given'
        ? form.notGivenRationale
        : form.consent === 'dispensed'
          ? form.dispensedRationale
          : undefined;
    return (a) => ({ ...a, consent: form.consent, consentRationale: rationale });
  },
});

export const referralAboutYouPage = questionPage({
  section: 'aboutYou',
  page: 'about-you',
  path: REFERRAL_PATHS.aboutYou,
  view: 'front-door/views/referral-about-you.njk',
  title: 'About you',
  form: aboutYouForm,
  show: async (ctx, answers) => {
    const r = answers.referrer ?? {};
    return {
      agencyName: await referrerAgencyName(ctx),
      saved: { name: r.name ?? '', role: r.role ?? '', phone: r.phone ?? '', email: r.email ?? '' },
    };
  },
  answer: async (_ctx, form) => (a) => ({
    ...a,
    referrer: { name: form.name, role: form.role, phone: form.phone, email: form.email },
  }),
});

// ------------------------------------------------------------------------------------------------------
// Check your answers, sending, confirmation

function changeLink(section: Section, draftId: string, position?: number) {
  if (position !== undefined && (section === 'children' || section === 'adults')) {
    return `${pathTo(section === 'children' ? REFERRAL_PATHS.child : REFERRAL_PATHS.adult, { draftId, position: String(position) })}?returnTo=check`;
  }
  return sectionPath(section, draftId, { returnTo: 'check' });
}

async function checkData(ctx: DraftCtx, draft: DraftView) {
  const a = draft.answers;
  const [concerns, roles, las, agency] = await Promise.all([
    codeLabels(ctx.db, 'contact-concern'),
    codeLabels(ctx.db, 'contact-adult-role'),
    servedLocalAuthorities(ctx.db, ctx.user.agencyId!),
    referrerAgencyName(ctx),
  ]);
  const id = draft.id;
  return {
    draftId: id,
    backHref: sectionPath('aboutYou', id),
    agencyName: agency,
    severalAuthorities: las.length > 1,
    localAuthority: las.find((l) => l.id === a.localAuthorityId)?.name ?? null,
    children: a.children.map((c, i) => ({
      ...c,
      title: `Child ${i + 1}: ${personName(c)}`,
      dateText:
        c.born === 'yes' && c.dateOfBirth
          ? formatDateGovUk(c.dateOfBirth)
          : c.born === 'no' && c.expectedDateOfBirth
            ? `Not born yet: expected ${formatDateGovUk(c.expectedDateOfBirth)}`
            : 'Not known',
      addressText: [c.addressLine1, c.town, c.postcode].filter(Boolean).join(', '),
      changeHref: changeLink('children', id, i + 1),
    })),
    adults: a.adults.map((p, i) => ({
      ...p,
      title: `${personName(p)}`,
      roleText: roles.get(p.role ?? '') ?? p.role ?? '',
      dateText: p.dateOfBirth ? formatDateGovUk(p.dateOfBirth) : '',
      addressText: [p.addressLine1, p.postcode].filter(Boolean).join(', '),
      changeHref: changeLink('adults', id, i + 1),
    })),
    concerns: (a.concernCategories ?? []).map((c) => concerns.get(c) ?? c),
    reason: a.reason ?? '',
    urgency: a.urgency ? URGENCY_LABELS[a.urgency as Urgency] : '',
    consent: a.consent ? CONSENT_LABELS[a.consent as Consent] : '',
    consentHint: a.consent ? CONSENT_HINTS[a.consent as Consent] : '',
    consentRationale: a.consent && a.consent !== 'given' ? (a.consentRationale ?? '') : '',
    referrer: a.referrer ?? {},
    missing: missingAnswers(a).map((m) => ({ ...m, href: changeLink(m.section, id) })),
    change: Object.fromEntries(SECTIONS.map((s) => [s, changeLink(s, id)])) as Record<Section, string>,
  };
}

export const referralCheckPage = definePage({
  path: REFERRAL_PATHS.check,
  view: 'front-door/views/referral-check.njk',
  access: 'referral:submit',
  title: 'Check your answers before sending your referral',
  params: draftParams,
  query: returnQuery,
  audit: draftAudit('check'),
  drafts: false,
  form: emptyForm,
  load: async (ctx) => {
    const draft = await openDraft(ctx);
    if (draft instanceof Redirect) return draft;
    return checkData(ctx, draft);
  },
  submit: async (ctx) => {
    try {
      const sent = await submitReferralDraft(ctx, { draftId: ctx.params.draftId });
      return confirmationPath(sent.contactId);
    } catch (error) {
      if (!(error instanceof ContactInputError)) throw error;
      return {
        errors: error.problems.map((p, i) => {
          if (p.path.startsWith('section:')) {
            const section = p.path.slice('section:'.length) as Section;
            return fieldError(`problem${i}`, p.message, changeLink(section, ctx.params.draftId));
          }
          const where = sectionForProblem(p.path);
          return fieldError(
            `problem${i}`,
            p.message,
            changeLink(where.section, ctx.params.draftId, where.position),
          );
        }),
      };
    }
  },
});

export const deleteReferralDraftPage = definePage({
  path: REFERRAL_PATHS.deleteDraft,
  view: 'front-door/views/referral-remove.njk',
  access: 'referral:submit',
  title: 'Are you sure you want to delete this draft referral?',
  params: draftParams,
  audit: {
    action: 'referral-draft.viewed',
    subjectType: 'referral-draft',
    subject: (ctx) => ({ subjectId: ctx.params.draftId, details: { page: 'delete' } }),
  },
  drafts: false,
  form: deleteDraftForm,
  load: async (ctx) => {
    const draft = await requireDraft(ctx, ctx.params.draftId);
    if (draft.contactId) return redirectTo(referralPath(draft.contactId));
    const names = draft.answers.children.map((c) => personName(c));
    return {
      heading: 'Are you sure you want to delete this draft referral?',
      hint: names.length
        ? `About ${names.join(', ')}. What you typed cannot be got back.`
        : 'What you typed cannot be got back.',
      backHref: REFERRAL_PATHS.list,
    };
  },
  submit: async (ctx, form) => {
    if (!form.confirm) return REFERRAL_PATHS.list;
    await deleteReferralDraft(ctx, { draftId: ctx.params.draftId });
    ctx.flash('Your draft referral has been deleted');
    return REFERRAL_PATHS.list;
  },
});

function referralAudit<D>(page: string): AuditSpec<{ contactId: string }, Record<string, never>, D> {
  return {
    action: 'referral.viewed',
    subjectType: 'contact',
    subject: (ctx) => ({ subjectId: ctx.params.contactId, details: { page } }),
  };
}

export const referralConfirmationPage = definePage({
  path: REFERRAL_PATHS.confirmation,
  view: 'front-door/views/referral-confirmation.njk',
  access: 'referral:submit',
  title: 'Referral sent',
  params: contactParams,
  audit: referralAudit('confirmation'),
  load: async (ctx) => {
    const referral = await requireOwnReferral(ctx, ctx.params.contactId);
    return {
      referral,
      decisionDueText: formatDateGovUk(referral.decisionDueOn),
      statusHref: referralPath(referral.id),
    };
  },
});

export const referralStatusPage = definePage({
  path: REFERRAL_PATHS.referral,
  view: 'front-door/views/referral.njk',
  access: 'referral:submit',
  title: (d: { referral: { reference: string } }) => `Referral ${d.referral.reference}`,
  params: contactParams,
  audit: referralAudit('status'),
  load: async (ctx) => {
    const referral = await requireOwnReferral(ctx, ctx.params.contactId);
    const concerns = await codeLabels(ctx.db, 'contact-concern');
    return {
      referral,
      children: referral.children,
      concerns: referral.concernCategories.map((c) => concerns.get(c) ?? c),
      urgency: URGENCY_LABELS[referral.urgency as Urgency],
      decisionDueText: formatDateGovUk(referral.decisionDueOn),
    };
  },
});

export const referralPages = [
  referralsPage,
  startReferralPage,
  referralLocalAuthorityPage,
  referralChildrenPage,
  referralChildPage,
  referralRemoveChildPage,
  referralAdultsPage,
  referralAdultPage,
  referralRemoveAdultPage,
  referralConcernsPage,
  referralWhatHappenedPage,
  referralUrgencyPage,
  referralConsentPage,
  referralAboutYouPage,
  referralCheckPage,
  deleteReferralDraftPage,
  referralConfirmationPage,
  referralStatusPage,
];
