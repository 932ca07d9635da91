import {
  ABUSE_CATEGORIES,
  ASSESSMENT_FACTORS,
  CENSUS_DISABILITY_CODES,
  CENSUS_ETHNICITY_CODES,
  CENSUS_SEX_CODES,
  CIN_CLOSURE_REASONS,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
  type Code,
} from '../../kernel/code-sets/cin-census.ts';
import { addCalendarDays, isoDayOfWeek } from '../../kernel/time/index.ts';

/**
 * The DfE Children in Need census validation rules (docs/domain.md, "Validation rules"; the logic follows
 * data-to-insight/csc-validator-be-cin, ruleset cin2025_26) that can be checked when a worker records something,
 * one pure function per rule. Each returns a Violation or null. Error rules (plain numbers) block the save and
 * are shown against the field, naming the rule; query rules (ending in Q) are warnings the worker must explain
 * in a recorded reason before the save goes ahead (census-queries.ts).
 *
 * Rules about the census year (8620, 8696, 8715, 8736, 8740, 4013, 8930) are asked at the point of entry as
 * queries (censusYearQuery): a date before this census year needs a reason, since recording late for last year's
 * return is legitimate. Rules against the return's reference date are read at entry against the return `today` falls
 * in: 8770Q (a school-age child's UPN), 8569Q (an NFA referral from before the year), 8775Q (over 25), and
 * 8600/4010/8720 (a referral or plan cannot start after it: at entry, after today). The year-end clocks 8670Q
 * (assessment open over 45 working days) and 8675Q (section 47 open over 15 working days with no conference) are the
 * assessment and conference deadlines on the worktrays, where they are met. Some hold by construction: the LA child
 * ID is generated (8500, 1570, 1580), the NFA flag is a required yes/no (8568), every referral is an episode (8590),
 * a disability is stored once per child (8794) and a review conference has a date (8842Q). The UPN rules (1510, 1530, 1540, 1550; 1520 one record per UPN) are checked on the
 * child's record by the people module. Left for the census return itself: the return as a whole (100, 2883,
 * 2886Q–2888Q, 8510: counts and proportions across every child) and 8530Q, which asks whether an expected date of
 * birth fits the year of the return it appears in (a baby due in January is born, with a date of birth recorded, by
 * the return that would query it). 8545Q (a date of death inside the year) is asked at referral.
 *
 * The whole-return validator (returns module, census-validate.ts) applies every rule to the return through these
 * same functions; the rules that only make sense there (against the return's period and reference date) are at the
 * end of this file.
 *
 * Dates are 'YYYY-MM-DD' strings; string order is date order.
 */

export type RuleKind = 'error' | 'query';

export interface Violation {
  /** The DfE rule number, e.g. '2885' or '8945Q'. */
  rule: string;
  kind: RuleKind;
  /** The form field the problem belongs to. */
  field: string;
  message: string;
}

/** A span of dates; `end` null while it is open. */
export interface Period {
  start: string;
  end: string | null;
}

type Result = Violation | null;

const error = (rule: string, field: string, message: string): Violation => ({
  rule,
  kind: 'error',
  field,
  message: `${message} (rule ${rule})`,
});
const query = (rule: string, field: string, message: string): Violation => ({
  rule,
  kind: 'query',
  field,
  message: `${message} (query ${rule})`,
});

const inSet = (set: readonly Code[], code: string | null | undefined) =>
  !!code && set.some((c) => c.code === code);
const isWeekend = (date: string) => isoDayOfWeek(date) >= 6;
const fmt = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
};

// ---------------------------------------------------------------------------------------------------------------
// The child (ChildIdentifiers, ChildCharacteristics, Disabilities): checked when a referral opens, since the census
// returns these for every child referred.

/** What the census returns about the child, as stored on their record. */
export interface CensusChild {
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  dateOfDeath: string | null;
  sex: string | null;
  ethnicityCode: string | null;
  disabilities: readonly string[];
}

const includes = (list: readonly string[], value: string | null | undefined) =>
  !!value && list.includes(value);

/** 4180: the child’s sex is recorded, as M, F or U. */
export function rule4180(sex: string | null | undefined, field = 'sex'): Result {
  return includes(CENSUS_SEX_CODES, sex)
    ? null
    : error('4180', field, 'Record the child’s sex on their record: male, female or not known');
}

/** 8750: an unborn child (expected date of birth, no date of birth) has sex U (not known). */
export function rule8750(
  dateOfBirth: string | null,
  expectedDateOfBirth: string | null,
  sex: string | null | undefined,
  field = 'sex',
): Result {
  return expectedDateOfBirth && !dateOfBirth && sex !== 'U'
    ? error('8750', field, 'An unborn child’s sex must be recorded as “not known”')
    : null;
}

/** 4220: the child’s ethnicity is recorded as a census code (“Information not yet obtained” is one). */
export function rule4220(ethnicityCode: string | null | undefined, field = 'ethnicityCode'): Result {
  if (!ethnicityCode)
    return error(
      '4220',
      field,
      'Record the child’s ethnicity on their record (choose “Information not yet obtained” if it is not known yet)',
    );
  return includes(CENSUS_ETHNICITY_CODES, ethnicityCode)
    ? null
    : error(
        '4220',
        field,
        `The child’s ethnicity (${ethnicityCode}) is not a census code: choose one from the list on their record`,
      );
}

/**
 * 8540: a born child (date of birth recorded) referred for further action has at least one disability recorded
 * (“No disability” counts), and every code recorded is a census code.
 */
export function rule8540(
  dateOfBirth: string | null,
  referralNfa: boolean,
  disabilities: readonly string[],
  field = 'disabilities',
): Result {
  const bad = disabilities.filter((d) => !includes(CENSUS_DISABILITY_CODES, d));
  if (bad.length)
    return error(
      '8540',
      field,
      `The child’s disabilities include codes not on the census list (${bad.join(', ')})`,
    );
  if (dateOfBirth && !referralNfa && disabilities.length === 0)
    return error('8540', field, 'Record the child’s disabilities on their record, or “No disability”');
  return null;
}

