import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherDateParts } from '../../kernel/forms/fields.ts';
import { createWorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { addCalendarDays } from '../../kernel/time/index.ts';
import {
  clockRule,
  consentProblem,
  continuumDeparture,
  decisionDueAt,
  decisionDueOn,
  describeDaysLeft,
  describeHoursLeft,
  informationDueAt,
  nextDeadline,
  statusAfterSendBack,
} from './contact.ts';
import { contactInputSchema, parseClockTime, recordContactForm, rowsToShow } from './contact.schemas.ts';

const calendar = createWorkingDayCalendar();
const at = (iso: string) => new Date(iso);

describe('the decision clock: by the end of the next working day after the day of receipt', () => {
  it.each([
    ['Monday morning → end of Tuesday', '2026-11-23T09:15:00Z', '2026-11-24'],
    ['Monday evening → end of Tuesday', '2026-11-23T21:40:00Z', '2026-11-24'],
    ['Friday → end of Monday', '2026-11-27T16:59:00Z', '2026-11-30'],
    ['Saturday → end of Monday (one whole working day)', '2026-11-28T11:00:00Z', '2026-11-30'],
    ['Sunday → end of Monday', '2026-11-29T11:00:00Z', '2026-11-30'],
    ['Friday before the August bank holiday → Tuesday', '2026-08-28T10:00:00+01:00', '2026-09-01'],
    [
      'Christmas Eve 2026 (Thursday) → Tuesday 29 December (Christmas Day, a weekend and the Boxing Day substitute skipped)',
      '2026-12-24T15:00:00Z',
      '2026-12-29',
    ],
    ['Maundy Thursday 2027 → Tuesday after Easter Monday', '2027-03-25T12:00:00Z', '2027-03-30'],
  ])('%s', (_label, received, due) => {
    expect(decisionDueOn(calendar, at(received))).toBe(due);
  });

  it('is due at closing time (5pm London) on that day, in GMT and in BST', () => {
    expect(decisionDueAt(calendar, at('2026-12-24T15:00:00Z')).toISOString()).toBe(
      '2026-12-29T17:00:00.000Z',
    );
    expect(decisionDueAt(calendar, at('2026-08-28T10:00:00+01:00')).toISOString()).toBe(
      '2026-09-01T16:00:00.000Z',
    );
  });

  it('counts the day of receipt as day 1 (census convention): addWorkingDays(received, 2) is always the next working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 15 }), (offset) => {
        const day = addCalendarDays('2015-01-01', offset);
        expect(calendar.addWorkingDays(day, 2)).toBe(calendar.nextWorkingDay(day));
      }),
      { numRuns: 2000 },
    );
  });

  it('respects the authority’s closure days', () => {
    const closed = createWorkingDayCalendar({ closureDays: ['2026-12-29'] });
    expect(decisionDueOn(closed, at('2026-12-24T15:00:00Z'))).toBe('2026-12-30');
  });
});

describe('the RAG clock: working hours from the rating', () => {
  it('red (4 hours) set at 3pm on a Friday is due at 11am on Monday', () => {
    expect(informationDueAt(calendar, 'red', at('2026-11-27T15:00:00Z')).toISOString()).toBe(
      '2026-11-30T11:00:00.000Z',
    );
  });
  it('red set at 3pm on Christmas Eve 2026 is due at 11am on Tuesday 29 December (two bank holidays and a weekend later)', () => {
    expect(informationDueAt(calendar, 'red', at('2026-12-24T15:00:00Z')).toISOString()).toBe(
      '2026-12-29T11:00:00.000Z',
    );
  });
  it('amber (24 working hours = 3 working days) set at 10am on 23 December 2026 is due at 10am on 30 December', () => {
    expect(informationDueAt(calendar, 'amber', at('2026-12-23T10:00:00Z')).toISOString()).toBe(
      '2026-12-30T10:00:00.000Z',
    );
  });
  it('green (72 working hours = 9 working days) set on a Monday at 9am is due at 5pm on the Thursday of the next week', () => {
    expect(informationDueAt(calendar, 'green', at('2026-11-23T09:00:00Z')).toISOString()).toBe(
      '2026-12-03T17:00:00.000Z',
    );
  });
  it('uses the authority’s own timescales when given', () => {
    expect(
      informationDueAt(calendar, 'red', at('2026-11-23T09:00:00Z'), {
        red: 2,
        amber: 8,
        green: 16,
      }).toISOString(),
    ).toBe('2026-11-23T11:00:00.000Z');
  });
  it('a rating made out of hours counts from the next opening', () => {
    expect(informationDueAt(calendar, 'red', at('2026-11-23T20:00:00Z')).toISOString()).toBe(
      '2026-11-24T13:00:00.000Z',
    );
  });
});

