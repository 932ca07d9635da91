import { describe, expect, it } from 'vitest';
import * as R from './census-rules.ts';
import type { Violation } from './census-rules.ts';

/**
 * One test per census rule enforced at the point of entry: each refuses bad data (naming its rule, as an error or
 * a query) and accepts good data.
 */

function refuses(
  v: Violation | null,
  rule: string,
  kind: 'error' | 'query' = rule.endsWith('Q') ? 'query' : 'error',
) {
  expect(v, `rule ${rule} should refuse`).not.toBeNull();
  expect(v!.rule).toBe(rule);
  expect(v!.kind).toBe(kind);
  expect(v!.message).toContain(kind === 'query' ? `(query ${rule})` : `(rule ${rule})`);
}
const accepts = (v: Violation | null) => expect(v).toBeNull();

describe('census rules: the child’s own details (checked when a referral opens)', () => {
  it('4180 the sex is recorded as M, F or U', () => {
    refuses(R.rule4180(null), '4180');
    refuses(R.rule4180('X'), '4180');
    accepts(R.rule4180('F'));
    accepts(R.rule4180('U'));
  });
  it('8750 an unborn child’s sex is U', () => {
    refuses(R.rule8750(null, '2027-02-01', 'F'), '8750');
    accepts(R.rule8750(null, '2027-02-01', 'U'));
    accepts(R.rule8750('2026-01-05', null, 'F'));
  });
  it('4220 the ethnicity is present and a census code (NOBT when not yet obtained)', () => {
    refuses(R.rule4220(null), '4220');
    refuses(R.rule4220('XXXX'), '4220');
    accepts(R.rule4220('WBRI'));
    accepts(R.rule4220('NOBT'));
  });
  it('8540 a born child referred for further action has a disability recorded, every code valid', () => {
    refuses(R.rule8540('2016-05-14', false, []), '8540');
    refuses(R.rule8540('2016-05-14', false, ['MOB', 'WINGS']), '8540');
    refuses(R.rule8540(null, true, ['WINGS']), '8540');
    accepts(R.rule8540('2016-05-14', false, ['NONE']));
    accepts(R.rule8540('2016-05-14', false, ['MOB', 'AUT']));
    accepts(R.rule8540('2016-05-14', true, []));
    accepts(R.rule8540(null, false, []));
  });
  it('8525Q a date of birth or an expected date of birth, not both and not neither', () => {
    refuses(R.rule8525Q('2026-01-05', '2026-01-10'), '8525Q');
    refuses(R.rule8525Q(null, null), '8525Q');
    accepts(R.rule8525Q('2026-01-05', null));
    accepts(R.rule8525Q(null, '2027-02-01'));
  });
  it('8535Q the date of death is not before the date of birth', () => {
    refuses(R.rule8535Q('2020-05-05', '2020-05-04'), '8535Q');
    accepts(R.rule8535Q('2020-05-05', '2020-05-05'));
    accepts(R.rule8535Q('2020-05-05', null));
  });
  it('8772 UPN unknown as UN7 (referral with no further action) only while every referral is NFA', () => {
    refuses(R.rule8772('UN7', [{ referralNfa: false }]), '8772');
    refuses(R.rule8772('UN7', [{ referralNfa: true }, { referralNfa: false }]), '8772');
    expect(R.rule8772('UN7', [{ referralNfa: false }], 'childRecord')?.field).toBe('childRecord');
    expect(R.rule8772('UN7', [{ referralNfa: false }])?.field).toBe('upnUnknownReason');
    accepts(R.rule8772('UN7', [{ referralNfa: true }, { referralNfa: true }]));
    accepts(R.rule8772('UN7', []));
    accepts(R.rule8772('UN4', [{ referralNfa: false }]));
    accepts(R.rule8772(null, [{ referralNfa: false }]));
  });
  it('census-year rules (8620, 8696, 8715, 8736, 8740, 4013) query a date before this census year, with the rule and the field', () => {
    const q = R.censusYearQuery('8620', '2026-03-31', '2026-11-24', 'closure date', 'closureDate');
    expect(q).toMatchObject({ rule: '8620', kind: 'query', field: 'closureDate' });
    expect(q!.message).toContain('before 1 April 2026, the start of this census year');
    expect(R.censusYearQuery('8620', '2026-04-01', '2026-11-24', 'closure date', 'closureDate')).toBeNull();
    // In March, the census year began the April before.
    expect(R.censusYearQuery('8715', '2025-04-01', '2026-03-15', 'conference date', 'heldOn')).toBeNull();
    expect(R.censusYearQuery('8715', '2025-03-31', '2026-03-15', 'conference date', 'heldOn')?.rule).toBe(
      '8715',
    );
  });
  it('8770Q a school-age child referred for further action has a UPN or a reason other than UN1', () => {
    // The return made at 31 March 2027: school age means born on or before 31 August 2023 (reception in September 2027).
    const today = '2026-11-24';
    const child = { dateOfBirth: '2023-08-31', upn: null, upnUnknownReason: null };
    refuses(R.rule8770Q(child, false, today), '8770Q');
    refuses(R.rule8770Q({ ...child, upnUnknownReason: 'UN1' }, false, today), '8770Q');
    expect(R.rule8770Q({ ...child, upnUnknownReason: 'UN1' }, false, today)!.message).toContain(
      'not of school age (UN1)',
    );
    expect(R.rule8770Q(child, false, today, 'childRecord')?.field).toBe('childRecord');
    accepts(R.rule8770Q({ ...child, upn: 'A318204121117' }, false, today));
    for (const reason of ['UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'])
      accepts(R.rule8770Q({ ...child, upnUnknownReason: reason }, false, today));
    accepts(R.rule8770Q({ ...child, dateOfBirth: '2023-09-01' }, false, today)); // reception in September 2028
    accepts(R.rule8770Q({ ...child, dateOfBirth: null }, false, today)); // unborn
    accepts(R.rule8770Q(child, true, today)); // no further action
    // In March the return is the one ending that month: born by 31 August 2022.
    refuses(R.rule8770Q({ ...child, dateOfBirth: '2022-08-31' }, false, '2026-03-15'), '8770Q');
    accepts(R.rule8770Q({ ...child, dateOfBirth: '2022-09-01' }, false, '2026-03-15'));
  });
  it('8569Q a referral from before the working day before this census year is not “no further action”', () => {
    // 1 April 2026 is a Wednesday: the working day before is Tuesday 31 March.
    refuses(R.rule8569Q('2026-03-30', true, '2026-03-31'), '8569Q');
    accepts(R.rule8569Q('2026-03-31', true, '2026-03-31'));
    accepts(R.rule8569Q('2026-03-30', false, '2026-03-31'));
  });
  it('8545Q a date of death before this census year is queried', () => {
    refuses(R.rule8545Q('2026-03-31', '2026-11-24'), '8545Q');
    accepts(R.rule8545Q('2026-04-01', '2026-11-24'));
    accepts(R.rule8545Q(null, '2026-11-24'));
  });
  it('8600 the referral date is not after the census reference date (at entry: after today)', () => {
    refuses(R.rule8600('2026-11-25', '2026-11-24'), '8600');
    accepts(R.rule8600('2026-11-24', '2026-11-24'));
  });
  it('8775Q a child over 25 at the reference date is queried', () => {
    // The return at 31 March 2027: born before 31 March 2002.
    refuses(R.rule8775Q('2002-03-30', '2026-11-24'), '8775Q');
    accepts(R.rule8775Q('2002-03-31', '2026-11-24'));
    accepts(R.rule8775Q('2015-06-01', '2026-11-24'));
    accepts(R.rule8775Q(null, '2026-11-24'));
  });
  it('4010 and 8720 a plan cannot start after the census reference date (at entry: after today)', () => {
    refuses(R.rule4010('2026-11-25', '2026-11-24'), '4010');
    accepts(R.rule4010('2026-11-24', '2026-11-24'));
    refuses(R.rule8720('2026-11-25', '2026-11-24'), '8720');
    accepts(R.rule8720('2026-11-24', '2026-11-24'));
  });
  it('8930 a child protection plan’s end date before this census year is a query', () => {
    refuses(
      R.censusYearQuery('8930', '2026-03-31', '2026-11-24', 'plan’s end date', 'endDate'),
      '8930',
      'query',
    );
    accepts(R.censusYearQuery('8930', '2026-04-01', '2026-11-24', 'plan’s end date', 'endDate'));
  });
  it('the census reference date is 31 March at the end of the collection year', () => {
    expect(R.collectionYearEnd('2026-03-31')).toBe('2026-03-31');
    expect(R.collectionYearEnd('2026-04-01')).toBe('2027-03-31');
  });
  it('the census collection year starts on 1 April', () => {
    expect(R.collectionYearStart('2026-03-31')).toBe('2025-04-01');
    expect(R.collectionYearStart('2026-04-01')).toBe('2026-04-01');
    expect(R.collectionYearStart('2026-11-24')).toBe('2026-04-01');
  });
  it('childRules runs every child-level rule together', () => {
    const ok = {
      dateOfBirth: '2016-05-14',
      expectedDateOfBirth: null,
      dateOfDeath: null,
      sex: 'M',
      ethnicityCode: 'WBRI',
      disabilities: ['NONE'],
    };
    expect(R.childRules(ok, false).filter(Boolean)).toEqual([]);
    const bad = R.childRules(
      { ...ok, sex: null, ethnicityCode: null, disabilities: [], expectedDateOfBirth: '2016-05-01' },
      false,
    ).filter((v) => v !== null);
    expect(bad.map((v) => v.rule)).toEqual(['4180', '4220', '8540', '8525Q']);
  });
});

