import { describe, expect, it } from 'vitest';
import { generateUpn, upnCheckLetter } from '../../kernel/identifiers/index.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import type { CensusChild } from './census-scope.ts';
import { CensusReturnTotals, validateCensusChild, type CensusFailure } from './census-validate.ts';
import { CENSUS_YEARS, censusRule } from './census-years.ts';

/**
 * A test per rule of the 2025-26 ruleset: a child that meets every rule, then for each rule a change to the record
 * that breaks it, and the validator reports that rule (with the DfE's kind and a fix target).
 */

const year = CENSUS_YEARS['2025-26'];
const cal = englandAndWalesCalendar;
const context = {
  year,
  dayBeforeYear: cal.previousWorkingDay(year.periodStart),
  workingDaysBetween: (a: string, b: string) => cal.workingDaysBetween(a, b),
};

type Episode = CensusChild['episodes'][number];

function aValidChild(): CensusChild {
  return {
    id: 'child-1',
    laChildId: 'RT000001',
    givenName: 'Olivia',
    familyName: 'Test',
    upn: generateUpn({ laCode: 318, establishment: 2001, year: 2019, serial: 1 }),
    formerUpn: null,
    upnUnknownReason: null,
    upnUnknown: null,
    dateOfBirth: '2015-06-01',
    expectedDateOfBirth: null,
    dateOfDeath: null,
    sex: 'F',
    ethnicityCode: 'WBRI',
    disabilities: ['HAND', 'MOB'],
    workerId: 'worker-1',
    workerName: 'Sian Walker',
    explanations: [],
    episodes: [anEpisode()],
  };
}

function anEpisode(overrides: Partial<Episode> = {}): Episode {
  return {
    id: 'episode-1',
    reference: 'CIN-1',
    referralDate: '2025-05-01',
    referralSource: '2A',
    primaryNeedCode: 'N1',
    referralNfa: false,
    closureDate: null,
    closureReason: null,
    teamId: 'team-1',
    teamName: 'Assessment Team',
    episodeConference: null,
    assessments: [
      { id: 'assessment-1', startDate: '2025-05-02', authorisedOn: '2025-05-30', factors: ['3B'] },
    ],
    cinPlans: [{ id: 'cin-plan-1', startDate: '2025-05-03', endDate: '2025-05-20' }],
    section47s: [
      {
        id: 's47-1',
        startDate: '2025-05-06',
        icpcTarget: '2025-05-20',
        icpcNotRequired: false,
        outcomeOn: '2025-05-06',
        conferenceId: 'conference-1',
        icpcDate: '2025-05-20',
      },
    ],
    cpPlans: [
      {
        id: 'cp-plan-1',
        startDate: '2025-05-20',
        endDate: null,
        initialCategory: 'NEG',
        latestCategory: 'NEG',
        previousPlans: 0,
        reviews: [{ id: 'review-1', heldOn: '2025-08-19' }],
      },
    ],
    preProceedings: [],
    ...overrides,
  };
}

const rulesOf = (failures: CensusFailure[]) => failures.map((f) => f.rule);
const e = (c: CensusChild) => c.episodes[0]!;

