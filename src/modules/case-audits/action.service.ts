import { sql } from 'kysely';
import { visibleTo } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { ACTION_LEVEL_LABELS, type ActionLevel } from './case-audit.ts';

/**
 * Actions and learning (issue 20): an audit's actions for the worker, the team or the service, each with an owner (a
 * user of the authority) and a due date, on the owner's worktray until done (done with a note; versioned). A child's
 * audit actions are written onto the child's chronology as management oversight, when set and when done. The
 * programme's learning summary is the programme owner's text, saved against the programme's version.
 */

export const ACTIONS_PAGE_SIZE = 25;

/** The active users of an authority, by name, who may own an action. */
export function actionOwnersOf(db: Db, localAuthorityId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where('localAuthorityId', '=', localAuthorityId)
    .where('status', '=', 'active')
    .orderBy('displayName')
    .orderBy('id')
    .limit(1000)
    .execute();
}

async function completedAudit(ctx: ServiceContext, auditId: string) {
  const audit = await ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
    .select([
      'a.id',
      'a.childId',
      'a.status',
      'a.auditorId',
      'a.moderatorId',
      'p.localAuthorityId',
      'p.title',
    ])
    .where('a.id', '=', auditId)
    .executeTakeFirst();
  if (!audit || audit.localAuthorityId !== ctx.user.localAuthorityId) throw new NotFoundError();
  return audit;
}

/** Sets an action from a completed audit: its auditor, its moderator or a QA lead (case-audit:moderate). */
export async function addAction(
  ctx: ServiceContext,
  input: { auditId: string; level: ActionLevel; description: string; ownerId: string; dueOn: string },
): Promise<string> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const audit = await completedAudit(ctx, input.auditId);
  if (
    audit.auditorId !== ctx.user.id &&
    audit.moderatorId !== ctx.user.id &&
    !ctx.user.permissions.has('case-audit:moderate')
  )
    throw new AccessDeniedError('case-audit:conduct');
  if (audit.status !== 'completed')
    throw new BusinessRuleError('description', 'Complete the audit before setting actions from it');
  const owner = await ctx.db
    .selectFrom('users')
    .select(['id', 'displayName'])
    .where('id', '=', input.ownerId)
    .where('localAuthorityId', '=', audit.localAuthorityId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!owner) throw new BusinessRuleError('ownerId', 'Select who owns the action');
  const { id } = await ctx.db
    .insertInto('caseAuditActions')
    .values({
      auditId: audit.id,
      level: input.level,
      description: input.description.trim(),
      ownerId: owner.id,
      dueOn: input.dueOn,
      createdBy: ctx.user.id,
      createdAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'case-audit-action.created',
      subjectType: 'case-audit-action',
      subjectId: id,
      childId: audit.childId,
      details: { auditId: audit.id, level: input.level, ownerId: owner.id, dueOn: input.dueOn },
    },
    chronology: {
      childIds: [audit.childId],
      category: 'management-oversight',
      title: `Case audit action (${ACTION_LEVEL_LABELS[input.level].toLowerCase()}): owner ${owner.displayName}`,
      summary: `${input.description.trim()}\nDue ${input.dueOn}. From the case audit “${audit.title}”.`,
      sourceType: 'case-audit-action',
      sourceId: id,
    },
  });
  return id;
}

/** One action, for its page: its owner, a QA lead or the audit's auditor may see it. */
export async function loadAction(ctx: ReadContext, actionId: string) {
  const action = await ctx.db
    .selectFrom('caseAuditActions as x')
    .innerJoin('caseAudits as a', 'a.id', 'x.auditId')
    .innerJoin('caseAuditProgrammes as pr', 'pr.id', 'a.programmeId')
    .innerJoin('people as p', 'p.id', 'a.childId')
    .innerJoin('users as o', 'o.id', 'x.ownerId')
    .innerJoin('users as cb', 'cb.id', 'x.createdBy')
    .leftJoin('users as db', 'db.id', 'x.doneBy')
    .select((eb) => [
      'x.id',
      'x.auditId',
      'x.level',
      'x.description',
      'x.ownerId',
      'x.dueOn',
      'x.status',
      'x.doneNote',
      'x.doneAt',
      'x.createdAt',
      'x.version',
      'a.childId',
      'a.auditorId',
      'pr.title as programmeTitle',
      'pr.localAuthorityId',
      'o.displayName as ownerName',
      'cb.displayName as createdByName',
      'db.displayName as doneByName',
      sql<string>`p.given_name || ' ' || p.family_name`.as('childName'),
      sql<boolean>`${visibleTo(ctx.user, ctx.now, 'p.id')(eb)}`.as('visible'),
    ])
    .where('x.id', '=', actionId)
    .executeTakeFirst();
  if (!action || !ctx.user.localAuthorityIds.includes(action.localAuthorityId)) throw new NotFoundError();
  const mayRead =
    action.ownerId === ctx.user.id ||
    action.auditorId === ctx.user.id ||
    ctx.user.permissions.has('case-audit:moderate');
  if (!mayRead) throw new NotFoundError();
  const { visible, childName, ...rest } = action;
  return {
    ...rest,
    childName: visible ? childName : 'A restricted record',
    childVisible: visible,
    canComplete: action.status === 'open' && action.ownerId === ctx.user.id,
  };
}

