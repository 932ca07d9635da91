import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { aContactInMashEnquiry } from '../../../test/builders/front-door.ts';
import { anEarlyHelpEpisode } from '../../../test/builders/early-help.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { rowsOf } from '../../../test/builders/records.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';

/** Issue 18 item 6: the child's record lists every contact (completed ones too), referral and episode about them. */
const t = appForFile();
const forAxe = new Map<string, CapturedPage>();
const rowsOfTable = (res: TestResponse) =>
  res
    .$('[data-testid="record-history"] tbody tr')
    .map((_, tr) =>
      res
        .$(tr)
        .find('td')
        .map((__, td) => res.$(td).text().replace(/\s+/g, ' ').trim())
        .get()
        .join(' | ')
        .trim(),
    )
    .get();

describe("the record's contacts, referrals and episodes", () => {
  it('lists a completed contact and the early help episode, newest first, linked, from the record’s sections', async () => {
    const now = t.clock.now();
    const contact = await aContactInMashEnquiry(
      t.db,
      englandAndWalesCalendar,
      new Date('2026-11-20T09:00:00Z'),
    );
    // The contact has since been completed (its decision carried out): it stays on the list.
    await t.db
      .updateTable('contacts')
      .set({ status: 'completed', completedAt: new Date('2026-11-21T12:00:00Z') })
      .where('id', '=', contact.contactId)
      .execute();
    const { episode } = await anEarlyHelpEpisode(t.db, { now, children: [{ id: contact.personId }] });
    const sw = await t.as('social-worker');
    const url = `/people/${contact.personId}/involvements`;
    const summary = await sw.get(`/people/${contact.personId}`);
    expect(summary.$(`nav[aria-label="Sections of this record"] a[href="${url}"]`).text()).toBe(
      'Contacts, referrals and episodes',
    );
    const page = await sw.get(url);
    expect(page.statusCode).toBe(200);
    const reference = (await rowsOf(t.db, 'earlyHelpEpisodes', { id: episode.id }, ['reference']))[0]!
      .reference;
    expect(rowsOfTable(page)).toEqual([
      `24 November 2026 | Early help episode ${reference} | Open |`,
      `20 November 2026 | Contact ${contact.reference} | Completed | 21 November 2026`,
    ]);
    expect(
      page
        .$('[data-testid="record-history"] a')
        .map((_, a) => page.$(a).attr('href'))
        .get(),
    ).toEqual([`/early-help/episodes/${episode.id}`, `/front-door/contacts/${contact.contactId}`]);
    forAxe.set('history', { who: 'social-worker', url, body: page.body, headers: page.headers });
    // The audit trail says who looked.
    const audit = await rowsOf(t.db, 'auditEvents', { childId: contact.personId }, ['action']);
    expect(audit.map((a) => a.action)).toContain('record-history.viewed');
    // A reader without the front door's or early help's pages sees the list without the links.
    const qa = await t.as('contact-officer');
    const plain = await qa.get(url);
    expect(plain.statusCode).toBe(200);
    expect(rowsOfTable(plain)).toHaveLength(2);
    expect(plain.$('[data-testid="record-history"] a[href^="/early-help"]').length).toBe(0);
  });

  it('lists the referral to social care and its episode', async () => {
    const { child, episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const sw = await t.as('social-worker');
    const page = await sw.get(`/people/${child.id}/involvements`);
    const reference = (await rowsOf(t.db, 'cinEpisodes', { id: episodeId }, ['reference']))[0]!.reference;
    expect(rowsOfTable(page)).toEqual([
      `2 November 2026 | Referral and children in need episode ${reference} | Open |`,
    ]);
    expect(page.$(`a[href="/social-care/episodes/${episodeId}"]`).length).toBe(1);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(1);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
