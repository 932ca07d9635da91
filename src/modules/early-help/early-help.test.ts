import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARLY_HELP_ASSESSMENT_V1 } from '../../db/migrations/2026-11-26T0041-early-help-assessments.ts';
import { parseFormTemplate } from '../../kernel/forms-as-data/template.ts';
import { parseTemplateAnswers } from '../../kernel/forms-as-data/answers.ts';
import { assessmentBody } from '../../../test/builders/early-help.ts';
import {
  needsOf,
  riskAnalysisProblems,
  scalesOf,
  templateContractProblems,
  worriesOf,
} from './assessment-contract.ts';
import { barChart } from './chart.ts';
import {
  addMonths,
  distanceTravelled,
  followUpDueOn,
  reviewDueOn,
  scoreProblems,
  signed,
  uncoveredItems,
  type ScoreRow,
} from './early-help.ts';
import { computeImpact, drillDown, median, summariseScores, type ImpactInput } from './impact.ts';

const template = parseFormTemplate(EARLY_HELP_ASSESSMENT_V1);
const parse = (body: Record<string, unknown>, mode: 'draft' | 'complete' = 'complete') =>
  parseTemplateAnswers(template, body, { mode, today: '2026-11-24' });

describe('the default assessment template', () => {
  it('meets the contract the module relies on (risk analysis, domains, scales)', () => {
    expect(templateContractProblems(template)).toEqual([]);
  });

  it('names what is missing from a template that drops the risk analysis', () => {
    const broken = parseFormTemplate({
      ...EARLY_HELP_ASSESSMENT_V1,
      sections: EARLY_HELP_ASSESSMENT_V1.sections.filter((s) => s.id !== 'riskAnalysis'),
    });
    expect(templateContractProblems(broken)).toEqual(
      expect.arrayContaining([
        'riskAnalysis.worries is missing',
        'riskAnalysis.workerScale is missing',
        'riskAnalysis.familyScale is missing',
      ]),
    );
  });

  it('reads the worries, needs and both scalings from a complete answer', () => {
    const parsed = parse(assessmentBody({ workerScale: 3, familyScale: 6 }));
    expect(parsed.ok).toBe(true);
    const answers = parsed.answers;
    expect(riskAnalysisProblems(answers)).toEqual([]);
    expect(scalesOf(answers)).toEqual({ worker: 3, family: 6 });
    expect(worriesOf(answers)).toEqual([
      {
        position: 1,
        what: 'Ellie has missed 30% of school this term',
        whoIsWorried: 'The school and Jo',
        impact: 'Ellie falls behind and loses her friendships',
      },
    ]);
    expect(needsOf(answers)).toEqual([
      {
        domain: 'childDevelopment',
        position: 1,
        need: 'Ellie needs to be in school every day',
        outcome: 'education',
      },
    ]);
  });
});

describe('the risk analysis cannot be skipped', () => {
  it('lists every missing part, each against its field', () => {
    const { answers } = parse(
      assessmentBody({ worries: [], workingWell: '', workerScale: null, familyScale: null }),
      'draft',
    );
    const problems = riskAnalysisProblems(answers);
    expect(problems.map((p) => p.field)).toEqual([
      'riskAnalysis__worries__0__what',
      'riskAnalysis__workingWell',
      'riskAnalysis__workerScale',
      'riskAnalysis__familyScale',
    ]);
    expect(problems[0]!.message).toContain('add at least one worry');
  });

  it('needs who is worried and the impact on the child for each worry', () => {
    const { answers } = parse(
      {
        ...assessmentBody(),
        riskAnalysis__worries__0__impact: '',
        riskAnalysis__worries__0__whoIsWorried: '',
      },
      'draft',
    );
    expect(riskAnalysisProblems(answers).map((p) => p.message)).toEqual([
      'Risk analysis: say who is worried (worry 1)',
      'Risk analysis: say what could happen to the child if nothing changes (worry 1)',
    ]);
  });

  it('refuses a scaling outside 0 to 10 with a field error', () => {
    const parsed = parse({ ...assessmentBody(), riskAnalysis__workerScale: '11' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems).toContainEqual({
        path: ['riskAnalysis__workerScale'],
        message: 'Your scaling must be 10 or less',
      });
  });
});

describe('dates', () => {
  it('a review is due the chosen number of weeks after the last meeting', () => {
    expect(reviewDueOn('2026-11-24', 6)).toBe('2027-01-05');
    expect(reviewDueOn('2026-11-24', 8)).toBe('2027-01-19');
  });

  it('the follow-up is due 6 months after closure, on the last day of a shorter month', () => {
    expect(followUpDueOn('2026-11-24', 6)).toBe('2027-05-24');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
  });

  it('adding months never goes backwards and lands in the right month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 36 }),
        (y, m, d, n) => {
          const start = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const end = addMonths(start, n);
          const months = (Number(end.slice(0, 4)) - y) * 12 + Number(end.slice(5, 7)) - m;
          return end >= start && months === n && end.slice(8) === start.slice(8);
        },
      ),
    );
  });
});

