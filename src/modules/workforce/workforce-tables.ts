import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { DrillFilter, MonthFigures, TeamFigures } from './workforce-figures.service.ts';
import {
  ASYE_FIGURE_LABELS,
  ASYE_FIGURES,
  CASELOAD_BAND_LABELS,
  CASELOAD_BANDS,
  CONTRACT_KEY_LABELS,
  CONTRACT_KEYS,
  percent,
  REGISTRATION_LABELS,
  REGISTRATION_STATUSES,
} from './workforce-figures.ts';

/**
 * The workforce page's tables, one per figure, as data: the page shows each beside its chart (every count links to
 * the workers behind it), and the same table downloads as CSV. A service returns data, not links: the page passes
 * `link`, which turns a drill-down filter (and the team of the row) into a URL.
 */

export interface Cell {
  text: string;
  /** The value in the CSV (the text when absent). */
  value?: string | number | null;
  href?: string | null;
  /** Words after the number for screen readers, so that each link's text is distinct. */
  hidden?: string;
  numeric?: boolean;
}

export interface FigureTable {
  id: WorkforceTableId;
  caption: string;
  head: { text: string; numeric?: boolean }[];
  rows: Cell[][];
}

export const WORKFORCE_TABLES = [
  'stability',
  'over-time',
  'caseloads',
  'supervision',
  'asye',
  'registrations',
  'training',
] as const;
export type WorkforceTableId = (typeof WORKFORCE_TABLES)[number];

export type FigureLink = (filter: DrillFilter, teamId: string | null) => string;

const pct = (v: number | null) => (v === null ? '–' : `${v}%`);
const plain = (v: number | string | null, numeric = true): Cell => ({
  text: v === null ? '–' : String(v),
  value: v,
  numeric,
});

function count(
  n: number,
  filter: DrillFilter,
  teamId: string | null,
  hidden: string,
  link: FigureLink,
): Cell {
  return { text: String(n), value: n, href: n ? link(filter, teamId) : null, hidden, numeric: true };
}

