import { z } from 'zod';
import { NotFoundError } from '../../kernel/errors.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { definePage, type FormContext, type PageContext, type PageDefinition } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import {
  CONTACT_METHOD_LABELS,
  CONTACT_METHODS,
  MEETING_ACTION_SLOTS,
  NETWORK_ROLE_LABELS,
  NETWORK_ROLES,
  SUPPORT_FREQUENCIES,
  SUPPORT_FREQUENCY_LABELS,
  SUPPORT_KIND_LABELS,
  SUPPORT_KINDS,
  SUPPORT_OFFER_LABELS,
  SUPPORT_OFFERS,
} from './family-network.ts';
import {
  actionDoneForm,
  addNetworkMemberForm,
  changeNetworkMeetingForm,
  changeSupportPackageForm,
  changeNetworkMemberForm,
  endNetworkMemberForm,
  endSupportPackageForm,
  networkMeetingForm,
  supportPackageForm,
} from './family-network.schemas.ts';
import {
  addNetworkMember,
  changeNetworkMember,
  endNetworkMember,
  familyNetworkFor,
  loadNetworkMember,
  networkCandidates,
} from './family-network.service.ts';
import {
  changeNetworkMeeting,
  completeNetworkAction,
  listNetworkMeetings,
  loadNetworkMeeting,
  openEpisodesForMeeting,
  recordNetworkMeeting,
} from './network-meeting.service.ts';
import {
  changeSupportPackage,
  endSupportPackage,
  listSupportPackages,
  loadSupportPackage,
  recordSupportPackage,
} from './network-support.service.ts';
import { dateParts, formPageViewed, pageNumber, personParams } from './pages-common.ts';
import { loadPersonHeader } from './person.service.ts';

/** The child's family network: its members, its meetings and the support the authority gives it. */

export const networkPaths = {
  network: (id: string) => `/people/${id}/family-network`,
  addMember: (id: string) => `/people/${id}/family-network/new`,
  meeting: (id: string, meetingId: string) => `/people/${id}/family-network/meetings/${meetingId}`,
};

const opts = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, text: labels[value] }));

const memberLists = {
  roles: opts(NETWORK_ROLES, NETWORK_ROLE_LABELS),
  methods: opts(CONTACT_METHODS, CONTACT_METHOD_LABELS),
  offers: opts(SUPPORT_OFFERS, SUPPORT_OFFER_LABELS),
};

const PAGE = 20;

