import { describe, expect, it } from 'vitest';
import { pageHref, pagination } from './pagination.ts';

describe('pagination', () => {
  it('keeps filters and drops page=1', () => {
    expect(pageHref('/people?q=smith&page=3', 1)).toBe('/people?q=smith');
    expect(pageHref('/people?q=smith', 2)).toBe('/people?q=smith&page=2');
  });

  it('shows first, last and neighbours with ellipses', () => {
    const p = pagination('/x', 5, 10, 95);
    expect(p.items.map((i) => ('ellipsis' in i ? '…' : i.number))).toEqual([1, '…', 4, 5, 6, '…', 10]);
    expect(p.previous?.href).toBe('/x?page=4');
    expect(p.next?.href).toBe('/x?page=6');
    expect([p.from, p.to, p.total]).toEqual([41, 50, 95]);
  });

  it('has no links for a single page and counts an empty list as 0–0', () => {
    const p = pagination('/x', 1, 10, 0);
    expect(p.items).toEqual([]);
    expect(p.previous).toBeUndefined();
    expect(p.next).toBeUndefined();
    expect([p.from, p.to]).toEqual([0, 0]);
  });

  it('clamps a page past the end to the last page', () => {
    const p = pagination('/x', 99, 10, 25);
    expect(p.items.find((i) => 'current' in i && i.current)).toMatchObject({ number: 3 });
  });
});
