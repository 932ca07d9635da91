import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { localAuthorityId, teamId } from '../../../test/builders/organisation.ts';
import { demoEmail } from '../admin/organisation.seed.ts';

let richmond: string;
let assessmentTeam: string;

async function aChild(
  name: string,
  options: { restricted?: boolean; laChildId?: string; nhsNumber?: string } = {},
) {
  const row = await t.db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'child',
      givenName: name,
      familyName: 'Testchild',
      searchName: `${name.toLowerCase()} testchild`,
      dateOfBirth: '2016-03-03',
      restricted: options.restricted ?? false,
      laChildId: options.laChildId ?? null,
      nhsNumber: options.nhsNumber ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function allocateToSocialWorker(childId: string) {
  await t.db
    .insertInto('allocations')
    .values({
      childId,
      workerId: await t.userId('social-worker'),
      teamId: assessmentTeam,
      role: 'allocated-worker',
      startedOn: '2026-11-01',
    })
    .execute();
}

const audit = (action: string, childId: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['actorLabel', 'details'])
    .where('action', '=', action)
    .where('childId', '=', childId)
    .execute();

const t = appForFile();
beforeAll(async () => {
  richmond = await localAuthorityId(t.db);
  assessmentTeam = await teamId(t.db, 'Assessment Team');
});

describe('restricting a record', () => {
  it('the team manager restricts an allocated child; other staff then get 404 on its pages', async () => {
    const child = await aChild('Robin');
    await allocateToSocialWorker(child);
    const manager = await t.as('team-manager');
    const page = await manager.get(`/people/${child}/restriction`);
    expect(page.statusCode).toBe(200);
    expect(page.$('h1').text()).toBe('Restriction and access');

    const missing = await manager.post(`/people/${child}/restriction`, {});
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .$('.govuk-error-summary a')
        .map((_, a) => missing.$(a).attr('href'))
        .get(),
    ).toEqual(['#restricted', '#reason']);

    const res = await manager.post(`/people/${child}/restriction`, {
      restricted: 'yes',
      reason: 'Child of a member of staff',
    });
    expect(res.statusCode).toBe(303);
    expect(
      (await t.db.selectFrom('people').select('restricted').where('id', '=', child).executeTakeFirstOrThrow())
        .restricted,
    ).toBe(true);
    expect(await audit('child-record.restricted', child)).toHaveLength(1);
    const chronology = await t.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', child)
      .execute();
    expect(chronology.map((c) => c.title)).toContain('Record restricted');

    const qa = await t.as('qa-officer');
    expect((await qa.get(`/people/${child}/access-log`)).statusCode).toBe(403); // role lacks record-access:view
    const mash = await t.as('mash-manager');
    expect((await mash.get(`/people/${child}/restriction`)).statusCode).toBe(404); // role may, record says no
    expect((await mash.get(`/people/${child}/access-log`)).statusCode).toBe(404);
  });

  it('a manager outside the line, who can read the child, cannot restrict them: 403 with the reason, nothing changed', async () => {
    const child = await aChild('Sky');
    await allocateToSocialWorker(child);
    const mashManager = await t.as('mash-manager');
    const res = await mashManager.post(`/people/${child}/restriction`, { restricted: 'yes', reason: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You cannot change this record');
    expect(res.body).toContain('You can read this record but not change it');
    const row = await t.db
      .selectFrom('people')
      .select('restricted')
      .where('id', '=', child)
      .executeTakeFirstOrThrow();
    expect(row.restricted).toBe(false);
  });

  it('roles without the permission get 403', async () => {
    const child = await aChild('Ash');
    for (const role of [
      'social-worker',
      'qa-officer',
      'partner-agency-user',
      'system-administrator',
    ] as const) {
      expect((await (await t.as(role)).get(`/people/${child}/restriction`)).statusCode, role).toBe(403);
    }
  });
});

describe('named grants', () => {
  it('gives a named person access to a restricted record and revokes it, both audited', async () => {
    const child = await aChild('Rowan', { restricted: true });
    await allocateToSocialWorker(child);
    const manager = await t.as('team-manager');
    const qa = await t.as('qa-officer');
    expect((await qa.get(`/people/${child}/access-log`)).statusCode).toBe(403);

    const bad = await manager.post(`/people/${child}/grants/new`, {
      granteeEmail: 'nobody@demo.threshold.test',
      access: 'read',
      reason: 'Audit',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.$('#granteeEmail-error').text()).toContain('There is no active user with this email address');
    expect(bad.$('#granteeEmail').attr('value')).toBe('nobody@demo.threshold.test');

    const partner = await manager.post(`/people/${child}/grants/new`, {
      granteeEmail: demoEmail('police.officer'),
      access: 'read',
      reason: 'Audit',
    });
    expect(partner.$('#granteeEmail-error').text()).toContain('Only children’s services staff');

    const past = await manager.post(`/people/${child}/grants/new`, {
      granteeEmail: demoEmail('early.help'),
      access: 'read',
      reason: 'Audit',
      'expiresOn-day': '1',
      'expiresOn-month': '1',
      'expiresOn-year': '2020',
    });
    expect(past.$('#expiresOn-error').text()).toContain('End date must be today or in the future');

    const ok = await manager.post(`/people/${child}/grants/new`, {
      granteeEmail: demoEmail('early.help'),
      access: 'read',
      reason: 'Joint visit planning',
    });
    expect(ok.statusCode).toBe(303);

    const grant = await t.db
      .selectFrom('recordGrants')
      .select('id')
      .where('childId', '=', child)
      .where('reason', '=', 'Joint visit planning')
      .executeTakeFirstOrThrow();
    expect(await audit('record-grant.created', child)).toHaveLength(1);

    const revoked = await manager.post(`/people/${child}/grants/${grant.id}/revoke`, {
      reason: 'Visit done',
    });
    expect(revoked.statusCode).toBe(303);
    expect(await audit('record-grant.revoked', child)).toHaveLength(1);
  });
});

describe('breaking the glass', () => {
  it('opens a restricted record with a reason, shows it on the access log and to the manager for review', async () => {
    const child = await aChild('Morgan', {
      restricted: true,
      laChildId: 'RT0099001',
      nhsNumber: '9434765919',
    });
    await allocateToSocialWorker(child);
    const mash = await t.as('mash-practitioner');
    const form = await mash.get('/people/break-glass');
    expect(form.statusCode).toBe(200);

    const empty = await mash.post('/people/break-glass', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.$('.govuk-error-summary a').length).toBe(3);

    const wrong = await mash.post('/people/break-glass', {
      identifierKind: 'la-child-id',
      identifier: 'RT0000000',
      reason: 'Urgent',
    });
    expect(wrong.$('#identifier-error').text()).toContain('No restricted record has this identifier');

    const ok = await mash.post('/people/break-glass', {
      identifierKind: 'nhs-number',
      identifier: '943 476 5919',
      reason: 'Police protection tonight',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/people/${child}`);
    const [opened] = await audit('child-record.break-glass-opened', child);
    expect(opened?.details).toMatchObject({ reason: 'Police protection tonight' });

    const manager = await t.as('team-manager');
    const log = await manager.get(`/people/${child}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('Police protection tonight');
    expect(log.$('h2').first().text()).toBe('Opened by breaking the glass');

    const reviews = await manager.get('/record-access/break-glass-reviews');
    expect(reviews.body).toContain('Police protection tonight');
    const entry = await t.db
      .selectFrom('breakGlassAccesses')
      .select('id')
      .where('childId', '=', child)
      .executeTakeFirstOrThrow();
    const reviewed = await manager.post(`/record-access/break-glass-reviews/${entry.id}`, {
      note: 'Reason accepted',
    });
    expect(reviewed.statusCode).toBe(303);
    expect((await manager.get('/record-access/break-glass-reviews')).body).not.toContain(
      'Police protection tonight',
    );
    expect(await audit('break-glass.reviewed', child)).toHaveLength(1);
  });

  it('an unrestricted record is not opened this way', async () => {
    await aChild('Kit', { laChildId: 'RT0099002' });
    const worker = await t.as('social-worker');
    const res = await worker.post('/people/break-glass', {
      identifierKind: 'la-child-id',
      identifier: 'rt0099002',
      reason: 'x',
    });
    expect(res.$('#identifier-error').text()).toContain('This record is not restricted');
  });

  it('partner agencies and administrators cannot break the glass', async () => {
    for (const role of ['partner-agency-user', 'system-administrator', 'performance-analyst'] as const) {
      expect((await (await t.as(role)).get('/people/break-glass')).statusCode, role).toBe(403);
    }
  });
});

describe('who has accessed this record', () => {
  it('lists every view and change of the record with who and when, newest first', async () => {
    const child = await aChild('Quinn');
    await allocateToSocialWorker(child);
    const manager = await t.as('team-manager');
    await manager.get(`/people/${child}/restriction`);
    const log = await manager.get(`/people/${child}/access-log`);
    const rows = log.$('table').last().find('tbody tr');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.first().text()).toContain('Tom Mensah');
    expect(rows.first().text()).toContain('child-record.restriction-viewed');
    // Viewing the log is itself recorded.
    expect(await audit('child-record.access-log-viewed', child)).toHaveLength(1);
  });
});

describe('the manager’s worktray', () => {
  it('shows an unreviewed break-glass access as work due within 2 working days', async () => {
    const child = await aChild('Harper', { restricted: true, laChildId: 'RT0099003' });
    await allocateToSocialWorker(child);
    const worker = await t.as('early-help-practitioner');
    await worker.post('/people/break-glass', {
      identifierKind: 'la-child-id',
      identifier: 'RT0099003',
      reason: 'School called about bruising',
    });
    const home = await (await t.as('team-manager')).get('/');
    const row = home
      .$('table tbody tr')
      .filter((_, tr) => home.$(tr).text().includes('School called about bruising'));
    expect(row.length).toBe(1);
    expect(row.text()).toContain('Harper Testchild');
    expect(row.text()).toContain('Break-glass review');
    expect(row.text()).toMatch(/working days? left|Due today/);
    // The worker who broke the glass does not get it as work.
    expect((await worker.get('/')).body).not.toContain('School called about bruising');
  });
});
