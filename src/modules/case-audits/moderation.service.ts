import { sql } from 'kysely';
import { requireAccess } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type Db,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { endAuditAccess, grantAuditAccess } from '../record-access/index.ts';
import { grantExpiryFor } from './assignment.service.ts';
import { GRADE_LABELS, isGrade, type Grade } from './case-audit.ts';

/**
 * Moderation (issue 20): a share of a programme's audits (its moderation percentage) is moderated by a second
 * auditor. Which ones is reproducible: the programme's audits in the order of a hash of the programme's seed and each
 * audit's id, the first ⌈share × audits⌉ of them. When one of those is completed it waits for moderation, by default
 * with the programme's owner (unless they were its auditor), who may give it to another auditor; the moderator holds
 * a read grant to the child's record until the moderation is done. The moderator agrees with each area's grade or
 * gives another with the reason.
 */

/** Whether the audit is in its programme's moderation sample (SQL: ranks the programme's audits by the seed). */
export async function inModerationSample(db: Db, auditId: string): Promise<boolean> {
  const { rows } = await sql<{ selected: boolean }>`
    with ranked as (
      select a.id, p.moderation_percent,
        row_number() over (order by md5(p.seed || ':moderation:' || a.id::text), a.id) as rank,
        count(*) over () as n
      from case_audits a join case_audit_programmes p on p.id = a.programme_id
      where a.programme_id = (select programme_id from case_audits where id = ${auditId})
    )
    select rank <= ceil(n * moderation_percent / 100.0) as selected from ranked where id = ${auditId}`.execute(
    db,
  );
  return rows[0]?.selected === true;
}

/** Called as an audit completes: if it is in the sample it waits for moderation, with the default moderator. */
export async function startModerationIfSampled(
  ctx: ServiceContext,
  audit: { id: string; childId: string; auditorId: string; dueOn: string },
): Promise<boolean> {
  if (!(await inModerationSample(ctx.db, audit.id))) return false;
  const programme = await ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
    .select(['p.createdBy', 'p.title'])
    .where('a.id', '=', audit.id)
    .executeTakeFirstOrThrow();
  const moderatorId = programme.createdBy !== audit.auditorId ? programme.createdBy : null;
  const grantId = moderatorId
    ? await grantAuditAccess(ctx, {
        childId: audit.childId,
        auditorId: moderatorId,
        expiresAt: grantExpiryFor(audit.dueOn),
        reason: `Case audit moderation: ${programme.title}`,
      })
    : null;
  await ctx.db
    .updateTable('caseAudits')
    .set({ moderationStatus: 'pending', moderatorId, moderationGrantId: grantId })
    .where('id', '=', audit.id)
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'case-audit.moderation-started',
      subjectType: 'case-audit',
      subjectId: audit.id,
      childId: audit.childId,
      details: { moderatorId },
    },
  });
  return true;
}

export interface ModerationRow {
  area: string;
  original: Grade;
  agreed: boolean;
  grade: Grade;
  reason: string | null;
}

/** Each graded area's original grade with the moderator's agreement or grade (empty until moderated). */
export async function moderationOf(db: Db, auditId: string): Promise<ModerationRow[]> {
  const rows = await db
    .selectFrom('caseAuditModerationGrades as m')
    .innerJoin('caseAuditGrades as g', (j) =>
      j.onRef('g.auditId', '=', 'm.auditId').onRef('g.area', '=', 'm.area'),
    )
    .select(['m.area', 'g.grade as original', 'm.agreed', 'm.grade', 'm.reason'])
    .where('m.auditId', '=', auditId)
    .execute();
  return rows.map((r) => ({ ...r, original: r.original as Grade, grade: r.grade as Grade }));
}

/** The original grades of a completed audit, per area, for the moderation form. */
export async function gradesOfAudit(db: Db, auditId: string): Promise<{ area: string; grade: Grade }[]> {
  const rows = await db
    .selectFrom('caseAuditGrades')
    .select(['area', 'grade'])
    .where('auditId', '=', auditId)
    .execute();
  return rows.filter((r) => isGrade(r.grade)).map((r) => ({ area: r.area, grade: r.grade as Grade }));
}

/**
 * Records the moderation: for each graded area the posted grade (`<area>__grade`); a grade other than the auditor's
 * needs a reason (`<area>__reason`). Only the moderator, once; versioned on the audit.
 */
