import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './identity.pages.ts';

/** The page after sign-in (security probe M2): only a path on this site, whatever is typed into returnTo. */
describe('safeReturnTo', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeReturnTo('/people/123?tab=family')).toBe('/people/123?tab=family');
    expect(safeReturnTo('/front-door/contacts/abc/decision')).toBe('/front-door/contacts/abc/decision');
  });

  it('sends anything that could leave the site home', () => {
    for (const hostile of [
      '/\t/evil.example/',
      '/\n/evil.example/',
      '/\r\n/evil.example',
      '//evil.example/',
      '/\\evil.example',
      '/\\/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/%0a',
      ' /people',
      '',
      undefined,
      ['/people'],
    ]) {
      const result = safeReturnTo(hostile);
      expect(result === '/' || (result.startsWith('/') && !result.startsWith('//')), String(hostile)).toBe(
        true,
      );
      expect(new URL(result, 'https://threshold.example').origin).toBe('https://threshold.example');
    }
    expect(safeReturnTo('/\t/evil.example/')).toBe('/');
    expect(safeReturnTo('/sign-in?returnTo=/x')).toBe('/');
  });

  it('never leaves the site, for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const result = safeReturnTo(s);
        expect(result.startsWith('/')).toBe(true);
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f\\]/.test(result)).toBe(false);
        expect(new URL(result, 'https://threshold.example').origin).toBe('https://threshold.example');
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const result = safeReturnTo(`/${s}`);
        expect(new URL(result, 'https://threshold.example').origin).toBe('https://threshold.example');
      }),
    );
  });
});
