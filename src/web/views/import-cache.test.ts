import nunjucks from 'nunjucks';
import { expect, it } from 'vitest';
import { cacheContextFreeImports } from './import-cache.ts';

/** An environment over templates held in memory, caching its templates as production does. */
function environment(sources: Record<string, string>) {
  const loader = {
    getSource: (name: string) => ({ src: sources[name]!, path: name, noCache: false }),
  } as unknown as nunjucks.ILoader;
  return new nunjucks.Environment(loader);
}

it('runs an imported macro file once per compiled template, with the same output every time', () => {
  cacheContextFreeImports();
  let runs = 0;
  const env = environment({
    'macros.njk': '{{ counted() }}{% macro shout(x) %}{{ x | upper }}!{% endmacro %}',
    'page.njk': '{% from "macros.njk" import shout %}{{ shout(name) }} {{ shout("and " + name) }}',
    'context.njk': '{% import "macros.njk" as m with context %}{{ m.shout(name) }}',
  });
  env.addGlobal('counted', () => {
    runs++;
    return '';
  });
  expect(env.render('page.njk', { name: 'ellie' })).toBe('ELLIE! AND ELLIE!');
  expect(env.render('page.njk', { name: 'jo' })).toBe('JO! AND JO!');
  expect(env.render('page.njk', { name: 'sam' })).toBe('SAM! AND SAM!');
  expect(runs).toBe(1);
  // An import with the page's context sees the page, so it still runs every time.
  env.render('context.njk', { name: 'ellie' });
  env.render('context.njk', { name: 'jo' });
  expect(runs).toBe(3);
});