describe('census rules: the episode', () => {
  it('8820 episodes do not overlap (one may close the day the next is referred)', () => {
    const closed = {
      reference: 'CIN-1',
      referralDate: '2026-01-10',
      closureDate: '2026-03-01',
      referralNfa: false,
    };
    const open = { reference: 'CIN-2', referralDate: '2026-06-01', closureDate: null, referralNfa: false };
    const openNfa = { reference: 'CIN-3', referralDate: '2026-05-01', closureDate: null, referralNfa: true };
    refuses(R.rule8820('2026-02-01', [closed]), '8820');
    refuses(R.rule8820('2026-01-10', [closed]), '8820');
    refuses(R.rule8820('2026-07-01', [open]), '8820');
    accepts(R.rule8820('2026-03-01', [closed]));
    accepts(R.rule8820('2026-01-09', [closed]));
    accepts(R.rule8820('2026-05-31', [open]));
    accepts(R.rule8820('2026-05-20', [openNfa]));
    expect(R.rule8820('2026-02-01', [closed])!.message).toContain('CIN-1');
  });
  it('8866 the referral source is a census code', () => {
    refuses(R.rule8866('11'), '8866');
    refuses(R.rule8866(''), '8866');
    accepts(R.rule8866('5D'));
  });
  it('8650 a primary need code, when given, is a census code', () => {
    refuses(R.rule8650('N10'), '8650');
    accepts(R.rule8650('N0'));
    accepts(R.rule8650(null));
  });
  it('8610 a referral that led to further action has a primary need', () => {
    refuses(R.rule8610(false, null), '8610');
    accepts(R.rule8610(false, 'N1'));
    accepts(R.rule8610(true, null));
  });
  it('8606 the referral is not more than 40 weeks before the (expected) date of birth', () => {
    refuses(R.rule8606('2026-01-01', null, '2026-10-09'), '8606');
    accepts(R.rule8606('2026-01-02', null, '2026-10-09'));
    accepts(R.rule8606('2026-01-01', '2015-05-05', null));
  });
  it('8555Q a referral after the date of death is a query', () => {
    refuses(R.rule8555Q('2026-11-02', '2026-11-01'), '8555Q');
    accepts(R.rule8555Q('2026-11-01', '2026-11-01'));
    accepts(R.rule8555Q('2026-11-02', null));
  });
  it('8831 nothing is recorded on a referral marked no further action', () => {
    refuses(R.rule8831(true, 'assessment'), '8831');
    accepts(R.rule8831(false, 'assessment'));
  });
  it('8832 no child protection plan on an NFA referral', () => {
    refuses(R.rule8832(true), '8832');
    accepts(R.rule8832(false));
  });
  it('4000 no child in need plan on an NFA referral', () => {
    refuses(R.rule4000(true), '4000');
    accepts(R.rule4000(false));
  });
});

