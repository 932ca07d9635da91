import {
  ABUSE_CATEGORIES,
  CIN_CLOSURE_REASONS,
  REFERRAL_SOURCES,
  codeLabel,
} from '../../kernel/code-sets/cin-census.ts';

/**
 * The performance measures: what each one counts, in plain English (the definitions page shows these words, so a
 * figure can be explained to an inspector), and how its breakdown is labelled. The SQL behind each is in
 * measures.repository.ts: one query per measure returns the records counted, one row each, and both the figure and
 * the list of children behind it are read from that one query (docs/adr/0008-measures-layer.md).
 *
 * Every row of a measure has a group (the breakdown: a band of days, a category, a reason) and, for a rate, whether
 * it is in the numerator (`counted`). A count measure counts every row.
 */

export const MEASURE_IDS = [
  'referrals',
  're-referrals',
  'assessment-timeliness',
  'icpc-timeliness',
  'cp-plans-by-category',
  'cp-plans-two-years',
  'cp-plans-second',
  'cp-reviews-on-time',
  'cp-visits-on-time',
  'cin-reviews-on-time',
  'cin-visits-on-time',
  'seen-alone',
  'closures',
  'step-ups',
  'step-downs',
  'caseloads',
] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];
export const isMeasureId = (v: unknown): v is MeasureId =>
  typeof v === 'string' && (MEASURE_IDS as readonly string[]).includes(v);

export interface MeasureDefinition {
  id: MeasureId;
  title: string;
  /** 'rate': numerator of denominator, as a percentage; 'count': how many, by group. */
  kind: 'rate' | 'count';
  /** Where it belongs on the pathway (the dashboard's sections). */
  section: 'Referrals' | 'Assessments' | 'Child protection' | 'Child in need' | 'Moving on' | 'Workforce';
  summary: string;
  /** What is counted in the figure (a rate's numerator). */
  numerator: string;
  /** What it is out of (a rate); for a count, what one row is. */
  denominator: string;
  /** Which dates place a record in the period. */
  dates: string;
  /** How days are counted (working days, calendar months). */
  days: string;
  /** What is left out, and why (the DfE's exclusions among them). */
  exclusions: string;
  /** The heading of the breakdown column, and its groups in order (a group not listed follows, as it comes). */
  groupHeading: string;
  groups: readonly { key: string; label: string }[];
  /** For a rate: what a row in the numerator is called ("within 45 working days"). */
  countedLabel?: string;
  notCountedLabel?: string;
  /** Higher is better (true), lower is better (false), or neither (null). */
  higherIsBetter: boolean | null;
  /** True when the measure's records belong to an early help cluster (the cluster filter applies to it). */
  hasCluster?: true;
  /** The heading of the drill-down's reference column, when a row is not an episode ("Worker"). */
  refHeading?: string;
}

const WORKING_DAYS =
  'Working days are Monday to Friday, not an England and Wales bank holiday and not one of the authority’s closure days, counting the first day as day 1 (the CIN census convention).';

const dayBands = (limit: number) =>
  limit === 45
    ? [
        { key: '01-10', label: '1 to 10 working days' },
        { key: '11-20', label: '11 to 20 working days' },
        { key: '21-30', label: '21 to 30 working days' },
        { key: '31-45', label: '31 to 45 working days' },
        { key: '46-60', label: '46 to 60 working days' },
        { key: '61+', label: '61 working days or more' },
      ]
    : [
        { key: '01-10', label: '1 to 10 working days' },
        { key: '11-15', label: '11 to 15 working days' },
        { key: '16-20', label: '16 to 20 working days' },
        { key: '21+', label: '21 working days or more' },
      ];

const FIRST_OR_LATER_VISIT = [
  { key: 'first', label: 'First visit under the plan' },
  { key: 'later', label: 'Later visit' },
];

