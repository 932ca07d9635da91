import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zodToFieldErrors } from '../../web/forms/errors.ts';
import { gatherDateParts } from '../../kernel/forms/fields.ts';
import { caseNoteForm } from './case-note.schemas.ts';
import { newPersonForm, searchForm } from './person.schemas.ts';

const today = '2026-11-24';
const errorsOf = (
  schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
  body: Record<string, unknown>,
) => {
  const r = schema.safeParse(gatherDateParts(body)) as {
    success: boolean;
    error?: Parameters<typeof zodToFieldErrors>[0];
  };
  return r.success ? [] : zodToFieldErrors(r.error!).map((e) => `${e.field}: ${e.message}`);
};

describe('the search form', () => {
  it.each([
    [{}, ['name: Enter a name, date of birth, NHS number, UPN or postcode to search for']],
    [{ nhsNumber: '943 476 5918' }, ['nhsNumber: Enter a valid NHS number – the check digit does not match']],
    [{ nhsNumber: '12345' }, ['nhsNumber: Enter an NHS number with 10 digits']],
    [{ postcode: 'TW1' }, ['postcode: Enter a full UK postcode, like AA1 1AA']],
    [
      { name: 'x', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2030' },
      ['dateOfBirth: Date of birth must be today or in the past'],
    ],
    [{ name: 'Olivia' }, []],
    [{ nhsNumber: '943-476-5919' }, []],
  ])('%j', (body, expected) => {
    expect(errorsOf(searchForm(today), body)).toEqual(expected);
  });

  it('any valid NHS number typed with spaces is accepted and normalised', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        const nine = String(n).padStart(9, '0');
        let sum = 0;
        for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
        const check = 11 - (sum % 11);
        if (check === 10) return;
        const nhs = `${nine}${check === 11 ? 0 : check}`;
        const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
        const r = searchForm(today).safeParse({ nhsNumber: spaced });
        expect(r.success).toBe(true);
        expect(r.success && r.data.nhsNumber).toBe(nhs);
      }),
    );
  });
});

describe('the create-a-record form', () => {
  const base = {
    kind: 'child',
    givenName: 'A',
    familyName: 'B',
    sex: 'F',
    'dateOfBirth-day': '1',
    'dateOfBirth-month': '1',
    'dateOfBirth-year': '2020',
  };
  it.each([
    [{ ...base }, []],
    [{ ...base, 'dateOfBirth-year': '2027' }, ['dateOfBirth: Date of birth must be today or in the past']],
    [
      { ...base, kind: 'unborn' },
      [
        'expectedDateOfBirth: Enter the expected date of birth',
        'dateOfBirth: An unborn child has no date of birth yet: enter the expected date of birth',
      ],
    ],
    [{ ...base, sex: '' }, ['sex: Select their sex']],
    [
      { ...base, postcode: 'TW1 3BZ' },
      ['addressLine1: Enter address line 1, typically the building and street'],
    ],
    [
      { ...base, disabilities: ['NONE', 'LD'] },
      ['disabilities: Select “No disability” on its own, or the disabilities the child has'],
    ],
    [
      { ...base, upn: 'L318200119001', upnUnknownReason: 'UN1' },
      ['upnUnknownReason: Leave “Why the UPN is not known” empty when you enter a UPN'],
    ],
    [{ ...base, otherGivenName: 'C' }, ['otherFamilyName: Enter the first and last name of the other name']],
    [
      { ...base, givenName: '', nhsNumber: 'abc' },
      [
        'givenName: Enter their first name',
        'nhsNumber: NHS number must only include numbers, spaces and hyphens',
      ],
    ],
  ])('%j', (body, expected) => {
    expect(errorsOf(newPersonForm(today), body)).toEqual(expected);
  });
});

describe('the case note form', () => {
  const base = {
    noteType: 'visit',
    'occurredOn-day': '1',
    'occurredOn-month': '11',
    'occurredOn-year': '2026',
    title: 'T',
    body: 'B',
  };
  it.each([
    [
      { ...base },
      [
        'childSeen: Select yes if the child was seen',
        "bedroomSeen: Select yes if the child's bedroom was seen",
      ],
    ],
    [{ ...base, childSeen: 'yes', bedroomSeen: 'no' }, ['seenAlone: Select yes if the child was seen alone']],
    [{ ...base, childSeen: 'no', bedroomSeen: 'no' }, []],
    [{ ...base, noteType: 'phone-call' }, []],
    [{ ...base, noteType: 'phone-call', title: '' }, ['title: Enter a short title']],
  ])('%j', (body, expected) => {
    expect(errorsOf(caseNoteForm(today), body)).toEqual(expected);
  });

  it('drops visit answers from other kinds of note', () => {
    const r = caseNoteForm(today).safeParse(
      gatherDateParts({
        ...base,
        noteType: 'meeting',
        childSeen: 'yes',
        seenAlone: 'yes',
        bedroomSeen: 'yes',
      }),
    );
    expect(r.success && [r.data.childSeen, r.data.seenAlone, r.data.bedroomSeen]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
