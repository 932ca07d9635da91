import { z } from 'zod';
import {
  isValidNhsNumber,
  normalisePostcode,
  validateNhsNumber,
  validateUpn,
} from '../../kernel/identifiers/index.ts';
import { isIsoDate } from '../../kernel/time/index.ts';
import { DISABILITY_VALUES, SEX_CODES } from './person.ts';
import { refCodeSet } from './person.repository.ts';
import type { SearchCriteria } from './person-search.ts';
import type { Db } from '../../kernel/service/index.ts';

/** Shared by the people module's pages. */

export const personParams = z.object({ personId: z.uuid() });
export const pageNumber = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);
export const PAGE_SIZE = 20;

/**
 * The audit option of a form page on a person's record. The form names the person (security probe L3), so opening
 * it is recorded as a view of the record, or of the part of it the form belongs to, under the child, naming the page.
 */
export function formPageViewed(action: 'child-record.viewed' | 'family-network.viewed', page: string) {
  return {
    action,
    subjectType: 'person',
    subject: (ctx: { params: { personId: string } }) => ({
      subjectId: ctx.params.personId,
      childId: ctx.params.personId,
      details: { page },
    }),
  };
}

export const personPaths = {
  search: '/people',
  create: '/people/new',
  record: (id: string) => `/people/${id}`,
  edit: (id: string) => `/people/${id}/edit`,
  family: (id: string) => `/people/${id}/family`,
  newRelationship: (id: string) => `/people/${id}/relationships/new`,
  changeRelationship: (id: string, relationshipId: string) =>
    `/people/${id}/relationships/${relationshipId}/edit`,
  endRelationship: (id: string, relationshipId: string) =>
    `/people/${id}/relationships/${relationshipId}/end`,
  endMembership: (id: string, membershipId: string) => `/people/${id}/households/${membershipId}/end`,
  changeName: (id: string, nameId: string) => `/people/${id}/names/${nameId}/edit`,
  chronology: (id: string) => `/people/${id}/chronology`,
  caseNotes: (id: string) => `/people/${id}/case-notes`,
  newCaseNote: (id: string) => `/people/${id}/case-notes/new`,
  documents: (id: string) => `/people/${id}/documents`,
  newDocument: (id: string) => `/people/${id}/documents/new`,
  document: (id: string, documentId: string) => `/people/${id}/documents/${documentId}`,
  merge: (id: string) => `/people/${id}/merge`,
  accessLog: (id: string) => `/people/${id}/access-log`,
  restriction: (id: string) => `/people/${id}/restriction`,
} as const;

/** Every list the person forms offer, from reference data (plus the fixed census sets). */
export async function personFormLists(db: Db, today: string) {
  const [ethnicity, language, religion, immigration, disability, upnUnknown, warningKinds, agencies] =
    await Promise.all([
      refCodeSet(db, 'ethnicity', today),
      refCodeSet(db, 'first-language', today),
      refCodeSet(db, 'religion', today),
      refCodeSet(db, 'immigration-status', today),
      refCodeSet(db, 'disability', today),
      refCodeSet(db, 'upn-unknown', today),
      refCodeSet(db, 'warning-kind', today),
      db.selectFrom('agencies').select(['id', 'name']).orderBy('name').execute(),
    ]);
  return {
    sex: SEX_CODES.map((s) => ({ value: s.value, text: s.text })),
    ethnicity,
    language,
    religion,
    immigration,
    disability: disability.filter((d) => (DISABILITY_VALUES as readonly string[]).includes(d.value)),
    upnUnknown: upnUnknown.map((u) => ({ value: u.value, text: `${u.value}: ${u.text}` })),
    warningKinds,
    agencies: agencies.map((a) => ({ value: a.id, text: a.name })),
  };
}

/** 'YYYY-MM-DD' → the three GOV.UK date input values (the kernel's form helper, by the name people's pages use). */
export { dateToParts as dateParts } from '../../kernel/forms/fields.ts';

/** A date typed into a GOV.UK date input, if it is a whole real date; otherwise undefined. */
export function dateFromParts(body: Record<string, unknown>, prefix: string): string | undefined {
  const part = (k: string) =>
    typeof body[`${prefix}-${k}`] === 'string' ? String(body[`${prefix}-${k}`]).trim() : '';
  const d = part('day');
  const m = part('month');
  const y = part('year');
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return undefined;
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** Search terms from a URL's query (hand-edited URLs: anything invalid is ignored). */
export function criteriaFromQuery(
  q: {
    name?: string | undefined;
    dob?: string | undefined;
    nhs?: string | undefined;
    upn?: string | undefined;
    postcode?: string | undefined;
  },
  today: string,
): SearchCriteria {
  const nhs = q.nhs ? validateNhsNumber(q.nhs) : null;
  const upn = q.upn ? validateUpn(q.upn) : null;
  return {
    name: q.name?.trim().slice(0, 200) || undefined,
    dateOfBirth: q.dob && isIsoDate(q.dob) && q.dob <= today ? q.dob : undefined,
    nhsNumber: nhs?.ok ? nhs.value : undefined,
    upn: upn?.ok ? upn.value : undefined,
    postcode: q.postcode ? normalisePostcode(q.postcode) : undefined,
  };
}

/** The query string for a search (used by the search page's redirect and by links to it). */
export function searchQueryString(c: SearchCriteria): string {
  const p = new URLSearchParams();
  if (c.name) p.set('name', c.name);
  if (c.dateOfBirth) p.set('dob', c.dateOfBirth);
  if (c.nhsNumber) p.set('nhs', c.nhsNumber);
  if (c.upn) p.set('upn', c.upn);
  if (c.postcode) p.set('postcode', c.postcode);
  return p.toString();
}

/** Search terms from a create-person form as typed (for showing likely duplicates again). */
export function criteriaFromRawForm(body: Record<string, unknown>): SearchCriteria {
  const s = (k: string) => (typeof body[k] === 'string' ? String(body[k]).trim() : '');
  const nhs = s('nhsNumber');
  const upn = validateUpn(s('upn'));
  const unborn = s('kind') === 'unborn';
  return {
    name: `${s('givenName')} ${s('familyName')}`.trim() || undefined,
    dateOfBirth: dateFromParts(body, unborn ? 'expectedDateOfBirth' : 'dateOfBirth'),
    nhsNumber: nhs && isValidNhsNumber(nhs) ? nhs.replace(/[\s-]/g, '') : undefined,
    upn: upn.ok ? upn.value : undefined,
    postcode: s('postcode') ? normalisePostcode(s('postcode')) : undefined,
  };
}

/** The audit of a paged list on a person's record (`?page=`): recorded under the person, with the page seen. */
export const pagedPersonListAudit = (action: string) => ({
  action,
  subjectType: 'person',
  subject: (ctx: { params: { personId: string }; query: { page: number } }) => ({
    subjectId: ctx.params.personId,
    childId: ctx.params.personId,
    details: { page: ctx.query.page },
  }),
});
