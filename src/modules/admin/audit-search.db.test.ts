import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { countAuditMatches, exportAuditTrail, searchAuditTrail } from './audit-search.repository.ts';
import { getGrant, listGrants } from './grants.repository.ts';

let handle: DatabaseHandle;
let childId: string;
const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => handle.db.transaction().execute(fn);

beforeAll(async () => {
  handle = await testDb();
  childId = (
    await aChild(handle.db, {
      laChildId: '318Q1',
      givenName: 'Quill',
      familyName: 'Hidden',
      restricted: true,
    })
  ).id;
  await tx(async (trx) => {
    for (let i = 0; i < 30; i++) {
      await recordAuditEvent(trx, {
        actor: { userId: null, label: i % 2 ? 'odd@example.test' : 'even@example.test' },
        action: i % 3 ? 'child-record.viewed' : 'child-record.printed',
        subjectType: 'person',
        subjectId: childId,
        childId,
        requestId: `req-${i}`,
        occurredAt: new Date(Date.UTC(2026, 10, 1 + i, 12)),
      });
    }
  });
});
afterAll(async () => {
  await handle?.close();
});

describe('audit trail search', () => {
  it('applies every filter, newest first', async () => {
    const all = await searchAuditTrail(handle.db, { childId }, {}, 100);
    expect(all.rows).toHaveLength(30);
    expect(all.rows[0]!.requestId).toBe('req-29');
    expect(all.rows.every((r) => r.laChildId === '318Q1')).toBe(true);
    expect(
      (await searchAuditTrail(handle.db, { childId: '318Q1', actor: 'ODD@' }, {}, 100)).rows,
    ).toHaveLength(15);
    expect(
      (await searchAuditTrail(handle.db, { childId, action: 'child-record.printed' }, {}, 100)).rows,
    ).toHaveLength(10);
    expect(
      (await searchAuditTrail(handle.db, { childId, action: 'child-record.' }, {}, 100)).rows,
    ).toHaveLength(30);
    expect(
      (await searchAuditTrail(handle.db, { childId, action: 'child-record*' }, {}, 100)).rows,
    ).toHaveLength(30);
    expect(
      (await searchAuditTrail(handle.db, { childId, action: 'child-record' }, {}, 100)).rows,
    ).toHaveLength(0);
    expect(
      (await searchAuditTrail(handle.db, { requestId: 'req-7' }, {}, 100)).rows.map((r) => r.requestId),
    ).toEqual(['req-7']);
    expect(
      (await searchAuditTrail(handle.db, { subjectId: childId, actor: '%' }, {}, 100)).rows,
    ).toHaveLength(0);
    // Dates are whole days in London: 1 to 3 November inclusive.
    const days = await searchAuditTrail(
      handle.db,
      { childId, from: '2026-11-01', to: '2026-11-03' },
      {},
      100,
    );
    expect(days.rows.map((r) => r.requestId)).toEqual(['req-2', 'req-1', 'req-0']);
  });

  it('pages by keyset in both directions', async () => {
    const first = await searchAuditTrail(handle.db, { childId }, {}, 12);
    expect(first.newer).toBeNull();
    expect(first.older).not.toBeNull();
    const second = await searchAuditTrail(handle.db, { childId }, { before: first.older! }, 12);
    expect(second.rows[0]!.seq).toBe(first.rows[11]!.seq - 1);
    const third = await searchAuditTrail(handle.db, { childId }, { before: second.older! }, 12);
    expect(third.rows).toHaveLength(6);
    expect(third.older).toBeNull();
    const back = await searchAuditTrail(handle.db, { childId }, { after: third.newer! }, 12);
    expect(back.rows.map((r) => r.seq)).toEqual(second.rows.map((r) => r.seq));
    const top = await searchAuditTrail(handle.db, { childId }, { after: back.newer! }, 12);
    expect(top.rows.map((r) => r.seq)).toEqual(first.rows.map((r) => r.seq));
    expect(top.newer).toBeNull();
  });

  it('counts matches only up to the cap', async () => {
    expect(await countAuditMatches(handle.db, { childId })).toBe(30);
    expect(await countAuditMatches(handle.db, { childId }, 10)).toBe(11);
  });

  it('exports CSV in batches, newest first, and says when the cap cut it short', async () => {
    const full = await exportAuditTrail(handle.db, { childId });
    expect(full.rows).toBe(30);
    expect(full.truncated).toBe(false);
    const capped = await exportAuditTrail(handle.db, { childId }, 7);
    expect(capped).toMatchObject({ rows: 7, truncated: true });
    const lines = capped.chunks.join('').trim().split('\r\n');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toContain('req-29');
    const exact = await exportAuditTrail(handle.db, { childId }, 30);
    expect(exact.truncated).toBe(false);
  });
});

describe('grants for administrators', () => {
  it('never read anything about the child but the LA child ID', async () => {
    const user = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'social.worker@demo.threshold.test')
      .executeTakeFirstOrThrow();
    const manager = await handle.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'team.manager@demo.threshold.test')
      .executeTakeFirstOrThrow();
    const grant = await handle.db
      .insertInto('recordGrants')
      .values({
        childId,
        userId: user.id,
        access: 'read',
        reason: 'Cover',
        grantedBy: manager.id,
        grantedAt: new Date('2026-11-20T10:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = await listGrants(handle.db, {}, 1, new Date('2026-11-24T10:00:00Z'));
    expect(page.rows).toHaveLength(1);
    const row = page.rows[0]!;
    expect(Object.keys(row).sort()).toEqual(
      [
        'id',
        'laChildId',
        'access',
        'reason',
        'grantedAt',
        'expiresAt',
        'revokedAt',
        'userId',
        'userName',
        'userEmail',
        'grantedByName',
        'revokedByName',
        'status',
      ].sort(),
    );
    expect(JSON.stringify(row)).not.toMatch(/Quill|Hidden/);
    expect(row).toMatchObject({
      laChildId: '318Q1',
      status: 'in-force',
      userName: 'Sian Walker',
      grantedByName: 'Tom Mensah',
    });
    expect(JSON.stringify(await getGrant(handle.db, grant.id, new Date()))).not.toMatch(/Quill|Hidden/);
  });
});
