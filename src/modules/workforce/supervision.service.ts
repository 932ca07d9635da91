import { sql } from 'kysely';
import {
  holdsRoleIn,
  requireAccess,
  ROLE_PERMISSIONS,
  ROLES,
  visibleTo,
  type CurrentUser,
} from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
  saveVersioned,
  rowsAndTotal,
  pageWindow,
} from '../../kernel/service/index.ts';
import { formatDateGovUk, instantAt, isoDateOf } from '../../kernel/time/index.ts';
import {
  DEFAULT_OVERSIGHT_WINDOW,
  DEFAULT_SUPERVISION_FREQUENCY,
  followUpEffect,
  nextSupervisionDue,
  SUPERVISION_FREQUENCIES,
  type ActionFollowUp,
  type SupervisionFrequency,
} from './supervision.ts';

/**
 * Case supervision (workforce module): a supervisor ('supervision:record') meets a supervisee and, child by child,
 * records the reflection, the decision, its rationale and the actions agreed. Each child's part is management
 * oversight on that child's record (a chronology entry, category 'management-oversight'), so it is seen by exactly
 * those who may see the child. Actions still open are followed up at the supervisee's next session: done, or
 * carried forward.
 *
 * Who sees a session: its supervisor, its supervisee and the supervisee's management line (managers of the
 * supervisee's team or a team above it). Within a session, only the children the viewer may see are listed.
 */

/** Roles that hold cases (their permissions include writing a child's record): the people who are supervised. */
export const CASE_HOLDING_ROLES = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('child:write'));

/** Practitioners see their own supervision; managers record it. Everyone else (partners, analysts …) gets 403. */
export function canUseSupervision(user: CurrentUser): boolean {
  return (
    !user.isPartner && (user.permissions.has('supervision:record') || user.permissions.has('child:write'))
  );
}

export function requireSupervisionUser(user: CurrentUser): void {
  if (!canUseSupervision(user)) throw new AccessDeniedError('supervision:record');
}

// Settings ----------------------------------------------------------------------------------------------------------

export async function supervisionFrequency(
  db: Db,
  localAuthorityId: string | null,
): Promise<SupervisionFrequency> {
  if (!localAuthorityId) return DEFAULT_SUPERVISION_FREQUENCY;
  const row = await db
    .selectFrom('supervisionSettings')
    .select('caseSupervisionFrequency')
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return (row?.caseSupervisionFrequency as SupervisionFrequency | undefined) ?? DEFAULT_SUPERVISION_FREQUENCY;
}

