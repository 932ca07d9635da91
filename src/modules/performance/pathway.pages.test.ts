import { beforeAll, describe, expect, it } from 'vitest';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { aChild, userIdFor } from '../../../test/builders/people.ts';
import { localAuthorityIds, teamId } from '../../../test/builders/organisation.ts';
import { aContactRecord, anEpisodeRecord } from '../../../test/builders/performance.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * The pathway page on a fixed clock (24 November 2026). Two May contacts in Richmond: one decided as social care
 * (its child referred on 6 May, Assessment Team), one not yet decided (pathway.db.test.ts proves the counting).
 */

const t = appForFile({ now: '2026-11-24T10:30:00Z' });
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, url: string, res: TestResponse) =>
  forAxe.set(kind, { who, url, body: res.body, headers: res.headers });
const cells = (res: TestResponse, testid: string, row: number) =>
  res
    .$(`[data-testid="${testid}"] tbody tr`)
    .eq(row)
    .find('th, td')
    .map((_, c) => {
      const x = res.$(c).clone();
      x.find('.govuk-visually-hidden').remove();
      return x.text().replace(/\s+/g, ' ').trim();
    })
    .get();
let contactRef = '';

beforeAll(async () => {
  const { richmond } = await localAuthorityIds(t.db);
  const officer = await userIdFor(t.db, 'contact-officer');
  const at = await teamId(t.db, 'Assessment Team');
  const child = await aChild(t.db, { givenName: 'Pia', familyName: 'Pathway' });
  const k = await aContactRecord(t.db, {
    localAuthorityId: richmond,
    receivedAt: '2026-05-05T09:00:00Z',
    childId: child.id,
    userId: officer,
    decision: { outcome: 'social-care', decidedAt: '2026-05-06T09:00:00Z', routedTeamId: at },
  });
  contactRef = k.reference;
  await aContactRecord(t.db, {
    localAuthorityId: richmond,
    receivedAt: '2026-05-07T09:00:00Z',
    userId: officer,
  });
  await anEpisodeRecord(t.db, {
    childId: child.id,
    localAuthorityId: richmond,
    referralDate: '2026-05-06',
    teamId: at,
    sourceContactId: k.contactId,
  });
});

const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details'])
    .where('action', '=', action)
    .where('subjectType', '=', 'report')
    .orderBy('seq')
    .execute();

describe('the pathway page', () => {
  it('shows each stage month by month with conversions and times, linked from the dashboard, audited', async () => {
    const analyst = await t.as('performance-analyst');
    const dashboard = await analyst.get('/performance');
    expect(dashboard.$('[data-testid="pathway-link"]').attr('href')).toBe('/performance/pathway');
    const byDefault = await analyst.get('/performance/pathway');
    expect(byDefault.$('[data-testid="period"]').text()).toContain('1 December 2025 to 24 November 2026');
    const url = '/performance/pathway?from=2026-04&to=2026-06';
    const res = await analyst.get(url);
    expect(res.statusCode).toBe(200);
    capture('pathway', 'performance-analyst', url, res);
    // Month | Contacts | Decisions | Early help | Referrals | Assessments | Plans | Closures
    expect(cells(res, 'stages', 1)).toEqual(['May 2026', '2', '1', '0', '1', '0', '0', '0']);
    expect(cells(res, 'stages', 3)[0]).toBe('All months');
    expect(cells(res, 'conversions', 1)).toEqual(['May 2026', '50% (1 of 2)', '0% (0 of 1)', '– (0 of 0)']);
    expect(cells(res, 'times', 1).slice(0, 4)).toEqual(['May 2026', '2', '–', '2']);
    expect(res.$('[data-testid="chart-chart-pathway"]').length).toBe(1);
    const views = await audits('report.viewed');
    expect(views.at(-1)).toMatchObject({
      subjectId: 'performance-pathway',
      details: { from: '2026-04', to: '2026-06', teamId: null },
    });

    // The month's conversion links to exactly the contact that became a referral.
    const link = res.$('[data-testid="conversions"] tbody tr').eq(1).find('a').first().attr('href')!;
    expect(link).toContain('from=2026-05-01&to=2026-05-31');
    const manager = await t.as('team-manager');
    const drill = await manager.get(link);
    expect(drill.statusCode).toBe(200);
    capture('stage', 'team-manager', link, drill);
    const rows = drill.$('[data-testid="drill-down"] tbody tr');
    expect(rows.length).toBe(1);
    expect(rows.first().text()).toContain(contactRef);
    expect(rows.first().text()).toContain('Pia Pathway');
    expect((await audits('report.viewed')).at(-1)).toMatchObject({
      subjectId: 'performance-pathway-contacts',
      details: { counted: 'yes', children: 1, named: 1 },
    });
  });

  it('downloads the pathway as CSV, audited', async () => {
    const analyst = await t.as('performance-analyst');
    const csv = await analyst.get('/performance/pathway/export?from=2026-04&to=2026-06');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]!.startsWith('May 2026,2,1,0,1,0,0,0,1,50,')).toBe(true);
    expect((await audits('report.exported')).at(-1)).toMatchObject({ subjectId: 'performance-pathway' });
  });

  it('is refused without the reporting permission; a nonsense period falls back to the last 12 months', async () => {
    expect((await (await t.as('social-worker')).get('/performance/pathway')).statusCode).toBe(403);
    const res = await (await t.as('service-manager')).get('/performance/pathway?from=nonsense&to=2031-01');
    expect(res.statusCode).toBe(200);
    expect(res.$('[data-testid="period"]').text()).toContain('1 December 2025 to 24 November 2026');
  });

  it('has no accessibility violations', async () => {
    expect([...forAxe.keys()].sort()).toEqual(['pathway', 'stage']);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
