import { describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import * as R from './census-rules.ts';
import type { Violation } from './census-rules.ts';
import { preProceedingsItems, preProceedingsTimeline, type PreProceedingsFacts } from './pre-proceedings.ts';

/** The census module 5 rules, the items derived from a pre-proceedings record, and the 16-week timeline. */

function refuses(v: Violation | null, rule: string) {
  expect(v, `rule ${rule} should refuse`).not.toBeNull();
  expect(v!.rule).toBe(rule);
  expect(v!.kind).toBe(rule.endsWith('Q') ? 'query' : 'error');
}
const accepts = (v: Violation | null) => expect(v).toBeNull();

const started: PreProceedingsFacts = {
  lpmHeldOn: '2026-09-01',
  startedOn: '2026-09-01',
  lbpSentOn: null,
  initialMeetingOn: null,
  stepDecisionOn: null,
  stepDecision: null,
  outcome: null,
  courtApplicationOn: null,
  letterInitiatingOn: null,
  fgdmNotInInterestsOn: null,
  reviews: [],
  offers: [],
  fgdmMeetings: [],
};

describe('census module 5 rules (2026-27 drafts)', () => {
  it('9000Q asks about a record with no date pre-proceedings started', () => {
    refuses(R.rule9000Q(null), '9000Q');
    accepts(R.rule9000Q('2026-09-01'));
  });
  it('9006 the letter before proceedings is not before pre-proceedings started', () => {
    refuses(R.rule9006('2026-08-31', '2026-09-01'), '9006');
    accepts(R.rule9006('2026-09-01', '2026-09-01'));
  });
  it('9007 a letter sent says whether it offered an FGDM meeting', () => {
    refuses(R.rule9007('2026-09-03', null), '9007');
    accepts(R.rule9007('2026-09-03', false));
    accepts(R.rule9007(null, null));
  });
  it('9008 the first meeting is not before pre-proceedings started', () => {
    refuses(R.initialMeetingAfterStart('2026-08-30', '2026-09-01'), '9008');
    accepts(R.initialMeetingAfterStart('2026-09-10', '2026-09-01'));
  });
  it('9009 the step decision is not before pre-proceedings started', () => {
    refuses(R.rule9009('2026-08-30', '2026-09-01'), '9009');
    accepts(R.rule9009('2026-12-01', '2026-09-01'));
  });
  it('9010Q asks when an offered meeting is neither held nor settled', () => {
    refuses(R.rule9010Q(true, null), '9010Q');
    accepts(R.rule9010Q(true, false));
    accepts(R.rule9010Q(false, null));
  });
  it('9011 the outcome is A, B or C once the decision is made', () => {
    refuses(R.rule9011('2026-12-01', null), '9011');
    refuses(R.rule9011('2026-12-01', 'D'), '9011');
    accepts(R.rule9011('2026-12-01', 'B'));
    accepts(R.rule9011(null, null));
  });
  it('9012 the court application is not before the decision', () => {
    refuses(R.rule9012('2026-11-30', '2026-12-01'), '9012');
    accepts(R.rule9012('2026-12-02', '2026-12-01'));
  });
  it('9013 the letter initiating proceedings is not before the court application', () => {
    refuses(R.rule9013('2026-12-01', '2026-12-02'), '9013');
    accepts(R.rule9013('2026-12-03', '2026-12-02'));
  });
  it('9015Q asks for the number of review meetings once a first meeting is held', () => {
    refuses(R.rule9015Q('2026-09-15', null), '9015Q');
    accepts(R.rule9015Q('2026-09-15', 0));
  });
  it('9005 and the other census-year parts are queries at entry and errors on the return', () => {
    const period = { start: '2026-04-01', referenceDate: '2027-03-31' };
    refuses(
      R.inCensusPeriod('9005', '2026-03-31', period, 'date pre-proceedings started', 'startedOn'),
      '9005',
    );
    accepts(R.inCensusPeriod('9005', '2026-04-01', period, 'date pre-proceedings started', 'startedOn'));
    expect(R.censusYearQuery('9005', '2026-03-31', '2026-09-01', 'date', 'heldOn')?.kind).toBe('query');
  });
});

describe('the census items of a pre-proceedings record', () => {
  const offer = (response: string | null, respondedOn: string | null) => ({
    offeredOn: '2026-09-04',
    method: 'letter-before-proceedings',
    response,
    respondedOn,
  });

  it('a record just started has only its start date', () => {
    expect(preProceedingsItems(started, '2027-03-31')).toEqual({
      ppStartDate: '2026-09-01',
      lbpSentDate: null,
      fgdmMeetingOffer: null,
      fgdmMeetingFac: null,
      initialPpMeetingDate: null,
      reviewMeetingsCount: null,
      stepDecisionDate: null,
      ppOutcome: null,
      courtAppDate: null,
      letterInitCpDate: null,
    });
  });

  it('an offer in the letter, accepted and held, then meetings and a step down', () => {
    const f: PreProceedingsFacts = {
      ...started,
      lbpSentOn: '2026-09-04',
      offers: [offer('accepted', '2026-09-08')],
      fgdmMeetings: ['2026-09-25'],
      initialMeetingOn: '2026-09-15',
      reviews: ['2026-10-27', '2026-12-08'],
      stepDecision: 'step-down',
      stepDecisionOn: '2026-12-15',
      outcome: 'B',
    };
    expect(preProceedingsItems(f, '2027-03-31')).toEqual({
      ppStartDate: '2026-09-01',
      lbpSentDate: '2026-09-04',
      fgdmMeetingOffer: true,
      fgdmMeetingFac: true,
      initialPpMeetingDate: '2026-09-15',
      reviewMeetingsCount: 2,
      stepDecisionDate: '2026-12-15',
      ppOutcome: 'B',
      courtAppDate: null,
      letterInitCpDate: null,
    });
    // As it stood before the second review and the decision.
    const earlier = preProceedingsItems(f, '2026-11-30');
    expect(earlier.reviewMeetingsCount).toBe(1);
    expect(earlier.stepDecisionDate).toBeNull();
    expect(earlier.ppOutcome).toBeNull();
  });

  it('no meeting facilitated when every offer is declined; unknown while one is awaited', () => {
    const sent = { ...started, lbpSentOn: '2026-09-04' };
    expect(
      preProceedingsItems({ ...sent, offers: [offer('declined', '2026-09-10')] }, '2027-03-31'),
    ).toMatchObject({ fgdmMeetingOffer: true, fgdmMeetingFac: false });
    expect(
      preProceedingsItems(
        { ...sent, offers: [offer('declined', '2026-09-10'), offer(null, null)] },
        '2027-03-31',
      ),
    ).toMatchObject({ fgdmMeetingOffer: true, fgdmMeetingFac: null });
  });

  it('a letter with no offer (a manager decided a meeting is not in the child’s interests) returns 0', () => {
    expect(
      preProceedingsItems(
        { ...started, lbpSentOn: '2026-09-04', fgdmNotInInterestsOn: '2026-09-02' },
        '2027-03-31',
      ),
    ).toMatchObject({ fgdmMeetingOffer: false, fgdmMeetingFac: null });
  });

  it('a decision to continue is not a step decision', () => {
    expect(
      preProceedingsItems(
        { ...started, stepDecision: 'continue', stepDecisionOn: '2026-12-15', outcome: null },
        '2027-03-31',
      ).stepDecisionDate,
    ).toBeNull();
  });
});

describe('the 16-week timeline', () => {
  it('works out each milestone from the start (Tuesday 1 September 2026)', () => {
    const t = preProceedingsTimeline(calendar, started, '2026-09-02')!;
    expect(t.weekSixteen).toBe('2026-12-22');
    expect(t.week).toBe(1);
    const due = Object.fromEntries(t.milestones.map((m) => [m.key, m.dueOn]));
    // 5 working days after Tuesday 1 September: Tuesday 8 September.
    expect(due['lbp']).toBe('2026-09-08');
    // 10 working days after the letter's due date.
    expect(due['initial']).toBe('2026-09-22');
    expect(due['decision']).toBe('2026-12-22');
    expect(t.next?.key).toBe('lbp');
  });

  it('moves on as things are done: the FGDM meeting once accepted, reviews every 6 weeks', () => {
    const f: PreProceedingsFacts = {
      ...started,
      lbpSentOn: '2026-09-04',
      offers: [
        {
          offeredOn: '2026-09-04',
          method: 'letter-before-proceedings',
          response: 'accepted',
          respondedOn: '2026-09-07',
        },
      ],
      initialMeetingOn: '2026-09-15',
    };
    const t = preProceedingsTimeline(calendar, f, '2026-09-16')!;
    const fgdm = t.milestones.find((m) => m.key === 'fgdm')!;
    expect(fgdm.dueOn).toBe('2026-10-13');
    expect(t.milestones.find((m) => m.key === 'review')!.dueOn).toBe('2026-10-27');
    expect(t.next?.key).toBe('fgdm');
    const held = preProceedingsTimeline(calendar, { ...f, fgdmMeetings: ['2026-09-25'] }, '2026-09-26')!;
    expect(held.next?.key).toBe('review');
  });

  it('a due date on a bank holiday comes back to the working day before', () => {
    // 16 weeks after Monday 7 September 2026 is Monday 28 December 2026, the Boxing Day substitute bank holiday;
    // Friday 25 December is Christmas Day, so it comes back to Thursday 24 December.
    const t = preProceedingsTimeline(
      calendar,
      { ...started, lpmHeldOn: '2026-09-07', startedOn: '2026-09-07' },
      '2026-09-08',
    )!;
    expect(t.weekSixteen).toBe('2026-12-24');
  });

  it('has nothing next once the decision is made, and no timeline without a start', () => {
    const t = preProceedingsTimeline(
      calendar,
      { ...started, stepDecision: 'step-up', stepDecisionOn: '2026-12-01' },
      '2026-12-02',
    )!;
    expect(t.next).toBeNull();
    expect(t.week).toBeNull();
    expect(preProceedingsTimeline(calendar, { ...started, startedOn: null }, '2026-12-02')).toBeNull();
  });
});
