import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, BusinessRuleError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { addCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import { socialCareSettings } from './episode.repository.ts';
import type { SocialCareSettings } from './social-care.ts';
import { toolsOf } from './visits.service.ts';
import {
  recordChange,
  requireUpdated,
  type Db,
  type ReadContext,
  type ServiceContext,
  saveVersioned,
} from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

/**
 * Changing the social care settings: each authority's CIN plan review interval and statutory visit intervals
 * (social_care_settings, one row per authority, the defaults until saved), and the direct-work tools offered
 * when recording direct work (per authority too: the shared defaults in reference code set 'direct-work-tool'
 * until a manager first changes them, then the authority's own list in direct_work_tools). Managers with
 * 'social-care:authorise' change their own authorities; 'reference-data:manage' any. A tool is retired (valid_to
 * set), never deleted: sessions that used it keep showing its name. Every change is audited with before and after.
 */

/** The ranges the settings page accepts (whole numbers; within the database's checks). */
export const SETTING_RANGES = {
  cinReviewIntervalWeeks: { min: 4, max: 26 },
  cinVisitIntervalWorkingDays: { min: 5, max: 65 },
  cpVisitIntervalWorkingDays: { min: 1, max: 20 },
} as const;

export function canManageSettings(user: CurrentUser): boolean {
  return user.permissions.has('reference-data:manage') || user.permissions.has('social-care:authorise');
}

function requireManager(user: CurrentUser): void {
  if (!canManageSettings(user)) throw new AccessDeniedError('social-care:authorise');
}

/** The authorities whose settings the user may change: all for reference data managers, else their own. */
export async function settingsAuthorities(ctx: ReadContext) {
  const { db, user } = ctx;
  requireManager(user);
  const all = await db
    .selectFrom('localAuthorities')
    .select(['id', 'name', 'laCode'])
    .orderBy('name')
    .execute();
  return user.permissions.has('reference-data:manage')
    ? all
    : all.filter((la) => user.localAuthorityIds.includes(la.id));
}

/**
 * An authority's settings with when (and by whom) they were last saved; `updatedAt` null while on the defaults, and
 * the version a form carries (0 while on the defaults: no row yet).
 */
export async function settingsFor(db: Db, localAuthorityId: string) {
  const [settings, row] = await Promise.all([
    socialCareSettings(db, localAuthorityId),
    db
      .selectFrom('socialCareSettings as s')
      .leftJoin('users as u', 'u.id', 's.updatedBy')
      .select(['s.updatedAt', 'u.displayName as updatedByName', 's.version'])
      .where('s.localAuthorityId', '=', localAuthorityId)
      .executeTakeFirst(),
  ]);
  return {
    settings,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
    version: row?.version ?? 0,
  };
}

const CHANGED_MEANWHILE =
  'Someone else changed these settings while you were editing them. Check them and save again.';

export async function saveSocialCareSettings(
  ctx: ServiceContext,
  input: SocialCareSettings & {
    localAuthorityId: string;
    /** The version the form was shown with (0: the defaults, no row yet); internal callers may leave it out. */
    version?: number | undefined;
  },
): Promise<{ changed: string[] }> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const la = (await settingsAuthorities(ctx)).find((l) => l.id === input.localAuthorityId);
  if (!la) throw new BusinessRuleError('localAuthorityId', 'Choose a local authority you work for');
  for (const [field, range] of Object.entries(SETTING_RANGES) as [
    keyof SocialCareSettings,
    { min: number; max: number },
  ][]) {
    const v = input[field];
    if (!Number.isInteger(v) || v < range.min || v > range.max)
      throw new BusinessRuleError(field, `Enter a whole number from ${range.min} to ${range.max}`);
  }
  if (input.cpVisitIntervalWorkingDays > input.cinVisitIntervalWorkingDays)
    throw new BusinessRuleError(
      'cpVisitIntervalWorkingDays',
      'Children on a child protection plan are visited at least as often as children in need',
    );
  const current = await settingsFor(trx, la.id);
  const expected = input.version ?? current.version;
  if (expected !== current.version) throw new ConflictError(CHANGED_MEANWHILE);
  const before = current.settings;
  const after: SocialCareSettings = {
    cinReviewIntervalWeeks: input.cinReviewIntervalWeeks,
    cinVisitIntervalWorkingDays: input.cinVisitIntervalWorkingDays,
    cpVisitIntervalWorkingDays: input.cpVisitIntervalWorkingDays,
  };
  const changed = (Object.keys(after) as (keyof SocialCareSettings)[]).filter((k) => before[k] !== after[k]);
  if (!changed.length && current.updatedAt) return { changed };
  const values = { ...after, updatedAt: now, updatedBy: user.id };
  // The version is checked in the UPDATE itself (and a first save from the defaults inserts only if nobody did).
  await saveVersioned(
    trx,
    {
      table: 'socialCareSettings',
      key: 'localAuthorityId',
      id: la.id,
      version: expected,
      conflict: CHANGED_MEANWHILE,
    },
    values,
  );
  await recordChange(ctx, {
    audit: {
      action: 'social-care-settings.changed',
      subjectType: 'local-authority',
      subjectId: la.id,
      details: { localAuthority: la.name, changed, before: { ...before }, after: { ...after } },
    },
  });
  return { changed };
}