/** The settings of the user's home authority, with the version the form carries (0 while on the default). */
export async function supervisionSettings(ctx: ReadContext) {
  requirePermission(ctx.user, 'supervision:record');
  const laId = ctx.user.localAuthorityId;
  if (!laId) throw new NotFoundError();
  const row = await ctx.db
    .selectFrom('supervisionSettings as s')
    .innerJoin('localAuthorities as la', 'la.id', 's.localAuthorityId')
    .leftJoin('users as u', 'u.id', 's.updatedBy')
    .select([
      's.caseSupervisionFrequency',
      's.oversightWindowWorkingDays',
      's.version',
      's.updatedAt',
      'u.displayName as updatedByName',
    ])
    .where('s.localAuthorityId', '=', laId)
    .executeTakeFirst();
  const la = await ctx.db
    .selectFrom('localAuthorities')
    .select(['id', 'name'])
    .where('id', '=', laId)
    .executeTakeFirstOrThrow();
  return {
    localAuthority: la,
    frequency:
      (row?.caseSupervisionFrequency as SupervisionFrequency | undefined) ?? DEFAULT_SUPERVISION_FREQUENCY,
    oversightWindow: row?.oversightWindowWorkingDays ?? DEFAULT_OVERSIGHT_WINDOW,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

/**
 * Saves the home authority's case supervision frequency and oversight window (working days; the current one when not
 * given); `version` is the one the form was loaded with (0: default).
 */
export async function saveSupervisionSettings(
  ctx: ServiceContext,
  input: { frequency: SupervisionFrequency; oversightWindow?: number | undefined; version: number },
): Promise<void> {
  const current = await supervisionSettings(ctx);
  if (!SUPERVISION_FREQUENCIES.includes(input.frequency))
    throw new BusinessRuleError('frequency', 'Select how often case supervision takes place');
  const window = input.oversightWindow ?? current.oversightWindow;
  if (!Number.isInteger(window) || window < 1 || window > 65)
    throw new BusinessRuleError('oversightWindow', 'Enter a number of working days from 1 to 65');
  const laId = current.localAuthority.id;
  const values = {
    caseSupervisionFrequency: input.frequency,
    oversightWindowWorkingDays: window,
    updatedAt: ctx.now,
    updatedBy: ctx.user.id,
  };
  await saveVersioned(
    ctx.db,
    { table: 'supervisionSettings', key: 'localAuthorityId', id: laId, version: input.version },
    values,
  );
  await recordChange(ctx, {
    audit: {
      action: 'supervision-settings.changed',
      subjectType: 'local-authority',
      subjectId: laId,
      details: {
        before: { frequency: current.frequency, oversightWindow: current.oversightWindow },
        after: { frequency: input.frequency, oversightWindow: window },
      },
    },
  });
}

// Supervisees and when they are due --------------------------------------------------------------------------------

export interface SuperviseeDue {
  id: string;
  displayName: string;
  teamName: string;
  lastHeldOn: string | null;
  dueOn: string;
  frequency: SupervisionFrequency;
}

/**
 * The people the user supervises directly: active case holders in the teams they manage, and the managers of the
 * teams just below those. (The wider management line may read their sessions but does not supervise them.)
 */
function directReportsQuery(db: Db, supervisorId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('teams as t', 't.id', 'u.teamId')
    .select((eb) => [
      'u.id',
      'u.displayName',
      'u.localAuthorityId',
      'u.createdAt',
      't.name as teamName',
      eb
        .selectFrom('supervisionSessions as s')
        .select((s) => s.fn.max('s.heldOn').as('m'))
        .whereRef('s.superviseeId', '=', 'u.id')
        .as('lastHeldOn'),
    ])
    .where('u.status', '=', 'active')
    .where('u.id', '!=', supervisorId)
    .where(holdsRoleIn(CASE_HOLDING_ROLES))
    .where((eb) =>
      eb.or([
        eb('t.managerUserId', '=', supervisorId),
        eb.and([
          eb('t.managerUserId', '=', eb.ref('u.id')),
          eb(
            't.parentTeamId',
            'in',
            eb.selectFrom('teams as pt').select('pt.id').where('pt.managerUserId', '=', supervisorId),
          ),
        ]),
      ]),
    );
}

async function withDueDates(
  ctx: ReadContext,
  rows: {
    id: string;
    displayName: string;
    localAuthorityId: string | null;
    createdAt: Date;
    teamName: string;
    lastHeldOn: string | null;
  }[],
): Promise<SuperviseeDue[]> {
  const frequencies = new Map<string | null, SupervisionFrequency>();
  for (const laId of new Set(rows.map((r) => r.localAuthorityId)))
    frequencies.set(laId, await supervisionFrequency(ctx.db, laId));
  return rows
    .map((r) => {
      const frequency = frequencies.get(r.localAuthorityId) ?? DEFAULT_SUPERVISION_FREQUENCY;
      return {
        id: r.id,
        displayName: r.displayName,
        teamName: r.teamName,
        lastHeldOn: r.lastHeldOn,
        frequency,
        dueOn: nextSupervisionDue(
          { lastHeldOn: r.lastHeldOn, startedOn: isoDateOf(r.createdAt), frequency },
          ctx.calendar,
        ),
      };
    })
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.displayName.localeCompare(b.displayName));
}

/** The user's supervisees with when each is next due, soonest first (empty without 'supervision:record'). */
export async function superviseesDue(ctx: ReadContext): Promise<SuperviseeDue[]> {
  if (!ctx.user.permissions.has('supervision:record')) return [];
  return withDueDates(
    ctx,
    await directReportsQuery(ctx.db, ctx.user.id).orderBy('u.displayName').limit(200).execute(),
  );
}

/** When the user's own case supervision is next due, if someone supervises them (a manager above them). */
export async function ownSupervisionDue(ctx: ReadContext): Promise<SuperviseeDue | null> {
  if (!ctx.user.permissions.has('child:write')) return null;
  const supervisor = await ctx.db
    .selectFrom('users as u')
    .innerJoin('teams as t', 't.id', 'u.teamId')
    .leftJoin('teams as pt', 'pt.id', 't.parentTeamId')
    .select(['t.managerUserId as teamManager', 'pt.managerUserId as parentManager'])
    .where('u.id', '=', ctx.user.id)
    .executeTakeFirst();
  const supervisorId =
    supervisor?.teamManager && supervisor.teamManager !== ctx.user.id
      ? supervisor.teamManager
      : (supervisor?.parentManager ?? null);
  if (!supervisorId || supervisorId === ctx.user.id) return null;
  const rows = await directReportsQuery(ctx.db, supervisorId).where('u.id', '=', ctx.user.id).execute();
  return (await withDueDates(ctx, rows))[0] ?? null;
}

// Sessions ---------------------------------------------------------------------------------------------------------

/** The user may see a supervisee's sessions: they are the supervisee, or in the supervisee's management line. */
function seesSupervisionOf(user: CurrentUser, supervisee: { id: string; teamId: string | null }): boolean {
  return (
    supervisee.id === user.id ||
    (user.permissions.has('supervision:record') &&
      !!supervisee.teamId &&
      user.managedTeamIds.includes(supervisee.teamId))
  );
}

export async function startSupervisionSession(
  ctx: ServiceContext,
  input: { superviseeId: string; heldOn: string },
): Promise<string> {
  requirePermission(ctx.user, 'supervision:record');
  const supervisee = await ctx.db
    .selectFrom('users')
    .select(['id', 'teamId', 'displayName', 'localAuthorityId', 'status'])
    .where('id', '=', input.superviseeId)
    .executeTakeFirst();
  if (
    !supervisee ||
    supervisee.status !== 'active' ||
    supervisee.id === ctx.user.id ||
    !seesSupervisionOf(ctx.user, supervisee)
  )
    throw new BusinessRuleError('superviseeId', 'Select someone you supervise');
  if (input.heldOn > isoDateOf(ctx.now))
    throw new BusinessRuleError('heldOn', 'Date of the supervision must be today or in the past');
  const localAuthorityId = supervisee.localAuthorityId ?? ctx.user.localAuthorityId;
  if (!localAuthorityId) throw new BusinessRuleError('superviseeId', 'Select someone you supervise');
  const { id } = await ctx.db
    .insertInto('supervisionSessions')
    .values({
      localAuthorityId,
      supervisorId: ctx.user.id,
      superviseeId: supervisee.id,
      heldOn: input.heldOn,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'supervision-session.recorded',
      subjectType: 'supervision-session',
      subjectId: id,
      details: { superviseeId: supervisee.id, heldOn: input.heldOn },
    },
  });
  return id;
}

