import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackupDrill } from '../scripts/backup-drill.ts';
import { recordAuditEvent } from '../src/kernel/audit-trail/index.ts';
import { aChild } from './builders/people.ts';
import { testDb } from './support/test-db.ts';

/**
 * The backup-and-restore drill (scripts/backup-drill.ts) against the real PostgreSQL: dump, restore into a new
 * database, same rows, the audit chain verifies, the schema is current and Threshold serves pages from it.
 * PostgreSQL only: the embedded database is backed up by copying its stopped data folder (docs/deployment.md).
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!onPostgres)('backup and restore drill (PostgreSQL)', () => {
  let h: Awaited<ReturnType<typeof testDb>>;
  let sourceUrl: string;

  beforeAll(async () => {
    h = await testDb();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${h.name}`;
    sourceUrl = url.href;
    const child = await aChild(h.db, { givenName: 'Drill', familyName: 'Restoreson' });
    await h.db.transaction().execute((trx) =>
      recordAuditEvent(trx, {
        occurredAt: new Date(),
        actor: { userId: null, label: 'backup drill test' },
        action: 'person.viewed',
        subjectType: 'person',
        subjectId: child.id,
        childId: child.id,
      }),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('restores every table with the same rows, the audit chain verifies, and Threshold serves pages from the copy', async () => {
    const lines: string[] = [];
    const result = await runBackupDrill(sourceUrl, { log: (l) => lines.push(l) });
    expect(lines.join('\n')).not.toContain('FAIL');
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ['dump', true],
      ['restore', true],
      ['tables', true],
      ['audit verify', true],
      ['migrate', true],
      ['pages', true],
    ]);
    expect(result.ok).toBe(true);
    expect(result.tables.length).toBeGreaterThan(40);
    for (const t of result.tables) expect(t.restored, t.table).toBe(t.source);
    expect(result.tables.find((t) => t.table === 'people')!.source).toBeGreaterThan(0);
    expect(result.tables.find((t) => t.table === 'audit_events')!.restored).toBeGreaterThan(0);
    expect(result.steps.find((s) => s.step === 'audit verify')!.detail).toMatch(/intact/);
  }, 240_000);

  it('fails, saying which step, when the source cannot be dumped', async () => {
    const url = new URL(sourceUrl);
    url.pathname = '/threshold_no_such_database';
    const result = await runBackupDrill(url.href);
    expect(result.ok).toBe(false);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'dump', ok: false })]);
    expect(result.steps[0]!.detail).toMatch(/does not exist/);
  });
});
