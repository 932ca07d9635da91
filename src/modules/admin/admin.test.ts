import { describe, expect, it } from 'vitest';
import { changes } from './changes.ts';
import { appliedFilters, csvCell, csvRow, describeDetails, parseAuditFilters } from './audit-search.ts';
import { escapeLike, pageNumber, paged, queryString } from './pagination.ts';
import { numberedPagination } from '../../web/pagination.ts';

describe('pagination', () => {
  const href = (p: number) => `/x?page=${p}`;
  it('shows first, last, the current page and its neighbours, with ellipses', () => {
    expect(numberedPagination(1, 1, href)).toBeNull();
    expect(numberedPagination(5, 10, href)).toEqual({
      previous: { href: '/x?page=4' },
      next: { href: '/x?page=6' },
      items: [
        { number: 1, href: '/x?page=1' },
        { ellipsis: true },
        { number: 4, href: '/x?page=4' },
        { number: 5, href: '/x?page=5', current: true },
        { number: 6, href: '/x?page=6' },
        { ellipsis: true },
        { number: 10, href: '/x?page=10' },
      ],
    });
    const first = numberedPagination(1, 3, href)!;
    expect(first.previous).toBeUndefined();
    expect(first.items!.map((i) => ('number' in i ? i.number : '…'))).toEqual([1, 2, 3]);
    expect(numberedPagination(3, 3, href)!.next).toBeUndefined();
  });

  it('reads page numbers leniently and counts what is shown', () => {
    expect([
      pageNumber('3'),
      pageNumber('0'),
      pageNumber('-1'),
      pageNumber('x'),
      pageNumber(undefined),
      pageNumber(['2']),
    ]).toEqual([3, 1, 1, 1, 1, 2]);
    expect(paged(['a', 'b'], 27, 2)).toMatchObject({ pages: 2, from: 26, to: 27 });
    expect(paged([], 0, 1)).toMatchObject({ pages: 1, from: 0, to: 0 });
  });

  it('builds query strings from the filters that are set, and escapes LIKE patterns', () => {
    expect(queryString({ q: 'a b', role: undefined, teamId: '', page: 2 })).toBe('?q=a+b&page=2');
    expect(queryString({})).toBe('');
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('changes for the audit trail', () => {
  it('keeps only the fields that changed, before and after', () => {
    expect(changes({ a: 1, b: 'x', c: ['1'] }, { a: 1, b: 'y', c: ['1', '2'] })).toEqual({
      before: { b: 'x', c: ['1'] },
      after: { b: 'y', c: ['1', '2'] },
      changed: ['b', 'c'],
    });
    expect(changes({ a: null }, { a: null }).changed).toEqual([]);
  });
});

describe('audit trail filters', () => {
  const today = '2026-11-24';
  it('reads text filters and GOV.UK dates from the query string', () => {
    const parsed = parseAuditFilters(
      {
        actor: ' sian ',
        action: 'sign-in.',
        'from-day': '1',
        'from-month': '11',
        'from-year': '2026',
        childId: '318a1',
      },
      today,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.filters).toEqual({
      actor: 'sian',
      action: 'sign-in.',
      childId: '318A1',
      from: '2026-11-01',
    });
    expect(parsed.values).toMatchObject({ actor: 'sian', 'from-day': '1' });
    expect(appliedFilters(parsed.filters)).toEqual({
      actor: 'sian',
      action: 'sign-in.',
      childId: '318A1',
      from: '2026-11-01',
    });
  });

  it('explains bad dates the GOV.UK way, and a range that runs backwards', () => {
    expect(parseAuditFilters({ 'to-day': '1', 'to-year': '2026' }, today).errors).toEqual([
      { field: 'to', message: 'To date must include a month', href: '#to-month' },
    ]);
    expect(
      parseAuditFilters({ 'from-day': '1', 'from-month': '1', 'from-year': '2027' }, today).errors[0]!
        .message,
    ).toBe('From date must be today or in the past');
    const backwards = parseAuditFilters(
      {
        'from-day': '3',
        'from-month': '11',
        'from-year': '2026',
        'to-day': '1',
        'to-month': '11',
        'to-year': '2026',
      },
      today,
    );
    expect(backwards.errors.map((e) => e.message)).toEqual([
      'To date must be the same as or after the from date',
    ]);
    expect(parseAuditFilters({ childId: 'not an id!' }, today).errors.map((e) => e.field)).toEqual([
      'childId',
    ]);
  });
});

describe('showing details and writing CSV', () => {
  it('flattens details into readable lines', () => {
    expect(
      describeDetails({
        before: { teamId: null, roles: ['a', 'b'] },
        after: { teamId: 't1', roles: [] },
        n: 3,
        ok: true,
      }),
    ).toEqual([
      { key: 'after.roles', value: 'none' },
      { key: 'after.teamId', value: 't1' },
      { key: 'before.roles', value: 'a, b' },
      { key: 'before.teamId', value: 'none' },
      { key: 'n', value: '3' },
      { key: 'ok', value: 'true' },
    ]);
    expect(describeDetails({})).toEqual([]);
    expect(describeDetails(null)).toEqual([]);
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-11-24T10:00:00Z'))).toBe('2026-11-24T10:00:00.000Z');
    expect(csvCell({ b: 1, a: '=x' })).toBe('"{""a"":""=x"",""b"":1}"');
    expect(csvRow([1, 'x', null])).toBe('1,x,\r\n');
  });
});
