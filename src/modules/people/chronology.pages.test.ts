import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appendCaseEvent } from '../../kernel/case-events/index.ts';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';

let childId: string;
const t = appForFile();
const CONTACT_ID = '00000000-0000-4000-8000-00000000c0de';
const NOTE_ID = '00000000-0000-4000-8000-0000000000aa';
beforeAll(async () => {
  const child = await aChild(t.db, { givenName: 'Ruby', familyName: 'Chronos' });
  childId = child.id;
  const now = new Date('2026-11-24T10:00:00Z');
  await t.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 55; i++) {
      await appendCaseEvent(trx, {
        childId,
        occurredAt: new Date(Date.UTC(2026, 0, 1 + i, 12)),
        recordedAt: now,
        recordedBy: null,
        category: i % 2 ? 'visit' : 'contact',
        title: `Event ${i + 1}`,
        significant: i === 10,
        // Each entry links to where its source is shown: a contact, a case note; an unknown source has no link.
        ...(i === 10 ? { sourceType: 'contact', sourceId: CONTACT_ID } : {}),
        ...(i === 54 ? { sourceType: 'case-note', sourceId: NOTE_ID } : {}),
        ...(i === 53 ? { sourceType: 'not-a-known-source', sourceId: NOTE_ID } : {}),
      });
    }
  });
});

describe('chronology', () => {
  it('lists events newest first, paginated, with significant events highlighted; audited', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${childId}/chronology`);
    expect(res.statusCode).toBe(200);
    const items = res.$('[data-testid="chronology"] > li');
    expect(items.length).toBe(50);
    expect(items.first().text()).toContain('Event 55');
    expect(res.$('.govuk-pagination__next a').attr('href')).toBe(`/people/${childId}/chronology?page=2`);
    const page2 = await sw.get(`/people/${childId}/chronology?page=2`);
    expect(page2.$('[data-testid="chronology"] > li').length).toBe(5);
    expect(page2.$('[data-testid="chronology"] > li').first().text()).toContain('Event 5');
    expect(res.$('[data-significant="true"]').text()).toContain('Event 11');
    expect(res.$('[data-significant="true"]').text()).toContain('Significant');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('childId', '=', childId)
      .where('action', '=', 'chronology.viewed')
      .execute();
    expect(audit.length).toBe(2);
  });

  it('links each entry to where its source is shown, on the chronology and among recent significant events', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${childId}/chronology`);
    const linkOf = (title: string) =>
      res
        .$('[data-testid="chronology"] > li')
        .filter((_i, li) => res.$(li).text().includes(title))
        .find('a')
        .attr('href');
    expect(linkOf('Event 11')).toBe(`/front-door/contacts/${CONTACT_ID}`);
    expect(linkOf('Event 55')).toBe(`/people/${childId}/case-notes`);
    expect(linkOf('Event 54')).toBeUndefined();
    const record = await sw.get(`/people/${childId}`);
    expect(record.$(`main a[href="/front-door/contacts/${CONTACT_ID}"]`).text()).toBe('Event 11');
  });

  it('filters by type, date and significance', async () => {
    const sw = await t.as('social-worker');
    const visits = await sw.get(
      `/people/${childId}/chronology?category=visit&from-day=1&from-month=1&from-year=2026&to-day=10&to-month=1&to-year=2026`,
    );
    const titles = visits
      .$('[data-testid="chronology"] > li .govuk-\\!-font-weight-bold')
      .map((_, e) => visits.$(e).text())
      .get();
    expect(titles).toEqual(['Event 10', 'Event 8', 'Event 6', 'Event 4', 'Event 2']);
    const significant = await sw.get(`/people/${childId}/chronology?significant=yes`);
    expect(significant.$('[data-testid="chronology"] > li').length).toBe(1);
    expect(significant.$('input[name="significant"]').attr('checked')).toBeDefined();
  });

  it('shows a bad filter date as an error and ignores it', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${childId}/chronology?from-day=31&from-month=2&from-year=2026`);
    expect(res.statusCode).toBe(200);
    expect(res.$('.govuk-error-summary').text()).toContain('From date must be a real date');
    expect(res.$('title').text()).toMatch(/^Error: /);
    expect(res.$('[data-testid="chronology"] > li').length).toBe(50);
  });

  it('prints the whole filtered chronology, and records the print in the audit trail', async () => {
    const sw = await t.as('social-worker');
    const res = await sw.get(`/people/${childId}/chronology?category=contact&print=yes`);
    expect(res.statusCode).toBe(200);
    expect(res.$('table tbody tr').length).toBe(28);
    expect(res.$('.govuk-header').length + res.$('header').length).toBeGreaterThan(0);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('childId', '=', childId)
      .where('action', '=', 'chronology.printed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ entries: 28, categories: ['contact'] });
  });

  it('is not shown to someone without access', async () => {
    const hidden = await aChild(t.db, { restricted: true });
    const sw = await t.as('social-worker');
    expect((await sw.get(`/people/${hidden.id}/chronology`)).statusCode).toBe(404);
    const analyst = await t.as('performance-analyst');
    expect((await analyst.get(`/people/${childId}/chronology`)).statusCode).toBe(403);
  });
});

describe('printing a long chronology', () => {
  it('says when a print holds only part of it, with links to narrow the dates and to print the next part', async () => {
    const child = await aChild(t.db, { givenName: 'Long', familyName: 'History' });
    await sql`
      insert into case_events (child_id, occurred_at, recorded_at, category, title)
      select ${child.id}::uuid, timestamptz '2020-01-01 12:00+00' + g * interval '1 hour', now(), 'other', 'Entry ' || g
      from generate_series(1, 5002) as g`.execute(t.db);
    const sw = await t.as('social-worker');
    const first = await sw.get(`/people/${child.id}/chronology?print=yes`);
    expect(first.statusCode).toBe(200);
    const notice = first.$('[data-testid="print-part"]');
    expect(notice.text()).toContain('Showing entries 1 to 5,000 of 5,002 (part 1 of 2, newest first)');
    expect(
      notice
        .find('a')
        .filter((_, a) => first.$(a).text() === 'Narrow the dates or types')
        .attr('href'),
    ).toBe(`/people/${child.id}/chronology`);
    const next = notice
      .find('a')
      .filter((_, a) => first.$(a).text() === 'print the next part')
      .attr('href');
    expect(next).toBe(`/people/${child.id}/chronology?print=yes&page=2`);
    expect(first.$('table tbody tr').length).toBe(5000);
    expect(first.$('table tbody tr').first().text()).toContain('Entry 5002');
    const second = await sw.get(next!);
    expect(second.$('[data-testid="print-part"]').text()).toContain(
      'Showing entries 5,001 to 5,002 of 5,002 (part 2 of 2',
    );
    expect(second.$('table tbody tr').length).toBe(2);
    expect(second.$('table tbody tr').last().text()).toContain('Entry 1');
    const printed = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'chronology.printed')
      .where('childId', '=', child.id)
      .orderBy('seq')
      .execute();
    expect(printed.map((p) => p.details)).toMatchObject([
      { entries: 5000, total: 5002, part: 1 },
      { entries: 2, total: 5002, part: 2 },
    ]);
    // A short chronology prints whole, with no notice.
    const short = await sw.get(`/people/${childId}/chronology?print=yes`);
    expect(short.$('[data-testid="print-part"]').length).toBe(0);
  });
});
