import { describe, expect, it } from 'vitest';
import { appForFile } from '../../test/support/test-app.ts';
import { aChild } from '../../test/builders/people.ts';
import { parseUrlEncoded } from './form-parsing.ts';

const t = appForFile();

describe('NUL characters in forms and query strings', () => {
  it('are dropped while parsing, keeping everything else (repeated keys stay lists)', () => {
    expect(parseUrlEncoded('title=Home%00visit&tag=a&tag=b%00&note=50%2500')).toEqual({
      title: 'Homevisit',
      tag: ['a', 'b'],
      note: '50%00',
    });
    expect(parseUrlEncoded('q=Lily\u0000')).toEqual({ q: 'Lily' });
  });

  it('a case note holding one is saved without it instead of failing with a 500', async () => {
    const child = await aChild(t.db, { givenName: 'Nula' });
    const sw = await t.as('social-worker');
    const res = await sw.post(`/people/${child.id}/case-notes/new`, {
      noteType: 'phone-call',
      'occurredOn-day': '20',
      'occurredOn-month': '11',
      'occurredOn-year': '2026',
      title: 'Call\u0000 with school',
      body: 'Spoke to the head\u0000 teacher.',
    });
    expect(res.statusCode).toBe(303);
    const note = await t.db
      .selectFrom('caseNotes')
      .select(['title', 'body'])
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(note).toEqual({ title: 'Call with school', body: 'Spoke to the head teacher.' });
  });

  it('a search holding one answers normally', async () => {
    await aChild(t.db, { givenName: 'Nula', familyName: 'Quarry' });
    const mash = await t.as('mash-practitioner');
    const search = await mash.post('/people', { name: 'Nula\u0000 Quarry' });
    expect(search.statusCode).toBe(303);
    const location = String(search.headers.location);
    expect(location).toContain('Nula');
    // The results address itself may carry an encoded NUL too (a hand-edited link): still answered normally.
    const res = await mash.get(location.replace('Nula', 'Nula%00'));
    expect(res.statusCode).toBe(200);
    expect(res.$('main').text()).toContain('Quarry');
  });
});