const visitMeasure = (
  id: 'cp-visits-on-time' | 'cin-visits-on-time',
  plan: string,
  interval: string,
): MeasureDefinition => ({
  id,
  title: `${plan === 'cp' ? 'Child protection' : 'Child in need'} visits within the authority’s standard`,
  kind: 'rate',
  section: plan === 'cp' ? 'Child protection' : 'Child in need',
  summary: `The share of statutory visits to children on a ${plan === 'cp' ? 'child protection' : 'child in need'} plan, made in the period, that came within the authority’s visit interval (${interval}).`,
  numerator: `Visits at which the child was seen whose working days from the previous visit at which the child was seen (or, for the first, from the plan’s start date), both days counted, are no more than the authority’s interval for ${plan === 'cp' ? 'child protection' : 'child in need'} visits (the social care settings).`,
  denominator: `Every statutory visit made in the period, under a ${plan === 'cp' ? 'child protection' : 'child in need'} plan in force on the visit date, at which the child was seen.`,
  dates:
    'The visit date places it in the period; its days run from the previous visit under the same plan, or the plan’s start.',
  days: `${WORKING_DAYS} The previous visit is day 1, so with an interval of 10 the visit is due by the 10th working day.`,
  exclusions:
    'Visits at which the child was not seen are not visits for this measure: the clock runs on from the last visit at which the child was seen. A child with no visit at all in the period is not counted here (the worktray shows visits overdue today).',
  groupHeading: 'Visit',
  groups: FIRST_OR_LATER_VISIT,
  countedLabel: 'Within the standard',
  notCountedLabel: 'Late',
  higherIsBetter: true,
});

const CASELOAD_BANDS = [
  { key: '01-10', label: 'Workers holding 1 to 10 children' },
  { key: '11-15', label: 'Workers holding 11 to 15 children' },
  { key: '16-20', label: 'Workers holding 16 to 20 children' },
  { key: '21-25', label: 'Workers holding 21 to 25 children' },
  { key: '26+', label: 'Workers holding 26 children or more' },
];

const CATEGORIES = ABUSE_CATEGORIES.map((c) => ({ key: c.code, label: c.label }));
const FIRST_OR_LATER = [
  { key: 'first', label: 'First review' },
  { key: 'later', label: 'Later review' },
];

