import { sql } from 'kysely';
import type { CurrentUser } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import {
  recordChange,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import {
  allowedActions,
  type ObservationAction,
  type ObservationSetting,
  type ObservationStatus,
} from './observation.ts';

/**
 * Direct observations of practice. Observers are the QA roles ('case-audit:conduct') and managers
 * ('supervision:record'). An observation is seen by its observer, by the worker once it is shared, and by the
 * worker's management line (a manager of the worker's team or a team above it) once shared; anyone else gets 404.
 * Every view and change is audited; every save checks the version (a stale save is a 409).
 */

export const OBSERVATIONS_PAGE_SIZE = 10;
const STALE =
  'Someone else saved this observation while you had it open. Your changes were not saved: check it and make them again.';

export function canObserve(user: CurrentUser): boolean {
  return (
    !user.isPartner &&
    (user.permissions.has('case-audit:conduct') || user.permissions.has('supervision:record'))
  );
}

const isLineManagerOf = (user: CurrentUser, workerTeamId: string | null, workerId: string) =>
  user.permissions.has('supervision:record') &&
  !!workerTeamId &&
  workerId !== user.id &&
  user.managedTeamIds.includes(workerTeamId);

function baseQuery(db: Db) {
  return db
    .selectFrom('practiceObservations as o')
    .innerJoin('users as ob', 'ob.id', 'o.observerId')
    .innerJoin('users as w', 'w.id', 'o.workerId')
    .leftJoin('teams as t', 't.id', 'w.teamId');
}

/** The workers an observer may choose: the authority's staff (not partners), by name. */
export async function observableWorkers(ctx: ReadContext) {
  if (!canObserve(ctx.user)) throw new AccessDeniedError('case-audit:conduct');
  return ctx.db
    .selectFrom('users as u')
    .leftJoin('teams as t', 't.id', 'u.teamId')
    .select(['u.id', 'u.displayName', 't.name as teamName'])
    .where('u.localAuthorityId', '=', ctx.user.localAuthorityId ?? '00000000-0000-0000-0000-000000000000')
    .where('u.agencyId', 'is', null)
    .where('u.id', '<>', ctx.user.id)
    .orderBy('u.displayName')
    .execute();
}

export interface ObservationFields {
  observedOn?: string | undefined;
  setting?: ObservationSetting | undefined;
  settingDetail?: string | undefined;
  strengths?: string | undefined;
  toDevelop?: string | undefined;
}

function required(fields: ObservationFields, forShare: boolean): FieldError[] {
  const problems: FieldError[] = [];
  const need = (field: keyof ObservationFields, message: string, href = `#${field}`) => {
    if (!fields[field]) problems.push({ field, message, href });
  };
  need('observedOn', 'Enter the date of the observation', '#observedOn-day');
  need('setting', 'Select what you observed', '#setting');
  if (fields.setting === 'other') need('settingDetail', 'Say what you observed');
  if (forShare) {
    need('strengths', 'Enter the strengths you saw');
    need('toDevelop', 'Enter what the worker could develop');
  }
  return problems;
}

/** Starts an observation of a worker (a draft, seen only by the observer until it is shared). */
export async function createObservation(
  ctx: ServiceContext,
  input: ObservationFields & { workerId: string },
): Promise<string> {
  if (!canObserve(ctx.user) || !ctx.user.localAuthorityId) throw new AccessDeniedError('case-audit:conduct');
  if (input.workerId === ctx.user.id)
    throw new BusinessRuleError('workerId', 'Choose someone else: you cannot observe your own practice');
  const worker = await ctx.db
    .selectFrom('users')
    .select(['id'])
    .where('id', '=', input.workerId)
    .where('localAuthorityId', '=', ctx.user.localAuthorityId)
    .where('agencyId', 'is', null)
    .executeTakeFirst();
  if (!worker) throw new BusinessRuleError('workerId', 'Select the worker you observed');
  const problems = required(input, false);
  if (problems.length) throw new FieldProblemsError(problems);
  const row = await ctx.db
    .insertInto('practiceObservations')
    .values({
      localAuthorityId: ctx.user.localAuthorityId,
      observerId: ctx.user.id,
      workerId: worker.id,
      observedOn: input.observedOn!,
      setting: input.setting!,
      settingDetail: input.settingDetail || null,
      strengths: input.strengths || null,
      toDevelop: input.toDevelop || null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'practice-observation.created',
      subjectType: 'practice-observation',
      subjectId: row.id,
      details: { workerId: worker.id, setting: input.setting! },
    },
  });
  return row.id;
}

/** An observation the user may see (404 otherwise), with what they may do with it. */
export async function loadObservation(ctx: ReadContext, id: string) {
  if (ctx.user.isPartner) throw new AccessDeniedError('case-audit:conduct');
  const o = await baseQuery(ctx.db)
    .selectAll('o')
    .select([
      'ob.displayName as observerName',
      'w.displayName as workerName',
      'w.teamId as workerTeamId',
      't.name as teamName',
    ])
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!o || !ctx.user.localAuthorityIds.includes(o.localAuthorityId)) throw new NotFoundError();
  const roles = { isObserver: o.observerId === ctx.user.id, isWorker: o.workerId === ctx.user.id };
  const line = isLineManagerOf(ctx.user, o.workerTeamId, o.workerId);
  const visible = roles.isObserver || (o.status !== 'draft' && (roles.isWorker || line));
  if (!visible) throw new NotFoundError();
  return {
    observation: o,
    ...roles,
    isLineManager: line,
    actions: allowedActions(o.status as ObservationStatus, roles),
  };
}

