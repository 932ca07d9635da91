import { describe, expect, it } from 'vitest';
import { annexASchema } from '../../../test/support/annex-a-schema.ts';
import {
  ABUSE_CATEGORIES,
  CENSUS_ETHNICITY_CODES,
  CENSUS_SEX_CODES,
  CIN_CLOSURE_REASONS,
  codeValues,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
} from '../../kernel/code-sets/cin-census.ts';
import {
  ANNEX_A_LISTS,
  abuseCategory,
  ageOn,
  caseStatus,
  closureReason,
  csvLine,
  disability,
  ethnicity,
  gender,
  primaryNeed,
  source,
  ukDate,
  yesNo,
} from './annex-a.ts';

const schema = annexASchema();
const codesOf = (list: number, header: string) => schema.get(list)!.find((c) => c.header === header)!.codes;

describe('Annex A lists against the schema (test/fixtures/annex-a/Annex_A_schema.yml)', () => {
  it('reads eleven lists from the schema file', () => {
    expect([...schema.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(codesOf(1, 'Gender')).toContain('a) Male');
    expect(codesOf(3, 'Referral Source')).toContain('g) Police');
  });

  for (const list of ANNEX_A_LISTS)
    it(`list ${list.number} (${list.title}) has exactly the schema's headers, in order`, () => {
      expect([...list.headers]).toEqual(schema.get(list.number)!.map((c) => c.header));
      expect(list.sheetName.length).toBeLessThanOrEqual(31);
    });

  it('writes only codes the schema names, for every census code Threshold holds', () => {
    for (const sex of [...CENSUS_SEX_CODES, null]) expect(codesOf(1, 'Gender')).toContain(gender(sex));
    for (const e of [...CENSUS_ETHNICITY_CODES, null])
      expect(codesOf(1, 'Ethnicity')).toContain(ethnicity(e));
    for (const s of codeValues(REFERRAL_SOURCES)) {
      expect(codesOf(1, 'Contact Source')).toContain(source(s));
      expect(codesOf(3, 'Referral Source')).toContain(source(s));
    }
    for (const n of [...codeValues(PRIMARY_NEED_CODES), null])
      expect(codesOf(6, 'Primary Need Code')).toContain(primaryNeed(n));
    for (const rc of codeValues(CIN_CLOSURE_REASONS))
      expect(codesOf(6, 'Reason for Closure')).toContain(closureReason(rc));
    for (const c of codeValues(ABUSE_CATEGORIES)) {
      expect(codesOf(7, 'Initial Category of Abuse')).toContain(abuseCategory(c));
      expect(codesOf(7, 'Latest Category of Abuse')).toContain(abuseCategory(c));
    }
    for (const v of [true, false, null]) {
      expect(codesOf(4, 'Child Seen During Continuous Assessment')).toContain(yesNo(v));
      expect(codesOf(7, 'Was the Child Seen Alone?')).toContain(yesNo(v));
    }
    for (const codes of [[], ['NONE'], ['AUT', 'LD']])
      expect(codesOf(4, 'Does the Child have a Disability')).toContain(disability(codes));
    const base = { to: '2026-11-24', openCpPlan: false, openCinPlan: false, openAssessment: false };
    for (const e of [
      { ...base, closureDate: '2026-11-01' },
      { ...base, closureDate: null, openCpPlan: true },
      { ...base, closureDate: null, openCinPlan: true },
      { ...base, closureDate: null, openAssessment: true },
      { ...base, closureDate: null },
    ])
      expect(codesOf(6, 'Case Status')).toContain(caseStatus(e));
  });

  it('maps census values to their Annex A styles', () => {
    expect([gender('M'), gender('F'), gender('U')]).toEqual([
      'a) Male',
      'b) Female',
      'c) Not stated/recorded',
    ]);
    expect([ethnicity('WBRI'), ethnicity('BAFR'), ethnicity('REFU')]).toEqual([
      'a) White',
      'd) Black or black British',
      'f) Not stated',
    ]);
    expect([source('3E'), source('6'), source('2B')]).toEqual([
      'd) Health services',
      'g) Police',
      'c) Education services',
    ]);
    expect(disability([])).toBe('Unknown');
    expect(disability(['NONE'])).toBe('No');
    expect(disability(['AUT'])).toBe('Yes');
    expect(closureReason(null)).toBeNull();
    expect(
      caseStatus({
        to: '2026-11-24',
        closureDate: '2026-12-01',
        openCpPlan: true,
        openCinPlan: false,
        openAssessment: false,
      }),
    ).toBe('b) Child Protection plan');
  });

  it('works out ages in whole years and writes dates as dd/mm/yyyy', () => {
    expect(ageOn('2016-05-14', '2026-05-13')).toBe(9);
    expect(ageOn('2016-05-14', '2026-05-14')).toBe(10);
    expect(ageOn(null, '2026-05-14')).toBeNull();
    expect(ukDate('2026-03-04')).toBe('04/03/2026');
  });

  it('writes CSV fields safely', () => {
    expect(csvLine(['a, b', 'say "hi"', 3, null, { date: '2026-11-02' }, '=SUM(A1)'])).toBe(
      '"a, b","say ""hi""",3,,02/11/2026,\'=SUM(A1)\r\n',
    );
  });
});
