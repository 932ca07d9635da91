/**
 * The CIN census collection years Threshold can produce, and **every difference between them, in this one file**:
 * the reference date, the XML layout, the schema the file is checked against, and the ruleset (the rule codes, with
 * the DfE's own wording, that the whole-return validator applies).
 *
 * Sources followed:
 * - 2024-25: the DfE CIN census schema for 2024-25 (test/fixtures/cin-census/CIN_schema_2025.xsd, the community copy
 *   kept by SocialFinanceDigitalLabs/liia-tools-pipeline) and the cin2024_25 ruleset of the community validator
 *   data-to-insight/csc-validator-be-cin (Sex M/F/U replaces GenderCurrent; 1570, 1580, 8945Q, 8950Q new).
 * - 2025-26: CIN_schema_2026.xsd (the same layout; only the wording of primary need N1 changed) and the cin2025_26
 *   ruleset, which is 2024-25's unchanged: 109 rules.
 * - 2026-27: 2025-26 plus module 5, pre-proceedings and family group decision making (PreProceedingsandFGDM, any
 *   number per CINdetails, after ChildProtectionPlans), from the community validator's ingress and its 2026 sample
 *   file, with the draft rules 8995Q, 9000Q, 9005–9013 and 9015Q (a branch marked "needs proofing"). No XSD for it
 *   was available: its files are checked against a copy of the 2025-26 schema with the module added
 *   (test/fixtures/cin-census/README.md). The module comes from the pre-proceedings records (social-care
 *   pre-proceedings.ts); a return with none reports 8995Q ("no module 5 data for any child").
 */

export type CensusYearId = '2024-25' | '2025-26' | '2026-27';

export interface CensusRule {
  /** The DfE rule code, e.g. '8610' or '8670Q'. */
  code: string;
  kind: 'error' | 'query';
  /** The part of the return it concerns (the DfE's module name). */
  module: string;
  /** The DfE's wording of the rule. */
  message: string;
}

export interface CensusYear {
  id: CensusYearId;
  /** The Year element of the header: the calendar year the collection ends in. */
  year: number;
  /** The first day of the census period (1 April). */
  periodStart: string;
  /** 31 March: the header's ReferenceDate (rule 100) and the end of the census period. */
  referenceDate: string;
  /** Whether CINdetails carry the pre-proceedings and FGDM module (2026-27 on). */
  preProceedingsModule: boolean;
  /** The rule codes of the year's ruleset (see RULES for their wording). */
  rules: readonly string[];
  /** The year the comparison page sets beside it. */
  previous: CensusYearId | null;
}

