import type { CurrentUser } from '../../kernel/access/index.ts';
import { REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { formatDateGovUk, formatDateTimeGovUk } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { barChart, columnChart, stackedChart } from './chart.ts';
import { OUTCOMES, OUTCOME_LABELS, type Outcome } from './contact.ts';
import {
  byDecisionsThenName,
  consistencyLine,
  contactsPerDay,
  contactsPerWeek,
  outcomeMix,
  percent,
  period,
  timelinessByWeekIn,
  weekLabel,
  workingTimeTable,
  type Period,
} from './performance.ts';
import {
  consistencyCounts,
  contactsPerDayCounts,
  lateDecisions,
  outcomeCounts,
  overdueUndecided,
  repeatContactCounts,
  requestTurnaroundCounts,
  timelinessByWeek,
  type DrillFilter,
  type Scope,
} from './performance.repository.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { Db } from '../../kernel/service/index.ts';

export const PERFORMANCE_PATHS = {
  performance: '/front-door/performance',
  contacts: '/front-door/performance/contacts',
  exportCsv: '/front-door/performance/export',
} as const;

export const OUTCOME_COLOURS: Record<Outcome, string> = {
  nfa: '#505a5f',
  'information-advice': '#1d70b8',
  'early-help': '#00703c',
  'social-care': '#f47738',
  'strategy-discussion': '#d4351c',
};

const SOURCE_LABELS = new Map<string, string>(REFERRAL_SOURCES.map((s) => [s.code, s.label]));
const SOURCE_ORDER = REFERRAL_SOURCES.map((s) => s.code as string);
export const sourceLabel = (code: string) => `${code}: ${SOURCE_LABELS.get(code) ?? 'Unknown'}`;

/** Whose contacts the figures cover: the user's authorities, or one of them. */
export async function performanceScope(db: Db, user: CurrentUser, p: Period, la?: string) {
  if (!user.permissions.has('reports:view')) throw new AccessDeniedError('reports:view');
  const las = user.localAuthorityIds.length
    ? await db
        .selectFrom('localAuthorities')
        .select(['id', 'name'])
        .where('id', 'in', user.localAuthorityIds)
        .orderBy('name')
        .execute()
    : [];
  const chosen = las.find((l) => l.id === la);
  const scope: Scope = { localAuthorityIds: chosen ? [chosen.id] : las.map((l) => l.id), period: p };
  return {
    scope,
    authorities: las,
    chosen: chosen ?? null,
    label: chosen ? chosen.name : las.map((l) => l.name).join(' and ') || 'No authority',
  };
}

/** Level-of-need codes and their labels, the default continuum's wording first. */
export async function levelLabels(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('thresholdLevels as l')
    .innerJoin('thresholdContinua as c', 'c.id', 'l.continuumId')
    .select(['l.code', 'l.label', 'c.isDefault', 'l.sortOrder'])
    .orderBy('c.isDefault', 'desc')
    .orderBy('l.sortOrder')
    .execute();
  const map = new Map<string, string>();
  for (const r of rows) if (!map.has(r.code)) map.set(r.code, r.label);
  return map;
}

export type Report = Awaited<ReturnType<typeof frontDoorReport>>;

/** The filter behind one figure: the page turns it into the link to the contacts behind it. */
export type DrillLink = (filter: Partial<DrillFilter> & { measure: DrillFilter['measure'] }) => string;

/** Which rows of a list the report holds: a page of them (the page), or all (the CSV download). */
export type ListPage = { limit: number; offset: number } | 'all';

/** A page past the last shows the last. */
const clampPage = (page: ListPage, total: number): ListPage =>
  page === 'all' || page.limit === 0
    ? page
    : {
        limit: page.limit,
        offset: Math.min(page.offset, Math.max(0, Math.ceil(total / page.limit) - 1) * page.limit),
      };

/**
 * Every figure of the performance page for a scope, each with the link (made by `drill`) to the contacts behind
 * it. PostgreSQL computes every figure (performance.repository.ts); this only fills gaps, orders and formats.
 */
export async function frontDoorReport(
  db: Db,
  scope: Scope,
  calendar: WorkingDayCalendar,
  now: Date,
  drill: DrillLink,
  pages: { late: ListPage; similar: ListPage },
) {
  const p = scope.period;
  const today = isoDateOf(now);
  const hoursTable = workingTimeTable(calendar, p.from, today > p.to ? today : p.to);
  const [dayCounts, weekCounts, outcomes, overdue, repeats, turnaroundRows, consistencyRows, levels] = [
    await contactsPerDayCounts(db, scope),
    await timelinessByWeek(db, scope),
    await outcomeCounts(db, scope),
    await overdueUndecided(db, scope, now),
    await repeatContactCounts(db, scope),
    await requestTurnaroundCounts(db, scope, now, hoursTable),
    await consistencyCounts(db, scope),
    await levelLabels(db),
  ];
  const levelLabel = (code: string) => levels.get(code) ?? code;

  // Contacts per day and per week
  const daily = contactsPerDay(p, dayCounts);
  const weekly = contactsPerWeek(p, daily);
  const contacts = daily.reduce((s, d) => s + d.n, 0);

  // Decisions within timescale
  const t = timelinessByWeekIn(p, weekCounts);
  const late = await lateDecisions(db, scope, clampPage(pages.late, t.late));

  // Outcome mix (authorised decisions)
  const bySource = outcomeMix(outcomes.bySource, SOURCE_ORDER);
  const byLevel = outcomeMix(outcomes.byLevel, [...levels.keys()]);

  // Repeat contacts
  const repeatRows = [...repeats.bySource].sort(
    (a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source),
  );
  const repeatTotals = repeatRows.reduce(
    (s, r) => ({ children: s.children + r.children, repeats: s.repeats + r.repeats }),
    { children: 0, repeats: 0 },
  );

  // Information requests
  const lineOf = (
    r: Omit<(typeof turnaroundRows)[number], 'id' | 'name'> & { id: string; name: string },
  ) => ({
    ...r,
    percentInTime: percent(r.inTime, r.judged),
  });
  const turnaround = {
    agencies: turnaroundRows
      .filter((r) => r.id !== 'all')
      .map(lineOf)
      .sort((a, b) => a.name.localeCompare(b.name)),
    all: lineOf(
      turnaroundRows.find((r) => r.id === 'all') ?? {
        id: 'all',
        name: 'All agencies',
        sent: 0,
        answered: 0,
        medianHours: null,
        judged: 0,
        inTime: 0,
        openOverdue: 0,
        withdrawn: 0,
      },
    ),
  };

  // Threshold consistency
  const workers = consistencyRows.lines
    .filter((l) => l.kind === 'worker')
    .map(consistencyLine)
    .sort(byDecisionsThenName);
  const teams = consistencyRows.lines
    .filter((l) => l.kind === 'team')
    .map(consistencyLine)
    .sort(byDecisionsThenName);
  const similarKey = (g: { levelOfNeed: string; concernCategories: string[] }) =>
    `${g.levelOfNeed}|${g.concernCategories.join(',')}`;
  // The groups of similar contacts, most decisions first: one page of them (PostgreSQL counted them all).
  const similarPage = clampPage(pages.similar, consistencyRows.similar.length);
  const consistency = {
    workers,
    teams,
    similarTotal: consistencyRows.similar.length,
    similar: consistencyRows.similar
      .map((g) => ({ ...g, key: similarKey(g), percent: percent(g.socialCare, g.decisions) }))
      .sort((a, b) => b.decisions - a.decisions || a.key.localeCompare(b.key))
      .slice(
        similarPage === 'all' ? 0 : similarPage.offset,
        similarPage === 'all' ? undefined : similarPage.offset + similarPage.limit,
      ),
    decisions: workers.reduce((s, w) => s + w.decisions, 0),
  };
  const overallSocialCare = percent(
    workers.reduce((s, w) => s + w.socialCare, 0),
    consistency.decisions,
  );

  const mixTable = (
    mix: ReturnType<typeof outcomeMix>,
    labelOf: (k: string) => string,
    key: 'source' | 'level',
  ) => ({
    rows: mix.rows.map((r) => ({
      key: r.key,
      label: labelOf(r.key),
      total: r.total,
      totalHref: drill({ measure: 'outcome', [key]: r.key }),
      cells: OUTCOMES.map((o) => ({
        outcome: o,
        n: r.counts[o],
        percent: r.percents[o],
        href: drill({ measure: 'outcome', [key]: r.key, outcome: o }),
      })),
    })),
    totals: OUTCOMES.map((o) => ({
      outcome: o,
      n: mix.totals[o],
      href: drill({ measure: 'outcome', outcome: o }),
    })),
    total: mix.total,
    totalHref: drill({ measure: 'outcome' }),
    chart: stackedChart({
      id: `outcomes-by-${key}`,
      title: `Outcomes of authorised decisions by ${key === 'source' ? 'referral source' : 'level of need'}`,
      description: mix.total
        ? `${mix.total} authorised decisions. ${mix.rows
            .map(
              (r) =>
                `${labelOf(r.key)}: ${OUTCOMES.filter((o) => r.counts[o])
                  .map((o) => `${r.counts[o]} ${OUTCOME_LABELS[o].toLowerCase()}`)
                  .join(', ')}`,
            )
            .join('. ')}.`
        : 'No authorised decisions in this period.',
      series: OUTCOMES.map((o) => ({ key: o, label: OUTCOME_LABELS[o], colour: OUTCOME_COLOURS[o] })),
      rows: mix.rows.map((r) => ({ label: labelOf(r.key), values: r.counts, totalText: String(r.total) })),
    }),
  });

  return {
    period: { from: p.from, to: p.to, fromText: formatDateGovUk(p.from), toText: formatDateGovUk(p.to) },
    summary: {
      contacts,
      contactsHref: drill({ measure: 'received' }),
      decided: t.decided,
      onTimePercent: t.percent,
      overdue,
      overdueHref: drill({ measure: 'overdue' }),
    },
    daily: {
      rows: daily.map((d) => ({
        ...d,
        dayText: formatDateGovUk(d.day),
        href: drill({ measure: 'received', day: d.day }),
      })),
      chart: columnChart({
        id: 'contacts-per-day',
        title: 'Contacts received per day',
        description: `${contacts} contacts from ${formatDateGovUk(p.from)} to ${formatDateGovUk(p.to)}; the most on one day was ${Math.max(0, ...daily.map((d) => d.n))}.`,
        columns: daily.map((d, i) => ({
          label: formatDateGovUk(d.day),
          value: d.n,
          axisLabel: i % 7 === 0 ? formatDateGovUk(d.day).replace(/ \d{4}$/, '') : undefined,
        })),
      }),
    },
    weekly: {
      rows: weekly.map((w) => ({
        ...w,
        weekText: weekLabel(w.week),
        href: drill({ measure: 'received', week: w.week }),
      })),
      chart: columnChart({
        id: 'contacts-per-week',
        title: 'Contacts received per week',
        description: weekly.map((w) => `${weekLabel(w.week)}: ${w.n}`).join('; ') + '.',
        columns: weekly.map((w) => ({
          label: weekLabel(w.week),
          value: w.n,
          axisLabel: formatDateGovUk(w.week).replace(/ \d{4}$/, ''),
        })),
      }),
    },
    timeliness: {
      decided: t.decided,
      onTime: t.onTime,
      late: t.late,
      percent: t.percent,
      decidedHref: drill({ measure: 'decided' }),
      onTimeHref: drill({ measure: 'decided', timely: 'yes' }),
      lateHref: drill({ measure: 'decided', timely: 'no' }),
      weeks: t.byWeek.map((w) => ({
        ...w,
        weekText: weekLabel(w.week),
        decidedHref: drill({ measure: 'decided', week: w.week }),
        onTimeHref: drill({ measure: 'decided', week: w.week, timely: 'yes' }),
        lateHref: drill({ measure: 'decided', week: w.week, timely: 'no' }),
      })),
      lateRows: late.map((r) => ({
        contactId: r.contactId,
        reference: r.reference,
        receivedOn: r.receivedOn,
        dueText: formatDateTimeGovUk(r.decisionDueAt),
        decidedText: formatDateTimeGovUk(r.decidedAt),
        hoursLate: Math.round(calendar.workingHoursBetween(r.decisionDueAt, r.decidedAt) * 10) / 10,
        decidedByName: r.decidedByName,
      })),
      chart: barChart({
        id: 'decisions-on-time',
        title: 'Decisions made within 1 working day, by week received',
        description: `${t.onTime} of ${t.decided} decisions (${t.percent ?? 0}%) were made by the end of the next working day after the contact was received.`,
        max: 100,
        bars: t.byWeek.map((w) => ({
          label: weekLabel(w.week),
          value: w.percent,
          display: w.percent === null ? 'No decisions' : `${w.percent}% (${w.onTime} of ${w.decided})`,
        })),
      }),
    },
    bySource: mixTable(bySource, sourceLabel, 'source'),
    byLevel: mixTable(byLevel, levelLabel, 'level'),
    repeat: {
      rows: repeatRows.map((r) => ({
        ...r,
        label: sourceLabel(r.source),
        percent: percent(r.repeats, r.children),
        href: drill({ measure: 'repeat', source: r.source }),
      })),
      children: repeatTotals.children,
      repeats: repeatTotals.repeats,
      percent: percent(repeatTotals.repeats, repeatTotals.children),
      href: drill({ measure: 'repeat' }),
      unlinked: repeats.unlinked,
      chart: barChart({
        id: 'repeat-contacts',
        title: 'Children with another contact in the previous 12 months, by referral source',
        description: `${repeatTotals.repeats} of ${repeatTotals.children} children (${percent(repeatTotals.repeats, repeatTotals.children) ?? 0}%) named on contacts in this period had another contact in the 12 months before.`,
        max: 100,
        bars: repeatRows.map((r) => ({
          label: sourceLabel(r.source),
          value: percent(r.repeats, r.children),
          display: `${percent(r.repeats, r.children) ?? 0}% (${r.repeats} of ${r.children})`,
        })),
      }),
    },
    requests: {
      rows: turnaround.agencies.map((a) => ({
        ...a,
        href: drill({ measure: 'requests', agency: a.id }),
        inTimeHref: drill({ measure: 'requests', agency: a.id, timely: 'yes' }),
        notInTimeHref: drill({ measure: 'requests', agency: a.id, timely: 'no' }),
        openOverdueHref: drill({ measure: 'requests', agency: a.id, openOverdue: 'yes' }),
      })),
      all: {
        ...turnaround.all,
        href: drill({ measure: 'requests' }),
        inTimeHref: drill({ measure: 'requests', timely: 'yes' }),
        notInTimeHref: drill({ measure: 'requests', timely: 'no' }),
        openOverdueHref: drill({ measure: 'requests', openOverdue: 'yes' }),
      },
      chart: barChart({
        id: 'requests-in-time',
        title: 'Information requests answered by the time they were due, by agency',
        description: `${turnaround.all.inTime} of ${turnaround.all.judged} requests due so far (${turnaround.all.percentInTime ?? 0}%) were answered in time. ${turnaround.agencies.map((a) => `${a.name}: ${a.percentInTime ?? 'none due'}${a.percentInTime === null ? '' : '%'}`).join('; ')}.`,
        max: 100,
        bars: turnaround.agencies.map((a) => ({
          label: a.name,
          value: a.percentInTime,
          display:
            a.percentInTime === null ? 'None due yet' : `${a.percentInTime}% (${a.inTime} of ${a.judged})`,
        })),
      }),
    },
    consistency: {
      decisions: consistency.decisions,
      similarTotal: consistency.similarTotal,
      overallPercent: overallSocialCare,
      workers: consistency.workers.map((w) => ({
        ...w,
        href: drill({ measure: 'consistency', worker: w.id }),
        socialCareHref: drill({ measure: 'consistency', worker: w.id, socialCare: 'yes' }),
        departuresHref: drill({ measure: 'consistency', worker: w.id, departed: 'yes' }),
      })),
      teams: consistency.teams.map((w) => ({
        ...w,
        href: drill({ measure: 'consistency', team: w.id }),
        socialCareHref: drill({ measure: 'consistency', team: w.id, socialCare: 'yes' }),
        departuresHref: drill({ measure: 'consistency', team: w.id, departed: 'yes' }),
      })),
      similar: consistency.similar.map((g) => ({
        ...g,
        levelLabel: levelLabel(g.levelOfNeed),
        // The contacts like these: the same level of need and exactly the same categories of concern.
        href: drill({
          measure: 'consistency',
          level: g.levelOfNeed,
          concerns: g.concernCategories.length ? g.concernCategories.join(',') : 'none',
        }),
        socialCareHref: drill({
          measure: 'consistency',
          level: g.levelOfNeed,
          concerns: g.concernCategories.length ? g.concernCategories.join(',') : 'none',
          socialCare: 'yes',
        }),
      })),
      chart: barChart({
        id: 'social-care-by-worker',
        title: 'Share of authorised decisions routed to social care, by deciding worker',
        description: `Across everyone, ${overallSocialCare ?? 0}% of ${consistency.decisions} decisions were routed to social care (the dashed line). ${consistency.workers.map((w) => `${w.name}: ${w.percent ?? 0}% of ${w.decisions}, ${w.expectedPercent ?? 0}% expected for similar contacts${w.flag ? ` (${w.flag === 'higher' ? 'higher' : 'lower'} than similar contacts)` : ''}`).join('; ')}.`,
        max: 100,
        marker:
          overallSocialCare === null
            ? null
            : { value: overallSocialCare, label: `Everyone: ${overallSocialCare}%` },
        bars: consistency.workers.map((w) => ({
          label: w.name,
          value: w.percent,
          display: `${w.percent ?? 0}% (${w.socialCare} of ${w.decisions})`,
          highlight: !!w.flag,
        })),
      }),
    },
  };
}

export const CSV_TABLES = [
  'contacts-per-day',
  'contacts-per-week',
  'decision-timeliness',
  'late-decisions',
  'outcomes-by-source',
  'outcomes-by-level',
  'repeat-contacts',
  'information-requests',
  'consistency-workers',
  'consistency-teams',
  'consistency-similar-contacts',
] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** A table of the report as CSV columns and rows: the same numbers as on the page. */
export function reportTable(
  report: Report,
  table: CsvTable,
): { head: string[]; rows: (string | number | null)[][] } {
  const outcomeHead = OUTCOMES.map((o) => OUTCOME_LABELS[o]);
  switch (table) {
    case 'contacts-per-day':
      return { head: ['Date', 'Contacts'], rows: report.daily.rows.map((d) => [d.day, d.n]) };
    case 'contacts-per-week':
      return { head: ['Week beginning', 'Contacts'], rows: report.weekly.rows.map((w) => [w.week, w.n]) };
    case 'decision-timeliness':
      return {
        head: ['Week beginning', 'Decisions', 'Within 1 working day', 'Late', 'Percentage within timescale'],
        rows: [
          ...report.timeliness.weeks.map((w) => [w.week, w.decided, w.onTime, w.late, w.percent]),
          [
            'All',
            report.timeliness.decided,
            report.timeliness.onTime,
            report.timeliness.late,
            report.timeliness.percent,
          ],
        ],
      };
    case 'late-decisions':
      return {
        head: ['Contact', 'Received', 'Decision due', 'Decided', 'Working hours late', 'Decided by'],
        rows: report.timeliness.lateRows.map((r) => [
          r.reference,
          r.receivedOn,
          r.dueText,
          r.decidedText,
          r.hoursLate,
          r.decidedByName,
        ]),
      };
    case 'outcomes-by-source':
    case 'outcomes-by-level': {
      const mix = table === 'outcomes-by-source' ? report.bySource : report.byLevel;
      return {
        head: [table === 'outcomes-by-source' ? 'Referral source' : 'Level of need', ...outcomeHead, 'Total'],
        rows: [
          ...mix.rows.map((r) => [r.label, ...r.cells.map((c) => c.n), r.total]),
          ['All', ...mix.totals.map((c) => c.n), mix.total],
        ],
      };
    }
    case 'repeat-contacts':
      return {
        head: [
          'Referral source',
          'Children on contacts',
          'With a contact in the previous 12 months',
          'Percentage',
        ],
        rows: [
          ...report.repeat.rows.map((r) => [r.label, r.children, r.repeats, r.percent]),
          ['All', report.repeat.children, report.repeat.repeats, report.repeat.percent],
        ],
      };
    case 'information-requests':
      return {
        head: [
          'Agency',
          'Requests sent',
          'Answered',
          'Median working hours to answer',
          'Due so far',
          'Answered by the due time',
          'Percentage answered in time',
          'Open and overdue',
          'Withdrawn',
        ],
        rows: [...report.requests.rows, report.requests.all].map((a) => [
          a.name,
          a.sent,
          a.answered,
          a.medianHours,
          a.judged,
          a.inTime,
          a.percentInTime,
          a.openOverdue,
          a.withdrawn,
        ]),
      };
    case 'consistency-workers':
    case 'consistency-teams': {
      const lines = table === 'consistency-workers' ? report.consistency.workers : report.consistency.teams;
      return {
        head: [
          table === 'consistency-workers' ? 'Worker' : 'Team',
          'Decisions',
          'Routed to social care',
          'Percentage',
          'Expected for similar contacts',
          'Expected percentage',
          'Standardised difference',
          'Flag',
          'Outside the continuum',
        ],
        rows: lines.map((w) => [
          w.name,
          w.decisions,
          w.socialCare,
          w.percent,
          w.expected,
          w.expectedPercent,
          w.z,
          w.flag ?? '',
          w.departures,
        ]),
      };
    }
    case 'consistency-similar-contacts':
      return {
        head: [
          'Level of need',
          'Categories of concern',
          'Decisions',
          'Workers',
          'Routed to social care',
          'Percentage',
          'Lowest worker percentage',
          'Highest worker percentage',
        ],
        rows: report.consistency.similar.map((g) => [
          g.levelLabel,
          g.concernCategories.join('; '),
          g.decisions,
          g.workers,
          g.socialCare,
          g.percent,
          g.lowest,
          g.highest,
        ]),
      };
  }
}

export { period };
