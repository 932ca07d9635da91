/**
 * DfE Children in Need census code sets (docs/domain.md, "Code sets"; checked against the DfE schema in
 * test/fixtures/cin-census/CIN_schema_2026.xsd by cin-census.test.ts). These are the
 * source of truth in code; migration 2026-11-26T0007 copies them into ref_codes for SQL and reports.
 */

export interface Code<T extends string = string> {
  code: T;
  label: string;
  /** Codes the DfE discourages (a query rule) but still accepts. */
  discouraged?: string;
}

export const REFERRAL_SOURCES = [
  { code: '1A', label: 'Individual – family member, relative or carer' },
  { code: '1B', label: 'Individual – acquaintance (including neighbours and child minders)' },
  { code: '1C', label: 'Individual – self' },
  { code: '1D', label: 'Individual – other (including strangers, MPs)' },
  { code: '2A', label: 'Schools' },
  { code: '2B', label: 'Education services' },
  { code: '3A', label: 'Health services – GP' },
  { code: '3B', label: 'Health services – health visitor' },
  { code: '3C', label: 'Health services – school nurse' },
  { code: '3D', label: 'Health services – other primary health services' },
  { code: '3E', label: 'Health services – A&E (emergency department)' },
  { code: '3F', label: 'Health services – other (for example hospice)' },
  { code: '4', label: 'Housing (local authority housing or housing association)' },
  { code: '5A', label: 'Local authority services – social care (for example adult social care)' },
  {
    code: '5B',
    label: 'Local authority services – other internal (for example youth offending, excluding housing)',
  },
  {
    code: '5C',
    label: 'Local authority services – external (for example another authority’s adult social care)',
  },
  { code: '5D', label: 'Local authority services – early help' },
  { code: '6', label: 'Police' },
  { code: '7', label: 'Other legal agency (including courts, probation, immigration, Cafcass, prison)' },
  { code: '8', label: 'Other (including children’s centres, independent agencies, voluntary organisations)' },
  { code: '9', label: 'Anonymous' },
  { code: '10', label: 'Unknown' },
] as const satisfies readonly Code[];
export type ReferralSourceCode = (typeof REFERRAL_SOURCES)[number]['code'];

export const PRIMARY_NEED_CODES = [
  { code: 'N1', label: 'Abuse or neglect' },
  { code: 'N2', label: 'Child’s disability or illness' },
  { code: 'N3', label: 'Parental disability or illness' },
  { code: 'N4', label: 'Family in acute stress' },
  { code: 'N5', label: 'Family dysfunction' },
  { code: 'N6', label: 'Socially unacceptable behaviour' },
  { code: 'N7', label: 'Low income' },
  { code: 'N8', label: 'Absent parenting' },
  { code: 'N9', label: 'Cases other than children in need' },
  { code: 'N0', label: 'Not stated' },
] as const satisfies readonly Code[];
export type PrimaryNeedCode = (typeof PRIMARY_NEED_CODES)[number]['code'];

export const CIN_CLOSURE_REASONS = [
  { code: 'RC1', label: 'Adopted' },
  { code: 'RC2', label: 'Died' },
  { code: 'RC3', label: 'Child arrangements order' },
  { code: 'RC4', label: 'Special guardianship order' },
  { code: 'RC5', label: 'Transferred to services of another local authority' },
  { code: 'RC6', label: 'Transferred to adult social care services' },
  { code: 'RC7', label: 'Services ceased for any other reason, including child no longer in need' },
  { code: 'RC8', label: 'Case closed after assessment, no further action' },
  { code: 'RC9', label: 'Case closed after assessment, referred to early help' },
] as const satisfies readonly Code[];
export type CinClosureReason = (typeof CIN_CLOSURE_REASONS)[number]['code'];

export const ABUSE_CATEGORIES = [
  { code: 'NEG', label: 'Neglect' },
  { code: 'PHY', label: 'Physical abuse' },
  { code: 'SAB', label: 'Sexual abuse' },
  { code: 'EMO', label: 'Emotional abuse' },
  { code: 'MUL', label: 'Multiple (not recommended)', discouraged: 'Use the main category where possible' },
] as const satisfies readonly Code[];
export type AbuseCategory = (typeof ABUSE_CATEGORIES)[number]['code'];

