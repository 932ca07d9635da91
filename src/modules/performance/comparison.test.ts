import { describe, expect, it } from 'vitest';
import { parseComparisonCsv, yearText } from './comparison.ts';
import { yearBefore } from './performance.service.ts';

const HEAD = 'measure,year,england,statistical_neighbours,source';

describe('reading a CSV of comparison figures', () => {
  it('reads each row: quoted sources with commas, blank figures, a byte-order mark', () => {
    const r = parseComparisonCsv(
      `\uFEFF${HEAD}\r\nre-referrals,2025-26,21.9,19.4,"Children in need 2026, table C1"\r\nseen-alone,2025-26,,,Not published\r\n`,
    );
    expect(r).toEqual({
      ok: true,
      upload: {
        year: '2025-26',
        figures: [
          {
            measure: 're-referrals',
            england: 21.9,
            neighbours: 19.4,
            source: 'Children in need 2026, table C1',
          },
          { measure: 'seen-alone', england: null, neighbours: null, source: 'Not published' },
        ],
      },
    });
  });

  it('names every problem by its row, and keeps nothing', () => {
    const r = parseComparisonCsv(
      [
        HEAD,
        'referrals,2025-26,1,,A count',
        're-referrals,2025-27,101,2.25,',
        're-referrals,2025-26,20,,Twice',
        're-referrals,2025-26,21,,Again',
        'assessment-timeliness,2025-26,80',
        'icpc-timeliness,2024-25,80,,Another year',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message)).toEqual([
      'Row 2: “referrals” is not a measure that can be compared (use a rate measure’s id, such as re-referrals)',
      'Row 3: the year must be a collection year, such as 2024-25',
      'Row 3: the England figure must be a percentage from 0 to 100 with at most one decimal place, or blank',
      'Row 3: the statistical neighbours figure must be a percentage from 0 to 100 with at most one decimal place, or blank',
      'Row 3: give the source of the figures (the publication and table)',
      'Row 5: re-referrals is given more than once',
      'Row 6: needs 5 values, has 3',
      'Every row must be for the same year: the file has 2024-25 and 2025-26',
    ]);
    expect(new Set(r.errors.map((e) => e.href))).toEqual(new Set(['#csv']));
  });

  it('refuses a file without the headings, or with nothing after them', () => {
    const noHead = parseComparisonCsv('re-referrals,2025-26,20,,x');
    expect(!noHead.ok && noHead.errors[0]!.message).toMatch(/^Row 1: the first row must be the headings/);
    const empty = parseComparisonCsv(HEAD);
    expect(!empty.ok && empty.errors[0]!.message).toBe('Row 2: there are no figures after the headings');
    const blank = parseComparisonCsv('  ');
    expect(!blank.ok && blank.errors[0]!.message).toBe('Paste the CSV file of comparison figures');
  });

  it('names years and finds the same period a year before (29 February becomes 28 February)', () => {
    expect(yearText('2024-25')).toBe('2024 to 2025');
    expect(yearBefore('2026-11-24')).toBe('2025-11-24');
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
  });
});
