import { sql } from 'kysely';
import { holdsRoleIn, type CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  type Db,
  type ReadContext,
  type ServiceContext,
  saveVersioned,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import {
  asyeReviewsOutstanding,
  renewalFlagged,
  type AsyePoint,
  type AsyeStatus,
  type ContractType,
} from './worker-profile.ts';

/**
 * Worker profiles (workforce module). Need to know: a profile (its HR fields, ASYE and training) is seen by the
 * worker, their line management (a manager with 'supervision:record' of the worker's team or a team above it) and
 * the authority's administrators ('users:manage'); it is kept by the management line and administrators. The ASYE
 * assessor records ASYE reviews too. Every view and change is audited.
 */

async function workerRow(db: Db, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .select([
      'u.id',
      'u.displayName',
      'u.jobTitle',
      'u.email',
      'u.teamId',
      'u.localAuthorityId',
      'u.agencyId',
      't.name as teamName',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

type Worker = NonNullable<Awaited<ReturnType<typeof workerRow>>>;

const isLineManager = (user: CurrentUser, worker: Worker) =>
  user.permissions.has('supervision:record') &&
  !!worker.teamId &&
  worker.id !== user.id &&
  user.managedTeamIds.includes(worker.teamId);
const isAdministrator = (user: CurrentUser, worker: Worker) =>
  user.permissions.has('users:manage') &&
  !!worker.localAuthorityId &&
  user.localAuthorityIds.includes(worker.localAuthorityId);

/** The worker whose profile the user may see, and what they may do with it; 404 for anyone else. */
async function visibleWorker(ctx: ReadContext, userId: string) {
  if (ctx.user.isPartner) throw new AccessDeniedError('child:read');
  const worker = await workerRow(ctx.db, userId);
  if (!worker || worker.agencyId) throw new NotFoundError('No such worker');
  const keeps = isLineManager(ctx.user, worker) || isAdministrator(ctx.user, worker);
  const profile = await ctx.db
    .selectFrom('workerProfiles as w')
    .leftJoin('users as a', 'a.id', 'w.asyeAssessorId')
    .selectAll('w')
    .select('a.displayName as assessorName')
    .where('w.userId', '=', worker.id)
    .executeTakeFirst();
  const isAssessor = !!profile?.asyeAssessorId && profile.asyeAssessorId === ctx.user.id;
  if (!(worker.id === ctx.user.id || keeps || isAssessor)) throw new NotFoundError('No such worker');
  return { worker, profile, keeps, isAssessor, isSelf: worker.id === ctx.user.id };
}

export const TRAINING_PAGE_SIZE = 20;

export async function loadWorkerProfile(ctx: ReadContext, input: { userId: string; trainingPage?: number }) {
  const v = await visibleWorker(ctx, input.userId);
  const page = input.trainingPage ?? 1;
  const [reviews, training, trainingCount] = await Promise.all([
    ctx.db
      .selectFrom('asyeReviews as r')
      .innerJoin('users as u', 'u.id', 'r.recordedBy')
      .select([
        'r.id',
        'r.reviewPoint',
        'r.heldOn',
        'r.progress',
        'r.recommendation',
        'u.displayName as recordedByName',
      ])
      .where('r.userId', '=', v.worker.id)
      .orderBy('r.heldOn')
      .execute(),
    ctx.db
      .selectFrom('trainingRecords')
      .select(['id', 'title', 'provider', 'completedOn', 'hours', 'learned', 'applied'])
      .where('userId', '=', v.worker.id)
      .orderBy('completedOn', 'desc')
      .orderBy('recordedAt', 'desc')
      .limit(TRAINING_PAGE_SIZE)
      .offset((page - 1) * TRAINING_PAGE_SIZE)
      .execute(),
    ctx.db
      .selectFrom('trainingRecords')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('userId', '=', v.worker.id)
      .executeTakeFirstOrThrow(),
  ]);
  const p = v.profile;
  const today = isoDateOf(ctx.now);
  return {
    ...v,
    canEdit: v.keeps,
    canRecordAsye: (v.keeps || v.isAssessor) && !!p && ['in-progress', 'extended'].includes(p.asyeStatus),
    canRecordTraining: v.keeps || v.isSelf,
    version: p?.version ?? 0,
    reviews,
    outstanding: p
      ? asyeReviewsOutstanding(
          p,
          reviews.map((r) => r.reviewPoint),
          ctx.calendar,
        )
      : [],
    renewalDue: !!p?.sweRenewalOn && !p.leftOn && renewalFlagged(p.sweRenewalOn, today, ctx.calendar),
    training: training.map((t) => ({ ...t, hours: t.hours === null ? null : Number(t.hours) })),
    trainingTotal: Number(trainingCount.n),
  };
}

export interface WorkerProfileInput {
  userId: string;
  contractType: ContractType;
  fte: number;
  startedOn?: string | undefined;
  leftOn?: string | undefined;
  leavingReason?: string | undefined;
  sweRegistrationNumber?: string | undefined;
  sweRenewalOn?: string | undefined;
  asyeStatus: AsyeStatus;
  asyeAssessorId?: string | undefined;
  asyeStartedOn?: string | undefined;
  asyeOutcomeOn?: string | undefined;
  /** The profile's version the form was shown with (0: there was none). */
  version: number;
}

/** Saves a worker's profile (their management line or an administrator); the version is checked in the UPDATE. */
export async function saveWorkerProfile(ctx: ServiceContext, input: WorkerProfileInput): Promise<void> {
  const v = await visibleWorker(ctx, input.userId);
  if (!v.keeps) throw new AccessDeniedError('supervision:record');
  if (input.leftOn && !input.leavingReason)
    throw new BusinessRuleError('leavingReason', 'Enter why they left');
  if (input.leavingReason && !input.leftOn)
    throw new BusinessRuleError('leftOn-day', 'Enter the date they left');
  if (input.leftOn && input.startedOn && input.leftOn < input.startedOn)
    throw new BusinessRuleError('leftOn-day', 'The leaving date must be on or after the start date');
  if (input.asyeStatus !== 'not-applicable' && !input.asyeStartedOn)
    throw new BusinessRuleError('asyeStartedOn-day', 'Enter the date the ASYE started');
  if (input.asyeAssessorId) {
    const assessor = await workerRow(ctx.db, input.asyeAssessorId);
    if (!assessor || assessor.agencyId || assessor.id === v.worker.id)
      throw new BusinessRuleError('asyeAssessorId', 'Choose the assessor from the list');
  }
  const values = {
    contractType: input.contractType,
    fte: input.fte,
    startedOn: input.startedOn ?? null,
    leftOn: input.leftOn ?? null,
    leavingReason: input.leavingReason?.trim() || null,
    sweRegistrationNumber: input.sweRegistrationNumber?.trim() || null,
    sweRenewalOn: input.sweRenewalOn ?? null,
    asyeStatus: input.asyeStatus,
    asyeAssessorId: input.asyeAssessorId ?? null,
    asyeStartedOn: input.asyeStartedOn ?? null,
    asyeOutcomeOn: input.asyeOutcomeOn ?? null,
    updatedAt: ctx.now,
    updatedBy: ctx.user.id,
  };
  await saveVersioned(
    ctx.db,
    { table: 'workerProfiles', key: 'userId', id: v.worker.id, version: input.version },
    values,
  );
  // HR fields are need-to-know: the audit names what changed, not the values.
  const before = v.profile as Record<string, unknown> | undefined;
  const changed = Object.entries(values)
    .filter(([k]) => k !== 'updatedAt' && k !== 'updatedBy')
    .filter(([k, value]) => String(before?.[k] ?? null) !== String(value))
    .map(([k]) => k);
  await recordChange(ctx, {
    audit: {
      action: 'worker-profile.changed',
      subjectType: 'user',
      subjectId: v.worker.id,
      details: { changed },
    },
  });
}

/** Records an ASYE review point (the assessor, or the management line or an administrator). */
export async function recordAsyeReview(
  ctx: ServiceContext,
  input: {
    userId: string;
    point: AsyePoint;
    heldOn: string;
    progress: string;
    recommendation?: string | undefined;
  },
): Promise<string> {
  const v = await visibleWorker(ctx, input.userId);
  if (!(v.keeps || v.isAssessor)) throw new AccessDeniedError('supervision:record');
  if (!v.profile || !['in-progress', 'extended'].includes(v.profile.asyeStatus))
    throw new BusinessRuleError('point', `${v.worker.displayName} is not in the ASYE`);
  if (v.profile.asyeStartedOn && input.heldOn < v.profile.asyeStartedOn)
    throw new BusinessRuleError('heldOn-day', 'The review cannot be before the ASYE started');
  const inserted = await ctx.db
    .insertInto('asyeReviews')
    .values({
      userId: v.worker.id,
      reviewPoint: input.point,
      heldOn: input.heldOn,
      progress: input.progress.trim(),
      recommendation: input.recommendation?.trim() || null,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .onConflict((oc) => oc.columns(['userId', 'reviewPoint']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new BusinessRuleError('point', 'This review is already recorded');
  await recordChange(ctx, {
    audit: {
      action: 'asye-review.recorded',
      subjectType: 'user',
      subjectId: v.worker.id,
      details: { reviewId: inserted.id, point: input.point, heldOn: input.heldOn },
    },
  });
  return inserted.id;
}

/** Records training or development: what was learned and how it was applied (the worker or their managers). */
export async function recordTraining(
  ctx: ServiceContext,
  input: {
    userId: string;
    title: string;
    provider?: string | undefined;
    completedOn: string;
    hours?: number | undefined;
    learned: string;
    applied?: string | undefined;
  },
): Promise<string> {
  const v = await visibleWorker(ctx, input.userId);
  if (!(v.keeps || v.isSelf)) throw new AccessDeniedError('supervision:record');
  const { id } = await ctx.db
    .insertInto('trainingRecords')
    .values({
      userId: v.worker.id,
      title: input.title.trim(),
      provider: input.provider?.trim() || null,
      completedOn: input.completedOn,
      hours: input.hours ?? null,
      learned: input.learned.trim(),
      applied: input.applied?.trim() || null,
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'training-record.recorded',
      subjectType: 'user',
      subjectId: v.worker.id,
      details: { trainingId: id, completedOn: input.completedOn },
    },
  });
  return id;
}

/** People who may assess an ASYE: active staff of the worker's authority with 'supervision:record' or who write records. */
export async function assessorOptions(db: Db, localAuthorityId: string | null) {
  if (!localAuthorityId) return [];
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.displayName', 'u.jobTitle'])
    .where('u.localAuthorityId', '=', localAuthorityId)
    .where('u.status', '=', 'active')
    .where('u.agencyId', 'is', null)
    .where(holdsRoleIn(['social-worker', 'team-manager', 'service-manager', 'principal-social-worker']))
    .orderBy('u.displayName')
    .limit(500)
    .execute();
}

// Worktray -------------------------------------------------------------------------------------------------------

/**
 * What is due on the user's worktray: ASYE review points not yet recorded, for the user's own ASYE and for the
 * workers whose ASYE they assess; and Social Work England renewals within 30 working days, their own and those of
 * the teams they manage. Indexed (worker_profiles_asye_assessor_idx, worker_profiles_renewal_idx) and bounded.
 */
export async function workforceDue(ctx: ReadContext) {
  if (ctx.user.isPartner) return { asye: [], renewals: [] };
  const today = isoDateOf(ctx.now);
  const asyeRows = await ctx.db
    .selectFrom('workerProfiles as w')
    .innerJoin('users as u', 'u.id', 'w.userId')
    .select((eb) => [
      'w.userId',
      'u.displayName',
      'w.asyeStatus',
      'w.asyeStartedOn',
      eb
        .selectFrom('asyeReviews as r')
        .select(sql<string>`string_agg(r.review_point, ',')`.as('points'))
        .whereRef('r.userId', '=', 'w.userId')
        .as('recorded'),
    ])
    .where('w.asyeStatus', 'in', ['in-progress', 'extended'])
    .where((eb) => eb.or([eb('w.asyeAssessorId', '=', ctx.user.id), eb('w.userId', '=', ctx.user.id)]))
    .where('u.status', '=', 'active')
    .limit(100)
    .execute();
  const asye = asyeRows.flatMap((r) => {
    const next = asyeReviewsOutstanding(r, (r.recorded ?? '').split(','), ctx.calendar)[0];
    return next
      ? [{ userId: r.userId, displayName: r.displayName, own: r.userId === ctx.user.id, ...next }]
      : [];
  });
  const managed = ctx.user.permissions.has('supervision:record') ? ctx.user.managedTeamIds : [];
  const renewalRows = await ctx.db
    .selectFrom('workerProfiles as w')
    .innerJoin('users as u', 'u.id', 'w.userId')
    .select(['w.userId', 'u.displayName', 'w.sweRenewalOn'])
    .where('w.leftOn', 'is', null)
    .where('w.sweRenewalOn', 'is not', null)
    .where('w.sweRenewalOn', '<=', ctx.calendar.addWorkingDays(today, 30))
    .where('u.status', '=', 'active')
    .where((eb) =>
      eb.or([eb('w.userId', '=', ctx.user.id), ...(managed.length ? [eb('u.teamId', 'in', managed)] : [])]),
    )
    .orderBy('w.sweRenewalOn')
    .limit(100)
    .execute();
  const renewals = renewalRows
    .filter((r) => renewalFlagged(r.sweRenewalOn!, today, ctx.calendar))
    .map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      own: r.userId === ctx.user.id,
      dueOn: r.sweRenewalOn!,
    }));
  return { asye, renewals };
}
