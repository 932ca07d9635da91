import {
  addCalendarDays,
  differenceInCalendarDays,
  formatDateGovUk,
  instantAt,
  isoDayOfWeek,
} from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { OUTCOMES, type Outcome } from './contact.ts';

/**
 * Front-door performance: the pure arithmetic behind /front-door/performance, from the counts PostgreSQL computes
 * (performance.repository.ts: GROUP BY queries returning only aggregated rows; Node fills gaps and formats). Every
 * figure is a count of real rows, or a share of two such counts.
 *
 * - The period is a range of London dates, both ends included; contacts count by when they were received,
 *   information requests by when they were sent.
 * - Timeliness: a contact's live decision (recorded, whether or not authorised yet) is on time when it was
 *   recorded by the contact's decision_due_at (the end of the next working day after receipt).
 * - Outcome mix and threshold consistency use authorised decisions only (a decision awaiting authorisation can
 *   still be sent back).
 * - "Routed to social care" is a referral for assessment or a strategy discussion.
 * - Threshold consistency compares each worker (and team) with what similar contacts — the same level of need
 *   and the same categories of concern — were decided across everyone: the expected number routed to social care
 *   is the sum, over the worker's decisions, of the share routed for contacts like each one (indirect
 *   standardisation). A worker is flagged when they made at least 5 decisions and their count differs from the
 *   expected by more than two standard deviations (√Σp(1−p)).
 */

export const DEFAULT_WEEKS = 12;
export const MIN_DECISIONS_FOR_FLAG = 5;

export interface Period {
  from: string;
  to: string;
  /** The first instant of `from` and the first instant after `to`, London time. */
  start: Date;
  end: Date;
}

export function mondayOf(date: string): string {
  return addCalendarDays(date, 1 - isoDayOfWeek(date));
}

/** The last 12 weeks: from the Monday 11 weeks before this week's, to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: addCalendarDays(mondayOf(today), -7 * (DEFAULT_WEEKS - 1)), to: today };
}

export function period(from: string, to: string): Period {
  return { from, to, start: instantAt(from, '00:00'), end: instantAt(addCalendarDays(to, 1), '00:00') };
}

export function daysIn(p: { from: string; to: string }): string[] {
  const n = differenceInCalendarDays(p.from, p.to) + 1;
  return Array.from({ length: Math.max(0, n) }, (_, i) => addCalendarDays(p.from, i));
}

export function weeksIn(p: { from: string; to: string }): string[] {
  const weeks: string[] = [];
  for (let w = mondayOf(p.from); w <= p.to; w = addCalendarDays(w, 7)) weeks.push(w);
  return weeks;
}

/** A share as a percentage with one decimal place (66.7), or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole ? Math.round((part * 1000) / whole) / 10 : null;
}

export const weekLabel = (monday: string) => `w/c ${formatDateGovUk(monday)}`;

// ------------------------------------------------------------------------------------------------------

export function contactsPerDay(p: { from: string; to: string }, counts: { day: string; n: number }[]) {
  const byDay = new Map(counts.map((c) => [c.day, c.n]));
  return daysIn(p).map((day) => ({ day, n: byDay.get(day) ?? 0 }));
}

export function contactsPerWeek(p: { from: string; to: string }, daily: { day: string; n: number }[]) {
  return weeksIn(p).map((week) => ({
    week,
    n: daily.filter((d) => d.day >= week && d.day < addCalendarDays(week, 7)).reduce((s, d) => s + d.n, 0),
  }));
}

/** Week rows for every week of the period (none missing), from the counts per week PostgreSQL returns. */
export function timelinessByWeekIn(
  p: { from: string; to: string },
  counts: { week: string; decided: number; onTime: number }[],
) {
  const byWeek = new Map(counts.map((c) => [c.week, c]));
  const weeks = weeksIn(p).map((week) => {
    const { decided, onTime } = byWeek.get(week) ?? { decided: 0, onTime: 0 };
    return { week, decided, onTime, late: decided - onTime, percent: percent(onTime, decided) };
  });
  const decided = counts.reduce((s, c) => s + c.decided, 0);
  const onTime = counts.reduce((s, c) => s + c.onTime, 0);
  return { decided, onTime, late: decided - onTime, percent: percent(onTime, decided), byWeek: weeks };
}

