import { sql } from 'kysely';
import { requireAccess } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import { parseTemplateAnswers, type Answers } from '../../kernel/forms-as-data/answers.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { earlyHelpFiguresForAudit } from '../early-help/index.ts';
import { templateById } from '../form-templates/index.ts';
import { contactsInYearForAudit } from '../front-door/index.ts';
import { endAuditAccess } from '../record-access/index.ts';
import { socialCareFiguresForAudit } from '../social-care/index.ts';
import { gradesOf } from './case-audit.ts';
import { actionsOfAudit } from './action.service.ts';
import { moderationOf, startModerationIfSampled } from './moderation.service.ts';

/**
 * Recording a case audit: saved as a draft as often as the auditor likes (grades, evidence, impact, the worker's
 * reflection), then completed against the audit tool's required questions; a completed audit is read-only, its
 * grades are kept per area, and the auditor's grant to the child's record ends. Versioned: a stale save is a 409.
 */

export const MY_AUDITS_PAGE_SIZE = 20;

export async function loadAudit(ctx: ServiceContext, auditId: string) {
  requirePermission(ctx.user, 'case-audit:conduct');
  const audit = await ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
    .innerJoin('people as c', 'c.id', 'a.childId')
    .innerJoin('users as au', 'au.id', 'a.auditorId')
    .leftJoin('users as w', 'w.id', 'a.workerId')
    .leftJoin('users as cb', 'cb.id', 'a.completedBy')
    .leftJoin('users as mo', 'mo.id', 'a.moderatorId')
    .select([
      'mo.displayName as moderatorName',
      'a.id',
      'a.programmeId',
      'a.childId',
      'a.auditorId',
      'a.templateId',
      'a.answers',
      'a.status',
      'a.dueOn',
      'a.startedAt',
      'a.completedAt',
      'a.version',
      'a.moderationStatus',
      'a.moderatorId',
      'a.moderatedAt',
      'p.title as programmeTitle',
      'p.localAuthorityId',
      'au.displayName as auditorName',
      'w.displayName as workerName',
      'cb.displayName as completedByName',
      'c.dateOfBirth',
      sql<string>`c.given_name || ' ' || c.family_name`.as('childName'),
    ])
    .where('a.id', '=', auditId)
    .executeTakeFirst();
  if (!audit || !ctx.user.localAuthorityIds.includes(audit.localAuthorityId)) throw new NotFoundError();
  // Reading the audit is reading the child's record: the auditor holds a grant for it; anyone else needs their own access.
  await requireAccess(ctx.db, ctx.user, 'read', [audit.childId], ctx.now);
  const stored = await templateById(ctx.db, audit.templateId);
  const today = isoDateOf(ctx.now);
  const [earlyHelp, socialCare, contactsInYear, moderation, actions] = await Promise.all([
    earlyHelpFiguresForAudit(ctx.db, audit.childId, today),
    socialCareFiguresForAudit(ctx.db, audit.childId, today),
    contactsInYearForAudit(ctx.db, audit.childId, today),
    moderationOf(ctx.db, audit.id),
    actionsOfAudit(ctx.db, audit.id),
  ]);
  return {
    audit: { ...audit, answers: (audit.answers ?? {}) as Answers },
    template: stored.template,
    templateVersion: stored.version,
    editable: audit.status !== 'completed' && audit.auditorId === ctx.user.id,
    figures: { earlyHelp, socialCare, contactsInYear },
    moderation,
    actions,
  };
}

function problemsFrom(list: { path: (string | number)[]; message: string }[]): FieldError[] {
  return list.map((p) => ({
    field: String(p.path[0]),
    message: p.message,
    href: `#${p.path.map(String).join('-')}`,
  }));
}

/**
 * Saves the audit (draft) or completes it. A completion refused for missing answers still saves the draft and then
 * throws the problems (FieldProblemsError), so the page shows them with the draft kept.
 */
