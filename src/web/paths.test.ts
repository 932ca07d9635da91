import { describe, expect, it } from 'vitest';
import { pathTo } from './paths.ts';

describe('pathTo', () => {
  it('fills every param, encoding values, and adds a query', () => {
    expect(pathTo('/people/:personId/grants/:grantId/revoke', { personId: 'a b', grantId: 'g1' })).toBe(
      '/people/a%20b/grants/g1/revoke',
    );
    expect(pathTo('/people', {}, { q: 'smith', page: 2, empty: '' })).toBe('/people?q=smith&page=2');
  });

  it('refuses a missing value at run time too', () => {
    expect(() => pathTo('/people/:personId', { personId: '' })).toThrow('missing :personId');
  });

  it('checks param names at compile time', () => {
    // @ts-expect-error grantId is not a param of this path
    expect(() => pathTo('/people/:personId', { grantId: 'x' })).toThrow();
  });
});