export const MEASURES: Record<MeasureId, MeasureDefinition> = {
  referrals: {
    id: 'referrals',
    title: 'Referrals',
    kind: 'count',
    section: 'Referrals',
    summary: 'Referrals to children’s social care received in the period, by referral source.',
    numerator:
      'Every referral (CIN episode) whose referral date is in the period, including those with no further action.',
    denominator: 'One row is one referral: a child referred twice is counted twice.',
    dates: 'The referral date.',
    days: 'Not applicable.',
    exclusions:
      'None. Referrals transferred in from another authority are counted on the date they were received.',
    groupHeading: 'Referral source',
    groups: REFERRAL_SOURCES.map((s) => ({ key: s.code, label: `${s.code}: ${s.label}` })),
    higherIsBetter: null,
  },
  're-referrals': {
    id: 're-referrals',
    title: 'Re-referrals within 12 months',
    kind: 'rate',
    section: 'Referrals',
    summary:
      'The share of referrals in the period about a child who had another referral in the 12 months before.',
    numerator:
      'Referrals in the period where the same child had an earlier referral whose referral date is within the 12 months before (on or after the same date a year earlier, and before this referral).',
    denominator: 'Every referral whose referral date is in the period.',
    dates: 'The referral date of this referral and of the earlier one.',
    days: '12 calendar months.',
    exclusions:
      'As the DfE counts it, the earlier referral may have been in an earlier year and may have ended with no further action.',
    groupHeading: 'Referral source',
    groups: REFERRAL_SOURCES.map((s) => ({ key: s.code, label: `${s.code}: ${s.label}` })),
    countedLabel: 'Re-referral',
    notCountedLabel: 'First referral in 12 months',
    higherIsBetter: false,
  },
  'assessment-timeliness': {
    id: 'assessment-timeliness',
    title: 'Assessments completed within 45 working days',
    kind: 'rate',
    section: 'Assessments',
    summary:
      'The share of child and family assessments completed in the period that took 45 working days or fewer, and how long they took.',
    numerator:
      'Assessments authorised in the period whose working days from the assessment’s start date to its authorisation date, both counted, are 45 or fewer.',
    denominator: 'Every assessment authorised (completed) in the period.',
    dates: 'The authorisation date places the assessment in the period; its days run from the start date.',
    days: WORKING_DAYS,
    exclusions:
      'Assessments still open, or completed but not yet authorised, are not counted (the DfE counts completed assessments only).',
    groupHeading: 'Working days taken',
    groups: dayBands(45),
    countedLabel: 'Within 45 working days',
    notCountedLabel: 'Over 45 working days',
    higherIsBetter: true,
  },
  'icpc-timeliness': {
    id: 'icpc-timeliness',
    title: 'Initial child protection conferences within 15 working days',
    kind: 'rate',
    section: 'Child protection',
    summary:
      'The share of initial child protection conferences held in the period within 15 working days of the start of the section 47 enquiry.',
    numerator:
      'Initial conferences held in the period whose working days from the section 47 enquiry’s start date to the conference, both counted, are 15 or fewer.',
    denominator:
      'Every initial child protection conference held in the period that followed a section 47 enquiry.',
    dates: 'The conference date places it in the period; its days run from the section 47 start date.',
    days: WORKING_DAYS,
    exclusions:
      'Conferences with no section 47 enquiry (for example a transfer-in conference) are left out, as the DfE leaves them out.',
    groupHeading: 'Working days from the section 47 start',
    groups: dayBands(15),
    countedLabel: 'Within 15 working days',
    notCountedLabel: 'Over 15 working days',
    higherIsBetter: true,
  },
  'cp-plans-by-category': {
    id: 'cp-plans-by-category',
    title: 'Children on child protection plans, by category',
    kind: 'count',
    section: 'Child protection',
    summary:
      'Children on a child protection plan on the last day of the period, by the plan’s initial category of abuse.',
    numerator:
      'Child protection plans that started on or before the last day of the period and had not ended by it.',
    denominator: 'One row is one plan (a child has one plan at a time).',
    dates: 'The plan’s start and end dates, against the last day of the period.',
    days: 'Not applicable.',
    exclusions: 'None.',
    groupHeading: 'Initial category of abuse',
    groups: CATEGORIES,
    higherIsBetter: null,
  },
  'cp-plans-two-years': {
    id: 'cp-plans-two-years',
    title: 'Child protection plans ending after 2 years or more',
    kind: 'rate',
    section: 'Child protection',
    summary: 'The share of child protection plans that ended in the period which had lasted 2 years or more.',
    numerator: 'Plans that ended in the period on or after the same date 2 years after they started.',
    denominator: 'Every child protection plan that ended in the period.',
    dates: 'The plan’s end date places it in the period; its length runs from its start date.',
    days: 'Calendar years: a plan starting on 10 May 2024 has lasted 2 years on 10 May 2026.',
    exclusions: 'Plans still open are not counted.',
    groupHeading: 'How long the plan lasted',
    groups: [
      { key: '1-under-3m', label: 'Under 3 months' },
      { key: '2-3-12m', label: '3 months to under 1 year' },
      { key: '3-1-2y', label: '1 year to under 2 years' },
      { key: '4-2y+', label: '2 years or more' },
    ],
    countedLabel: '2 years or more',
    notCountedLabel: 'Under 2 years',
    higherIsBetter: false,
  },
  'cp-plans-second': {
    id: 'cp-plans-second',
    title: 'Second or subsequent child protection plans',
    kind: 'rate',
    section: 'Child protection',
    summary:
      'The share of child protection plans started in the period for a child who had been on a plan before, at any time.',
    numerator:
      'Plans started in the period whose number of previous plans (as the census records it) is 1 or more.',
    denominator: 'Every child protection plan that started in the period.',
    dates: 'The plan’s start date.',
    days: 'Not applicable: any earlier plan counts, however long ago (the DfE measure is “ever”).',
    exclusions: 'None.',
    groupHeading: 'Initial category of abuse',
    groups: CATEGORIES,
    countedLabel: 'Second or subsequent plan',
    notCountedLabel: 'First plan',
    higherIsBetter: false,
  },
  'cp-reviews-on-time': {
    id: 'cp-reviews-on-time',
    title: 'Child protection reviews on time',
    kind: 'rate',
    section: 'Child protection',
    summary: 'The share of review child protection conferences held in the period that were held on time.',
    numerator:
      'Review conferences held no later than 3 calendar months after the initial conference (the first review) or 6 calendar months after the previous review.',
    denominator: 'Every review child protection conference held in the period.',
    dates: 'The review’s date places it in the period; its due date runs from the conference before it.',
    days: 'Calendar months (the same date 3 or 6 months on, or the month’s last day when there is no such date). When that day is not a working day the review is due on the working day before it; a conference is held on a working day, so comparing with the date itself gives the same answer.',
    exclusions: 'Initial conferences are not reviews and are not counted.',
    groupHeading: 'Review',
    groups: FIRST_OR_LATER,
    countedLabel: 'On time',
    notCountedLabel: 'Late',
    higherIsBetter: true,
  },
  'cin-reviews-on-time': {
    id: 'cin-reviews-on-time',
    title: 'Child in need plans reviewed on time',
    kind: 'rate',
    section: 'Child in need',
    summary: 'The share of child in need plan reviews held in the period that were held on time.',
    numerator:
      'Reviews held no later than the plan’s review interval (12 weeks unless the authority or the plan sets another) after the plan started (the first review) or after the previous review.',
    denominator: 'Every child in need plan review held in the period.',
    dates:
      'The review’s date places it in the period; its due date runs from the plan start or the review before it.',
    days: 'Calendar weeks (the interval in weeks × 7 days). A due date that is not a working day moves to the working day before it; a review held on a working day gives the same answer.',
    exclusions: 'None.',
    groupHeading: 'Review',
    groups: FIRST_OR_LATER,
    countedLabel: 'On time',
    notCountedLabel: 'Late',
    higherIsBetter: true,
  },
  'cp-visits-on-time': visitMeasure(
    'cp-visits-on-time',
    'cp',
    '10 working days unless the authority sets another',
  ),
  'cin-visits-on-time': visitMeasure(
    'cin-visits-on-time',
    'cin',
    '20 working days unless the authority sets another',
  ),
  'seen-alone': {
    id: 'seen-alone',
    title: 'Children seen alone at visits',
    kind: 'rate',
    section: 'Child in need',
    summary:
      'The share of statutory visits made in the period at which the child was seen alone, by the plan the child was on.',
    numerator: 'Visits at which the child was seen, and seen alone.',
    denominator:
      'Every statutory visit made in the period at which the child was seen (under an assessment, a child in need plan or a child protection plan).',
    dates: 'The visit date.',
    days: 'Not applicable.',
    exclusions:
      'Visits at which the child was not seen are left out. Babies and young children who cannot be seen alone are not left out: the figure is read alongside the children’s ages.',
    groupHeading: 'Plan at the visit',
    groups: [
      { key: 'cp', label: 'Child protection plan' },
      { key: 'cin', label: 'Child in need plan' },
      { key: 'assessment', label: 'Assessment' },
    ],
    countedLabel: 'Seen alone',
    notCountedLabel: 'Not seen alone',
    higherIsBetter: true,
  },
  closures: {
    id: 'closures',
    title: 'Case closures by reason',
    kind: 'count',
    section: 'Moving on',
    summary: 'Children’s social care episodes closed in the period, by the census reason for closure.',
    numerator: 'Every CIN episode whose closure date is in the period.',
    denominator: 'One row is one closed episode.',
    dates: 'The closure date.',
    days: 'Not applicable.',
    exclusions: 'None: referrals closed with no further action (RC8) are counted.',
    groupHeading: 'Reason for closure',
    groups: CIN_CLOSURE_REASONS.map((r) => ({ key: r.code, label: `${r.code}: ${r.label}` })),
    higherIsBetter: null,
  },
  'step-ups': {
    id: 'step-ups',
    title: 'Step-ups from early help',
    kind: 'count',
    section: 'Moving on',
    summary:
      'Families stepped up from early help to the front door in the period, one row per child, by the outcome of the front door’s decision.',
    numerator: 'Every child of an early help episode stepped up in the period.',
    denominator: 'One row is one child stepped up.',
    dates: 'The date of the step-up.',
    days: 'Not applicable.',
    exclusions: 'None.',
    groupHeading: 'Outcome of the front door’s decision',
    groups: [
      { key: 'nfa', label: 'No further action' },
      { key: 'information-advice', label: 'Information and advice' },
      { key: 'early-help', label: 'Early help' },
      { key: 'social-care', label: 'Social care' },
      { key: 'strategy-discussion', label: 'Strategy discussion' },
      { key: 'awaiting', label: 'No authorised decision yet' },
    ],
    higherIsBetter: null,
    hasCluster: true,
  },
  'step-downs': {
    id: 'step-downs',
    title: 'Step-downs to early help',
    kind: 'count',
    section: 'Moving on',
    summary:
      'Children stepped down from social care to early help in the period, by whether early help accepted them.',
    numerator: 'Every step-down from a CIN episode recorded in the period.',
    denominator: 'One row is one child stepped down.',
    dates: 'The date the step-down was recorded.',
    days: 'Not applicable.',
    exclusions: 'None.',
    groupHeading: 'Early help’s response',
    groups: [
      { key: 'accepted', label: 'Accepted' },
      { key: 'declined', label: 'Declined' },
      { key: 'awaiting', label: 'Awaiting a response' },
    ],
    higherIsBetter: null,
  },
  caseloads: {
    id: 'caseloads',
    title: 'Caseloads per worker',
    kind: 'count',
    section: 'Workforce',
    summary:
      'Children allocated to a worker on the last day of the period, by the size of that worker’s caseload: how many children are held by workers with large caseloads.',
    numerator:
      'Every child with an allocation to a named worker (as allocated worker) that started on or before the last day of the period and had not ended by it. Each worker’s caseload is the number of different children allocated to them.',
    denominator:
      'One row is one child of one worker. The drill-down lists each worker’s children; choose a worker to see theirs.',
    dates: 'The allocation’s start and end dates, against the last day of the period.',
    days: 'Not applicable.',
    exclusions:
      'Allocations to a team with no named worker, and co-workers and lead practitioners, are left out. The team filter counts allocations to that team; the cluster filter counts teams in that early help cluster.',
    groupHeading: 'Caseload of the worker',
    groups: CASELOAD_BANDS,
    higherIsBetter: null,
    hasCluster: true,
    refHeading: 'Worker',
  },
};