const BROKEN: Record<string, (c: CensusChild) => void> = {
  '1103': (c) => (e(c).assessments[0]!.startDate = '2025-04-30'),
  '1104': (c) => {
    e(c).section47s[0]!.startDate = '2025-04-28';
    e(c).section47s[0]!.icpcDate = '2025-04-29';
  },
  '1105': (c) => (e(c).cpPlans[0]!.startDate = '2025-04-30'),
  '1510': (c) => (c.upn = (c.upn![0] === 'A' ? 'B' : 'A') + c.upn!.slice(1)),
  '1530': (c) => (c.upn = upnCheckLetter('999200119001') + '999200119001'),
  '1540': (c) => (c.upn = 'A31820A119001'),
  '1550': (c) => (c.upn = 'A31820011900I'),
  '1560Q': (c) => (c.formerUpn = 'X123'),
  '1570': (c) => (c.laChildId = 'A'.repeat(21)),
  '1580': (c) => (c.laChildId = 'RT-1'),
  '2884': (c) => (e(c).episodeConference = { id: 'conference-2', heldOn: '2025-05-20' }),
  '2885': (c) => (e(c).cpPlans[0]!.startDate = '2025-05-21'),
  '2889': (c) => (e(c).section47s[0]!.startDate = '2025-04-30'),
  '2990': (c) => {
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC8';
  },
  '2991Q': (c) => (e(c).assessments = []),
  '4000': (c) => (e(c).referralNfa = true),
  '4001': (c) => (e(c).cinPlans[0]!.endDate = null),
  '4003': (c) => e(c).cinPlans.push({ id: 'cin-plan-2', startDate: '2025-08-01', endDate: '2025-08-30' }),
  '4004': (c) =>
    (e(c).cinPlans = [
      { id: 'a', startDate: '2025-05-03', endDate: null },
      { id: 'b', startDate: '2025-05-04', endDate: null },
    ]),
  '4008': (c) => (c.dateOfDeath = '2025-05-02'),
  '4009Q': (c) => (c.dateOfDeath = '2025-05-10'),
  '4010': (c) => e(c).cinPlans.push({ id: 'late', startDate: '2026-04-10', endDate: null }),
  '4011': (c) => (e(c).cinPlans[0]!.endDate = '2025-05-02'),
  '4012Q': (c) => (e(c).cinPlans[0]!.endDate = '2025-05-03'),
  '4013': (c) => e(c).cinPlans.push({ id: 'old', startDate: '2025-03-01', endDate: '2025-03-20' }),
  '4014': (c) => e(c).cinPlans.push({ id: 'overlap', startDate: '2025-05-10', endDate: '2025-05-12' }),
  '4015': (c) => (e(c).cinPlans[0]!.startDate = '2025-04-30'),
  '4016': (c) => e(c).cinPlans.push({ id: 'during-cp', startDate: '2025-06-01', endDate: '2025-06-10' }),
  '4017': (c) => (e(c).cinPlans[0]!.endDate = '2025-06-01'),
  '4180': (c) => (c.sex = null),
  '4220': (c) => (c.ethnicityCode = 'XXXX'),
  '8500': (c) => (c.laChildId = null),
  '8520': (c) => (c.dateOfBirth = '2026-04-05'),
  '8525Q': (c) => (c.expectedDateOfBirth = '2015-06-10'),
  '8530Q': (c) => {
    c.dateOfBirth = null;
    c.expectedDateOfBirth = '2027-06-01';
    c.sex = 'U';
  },
  '8535Q': (c) => (c.dateOfDeath = '2015-01-01'),
  '8540': (c) => (c.disabilities = []),
  '8545Q': (c) => (c.dateOfDeath = '2025-03-01'),
  '8555Q': (c) => (c.dateOfDeath = '2025-04-20'),
  '8565': (c) => {
    e(c).closureDate = '2025-05-25';
    e(c).closureReason = 'RC7';
  },
  '8568': (c) => (e(c).referralNfa = undefined as unknown as boolean),
  '8569Q': (c) => (c.episodes = [anEpisode({ referralDate: '2025-03-01', referralNfa: true, ...nothing() })]),
  '8585Q': (c) => {
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC2';
  },
  '8590': (c) => (c.episodes = []),
  '8600': (c) => (e(c).referralDate = '2026-04-10'),
  '8606': (c) => (c.dateOfBirth = '2026-03-01'),
  '8608': (c) => (e(c).assessments[0]!.authorisedOn = '2025-05-01'),
  '8610': (c) => (e(c).primaryNeedCode = null),
  '8614': (c) => (e(c).assessments[0]!.authorisedOn = null),
  '8615': (c) => (e(c).section47s[0]!.startDate = '2025-05-21'),
  '8620': (c) => {
    e(c).closureDate = '2026-04-05';
    e(c).closureReason = 'RC7';
  },
  '8630': (c) => {
    e(c).closureDate = '2025-04-20';
    e(c).closureReason = 'RC7';
  },
  '8640': (c) => {
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC99';
  },
  '8650': (c) => (e(c).primaryNeedCode = 'N99'),
  '8670Q': (c) =>
    e(c).assessments.push({ id: 'open', startDate: '2025-06-02', authorisedOn: null, factors: [] }),
  '8675Q': (c) =>
    e(c).section47s.push({
      id: 'open',
      startDate: '2025-06-02',
      icpcTarget: null,
      icpcNotRequired: false,
      outcomeOn: null,
      conferenceId: null,
      icpcDate: null,
    }),
  '8696': (c) => {
    e(c).assessments[0]!.startDate = '2025-03-01';
    e(c).assessments[0]!.authorisedOn = '2025-03-20';
  },
  '8715': (c) => {
    e(c).section47s[0]!.startDate = '2025-03-03';
    e(c).section47s[0]!.icpcDate = '2025-03-20';
  },
  '8720': (c) => (e(c).cpPlans[0]!.startDate = '2026-04-10'),
  '8730': (c) => (e(c).cpPlans[0]!.previousPlans = -1),
  '8736': (c) =>
    e(c).assessments.push({ id: 'open-old', startDate: '2025-03-03', authorisedOn: null, factors: [] }),
  '8740': (c) =>
    e(c).section47s.push({
      id: 'open-old',
      startDate: '2025-03-03',
      icpcTarget: null,
      icpcNotRequired: false,
      outcomeOn: null,
      conferenceId: null,
      icpcDate: null,
    }),
  '8750': (c) => {
    c.dateOfBirth = null;
    c.expectedDateOfBirth = '2026-06-01';
  },
  '8770Q': (c) => (c.upn = null),
  '8772': (c) => {
    c.upn = null;
    c.upnUnknown = 'UN7';
  },
  '8775Q': (c) => (c.dateOfBirth = '1999-01-01'),
  '8790': (c) => (c.disabilities = ['NONE', 'MOB']),
  '8794': (c) => (c.disabilities = ['MOB', 'MOB']),
  '8805': (c) => (e(c).closureDate = '2026-03-02'),
  '8810': (c) => (e(c).closureReason = 'RC7'),
  '8815': (c) => c.episodes.unshift(anEpisode({ id: 'episode-0', referralDate: '2025-04-10', ...nothing() })),
  '8816': (c) =>
    c.episodes.push(
      anEpisode({
        id: 'episode-2',
        referralDate: '2026-02-02',
        closureDate: '2026-02-03',
        closureReason: 'RC7',
        ...nothing(),
      }),
    ),
  '8820': (c) =>
    c.episodes.push(
      anEpisode({
        id: 'episode-2',
        referralDate: '2025-05-05',
        closureDate: '2025-05-06',
        closureReason: 'RC7',
        ...nothing(),
      }),
    ),
  '8825Q': (c) =>
    (c.episodes = [anEpisode({ closureDate: '2025-05-01', closureReason: 'RC8', ...nothing() })]),
  '8831': (c) => {
    e(c).referralNfa = true;
    e(c).cinPlans = [];
    e(c).cpPlans = [];
  },
  '8832': (c) => (e(c).referralNfa = true),
  '8839': (c) => {
    e(c).section47s[0]!.icpcDate = null;
    e(c).section47s.push({ ...e(c).section47s[0]!, id: 's47-2', startDate: '2026-03-20', icpcTarget: null });
  },
  '8840': (c) => (e(c).cpPlans[0]!.endDate = '2025-05-20'),
  '8841': (c) => (e(c).cpPlans[0]!.reviews[0]!.heldOn = '2025-05-20'),
  '8842Q': (c) => (e(c).cpPlans[0]!.reviews[0]!.heldOn = ''),
  '8863Q': (c) =>
    e(c).assessments.push({
      id: 'during',
      startDate: '2025-05-10',
      authorisedOn: '2025-05-12',
      factors: ['3B'],
    }),
  '8866': (c) => (e(c).referralSource = 'ZZ'),
  '8867': (c) => {
    e(c).assessments[0]!.authorisedOn = null;
    e(c).assessments[0]!.factors = [];
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC7';
  },
  '8868': (c) => {
    e(c).section47s[0]!.icpcDate = null;
    e(c).cpPlans = [];
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC7';
  },
  '8869': (c) => (e(c).assessments[0]!.factors = ['21', '3B']),
  '8870Q': (c) => (e(c).section47s[0]!.icpcTarget = '2025-05-17'),
  '8873Q': (c) => {
    e(c).assessments[0]!.factors = ['21'];
    e(c).closureDate = '2026-03-02';
    e(c).closureReason = 'RC7';
  },
  '8875': (c) => (e(c).section47s[0]!.icpcDate = '2025-05-18'),
  '8890': (c) =>
    e(c).section47s.push({
      ...e(c).section47s[0]!,
      id: 's47-2',
      startDate: '2025-05-10',
      conferenceId: null,
    }),
  '8896': (c) =>
    e(c).assessments.push(
      { id: 'open-1', startDate: '2026-03-02', authorisedOn: null, factors: [] },
      { id: 'open-2', startDate: '2026-03-03', authorisedOn: null, factors: [] },
    ),
  '8897Q': (c) => (e(c).assessments[0]!.factors = []),
  '8898': (c) => (e(c).assessments[0]!.factors = ['3B', '3B']),
  '8905': (c) => (e(c).cpPlans[0]!.initialCategory = 'XXX'),
  '8910': (c) => (e(c).cpPlans[0]!.latestCategory = 'XXX'),
  '8915': (c) => (c.dateOfDeath = '2025-05-19'),
  '8920': (c) => {
    c.dateOfDeath = '2025-09-01';
    e(c).cpPlans[0]!.endDate = '2025-09-02';
  },
  '8925': (c) => (e(c).cpPlans[0]!.endDate = '2025-05-19'),
  '8930': (c) =>
    e(c).cpPlans.unshift({
      id: 'old',
      startDate: '2025-01-06',
      endDate: '2025-03-20',
      initialCategory: 'NEG',
      latestCategory: 'NEG',
      previousPlans: 0,
      reviews: [],
    }),
  '8935': (c) =>
    e(c).cpPlans.push({ ...e(c).cpPlans[0]!, id: 'cp-plan-2', startDate: '2026-03-02', reviews: [] }),
  '8940': (c) =>
    e(c).cpPlans.push({
      ...e(c).cpPlans[0]!,
      id: 'cp-plan-2',
      startDate: '2025-06-02',
      endDate: '2025-06-03',
      reviews: [],
    }),
  '8945Q': (c) => (e(c).assessments[0]!.factors = ['18A']),
  '8950Q': (c) => (e(c).assessments[0]!.factors = ['19A']),
};