export function workforceTables(
  byTeam: readonly TeamFigures[],
  months: readonly MonthFigures[],
  link: FigureLink,
): Record<WorkforceTableId, FigureTable> {
  const name = (t: TeamFigures) => ({ text: t.teamName });
  return {
    stability: {
      id: 'stability',
      caption: 'Stability by team today',
      head: [
        { text: 'Team' },
        { text: 'In post', numeric: true },
        { text: 'FTE in post', numeric: true },
        ...CONTRACT_KEYS.map((k) => ({ text: CONTRACT_KEY_LABELS[k], numeric: true })),
        { text: 'Permanent share', numeric: true },
        { text: 'Agency share', numeric: true },
        { text: 'Leavers in 12 months', numeric: true },
        { text: 'Turnover (FTE)', numeric: true },
        { text: 'Funded posts (FTE)', numeric: true },
        { text: 'Vacancies (FTE)', numeric: true },
      ],
      rows: byTeam.map((t) => [
        name(t),
        count(t.inPost, { figure: 'in-post' }, t.teamId, `in post, ${t.teamName}`, link),
        plain(t.fteInPost),
        ...CONTRACT_KEYS.map((k) =>
          count(
            t.contracts[k],
            { figure: 'contract', value: k },
            t.teamId,
            `${CONTRACT_KEY_LABELS[k].toLowerCase()}, ${t.teamName}`,
            link,
          ),
        ),
        plain(pct(percent(t.contracts.permanent, t.inPost))),
        plain(pct(percent(t.contracts['agency-locum'], t.inPost))),
        count(t.leavers, { figure: 'leavers' }, t.teamId, `leavers, ${t.teamName}`, link),
        plain(pct(percent(t.leaversFte, t.fteInPost))),
        plain(t.fundedPosts),
        plain(t.vacancies),
      ]),
    },
    'over-time': {
      id: 'over-time',
      caption: 'Stability over the last 12 months, at the end of each month',
      head: [
        { text: 'On' },
        { text: 'In post', numeric: true },
        { text: 'FTE in post', numeric: true },
        { text: 'Permanent share', numeric: true },
        { text: 'Agency share', numeric: true },
        { text: 'Starters in the month', numeric: true },
        { text: 'Leavers in the month', numeric: true },
        { text: 'Vacancies (FTE)', numeric: true },
      ],
      rows: months.map((m) => [
        { text: formatDateGovUk(m.onDate), value: m.onDate },
        plain(m.inPost),
        plain(m.fteInPost),
        plain(pct(percent(m.permanent, m.inPost))),
        plain(pct(percent(m.agencyLocum, m.inPost))),
        plain(m.starters),
        plain(m.leavers),
        plain(m.vacancies),
      ]),
    },
    caseloads: {
      id: 'caseloads',
      caption: 'Case holders by weighted caseload, by team',
      head: [
        { text: 'Team' },
        { text: 'Case holders', numeric: true },
        ...CASELOAD_BANDS.map((b) => ({ text: CASELOAD_BAND_LABELS[b], numeric: true })),
        { text: 'Children held', numeric: true },
      ],
      rows: byTeam.map((t) => [
        name(t),
        count(t.caseHolders, { figure: 'caseload' }, t.teamId, `case holders, ${t.teamName}`, link),
        ...CASELOAD_BANDS.map((b) =>
          count(
            t.bands[b],
            { figure: 'caseload', value: b },
            t.teamId,
            `${CASELOAD_BAND_LABELS[b].toLowerCase()}, ${t.teamName}`,
            link,
          ),
        ),
        plain(t.childrenHeld),
      ]),
    },
    supervision: {
      id: 'supervision',
      caption: 'Case supervision within timescale, by team',
      head: [
        { text: 'Team' },
        { text: 'Case holders', numeric: true },
        { text: 'Within timescale', numeric: true },
        { text: 'Overdue', numeric: true },
        { text: 'Within timescale (%)', numeric: true },
      ],
      rows: byTeam.map((t) => {
        const all = t.supervision['in-time'] + t.supervision.overdue;
        return [
          name(t),
          plain(all),
          count(
            t.supervision['in-time'],
            { figure: 'supervision', value: 'in-time' },
            t.teamId,
            `within timescale, ${t.teamName}`,
            link,
          ),
          count(
            t.supervision.overdue,
            { figure: 'supervision', value: 'overdue' },
            t.teamId,
            `overdue, ${t.teamName}`,
            link,
          ),
          plain(pct(percent(t.supervision['in-time'], all))),
        ];
      }),
    },
    asye: {
      id: 'asye',
      caption: 'Newly qualified social workers in their assessed year (ASYE), by team',
      head: [{ text: 'Team' }, ...ASYE_FIGURES.map((f) => ({ text: ASYE_FIGURE_LABELS[f], numeric: true }))],
      rows: byTeam.map((t) => [
        name(t),
        ...ASYE_FIGURES.map((f) =>
          count(
            t.asye[f],
            { figure: 'asye', value: f },
            t.teamId,
            `${ASYE_FIGURE_LABELS[f].toLowerCase()}, ${t.teamName}`,
            link,
          ),
        ),
      ]),
    },
    registrations: {
      id: 'registrations',
      caption: 'Social Work England registrations of workers in post, by team',
      head: [
        { text: 'Team' },
        ...REGISTRATION_STATUSES.map((s) => ({ text: REGISTRATION_LABELS[s], numeric: true })),
      ],
      rows: byTeam.map((t) => [
        name(t),
        ...REGISTRATION_STATUSES.map((s) =>
          count(
            t.registration[s],
            { figure: 'registration', value: s },
            t.teamId,
            `${REGISTRATION_LABELS[s].toLowerCase()}, ${t.teamName}`,
            link,
          ),
        ),
      ]),
    },
    training: {
      id: 'training',
      caption: 'Training and development in the last 12 months, workers in post, by team',
      head: [
        { text: 'Team' },
        { text: 'In post', numeric: true },
        { text: 'With training recorded', numeric: true },
        { text: 'With none', numeric: true },
        { text: 'With training (%)', numeric: true },
        { text: 'Records', numeric: true },
        { text: 'Hours', numeric: true },
      ],
      rows: byTeam.map((t) => [
        name(t),
        plain(t.inPost),
        count(
          t.withTraining,
          { figure: 'training', value: 'some' },
          t.teamId,
          `with training, ${t.teamName}`,
          link,
        ),
        count(
          t.inPost - t.withTraining,
          { figure: 'training', value: 'none' },
          t.teamId,
          `with no training, ${t.teamName}`,
          link,
        ),
        plain(pct(percent(t.withTraining, t.inPost))),
        plain(t.trainingRecords),
        plain(t.trainingHours),
      ]),
    },
  };
}

/** A table as CSV rows: the values, not the words for screen readers. */
export function tableForCsv(table: FigureTable): { head: string[]; rows: (string | number | null)[][] } {
  return {
    head: table.head.map((h) => h.text),
    rows: table.rows.map((r) => r.map((c) => (c.value === undefined ? c.text : c.value))),
  };
}
