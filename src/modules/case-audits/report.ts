import { GRADE_LABELS, GRADES, monthName } from './case-audit.ts';
import { ACTION_LEVEL_LABELS, type ActionLevel } from './case-audit.ts';
import type { DrillFilter, ReportFigures } from './report.service.ts';

/**
 * The QA report's tables (issue 20): each figure's rows, as the page shows them beside its chart and as the CSV and
 * PDF downloads write them. A count links to the audits behind it.
 */

export const REPORT_TABLES = [
  'by-month',
  'by-area',
  'by-team',
  'themes',
  'impact',
  'actions',
  'moderation',
] as const;
export type ReportTableId = (typeof REPORT_TABLES)[number];

export interface Cell {
  text: string;
  href?: string | null;
  numeric?: boolean;
}
export interface ReportTable {
  id: ReportTableId | 'feedback';
  caption: string;
  head: { text: string; numeric?: boolean }[];
  rows: Cell[][];
}

export type DrillLink = (filter: DrillFilter) => string;

const num = (n: number, href?: string | null): Cell => ({
  text: String(n),
  numeric: true,
  href: n ? href : null,
});
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : 'None');
const gradeHead = [
  ...GRADES.map((g) => ({ text: GRADE_LABELS[g], numeric: true })),
  { text: 'Total', numeric: true },
];

export function reportTables(f: ReportFigures, link: DrillLink): Record<ReportTableId, ReportTable> {
  return {
    'by-month': {
      id: 'by-month',
      caption: 'Grades by month the audit was completed',
      head: [{ text: 'Month' }, ...gradeHead],
      rows: f.byMonth.map((m) => [
        { text: monthName(`${m.month}-01`) },
        ...GRADES.map((g) => num(m.counts[g], link({ month: m.month, grade: g }))),
        num(m.total, link({ month: m.month })),
      ]),
    },
    'by-area': {
      id: 'by-area',
      caption: 'Grades by area of practice',
      head: [{ text: 'Area' }, ...gradeHead],
      rows: f.byArea.map((a) => [
        { text: a.title },
        ...GRADES.map((g) => num(a.counts[g], link({ area: a.area, grade: g }))),
        num(a.total, link({ area: a.area })),
      ]),
    },
    'by-team': {
      id: 'by-team',
      caption: 'Grades by the worker’s team',
      head: [{ text: 'Team' }, ...gradeHead],
      rows: f.byTeam.map((t) => [
        { text: t.teamName },
        ...GRADES.map((g) => num(t.counts[g], link({ team: t.teamId ?? 'none', grade: g }))),
        num(t.total, link({ team: t.teamId ?? 'none' })),
      ]),
    },
    themes: {
      id: 'themes',
      caption: 'Areas most often graded requires improvement or inadequate',
      head: [
        { text: 'Area' },
        { text: 'Requires improvement or inadequate', numeric: true },
        { text: 'Graded', numeric: true },
        { text: 'Share', numeric: true },
      ],
      rows: f.themes.map((t) => [
        { text: t.title },
        num(t.weak, link({ area: t.area, grade: 'weak' })),
        num(t.total, link({ area: t.area })),
        { text: pct(t.weak, t.total), numeric: true },
      ]),
    },
    impact: {
      id: 'impact',
      caption: 'Impact for the child recorded',
      head: [{ text: 'Completed audits' }, { text: 'Audits', numeric: true }],
      rows: [
        [
          { text: 'With the impact for the child recorded' },
          num(f.impact.recorded, link({ impact: 'recorded' })),
        ],
        [{ text: 'Without it' }, num(f.impact.missing, link({ impact: 'missing' }))],
        [{ text: 'All completed audits' }, num(f.impact.completed, link({}))],
      ],
    },
    actions: {
      id: 'actions',
      caption: 'Actions from audits',
      head: [
        { text: 'For' },
        { text: 'Open', numeric: true },
        { text: 'Overdue', numeric: true },
        { text: 'Done', numeric: true },
      ],
      rows: f.actions.map((a) => [
        { text: ACTION_LEVEL_LABELS[a.level as ActionLevel] ?? a.level },
        { text: String(a.open), numeric: true },
        num(a.overdue, link({ overdue: true, level: a.level })),
        { text: String(a.done), numeric: true },
      ]),
    },
    moderation: {
      id: 'moderation',
      caption: 'Moderation',
      head: [{ text: 'Figure' }, { text: 'Number', numeric: true }, { text: 'Share', numeric: true }],
      rows: [
        [
          { text: 'Completed audits moderated' },
          num(f.moderation.moderated, link({ moderation: 'moderated' })),
          { text: pct(f.moderation.moderated, f.moderation.completed), numeric: true },
        ],
        [
          { text: 'Grades the moderator agreed with' },
          { text: String(f.moderation.agreed), numeric: true },
          { text: pct(f.moderation.agreed, f.moderation.areas), numeric: true },
        ],
        [
          { text: 'Grades the moderator changed' },
          num(f.moderation.changed, link({ moderation: 'changed' })),
          { text: pct(f.moderation.changed, f.moderation.areas), numeric: true },
        ],
      ],
    },
  };
}

/** A table as plain rows, for CSV and PDF. */
export function plainRows(t: ReportTable): string[][] {
  return t.rows.map((r) => r.map((c) => c.text));
}

/** One row of feedback results: a team and service, how many answered, and how many said yes to each question. */
export interface FeedbackRow {
  teamId: string | null;
  teamName: string | null;
  service: string;
  serviceLabel: string;
  responses: number;
  listened: number;
  helped: number;
  better: number;
}

/**
 * What children and families told us in the report's period, by team and service (the feedback results, early help's
 * included); each count of responses opens those results with the families' own words.
 */
export function feedbackTable(rows: readonly FeedbackRow[], link: (row: FeedbackRow) => string): ReportTable {
  return {
    id: 'feedback',
    caption: 'Feedback from children and families, by team and service',
    head: [
      { text: 'Team and service' },
      { text: 'Responses', numeric: true },
      { text: 'Felt listened to', numeric: true },
      { text: 'Said it helped', numeric: true },
      { text: 'Said things are better', numeric: true },
    ],
    rows: rows.map((r) => [
      { text: `${r.teamName ?? 'No team recorded'}, ${r.serviceLabel.toLowerCase()}` },
      num(r.responses, link(r)),
      { text: pct(r.listened, r.responses), numeric: true },
      { text: pct(r.helped, r.responses), numeric: true },
      { text: pct(r.better, r.responses), numeric: true },
    ]),
  };
}
