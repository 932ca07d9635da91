import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { formatDateTimeGovUk } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';

/**
 * The worktray: everything due for this person, with every statutory clock shown in working days where the
 * work is done. Each module contributes a provider (listed in src/modules/index.ts); the home page merges them
 * and sorts by what is due soonest, overdue first.
 */

export type WorktrayStatus = 'overdue' | 'due-today' | 'due-soon' | 'on-track' | 'no-deadline';

export interface WorktrayItem {
  /** What kind of work, for grouping and filters, e.g. 'contact-decision', 'assessment', 'review'. */
  kind: string;
  /** The kind in words, e.g. 'Contact decision'. */
  kindLabel: string;
  title: string;
  href: string;
  child?: { id: string; name: string } | null;
  /** Who holds the child, named on a manager's home page (filled in by the home page, not by providers). */
  worker?: string | null;
  /** The deadline as a date (working-day clocks) … */
  dueOn?: string | null;
  /**
   * … with, optionally, the instant on that day it falls due (e.g. 5pm): once that has passed the item is
   * overdue rather than 'Due today'. Still counted in working days otherwise.
   */
  dueOnBy?: Date | null;
  /** … or as an instant (working-hour clocks, e.g. MASH RAG timescales). */
  dueAt?: Date | null;
  /** e.g. 'Day 12 of 45 working days'. */
  clockLabel?: string | null;
}

export interface WorktrayContext {
  db: Transaction<DB>;
  user: CurrentUser;
  now: Date;
  today: string;
  calendar: WorkingDayCalendar;
  /**
   * The most items the page needs from each provider, soonest due first (the home page shows the worktray in
   * pages and asks for everything up to the end of the page, plus one). A provider whose list can be long (the
   * front door's open contacts) loads no more than this; one bounded by a caseload may return everything.
   */
  limit?: number;
}

export type WorktrayProvider = (ctx: WorktrayContext) => Promise<WorktrayItem[]>;

export interface ShownWorktrayItem extends WorktrayItem {
  status: WorktrayStatus;
  /** Working days left (negative when overdue), for date deadlines. */
  workingDaysLeft: number | null;
  dueLabel: string;
  sortKey: number;
}

/** Works out how the deadline stands today, in working days, and a sentence for it. */
export function describeDeadline(
  item: WorktrayItem,
  ctx: { now: Date; today: string; calendar: WorkingDayCalendar },
): ShownWorktrayItem {
  const { calendar, today, now } = ctx;
  if (item.dueAt) {
    const hoursLeft = calendar.workingHoursBetween(now, item.dueAt);
    const overdue = item.dueAt.getTime() < now.getTime();
    const status: WorktrayStatus = overdue ? 'overdue' : hoursLeft <= 4 ? 'due-soon' : 'on-track';
    const rounded = Math.abs(Math.round(hoursLeft * 10) / 10);
    return {
      ...item,
      status,
      workingDaysLeft: null,
      dueLabel: overdue ? `Overdue by ${rounded} working hours` : `${rounded} working hours left`,
      sortKey: item.dueAt.getTime(),
    };
  }
  if (item.dueOn) {
    let left: number;
    if (item.dueOn >= today)
      left = calendar.workingDaysBetween(today, item.dueOn) - (calendar.isWorkingDay(today) ? 1 : 0);
    else
      left = -(calendar.workingDaysBetween(item.dueOn, today) - (calendar.isWorkingDay(item.dueOn) ? 1 : 0));
    const lateToday = item.dueOn === today && !!item.dueOnBy && item.dueOnBy.getTime() < now.getTime();
    const status: WorktrayStatus =
      item.dueOn < today || lateToday
        ? 'overdue'
        : item.dueOn === today
          ? 'due-today'
          : left <= 2
            ? 'due-soon'
            : 'on-track';
    const dueLabel = lateToday
      ? `Overdue: was due by ${formatDateTimeGovUk(item.dueOnBy!).split(' at ')[1]} today`
      : status === 'overdue'
        ? `Overdue by ${Math.max(1, -left)} working day${Math.max(1, -left) === 1 ? '' : 's'}`
        : status === 'due-today'
          ? 'Due today'
          : `${left} working day${left === 1 ? '' : 's'} left`;
    return {
      ...item,
      status,
      workingDaysLeft: status === 'due-today' || lateToday ? 0 : left,
      dueLabel,
      sortKey: item.dueOnBy?.getTime() ?? Date.parse(`${item.dueOn}T17:00:00Z`),
    };
  }
  return {
    ...item,
    status: 'no-deadline',
    workingDaysLeft: null,
    dueLabel: 'No deadline',
    sortKey: Number.MAX_SAFE_INTEGER,
  };
}

export async function buildWorktray(
  providers: WorktrayProvider[],
  ctx: WorktrayContext,
): Promise<ShownWorktrayItem[]> {
  const items: WorktrayItem[] = [];
  // Sequential on purpose: the request has one transaction (and the embedded database one connection).
  for (const provider of providers) items.push(...(await provider(ctx)));
  return items.map((i) => describeDeadline(i, ctx)).sort((a, b) => a.sortKey - b.sortKey);
}
