import { sql } from 'kysely';
import { requireAccess } from '../../kernel/access/index.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import {
  recordChange,
  requirePermission,
  requireUpdated,
  type ReadContext,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { compareIsoDates, formatDateGovUk, isoDateOf, occurredOn } from '../../kernel/time/index.ts';
import {
  formatPounds,
  SUPPORT_FREQUENCY_LABELS,
  SUPPORT_KIND_LABELS,
  SUPPORT_STATUS_LABELS,
  type SupportFrequency,
  type SupportKind,
} from './family-network.ts';

/**
 * Family network support packages: what the authority gives the child's network (money, practical help, respite,
 * childcare, training), how much and how often, from when to when. A manager agrees a package (the manager recording
 * it is the one who agreed it); it is changed with the version check and ended with a date and a reason.
 */

export interface SupportPackageDetails {
  kind: SupportKind;
  description: string;
  amountPence?: number | undefined;
  frequency: SupportFrequency;
  startDate: string;
  endDate?: string | undefined;
}

function requireDates(input: SupportPackageDetails) {
  if (input.endDate && compareIsoDates(input.endDate, input.startDate) < 0)
    throw new BusinessRuleError(
      'endDate',
      'The date it ends must be the same as or after the date it starts',
    );
  if (input.kind === 'financial' && input.amountPence === undefined)
    throw new BusinessRuleError('amount', 'Enter how much money is given');
}

async function requireManagerWrite(ctx: ReadContext, childId: string) {
  // Agreeing support is a manager's decision: the permission managers hold for allocating work.
  requirePermission(ctx.user, 'allocation:manage');
  requirePermission(ctx.user, 'child:write');
  await requireAccess(ctx.db, ctx.user, 'write', [childId], ctx.now);
}

function describe(input: SupportPackageDetails): string {
  const amount = input.amountPence !== undefined ? `${formatPounds(input.amountPence)} ` : '';
  return `${SUPPORT_KIND_LABELS[input.kind]}: ${input.description} (${amount}${SUPPORT_FREQUENCY_LABELS[input.frequency].toLowerCase()})`;
}

export async function recordSupportPackage(
  ctx: ServiceContext,
  input: SupportPackageDetails & { childId: string },
): Promise<string> {
  await requireManagerWrite(ctx, input.childId);
  requireDates(input);
  const { id } = await ctx.db
    .insertInto('familyNetworkSupportPackages')
    .values({
      childId: input.childId,
      kind: input.kind,
      description: input.description,
      amountPence: input.amountPence ?? null,
      frequency: input.frequency,
      startDate: input.startDate,
      endDate: input.endDate ?? null,
      agreedBy: ctx.user.id,
      recordedBy: ctx.user.id,
      recordedAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'family-network-support.agreed',
      subjectType: 'family-network-support',
      subjectId: id,
      childId: input.childId,
      details: {
        kind: input.kind,
        amountPence: input.amountPence ?? null,
        frequency: input.frequency,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'decision',
      title: 'Family network support agreed',
      summary: `${describe(input)}, from ${formatDateGovUk(input.startDate)}${input.endDate ? ` to ${formatDateGovUk(input.endDate)}` : ''}. Agreed by ${ctx.user.displayName}.`,
      sourceType: 'family-network-support',
      sourceId: id,
    },
  });
  return id;
}

function packageQuery(ctx: ReadContext) {
  return ctx.db
    .selectFrom('familyNetworkSupportPackages as s')
    .leftJoin('users as u', 'u.id', 's.agreedBy')
    .select([
      's.id',
      's.childId',
      's.kind',
      's.description',
      's.amountPence',
      's.frequency',
      's.startDate',
      's.endDate',
      's.status',
      's.endedOn',
      's.endReason',
      's.version',
      'u.displayName as agreedByName',
    ]);
}

type PackageRow = Awaited<ReturnType<ReturnType<typeof packageQuery>['execute']>>[number];

function toPackage(r: PackageRow) {
  return {
    ...r,
    kindLabel: SUPPORT_KIND_LABELS[r.kind as SupportKind] ?? r.kind,
    frequencyLabel: SUPPORT_FREQUENCY_LABELS[r.frequency as SupportFrequency] ?? r.frequency,
    statusLabel: SUPPORT_STATUS_LABELS[r.status] ?? r.status,
    amount: formatPounds(r.amountPence),
  };
}
export type SupportPackage = ReturnType<typeof toPackage>;