describe('census rules: assessments', () => {
  it('1103 the assessment starts on or after the referral', () => {
    refuses(R.rule1103('2026-11-01', '2026-11-02'), '1103');
    accepts(R.rule1103('2026-11-02', '2026-11-02'));
  });
  it('8608 an assessment is not authorised before it started', () => {
    refuses(R.rule8608('2026-11-10', '2026-11-09'), '8608');
    accepts(R.rule8608('2026-11-10', '2026-11-10'));
    accepts(R.rule8608('2026-11-10', null));
  });
  it('8896 one open assessment per episode', () => {
    refuses(R.rule8896(1), '8896');
    accepts(R.rule8896(0));
  });
  it('8863Q an assessment should not start while another was ongoing', () => {
    refuses(R.rule8863Q('2026-11-05', [{ start: '2026-11-01', end: '2026-11-05' }]), '8863Q');
    refuses(R.rule8863Q('2026-12-05', [{ start: '2026-11-01', end: null }]), '8863Q');
    accepts(R.rule8863Q('2026-11-06', [{ start: '2026-11-01', end: '2026-11-05' }]));
  });
  it('8614 factors only on an authorised assessment', () => {
    refuses(R.rule8614(['1B'], null), '8614');
    accepts(R.rule8614(['1B'], '2026-11-20'));
    accepts(R.rule8614([], null));
  });
  it('factors are census codes (N00181): a code-set error, not the query 8897Q', () => {
    const v = R.factorCodesValid(['1B', '99Z']);
    expect(v).toMatchObject({ rule: '', kind: 'error', field: 'factors' });
    expect(v!.message).toContain('99Z');
    expect(v!.message).not.toContain('8897Q');
    accepts(R.factorCodesValid(['1B', '24A']));
  });
  it('8869 “21 no factors” stands alone', () => {
    refuses(R.rule8869(['21', '1B']), '8869');
    accepts(R.rule8869(['21']));
    accepts(R.rule8869(['1B', '3B']));
  });
  it('8898 no factor twice', () => {
    refuses(R.rule8898(['1B', '3B', '1B']), '8898');
    accepts(R.rule8898(['1B', '3B']));
  });
  it('8897Q a completed assessment has at least one factor', () => {
    refuses(R.rule8897Q([]), '8897Q');
    accepts(R.rule8897Q(['21']));
  });
  it('8945Q 18A is discouraged', () => {
    refuses(R.rule8945Q(['18A']), '8945Q');
    accepts(R.rule8945Q(['18B', '18C']));
  });
  it('8950Q 19A is discouraged', () => {
    refuses(R.rule8950Q(['19A', '3B']), '8950Q');
    accepts(R.rule8950Q(['19C']));
  });
  it('8873Q a single assessment with no factors usually closes RC8 or RC9', () => {
    refuses(R.rule8873Q('RC7', [{ factors: ['21'] }]), '8873Q');
    accepts(R.rule8873Q('RC8', [{ factors: ['21'] }]));
    accepts(R.rule8873Q('RC7', [{ factors: ['21'] }, { factors: ['1B'] }]));
  });
});

