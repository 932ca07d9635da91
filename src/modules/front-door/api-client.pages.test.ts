import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { auditEvents, localAuthorityIds, summaryLinks } from '../../../test/builders/front-door-helpers.ts';

let richmond: string;
let kingston: string;
let policeAgency: string;

const audits = (action: string, subjectId: string) => auditEvents(t.db, action, subjectId);
const apiPost = (clientId: string, secret: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    payload: '{}',
  });

const t = appForFile();
beforeAll(async () => {
  ({ richmond, kingston } = await localAuthorityIds(t.db));
  policeAgency = (
    await t.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
  ).id;
});

describe('API clients (system administrator)', () => {
  it('creates a client and shows its secret once; rotates it; disables it; each audited', async () => {
    const admin = await t.as('system-administrator');
    const list = await admin.get('/admin/api-clients');
    expect(list.statusCode).toBe(200);
    expect(list.$('main').text()).toContain('There are no API clients yet.');

    const empty = await admin.post('/admin/api-clients/new', {});
    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty)).toEqual([
      '#name Enter a name for the client',
      '#agencyId Select the partner agency',
      '#localAuthorityIds Select at least one local authority',
    ]);

    const created = await admin.post('/admin/api-clients/new', {
      name: 'Met Police notifications',
      agencyId: policeAgency,
      localAuthorityIds: [richmond, kingston],
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.$('.govuk-panel__title').text().trim()).toBe('API client added');
    const clientId = created.$('[data-testid="client-id"]').text();
    const secret = created.$('[data-testid="client-secret"]').text();
    expect(clientId).toMatch(/^thr_[0-9a-f]{24}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom('apiClients')
      .selectAll()
      .where('clientId', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(row.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    const createdAudit = await audits('api-client.created', row.id);
    expect(createdAudit).toHaveLength(1);
    expect(JSON.stringify(createdAudit)).not.toContain(secret);
    expect((await apiPost(clientId, secret)).statusCode).toBe(400); // authenticated; the empty body is refused

    const dup = await admin.post('/admin/api-clients/new', {
      name: 'met police NOTIFICATIONS',
      agencyId: policeAgency,
      localAuthorityIds: richmond,
    });
    expect(dup.statusCode).toBe(400);
    expect(summaryLinks(dup)).toEqual(['#name There is already a client with this name']);

    // The client's page never shows the secret again.
    const page = await admin.get(`/admin/api-clients/${row.id}`);
    expect(page.$('h1').text()).toBe('Met Police notifications');
    expect(page.body).not.toContain(secret);
    expect(page.$('main').text()).toContain(clientId);
    expect((await audits('api-client.viewed', row.id)).length).toBe(1);

    const notConfirmed = await admin.post(`/admin/api-clients/${row.id}/rotate-secret`, { version: '1' });
    expect(notConfirmed.statusCode).toBe(400);
    expect(summaryLinks(notConfirmed)).toEqual(['#confirm Select yes if you want to change the secret']);
    const rotated = await admin.post(`/admin/api-clients/${row.id}/rotate-secret`, {
      confirm: 'yes',
      version: '1',
    });
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.$('[data-testid="client-secret"]').text();
    expect(newSecret).not.toBe(secret);
    expect((await apiPost(clientId, secret)).statusCode).toBe(401);
    expect((await apiPost(clientId, newSecret)).statusCode).toBe(400);
    expect(await audits('api-client.secret-rotated', row.id)).toEqual([
      { actorLabel: 'admin@demo.threshold.test', details: { name: 'Met Police notifications', clientId } },
    ]);
    // A stale page (the version it was opened at) changes nothing.
    const stale = await admin.post(`/admin/api-clients/${row.id}/rotate-secret`, {
      confirm: 'yes',
      version: '1',
    });
    expect(stale.statusCode).toBe(409);
    expect((await apiPost(clientId, newSecret)).statusCode).toBe(400);

    const noReason = await admin.post(`/admin/api-clients/${row.id}/disable`, { version: '2' });
    expect(noReason.statusCode).toBe(400);
    expect(summaryLinks(noReason)).toEqual(['#reason Enter why the client is being disabled']);
    const disabled = await admin.post(`/admin/api-clients/${row.id}/disable`, {
      reason: 'The police replaced the system',
      version: '2',
    });
    expect(disabled.statusCode).toBe(303);
    expect(disabled.headers.location).toBe(`/admin/api-clients/${row.id}`);
    expect((await apiPost(clientId, newSecret)).statusCode).toBe(401);
    const after = await admin.get(`/admin/api-clients/${row.id}`);
    expect(after.$('main').text()).toContain('Disabled');
    expect(after.$('main').text()).toContain('The police replaced the system');
    expect((await audits('api-client.disabled', row.id)).map((a) => a.details)).toEqual([
      { name: 'Met Police notifications', clientId, reason: 'The police replaced the system' },
    ]);
    expect((await admin.get('/admin/api-clients')).$('[data-testid="api-clients"] tbody tr').length).toBe(1);
  });

  it('is for the system administrator only', async () => {
    for (const role of ['mash-manager', 'partner-agency-user', 'performance-analyst'] as const) {
      const agent = await t.as(role);
      expect((await agent.get('/admin/api-clients')).statusCode).toBe(403);
      expect(
        (
          await agent.post('/admin/api-clients/new', {
            name: 'X',
            agencyId: policeAgency,
            localAuthorityIds: richmond,
          })
        ).statusCode,
      ).toBe(403);
    }
    expect(await t.db.selectFrom('apiClients').select('name').where('name', '=', 'X').execute()).toEqual([]);
  });
});
