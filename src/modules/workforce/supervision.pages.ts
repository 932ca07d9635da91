import { z } from 'zod';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import { loadPersonHeader } from '../people/index.ts';
import {
  oversightWindowStart,
  SUPERVISION_FREQUENCIES,
  SUPERVISION_FREQUENCY_LABELS,
} from './supervision.ts';
import { followUpForm, oversightForm, settingsForm, startSessionForm } from './supervision.schemas.ts';
import {
  canUseSupervision,
  followUpActions,
  loadSupervisionSession,
  managedTeams,
  oversightWindowDays,
  ownSupervisionDue,
  recordChildDiscussion,
  recordManagementOversight,
  saveSupervisionSettings,
  sessionForDiscussion,
  SESSIONS_PAGE_SIZE,
  startSupervisionSession,
  superviseesDue,
  supervisionSessions,
  supervisionSettings,
  TEAM_OVERSIGHT_PAGE_SIZE,
  teamOversight,
} from './supervision.service.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';

/**
 * Case supervision pages: the list (/supervision: sessions the user may see; for supervisors, who is due), a new
 * session, a session (the children discussed, and the earlier actions to follow up), a child's part of a session,
 * management oversight from a child's record, and the authority's supervision frequency.
 */

export const SUPERVISION_PATHS = {
  list: '/supervision',
  newSession: '/supervision/new',
  settings: '/supervision/settings',
  session: (id: string) => `/supervision/${id}`,
  discussion: (sessionId: string, childId: string) => `/supervision/${sessionId}/children/${childId}`,
  oversight: (childId: string) => `/people/${childId}/management-oversight/new`,
  teamOversight: (teamId: string) => `/supervision/teams/${teamId}/oversight`,
  groups: '/supervision/groups',
  newGroup: '/supervision/groups/new',
  group: (id: string) => `/supervision/groups/${id}`,
  groupDiscussion: (id: string, childId: string) => `/supervision/groups/${id}/children/${childId}`,
  personal: '/supervision/personal',
  newPersonal: '/supervision/personal/new',
  personalRecord: (id: string) => `/supervision/personal/${id}`,
};

const sessionParams = z.object({ sessionId: uuidParam });
const discussionParams = z.object({ sessionId: uuidParam, personId: uuidParam });
const personParams = z.object({ personId: uuidParam });

export const supervisionListPage = definePage({
  path: SUPERVISION_PATHS.list,
  view: 'workforce/views/list.njk',
  access: 'signed-in',
  title: 'Case supervision',
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) }),
  audit: { action: 'supervision-sessions.viewed', subjectType: 'supervision-session' },
  load: async (ctx) => {
    if (!canUseSupervision(ctx.user)) throw new AccessDeniedError('supervision:record');
    const [sessions, supervisees, own, teams] = await Promise.all([
      supervisionSessions(ctx, { page: ctx.query.page }),
      superviseesDue(ctx),
      ownSupervisionDue(ctx),
      managedTeams(ctx),
    ]);
    const today = isoDateOf(ctx.now);
    const pages = Math.max(1, Math.ceil(sessions.total / SESSIONS_PAGE_SIZE));
    return {
      canRecord: ctx.user.permissions.has('supervision:record'),
      sessions: sessions.rows.map((s) => ({ ...s, href: SUPERVISION_PATHS.session(s.id) })),
      total: sessions.total,
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
      supervisees: supervisees.map((s) => ({
        ...s,
        overdue: s.dueOn < today,
        frequencyLabel: SUPERVISION_FREQUENCY_LABELS[s.frequency],
        href: `${SUPERVISION_PATHS.newSession}?supervisee=${s.id}`,
      })),
      own: own ? { ...own, overdue: own.dueOn < today } : null,
      teams: teams.map((team) => ({ ...team, href: SUPERVISION_PATHS.teamOversight(team.id) })),
    };
  },
});

export const newSupervisionSessionPage = definePage({
  path: SUPERVISION_PATHS.newSession,
  view: 'workforce/views/session-new.njk',
  access: 'supervision:record',
  title: 'Record a supervision session',
  query: z.object({ supervisee: z.uuid().optional().catch(undefined) }),
  form: ({ today }) => startSessionForm(today),
  load: async (ctx) => {
    const supervisees = await superviseesDue(ctx);
    return {
      supervisees: supervisees.map((s) => ({
        value: s.id,
        text: `${s.displayName} (${s.teamName}), due ${formatDateGovUk(s.dueOn)}`,
      })),
      preselected: ctx.query.supervisee ?? '',
    };
  },
  submit: async (ctx, form) => {
    const id = await startSupervisionSession(ctx, { superviseeId: form.superviseeId, heldOn: form.heldOn! });
    ctx.flash('Supervision session recorded: now record each child you discussed');
    return SUPERVISION_PATHS.session(id);
  },
});

