import { beforeAll, describe, expect, it } from 'vitest';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { appForFile } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import { TEST_PASSWORD } from '../../../test/support/template-seed.ts';
import { demoEmail } from './organisation.seed.ts';

let childId: string;

const t = appForFile();
beforeAll(async () => {
  childId = (await aChild(t.db, { laChildId: '318T00007', givenName: 'Tamsin', familyName: 'Trailwood' })).id;
  // Some history: failed and successful sign-ins, a view of a child's record on two days, and a change.
  await t.anonymous().post('/sign-in', { email: demoEmail('social.worker'), password: 'wrong password' });
  await t.anonymous().post('/sign-in', { email: demoEmail('social.worker'), password: TEST_PASSWORD });
  // Look the user up before the transaction: PGlite has one connection, which the transaction holds.
  const actor = { userId: await t.userId('social-worker'), label: demoEmail('social.worker') };
  await t.db.transaction().execute(async (trx) => {
    await recordAuditEvent(trx, {
      actor,
      action: 'child-record.viewed',
      subjectType: 'person',
      subjectId: childId,
      childId,
      occurredAt: new Date('2026-11-02T10:00:00Z'),
      requestId: 'req-viewed-1',
      ip: '10.0.0.7',
    });
    await recordAuditEvent(trx, {
      actor,
      action: 'child-record.viewed',
      subjectType: 'person',
      subjectId: childId,
      childId,
      occurredAt: new Date('2026-11-20T10:00:00Z'),
      requestId: 'req-viewed-2',
    });
    await recordAuditEvent(trx, {
      actor,
      action: 'person.updated',
      subjectType: 'person',
      subjectId: childId,
      childId,
      occurredAt: new Date('2026-11-20T11:00:00Z'),
      details: {
        before: { school: 'Orchard Primary' },
        after: { school: '=HYPERLINK("http://evil")' },
        changed: ['school'],
      },
    });
  });
});

const cells = (res: { $: import('cheerio').CheerioAPI }) =>
  res
    .$('tbody tr')
    .map((_, tr) => res.$(tr).find('td').eq(2).find('strong').text())
    .get();