/** The child's support packages, agreed ones first, then ended; one page at a time. */
export async function listSupportPackages(
  ctx: ReadContext,
  childId: string,
  options: { page?: number; pageSize?: number } = {},
): Promise<{ packages: SupportPackage[]; total: number }> {
  await requireAccess(ctx.db, ctx.user, 'read', [childId], ctx.now);
  const pageSize = options.pageSize ?? 20;
  const page = options.page ?? 1;
  const [rows, count] = await Promise.all([
    packageQuery(ctx)
      .where('s.childId', '=', childId)
      .orderBy(sql`case when s.status = 'agreed' then 0 else 1 end`)
      .orderBy('s.startDate', 'desc')
      .orderBy('s.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    ctx.db
      .selectFrom('familyNetworkSupportPackages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow(),
  ]);
  return { packages: rows.map(toPackage), total: Number(count.n) };
}

export async function loadSupportPackage(
  ctx: ReadContext,
  input: { childId: string; packageId: string },
): Promise<SupportPackage> {
  await requireAccess(ctx.db, ctx.user, 'read', [input.childId], ctx.now);
  const row = await packageQuery(ctx)
    .where('s.id', '=', input.packageId)
    .where('s.childId', '=', input.childId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return toPackage(row);
}

export async function changeSupportPackage(
  ctx: ServiceContext,
  input: SupportPackageDetails & { childId: string; packageId: string; version: number },
): Promise<{ changed: string[] }> {
  await requireManagerWrite(ctx, input.childId);
  const current = await loadSupportPackage(ctx, input);
  if (current.version !== input.version) throw new ConflictError();
  if (current.status === 'ended')
    throw new BusinessRuleError('description', 'This support has ended: it is kept as it was');
  requireDates(input);
  const next = {
    kind: input.kind,
    description: input.description,
    amountPence: input.amountPence ?? null,
    frequency: input.frequency,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
  if (!changed.length) return { changed };
  requireUpdated(
    await ctx.db
      .updateTable('familyNetworkSupportPackages')
      .set({ ...next, version: sql`version + 1` })
      .where('id', '=', current.id)
      .where('version', '=', input.version)
      .where('status', '=', 'agreed')
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: 'family-network-support.changed',
      subjectType: 'family-network-support',
      subjectId: current.id,
      childId: input.childId,
      details: {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, current[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    },
    chronology: {
      childIds: [input.childId],
      category: 'decision',
      title: 'Family network support changed',
      summary: describe(input),
      sourceType: 'family-network-support',
      sourceId: current.id,
    },
  });
  return { changed };
}

export async function endSupportPackage(
  ctx: ServiceContext,
  input: { childId: string; packageId: string; version: number; endedOn: string; reason: string },
): Promise<void> {
  await requireManagerWrite(ctx, input.childId);
  const current = await loadSupportPackage(ctx, input);
  if (current.version !== input.version) throw new ConflictError();
  if (current.status === 'ended')
    throw new BusinessRuleError('endedOn', `This support ended on ${formatDateGovUk(current.endedOn ?? '')}`);
  if (compareIsoDates(input.endedOn, current.startDate) < 0)
    throw new BusinessRuleError(
      'endedOn',
      `The date it ended must be the same as or after the date it started (${formatDateGovUk(current.startDate)})`,
    );
  if (compareIsoDates(input.endedOn, isoDateOf(ctx.now)) > 0)
    throw new BusinessRuleError('endedOn', 'The date it ended must be today or in the past');
  requireUpdated(
    await ctx.db
      .updateTable('familyNetworkSupportPackages')
      .set({ status: 'ended', endedOn: input.endedOn, endReason: input.reason, version: sql`version + 1` })
      .where('id', '=', current.id)
      .where('version', '=', input.version)
      .where('status', '=', 'agreed')
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: 'family-network-support.ended',
      subjectType: 'family-network-support',
      subjectId: current.id,
      childId: input.childId,
      details: { endedOn: input.endedOn, reason: input.reason },
    },
    chronology: {
      childIds: [input.childId],
      category: 'decision',
      title: `Family network support ended: ${current.kindLabel.toLowerCase()}`,
      summary: input.reason,
      occurredAt: occurredOn(input.endedOn, ctx.now),
      sourceType: 'family-network-support',
      sourceId: current.id,
    },
  });
}
