import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPARABLE_MEASURES,
  comparisonCsvRows,
  neighbourList,
  neighboursAverage,
  parseComparisonCsv,
  yearText,
} from './comparison.ts';
import { yearBefore } from './performance.service.ts';

const HEAD = 'measure,year,england,statistical_neighbours,source';
const FULL = 'measure,year,area,la_code,la_name,figure,source';

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
            neighbourFigures: [],
          },
          {
            measure: 'seen-alone',
            england: null,
            neighbours: null,
            source: 'Not published',
            neighbourFigures: [],
          },
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
    expect(!noHead.ok && noHead.errors[0]!.message).toBe(
      'Row 1: the first row must be the headings measure,year,area,la_code,la_name,figure,source (or measure,year,england,statistical_neighbours,source)',
    );
    const empty = parseComparisonCsv(HEAD);
    expect(!empty.ok && empty.errors[0]!.message).toBe('Row 2: there are no figures after the headings');
    const blank = parseComparisonCsv('  ');
    expect(!blank.ok && blank.errors[0]!.message).toBe('Paste the CSV file of comparison figures');
  });

  it('reads the full shape: England and each neighbour by LA code, the average worked out from the neighbours with a figure', () => {
    const r = parseComparisonCsv(
      [
        FULL,
        're-referrals,2025-26,england,E92000001,England,21.9,"C1, England"',
        're-referrals,2025-26,neighbour,314,Kingston upon Thames,19.8,"C1, Kingston"',
        're-referrals,2025-26,NEIGHBOUR,E09000005,Brent,24.1,"C1, Brent"',
        're-referrals,2025-26,neighbour,316,Newham,,"C1: suppressed (c)"',
        'seen-alone,2025-26,england,,,,Not published',
        'seen-alone,2025-26,neighbour,314,Kingston upon Thames,,Not published',
      ].join('\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rr = r.upload.figures.find((f) => f.measure === 're-referrals')!;
    // (19.8 + 24.1) / 2 = 21.95, to one decimal place 22 (Newham has no figure and is left out of the average).
    expect(rr).toMatchObject({ england: 21.9, neighbours: 22, source: 'C1, England' });
    expect(rr.neighbourFigures).toEqual([
      { code: '314', name: 'Kingston upon Thames', value: 19.8, source: 'C1, Kingston' },
      { code: 'E09000005', name: 'Brent', value: 24.1, source: 'C1, Brent' },
      { code: '316', name: 'Newham', value: null, source: 'C1: suppressed (c)' },
    ]);
    const seen = r.upload.figures.find((f) => f.measure === 'seen-alone')!;
    expect(seen).toMatchObject({ england: null, neighbours: null });
    const byMeasure = Object.fromEntries(r.upload.figures.map((f) => [f.measure, f]));
    expect(neighbourList(byMeasure)).toEqual([
      { code: '314', name: 'Kingston upon Thames' },
      { code: 'E09000005', name: 'Brent' },
      { code: '316', name: 'Newham' },
    ]);
    // Written back as the full shape, the set reads again to the same figures.
    const again = parseComparisonCsv(
      [
        FULL,
        ...comparisonCsvRows('2025-26', byMeasure).map((row) => row.map((c) => `"${c}"`).join(',')),
      ].join('\n'),
    );
    expect(again.ok && again.upload.figures.find((f) => f.measure === 're-referrals')).toEqual(rr);
    expect(neighboursAverage([])).toBeNull();
  });

  it('names each problem in the full shape by its row', () => {
    const r = parseComparisonCsv(
      [
        FULL,
        're-referrals,2025-26,region,,London,20,x',
        're-referrals,2025-26,neighbour,31,Kingston,20,x',
        're-referrals,2025-26,neighbour,314,,20,x',
        're-referrals,2025-26,neighbour,314,Kingston upon Thames,20,x',
        'seen-alone,2025-26,neighbour,314,Kingston,20,x',
        're-referrals,2025-26,neighbour,314,Kingston upon Thames,21,x',
        're-referrals,2025-26,england,E12000007,England,21,x',
        're-referrals,2025-26,england,,,21,x',
        're-referrals,2025-26,england,,,22,x',
        'icpc-timeliness,2025-26,england,,,80.25,',
      ].join('\n'),
    );
    expect(!r.ok && r.errors.map((e) => e.message)).toEqual([
      'Row 2: the area must be england or neighbour',
      'Row 3: give the neighbour’s LA code, the DfE’s three-digit code (such as 314) or its nine-character code (such as E09000021)',
      'Row 4: give the neighbour’s name',
      'Row 6: 314 is called Kingston upon Thames in an earlier row',
      'Row 7: 314’s figure for re-referrals is given more than once',
      'Row 8: England’s LA code is E92000001, or leave it blank',
      'Row 10: England’s figure for re-referrals is given more than once',
      'Row 11: the figure must be a percentage from 0 to 100 with at most one decimal place, or blank',
      'Row 11: give the source of the figures (the publication and table)',
    ]);
  });

  it('the file shipped with Threshold reads cleanly: every England figure quotes its DfE data set and address', () => {
    const text = readFileSync(
      new URL('../../db/migrations/data/dfe-comparison-2024-25-checked.csv', import.meta.url),
      'utf8',
    );
    const r = parseComparisonCsv(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.upload.year).toBe('2024-25');
    expect(r.upload.figures.map((f) => f.measure).sort()).toEqual(
      COMPARABLE_MEASURES.map((m) => m.id).sort(),
    );
    const shipped = Object.fromEntries(r.upload.figures.map((f) => [f.measure, f.england]));
    expect(shipped).toEqual({
      're-referrals': 22.6,
      'assessment-timeliness': 85.7,
      'icpc-timeliness': 81.4,
      'cp-plans-two-years': 4.4,
      'cp-plans-second': null,
      'cp-reviews-on-time': null,
      'cin-reviews-on-time': null,
      'cp-visits-on-time': null,
      'cin-visits-on-time': null,
      'seen-alone': null,
    });
    for (const f of r.upload.figures) {
      if (f.england !== null)
        expect(f.source).toMatch(
          /^DfE, Children in need, reporting year 2025.*https:\/\/explore-education-statistics\.service\.gov\.uk\/data-catalogue\/data-set\/[0-9a-f-]{36}/,
        );
      else expect(f.source).toMatch(/^(Not shipped|No national figure)/);
      expect(f.neighbourFigures).toEqual([]);
    }
  });

  it('names years and finds the same period a year before (29 February becomes 28 February)', () => {
    expect(yearText('2024-25')).toBe('2024 to 2025');
    expect(yearBefore('2026-11-24')).toBe('2025-11-24');
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
  });
});
