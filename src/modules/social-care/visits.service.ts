import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { enforce, practiceError } from './census-queries.ts';
import {
  episodeCinPlans,
  episodeCpPlans,
  loadEpisodeSnapshot,
  type EpisodeSnapshot,
} from './episode.repository.ts';
import { assertOpen, recordEpisodeChange, requireEpisode } from './episode.service.ts';
import { PLAN_KIND_LABELS } from './social-care.ts';
import { requirePermission, type ServiceContext } from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;

export const DIRECT_WORK_TOOL_SET = 'direct-work-tool';

/**
 * Statutory visits (child seen, seen alone, bedroom seen; the next visit is due within the plan's interval) and
 * direct work with the child: the tool used (a reference code set the authority extends), the child's own words,
 * how a child who does not use words communicated, and follow-up actions that land in the open plan.
 */

/** Which plan a date falls under: a CP plan, a CIN plan, or the assessment before any plan. */
export function planOn(
  s: EpisodeSnapshot,
  date: string,
): { kind: 'cp' | 'cin' | 'assessment'; planId: string | null } {
  const within = (p: { startDate: string; endDate: string | null; episodeId: string }) =>
    p.episodeId === s.episode.id && p.startDate <= date && (!p.endDate || date < p.endDate);
  const cp = s.childCpPlans.find(within);
  if (cp) return { kind: 'cp', planId: cp.id };
  const cin = s.childCinPlans.find(
    (p) => p.episodeId === s.episode.id && p.startDate <= date && (!p.endDate || date <= p.endDate),
  );
  if (cin) return { kind: 'cin', planId: cin.id };
  return { kind: 'assessment', planId: null };
}

export interface VisitInput {
  episodeId: string;
  visitedOn: string;
  childSeen: boolean;
  seenAlone?: boolean | undefined;
  bedroomSeen?: boolean | undefined;
  reasonNotSeen?: string | undefined;
  /** What the child said, in their own words (a child not seen says nothing here). */
  childsWords?: string | undefined;
  notes: string;
}

export async function recordVisit(ctx: ServiceContext, input: VisitInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'visitedOn');
  enforce([
    input.visitedOn < episode.referralDate
      ? practiceError('visitedOn', 'A visit on this episode cannot be before the referral')
      : null,
    input.childSeen && input.seenAlone === undefined
      ? practiceError('seenAlone', 'Select whether the child was seen alone')
      : null,
    !input.childSeen && !input.reasonNotSeen
      ? practiceError('reasonNotSeen', 'Say why the child was not seen')
      : null,
    !input.childSeen && input.childsWords?.trim()
      ? practiceError('childsWords', 'Leave what the child said empty: the child was not seen')
      : null,
  ]);
  const s = await loadEpisodeSnapshot(trx, episode);
  const plan = planOn(s, input.visitedOn);
  const row = await trx
    .insertInto('statutoryVisits')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      planKind: plan.kind,
      visitedOn: input.visitedOn,
      childSeen: input.childSeen,
      seenAlone: input.childSeen ? (input.seenAlone ?? null) : null,
      bedroomSeen: input.bedroomSeen ?? null,
      reasonNotSeen: input.childSeen ? null : (input.reasonNotSeen ?? null),
      childsWords: input.childSeen && input.childsWords?.trim() ? input.childsWords.trim() : null,
      notes: input.notes,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const seen = input.childSeen
    ? `Child seen${input.seenAlone ? ' alone' : ', not alone'}${input.bedroomSeen === true ? '; bedroom seen' : input.bedroomSeen === false ? '; bedroom not seen' : ''}`
    : `Child not seen: ${input.reasonNotSeen}`;
  await recordEpisodeChange(
    ctx,
    { type: 'statutory-visit', id: row.id, childId: episode.childId },
    {
      action: 'statutory-visit.recorded',
      details: { planKind: plan.kind, childSeen: input.childSeen },
      on: input.visitedOn,
      category: 'visit',
      title: PLAN_KIND_LABELS[plan.kind],
      summary: `${seen}. ${input.childSeen && input.childsWords?.trim() ? `“${input.childsWords.trim()}” ` : ''}${input.notes}`,
    },
  );
  return row.id;
}