describe('census rules: section 47 and the initial conference', () => {
  it('2889 the enquiry starts on or after the referral', () => {
    refuses(R.rule2889('2026-10-31', '2026-11-01'), '2889');
    accepts(R.rule2889('2026-11-01', '2026-11-01'));
  });
  it('8615 the enquiry starts on or before its conference', () => {
    refuses(R.rule8615('2026-11-10', '2026-11-09'), '8615');
    accepts(R.rule8615('2026-11-10', '2026-11-10'));
  });
  it('8839 one open enquiry per episode', () => {
    refuses(R.rule8839(1), '8839');
    accepts(R.rule8839(0));
  });
  it('8890 an enquiry does not start while another is ongoing', () => {
    refuses(
      R.rule8890('2026-11-05', [{ start: '2026-11-01', icpcDate: '2026-11-10', icpcNotRequired: false }]),
      '8890',
    );
    refuses(
      R.rule8890('2026-12-05', [{ start: '2026-11-01', icpcDate: null, icpcNotRequired: false }]),
      '8890',
    );
    accepts(R.rule8890('2026-12-05', [{ start: '2026-11-01', icpcDate: null, icpcNotRequired: true }]));
    accepts(
      R.rule8890('2026-11-11', [{ start: '2026-11-01', icpcDate: '2026-11-10', icpcNotRequired: false }]),
    );
  });
  it('2991Q an enquiry with no assessment is a query', () => {
    refuses(R.rule2991Q(0), '2991Q');
    accepts(R.rule2991Q(1));
  });
  it('1104 the conference is on or after the referral', () => {
    refuses(R.rule1104('2026-10-30', '2026-11-02'), '1104');
    accepts(R.rule1104('2026-11-02', '2026-11-02'));
  });
  it('8875 the conference is not at a weekend', () => {
    refuses(R.rule8875('2026-11-21'), '8875'); // a Saturday
    refuses(R.rule8875('2026-11-22'), '8875'); // a Sunday
    accepts(R.rule8875('2026-11-23'));
  });
  it('8870Q the conference target is not at a weekend', () => {
    refuses(R.rule8870Q('2026-11-22'), '8870Q');
    accepts(R.rule8870Q('2026-11-24'));
    accepts(R.rule8870Q(null));
  });
  it('2884 a conference is recorded in one place only', () => {
    refuses(
      R.rule2884({ linkedToEnquiry: false, episodeHasEnquiry: true, episodeLevelConferences: 0 }),
      '2884',
    );
    refuses(
      R.rule2884({ linkedToEnquiry: false, episodeHasEnquiry: false, episodeLevelConferences: 1 }),
      '2884',
    );
    refuses(
      R.rule2884({ linkedToEnquiry: true, episodeHasEnquiry: true, episodeLevelConferences: 1 }),
      '2884',
    );
    refuses(
      R.rule2884({
        linkedToEnquiry: true,
        episodeHasEnquiry: true,
        episodeLevelConferences: 0,
        enquiryAlreadyHasConference: true,
      }),
      '2884',
    );
    accepts(R.rule2884({ linkedToEnquiry: true, episodeHasEnquiry: true, episodeLevelConferences: 0 }));
    accepts(R.rule2884({ linkedToEnquiry: false, episodeHasEnquiry: false, episodeLevelConferences: 0 }));
  });
});

