import { z } from 'zod';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { definePage } from '../../web/page.ts';
import {
  checkbox,
  choice,
  govukDate,
  optionalChoice,
  optionalText,
  yesNo,
} from '../../kernel/forms/fields.ts';
import { fieldError } from '../../web/forms/errors.ts';
import type { PageContext } from '../../web/page.ts';
import { findLikelyDuplicates, type PersonSearchResult } from './person-search.service.ts';
import { addRelationship, findPeopleToLink, loadFamily } from './family.service.ts';
import { networkSize } from './family-network.service.ts';
import { RELATIONSHIP_CHOICES, RELATIONSHIP_KINDS, SEX_CODES } from './person.ts';
import { loadPersonHeader } from './person.service.ts';
import { dateFromParts, pageNumber, personParams, formPageViewed, personPaths } from './pages-common.ts';
import { pagination } from '../../web/pagination.ts';

/** Relationships on one page of the family view: every family fits; a busy professional's links are paged. */
export const FAMILY_PAGE_SIZE = 50;

export const familyPage = definePage({
  path: '/people/:personId/family',
  view: 'people/views/family.njk',
  access: 'child:read',
  title: 'Family and network',
  params: personParams,
  query: z.object({ page: pageNumber }),
  audit: {
    action: 'family-network.viewed',
    subjectType: 'person',
    subject: (ctx) => ({
      subjectId: ctx.params.personId,
      childId: ctx.params.personId,
      details: { page: ctx.query.page },
    }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const family = await loadFamily(ctx, ctx.params.personId);
    // A family fits on one page; a professional linked to many children is paged, and has no family diagram.
    const paging = pagination(ctx.request.url, ctx.query.page, FAMILY_PAGE_SIZE, family.members.length);
    return {
      person,
      section: 'family',
      ...family,
      members: paging.from ? family.members.slice(paging.from - 1, paging.to) : [],
      pagination: paging,
      genogram: person.kind === 'professional' ? null : family.genogram,
      canAdd: ctx.user.permissions.has('child:write') && !person.mergedIntoId,
      familyNetworkSize: person.isChild ? await networkSize(ctx.db, person.id, isoDateOf(ctx.now)) : null,
    };
  },
});

function relationshipForm(today: string) {
  return z
    .object({
      relatedPersonId: z.preprocess(
        (v) => (typeof v === 'string' ? v : undefined),
        z
          .string({ message: 'Select who they are related to, or add someone new' })
          .min(1, 'Select who they are related to, or add someone new'),
      ),
      newKind: optionalChoice(
        ['adult', 'child'] as const,
        'Select whether the new person is an adult or a child',
      ),
      newGivenName: optionalText(100, 'First name must be 100 characters or fewer'),
      newFamilyName: optionalText(100, 'Last name must be 100 characters or fewer'),
      newDateOfBirth: govukDate({ label: 'Date of birth', when: 'past', today: () => today }),
      newSex: optionalChoice(['M', 'F', 'U'] as const, 'Select their sex'),
      kind: choice(RELATIONSHIP_KINDS, 'Select how they are related'),
      fromDate: govukDate({ label: 'Date the relationship started', when: 'past', today: () => today }),
      parentalResponsibility: yesNo('Select yes if they have parental responsibility'),
      livesWith: yesNo('Select yes if they live in the same household'),
      notes: optionalText(2_000, 'Notes must be 2,000 characters or fewer'),
      duplicatesShown: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
      notADuplicate: checkbox(),
    })
    .superRefine((v, ctx) => {
      if (v.relatedPersonId === 'new') {
        if (!v.newKind)
          ctx.addIssue({
            code: 'custom',
            path: ['newKind'],
            message: 'Select whether the new person is an adult or a child',
          });
        if (!v.newGivenName)
          ctx.addIssue({
            code: 'custom',
            path: ['newGivenName'],
            message: 'Enter the first name of the person you are adding',
          });
        if (!v.newFamilyName)
          ctx.addIssue({
            code: 'custom',
            path: ['newFamilyName'],
            message: 'Enter the last name of the person you are adding',
          });
        if (v.newKind === 'child' && !v.newDateOfBirth)
          ctx.addIssue({
            code: 'custom',
            path: ['newDateOfBirth'],
            message: 'Enter the date of birth of the child you are adding',
          });
      } else if (!z.uuid().safeParse(v.relatedPersonId).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['relatedPersonId'],
          message: 'Select who they are related to, or add someone new',
        });
      }
    });
}

type RelationshipContext = PageContext<{ personId: string }, { q?: string | undefined }>;