/** The page's rows less their `total` column, and the total: from the rows, or counted when the page is past the end. */
async function withTotal<R extends { total: number }>(
  found: R[],
  page: { offset: number },
  count: () => Promise<{ n: string | number }>,
): Promise<{ rows: Omit<R, 'total'>[]; total: number }> {
  const total = found[0]?.total ?? (page.offset > 0 ? Number((await count()).n) : 0);
  return { rows: found.map(({ total: _total, ...r }) => r), total };
}

/** A page of the episode's visits, newest first, and how many there are: one statement (the count as a window). */
export async function visitsFor(trx: Trx, episodeId: string, page: { limit: number; offset: number }) {
  const q = trx
    .selectFrom('statutoryVisits as v')
    .innerJoin('users as u', 'u.id', 'v.recordedBy')
    .where('v.episodeId', '=', episodeId);
  const found = await q
    .selectAll('v')
    .select(['u.displayName as recordedByName', sql<number>`(count(*) over ())::int`.as('total')])
    .orderBy('v.visitedOn', 'desc')
    .orderBy('v.recordedAt', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return withTotal(found, page, () =>
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  );
}

export interface DirectWorkTool {
  code: string;
  label: string;
  description: string | null;
  sortOrder: number;
  validFrom: string | null;
  validTo: string | null;
}

/**
 * Every direct-work tool of an authority, retired ones too: its own list (direct_work_tools) once a manager has
 * changed it, until then the shared defaults (reference code set 'direct-work-tool'), like the other settings.
 */
export async function toolsOf(
  db: Kysely<DB> | Trx,
  localAuthorityId: string,
): Promise<{ own: boolean; tools: DirectWorkTool[] }> {
  const cols = ['code', 'label', 'description', 'sortOrder', 'validFrom', 'validTo'] as const;
  // One statement: the authority's own list, or the defaults when it has none.
  const rows = await db
    .selectFrom('directWorkTools')
    .select([...cols, sql<boolean>`true`.as('own')])
    .where('localAuthorityId', '=', localAuthorityId)
    .unionAll((eb) =>
      eb
        .selectFrom('refCodes')
        .select([...cols, sql<boolean>`false`.as('own')])
        .where('codeSet', '=', DIRECT_WORK_TOOL_SET)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('directWorkTools as o')
                .select('o.code')
                .where('o.localAuthorityId', '=', localAuthorityId),
            ),
          ),
        ),
    )
    .orderBy('sortOrder')
    .orderBy('label')
    .execute();
  return { own: rows[0]?.own ?? false, tools: rows.map(({ own: _own, ...t }) => t) };
}

/** The authority's direct-work tools in use on `on` (retired ones, with a valid_to before it, are left out). */
export async function directWorkTools(db: Kysely<DB> | Trx, localAuthorityId: string, on: string) {
  const { tools } = await toolsOf(db, localAuthorityId);
  return tools
    .filter((t) => (t.validFrom === null || t.validFrom <= on) && (t.validTo === null || t.validTo >= on))
    .map((r) => ({ value: r.code, text: r.label, ...(r.description ? { hint: r.description } : {}) }));
}

/** The disabilities on the child's record (census codes, “No disability” left out), as labels. */
export async function childDisabilities(trx: Trx, childId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('personDisabilities as d')
    .leftJoin('refCodes as r', (j) => j.onRef('r.code', '=', 'd.code').on('r.codeSet', '=', 'disability'))
    .select(['d.code', 'r.label'])
    .where('d.personId', '=', childId)
    .where('d.code', '!=', 'NONE')
    .orderBy('d.code')
    .execute();
  return rows.map((r) => r.label ?? r.code);
}

export interface DirectWorkInput {
  episodeId: string;
  heldOn: string;
  tool: string;
  childsWords: string;
  communication?: string | undefined;
  summary: string;
  actions: { action: string; responsible: string; dueOn?: string | undefined }[];
}

