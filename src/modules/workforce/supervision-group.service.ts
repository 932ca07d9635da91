import { requireAccess, visibleTo } from '../../kernel/access/index.ts';
import { BusinessRuleError, NotFoundError, AccessDeniedError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  type ReadContext,
  type ServiceContext,
  rowsAndTotal,
  pageWindow,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  applyFollowUps,
  CASE_HOLDING_ROLES,
  followUpsAt,
  oversightEntries,
  type FollowUpItem,
  requireSupervisionUser,
  writeOversight,
  type OversightInput,
} from './supervision.service.ts';

/**
 * Group supervision and reflective group sessions (workforce module): a manager ('supervision:record') facilitates a
 * session with several workers from the teams they manage and records, child by child, the same management
 * oversight an individual session does, written onto each child's record. A child is offered, and may be added, only
 * when the facilitator may change that child's record (restricted records stay restricted).
 *
 * Who sees a group session: its facilitator, its attendees and the management line of any attendee. Within it, only
 * the children the viewer may see are listed.
 */

export const GROUP_SESSION_KINDS = ['group', 'reflective'] as const;
export type GroupSessionKind = (typeof GROUP_SESSION_KINDS)[number];
export const GROUP_SESSION_KIND_LABELS: Record<GroupSessionKind, string> = {
  group: 'Group supervision',
  reflective: 'Reflective group session',
};

/** The workers the user may bring to a group session: active case holders in the teams they manage. */
export async function groupAttendeeChoices(ctx: ReadContext) {
  requirePermission(ctx.user, 'supervision:record');
  if (!ctx.user.managedTeamIds.length) return [];
  return ctx.db
    .selectFrom('users as u')
    .innerJoin('teams as t', 't.id', 'u.teamId')
    .select(['u.id', 'u.displayName', 't.name as teamName'])
    .where('u.status', '=', 'active')
    .where('u.id', '!=', ctx.user.id)
    .where('u.teamId', 'in', ctx.user.managedTeamIds)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('userRoles as r')
          .select('r.userId')
          .whereRef('r.userId', '=', 'u.id')
          .where('r.role', 'in', CASE_HOLDING_ROLES),
      ),
    )
    .orderBy('t.name')
    .orderBy('u.displayName')
    .limit(200)
    .execute();
}

export async function startGroupSession(
  ctx: ServiceContext,
  input: { kind: GroupSessionKind; heldOn: string; focus?: string | undefined; attendeeIds: string[] },
): Promise<string> {
  const choices = new Set((await groupAttendeeChoices(ctx)).map((c) => c.id));
  const attendees = [...new Set(input.attendeeIds)];
  if (attendees.length < 2)
    throw new BusinessRuleError('attendeeIds', 'Select at least 2 workers who attended');
  if (attendees.some((id) => !choices.has(id)))
    throw new BusinessRuleError('attendeeIds', 'Select only workers in teams you manage');
  if (input.heldOn > isoDateOf(ctx.now))
    throw new BusinessRuleError('heldOn', 'Date of the session must be today or in the past');
  const localAuthorityId = ctx.user.localAuthorityId;
  if (!localAuthorityId) throw new AccessDeniedError('supervision:record');
  const { id } = await ctx.db
    .insertInto('groupSupervisionSessions')
    .values({
      localAuthorityId,
      kind: input.kind,
      facilitatorId: ctx.user.id,
      heldOn: input.heldOn,
      focus: input.focus?.trim() || null,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('groupSupervisionAttendees')
    .values(attendees.map((userId) => ({ sessionId: id, userId })))
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'group-supervision.recorded',
      subjectType: 'group-supervision-session',
      subjectId: id,
      details: { kind: input.kind, heldOn: input.heldOn, attendeeIds: attendees },
    },
  });
  return id;
}

