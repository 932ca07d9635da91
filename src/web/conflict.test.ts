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

  it('says "Not given" for an answer since cleared, and names date parts in words', () => {
    const { changes } = conflictOf(
      { saved: { 'byWhen-day': '', measure: null } },
      { 'byWhen-day': '4', measure: 'x' },
    );
    expect(changes).toEqual([
      { key: { text: 'By when day' }, value: { text: 'Not given' } },
      { key: { text: 'Measure' }, value: { text: 'Not given' } },
    ]);
  });

  it('keeps what was typed, unchanged, when the page holds no saved answers', () => {
    const typed = { notes: 'typed', version: '1' };
    expect(conflictOf({ other: 1 }, typed)).toEqual({ values: typed, changes: [] });
    expect(conflictOf(undefined, typed)).toEqual({ values: typed, changes: [] });
  });
});