// Direct-work tools ------------------------------------------------------------------------------------------------

export interface ToolRow {
  code: string;
  label: string;
  description: string | null;
  validTo: string | null;
  retired: boolean;
  sessions: number;
}

/** Every tool of the authority (retired ones too), with how many of its sessions used it. */
export async function allDirectWorkTools(
  db: Db,
  localAuthorityId: string,
  today: string,
): Promise<ToolRow[]> {
  const [{ tools }, counts] = await Promise.all([
    toolsOf(db, localAuthorityId),
    db
      .selectFrom('directWorkSessions as d')
      .innerJoin('cinEpisodes as e', 'e.id', 'd.episodeId')
      .select(['d.tool', (eb) => eb.fn.countAll<string>().as('n')])
      .where('e.localAuthorityId', '=', localAuthorityId)
      .groupBy('d.tool')
      .execute(),
  ]);
  return tools.map((r) => ({
    code: r.code,
    label: r.label,
    description: r.description,
    validTo: r.validTo,
    retired: r.validTo !== null && r.validTo < today,
    sessions: Number(counts.find((c) => c.tool === r.code)?.n ?? 0),
  }));
}

/** The authority the user manages tools for (their own, or any for reference data managers); refused otherwise. */
async function managedAuthority(ctx: ReadContext, localAuthorityId: string) {
  const la = (await settingsAuthorities(ctx)).find((l) => l.id === localAuthorityId);
  if (!la) throw new BusinessRuleError('localAuthorityId', 'Choose a local authority you work for');
  return la;
}

/** The first change to an authority's tools gives it its own list: a copy of the shared defaults. */
async function ensureOwnList(trx: Trx, localAuthorityId: string): Promise<void> {
  const { own, tools } = await toolsOf(trx, localAuthorityId);
  if (own || !tools.length) return;
  await trx
    .insertInto('directWorkTools')
    .values(
      tools.map((t) => ({
        localAuthorityId,
        code: t.code,
        label: t.label,
        description: t.description,
        sortOrder: t.sortOrder,
        validFrom: t.validFrom,
        validTo: t.validTo,
      })),
    )
    .onConflict((oc) => oc.columns(['localAuthorityId', 'code']).doNothing())
    .execute();
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'tool'
  );
}

