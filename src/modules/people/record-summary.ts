import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { compareIsoDates } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';

/**
 * What other modules add to the child's record summary. The people module knows nothing of early help
 * episodes, assessments or plans; each module that does registers a provider, once, when it loads
 * (e.g. at the top of its pages file):
 *
 *   registerRecordSummaryProvider({
 *     id: 'early-help',
 *     openInvolvements: async ({ db, personId }) => [{ title: 'Early help episode', href: `/early-help/…`, startedOn: '2026-10-01', status: 'Open' }],
 *     nextDeadlines: async ({ db, personId }) => [{ title: 'Family help assessment due', dueOn: '2026-12-09', href: '…' }],
 *   });
 *
 * Providers run inside the page's transaction, after record access has been checked; they must keep to
 * one or two indexed queries (the summary is the most viewed page). A provider that throws breaks the
 * page, on purpose: a summary that silently leaves out a child protection plan is worse than an error.
 */

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
  /** Unique; registering the same id again replaces the earlier provider. */
  id: string;
  /** Lower comes first on the page (default 100). */
  order?: number;
  openInvolvements?: (ctx: InvolvementContext) => Promise<InvolvementItem[]>;
  nextDeadlines?: (ctx: RecordSummaryContext) => Promise<DeadlineItem[]>;
}

const providers = new Map<string, RecordSummaryProvider>();

export function registerRecordSummaryProvider(provider: RecordSummaryProvider): void {
  providers.set(provider.id, provider);
}

/** For tests: removes a provider added for the test. */
export function unregisterRecordSummaryProvider(id: string): void {
  providers.delete(id);
}

export interface SummaryPanels {
  involvements: (InvolvementItem & { source: string })[];
  deadlines: (DeadlineItem & { source: string; overdue: boolean })[];
}

const orderedProviders = () =>
  [...providers.values()].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));

/** Every provider's open involvements, in the providers' order. */
export async function collectInvolvements(ctx: InvolvementContext): Promise<SummaryPanels['involvements']> {
  const involvements: SummaryPanels['involvements'] = [];
  for (const p of orderedProviders())
    if (p.openInvolvements)
      for (const i of await p.openInvolvements(ctx)) involvements.push({ ...i, source: p.id });
  return involvements;
}

export async function collectSummaryPanels(ctx: RecordSummaryContext): Promise<SummaryPanels> {
  const involvements = await collectInvolvements(ctx);
  const deadlines: SummaryPanels['deadlines'] = [];
  for (const p of orderedProviders()) {
    if (p.nextDeadlines) {
      for (const d of await p.nextDeadlines(ctx))
        deadlines.push({ ...d, source: p.id, overdue: compareIsoDates(d.dueOn, ctx.today) < 0 });
    }
  }
  deadlines.sort((a, b) => compareIsoDates(a.dueOn, b.dueOn) || a.title.localeCompare(b.title));
  return { involvements, deadlines };
}