describe('clock wording and the next deadline', () => {
  it('describes working days left, due today and overdue', () => {
    expect(describeDaysLeft(calendar, '2026-11-23', '2026-11-24')).toMatchObject({
      text: '1 working day left',
      overdue: false,
    });
    expect(describeDaysLeft(calendar, '2026-11-24', '2026-11-24')).toMatchObject({
      text: 'Due today',
      dueToday: true,
    });
    expect(describeDaysLeft(calendar, '2026-11-30', '2026-11-26')).toMatchObject({
      text: 'Overdue by 2 working days',
      overdue: true,
    });
    expect(describeDaysLeft(calendar, '2026-12-24', '2026-12-29')).toMatchObject({
      text: '1 working day left',
    });
  });
  it('a decision due today is overdue once its time (5pm) has passed, not “Due today”', () => {
    const dueAt = at('2026-11-24T17:00:00Z');
    expect(
      describeDaysLeft(calendar, '2026-11-24', '2026-11-24', { now: at('2026-11-24T16:59:00Z'), dueAt }),
    ).toMatchObject({
      text: 'Due today',
      dueToday: true,
      overdue: false,
    });
    expect(
      describeDaysLeft(calendar, '2026-11-24', '2026-11-24', { now: at('2026-11-24T17:30:00Z'), dueAt }),
    ).toEqual({
      text: 'Overdue: was due by 5pm today',
      dueToday: false,
      overdue: true,
    });
  });
  it('describes working hours left and overdue', () => {
    expect(describeHoursLeft(calendar, at('2026-12-24T15:00:00Z'), at('2026-12-29T11:00:00Z'))).toEqual({
      overdue: false,
      text: '4 working hours left',
    });
    expect(describeHoursLeft(calendar, at('2026-12-29T12:30:00Z'), at('2026-12-29T11:00:00Z'))).toEqual({
      overdue: true,
      text: 'Overdue by 1.5 working hours',
    });
  });
  it('the soonest deadline is the information while the enquiry is open, otherwise the decision', () => {
    const base = {
      decisionDueOn: '2026-11-24',
      decisionDueAt: at('2026-11-24T17:00:00Z'),
      mashEnquiryClosedAt: null,
    };
    expect(nextDeadline({ ...base, informationDueAt: at('2026-11-24T11:00:00Z') }).dueAt.toISOString()).toBe(
      '2026-11-24T11:00:00.000Z',
    );
    expect(nextDeadline({ ...base, informationDueAt: at('2026-11-27T11:00:00Z') }).dueAt.toISOString()).toBe(
      '2026-11-24T17:00:00.000Z',
    );
    expect(
      nextDeadline({
        ...base,
        informationDueAt: at('2026-11-24T11:00:00Z'),
        mashEnquiryClosedAt: at('2026-11-24T10:00:00Z'),
      }).informationDueAt,
    ).toBeNull();
  });
  it('a decision sent back returns the contact to the open enquiry, or to awaiting decision', () => {
    expect(statusAfterSendBack({ ragSetAt: at('2026-11-24T10:00:00Z'), mashEnquiryClosedAt: null })).toBe(
      'mash-enquiry',
    );
    expect(statusAfterSendBack({ ragSetAt: null, mashEnquiryClosedAt: null })).toBe('awaiting-decision');
  });
});

describe('consent', () => {
  it.each([
    ['given', undefined, null],
    ['not-given', undefined, 'Explain why you are making this contact without the family’s consent'],
    ['not-given', '  ', 'Explain why you are making this contact without the family’s consent'],
    ['dispensed', undefined, 'Explain why consent was dispensed with'],
    ['dispensed', 'Telling the father could put the child at risk', null],
  ] as const)('%s with %j → %j', (consent, rationale, problem) => {
    expect(consentProblem(consent, rationale)).toBe(problem);
  });
});