/** The outcome mix table from counts per key and outcome: keys in `order` first, then any others as found. */
export function outcomeMix(counts: { key: string; outcome: string; n: number }[], order: string[]) {
  const present = new Set(counts.map((c) => c.key));
  const keys = [...new Set([...order.filter((k) => present.has(k)), ...counts.map((c) => c.key)])];
  const zero = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const perKey = new Map(keys.map((k) => [k, zero()]));
  const totals = zero();
  for (const c of counts) {
    if (!(OUTCOMES as readonly string[]).includes(c.outcome)) continue;
    perKey.get(c.key)![c.outcome as Outcome] += c.n;
    totals[c.outcome as Outcome] += c.n;
  }
  const table = keys.map((key) => {
    const row = perKey.get(key)!;
    const total = OUTCOMES.reduce((s, o) => s + row[o], 0);
    return {
      key,
      total,
      counts: row,
      percents: Object.fromEntries(OUTCOMES.map((o) => [o, percent(row[o], total)])) as Record<
        Outcome,
        number | null
      >,
    };
  });
  return { rows: table, totals, total: OUTCOMES.reduce((s, o) => s + totals[o], 0) };
}

export interface ConsistencyLine {
  id: string;
  name: string;
  decisions: number;
  socialCare: number;
  percent: number | null;
  expected: number;
  expectedPercent: number | null;
  /** (observed − expected) / √Σp(1−p); null when every similar contact had the same outcome. */
  z: number | null;
  flag: 'higher' | 'lower' | null;
  /** Decisions whose outcome departs from what the level usually leads to (each with the worker's reason). */
  departures: number;
}

/**
 * A worker's (or team's) line from what PostgreSQL summed over their decisions: routed to social care, Σp (the
 * expected number, p being the share routed for contacts like each one) and Σp(1−p).
 */
export function consistencyLine(counts: {
  id: string;
  name: string;
  decisions: number;
  socialCare: number;
  expected: number;
  variance: number;
  departures?: number;
}): ConsistencyLine {
  const { id, name, decisions, socialCare, expected, variance, departures = 0 } = counts;
  // Σp(1−p) is 0 when every similar contact had the same outcome (a float sum may leave dust behind).
  const z = variance > 1e-9 ? (socialCare - expected) / Math.sqrt(variance) : null;
  const flag =
    decisions >= MIN_DECISIONS_FOR_FLAG && z !== null && Math.abs(z) > 2
      ? z > 0
        ? 'higher'
        : 'lower'
      : null;
  return {
    id,
    name,
    decisions,
    socialCare,
    percent: percent(socialCare, decisions),
    expected: Math.round(expected * 10) / 10,
    expectedPercent: percent(expected, decisions),
    z: z === null ? null : Math.round(z * 100) / 100,
    flag,
    departures,
  };
}

export const byDecisionsThenName = (a: { decisions: number; name: string }, b: typeof a) =>
  b.decisions - a.decisions || a.name.localeCompare(b.name);

/**
 * The working time of each day from `from` to `to` (London dates), for PostgreSQL to count working hours with:
 * day i (1-based, `origin` being day 1) opens at opens[i] (epoch milliseconds) for lengths[i] milliseconds (0 on
 * a day that is not a working day), after before[i] working milliseconds since the origin. The working hours
 * between two instants in the range are then (W(b) − W(a)) / 3,600,000, W(t) = before[i] + the part of day i's
 * opening hours before t: the same as the calendar's workingHoursBetween.
 */
export interface WorkingTimeTable {
  origin: string;
  opens: number[];
  lengths: number[];
  before: number[];
}

export function workingTimeTable(calendar: WorkingDayCalendar, from: string, to: string): WorkingTimeTable {
  const table: WorkingTimeTable = { origin: from, opens: [], lengths: [], before: [] };
  let before = 0;
  for (const day of daysIn({ from, to })) {
    const open = instantAt(day, calendar.workingHours.start).getTime();
    const length = calendar.isWorkingDay(day)
      ? instantAt(day, calendar.workingHours.end).getTime() - open
      : 0;
    table.opens.push(open);
    table.lengths.push(length);
    table.before.push(before);
    before += length;
  }
  return table;
}

// ------------------------------------------------------------------------------------------------------
// CSV: RFC 4180, and text that a spreadsheet would run as a formula is prefixed with an apostrophe.

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(head: string[], rows: (string | number | null | undefined)[][]): string {
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