/** The session if the user may see it (facilitator, attendee, an attendee's management line); 404 otherwise. */
async function visibleGroupSession(ctx: ReadContext, sessionId: string) {
  requireSupervisionUser(ctx.user);
  const session = await ctx.db
    .selectFrom('groupSupervisionSessions as s')
    .innerJoin('users as f', 'f.id', 's.facilitatorId')
    .select([
      's.id',
      's.kind',
      's.heldOn',
      's.recordedAt',
      's.focus',
      's.facilitatorId',
      'f.displayName as facilitatorName',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!session) throw new NotFoundError('No such group session');
  const attendees = await ctx.db
    .selectFrom('groupSupervisionAttendees as a')
    .innerJoin('users as u', 'u.id', 'a.userId')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .select(['u.id', 'u.displayName', 'u.teamId', 't.name as teamName'])
    .where('a.sessionId', '=', session.id)
    .orderBy('u.displayName')
    .execute();
  const managed = ctx.user.permissions.has('supervision:record') ? ctx.user.managedTeamIds : [];
  const sees =
    session.facilitatorId === ctx.user.id ||
    attendees.some((a) => a.id === ctx.user.id || (!!a.teamId && managed.includes(a.teamId)));
  if (!sees) throw new NotFoundError('No such group session');
  return { ...session, kind: session.kind as GroupSessionKind, attendees };
}

async function ownGroupSession(ctx: ServiceContext, sessionId: string) {
  requirePermission(ctx.user, 'supervision:record');
  const session = await visibleGroupSession(ctx, sessionId);
  if (session.facilitatorId !== ctx.user.id) throw new AccessDeniedError('supervision:record');
  return session;
}

/**
 * A group session as the user may see it: who attended, the children discussed that the user may see (with how many
 * others there are) and, for the facilitator, the attendees' allocated children they may see, not yet discussed.
 */
export async function loadGroupSession(ctx: ReadContext, sessionId: string) {
  const session = await visibleGroupSession(ctx, sessionId);
  const discussed = await oversightEntries(ctx, { groupSessionId: session.id });
  const { n } = await ctx.db
    .selectFrom('managementOversight')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('groupSessionId', '=', session.id)
    .executeTakeFirstOrThrow();
  const isFacilitator = session.facilitatorId === ctx.user.id;
  const children = isFacilitator
    ? await ctx.db
        .selectFrom('allocations as a')
        .innerJoin('people as p', 'p.id', 'a.childId')
        .innerJoin('users as w', 'w.id', 'a.workerId')
        .select(['p.id', 'p.givenName', 'p.familyName', 'w.displayName as workerName'])
        .distinctOn(['p.familyName', 'p.givenName', 'p.id'])
        .where(
          'a.workerId',
          'in',
          session.attendees.map((a) => a.id),
        )
        .where('a.endedOn', 'is', null)
        .where('p.kind', '=', 'child')
        .where(visibleTo(ctx.user, ctx.now, 'p.id'))
        .orderBy('p.familyName')
        .orderBy('p.givenName')
        .orderBy('p.id')
        .limit(200)
        .execute()
    : [];
  const discussedIds = new Set(discussed.map((d) => d.childId));
  return {
    session: { ...session, kindLabel: GROUP_SESSION_KIND_LABELS[session.kind] },
    isFacilitator,
    discussed,
    followUps: await groupFollowUps(ctx, session),
    followedUpHere: await followUpsAt(ctx, { groupSessionId: session.id }),
    hiddenCount: Number(n) - discussed.length,
    toDiscuss: children
      .filter((c) => !discussedIds.has(c.id))
      .map((c) => ({ id: c.id, name: `${c.givenName} ${c.familyName}`, workerName: c.workerName })),
  };
}

/**
 * The actions still open from earlier group sessions that this session follows up. The rule, as a manager would
 * expect it: the same group meeting again, i.e. an earlier session of the same kind (group supervision, or
 * reflective) with at least one attendee in common, whoever facilitated it (a group keeps its actions when its
 * facilitator changes, and a manager running two separate groups does not see the other group's actions). Only
 * the children the user may see are listed.
 */
async function groupFollowUps(
  ctx: ReadContext,
  session: {
    id: string;
    kind: GroupSessionKind;
    heldOn: string;
    recordedAt: Date;
    attendees: { id: string }[];
  },
) {
  if (!session.attendees.length) return [];
  const earlier = await ctx.db
    .selectFrom('groupSupervisionSessions as s')
    .select('s.id')
    .where('s.kind', '=', session.kind)
    .where('s.id', '!=', session.id)
    .where((eb) =>
      eb.or([
        eb('s.heldOn', '<', session.heldOn),
        eb.and([eb('s.heldOn', '=', session.heldOn), eb('s.recordedAt', '<', session.recordedAt)]),
      ]),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('groupSupervisionAttendees as a')
          .select('a.userId')
          .whereRef('a.sessionId', '=', 's.id')
          .where(
            'a.userId',
            'in',
            session.attendees.map((a) => a.id),
          ),
      ),
    )
    .execute();
  // Oldest agreed first, as for an individual session (oversightEntries returns newest first).
  return (await oversightEntries(ctx, { groupSessionIds: earlier.map((e) => e.id) }))
    .map((e) => ({ ...e, actions: e.actions.filter((a) => a.status === 'open') }))
    .filter((e) => e.actions.length)
    .sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || a.childName.localeCompare(b.childName));
}