export const ASSESSMENT_FACTORS = [
  { code: '1A', label: 'Alcohol misuse: concerns about alcohol misuse by the child' },
  { code: '1B', label: 'Alcohol misuse: concerns about alcohol misuse by the parent(s) or carer(s)' },
  {
    code: '1C',
    label: 'Alcohol misuse: concerns about alcohol misuse by another person living in the household',
  },
  { code: '2A', label: 'Drug misuse: concerns about drug misuse by the child' },
  { code: '2B', label: 'Drug misuse: concerns about drug misuse by the parent(s) or carer(s)' },
  { code: '2C', label: 'Drug misuse: concerns about drug misuse by another person living in the household' },
  { code: '3A', label: 'Domestic abuse: concerns about the child being the subject of domestic abuse' },
  {
    code: '3B',
    label:
      'Domestic abuse: concerns about the child’s parent(s) or carer(s) being the subject of domestic abuse',
  },
  {
    code: '3C',
    label:
      'Domestic abuse: concerns about another person living in the household being the subject of domestic abuse',
  },
  { code: '4A', label: 'Mental health: concerns about the mental health of the child' },
  { code: '4B', label: 'Mental health: concerns about the mental health of the parent(s) or carer(s)' },
  {
    code: '4C',
    label: 'Mental health: concerns about the mental health of another person living in the household',
  },
  { code: '5A', label: 'Learning disability: concerns about the child’s learning disability' },
  { code: '5B', label: 'Learning disability: concerns about the parent(s) or carer(s)’ learning disability' },
  {
    code: '5C',
    label: 'Learning disability: concerns about another person in the household’s learning disability',
  },
  {
    code: '6A',
    label: 'Physical disability or illness: concerns about the child’s physical disability or illness',
  },
  {
    code: '6B',
    label:
      'Physical disability or illness: concerns about the parent(s) or carer(s)’ physical disability or illness',
  },
  {
    code: '6C',
    label:
      'Physical disability or illness: concerns about another person in the household’s physical disability or illness',
  },
  { code: '7A', label: 'Young carer' },
  { code: '8B', label: 'Privately fostered: overseas child who intends to return' },
  { code: '8C', label: 'Privately fostered: overseas child who intends to stay' },
  { code: '8D', label: 'Privately fostered: UK child in educational placement' },
  { code: '8E', label: 'Privately fostered: UK child making alternative family arrangements' },
  { code: '8F', label: 'Privately fostered: other' },
  { code: '9A', label: 'Unaccompanied asylum-seeking child' },
  { code: '10A', label: 'Going or being missing' },
  { code: '11A', label: 'Child sexual exploitation' },
  { code: '12A', label: 'Trafficking' },
  { code: '13A', label: 'Gangs' },
  { code: '14A', label: 'Socially unacceptable behaviour' },
  { code: '15A', label: 'Self-harm' },
  { code: '16A', label: 'Abuse or neglect: neglect' },
  { code: '17A', label: 'Abuse or neglect: emotional abuse' },
  {
    code: '18A',
    label: 'Abuse or neglect: physical abuse',
    discouraged: 'Use 18B (child on child) or 18C (adult on child) instead (query 8945Q)',
  },
  { code: '18B', label: 'Abuse or neglect: physical abuse, child on child' },
  { code: '18C', label: 'Abuse or neglect: physical abuse, adult on child' },
  {
    code: '19A',
    label: 'Abuse or neglect: sexual abuse',
    discouraged: 'Use 19B (child on child) or 19C (adult on child) instead (query 8950Q)',
  },
  { code: '19B', label: 'Abuse or neglect: sexual abuse, child on child' },
  { code: '19C', label: 'Abuse or neglect: sexual abuse, adult on child' },
  { code: '20', label: 'Other' },
  { code: '21', label: 'No factors identified' },
  { code: '22A', label: 'Female genital mutilation' },
  { code: '23A', label: 'Abuse linked to faith or belief' },
  { code: '24A', label: 'Child criminal exploitation' },
] as const satisfies readonly Code[];
export type AssessmentFactorCode = (typeof ASSESSMENT_FACTORS)[number]['code'];

/** The census sex codes (N00783). */
export const CENSUS_SEX_CODES = ['M', 'F', 'U'] as const;

/** The census ethnicity codes (N00177, docs/domain.md, "Code sets"), including REFU (refused) and NOBT (not yet obtained). */
export const CENSUS_ETHNICITY_CODES = [
  'WBRI',
  'WIRI',
  'WIRT',
  'WOTH',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
] as const;

/** The census disability codes (N00099); NONE is “no disability”. */
export const CENSUS_DISABILITY_CODES = [
  'NONE',
  'MOB',
  'HAND',
  'PC',
  'INC',
  'COMM',
  'LD',
  'HEAR',
  'VIS',
  'BEH',
  'CON',
  'AUT',
  'DDA',
] as const;

export const CIN_CODE_SETS = {
  'referral-source': REFERRAL_SOURCES,
  'primary-need': PRIMARY_NEED_CODES,
  'cin-closure-reason': CIN_CLOSURE_REASONS,
  'abuse-category': ABUSE_CATEGORIES,
  'assessment-factor': ASSESSMENT_FACTORS,
} as const;

export const codeValues = <T extends readonly Code[]>(set: T) =>
  set.map((c) => c.code) as unknown as [T[number]['code'], ...T[number]['code'][]];
export const codeLabel = (set: readonly Code[], code: string | null | undefined): string =>
  (code && set.find((c) => c.code === code)?.label) || (code ?? '');