export const MEASURE_SECTIONS = [
  'Referrals',
  'Assessments',
  'Child protection',
  'Child in need',
  'Moving on',
  'Workforce',
] as const;

/** The label of a group of a measure (its code when the measure does not list it). */
export function groupLabel(measure: MeasureDefinition, key: string): string {
  return measure.groups.find((g) => g.key === key)?.label ?? (key === 'none' ? 'Not recorded' : key);
}

export interface GroupFigure {
  key: string;
  label: string;
  /** Rows in the group (a rate's denominator). */
  total: number;
  /** Rows in the numerator (a rate); the same as total for a count. */
  counted: number;
  percent: number | null;
}

export interface MeasureFigure {
  measure: MeasureDefinition;
  total: number;
  counted: number;
  percent: number | null;
  groups: GroupFigure[];
}

export const percent = (n: number, d: number): number | null => (d ? Math.round((1000 * n) / d) / 10 : null);

/** The figure from the query's counts per group: every listed group in order (0 when empty), then the others. */
export function figureOf(
  measure: MeasureDefinition,
  counts: readonly { grp: string; total: number; counted: number }[],
): MeasureFigure {
  const byKey = new Map(counts.map((c) => [c.grp, c]));
  const keys = [
    ...measure.groups.map((g) => g.key),
    ...counts.map((c) => c.grp).filter((k) => !measure.groups.some((g) => g.key === k)),
  ];
  const groups = keys.map((key) => {
    const c = byKey.get(key);
    const total = c?.total ?? 0;
    const counted = measure.kind === 'count' ? total : (c?.counted ?? 0);
    return { key, label: groupLabel(measure, key), total, counted, percent: percent(counted, total) };
  });
  const total = groups.reduce((s, g) => s + g.total, 0);
  const counted = groups.reduce((s, g) => s + g.counted, 0);
  return { measure, total, counted, percent: percent(counted, total), groups };
}

/** The CIN census collection year to date: 1 April (this year's, or last year's before April) to today. */
export function collectionYearToDate(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4)) - (today.slice(5) < '04-01' ? 1 : 0);
  return { from: `${year}-04-01`, to: today };
}

/** A figure in words: "66.7% (2 of 3)" for a rate, the number for a count. */
export const figureText = (f: MeasureFigure): string =>
  f.measure.kind === 'rate'
    ? `${f.percent === null ? '–' : `${f.percent}%`} (${f.counted} of ${f.total})`
    : String(f.total);

export { codeLabel };