/** The new person's name and date of birth as typed, for finding likely duplicates again. */
function newPersonCriteria(body: Record<string, unknown>) {
  const s = (k: string) => (typeof body[k] === 'string' ? String(body[k]).trim() : '');
  const name = `${s('newGivenName')} ${s('newFamilyName')}`.trim();
  return name ? { name, dateOfBirth: dateFromParts(body, 'newDateOfBirth') } : null;
}

async function relationshipFormData(ctx: RelationshipContext) {
  const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
  const q = ctx.query.q?.trim();
  const found =
    q && ctx.user.permissions.has('person:search')
      ? await findPeopleToLink(ctx, { personId: ctx.params.personId, name: q })
      : [];
  if (q) {
    await ctx.audit({
      action: 'people.searched',
      subjectType: 'person-search',
      childId: ctx.params.personId,
      details: { criteria: { name: q }, results: found.length, purpose: 'relationship' },
    });
  }
  return {
    person,
    section: 'family',
    q: q ?? '',
    searched: !!q,
    candidates: found.map(candidateChoice),
    duplicates: [] as PersonSearchResult[],
    kinds: RELATIONSHIP_CHOICES,
    sexes: SEX_CODES.map((s) => ({ value: s.value, text: s.text })),
    today: isoDateOf(ctx.now),
  };
}

function candidateChoice(f: PersonSearchResult) {
  return {
    value: f.id,
    text: `${f.givenName} ${f.familyName}`,
    hint: [
      f.kindLabel,
      f.dateOfBirth ? `born ${formatDateGovUk(f.dateOfBirth)}` : '',
      f.currentPostcode ?? '',
      f.warnings.map((w) => `Warning: ${w.kindLabel}`).join(', '),
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

export const newRelationshipPage = definePage({
  path: '/people/:personId/relationships/new',
  view: 'people/views/relationship-new.njk',
  access: 'child:write',
  title: 'Add a relationship',
  params: personParams,
  audit: formPageViewed('child-record.viewed', 'relationship-new'),
  query: z.object({ q: z.string().max(200).optional().catch(undefined) }),
  form: ({ today }) => relationshipForm(today),
  load: async (ctx) => {
    const data = await relationshipFormData(ctx);
    // Shown again after an error, once the likely duplicates of someone new have been shown.
    const body = (ctx.request.method === 'POST' ? ctx.request.body : null) as Record<string, unknown> | null;
    if (
      body?.duplicatesShown &&
      body.relatedPersonId === 'new' &&
      ctx.user.permissions.has('person:search')
    ) {
      const criteria = newPersonCriteria(body);
      if (criteria)
        data.duplicates = await findLikelyDuplicates(ctx, criteria, {
          excludeIds: [ctx.params.personId],
        });
    }
    return data;
  },
  submit: async (ctx, form) => {
    // Someone new: first the likely duplicates (as when creating a record), to choose from or to confirm none is them.
    if (form.relatedPersonId === 'new' && ctx.user.permissions.has('person:search')) {
      const duplicates = await findLikelyDuplicates(
        ctx,
        {
          name: `${form.newGivenName ?? ''} ${form.newFamilyName ?? ''}`.trim(),
          dateOfBirth: form.newDateOfBirth,
        },
        { excludeIds: [ctx.params.personId] },
      );
      if (duplicates.length && !form.duplicatesShown) {
        await ctx.audit({
          action: 'person.duplicates-shown',
          subjectType: 'person-search',
          childId: ctx.params.personId,
          details: { count: duplicates.length, ids: duplicates.map((d) => d.id), purpose: 'relationship' },
        });
        return { render: { ...(await relationshipFormData(ctx)), duplicates } };
      }
      if (duplicates.length && !form.notADuplicate) {
        return {
          errors: [
            fieldError(
              'notADuplicate',
              'Choose one of the records found, or confirm that none of them is the person you are adding',
              '#notADuplicate',
            ),
          ],
        };
      }
    }
    await addRelationship(ctx, {
      personId: ctx.params.personId,
      relatedPersonId: form.relatedPersonId === 'new' ? undefined : form.relatedPersonId,
      newPerson:
        form.relatedPersonId === 'new' && form.newKind && form.newGivenName && form.newFamilyName
          ? {
              kind: form.newKind,
              givenName: form.newGivenName,
              familyName: form.newFamilyName,
              dateOfBirth: form.newDateOfBirth,
              sex: form.newSex,
            }
          : undefined,
      kind: form.kind,
      fromDate: form.fromDate,
      parentalResponsibility: form.parentalResponsibility,
      livesWith: form.livesWith,
      notes: form.notes,
    });
    ctx.flash('Relationship added');
    return personPaths.family(ctx.params.personId);
  },
});

export const familyPages = [familyPage, newRelationshipPage];
