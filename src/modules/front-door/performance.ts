import {
  addCalendarDays,
  differenceInCalendarDays,
  formatDateGovUk,
  instantAt,
  isoDayOfWeek,
} from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { OUTCOMES, SOCIAL_CARE_OUTCOMES, type Outcome } from './contact.ts';

/**
 * Front-door performance: the pure arithmetic behind /front-door/performance, from rows the repository reads
 * (performance.repository.ts). Every figure is a count of real rows, or a share of two such counts.
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

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 10) / 10;
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

export interface DecisionRow {
  contactId: string;
  reference: string;
  receivedOn: string;
  decisionDueAt: Date;
  decidedAt: Date;
  decisionStatus: string;
  outcome: string;
  levelOfNeed: string;
  referralSource: string;
  concernCategories: string[];
  decidedBy: string;
  decidedByName: string;
  teamId: string | null;
  teamName: string | null;
}

export const onTime = (d: Pick<DecisionRow, 'decidedAt' | 'decisionDueAt'>) =>
  d.decidedAt.getTime() <= d.decisionDueAt.getTime();

export function timeliness(p: { from: string; to: string }, rows: DecisionRow[]) {
  const timely = rows.filter(onTime).length;
  const late = rows.filter((r) => !onTime(r)).sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime());
  const byWeek = weeksIn(p).map((week) => {
    const inWeek = rows.filter((r) => r.receivedOn >= week && r.receivedOn < addCalendarDays(week, 7));
    const t = inWeek.filter(onTime).length;
    return {
      week,
      decided: inWeek.length,
      onTime: t,
      late: inWeek.length - t,
      percent: percent(t, inWeek.length),
    };
  });
  return {
    decided: rows.length,
    onTime: timely,
    late: late.length,
    percent: percent(timely, rows.length),
    byWeek,
    lateRows: late,
  };
}

export function isSocialCare(outcome: string): boolean {
  return (SOCIAL_CARE_OUTCOMES as readonly string[]).includes(outcome);
}

/** Authorised decisions counted by a key (referral source, level of need) and outcome. */
export function outcomeMix(rows: DecisionRow[], keyOf: (r: DecisionRow) => string, order: string[]) {
  const keys = [...new Set([...order.filter((k) => rows.some((r) => keyOf(r) === k)), ...rows.map(keyOf)])];
  const table = keys.map((key) => {
    const mine = rows.filter((r) => keyOf(r) === key);
    const counts = Object.fromEntries(
      OUTCOMES.map((o) => [o, mine.filter((r) => r.outcome === o).length]),
    ) as Record<Outcome, number>;
    return {
      key,
      total: mine.length,
      counts,
      percents: Object.fromEntries(OUTCOMES.map((o) => [o, percent(counts[o], mine.length)])) as Record<
        Outcome,
        number | null
      >,
    };
  });
  const totals = Object.fromEntries(
    OUTCOMES.map((o) => [o, rows.filter((r) => r.outcome === o).length]),
  ) as Record<Outcome, number>;
  return { rows: table, totals, total: rows.length };
}

export const similarityKey = (r: Pick<DecisionRow, 'levelOfNeed' | 'concernCategories'>) =>
  `${r.levelOfNeed}|${[...r.concernCategories].sort().join(',')}`;

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
}

function compare(
  id: string,
  name: string,
  rows: DecisionRow[],
  shareOf: Map<string, number>,
): ConsistencyLine {
  const socialCare = rows.filter((r) => isSocialCare(r.outcome)).length;
  let expected = 0;
  let variance = 0;
  for (const r of rows) {
    const p = shareOf.get(similarityKey(r)) ?? 0;
    expected += p;
    variance += p * (1 - p);
  }
  const z = variance > 0 ? (socialCare - expected) / Math.sqrt(variance) : null;
  const flag =
    rows.length >= MIN_DECISIONS_FOR_FLAG && z !== null && Math.abs(z) > 2
      ? z > 0
        ? 'higher'
        : 'lower'
      : null;
  return {
    id,
    name,
    decisions: rows.length,
    socialCare,
    percent: percent(socialCare, rows.length),
    expected: Math.round(expected * 10) / 10,
    expectedPercent: percent(expected, rows.length),
    z: z === null ? null : Math.round(z * 100) / 100,
    flag,
  };
}