/** 8525Q: the child has a date of birth or an expected date of birth, not both (and not neither). */
export function rule8525Q(
  dateOfBirth: string | null,
  expectedDateOfBirth: string | null,
  field = 'dateOfBirth',
): Result {
  if (dateOfBirth && expectedDateOfBirth)
    return query(
      '8525Q',
      field,
      'The child’s record has both a date of birth and an expected date of birth: the census expects one',
    );
  if (!dateOfBirth && !expectedDateOfBirth)
    return query(
      '8525Q',
      field,
      'The child’s record has neither a date of birth nor an expected date of birth',
    );
  return null;
}

/** 8535Q: the child’s date of death is not before their date of birth. */
export function rule8535Q(
  dateOfBirth: string | null,
  dateOfDeath: string | null,
  field = 'dateOfDeath',
): Result {
  return dateOfBirth && dateOfDeath && dateOfDeath < dateOfBirth
    ? query('8535Q', field, `The child’s date of death is before their date of birth (${fmt(dateOfBirth)})`)
    : null;
}

/**
 * 8545Q: the child's date of death falls inside the year of the return. At referral, a date of death before this
 * census year (1 April) is queried: the child would not be in this year's return as a death.
 */
export function rule8545Q(dateOfDeath: string | null, today: string, field = 'dateOfDeath'): Result {
  return dateOfDeath && dateOfDeath < collectionYearStart(today)
    ? query(
        '8545Q',
        field,
        `The child’s date of death (${fmt(dateOfDeath)}) is before this census year: check it`,
      )
    : null;
}

/** The first day of the CIN census collection year (1 April) that `today` falls in. */
export function collectionYearStart(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '04-01' ? `${year}-04-01` : `${year - 1}-04-01`;
}

/**
 * The census-year rules (8620 closure, 8696 assessment authorisation, 8736 assessment start, 8740 section 47 start,
 * 8715 initial conference, 4013 CIN plan end, 8930 child protection plan end) at the point of entry. The DfE checks that these dates fall inside the
 * year of the return; a date recorded now that falls before 1 April of the current collection year belongs to a
 * return already made or being made. That is legitimate while last year's return is open (work recorded late), so
 * it is a query the worker confirms with a reason, kept for the return, rather than an error.
 */
export function censusYearQuery(
  rule: string,
  date: string,
  today: string,
  what: string,
  field: string,
): Result {
  const start = collectionYearStart(today);
  return date < start
    ? {
        rule,
        kind: 'query',
        field,
        message: `The ${what} (${fmt(date)}) is before ${fmt(start)}, the start of this census year, so it belongs to an earlier return: check the date (query ${rule})`,
      }
    : null;
}

/**
 * 8772: the reason the UPN is not known is UN7 (referral with no further action) only while every CIN details the
 * census returns for the child is a referral with no further action. `episodes`: the referral being recorded and
 * the child's other episodes in the return.
 */
export function rule8772(
  upnUnknownReason: string | null | undefined,
  episodes: readonly { referralNfa: boolean }[],
  field = 'upnUnknownReason',
): Result {
  return upnUnknownReason === 'UN7' && episodes.some((e) => !e.referralNfa)
    ? error(
        '8772',
        field,
        'The reason the child’s UPN is not known is “Referral with no further action” (UN7), but a referral for the child goes on to further action: record the UPN, or another reason it is not known',
      )
    : null;
}

/**
 * The reference date (31 March) of the census return that `today` falls in: the end of the current collection year.
 */
export function collectionYearEnd(today: string): string {
  return `${Number(collectionYearStart(today).slice(0, 4)) + 1}-03-31`;
}

/** The UPN unknown reasons that explain a missing UPN for a child of school age: any but UN1 (“not of school age”). */
const SCHOOL_AGE_UPN_REASONS = ['UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'];

/**
 * 8770Q: a child of school age referred for further action has a UPN, or a reason it is not known other than UN1
 * (“not of school age”). As the DfE validator reads it, a child is of school age for the return whose reference date
 * is 31 March of year Y when born on or before 31 August of Y − 4 (reception in the September after the return). At the
 * point of entry the return is the one `today` falls in. An unborn child (no date of birth) is not of school age.
 */
export function rule8770Q(
  child: { dateOfBirth: string | null; upn: string | null; upnUnknownReason: string | null },
  referralNfa: boolean,
  today: string,
  field = 'upn',
): Result {
  if (referralNfa || !child.dateOfBirth || child.upn) return null;
  const schoolAgeBornBy = `${Number(collectionYearEnd(today).slice(0, 4)) - 4}-08-31`;
  if (child.dateOfBirth > schoolAgeBornBy) return null;
  if (child.upnUnknownReason && SCHOOL_AGE_UPN_REASONS.includes(child.upnUnknownReason.toUpperCase()))
    return null;
  return query(
    '8770Q',
    field,
    child.upnUnknownReason === 'UN1'
      ? 'The child is of school age, but their record says the UPN is not known because they are not of school age (UN1): record the UPN, or the right reason it is not known'
      : 'The child is of school age but their record has no UPN and no reason it is not known: record the UPN, or why it is not known (for example “newly referred, UPN not yet known”)',
  );
}

/**
 * 8569Q: a referral made before the day before this census year started (1 April, less one working day) should not
 * be marked “no further action”: a referral that was open across the year end went on to something. `dayBeforeYear`
 * is the working day before 1 April, from the authority's calendar.
 */
export function rule8569Q(
  referralDate: string,
  referralNfa: boolean,
  dayBeforeYear: string,
  field = 'referralNfa',
): Result {
  return referralNfa && referralDate < dayBeforeYear
    ? query(
        '8569Q',
        field,
        `The referral was made on ${fmt(referralDate)}, before this census year, so it would not usually be “no further action”: check it`,
      )
    : null;
}

/** 8600: the referral date is on or before the census reference date; at entry, not after today. */
export function rule8600(referralDate: string, today: string, field = 'referralDate'): Result {
  return referralDate > today ? error('8600', field, 'The referral date must be today or in the past') : null;
}

/**
 * 8775Q: a child over 25 at the reference date of the return, whose episode runs past their 25th birthday, is
 * queried: usually a mistyped date of birth. At referral the episode is open, so it is the age at the return
 * `today` falls in.
 */
