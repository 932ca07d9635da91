import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import { anAgreedPlan, anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { rowsOf } from '../../../test/builders/records.ts';

/**
 * Issue 18 item 5: one home for the child's words. The statutory visit and the early help visit (a case note of
 * type visit, opened from the episode) record what the child said; the child's voice page gathers them, the summary
 * reads them from there, and the next plan review shows the latest.
 */
const t = appForFile();
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
const links = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();

const visit = {
  'visitedOn-day': '20',
  'visitedOn-month': '11',
  'visitedOn-year': '2026',
  notes: 'Saw Olivia at home.',
};

describe("the child's voice", () => {
  it('the statutory visit records the words; the stream, the summary and the next core group show them, each linked to its source', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, {
      referralDate: '2026-11-02',
      child: { givenName: 'Olivia', familyName: 'Stone' },
    });
    const { planId } = await aCpPlan(t.db, episodeId);
    const sw = await t.as('social-worker');
    const newVisit = `/social-care/episodes/${episodeId}/visits/new`;
    const form = await sw.get(newVisit);
    expect(form.statusCode).toBe(200);
    expect(form.$('label[for="childsWords"]').text()).toContain('What the child said (their own words)');

    // Words for a child who was not seen are refused, against the field, with what was typed kept.
    const bad = await sw.post(newVisit, {
      ...visit,
      childSeen: 'no',
      reasonNotSeen: 'Nobody home',
      childsWords: 'I was out',
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#childsWords']);
    expect(bad.$('#childsWords').val()).toBe('I was out');
    capture('visit form with an error', 'social-worker', newVisit, bad);

    const saved = await sw.post(newVisit, {
      ...visit,
      childSeen: 'yes',
      seenAlone: 'yes',
      bedroomSeen: 'yes',
      childsWords: 'I like my new bed',
    });
    expect(saved.statusCode).toBe(303);
    const visits = await sw.get(`/social-care/episodes/${episodeId}/visits`);
    expect(visits.$('table').text()).toContain('“I like my new bed”');

    // A case note with the child's words, two days later, is newer in the stream.
    const note = await sw.post(`/people/${child.id}/case-notes/new`, {
      noteType: 'phone-call',
      'occurredOn-day': '22',
      'occurredOn-month': '11',
      'occurredOn-year': '2026',
      title: 'Olivia rang',
      body: 'Olivia rang about school.',
      childsWords: 'Can I stay at Nan’s on Friday?',
    });
    expect(note.statusCode).toBe(303);

    const voiceUrl = `/people/${child.id}/voice`;
    const voice = await sw.get(voiceUrl);
    expect(voice.statusCode).toBe(200);
    expect(voice.$('h1').text()).toContain('Olivia’s voice');
    expect(voice.$('nav[aria-label="Sections of this record"] a[aria-current="page"]').text()).toContain(
      'Olivia’s voice',
    );
    const entries = voice
      .$('[data-testid="child-voice"] > li')
      .map((_, li) => voice.$(li).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(entries).toEqual([
      '“Can I stay at Nan’s on Friday?” 22 November 2026, Phone call (case note)',
      '“I like my new bed” 20 November 2026, Child protection plan visit, seen alone',
    ]);
    expect(
      voice
        .$('[data-testid="child-voice"] a')
        .map((_, a) => voice.$(a).attr('href'))
        .get(),
    ).toEqual([
      expect.stringMatching(new RegExp(`^/people/${child.id}/case-notes#case-note-`)),
      `/social-care/episodes/${episodeId}/visits`,
    ]);
    capture("the child's voice", 'social-worker', voiceUrl, voice);

    const summary = await sw.get(`/people/${child.id}`);
    expect(summary.$('main').text()).toContain('In Olivia’s own words');
    expect(summary.$('main').text()).toContain('I like my new bed');
    expect(summary.$(`a[href="${voiceUrl}"]`).length).toBeGreaterThan(0);

    const coreGroupUrl = `/social-care/cp-plans/${planId}/core-groups/new`;
    const coreGroup = await sw.get(coreGroupUrl);
    const latest = coreGroup.$('[data-testid="latest-words"]').text().replace(/\s+/g, ' ');
    expect(latest).toContain('“Can I stay at Nan’s on Friday?” 22 November 2026, Phone call (case note)');
    capture('core group with the latest words', 'social-worker', coreGroupUrl, coreGroup);
    const review = await sw.get(`/social-care/cp-plans/${planId}/reviews/new`);
    expect(review.$('[data-testid="latest-words"]').text()).toContain('Can I stay at Nan’s on Friday?');

    // Another reader of the record sees the words; the audit trail says who looked.
    const qa = await t.as('qa-officer');
    expect((await qa.get(voiceUrl)).statusCode).toBe(200);
    const audit = await rowsOf(t.db, 'auditEvents', { childId: child.id }, ['action']);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['statutory-visit.recorded', 'case-note.recorded', 'child-voice.viewed']),
    );
  });

  it('the early help visit opens from the episode as a visit, and its words reach the next team-around-the-family meeting', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    await anAgreedPlan(t.db, episode.id, { now: t.clock.now() });
    const ehp = await t.as('early-help-practitioner');
    const page = await ehp.get(`/early-help/episodes/${episode.id}`);
    const link = page.$('[data-testid="record-visit"]');
    expect(link.text()).toContain('Record a visit to Ellie');
    const href = link.attr('href')!;
    const form = await ehp.get(href);
    expect(form.$('input[name="noteType"][value="visit"]').attr('checked')).toBeDefined();
    const posted = await ehp.post(href, {
      noteType: 'visit',
      'occurredOn-day': '23',
      'occurredOn-month': '11',
      'occurredOn-year': '2026',
      title: 'Home visit',
      body: 'Saw Ellie after school.',
      childSeen: 'yes',
      seenAlone: 'no',
      bedroomSeen: 'yes',
      childsWords: 'I want Mum to come to sports day',
    });
    expect(posted.statusCode).toBe(303);
    const reviewUrl = `/early-help/episodes/${episode.id}/reviews/new`;
    const review = await ehp.get(reviewUrl);
    expect(review.statusCode).toBe(200);
    const latest = review.$('[data-testid="latest-words"]').text().replace(/\s+/g, ' ');
    expect(latest).toContain('Ellie');
    expect(latest).toContain(
      '“I want Mum to come to sports day” 23 November 2026, Visit (case note), not seen alone',
    );
    capture('early help meeting with the latest words', 'early-help-practitioner', reviewUrl, review);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(4);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