/** Every rule Threshold knows, with the DfE's wording (cin2025_26, and the 2026-27 drafts). */
export const RULES: readonly CensusRule[] = [
  { code: '100', kind: 'error', module: 'Header', message: 'Reference Date is incorrect' },
  {
    code: '1103',
    kind: 'error',
    module: 'Assessments',
    message: 'The assessment start date cannot be before the referral date',
  },
  {
    code: '1104',
    kind: 'error',
    module: 'Section47',
    message: 'The date of the initial child protection conference cannot be before the referral date',
  },
  {
    code: '1105',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'The child protection plan start date cannot be before the referral date',
  },
  {
    code: '1510',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'UPN invalid (wrong check letter at character 1)',
  },
  {
    code: '1520',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'More than one record with the same UPN.',
  },
  {
    code: '1530',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'UPN invalid (characters 2-4 not a recognised LA code)',
  },
  {
    code: '1540',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'UPN invalid (characters 5-12 not all numeric)',
  },
  {
    code: '1550',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'UPN invalid (character 13 not a recognised value)',
  },
  {
    code: '1560Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message: 'Please check and either amend or provide a reason: Former UPN wrongly formatted',
  },
  {
    code: '1570',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'LA Child ID must not be longer than 20 characters',
  },
  {
    code: '1580',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'LA Child ID must not contain any non-alphanumeric characters',
  },
  {
    code: '2883',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'There are more child protection plans starting than initial conferences taking place',
  },
  {
    code: '2884',
    kind: 'error',
    module: 'Section47',
    message:
      'An initial child protection conference is recorded at both the S47 and CIN Details level and it should only be recorded in one',
  },
  {
    code: '2885',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message:
      'Child protection plan shown as starting a different day to the initial child protection conference.',
  },
  {
    code: '2886Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message:
      'Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% (excluding unborns)',
  },
  {
    code: '2887Q',
    kind: 'query',
    module: 'Disabilities',
    message:
      'Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return',
  },
  {
    code: '2888Q',
    kind: 'query',
    module: 'Disabilities',
    message:
      'Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible.',
  },
  {
    code: '2889',
    kind: 'error',
    module: 'Section47',
    message: 'The S47 start date cannot be before the referral date.',
  },
  {
    code: '2990',
    kind: 'error',
    module: 'CINdetails',
    message:
      "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'.",
  },
  {
    code: '2991Q',
    kind: 'query',
    module: 'CINdetails',
    message:
      'Please check and either amend data or provide a reason: A Section 47 module is recorded and there is no assessment on the episode',
  },
  {
    code: '4000',
    kind: 'error',
    module: 'CINplanDates',
    message: 'CIN Plan details provided for a referral with no further action',
  },
  {
    code: '4001',
    kind: 'error',
    module: 'CINplanDates',
    message: 'A CIN Plan cannot run concurrently with a Child Protection Plan',
  },
  {
    code: '4003',
    kind: 'error',
    module: 'Reviews',
    message: 'A CPP review date is shown as being held at the same time as an open CIN Plan.',
  },
  {
    code: '4004',
    kind: 'error',
    module: 'CINplanDates',
    message: 'This child is showing more than one open CIN Plan, i.e. with no End Date',
  },
  {
    code: '4008',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'CIN Plan shown as starting after the child’s Date of Death.',
  },
  {
    code: '4009Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message: 'CIN Plan cannot end after the child’s Date of Death',
  },
  {
    code: '4010',
    kind: 'error',
    module: 'CINplanDates',
    message: 'CIN Plan start date is missing or out of data collection period',
  },
  {
    code: '4011',
    kind: 'error',
    module: 'CINplanDates',
    message: 'CIN Plan End Date earlier than Start Date',
  },
  {
    code: '4012Q',
    kind: 'query',
    module: 'CINplanDates',
    message:
      'Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day',
  },
  {
    code: '4013',
    kind: 'error',
    module: 'CINplanDates',
    message: 'CIN Plan end date must fall within the census year',
  },
  {
    code: '4014',
    kind: 'error',
    module: 'CINplanDates',
    message: 'CIN Plan data contains overlapping dates',
  },
  {
    code: '4015',
    kind: 'error',
    module: 'CINplanDates',
    message: 'The CIN Plan start date cannot be before the referral date',
  },
  {
    code: '4016',
    kind: 'error',
    module: 'CINplanDates',
    message: 'A CIN Plan has been reported as open at the same time as a Child Protection Plan.',
  },
  {
    code: '4017',
    kind: 'error',
    module: 'CINplanDates',
    message: 'A CIN Plan has been reported as open at the same time as a Child Protection Plan.',
  },
  {
    code: '4180',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'Sex must be provided and equal M, F, or U',
  },
  {
    code: '4220',
    kind: 'error',
    module: 'ChildCharacteristics',
    message: 'Ethnicity is missing or invalid (see Ethnicity table)',
  },
  { code: '8500', kind: 'error', module: 'ChildIdentifiers', message: 'LA Child ID missing' },
  {
    code: '8510',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'More than one child record with the same LA Child ID',
  },
  {
    code: '8520',
    kind: 'error',
    module: 'ChildIdentifiers',
    message:
      'Date of Birth is after data collection period (must be on or before the end of the census period)',
  },
  {
    code: '8525Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message: 'Either Date of Birth or Expected Date of Birth must be provided (but not both)',
  },
  {
    code: '8530Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message:
      'Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)',
  },
  {
    code: '8535Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message:
      'Please check and either amend data or provide a reason: Child’s date of death should not be prior to the date of birth',
  },
  {
    code: '8540',
    kind: 'error',
    module: 'ChildCharacteristics',
    message: 'Child’s disability is missing or invalid (see Disability table)',
  },
  {
    code: '8545Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message:
      "Please check and either amend data or provide a reason: Child's date of death should be within the census year",
  },
  {
    code: '8555Q',
    kind: 'query',
    module: 'CINdetails',
    message: 'Child cannot be referred after its recorded date of death',
  },
  {
    code: '8565',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Activity shown after a case has been closed',
  },
  { code: '8568', kind: 'error', module: 'CINdetails', message: 'RNFA flag is missing or invalid' },
  {
    code: '8569Q',
    kind: 'query',
    module: 'CINdetails',
    message:
      'A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case',
  },
  {
    code: '8585Q',
    kind: 'query',
    module: 'CINdetails',
    message:
      'Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however child has no recorded Date of Death',
  },
  {
    code: '8590',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'Child does not have a recorded CIN episode.',
  },
  {
    code: '8600',
    kind: 'error',
    module: 'CINdetails',
    message: 'Child referral date missing or after data collection period',
  },
  {
    code: '8606',
    kind: 'error',
    module: 'CINdetails',
    message: 'Child referral date is more than 40 weeks before DOB or expected DOB',
  },
  {
    code: '8608',
    kind: 'error',
    module: 'Assessments',
    message: 'Assessment Start Date cannot be later than its End Date',
  },
  {
    code: '8610',
    kind: 'error',
    module: 'CINdetails',
    message: 'Primary Need code is missing for a referral which led to further action.',
  },
  {
    code: '8614',
    kind: 'error',
    module: 'Assessments',
    message: 'Parental or child factors at assessment should only be present for a completed assessment.',
  },
  {
    code: '8615',
    kind: 'error',
    module: 'Section47',
    message:
      'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference',
  },
  {
    code: '8620',
    kind: 'error',
    module: 'CINdetails',
    message: 'CIN Closure Date present and does not fall within the Census year',
  },
  {
    code: '8630',
    kind: 'error',
    module: 'CINdetails',
    message: 'CIN Closure Date is before CIN Referral Date for the same CIN episode',
  },
  {
    code: '8640',
    kind: 'error',
    module: 'CINdetails',
    message: 'CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)',
  },
  {
    code: '8650',
    kind: 'error',
    module: 'CINdetails',
    message: 'Primary Need Code invalid (see Primary Need table in CIN census code set)',
  },
  {
    code: '8670Q',
    kind: 'query',
    module: 'Assessments',
    message:
      'Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date.',
  },
  {
    code: '8675Q',
    kind: 'query',
    module: 'Section47',
    message:
      'Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference.',
  },
  {
    code: '8696',
    kind: 'error',
    module: 'Assessments',
    message: 'Assessment end date must fall within the census year',
  },
  {
    code: '8715',
    kind: 'error',
    module: 'Section47',
    message: 'Date of Initial Child Protection Conference must fall within the census year',
  },
  {
    code: '8720',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan Start Date missing or out of data collection period',
  },
  {
    code: '8730',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Total Number of previous Child Protection Plans missing',
  },
  {
    code: '8736',
    kind: 'error',
    module: 'Assessments',
    message: 'For an Assessment that has not been completed, the start date must fall within the census year',
  },
  {
    code: '8740',
    kind: 'error',
    module: 'Section47',
    message:
      'For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, the start date must fall within the census year',
  },
  {
    code: '8750',
    kind: 'error',
    module: 'ChildIdentifiers',
    message: 'Sex must equal U for an unborn child',
  },
  {
    code: '8770Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message:
      'Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a child who is of school age.',
  },
  {
    code: '8772',
    kind: 'error',
    module: 'ChildIdentifiers',
    message:
      'UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral going on to further action',
  },
  {
    code: '8775Q',
    kind: 'query',
    module: 'ChildIdentifiers',
    message: 'Please check and either amend data or provide a reason: Child is over 25 years old',
  },
  {
    code: '8790',
    kind: 'error',
    module: 'Disabilities',
    message: 'Disability information includes both None and other values',
  },
  {
    code: '8794',
    kind: 'error',
    module: 'Disabilities',
    message: 'Child has two or more disabilities with the same code',
  },
  {
    code: '8805',
    kind: 'error',
    module: 'CINdetails',
    message: 'A CIN case cannot have a CIN closure date without a Reason for Closure',
  },
  {
    code: '8810',
    kind: 'error',
    module: 'CINdetails',
    message: 'A CIN case cannot have a Reason for Closure without a CIN Closure Date',
  },
  {
    code: '8815',
    kind: 'error',
    module: 'CINdetails',
    message:
      'More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action.',
  },
  {
    code: '8816',
    kind: 'error',
    module: 'CINdetails',
    message:
      'An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode.',
  },
  {
    code: '8820',
    kind: 'error',
    module: 'CINdetails',
    message: 'The dates on the CIN episodes for this child overlap',
  },
  {
    code: '8825Q',
    kind: 'query',
    module: 'CINdetails',
    message:
      'Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no assessment present for the episode.',
  },
  {
    code: '8831',
    kind: 'error',
    module: 'CINdetails',
    message: 'Activity is recorded against a case marked as a referral with no further action',
  },
  {
    code: '8832',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection details provided for a referral with no further action.',
  },
  {
    code: '8839',
    kind: 'error',
    module: 'Section47',
    message: 'Within one CINDetails group there are 2 or more open S47 Assessments',
  },
  {
    code: '8840',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan cannot start and end on the same day',
  },
  {
    code: '8841',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'The review date cannot be on the same day or before the Child protection Plan start date.',
  },
  {
    code: '8842Q',
    kind: 'query',
    module: 'Reviews',
    message: 'Please check and either amend or provide a reason: Review Record has a missing date',
  },
  {
    code: '8863Q',
    kind: 'query',
    module: 'Assessments',
    message: 'An Assessment is shown as starting when there is another Assessment ongoing.',
  },
  {
    code: '8866',
    kind: 'error',
    module: 'CINdetails',
    message: 'Source of Referral is missing or an invalid code',
  },
  {
    code: '8867',
    kind: 'error',
    module: 'CINdetails',
    message: 'CIN episode is shown as closed, however Assessment is not shown as completed',
  },
  {
    code: '8868',
    kind: 'error',
    module: 'CINdetails',
    message:
      'CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag',
  },
  {
    code: '8869',
    kind: 'error',
    module: 'Assessments',
    message:
      'The assessment factors code “21” cannot be used in conjunction with any other assessment factors.',
  },
  {
    code: '8870Q',
    kind: 'query',
    module: 'Section47',
    message:
      'Please check and either amend or provide a reason: The Target Date for Initial Child Protection Conference should not be a weekend',
  },
  {
    code: '8873Q',
    kind: 'query',
    module: 'Assessments',
    message:
      "Please check and either amend data or provide a reason: When there is only one assessment on the episode and the factors code “21 No factors identified” has been used for the completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.",
  },
  {
    code: '8875',
    kind: 'error',
    module: 'Section47',
    message: 'The Date of Initial Child Protection Conference cannot be a weekend',
  },
  {
    code: '8890',
    kind: 'error',
    module: 'CINdetails',
    message: 'A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing',
  },
  {
    code: '8896',
    kind: 'error',
    module: 'Assessments',
    message: 'Within one CINDetails group there are 2 or more open Assessments groups',
  },
  {
    code: '8897Q',
    kind: 'query',
    module: 'Assessments',
    message: 'Parental or child factors at assessment information is missing from a completed assessment',
  },
  {
    code: '8898',
    kind: 'error',
    module: 'Assessments',
    message: 'The assessment has more than one parental or child factors with the same code',
  },
  {
    code: '8905',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message:
      'Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)',
  },
  {
    code: '8910',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message:
      'Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)',
  },
  {
    code: '8915',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan shown as starting after the child’s Date of Death',
  },
  {
    code: '8920',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan cannot end after the child’s Date of Death',
  },
  {
    code: '8925',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan End Date earlier than Start Date',
  },
  {
    code: '8930',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan End Date must fall within the census year',
  },
  {
    code: '8935',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'This child is showing more than one open Child Protection plan, i.e. with no End Date',
  },
  {
    code: '8940',
    kind: 'error',
    module: 'ChildProtectionPlans',
    message: 'Child Protection Plan data contains overlapping dates',
  },
  {
    code: '8945Q',
    kind: 'query',
    module: 'Assessments',
    message:
      "Please check and either amend data or provide a reason: the assessment factors code '18A' should not be used ('18B' or '18C' should be used instead)",
  },
  {
    code: '8950Q',
    kind: 'query',
    module: 'Assessments',
    message:
      "Please check and either amend data or provide a reason: the assessment factors code '19A' should not be used ('19B' or '19C' should be used instead)",
  },
  // Draft 2026-27 rules for module 5 (pre-proceedings and family group decision making).
  {
    code: '8995Q',
    kind: 'query',
    module: 'PreProceedingsandFGDM',
    message:
      'Please check and either amend or provide a reason: no pre-proceedings and family group decision making data has been provided for any child',
  },
  {
    code: '9000Q',
    kind: 'query',
    module: 'PreProceedingsandFGDM',
    message: 'Please check and either amend or provide a reason: the date pre-proceedings started is missing',
  },
  {
    code: '9005',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message: 'The date pre-proceedings started must fall within the census year',
  },
  {
    code: '9006',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message:
      'The date the letter before proceedings was sent must fall within the census year and be on or after the date pre-proceedings started',
  },
  {
    code: '9007',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message:
      'A letter before proceedings was sent, but whether a family group decision making meeting was offered in it is missing',
  },
  {
    code: '9008',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message: 'The date of the first pre-proceedings meeting must fall within the census year',
  },
  {
    code: '9009',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message:
      'The date of the decision to step up or down must be on or after the date pre-proceedings started and within the census year',
  },
  {
    code: '9010Q',
    kind: 'query',
    module: 'PreProceedingsandFGDM',
    message:
      'Please check and either amend or provide a reason: a family group decision making meeting was offered, but whether it was facilitated is missing',
  },
  {
    code: '9011',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message: 'The outcome of pre-proceedings is missing or invalid (A, B or C)',
  },
  {
    code: '9012',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message:
      'The date of the court application must be on or after the date of the decision and within the census year',
  },
  {
    code: '9013',
    kind: 'error',
    module: 'PreProceedingsandFGDM',
    message:
      'The date of the letter initiating care proceedings must be on or after the court application date and within the census year',
  },
  {
    code: '9015Q',
    kind: 'query',
    module: 'PreProceedingsandFGDM',
    message:
      'Please check and either amend or provide a reason: a first pre-proceedings meeting is recorded but the number of review meetings is missing',
  },
];