async function sessionRow(db: Db, sessionId: string) {
  return db
    .selectFrom('supervisionSessions as s')
    .innerJoin('users as sr', 'sr.id', 's.supervisorId')
    .innerJoin('users as se', 'se.id', 's.superviseeId')
    .select([
      's.id',
      's.heldOn',
      's.supervisorId',
      's.superviseeId',
      's.recordedAt',
      'sr.displayName as supervisorName',
      'se.displayName as superviseeName',
      'se.teamId as superviseeTeamId',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

/** The session if the user may see it; NotFoundError otherwise (as for a missing one). */
async function visibleSession(ctx: ReadContext, sessionId: string) {
  requireSupervisionUser(ctx.user);
  const session = await sessionRow(ctx.db, sessionId);
  if (
    !session ||
    !(
      session.supervisorId === ctx.user.id ||
      seesSupervisionOf(ctx.user, { id: session.superviseeId, teamId: session.superviseeTeamId })
    )
  )
    throw new NotFoundError('No such supervision session');
  return session;
}

/** The session's supervisor, and only they, add to it. */
async function ownSession(ctx: ServiceContext, sessionId: string) {
  requirePermission(ctx.user, 'supervision:record');
  const session = await visibleSession(ctx, sessionId);
  if (session.supervisorId !== ctx.user.id) throw new AccessDeniedError('supervision:record');
  return session;
}

export interface OversightAction {
  id: string;
  description: string;
  owner: string;
  dueOn: string;
  status: string;
  timesCarriedForward: number;
  completedOn: string | null;
  version: number;
}

/** Oversight entries (with their child and actions) by condition, limited to children the user may see. */
export async function oversightEntries(
  ctx: ReadContext,
  where: { sessionIds?: string[]; groupSessionId?: string; groupSessionIds?: string[]; childId?: string },
) {
  if (where.sessionIds && !where.sessionIds.length) return [];
  if (where.groupSessionIds && !where.groupSessionIds.length) return [];
  let q = ctx.db
    .selectFrom('managementOversight as o')
    .innerJoin('people as p', 'p.id', 'o.childId')
    .innerJoin('users as u', 'u.id', 'o.recordedBy')
    .select([
      'o.id',
      'o.sessionId',
      'o.childId',
      'o.occurredOn',
      'o.worries',
      'o.workingWell',
      'o.childVoice',
      'o.hypotheses',
      'o.decision',
      'o.rationale',
      'o.reviewOn',
      'u.displayName as recordedByName',
      'p.givenName',
      'p.familyName',
    ])
    .where(visibleTo(ctx.user, ctx.now, 'p.id'));
  if (where.sessionIds) q = q.where('o.sessionId', 'in', where.sessionIds);
  if (where.groupSessionId) q = q.where('o.groupSessionId', '=', where.groupSessionId);
  if (where.groupSessionIds) q = q.where('o.groupSessionId', 'in', where.groupSessionIds);
  if (where.childId) q = q.where('o.childId', '=', where.childId);
  const entries = await q
    .orderBy('o.occurredOn', 'desc')
    .orderBy('p.familyName')
    .orderBy('p.givenName')
    .execute();
  const actions = entries.length
    ? await ctx.db
        .selectFrom('supervisionActions')
        .select([
          'id',
          'oversightId',
          'description',
          'owner',
          'dueOn',
          'status',
          'timesCarriedForward',
          'completedOn',
          'version',
        ])
        .where(
          'oversightId',
          'in',
          entries.map((e) => e.id),
        )
        .orderBy('dueOn')
        .execute()
    : [];
  return entries.map((e) => ({
    ...e,
    childName: `${e.givenName} ${e.familyName}`,
    actions: actions.filter((a) => a.oversightId === e.id) as OversightAction[],
  }));
}

export type OversightEntry = Awaited<ReturnType<typeof oversightEntries>>[number];

/**
 * A session as the user may see it: who and when, the children discussed that the user may see (with how many
 * others there are), the actions from the supervisee's earlier sessions still open (to follow up), and, for the
 * supervisor, the supervisee's children not yet discussed.
 */
export async function loadSupervisionSession(ctx: ReadContext, sessionId: string) {
  const session = await visibleSession(ctx, sessionId);
  const discussed = await oversightEntries(ctx, { sessionIds: [session.id] });
  const { n } = await ctx.db
    .selectFrom('managementOversight')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sessionId', '=', session.id)
    .executeTakeFirstOrThrow();
  const isSupervisor = session.supervisorId === ctx.user.id;
  // Actions open from the supervisee's earlier sessions (or carried forward at this one).
  const earlier = await ctx.db
    .selectFrom('supervisionSessions')
    .select('id')
    .where('superviseeId', '=', session.superviseeId)
    .where('id', '!=', session.id)
    .where((eb) =>
      eb.or([
        eb('heldOn', '<', session.heldOn),
        eb.and([eb('heldOn', '=', session.heldOn), eb('recordedAt', '<', session.recordedAt)]),
      ]),
    )
    .execute();
  const followUps = (await oversightEntries(ctx, { sessionIds: earlier.map((s) => s.id) }))
    .map((e) => ({ ...e, actions: e.actions.filter((a) => a.status === 'open') }))
    .filter((e) => e.actions.length);
  const caseload = isSupervisor
    ? await ctx.db
        .selectFrom('allocations as a')
        .innerJoin('people as p', 'p.id', 'a.childId')
        .select(['p.id', 'p.givenName', 'p.familyName'])
        .distinct()
        .where('a.workerId', '=', session.superviseeId)
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
  const followedUpHere = await followUpsAt(ctx, { sessionId: session.id });
  return {
    session,
    isSupervisor,
    discussed,
    followedUpHere,
    hiddenCount: Number(n) - discussed.length,
    followUps,
    toDiscuss: caseload
      .filter((c) => !discussedIds.has(c.id))
      .map((c) => ({ id: c.id, name: `${c.givenName} ${c.familyName}` })),
  };
}

/** The session's header for the form that records a child's part. */
export async function sessionForDiscussion(ctx: ServiceContext, sessionId: string, childId: string) {
  const session = await ownSession(ctx, sessionId);
  await requireAccess(ctx.db, ctx.user, 'write', [childId], ctx.now);
  const child = await ctx.db
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  return { session, child: { id: child.id, name: `${child.givenName} ${child.familyName}` } };
}

export interface ActionInput {
  description: string;
  owner: string;
  dueOn: string;
}

export interface OversightInput {
  childId: string;
  worries?: string | undefined;
  workingWell?: string | undefined;
  childVoice?: string | undefined;
  hypotheses?: string | undefined;
  decision: string;
  rationale: string;
  reviewOn?: string | undefined;
  actions: ActionInput[];
}

function chronologySummary(input: OversightInput): string {
  const parts: string[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value?.trim()) parts.push(`${label}: ${value.trim()}`);
  };
  add('What we are worried about', input.worries);
  add('What is working well', input.workingWell);
  add('What the child would say', input.childVoice);
  add('Hypotheses', input.hypotheses);
  add('Decision', input.decision);
  add('Rationale', input.rationale);
  for (const a of input.actions)
    parts.push(`Action: ${a.description} (${a.owner}, by ${formatDateGovUk(a.dueOn)})`);
  if (input.reviewOn) parts.push(`Review by ${formatDateGovUk(input.reviewOn)}`);
  return parts.join('\n');
}

/** Writes one child's management oversight (and its actions) with its audit entry and chronology entry. */
export async function writeOversight(
  ctx: ServiceContext,
  input: OversightInput & { sessionId: string | null; groupSessionId?: string; occurredOn: string },
  title: string,
): Promise<string> {
  const { id } = await ctx.db
    .insertInto('managementOversight')
    .values({
      childId: input.childId,
      sessionId: input.sessionId,
      groupSessionId: input.groupSessionId ?? null,
      occurredOn: input.occurredOn,
      worries: input.worries?.trim() || null,
      workingWell: input.workingWell?.trim() || null,
      childVoice: input.childVoice?.trim() || null,
      hypotheses: input.hypotheses?.trim() || null,
      decision: input.decision.trim(),
      rationale: input.rationale.trim(),
      reviewOn: input.reviewOn ?? null,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.actions.length)
    await ctx.db
      .insertInto('supervisionActions')
      .values(
        input.actions.map((a) => ({
          oversightId: id,
          childId: input.childId,
          description: a.description.trim(),
          owner: a.owner.trim(),
          dueOn: a.dueOn,
        })),
      )
      .execute();
  await recordChange(ctx, {
    audit: {
      action: 'management-oversight.recorded',
      subjectType: 'management-oversight',
      subjectId: id,
      childId: input.childId,
      details: {
        sessionId: input.sessionId,
        ...(input.groupSessionId ? { groupSessionId: input.groupSessionId } : {}),
        actions: input.actions.length,
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'management-oversight',
      title,
      summary: chronologySummary(input),
      occurredAt: instantAt(input.occurredOn, '12:00'),
      sourceType: 'management-oversight',
      sourceId: id,
    },
  });
  return id;
}

/** The child's part of a supervision session, written to the child's chronology as management oversight. */
export async function recordChildDiscussion(
  ctx: ServiceContext,
  input: OversightInput & { sessionId: string },
): Promise<string> {
  const { session } = await sessionForDiscussion(ctx, input.sessionId, input.childId);
  const already = await ctx.db
    .selectFrom('managementOversight')
    .select('id')
    .where('sessionId', '=', session.id)
    .where('childId', '=', input.childId)
    .executeTakeFirst();
  if (already)
    throw new BusinessRuleError('decision', 'This child’s discussion is already recorded for this session');
  return writeOversight(
    ctx,
    { ...input, sessionId: session.id, occurredOn: session.heldOn },
    `Case supervision: management oversight (${session.supervisorName} with ${session.superviseeName})`,
  );
}

/** Management oversight recorded from the child's record, outside a supervision session. */
export async function recordManagementOversight(ctx: ServiceContext, input: OversightInput): Promise<string> {
  requirePermission(ctx.user, 'supervision:record');
  await requireAccess(ctx.db, ctx.user, 'write', [input.childId], ctx.now);
  const today = isoDateOf(ctx.now);
  if (input.reviewOn && input.reviewOn < today)
    throw new BusinessRuleError('reviewOn', 'Review date must be today or in the future');
  return writeOversight(
    ctx,
    { ...input, sessionId: null, occurredOn: today },
    `Management oversight by ${ctx.user.displayName}`,
  );
}

/** The child's header for the oversight form: the user must be a manager who may change the child's record. */
export async function childForOversight(ctx: ReadContext, childId: string) {
  requirePermission(ctx.user, 'supervision:record');
  await requireAccess(ctx.db, ctx.user, 'write', [childId], ctx.now);
  const child = await ctx.db
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  return { id: child.id, name: `${child.givenName} ${child.familyName}` };
}

/**
 * Follows up the actions open from the supervisee's earlier sessions at this one: each is done (closed on the
 * session's date), carried forward (stays open, counted) or dropped (closed, with a note saying why). Each action's
 * version is checked in its UPDATE; each follow-up is kept (supervision_action_follow_ups) with its note.
 */
export async function followUpActions(
  ctx: ServiceContext,
  input: { sessionId: string; items: FollowUpItem[] },
): Promise<void> {
  const session = await ownSession(ctx, input.sessionId);
  const { followUps } = await loadSupervisionSession(ctx, session.id);
  await applyFollowUps(
    ctx,
    { sessionId: session.id, groupSessionId: null, heldOn: session.heldOn, label: 'supervision' },
    followUps,
    input.items,
  );
}

export interface FollowUpItem {
  actionId: string;
  version: number;
  outcome: ActionFollowUp;
  note?: string | undefined;
}

/**
 * Records the follow-up of open actions at a session (individual or group): each is done (closed on the session's
 * date), carried forward (stays open, counted) or dropped (closed, with a note saying why), checked against the
 * action's version in its UPDATE, kept as a follow-up row, audited and written on the child's chronology. Only the
 * actions in `followUps` (those open and shown at this session) may be followed up, and only on a record the user
 * may change.
 */
export async function applyFollowUps(
  ctx: ServiceContext,
  at: { sessionId: string | null; groupSessionId: string | null; heldOn: string; label: string },
  followUps: OversightEntry[],
  items: FollowUpItem[],
): Promise<void> {
  if (!items.length)
    throw new BusinessRuleError('actions', 'Select done, carry forward or dropped for an action');
  const open = new Map(
    followUps.flatMap((e) => e.actions.map((a) => [a.id, { action: a, entry: e }] as const)),
  );
  for (const item of items) {
    const found = open.get(item.actionId);
    if (!found || found.action.status !== 'open')
      throw new BusinessRuleError(`outcome-${item.actionId}`, 'This action is no longer open');
    const note = item.note?.trim() || null;
    if (item.outcome === 'dropped' && !note)
      throw new BusinessRuleError(`note-${item.actionId}`, 'Enter why the action is dropped');
    await requireAccess(ctx.db, ctx.user, 'write', [found.entry.childId], ctx.now);
    const effect = followUpEffect(item.outcome);
    requireUpdated(
      await ctx.db
        .updateTable('supervisionActions')
        .set({
          status: effect.status,
          completedOn: effect.status === 'open' ? null : at.heldOn,
          timesCarriedForward:
            effect.status === 'open' ? sql`times_carried_forward + 1` : sql`times_carried_forward`,
          ...(at.sessionId ? { lastFollowedUpSessionId: at.sessionId } : {}),
          version: sql`version + 1`,
        })
        .where('id', '=', item.actionId)
        .where('status', '=', 'open')
        .where('version', '=', item.version)
        .executeTakeFirst(),
      'Someone else followed up this action while you were recording. Check the actions and save again.',
    );
    await ctx.db
      .insertInto('supervisionActionFollowUps')
      .values({
        actionId: item.actionId,
        sessionId: at.sessionId,
        groupSessionId: at.groupSessionId,
        outcome: effect.stored,
        note,
        recordedAt: ctx.now,
        recordedBy: ctx.user.id,
      })
      .execute();
    const title = {
      done: 'Supervision action done',
      'carry-forward': 'Supervision action carried forward',
      dropped: 'Supervision action dropped',
    }[item.outcome];
    await recordChange(ctx, {
      audit: {
        action: `supervision-action.${effect.stored}`,
        subjectType: 'supervision-action',
        subjectId: item.actionId,
        childId: found.entry.childId,
        details: {
          ...(at.sessionId ? { sessionId: at.sessionId } : { groupSessionId: at.groupSessionId }),
          note: note !== null,
        },
      },
      chronology: {
        childIds: [found.entry.childId],
        category: 'management-oversight',
        title,
        summary: `${found.action.description} (${found.action.owner}), followed up in ${at.label} on ${formatDateGovUk(at.heldOn)}${note ? `\nNote: ${note}` : ''}`,
        occurredAt: instantAt(at.heldOn, '12:00'),
        sourceType: 'supervision-action',
        sourceId: item.actionId,
      },
    });
  }
}

/** The follow-ups recorded at a session (individual or group), for the children the user may see. */
export async function followUpsAt(ctx: ReadContext, at: { sessionId: string } | { groupSessionId: string }) {
  const rows = await ctx.db
    .selectFrom('supervisionActionFollowUps as f')
    .innerJoin('supervisionActions as a', 'a.id', 'f.actionId')
    .innerJoin('people as p', 'p.id', 'a.childId')
    .select([
      'f.id',
      'f.outcome',
      'f.note',
      'a.description',
      'a.owner',
      'a.dueOn',
      'p.givenName',
      'p.familyName',
    ])
    .where((eb) =>
      'sessionId' in at
        ? eb('f.sessionId', '=', at.sessionId)
        : eb('f.groupSessionId', '=', at.groupSessionId),
    )
    .where(visibleTo(ctx.user, ctx.now, 'p.id'))
    .orderBy('f.recordedAt')
    .orderBy('f.id')
    .limit(200)
    .execute();
  return rows.map((f) => ({ ...f, childName: `${f.givenName} ${f.familyName}` }));
}

// Lists ------------------------------------------------------------------------------------------------------------

export const SESSIONS_PAGE_SIZE = 25;

/** The sessions the user may see (their own, as supervisor or supervisee, and their management line's), newest first. */
export async function supervisionSessions(ctx: ReadContext, input: { page: number }) {
  requireSupervisionUser(ctx.user);
  const managed = ctx.user.permissions.has('supervision:record') ? ctx.user.managedTeamIds : [];
  const base = ctx.db
    .selectFrom('supervisionSessions as s')
    .innerJoin('users as sr', 'sr.id', 's.supervisorId')
    .innerJoin('users as se', 'se.id', 's.superviseeId')
    .where((eb) =>
      eb.or([
        eb('s.supervisorId', '=', ctx.user.id),
        eb('s.superviseeId', '=', ctx.user.id),
        ...(managed.length ? [eb('se.teamId', 'in', managed)] : []),
      ]),
    );
  const { rows, total } = await rowsAndTotal(
    base,
    (q) =>
      q
        .select((eb) => [
          's.id',
          's.heldOn',
          'sr.displayName as supervisorName',
          'se.displayName as superviseeName',
          eb
            .selectFrom('managementOversight as o')
            .select((o) => o.fn.countAll<string>().as('n'))
            .whereRef('o.sessionId', '=', 's.id')
            .as('children'),
        ])
        .orderBy('s.heldOn', 'desc')
        .orderBy('s.recordedAt', 'desc'),
    pageWindow(input.page, SESSIONS_PAGE_SIZE),
  );
  return { rows: rows.map((r) => ({ ...r, children: Number(r.children ?? 0) })), total };
}

/** The latest management oversight review date of a child, for the record summary's deadlines. */
export async function latestOversightReview(db: Db, childId: string) {
  return db
    .selectFrom('managementOversight')
    .select(['id', 'reviewOn', 'occurredOn'])
    .where('childId', '=', childId)
    .orderBy('occurredOn', 'desc')
    .orderBy('recordedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// Oversight in the last N working days ------------------------------------------------------------------------------

/** The authority's window for "oversight in the last N working days". */
export async function oversightWindowDays(db: Db, localAuthorityId: string | null): Promise<number> {
  if (!localAuthorityId) return DEFAULT_OVERSIGHT_WINDOW;
  const row = await db
    .selectFrom('supervisionSettings')
    .select('oversightWindowWorkingDays')
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return row?.oversightWindowWorkingDays ?? DEFAULT_OVERSIGHT_WINDOW;
}

/** A child's management oversight since a date (how many entries) and the latest ever; one indexed query. */
export async function childOversightSince(db: Db, childId: string, since: string) {
  const row = await db
    .selectFrom('managementOversight')
    .select((eb) => [
      eb.fn.max('occurredOn').as('last'),
      eb.fn.countAll<string>().filterWhere('occurredOn', '>=', since).as('inWindow'),
    ])
    .where('childId', '=', childId)
    .executeTakeFirstOrThrow();
  return { last: (row.last as string | null) ?? null, inWindow: Number(row.inWindow) };
}

export const TEAM_OVERSIGHT_PAGE_SIZE = 50;

/**
 * A team's children (those with an open allocation in the team that the user may see) with their latest management
 * oversight and how many entries fall on or after `since`; children without oversight in the window first. Only a
 * manager of the team (or of a team above it) sees it; 404 otherwise.
 */
export async function teamOversight(
  ctx: ReadContext,
  input: { teamId: string; since: string; page: number },
) {
  requirePermission(ctx.user, 'supervision:record');
  if (!ctx.user.managedTeamIds.includes(input.teamId)) throw new NotFoundError('No such team');
  const team = await ctx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', '=', input.teamId)
    .executeTakeFirst();
  if (!team) throw new NotFoundError('No such team');
  const children = ctx.db
    .selectFrom('people as p')
    .where('p.kind', '=', 'child')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('allocations as a')
          .select('a.id')
          .whereRef('a.childId', '=', 'p.id')
          .where('a.teamId', '=', team.id)
          .where('a.endedOn', 'is', null),
      ),
    )
    .where(visibleTo(ctx.user, ctx.now, 'p.id'))
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('managementOversight as o')
          .select((o) => [
            o.fn.max('o.occurredOn').as('last'),
            o.fn.countAll<string>().filterWhere('o.occurredOn', '>=', input.since).as('inWindow'),
          ])
          .whereRef('o.childId', '=', 'p.id')
          .as('ov'),
      (join) => join.onTrue(),
    );
  const [rows, totals] = await Promise.all([
    children
      .select((eb) => [
        'p.id',
        'p.givenName',
        'p.familyName',
        'ov.last',
        'ov.inWindow',
        eb
          .selectFrom('allocations as a')
          .innerJoin('users as w', 'w.id', 'a.workerId')
          .select(sql<string>`string_agg(distinct w.display_name, ', ')`.as('w'))
          .whereRef('a.childId', '=', 'p.id')
          .where('a.teamId', '=', team.id)
          .where('a.endedOn', 'is', null)
          .as('workers'),
      ])
      .orderBy(sql`coalesce(ov.in_window, 0) > 0`)
      .orderBy(sql`ov.last asc nulls first`)
      .orderBy('p.familyName')
      .orderBy('p.givenName')
      .orderBy('p.id')
      .limit(TEAM_OVERSIGHT_PAGE_SIZE)
      .offset((input.page - 1) * TEAM_OVERSIGHT_PAGE_SIZE)
      .execute(),
    children
      .select((eb) => [
        eb.fn.countAll<string>().as('total'),
        eb.fn
          .countAll<string>()
          .filterWhere(sql`coalesce(ov.in_window, 0)`, '>', 0)
          .as('withOversight'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    team,
    rows: rows.map((r) => ({
      id: r.id,
      name: `${r.givenName} ${r.familyName}`,
      workers: r.workers ?? '',
      last: (r.last as string | null) ?? null,
      inWindow: Number(r.inWindow ?? 0),
    })),
    total: Number(totals.total),
    withOversight: Number(totals.withOversight),
  };
}

/** The teams the user manages, for links to each team's oversight. */
export async function managedTeams(ctx: ReadContext) {
  if (!ctx.user.permissions.has('supervision:record') || !ctx.user.managedTeamIds.length) return [];
  return ctx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', 'in', ctx.user.managedTeamIds)
    .orderBy('name')
    .limit(100)
    .execute();
}
