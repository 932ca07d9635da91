import { parseIsoDate } from '../../kernel/time/index.ts';

/**
 * Ofsted's Annex A: the child-level lists an authority gives inspectors at the start of an inspection (ILACS).
 * The headers, their order and the value styles ("a) Male", "d) Health services", "Yes") are exactly those of the
 * Annex A schema in test/fixtures/annex-a/Annex_A_schema.yml (a test holds them to it). Lists 1 to 7 are built from
 * what Threshold records; lists 8 to 11 (children in care, care leavers, adoption, adopters) are data Threshold
 * does not hold, so they carry their headers and a note saying so. docs/domain.md ("Ofsted's Annex A") maps every
 * column to its source and lists the columns left blank.
 *
 * Where the schema and DOMAIN-level descriptions differ in style (ethnicity "a) WBRI" in older templates), the
 * schema's `code` is used: ethnicity is reported by its group ("a) White").
 */

export const ANNEX_A_LIST_NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
export type AnnexAListNumber = (typeof ANNEX_A_LIST_NUMBERS)[number];

/** A date cell: a real date in the workbook (shown dd/mm/yyyy), dd/mm/yyyy in a CSV. */
export interface DateCell {
  date: string;
}
export type Cell = string | number | DateCell | null;

export interface AnnexAList {
  number: AnnexAListNumber;
  title: string;
  /** Worksheet name (31 characters at most). */
  sheetName: string;
  /** False for lists 8–11: headers only, with the note. */
  held: boolean;
  headers: readonly string[];
}

const CHILD = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'] as const;
const DISABILITY = 'Does the Child have a Disability';
const ALLOCATED = ['Allocated Team', 'Allocated Worker'] as const;

export const NOT_HELD_NOTE =
  'Threshold does not hold this data: it records no children in care, care leavers or adoption work. Take this list from the system that does.';