const score = (
  subjectKey: string,
  value: number,
  recordedOn: string,
  occasion = 'review',
  subject = 'scale',
): ScoreRow => ({
  subject,
  subjectKey,
  score: value,
  occasion,
  recordedOn,
  recordedAt: new Date(`${recordedOn}T12:00:00Z`),
});

describe('distance travelled', () => {
  it('gives the first, latest and closing scores and the change, per thing scored', () => {
    const d = distanceTravelled([
      score('worker', 6, '2026-12-01'),
      score('worker', 3, '2026-10-01', 'assessment'),
      score('worker', 8, '2027-01-10', 'closure'),
      score('family', 4, '2026-10-01', 'assessment'),
    ]);
    expect(d).toEqual([
      {
        subject: 'scale',
        subjectKey: 'worker',
        first: 3,
        firstOn: '2026-10-01',
        latest: 8,
        latestOn: '2027-01-10',
        closing: 8,
        change: 5,
        count: 3,
      },
      {
        subject: 'scale',
        subjectKey: 'family',
        first: 4,
        firstOn: '2026-10-01',
        latest: 4,
        latestOn: '2026-10-01',
        closing: null,
        change: 0,
        count: 1,
      },
    ]);
    expect([signed(5), signed(0), signed(-2)]).toEqual(['+5', '0', '−2']);
  });

  it('scores recorded at the same instant (one day, a fixed clock) follow the order of the work, whatever order they come in', () => {
    const atOnce = [
      score('worker', 8, '2026-11-24', 'closure'),
      score('worker', 6, '2026-11-24', 'review'),
      score('worker', 4, '2026-11-24', 'assessment'),
    ];
    for (const rows of [atOnce, [...atOnce].reverse(), [atOnce[1]!, atOnce[0]!, atOnce[2]!]]) {
      expect(distanceTravelled(rows)[0]).toMatchObject({ first: 4, latest: 8, closing: 8, change: 4 });
    }
  });

  it('scores outside their scale are problems', () => {
    expect(
      scoreProblems([
        { field: 'workerScale', label: 'Your scaling', score: 11, kind: 'scale' },
        { field: 'd', label: 'Domain', score: 0, kind: 'domain' },
        { field: 'ok', label: 'Fine', score: 5, kind: 'domain' },
      ]),
    ).toEqual([
      {
        field: 'workerScale',
        message: 'Your scaling must be a whole number from 0 to 10',
        href: '#workerScale',
      },
      { field: 'd', message: 'Domain must be a whole number from 1 to 5', href: '#d' },
    ]);
  });
});

describe('every need and worry is met by a goal or has a reason', () => {
  it('lists those with neither', () => {
    const items = [
      { id: 'a', kind: 'worry', summary: 'x', notWorkedOnReason: null },
      { id: 'b', kind: 'need', summary: 'y', notWorkedOnReason: 'The family chose not to' },
      { id: 'c', kind: 'need', summary: 'z', notWorkedOnReason: null },
    ];
    expect(uncoveredItems(items, [{ itemId: 'c' }]).map((i) => i.id)).toEqual(['a']);
  });
});

describe('charts', () => {
  it('lays out bars on one scale, negative values to the left of zero', () => {
    const chart = barChart({
      id: 'c',
      title: 'T',
      description: 'D',
      bars: [
        { label: 'Up', value: 2 },
        { label: 'Down', value: -2 },
      ],
      max: 4,
      min: -4,
      width: 640,
    });
    const [up, down] = chart.bars;
    expect(up!.x).toBe(chart.zeroX);
    expect(down!.x + down!.width).toBe(chart.zeroX);
    expect(up!.width).toBe(down!.width);
    expect(down!.negative).toBe(true);
    expect(chart.height).toBeGreaterThan(2 * 22);
  });
});

