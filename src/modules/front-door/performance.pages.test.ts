import { beforeAll, describe, expect, it } from 'vitest';
import type { CheerioAPI } from 'cheerio';
import { aContactInMashEnquiry, demoUser } from '../../../test/builders/front-door.ts';
import { aChild } from '../../../test/builders/people.ts';
import { localAuthorityId, teamId } from '../../../test/builders/organisation.ts';
import { summaryLinks } from '../../../test/builders/pages.ts';
import { withCensusDetails } from '../../../test/builders/social-care.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';
import type { Outcome } from './contact.ts';
import { createContact } from './contact.service.ts';
import { authoriseDecision } from './authorisation.service.ts';
import { decideContact } from './decision.service.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';

/**
 * The front-door performance pages on a fixed clock (Tuesday 24 November 2026, 10:30am). The default period is
 * the last 12 weeks: Monday 7 September to Tuesday 24 November 2026. In it, Richmond received six contacts:
 *
 *   A  Mon 16 Nov 9am      police (6)   decided 2pm the same day (on time)   early help, level 2   authorised
 *      (A's child had another contact on 1 June 2026: a repeat contact)
 *   B  Mon 16 Nov 11am     police (6)   decided Thu 19 Nov (late: due by the end of Tue 17 Nov)   no further action, level 1   authorised
 *   C  Wed 18 Nov 10am     A&E (3E)     decided 3pm the same day (on time)   social care, level 3   authorised
 *   D  Thu 19 Nov 9:30am   neighbour (1B)   no decision, due by the end of Fri 20 Nov: overdue
 *   F  Fri 20 Nov 10am     police (6)   red MASH enquiry, a request to the police still open after its due time (2pm): overdue
 *   E  Tue 24 Nov 9am      police (6)   no decision, not due yet
 *
 * And, outside that period, eight contacts received in the fortnight of 3 to 14 August 2026, each about a new child,
 * all about domestic abuse, decided on the day and authorised: four by Mo Hassan (MASH), four by Tom Mensah
 * (Assessment Team), for the outcome mix by level of need and threshold consistency by team:
 *
 *   G1, G2  Mo    level 2   early help
 *   G3      Mo    level 3   social care
 *   G4      Mo    level 3   early help
 *   H1, H2  Tom   level 3   social care
 *   H3      Tom   level 4   strategy discussion
 *   H4      Tom   level 1   no further action
 */

let richmond: string;
const ref: Record<string, string> = {};
const ids: Record<string, string> = {};

const at = (iso: string) => new Date(iso);
const text = ($: CheerioAPI, selector: string) => $(selector).text().replace(/\s+/g, ' ').trim();
/** The cells of each body row of a table (its visually hidden text left out). */
function tableRows(res: TestResponse, testid: string): string[][] {
  const $ = res.$;
  return $(`[data-testid="${testid}"] tbody tr`)
    .map((_, tr) => [
      $(tr)
        .find('th, td')
        .map((__, cell) => {
          const c = $(cell).clone();
          c.find('.govuk-visually-hidden').remove();
          return c.text().replace(/\s+/g, ' ').trim();
        })
        .get(),
    ])
    .get();
}
/** The href of the link in a table's row (by its first cell) and column (0-based). */
function linkIn(res: TestResponse, testid: string, rowHeader: string, column: number): string | undefined {
  const $ = res.$;
  const row = $(`[data-testid="${testid}"] tbody tr`).filter(
    (_, tr) => $(tr).children().first().text().trim() === rowHeader,
  );
  return row.children().eq(column).find('a').attr('href');
}
const drilledReferences = (res: TestResponse) =>
  res
    .$('[data-testid="drill-down"] tbody tr')
    .map((_, tr) => res.$(tr).children().first().text().trim())
    .get()
    .sort();
const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details', 'actorLabel'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

