import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkbox,
  checkboxes,
  choice,
  dateToParts,
  gatherDateParts,
  govukDate,
  integer,
  optionalText,
  requiredText,
  yesNo,
} from './fields.ts';
import { toFormErrors, zodToFieldErrors } from '../../web/forms/errors.ts';

const messages = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('GOV.UK date input', () => {
  const dob = govukDate({ label: 'Date of birth', required: true, when: 'past', today: () => '2026-11-24' });
  it.each([
    [{ day: '', month: '', year: '' }, 'Enter date of birth'],
    [{ day: '1', month: '', year: '2020' }, 'Date of birth must include a month'],
    [{ day: '', month: '', year: '2020' }, 'Date of birth must include a day and month'],
    [{ day: '30', month: '2', year: '2020' }, 'Date of birth must be a real date'],
    [{ day: '1', month: '13', year: '2020' }, 'Date of birth must be a real date'],
    [{ day: 'x', month: '1', year: '2020' }, 'Date of birth must be a real date'],
    [{ day: '1', month: '1', year: '20' }, 'Year must include 4 numbers'],
    [{ day: '1', month: '1', year: '1850' }, 'Date of birth must be after 1900'],
    [{ day: '25', month: '11', year: '2026' }, 'Date of birth must be today or in the past'],
  ])('%o → %s', (input, message) => {
    expect(messages(dob, input)).toEqual([message]);
  });

  it('accepts month names and single digits', () => {
    expect(dob.parse({ day: '9', month: 'April', year: '2019' })).toBe('2019-04-09');
    expect(dob.parse({ day: '09', month: '4', year: '2019' })).toBe('2019-04-09');
  });

  it('round-trips every real date through its parts (property)', () => {
    const any = govukDate({ label: 'Date' });
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1901-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const parts = dateToParts('x', iso);
          const gathered = gatherDateParts(parts) as { x: { day: string; month: string; year: string } };
          expect(any.parse(gathered.x)).toBe(iso);
        },
      ),
    );
  });

  it('never throws on arbitrary strings: it answers with a message or a date (property)', () => {
    const any = govukDate({ label: 'Date', required: true });
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (day, month, year) => {
        const r = any.safeParse({ day, month, year });
        if (r.success) expect(r.data).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else expect(r.error.issues[0]!.message.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('other fields', () => {
  it('trims text, treats blank as missing and limits length', () => {
    expect(requiredText('Enter a name').parse('  Sam  ')).toBe('Sam');
    expect(messages(requiredText('Enter a name'), '   ')).toEqual(['Enter a name']);
    expect(messages(requiredText('Enter a name', 3, 'Too long'), 'abcd')).toEqual(['Too long']);
    expect(optionalText().parse('')).toBeUndefined();
  });

  it('choices, yes/no and checkboxes accept only their values', () => {
    expect(choice(['a', 'b'] as const, 'Pick one').parse('a')).toBe('a');
    expect(messages(choice(['a', 'b'] as const, 'Pick one'), 'c')).toEqual(['Pick one']);
    expect(yesNo('Answer').parse('no')).toBe(false);
    expect(messages(yesNo('Answer'), undefined)).toEqual(['Answer']);
    expect(checkboxes(['x', 'y'] as const).parse(['x', 'x', 'y'])).toEqual(['x', 'y']);
    expect(checkboxes(['x', 'y'] as const).parse(undefined)).toEqual([]);
    expect(messages(checkboxes(['x'] as const, { required: 'Select one' }), undefined)).toEqual([
      'Select one',
    ]);
    expect(messages(checkboxes(['x'] as const), ['z'])).toEqual(['Select from the options given']);
    expect(checkbox().parse(undefined)).toBe(false);
    expect(integer({ label: 'Score', min: 0, max: 10 }).parse('7')).toBe(7);
    expect(messages(integer({ label: 'Score', min: 0, max: 10 }), '11')).toEqual([
      'Score must be 10 or less',
    ]);
    expect(messages(integer({ label: 'Score' }), '1.5')).toEqual(['Score must be a whole number']);
  });

  it('checkboxes output is always a duplicate-free subset of the options (property)', () => {
    const options = ['a', 'b', 'c'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...options)), (picked) => {
        const out = checkboxes(options).parse(picked);
        expect(new Set(out).size).toBe(out.length);
        expect(out.every((v) => options.includes(v))).toBe(true);
      }),
    );
  });
});

describe('Zod issues to GOV.UK errors', () => {
  it('links a date problem to the part that is wrong, and keeps the first message per field', () => {
    const schema = z.object({
      name: requiredText('Enter a name'),
      dob: govukDate({ label: 'Date of birth', required: true }),
    });
    const result = schema.safeParse(
      gatherDateParts({ name: '', 'dob-day': '1', 'dob-month': '', 'dob-year': '2020' }),
    );
    expect(result.success).toBe(false);
    const errors = toFormErrors(zodToFieldErrors(result.error!));
    expect(errors.list).toEqual([
      { text: 'Enter a name', href: '#name' },
      { text: 'Date of birth must include a month', href: '#dob-month' },
    ]);
    expect(errors.byField).toEqual({ name: 'Enter a name', dob: 'Date of birth must include a month' });
  });
});