export function thresholdConsistency(rows: DecisionRow[]) {
  const groups = new Map<string, DecisionRow[]>();
  for (const r of rows) groups.set(similarityKey(r), [...(groups.get(similarityKey(r)) ?? []), r]);
  const shareOf = new Map(
    [...groups].map(([k, g]) => [k, g.filter((r) => isSocialCare(r.outcome)).length / g.length]),
  );
  const by = (idOf: (r: DecisionRow) => string | null, nameOf: (r: DecisionRow) => string) => {
    const ids = [...new Set(rows.map(idOf))];
    return ids
      .map((id) => {
        const mine = rows.filter((r) => idOf(r) === id);
        return compare(id ?? 'none', nameOf(mine[0]!), mine, shareOf);
      })
      .sort((a, b) => b.decisions - a.decisions || a.name.localeCompare(b.name));
  };
  const workers = by(
    (r) => r.decidedBy,
    (r) => r.decidedByName,
  );
  const teams = by(
    (r) => r.teamId,
    (r) => r.teamName ?? 'No team',
  );
  const similar = [...groups]
    .map(([key, g]) => {
      const perWorker = [...new Set(g.map((r) => r.decidedBy))].map((w) => {
        const mine = g.filter((r) => r.decidedBy === w);
        return percent(mine.filter((r) => isSocialCare(r.outcome)).length, mine.length)!;
      });
      const sc = g.filter((r) => isSocialCare(r.outcome)).length;
      return {
        key,
        levelOfNeed: g[0]!.levelOfNeed,
        concernCategories: [...g[0]!.concernCategories].sort(),
        decisions: g.length,
        workers: perWorker.length,
        socialCare: sc,
        percent: percent(sc, g.length),
        lowest: Math.min(...perWorker),
        highest: Math.max(...perWorker),
      };
    })
    .sort((a, b) => b.decisions - a.decisions || a.key.localeCompare(b.key));
  return { workers, teams, similar, decisions: rows.length };
}

export interface RequestRow {
  id: string;
  contactId: string;
  reference: string;
  agencyId: string;
  agencyName: string;
  requestedAt: Date;
  respondedAt: Date | null;
  dueAt: Date;
  status: string;
}

/** Whether a request can be judged yet: answered, or still open after its due time (withdrawn ones never are). */
export function requestJudged(r: RequestRow, now: Date): boolean {
  return r.status === 'answered' || (r.status === 'open' && r.dueAt.getTime() < now.getTime());
}
export const answeredInTime = (r: RequestRow) =>
  r.status === 'answered' && !!r.respondedAt && r.respondedAt.getTime() <= r.dueAt.getTime();

export function requestTurnaround(rows: RequestRow[], calendar: WorkingDayCalendar, now: Date) {
  const agencies = [...new Map(rows.map((r) => [r.agencyId, r.agencyName])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );
  const line = (id: string, name: string, mine: RequestRow[]) => {
    const answered = mine.filter((r) => r.status === 'answered' && r.respondedAt);
    const hours = answered.map((r) => calendar.workingHoursBetween(r.requestedAt, r.respondedAt!));
    const judged = mine.filter((r) => requestJudged(r, now));
    const inTime = mine.filter(answeredInTime).length;
    return {
      id,
      name,
      sent: mine.length,
      answered: answered.length,
      medianHours: median(hours),
      judged: judged.length,
      inTime,
      percentInTime: percent(inTime, judged.length),
      openOverdue: mine.filter((r) => r.status === 'open' && r.dueAt.getTime() < now.getTime()).length,
      withdrawn: mine.filter((r) => r.status === 'withdrawn').length,
    };
  };
  return {
    agencies: agencies.map(([id, name]) =>
      line(
        id,
        name,
        rows.filter((r) => r.agencyId === id),
      ),
    ),
    all: line('all', 'All agencies', rows),
  };
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
