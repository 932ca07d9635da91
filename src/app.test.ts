import { describe, expect, it } from 'vitest';
import { urlForLog } from './app.ts';

describe('the URL in the request log line', () => {
  it('keeps the path and the query parameters’ names, never their values', () => {
    expect(urlForLog('/people?q=Poppy%20Smith&page=2')).toBe('/people?q&page');
    expect(urlForLog('/front-door')).toBe('/front-door');
    expect(urlForLog('/front-door?')).toBe('/front-door');
    expect(urlForLog('/search?name=a&name=b')).toBe('/search?name&name');
  });
});