export const ANNEX_A_LISTS: readonly AnnexAList[] = [
  {
    number: 1,
    title: 'Contacts',
    sheetName: 'List 1 Contacts',
    held: true,
    headers: [...CHILD, 'Date of Contact', 'Contact Source'],
  },
  {
    number: 2,
    title: 'Early help assessments',
    sheetName: 'List 2 Early help',
    held: true,
    headers: [
      ...CHILD,
      'Assessment start date',
      'Assessment completion date',
      'Organisation completing assessment',
    ],
  },
  {
    number: 3,
    title: 'Referrals',
    sheetName: 'List 3 Referrals',
    held: true,
    headers: [
      ...CHILD,
      'Date of referral',
      'Referral Source',
      'Referral NFA?',
      'Number of Referrals in Last 12 Months',
      ...ALLOCATED,
    ],
  },
  {
    number: 4,
    title: 'Assessments',
    sheetName: 'List 4 Assessments',
    held: true,
    headers: [
      ...CHILD,
      DISABILITY,
      'Continuous Assessment Start Date',
      'Child Seen During Continuous Assessment',
      'Continuous Assessment Date of Authorisation',
      "Was the child assessed as requiring LA children's social care support?",
      ...ALLOCATED,
    ],
  },
  {
    number: 5,
    title: 'Section 47 enquiries and initial child protection conferences',
    sheetName: 'List 5 Section 47 and ICPC',
    held: true,
    headers: [
      ...CHILD,
      DISABILITY,
      'Strategy discussion initiating Section 47 Enquiry Start Date',
      'Was an Initial Child Protection Conference deemed unnecessary?',
      'Date of Initial Child Protection Conference',
      'Did the Initial Child Protection Conference Result in a Child Protection Plan',
      'Number of Section 47 Enquiries in the last 12 months',
      'Number of ICPCs in the last 12 months',
      ...ALLOCATED,
    ],
  },
  {
    number: 6,
    title: 'Children in need',
    sheetName: 'List 6 Children in need',
    held: true,
    headers: [
      ...CHILD,
      DISABILITY,
      'CIN Start Date',
      'Primary Need Code',
      'Date Child Was Last Seen',
      'CIN Closure Date',
      'Reason for Closure',
      'Case Status',
      ...ALLOCATED,
    ],
  },
  {
    number: 7,
    title: 'Child protection',
    sheetName: 'List 7 Child protection',
    held: true,
    headers: [
      ...CHILD,
      DISABILITY,
      'Child Protection Plan Start Date',
      'Initial Category of Abuse',
      'Latest Category of Abuse',
      'Date of the Last Statutory Visit',
      'Was the Child Seen Alone?',
      'Date of latest review conference',
      'Child Protection Plan End Date',
      'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
      'Number of Previous Child Protection Plans',
      ...ALLOCATED,
    ],
  },
  {
    number: 8,
    title: 'Children in care',
    sheetName: 'List 8 Children in care',
    held: false,
    headers: [
      ...CHILD,
      'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)',
      DISABILITY,
      'Date Started to be Looked After',
      "Child's Category of Need",
      'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)',
      'Start date of current legal status',
      "Child's Legal Status",
      'Date of Latest Statutory Review',
      'Date of Last Social Work Visit',
      'What is the permanence plan for this child?',
      'Date of Last IRO Visit / Contact to the Child',
      'Date of Last Health Assessment',
      'Date of Last Dental Check',
      'Number of Placements in the Last 12 months',
      'Date Ceased to be Looked After',
      'Reason Ceased to be Looked After',
      'Start Date of Most Recent Placement',
      'Placement Type',
      'Placement Provider',
      'Placement postcode',
      'URN of Placement',
      'Placement Location',
      'LA of Placement',
      "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
      "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
      'Was the child offered a Return Interview after their last missing episode (Y/N)?',
      'Did the child accept a Return Interview after their last missing episode (Y/N)?',
      ...ALLOCATED,
    ],
  },
  {
    number: 9,
    title: 'Care leavers',
    sheetName: 'List 9 Care leavers',
    held: false,
    headers: [
      ...CHILD,
      'Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)',
      DISABILITY,
      ...ALLOCATED,
      'Allocated Personal Advisor',
      'Eligibility Category',
      'Latest Pathway Plan Review Date',
      'LA in Touch',
      'Latest Date of Contact',
      'Type of Accommodation',
      'Suitability of Accommodation',
      'Activity Status',
    ],
  },
  {
    number: 10,
    title: 'Adoption',
    sheetName: 'List 10 Adoption',
    held: false,
    headers: [
      'Child Unique ID',
      'Family identifier',
      'Gender',
      'Ethnicity',
      'Date of Birth',
      'Age of Child (Years)',
      DISABILITY,
      'Date the Child Entered Care',
      'Date of Decision that Child Should be Placed for Adoption',
      'Date of Placement Order',
      'Date of Matching Child and Prospective Adopters',
      'Date Placed for Adoption',
      'Date of Adoption Order',
      'Date of Decision that Child Should No Longer be Placed for Adoption',
      'Reason Why Child No Longer Placed for Adoption',
      'Date the child was placed for fostering in FFA or concurrent planning placement',
    ],
  },
  {
    number: 11,
    title: 'Adopters',
    sheetName: 'List 11 Adopters',
    held: false,
    headers: [
      'Individual adopter identifier',
      'Family identifier',
      'Gender',
      'Ethnicity',
      'Disability',
      'Is the (prospective) adopter fostering for adoption?',
      'Date enquiry received',
      'Date Stage 1 started',
      'Date Stage 1 ended',
      'Date Stage 2 started',
      'Date Stage 2 ended',
      'Date application submitted',
      'Date application approved',
      'Date adopter matched with child(ren)',
      'Date child/children placed with adopter(s)',
      'No. of children placed',
      'Date of Adoption Order',
      'Date of leaving adoption process',
      'Reason for leaving adoption process',
    ],
  },
];

export function annexAList(n: AnnexAListNumber): AnnexAList {
  return ANNEX_A_LISTS.find((l) => l.number === n)!;
}

// Value styles -------------------------------------------------------------------------------------------------------

/** Census sex (M, F, U) → Annex A gender. An unborn child (U) is "not stated/recorded". */
export function gender(sex: string | null): string {
  if (sex === 'M') return 'a) Male';
  if (sex === 'F') return 'b) Female';
  return 'c) Not stated/recorded';
}

const ETHNIC_GROUPS: Record<string, string> = {
  WBRI: 'a) White',
  WIRI: 'a) White',
  WIRT: 'a) White',
  WOTH: 'a) White',
  WROM: 'a) White',
  MWBC: 'b) Mixed',
  MWBA: 'b) Mixed',
  MWAS: 'b) Mixed',
  MOTH: 'b) Mixed',
  AIND: 'c) Asian or Asian British',
  APKN: 'c) Asian or Asian British',
  ABAN: 'c) Asian or Asian British',
  AOTH: 'c) Asian or Asian British',
  BCRB: 'd) Black or black British',
  BAFR: 'd) Black or black British',
  BOTH: 'd) Black or black British',
  CHNE: 'e) Other ethnic group',
  OOTH: 'e) Other ethnic group',
  REFU: 'f) Not stated',
  NOBT: 'f) Not stated',
};

/** Census ethnicity (N00177) → its Annex A group, as the schema maps each code. None recorded → "f) Not stated". */
export function ethnicity(code: string | null): string {
  return (code && ETHNIC_GROUPS[code]) || 'f) Not stated';
}