export async function saveAudit(
  ctx: ServiceContext,
  input: {
    auditId: string;
    body: Record<string, unknown>;
    action: 'draft' | 'complete';
    version: number | undefined;
  },
): Promise<{ status: 'draft' | 'completed' }> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const audit = await ctx.db
    .selectFrom('caseAudits')
    .select([
      'id',
      'childId',
      'auditorId',
      'templateId',
      'status',
      'version',
      'grantId',
      'startedAt',
      'dueOn',
    ])
    .where('id', '=', input.auditId)
    .executeTakeFirst();
  if (!audit) throw new NotFoundError();
  await requireAccess(ctx.db, ctx.user, 'read', [audit.childId], ctx.now);
  if (audit.auditorId !== ctx.user.id) throw new AccessDeniedError('case-audit:conduct');
  if (audit.status === 'completed')
    throw new BusinessRuleError('form', 'This audit is complete and cannot be changed');
  const stored = await templateById(ctx.db, audit.templateId);
  const today = isoDateOf(ctx.now);
  const draft = parseTemplateAnswers(stored.template, input.body, { mode: 'draft', today });
  if (!draft.ok) throw new FieldProblemsError(problemsFrom(draft.problems));
  let answers = draft.answers;
  let problems: FieldError[] = [];
  if (input.action === 'complete') {
    const complete = parseTemplateAnswers(stored.template, input.body, { mode: 'complete', today });
    if (complete.ok) answers = complete.answers;
    else problems = problemsFrom(complete.problems);
  }
  const completing = input.action === 'complete' && problems.length === 0;
  requireUpdated(
    await ctx.db
      .updateTable('caseAudits')
      .set({
        answers: JSON.stringify(answers),
        status: completing ? 'completed' : 'draft',
        startedAt: audit.startedAt ?? ctx.now,
        updatedAt: ctx.now,
        version: sql`version + 1`,
        ...(completing ? { completedAt: ctx.now, completedBy: ctx.user.id } : {}),
      })
      .where('id', '=', audit.id)
      .where('version', '=', input.version ?? -1)
      .where('status', '<>', 'completed')
      .executeTakeFirst(),
    'Someone else saved this audit while you were editing it. Your changes were not saved: check the audit and make them again.',
  );
  const grades = gradesOf(stored.template, answers);
  if (completing) {
    if (grades.length)
      await ctx.db
        .insertInto('caseAuditGrades')
        .values(grades.map((g) => ({ auditId: audit.id, area: g.area, grade: g.grade })))
        .execute();
    if (audit.grantId)
      await endAuditAccess(ctx, { grantId: audit.grantId, reason: 'The case audit is complete' });
    await startModerationIfSampled(ctx, audit);
  }
  await recordChange(ctx, {
    audit: {
      action: completing ? 'case-audit.completed' : 'case-audit.saved',
      subjectType: 'case-audit',
      subjectId: audit.id,
      childId: audit.childId,
      details: {
        grades: Object.fromEntries(grades.map((g) => [g.area, g.grade])),
        ...(problems.length ? { completionRefused: true } : {}),
      },
    },
  });
  if (problems.length) throw new FieldProblemsError(problems);
  return { status: completing ? 'completed' : 'draft' };
}

/** The user's audits not yet completed, soonest due first. */
export async function myAuditsDue(ctx: ServiceContext, input: { page: number; pageSize?: number }) {
  requirePermission(ctx.user, 'case-audit:conduct');
  const size = input.pageSize ?? MY_AUDITS_PAGE_SIZE;
  const base = ctx.db
    .selectFrom('caseAudits as a')
    .where('a.auditorId', '=', ctx.user.id)
    .where('a.status', '<>', 'completed');
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
      .innerJoin('people as c', 'c.id', 'a.childId')
      .select([
        'a.id',
        'a.childId',
        'a.status',
        'a.dueOn',
        'p.title as programmeTitle',
        sql<string>`c.given_name || ' ' || c.family_name`.as('childName'),
      ])
      .orderBy('a.dueOn')
      .orderBy('a.id')
      .limit(size)
      .offset((input.page - 1) * size)
      .execute(),
  ]);
  return { total: Number(total), rows };
}
