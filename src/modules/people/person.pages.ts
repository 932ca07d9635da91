import { z } from 'zod';
import { formatNhsNumber } from '../../kernel/identifiers/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { fieldError } from '../../web/forms/errors.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { NEW_PERSON_KIND_LABELS, NEW_PERSON_KINDS } from './person.ts';
import { editPersonForm, newPersonForm, searchForm } from './person.schemas.ts';
import { localAuthoritiesByIds } from './person.repository.ts';
import { findLikelyDuplicates, searchPeople } from './person-search.service.ts';
import { isEmptyCriteria, type SearchCriteria } from './person-search.ts';
import { searchOpenWork } from './open-work-search.ts';
import { createPerson, loadPersonDetails, loadPersonHeader, updatePerson } from './person.service.ts';
import { loadRecordSummary } from './record.service.ts';
import {
  criteriaFromQuery,
  criteriaFromRawForm,
  dateParts,
  pageNumber,
  PAGE_SIZE,
  personFormLists,
  personParams,
  formPageViewed,
  personPaths,
  searchQueryString,
} from './pages-common.ts';

const optionalQueryText = z.string().max(300).optional().catch(undefined);

export const searchPage = definePage({
  path: personPaths.search,
  view: 'people/views/search.njk',
  access: 'person:search',
  title: 'Find a person',
  drafts: false,
  query: z.object({
    name: optionalQueryText,
    dob: optionalQueryText,
    nhs: optionalQueryText,
    upn: optionalQueryText,
    postcode: optionalQueryText,
    page: pageNumber,
  }),
  form: ({ today }) => searchForm(today),
  load: async (ctx) => {
    const today = isoDateOf(ctx.now);
    const criteria = criteriaFromQuery(ctx.query, today);
    const searched = !isEmptyCriteria(criteria);
    const all = searched ? await searchPeople(ctx, criteria) : [];
    // People named on open work (a contact received this morning) who have no record yet.
    const openWork = searched ? (await searchOpenWork(ctx, criteria)).slice(0, 20) : [];
    if (searched) {
      await ctx.audit({
        action: 'people.searched',
        subjectType: 'person-search',
        details: {
          criteria: { ...criteria },
          results: all.length,
          resultIds: all.slice(0, 20).map((r) => r.id),
          openWork: openWork.map((m) => m.href),
        },
      });
    }
    const page = Math.min(ctx.query.page, Math.max(1, Math.ceil(all.length / PAGE_SIZE)));
    const [given, ...rest] = (criteria.name ?? '').split(/\s+/);
    const create = new URLSearchParams();
    if (criteria.name) {
      create.set('givenName', rest.length ? given! : '');
      create.set('familyName', rest.length ? rest.join(' ') : given!);
    }
    if (criteria.dateOfBirth) create.set('dob', criteria.dateOfBirth);
    if (criteria.nhsNumber) create.set('nhs', criteria.nhsNumber);
    if (criteria.upn) create.set('upn', criteria.upn);
    if (criteria.postcode) create.set('postcode', criteria.postcode);
    return {
      searched,
      openWork,
      total: all.length,
      capped: all.length >= 100,
      results: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      pagination: pagination(ctx.request.url, page, PAGE_SIZE, all.length),
      queryValues: {
        name: criteria.name ?? '',
        ...dateParts('dateOfBirth', criteria.dateOfBirth),
        nhsNumber: criteria.nhsNumber ? formatNhsNumber(criteria.nhsNumber) : '',
        upn: criteria.upn ?? '',
        postcode: criteria.postcode ?? '',
      },
      canCreate: ctx.user.permissions.has('person:create'),
      createHref: `${personPaths.create}${create.size ? `?${create.toString()}` : ''}`,
    };
  },
  submit: async (_ctx, form) => {
    const criteria: SearchCriteria = {
      name: form.name,
      dateOfBirth: form.dateOfBirth,
      nhsNumber: form.nhsNumber,
      upn: form.upn,
      postcode: form.postcode,
    };
    return `${personPaths.search}?${searchQueryString(criteria)}`;
  },
});

