import { sql } from 'kysely';
import { AccessDeniedError, BusinessRuleError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ReadContext,
  type ServiceContext,
  rowsAndTotal,
  pageWindow,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { requireSupervisionUser, superviseesDue } from './supervision.service.ts';

/**
 * Personal supervision (workforce module): the worker's wellbeing, workload and development, and what was agreed.
 * Private to the worker and the supervisor who recorded it: nobody else (not the wider management line, not an
 * administrator) may open it, it is never linked to a child and never reaches a child's record or chronology.
 * Recording, changing and viewing are audited, without the content.
 */

export interface PersonalSupervisionInput {
  heldOn: string;
  wellbeing?: string | undefined;
  workload?: string | undefined;
  development?: string | undefined;
  agreed?: string | undefined;
}

const text = (v: string | undefined) => v?.trim() || null;

function requireSomething(input: PersonalSupervisionInput) {
  if (![input.wellbeing, input.workload, input.development, input.agreed].some((v) => v?.trim()))
    throw new BusinessRuleError(
      'wellbeing',
      'Enter something about wellbeing, workload, development or what was agreed',
    );
}

/** The workers the user supervises (their direct reports), for the new record's list. */
export async function personalSuperviseeChoices(ctx: ReadContext) {
  requirePermission(ctx.user, 'supervision:record');
  return (await superviseesDue(ctx)).map((s) => ({
    id: s.id,
    displayName: s.displayName,
    teamName: s.teamName,
  }));
}

export async function recordPersonalSupervision(
  ctx: ServiceContext,
  input: PersonalSupervisionInput & { superviseeId: string },
): Promise<string> {
  const choices = await personalSuperviseeChoices(ctx);
  if (!choices.some((c) => c.id === input.superviseeId))
    throw new BusinessRuleError('superviseeId', 'Select someone you supervise');
  if (input.heldOn > isoDateOf(ctx.now))
    throw new BusinessRuleError('heldOn', 'Date of the supervision must be today or in the past');
  requireSomething(input);
  const localAuthorityId = ctx.user.localAuthorityId;
  if (!localAuthorityId) throw new AccessDeniedError('supervision:record');
  const { id } = await ctx.db
    .insertInto('personalSupervisionRecords')
    .values({
      localAuthorityId,
      supervisorId: ctx.user.id,
      superviseeId: input.superviseeId,
      heldOn: input.heldOn,
      wellbeing: text(input.wellbeing),
      workload: text(input.workload),
      development: text(input.development),
      agreed: text(input.agreed),
      recordedAt: ctx.now,
      recordedBy: ctx.user.id,
      updatedAt: ctx.now,
      updatedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'personal-supervision.recorded',
      subjectType: 'personal-supervision',
      subjectId: id,
      details: { superviseeId: input.superviseeId, heldOn: input.heldOn },
    },
  });
  return id;
}

/** The record if the user is its worker or its supervisor; 404 for everyone else, as for a missing one. */
export async function loadPersonalSupervision(ctx: ReadContext, id: string) {
  requireSupervisionUser(ctx.user);
  const row = await ctx.db
    .selectFrom('personalSupervisionRecords as r')
    .innerJoin('users as sr', 'sr.id', 'r.supervisorId')
    .innerJoin('users as se', 'se.id', 'r.superviseeId')
    .select([
      'r.id',
      'r.supervisorId',
      'r.superviseeId',
      'r.heldOn',
      'r.wellbeing',
      'r.workload',
      'r.development',
      'r.agreed',
      'r.updatedAt',
      'r.version',
      'sr.displayName as supervisorName',
      'se.displayName as superviseeName',
    ])
    .where('r.id', '=', id)
    .where((eb) => eb.or([eb('r.supervisorId', '=', ctx.user.id), eb('r.superviseeId', '=', ctx.user.id)]))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('No such personal supervision record');
  return { ...row, isSupervisor: row.supervisorId === ctx.user.id };
}

/** The supervisor changes the record; `version` is the one the form was loaded with (stale → 409). */
export async function changePersonalSupervision(
  ctx: ServiceContext,
  input: PersonalSupervisionInput & { id: string; version: number },
): Promise<void> {
  const current = await loadPersonalSupervision(ctx, input.id);
  if (!current.isSupervisor) throw new AccessDeniedError('supervision:record');
  if (input.heldOn > isoDateOf(ctx.now))
    throw new BusinessRuleError('heldOn', 'Date of the supervision must be today or in the past');
  requireSomething(input);
  requireUpdated(
    await ctx.db
      .updateTable('personalSupervisionRecords')
      .set({
        heldOn: input.heldOn,
        wellbeing: text(input.wellbeing),
        workload: text(input.workload),
        development: text(input.development),
        agreed: text(input.agreed),
        updatedAt: ctx.now,
        updatedBy: ctx.user.id,
        version: sql`version + 1`,
      })
      .where('id', '=', current.id)
      .where('supervisorId', '=', ctx.user.id)
      .where('version', '=', input.version)
      .executeTakeFirst(),
  );
  const changed = (['heldOn', 'wellbeing', 'workload', 'development', 'agreed'] as const).filter(
    (k) => (current[k] ?? null) !== (k === 'heldOn' ? input.heldOn : text(input[k])),
  );
  await recordChange(ctx, {
    audit: {
      action: 'personal-supervision.changed',
      subjectType: 'personal-supervision',
      subjectId: current.id,
      details: { superviseeId: current.superviseeId, fields: changed, version: input.version + 1 },
    },
  });
}

export const PERSONAL_PAGE_SIZE = 25;

/** The user's personal supervision records, as worker or as supervisor, newest first, paged. */
export async function personalSupervisionRecords(ctx: ReadContext, input: { page: number }) {
  requireSupervisionUser(ctx.user);
  const base = ctx.db
    .selectFrom('personalSupervisionRecords as r')
    .innerJoin('users as sr', 'sr.id', 'r.supervisorId')
    .innerJoin('users as se', 'se.id', 'r.superviseeId')
    .where((eb) => eb.or([eb('r.supervisorId', '=', ctx.user.id), eb('r.superviseeId', '=', ctx.user.id)]));
  const { rows, total } = await rowsAndTotal(
    base,
    (q) =>
      q
        .select(['r.id', 'r.heldOn', 'sr.displayName as supervisorName', 'se.displayName as superviseeName'])
        .orderBy('r.heldOn', 'desc')
        .orderBy('r.recordedAt', 'desc'),
    pageWindow(input.page, PERSONAL_PAGE_SIZE),
  );
  return { rows, total };
}
