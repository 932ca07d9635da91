import { z } from 'zod';
import { allAgencies, usersLocalAuthorities } from './organisation-lookups.service.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import {
  dateToParts,
  govukDate,
  optionalText,
  recordVersion,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import { definePage, type PageContext } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { contactPath, FRONT_DOOR_PATHS, meetingPath } from './paths.ts';
import {
  addAttendee,
  createMeeting,
  listMeetings,
  loadMeeting,
  recordItem,
  refreshAgenda,
  type ActionInput,
} from './meeting.service.ts';
import { NotFoundError } from '../../kernel/errors.ts';

const PAGE_SIZE = 25;
const meetingParams = z.object({ meetingId: z.uuid() });
const CHILDRENS_SERVICES = 'childrens-services';
export const MAX_ACTIONS = 3;

async function agencyOptions(ctx: Parameters<typeof allAgencies>[0], blank: string) {
  const agencies = await allAgencies(ctx);
  return [
    { value: '', text: blank },
    { value: CHILDRENS_SERVICES, text: 'Children’s services' },
    ...agencies.map((a) => ({ value: a.id, text: a.name })),
  ];
}

export const meetingsPage = definePage({
  path: FRONT_DOOR_PATHS.meetings,
  view: 'front-door/views/meetings.njk',
  access: 'mash-meeting:manage',
  title: 'MASH meetings',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) }),
  load: async (ctx) => {
    const { rows, total } = await listMeetings(ctx, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      rows: rows.map((r) => ({ ...r, href: meetingPath(r.id), dateText: formatDateGovUk(r.meetingDate) })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
    };
  },
});

export const newMeetingPage = definePage({
  path: FRONT_DOOR_PATHS.newMeeting,
  view: 'front-door/views/meeting-new.njk',
  access: 'mash-meeting:manage',
  title: 'Start a MASH meeting',
  drafts: false,
  form: ({ today }) =>
    z.object({
      meetingDate: govukDate({ label: 'Date of the meeting', required: true, today: () => today }),
      localAuthorityId: z.preprocess(
        (v) => (typeof v === 'string' && v ? v : undefined),
        z.uuid({ message: 'Select the local authority' }).optional(),
      ),
    }),
  load: async (ctx) => {
    const las = await usersLocalAuthorities(ctx);
    return {
      localAuthorities: las.map((l) => ({ value: l.id, text: `${l.name} (${l.laCode})` })),
      severalAuthorities: las.length > 1,
      defaults: {
        ...dateToParts('meetingDate', isoDateOf(ctx.now)),
        localAuthorityId: ctx.user.localAuthorityId ?? '',
      },
    };
  },
  submit: async (ctx, form) => {
    const localAuthorityId = form.localAuthorityId ?? ctx.user.localAuthorityId;
    if (!localAuthorityId)
      return {
        errors: [
          { field: 'localAuthorityId', message: 'Select the local authority', href: '#localAuthorityId' },
        ],
      };
    const created = await createMeeting(ctx, { localAuthorityId, meetingDate: form.meetingDate! });
    ctx.flash(
      `Meeting started with ${created.items} child${created.items === 1 ? '' : 'ren'} on the agenda from open MASH enquiries.`,
    );
    return meetingPath(created.id);
  },
});

async function loadMeetingPage(ctx: PageContext<{ meetingId: string }, Record<string, never>>) {
  const data = await loadMeeting(ctx, ctx.params.meetingId);
  return {
    ...data,
    items: data.items.map((i) => ({
      ...i,
      href: pathTo(FRONT_DOOR_PATHS.meetingItem, { meetingId: ctx.params.meetingId, itemId: i.id }),
      contactHref: contactPath(i.contactId),
    })),
    attendeeHref: pathTo(FRONT_DOOR_PATHS.meetingAttendee, ctx.params),
    minutesHref: pathTo(FRONT_DOOR_PATHS.meetingMinutes, ctx.params),
  };
}

export const meetingPage = definePage({
  path: FRONT_DOOR_PATHS.meeting,
  view: 'front-door/views/meeting.njk',
  access: 'mash-meeting:manage',
  title: (data: Awaited<ReturnType<typeof loadMeetingPage>>) => `MASH meeting, ${data.meeting.dateText}`,
  params: meetingParams,
  drafts: false,
  form: z.object({
    refresh: z.preprocess(
      (v) => (typeof v === 'string' ? v : ''),
      z.literal('yes', { message: 'Choose to add new enquiries' }),
    ),
  }),
  audit: {
    action: 'mash-meeting.viewed',
    subjectType: 'mash-meeting',
    subject: (ctx) => ({ subjectId: ctx.params.meetingId }),
  },
  load: loadMeetingPage,
  submit: async (ctx) => {
    const added = await refreshAgenda(ctx, { meetingId: ctx.params.meetingId });
    ctx.flash(
      added
        ? `${added} child${added === 1 ? '' : 'ren'} added to the agenda.`
        : 'No new MASH enquiries to add.',
    );
    return meetingPath(ctx.params.meetingId);
  },
});