async function newPersonData(
  ctx: PageContext<
    Record<string, never>,
    {
      givenName?: string | undefined;
      familyName?: string | undefined;
      dob?: string | undefined;
      nhs?: string | undefined;
      upn?: string | undefined;
      postcode?: string | undefined;
    }
  >,
) {
  const today = isoDateOf(ctx.now);
  const [lists, las] = await Promise.all([
    personFormLists(ctx.db, today),
    localAuthoritiesByIds(ctx.db, ctx.user.localAuthorityIds),
  ]);
  const q = ctx.query;
  const prefill: Record<string, string> = {};
  if (q.givenName) prefill.givenName = q.givenName;
  if (q.familyName) prefill.familyName = q.familyName;
  if (q.dob && /^\d{4}-\d{2}-\d{2}$/.test(q.dob)) Object.assign(prefill, dateParts('dateOfBirth', q.dob));
  if (q.nhs) prefill.nhsNumber = q.nhs;
  if (q.upn) prefill.upn = q.upn;
  if (q.postcode) prefill.postcode = q.postcode;
  if (ctx.user.localAuthorityId) prefill.localAuthorityId = ctx.user.localAuthorityId;
  return {
    lists,
    prefill,
    kinds: NEW_PERSON_KINDS.map((k) => ({ value: k, text: NEW_PERSON_KIND_LABELS[k] })),
    localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
    duplicates: [] as Awaited<ReturnType<typeof findLikelyDuplicates>>,
  };
}

export const newPersonPage = definePage({
  path: personPaths.create,
  view: 'people/views/person-new.njk',
  access: 'person:create',
  title: 'Create a record',
  query: z.object({
    givenName: optionalQueryText,
    familyName: optionalQueryText,
    dob: optionalQueryText,
    nhs: optionalQueryText,
    upn: optionalQueryText,
    postcode: optionalQueryText,
  }),
  form: ({ today }) => newPersonForm(today),
  load: async (ctx) => {
    const data = await newPersonData(ctx);
    // Shown again after an error, once the likely duplicates have been shown.
    const body = (ctx.request.method === 'POST' ? ctx.request.body : null) as Record<string, unknown> | null;
    if (body?.duplicatesShown && ctx.user.permissions.has('person:search')) {
      data.duplicates = await findLikelyDuplicates(ctx, criteriaFromRawForm(body));
    }
    return data;
  },
  submit: async (ctx, form) => {
    const criteria: SearchCriteria = {
      name: `${form.givenName} ${form.familyName}`,
      dateOfBirth: form.kind === 'unborn' ? form.expectedDateOfBirth : form.dateOfBirth,
      nhsNumber: form.nhsNumber,
      upn: form.upn,
      postcode: form.postcode,
    };
    const duplicates = ctx.user.permissions.has('person:search')
      ? await findLikelyDuplicates(ctx, criteria)
      : [];
    if (duplicates.length && !form.duplicatesShown) {
      await ctx.audit({
        action: 'person.duplicates-shown',
        subjectType: 'person-search',
        details: { count: duplicates.length, ids: duplicates.map((d) => d.id) },
      });
      return { render: { ...(await newPersonData(ctx)), duplicates } };
    }
    if (duplicates.length && !form.notADuplicate) {
      return {
        errors: [
          fieldError(
            'notADuplicate',
            'Confirm that none of these records is the person you are adding, or open their record instead',
            '#notADuplicate',
          ),
        ],
      };
    }
    const { duplicatesShown: _shown, notADuplicate: _confirmed, ...input } = form;
    const created = await createPerson(ctx, input);
    ctx.flash(created.laChildId ? `Record created: ${created.laChildId}` : 'Record created');
    return personPaths.record(created.id);
  },
});