describe('census rules: child protection plans', () => {
  it('1105 a plan starts on or after the referral', () => {
    refuses(R.rule1105('2026-10-01', '2026-10-02'), '1105');
    accepts(R.rule1105('2026-10-02', '2026-10-02'));
  });
  it('2885 a plan starts on the date of an initial conference', () => {
    refuses(R.rule2885('2026-11-20', ['2026-11-19']), '2885');
    refuses(R.rule2885('2026-11-20', []), '2885');
    accepts(R.rule2885('2026-11-19', ['2026-11-19']));
  });
  it('8905 the initial category is a census code', () => {
    refuses(R.rule8905('ABC'), '8905');
    refuses(R.rule8905(undefined), '8905');
    accepts(R.rule8905('NEG'));
  });
  it('8910 the latest category is a census code', () => {
    refuses(R.rule8910('neglect'), '8910');
    accepts(R.rule8910('EMO'));
  });
  it('8730 the number of previous plans is present and not negative', () => {
    refuses(R.rule8730(-1), '8730');
    refuses(R.rule8730(null), '8730');
    accepts(R.rule8730(0));
  });
  it('8935 one open plan per child', () => {
    refuses(R.rule8935(1), '8935');
    accepts(R.rule8935(0));
  });
  it('8940 plans do not overlap', () => {
    refuses(R.rule8940('2026-05-01', [{ start: '2026-01-10', end: '2026-06-01' }]), '8940');
    refuses(R.rule8940('2026-07-01', [{ start: '2026-01-10', end: null }]), '8940');
    accepts(R.rule8940('2026-06-01', [{ start: '2026-01-10', end: '2026-06-01' }]));
  });
  it('8840 a plan does not start and end on the same day', () => {
    refuses(R.rule8840('2026-11-02', '2026-11-02'), '8840');
    accepts(R.rule8840('2026-11-02', '2026-11-03'));
  });
  it('8925 a plan does not end before it started', () => {
    refuses(R.rule8925('2026-11-02', '2026-11-01'), '8925');
    accepts(R.rule8925('2026-11-02', '2026-11-03'));
  });
  it('8841 a review conference is after the start of the plan', () => {
    refuses(R.rule8841('2026-11-02', '2026-11-02'), '8841');
    accepts(R.rule8841('2026-11-03', '2026-11-02'));
  });
  it('4003 no review conference while a child in need plan is open', () => {
    refuses(R.rule4003('2026-11-10', [{ start: '2026-11-01', end: null }], null), '4003');
    accepts(R.rule4003('2026-11-10', [{ start: '2026-11-01', end: '2026-11-05' }], null));
    accepts(R.rule4003('2026-11-10', [{ start: '2026-11-01', end: '2026-11-10' }], '2026-11-10'));
  });
  it('8915 a plan does not start after the date of death', () => {
    refuses(R.rule8915('2026-11-02', '2026-11-01'), '8915');
    accepts(R.rule8915('2026-11-01', '2026-11-01'));
  });
  it('8920 a plan does not end after the date of death', () => {
    refuses(R.rule8920('2026-11-02', '2026-11-01'), '8920');
    accepts(R.rule8920('2026-11-01', '2026-11-01'));
  });
  it('4017 a plan does not start while a child in need plan is open (it may start the day one ends)', () => {
    refuses(R.rule4017('2026-11-05', [{ start: '2026-11-01', end: '2026-11-10' }]), '4017');
    refuses(R.rule4017('2026-11-01', [{ start: '2026-11-01', end: null }]), '4017');
    accepts(R.rule4017('2026-11-10', [{ start: '2026-11-01', end: '2026-11-10' }]));
  });
  it('4001 a child in need plan and a child protection plan are never open together', () => {
    refuses(R.rule4001(true, true), '4001');
    accepts(R.rule4001(true, false));
  });
});

