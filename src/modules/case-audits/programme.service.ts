import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { visibleTo } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
} from '../../kernel/errors.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';
import { steppedDownChildrenForAudit } from '../early-help/index.ts';
import { currentTemplate } from '../form-templates/index.ts';
import { repeatContactChildrenForAudit } from '../front-door/index.ts';
import { grantAuditAccess } from '../record-access/index.ts';
import { longCpPlanChildrenForAudit } from '../social-care/index.ts';
import {
  CP_PLAN_MONTHS,
  MAX_THEMATIC,
  REPEAT_CONTACT_MONTHS,
  TEMPLATE_KEY,
  monthBounds,
  programmeTitle,
  type Criterion,
} from './case-audit.ts';

/**
 * Audit programmes: a monthly sample of a team's children (random, reproducible from the programme's stored seed) or a
 * thematic audit of every child meeting a criterion in a period. Restricted records are left out unless the auditor
 * already holds a grant for them. Each sampled child gets an audit, and the auditor a read grant that ends with it.
 */

export const PROGRAMMES_PAGE_SIZE = 20;
export const PROGRAMME_AUDITS_PAGE_SIZE = 25;

export type ProgrammeInput = (
  | { kind: 'monthly-sample'; teamId: string; month: string; sampleSize: number; dueOn: string }
  | { kind: 'thematic'; criterion: Criterion; periodStart: string; periodEnd: string; dueOn: string }
) & { /** The share of the audits moderated, 0 to 100 (20 when not given). */ moderationPercent?: number };

interface Sampling {
  localAuthorityId: string;
  auditorId: string;
  now: Date;
  seed: string;
  /** A team's children allocated during the month … */
  team?: { teamId: string; first: string; last: string };
  /** … or the children a criterion chose. */
  candidates?: readonly string[];
  limit: number | null;
}

/**
 * The sample, in SQL: the candidates of the authority, without restricted records the auditor holds no grant for,
 * ordered by a hash of the seed and the child's id (the same seed always gives the same children), with each child's
 * allocated worker now.
 */
export async function sampleChildren(
  db: Db,
  s: Sampling,
): Promise<{ childId: string; workerId: string | null }[]> {
  const candidates = s.candidates ? [...s.candidates] : [];
  const { rows } = await sql<{ childId: string; workerId: string | null }>`
    select p.id as child_id,
      (select a.worker_id from allocations a where a.child_id = p.id and a.ended_on is null and a.worker_id is not null
        order by a.started_on desc limit 1) as worker_id
    from people p
    where p.local_authority_id = ${s.localAuthorityId}
      and ${
        s.team
          ? sql`exists (select 1 from allocations a where a.child_id = p.id and a.team_id = ${s.team.teamId}
                 and a.started_on <= ${s.team.last}::date and (a.ended_on is null or a.ended_on >= ${s.team.first}::date))`
          : sql`p.id = any(${candidates.length ? candidates : ['00000000-0000-0000-0000-000000000000']}::uuid[])`
      }
      and (not p.restricted or exists (
        select 1 from record_grants g where g.child_id = p.id and g.user_id = ${s.auditorId} and g.revoked_at is null
          and (g.expires_at is null or g.expires_at > ${s.now})))
    order by md5(${s.seed} || p.id::text), p.id
    ${s.limit === null ? sql`` : sql`limit ${s.limit}`}`.execute(db);
  return rows;
}

async function candidatesFor(
  db: Db,
  input: Extract<ProgrammeInput, { kind: 'thematic' }>,
  localAuthorityId: string,
): Promise<string[]> {
  switch (input.criterion) {
    case 'step-downs':
      return steppedDownChildrenForAudit(db, {
        localAuthorityId,
        from: input.periodStart,
        to: input.periodEnd,
      });
    case 'long-cp-plans':
      return longCpPlanChildrenForAudit(db, {
        localAuthorityId,
        today: input.periodEnd,
        months: CP_PLAN_MONTHS,
      });
    case 'repeat-contacts':
      return repeatContactChildrenForAudit(db, {
        localAuthorityId,
        from: input.periodStart,
        to: input.periodEnd,
        months: REPEAT_CONTACT_MONTHS,
      });
  }
}

/** A problem with a GOV.UK date input: against the field, linked to its day. */
const dateProblem = (field: string, message: string) =>
  new FieldProblemsError([{ field, message, href: `#${field}-day` }]);

