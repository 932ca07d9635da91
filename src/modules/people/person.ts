import { CENSUS_DISABILITY_CODES, CENSUS_SEX_CODES } from '../../kernel/code-sets/cin-census.ts';
import { addCalendarDays, compareIsoDates, parseIsoDate } from '../../kernel/time/index.ts';

/**
 * People: children (including unborn children), adults (parents, carers, household members) and
 * professionals. Domain types and pure rules only; no database here.
 */

export const PERSON_KINDS = ['child', 'adult', 'professional'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

/** What someone chooses when creating a record: an unborn child is a child with an expected date of birth. */
export const NEW_PERSON_KINDS = ['child', 'unborn', 'adult', 'professional'] as const;
export type NewPersonKind = (typeof NEW_PERSON_KINDS)[number];

export const NEW_PERSON_KIND_LABELS: Record<NewPersonKind, string> = {
  child: 'A child or young person',
  unborn: 'An unborn child',
  adult: 'An adult (parent, carer or someone in the household)',
  professional: 'A professional',
};

export interface PersonFacts {
  kind: string;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  dateOfDeath?: string | null;
}

export function isUnborn(p: PersonFacts): boolean {
  return p.kind === 'child' && !p.dateOfBirth && !!p.expectedDateOfBirth;
}

export function kindLabel(p: PersonFacts): string {
  if (isUnborn(p)) return 'Unborn child';
  if (p.kind === 'child') return 'Child';
  if (p.kind === 'adult') return 'Adult';
  return 'Professional';
}

/** Whole years between a date of birth and a day ('YYYY-MM-DD'). */
export function ageOn(dateOfBirth: string, today: string): number {
  const b = parseIsoDate(dateOfBirth);
  const t = parseIsoDate(today);
  let age = t.year - b.year;
  if (t.month < b.month || (t.month === b.month && t.day < b.day)) age--;
  return Math.max(0, age);
}

/** '9 years old', '4 months old', or '' (no date of birth). */
export function describeAge(dateOfBirth: string | null, today: string, dateOfDeath?: string | null): string {
  if (!dateOfBirth) return '';
  const on = dateOfDeath ?? today;
  const years = ageOn(dateOfBirth, on);
  if (years >= 2) return `${years} years old`;
  const b = parseIsoDate(dateOfBirth);
  const t = parseIsoDate(on);
  let months = (t.year - b.year) * 12 + (t.month - b.month);
  if (t.day < b.day) months--;
  months = Math.max(0, months);
  return months === 1 ? '1 month old' : `${months} months old`;
}

export const CHILD_AGE_LIMIT = 18;

export interface DateRuleProblem {
  field: 'dateOfBirth' | 'expectedDateOfBirth' | 'dateOfDeath';
  message: string;
}

/**
 * Rules on dates that depend on the kind of person and on today:
 * - someone born has a date of birth that is today or earlier;
 * - an unborn child has an expected date of birth, no more than 10 months ahead and not long past;
 * - a date of death is not in the future nor before the date of birth.
 */
export function checkPersonDates(
  kind: NewPersonKind | PersonKind,
  dates: { dateOfBirth?: string | null; expectedDateOfBirth?: string | null; dateOfDeath?: string | null },
  today: string,
): DateRuleProblem[] {
  const problems: DateRuleProblem[] = [];
  const { dateOfBirth, expectedDateOfBirth, dateOfDeath } = dates;
  if (kind === 'unborn') {
    if (!expectedDateOfBirth)
      problems.push({ field: 'expectedDateOfBirth', message: 'Enter the expected date of birth' });
    else if (compareIsoDates(expectedDateOfBirth, addCalendarDays(today, 300)) > 0)
      problems.push({
        field: 'expectedDateOfBirth',
        message: 'Expected date of birth must be within the next 10 months',
      });
    else if (compareIsoDates(expectedDateOfBirth, addCalendarDays(today, -60)) < 0)
      problems.push({
        field: 'expectedDateOfBirth',
        message:
          'Expected date of birth must be in the last 2 months or in the future – if the baby has been born, enter their date of birth instead',
      });
  } else if (dateOfBirth && compareIsoDates(dateOfBirth, today) > 0) {
    problems.push({
      field: 'dateOfBirth',
      message: 'Date of birth must be today or in the past – for a baby not yet born, create an unborn child',
    });
  }
  if (kind === 'child' && !dateOfBirth && !expectedDateOfBirth) {
    problems.push({ field: 'dateOfBirth', message: 'Enter the date of birth' });
  }
  if (dateOfDeath) {
    if (compareIsoDates(dateOfDeath, today) > 0)
      problems.push({ field: 'dateOfDeath', message: 'Date of death must be today or in the past' });
    else if (dateOfBirth && compareIsoDates(dateOfDeath, dateOfBirth) < 0)
      problems.push({
        field: 'dateOfDeath',
        message: 'Date of death must be the same as or after the date of birth',
      });
  }
  return problems;
}

// --- Census code sets (docs/domain.md, "Code sets"). Seeded into ref_codes too; these give the forms their fixed lists. ---

export const SEX_CODES = [
  { value: 'M', text: 'Male' },
  { value: 'F', text: 'Female' },
  { value: 'U', text: 'Not known' },
] as const;
/** The sexes and disabilities a record holds are the census's codes (N00783, N00099). */
export const SEX_VALUES = CENSUS_SEX_CODES;

export const DISABILITY_VALUES = CENSUS_DISABILITY_CODES;

export const UPN_UNKNOWN_VALUES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'] as const;

/** The census rule 8790: "No disability" cannot be combined with any other code. */
export function checkDisabilities(codes: readonly string[]): string | null {
  if (codes.includes('NONE') && codes.length > 1)
    return 'Select “No disability” on its own, or the disabilities the child has';
  return null;
}

// --- Relationships ---

export const RELATIONSHIP_KINDS = [
  'parent',
  'step-parent',
  'sibling',
  'half-sibling',
  'step-sibling',
  'grandparent',
  'carer',
  'household-member',
  'extended-family',
  'partner',
  'significant-other',
  'professional-involved',
] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];