describe('census rules: child in need plans', () => {
  it('4004 one open child in need plan', () => {
    refuses(R.rule4004(1), '4004');
    accepts(R.rule4004(0));
  });
  it('4011 a plan does not end before it started', () => {
    refuses(R.rule4011('2026-11-02', '2026-11-01'), '4011');
    accepts(R.rule4011('2026-11-02', '2026-11-02'));
  });
  it('4012Q starting and ending the same day is a query', () => {
    refuses(R.rule4012Q('2026-11-02', '2026-11-02'), '4012Q');
    accepts(R.rule4012Q('2026-11-02', '2026-11-03'));
  });
  it('4014 child in need plans do not overlap', () => {
    refuses(R.rule4014('2026-11-05', [{ start: '2026-11-01', end: '2026-11-05' }]), '4014');
    accepts(R.rule4014('2026-11-06', [{ start: '2026-11-01', end: '2026-11-05' }]));
  });
  it('4015 a plan starts on or after the referral', () => {
    refuses(R.rule4015('2026-10-31', '2026-11-01'), '4015');
    accepts(R.rule4015('2026-11-01', '2026-11-01'));
  });
  it('4016 a child in need plan does not start while a child protection plan is open', () => {
    refuses(R.rule4016('2026-11-05', [{ start: '2026-11-01', end: null }]), '4016');
    accepts(R.rule4016('2026-11-05', [{ start: '2026-11-01', end: '2026-11-05' }]));
  });
  it('4008 a plan does not start after the date of death', () => {
    refuses(R.rule4008('2026-11-02', '2026-11-01'), '4008');
    accepts(R.rule4008('2026-11-02', null));
  });
  it('4009Q a plan ending after the date of death is a query', () => {
    refuses(R.rule4009Q('2026-11-02', '2026-11-01'), '4009Q');
    accepts(R.rule4009Q('2026-11-01', '2026-11-01'));
  });
});