const validInput = {
  localAuthorityId: '11111111-1111-4111-8111-111111111111',
  channel: 'api',
  referralSource: '6',
  concernCategories: ['domestic-abuse'],
  reason: 'Police called to a domestic incident; two children present.',
  consent: 'dispensed',
  consentRationale: 'Police notification',
  urgency: 'urgent',
  children: [{ givenName: 'Amy', familyName: 'Test', dateOfBirth: '2017-04-01', postcode: 'tw1 3bz' }],
};

describe('the contact input schema (all channels)', () => {
  it('accepts a valid payload and normalises it', () => {
    const r = contactInputSchema.safeParse(validInput);
    expect(r.success).toBe(true);
    expect(r.data?.children[0]?.postcode).toBe('TW1 3BZ');
  });
  it('lists every problem with its path: no child, no description, consent without a reason, a bad source', () => {
    const r = contactInputSchema.safeParse({
      ...validInput,
      children: [],
      reason: ' ',
      consent: 'not-given',
      consentRationale: '',
      referralSource: '11',
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'children: Add at least one child',
        'reason: Describe what has happened and what you are worried about',
        'referralSource: Select the source of the contact from the census list',
        'consentRationale: Explain why you are making this contact without the family’s consent',
      ]),
    );
  });
  it('needs a name (or a record) for each child', () => {
    const r = contactInputSchema.safeParse({ ...validInput, children: [{ dateOfBirth: '2017-04-01' }] });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['children.0.givenName']);
  });
  it('property: any valid payload with blank rationale and consent other than given is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('not-given', 'dispensed'),
        fc.constantFrom(undefined, '', '   '),
        (consent, rationale) => {
          expect(
            contactInputSchema.safeParse({ ...validInput, consent, consentRationale: rationale }).success,
          ).toBe(false);
        },
      ),
    );
  });
});

describe('the record-a-contact form', () => {
  const schema = recordContactForm({ today: '2026-11-24' });
  const base = {
    channel: 'phone',
    referralSource: '2A',
    concernCategories: 'neglect',
    reason: 'Child arrives hungry',
    consent: 'given',
    urgency: 'routine',
  };

  it('reads rows of children and adults, ignoring blank rows', () => {
    const r = schema.safeParse(
      gatherDateParts({
        ...base,
        child1GivenName: 'Amy',
        child1FamilyName: 'Test',
        'child1DateOfBirth-day': '1',
        'child1DateOfBirth-month': '4',
        'child1DateOfBirth-year': '2017',
        child2GivenName: '',
        child3GivenName: 'Ben',
        adult1GivenName: 'Carol',
        adult1Role: 'mother',
        receivedTime: '9:30am',
        'receivedOn-day': '23',
        'receivedOn-month': '11',
        'receivedOn-year': '2026',
      }),
    );
    expect(r.success).toBe(true);
    if (!r.success || r.data.action !== 'save') throw new Error('expected a save');
    expect(r.data.children.map((c) => c.givenName)).toEqual(['Amy', 'Ben']);
    expect(r.data.children[0]?.dateOfBirth).toBe('2017-04-01');
    expect(r.data.adults).toEqual([expect.objectContaining({ givenName: 'Carol', role: 'mother' })]);
    expect(r.data.receivedTime).toBe('09:30');
  });

  it('no child and no description → errors on the first child and the description', () => {
    const r = schema.safeParse({ ...base, reason: '' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'reason: Describe what has happened and what the referrer is worried about',
      'child1GivenName: Enter the name of at least one child',
    ]);
  });

  it('asks who made the contact once: a school or agency chosen needs no census source; neither is one error', () => {
    const { referralSource: _, ...noSource } = base;
    const agency = '5b0c8c8e-8f1e-4d7a-9a51-3f7c1d2e4a60';
    const chosen = schema.safeParse({ ...noSource, referrerAgencyId: agency, child1GivenName: 'Amy' });
    expect(chosen.success).toBe(true);
    if (!chosen.success || chosen.data.action !== 'save') throw new Error('expected a save');
    expect(chosen.data).toMatchObject({ referralSource: undefined, referrerAgencyId: agency });
    const neither = schema.safeParse({ ...noSource, child1GivenName: 'Amy' });
    expect(neither.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'referralSource: Select the school or agency that made the contact, or who made it',
    ]);
  });

  it('an adult needs a name and a role; consent not given needs a reason', () => {
    const r = schema.safeParse({
      ...base,
      consent: 'not-given',
      child1GivenName: 'Amy',
      adult2Phone: '0208',
    });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'consentRationale',
      'adult2GivenName',
      'adult2Role',
    ]);
  });

  it('"Add more rows" checks nothing', () => {
    expect(schema.safeParse({ more: 'yes' }).data).toEqual({ action: 'more-rows' });
  });

  it('shows every used row plus two spare', () => {
    expect(rowsToShow(null)).toEqual({ children: [1, 2], adults: [1, 2] });
    expect(rowsToShow({ child3FamilyName: 'X', 'adult1DateOfBirth-year': '1990' }).children).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(rowsToShow({ child3FamilyName: 'X', 'adult1DateOfBirth-year': '1990' }).adults).toEqual([1, 2, 3]);
    expect(rowsToShow({ child10GivenName: 'X' }).children).toHaveLength(10);
  });

  it.each([
    ['9:30', '09:30'],
    ['09:30', '09:30'],
    ['14:30', '14:30'],
    ['2pm', '14:00'],
    ['12am', '00:00'],
    ['12:15pm', '12:15'],
    ['9.45am', '09:45'],
    ['25:00', null],
    ['9', null],
    ['13pm', null],
  ])('reads the time %s as %s', (input, expected) => {
    expect(parseClockTime(input)).toBe(expected);
  });
});

