import { CIN_CLOSURE_REASONS, REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { addCalendarDays, daysInMonth } from '../../kernel/time/index.ts';
import { percent } from './measures.ts';

/**
 * The pathway as one picture (issue 21 item 2): contacts → decisions → early help / referrals → assessments →
 * plans → closures, month by month. Each stage is a query of the measures layer (pathway.repository.ts) with the
 * measures' columns: one row per record counted, placed in a month by `event_on`, with its breakdown (`grp`),
 * whether it went on to the next stage (`counted`: the conversion rate's numerator) and the working days the stage
 * took (`days`). The month's figures and the list of children behind each come from that one query.
 */

export const PATHWAY_STAGE_IDS = [
  'contacts',
  'decisions',
  'early-help',
  'referrals',
  'assessments',
  'plans',
  'closures',
] as const;
export type PathwayStageId = (typeof PATHWAY_STAGE_IDS)[number];

export interface PathwayStage {
  id: PathwayStageId;
  title: string;
  summary: string;
  /** What one row is, and which date places it in a month. */
  counted: string;
  /** The conversion to the next stage (a share of this stage's rows), where there is one. */
  conversion?: { title: string; countedLabel: string; notCountedLabel: string; definition: string };
  /** What the stage's time measures (median working days), where it has one. */
  time?: { title: string; definition: string };
  exclusions: string;
  groupHeading: string;
  groups: readonly { key: string; label: string }[];
}

export const DECISION_OUTCOMES = [
  { key: 'nfa', label: 'No further action' },
  { key: 'information-advice', label: 'Information and advice' },
  { key: 'early-help', label: 'Early help' },
  { key: 'social-care', label: 'Social care' },
  { key: 'strategy-discussion', label: 'Strategy discussion' },
] as const;

export const PLAN_TYPES = [
  { key: 'cin', label: 'Child in need plan' },
  { key: 'cp', label: 'Child protection plan' },
] as const;

const TEAM =
  'With a team chosen, only the records of that team (for contacts and decisions: the team the decision routed the contact to).';

export const PATHWAY_STAGES: Record<PathwayStageId, PathwayStage> = {
  contacts: {
    id: 'contacts',
    title: 'Contacts',
    summary: 'Contacts received by the front door.',
    counted: 'One row is one contact, placed in the month it was received (UK time).',
    conversion: {
      title: 'Contacts that became referrals',
      countedLabel: 'Became a referral',
      notCountedLabel: 'Did not become a referral',
      definition:
        'The share of the month’s contacts whose authorised decision was a referral to social care or a strategy discussion (so the contact became a referral).',
    },
    exclusions: `Nothing. ${TEAM}`,
    groupHeading: 'Outcome of its decision',
    groups: [...DECISION_OUTCOMES, { key: 'undecided', label: 'No authorised decision yet' }],
  },
  decisions: {
    id: 'decisions',
    title: 'Decisions',
    summary: 'Front-door decisions, by outcome.',
    counted:
      'One row is one authorised decision, placed in the month it was recorded. Decisions sent back are not counted.',
    time: {
      title: 'Contact to decision',
      definition: 'Working days from the day the contact was received to the day the decision was recorded.',
    },
    exclusions: `Decisions awaiting authorisation. ${TEAM}`,
    groupHeading: 'Outcome',
    groups: DECISION_OUTCOMES,
  },
  'early-help': {
    id: 'early-help',
    title: 'Early help started',
    summary: 'Children starting an early help episode.',
    counted:
      'One row is one child of an early help episode, placed in the month the child joined it (the day it opened, or later).',
    time: {
      title: 'Contact to early help',
      definition:
        'Working days from the day the contact was received to the day the episode opened (episodes that came from a contact).',
    },
    exclusions: TEAM,
    groupHeading: 'Came from',
    groups: [
      { key: 'front-door', label: 'The front door' },
      { key: 'partner', label: 'A partner' },
      { key: 'step-down', label: 'A step-down from social care' },
    ],
  },
  referrals: {
    id: 'referrals',
    title: 'Referrals',
    summary: 'Referrals to children’s social care: the same records as the referrals measure.',
    counted: 'One row is one referral (CIN episode), placed in the month of its referral date.',
    conversion: {
      title: 'Referrals that led to an assessment',
      countedLabel: 'Led to an assessment',
      notCountedLabel: 'No assessment',
      definition: 'The share of the month’s referrals with a child and family assessment started on them.',
    },
    time: {
      title: 'Contact to referral',
      definition:
        'Working days from the day the contact was received to the referral date (referrals that came from a contact).',
    },
    exclusions: TEAM,
    groupHeading: 'Referral source',
    groups: REFERRAL_SOURCES.map((s) => ({ key: s.code, label: `${s.code}: ${s.label}` })),
  },
  assessments: {
    id: 'assessments',
    title: 'Assessments completed',
    summary:
      'Child and family assessments authorised: the same records as the measure of assessments within 45 working days.',
    counted: 'One row is one assessment, placed in the month it was authorised.',
    conversion: {
      title: 'Assessments that led to a plan',
      countedLabel: 'Led to a plan',
      notCountedLabel: 'No plan',
      definition:
        'The share of the month’s completed assessments after which a child in need or child protection plan started on the same referral (on or after the assessment’s start).',
    },
    time: {
      title: 'Assessment',
      definition: 'Working days from the assessment’s start to its authorisation, both counted.',
    },
    exclusions: `Assessments not yet authorised. ${TEAM}`,
    groupHeading: 'Working days taken',
    groups: [
      { key: '01-10', label: '1 to 10 working days' },
      { key: '11-20', label: '11 to 20 working days' },
      { key: '21-30', label: '21 to 30 working days' },
      { key: '31-45', label: '31 to 45 working days' },
      { key: '46-60', label: '46 to 60 working days' },
      { key: '61+', label: '61 working days or more' },
    ],
  },
  plans: {
    id: 'plans',
    title: 'Plans started',
    summary: 'Child in need and child protection plans started.',
    counted: 'One row is one plan, placed in the month it started.',
    time: {
      title: 'Referral to plan',
      definition: 'Working days from the referral date to the day the plan started.',
    },
    exclusions: TEAM,
    groupHeading: 'Plan',
    groups: PLAN_TYPES,
  },
  closures: {
    id: 'closures',
    title: 'Closures',
    summary: 'Social care episodes closed: the same records as the closures measure.',
    counted: 'One row is one closed CIN episode, placed in the month of its closure date.',
    time: {
      title: 'Referral to closure',
      definition: 'Working days from the referral date to the closure date: how long the episode was open.',
    },
    exclusions: TEAM,
    groupHeading: 'Reason for closure',
    groups: CIN_CLOSURE_REASONS.map((r) => ({ key: r.code, label: `${r.code}: ${r.label}` })),
  },
};

export const isPathwayStageId = (v: unknown): v is PathwayStageId =>
  typeof v === 'string' && (PATHWAY_STAGE_IDS as readonly string[]).includes(v);

export const stageGroupLabel = (stage: PathwayStage, key: string): string =>
  stage.groups.find((g) => g.key === key)?.label ?? (key === 'none' ? 'Not recorded' : key);

/** One stage's counts from the query: per month and group, per month, per group and for the whole period. */
export interface StageCountRow {
  month: string | null;
  grp: string | null;
  total: number;
  counted: number;
  median: number | null;
}

export interface StageMonth {
  month: string;
  total: number;
  counted: number;
  percent: number | null;
  median: number | null;
  groups: Record<string, number>;
}

export interface StageFigures {
  stage: PathwayStage;
  months: StageMonth[];
  all: Omit<StageMonth, 'month'>;
}

/** A month 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 240; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The dates a month covers within a period (the first month may start, and the last end, inside it). */
export function monthDates(
  month: string,
  period: { from: string; to: string },
): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = `${month}-01`;
  const last = addCalendarDays(first, daysInMonth(y, m) - 1);
  return { from: first < period.from ? period.from : first, to: last > period.to ? period.to : last };
}

/** A stage's figures, every month of the period in order (0 when it has no rows). */
export function stageFigures(stage: PathwayStage, months: readonly string[], rows: readonly StageCountRow[]) {
  const empty = () => ({
    total: 0,
    counted: 0,
    percent: null,
    median: null,
    groups: {} as Record<string, number>,
  });
  const byMonth = new Map(months.map((m) => [m, { month: m, ...empty() } as StageMonth]));
  const all: Omit<StageMonth, 'month'> = empty();
  for (const r of rows) {
    const target = r.month === null ? all : byMonth.get(r.month);
    if (!target) continue;
    if (r.grp === null) {
      target.total = r.total;
      target.counted = r.counted;
      target.percent = percent(r.counted, r.total);
      target.median = r.median;
    } else target.groups[r.grp] = r.total;
  }
  return { stage, months: [...byMonth.values()], all } satisfies StageFigures;
}