describe('impact', () => {
  const input: ImpactInput = {
    asOf: '2026-12-15',
    closed: [
      {
        id: 'e1',
        reference: 'EH-1',
        clusterId: 'k1',
        clusterName: 'Richmond and Kew',
        leadAgencyId: null,
        leadAgencyName: null,
        closureReason: 'needs-met',
        closureOutcome: 'improved',
        openedOn: '2026-01-05',
        closedOn: '2026-06-01',
        steppedUp: false,
        recontacts: 0,
        firstRecontactOn: null,
        recontactWindowMonths: 6,
      },
      {
        id: 'e2',
        reference: 'EH-2',
        clusterId: 'k1',
        clusterName: 'Richmond and Kew',
        leadAgencyId: 'school',
        leadAgencyName: 'Orchard Primary School',
        closureReason: 'stepped-up',
        closureOutcome: 'not-improved',
        openedOn: '2026-02-01',
        closedOn: '2026-07-01',
        steppedUp: true,
        recontacts: 2,
        firstRecontactOn: '2026-08-20',
        recontactWindowMonths: 6,
      },
    ],
    followUps: [
      { episodeId: 'e1', dueOn: '2026-12-01', completedOn: '2026-12-02', sustained: 'yes' },
      { episodeId: 'e2', dueOn: '2027-01-01', completedOn: null, sustained: null },
    ],
    followUpGoals: [
      { episodeId: 'e1', goalId: 'g1', sustained: 'yes', kind: 'need', domain: 'childDevelopment' },
      { episodeId: 'e1', goalId: 'g1', sustained: 'yes', kind: 'worry', domain: null },
      { episodeId: 'e1', goalId: 'g3', sustained: 'partly', kind: 'need', domain: 'childDevelopment' },
      { episodeId: 'e1', goalId: 'g3', sustained: 'partly', kind: 'need', domain: 'childDevelopment' },
    ],
    distances: summariseScores([
      { ...score('worker', 3, '2026-01-20', 'assessment'), episodeId: 'e1' },
      { ...score('worker', 8, '2026-06-01', 'closure'), episodeId: 'e1' },
      { ...score('childDevelopment', 2, '2026-01-20', 'assessment', 'domain'), episodeId: 'e1' },
      { ...score('childDevelopment', 4, '2026-06-01', 'closure', 'domain'), episodeId: 'e1' },
      { ...score('worker', 5, '2026-02-10', 'assessment'), episodeId: 'e2' },
      { ...score('worker', 3, '2026-07-01', 'closure'), episodeId: 'e2' },
      { ...score('g1', 2, '2026-01-25', 'plan', 'goal'), episodeId: 'e1' },
      { ...score('g1', 9, '2026-06-01', 'closure', 'goal'), episodeId: 'e1' },
    ]),
    goals: [
      { id: 'g1', episodeId: 'e1', outcomeHeading: 'education', status: 'achieved' },
      { id: 'g2', episodeId: 'e2', outcomeHeading: 'education', status: 'not-achieved' },
    ],
    opened: [
      { id: 'e3', openedOn: '2026-03-01', firstMeetingOn: '2026-03-09' },
      { id: 'e4', openedOn: '2026-03-01', firstMeetingOn: '2026-04-15' },
      { id: 'e5', openedOn: '2026-03-01', firstMeetingOn: null },
    ],
    assessments: [
      { id: 'a1', episodeId: 'e1', status: 'completed', riskAnalysisComplete: true },
      { id: 'a2', episodeId: 'e3', status: 'draft', riskAnalysisComplete: false },
    ],
  };

  it('measures outcomes by domain, cluster, lead agency and need', () => {
    const impact = computeImpact(input);
    expect(impact.domains.find((d) => d.key === 'childDevelopment')).toMatchObject({
      n: 1,
      averageFirst: 2,
      averageClosing: 4,
      averageChange: 2,
      improved: 1,
      improvedShare: 100,
    });
    expect(impact.clusters).toEqual([
      {
        key: 'k1',
        label: 'Richmond and Kew',
        n: 2,
        improved: 1,
        improvedShare: 50,
        averageWorkerChange: 1.5,
      },
    ]);
    expect(impact.agencies.map((a) => [a.label, a.improvedShare, a.averageWorkerChange])).toEqual([
      ['Local authority early help', 100, 5],
      ['Orchard Primary School', 0, -2],
    ]);
    expect(impact.needs).toEqual([
      {
        key: 'education',
        label: 'Getting a good education',
        goals: 2,
        achieved: 1,
        achievedShare: 50,
        averageChange: 7,
      },
    ]);
  });

  it('measures re-contacts, step-ups, time to the first meeting and the risk analysis', () => {
    const impact = computeImpact(input);
    expect(impact.recontacts).toEqual({
      closed: 2,
      withRecontact: 1,
      share: 50,
      contacts: 2,
      windowMonths: [6],
      windowStillOpen: 1,
      buckets: [
        { key: 'within-month', label: 'Within a month of closure', count: 0 },
        { key: 'one-to-three', label: '1 to 3 months after closure', count: 1 },
        { key: 'after-three', label: 'More than 3 months after closure', count: 0 },
        { key: 'none', label: 'No re-contact in the window', count: 1 },
      ],
    });
    expect(impact.stepUps).toEqual({ closed: 2, steppedUp: 1, share: 50 });
    expect(impact.firstMeeting).toMatchObject({ opened: 3, held: 2, medianDays: 26.5, averageDays: 26.5 });
    expect(impact.firstMeeting.buckets.map((b) => b.count)).toEqual([1, 0, 0, 1, 1]);
    expect(impact.riskAnalysis).toMatchObject({ assessments: 2, complete: 1, incomplete: 1, share: 50 });
    expect(impact.families.find((f) => f.id === 'e1')!.worker).toMatchObject({
      first: 3,
      closing: 8,
      change: 5,
    });
  });

  it('measures outcomes sustained at the follow-up, overall and by domain (the worst goal in a domain counts)', () => {
    const { sustained } = computeImpact(input);
    expect(sustained).toMatchObject({ closed: 2, checked: 1, notYetChecked: 1, overdue: 0 });
    expect(sustained.overall).toEqual({
      key: 'overall',
      label: 'Overall (the follow-up’s judgement)',
      checked: 1,
      yes: 1,
      partly: 0,
      no: 0,
      share: 100,
    });
    expect(sustained.scopes.map((s) => [s.key, s.checked, s.yes, s.partly, s.share])).toEqual([
      ['overall', 1, 1, 0, 100],
      ['childDevelopment', 1, 0, 1, 0],
      ['parentingCapacity', 0, 0, 0, null],
      ['familyEnvironment', 0, 0, 0, null],
      ['worries', 1, 1, 0, 100],
    ]);
    expect(drillDown(input, 'sustained', 'overall.yes')).toEqual(['e1']);
    expect(drillDown(input, 'sustained', 'childDevelopment.partly')).toEqual(['e1']);
    expect(drillDown(input, 'sustained', 'childDevelopment.yes')).toEqual([]);
    expect(drillDown(input, 'sustained', 'overall.unchecked')).toEqual(['e2']);
    expect(drillDown(input, 'recontact', 'one-to-three')).toEqual(['e2']);
    expect(drillDown(input, 'recontact', 'none')).toEqual(['e1']);
  });

  it('finds the episodes behind each number', () => {
    expect(drillDown(input, 'closed', undefined)).toEqual(['e1', 'e2']);
    expect(drillDown(input, 'recontact', undefined)).toEqual(['e2']);
    expect(drillDown(input, 'step-up', undefined)).toEqual(['e2']);
    expect(drillDown(input, 'agency', 'la')).toEqual(['e1']);
    expect(drillDown(input, 'need', 'education')).toEqual(['e1', 'e2']);
    expect(drillDown(input, 'domain', 'childDevelopment')).toEqual(['e1']);
    expect(drillDown(input, 'first-meeting', 'none')).toEqual(['e5']);
    expect(drillDown(input, 'risk-analysis', 'incomplete')).toEqual(['e3']);
  });

  it('the median of an even list is the mean of the middle two', () => {
    expect([median([]), median([5]), median([1, 9, 3, 4])]).toEqual([null, 5, 3.5]);
  });
});