describe('which clock governs a contact (issue 18, item 8)', () => {
  const decisionDue = at('2026-11-24T17:00:00Z');
  it('without a MASH enquiry, the decision clock alone', () => {
    const rule = clockRule({ decisionDueAt: decisionDue, informationDueAt: null, mashEnquiryClosedAt: null });
    expect(rule).toMatchObject({ next: 'decision', informationAfterDecision: false });
    expect(rule.explanation).toBe(
      'The decision clock governs the contact: it must be decided by 24 November 2026 at 5pm, the end of the next working day after it was received.',
    );
  });

  it('a red rating due before the decision comes first but does not move the decision deadline', () => {
    const rule = clockRule({
      decisionDueAt: decisionDue,
      informationDueAt: at('2026-11-23T14:00:00Z'),
      mashEnquiryClosedAt: null,
      rag: 'red',
    });
    expect(rule).toMatchObject({ next: 'information', informationAfterDecision: false });
    expect(rule.explanation).toContain(
      'The red rating gives partners until 23 November 2026 at 2pm to answer',
    );
    expect(rule.explanation).toContain('it does not move the decision deadline');
  });

  it('a green rating due after the decision deadline: decide on what is known by then', () => {
    const rule = clockRule({
      decisionDueAt: decisionDue,
      informationDueAt: at('2026-12-03T17:00:00Z'),
      mashEnquiryClosedAt: null,
      rag: 'green',
    });
    expect(rule).toMatchObject({ next: 'decision', informationAfterDecision: true });
    expect(rule.explanation).toContain(
      'which is after that: decide on what is known by the decision deadline',
    );
  });

  it('a closed enquiry no longer has a partners’ clock', () => {
    const rule = clockRule({
      decisionDueAt: decisionDue,
      informationDueAt: at('2026-11-23T14:00:00Z'),
      mashEnquiryClosedAt: at('2026-11-23T12:00:00Z'),
      rag: 'red',
    });
    expect(rule).toMatchObject({ next: 'decision', informationAfterDecision: false });
    expect(rule.explanation).not.toContain('partners');
  });
});

describe('a decision that departs from the continuum asks for a reason (issue 18, item 8)', () => {
  const level1 = { level: 1, label: 'Universal', expectedOutcomes: ['nfa', 'information-advice'] };
  it('accepts an outcome the level expects', () => {
    expect(continuumDeparture(level1, 'nfa')).toBeNull();
    expect(continuumDeparture(level1, 'information-advice')).toBeNull();
  });
  it('asks why a level 1 contact goes to early help, naming what the level usually leads to', () => {
    expect(continuumDeparture(level1, 'early-help')).toBe(
      'Explain why the outcome is early help / family support: level 1 on the continuum usually leads to no further action or information, advice and signposting',
    );
  });
  it('names a single expected outcome, and a level with none set', () => {
    expect(continuumDeparture({ ...level1, expectedOutcomes: ['social-care'] }, 'nfa')).toContain(
      'usually leads to referral to children’s social care for assessment',
    );
    expect(continuumDeparture({ ...level1, expectedOutcomes: [] }, 'nfa')).toContain(
      'has no usual outcome set by the authority',
    );
  });
});
