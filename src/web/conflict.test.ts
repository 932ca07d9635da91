import { describe, expect, it } from 'vitest';
import { conflictOf } from './page.ts';

describe('the conflict page (a stale save)', () => {
  it('lists each typed answer that differs from what is saved now, and carries the current version', () => {
    const data = {
      saved: {
        whatWillChange: 'In school every day',
        who: 'Jo',
        itemIds: ['b', 'a'],
        version: 3,
        notOnForm: 'x',
      },
    };
    const typed = {
      whatWillChange: 'Overwritten?',
      who: 'Jo ',
      itemIds: ['a', 'b'],
      version: '2',
      _csrf: 't',
    };
    const { values, changes } = conflictOf(data, typed);
    expect(changes).toEqual([{ key: { text: 'What will change' }, value: { text: 'In school every day' } }]);
    expect(values).toEqual({ ...typed, version: 3 });
  });

  it('says "Not given" for an answer since cleared, and lists a date once, by its name, with the saved date', () => {
    const { changes } = conflictOf(
      { saved: { 'byWhen-day': '', 'byWhen-month': '', 'byWhen-year': '', measure: null } },
      { 'byWhen-day': '4', 'byWhen-month': '3', 'byWhen-year': '2027', measure: 'x' },
    );
    expect(changes).toEqual([
      { key: { text: 'By when' }, value: { text: 'Not given' } },
      { key: { text: 'Measure' }, value: { text: 'Not given' } },
    ]);
    const moved = conflictOf(
      { saved: { 'byWhen-day': '26', 'byWhen-month': '2', 'byWhen-year': '2027' } },
      { 'byWhen-day': '26', 'byWhen-month': '3', 'byWhen-year': '2027' },
    );
    expect(moved.changes).toEqual([{ key: { text: 'By when' }, value: { text: '26 February 2027' } }]);
    const same = conflictOf(
      { saved: { 'byWhen-day': '26', 'byWhen-month': '2', 'byWhen-year': '2027' } },
      { 'byWhen-day': '26', 'byWhen-month': '02', 'byWhen-year': '2027' },
    );
    expect(same.changes).toEqual([]);
  });

  it('names each answer by the label the form shows, falling back to the key in words', () => {
    const { changes } = conflictOf(
      {
        saved: {
          measure: 'Attendance',
          who: 'Jo',
          'byWhen-day': '1',
          'byWhen-month': '2',
          'byWhen-year': '2027',
        },
      },
      { measure: 'Typed', who: 'Sam', 'byWhen-day': '2', 'byWhen-month': '2', 'byWhen-year': '2027' },
      { measure: 'How we will know', byWhen: 'By when the goal is met' },
    );
    expect(changes).toEqual([
      { key: { text: 'How we will know' }, value: { text: 'Attendance' } },
      { key: { text: 'Who' }, value: { text: 'Jo' } },
      { key: { text: 'By when the goal is met' }, value: { text: '1 February 2027' } },
    ]);
  });

  it('keeps what was typed, unchanged, when the page holds no saved answers', () => {
    const typed = { notes: 'typed', version: '1' };
    expect(conflictOf({ other: 1 }, typed)).toEqual({ values: typed, changes: [] });
    expect(conflictOf(undefined, typed)).toEqual({ values: typed, changes: [] });
  });
});