export const attendeePage = definePage({
  path: FRONT_DOOR_PATHS.meetingAttendee,
  view: 'front-door/views/meeting-attendee.njk',
  access: 'mash-meeting:manage',
  title: 'Add someone who attended',
  params: meetingParams,
  drafts: false,
  form: z.object({
    name: requiredText('Enter their name', 200, 'Name must be 200 characters or fewer'),
    agency: requiredText('Select the agency they attended for', 60),
    role: optionalText(200, 'Role must be 200 characters or fewer'),
  }),
  load: async (ctx) => {
    const data = await loadMeeting(ctx, ctx.params.meetingId);
    return {
      meeting: data.meeting,
      attendees: data.attendees,
      agencies: await agencyOptions(ctx, 'Select an agency'),
      meetingHref: meetingPath(ctx.params.meetingId),
    };
  },
  submit: async (ctx, form) => {
    await addAttendee(ctx, {
      meetingId: ctx.params.meetingId,
      name: form.name,
      agencyId: form.agency === CHILDRENS_SERVICES ? null : form.agency,
      role: form.role,
    });
    ctx.flash(`${form.name} added to the attendees.`);
    return meetingPath(ctx.params.meetingId);
  },
});

function itemForm(today: string) {
  const shape: Record<string, z.ZodType<unknown>> = {
    discussion: requiredText(
      'Enter a summary of the discussion',
      20_000,
      'The discussion must be 20,000 characters or fewer',
    ),
    version: recordVersion(),
  };
  for (let i = 1; i <= MAX_ACTIONS; i++) {
    shape[`action${i}Description`] = optionalText(2000, `Action ${i} must be 2,000 characters or fewer`);
    shape[`action${i}Owner`] = optionalText(200, `Owner of action ${i} must be 200 characters or fewer`);
    shape[`action${i}OwnerAgencyId`] = optionalText(60);
    shape[`action${i}DueOn`] = govukDate({
      label: `Due date of action ${i}`,
      when: 'future',
      today: () => today,
    });
  }
  return z
    .object(shape)
    .superRefine((raw, ctx) => {
      const v = (raw ?? {}) as Record<string, unknown>;
      for (let i = 1; i <= MAX_ACTIONS; i++) {
        const used = ['Description', 'Owner', 'OwnerAgencyId', 'DueOn'].some(
          (f) => v[`action${i}${f}`] !== undefined,
        );
        if (!used) continue;
        if (!v[`action${i}Description`])
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}Description`],
            message: `Enter what action ${i} is`,
          });
        if (!v[`action${i}Owner`])
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}Owner`],
            message: `Enter who owns action ${i}`,
          });
        if (!v[`action${i}DueOn`])
          ctx.addIssue({
            code: 'custom',
            path: [`action${i}DueOn`, 'day'],
            message: `Enter when action ${i} is due`,
          });
      }
    }, EVEN_WITH_FIELD_ERRORS)
    .transform((raw) => {
      const v = raw as Record<string, string | number | undefined>;
      const actions: ActionInput[] = [];
      for (let i = 1; i <= MAX_ACTIONS; i++) {
        const description = v[`action${i}Description`] as string | undefined;
        if (!description) continue;
        const agency = v[`action${i}OwnerAgencyId`] as string | undefined;
        actions.push({
          description,
          owner: v[`action${i}Owner`] as string,
          ownerAgencyId: !agency || agency === CHILDRENS_SERVICES ? null : agency,
          dueOn: v[`action${i}DueOn`] as string,
        });
      }
      return { discussion: v.discussion as string, version: v.version as number | undefined, actions };
    });
}

export const meetingItemPage = definePage({
  path: FRONT_DOOR_PATHS.meetingItem,
  view: 'front-door/views/meeting-item.njk',
  access: 'mash-meeting:manage',
  title: 'Discussion and actions',
  params: z.object({ meetingId: z.uuid(), itemId: z.uuid() }),
  form: ({ today }) => itemForm(today),
  load: async (ctx) => {
    const data = await loadMeeting(ctx, ctx.params.meetingId);
    const item = data.items.find((i) => i.id === ctx.params.itemId);
    if (!item || item.hidden) throw new NotFoundError();
    return {
      meeting: data.meeting,
      item,
      current: { discussion: item.discussion ?? '', version: String(item.version) },
      agencies: await agencyOptions(ctx, 'Select the agency (optional)'),
      rows: Array.from({ length: MAX_ACTIONS }, (_, i) => i + 1),
      meetingHref: meetingPath(ctx.params.meetingId),
      contactHref: contactPath(item.contactId),
    };
  },
  submit: async (ctx, form) => {
    await recordItem(ctx, { meetingId: ctx.params.meetingId, itemId: ctx.params.itemId, ...form });
    ctx.flash('Discussion recorded.');
    return meetingPath(ctx.params.meetingId);
  },
});

async function loadMinutesPage(ctx: PageContext<{ meetingId: string }, Record<string, never>>) {
  const data = await loadMeeting(ctx, ctx.params.meetingId);
  return {
    ...data,
    meetingHref: meetingPath(ctx.params.meetingId),
    printedBy: ctx.user.displayName,
    printedAt: ctx.now,
  };
}

export const minutesPage = definePage({
  path: FRONT_DOOR_PATHS.meetingMinutes,
  view: 'front-door/views/meeting-minutes.njk',
  access: 'mash-meeting:manage',
  title: (data: Awaited<ReturnType<typeof loadMinutesPage>>) =>
    `Minutes of the MASH meeting, ${data.meeting.dateText}`,
  params: meetingParams,
  // The minutes are the printable copy: opening them is recorded as printing.
  audit: {
    action: 'mash-meeting.minutes-printed',
    subjectType: 'mash-meeting',
    subject: (ctx, data) => ({ subjectId: ctx.params.meetingId, details: { items: data.items.length } }),
  },
  load: loadMinutesPage,
});

export const meetingPages = [
  meetingsPage,
  newMeetingPage,
  meetingPage,
  attendeePage,
  meetingItemPage,
  minutesPage,
];