/**
 * One step of an observation: the observer saves or shares the draft, the worker adds their reflection, the
 * observer completes it. Each is refused unless the user may take it at the observation's status, and each checks
 * the version the form was loaded at.
 */
export async function saveObservation(
  ctx: ServiceContext,
  input: ObservationFields & {
    id: string;
    version: number;
    action: ObservationAction;
    workerReflection?: string | undefined;
  },
): Promise<ObservationStatus> {
  const { observation: o, actions } = await loadObservation(ctx, input.id);
  if (!actions.includes(input.action)) throw new AccessDeniedError('case-audit:conduct');
  const base = ctx.db
    .updateTable('practiceObservations')
    .where('id', '=', o.id)
    .where('version', '=', input.version)
    .where('status', '=', o.status);
  let status = o.status as ObservationStatus;
  if (input.action === 'save' || input.action === 'share') {
    const problems = required(input, input.action === 'share');
    if (problems.length) throw new FieldProblemsError(problems);
    status = input.action === 'share' ? 'shared' : 'draft';
    requireUpdated(
      await base
        .set({
          observedOn: input.observedOn!,
          setting: input.setting!,
          settingDetail: input.setting === 'other' ? input.settingDetail || null : null,
          strengths: input.strengths || null,
          toDevelop: input.toDevelop || null,
          status,
          ...(status === 'shared' ? { sharedAt: ctx.now } : {}),
          updatedAt: ctx.now,
          version: sql`version + 1`,
        })
        .executeTakeFirst(),
      STALE,
    );
  } else if (input.action === 'reflect') {
    const reflection = input.workerReflection?.trim();
    if (!reflection) throw new BusinessRuleError('workerReflection', 'Enter your reflection');
    requireUpdated(
      await base
        .set({
          workerReflection: reflection,
          reflectedAt: ctx.now,
          updatedAt: ctx.now,
          version: sql`version + 1`,
        })
        .executeTakeFirst(),
      STALE,
    );
  } else {
    if (!o.workerReflection)
      throw new BusinessRuleError(
        'form',
        'The worker has not added their reflection yet: it can be completed after they have',
      );
    status = 'completed';
    requireUpdated(
      await base
        .set({ status, completedAt: ctx.now, updatedAt: ctx.now, version: sql`version + 1` })
        .executeTakeFirst(),
      STALE,
    );
  }
  await recordChange(ctx, {
    audit: {
      action: `practice-observation.${input.action === 'save' ? 'saved' : input.action === 'share' ? 'shared' : input.action === 'reflect' ? 'reflected' : 'completed'}`,
      subjectType: 'practice-observation',
      subjectId: o.id,
      details: { workerId: o.workerId, status },
    },
  });
  return status;
}

const listColumns = [
  'o.id',
  'o.observedOn',
  'o.setting',
  'o.status',
  'ob.displayName as observerName',
  'w.displayName as workerName',
  't.name as teamName',
] as const;

/** The observations the user made, and those of the user's own practice (shared or completed), each paged. */
export async function myObservations(ctx: ReadContext, input: { madePage: number; ofMePage: number }) {
  if (ctx.user.isPartner) throw new AccessDeniedError('case-audit:conduct');
  const made = baseQuery(ctx.db).where('o.observerId', '=', ctx.user.id);
  const ofMe = baseQuery(ctx.db).where('o.workerId', '=', ctx.user.id).where('o.status', '<>', 'draft');
  const size = OBSERVATIONS_PAGE_SIZE;
  const [madeCount, madeRows, ofMeCount, ofMeRows] = await Promise.all([
    made.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    made
      .select(listColumns)
      .orderBy('o.observedOn', 'desc')
      .orderBy('o.id')
      .limit(size)
      .offset((input.madePage - 1) * size)
      .execute(),
    ofMe.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ofMe
      .select(listColumns)
      .orderBy('o.observedOn', 'desc')
      .orderBy('o.id')
      .limit(size)
      .offset((input.ofMePage - 1) * size)
      .execute(),
  ]);
  return {
    made: { total: Number(madeCount.n), rows: madeRows },
    ofMe: { total: Number(ofMeCount.n), rows: ofMeRows },
  };
}

/**
 * A worker's observations for their development record (workforce): shared and completed ones, plus drafts the
 * user is writing. The workforce module has already decided the user may see the worker's record; this keeps to
 * the observations' own rule too (observer, worker, management line).
 */
export async function observationsOfWorker(ctx: ReadContext, input: { workerId: string; page: number }) {
  const worker = await ctx.db
    .selectFrom('users')
    .select(['id', 'teamId'])
    .where('id', '=', input.workerId)
    .executeTakeFirst();
  if (!worker) throw new NotFoundError();
  const seesShared = worker.id === ctx.user.id || isLineManagerOf(ctx.user, worker.teamId, worker.id);
  const q = baseQuery(ctx.db)
    .where('o.workerId', '=', worker.id)
    .where((eb) =>
      eb.or([eb('o.observerId', '=', ctx.user.id), ...(seesShared ? [eb('o.status', '<>', 'draft')] : [])]),
    );
  const size = OBSERVATIONS_PAGE_SIZE;
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    q
      .select(listColumns)
      .orderBy('o.observedOn', 'desc')
      .orderBy('o.id')
      .limit(size)
      .offset((input.page - 1) * size)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}