const SOURCES: Record<string, string> = {
  '1A': 'a) Individual',
  '1B': 'a) Individual',
  '1C': 'a) Individual',
  '1D': 'a) Individual',
  '2A': 'b) Schools',
  '2B': 'c) Education services',
  '3A': 'd) Health services',
  '3B': 'd) Health services',
  '3C': 'd) Health services',
  '3D': 'd) Health services',
  '3E': 'd) Health services',
  '3F': 'd) Health services',
  '4': 'e) Housing',
  '5A': 'f) LA services',
  '5B': 'f) LA services',
  '5C': 'f) LA services',
  // 5D (LA services: early help, from 2023-24) is newer than the schema's variants; it is an LA service.
  '5D': 'f) LA services',
  '6': 'g) Police',
  '7': 'h) Other legal agency',
  '8': 'i) Other',
  '9': 'j) Anonymous',
  '10': 'k) Unknown',
};

/** Census referral source (N00152) → Annex A contact or referral source. */
export function source(code: string | null): string {
  return (code && SOURCES[code]) || 'k) Unknown';
}

const NEEDS: Record<string, string> = {
  N1: 'a) Abuse or neglect',
  N2: "b) Child's disability",
  N3: 'c) Parents illness or disability',
  N4: 'd) Family in acute stress',
  N5: 'e) Family dysfunction',
  N6: 'f) Socially unacceptable behaviour',
  N7: 'g) Low income',
  N8: 'h) Absent parenting',
  N9: 'i) Not CIN',
  N0: 'j) Not stated',
};

export function primaryNeed(code: string | null): string {
  return (code && NEEDS[code]) || 'j) Not stated';
}

const CLOSURE_REASONS: Record<string, string> = {
  RC1: 'a) Adopted',
  RC2: 'b) Died',
  RC3: 'c) Residence Order',
  RC4: 'd) Special Guardianship Order',
  RC5: 'e) Transfer to another LA',
  RC6: 'f) Transfer to Adult Social Services',
  RC7: "g) 'Other' incl. Child no longer in need",
  RC8: 'h) Child not in need after assessment',
  // RC9 (closed after assessment, referred to early help) is also "not in need after assessment" in the schema.
  RC9: 'h) Child not in need after assessment',
};

export function closureReason(code: string | null): string | null {
  if (!code) return null;
  return CLOSURE_REASONS[code] ?? 'i) Not Stated';
}

const CATEGORIES: Record<string, string> = {
  NEG: 'a) Neglect',
  PHY: 'b) Physical Abuse',
  SAB: 'c) Sexual Abuse',
  EMO: 'd) Emotional Abuse',
  MUL: 'e) Multiple',
};

export function abuseCategory(code: string): string {
  return CATEGORIES[code] ?? 'e) Multiple';
}

export function yesNo(value: boolean | null | undefined): 'Yes' | 'No' | 'Unknown' {
  return value === true ? 'Yes' : value === false ? 'No' : 'Unknown';
}

/** Census disability codes → "Does the Child have a Disability": NONE is No, any other code Yes, none recorded Unknown. */
export function disability(codes: readonly string[]): 'Yes' | 'No' | 'Unknown' {
  if (!codes.length) return 'Unknown';
  return codes.some((c) => c !== 'NONE') ? 'Yes' : 'No';
}

export type CaseStatus =
  | 'a) Looked after child'
  | 'b) Child Protection plan'
  | 'c) Child in need plan'
  | 'd) Open assessment'
  | 'e) Closed episode';

/**
 * List 6's case status at the end of the window. Threshold holds no looked-after children, so never a). An open
 * episode with no plan and no open assessment (between the assessment and the plan, or awaiting one) is reported as a
 * child in need: c).
 */
export function caseStatus(e: {
  closureDate: string | null;
  to: string;
  openCpPlan: boolean;
  openCinPlan: boolean;
  openAssessment: boolean;
}): CaseStatus {
  if (e.closureDate && e.closureDate <= e.to) return 'e) Closed episode';
  if (e.openCpPlan) return 'b) Child Protection plan';
  if (e.openCinPlan) return 'c) Child in need plan';
  if (e.openAssessment) return 'd) Open assessment';
  return 'c) Child in need plan';
}

/** Age in whole years on a day ('YYYY-MM-DD'); null without a date of birth (an unborn child). */
export function ageOn(dateOfBirth: string | null, on: string): number | null {
  if (!dateOfBirth) return null;
  const b = parseIsoDate(dateOfBirth);
  const d = parseIsoDate(on);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age--;
  return age < 0 ? null : age;
}

export const dateCell = (d: string | null | undefined): DateCell | null => (d ? { date: d } : null);

/** dd/mm/yyyy, the schema's date format. */
export function ukDate(d: string): string {
  const { year, month, day } = parseIsoDate(d);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading = + - @ is defused. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = typeof cell === 'string' ? cell : ukDate(cell.date);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;