function nothing(): Partial<Episode> {
  return {
    assessments: [],
    cinPlans: [],
    section47s: [],
    cpPlans: [],
    preProceedings: [],
    episodeConference: null,
  };
}

/** Rules over the whole return, with the children that break them. */
const RETURN_LEVEL: Record<string, () => { children: CensusChild[]; referenceDate?: string }> = {
  '100': () => ({ children: [aValidChild()], referenceDate: '2026-03-30' }),
  '1520': () => ({ children: [aValidChild(), { ...aValidChild(), id: 'child-2', laChildId: 'RT000002' }] }),
  '8510': () => ({
    children: [aValidChild(), { ...aValidChild(), id: 'child-2', upn: null, upnUnknown: 'UN4' }],
  }),
  '2883': () => {
    const c = aValidChild();
    e(c).section47s[0]!.icpcDate = null;
    e(c).section47s[0]!.icpcNotRequired = true;
    return { children: [c] };
  },
  '2886Q': () => ({ children: [{ ...aValidChild(), sex: null }] }),
  '2887Q': () => ({ children: [aValidChild()] }),
  '2888Q': () => ({ children: [{ ...aValidChild(), disabilities: ['MOB'] }] }),
};

function validateReturn(children: CensusChild[], referenceDate = year.referenceDate) {
  const totals = new CensusReturnTotals(year);
  const failures = children.flatMap((c) => [...validateCensusChild(c, context), ...totals.add(c)]);
  return [...failures, ...totals.finish(referenceDate)];
}