const t = appForFile({ now: '2026-11-24T10:30:00Z' });
beforeAll(async () => {
  richmond = await localAuthorityId(t.db);
  const calendar = t.app.services.calendar;
  const [officer, mash, manager, teamManager] = [
    await demoUser(t.db, 'contact-officer'),
    await demoUser(t.db, 'mash-practitioner'),
    await demoUser(t.db, 'mash-manager'),
    await demoUser(t.db, 'team-manager'),
  ];
  const assessmentTeam = await teamId(t.db, 'Assessment Team');

  const contact = async (
    key: string,
    receivedAt: string,
    referralSource: string,
    personId: string,
    decision?: { at: string; outcome: Outcome; level: string; by?: typeof mash },
  ) => {
    const created = await t.db.transaction().execute(async (trx) => {
      const c = await createContact(serviceContext(trx, officer, at(receivedAt), calendar), {
        localAuthorityId: richmond,
        channel: 'phone',
        referralSource,
        referrer: { name: 'A referrer' },
        concernCategories: ['domestic-abuse'],
        reason: 'A worry about the children',
        consent: 'dispensed',
        consentRationale: 'Risk',
        urgency: 'urgent',
        children: [{ personId }],
      });
      if (decision) {
        await decideContact(serviceContext(trx, decision.by ?? mash, at(decision.at)), {
          contactId: c.id,
          levelOfNeed: decision.level,
          outcome: decision.outcome,
          rationale: 'Because',
          referrerFeedback: 'Thank you',
        });
        const later = new Date(at(decision.at).getTime() + 30 * 60_000);
        await authoriseDecision(serviceContext(trx, manager, later), {
          contactId: c.id,
          action: 'authorise',
          rationale: 'Agree',
          ...(decision.outcome === 'social-care' || decision.outcome === 'strategy-discussion'
            ? { teamId: assessmentTeam }
            : {}),
        });
      }
      return c;
    });
    ref[key] = created.reference;
    ids[key] = created.id;
  };
  const child = async (name: string) => {
    const { id } = await aChild(t.db, { givenName: name, familyName: 'Perftest' });
    await withCensusDetails(t.db, id); // a referral needs the child's census details (rules 4180, 4220, 8540)
    return id;
  };
  const [ava, ben, cal, dan, eli] = [
    await child('Ava'),
    await child('Ben'),
    await child('Cal'),
    await child('Dan'),
    await child('Eli'),
  ];
  await contact('old', '2026-06-01T10:00:00Z', '1A', ava);
  await contact('A', '2026-11-16T09:00:00Z', '6', ava, {
    at: '2026-11-16T14:00:00Z',
    outcome: 'early-help',
    level: 'level-2',
  });
  await contact('B', '2026-11-16T11:00:00Z', '6', ben, {
    at: '2026-11-19T10:00:00Z',
    outcome: 'nfa',
    level: 'level-1',
  });
  await contact('C', '2026-11-18T10:00:00Z', '3E', cal, {
    at: '2026-11-18T15:00:00Z',
    outcome: 'social-care',
    level: 'level-3',
  });
  await contact('D', '2026-11-19T09:30:00Z', '1B', dan);
  const f = await aContactInMashEnquiry(t.db, calendar, at('2026-11-20T10:00:00Z'), {
    rag: 'red',
    requestTo: 'police',
  });
  ref.F = f.reference;
  ids.F = f.contactId;
  await contact('E', '2026-11-24T09:00:00Z', '6', eli);
  const august: [string, string, Outcome, string, typeof mash][] = [
    ['G1', '2026-08-03', 'early-help', 'level-2', mash],
    ['G2', '2026-08-04', 'early-help', 'level-2', mash],
    ['G3', '2026-08-05', 'social-care', 'level-3', mash],
    ['G4', '2026-08-06', 'early-help', 'level-3', mash],
    ['H1', '2026-08-10', 'social-care', 'level-3', teamManager],
    ['H2', '2026-08-11', 'social-care', 'level-3', teamManager],
    ['H3', '2026-08-12', 'strategy-discussion', 'level-4', teamManager],
    ['H4', '2026-08-13', 'nfa', 'level-1', teamManager],
  ];
  for (const [key, day, outcome, level, by] of august)
    await contact(key, `${day}T09:00:00Z`, '6', await child(`Aug${key}`), {
      at: `${day}T13:00:00Z`,
      outcome,
      level,
      by,
    });
});