interface RelationshipWords {
  /** What the related person is to the person ("Olivia's parent"). */
  label: string;
  /** What the person is to the related person, seen from the other side. */
  inverse: string;
  /** Gendered forms when the related person's sex is recorded. */
  female?: string;
  male?: string;
  inverseFemale?: string;
  inverseMale?: string;
  /** Drawn generations above (parents −1, grandparents −2) or below the person in the family diagram. */
  generation: -2 | -1 | 0 | 1;
}

export const RELATIONSHIP_WORDS: Record<RelationshipKind, RelationshipWords> = {
  parent: {
    label: 'Parent',
    inverse: 'Child',
    female: 'Mother',
    male: 'Father',
    inverseFemale: 'Daughter',
    inverseMale: 'Son',
    generation: -1,
  },
  'step-parent': {
    label: 'Step-parent',
    inverse: 'Step-child',
    female: 'Stepmother',
    male: 'Stepfather',
    inverseFemale: 'Stepdaughter',
    inverseMale: 'Stepson',
    generation: -1,
  },
  sibling: {
    label: 'Sibling',
    inverse: 'Sibling',
    female: 'Sister',
    male: 'Brother',
    inverseFemale: 'Sister',
    inverseMale: 'Brother',
    generation: 0,
  },
  'half-sibling': {
    label: 'Half-sibling',
    inverse: 'Half-sibling',
    female: 'Half-sister',
    male: 'Half-brother',
    inverseFemale: 'Half-sister',
    inverseMale: 'Half-brother',
    generation: 0,
  },
  'step-sibling': {
    label: 'Step-sibling',
    inverse: 'Step-sibling',
    female: 'Stepsister',
    male: 'Stepbrother',
    inverseFemale: 'Stepsister',
    inverseMale: 'Stepbrother',
    generation: 0,
  },
  grandparent: {
    label: 'Grandparent',
    inverse: 'Grandchild',
    female: 'Grandmother',
    male: 'Grandfather',
    inverseFemale: 'Granddaughter',
    inverseMale: 'Grandson',
    generation: -2,
  },
  carer: { label: 'Carer', inverse: 'Cared for', generation: -1 },
  'household-member': { label: 'Household member', inverse: 'Household member', generation: 0 },
  'extended-family': { label: 'Extended family', inverse: 'Extended family', generation: 0 },
  partner: { label: "Parent's partner", inverse: "Partner's child", generation: -1 },
  'significant-other': { label: 'Significant other', inverse: 'Significant other', generation: 0 },
  'professional-involved': { label: 'Professional involved', inverse: 'Works with', generation: 0 },
};

export const RELATIONSHIP_CHOICES = RELATIONSHIP_KINDS.map((k) => ({
  value: k,
  text: RELATIONSHIP_WORDS[k].label,
}));

export function isRelationshipKind(value: string): value is RelationshipKind {
  return (RELATIONSHIP_KINDS as readonly string[]).includes(value);
}

/**
 * How to describe the other person of a stored relationship (person → related, kind = what `related` is to
 * `person`), seen from `viewpoint`: from the child, the mother is "Mother"; from the mother, the child is
 * "Daughter".
 */
export function describeRelationship(
  kind: string,
  viewpointIsPerson: boolean,
  otherSex: string | null,
): string {
  if (!isRelationshipKind(kind)) return kind;
  const w = RELATIONSHIP_WORDS[kind];
  if (viewpointIsPerson)
    return (otherSex === 'F' ? w.female : otherSex === 'M' ? w.male : undefined) ?? w.label;
  return (otherSex === 'F' ? w.inverseFemale : otherSex === 'M' ? w.inverseMale : undefined) ?? w.inverse;
}

/** The generation of the other person relative to the viewpoint (−2 grandparents … 0 same … +2 grandchildren). */
export function relativeGeneration(kind: string, viewpointIsPerson: boolean): number {
  if (!isRelationshipKind(kind)) return 0;
  const g = RELATIONSHIP_WORDS[kind].generation;
  return viewpointIsPerson ? g : -g;
}

/** Relationships in which the related person can hold parental responsibility. */
export const PARENTAL_RESPONSIBILITY_KINDS: readonly RelationshipKind[] = [
  'parent',
  'step-parent',
  'grandparent',
  'carer',
  'extended-family',
  'partner',
];

// --- Warnings ---

/** Warnings that apply on a day (started, not ended). */
export function isWarningActive(w: { fromDate: string; toDate: string | null }, today: string): boolean {
  return compareIsoDates(w.fromDate, today) <= 0 && (!w.toDate || compareIsoDates(w.toDate, today) >= 0);
}

export function displayName(p: { givenName: string; familyName: string; knownAs?: string | null }): string {
  return `${p.givenName} ${p.familyName}`;
}

/** LA child ids are issued as this prefix and a padded number from the la_child_id_seq sequence. */
export const LA_CHILD_ID_PREFIX = 'RT';