describe('searching the audit trail', () => {
  it('shows events newest first with time, actor, action, subject, child, request id, address and details', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get(`/admin/audit-trail?childId=${childId}`);
    expect(res.statusCode).toBe(200);
    expect(res.$('h1').text()).toBe('Search the audit trail');
    expect(cells(res)).toEqual(['person.updated', 'child-record.viewed', 'child-record.viewed']);
    const oldest = res.$('tbody tr').last();
    expect(oldest.text()).toContain('2 November 2026 at 10am');
    expect(oldest.text()).toContain(demoEmail('social.worker'));
    expect(oldest.text()).toContain('from 10.0.0.7');
    expect(oldest.text()).toContain('318T00007');
    expect(oldest.text()).toContain('req-viewed-1');
    const details = res.$('tbody tr').first().find('dl').text().replace(/\s+/g, ' ');
    expect(details).toContain('before.school: Orchard Primary');
    expect(details).toContain('after.school: =HYPERLINK("http://evil")');
    expect(details).toContain('changed: school');
    // Administrators never see a child's name, even here.
    expect(res.$('body').text()).not.toContain('Trailwood');
  });

  it('finds a child by LA child ID, events by action prefix, actor, subject and request id', async () => {
    const admin = await t.as('system-administrator');
    expect(cells(await admin.get('/admin/audit-trail?childId=318t00007'))).toHaveLength(3);
    const signIns = await admin.get(
      `/admin/audit-trail?action=sign-in.&actor=${encodeURIComponent('social.worker@')}`,
    );
    expect(cells(signIns)).toEqual(['sign-in.succeeded', 'sign-in.failed']);
    expect(cells(await admin.get('/admin/audit-trail?action=sign-in.failed'))).toEqual(['sign-in.failed']);
    expect(cells(await admin.get('/admin/audit-trail?action=sign-in'))).toEqual([]);
    expect(cells(await admin.get('/admin/audit-trail?requestId=req-viewed-2'))).toEqual([
      'child-record.viewed',
    ]);
    expect(cells(await admin.get(`/admin/audit-trail?subjectId=${childId}&action=person.updated`))).toEqual([
      'person.updated',
    ]);
  });

  it('filters by a date range given with GOV.UK date inputs, and keeps what was typed', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get(
      `/admin/audit-trail?childId=${childId}&from-day=1&from-month=11&from-year=2026&to-day=2&to-month=11&to-year=2026`,
    );
    expect(cells(res)).toEqual(['child-record.viewed']);
    expect(res.$('#from-day').val()).toBe('1');
    expect(res.$('#to-month').val()).toBe('11');
  });

  it('explains a bad date with the GOV.UK error summary, linked to the field', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get(
      '/admin/audit-trail?from-day=31&from-month=2&from-year=2026&to-day=1&to-year=2026',
    );
    expect(res.statusCode).toBe(200);
    expect(res.$('title').text()).toMatch(/^Error: Search the audit trail/);
    const links = res
      .$('.govuk-error-summary a')
      .map((_, a) => `${res.$(a).attr('href')} ${res.$(a).text().trim()}`)
      .get();
    expect(links).toEqual([
      '#from-day From date must be a real date',
      '#to-month To date must include a month',
    ]);
    expect(res.$('#from-error').text()).toContain('From date must be a real date');
    expect(res.$('tbody tr').length).toBe(0);
    const backwards = await admin.get(
      '/admin/audit-trail?from-day=5&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026',
    );
    expect(backwards.$('.govuk-error-summary').text()).toContain(
      'To date must be the same as or after the from date',
    );
  });

  it('records each search in the audit trail with its filters', async () => {
    const admin = await t.as('system-administrator');
    await admin.get('/admin/audit-trail?action=user.&actor=admin');
    const row = await t.db
      .selectFrom('auditEvents')
      .select(['details', 'actorLabel'])
      .where('action', '=', 'audit-trail.searched')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.actorLabel).toBe(demoEmail('admin'));
    expect(row.details).toEqual({ filters: { action: 'user.', actor: 'admin' } });
  });

  it('pages through the trail by keyset, newest first, keeping the filters', async () => {
    await t.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 120; i++) {
        await recordAuditEvent(trx, {
          actor: { userId: null, label: 'bulk-loader' },
          action: 'bulk.loaded',
          subjectType: 'test',
          subjectId: String(i),
          occurredAt: new Date('2026-11-23T10:00:00Z'),
        });
      }
    });
    const admin = await t.as('system-administrator');
    const first = await admin.get('/admin/audit-trail?actor=bulk-loader');
    expect(first.$('[role="status"]').text()).toContain('120 events match');
    const subjects = (res: typeof first) =>
      res
        .$('tbody tr code')
        .map((_, c) => Number(first.$(c).text()))
        .get();
    expect(subjects(first)).toHaveLength(50);
    expect(subjects(first)[0]).toBe(119);
    expect(first.$('.govuk-pagination__prev').length).toBe(0);
    const nextHref = first.$('.govuk-pagination__next a').attr('href')!;
    expect(nextHref).toMatch(/^\/admin\/audit-trail\?actor=bulk-loader&before=\d+$/);
    const second = await admin.get(nextHref);
    expect(subjects(second)[0]).toBe(69);
    const third = await admin.get(second.$('.govuk-pagination__next a').attr('href')!);
    expect(subjects(third)).toHaveLength(20);
    expect(third.$('.govuk-pagination__next').length).toBe(0);
    const back = await admin.get(third.$('.govuk-pagination__prev a').attr('href')!);
    expect(subjects(back)).toEqual(subjects(second));
    const top = await admin.get(back.$('.govuk-pagination__prev a').attr('href')!);
    expect(subjects(top)).toEqual(subjects(first));
    expect(top.$('.govuk-pagination__prev').length).toBe(0);
  });
});

describe('exporting the audit trail', () => {
  it('downloads the current search as a CSV file, safe to open in a spreadsheet, and records the export', async () => {
    const admin = await t.as('system-administrator');
    const search = await admin.get(`/admin/audit-trail?childId=${childId}`);
    const href = search.$('a[download]').attr('href')!;
    expect(href).toBe(`/admin/audit-trail/export?childId=${childId}`);
    const res = await admin.get(href);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-trail-2026-11-24.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurred_at,actor_user_id,actor,action,subject_type,subject_id,child_id,la_child_id,request_id,ip,details',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',person.updated,');
    expect(lines[3]).toContain('2026-11-02T10:00:00.000Z');
    expect(lines[3]).toContain(',318T00007,req-viewed-1,10.0.0.7,');
    // The formula typed into a record stays text inside the JSON; nothing starts a cell with "=".
    expect(lines.some((l) => l.split(',').some((cell) => cell.startsWith('=')))).toBe(false);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['details', 'actorLabel'])
      .where('action', '=', 'audit-trail.exported')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ filters: { childId }, rows: 3, truncated: false, limit: 100000 });
  });

  it('a bad filter sends the export back to the search page with the message', async () => {
    const admin = await t.as('system-administrator');
    const res = await admin.get('/admin/audit-trail/export?from-day=40&from-month=1&from-year=2026');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/audit-trail?from-day=40&from-month=1&from-year=2026');
  });
});