export function rule8775Q(dateOfBirth: string | null, today: string, field = 'dateOfBirth'): Result {
  if (!dateOfBirth) return null;
  const end = collectionYearEnd(today);
  return dateOfBirth < `${Number(end.slice(0, 4)) - 25}${end.slice(4)}`
    ? query('8775Q', field, `The child’s date of birth (${fmt(dateOfBirth)}) makes them over 25: check it`)
    : null;
}

/** 4010: a child in need plan cannot start after the census reference date; at entry, after today. */
export function rule4010(startDate: string, today: string, field = 'startDate'): Result {
  return startDate > today
    ? error('4010', field, 'The child in need plan’s start date must be today or in the past')
    : null;
}

/** 8720: a child protection plan cannot start after the census reference date; at entry, after today. */
export function rule8720(startDate: string, today: string, field = 'startDate'): Result {
  return startDate > today
    ? error('8720', field, 'The child protection plan’s start date must be today or in the past')
    : null;
}

/** Every child-level rule for a child being referred (`referralNfa` for the referral being opened). */
export function childRules(child: CensusChild, referralNfa: boolean): Result[] {
  return [
    rule4180(child.sex),
    rule8750(child.dateOfBirth, child.expectedDateOfBirth, child.sex),
    rule4220(child.ethnicityCode),
    rule8540(child.dateOfBirth, referralNfa, child.disabilities),
    rule8525Q(child.dateOfBirth, child.expectedDateOfBirth),
    rule8535Q(child.dateOfBirth, child.dateOfDeath),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The episode (CINdetails)

/**
 * 8820: a child’s episodes do not overlap: a referral date cannot fall on or after another episode’s referral and
 * before its closure, or at all while another episode that went on to further action is still open. (One episode
 * may close on the day the next is referred.)
 */
export function rule8820(
  referralDate: string,
  others: { reference: string; referralDate: string; closureDate: string | null; referralNfa: boolean }[],
  field = 'referralDate',
): Result {
  const clash = others.find(
    (o) => referralDate >= o.referralDate && (o.closureDate ? referralDate < o.closureDate : !o.referralNfa),
  );
  return clash
    ? error(
        '8820',
        field,
        `The referral date falls inside episode ${clash.reference} (referred ${fmt(clash.referralDate)}${clash.closureDate ? `, closed ${fmt(clash.closureDate)}` : ', still open'})`,
      )
    : null;
}

/** 8866: the source of the referral must be a code from the census list. */
export function rule8866(source: string | null | undefined, field = 'referralSource'): Result {
  return inSet(REFERRAL_SOURCES, source)
    ? null
    : error('8866', field, 'Select the source of the referral from the census list');
}

/** 8650: a primary need code, when given, must be from the census list. */
export function rule8650(code: string | null | undefined, field = 'primaryNeedCode'): Result {
  if (!code) return null;
  return inSet(PRIMARY_NEED_CODES, code)
    ? null
    : error('8650', field, 'Select a primary need code from the census list');
}

/** 8610: a referral that goes on to further action needs a primary need code. */
export function rule8610(
  referralNfa: boolean,
  code: string | null | undefined,
  field = 'primaryNeedCode',
): Result {
  return !referralNfa && !code
    ? error('8610', field, 'Record the child’s primary need: this referral led to further action')
    : null;
}

/** 8606: the referral cannot be more than 40 weeks (280 days) before the child’s (expected) date of birth. */
export function rule8606(
  referralDate: string,
  dateOfBirth: string | null,
  expectedDateOfBirth: string | null,
  field = 'referralDate',
): Result {
  const birth = dateOfBirth ?? expectedDateOfBirth;
  if (!birth) return null;
  return referralDate < addCalendarDays(birth, -280)
    ? error(
        '8606',
        field,
        'The referral date is more than 40 weeks before the child’s date of birth or expected date of birth',
      )
    : null;
}

/** 8555Q: a child should not be referred after their recorded date of death. */
export function rule8555Q(referralDate: string, dateOfDeath: string | null, field = 'referralDate'): Result {
  return dateOfDeath && referralDate > dateOfDeath
    ? query(
        '8555Q',
        field,
        `The referral date is after the child’s recorded date of death (${fmt(dateOfDeath)})`,
      )
    : null;
}

/** 8831: nothing (assessment, section 47 enquiry, conference) is recorded on a referral marked “no further action”. */
export function rule8831(referralNfa: boolean, what: string, field = 'form'): Result {
  return referralNfa
    ? error('8831', field, `This referral is marked “no further action”, so no ${what} can be recorded on it`)
    : null;
}

/** 8832: no child protection plan on a referral marked “no further action”. */
export function rule8832(referralNfa: boolean, field = 'startDate'): Result {
  return referralNfa
    ? error(
        '8832',
        field,
        'This referral is marked “no further action”, so it cannot have a child protection plan',
      )
    : null;
}

/** 4000: no child in need plan on a referral marked “no further action”. */
export function rule4000(referralNfa: boolean, field = 'startDate'): Result {
  return referralNfa
    ? error(
        '4000',
        field,
        'This referral is marked “no further action”, so it cannot have a child in need plan',
      )
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Assessments

/** 1103: the assessment cannot start before the referral. */
export function rule1103(startDate: string, referralDate: string, field = 'startDate'): Result {
  return startDate < referralDate
    ? error('1103', field, `The assessment cannot start before the referral date (${fmt(referralDate)})`)
    : null;
}

/** 8608: the assessment cannot be authorised before it started. */
export function rule8608(startDate: string, authorisedOn: string | null, field = 'authorisedOn'): Result {
  return authorisedOn && authorisedOn < startDate
    ? error('8608', field, `The assessment cannot be authorised before it started (${fmt(startDate)})`)
    : null;
}

/** 8896: one open (unauthorised) assessment per episode at a time. */
export function rule8896(otherOpenAssessments: number, field = 'startDate'): Result {
  return otherOpenAssessments > 0
    ? error(
        '8896',
        field,
        'There is already an assessment in progress on this episode: complete it before starting another',
      )
    : null;
}

/** 8863Q: an assessment should not start on or between the start and authorisation of another one. */
export function rule8863Q(startDate: string, others: Period[], field = 'startDate'): Result {
  const inside = others.find((o) => startDate >= o.start && (o.end === null || startDate <= o.end));
  return inside
    ? query(
        '8863Q',
        field,
        `This assessment starts while another assessment (started ${fmt(inside.start)}) was ongoing`,
      )
    : null;
}

/** 8614: factors identified at assessment are recorded only for a completed (authorised) assessment. */
export function rule8614(factors: readonly string[], authorisedOn: string | null, field = 'factors'): Result {
  return factors.length > 0 && !authorisedOn
    ? error(
        '8614',
        field,
        'Factors identified at assessment are recorded only when the assessment is authorised',
      )
    : null;
}

/**
 * The factors must be codes from the census list (N00181). Not a numbered error rule of its own (8897Q, a query,
 * asks for a valid factor on a completed assessment): an unknown code is refused outright, as a code-set check.
 */
export function factorCodesValid(factors: readonly string[], field = 'factors'): Result {
  const bad = factors.filter((f) => !inSet(ASSESSMENT_FACTORS, f));
  return bad.length
    ? {
        rule: '',
        kind: 'error',
        field,
        message: `Select factors from the census list (not ${bad.join(', ')})`,
      }
    : null;
}

/** 8869: “21 No factors identified” cannot be combined with any other factor. */
export function rule8869(factors: readonly string[], field = 'factors'): Result {
  return factors.includes('21') && factors.length > 1
    ? error('8869', field, '“No factors identified” (21) cannot be selected with any other factor')
    : null;
}

/** 8898: no factor more than once on an assessment. */
export function rule8898(factors: readonly string[], field = 'factors'): Result {
  const dup = factors.find((f, i) => factors.indexOf(f) !== i);
  return dup ? error('8898', field, `Factor ${dup} is recorded more than once`) : null;
}

/** 8897Q: a completed assessment should have at least one factor (21 when there are none). */
export function rule8897Q(factors: readonly string[], field = 'factors'): Result {
  return factors.length === 0
    ? query(
        '8897Q',
        field,
        'No factors are recorded for a completed assessment: select “No factors identified” (21) if there were none',
      )
    : null;
}

/** 8945Q: 18A is discouraged; use 18B (child on child) or 18C (adult on child). */
export function rule8945Q(factors: readonly string[], field = 'factors'): Result {
  return factors.includes('18A')
    ? query(
        '8945Q',
        field,
        'Factor 18A should not be used: choose 18B (physical abuse, child on child) or 18C (adult on child)',
      )
    : null;
}

/** 8950Q: 19A is discouraged; use 19B (child on child) or 19C (adult on child). */
export function rule8950Q(factors: readonly string[], field = 'factors'): Result {
  return factors.includes('19A')
    ? query(
        '8950Q',
        field,
        'Factor 19A should not be used: choose 19B (sexual abuse, child on child) or 19C (adult on child)',
      )
    : null;
}

/** 8873Q: with one assessment on the episode and “21 No factors identified”, the closure reason should be RC8 or RC9. */
export function rule8873Q(
  reason: string,
  assessments: { factors: readonly string[] }[],
  field = 'reason',
): Result {
  if (assessments.length !== 1 || !assessments[0]!.factors.includes('21')) return null;
  return reason === 'RC8' || reason === 'RC9'
    ? null
    : query(
        '8873Q',
        field,
        'The only assessment found no factors (21): the closure reason would usually be RC8 or RC9',
      );
}

// ---------------------------------------------------------------------------------------------------------------
// Section 47 enquiries and initial child protection conferences

/** 2889: a section 47 enquiry cannot start before the referral. */
export function rule2889(startDate: string, referralDate: string, field = 'startDate'): Result {
  return startDate < referralDate
    ? error(
        '2889',
        field,
        `The section 47 enquiry cannot start before the referral date (${fmt(referralDate)})`,
      )
    : null;
}

/** 8615: the section 47 enquiry must start on or before its initial conference. */
export function rule8615(s47StartDate: string, icpcDate: string, field = 'heldOn'): Result {
  return icpcDate < s47StartDate
    ? error(
        '8615',
        field,
        `The conference cannot be before the section 47 enquiry started (${fmt(s47StartDate)})`,
      )
    : null;
}

/** 8839: one open section 47 enquiry per episode. */
export function rule8839(otherOpenEnquiries: number, field = 'startDate'): Result {
  return otherOpenEnquiries > 0
    ? error(
        '8839',
        field,
        'There is already an open section 47 enquiry on this episode: record its outcome first',
      )
    : null;
}

/**
 * 8890: a section 47 enquiry cannot start on or between the start and the conference of another one (or after the
 * start of one still open that has not been marked “conference not required”).
 */
export function rule8890(
  startDate: string,
  others: { start: string; icpcDate: string | null; icpcNotRequired: boolean }[],
  field = 'startDate',
): Result {
  const clash = others.find((o) =>
    o.icpcDate ? startDate >= o.start && startDate <= o.icpcDate : !o.icpcNotRequired && startDate >= o.start,
  );
  return clash
    ? error(
        '8890',
        field,
        `This enquiry would start while another section 47 enquiry (started ${fmt(clash.start)}) was ongoing`,
      )
    : null;
}

/** 2991Q: a section 47 enquiry on an episode with no assessment. */
export function rule2991Q(assessmentCount: number, field = 'startDate'): Result {
  return assessmentCount === 0
    ? query(
        '2991Q',
        field,
        'There is no assessment on this episode: a section 47 enquiry is usually carried out with a child and family assessment',
      )
    : null;
}

/** 1104: the initial conference cannot be before the referral. */
export function rule1104(icpcDate: string, referralDate: string, field = 'heldOn'): Result {
  return icpcDate < referralDate
    ? error('1104', field, `The conference cannot be before the referral date (${fmt(referralDate)})`)
    : null;
}

/** 8875: the initial conference cannot be held at a weekend. */
export function rule8875(icpcDate: string, field = 'heldOn'): Result {
  return isWeekend(icpcDate)
    ? error('8875', field, 'The initial child protection conference cannot be on a Saturday or Sunday')
    : null;
}

/** 8870Q: the target date for the initial conference should not be a weekend. */
export function rule8870Q(targetDate: string | null, field = 'targetDate'): Result {
  return targetDate && isWeekend(targetDate)
    ? query('8870Q', field, 'The target date for the initial conference falls on a Saturday or Sunday')
    : null;
}

/**
 * 2884: an initial conference is recorded in one place only: on the section 47 enquiry when there is one, otherwise
 * (a conference with no enquiry, e.g. on transfer in) once on the episode itself.
 */
export function rule2884(
  input: {
    linkedToEnquiry: boolean;
    episodeHasEnquiry: boolean;
    episodeLevelConferences: number;
    enquiryAlreadyHasConference?: boolean;
  },
  field = 'section47Id',
): Result {
  if (input.linkedToEnquiry) {
    if (input.enquiryAlreadyHasConference)
      return error('2884', field, 'This section 47 enquiry already has its initial conference');
    return input.episodeLevelConferences > 0
      ? error(
          '2884',
          field,
          'An initial conference is already recorded on this episode without an enquiry: it can only be recorded in one place',
        )
      : null;
  }
  if (input.episodeHasEnquiry)
    return error(
      '2884',
      field,
      'This episode has a section 47 enquiry: record the conference against the enquiry',
    );
  return input.episodeLevelConferences > 0
    ? error('2884', field, 'This episode already has an initial conference')
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Child protection plans

/** 1105: a child protection plan cannot start before the referral. */
export function rule1105(startDate: string, referralDate: string, field = 'startDate'): Result {
  return startDate < referralDate
    ? error('1105', field, `The plan cannot start before the referral date (${fmt(referralDate)})`)
    : null;
}

/** 2885: a child protection plan starts on the day of an initial child protection conference. */
export function rule2885(startDate: string, icpcDates: readonly string[], field = 'startDate'): Result {
  if (icpcDates.includes(startDate)) return null;
  const held = icpcDates.length
    ? ` (conferences held: ${icpcDates.map(fmt).join(', ')})`
    : ' (no initial conference is recorded on this episode)';
  return error(
    '2885',
    field,
    `A child protection plan starts on the date of the initial child protection conference${held}`,
  );
}

/** 8905: the initial category of abuse must be a census code. */
export function rule8905(code: string | null | undefined, field = 'initialCategory'): Result {
  return inSet(ABUSE_CATEGORIES, code)
    ? null
    : error('8905', field, 'Select the initial category of abuse from the census list');
}

/**
 * Our practice rule beside 8905: the plan's initial category of abuse (N00113) is the category the initial
 * conference decided on. Not a numbered DfE rule, so it is named in words.
 */
export function initialCategoryAsConference(
  code: string | null | undefined,
  conference: { heldOn: string; category: string | null } | null,
  field = 'initialCategory',
): Result {
  if (!conference?.category || !code || code === conference.category) return null;
  const label = (c: string) =>
    `${ABUSE_CATEGORIES.find((x) => x.code === c)?.label.toLowerCase() ?? c} (${c})`;
  return {
    rule: '',
    kind: 'error',
    field,
    message: `The initial category of abuse must be the one recorded at the initial conference on ${fmt(conference.heldOn)}: ${label(conference.category)}, not ${label(code)} (rule: the plan’s initial category is the conference’s)`,
  };
}

/** 8910: the latest category of abuse must be a census code. */
export function rule8910(code: string | null | undefined, field = 'latestCategory'): Result {
  return inSet(ABUSE_CATEGORIES, code)
    ? null
    : error('8910', field, 'Select the latest category of abuse from the census list');
}

/** 8730: the number of previous child protection plans must be present and zero or more. */
export function rule8730(previousPlans: number | null | undefined, field = 'startDate'): Result {
  return typeof previousPlans === 'number' && Number.isInteger(previousPlans) && previousPlans >= 0
    ? null
    : error('8730', field, 'The number of previous child protection plans is missing');
}

/** 8935: one open child protection plan per child. */
export function rule8935(otherOpenPlans: number, field = 'startDate'): Result {
  return otherOpenPlans > 0
    ? error('8935', field, 'The child already has an open child protection plan')
    : null;
}

/** 8940: child protection plans do not overlap: a start cannot fall within another plan. */
export function rule8940(startDate: string, others: Period[], field = 'startDate'): Result {
  const clash = others.find((o) => startDate >= o.start && (o.end === null || startDate < o.end));
  return clash
    ? error(
        '8940',
        field,
        `This plan would overlap the child protection plan that started ${fmt(clash.start)}`,
      )
    : null;
}

/** 8840: a child protection plan cannot start and end on the same day. */
export function rule8840(startDate: string, endDate: string | null, field = 'endDate'): Result {
  return endDate && endDate === startDate
    ? error('8840', field, 'A child protection plan cannot start and end on the same day')
    : null;
}

/** 8925: a child protection plan cannot end before it started. */
export function rule8925(startDate: string, endDate: string | null, field = 'endDate'): Result {
  return endDate && endDate < startDate
    ? error('8925', field, `The plan cannot end before it started (${fmt(startDate)})`)
    : null;
}

/** 8841: a review conference is after the start of the plan (not the same day). */
export function rule8841(reviewDate: string, planStartDate: string, field = 'heldOn'): Result {
  return reviewDate <= planStartDate
    ? error('8841', field, `A review conference must be after the plan started (${fmt(planStartDate)})`)
    : null;
}

/** 4003: no review conference while a child in need plan is open (unless it is the day the plan ends). */
export function rule4003(
  reviewDate: string,
  cinPlans: Period[],
  cpPlanEnd: string | null,
  field = 'heldOn',
): Result {
  if (cpPlanEnd && reviewDate === cpPlanEnd) return null;
  const clash = cinPlans.find((p) => reviewDate >= p.start && (p.end === null || reviewDate <= p.end));
  return clash
    ? error('4003', field, `A child in need plan (from ${fmt(clash.start)}) is open on that date`)
    : null;
}

/** 8915: a child protection plan cannot start after the child’s date of death. */
export function rule8915(startDate: string, dateOfDeath: string | null, field = 'startDate'): Result {
  return dateOfDeath && startDate > dateOfDeath
    ? error('8915', field, 'The plan cannot start after the child’s date of death')
    : null;
}

/** 8920: a child protection plan cannot end after the child’s date of death. */
export function rule8920(endDate: string | null, dateOfDeath: string | null, field = 'endDate'): Result {
  return endDate && dateOfDeath && endDate > dateOfDeath
    ? error('8920', field, 'The plan cannot end after the child’s date of death')
    : null;
}

/** 4017: a child protection plan cannot start while a child in need plan is open (it may start the day one ends). */
export function rule4017(cpStartDate: string, cinPlans: Period[], field = 'startDate'): Result {
  const clash = cinPlans.find((p) => cpStartDate >= p.start && (p.end === null || cpStartDate < p.end));
  return clash
    ? error('4017', field, `A child in need plan (from ${fmt(clash.start)}) is open on that date`)
    : null;
}

/** 4001: a child in need plan and a child protection plan are never open together. */
export function rule4001(openCinPlan: boolean, openCpPlan: boolean, field = 'startDate'): Result {
  return openCinPlan && openCpPlan
    ? error('4001', field, 'A child in need plan cannot be open at the same time as a child protection plan')
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Child in need plans

/** 4004: one open child in need plan at a time. */
export function rule4004(otherOpenPlans: number, field = 'startDate'): Result {
  return otherOpenPlans > 0 ? error('4004', field, 'The child already has an open child in need plan') : null;
}

/** 4011: a child in need plan cannot end before it started. */
export function rule4011(startDate: string, endDate: string | null, field = 'endDate'): Result {
  return endDate && endDate < startDate
    ? error('4011', field, `The plan cannot end before it started (${fmt(startDate)})`)
    : null;
}

/** 4012Q: a child in need plan should not start and end on the same day. */
export function rule4012Q(startDate: string, endDate: string | null, field = 'endDate'): Result {
  return endDate && endDate === startDate
    ? query('4012Q', field, 'The child in need plan starts and ends on the same day')
    : null;
}

/** 4014: child in need plans do not overlap. */
export function rule4014(startDate: string, others: Period[], field = 'startDate'): Result {
  const clash = others.find((o) => startDate >= o.start && (o.end === null || startDate <= o.end));
  return clash
    ? error('4014', field, `This plan would overlap the child in need plan that started ${fmt(clash.start)}`)
    : null;
}

/** 4015: a child in need plan cannot start before the referral. */
export function rule4015(startDate: string, referralDate: string, field = 'startDate'): Result {
  return startDate < referralDate
    ? error('4015', field, `The plan cannot start before the referral date (${fmt(referralDate)})`)
    : null;
}

/** 4016: a child in need plan cannot start while a child protection plan is open (it may start the day one ends). */
export function rule4016(cinStartDate: string, cpPlans: Period[], field = 'startDate'): Result {
  const clash = cpPlans.find((p) => cinStartDate >= p.start && (p.end === null || cinStartDate < p.end));
  return clash
    ? error('4016', field, `A child protection plan (from ${fmt(clash.start)}) is open on that date`)
    : null;
}

/** 4008: a child in need plan cannot start after the child’s date of death. */
export function rule4008(startDate: string, dateOfDeath: string | null, field = 'startDate'): Result {
  return dateOfDeath && startDate > dateOfDeath
    ? error('4008', field, 'The plan cannot start after the child’s date of death')
    : null;
}

/** 4009Q: a child in need plan should not end after the child’s date of death. */
export function rule4009Q(endDate: string | null, dateOfDeath: string | null, field = 'endDate'): Result {
  return endDate && dateOfDeath && endDate > dateOfDeath
    ? query('4009Q', field, 'The plan ends after the child’s date of death')
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Closure

/** 8805: a closure date needs a reason for closure. */
export function rule8805(closureDate: string | null, reason: string | null, field = 'reason'): Result {
  return closureDate && !reason ? error('8805', field, 'Select the reason for closure') : null;
}

/** 8810: a reason for closure needs a closure date. */
export function rule8810(reason: string | null, closureDate: string | null, field = 'closureDate'): Result {
  return reason && !closureDate ? error('8810', field, 'Enter the closure date') : null;
}

/** 8640: the reason for closure must be a census code (RC1–RC9). */
export function rule8640(reason: string | null | undefined, field = 'reason'): Result {
  if (!reason) return null;
  return inSet(CIN_CLOSURE_REASONS, reason)
    ? null
    : error('8640', field, 'Select a reason for closure from the census list (RC1 to RC9)');
}

/** 8630: the episode cannot close before the referral. */
export function rule8630(closureDate: string, referralDate: string, field = 'closureDate'): Result {
  return closureDate < referralDate
    ? error('8630', field, `The closure date cannot be before the referral date (${fmt(referralDate)})`)
    : null;
}

/** 8867: every assessment on a closed episode is completed (authorised). */
export function rule8867(assessments: { authorisedOn: string | null }[], field = 'closureDate'): Result {
  return assessments.some((a) => !a.authorisedOn)
    ? error('8867', field, 'An assessment on this episode is not authorised: complete it before closing')
    : null;
}

/** 8868: every section 47 enquiry on a closed episode has its conference or is marked “conference not required”. */
export function rule8868(
  enquiries: { icpcDate: string | null; icpcNotRequired: boolean }[],
  field = 'closureDate',
): Result {
  return enquiries.some((e) => !e.icpcDate && !e.icpcNotRequired)
    ? error(
        '8868',
        field,
        'A section 47 enquiry on this episode is still open: record its outcome before closing',
      )
    : null;
}

/** 8825Q: RC8 and RC9 mean “closed after assessment”, so the episode should have an assessment. */
export function rule8825Q(reason: string, assessmentCount: number, field = 'reason'): Result {
  return (reason === 'RC8' || reason === 'RC9') && assessmentCount === 0
    ? query(
        '8825Q',
        field,
        `${reason} means the case closed after an assessment, but there is no assessment on this episode`,
      )
    : null;
}

/** 8565: nothing on the episode happens after its closure date. */
export function rule8565(
  closureDate: string,
  activity: { label: string; date: string | null }[],
  field = 'closureDate',
): Result {
  const after = activity
    .filter((a) => a.date && a.date > closureDate)
    .sort((a, b) => (a.date! < b.date! ? 1 : -1))[0];
  return after
    ? error('8565', field, `The closure date cannot be before the ${after.label} (${fmt(after.date!)})`)
    : null;
}

/** 8585Q: RC2 (died) needs the child’s date of death on their record. */
export function rule8585Q(reason: string, dateOfDeath: string | null, field = 'reason'): Result {
  return reason === 'RC2' && !dateOfDeath
    ? query('8585Q', field, 'RC2 (died) is chosen but the child’s record has no date of death')
    : null;
}

/** 2990: an episode closed as RC8 or RC9 (after assessment) cannot have an enquiry, a conference or a plan. */
export function rule2990(
  reason: string,
  activity: { section47: boolean; conference: boolean; cpPlan: boolean; cinPlan: boolean },
  field = 'reason',
): Result {
  if (reason !== 'RC8' && reason !== 'RC9') return null;
  const found = [
    activity.section47 && 'a section 47 enquiry',
    activity.conference && 'an initial conference',
    activity.cpPlan && 'a child protection plan',
    activity.cinPlan && 'a child in need plan',
  ].filter((x): x is string => !!x);
  return found.length
    ? error(
        '2990',
        field,
        `${reason} means the case closed after the assessment, but this episode has ${found.join(' and ')}: choose another reason (usually RC7)`,
      )
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules read on the return as a whole (the returns module's census validator), against the return's census period
// and reference date rather than today. They live here, beside the point-of-entry rules, so that every rule has one
// implementation; the whole-return validator calls these and the point-of-entry functions above alike.

/** The census period of a return: 1 April to the reference date (31 March). */
export interface CensusPeriod {
  start: string;
  referenceDate: string;
}

/**
 * The census-year rules on the return (8620 closure, 8696 assessment authorisation, 8736 open assessment start,
 * 8740 open section 47 start, 8715 initial conference, 4013 CIN plan end, 8930 CP plan end): the date falls inside
 * the census period. At the point of entry the same rules are asked as queries (censusYearQuery).
 */
export function inCensusPeriod(
  rule: string,
  date: string,
  period: CensusPeriod,
  what: string,
  field: string,
): Result {
  return date < period.start || date > period.referenceDate
    ? error(
        rule,
        field,
        `The ${what} (${fmt(date)}) is outside the census year (${fmt(period.start)} to ${fmt(period.referenceDate)})`,
      )
    : null;
}

/** 8500: the LA child ID is present. */
export function rule8500(laChildId: string | null, field = 'laChildId'): Result {
  return laChildId ? null : error('8500', field, 'The child has no LA child ID');
}

/** 8520: the date of birth is on or before the reference date. */
export function rule8520(dateOfBirth: string | null, referenceDate: string, field = 'dateOfBirth'): Result {
  return dateOfBirth && dateOfBirth > referenceDate
    ? error('8520', field, `The date of birth (${fmt(dateOfBirth)}) is after the census reference date`)
    : null;
}

/** 8530Q: an expected date of birth falls between 30 days before and 9 months after the reference date. */
export function rule8530Q(
  expectedDateOfBirth: string | null,
  referenceDate: string,
  field = 'expectedDateOfBirth',
): Result {
  if (!expectedDateOfBirth) return null;
  const [y, m] = referenceDate.split('-').map(Number);
  const latestMonth = m! + 9;
  const latest = `${y! + Math.floor((latestMonth - 1) / 12)}-${String(((latestMonth - 1) % 12) + 1).padStart(2, '0')}${referenceDate.slice(7)}`;
  return expectedDateOfBirth < addCalendarDays(referenceDate, -30) || expectedDateOfBirth > latest
    ? query(
        '8530Q',
        field,
        `The expected date of birth (${fmt(expectedDateOfBirth)}) is outside March to December of the census year end: check it, or record the date of birth`,
      )
    : null;
}

/** 8794: no disability code is recorded twice for a child. */
export function rule8794(disabilities: readonly string[], field = 'disabilities'): Result {
  const dup = disabilities.find((d, i) => disabilities.indexOf(d) !== i);
  return dup ? error('8794', field, `The disability ${dup} is recorded more than once`) : null;
}

/** 8590: the child has at least one CIN episode in the return. */
export function rule8590(episodeCount: number, field = 'episodes'): Result {
  return episodeCount > 0 ? null : error('8590', field, 'The child has no CIN episode in the return');
}

/** 8568: the referral's “no further action” flag is present (a yes or no). */
export function rule8568(referralNfa: boolean | null | undefined, field = 'referralNfa'): Result {
  return typeof referralNfa === 'boolean'
    ? null
    : error('8568', field, 'Record whether the referral was “no further action”');
}

/** 8815: at most one episode is open (no closure date) and not a referral with no further action. */
export function rule8815(
  episodes: readonly { closureDate: string | null; referralNfa: boolean }[],
  field = 'closureDate',
): Result {
  return episodes.filter((e) => !e.closureDate && !e.referralNfa).length > 1
    ? error(
        '8815',
        field,
        'The child has more than one open episode that went on to further action: close the earlier one',
      )
    : null;
}

/** 8816: an open episode that went on to further action is the child's latest referral. */
export function rule8816(
  episode: { referralDate: string; closureDate: string | null; referralNfa: boolean },
  allReferralDates: readonly string[],
  field = 'closureDate',
): Result {
  if (episode.closureDate || episode.referralNfa) return null;
  return allReferralDates.some((d) => d > episode.referralDate)
    ? error(
        '8816',
        field,
        'This episode is still open but the child has a later referral: close this episode at or before the later referral',
      )
    : null;
}

/** 8670Q: an assessment still open at the reference date started more than 45 working days before it. */
export function rule8670Q(
  startDate: string,
  authorisedOn: string | null,
  referenceDate: string,
  workingDaysBetween: (start: string, end: string) => number,
  field = 'authorisedOn',
): Result {
  if (authorisedOn || startDate > referenceDate) return null;
  return workingDaysBetween(startDate, referenceDate) - 1 > 45
    ? query(
        '8670Q',
        field,
        `The assessment started on ${fmt(startDate)}, more than 45 working days before the end of the census year, and is not authorised`,
      )
    : null;
}

/**
 * 8675Q: a section 47 enquiry still open at the reference date (no conference, not marked “conference not
 * required”) started more than 15 working days before it.
 */
export function rule8675Q(
  enquiry: { startDate: string; icpcDate: string | null; icpcNotRequired: boolean },
  referenceDate: string,
  workingDaysBetween: (start: string, end: string) => number,
  field = 'heldOn',
): Result {
  if (enquiry.icpcDate || enquiry.icpcNotRequired) return null;
  return workingDaysBetween(enquiry.startDate, referenceDate) - 1 > 15
    ? query(
        '8675Q',
        field,
        `The section 47 enquiry started on ${fmt(enquiry.startDate)}, more than 15 working days before the end of the census year, and has no initial conference`,
      )
    : null;
}

/** 8842Q: every review in a plan's Reviews group has a date. */
export function rule8842Q(reviewDate: string | null | undefined, field = 'heldOn'): Result {
  return reviewDate ? null : query('8842Q', field, 'A review of the child protection plan has no date');
}

// ---------------------------------------------------------------------------------------------------------------
// Module 5 (2026-27): pre-proceedings and family group decision making. The DfE's wording of these draft rules is in
// returns/census-years.ts; their exact logic was not available, so each function implements the plain meaning of
// its wording over the module's items (docs/domain.md says so). The census-year parts (9005, 9006, 9008, 9009,
// 9012, 9013: "within the census year") are asked as queries at entry (censusYearQuery) and checked on the return
// with inCensusPeriod, like the other census-year rules; the functions below are the rest of each rule.

/** 9000Q: a pre-proceedings record with no date pre-proceedings started (for example straight to court). */
export function rule9000Q(ppStartDate: string | null, field = 'startedOn'): Result {
  return ppStartDate
    ? null
    : query(
        '9000Q',
        field,
        'Pre-proceedings were not started (the legal planning meeting did not decide to start them), so the census has no date pre-proceedings started for this record',
      );
}

/** 9006: the letter before proceedings is sent on or after the date pre-proceedings started. */
export function rule9006(lbpSentDate: string, ppStartDate: string | null, field = 'lbpSentOn'): Result {
  return ppStartDate && lbpSentDate < ppStartDate
    ? error(
        '9006',
        field,
        `The letter before proceedings cannot be sent before pre-proceedings started (${fmt(ppStartDate)})`,
      )
    : null;
}

/** 9007: a letter before proceedings was sent, so whether it offered a family group decision making meeting is known. */
export function rule9007(lbpSentDate: string | null, fgdmOffered: boolean | null, field = 'offers'): Result {
  return lbpSentDate && fgdmOffered === null
    ? error(
        '9007',
        field,
        'A letter before proceedings was sent, but whether it offered a family group decision making meeting is not recorded',
      )
    : null;
}

/** 9008 (the order part, Threshold's practice): the first pre-proceedings meeting is not before pre-proceedings started. */
export function initialMeetingAfterStart(
  meetingDate: string,
  ppStartDate: string | null,
  field = 'heldOn',
): Result {
  return ppStartDate && meetingDate < ppStartDate
    ? error(
        '9008',
        field,
        `The first pre-proceedings meeting cannot be before pre-proceedings started (${fmt(ppStartDate)})`,
      )
    : null;
}

/** 9009: the decision to step up or down is on or after the date pre-proceedings started. */
export function rule9009(
  stepDecisionDate: string,
  ppStartDate: string | null,
  field = 'stepDecisionOn',
): Result {
  return ppStartDate && stepDecisionDate < ppStartDate
    ? error(
        '9009',
        field,
        `The decision to step up or down cannot be before pre-proceedings started (${fmt(ppStartDate)})`,
      )
    : null;
}

/** 9010Q: a family group decision making meeting was offered, and whether one was facilitated is not known. */
export function rule9010Q(
  fgdmOffered: boolean | null,
  fgdmFacilitated: boolean | null,
  field = 'fgdm',
): Result {
  return fgdmOffered === true && fgdmFacilitated === null
    ? query(
        '9010Q',
        field,
        'A family group decision making meeting was offered, but no meeting is recorded as held and not every offer was declined',
      )
    : null;
}

/** The pre-proceedings outcome codes (census code set CS131). */
export const PP_OUTCOME_CODES = ['A', 'B', 'C'] as const;

/** 9011: once the decision to step up or down is made, the outcome is recorded and is A, B or C. */
export function rule9011(
  stepDecisionDate: string | null,
  outcome: string | null | undefined,
  field = 'outcome',
): Result {
  if (outcome && !(PP_OUTCOME_CODES as readonly string[]).includes(outcome))
    return error('9011', field, `The outcome of pre-proceedings (${outcome}) is not A, B or C`);
  return stepDecisionDate && !outcome ? error('9011', field, 'Select the outcome of pre-proceedings') : null;
}

/** 9012: the court application is made on or after the decision to step up. */
export function rule9012(
  courtAppDate: string,
  stepDecisionDate: string | null,
  field = 'courtApplicationOn',
): Result {
  return stepDecisionDate && courtAppDate < stepDecisionDate
    ? error(
        '9012',
        field,
        `The court application cannot be before the decision to step up (${fmt(stepDecisionDate)})`,
      )
    : null;
}

/** 9013: the letter initiating care proceedings is dated on or after the court application. */
export function rule9013(
  letterDate: string,
  courtAppDate: string | null,
  field = 'letterInitiatingOn',
): Result {
  return courtAppDate && letterDate < courtAppDate
    ? error(
        '9013',
        field,
        `The letter initiating care proceedings cannot be before the court application (${fmt(courtAppDate)})`,
      )
    : null;
}

/** 9015Q: a first pre-proceedings meeting is recorded, so the number of review meetings is known. */
export function rule9015Q(
  initialMeetingDate: string | null,
  reviewMeetingsCount: number | null,
  field = 'reviewMeetingsCount',
): Result {
  return initialMeetingDate && reviewMeetingsCount === null
    ? query(
        '9015Q',
        field,
        'A first pre-proceedings meeting is recorded, but the number of review meetings is not',
      )
    : null;
}
