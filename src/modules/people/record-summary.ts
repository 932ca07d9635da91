import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { compareIsoDates } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';

/**
 * What other modules add to the child's record summary. The people module knows nothing of early help
 * episodes, assessments or plans; each module that does exports a provider from its index.ts, and
 * src/modules/index.ts lists them by name (`recordSummaryProviders`), as it lists pages and worktray providers:
 *
 *   export const earlyHelpSummary: RecordSummaryProvider = {
 *     id: 'early-help',
 *     openInvolvements: async ({ db, personId }) => [{ title: 'Early help episode', href: `/early-help/…`, startedOn: '2026-10-01', status: 'Open' }],
 *     nextDeadlines: async ({ db, personId }) => [{ title: 'Family help assessment due', dueOn: '2026-12-09', href: '…' }],
 *   };
 *
 * Providers run inside the page's transaction, after record access has been checked; they must keep to
 * one or two indexed queries (the summary is the most viewed page). A provider that throws breaks the
 * page, on purpose: a summary that silently leaves out a child protection plan is worse than an error.
 */

/**
 * Involvements whose module lists them itself (social care's children in need episode, early help's episode): an
 * allocation to one is not listed again from the allocations, or the summary would name one episode twice.
 */
export const INVOLVEMENTS_LISTED_BY_THEIR_MODULE = ['cin-episode', 'early-help-episode'] as const;

export interface RecordSummaryContext {
  db: Transaction<DB>;
  user: CurrentUser;
  personId: string;
  now: Date;
  /** Today in Europe/London. */
  today: string;
  /**
   * The authority's working-day calendar (England and Wales bank holidays and its own closure days: the app's
   * `services.calendar`), for every statutory clock a provider works out.
   */
  calendar: WorkingDayCalendar;
  /**
   * What the panels of one summary share (see `shared`): a provider's two panels, or the page and a provider, read
   * the same rows once per request instead of once each. Absent when a provider is called on its own.
   */
  memo?: SummaryMemo;
}

/** Loads kept by key for one summary: the first call runs `load`, later calls with the key get its promise. */
export type SummaryMemo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export function summaryMemo(): SummaryMemo {
  const loads = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>) => {
    if (!loads.has(key)) loads.set(key, load());
    return loads.get(key) as Promise<T>;
  };
}

/**
 * Rows a provider's panels share within one summary, e.g. `shared(ctx, 'front-door:open-contacts', () => …)`:
 * loaded once per summary when the context has a memo, otherwise each time. Keys start with the provider's id.
 */
export function shared<T>(
  ctx: { memo?: SummaryMemo | undefined },
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return ctx.memo ? ctx.memo(key, load) : load();
}

/** Open involvements need no clock (the front door's known-to-services check lists them without one). */
export type InvolvementContext = Omit<RecordSummaryContext, 'calendar'>;

export interface InvolvementItem {
  title: string;
  href?: string;
  status?: string;
  startedOn?: string | null;
  detail?: string;
}

export interface DeadlineItem {
  title: string;
  /** 'YYYY-MM-DD' */
  dueOn: string;
  href?: string;
  detail?: string;
}

export interface RecordSummaryProvider {
  /** Unique among the listed providers; names the source of each item. */
  id: string;
  /** Lower comes first on the page (default 100). */
  order?: number;
  openInvolvements?: (ctx: InvolvementContext) => Promise<InvolvementItem[]>;
  nextDeadlines?: (ctx: RecordSummaryContext) => Promise<DeadlineItem[]>;
}

/**
 * The providers listed in src/modules/index.ts. That list names the modules that import this one, so it is read
 * when a summary is collected (a dynamic import), not when this file loads: a static import would be a cycle.
 */
async function listedProviders(): Promise<readonly RecordSummaryProvider[]> {
  const { recordSummaryProviders } = await import('../index.ts');
  return recordSummaryProviders;
}

export interface SummaryPanels {
  involvements: (InvolvementItem & { source: string })[];
  deadlines: (DeadlineItem & { source: string; overdue: boolean })[];
}

const ordered = (providers: readonly RecordSummaryProvider[]) =>
  [...providers].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));

/** Every provider's open involvements, in the providers' order (by default the providers listed in modules/index.ts). */
export async function collectInvolvements(
  ctx: InvolvementContext,
  providers?: readonly RecordSummaryProvider[],
): Promise<SummaryPanels['involvements']> {
  const involvements: SummaryPanels['involvements'] = [];
  for (const p of ordered(providers ?? (await listedProviders())))
    if (p.openInvolvements)
      for (const i of await p.openInvolvements(ctx)) involvements.push({ ...i, source: p.id });
  return involvements;
}

export async function collectSummaryPanels(
  ctx: RecordSummaryContext,
  providers?: readonly RecordSummaryProvider[],
): Promise<SummaryPanels> {
  const listed = providers ?? (await listedProviders());
  if (!ctx.memo) ctx = { ...ctx, memo: summaryMemo() };
  const involvements = await collectInvolvements(ctx, listed);
  const deadlines: SummaryPanels['deadlines'] = [];
  for (const p of ordered(listed)) {
    if (p.nextDeadlines) {
      for (const d of await p.nextDeadlines(ctx))
        deadlines.push({ ...d, source: p.id, overdue: compareIsoDates(d.dueOn, ctx.today) < 0 });
    }
  }
  deadlines.sort((a, b) => compareIsoDates(a.dueOn, b.dueOn) || a.title.localeCompare(b.title));
  return { involvements, deadlines };
}
