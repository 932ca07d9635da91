import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild, anAdult } from '../../../test/builders/people.ts';

const t = appForFile();

const visit = {
  noteType: 'visit',
  'occurredOn-day': '20',
  'occurredOn-month': '11',
  'occurredOn-year': '2026',
  title: 'Home visit',
  body: 'Saw Lily at home.\nShe was cheerful.',
};

describe('case notes', () => {
  it('a visit needs seen, seen alone and bedroom seen; the date must not be in the future', async () => {
    const child = await aChild(t.db, { givenName: 'Lily' });
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/case-notes/new`);
    expect(form.statusCode).toBe(200);
    expect(form.$('form[data-autosave]').length).toBe(1);
    expect(form.$('input[value="management-note"]').length).toBe(0);
    const bad = await sw.post(`/people/${child.id}/case-notes/new`, {
      ...visit,
      'occurredOn-year': '2027',
      childSeen: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .$('.govuk-error-summary a')
        .map((_, a) => bad.$(a).attr('href'))
        .get(),
    ).toEqual(['#occurredOn-day', '#seenAlone', '#bedroomSeen']);
    expect(bad.$('#body').text()).toContain('She was cheerful.');
  });

  it('records a visit: listed, in the chronology on the day it happened, child’s words on the summary, audited', async () => {
    const child = await aChild(t.db, { givenName: 'Lily', familyName: 'Nowell' });
    const sw = await t.as('social-worker');
    const res = await sw.post(`/people/${child.id}/case-notes/new`, {
      ...visit,
      childSeen: 'yes',
      seenAlone: 'yes',
      bedroomSeen: 'no',
      childsWords: 'I like my new school',
      significant: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const list = await sw.get(`/people/${child.id}/case-notes`);
    const text = list.$('[data-testid="case-notes"]').text();
    expect(text).toContain('20 November 2026 – Visit: Home visit');
    expect(text).toContain('Child seen alone; bedroom not seen');
    expect(text).toContain('I like my new school');
    const note = await t.db
      .selectFrom('caseNotes')
      .selectAll()
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(note.occurredOn).toBe('2026-11-20');
    expect(note.recordedAt.toISOString()).toBe('2026-11-24T10:30:00.000Z');
    const event = await t.db
      .selectFrom('caseEvents')
      .selectAll()
      .where('sourceId', '=', note.id)
      .executeTakeFirstOrThrow();
    expect(event.category).toBe('visit');
    expect(event.significant).toBe(true);
    expect(event.occurredAt.toISOString().slice(0, 10)).toBe('2026-11-20');
    const summary = await sw.get(`/people/${child.id}`);
    expect(summary.body).toContain('In Lily’s own words');
    expect(summary.body).toContain('I like my new school');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', child.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['case-note.recorded', 'case-notes.viewed']),
    );
  });

  it('the date it happened defaults to today, the usual answer, and can be changed', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const form = await sw.get(`/people/${child.id}/case-notes/new`);
    expect(
      ['day', 'month', 'year'].map((p) => form.$(`input[name="occurredOn-${p}"]`).attr('value')),
    ).toEqual(['24', '11', '2026']);
    const changed = await sw.post(`/people/${child.id}/case-notes/new`, {
      ...visit,
      noteType: 'phone-call',
      'occurredOn-day': '23',
    });
    expect(changed.statusCode).toBe(303);
    const note = await t.db
      .selectFrom('caseNotes')
      .select('occurredOn')
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(note.occurredOn).toBe('2026-11-23');
  });

  it('keeps a draft of what was typed', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    await sw.get(`/people/${child.id}/case-notes/new`);
    const saved = await t.app.inject({
      method: 'POST',
      url: `/drafts?key=${encodeURIComponent(`/people/${child.id}/case-notes/new`)}`,
      headers: {
        cookie: `threshold_session=${sw.cookie('threshold_session')}; threshold_csrf=${sw.cookie('threshold_csrf')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': (await sw.get(`/people/${child.id}/case-notes/new`))
          .$('input[name="_csrf"]')
          .attr('value')!,
      },
      payload: 'title=Half+written&body=Started+typing',
    });
    expect(saved.statusCode).toBe(200);
    const again = await sw.get(`/people/${child.id}/case-notes/new`);
    expect(again.$('#title').attr('value')).toBe('Half written');
    expect(again.body).toContain('We kept what you typed last time');
  });

  it('only a manager records a management note', async () => {
    const child = await aChild(t.db);
    const sw = await t.as('social-worker');
    const refused = await sw.post(`/people/${child.id}/case-notes/new`, {
      ...visit,
      noteType: 'management-note',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.$('#noteType-error').text()).toContain('Only a manager');
    const manager = await t.as('team-manager');
    const ok = await manager.post(`/people/${child.id}/case-notes/new`, {
      ...visit,
      noteType: 'management-note',
      title: 'Oversight',
      body: 'Agree the plan.',
    });
    expect(ok.statusCode).toBe(303);
  });

  it('cannot add a case note to a record the user cannot write, or an adult’s record', async () => {
    const hidden = await aChild(t.db, { restricted: true });
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${hidden.id}/case-notes/new`)).statusCode).toBe(404);
    const adult = await anAdult(t.db);
    const res = await sw.post(`/people/${adult.id}/case-notes/new`, { ...visit, noteType: 'phone-call' });
    expect(res.statusCode).toBe(400);
    expect(res.$('#noteType-error').text()).toContain('child');
    const qa = await t.as('qa-officer');
    expect((await qa.get(`/people/${hidden.id}/case-notes/new`)).statusCode).toBe(403);
  });
});
