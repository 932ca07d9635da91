import { z } from 'zod';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { followUpForm, groupSessionForm, oversightForm } from './supervision.schemas.ts';
import { canUseSupervision } from './supervision.service.ts';
import {
  GROUP_SESSION_KIND_LABELS,
  GROUP_SESSION_KINDS,
  GROUP_SESSIONS_PAGE_SIZE,
  followUpGroupActions,
  groupAttendeeChoices,
  groupSessionForDiscussion,
  groupSessions,
  loadGroupSession,
  recordGroupChildDiscussion,
  startGroupSession,
} from './supervision-group.service.ts';

/**
 * Group supervision and reflective group sessions: the list, a new session (kind, date, focus, attendees), a session
 * (attendees, the actions open from the group's earlier sessions to follow up, the children discussed, the attendees'
 * children to record) and a child's part of it, which goes on the
 * child's record as management oversight.
 */

const GROUP_PATHS = {
  list: '/supervision/groups',
  session: (id: string) => `/supervision/groups/${id}`,
  discussion: (id: string, childId: string) => `/supervision/groups/${id}/children/${childId}`,
};

export const groupSessionsPage = definePage({
  path: GROUP_PATHS.list,
  view: 'workforce/views/groups.njk',
  access: 'signed-in',
  title: 'Group supervision and reflective sessions',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) }),
  audit: { action: 'group-supervision-sessions.viewed', subjectType: 'group-supervision-session' },
  load: async (ctx) => {
    if (!canUseSupervision(ctx.user)) throw new AccessDeniedError('supervision:record');
    const data = await groupSessions(ctx, { page: ctx.query.page });
    const pages = Math.max(1, Math.ceil(data.total / GROUP_SESSIONS_PAGE_SIZE));
    return {
      canRecord: ctx.user.permissions.has('supervision:record'),
      sessions: data.rows.map((s) => ({ ...s, href: GROUP_PATHS.session(s.id) })),
      total: data.total,
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
    };
  },
});

export const newGroupSessionPage = definePage({
  path: '/supervision/groups/new',
  view: 'workforce/views/group-new.njk',
  access: 'supervision:record',
  title: 'Record a group session',
  form: ({ today }) => groupSessionForm(today),
  load: async (ctx) => ({
    kinds: GROUP_SESSION_KINDS.map((k) => ({ value: k, text: GROUP_SESSION_KIND_LABELS[k] })),
    attendees: (await groupAttendeeChoices(ctx)).map((a) => ({
      value: a.id,
      text: `${a.displayName} (${a.teamName})`,
    })),
  }),
  submit: async (ctx, form) => {
    const id = await startGroupSession(ctx, {
      kind: form.kind,
      heldOn: form.heldOn!,
      focus: form.focus,
      attendeeIds: form.attendeeIds,
    });
    ctx.flash('Group session recorded: now record each child you discussed');
    return GROUP_PATHS.session(id);
  },
});

export const groupSessionPage = definePage({
  path: '/supervision/groups/:groupSessionId',
  view: 'workforce/views/group.njk',
  access: 'signed-in',
  title: (d: { session: { kindLabel: string; heldOn: string } }) =>
    `${d.session.kindLabel}, ${formatDateGovUk(d.session.heldOn)}`,
  params: z.object({ groupSessionId: uuidParam }),
  form: followUpForm,
  audit: {
    action: 'group-supervision-session.viewed',
    subjectType: 'group-supervision-session',
    subject: (ctx) => ({ subjectId: ctx.params.groupSessionId }),
  },
  load: async (ctx) => {
    const data = await loadGroupSession(ctx, ctx.params.groupSessionId);
    return {
      ...data,
      toDiscuss: data.toDiscuss.map((c) => ({ ...c, href: GROUP_PATHS.discussion(data.session.id, c.id) })),
    };
  },
  submit: async (ctx, items) => {
    await followUpGroupActions(ctx, { groupSessionId: ctx.params.groupSessionId, items });
    ctx.flash('Actions followed up');
    return GROUP_PATHS.session(ctx.params.groupSessionId);
  },
});

export const groupDiscussionPage = definePage({
  path: '/supervision/groups/:groupSessionId/children/:personId',
  view: 'workforce/views/discussion.njk',
  access: 'supervision:record',
  title: (d: { child: { name: string } }) => `Group session discussion: ${d.child.name}`,
  params: z.object({ groupSessionId: uuidParam, personId: uuidParam }),
  form: ({ today }) => oversightForm(today, { reflection: true }),
  audit: {
    action: 'group-supervision-discussion.viewed',
    subjectType: 'group-supervision-session',
    subject: (ctx) => ({ subjectId: ctx.params.groupSessionId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const { session, child } = await groupSessionForDiscussion(
      ctx,
      ctx.params.groupSessionId,
      ctx.params.personId,
    );
    return {
      session,
      child,
      backHref: GROUP_PATHS.session(session.id),
      backText: 'Group session',
      caption: `${session.kindLabel}, ${formatDateGovUk(session.heldOn)}`,
      reflection: true,
    };
  },
  submit: async (ctx, form) => {
    await recordGroupChildDiscussion(ctx, {
      ...form,
      groupSessionId: ctx.params.groupSessionId,
      childId: ctx.params.personId,
    });
    ctx.flash('Discussion recorded on the child’s record as management oversight');
    return GROUP_PATHS.session(ctx.params.groupSessionId);
  },
});

export const groupSupervisionPages = [
  groupSessionsPage,
  newGroupSessionPage,
  groupSessionPage,
  groupDiscussionPage,
];