export async function saveModeration(
  ctx: ServiceContext,
  input: { auditId: string; body: Record<string, unknown>; version: number | undefined },
): Promise<{ changed: number }> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const audit = await ctx.db
    .selectFrom('caseAudits')
    .select(['id', 'childId', 'moderatorId', 'moderationStatus', 'moderationGrantId'])
    .where('id', '=', input.auditId)
    .executeTakeFirst();
  if (!audit) throw new NotFoundError();
  await requireAccess(ctx.db, ctx.user, 'read', [audit.childId], ctx.now);
  if (audit.moderatorId !== ctx.user.id) throw new AccessDeniedError('case-audit:moderate');
  requirePermission(ctx.user, 'case-audit:moderate');
  if (audit.moderationStatus !== 'pending')
    throw new BusinessRuleError('form', 'This audit is not waiting for moderation');
  const originals = await gradesOfAudit(ctx.db, audit.id);
  const problems: FieldError[] = [];
  const rows = originals.map((o) => {
    const posted = input.body[`${o.area}__grade`];
    const reasonRaw = input.body[`${o.area}__reason`];
    const reason = typeof reasonRaw === 'string' ? reasonRaw.trim() : '';
    const grade = isGrade(posted) ? posted : null;
    if (!grade)
      problems.push({ field: `${o.area}__grade`, message: 'Select a grade', href: `#${o.area}__grade` });
    else if (grade !== o.grade && !reason)
      problems.push({
        field: `${o.area}__reason`,
        message: `Enter why you changed the grade from ${GRADE_LABELS[o.grade].toLowerCase()}`,
        href: `#${o.area}__reason`,
      });
    else if (reason.length > 5000)
      problems.push({
        field: `${o.area}__reason`,
        message: 'The reason must be 5,000 characters or fewer',
        href: `#${o.area}__reason`,
      });
    return {
      auditId: audit.id,
      area: o.area,
      agreed: grade === o.grade,
      grade: grade ?? o.grade,
      reason: reason || null,
    };
  });
  if (problems.length) throw new FieldProblemsError(problems);
  requireUpdated(
    await ctx.db
      .updateTable('caseAudits')
      .set({
        moderationStatus: 'completed',
        moderatedAt: ctx.now,
        updatedAt: ctx.now,
        version: sql`version + 1`,
      })
      .where('id', '=', audit.id)
      .where('version', '=', input.version ?? -1)
      .where('moderationStatus', '=', 'pending')
      .executeTakeFirst(),
    'Someone else changed this audit while you were moderating it. Your moderation was not saved: check the audit and moderate it again.',
  );
  if (rows.length) await ctx.db.insertInto('caseAuditModerationGrades').values(rows).execute();
  if (audit.moderationGrantId)
    await endAuditAccess(ctx, { grantId: audit.moderationGrantId, reason: 'The moderation is complete' });
  const changed = rows.filter((r) => !r.agreed);
  await recordChange(ctx, {
    audit: {
      action: 'case-audit.moderated',
      subjectType: 'case-audit',
      subjectId: audit.id,
      childId: audit.childId,
      details: {
        agreed: rows.length - changed.length,
        changed: Object.fromEntries(changed.map((r) => [r.area, r.grade])),
      },
    },
  });
  return { changed: changed.length };
}

/** A programme's moderation rate (moderated of completed audits) and agreement rate (areas agreed), in SQL. */
export async function moderationRates(db: Db, programmeId: string) {
  const { rows } = await sql<{
    completed: number;
    moderated: number;
    pending: number;
    areas: number;
    agreed: number;
  }>`
    select
      count(*) filter (where a.status = 'completed')::int as completed,
      count(*) filter (where a.moderation_status = 'completed')::int as moderated,
      count(*) filter (where a.moderation_status = 'pending')::int as pending,
      (select count(*) from case_audit_moderation_grades m join case_audits x on x.id = m.audit_id
        where x.programme_id = ${programmeId})::int as areas,
      (select count(*) from case_audit_moderation_grades m join case_audits x on x.id = m.audit_id
        where x.programme_id = ${programmeId} and m.agreed)::int as agreed
    from case_audits a where a.programme_id = ${programmeId}`.execute(db);
  const r = rows[0]!;
  return {
    ...r,
    moderationRate: r.completed ? Math.round((100 * r.moderated) / r.completed) : null,
    agreementRate: r.areas ? Math.round((100 * r.agreed) / r.areas) : null,
  };
}

/** The audits waiting for the user's moderation, soonest due first. */
export async function myModerationsDue(ctx: ServiceContext, input: { limit: number }) {
  return ctx.db
    .selectFrom('caseAudits as a')
    .innerJoin('caseAuditProgrammes as p', 'p.id', 'a.programmeId')
    .innerJoin('people as c', 'c.id', 'a.childId')
    .select([
      'a.id',
      'a.childId',
      'a.dueOn',
      'p.title as programmeTitle',
      sql<string>`c.given_name || ' ' || c.family_name`.as('childName'),
    ])
    .where('a.moderatorId', '=', ctx.user.id)
    .where('a.moderationStatus', '=', 'pending')
    .orderBy('a.dueOn')
    .orderBy('a.id')
    .limit(input.limit)
    .execute();
}