function homeAuthority(ctx: ServiceContext): string {
  if (!ctx.user.localAuthorityId) throw new AccessDeniedError('case-audit:conduct');
  return ctx.user.localAuthorityId;
}

/** Starts a programme: samples the children, creates their audits (the user is the auditor) and the grants. */
export async function createProgramme(
  ctx: ServiceContext,
  input: ProgrammeInput,
  seed = randomBytes(8).toString('hex'),
): Promise<{ id: string; audits: number }> {
  requirePermission(ctx.user, 'case-audit:conduct');
  const localAuthorityId = homeAuthority(ctx);
  const template = await currentTemplate(ctx.db, TEMPLATE_KEY);
  let title: string;
  let sample: { childId: string; workerId: string | null }[];
  if (input.kind === 'monthly-sample') {
    const team = await ctx.db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('id', '=', input.teamId)
      .where('localAuthorityId', '=', localAuthorityId)
      .executeTakeFirst();
    if (!team) throw new BusinessRuleError('teamId', 'Select a team');
    const { first, last } = monthBounds(input.month);
    title = programmeTitle({ kind: 'monthly-sample', teamName: team.name, sampleMonth: first });
    sample = await sampleChildren(ctx.db, {
      localAuthorityId,
      auditorId: ctx.user.id,
      now: ctx.now,
      seed,
      team: { teamId: team.id, first, last },
      limit: input.sampleSize,
    });
    if (!sample.length)
      throw new BusinessRuleError(
        'teamId',
        'The team had no children you can audit in that month: choose another',
      );
  } else {
    if (input.periodEnd < input.periodStart)
      throw dateProblem('periodEnd', 'The end of the period must be on or after its start');
    title = programmeTitle(input);
    const candidates = await candidatesFor(ctx.db, input, localAuthorityId);
    sample = await sampleChildren(ctx.db, {
      localAuthorityId,
      auditorId: ctx.user.id,
      now: ctx.now,
      seed,
      candidates,
      limit: null,
    });
    if (!sample.length)
      throw new BusinessRuleError('criterion', 'No children you can audit meet the criterion in that period');
    if (sample.length > MAX_THEMATIC)
      throw dateProblem(
        'periodStart',
        `${sample.length} children meet the criterion: narrow the period to ${MAX_THEMATIC} or fewer`,
      );
  }
  const programme = await ctx.db
    .insertInto('caseAuditProgrammes')
    .values({
      localAuthorityId,
      kind: input.kind,
      title,
      teamId: input.kind === 'monthly-sample' ? input.teamId : null,
      sampleMonth: input.kind === 'monthly-sample' ? monthBounds(input.month).first : null,
      sampleSize: input.kind === 'monthly-sample' ? input.sampleSize : null,
      criterion: input.kind === 'thematic' ? input.criterion : null,
      periodStart: input.kind === 'thematic' ? input.periodStart : null,
      periodEnd: input.kind === 'thematic' ? input.periodEnd : null,
      seed,
      templateId: template.id,
      dueOn: input.dueOn,
      moderationPercent: input.moderationPercent ?? 20,
      createdBy: ctx.user.id,
      createdAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The grant ends at the end of the due date (as a named grant's end date does), or earlier when the audit completes.
  const expiresAt = new Date(`${input.dueOn}T23:59:59Z`);
  for (const child of sample) {
    const grantId = await grantAuditAccess(ctx, {
      childId: child.childId,
      auditorId: ctx.user.id,
      expiresAt,
      reason: `Case audit: ${title}`,
    });
    await ctx.db
      .insertInto('caseAudits')
      .values({
        programmeId: programme.id,
        childId: child.childId,
        auditorId: ctx.user.id,
        workerId: child.workerId,
        templateId: template.id,
        dueOn: input.dueOn,
        grantId,
        updatedAt: ctx.now,
      })
      .execute();
  }
  await recordChange(ctx, {
    audit: {
      action: 'case-audit-programme.created',
      subjectType: 'case-audit-programme',
      subjectId: programme.id,
      details: { kind: input.kind, title, seed, children: sample.length },
    },
  });
  return { id: programme.id, audits: sample.length };
}

/** The programmes of the user's authorities, newest first, with how many audits each has and how many are done. */
export async function listProgrammes(ctx: ServiceContext, input: { page: number }) {
  requirePermission(ctx.user, 'case-audit:conduct');
  const base = ctx.db
    .selectFrom('caseAuditProgrammes as p')
    .where('p.localAuthorityId', 'in', ctx.user.localAuthorityIds.length ? ctx.user.localAuthorityIds : ['']);
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('users as u', 'u.id', 'p.createdBy')
      .select((eb) => [
        'p.id',
        'p.title',
        'p.kind',
        'p.dueOn',
        'p.createdAt',
        'u.displayName as createdByName',
        eb
          .selectFrom('caseAudits as a')
          .whereRef('a.programmeId', '=', 'p.id')
          .select(eb.fn.countAll<number>().as('n'))
          .as('audits'),
        eb
          .selectFrom('caseAudits as a')
          .whereRef('a.programmeId', '=', 'p.id')
          .where('a.status', '=', 'completed')
          .select(eb.fn.countAll<number>().as('n'))
          .as('completed'),
      ])
      .orderBy('p.createdAt', 'desc')
      .orderBy('p.id')
      .limit(PROGRAMMES_PAGE_SIZE)
      .offset((input.page - 1) * PROGRAMMES_PAGE_SIZE)
      .execute(),
  ]);
  return {
    total: Number(total),
    rows: rows.map((r) => ({ ...r, audits: Number(r.audits), completed: Number(r.completed) })),
  };
}

/** A programme and a page of its audits. A child the user may not see is named only as a restricted record. */
export async function loadProgramme(ctx: ServiceContext, input: { programmeId: string; page: number }) {
  requirePermission(ctx.user, 'case-audit:conduct');
  const programme = await ctx.db
    .selectFrom('caseAuditProgrammes as p')
    .innerJoin('users as u', 'u.id', 'p.createdBy')
    .leftJoin('teams as t', 't.id', 'p.teamId')
    .select([
      'p.id',
      'p.title',
      'p.kind',
      'p.criterion',
      'p.periodStart',
      'p.periodEnd',
      'p.sampleMonth',
      'p.sampleSize',
      'p.seed',
      'p.dueOn',
      'p.createdAt',
      'p.localAuthorityId',
      'p.createdBy',
      'p.moderationPercent',
      'p.learningSummary',
      'p.learningUpdatedAt',
      'p.version',
      'u.displayName as createdByName',
      't.name as teamName',
    ])
    .where('p.id', '=', input.programmeId)
    .executeTakeFirst();
  if (!programme || !ctx.user.localAuthorityIds.includes(programme.localAuthorityId))
    throw new NotFoundError();
  const base = ctx.db.selectFrom('caseAudits as a').where('a.programmeId', '=', programme.id);
  const [{ total }, audits] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('people as p', 'p.id', 'a.childId')
      .innerJoin('users as au', 'au.id', 'a.auditorId')
      .leftJoin('users as w', 'w.id', 'a.workerId')
      .leftJoin('users as m', 'm.id', 'a.moderatorId')
      .select((eb) => [
        'a.id',
        'a.status',
        'a.moderationStatus',
        'm.displayName as moderatorName',
        'a.dueOn',
        'a.completedAt',
        'au.displayName as auditorName',
        'w.displayName as workerName',
        sql<string>`p.given_name || ' ' || p.family_name`.as('childName'),
        sql<boolean>`${visibleTo(ctx.user, ctx.now, 'p.id')(eb)}`.as('visible'),
      ])
      .orderBy('p.familyName')
      .orderBy('p.givenName')
      .orderBy('a.id')
      .limit(PROGRAMME_AUDITS_PAGE_SIZE)
      .offset((input.page - 1) * PROGRAMME_AUDITS_PAGE_SIZE)
      .execute(),
  ]);
  return {
    programme,
    total: Number(total),
    audits: audits.map(({ visible, childName, ...a }) => ({
      ...a,
      childName: visible ? childName : 'A restricted record',
    })),
  };
}

/** The teams of the user's home authority, for the monthly sample. */
export async function teamsForSampling(ctx: ServiceContext) {
  requirePermission(ctx.user, 'case-audit:conduct');
  return ctx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('localAuthorityId', '=', homeAuthority(ctx))
    .orderBy('name')
    .execute();
}