describe('front-door performance', () => {
  it('shows the figures for the last 12 weeks, each number linking to the contacts behind it', async () => {
    const manager = await t.as('mash-manager');
    const page = await manager.get('/front-door/performance');
    expect(page.statusCode).toBe(200);
    expect(page.$('h1').text()).toBe('Front-door performance');
    // Saved period: 7 September to 24 November 2026; the manager works for two authorities, so can choose one.
    expect([page.$('#from-day').val(), page.$('#from-month').val(), page.$('#from-year').val()]).toEqual([
      '7',
      '9',
      '2026',
    ]);
    expect([page.$('#to-day').val(), page.$('#to-month').val(), page.$('#to-year').val()]).toEqual([
      '24',
      '11',
      '2026',
    ]);
    expect(
      page
        .$('#la option')
        .map((_, o) => page.$(o).text())
        .get(),
    ).toEqual([
      'All (Kingston upon Thames and Richmond upon Thames)',
      'Kingston upon Thames',
      'Richmond upon Thames',
    ]);
    expect(page.$('form[method="post"] input[name="_csrf"]').val()).toBeTruthy();

    expect(tableRows(page, 'summary')).toEqual([
      ['Contacts received', '6'],
      ['Decisions recorded', '3'],
      ['Decisions made within 1 working day', '66.7% (2 of 3)'],
      ['Contacts past their decision time with no decision', '2'],
    ]);
    expect(tableRows(page, 'contacts-per-week').slice(-2)).toEqual([
      ['w/c 16 November 2026', '5'],
      ['w/c 23 November 2026', '1'],
    ]);
    expect(tableRows(page, 'contacts-per-week')).toHaveLength(12);
    expect(tableRows(page, 'contacts-per-day').filter((r) => r[1] !== '0')).toEqual([
      ['16 November 2026', '2'],
      ['18 November 2026', '1'],
      ['19 November 2026', '1'],
      ['20 November 2026', '1'],
      ['24 November 2026', '1'],
    ]);
    expect(tableRows(page, 'decision-timeliness').slice(-3)).toEqual([
      ['w/c 16 November 2026', '3', '2', '1', '66.7%'],
      ['w/c 23 November 2026', '0', '0', '0', '–'],
      ['All', '3', '2', '1', '66.7%'],
    ]);
    // Due by the end of Tuesday 17 November (5pm); decided at 10am on Thursday: 8 + 1 working hours late.
    expect(tableRows(page, 'late-decisions')).toEqual([
      [ref.B!, '16 November 2026', '17 November 2026 at 5pm', '19 November 2026 at 10am', '9', 'Mo Hassan'],
    ]);
    // The lists are paged (25 a page): one page here, so no page links, and a page past the last shows the last.
    expect(page.$('[data-testid="late-decisions-shown"]').length).toBe(0);
    const pastTheEnd = await manager.get('/front-door/performance?page=9&similarPage=9');
    expect(pastTheEnd.statusCode).toBe(200);
    expect(tableRows(pastTheEnd, 'late-decisions')).toEqual(tableRows(page, 'late-decisions'));
    expect(tableRows(pastTheEnd, 'consistency-similar-contacts')).toEqual(
      tableRows(page, 'consistency-similar-contacts'),
    );
    expect(tableRows(page, 'outcomes-by-source')).toEqual([
      ['3E: Health services – A&E (emergency department)', '0', '0', '0', '1 (100%)', '0', '1'],
      ['6: Police', '1 (50%)', '0', '1 (50%)', '0', '0', '2'],
      ['All', '1', '0', '1', '1', '0', '3'],
    ]);
    // Police contacts A, B, E and F name 4 children; only A's (Ava) had a contact before.
    expect(tableRows(page, 'repeat-contacts')).toEqual([
      ['1B: Individual – acquaintance (including neighbours and child minders)', '1', '0', '0%'],
      ['3E: Health services – A&E (emergency department)', '1', '0', '0%'],
      ['6: Police', '4', '1', '25%'],
      ['All', '6', '1', '16.7%'],
    ]);
    expect(tableRows(page, 'information-requests')).toEqual([
      [expect.stringContaining('Police'), '1', '0', '–', '1', '0', '1', '0%', '1', '0'],
      ['All agencies', '1', '0', '–', '1', '0', '1', '0%', '1', '0'],
    ]);
    expect(tableRows(page, 'outcomes-by-level')).toEqual([
      ['Level 1 – universal: no additional needs', '1 (100%)', '0', '0', '0', '0', '1'],
      ['Level 2 – early help: additional needs', '0', '0', '1 (100%)', '0', '0', '1'],
      ['Level 3 – complex needs: targeted multi-agency support', '0', '0', '0', '1 (100%)', '0', '1'],
      ['All', '1', '0', '1', '1', '0', '3'],
    ]);
    expect(tableRows(page, 'consistency-workers')).toEqual([
      ['Mo Hassan', '3', '1', '33.3%', '1 (33.3%)', '–', 'None', '0'],
    ]);
    expect(tableRows(page, 'consistency-teams')).toEqual([
      ['MASH', '3', '1', '33.3%', '1 (33.3%)', '–', 'None', '0'],
    ]);
    // Charts: an SVG with a title and description for each section that has data.
    for (const id of [
      'contacts-per-week',
      'contacts-per-day',
      'decisions-on-time',
      'outcomes-by-source',
      'outcomes-by-level',
      'repeat-contacts',
      'requests-in-time',
      'social-care-by-worker',
    ]) {
      const svg = page.$(`[data-testid="chart-${id}"]`);
      expect(svg.attr('role'), id).toBe('img');
      expect(page.$(`#${id}-desc`).text(), id).not.toBe('');
    }
    // Every table downloads as CSV, and every link to a drill-down has text of its own.
    expect(page.$('a:contains("Download this table as CSV")').length).toBe(11);
    const drillLinks = page.$('a[href^="/front-door/performance/contacts?"]');
    expect(drillLinks.length).toBeGreaterThan(20);
    const names = drillLinks.map((_, a) => page.$(a).text().replace(/\s+/g, ' ').trim()).get();
    expect(new Set(names).size).toBe(names.length);

    // The late decisions lead to exactly contact B; on-time ones to A and C; the 16 November to A and B.
    const late = await manager.get(linkIn(page, 'decision-timeliness', 'All', 3)!);
    expect(late.statusCode).toBe(200);
    expect(late.$('h1').text()).toBe('Contacts with a decision');
    expect(text(late.$, '[data-testid="conditions"]')).toBe('decided late');
    expect(text(late.$, '[data-testid="period"]')).toBe(
      'Received from 7 September 2026 to 24 November 2026.',
    );
    expect(late.$('[data-testid="drill-down"] caption').text().trim()).toBe('1 contact, most recent first');
    expect(drilledReferences(late)).toEqual([ref.B]);
    expect(late.$(`[data-testid="drill-down"] a:contains("${ref.B}")`).attr('href')).toBe(
      `/front-door/contacts/${ids.B}`,
    );
    expect(text(late.$, '[data-testid="drill-down"] tbody tr td:nth-child(5)')).toBe('Late');
    expect(late.$('.govuk-back-link').attr('href')).toBe(
      '/front-door/performance?from=2026-09-07&to=2026-11-24',
    );
    const onTime = await manager.get(linkIn(page, 'decision-timeliness', 'All', 2)!);
    expect(drilledReferences(onTime)).toEqual([ref.A, ref.C].sort());
    const day = await manager.get(linkIn(page, 'contacts-per-day', '16 November 2026', 1)!);
    expect(text(day.$, '[data-testid="conditions"]')).toBe('received on 16 November 2026');
    expect(drilledReferences(day)).toEqual([ref.A, ref.B].sort());
    const overdue = await manager.get(
      linkIn(page, 'summary', 'Contacts past their decision time with no decision', 1)!,
    );
    expect(drilledReferences(overdue)).toEqual([ref.D, ref.F].sort());
    const police = await manager.get(linkIn(page, 'outcomes-by-source', '6: Police', 6)!);
    expect(drilledReferences(police)).toEqual([ref.A, ref.B].sort());
    const repeat = await manager.get(linkIn(page, 'repeat-contacts', '6: Police', 2)!);
    expect(drilledReferences(repeat)).toEqual([ref.A]);
    const requests = await manager.get(linkIn(page, 'information-requests', 'All agencies', 8)!);
    expect(requests.$('h1').text()).toBe('Information requests');
    expect(drilledReferences(requests)).toEqual([ref.F]);
    const similar = await manager.get(
      page
        .$('[data-testid="consistency-similar-contacts"] tbody tr')
        .first()
        .find('td')
        .eq(2)
        .find('a')
        .attr('href')!,
    );
    expect(text(similar.$, '[data-testid="conditions"]')).toContain(
      'categories of concern exactly: Domestic abuse',
    );
    expect(drilledReferences(similar)).toHaveLength(1);
    // "Similar" means the same level of need and exactly the same categories of concern.
    const level2 = '/front-door/performance/contacts?measure=consistency&level=level-2';
    expect(drilledReferences(await manager.get(`${level2}&concerns=domestic-abuse`))).toEqual([ref.A]);
    expect(drilledReferences(await manager.get(`${level2}&concerns=domestic-abuse,physical-harm`))).toEqual(
      [],
    );
    expect(drilledReferences(await manager.get(`${level2}&concerns=none`))).toEqual([]);

    // Each view is in the audit trail.
    const viewed = await audits('report.viewed');
    expect(viewed.find((v) => v.subjectId === 'front-door-performance')?.details).toEqual({
      from: '2026-09-07',
      to: '2026-11-24',
    });
    expect(
      viewed
        .filter((v) => v.subjectId === 'front-door-performance-contacts')
        .map((v) => (v.details as { measure: string }).measure),
    ).toEqual(
      expect.arrayContaining([
        'decided',
        'received',
        'overdue',
        'outcome',
        'repeat',
        'requests',
        'consistency',
      ]),
    );
  });

  it('exports a table as CSV and records the export', async () => {
    const analyst = await t.as('performance-analyst');
    const page = await analyst.get('/front-door/performance');
    const href = page.$('a[href*="table=late-decisions"]').attr('href')!;
    const csv = await analyst.get(href);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="front-door-late-decisions-2026-09-07-to-2026-11-24.csv"',
    );
    expect(csv.body.trimEnd().split('\r\n')).toEqual([
      'Contact,Received,Decision due,Decided,Working hours late,Decided by',
      `${ref.B},2026-11-16,17 November 2026 at 5pm,19 November 2026 at 10am,9,Mo Hassan`,
    ]);
    const bySource = await analyst.get(page.$('a[href*="table=outcomes-by-source"]').attr('href')!);
    expect(bySource.body.trimEnd().split('\r\n')).toEqual([
      'Referral source,No further action,"Information, advice and signposting",Early help / family support,Referral to children’s social care for assessment,Strategy discussion,Total',
      '3E: Health services – A&E (emergency department),0,0,0,1,0,1',
      '6: Police,1,0,1,0,0,2',
      'All,1,0,1,1,0,3',
    ]);
    const exported = await audits('report.exported');
    expect(exported[0]).toMatchObject({
      subjectId: 'front-door-performance',
      details: {
        table: 'late-decisions',
        from: '2026-09-07',
        to: '2026-11-24',
        rows: 1,
        format: 'csv',
        localAuthorityIds: [richmond],
      },
    });
    expect(exported).toHaveLength(2);
  });

  it('changes the period through the form, and keeps what was typed when the range is wrong', async () => {
    const analyst = await t.as('performance-analyst');
    const page = await analyst.get('/front-door/performance');
    // The analyst works for Richmond only: no choice of authority.
    expect(page.$('#la').length).toBe(0);

    const bad = await analyst.post('/front-door/performance', {
      'from-day': '20',
      'from-month': '11',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '11',
      'to-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.$('title').text()).toMatch(/^Error: Front-door performance/);
    expect(summaryLinks(bad)).toEqual(['#to-day The end date must be the same as or after the start date']);
    expect(text(bad.$, '#to-error')).toContain('The end date must be the same as or after the start date');
    expect([bad.$('#from-day').val(), bad.$('#from-month').val(), bad.$('#from-year').val()]).toEqual([
      '20',
      '11',
      '2026',
    ]);
    expect([bad.$('#to-day').val(), bad.$('#to-month').val(), bad.$('#to-year').val()]).toEqual([
      '1',
      '11',
      '2026',
    ]);

    const empty = await analyst.post('/front-door/performance', {});
    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty)).toEqual(['#from-day Enter start date', '#to-day Enter end date']);

    const good = await analyst.post('/front-door/performance', {
      'from-day': '17',
      'from-month': '11',
      'from-year': '2026',
      'to-day': '20',
      'to-month': '11',
      'to-year': '2026',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/front-door/performance?from=2026-11-17&to=2026-11-20');
    const shown = await analyst.get(good.headers.location!);
    expect(tableRows(shown, 'summary')[0]).toEqual(['Contacts received', '3']);
    // The analyst cannot open contacts: references are shown without links.
    const received = await analyst.get(linkIn(shown, 'summary', 'Contacts received', 1)!);
    expect(drilledReferences(received)).toEqual([ref.C, ref.D, ref.F].sort());
    expect(received.$('[data-testid="drill-down"] a').length).toBe(0);
  });

  it('counts the outcome mix by level of need and threshold consistency by team, each count leading to its contacts', async () => {
    const manager = await t.as('mash-manager');
    const page = await manager.get('/front-door/performance?from=2026-08-03&to=2026-08-14');
    expect(page.statusCode).toBe(200);
    expect(tableRows(page, 'summary').slice(0, 3)).toEqual([
      ['Contacts received', '8'],
      ['Decisions recorded', '8'],
      ['Decisions made within 1 working day', '100% (8 of 8)'],
    ]);
    // No further action, information and advice, early help, social care, strategy discussion, total.
    expect(tableRows(page, 'outcomes-by-level')).toEqual([
      ['Level 1 – universal: no additional needs', '1 (100%)', '0', '0', '0', '0', '1'],
      ['Level 2 – early help: additional needs', '0', '0', '2 (100%)', '0', '0', '2'],
      ['Level 3 – complex needs: targeted multi-agency support', '0', '0', '1 (25%)', '3 (75%)', '0', '4'],
      ['Level 4 – acute or specialist: statutory social care', '0', '0', '0', '0', '1 (100%)', '1'],
      ['All', '1', '0', '3', '3', '1', '8'],
    ]);
    // Similar contacts routed to social care: level 1 and 2 none, level 3 three of four (0.75 each), level 4 all.
    // Tom's team: 3 of 4 against 0.75 + 0.75 + 1 + 0 = 2.5 expected; Mo's: 1 of 4 against 0 + 0 + 0.75 + 0.75 = 1.5.
    // Each has √(2 × 0.75 × 0.25) = 0.61 standard deviation, so ±0.5 is ±0.82: fewer than 5 decisions, no flag.
    expect(tableRows(page, 'consistency-teams')).toEqual([
      ['Assessment Team', '4', '3', '75%', '2.5 (62.5%)', '0.82', 'None', '0'],
      ['MASH', '4', '1', '25%', '1.5 (37.5%)', '-0.82', 'None', '0'],
    ]);
    expect(tableRows(page, 'consistency-workers')).toEqual([
      ['Mo Hassan', '4', '1', '25%', '1.5 (37.5%)', '-0.82', 'None', '0'],
      ['Tom Mensah', '4', '3', '75%', '2.5 (62.5%)', '0.82', 'None', '0'],
    ]);

    // Drill-downs keep the period: level 3 routed to social care is G3, H1 and H2; the Assessment Team's
    // decisions are Tom's four, three of them routed to social care.
    const level3SocialCare = await manager.get(
      linkIn(page, 'outcomes-by-level', 'Level 3 – complex needs: targeted multi-agency support', 4)!,
    );
    expect(level3SocialCare.statusCode).toBe(200);
    expect(text(level3SocialCare.$, '[data-testid="period"]')).toBe(
      'Received from 3 August 2026 to 14 August 2026.',
    );
    expect(drilledReferences(level3SocialCare)).toEqual([ref.G3, ref.H1, ref.H2].sort());
    const level2 = await manager.get(
      linkIn(page, 'outcomes-by-level', 'Level 2 – early help: additional needs', 6)!,
    );
    expect(drilledReferences(level2)).toEqual([ref.G1, ref.G2].sort());
    const team = await manager.get(linkIn(page, 'consistency-teams', 'Assessment Team', 1)!);
    expect(team.statusCode).toBe(200);
    expect(drilledReferences(team)).toEqual([ref.H1, ref.H2, ref.H3, ref.H4].sort());
    const teamSocialCare = await manager.get(linkIn(page, 'consistency-teams', 'Assessment Team', 2)!);
    expect(drilledReferences(teamSocialCare)).toEqual([ref.H1, ref.H2, ref.H3].sort());
    const mashSocialCare = await manager.get(linkIn(page, 'consistency-teams', 'MASH', 2)!);
    expect(drilledReferences(mashSocialCare)).toEqual([ref.G3]);
  });

  it('is for managers and analysts only', async () => {
    const social = await t.as('social-worker');
    expect((await social.get('/front-door/performance')).statusCode).toBe(403);
    expect((await social.get('/front-door/performance/contacts?measure=received')).statusCode).toBe(403);
    expect((await social.get('/front-door/performance/export?table=contacts-per-day')).statusCode).toBe(403);
    const analyst = await t.as('performance-analyst');
    expect((await analyst.get('/front-door/performance')).statusCode).toBe(200);
    expect((await analyst.get('/front-door/performance/contacts?measure=received')).statusCode).toBe(200);
    // A period with nothing in it.
    const quiet = await analyst.get('/front-door/performance?from=2026-01-05&to=2026-01-30');
    expect(quiet.statusCode).toBe(200);
    expect(tableRows(quiet, 'summary').map((r) => r[1])).toEqual(['0', '0', '– (0 of 0)', '0']);
    expect(quiet.$('a[href^="/front-door/performance/contacts?"]').length).toBe(0);
    expect(quiet.$('main').text()).toContain('No decisions were late.');
    const none = await analyst.get(
      '/front-door/performance/contacts?measure=decided&from=2026-01-05&to=2026-01-30',
    );
    expect(none.$('[data-testid="drill-down-empty"]').text()).toBe('No contacts match.');
  });
});