export const familyNetworkPage = definePage({
  path: '/people/:personId/family-network',
  view: 'people/views/family-network.njk',
  access: 'child:read',
  title: 'Family network',
  params: personParams,
  query: z.object({ page: pageNumber, meetingsPage: pageNumber, supportPage: pageNumber }),
  audit: {
    action: 'family-network.viewed',
    subjectType: 'person',
    subject: (ctx) => ({
      subjectId: ctx.params.personId,
      childId: ctx.params.personId,
      details: { page: 'family-network' },
    }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    const { page, meetingsPage, supportPage } = ctx.query;
    const network = await familyNetworkFor(ctx, person.id, { page, pageSize: PAGE });
    const meetings = await listNetworkMeetings(ctx, person.id, { page: meetingsPage, pageSize: PAGE });
    const support = await listSupportPackages(ctx, person.id, { page: supportPage, pageSize: PAGE });
    const writable = ctx.user.permissions.has('child:write') && !person.mergedIntoId && person.isChild;
    return {
      person,
      section: 'family',
      members: network.members,
      membersPaging: pagination(ctx.request.url, page, PAGE, network.total),
      meetings: meetings.meetings,
      meetingsPaging: pagination(ctx.request.url, meetingsPage, PAGE, meetings.total, 'meetingsPage'),
      packages: support.packages,
      supportPaging: pagination(ctx.request.url, supportPage, PAGE, support.total, 'supportPage'),
      canChange: writable,
      canAgreeSupport: writable && ctx.user.permissions.has('allocation:manage'),
    };
  },
});

type Person = Awaited<ReturnType<typeof loadPersonHeader>>;

/**
 * A form on the child's family network: write access to the child (their header above the form), the form's view
 * recorded in the audit trail as `page`, and the page's own data from `load`. `submit` saves, flashes what it did and
 * says where to go next.
 */
function networkFormPage<P extends { personId: string }, F, D extends object>(spec: {
  path: string;
  view: string;
  title: string;
  access?: 'child:write' | 'allocation:manage';
  params: z.ZodType<P>;
  page: string;
  form: (ctx: FormContext<P>) => z.ZodType<F>;
  labels?: Record<string, string>;
  load: (ctx: PageContext<P, Record<string, never>>, person: Person) => Promise<D>;
  submit: (ctx: PageContext<P, Record<string, never>>, form: F) => Promise<string>;
}): PageDefinition {
  return definePage({
    path: spec.path,
    view: spec.view,
    access: spec.access ?? 'child:write',
    title: spec.title,
    params: spec.params,
    audit: formPageViewed('family-network.viewed', spec.page),
    form: spec.form,
    ...(spec.labels ? { labels: spec.labels } : {}),
    load: async (ctx) => {
      const person = await loadPersonHeader(ctx, ctx.params.personId, 'write');
      return { person, section: 'family', ...(await spec.load(ctx, person)) };
    },
    submit: spec.submit,
  });
}

const memberParams = z.object({ personId: z.uuid(), memberId: z.uuid() });
const meetingParams = z.object({ personId: z.uuid(), networkMeetingId: z.uuid() });
const supportParams = z.object({ personId: z.uuid(), packageId: z.uuid() });

const meetingOf = (ctx: ReadContext & { params: { networkMeetingId: string } }, person: Person) =>
  loadNetworkMeeting(ctx, { childId: person.id, meetingId: ctx.params.networkMeetingId });

const supportLists = {
  kinds: opts(SUPPORT_KINDS, SUPPORT_KIND_LABELS),
  frequencies: opts(SUPPORT_FREQUENCIES, SUPPORT_FREQUENCY_LABELS),
};

/** The support form's answers as the service takes them (agreeing support and changing it ask the same). */
const supportAnswers = (form: z.infer<ReturnType<typeof supportPackageForm>>) => ({
  kind: form.kind,
  description: form.description,
  amountPence: form.amount,
  frequency: form.frequency,
  startDate: form.startDate!,
  endDate: form.endDate,
});

export const addNetworkMemberPage = networkFormPage({
  path: '/people/:personId/family-network/new',
  view: 'people/views/family-network-member.njk',
  title: 'Add someone to the family network',
  params: personParams,
  page: 'family-network-new',
  form: ({ today }) => addNetworkMemberForm(today),
  load: async (ctx, person) => {
    const candidates = await networkCandidates(ctx, person.id);
    return {
      adding: true,
      candidates: [...candidates.map((c) => ({ value: c.id, text: c.name }))],
      ...memberLists,
      saved: dateParts('fromDate', isoDateOf(ctx.now)),
    };
  },
  submit: async (ctx, form) => {
    await addNetworkMember(ctx, {
      childId: ctx.params.personId,
      personId: form.personId === 'new' ? undefined : form.personId,
      givenName: form.personId === 'new' ? form.givenName : undefined,
      familyName: form.personId === 'new' ? form.familyName : undefined,
      fromDate: form.fromDate!,
      roleCode: form.roleCode,
      roleDescription: form.roleDescription,
      phone: form.phone,
      email: form.email,
      addressNote: form.addressNote,
      preferredContact: form.preferredContact,
      supportOffers: form.supportOffers,
    });
    ctx.flash('Added to the family network');
    return networkPaths.network(ctx.params.personId);
  },
});

export const changeNetworkMemberPage = networkFormPage({
  path: '/people/:personId/family-network/:memberId/edit',
  view: 'people/views/family-network-member.njk',
  title: 'Change a family network member’s details',
  params: memberParams,
  page: 'family-network-edit',
  form: () => changeNetworkMemberForm(),
  load: async (ctx, person) => {
    const member = await loadNetworkMember(ctx, { childId: person.id, memberId: ctx.params.memberId });
    return {
      adding: false,
      member,
      ...memberLists,
      saved: {
        roleCode: member.roleCode,
        roleDescription: member.roleDescription ?? '',
        phone: member.phone ?? '',
        email: member.email ?? '',
        addressNote: member.addressNote ?? '',
        preferredContact: member.preferredContact ?? '',
        supportOffers: member.supportOffers,
        version: String(member.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { changed } = await changeNetworkMember(ctx, {
      childId: ctx.params.personId,
      memberId: ctx.params.memberId,
      ...form,
    });
    ctx.flash(changed.length ? 'Family network details changed' : 'Nothing was changed');
    return networkPaths.network(ctx.params.personId);
  },
});

export const endNetworkMemberPage = networkFormPage({
  path: '/people/:personId/family-network/:memberId/end',
  view: 'people/views/family-network-end.njk',
  title: 'Record someone leaving the family network',
  params: memberParams,
  page: 'family-network-end',
  form: ({ today }) => endNetworkMemberForm(today),
  load: async (ctx, person) => {
    const member = await loadNetworkMember(ctx, { childId: person.id, memberId: ctx.params.memberId });
    return { member, saved: { version: String(member.version) } };
  },
  submit: async (ctx, form) => {
    await endNetworkMember(ctx, {
      childId: ctx.params.personId,
      memberId: ctx.params.memberId,
      version: form.version,
      endDate: form.endDate!,
      reason: form.reason,
    });
    ctx.flash('Leaving the family network recorded');
    return networkPaths.network(ctx.params.personId);
  },
});

export const newNetworkMeetingPage = networkFormPage({
  path: '/people/:personId/family-network/meetings/new',
  view: 'people/views/family-network-meeting-new.njk',
  title: 'Record a family network meeting',
  params: personParams,
  page: 'family-network-meeting-new',
  form: ({ today }) => networkMeetingForm(today),
  load: async (ctx, person) => {
    const { members } = await familyNetworkFor(ctx, person.id, { currentOnly: true, pageSize: 200 });
    const episodes = await openEpisodesForMeeting(ctx, person.id);
    const slots = Array.from({ length: MEETING_ACTION_SLOTS }, (_, i) => i + 1);
    return {
      network: members.map((m) => ({ value: m.id, text: m.name, hint: m.role })),
      episodes: [
        ...episodes.map((e) => ({ value: e.value, text: e.text })),
        { value: 'none', text: 'Not part of an episode' },
      ],
      slots,
      saved: { episode: episodes.length === 1 ? episodes[0]!.value : '' },
    };
  },
  submit: async (ctx, form) => {
    const meetingId = await recordNetworkMeeting(ctx, { childId: ctx.params.personId, ...form });
    ctx.flash('Family network meeting recorded');
    return networkPaths.meeting(ctx.params.personId, meetingId);
  },
});

export const networkMeetingPage = definePage({
  path: '/people/:personId/family-network/meetings/:networkMeetingId',
  view: 'people/views/family-network-meeting.njk',
  access: 'child:read',
  title: 'Family network meeting',
  params: meetingParams,
  audit: {
    action: 'family-network.viewed',
    subjectType: 'family-network-meeting',
    subject: (ctx) => ({
      subjectId: ctx.params.networkMeetingId,
      childId: ctx.params.personId,
      details: { page: 'family-network-meeting' },
    }),
  },
  load: async (ctx) => {
    const person = await loadPersonHeader(ctx, ctx.params.personId, 'read');
    return {
      person,
      section: 'family',
      meeting: await meetingOf(ctx, person),
      canChange: ctx.user.permissions.has('child:write') && person.isChild && !person.mergedIntoId,
    };
  },
});

export const networkActionDonePage = networkFormPage({
  path: '/people/:personId/family-network/meetings/:networkMeetingId/actions/:networkActionId/done',
  view: 'people/views/family-network-action-done.njk',
  title: 'Mark a network action as done',
  params: z.object({ personId: z.uuid(), networkMeetingId: z.uuid(), networkActionId: z.uuid() }),
  page: 'family-network-action-done',
  form: ({ today }) => actionDoneForm(today),
  load: async (ctx, person) => {
    const meeting = await meetingOf(ctx, person);
    const action = meeting.actions.find((a) => a.id === ctx.params.networkActionId);
    if (!action) throw new NotFoundError();
    return { meeting, action, saved: dateParts('completedOn', isoDateOf(ctx.now)) };
  },
  submit: async (ctx, form) => {
    await completeNetworkAction(ctx, {
      childId: ctx.params.personId,
      meetingId: ctx.params.networkMeetingId,
      actionId: ctx.params.networkActionId,
      completedOn: form.completedOn!,
    });
    ctx.flash('Action marked as done');
    return networkPaths.meeting(ctx.params.personId, ctx.params.networkMeetingId);
  },
});

export const newSupportPackagePage = networkFormPage({
  path: '/people/:personId/family-network/support/new',
  view: 'people/views/family-network-support-new.njk',
  access: 'allocation:manage',
  title: 'Agree family network support',
  params: personParams,
  page: 'family-network-support-new',
  form: () => supportPackageForm(),
  load: async (ctx) => ({ ...supportLists, agreedBy: ctx.user.displayName }),
  submit: async (ctx, form) => {
    await recordSupportPackage(ctx, { childId: ctx.params.personId, ...supportAnswers(form) });
    ctx.flash('Family network support agreed');
    return networkPaths.network(ctx.params.personId);
  },
});

export const endSupportPackagePage = networkFormPage({
  path: '/people/:personId/family-network/support/:packageId/end',
  view: 'people/views/family-network-support-end.njk',
  access: 'allocation:manage',
  title: 'End family network support',
  params: supportParams,
  page: 'family-network-support-end',
  form: ({ today }) => endSupportPackageForm(today),
  load: async (ctx, person) => {
    const support = await loadSupportPackage(ctx, { childId: person.id, packageId: ctx.params.packageId });
    return { support, saved: { version: String(support.version) } };
  },
  submit: async (ctx, form) => {
    await endSupportPackage(ctx, {
      childId: ctx.params.personId,
      packageId: ctx.params.packageId,
      version: form.version,
      endedOn: form.endedOn!,
      reason: form.reason,
    });
    ctx.flash('Family network support ended');
    return networkPaths.network(ctx.params.personId);
  },
});

export const changeNetworkMeetingPage = networkFormPage({
  path: '/people/:personId/family-network/meetings/:networkMeetingId/edit',
  view: 'people/views/family-network-meeting-change.njk',
  title: 'Correct the family network meeting',
  params: meetingParams,
  page: 'family-network-meeting-edit',
  form: ({ today }) => changeNetworkMeetingForm(today),
  labels: {
    heldOn: 'When was the meeting?',
    facilitator: 'Who facilitated the meeting?',
    attendedParticipantIds: 'Who from the family network came?',
    familyPlan: 'The family’s own plan',
  },
  load: async (ctx, person) => {
    const meeting = await meetingOf(ctx, person);
    return {
      meeting,
      network: meeting.network.map((p) => ({ value: p.participantId, text: p.name, hint: p.role })),
      saved: {
        ...dateParts('heldOn', meeting.heldOn),
        facilitator: meeting.facilitator,
        familyPlan: meeting.familyPlan,
        attendedParticipantIds: meeting.network.filter((p) => p.attended).map((p) => p.participantId),
        version: String(meeting.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { changed } = await changeNetworkMeeting(ctx, {
      childId: ctx.params.personId,
      meetingId: ctx.params.networkMeetingId,
      version: form.version,
      heldOn: form.heldOn!,
      facilitator: form.facilitator,
      familyPlan: form.familyPlan,
      attendedParticipantIds: form.attendedParticipantIds,
    });
    ctx.flash(changed.length ? 'Family network meeting corrected' : 'Nothing was changed');
    return networkPaths.meeting(ctx.params.personId, ctx.params.networkMeetingId);
  },
});

export const changeSupportPackagePage = networkFormPage({
  path: '/people/:personId/family-network/support/:packageId/edit',
  view: 'people/views/family-network-support-new.njk',
  access: 'allocation:manage',
  title: 'Change the support for the family network',
  params: supportParams,
  page: 'family-network-support-edit',
  form: () => changeSupportPackageForm(),
  labels: {
    kind: 'What kind of support is it?',
    description: 'Describe the support',
    amount: 'How much',
    frequency: 'How often?',
    startDate: 'When does it start?',
    endDate: 'When does it end?',
  },
  load: async (ctx, person) => {
    const support = await loadSupportPackage(ctx, { childId: person.id, packageId: ctx.params.packageId });
    return {
      support,
      ...supportLists,
      saved: {
        kind: support.kind,
        description: support.description,
        amount: support.amountPence === null ? '' : support.amount.replace(/^£/, '').replace(/,/g, ''),
        frequency: support.frequency,
        ...dateParts('startDate', support.startDate),
        ...dateParts('endDate', support.endDate),
        version: String(support.version),
      },
    };
  },
  submit: async (ctx, form) => {
    const { changed } = await changeSupportPackage(ctx, {
      childId: ctx.params.personId,
      packageId: ctx.params.packageId,
      version: form.version,
      ...supportAnswers(form),
    });
    ctx.flash(changed.length ? 'Family network support changed' : 'Nothing was changed');
    return networkPaths.network(ctx.params.personId);
  },
});

export const familyNetworkPages = [
  familyNetworkPage,
  addNetworkMemberPage,
  newNetworkMeetingPage,
  newSupportPackagePage,
  networkMeetingPage,
  networkActionDonePage,
  endSupportPackagePage,
  changeSupportPackagePage,
  changeNetworkMeetingPage,
  changeNetworkMemberPage,
  endNetworkMemberPage,
];