export async function recordDirectWork(ctx: ServiceContext, input: DirectWorkInput): Promise<string> {
  const { db: trx, user, now } = ctx;
  requirePermission(user, 'social-care:write');
  const episode = await requireEpisode(ctx, input.episodeId, 'write');
  assertOpen(episode, 'heldOn');
  const tools = await directWorkTools(trx, episode.localAuthorityId, input.heldOn);
  const disabilities = await childDisabilities(trx, episode.childId);
  enforce([
    input.heldOn < episode.referralDate
      ? practiceError('heldOn', 'Direct work on this episode cannot be before the referral')
      : null,
    disabilities.length && !input.communication?.trim()
      ? practiceError(
          'communication',
          `Record how the child communicated: their record shows a disability (${disabilities.join(', ').toLowerCase()})`,
        )
      : null,
    tools.some((t) => t.value === input.tool) ? null : practiceError('tool', 'Select the tool from the list'),
    ...input.actions.map((a, i) =>
      a.dueOn && a.dueOn < input.heldOn
        ? practiceError(`actions__${i}__dueOn`, `Action ${i + 1}: the due date cannot be before the session`)
        : null,
    ),
  ]);
  const s = await loadEpisodeSnapshot(trx, episode);
  const held = planOn(s, input.heldOn);
  // A session held before any plan but recorded once one is open: its actions go into the open plan (they would
  // otherwise wait on the episode for a plan that has already started).
  const openNow = held.kind === 'assessment' ? (episodeCpPlans(s).find((p) => !p.endDate) ?? null) : null;
  const openCin =
    held.kind === 'assessment' && !openNow ? (episodeCinPlans(s).find((p) => !p.endDate) ?? null) : null;
  const plan: { kind: 'cp' | 'cin' | 'assessment'; planId: string | null } = openNow
    ? { kind: 'cp', planId: openNow.id }
    : openCin
      ? { kind: 'cin', planId: openCin.id }
      : held;
  const row = await trx
    .insertInto('directWorkSessions')
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      heldOn: input.heldOn,
      tool: input.tool,
      childsWords: input.childsWords,
      communication: input.communication ?? null,
      summary: input.summary,
      recordedAt: now,
      recordedBy: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.actions.length) {
    await trx
      .insertInto('planActions')
      .values(
        input.actions.map((a, i) => ({
          position: i + 1,
          episodeId: episode.id,
          childId: episode.childId,
          cinPlanId: plan.kind === 'cin' ? plan.planId : null,
          cpPlanId: plan.kind === 'cp' ? plan.planId : null,
          directWorkId: row.id,
          action: a.action,
          responsible: a.responsible,
          dueOn: a.dueOn ?? null,
          createdAt: now,
          createdBy: user.id,
        })),
      )
      .execute();
  }
  const tool = tools.find((t) => t.value === input.tool)!.text;
  await recordEpisodeChange(
    ctx,
    { type: 'direct-work', id: row.id, childId: episode.childId },
    {
      action: 'direct-work.recorded',
      details: { tool: input.tool, actions: input.actions.length, plan: plan.kind },
      on: input.heldOn,
      category: 'social-care',
      title: `Direct work: ${tool}`,
      summary: `“${input.childsWords}”`,
    },
  );
  return row.id;
}

/** A page of the episode's direct work, newest first, with its follow-up actions, and how many there are. */
export async function directWorkFor(
  trx: Trx,
  episode: { id: string; localAuthorityId: string },
  page: { limit: number; offset: number },
) {
  const q = trx
    .selectFrom('directWorkSessions as d')
    .innerJoin('users as u', 'u.id', 'd.recordedBy')
    .where('d.episodeId', '=', episode.id);
  const [paged, { tools }] = await Promise.all([
    q
      .selectAll('d')
      .select(['u.displayName as recordedByName', sql<number>`(count(*) over ())::int`.as('total')])
      .orderBy('d.heldOn', 'desc')
      .orderBy('d.recordedAt', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute()
      .then((found) =>
        withTotal(found, page, () =>
          q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
        ),
      ),
    toolsOf(trx, episode.localAuthorityId),
  ]);
  // The tool's name from the authority's list (retired tools keep theirs).
  const rows = paged.rows.map((r) => ({
    ...r,
    toolLabel: tools.find((t) => t.code === r.tool)?.label ?? r.tool,
  }));
  const ids = rows.map((r) => r.id);
  const actions = ids.length
    ? await trx
        .selectFrom('planActions')
        .select(['id', 'directWorkId', 'action', 'responsible', 'dueOn', 'doneOn', 'cinPlanId', 'cpPlanId'])
        .where('directWorkId', 'in', ids)
        .orderBy('createdAt')
        .orderBy('position')
        .execute()
    : [];
  return {
    rows: rows.map((r) => ({ ...r, actions: actions.filter((a) => a.directWorkId === r.id) })),
    total: paged.total,
  };
}