export async function addDirectWorkTool(
  ctx: ServiceContext,
  input: { localAuthorityId: string; label: string; description?: string | undefined },
): Promise<string> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const la = await managedAuthority(ctx, input.localAuthorityId);
  const label = input.label.trim();
  const tools = await allDirectWorkTools(trx, la.id, isoDateOf(now));
  const same = tools.find((t) => t.label.toLowerCase() === label.toLowerCase());
  if (same)
    throw new BusinessRuleError(
      'label',
      same.retired
        ? `${same.label} is already a tool: it was retired, reinstate it below`
        : `${same.label} is already a tool`,
    );
  const base = slug(label);
  let code = base;
  for (let i = 2; tools.some((t) => t.code === code); i++) code = `${base}-${i}`;
  await ensureOwnList(trx, la.id);
  const own = trx.selectFrom('directWorkTools').where('localAuthorityId', '=', la.id);
  // New tools go before "Other", which stays last.
  const other = await own.select('sortOrder').where('code', '=', 'other').executeTakeFirst();
  const max = await own
    .select((eb) => eb.fn.max('sortOrder').as('m'))
    .where('code', '!=', 'other')
    .executeTakeFirst();
  const sortOrder = Number(max?.m ?? -1) + 1;
  if (other && other.sortOrder <= sortOrder)
    await trx
      .updateTable('directWorkTools')
      .set({ sortOrder: sortOrder + 1 })
      .where('localAuthorityId', '=', la.id)
      .where('code', '=', 'other')
      .execute();
  const description = input.description?.trim() || null;
  await trx
    .insertInto('directWorkTools')
    .values({ localAuthorityId: la.id, code, label, description, sortOrder })
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'direct-work-tool.added',
      subjectType: 'direct-work-tool',
      subjectId: `${la.id}:${code}`,
      details: { localAuthority: la.name, before: null, after: { code, label, description } },
    },
  });
  return code;
}

async function setValidTo(
  ctx: ServiceContext,
  localAuthorityId: string,
  code: string,
  retire: boolean,
): Promise<ToolRow> {
  const { db: trx, user, now } = ctx;
  requireManager(user);
  const la = await managedAuthority(ctx, localAuthorityId);
  const today = isoDateOf(now);
  const tools = await allDirectWorkTools(trx, la.id, today);
  const tool = tools.find((t) => t.code === code);
  if (!tool) throw new NotFoundError();
  if (retire && tool.retired) throw new BusinessRuleError('tools', `${tool.label} is already retired`);
  if (!retire && !tool.retired) throw new BusinessRuleError('tools', `${tool.label} is already in use`);
  if (retire && !tools.some((t) => !t.retired && t.code !== code))
    throw new BusinessRuleError('tools', 'Keep at least one tool in use: direct work records the tool used');
  const validTo = retire ? addCalendarDays(today, -1) : null;
  await ensureOwnList(trx, la.id);
  // The tool's state as read (in use, or retired on that date) is checked in the UPDATE: of two retirements (or
  // reinstatements) from one page, one lands and the other is a 409.
  requireUpdated(
    await trx
      .updateTable('directWorkTools')
      .set({ validTo })
      .where('localAuthorityId', '=', la.id)
      .where('code', '=', code)
      .where((eb) => (tool.validTo === null ? eb('validTo', 'is', null) : eb('validTo', '=', tool.validTo)))
      .executeTakeFirst(),
  );
  await recordChange(ctx, {
    audit: {
      action: retire ? 'direct-work-tool.retired' : 'direct-work-tool.reinstated',
      subjectType: 'direct-work-tool',
      subjectId: `${la.id}:${code}`,
      details: {
        localAuthority: la.name,
        label: tool.label,
        sessions: tool.sessions,
        before: { validTo: tool.validTo },
        after: { validTo },
      },
    },
  });
  return tool;
}

/** Retires a tool from today (valid_to yesterday): no longer offered, still shown on the sessions that used it. */
export const retireDirectWorkTool = (ctx: ServiceContext, localAuthorityId: string, code: string) =>
  setValidTo(ctx, localAuthorityId, code, true);

export const reinstateDirectWorkTool = (ctx: ServiceContext, localAuthorityId: string, code: string) =>
  setValidTo(ctx, localAuthorityId, code, false);