const RULESET_2025_26 = RULES.filter((r) => !/^(8995Q|9\d{3}Q?)$/.test(r.code)).map((r) => r.code);
const MODULE_5_RULES = [
  '8995Q',
  '9000Q',
  '9005',
  '9006',
  '9007',
  '9008',
  '9009',
  '9010Q',
  '9011',
  '9012',
  '9013',
  '9015Q',
];

export const CENSUS_YEARS: Readonly<Record<CensusYearId, CensusYear>> = {
  '2024-25': {
    id: '2024-25',
    year: 2025,
    periodStart: '2024-04-01',
    referenceDate: '2025-03-31',
    preProceedingsModule: false,
    rules: RULESET_2025_26,
    previous: null,
  },
  '2025-26': {
    id: '2025-26',
    year: 2026,
    periodStart: '2025-04-01',
    referenceDate: '2026-03-31',
    preProceedingsModule: false,
    rules: RULESET_2025_26,
    previous: '2024-25',
  },
  '2026-27': {
    id: '2026-27',
    year: 2027,
    periodStart: '2026-04-01',
    referenceDate: '2027-03-31',
    preProceedingsModule: true,
    rules: [...RULESET_2025_26, ...MODULE_5_RULES],
    previous: '2025-26',
  },
};

export const CENSUS_YEAR_IDS = Object.keys(CENSUS_YEARS) as CensusYearId[];

export function isCensusYearId(value: string): value is CensusYearId {
  return Object.hasOwn(CENSUS_YEARS, value);
}

const RULE_BY_CODE = new Map(RULES.map((r) => [r.code, r]));

/** The rule with this code (throws for a code Threshold does not know: a programming error). */
export function censusRule(code: string): CensusRule {
  const rule = RULE_BY_CODE.get(code);
  if (!rule) throw new RangeError(`Unknown census rule ${code}`);
  return rule;
}