describe('the whole-return validator, 2025-26', () => {
  it('passes the valid child', () => {
    expect(validateCensusChild(aValidChild(), context)).toEqual([]);
  });

  it('has a test for every one of the 109 rules of the 2025-26 ruleset', () => {
    expect(year.rules).toHaveLength(109);
    expect(new Set([...Object.keys(BROKEN), ...Object.keys(RETURN_LEVEL)])).toEqual(new Set(year.rules));
  });

  it.each(Object.keys(BROKEN))('reports rule %s for a record that breaks it', (rule) => {
    const child = structuredClone(aValidChild());
    BROKEN[rule]!(child);
    const failures = validateCensusChild(child, context);
    expect(rulesOf(failures)).toContain(rule);
    const failure = failures.find((f) => f.rule === rule)!;
    expect(failure.kind).toBe(censusRule(rule).kind);
    expect(failure.childId).toBe('child-1');
    expect(failure.fix.kind).not.toBe('return');
    expect(failure.detail).not.toMatch(/\((rule|query) /);
  });

  it.each(Object.keys(RETURN_LEVEL))('reports return-level rule %s', (rule) => {
    const { children, referenceDate } = RETURN_LEVEL[rule]!();
    expect(rulesOf(validateReturn(children, referenceDate))).toContain(rule);
  });

  it('carries the explanation a worker gave at the point of entry with the query', () => {
    const child = aValidChild();
    e(child).assessments[0]!.factors = ['18A'];
    child.explanations = [
      { rule: '8945Q', subjectId: 'assessment-1', explanation: 'Recorded before 18B existed.' },
    ];
    const failure = validateCensusChild(child, context).find((f) => f.rule === '8945Q')!;
    expect(failure.explanation).toBe('Recorded before 18B existed.');
    expect(failure.fix).toEqual({ kind: 'assessment', id: 'assessment-1' });
  });

  it('reports the 2026-27 module 5 query (8995Q) when no child has pre-proceedings data, and not before', () => {
    const next = new CensusReturnTotals(CENSUS_YEARS['2026-27']);
    next.add(aValidChild());
    expect(rulesOf(next.finish('2027-03-31'))).toContain('8995Q');
    expect(rulesOf(validateReturn([aValidChild()]))).not.toContain('8995Q');
  });
});