export const supervisionSessionPage = definePage({
  path: '/supervision/:sessionId',
  view: 'workforce/views/session.njk',
  access: 'signed-in',
  title: (d: { session: { superviseeName: string; heldOn: string } }) =>
    `Supervision with ${d.session.superviseeName}, ${formatDateGovUk(d.session.heldOn)}`,
  params: sessionParams,
  form: followUpForm,
  audit: {
    action: 'supervision-session.viewed',
    subjectType: 'supervision-session',
    subject: (ctx) => ({ subjectId: ctx.params.sessionId }),
  },
  load: async (ctx) => {
    const data = await loadSupervisionSession(ctx, ctx.params.sessionId);
    return {
      ...data,
      toDiscuss: data.toDiscuss.map((c) => ({
        ...c,
        href: SUPERVISION_PATHS.discussion(data.session.id, c.id),
      })),
    };
  },
  submit: async (ctx, items) => {
    await followUpActions(ctx, { sessionId: ctx.params.sessionId, items });
    ctx.flash('Actions followed up');
    return SUPERVISION_PATHS.session(ctx.params.sessionId);
  },
});

export const supervisionDiscussionPage = definePage({
  path: '/supervision/:sessionId/children/:personId',
  view: 'workforce/views/discussion.njk',
  access: 'supervision:record',
  title: (d: { child: { name: string } }) => `Supervision discussion: ${d.child.name}`,
  params: discussionParams,
  form: ({ today }) => oversightForm(today, { reflection: true }),
  audit: {
    action: 'supervision-discussion.viewed',
    subjectType: 'supervision-session',
    subject: (ctx) => ({ subjectId: ctx.params.sessionId, childId: ctx.params.personId }),
  },
  load: async (ctx) => {
    const { session, child } = await sessionForDiscussion(ctx, ctx.params.sessionId, ctx.params.personId);
    return {
      session,
      child,
      backHref: SUPERVISION_PATHS.session(session.id),
      backText: 'Supervision session',
      caption: `Supervision with ${session.superviseeName}, ${formatDateGovUk(session.heldOn)}`,
      reflection: true,
    };
  },
  submit: async (ctx, form) => {
    await recordChildDiscussion(ctx, {
      ...form,
      sessionId: ctx.params.sessionId,
      childId: ctx.params.personId,
    });
    ctx.flash('Discussion recorded on the child’s record as management oversight');
    return SUPERVISION_PATHS.session(ctx.params.sessionId);
  },
});

export const managementOversightPage = definePage({
  path: '/people/:personId/management-oversight/new',
  view: 'workforce/views/oversight-new.njk',
  access: 'supervision:record',
  title: 'Record management oversight',
  params: personParams,
  form: ({ today }) => oversightForm(today, { reflection: false }),
  audit: {
    action: 'management-oversight-form.viewed',
    subjectType: 'person',
    subject: (ctx) => ({ subjectId: ctx.params.personId, childId: ctx.params.personId }),
  },
  load: async (ctx) => ({
    person: await loadPersonHeader(ctx, ctx.params.personId, 'write'),
    section: 'summary',
    reflection: false,
  }),
  submit: async (ctx, form) => {
    await recordManagementOversight(ctx, { ...form, childId: ctx.params.personId });
    ctx.flash('Management oversight recorded on the chronology');
    return `/people/${ctx.params.personId}/chronology?category=management-oversight`;
  },
});

export const supervisionSettingsPage = definePage({
  path: SUPERVISION_PATHS.settings,
  view: 'workforce/views/settings.njk',
  access: 'supervision:record',
  title: 'Case supervision frequency',
  form: settingsForm,
  audit: { action: 'supervision-settings.viewed', subjectType: 'local-authority' },
  load: async (ctx) => {
    const s = await supervisionSettings(ctx);
    return {
      ...s,
      items: SUPERVISION_FREQUENCIES.map((f) => ({ value: f, text: SUPERVISION_FREQUENCY_LABELS[f] })),
      saved: {
        frequency: s.frequency,
        oversightWindow: String(s.oversightWindow),
        version: String(s.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await saveSupervisionSettings(ctx, {
      frequency: form.frequency,
      oversightWindow: form.oversightWindow,
      version: form.version,
    });
    ctx.flash(`Case supervision is now due ${SUPERVISION_FREQUENCY_LABELS[form.frequency].toLowerCase()}`);
    return SUPERVISION_PATHS.list;
  },
});

export const teamOversightPage = definePage({
  path: '/supervision/teams/:teamId/oversight',
  view: 'workforce/views/team-oversight.njk',
  access: 'supervision:record',
  title: (d: { team: { name: string } }) => `Management oversight: ${d.team.name}`,
  params: z.object({ teamId: uuidParam }),
  query: z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) }),
  audit: {
    action: 'team-oversight.viewed',
    subjectType: 'team',
    subject: (ctx) => ({ subjectId: ctx.params.teamId }),
  },
  load: async (ctx) => {
    const n = await oversightWindowDays(ctx.db, ctx.user.localAuthorityId);
    const since = oversightWindowStart(isoDateOf(ctx.now), n, ctx.calendar);
    const data = await teamOversight(ctx, { teamId: ctx.params.teamId, since, page: ctx.query.page });
    const pages = Math.max(1, Math.ceil(data.total / TEAM_OVERSIGHT_PAGE_SIZE));
    return {
      ...data,
      n,
      since,
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (p) =>
        pageHref(ctx.request.url, p),
      ),
    };
  },
});

export const supervisionPages = [
  supervisionListPage,
  newSupervisionSessionPage,
  supervisionSettingsPage,
  supervisionSessionPage,
  supervisionDiscussionPage,
  managementOversightPage,
  teamOversightPage,
];