/** The facilitator follows up, at this group session, the actions open from the group's earlier sessions. */
export async function followUpGroupActions(
  ctx: ServiceContext,
  input: { groupSessionId: string; items: FollowUpItem[] },
): Promise<void> {
  const session = await ownGroupSession(ctx, input.groupSessionId);
  await applyFollowUps(
    ctx,
    {
      sessionId: null,
      groupSessionId: session.id,
      heldOn: session.heldOn,
      label: GROUP_SESSION_KIND_LABELS[session.kind].toLowerCase(),
    },
    await groupFollowUps(ctx, session),
    input.items,
  );
}

/** The header of the form for a child's part: only the facilitator, and only for a child whose record they may change. */
export async function groupSessionForDiscussion(ctx: ServiceContext, sessionId: string, childId: string) {
  const session = await ownGroupSession(ctx, sessionId);
  await requireAccess(ctx.db, ctx.user, 'write', [childId], ctx.now);
  const child = await ctx.db
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName', 'kind'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  if (child.kind !== 'child') throw new NotFoundError('No such child');
  return {
    session: { ...session, kindLabel: GROUP_SESSION_KIND_LABELS[session.kind] },
    child: { id: child.id, name: `${child.givenName} ${child.familyName}` },
  };
}

/** The child's part of a group session, written onto the child's record as management oversight. */
export async function recordGroupChildDiscussion(
  ctx: ServiceContext,
  input: OversightInput & { groupSessionId: string },
): Promise<string> {
  const { session } = await groupSessionForDiscussion(ctx, input.groupSessionId, input.childId);
  const already = await ctx.db
    .selectFrom('managementOversight')
    .select('id')
    .where('groupSessionId', '=', session.id)
    .where('childId', '=', input.childId)
    .executeTakeFirst();
  if (already)
    throw new BusinessRuleError('decision', 'This child’s discussion is already recorded for this session');
  return writeOversight(
    ctx,
    { ...input, sessionId: null, groupSessionId: session.id, occurredOn: session.heldOn },
    `${session.kindLabel}: management oversight (facilitated by ${session.facilitatorName})`,
  );
}

export const GROUP_SESSIONS_PAGE_SIZE = 25;

/** The group sessions the user may see, newest first, paged. */
export async function groupSessions(ctx: ReadContext, input: { page: number }) {
  requireSupervisionUser(ctx.user);
  const managed = ctx.user.permissions.has('supervision:record') ? ctx.user.managedTeamIds : [];
  const base = ctx.db
    .selectFrom('groupSupervisionSessions as s')
    .innerJoin('users as f', 'f.id', 's.facilitatorId')
    .where((eb) =>
      eb.or([
        eb('s.facilitatorId', '=', ctx.user.id),
        eb.exists(
          eb
            .selectFrom('groupSupervisionAttendees as a')
            .innerJoin('users as u', 'u.id', 'a.userId')
            .select('a.userId')
            .whereRef('a.sessionId', '=', 's.id')
            .where((w) =>
              w.or([
                w('a.userId', '=', ctx.user.id),
                ...(managed.length ? [w('u.teamId', 'in', managed)] : []),
              ]),
            ),
        ),
      ]),
    );
  const { rows, total } = await rowsAndTotal(
    base,
    (q) =>
      q
        .select((eb) => [
          's.id',
          's.kind',
          's.heldOn',
          's.focus',
          'f.displayName as facilitatorName',
          eb
            .selectFrom('groupSupervisionAttendees as a')
            .select((a) => a.fn.countAll<string>().as('n'))
            .whereRef('a.sessionId', '=', 's.id')
            .as('attendees'),
          eb
            .selectFrom('managementOversight as o')
            .select((o) => o.fn.countAll<string>().as('n'))
            .whereRef('o.groupSessionId', '=', 's.id')
            .as('children'),
        ])
        .orderBy('s.heldOn', 'desc')
        .orderBy('s.recordedAt', 'desc'),
    pageWindow(input.page, GROUP_SESSIONS_PAGE_SIZE),
  );
  return {
    rows: rows.map((r) => ({
      ...r,
      kindLabel: GROUP_SESSION_KIND_LABELS[r.kind as GroupSessionKind],
      attendees: Number(r.attendees ?? 0),
      children: Number(r.children ?? 0),
    })),
    total,
  };
}
