import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { trimFilter } from './trim-filter.ts';

const builtIn = (s: string) => s.replace(/^\s*|\s*$/g, '');

describe('the linear trim filter', () => {
  it('removes exactly what the built-in removes', () => {
    for (const s of [
      '',
      '   ',
      '  a  ',
      '\n\t a \u00a0b\u2028 \r\n',
      'no space',
      '\ufeff x \ufeff',
      ' a\n\n   b ',
    ])
      expect(trimFilter(s)).toBe(builtIn(s));
  });

  it('keeps a safe string safe and a plain one plain', () => {
    const safe = trimFilter(new nunjucks.runtime.SafeString('  <b>x</b>  '));
    expect(safe).toBeInstanceOf(nunjucks.runtime.SafeString);
    expect(String(safe)).toBe('<b>x</b>');
    expect(trimFilter('  <b>x</b> ')).toBe('<b>x</b>');
  });

  it('is linear on long whitespace runs inside the text, where the built-in is quadratic', () => {
    const long = `<div>${' \n'.repeat(200_000)}</div>${' '.repeat(50_000)}x`;
    const started = performance.now();
    expect(trimFilter(`  ${long}  `)).toBe(long);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('replaces the built-in filter on an environment', () => {
    const env = new nunjucks.Environment(null, { autoescape: true });
    env.addFilter('trim', trimFilter);
    expect(
      env.renderString('[{{ x | trim }}][{{ y | safe | trim }}]', { x: '  <a> ', y: ' <i>y</i> ' }),
    ).toBe('[&lt;a&gt;][<i>y</i>]');
  });
});