export const recordPage = definePage({
  path: '/people/:personId',
  view: 'people/views/record.njk',
  access: 'child:read',
  title: (data: Awaited<ReturnType<typeof loadRecordSummary>>) => data.person.name,
  params: personParams,
  audit: {
    action: 'child-record.viewed',
    subjectType: 'person',
    subject: (ctx, data) => ({
      subjectId: ctx.params.personId,
      childId: ctx.params.personId,
      details: { kind: data.person.kind, viaBreakGlass: data.person.viaBreakGlass },
    }),
  },
  load: async (ctx) => {
    const summary = await loadRecordSummary(ctx, { personId: ctx.params.personId });
    const can = (p: Parameters<typeof ctx.user.permissions.has>[0]) => ctx.user.permissions.has(p);
    return {
      ...summary,
      section: 'summary',
      links: {
        edit: can('child:write') && !summary.person.mergedIntoId,
        caseNote: can('case-note:write') && summary.person.isChild && !summary.person.mergedIntoId,
        upload: can('document:upload') && !summary.person.mergedIntoId,
        relationship: can('child:write') && !summary.person.mergedIntoId,
        merge: can('person:merge') && !summary.person.mergedIntoId,
        accessLog: can('record-access:view'),
        restriction: can('record:restrict'),
      },
    };
  },
});

export const editPersonPage = definePage({
  path: '/people/:personId/edit',
  view: 'people/views/person-edit.njk',
  access: 'child:write',
  title: 'Change details',
  params: personParams,
  form: ({ today }) => editPersonForm(today),
  audit: formPageViewed('child-record.viewed', 'edit'),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const today = isoDateOf(ctx.now);
    const [lists, details] = await Promise.all([
      personFormLists(ctx.db, today),
      loadPersonDetails(ctx.db, ctx.params.personId),
    ]);
    const r = person.row;
    const saved: Record<string, unknown> = {
      personKind: person.unborn ? 'unborn' : r.kind,
      givenName: r.givenName,
      familyName: r.familyName,
      knownAs: r.knownAs ?? '',
      ...dateParts('dateOfBirth', r.dateOfBirth),
      ...dateParts('expectedDateOfBirth', r.expectedDateOfBirth),
      ...dateParts('dateOfDeath', r.dateOfDeath),
      sex: r.sex ?? '',
      genderIdentity: r.genderIdentity ?? '',
      ethnicityCode: r.ethnicityCode ?? '',
      firstLanguage: r.firstLanguage ?? '',
      interpreterNeeded: r.interpreterNeeded ? 'yes' : '',
      religion: r.religion ?? '',
      disabilities: details.disabilities,
      immigrationStatus: r.immigrationStatus ?? '',
      unaccompaniedAsylumSeeking: r.unaccompaniedAsylumSeeking ? 'yes' : '',
      nhsNumber: r.nhsNumber ? formatNhsNumber(r.nhsNumber) : '',
      upn: r.upn ?? '',
      formerUpn: r.formerUpn ?? '',
      upnUnknownReason: r.upnUnknownReason ?? '',
      phone: r.phone ?? '',
      email: r.email ?? '',
      gpPractice: r.gpPractice ?? '',
      school: r.school ?? '',
      professionalRole: r.professionalRole ?? '',
      agencyId: r.agencyId ?? '',
      version: String(r.version),
    };
    return {
      person,
      section: 'summary',
      kind: person.unborn ? 'unborn' : r.kind,
      lists,
      saved,
      currentAddress: details.addresses.find((a) => !a.toDate) ?? null,
      otherNames: details.names,
      // Warnings a worker added can be ended here; one that follows the record (interpreter) ends with it.
      allWarnings: person.warnings.filter((w) => !w.derived),
    };
  },
  submit: async (ctx, form) => {
    const result = await updatePerson(ctx, { ...form, personId: ctx.params.personId });
    ctx.flash(result.changed.length ? 'Details saved' : 'Nothing was changed');
    return personPaths.record(ctx.params.personId);
  },
});

export const personPages = [searchPage, newPersonPage, recordPage, editPersonPage];