describe('census rules: closure', () => {
  it('8805 a closure date needs a reason', () => {
    refuses(R.rule8805('2026-11-02', null), '8805');
    accepts(R.rule8805('2026-11-02', 'RC7'));
  });
  it('8810 a reason needs a closure date', () => {
    refuses(R.rule8810('RC7', null), '8810');
    accepts(R.rule8810('RC7', '2026-11-02'));
  });
  it('8640 the reason is RC1 to RC9', () => {
    refuses(R.rule8640('RC10'), '8640');
    accepts(R.rule8640('RC9'));
  });
  it('8630 closure is on or after the referral', () => {
    refuses(R.rule8630('2026-10-31', '2026-11-01'), '8630');
    accepts(R.rule8630('2026-11-01', '2026-11-01'));
  });
  it('8867 every assessment is authorised before closure', () => {
    refuses(R.rule8867([{ authorisedOn: '2026-11-01' }, { authorisedOn: null }]), '8867');
    accepts(R.rule8867([{ authorisedOn: '2026-11-01' }]));
  });
  it('8868 every enquiry has its conference or is marked not required', () => {
    refuses(R.rule8868([{ icpcDate: null, icpcNotRequired: false }]), '8868');
    accepts(
      R.rule8868([
        { icpcDate: '2026-11-01', icpcNotRequired: false },
        { icpcDate: null, icpcNotRequired: true },
      ]),
    );
  });
  it('8825Q RC8 and RC9 expect an assessment', () => {
    refuses(R.rule8825Q('RC9', 0), '8825Q');
    accepts(R.rule8825Q('RC9', 1));
    accepts(R.rule8825Q('RC7', 0));
  });
  it('8565 nothing happens after the closure', () => {
    refuses(
      R.rule8565('2026-11-10', [{ label: 'start of the child in need plan', date: '2026-11-12' }]),
      '8565',
    );
    accepts(
      R.rule8565('2026-11-12', [
        { label: 'start of the child in need plan', date: '2026-11-12' },
        { label: 'x', date: null },
      ]),
    );
  });
  it('8585Q RC2 needs a date of death', () => {
    refuses(R.rule8585Q('RC2', null), '8585Q');
    accepts(R.rule8585Q('RC2', '2026-11-01'));
  });
  it('2990 RC8 and RC9 only when nothing but an assessment happened', () => {
    refuses(R.rule2990('RC9', { section47: false, conference: false, cpPlan: false, cinPlan: true }), '2990');
    refuses(R.rule2990('RC8', { section47: true, conference: false, cpPlan: false, cinPlan: false }), '2990');
    accepts(R.rule2990('RC9', { section47: false, conference: false, cpPlan: false, cinPlan: false }));
    accepts(R.rule2990('RC7', { section47: true, conference: true, cpPlan: true, cinPlan: true }));
  });
});
