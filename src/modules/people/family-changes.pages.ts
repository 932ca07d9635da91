import { z } from 'zod';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { definePage } from '../../web/page.ts';
import {
  changeNameForm,
  changeRelationshipForm,
  endMembershipForm,
  endRelationshipForm,
} from './family-changes.schemas.ts';
import {
  changePersonName,
  changeRelationship,
  endHouseholdMembership,
  endRelationship,
  loadMembershipForChange,
  loadPersonNameForChange,
  loadRelationshipForChange,
  OTHER_NAME_KINDS,
  OTHER_NAME_LABELS,
} from './family-changes.service.ts';
import { RELATIONSHIP_CHOICES } from './person.ts';
import { loadPersonHeader } from './person.service.ts';
import { dateParts, formPageViewed, personPaths } from './pages-common.ts';

/** Changing and ending relationships, household memberships and other names (nothing is deleted). */

function requiredDate(value: string | undefined, message: string): string {
  if (!value) throw new BusinessRuleError('endDate', message);
  return value;
}

const relationshipParams = z.object({ personId: z.uuid(), relationshipId: z.uuid() });
const membershipParams = z.object({ personId: z.uuid(), membershipId: z.uuid() });
const nameParams = z.object({ personId: z.uuid(), nameId: z.uuid() });

export const changeRelationshipPage = definePage({
  path: '/people/:personId/relationships/:relationshipId/edit',
  view: 'people/views/relationship-edit.njk',
  access: 'child:write',
  title: 'Change a relationship',
  audit: formPageViewed('family-network.viewed', 'relationship-edit'),
  params: relationshipParams,
  form: ({ today }) => changeRelationshipForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const r = await loadRelationshipForChange(ctx, ctx.params);
    return {
      person,
      section: 'family',
      relationship: r,
      kinds: RELATIONSHIP_CHOICES,
      saved: {
        kind: r.kind,
        ...dateParts('fromDate', r.fromDate),
        parentalResponsibility: r.parentalResponsibility ? 'yes' : 'no',
        notes: r.notes ?? '',
        version: String(r.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { changed } = await changeRelationship(ctx, { ...ctx.params, ...form });
    ctx.flash(changed.length ? 'Relationship changed' : 'Nothing was changed');
    return personPaths.family(ctx.params.personId);
  },
});

export const endRelationshipPage = definePage({
  path: '/people/:personId/relationships/:relationshipId/end',
  view: 'people/views/relationship-end.njk',
  access: 'child:write',
  title: 'End a relationship',
  audit: formPageViewed('family-network.viewed', 'relationship-end'),
  params: relationshipParams,
  form: ({ today }) => endRelationshipForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const r = await loadRelationshipForChange(ctx, ctx.params);
    return { person, section: 'family', relationship: r, saved: { version: String(r.version) } };
  },
  submit: async (ctx, form) => {
    // The schema requires the date (govukDate's type cannot say so).
    const endDate = requiredDate(form.endDate, 'Enter the date the relationship ended');
    await endRelationship(ctx, { ...ctx.params, ...form, endDate });
    ctx.flash('Relationship ended');
    return personPaths.family(ctx.params.personId);
  },
});

export const endMembershipPage = definePage({
  path: '/people/:personId/households/:membershipId/end',
  view: 'people/views/household-end.njk',
  access: 'child:write',
  title: 'Record someone moving out',
  audit: formPageViewed('family-network.viewed', 'household-end'),
  params: membershipParams,
  form: ({ today }) => endMembershipForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const membership = await loadMembershipForChange(ctx, ctx.params);
    return { person, section: 'family', membership };
  },
  submit: async (ctx, form) => {
    const endDate = requiredDate(form.endDate, 'Enter the date they moved out');
    await endHouseholdMembership(ctx, { ...ctx.params, ...form, endDate });
    ctx.flash('Moving out recorded');
    return personPaths.family(ctx.params.personId);
  },
});

export const changeNamePage = definePage({
  path: '/people/:personId/names/:nameId/edit',
  view: 'people/views/name-edit.njk',
  access: 'child:write',
  title: 'Change or end another name',
  audit: formPageViewed('child-record.viewed', 'name-edit'),
  params: nameParams,
  form: ({ today }) => changeNameForm(today),
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
    const n = await loadPersonNameForChange(ctx, ctx.params);
    return {
      person,
      section: 'summary',
      name: n,
      kinds: OTHER_NAME_KINDS.map((k) => ({ value: k, text: OTHER_NAME_LABELS[k] })),
      saved: {
        kind: n.kind,
        givenName: n.givenName,
        familyName: n.familyName,
        ...dateParts('fromDate', n.fromDate),
        ...dateParts('toDate', n.toDate),
        version: String(n.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { changed, ended } = await changePersonName(ctx, { ...ctx.params, ...form });
    ctx.flash(ended ? 'Name ended' : changed.length ? 'Name changed' : 'Nothing was changed');
    return personPaths.record(ctx.params.personId);
  },
});

export const familyChangePages = [
  changeRelationshipPage,
  endRelationshipPage,
  endMembershipPage,
  changeNamePage,
];