/** The owner marks the action done, with a note. Versioned: a stale save is a 409. */
export async function completeAction(
  ctx: ServiceContext,
  input: { actionId: string; note: string; version: number },
): Promise<void> {
  const action = await loadAction(ctx, input.actionId);
  if (action.ownerId !== ctx.user.id) throw new AccessDeniedError('case-audit:conduct');
  if (action.status !== 'open') throw new BusinessRuleError('note', 'This action is already done');
  requireUpdated(
    await ctx.db
      .updateTable('caseAuditActions')
      .set({
        status: 'done',
        doneNote: input.note.trim(),
        doneAt: ctx.now,
        doneBy: ctx.user.id,
        version: sql`version + 1`,
      })
      .where('id', '=', action.id)
      .where('version', '=', input.version)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    'Someone else changed this action while you were completing it. Check the action and try again.',
  );
  await recordChange(ctx, {
    audit: {
      action: 'case-audit-action.done',
      subjectType: 'case-audit-action',
      subjectId: action.id,
      childId: action.childId,
      details: { auditId: action.auditId },
    },
    chronology: {
      childIds: [action.childId],
      category: 'management-oversight',
      title: `Case audit action done (${ACTION_LEVEL_LABELS[action.level as ActionLevel].toLowerCase()})`,
      summary: `${action.description}\nDone: ${input.note.trim()}`,
      sourceType: 'case-audit-action',
      sourceId: action.id,
    },
  });
}

/** The actions set from an audit, oldest first. */
export function actionsOfAudit(db: Db, auditId: string) {
  return db
    .selectFrom('caseAuditActions as x')
    .innerJoin('users as o', 'o.id', 'x.ownerId')
    .select([
      'x.id',
      'x.level',
      'x.description',
      'x.dueOn',
      'x.status',
      'x.doneAt',
      'o.displayName as ownerName',
    ])
    .where('x.auditId', '=', auditId)
    .orderBy('x.createdAt')
    .orderBy('x.id')
    .limit(200)
    .execute();
}

/** The user's open actions, soonest due first (the worktray). */
export function myOpenActions(ctx: ReadContext, input: { limit: number }) {
  return ctx.db
    .selectFrom('caseAuditActions as x')
    .innerJoin('caseAudits as a', 'a.id', 'x.auditId')
    .innerJoin('people as p', 'p.id', 'a.childId')
    .select((eb) => [
      'x.id',
      'x.description',
      'x.dueOn',
      'x.level',
      'a.childId',
      sql<string>`p.given_name || ' ' || p.family_name`.as('childName'),
      sql<boolean>`${visibleTo(ctx.user, ctx.now, 'p.id')(eb)}`.as('visible'),
    ])
    .where('x.ownerId', '=', ctx.user.id)
    .where('x.status', '=', 'open')
    .orderBy('x.dueOn')
    .orderBy('x.id')
    .limit(input.limit)
    .execute();
}

/** The programme owner's learning summary. Versioned on the programme. */
export async function saveLearningSummary(
  ctx: ServiceContext,
  input: { programmeId: string; summary: string; version: number },
): Promise<void> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const programme = await ctx.db
    .selectFrom('caseAuditProgrammes')
    .select(['id', 'createdBy', 'localAuthorityId'])
    .where('id', '=', input.programmeId)
    .executeTakeFirst();
  if (!programme || !ctx.user.localAuthorityIds.includes(programme.localAuthorityId))
    throw new NotFoundError();
  if (programme.createdBy !== ctx.user.id) throw new AccessDeniedError('case-audit:conduct');
  requireUpdated(
    await ctx.db
      .updateTable('caseAuditProgrammes')
      .set({
        learningSummary: input.summary.trim(),
        learningUpdatedAt: ctx.now,
        learningUpdatedBy: ctx.user.id,
        version: sql`version + 1`,
      })
      .where('id', '=', programme.id)
      .where('version', '=', input.version)
      .executeTakeFirst(),
    'Someone else changed this learning summary while you were editing it. Check it and make your changes again.',
  );
  await recordChange(ctx, {
    audit: {
      action: 'case-audit-programme.learning-saved',
      subjectType: 'case-audit-programme',
      subjectId: programme.id,
      details: { length: input.summary.trim().length },
    },
  });
}
